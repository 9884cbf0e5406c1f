/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpL4Protocol: MTP's protocol engine on one node, an ns-3 IpL4Protocol.
 *
 * Design notes
 * ------------
 * This object is MTP's plumbing on one node (Linux Homa's homa_plumbing.c),
 * and the registry of transport stacks (FreeBSD's tcp_functions):
 *  - plumbing: registers with Ipv4L3Protocol / Ipv6L3Protocol under protocol
 *    number 146 (an Attribute), owns the port space (default ports >= 0x8000
 *    handed to every socket, server ports < 0x8000 taken by Bind), sends
 *    through IP with the priority in the DSCP / traffic class, fills the
 *    checksum as Homa does when checksums are on (ns-3's ChecksumEnabled, or
 *    the ForceChecksum Attribute that emulation sets) and checks it on
 *    receive, and keeps the NIC-queue pacer shared by the stacks that pace;
 *  - receive: validates every packet's common header (a malformed one is
 *    dropped and counted per reason, never trusted), finds the socket by
 *    destination port and hands the packet to the socket's stack;
 *  - stacks: engines (MtpStack) register by name; "homa" (MtpHomaStack,
 *    the default) runs Homa's incoming, outgoing and timer logic.  Each
 *    socket names its stack; DefaultStack names the one new sockets get.
 *    Homa's tunables stay Attributes of this object, node-wide like sysctls.
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
 *
 * Files: mtp-l4-protocol.cc (life on a node, ports, ids, peers, sending),
 * mtp-l4-protocol-config.cc (Attributes, TraceSources, derived
 * configuration), mtp-l4-protocol-rx.cc (receive demux, acks, ICMP); the
 * stack registry is an MtpStackRegistry (mtp-stack-registry.h).
 */

#ifndef MTP_L4_PROTOCOL_H
#define MTP_L4_PROTOCOL_H

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/ip-l4-protocol.h"
#include "ns3/mtp-error.h"
#include "ns3/mtp-grant-scheduler.h"
#include "ns3/mtp-header.h"
#include "ns3/mtp-metrics.h"
#include "ns3/mtp-pacer.h"
#include "ns3/mtp-peer.h"
#include "ns3/mtp-rpc.h"
#include "ns3/mtp-stack-registry.h"
#include "ns3/mtp-stack.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <array>
#include <map>
#include <unordered_map>
#include <vector>

namespace ns3
{

class MtpHostPath;
class MtpSocket;
class Socket;
class Ipv4Interface;
class Ipv6Interface;

/**
 * \ingroup mtp-transport
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
    /// Longest stack name (FreeBSD's TCP_FUNCTION_NAME_LEN_MAX).
    static constexpr std::size_t MAX_STACK_NAME = MtpStackRegistry::MAX_NAME;
    /// Homa's maximum message length (MaxMessageLength's default).
    static constexpr uint32_t MAX_MESSAGE_LENGTH = 1000000;
    /// The most a simulation may raise MaxMessageLength to: 2^30 bytes.  The
    /// wire format's offsets and lengths are 32 bits (as Homa's); the
    /// headroom keeps offset + length arithmetic in range.
    static constexpr uint32_t MAX_MESSAGE_LENGTH_LIMIT = 1U << 30;

    /// How this node's one-way messages (Socket::SendTo) are answered (OneWayAnswer).
    enum OneWayAnswer
    {
        /// The receiver answers with an empty response (Linux-compatible default).
        ONE_WAY_RESPONSE,
        /// The receiver sends no response; it acks the message (DATA flag FLAG_ACK_ONLY).
        ONE_WAY_ACK
    };

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
     * \brief Use another host path (NIC, GRO, softirq and application cores).
     *        Aggregating an MtpHostPath to the node does the same.
     * \param path the path (MtpIdealHostPath, the default, is a zero-cost host)
     */
    void SetHostPath(Ptr<MtpHostPath> path);
    /** \return the node's host path (never null) */
    Ptr<MtpHostPath> GetHostPath() const;

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

    // ---- Stack registry (FreeBSD tcp_functions) ----

    /**
     * \brief Register a stack on this node (register_tcp_functions).
     * \param stack a stack object not yet bound to a node (Fork() one to
     *        register the same configuration on several nodes)
     * \return OK; INVAL for a null stack, one already bound, or a name that
     *         is empty, longer than 32 characters or not [a-z0-9_-];
     *         ALREADY when the name is taken
     */
    MtpError RegisterStack(Ptr<MtpStack> stack);

    /**
     * \brief Remove a stack (deregister_tcp_functions).  A stack that sockets
     *        still use is marked as being removed (no socket may select it
     *        any more) and EBUSY is returned; call again once they left it.
     * \param name the stack's name
     * \return OK; NOENT when unknown; PERM for "homa" and for the stack
     *         DefaultStack names; BUSY while a socket uses it
     */
    MtpError DeregisterStack(const std::string& name);

    /** \return the names of the stacks sockets may select, in registration order */
    std::vector<std::string> GetStackNames() const;

    /**
     * \param name a stack's name
     * \return the stack, or null when unknown or being removed
     */
    Ptr<MtpStack> GetStack(const std::string& name) const;

    /** \return the stack new sockets get (the DefaultStack Attribute) */
    Ptr<MtpStack> GetDefaultStack() const;

    // ---- Used by MtpSocket and the stacks (not by applications) ----

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

    /**
     * \param port a port
     * \return the socket holding it (default or server port), or nullptr
     */
    MtpSocket* FindSocket(uint16_t port) const;

    /** \return the open sockets, in creation order */
    const std::vector<Ptr<MtpSocket>>& GetSockets() const;

    /** \return a fresh client RPC id (even, unique on the node) */
    uint64_t NextClientId();

    /**
     * \param addr a peer address
     * \return its MtpPeer, created on first use
     */
    Ptr<MtpPeer> GetPeer(const MtpAddress& addr);

    /** \return the node's counters, for the stacks to count in */
    MtpMetrics& Metrics();

    /**
     * \brief Count and trace a dropped packet.
     * \param p the packet as received
     * \param reason why
     */
    void Drop(Ptr<const Packet> p, MtpDropReason reason);

    /**
     * \brief Look the route to `peer` up (cached in the peer) and learn the
     *        NIC's rate from its device the first time.
     * \param peer the destination
     * \return the most payload bytes one DATA packet can carry on the route,
     *         or 0 (counted as a route failure) when there is no route
     */
    uint32_t SegmentSize(Ptr<MtpPeer> peer);

    /**
     * \brief Put the header (with the checksum, if on) in front of the payload
     *        and hand the packet to IP through the host path, at `priority`
     *        in the DSCP / traffic class.
     * \param p the payload (empty for control packets); the header is added to it
     * \param header the packet's header, of its type's class
     * \param peer the destination
     * \param priority 0..NumPriorities-1 (clamped)
     * \return false if there is no route (nothing sent)
     */
    bool SendPacket(Ptr<Packet> p, MtpHeader& header, Ptr<MtpPeer> peer, uint8_t priority);

    /**
     * \brief Send a control packet at the top priority, as Homa does.
     * \param dst the destination host
     * \param sport source port
     * \param dport destination port
     * \param senderId the RPC id as this host knows it
     * \param header the packet's header (ports and id are filled in)
     */
    void SendControlTo(const MtpAddress& dst,
                       uint16_t sport,
                       uint16_t dport,
                       uint64_t senderId,
                       MtpHeader& header);

    /**
     * \brief SendControlTo for a peer in hand (an RPC's): the same packet,
     *        without looking the peer up by address again.
     * \param peer the destination host
     * \param sport source port
     * \param dport destination port
     * \param senderId the RPC id as this host knows it
     * \param header the packet's header (ports and id are filled in)
     */
    void SendControlTo(Ptr<MtpPeer> peer,
                       uint16_t sport,
                       uint16_t dport,
                       uint64_t senderId,
                       MtpHeader& header);

    /** \return the NIC's pacer (SRPT queue of throttled messages, NIC-queue estimate) */
    MtpPacer& GetPacer();

    /**
     * \brief Queue the RPC's outbound message in the pacer (or update its
     *        place) and send what the NIC queue allows; its stack's
     *        SendDataSegment sends each released segment.
     * \param rpc an RPC with an outbound message
     */
    void Pace(Ptr<MtpRpc> rpc);

    /**
     * \brief An ack from `from`.  An even id is Homa's: the client `from`
     *        names a server RPC of ours (ack.serverPort is our port), and its
     *        stack frees it if done.  An odd id is a one-way ack (OneWayAnswer
     *        =Ack, roles reversed): the receiver `from` names its own id for our
     *        client RPC id ^ 1, and ack.serverPort is our client port.
     * \param from the host the ack came from
     * \param ack the id and the port
     */
    void ProcessAck(const MtpAddress& from, const MtpAck& ack);

    /** \return Homa's unscheduled bytes (UnschedBytes) */
    uint32_t GetUnschedBytes() const;
    /** \return the grant scheduler's configuration from the Attributes */
    MtpGrantScheduler::Config GetGrantConfig() const;
    /** \return silent ticks before the first RESEND (ResendTicks) */
    uint32_t GetResendTicks() const;
    /** \return ticks between RESENDs (ResendInterval) */
    uint32_t GetResendInterval() const;
    /** \return unanswered RESENDs before ETIMEDOUT (TimeoutResends) */
    uint32_t GetTimeoutResends() const;
    /** \return the timer period (TickInterval) */
    Time GetTickInterval() const;
    /** \return the highest scheduled priority */
    uint8_t GetMaxSchedPriority() const;
    /** \return the version of this node's cutoffs */
    uint16_t GetCutoffVersion() const;
    /** \return how this node's one-way messages ask to be answered (OneWayAnswer) */
    OneWayAnswer GetOneWayAnswer() const;
    /**
     * \return how long a completed one-way id is kept (OneWayLinger, or when
     *         that is 0: (ResendTicks + (TimeoutResends + 1) x ResendInterval)
     *         ticks, one ResendInterval past the moment a sender with this
     *         node's settings gives up asking)
     */
    Time GetOneWayLinger() const;

    // Trace firing for the stacks (the trace sources are this object's).
    /** \brief Fire MessageBegin. \param id RPC id \param peer other end
     *  \param length message length \param isRequest request or one-way */
    void NotifyMessageBegin(uint64_t id, const Address& peer, uint32_t length, bool isRequest);
    /** \brief Fire MessageEnd. \param id RPC id \param peer other end
     *  \param length message length \param isRequest request or one-way */
    void NotifyMessageEnd(uint64_t id, const Address& peer, uint32_t length, bool isRequest);
    /** \brief Fire Grant. \param id RPC id \param offset granted offset
     *  \param length 0 \param priority granted priority */
    void NotifyGrant(uint64_t id, uint32_t offset, uint32_t length, uint8_t priority);
    /** \brief Fire Resend. \param id RPC id \param offset first byte asked for
     *  \param length bytes asked for \param priority priority asked for */
    void NotifyResend(uint64_t id, uint32_t offset, uint32_t length, uint8_t priority);
    /** \brief Fire Abort. \param id RPC id \param error why */
    void NotifyAbort(uint64_t id, MtpError error);

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
    /** Both IP versions: validate the common header, refuse unbound ports, pass the packet
     *  through the host path to ReceiveCommon. */
    RxStatus ReceiveViaHost(Ptr<Packet> p, const MtpRxContext& ctx);
    /**
     * \brief After the host path: find the socket (again) and hand the packet to its stack.
     * \param p the packet, MTP header first
     * \param ctx its addresses, priority and checksum pseudo-header
     * \param sport its source port
     * \param dport its destination port
     */
    void ReceiveCommon(Ptr<Packet> p, const MtpRxContext& ctx, uint16_t sport, uint16_t dport);
    /** \return the checksum pseudo-header for a packet from this host to the peer */
    MtpPseudoHeader PseudoHeaderTo(Ptr<MtpPeer> peer) const;
    /** Route lookup (cached in the peer). \return the output device's MTU, 0 if no route */
    uint32_t RouteMtu(Ptr<MtpPeer> peer);
    /** Pacer loop: send paced packets while the NIC queue allows. */
    void PacerRun();
    /** Abort every RPC to a host (port 0 = any port) on every socket. */
    void AbortPeerRpcs(const MtpAddress& host, uint16_t port, MtpError error);
    /** ICMP error common to both families. */
    void HandleIcmpError(const MtpAddress& dst,
                         const uint8_t payload[8],
                         MtpError error,
                         bool portOnly);
    /** Register the stacks that ship with MTP (homa). */
    void RegisterBuiltinStacks();

    /** Attribute setter: parse the cutoff list. */
    void SetCutoffsString(std::string s);
    /** Attribute getter. */
    std::string GetCutoffsString() const;
    /** Recompute the cutoffs and the pacer's configuration from the Attributes. */
    void ApplyConfig();
    /** An Attribute the stacks or the pacer use changed: apply it now (after
     *  the node is set; before, NotifyNewAggregate applies everything). */
    void ConfigChanged();

    /**
     * Attribute setter of a tunable that applies when changed at any time:
     * store the value, then ConfigChanged().
     * \tparam T the member's type
     * \tparam Field the member
     * \param value the new value
     */
    template <typename T, T MtpL4Protocol::*Field>
    void SetLive(T value)
    {
        this->*Field = value;
        ConfigChanged();
    }

    /**
     * Attribute getter paired with SetLive.
     * \tparam T the member's type
     * \tparam Field the member
     * \return the value
     */
    template <typename T, T MtpL4Protocol::*Field>
    T GetLive() const
    {
        return this->*Field;
    }

    Ptr<Node> m_node;                              //!< our node
    IpL4Protocol::DownTargetCallback m_downTarget; //!< IPv4 send
    /// m_downTarget is the node's Ipv4::Send that NotifyNewAggregate chose
    /// (an MtpFabricHost aggregated later may take its place).
    bool m_downTargetIsIpv4 = false;
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
    std::unordered_map<uint16_t, MtpSocket*> m_ports; //!< port -> socket (default and server ports)
    std::vector<Ptr<MtpSocket>> m_sockets; //!< open sockets, creation order; held until Close
    /// Known peers (looked up for every packet; never iterated, so the
    /// order of an unordered map cannot reach the results).
    std::unordered_map<MtpAddress, Ptr<MtpPeer>, MtpAddressHash> m_peers;
    uint16_t m_nextDefaultPort = FIRST_DEFAULT_PORT; //!< next default port to try
    uint64_t m_nextClientId = 2;                     //!< next client RPC id
    EventId m_pacerEvent;                            //!< pending pacer wake-up
    MtpPacer m_pacer;                                //!< sender SRPT + NIC estimate
    MtpStackRegistry m_stacks;                       //!< registered stacks and pending removals
    std::string m_defaultStack;                      //!< DefaultStack Attribute
    OneWayAnswer m_oneWayAnswer = ONE_WAY_RESPONSE;  //!< OneWayAnswer Attribute
    Time m_oneWayLinger;                             //!< OneWayLinger Attribute (0: derived)
    MtpMetrics m_metrics;                            //!< counters
    Ptr<MtpHostPath> m_hostPath;                     //!< CPU path (ideal host by default)

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
