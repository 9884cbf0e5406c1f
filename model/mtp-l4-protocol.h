/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpL4Protocol: MTP's protocol engine on one node, an ns-3 IpL4Protocol.
 *
 * Design notes
 * ------------
 * This object is to MTP what homa_plumbing.c, homa_incoming.c,
 * homa_outgoing.c and homa_timer.c together are to Linux Homa:
 *  - plumbing: registers with Ipv4L3Protocol / Ipv6L3Protocol under protocol
 *    number 146 (an Attribute), owns the port space (default ports >= 0x8000
 *    handed to every socket, server ports < 0x8000 taken by Bind), sends
 *    through IP with the priority in the DSCP / traffic class, and fills the
 *    checksum as Homa does when checksums are on (ns-3's ChecksumEnabled, or
 *    the ForceChecksum Attribute that emulation sets), checking it on receive;
 *  - incoming: validates every packet (a malformed one is dropped and counted
 *    per reason, never trusted), finds the socket and RPC, and handles each
 *    packet type;
 *  - outgoing: segments messages to the path MTU, sends unscheduled bytes at
 *    the priority the receiver's cutoffs give, paces scheduled data through
 *    MtpPacer (SRPT, NIC queue at most MaxNicQueue) and grants inbound data
 *    through MtpGrantScheduler (SRPT, overcommitment);
 *  - timer: one tick per node (TickInterval) that runs only while the node
 *    has live RPCs, counting silent ticks per RPC and sending RESEND /
 *    NEED_ACK, aborting with ETIMEDOUT after TimeoutResends unanswered ones.
 *
 * ICMP: port unreachable aborts the RPCs to that (host, port) with ENOTCONN;
 * protocol unreachable aborts the RPCs to that host with EPROTONOSUPPORT;
 * host / net unreachable abort every RPC to the host with EHOSTUNREACH.  A
 * packet for a port no socket holds makes IP send ICMP port unreachable.
 *
 * Ids: client RPC ids are even and unique on the node; the server knows an
 * RPC as id | 1 and keys it by (client address, id), so acks need no port.
 *
 * Determinism: every table is ordered (std::map) and the tick walks sockets
 * and RPCs in key order, so a run is a function of its seed and arguments.
 */

#ifndef MTP_L4_PROTOCOL_H
#define MTP_L4_PROTOCOL_H

#include "mtp-error.h"
#include "mtp-grant-scheduler.h"
#include "mtp-header.h"
#include "mtp-metrics.h"
#include "mtp-pacer.h"
#include "mtp-peer.h"
#include "mtp-rpc.h"

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/ip-l4-protocol.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <array>
#include <map>
#include <vector>

namespace ns3
{

class MtpHostModel;
class MtpSocket;
class Socket;
class Ipv4Interface;
class Ipv6Interface;

/**
 * \ingroup mtp
 * \brief The MTP transport on one node: an IpL4Protocol for IPv4 and IPv6.
 */
class MtpL4Protocol : public IpL4Protocol
{
  public:
    /** \return the TypeId, with every tunable as an Attribute */
    static TypeId GetTypeId();

    /// Homa's IANA protocol number, the default of the ProtocolNumber Attribute.
    static constexpr uint8_t DEFAULT_PROT_NUMBER = 146;
    /// First default (client) port; ports below are server ports.
    static constexpr uint16_t FIRST_DEFAULT_PORT = 0x8000;
    /// Homa's maximum message length.
    static constexpr uint32_t MAX_MESSAGE_LENGTH = 1000000;

    MtpL4Protocol();
    ~MtpL4Protocol() override;

    /** \param node the node this protocol runs on */
    void SetNode(Ptr<Node> node);
    /** \return the node */
    Ptr<Node> GetNode() const;

    /**
     * \brief Create an MtpSocket with a fresh default port.
     * \return the socket
     */
    Ptr<Socket> CreateSocket();

    // IpL4Protocol
    int GetProtocolNumber() const override;
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv4Header& header,
                     Ptr<Ipv4Interface> incomingInterface) override;
    RxStatus Receive(Ptr<Packet> p,
                     const Ipv6Header& header,
                     Ptr<Ipv6Interface> incomingInterface) override;
    void ReceiveIcmp(Ipv4Address icmpSource,
                     uint8_t icmpTtl,
                     uint8_t icmpType,
                     uint8_t icmpCode,
                     uint32_t icmpInfo,
                     Ipv4Address payloadSource,
                     Ipv4Address payloadDestination,
                     const uint8_t payload[8]) override;
    void ReceiveIcmp(Ipv6Address icmpSource,
                     uint8_t icmpTtl,
                     uint8_t icmpType,
                     uint8_t icmpCode,
                     uint32_t icmpInfo,
                     Ipv6Address payloadSource,
                     Ipv6Address payloadDestination,
                     const uint8_t payload[8]) override;
    void SetDownTarget(IpL4Protocol::DownTargetCallback cb) override;
    void SetDownTarget6(IpL4Protocol::DownTargetCallback6 cb) override;
    IpL4Protocol::DownTargetCallback GetDownTarget() const override;
    IpL4Protocol::DownTargetCallback6 GetDownTarget6() const override;

    /** \return the node's counters */
    const MtpMetrics& GetMetrics() const;

    /**
     * \brief Whether MTP checksums are on: computed in every packet sent and checked in
     *        every packet received (a wrong one is dropped as BAD_CHECKSUM).
     * \return the ForceChecksum Attribute, or else ns-3's GlobalValue ChecksumEnabled
     */
    bool IsChecksumEnabled() const;

    /**
     * \brief Print the counters as /proc/net/homa_metrics does.
     * \param os the stream
     */
    void PrintMetrics(std::ostream& os) const;

    /** \return the largest message a socket may send */
    uint32_t GetMaxMessageLength() const;

    /** \return the number of RPCs alive on the node (the tick runs while > 0) */
    uint32_t GetLiveRpcCount() const;

    /** \return the grant scheduler (read-only, for tests and traces) */
    const MtpGrantScheduler& GetGrantScheduler() const;

    /**
     * \brief Use a host model (NIC, GRO, softirq and application cores):
     *        received packets, deliveries and transmissions go through it.
     *        Called by MtpHostModel when it is aggregated to the node.
     * \param model the model (null: ideal host, the default)
     */
    void SetHostModel(Ptr<MtpHostModel> model);
    /** \return the node's host model, or null for an ideal host */
    Ptr<MtpHostModel> GetHostModel() const;

    /**
     * \param now the current time
     * \return transmit time queued in the NIC by the pacer's estimate
     */
    Time GetNicQueueTime(Time now) const;

    /**
     * \brief Unscheduled-priority cutoffs this node advertises (index =
     *        priority, value = longest message allowed at it).
     * \return the cutoffs
     */
    const std::array<uint32_t, MtpHeader::MAX_PRIORITIES>& GetCutoffs() const;

    /** \return number of priority levels in use */
    uint8_t GetNumPriorities() const;

    // ---- Used by MtpSocket (not by applications) ----

    /**
     * \brief Give a socket its default port (>= 0x8000).
     * \param socket the socket
     * \return the port, or 0 if every default port is taken
     */
    uint16_t AllocateDefaultPort(MtpSocket* socket);

    /**
     * \brief Make `port` a server port of `socket`.
     * \param socket the socket
     * \param port a port below 0x8000 (0 is EINVAL)
     * \return OK, EINVAL or EADDRINUSE
     */
    MtpError BindServerPort(MtpSocket* socket, uint16_t port);

    /** \param socket a socket being closed: release its ports and forget it */
    void ReleaseSocket(MtpSocket* socket);

    /** \return a fresh client RPC id (even, unique on the node) */
    uint64_t NextClientId();

    /**
     * \param addr a peer address
     * \return its MtpPeer, created on first use
     */
    Ptr<MtpPeer> GetPeer(const MtpAddress& addr);

    /**
     * \brief Start sending the RPC's outbound message (request or response):
     *        finds the route, segments to its MTU, picks the unscheduled
     *        priority, transmits what may go now.
     * \param rpc the RPC (already in its socket's table)
     * \param message the message bytes
     * \return OK, or EHOSTUNREACH if there is no route
     */
    MtpError StartMessage(Ptr<MtpRpc> rpc, Ptr<const Packet> message);

    /**
     * \brief An RPC entered a socket's tables: count it, start the tick.
     * \param rpc the RPC
     */
    void RpcAdded(Ptr<MtpRpc> rpc);

    /**
     * \brief An RPC left a socket's tables: unlink it from the scheduler and
     *        pacer, mark it DEAD.
     * \param rpc the RPC
     */
    void RpcRemoved(Ptr<MtpRpc> rpc);

    /**
     * TracedCallback signature for packet events.
     * \param packet the MTP packet (header included)
     * \param peer the other host
     * \param priority the priority it was sent or received at (0..7)
     */
    typedef void (*PacketTracedCallback)(Ptr<const Packet> packet,
                                         const Address& peer,
                                         uint8_t priority);
    /**
     * TracedCallback signature for drops.
     * \param packet the packet as received
     * \param reason why it was dropped
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, MtpDropReason reason);
    /**
     * TracedCallback signature for message begin/end.
     * \param id this host's RPC id
     * \param peer the other host and port
     * \param length message length
     * \param isRequest true for a request (or one-way message)
     */
    typedef void (*MessageTracedCallback)(uint64_t id,
                                          const Address& peer,
                                          uint32_t length,
                                          bool isRequest);
    /**
     * TracedCallback signature for grants and resends.
     * \param id this host's RPC id
     * \param offset granted offset, or first byte asked for
     * \param length 0 for grants; bytes asked for by a resend
     * \param priority priority in the packet
     */
    typedef void (*RangeTracedCallback)(uint64_t id,
                                        uint32_t offset,
                                        uint32_t length,
                                        uint8_t priority);
    /**
     * TracedCallback signature for aborts.
     * \param id this host's RPC id
     * \param error why
     */
    typedef void (*AbortTracedCallback)(uint64_t id, MtpError error);

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    friend class MtpSocket;

    /// Where a received packet came from.
    struct RxContext
    {
        MtpAddress src;         //!< source host
        MtpAddress dst;         //!< destination (local) address
        uint8_t priority;       //!< priority read from the IP header
        MtpPseudoHeader pseudo; //!< checksum pseudo-header of the packet's path
    };

    /** Common receive path of both IP versions. */
    RxStatus ReceiveCommon(Ptr<Packet> p, const RxContext& ctx);
    /**
     * Check the checksum (if on), then ReceiveCommon now (ideal host) or later as the
     * host model decides.
     */
    RxStatus ReceiveViaHost(Ptr<Packet> p, const RxContext& ctx);
    /** Count and trace a drop. */
    void Drop(Ptr<const Packet> p, MtpDropReason reason);

    // Per packet type (homa_incoming.c).
    void HandleData(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleGrant(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleResend(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleUnknown(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleBusy(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleCutoffs(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleFreeze(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleNeedAck(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    void HandleAck(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket);
    /** Free the server RPC that an ack names. */
    void ProcessAck(const MtpAddress& client, const MtpAck& ack);
    /** Find the RPC a control packet names (nullptr if unknown). */
    Ptr<MtpRpc> LookupRpc(MtpSocket* socket, const MtpAddress& src, uint64_t senderId) const;
    /** A message finished arriving: deliver or complete. */
    void MessageComplete(Ptr<MtpRpc> rpc);
    /** Recompute grants and send the GRANT packets. */
    void RunGrants();
    /** Send CUTOFFS to a peer whose copy is stale (at most once per tick). */
    void MaybeSendCutoffs(Ptr<MtpPeer> peer, uint16_t sport, uint16_t dport, uint64_t senderId);

    // Transmission (homa_outgoing.c).
    /** Send what the RPC may send now (directly or through the pacer). */
    void XmitData(Ptr<MtpRpc> rpc);
    /** Pacer loop: send paced packets while the NIC queue allows. */
    void PacerRun();
    /** Send one DATA packet of the RPC's outbound message. */
    void SendDataSegment(Ptr<MtpRpc> rpc, const MtpSegment& seg, bool retransmit, int priority);
    /** Send a control packet for an RPC. */
    void SendControl(Ptr<MtpRpc> rpc, MtpHeader& header);
    /** Send a control packet to an explicit destination. */
    void SendControlTo(const MtpAddress& dst,
                       uint16_t sport,
                       uint16_t dport,
                       uint64_t senderId,
                       MtpHeader& header);
    /**
     * Put the header (with the checksum, if on) in front of the payload and hand the
     * packet to IP.
     * \param p the payload (empty for control packets); the header is added to it
     * \param header the packet's header, of its type's class
     * \param peer the destination
     * \param priority the priority level
     * \return false if there is no route (nothing sent)
     */
    bool SendPacket(Ptr<Packet> p, MtpHeader& header, Ptr<MtpPeer> peer, uint8_t priority);
    /** \return the checksum pseudo-header for a packet from this host to the peer */
    MtpPseudoHeader PseudoHeaderTo(Ptr<MtpPeer> peer) const;
    /** Route lookup (cached in the peer). \return the output device's MTU, 0 if no route */
    uint32_t RouteMtu(Ptr<MtpPeer> peer);

    // Timer (homa_timer.c).
    /** Make sure a tick is scheduled while RPCs live. */
    void EnsureTick();
    /** The periodic tick. */
    void Tick();
    /** Tick work for one RPC. */
    void TickRpc(Ptr<MtpRpc> rpc);
    /**
     * Send a RESEND for the first missing range of the RPC's inbound message
     * (from offset 0 if none of it arrived yet).
     * \return false if nothing granted is missing (nothing sent)
     */
    bool RequestRetransmission(Ptr<MtpRpc> rpc);

    /**
     * End an RPC with an error: client RPCs report it to the application,
     * server RPCs are discarded.
     */
    void AbortRpc(Ptr<MtpRpc> rpc, MtpError error);
    /** Abort every RPC to a host (port 0 = any port) on every socket. */
    void AbortPeerRpcs(const MtpAddress& host, uint16_t port, MtpError error);
    /** ICMP error common to both families. */
    void HandleIcmpError(const MtpAddress& dst,
                         const uint8_t payload[8],
                         MtpError error,
                         bool portOnly);

    /** Attribute setter: parse the cutoff list. */
    void SetCutoffsString(std::string s);
    /** Attribute getter. */
    std::string GetCutoffsString() const;
    /** Push Attribute values into the scheduler and pacer. */
    void ApplyConfig();

    Ptr<Node> m_node;                                //!< our node
    IpL4Protocol::DownTargetCallback m_downTarget;   //!< IPv4 send
    IpL4Protocol::DownTargetCallback6 m_downTarget6; //!< IPv6 send

    // Attributes.
    uint8_t m_protocolNumber;    //!< IP protocol number
    bool m_forceChecksum;        //!< checksums on whatever ns-3's ChecksumEnabled says
    uint32_t m_unschedBytes;     //!< bytes sent before any grant (about one RTT)
    uint32_t m_window;           //!< grant window beyond received bytes
    uint32_t m_maxOvercommit;    //!< messages granted at once
    uint32_t m_maxIncoming;      //!< cap on granted-but-unreceived bytes
    uint32_t m_fifoFraction;     //!< per mille of grants to the oldest message
    uint32_t m_fifoIncrement;    //!< bytes per FIFO grant
    uint32_t m_resendTicks;      //!< silent ticks before the first RESEND
    uint32_t m_resendInterval;   //!< ticks between RESENDs
    uint32_t m_timeoutResends;   //!< unanswered RESENDs before ETIMEDOUT
    Time m_tickInterval;         //!< tick period
    Time m_maxNicQueue;          //!< pacer: most transmit time queued in the NIC
    uint32_t m_throttleMinBytes; //!< shorter messages bypass the pacer
    DataRate m_linkRate;         //!< NIC rate if the device has no DataRate attribute
    uint32_t m_linkHeaderBytes;  //!< per-packet link overhead for the pacer's estimate
    uint8_t m_numPriorities;     //!< priority levels in use (1..8)
    std::vector<uint32_t> m_unschedCutoffList; //!< cutoffs, highest priority first
    uint32_t m_maxMessageLength;               //!< largest message accepted

    // Derived configuration.
    std::array<uint32_t, MtpHeader::MAX_PRIORITIES> m_cutoffs{}; //!< by priority
    uint16_t m_cutoffVersion = 1;      //!< version of m_cutoffs (bumped on change)
    uint8_t m_maxSchedPriority = 0;    //!< highest scheduled priority
    bool m_linkRateFromDevice = false; //!< pacer rate read from the device yet

    // State.
    std::map<uint16_t, MtpSocket*> m_ports;     //!< port -> socket (default and server ports)
    std::vector<Ptr<MtpSocket>> m_sockets;      //!< open sockets, creation order; held until Close
    std::map<MtpAddress, Ptr<MtpPeer>> m_peers; //!< known peers
    uint16_t m_nextDefaultPort = FIRST_DEFAULT_PORT; //!< next default port to try
    uint64_t m_nextClientId = 2;                     //!< next client RPC id
    uint32_t m_liveRpcs = 0;                         //!< RPCs in socket tables
    EventId m_tickEvent;                             //!< pending tick
    EventId m_pacerEvent;                            //!< pending pacer wake-up
    MtpGrantScheduler m_grants;                      //!< receiver SRPT
    MtpPacer m_pacer;                                //!< sender SRPT + NIC estimate
    MtpMetrics m_metrics;                            //!< counters
    Ptr<MtpHostModel> m_hostModel;                   //!< optional CPU path model (null: ideal host)

    // Traces.
    TracedCallback<Ptr<const Packet>, const Address&, uint8_t> m_txTrace;     //!< packet sent
    TracedCallback<Ptr<const Packet>, const Address&, uint8_t> m_rxTrace;     //!< packet received
    TracedCallback<Ptr<const Packet>, MtpDropReason> m_dropTrace;             //!< packet dropped
    TracedCallback<uint64_t, const Address&, uint32_t, bool> m_msgBeginTrace; //!< message begins
    TracedCallback<uint64_t, const Address&, uint32_t, bool> m_msgEndTrace;   //!< message complete
    TracedCallback<uint64_t, uint32_t, uint32_t, uint8_t> m_grantTrace;       //!< grant sent
    TracedCallback<uint64_t, uint32_t, uint32_t, uint8_t> m_resendTrace;      //!< resend sent
    TracedCallback<uint64_t, MtpError> m_abortTrace;                          //!< RPC aborted
    TracedValue<Time> m_nicQueue; //!< pacer's NIC queue estimate after each transmit
};

} // namespace ns3

#endif /* MTP_L4_PROTOCOL_H */
