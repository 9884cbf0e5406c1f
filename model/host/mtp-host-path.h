/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHostPath: the CPU side of a host, as MTP sees it.
 *
 * Design notes
 * ------------
 * Between the wire and the application a real host spends time: the NIC
 * interrupts, GRO batches, softirq processing on some core, the socket's
 * thread copying the message out.  MTP hands each of those steps to the
 * node's host path as a closure that the path runs when the modelled CPU
 * gets to it:
 *  - Receive: a packet arrived from IP; `process` is MTP's protocol work;
 *  - Transmit: MTP finished a packet; `send` hands it to IP;
 *  - DeliverToApp: a whole message for a socket's application;
 *  - SendScope: one send call of an application thread (its cost, and the
 *    packets it produces held until the call's work is done).
 * MtpIdealHostPath, the default, runs every closure at once: a zero-cost
 * host.  MtpHostModel (NIC, RSS, GRO, softirq steering, application cores)
 * is the modelled one.  MtpL4Protocol uses whichever MtpHostPath is
 * aggregated to its node (ns-3's wiring by aggregation), so neither the
 * transport nor the socket ever tests for a missing model.
 */

#ifndef MTP_HOST_PATH_H
#define MTP_HOST_PATH_H

#include "ns3/mtp-header.h"
#include "ns3/mtp-peer.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <functional>

namespace ns3
{

class Socket;

/**
 * \ingroup mtp-host
 * \brief What a received MTP packet looks like to the host (NIC, GRO).
 */
struct MtpHostRxPacket
{
    MtpAddress src;                           //!< source host
    MtpAddress dst;                           //!< destination (local) address
    uint16_t sport = 0;                       //!< MTP source port
    uint16_t dport = 0;                       //!< MTP destination port
    uint64_t senderId = 0;                    //!< RPC id as the sender knows it
    MtpPacketType type = MtpPacketType::DATA; //!< packet type
    bool shortMessage = false;                //!< DATA of a message that fits in this one packet
};

/**
 * \ingroup mtp-host
 * \brief The host's CPU path between IP, MTP and the applications.
 */
class MtpHostPath : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    ~MtpHostPath() override;

    /**
     * \brief A packet for a bound MTP port reached the host.
     * \param pkt what the NIC and GRO see of it (shortMessage not yet set:
     *        a path that needs it reads the DATA header from `p`)
     * \param p the packet, MTP header first
     * \param process MTP's protocol processing of it, run exactly once when
     *        the host gets to it (unless the path is disposed first)
     */
    virtual void Receive(const MtpHostRxPacket& pkt,
                         Ptr<const Packet> p,
                         std::function<void()> process) = 0;

    /**
     * \brief MTP hands a finished packet to the NIC.
     * \param send the hand-off to IP
     * \param isData a DATA packet (a modelled host may hold it behind the
     *        packets of a send call in progress, to keep a message in order)
     */
    virtual void Transmit(std::function<void()> send, bool isData) = 0;

    /**
     * \brief A whole message (or an RPC failure) for `socket`'s application.
     * \param socket the socket
     * \param bytes message length
     * \param deliver queues it for the application
     */
    virtual void DeliverToApp(const Socket* socket,
                              uint32_t bytes,
                              std::function<void()> deliver) = 0;

    /**
     * \brief RAII scope around one send call of an application thread
     *        (SendRequest, SendResponse): the path's BeginSend and EndSend.
     */
    class SendScope
    {
      public:
        /**
         * \param path the node's host path
         * \param socket the sending socket
         * \param bytes message length
         */
        SendScope(Ptr<MtpHostPath> path, const Socket* socket, uint32_t bytes);
        ~SendScope();
        SendScope(const SendScope&) = delete;
        SendScope& operator=(const SendScope&) = delete;

      private:
        Ptr<MtpHostPath> m_path; //!< the path
    };

  protected:
    /**
     * \brief A send call of `socket`'s thread starts (scopes nest).
     * \param socket the socket
     * \param bytes message length
     */
    virtual void BeginSend(const Socket* socket, uint32_t bytes);

    /** \brief The innermost send call ends. */
    virtual void EndSend();
};

/**
 * \ingroup mtp-host
 * \brief A zero-cost host: every step runs at once.  The default.
 */
class MtpIdealHostPath : public MtpHostPath
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    void Receive(const MtpHostRxPacket& pkt,
                 Ptr<const Packet> p,
                 std::function<void()> process) override;
    void Transmit(std::function<void()> send, bool isData) override;
    void DeliverToApp(const Socket* socket, uint32_t bytes, std::function<void()> deliver) override;
};

} // namespace ns3

#endif /* MTP_HOST_PATH_H */
