/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnPort and IpnMessage: one endpoint of an IPN network (the patch's
 * ipn_node) and one pooled copy of a message (msgpool_item).  See
 * ipn-network.h for the model as a whole.
 *
 * A port is separate from the socket, as in the patch, so a device port can
 * outlive any socket.  What it hides: its two receive queues (normal and
 * out-of-band), their byte count, and how the socket or device is woken.
 * Only IpnNetwork puts messages on a port (hence the friend declarations).
 */

#ifndef IPN_PORT_H
#define IPN_PORT_H

#include "ns3/callback.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/simple-ref-count.h"

#include <deque>
#include <string>

namespace ns3
{

class IpnNetwork;

/**
 * \ingroup mtp-ipn
 * \brief One copy of a message in a network's pool (the patch's msgpool_item).
 *
 * Its hold count is the number of receiver queues it is on, plus one while
 * the policy dispatches it; when it drops to zero the message leaves the
 * pool and a blocked LOSSLESS sender may proceed.
 */
class IpnMessage : public SimpleRefCount<IpnMessage>
{
  public:
    /** \param packet the bytes (never modified) */
    explicit IpnMessage(Ptr<const Packet> packet);
    /** \return the bytes */
    Ptr<const Packet> GetPacket() const;
    /** \return the length in bytes */
    uint32_t GetSize() const;

  private:
    friend class IpnNetwork;
    Ptr<const Packet> m_packet; //!< the bytes
    uint32_t m_holds = 0;       //!< pool references
};

/**
 * \ingroup mtp-ipn
 * \brief One endpoint of an IPN network (the patch's ipn_node): a socket, a
 *        TAP device or a grabbed device.
 *
 * A socket port queues messages (normal and out-of-band) until the socket
 * reads them; a device port hands each message to its device at once.
 */
class IpnPort : public Object
{
  public:
    /** What the port is attached to. */
    enum Kind
    {
        SOCKET = 0, //!< an IpnSocket
        TAP = 1,    //!< an IpnNetDevice (IPN_NODEFLAG_TAP)
        GRAB = 2    //!< a grabbed NetDevice (IPN_NODEFLAG_GRAB)
    };

    /** Shutdown bits (the patch's RCV_SHUTDOWN, SEND_SHUTDOWN, RCV_SHUTDOWN_NO_OOB). */
    enum ShutdownBits : uint8_t
    {
        SHUT_RCV = 1,    //!< no more normal messages are received
        SHUT_SEND = 2,   //!< no more messages are sent
        SHUT_NO_OOB = 4, //!< out-of-band messages are not received
        SHUT_ALL = 7     //!< everything: the end of the network for this port
    };

    /** \return the TypeId */
    static TypeId GetTypeId();

    IpnPort();
    ~IpnPort() override;

    /** \return what the port is attached to */
    Kind GetKind() const;
    /** \param kind what the port is attached to */
    void SetKind(Kind kind);
    /** \return the port number, or -1 while not connected */
    int32_t GetPortNumber() const;
    /** \return the port number asked for (IpnAddress::ANY_PORT = any) */
    int32_t GetRequestedPort() const;
    /** \param port the port number to ask for on connect (-1 = any) */
    void SetRequestedPort(int32_t port);
    /** \return the description (IPN_SO_DESCR) */
    const std::string& GetDescription() const;
    /** \param d the description */
    void SetDescription(const std::string& d);
    /** \return the network (nullptr if none) */
    Ptr<IpnNetwork> GetNetwork() const;
    /** \return the shutdown bits */
    uint8_t GetShutdown() const;
    /** \param bits the new shutdown bits (replace the old) */
    void SetShutdown(uint8_t bits);
    /** \param net the network bound or connected to (nullptr: none) */
    void SetNetwork(Ptr<IpnNetwork> net);
    /** \return true if membership notices were asked for (IPN_SO_WANT_OOB_NUMNODES) */
    bool WantsNumNodes() const;
    /** \param want ask for membership notices or not */
    void SetWantsNumNodes(bool want);
    /** \return true once connected (it has a port number) */
    bool IsConnected() const;

    /** \return number of normal messages queued */
    uint32_t GetQueueLength() const;
    /** \return number of out-of-band messages queued */
    uint32_t GetOobQueueLength() const;
    /** \return bytes queued (normal and out-of-band) */
    uint32_t GetQueuedBytes() const;
    /**
     * \brief Take the next message, out-of-band first (as the patch's recvmsg).
     * \param[out] oob set to true if it is out of band
     * \return the message, or nullptr if none
     */
    Ptr<Packet> Dequeue(bool& oob);
    /** \return messages dropped at this port (LOSSY overflow) */
    uint64_t GetDropCount() const;

    /**
     * \brief For sockets: called (in a new event) when a message was queued.
     * \param cb the callback
     */
    void SetNotifyCallback(Callback<void> cb);
    /**
     * \brief For devices: called with each message for the device, instead
     *        of queueing it.
     * \param cb the callback
     */
    void SetDeviceCallback(Callback<void, Ptr<const Packet>> cb);

  protected:
    void DoDispose() override;

  private:
    friend class IpnNetwork;
    /** Schedule the notify callback once per event. */
    void ScheduleNotify();
    /** Run the notify callback. */
    void DoNotify();

    Kind m_kind = SOCKET;                   //!< socket, TAP or GRAB
    int32_t m_portno = -1;                  //!< port number while connected
    int32_t m_requested = -1;               //!< requested port number
    std::string m_descr;                    //!< description
    Ptr<IpnNetwork> m_network;              //!< network joined (bound or connected)
    uint8_t m_shutdown = SHUT_NO_OOB;       //!< shutdown bits (OOB off by default, as the patch)
    bool m_wantNumNodes = false;            //!< membership notices wanted
    std::deque<Ptr<IpnMessage>> m_queue;    //!< normal messages
    std::deque<Ptr<IpnMessage>> m_oobQueue; //!< out-of-band messages
    uint32_t m_bytes = 0;                   //!< bytes queued
    uint64_t m_drops = 0;                   //!< messages dropped here
    bool m_notifyPending = false;           //!< a notify event is scheduled
    Callback<void> m_notify;                //!< socket wake-up
    Callback<void, Ptr<const Packet>> m_device; //!< device delivery
};

} // namespace ns3

#endif /* IPN_PORT_H */
