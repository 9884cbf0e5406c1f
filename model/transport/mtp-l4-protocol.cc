/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpL4Protocol, core: life on a node (aggregation, sockets, disposal), the
 * port space, client ids and peers, the stack registry's public face, trace
 * firing for the stacks, and the send path (routes, segment size, the NIC
 * pacer, SendPacket).  The Attributes and derived configuration are in
 * mtp-l4-protocol-config.cc, the receive side and ICMP in
 * mtp-l4-protocol-rx.cc, the registry itself in mtp-stack-registry.cc.
 */

#include "ns3/mtp-l4-protocol.h"

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6-routing-protocol.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/mtp-fabric-host.h"
#include "ns3/mtp-headroom.h"
#include "ns3/mtp-homa-stack.h"
#include "ns3/mtp-host-path.h"
#include "ns3/mtp-phost-stack.h"
#include "ns3/mtp-socket-factory.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-unsched-stack.h"
#include "ns3/net-device.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpL4Protocol");

NS_OBJECT_ENSURE_REGISTERED(MtpL4Protocol);

namespace
{

/// Room reserved in front of an MTP header for the headers below it: IPv6's
/// 40 bytes, or IPv4's 20 with options, and a link header (PPP's 2,
/// Ethernet's 14 with an 802.1Q tag and LLC/SNAP's 8).
constexpr uint32_t LOWER_HEADROOM = 40 + 14 + 4 + 8;

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
      m_timeoutResends(19),
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
        m_downTargetIsIpv4 = true;
    }
    // A fabric host's fast path (aggregated before or after us) sends for
    // IPv4, unless someone chose another down target.
    Ptr<MtpFabricHost> fabricHost = this->GetObject<MtpFabricHost>();
    if (fabricHost && m_downTargetIsIpv4)
    {
        SetDownTarget(MakeCallback(&MtpFabricHost::Send, fabricHost));
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
    m_stacks.DisposeAll();
    m_node = nullptr;
    m_downTarget = IpL4Protocol::DownTargetCallback();
    m_downTarget6 = IpL4Protocol::DownTargetCallback6();
    IpL4Protocol::DoDispose();
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
    m_downTargetIsIpv4 = false;
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
MtpL4Protocol::GetLiveRpcCount() const
{
    uint32_t n = 0;
    for (const auto& s : m_stacks.GetAll())
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
// Stack registry (kept by m_stacks, an MtpStackRegistry)
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
    return m_stacks.Add(stack, this);
}

MtpError
MtpL4Protocol::DeregisterStack(const std::string& name)
{
    return m_stacks.Remove(name, m_defaultStack);
}

std::vector<std::string>
MtpL4Protocol::GetStackNames() const
{
    return m_stacks.GetNames();
}

Ptr<MtpStack>
MtpL4Protocol::GetStack(const std::string& name) const
{
    return m_stacks.Find(name);
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
    SendControlTo(GetPeer(dst), sport, dport, senderId, header);
}

void
MtpL4Protocol::SendControlTo(Ptr<MtpPeer> peer,
                             uint16_t sport,
                             uint16_t dport,
                             uint64_t senderId,
                             MtpHeader& header)
{
    header.SetSourcePort(sport);
    header.SetDestinationPort(dport);
    header.SetSenderId(senderId);
    // Control packets go at the top level, as in Homa.
    SendPacket(Create<Packet>(), header, peer, m_numPriorities - 1);
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
    // Room for this header, IP's and the link's at once (mtp-headroom.h).
    MtpHeadroom::Reserve(p, header.GetSerializedSize() + LOWER_HEADROOM);
    p->AddHeader(header);
    const MtpPacketType type = header.GetType();
    const MtpAddress& dst = peer->GetAddress();
    uint32_t mtpBytes = p->GetSize();
    uint32_t ipHeader = dst.IsIpv4() ? 20 : 40;
    if (!m_txTrace.IsEmpty()) // the address is built only for a listener
    {
        m_txTrace(p, dst.ToSocketAddress(0), priority);
    }
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
// Host path
// ---------------------------------------------------------------------------

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

} // namespace ns3
