/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-l4-protocol.h"

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
#include "ns3/mtp-homa-stack.h"
#include "ns3/mtp-host-path.h"
#include "ns3/mtp-phost-stack.h"
#include "ns3/mtp-socket-factory.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-unsched-stack.h"
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
            .AddAttribute(
                "Window",
                "Grant window: a receiver grants up to this many bytes beyond what "
                "it has received of a message (Homa's window).",
                UintegerValue(10000),
                MakeUintegerAccessor(&MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_window>,
                                     &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_window>),
                MakeUintegerChecker<uint32_t>(1, MAX_MESSAGE_LENGTH))
            .AddAttribute("MaxOvercommit",
                          "Inbound messages that may hold outstanding grants at once "
                          "(Homa's max_overcommit).",
                          UintegerValue(8),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_maxOvercommit>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_maxOvercommit>),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("MaxIncoming",
                          "Cap on the bytes granted but not yet received over all inbound "
                          "messages (Homa's max_incoming).",
                          UintegerValue(400000),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_maxIncoming>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_maxIncoming>),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("GrantFifoFraction",
                          "Per mille of granted bytes given to the oldest inbound message "
                          "rather than the shortest (Homa's grant_fifo_fraction); 0 disables.",
                          UintegerValue(50),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_fifoFraction>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_fifoFraction>),
                          MakeUintegerChecker<uint32_t>(0, 500))
            .AddAttribute("FifoGrantIncrement",
                          "Bytes granted by one FIFO grant (Homa's fifo_grant_increment).",
                          UintegerValue(10000),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_fifoIncrement>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_fifoIncrement>),
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
            .AddAttribute(
                "MaxNicQueue",
                "Pacer: the most transmit time the NIC queue may hold before paced "
                "DATA waits (Homa's max_nic_queue_ns).",
                TimeValue(MicroSeconds(2)),
                MakeTimeAccessor(&MtpL4Protocol::SetLive<Time, &MtpL4Protocol::m_maxNicQueue>,
                                 &MtpL4Protocol::GetLive<Time, &MtpL4Protocol::m_maxNicQueue>),
                MakeTimeChecker(Time(0)))
            .AddAttribute(
                "ThrottleMinBytes",
                "Messages shorter than this bypass the pacer (Homa's "
                "throttle_min_bytes).",
                UintegerValue(1000),
                MakeUintegerAccessor(
                    &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_throttleMinBytes>,
                    &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_throttleMinBytes>),
                MakeUintegerChecker<uint32_t>())
            .AddAttribute(
                "LinkRate",
                "NIC rate for the pacer when the output device has no DataRate "
                "attribute (a PointToPointNetDevice has one and it is used).",
                DataRateValue(DataRate("10Gbps")),
                MakeDataRateAccessor(&MtpL4Protocol::SetLive<DataRate, &MtpL4Protocol::m_linkRate>,
                                     &MtpL4Protocol::GetLive<DataRate, &MtpL4Protocol::m_linkRate>),
                MakeDataRateChecker())
            .AddAttribute("LinkHeaderBytes",
                          "Per-packet link-layer bytes the pacer adds to the IP packet size "
                          "(2 for point-to-point PPP; 42 for Ethernet with preamble and gap).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&MtpL4Protocol::m_linkHeaderBytes),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            // Applies live: a packet's level is clamped to NumPriorities wherever
            // it is chosen, so live RPCs move to the new levels; the cutoffs change
            // version and are advertised again.
            .AddAttribute("NumPriorities",
                          "Priority levels in use (1..8); levels map to DSCP class selectors "
                          "CS0..CS7 (IPv6: the same bits of the traffic class).",
                          UintegerValue(8),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint8_t, &MtpL4Protocol::m_numPriorities>,
                              &MtpL4Protocol::GetNumPriorities),
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
            .AddAttribute("DefaultStack",
                          "Name of the transport stack new sockets use (FreeBSD's "
                          "functions_default); a socket may pick another with "
                          "MtpSocket::SetStack.  Stacks that ship: homa, unsched, phost.",
                          StringValue("homa"),
                          MakeStringAccessor(&MtpL4Protocol::m_defaultStack),
                          MakeStringChecker())
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
      m_maxMessageLength(MAX_MESSAGE_LENGTH),
      m_defaultStack("homa"),
      m_hostPath(CreateObject<MtpIdealHostPath>())
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
        RegisterBuiltinStacks();
    }
    // Wiring by aggregation: a host path (e.g. MtpHostModel) aggregated to the
    // node replaces the ideal one.
    Ptr<MtpHostPath> path = this->GetObject<MtpHostPath>();
    if (path && path != m_hostPath)
    {
        m_hostPath = path;
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
    m_pacerEvent.Cancel();
    m_hostPath = nullptr;
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
    for (auto& s : m_stacks)
    {
        s->Dispose();
    }
    m_stacks.clear();
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
    ConfigChanged();
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

    MtpPacer::Config p = m_pacer.GetConfig();
    if (!m_linkRateFromDevice)
    {
        p.linkBitsPerSecond = m_linkRate.GetBitRate();
    }
    p.maxNicQueue = m_maxNicQueue;
    p.throttleMinBytes = m_throttleMinBytes;
    m_pacer.SetConfig(p);
}

void
MtpL4Protocol::ConfigChanged()
{
    if (!m_node)
    {
        return;
    }
    ApplyConfig();
    for (auto& s : m_stacks)
    {
        s->ConfigChanged();
    }
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
    uint32_t n = 0;
    for (const auto& s : m_stacks)
    {
        n += s->GetLiveRpcCount();
    }
    return n;
}

const MtpGrantScheduler&
MtpL4Protocol::GetGrantScheduler() const
{
    Ptr<MtpHomaStack> homa = DynamicCast<MtpHomaStack>(GetStack("homa"));
    NS_ABORT_MSG_UNLESS(homa, "MtpL4Protocol::GetGrantScheduler: no homa stack on this node");
    return homa->GetGrantScheduler();
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

const std::vector<Ptr<MtpSocket>>&
MtpL4Protocol::GetSockets() const
{
    return m_sockets;
}

MtpSocket*
MtpL4Protocol::FindSocket(uint16_t port) const
{
    auto it = m_ports.find(port);
    return it == m_ports.end() ? nullptr : it->second;
}

MtpMetrics&
MtpL4Protocol::Metrics()
{
    return m_metrics;
}

uint32_t
MtpL4Protocol::GetUnschedBytes() const
{
    return m_unschedBytes;
}

MtpGrantScheduler::Config
MtpL4Protocol::GetGrantConfig() const
{
    MtpGrantScheduler::Config g;
    g.window = m_window;
    g.maxOvercommit = m_maxOvercommit;
    g.maxIncoming = m_maxIncoming;
    g.maxSchedPriority = m_maxSchedPriority;
    g.fifoFractionPerMille = m_fifoFraction;
    g.fifoGrantIncrement = m_fifoIncrement;
    return g;
}

uint32_t
MtpL4Protocol::GetResendTicks() const
{
    return m_resendTicks;
}

uint32_t
MtpL4Protocol::GetResendInterval() const
{
    return m_resendInterval;
}

uint32_t
MtpL4Protocol::GetTimeoutResends() const
{
    return m_timeoutResends;
}

Time
MtpL4Protocol::GetTickInterval() const
{
    return m_tickInterval;
}

uint8_t
MtpL4Protocol::GetMaxSchedPriority() const
{
    return m_maxSchedPriority;
}

uint16_t
MtpL4Protocol::GetCutoffVersion() const
{
    return m_cutoffVersion;
}

void
MtpL4Protocol::NotifyMessageBegin(uint64_t id, const Address& peer, uint32_t length, bool isRequest)
{
    m_msgBeginTrace(id, peer, length, isRequest);
}

void
MtpL4Protocol::NotifyMessageEnd(uint64_t id, const Address& peer, uint32_t length, bool isRequest)
{
    m_msgEndTrace(id, peer, length, isRequest);
}

void
MtpL4Protocol::NotifyGrant(uint64_t id, uint32_t offset, uint32_t length, uint8_t priority)
{
    m_grantTrace(id, offset, length, priority);
}

void
MtpL4Protocol::NotifyResend(uint64_t id, uint32_t offset, uint32_t length, uint8_t priority)
{
    m_resendTrace(id, offset, length, priority);
}

void
MtpL4Protocol::NotifyAbort(uint64_t id, MtpError error)
{
    m_abortTrace(id, error);
}

// ---------------------------------------------------------------------------
// Stack registry
// ---------------------------------------------------------------------------

void
MtpL4Protocol::RegisterBuiltinStacks()
{
    RegisterStack(CreateObject<MtpHomaStack>());
    RegisterStack(CreateObject<MtpUnschedStack>());
    RegisterStack(CreateObject<MtpPhostStack>());
    if (!GetStack(m_defaultStack))
    {
        NS_FATAL_ERROR("MtpL4Protocol::DefaultStack: no stack named '"
                       << m_defaultStack << "' (registered: homa, unsched, phost)");
    }
}

MtpError
MtpL4Protocol::RegisterStack(Ptr<MtpStack> stack)
{
    if (!stack || stack->GetL4())
    {
        return MtpError::INVAL;
    }
    std::string name = stack->GetName();
    bool wellFormed =
        !name.empty() && name.size() <= MAX_STACK_NAME &&
        std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    if (!wellFormed)
    {
        return MtpError::INVAL;
    }
    for (const auto& s : m_stacks)
    {
        if (s->GetName() == name)
        {
            return MtpError::ALREADY;
        }
    }
    stack->Bind(this);
    m_stacks.push_back(stack);
    stack->ConfigChanged();
    return MtpError::OK;
}

MtpError
MtpL4Protocol::DeregisterStack(const std::string& name)
{
    auto it = std::find_if(m_stacks.begin(), m_stacks.end(), [&name](const Ptr<MtpStack>& s) {
        return s->GetName() == name;
    });
    if (it == m_stacks.end())
    {
        return MtpError::NOENT;
    }
    if (name == "homa" || name == m_defaultStack)
    {
        return MtpError::PERM;
    }
    if ((*it)->GetSocketCount() > 0)
    {
        if (std::find(m_removing.begin(), m_removing.end(), name) == m_removing.end())
        {
            m_removing.push_back(name);
        }
        return MtpError::BUSY;
    }
    m_removing.erase(std::remove(m_removing.begin(), m_removing.end(), name), m_removing.end());
    Ptr<MtpStack> gone = *it;
    m_stacks.erase(it);
    gone->Dispose();
    return MtpError::OK;
}

std::vector<std::string>
MtpL4Protocol::GetStackNames() const
{
    std::vector<std::string> names;
    for (const auto& s : m_stacks)
    {
        if (std::find(m_removing.begin(), m_removing.end(), s->GetName()) == m_removing.end())
        {
            names.push_back(s->GetName());
        }
    }
    return names;
}

Ptr<MtpStack>
MtpL4Protocol::GetStack(const std::string& name) const
{
    if (std::find(m_removing.begin(), m_removing.end(), name) != m_removing.end())
    {
        return nullptr;
    }
    for (const auto& s : m_stacks)
    {
        if (s->GetName() == name)
        {
            return s;
        }
    }
    return nullptr;
}

Ptr<MtpStack>
MtpL4Protocol::GetDefaultStack() const
{
    return GetStack(m_defaultStack);
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

uint32_t
MtpL4Protocol::SegmentSize(Ptr<MtpPeer> peer)
{
    uint32_t mtu = RouteMtu(peer);
    uint32_t ipHeader = peer->GetAddress().IsIpv4() ? 20 : 40;
    if (mtu <= ipHeader + MtpDataHeader::SIZE)
    {
        ++m_metrics.routeFailures;
        return 0;
    }
    if (!m_linkRateFromDevice)
    {
        // Read the NIC rate once from the first device we send on.
        Ptr<NetDevice> dev = peer->GetAddress().IsIpv4() ? peer->route4->GetOutputDevice()
                                                         : peer->route6->GetOutputDevice();
        DataRateValue rate;
        if (dev && dev->GetAttributeFailSafe("DataRate", rate))
        {
            MtpPacer::Config p = m_pacer.GetConfig();
            p.linkBitsPerSecond = rate.Get().GetBitRate();
            m_pacer.SetConfig(p);
        }
        m_linkRateFromDevice = true;
    }
    return mtu - ipHeader - MtpDataHeader::SIZE;
}

MtpPacer&
MtpL4Protocol::GetPacer()
{
    return m_pacer;
}

void
MtpL4Protocol::Pace(Ptr<MtpRpc> rpc)
{
    MtpOutMessage& m = *rpc->msgout;
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
        rpc->socket->GetStack()->SendDataSegment(rpc, seg, false, -1);
    }
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
    bool isData = type == MtpPacketType::DATA;
    uint8_t proto = m_protocolNumber;
    // The host path hands it to IP now (ideal host) or when its NIC engine
    // gets to it (host model: per-packet cost, doorbells).
    if (dst.IsIpv4())
    {
        SocketIpTosTag tos;
        tos.SetTos(TosForPriority(priority));
        p->ReplacePacketTag(tos);
        Ptr<Ipv4Route> route = peer->route4;
        IpL4Protocol::DownTargetCallback down = m_downTarget;
        Ipv4Address to = dst.GetIpv4();
        m_hostPath->Transmit(
            [down, p, route, to, proto]() { down(p, route->GetSource(), to, proto, route); },
            isData);
    }
    else
    {
        SocketIpv6TclassTag tclass;
        tclass.SetTclass(TosForPriority(priority));
        p->ReplacePacketTag(tclass);
        Ptr<Ipv6Route> route = peer->route6;
        IpL4Protocol::DownTargetCallback6 down = m_downTarget6;
        Ipv6Address to = dst.GetIpv6();
        m_hostPath->Transmit(
            [down, p, route, to, proto]() { down(p, route->GetSource(), to, proto, route); },
            isData);
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
    MtpRxContext ctx{MtpAddress(header.GetSource()),
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
    MtpRxContext ctx{MtpAddress(header.GetSource()),
                     MtpAddress(header.GetDestination()),
                     static_cast<uint8_t>(header.GetTrafficClass() >> 5),
                     MtpPseudoHeader(header.GetSource(), header.GetDestination())};
    return ReceiveViaHost(p, ctx);
}

void
MtpL4Protocol::SetHostPath(Ptr<MtpHostPath> path)
{
    NS_ABORT_MSG_UNLESS(path, "MtpL4Protocol::SetHostPath: null path (use MtpIdealHostPath)");
    m_hostPath = path;
}

Ptr<MtpHostPath>
MtpL4Protocol::GetHostPath() const
{
    return m_hostPath;
}

IpL4Protocol::RxStatus
MtpL4Protocol::ReceiveViaHost(Ptr<Packet> p, const MtpRxContext& ctx)
{
    // First, so that no byte of a corrupted packet is believed (not even its port), and
    // at no host cost, as a NIC that checks checksums drops it.
    if (IsChecksumEnabled() && !MtpHeader::IsChecksumValid(p, ctx.pseudo))
    {
        Drop(p, MtpDropReason::BAD_CHECKSUM);
        return IpL4Protocol::RX_OK;
    }
    MtpHeader common;
    MtpDropReason reason = MtpHeader::Peek(p, common);
    if (reason != MtpDropReason::NONE)
    {
        Drop(p, reason);
        return IpL4Protocol::RX_OK;
    }
    // A packet for a port no open socket holds is refused now, whatever the
    // host: IP answers it with ICMP port unreachable.
    MtpSocket* socket = FindSocket(common.GetDestinationPort());
    if (!socket || socket->Rpcs().IsShutdown())
    {
        Drop(p, socket ? MtpDropReason::SOCKET_SHUTDOWN : MtpDropReason::NO_SOCKET);
        return IpL4Protocol::RX_ENDPOINT_UNREACH;
    }
    MtpHostRxPacket info;
    info.src = ctx.src;
    info.dst = ctx.dst;
    info.sport = common.GetSourcePort();
    info.dport = common.GetDestinationPort();
    info.senderId = common.GetSenderId();
    info.type = common.GetType();
    Ptr<MtpL4Protocol> self(this);
    m_hostPath->Receive(info, p, [self, p, ctx, common]() { self->ReceiveCommon(p, ctx, common); });
    return IpL4Protocol::RX_OK;
}

void
MtpL4Protocol::Drop(Ptr<const Packet> p, MtpDropReason reason)
{
    NS_LOG_LOGIC("drop " << MtpDropReasonName(reason));
    ++m_metrics.drops[static_cast<int>(reason)];
    m_dropTrace(p, reason);
}

void
MtpL4Protocol::ReceiveCommon(Ptr<Packet> p, const MtpRxContext& ctx, const MtpHeader& common)
{
    // Checked again: the socket may have closed while the host worked.
    MtpSocket* socket = FindSocket(common.GetDestinationPort());
    if (!socket || socket->Rpcs().IsShutdown())
    {
        Drop(p, socket ? MtpDropReason::SOCKET_SHUTDOWN : MtpDropReason::NO_SOCKET);
        return;
    }
    m_rxTrace(p, ctx.src.ToSocketAddress(common.GetSourcePort()), ctx.priority);
    socket->GetStack()->Receive(p, ctx, *socket);
}

void
MtpL4Protocol::ProcessAck(const MtpAddress& client, const MtpAck& ack)
{
    if (ack.clientId == 0 || (ack.clientId & 1) != 0)
    {
        return;
    }
    MtpSocket* socket = FindSocket(ack.serverPort);
    if (!socket)
    {
        return;
    }
    Ptr<MtpRpc> rpc = socket->Rpcs().FindServer(client, ack.clientId | 1);
    if (rpc)
    {
        socket->GetStack()->ProcessAck(rpc);
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
        for (auto& rpc : s->Rpcs().GetAll())
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
            s->GetStack()->AbortRpc(rpc, error);
        }
    }
    auto it = m_peers.find(host);
    if (it != m_peers.end())
    {
        it->second->route4 = nullptr;
        it->second->route6 = nullptr;
    }
}

} // namespace ns3
