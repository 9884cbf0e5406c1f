/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-fabric-host.h"

#include "ns3/abort.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/mtp-fabric-routing.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpFabricHost");

NS_OBJECT_ENSURE_REGISTERED(MtpFabricHost);

namespace
{
constexpr uint32_t IPV4_HEADER = 20; //!< IPv4 header without options
} // namespace

TypeId
MtpFabricHost::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpFabricHost")
            .SetParent<Object>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpFabricHost>()
            .AddTraceSource("Send",
                            "A packet the fast path sends, as Ipv4L3Protocol's SendOutgoing "
                            "reports it: the IPv4 header, the packet without it, the output "
                            "interface",
                            MakeTraceSourceAccessor(&MtpFabricHost::m_sendTrace),
                            "ns3::Ipv4L3Protocol::SentTracedCallback")
            .AddTraceSource("Deliver",
                            "A packet the fast path delivers, as Ipv4L3Protocol's LocalDeliver "
                            "reports it: the IPv4 header, the packet without it, the input "
                            "interface",
                            MakeTraceSourceAccessor(&MtpFabricHost::m_deliverTrace),
                            "ns3::Ipv4L3Protocol::SentTracedCallback");
    return tid;
}

MtpFabricHost::MtpFabricHost() = default;

MtpFabricHost::~MtpFabricHost() = default;

void
MtpFabricHost::DoDispose()
{
    m_node = nullptr;
    m_ipv4 = nullptr;
    m_routing = nullptr;
    m_tc = nullptr;
    m_ports.clear();
    Object::DoDispose();
}

Ptr<MtpFabricHost>
MtpFabricHost::Install(Ptr<Node> node)
{
    Ptr<MtpFabricRouting> routing = MtpFabricRouting::ForFastPath(node, "MtpFabricHost::Install");
    NS_ABORT_MSG_IF(node->GetObject<MtpFabricHost>(),
                    "MtpFabricHost::Install: node " << node->GetId() << " already has one");
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_IF(!ipv4, "MtpFabricHost::Install: node " << node->GetId() << " has no IPv4");
    Ptr<MtpFabricHost> host = CreateObject<MtpFabricHost>();
    host->m_node = node;
    host->m_ipv4 = ipv4;
    host->m_routing = routing;
    host->m_tc = node->GetObject<TrafficControlLayer>();
    host->m_checksums = Node::ChecksumEnabled();
    UintegerValue ttl;
    ipv4->GetAttribute("DefaultTtl", ttl);
    host->m_defaultTtl = static_cast<uint8_t>(ttl.Get());
    host->m_ports.resize(node->GetNDevices());
    for (uint32_t i : MtpFabricRouting::FabricInterfaces(ipv4))
    {
        Ptr<NetDevice> dev = ipv4->GetNetDevice(i);
        Port& port = host->m_ports[dev->GetIfIndex()];
        port.interface = ipv4->GetInterface(i);
        port.index = i;
        port.egress = MtpFabricEgress::Of(ipv4, dev);
        dev->SetReceiveCallback(MakeCallback(&MtpFabricHost::Receive, host));
    }
    node->AggregateObject(host);
    return host;
}

bool
MtpFabricHost::Receive(Ptr<NetDevice> device,
                       Ptr<const Packet> p,
                       uint16_t protocol,
                       const Address& from)
{
    if (protocol != Ipv4L3Protocol::PROT_NUMBER)
    {
        return FallBack(device, p, protocol, from, NOT_IPV4);
    }
    if (p->GetSize() < IPV4_HEADER)
    {
        return FallBack(device, p, protocol, from, MALFORMED);
    }
    Ptr<Packet> q = p->Copy();
    Ipv4Header ip;
    if (m_checksums)
    {
        ip.EnableChecksum();
    }
    if (q->RemoveHeader(ip) != IPV4_HEADER || !ip.IsChecksumOk() ||
        q->GetSize() != ip.GetPayloadSize())
    {
        return FallBack(device, p, protocol, from, MALFORMED);
    }
    if (!ip.IsLastFragment() || ip.GetFragmentOffset() != 0)
    {
        return FallBack(device, p, protocol, from, FRAGMENT);
    }
    const Port& port = m_ports[device->GetIfIndex()];
    if (!port.interface->IsUp())
    {
        return FallBack(device, p, protocol, from, DOWN);
    }
    if (!m_routing->IsLocalAddress(ip.GetDestination().Get()))
    {
        return FallBack(device, p, protocol, from, NOT_LOCAL);
    }
    Ptr<IpL4Protocol> l4 = m_ipv4->GetProtocol(ip.GetProtocol(), port.index);
    if (!l4)
    {
        return FallBack(device, p, protocol, from, NO_PROTOCOL);
    }
    ++m_delivered;
    m_deliverTrace(ip, q, port.index);
    if (l4->Receive(q, ip, port.interface) == IpL4Protocol::RX_ENDPOINT_UNREACH)
    {
        Unreachable(ip, p, port.index);
    }
    return true;
}

void
MtpFabricHost::Unreachable(const Ipv4Header& ip, Ptr<const Packet> p, uint32_t iif)
{
    const Ipv4Address dst = ip.GetDestination();
    if (dst.IsBroadcast() || dst.IsMulticast())
    {
        return;
    }
    for (uint32_t i = 0; i < m_ipv4->GetNAddresses(iif); ++i)
    {
        const Ipv4InterfaceAddress a = m_ipv4->GetAddress(iif, i);
        if (a.GetLocal().CombineMask(a.GetMask()) == dst.CombineMask(a.GetMask()) &&
            dst.IsSubnetDirectedBroadcast(a.GetMask()))
        {
            return;
        }
    }
    // The payload as the transport got it, from the packet as received.
    Ptr<Packet> original = p->Copy();
    Ipv4Header header;
    original->RemoveHeader(header);
    Ptr<Icmpv4L4Protocol> icmp =
        DynamicCast<Icmpv4L4Protocol>(m_ipv4->GetProtocol(Icmpv4L4Protocol::PROT_NUMBER));
    if (icmp)
    {
        icmp->SendDestUnreachPort(ip, original);
    }
}

bool
MtpFabricHost::FallBack(Ptr<NetDevice> device,
                        Ptr<const Packet> p,
                        uint16_t protocol,
                        const Address& from,
                        Fallback reason)
{
    NS_LOG_LOGIC("node " << m_node->GetId() << " device " << device->GetIfIndex() << ": reason "
                         << reason << ", to the IPv4 stack");
    ++m_fallbacks[reason];
    // What Node::NonPromiscReceiveFromDevice does for the Internet stack's
    // protocols: the traffic control layer dispatches to IPv4, ARP or IPv6.
    m_tc->Receive(device, p, protocol, from, device->GetAddress(), NetDevice::PACKET_HOST);
    return true;
}

void
MtpFabricHost::Send(Ptr<Packet> p,
                    Ipv4Address source,
                    Ipv4Address destination,
                    uint8_t protocol,
                    Ptr<Ipv4Route> route)
{
    const Port* port = SendPort(p, destination, route);
    if (!port)
    {
        ++m_sendFallbacks;
        m_ipv4->Send(p, source, destination, protocol, route);
        return;
    }
    Ipv4Header ip = BuildHeader(p, source, destination, protocol);
    m_sendTrace(ip, p, port->index);
    if (!port->interface->IsUp())
    {
        return; // SendRealOut drops it without a trace
    }
    // IPv4 sends a copy: the caller may keep the packet it passed.
    if (port->egress.Send(m_tc, p->Copy(), ip))
    {
        ++m_sent;
    }
}

const MtpFabricHost::Port*
MtpFabricHost::SendPort(Ptr<const Packet> p, Ipv4Address destination, Ptr<Ipv4Route> route) const
{
    if (!route || destination.IsBroadcast() || destination.IsMulticast() ||
        m_routing->IsLocalAddress(destination.Get()))
    {
        return nullptr;
    }
    Ptr<NetDevice> out = route->GetOutputDevice();
    const uint32_t index = out ? out->GetIfIndex() : m_ports.size();
    if (index >= m_ports.size() || !m_ports[index].interface || !m_ports[index].egress.direct ||
        m_ports[index].egress.device != out || p->GetSize() + IPV4_HEADER > out->GetMtu())
    {
        return nullptr;
    }
    return &m_ports[index];
}

Ipv4Header
MtpFabricHost::BuildHeader(Ptr<Packet> p,
                           Ipv4Address source,
                           Ipv4Address destination,
                           uint8_t protocol)
{
    uint8_t ttl = m_defaultTtl;
    SocketIpTtlTag ttlTag;
    if (p->RemovePacketTag(ttlTag))
    {
        ttl = ttlTag.GetTtl();
    }
    uint8_t tos = 0;
    SocketIpTosTag tosTag;
    if (p->RemovePacketTag(tosTag))
    {
        tos = tosTag.GetTos();
    }
    Ipv4Header ip;
    ip.SetSource(source);
    ip.SetDestination(destination);
    ip.SetProtocol(protocol);
    ip.SetPayloadSize(p->GetSize());
    ip.SetTtl(ttl);
    ip.SetTos(tos);
    ip.SetMayFragment();
    ip.SetIdentification(NextIdentification(source, destination, protocol));
    if (m_checksums)
    {
        ip.EnableChecksum();
    }
    return ip;
}

uint16_t
MtpFabricHost::NextIdentification(Ipv4Address source, Ipv4Address destination, uint8_t protocol)
{
    uint32_t list = m_idByDestination.Find(destination.Get());
    if (list == MtpAddrIndex::NONE)
    {
        list = static_cast<uint32_t>(m_idCounters.size());
        m_idCounters.emplace_back();
        m_idByDestination.Set(destination.Get(), list);
    }
    for (IdCounter& c : m_idCounters[list])
    {
        if (c.source == source.Get() && c.protocol == protocol)
        {
            return c.next++;
        }
    }
    m_idCounters[list].push_back(IdCounter{source.Get(), protocol, 1});
    return 0;
}

uint64_t
MtpFabricHost::GetSent() const
{
    return m_sent;
}

uint64_t
MtpFabricHost::GetSendFallbacks() const
{
    return m_sendFallbacks;
}

uint64_t
MtpFabricHost::GetDelivered() const
{
    return m_delivered;
}

uint64_t
MtpFabricHost::GetFallbacks(Fallback reason) const
{
    NS_ABORT_MSG_IF(reason >= N_FALLBACKS, "MtpFabricHost: no fallback reason " << reason);
    return m_fallbacks[reason];
}

} // namespace ns3
