/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpWorkloadApp: one host's share of a datacenter workload.
 *
 * Each app sends messages whose sizes come from an MtpMessageSizeDistribution,
 * with Poisson arrivals (exponential gaps), each to a host drawn uniformly
 * from the destination list (SetDestinations; the app's own host excluded),
 * and receives the messages other apps send to it.  Rate: the app offers
 * Load x HostRate on its NIC: arrivals per second =
 * Load x HostRate / (8 x E[bytes on the wire per message]), where bytes on
 * the wire are the message plus PacketOverhead per packet of PacketPayload
 * bytes (MTP's DATA + IPv4 + PPP headers for MTU 1500: 78 per 1424); with
 * CountHeaders=false the headers are left out (application-byte load).
 *
 * Protocols (Attribute Protocol):
 *   - Mtp: one MtpSocket per app, bound to Port; each message is a one-way
 *     message (SendTo); received messages are taken with RecvMessage in the
 *     socket's receive callback.
 *   - Tcp: one TCP connection per message (open, send, close once
 *     connected, like BulkSend); a listening socket on Port accepts; the message is complete
 *     when the receiving app has read all its bytes.  The TCP variant is the
 *     node's ns3::TcpL4Protocol::SocketType (NewReno, DCTCP...).
 * Messages are matched through the shared MtpMessageRecorder (Attribute
 * Recorder): see mtp-message-recorder.h.
 *
 * Timing: generation starts at the app's StartTime and stops at its
 * StopTime; the sockets keep receiving after StopTime so the network can
 * drain.  Warm-up is the recorder's: messages started before it are sent but
 * not recorded.
 */

#ifndef MTP_WORKLOAD_APP_H
#define MTP_WORKLOAD_APP_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/random-variable-stream.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class MtpMessageRecorder;
class MtpMessageSizeDistribution;
class MtpSocket;
class Socket;

/**
 * \ingroup mtp-fabric
 * \brief Poisson message workload over MTP or TCP (see file comment).
 */
class MtpWorkloadApp : public Application
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    /// Transport under test.
    enum Protocol
    {
        MTP, //!< MtpSocket one-way messages
        TCP  //!< one TCP connection per message
    };

    MtpWorkloadApp();
    ~MtpWorkloadApp() override;

    /**
     * \brief Who this host is and where it may send.
     * \param self this host's index
     * \param hosts address of every host, by index (self included; it is
     *        never chosen as a destination)
     */
    void SetDestinations(uint32_t self, const std::vector<Ipv4Address>& hosts);

    /** \return messages this app started (measured or not) */
    uint64_t GetMessagesSent() const;
    /** \return messages this app received whole */
    uint64_t GetMessagesReceived() const;
    /** \return sends the transport refused at once */
    uint64_t GetSendErrors() const;
    /** \return TCP: connections of this app not yet closed (0 for MTP) */
    uint64_t GetOpenConnections() const;

    /**
     * \brief Fix the random streams (gaps, sizes, destinations).
     * \param stream first stream index
     * \return streams used (3)
     */
    int64_t AssignStreams(int64_t stream);

    /** \return the mean gap between this app's messages */
    Time GetMeanInterval() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** Compute the arrival rate from load and distribution. */
    void ComputeRate();
    /** Schedule the next message. */
    void ScheduleNext();
    /** Send one message now. */
    void SendMessage();
    /** MTP: send one message. */
    void SendMtp(uint32_t dst, uint32_t size);
    /** TCP: open a connection and send one message. */
    void SendTcp(uint32_t dst, uint32_t size);
    /** MTP: the socket has messages. */
    void HandleMtpRecv(Ptr<Socket> socket);
    /** MTP: a message began on this node (captures our RPC ids). */
    void HandleMessageBegin(uint64_t id, const Address& peer, uint32_t length, bool isRequest);
    /** TCP: accept every connection. */
    bool HandleTcpRequest(Ptr<Socket> socket, const Address& from);
    /** TCP: our connection is established: close it after the data. */
    void HandleTcpConnected(Ptr<Socket> socket);
    /** TCP: a connection was accepted. */
    void HandleTcpAccept(Ptr<Socket> socket, const Address& from);
    /** TCP: bytes arrived on an accepted connection. */
    void HandleTcpRead(Ptr<Socket> socket);
    /** TCP: a connection ended (either side). */
    void HandleTcpClose(Ptr<Socket> socket);
    /** TCP: forget a closed connection (outside the socket's own call stack). */
    void ReleaseTcpSocket(Ptr<Socket> socket);

    // Attributes.
    Ptr<MtpMessageSizeDistribution> m_dist; //!< message sizes
    Ptr<MtpMessageRecorder> m_recorder;     //!< shared records
    double m_load;                          //!< fraction of HostRate offered
    DataRate m_hostRate;                    //!< NIC rate
    std::string m_protocolName;             //!< transport, as the attribute says
    Protocol m_protocol;                    //!< transport, parsed at start
    uint16_t m_port;                        //!< MTP server port / TCP listen port
    bool m_countHeaders;                    //!< load counts per-packet headers
    uint32_t m_packetPayload;               //!< payload bytes per packet (for the rate)
    uint32_t m_packetOverhead;              //!< header bytes per packet (for the rate)

    // State.
    uint32_t m_self = 0;                  //!< our host index
    std::vector<Ipv4Address> m_hosts;     //!< every host
    Ipv4Address m_selfAddr;               //!< our address
    double m_rate = 0;                    //!< messages per second
    Ptr<ExponentialRandomVariable> m_gap; //!< inter-arrival gaps (seconds)
    Ptr<UniformRandomVariable> m_sizeU;   //!< size quantiles
    Ptr<UniformRandomVariable> m_dstU;    //!< destinations
    EventId m_next;                       //!< next message
    bool m_generating = false;            //!< between start and stop
    Ptr<MtpSocket> m_mtpSocket;           //!< MTP: our socket
    bool m_capturing = false;             //!< MTP: inside SendTo
    uint64_t m_capturedId = 0;            //!< MTP: id of the message SendTo started
    Ptr<Socket> m_tcpListener;            //!< TCP: listening socket
    /// TCP: per accepted connection: (key, bytes read).
    std::map<Ptr<Socket>, std::pair<std::pair<uint32_t, uint16_t>, uint64_t>> m_tcpRx;
    std::map<Ptr<Socket>, bool> m_tcpTx; //!< TCP: sending connections still open
    uint64_t m_sent = 0;                 //!< messages started
    uint64_t m_received = 0;             //!< messages received
    uint64_t m_sendErrors = 0;           //!< refused sends
};

} // namespace ns3

#endif /* MTP_WORKLOAD_APP_H */
