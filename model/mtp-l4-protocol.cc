/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "mtp-l4-protocol.h"

#include "mtp-host-model.h"
#include "mtp-socket-factory.h"
#include "mtp-socket.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6-routing-protocol.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpL4Protocol");

NS_OBJECT_ENSURE_REGISTERED(MtpL4Protocol);

namespace
{

// ICMP codes by number: the enumerators' spelling differs between ns-3 releases.
constexpr uint8_t ICMPV4_DEST_UNREACH = 3;
constexpr uint8_t ICMPV4_NET_UNREACH = 0;
constexpr uint8_t ICMPV4_HOST_UNREACH = 1;
constexpr uint8_t ICMPV4_PROTO_UNREACH = 2;
constexpr uint8_t ICMPV4_PORT_UNREACH = 3;
constexpr uint8_t ICMPV6_DEST_UNREACH = 1;
constexpr uint8_t ICMPV6_NO_ROUTE = 0;
constexpr uint8_t ICMPV6_ADDR_UNREACH = 3;
constexpr uint8_t ICMPV6_PORT_UNREACH = 4;
constexpr uint8_t ICMPV6_PARAM_PROBLEM = 4;
constexpr uint8_t ICMPV6_UNKNOWN_NEXT_HEADER = 1;

/** The RPC an intrusive entry belongs to (the cookie holds its address). */
template <class E>
Ptr<MtpRpc>
RpcOf(const E* e)
{
    return Ptr<MtpRpc>(reinterpret_cast<MtpRpc*>(static_cast<uintptr_t>(e->cookie)));
}

/** The DSCP byte for an MTP priority: class selector CS<prio>. */
uint8_t
TosForPriority(uint8_t prio)
{
    return static_cast<uint8_t>(prio << 5);
}

} // namespace

TypeId
MtpL4Protocol::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpL4Protocol")
            .SetParent<IpL4Protocol>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpL4Protocol>()
            .AddAttribute("IpProtocolNumber",
                          "IP protocol number of MTP packets (146 is Homa's IANA number; the "
                          "inherited read-only ProtocolNumber reports it). "
                          "Set before the protocol is aggregated to a node.",
                          UintegerValue(DEFAULT_PROT_NUMBER),
                          MakeUintegerAccessor(&MtpL4Protocol::m_protocolNumber),
                          MakeUintegerChecker<uint8_t>(1, 254))
            .AddAttribute("ForceChecksum",
                          "Compute the checksum in every packet sent and drop received "
                          "packets whose checksum is wrong (counted as bad_checksum), even when "
                          "ns-3's GlobalValue ChecksumEnabled is false.  When false, checksums "
                          "follow ChecksumEnabled.  Emulation sets it: real hosts see MTP's "
                          "packets.  The checksum is Homa's: over a TCP pseudo-header "
                          "(protocol byte 6), the MTP header and the payload.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&MtpL4Protocol::m_forceChecksum),
                          MakeBooleanChecker())
            .AddAttribute("UnschedBytes",
                          "Bytes of a message sent before any grant: about one RTT of bytes "
                          "(Homa's unsched_bytes / rtt_bytes).",
                          UintegerValue(10000),
                          MakeUintegerAccessor(&MtpL4Protocol::m_unschedBytes),
                          MakeUintegerChecker<uint32_t>(1, MAX_MESSAGE_LENGTH))
            .AddAttribute("Window",
                          "Grant window: a receiver grants up to this many bytes beyond what "
                          "it has received of a message (Homa's window).",
                          UintegerValue(10000),
                          MakeUintegerAccessor(&MtpL4Protocol::m_window),
                          MakeUintegerChecker<uint32_t>(1, MAX_MESSAGE_LENGTH))
            .AddAttribute("MaxOvercommit",
                          "Inbound messages that may hold outstanding grants at once "
                          "(Homa's max_overcommit).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&MtpL4Protocol::m_maxOvercommit),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("MaxIncoming",
                          "Cap on the bytes granted but not yet received over all inbound "
                          "messages (Homa's max_incoming).",
                          UintegerValue(400000),
                          MakeUintegerAccessor(&MtpL4Protocol::m_maxIncoming),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("GrantFifoFraction",
                          "Per mille of granted bytes given to the oldest inbound message "
                          "rather than the shortest (Homa's grant_fifo_fraction); 0 disables.",
                          UintegerValue(50),
                          MakeUintegerAccessor(&MtpL4Protocol::m_fifoFraction),
                          MakeUintegerChecker<uint32_t>(0, 500))
            .AddAttribute("FifoGrantIncrement",
                          "Bytes granted by one FIFO grant (Homa's fifo_grant_increment).",
                          UintegerValue(10000),
                          MakeUintegerAccessor(&MtpL4Protocol::m_fifoIncrement),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ResendTicks",
                          "Silent ticks before a receiver asks for missing data with RESEND "
                          "(Homa's resend_ticks).",
                          UintegerValue(5),
                          MakeUintegerAccessor(&MtpL4Protocol::m_resendTicks),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ResendInterval",
                          "Ticks between successive RESENDs for one RPC (Homa's "
                          "resend_interval).",
                          UintegerValue(5),
                          MakeUintegerAccessor(&MtpL4Protocol::m_resendInterval),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("TimeoutResends",
                          "Unanswered RESENDs after which the RPC is aborted with ETIMEDOUT "
                          "(Homa's timeout_resends).",
                          UintegerValue(5),
                          MakeUintegerAccessor(&MtpL4Protocol::m_timeoutResends),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("TickInterval",
                          "Period of the timer that drives loss recovery; it runs only while "
                          "the node has live RPCs.",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&MtpL4Protocol::m_tickInterval),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("MaxNicQueue",
                          "Pacer: the most transmit time the NIC queue may hold before paced "
                          "DATA waits (Homa's max_nic_queue_ns).",
                          TimeValue(MicroSeconds(2)),
                          MakeTimeAccessor(&MtpL4Protocol::m_maxNicQueue),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("ThrottleMinBytes",
                          "Messages shorter than this bypass the pacer (Homa's "
                          "throttle_min_bytes).",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&MtpL4Protocol::m_throttleMinBytes),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("LinkRate",
                          "NIC rate for the pacer when the output device has no DataRate "
                          "attribute (a PointToPointNetDevice has one and it is used).",
                          DataRateValue(DataRate("10Gbps")),
                          MakeDataRateAccessor(&MtpL4Protocol::m_linkRate),
                          MakeDataRateChecker())
            .AddAttribute("LinkHeaderBytes",
                          "Per-packet link-layer bytes the pacer adds to the IP packet size "
                          "(2 for point-to-point PPP; 42 for Ethernet with preamble and gap).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&MtpL4Protocol::m_linkHeaderBytes),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            .AddAttribute("NumPriorities",
                          "Priority levels in use (1..8); levels map to DSCP class selectors "
                          "CS0..CS7 (IPv6: the same bits of the traffic class).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&MtpL4Protocol::m_numPriorities),
                          MakeUintegerChecker<uint8_t>(1, MtpHeader::MAX_PRIORITIES))
            .AddAttribute("UnschedCutoffs",
                          "Comma-separated, strictly increasing message lengths: messages up "
                          "to the first use the highest priority for unscheduled bytes, up to "
                          "the second the next, ... (Homa's unsched_cutoffs).  The remaining "
                          "lower levels are scheduled priorities.",
                          StringValue("200,2800,15000,1000000"),
                          MakeStringAccessor(&MtpL4Protocol::SetCutoffsString,
                                             &MtpL4Protocol::GetCutoffsString),
                          MakeStringChecker())
            .AddAttribute("MaxMessageLength",
                          "Largest message a socket may send (Homa: 1000000).",
                          UintegerValue(MAX_MESSAGE_LENGTH),
                          MakeUintegerAccessor(&MtpL4Protocol::m_maxMessageLength),
                          MakeUintegerChecker<uint32_t>(1, MAX_MESSAGE_LENGTH))
            .AddTraceSource("Tx",
                            "An MTP packet was handed to IP.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_txTrace),
                            "ns3::MtpL4Protocol::PacketTracedCallback")
            .AddTraceSource("Rx",
                            "An MTP packet passed validation.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_rxTrace),
                            "ns3::MtpL4Protocol::PacketTracedCallback")
            .AddTraceSource("Drop",
                            "An incoming packet was dropped, with the reason.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_dropTrace),
                            "ns3::MtpL4Protocol::DropTracedCallback")
            .AddTraceSource("MessageBegin",
                            "A message started: sent by this host or first packet received.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_msgBeginTrace),
                            "ns3::MtpL4Protocol::MessageTracedCallback")
            .AddTraceSource("MessageEnd",
                            "A message finished arriving at this host.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_msgEndTrace),
                            "ns3::MtpL4Protocol::MessageTracedCallback")
            .AddTraceSource("Grant",
                            "A GRANT was sent.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_grantTrace),
                            "ns3::MtpL4Protocol::RangeTracedCallback")
            .AddTraceSource("Resend",
                            "A RESEND was sent.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_resendTrace),
                            "ns3::MtpL4Protocol::RangeTracedCallback")
            .AddTraceSource("Abort",
                            "An RPC ended with an error.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_abortTrace),
                            "ns3::MtpL4Protocol::AbortTracedCallback")
            .AddTraceSource("NicQueue",
                            "The pacer's estimate of the transmit time queued in the NIC, "
                            "after each packet handed to IP.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_nicQueue),
                            "ns3::TracedValueCallback::Time");
    return tid;
}

MtpL4Protocol::MtpL4Protocol()
    : m_protocolNumber(DEFAULT_PROT_NUMBER),
      m_forceChecksum(false),
      m_unschedBytes(10000),
      m_window(10000),
      m_maxOvercommit(8),
      m_maxIncoming(400000),
      m_fifoFraction(50),
      m_fifoIncrement(10000),
      m_resendTicks(5),
      m_resendInterval(5),
      m_timeoutResends(5),
      m_tickInterval(MilliSeconds(1)),
      m_maxNicQueue(MicroSeconds(2)),
      m_throttleMinBytes(1000),
      m_linkRate("10Gbps"),
      m_linkHeaderBytes(2),
      m_numPriorities(8),
      m_unschedCutoffList{200, 2800, 15000, 1000000},
      m_maxMessageLength(MAX_MESSAGE_LENGTH)
{
    NS_LOG_FUNCTION(this);
}

MtpL4Protocol::~MtpL4Protocol()
{
    NS_LOG_FUNCTION(this);
}

void
MtpL4Protocol::SetNode(Ptr<Node> node)
{
    m_node = node;
}

Ptr<Node>
MtpL4Protocol::GetNode() const
{
    return m_node;
}

void
MtpL4Protocol::NotifyNewAggregate()
{
    NS_LOG_FUNCTION(this);
    Ptr<Node> node = this->GetObject<Node>();
    Ptr<Ipv4> ipv4 = this->GetObject<Ipv4>();
    Ptr<Ipv6> ipv6 = this->GetObject<Ipv6>();
    if (!m_node && node && (ipv4 || ipv6))
    {
        SetNode(node);
        Ptr<MtpSocketFactory> factory = CreateObject<MtpSocketFactory>();
        factory->SetMtp(this);
        node->AggregateObject(factory);
        ApplyConfig();
    }
    if (ipv4 && m_downTarget.IsNull())
    {
        ipv4->Insert(this);
        SetDownTarget(MakeCallback(&Ipv4::Send, ipv4));
    }
    if (ipv6 && m_downTarget6.IsNull())
    {
        ipv6->Insert(this);
        SetDownTarget6(MakeCallback(&Ipv6::Send, ipv6));
    }
    IpL4Protocol::NotifyNewAggregate();
}

void
MtpL4Protocol::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_tickEvent.Cancel();
    m_pacerEvent.Cancel();
    m_hostModel = nullptr;
    // Dispose of our sockets (they drop their RPCs and release their ports),
    // which also breaks the socket <-> protocol reference cycle.
    std::vector<Ptr<MtpSocket>> sockets = m_sockets;
    for (auto& s : sockets)
    {
        s->Dispose();
    }
    m_sockets.clear();
    m_ports.clear();
    m_peers.clear();
    m_node = nullptr;
    m_downTarget = IpL4Protocol::DownTargetCallback();
    m_downTarget6 = IpL4Protocol::DownTargetCallback6();
    IpL4Protocol::DoDispose();
}

void
MtpL4Protocol::SetCutoffsString(std::string s)
{
    std::vector<uint32_t> list;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        char* end = nullptr;
        unsigned long v = std::strtoul(item.c_str(), &end, 10);
        if (item.empty() || end == item.c_str() || *end != '\0' || v == 0 || v > MAX_MESSAGE_LENGTH)
        {
            NS_FATAL_ERROR("MtpL4Protocol::UnschedCutoffs: '"
                           << s << "' is not a comma-separated list of lengths in 1.."
                           << MAX_MESSAGE_LENGTH);
        }
        if (!list.empty() && v <= list.back())
        {
            NS_FATAL_ERROR("MtpL4Protocol::UnschedCutoffs: '" << s
                                                              << "' must be strictly increasing");
        }
        list.push_back(static_cast<uint32_t>(v));
    }
    if (list.empty() || list.size() > MtpHeader::MAX_PRIORITIES)
    {
        NS_FATAL_ERROR("MtpL4Protocol::UnschedCutoffs: '"
                       << s << "' must list 1 to " << int(MtpHeader::MAX_PRIORITIES) << " lengths");
    }
    m_unschedCutoffList = list;
    if (m_node)
    {
        ApplyConfig();
    }
}

std::string
MtpL4Protocol::GetCutoffsString() const
{
    std::ostringstream os;
    for (std::size_t i = 0; i < m_unschedCutoffList.size(); ++i)
    {
        os << (i ? "," : "") << m_unschedCutoffList[i];
    }
    return os.str();
}

void
MtpL4Protocol::ApplyConfig()
{
    // Cutoffs by priority: the first listed length gets the top level.  With
    // more than one level, at least the lowest one stays scheduled.
    uint8_t n = m_numPriorities;
    std::size_t nUnsched = m_unschedCutoffList.size();
    if (n > 1)
    {
        nUnsched = std::min<std::size_t>(nUnsched, n - 1);
    }
    else
    {
        nUnsched = 1;
    }
    std::array<uint32_t, MtpHeader::MAX_PRIORITIES> cutoffs{};
    for (std::size_t k = 0; k < nUnsched; ++k)
    {
        cutoffs[n - 1 - k] = m_unschedCutoffList[k];
    }
    // The lowest unscheduled level admits every length, so no message falls
    // into a scheduled level for its unscheduled bytes.
    cutoffs[n - nUnsched] = std::max(cutoffs[n - nUnsched], MAX_MESSAGE_LENGTH);
    if (cutoffs != m_cutoffs)
    {
        m_cutoffs = cutoffs;
        ++m_cutoffVersion;
        if (m_cutoffVersion == 0)
        {
            m_cutoffVersion = 1;
        }
    }
    m_maxSchedPriority = n > nUnsched ? static_cast<uint8_t>(n - 1 - nUnsched) : 0;

    MtpGrantScheduler::Config g;
    g.window = m_window;
    g.maxOvercommit = m_maxOvercommit;
    g.maxIncoming = m_maxIncoming;
    g.maxSchedPriority = m_maxSchedPriority;
    g.fifoFractionPerMille = m_fifoFraction;
    g.fifoGrantIncrement = m_fifoIncrement;
    m_grants.SetConfig(g);

    MtpPacer::Config p = m_pacer.GetConfig();
    if (!m_linkRateFromDevice)
    {
        p.linkBitsPerSecond = m_linkRate.GetBitRate();
    }
    p.maxNicQueue = m_maxNicQueue;
    p.throttleMinBytes = m_throttleMinBytes;
    m_pacer.SetConfig(p);
}

Ptr<Socket>
MtpL4Protocol::CreateSocket()
{
    NS_LOG_FUNCTION(this);
    ApplyConfig();
    Ptr<MtpSocket> socket = CreateObject<MtpSocket>();
    if (!socket->Setup(m_node, this))
    {
        NS_LOG_WARN("no free MTP default port on node " << m_node->GetId());
        return nullptr;
    }
    // Like UDP, the protocol keeps the socket alive until it is closed, so an
    // application may drop its pointer and still receive through callbacks.
    m_sockets.push_back(socket);
    return socket;
}

int
MtpL4Protocol::GetProtocolNumber() const
{
    return m_protocolNumber;
}

void
MtpL4Protocol::SetDownTarget(IpL4Protocol::DownTargetCallback cb)
{
    m_downTarget = cb;
}

void
MtpL4Protocol::SetDownTarget6(IpL4Protocol::DownTargetCallback6 cb)
{
    m_downTarget6 = cb;
}

IpL4Protocol::DownTargetCallback
MtpL4Protocol::GetDownTarget() const
{
    return m_downTarget;
}

IpL4Protocol::DownTargetCallback6
MtpL4Protocol::GetDownTarget6() const
{
    return m_downTarget6;
}

const MtpMetrics&
MtpL4Protocol::GetMetrics() const
{
    return m_metrics;
}

void
MtpL4Protocol::PrintMetrics(std::ostream& os) const
{
    m_metrics.Print(os);
}

uint32_t
MtpL4Protocol::GetMaxMessageLength() const
{
    return m_maxMessageLength;
}

uint32_t
MtpL4Protocol::GetLiveRpcCount() const
{
    return m_liveRpcs;
}

const MtpGrantScheduler&
MtpL4Protocol::GetGrantScheduler() const
{
    return m_grants;
}

Time
MtpL4Protocol::GetNicQueueTime(Time now) const
{
    return m_pacer.GetQueuedTime(now);
}

const std::array<uint32_t, MtpHeader::MAX_PRIORITIES>&
MtpL4Protocol::GetCutoffs() const
{
    return m_cutoffs;
}

uint8_t
MtpL4Protocol::GetNumPriorities() const
{
    return m_numPriorities;
}

// ---------------------------------------------------------------------------
// Ports, ids, peers
// ---------------------------------------------------------------------------

uint16_t
MtpL4Protocol::AllocateDefaultPort(MtpSocket* socket)
{
    // Walk the default range from where we stopped, as Homa's prev_default_port.
    for (uint32_t tries = 0; tries < 0x8000; ++tries)
    {
        uint16_t port = m_nextDefaultPort;
        m_nextDefaultPort =
            (m_nextDefaultPort == 0xFFFF) ? FIRST_DEFAULT_PORT : m_nextDefaultPort + 1;
        if (m_ports.find(port) == m_ports.end())
        {
            m_ports[port] = socket;
            return port;
        }
    }
    return 0;
}

MtpError
MtpL4Protocol::BindServerPort(MtpSocket* socket, uint16_t port)
{
    if (port == 0 || port >= FIRST_DEFAULT_PORT)
    {
        return MtpError::INVAL;
    }
    auto it = m_ports.find(port);
    if (it != m_ports.end())
    {
        return it->second == socket ? MtpError::OK : MtpError::ADDRINUSE;
    }
    m_ports[port] = socket;
    return MtpError::OK;
}

void
MtpL4Protocol::ReleaseSocket(MtpSocket* socket)
{
    for (auto it = m_ports.begin(); it != m_ports.end();)
    {
        if (it->second == socket)
        {
            it = m_ports.erase(it);
        }
        else
        {
            ++it;
        }
    }
    m_sockets.erase(
        std::remove_if(m_sockets.begin(),
                       m_sockets.end(),
                       [socket](const Ptr<MtpSocket>& s) { return PeekPointer(s) == socket; }),
        m_sockets.end());
}

uint64_t
MtpL4Protocol::NextClientId()
{
    uint64_t id = m_nextClientId;
    m_nextClientId += 2;
    return id;
}

Ptr<MtpPeer>
MtpL4Protocol::GetPeer(const MtpAddress& addr)
{
    auto it = m_peers.find(addr);
    if (it != m_peers.end())
    {
        return it->second;
    }
    Ptr<MtpPeer> peer = Create<MtpPeer>(addr);
    // Until the peer sends its own cutoffs, assume it is configured as we are
    // (version 0 marks the copy as unconfirmed, so the peer corrects it).
    peer->cutoffs = m_cutoffs;
    peer->cutoffVersion = 0;
    m_peers[addr] = peer;
    return peer;
}

void
MtpL4Protocol::RpcAdded(Ptr<MtpRpc> rpc)
{
    ++m_liveRpcs;
    EnsureTick();
}

void
MtpL4Protocol::RpcRemoved(Ptr<MtpRpc> rpc)
{
    m_grants.Remove(&rpc->grantEntry);
    m_pacer.Remove(&rpc->pacerEntry);
    rpc->state = MtpRpc::State::DEAD;
    if (m_liveRpcs > 0)
    {
        --m_liveRpcs;
    }
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

uint32_t
MtpL4Protocol::RouteMtu(Ptr<MtpPeer> peer)
{
    const MtpAddress& dst = peer->GetAddress();
    if (dst.IsIpv4())
    {
        if (!peer->route4)
        {
            Ptr<Ipv4> ipv4 = m_node->GetObject<Ipv4>();
            if (!ipv4 || !ipv4->GetRoutingProtocol())
            {
                return 0;
            }
            Ipv4Header h;
            h.SetDestination(dst.GetIpv4());
            h.SetProtocol(m_protocolNumber);
            Socket::SocketErrno err;
            peer->route4 = ipv4->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
        }
        if (!peer->route4 || !peer->route4->GetOutputDevice())
        {
            peer->route4 = nullptr;
            return 0;
        }
        return peer->route4->GetOutputDevice()->GetMtu();
    }
    if (!peer->route6)
    {
        Ptr<Ipv6> ipv6 = m_node->GetObject<Ipv6>();
        if (!ipv6 || !ipv6->GetRoutingProtocol())
        {
            return 0;
        }
        Ipv6Header h;
        h.SetDestination(dst.GetIpv6());
        h.SetNextHeader(m_protocolNumber);
        Socket::SocketErrno err;
        peer->route6 = ipv6->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
    }
    if (!peer->route6 || !peer->route6->GetOutputDevice())
    {
        peer->route6 = nullptr;
        return 0;
    }
    return peer->route6->GetOutputDevice()->GetMtu();
}

MtpError
MtpL4Protocol::StartMessage(Ptr<MtpRpc> rpc, Ptr<const Packet> message)
{
    uint32_t mtu = RouteMtu(rpc->peer);
    uint32_t ipHeader = rpc->peer->GetAddress().IsIpv4() ? 20 : 40;
    if (mtu <= ipHeader + MtpDataHeader::SIZE)
    {
        ++m_metrics.routeFailures;
        return MtpError::HOSTUNREACH;
    }
    if (!m_linkRateFromDevice)
    {
        // Read the NIC rate once from the first device we send on.
        Ptr<NetDevice> dev = rpc->peer->GetAddress().IsIpv4()
                                 ? rpc->peer->route4->GetOutputDevice()
                                 : rpc->peer->route6->GetOutputDevice();
        DataRateValue rate;
        if (dev && dev->GetAttributeFailSafe("DataRate", rate))
        {
            MtpPacer::Config p = m_pacer.GetConfig();
            p.linkBitsPerSecond = rate.Get().GetBitRate();
            m_pacer.SetConfig(p);
        }
        m_linkRateFromDevice = true;
    }
    uint32_t segment = mtu - ipHeader - MtpDataHeader::SIZE;
    rpc->msgout = std::make_unique<MtpOutMessage>(message, segment, m_unschedBytes);
    rpc->unschedPriority = rpc->peer->UnschedPriority(message->GetSize(), m_numPriorities);
    rpc->schedPriority = 0;
    m_msgBeginTrace(rpc->id,
                    rpc->peer->GetAddress().ToSocketAddress(rpc->peerPort),
                    message->GetSize(),
                    rpc->IsClient());
    XmitData(rpc);
    return MtpError::OK;
}

void
MtpL4Protocol::XmitData(Ptr<MtpRpc> rpc)
{
    if (!rpc->msgout || rpc->state != MtpRpc::State::OUTGOING)
    {
        return;
    }
    MtpOutMessage& m = *rpc->msgout;
    if (m_pacer.Bypasses(m.GetLength()))
    {
        while (m.HasSendable())
        {
            MtpSegment seg = m.TakeNextSegment();
            ++m_metrics.pacerBypass;
            SendDataSegment(rpc, seg, false, -1);
            if (rpc->state == MtpRpc::State::DEAD)
            {
                return;
            }
        }
        return;
    }
    if (!m.HasSendable())
    {
        m_pacer.Remove(&rpc->pacerEntry);
        return;
    }
    if (rpc->pacerEntry.linked)
    {
        m_pacer.Update(&rpc->pacerEntry, m.GetBytesRemaining());
    }
    else
    {
        rpc->pacerEntry.remaining = m.GetBytesRemaining();
        m_pacer.Enqueue(&rpc->pacerEntry);
    }
    PacerRun();
}

void
MtpL4Protocol::PacerRun()
{
    Time now = Simulator::Now();
    while (MtpPacer::Entry* e = m_pacer.Front())
    {
        if (!m_pacer.CanSend(now))
        {
            Time when = m_pacer.GetNextSendTime(now);
            if (m_pacerEvent.IsExpired() || Simulator::GetDelayLeft(m_pacerEvent) > when - now)
            {
                m_pacerEvent.Cancel();
                m_pacerEvent = Simulator::Schedule(when - now, &MtpL4Protocol::PacerRun, this);
            }
            ++m_metrics.pacerStalls;
            return;
        }
        Ptr<MtpRpc> rpc = RpcOf(e);
        MtpOutMessage& m = *rpc->msgout;
        MtpSegment seg = m.TakeNextSegment();
        if (m.HasSendable())
        {
            m_pacer.Update(e, m.GetBytesRemaining());
        }
        else
        {
            m_pacer.Remove(e);
        }
        SendDataSegment(rpc, seg, false, -1);
    }
}

void
MtpL4Protocol::SendDataSegment(Ptr<MtpRpc> rpc,
                               const MtpSegment& seg,
                               bool retransmit,
                               int priority)
{
    MtpOutMessage& m = *rpc->msgout;
    MtpDataHeader h;
    h.SetSourcePort(rpc->localPort);
    h.SetDestinationPort(rpc->peerPort);
    h.SetSenderId(rpc->id);
    h.SetMessageLength(m.GetLength());
    h.SetIncoming(std::max(m.GetGranted(), std::min(m.GetLength(), seg.offset + seg.length)));
    if (!rpc->peer->pendingAcks.empty())
    {
        h.SetAck(rpc->peer->pendingAcks.front());
        rpc->peer->pendingAcks.pop_front();
        ++m_metrics.acksPiggybacked;
    }
    h.SetCutoffVersion(rpc->peer->cutoffVersion);
    h.SetRetransmit(retransmit ? 1 : 0);
    h.SetExtFlags(rpc->oneWay && rpc->IsClient() ? MtpDataHeader::FLAG_ONE_WAY : 0);
    h.SetOffset(seg.offset);
    if (retransmit)
    {
        h.SetSegOffset(seg.offset); // Homa's homa_resend_data writes the offset in both
    }
    uint8_t prio;
    if (priority >= 0)
    {
        prio = static_cast<uint8_t>(priority);
    }
    else
    {
        prio = seg.offset < m.GetUnscheduled() || m.GetLength() == 0 ? rpc->unschedPriority
                                                                     : rpc->schedPriority;
    }
    Ptr<Packet> p = m.GetLength() == 0 ? Create<Packet>() : m.GetBytes(seg);
    m_metrics.dataBytesSent += seg.length;
    if (retransmit)
    {
        ++m_metrics.packetsRetransmitted;
    }
    SendPacket(p, h, rpc->peer, prio);
}

void
MtpL4Protocol::SendControl(Ptr<MtpRpc> rpc, MtpHeader& header)
{
    SendControlTo(rpc->peer->GetAddress(), rpc->localPort, rpc->peerPort, rpc->id, header);
}

void
MtpL4Protocol::SendControlTo(const MtpAddress& dst,
                             uint16_t sport,
                             uint16_t dport,
                             uint64_t senderId,
                             MtpHeader& header)
{
    header.SetSourcePort(sport);
    header.SetDestinationPort(dport);
    header.SetSenderId(senderId);
    // Control packets go at the top level, as in Homa.
    SendPacket(Create<Packet>(), header, GetPeer(dst), m_numPriorities - 1);
}

bool
MtpL4Protocol::IsChecksumEnabled() const
{
    return m_forceChecksum || Node::ChecksumEnabled();
}

MtpPseudoHeader
MtpL4Protocol::PseudoHeaderTo(Ptr<MtpPeer> peer) const
{
    const MtpAddress& dst = peer->GetAddress();
    if (dst.IsIpv4())
    {
        return MtpPseudoHeader(peer->route4->GetSource(), dst.GetIpv4());
    }
    return MtpPseudoHeader(peer->route6->GetSource(), dst.GetIpv6());
}

bool
MtpL4Protocol::SendPacket(Ptr<Packet> p, MtpHeader& header, Ptr<MtpPeer> peer, uint8_t priority)
{
    priority = std::min<uint8_t>(priority, m_numPriorities - 1);
    if (RouteMtu(peer) == 0)
    {
        ++m_metrics.routeFailures;
        NS_LOG_LOGIC("no route to " << peer->GetAddress());
        return false;
    }
    if (IsChecksumEnabled())
    {
        header.EnableChecksum(PseudoHeaderTo(peer));
    }
    p->AddHeader(header);
    const MtpPacketType type = header.GetType();
    const MtpAddress& dst = peer->GetAddress();
    uint32_t mtpBytes = p->GetSize();
    uint32_t ipHeader = dst.IsIpv4() ? 20 : 40;
    m_txTrace(p, dst.ToSocketAddress(0), priority);
    if (dst.IsIpv4())
    {
        SocketIpTosTag tos;
        tos.SetTos(TosForPriority(priority));
        p->ReplacePacketTag(tos);
        if (m_hostModel)
        {
            // The NIC's transmit engine hands it to IP later (per-packet cost, doorbells).
            Ptr<Ipv4Route> route = peer->route4;
            IpL4Protocol::DownTargetCallback down = m_downTarget;
            uint8_t proto = m_protocolNumber;
            Ipv4Address to = dst.GetIpv4();
            m_hostModel->Transmit(
                [down, p, route, to, proto]() { down(p, route->GetSource(), to, proto, route); },
                type == MtpPacketType::DATA);
        }
        else
        {
            m_downTarget(p,
                         peer->route4->GetSource(),
                         dst.GetIpv4(),
                         m_protocolNumber,
                         peer->route4);
        }
    }
    else
    {
        SocketIpv6TclassTag tclass;
        tclass.SetTclass(TosForPriority(priority));
        p->ReplacePacketTag(tclass);
        if (m_hostModel)
        {
            Ptr<Ipv6Route> route = peer->route6;
            IpL4Protocol::DownTargetCallback6 down = m_downTarget6;
            uint8_t proto = m_protocolNumber;
            Ipv6Address to = dst.GetIpv6();
            m_hostModel->Transmit(
                [down, p, route, to, proto]() { down(p, route->GetSource(), to, proto, route); },
                type == MtpPacketType::DATA);
        }
        else
        {
            m_downTarget6(p,
                          peer->route6->GetSource(),
                          dst.GetIpv6(),
                          m_protocolNumber,
                          peer->route6);
        }
    }
    Time now = Simulator::Now();
    m_pacer.OnTransmit(now, mtpBytes + ipHeader + m_linkHeaderBytes);
    m_nicQueue = m_pacer.GetQueuedTime(now);
    ++m_metrics.packetsSent[MtpMetrics::TypeIndex(type)];
    ++m_metrics.packetsSentPrio[priority];
    m_metrics.bytesSentPrio[priority] += mtpBytes;
    return true;
}

// ---------------------------------------------------------------------------
// Receiving
// ---------------------------------------------------------------------------

IpL4Protocol::RxStatus
MtpL4Protocol::Receive(Ptr<Packet> p,
                       const Ipv4Header& header,
                       Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header);
    RxContext ctx{MtpAddress(header.GetSource()),
                  MtpAddress(header.GetDestination()),
                  static_cast<uint8_t>(header.GetTos() >> 5),
                  MtpPseudoHeader(header.GetSource(), header.GetDestination())};
    return ReceiveViaHost(p, ctx);
}

IpL4Protocol::RxStatus
MtpL4Protocol::Receive(Ptr<Packet> p,
                       const Ipv6Header& header,
                       Ptr<Ipv6Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header);
    RxContext ctx{MtpAddress(header.GetSource()),
                  MtpAddress(header.GetDestination()),
                  static_cast<uint8_t>(header.GetTrafficClass() >> 5),
                  MtpPseudoHeader(header.GetSource(), header.GetDestination())};
    return ReceiveViaHost(p, ctx);
}

void
MtpL4Protocol::SetHostModel(Ptr<MtpHostModel> model)
{
    m_hostModel = model;
}

Ptr<MtpHostModel>
MtpL4Protocol::GetHostModel() const
{
    return m_hostModel;
}

IpL4Protocol::RxStatus
MtpL4Protocol::ReceiveViaHost(Ptr<Packet> p, const RxContext& ctx)
{
    // First, so that no byte of a corrupted packet is believed (not even its port), and
    // at no host cost, as a NIC that checks checksums drops it.
    if (IsChecksumEnabled() && !MtpHeader::IsChecksumValid(p, ctx.pseudo))
    {
        Drop(p, MtpDropReason::BAD_CHECKSUM);
        return IpL4Protocol::RX_OK;
    }
    MtpHeader common;
    // Ideal host; or a packet the host model cannot attribute (it is dropped
    // at once) or one for a port no socket holds (IP must answer with ICMP now).
    if (!m_hostModel || MtpHeader::Peek(p, common) != MtpDropReason::NONE ||
        m_ports.find(common.GetDestinationPort()) == m_ports.end())
    {
        return ReceiveCommon(p, ctx);
    }
    MtpHostModel::RxPacket info;
    info.src = ctx.src;
    info.dst = ctx.dst;
    info.sport = common.GetSourcePort();
    info.dport = common.GetDestinationPort();
    info.senderId = common.GetSenderId();
    info.type = common.GetType();
    if (info.type == MtpPacketType::DATA)
    {
        MtpDataHeader h;
        if (p->GetSize() >= MtpDataHeader::SIZE)
        {
            p->PeekHeader(h);
            info.shortMessage =
                h.GetOffset() == 0 && p->GetSize() - MtpDataHeader::SIZE >= h.GetMessageLength();
        }
    }
    Ptr<MtpL4Protocol> self(this);
    m_hostModel->Receive(info, [self, p, ctx]() { self->ReceiveCommon(p, ctx); });
    return IpL4Protocol::RX_OK;
}

void
MtpL4Protocol::Drop(Ptr<const Packet> p, MtpDropReason reason)
{
    NS_LOG_LOGIC("drop " << MtpDropReasonName(reason));
    ++m_metrics.drops[static_cast<int>(reason)];
    m_dropTrace(p, reason);
}

IpL4Protocol::RxStatus
MtpL4Protocol::ReceiveCommon(Ptr<Packet> p, const RxContext& ctx)
{
    MtpHeader common;
    MtpDropReason reason = MtpHeader::Peek(p, common);
    if (reason != MtpDropReason::NONE)
    {
        Drop(p, reason);
        return IpL4Protocol::RX_OK;
    }
    auto it = m_ports.find(common.GetDestinationPort());
    if (it == m_ports.end())
    {
        Drop(p, MtpDropReason::NO_SOCKET);
        // IP answers with ICMP port unreachable.
        return IpL4Protocol::RX_ENDPOINT_UNREACH;
    }
    MtpSocket* socket = it->second;
    if (socket->IsShutdown())
    {
        Drop(p, MtpDropReason::SOCKET_SHUTDOWN);
        return IpL4Protocol::RX_ENDPOINT_UNREACH;
    }
    m_rxTrace(p, ctx.src.ToSocketAddress(common.GetSourcePort()), ctx.priority);
    switch (common.GetType())
    {
    case MtpPacketType::DATA:
        HandleData(p, ctx, socket);
        break;
    case MtpPacketType::GRANT:
        HandleGrant(p, ctx, socket);
        break;
    case MtpPacketType::RESEND:
        HandleResend(p, ctx, socket);
        break;
    case MtpPacketType::RPC_UNKNOWN:
        HandleUnknown(p, ctx, socket);
        break;
    case MtpPacketType::BUSY:
        HandleBusy(p, ctx, socket);
        break;
    case MtpPacketType::CUTOFFS:
        HandleCutoffs(p, ctx, socket);
        break;
    case MtpPacketType::FREEZE:
        HandleFreeze(p, ctx, socket);
        break;
    case MtpPacketType::NEED_ACK:
        HandleNeedAck(p, ctx, socket);
        break;
    case MtpPacketType::ACK:
        HandleAck(p, ctx, socket);
        break;
    }
    return IpL4Protocol::RX_OK;
}

Ptr<MtpRpc>
MtpL4Protocol::LookupRpc(MtpSocket* socket, const MtpAddress& src, uint64_t senderId) const
{
    uint64_t localId = senderId ^ 1;
    if ((localId & 1) == 0)
    {
        return socket->FindClientRpc(localId);
    }
    return socket->FindServerRpc(src, localId);
}

void
MtpL4Protocol::MaybeSendCutoffs(Ptr<MtpPeer> peer,
                                uint16_t sport,
                                uint16_t dport,
                                uint64_t senderId)
{
    Time now = Simulator::Now();
    if (peer->lastCutoffsSent >= Time(0) && now - peer->lastCutoffsSent < m_tickInterval)
    {
        return;
    }
    peer->lastCutoffsSent = now;
    MtpCutoffsHeader c;
    c.SetCutoffs(m_cutoffs);
    c.SetCutoffVersion(m_cutoffVersion);
    SendControlTo(peer->GetAddress(), sport, dport, senderId, c);
}

void
MtpL4Protocol::HandleData(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    Ptr<const Packet> original = p->Copy();
    MtpDataHeader h;
    p->RemoveHeader(h);
    uint32_t payload = p->GetSize();
    MtpDropReason reason = h.Validate(payload, m_maxMessageLength);
    if (reason != MtpDropReason::NONE)
    {
        Drop(original, reason);
        return;
    }

    // A piggybacked ack frees a server RPC of ours, whatever socket it is on.
    if (h.GetAck().clientId != 0)
    {
        ProcessAck(ctx.src, h.GetAck());
    }

    Ptr<MtpPeer> peer = GetPeer(ctx.src);
    uint64_t localId = h.GetSenderId() ^ 1;
    Ptr<MtpRpc> rpc;
    if ((localId & 1) == 0)
    {
        // A response for one of our client RPCs.
        rpc = socket->FindClientRpc(localId);
        if (!rpc || rpc->peerPort != h.GetSourcePort())
        {
            Drop(original, MtpDropReason::NO_RPC);
            return;
        }
        if (rpc->state == MtpRpc::State::OUTGOING)
        {
            // The server answers only after the whole request arrived.
            rpc->state = MtpRpc::State::INCOMING;
            m_pacer.Remove(&rpc->pacerEntry);
        }
    }
    else
    {
        rpc = socket->FindServerRpc(ctx.src, localId);
        if (!rpc)
        {
            rpc = socket->NewServerRpc(peer, h.GetSourcePort(), h.GetDestinationPort(), localId);
            rpc->oneWay = (h.GetExtFlags() & MtpDataHeader::FLAG_ONE_WAY) != 0;
        }
    }
    if (rpc->msgin && rpc->msgin->GetLength() != h.GetMessageLength())
    {
        Drop(original, MtpDropReason::LENGTH_MISMATCH);
        return;
    }
    // Counted only now: a dropped packet is never also "received".
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::DATA)];
    m_metrics.dataBytesReceived += payload;
    rpc->HeardFromPeer();
    if (h.GetCutoffVersion() != m_cutoffVersion)
    {
        MaybeSendCutoffs(peer, rpc->localPort, rpc->peerPort, rpc->id);
    }
    if (rpc->state != MtpRpc::State::INCOMING)
    {
        // The request is already complete (duplicate or late retransmission).
        m_metrics.duplicateBytes += payload;
        return;
    }
    if (!rpc->msgin)
    {
        rpc->msgin = std::make_unique<MtpInMessage>(h.GetMessageLength(), h.GetIncoming());
        m_msgBeginTrace(rpc->id,
                        ctx.src.ToSocketAddress(rpc->peerPort),
                        h.GetMessageLength(),
                        !rpc->IsClient());
        MtpInMessage& in = *rpc->msgin;
        if (in.GetIncoming() < in.GetLength())
        {
            MtpGrantScheduler::Entry& e = rpc->grantEntry;
            e.length = in.GetLength();
            e.received = 0;
            e.granted = in.GetIncoming();
            e.unscheduled = in.GetIncoming();
            m_grants.Add(&e);
        }
    }
    MtpInMessage& in = *rpc->msgin;
    in.SetIncoming(h.GetIncoming());
    uint32_t fresh = in.AddSegment(h.GetOffset(), p);
    m_metrics.duplicateBytes += payload - fresh;
    if (rpc->grantEntry.linked)
    {
        m_grants.Update(&rpc->grantEntry, in.GetBytesReceived());
    }
    if (in.IsComplete())
    {
        m_grants.Remove(&rpc->grantEntry);
        MessageComplete(rpc);
    }
    RunGrants();
}

void
MtpL4Protocol::RunGrants()
{
    for (const auto& g : m_grants.Schedule())
    {
        Ptr<MtpRpc> rpc = RpcOf(g.entry);
        if (!rpc->msgin)
        {
            continue;
        }
        rpc->msgin->SetIncoming(g.offset);
        MtpGrantHeader h;
        h.SetOffset(g.offset);
        h.SetPriority(g.priority);
        ++m_metrics.grantsSent;
        m_grantTrace(rpc->id, g.offset, 0, g.priority);
        SendControl(rpc, h);
    }
}

void
MtpL4Protocol::MessageComplete(Ptr<MtpRpc> rpc)
{
    MtpInMessage& in = *rpc->msgin;
    Address from = rpc->peer->GetAddress().ToSocketAddress(rpc->peerPort);
    m_msgEndTrace(rpc->id, from, in.GetLength(), !rpc->IsClient());
    Ptr<Packet> message = in.Assemble();
    MtpSocket* socket = rpc->socket;
    if (rpc->IsClient())
    {
        // The response is here: the RPC is over; the server may free its state.
        rpc->peer->pendingAcks.push_back(MtpAck{rpc->id, rpc->peerPort});
        socket->RemoveRpc(rpc);
        ++m_metrics.rpcsCompleted;
        if (!rpc->oneWay)
        {
            ++m_metrics.responsesReceived;
            socket->Deliver(rpc, message, MtpMessageKind::RESPONSE);
        }
        return;
    }
    rpc->state = MtpRpc::State::IN_SERVICE;
    if (rpc->oneWay)
    {
        // MTP extension: the receiver answers a one-way message itself with an
        // empty response, so the sender's RPC ends and acks free this state.
        ++m_metrics.oneWayReceived;
        socket->Deliver(rpc, message, MtpMessageKind::ONE_WAY);
        if (rpc->state == MtpRpc::State::IN_SERVICE)
        {
            rpc->state = MtpRpc::State::OUTGOING;
            if (StartMessage(rpc, Create<Packet>()) != MtpError::OK)
            {
                socket->RemoveRpc(rpc);
            }
        }
        return;
    }
    ++m_metrics.requestsReceived;
    socket->Deliver(rpc, message, MtpMessageKind::REQUEST);
}

void
MtpL4Protocol::HandleGrant(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    MtpGrantHeader h;
    p->RemoveHeader(h);
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc || !rpc->msgout)
    {
        Drop(p, MtpDropReason::NO_RPC);
        return;
    }
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::GRANT)];
    rpc->HeardFromPeer();
    rpc->schedPriority = std::min<uint8_t>(h.GetPriority(), m_numPriorities - 1);
    if (rpc->msgout->Grant(h.GetOffset()))
    {
        XmitData(rpc);
    }
}

void
MtpL4Protocol::HandleResend(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    MtpResendHeader h;
    p->RemoveHeader(h);
    ++m_metrics.resendsReceived;
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc)
    {
        // We know nothing of it: tell the peer (a client restarts, a server forgets).
        MtpUnknownHeader u;
        SendControlTo(ctx.src, h.GetDestinationPort(), h.GetSourcePort(), h.GetSenderId() ^ 1, u);
        ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RESEND)];
        return;
    }
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RESEND)];
    rpc->HeardFromPeer();
    if (rpc->state != MtpRpc::State::OUTGOING || !rpc->msgout)
    {
        // Still receiving the request or computing the response: alive, be patient.
        MtpBusyHeader b;
        SendControl(rpc, b);
        return;
    }
    MtpOutMessage& m = *rpc->msgout;
    uint8_t prio = std::min<uint8_t>(h.GetPriority(), m_numPriorities - 1);
    // A RESEND also says the receiver wants these bytes: treat it as a grant.
    uint64_t end = h.GetLength() == MtpResendHeader::LENGTH_ALL
                       ? m.GetLength()
                       : std::min<uint64_t>(m.GetLength(), uint64_t(h.GetOffset()) + h.GetLength());
    bool widened =
        h.GetLength() != MtpResendHeader::LENGTH_ALL && m.Grant(static_cast<uint32_t>(end));
    std::vector<MtpSegment> segs = m.SegmentsToResend(h.GetOffset(), h.GetLength());
    if (segs.empty() && !m.HasSendable())
    {
        MtpBusyHeader b;
        SendControl(rpc, b);
        return;
    }
    for (const auto& seg : segs)
    {
        SendDataSegment(rpc, seg, true, prio);
    }
    if (widened || m.HasSendable())
    {
        XmitData(rpc);
    }
}

void
MtpL4Protocol::HandleUnknown(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    MtpUnknownHeader h;
    p->RemoveHeader(h);
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc)
    {
        Drop(p, MtpDropReason::NO_RPC);
        return;
    }
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RPC_UNKNOWN)];
    rpc->HeardFromPeer();
    if (!rpc->IsClient())
    {
        // The client forgot the RPC (it completed or was aborted): forget it too.
        socket->RemoveRpc(rpc);
        ++m_metrics.serverRpcsDiscarded;
        return;
    }
    if (rpc->msgin && rpc->msgin->GetBytesReceived() > 0)
    {
        // The server lost an RPC it had answered in part: restarting could
        // execute it twice, so give up instead (at-most-once).
        AbortRpc(rpc, MtpError::TIMEDOUT);
        return;
    }
    // The server never got the request (or lost all of it): send it again.
    ++rpc->restarts;
    ++m_metrics.restarts;
    rpc->msgin.reset();
    m_grants.Remove(&rpc->grantEntry);
    rpc->state = MtpRpc::State::OUTGOING;
    rpc->msgout->Restart();
    XmitData(rpc);
}

void
MtpL4Protocol::HandleBusy(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    MtpBusyHeader h;
    p->RemoveHeader(h);
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc)
    {
        Drop(p, MtpDropReason::NO_RPC);
        return;
    }
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::BUSY)];
    rpc->HeardFromPeer();
}

void
MtpL4Protocol::HandleCutoffs(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    MtpCutoffsHeader h;
    p->RemoveHeader(h);
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::CUTOFFS)];
    Ptr<MtpPeer> peer = GetPeer(ctx.src);
    peer->cutoffs = h.GetCutoffs();
    peer->cutoffVersion = h.GetCutoffVersion();
}

void
MtpL4Protocol::HandleFreeze(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    // Linux Homa freezes its timetrace; a simulator has nothing to freeze.  The
    // packet is counted and visible on the Rx trace.
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::FREEZE)];
}

void
MtpL4Protocol::HandleNeedAck(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    MtpNeedAckHeader h;
    p->RemoveHeader(h);
    uint64_t localId = h.GetSenderId() ^ 1;
    if ((localId & 1) != 0)
    {
        Drop(p, MtpDropReason::BAD_ID);
        return;
    }
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::NEED_ACK)];
    Ptr<MtpRpc> rpc = socket->FindClientRpc(localId);
    if (rpc)
    {
        // Still waiting for part of the response: ask for it now (as Homa's
        // homa_need_ack_pkt does), or the server, never answered, gives up.
        // A NEED_ACK is no progress on the missing bytes, so it leaves our
        // silence counters alone: resetting them let NEED_ACKs more frequent
        // than ResendTicks hold our own RESENDs (and our timeout) off forever.
        if (rpc->ExpectsPeer())
        {
            RequestRetransmission(rpc);
        }
        return;
    }
    Ptr<MtpPeer> peer = GetPeer(ctx.src);
    MtpAckHeader a;
    a.AddAck(MtpAck{localId, h.GetSourcePort()});
    // Flush other acks owed to the same host while we are at it.
    while (!peer->pendingAcks.empty() && a.GetNumAcks() < MtpAckHeader::MAX_ACKS)
    {
        MtpAck next = peer->pendingAcks.front();
        peer->pendingAcks.pop_front();
        if (next.clientId != localId)
        {
            a.AddAck(next);
        }
    }
    SendControlTo(ctx.src, h.GetDestinationPort(), h.GetSourcePort(), localId, a);
}

void
MtpL4Protocol::HandleAck(Ptr<Packet> p, const RxContext& ctx, MtpSocket* socket)
{
    Ptr<const Packet> original = p->Copy();
    MtpAckHeader h;
    p->RemoveHeader(h);
    MtpDropReason reason = h.Validate();
    if (reason != MtpDropReason::NONE)
    {
        Drop(original, reason);
        return;
    }
    ++m_metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::ACK)];
    for (uint16_t i = 0; i < h.GetNumAcks(); ++i)
    {
        ProcessAck(ctx.src, h.GetAck(i));
    }
}

void
MtpL4Protocol::ProcessAck(const MtpAddress& client, const MtpAck& ack)
{
    if (ack.clientId == 0 || (ack.clientId & 1) != 0)
    {
        return;
    }
    auto it = m_ports.find(ack.serverPort);
    if (it == m_ports.end())
    {
        return;
    }
    MtpSocket* socket = it->second;
    Ptr<MtpRpc> rpc = socket->FindServerRpc(client, ack.clientId | 1);
    if (rpc && rpc->state == MtpRpc::State::OUTGOING && rpc->msgout && rpc->msgout->IsFullySent())
    {
        socket->RemoveRpc(rpc);
        ++m_metrics.serverRpcsFreed;
    }
}

// ---------------------------------------------------------------------------
// ICMP
// ---------------------------------------------------------------------------

void
MtpL4Protocol::ReceiveIcmp(Ipv4Address icmpSource,
                           uint8_t icmpTtl,
                           uint8_t icmpType,
                           uint8_t icmpCode,
                           uint32_t icmpInfo,
                           Ipv4Address payloadSource,
                           Ipv4Address payloadDestination,
                           const uint8_t payload[8])
{
    NS_LOG_FUNCTION(this << icmpSource << int(icmpType) << int(icmpCode) << payloadDestination);
    if (icmpType != ICMPV4_DEST_UNREACH)
    {
        return;
    }
    MtpAddress dst(payloadDestination);
    switch (icmpCode)
    {
    case ICMPV4_PORT_UNREACH:
        HandleIcmpError(dst, payload, MtpError::NOTCONN, true);
        break;
    case ICMPV4_PROTO_UNREACH:
        HandleIcmpError(dst, payload, MtpError::PROTONOSUPPORT, false);
        break;
    case ICMPV4_NET_UNREACH:
    case ICMPV4_HOST_UNREACH:
        HandleIcmpError(dst, payload, MtpError::HOSTUNREACH, false);
        break;
    default:
        break;
    }
}

void
MtpL4Protocol::ReceiveIcmp(Ipv6Address icmpSource,
                           uint8_t icmpTtl,
                           uint8_t icmpType,
                           uint8_t icmpCode,
                           uint32_t icmpInfo,
                           Ipv6Address payloadSource,
                           Ipv6Address payloadDestination,
                           const uint8_t payload[8])
{
    NS_LOG_FUNCTION(this << icmpSource << int(icmpType) << int(icmpCode) << payloadDestination);
    MtpAddress dst(payloadDestination);
    if (icmpType == ICMPV6_DEST_UNREACH)
    {
        if (icmpCode == ICMPV6_PORT_UNREACH)
        {
            HandleIcmpError(dst, payload, MtpError::NOTCONN, true);
        }
        else if (icmpCode == ICMPV6_NO_ROUTE || icmpCode == ICMPV6_ADDR_UNREACH)
        {
            HandleIcmpError(dst, payload, MtpError::HOSTUNREACH, false);
        }
    }
    else if (icmpType == ICMPV6_PARAM_PROBLEM && icmpCode == ICMPV6_UNKNOWN_NEXT_HEADER)
    {
        HandleIcmpError(dst, payload, MtpError::PROTONOSUPPORT, false);
    }
}

void
MtpL4Protocol::HandleIcmpError(const MtpAddress& dst,
                               const uint8_t payload[8],
                               MtpError error,
                               bool portOnly)
{
    // The quoted MTP header starts with the source and destination ports.
    uint16_t dport = static_cast<uint16_t>((payload[2] << 8) | payload[3]);
    AbortPeerRpcs(dst, portOnly ? dport : 0, error);
}

void
MtpL4Protocol::AbortPeerRpcs(const MtpAddress& host, uint16_t port, MtpError error)
{
    std::vector<Ptr<MtpSocket>> sockets = m_sockets;
    for (auto& s : sockets)
    {
        for (auto& rpc : s->GetRpcs())
        {
            if (rpc->state == MtpRpc::State::DEAD || !(rpc->peer->GetAddress() == host))
            {
                continue;
            }
            if (port != 0 && rpc->peerPort != port)
            {
                continue;
            }
            ++m_metrics.icmpAborts;
            AbortRpc(rpc, error);
        }
    }
    auto it = m_peers.find(host);
    if (it != m_peers.end())
    {
        it->second->route4 = nullptr;
        it->second->route6 = nullptr;
    }
}

void
MtpL4Protocol::AbortRpc(Ptr<MtpRpc> rpc, MtpError error)
{
    if (rpc->state == MtpRpc::State::DEAD)
    {
        return;
    }
    NS_LOG_LOGIC("abort rpc " << rpc->id << " " << MtpErrorName(error));
    ++m_metrics.rpcsAborted;
    if (error == MtpError::TIMEDOUT)
    {
        ++m_metrics.timeouts;
    }
    m_abortTrace(rpc->id, error);
    MtpSocket* socket = rpc->socket;
    socket->RemoveRpc(rpc);
    if (rpc->IsClient())
    {
        socket->DeliverError(rpc, error);
    }
    else
    {
        ++m_metrics.serverRpcsDiscarded;
    }
}

// ---------------------------------------------------------------------------
// Timer
// ---------------------------------------------------------------------------

void
MtpL4Protocol::EnsureTick()
{
    if (m_liveRpcs > 0 && m_tickEvent.IsExpired())
    {
        m_tickEvent = Simulator::Schedule(m_tickInterval, &MtpL4Protocol::Tick, this);
    }
}

void
MtpL4Protocol::Tick()
{
    ++m_metrics.ticks;
    std::vector<Ptr<MtpSocket>> sockets = m_sockets;
    for (auto& s : sockets)
    {
        for (auto& rpc : s->GetRpcs())
        {
            TickRpc(rpc);
        }
    }
    // Grants are recomputed when DATA arrives; an RPC that left the
    // scheduler otherwise (aborted, discarded, closed) frees overcommit
    // slots and incoming budget that no DATA may come to hand on.  A message
    // that received all it was granted waits for us, not its peer, and would
    // never time out: give it its grant here.
    RunGrants();
    EnsureTick();
}

void
MtpL4Protocol::TickRpc(Ptr<MtpRpc> rpc)
{
    if (rpc->state == MtpRpc::State::DEAD)
    {
        return;
    }
    if (!rpc->ExpectsPeer())
    {
        rpc->silentTicks = 0;
        return;
    }
    ++rpc->silentTicks;
    if (rpc->silentTicks < m_resendTicks ||
        (rpc->silentTicks - m_resendTicks) % m_resendInterval != 0)
    {
        return;
    }
    if (rpc->resendsWithoutReply >= m_timeoutResends)
    {
        AbortRpc(rpc, MtpError::TIMEDOUT);
        return;
    }
    ++rpc->resendsWithoutReply;
    // Silence may mean a path change: look the route up afresh.
    rpc->peer->route4 = nullptr;
    rpc->peer->route6 = nullptr;

    uint8_t prio = m_maxSchedPriority;
    if (rpc->state == MtpRpc::State::OUTGOING)
    {
        MtpOutMessage& m = *rpc->msgout;
        if (!rpc->IsClient())
        {
            // Not "granted >= length": a segment leaves once its first byte
            // is granted, so the last one may be out while the client's final
            // GRANT was lost; no grant will come, so ask for the ack.
            if (m.IsFullySent())
            {
                // The whole response went out; ask whether it arrived.
                MtpNeedAckHeader n;
                SendControl(rpc, n);
            }
            // Otherwise we wait for grants from the client, whose own RESENDs
            // keep us alive; silence here only counts toward the timeout.
            return;
        }
        // A client whose request is out (or waiting for grants): ask the
        // server for the response; it answers BUSY, data, or RPC_UNKNOWN.
        MtpResendHeader r;
        r.SetOffset(0);
        r.SetLength(m_unschedBytes);
        r.SetPriority(prio);
        ++m_metrics.resendsSent;
        m_resendTrace(rpc->id, 0, m_unschedBytes, prio);
        SendControl(rpc, r);
        return;
    }
    // INCOMING.
    RequestRetransmission(rpc);
}

bool
MtpL4Protocol::RequestRetransmission(Ptr<MtpRpc> rpc)
{
    uint8_t prio = m_maxSchedPriority;
    MtpResendHeader r;
    if (!rpc->msgin)
    {
        r.SetOffset(0);
        r.SetLength(m_unschedBytes);
    }
    else
    {
        MtpSegment gap;
        if (!rpc->msgin->FirstGap(rpc->msgin->GetIncoming(), gap))
        {
            return false;
        }
        r.SetOffset(gap.offset);
        r.SetLength(gap.length);
        prio = gap.offset < rpc->grantEntry.unscheduled ? m_numPriorities - 1 : m_maxSchedPriority;
    }
    r.SetPriority(prio);
    ++m_metrics.resendsSent;
    m_resendTrace(rpc->id, r.GetOffset(), r.GetLength(), prio);
    SendControl(rpc, r);
    return true;
}

} // namespace ns3
