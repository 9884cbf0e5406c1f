/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-fabric-switch.h"

#include "ns3/abort.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/mtp-fabric-net-device.h"
#include "ns3/mtp-fabric-routing.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/queue-disc.h"
#include "ns3/traffic-control-layer.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpFabricSwitch");

NS_OBJECT_ENSURE_REGISTERED(MtpFabricSwitch);

namespace
{
constexpr uint32_t IPV4_HEADER = 20; //!< IPv4 header without options
} // namespace

TypeId
MtpFabricSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpFabricSwitch")
            .SetParent<Object>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpFabricSwitch>()
            .AddTraceSource("Fallback",
                            "A packet the fast path handed to the node's IPv4 stack, and why",
                            MakeTraceSourceAccessor(&MtpFabricSwitch::m_fallbackTrace),
                            "ns3::MtpFabricSwitch::FallbackTracedCallback")
            .AddTraceSource("Forward",
                            "A packet the fast path forwards, as Ipv4L3Protocol's UnicastForward "
                            "reports it: the IPv4 header (TTL decremented), the packet without "
                            "it, the output interface",
                            MakeTraceSourceAccessor(&MtpFabricSwitch::m_forwardTrace),
                            "ns3::Ipv4L3Protocol::SentTracedCallback");
    return tid;
}

MtpFabricSwitch::MtpFabricSwitch() = default;

MtpFabricSwitch::~MtpFabricSwitch() = default;

void
MtpFabricSwitch::DoDispose()
{
    m_node = nullptr;
    m_routing = nullptr;
    m_tc = nullptr;
    m_ipv4 = nullptr;
    m_ports.clear();
    Object::DoDispose();
}

Ptr<MtpFabricSwitch>
MtpFabricSwitch::Install(Ptr<Node> node)
{
    Ptr<MtpFabricRouting> routing = MtpFabricRouting::ForFastPath(node, "MtpFabricSwitch::Install");
    NS_ABORT_MSG_IF(node->GetObject<MtpFabricSwitch>(),
                    "MtpFabricSwitch::Install: node " << node->GetId() << " already has one");
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ptr<MtpFabricSwitch> sw = CreateObject<MtpFabricSwitch>();
    sw->m_node = node;
    sw->m_routing = routing;
    sw->m_tc = node->GetObject<TrafficControlLayer>();
    sw->m_ipv4 = ipv4;
    // A global value looked up by name: per packet it cost as much as the
    // rest of the header handling.
    sw->m_checksums = Node::ChecksumEnabled();
    sw->m_ports.resize(node->GetNDevices());
    sw->m_minMtu = std::numeric_limits<uint32_t>::max();
    for (uint32_t i : MtpFabricRouting::FabricInterfaces(ipv4))
    {
        Ptr<NetDevice> dev = ipv4->GetNetDevice(i);
        sw->m_ports[dev->GetIfIndex()] = MtpFabricEgress::Of(ipv4, dev);
        sw->m_minMtu = std::min(sw->m_minMtu, static_cast<uint32_t>(dev->GetMtu()));
        dev->SetReceiveCallback(MakeCallback(&MtpFabricSwitch::Receive, sw));
        if (Ptr<MtpFabricNetDevice> fabric = DynamicCast<MtpFabricNetDevice>(dev))
        {
            fabric->SetOwnedReceiveCallback(MakeCallback(&MtpFabricSwitch::ReceiveOwned, sw));
        }
    }
    node->AggregateObject(sw);
    return sw;
}

bool
MtpFabricSwitch::Receive(Ptr<NetDevice> device,
                         Ptr<const Packet> p,
                         uint16_t protocol,
                         const Address& from)
{
    return Forward(device, p, nullptr, protocol, from);
}

bool
MtpFabricSwitch::ReceiveOwned(Ptr<NetDevice> device,
                              Ptr<Packet> p,
                              uint16_t protocol,
                              const Address& from)
{
    return Forward(device, p, p, protocol, from);
}

bool
MtpFabricSwitch::Forward(Ptr<NetDevice> device,
                         Ptr<const Packet> p,
                         Ptr<Packet> owned,
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
    // Every check comes before the routing decision: a packet that falls
    // back draws its ECMP random number in IPv4's RouteInput, once.
    Ipv4Header ip;
    if (m_checksums)
    {
        ip.EnableChecksum();
    }
    if (p->PeekHeader(ip) != IPV4_HEADER || !ip.IsChecksumOk() ||
        p->GetSize() - IPV4_HEADER != ip.GetPayloadSize())
    {
        return FallBack(device, p, protocol, from, MALFORMED);
    }
    if (ip.GetTtl() <= 1)
    {
        return FallBack(device, p, protocol, from, TTL_EXPIRED);
    }
    if (p->GetSize() > m_minMtu)
    {
        return FallBack(device, p, protocol, from, TOO_BIG);
    }
    const uint32_t out =
        m_routing->ForwardDevice(device->GetIfIndex(), m_routing->FlowOf(p, ip, IPV4_HEADER));
    if (out == MtpAddrIndex::NONE)
    {
        return FallBack(device, p, protocol, from, NOT_FORWARDED);
    }
    // A copy shares the bytes (copy-on-write), so re-adding the header to it
    // reallocates; the packet itself, when handed over, has room in front.
    Ptr<Packet> q = owned ? owned : p->Copy();
    q->RemoveAtStart(IPV4_HEADER);
    ip.SetTtl(ip.GetTtl() - 1);
    Transmit(out, q, ip);
    return true;
}

void
MtpFabricSwitch::Transmit(uint32_t outIndex, Ptr<Packet> q, const Ipv4Header& ip)
{
    const MtpFabricEgress* egress = nullptr;
    MtpFabricEgress looked;
    if (outIndex < m_ports.size() && m_ports[outIndex].device)
    {
        egress = &m_ports[outIndex];
    }
    else
    {
        // A device that was no IPv4 port at Install: look it up now.
        looked = MtpFabricEgress::Of(m_ipv4, m_node->GetDevice(outIndex));
        egress = &looked;
    }
    // Where IpForward fires UnicastForward: before the queue (disc) decides.
    m_forwardTrace(ip, q, egress->interface);
    if (egress->Send(m_tc, q, ip))
    {
        ++m_forwarded;
    }
    else
    {
        ++m_stoppedDrops;
    }
}

bool
MtpFabricSwitch::FallBack(Ptr<NetDevice> device,
                          Ptr<const Packet> p,
                          uint16_t protocol,
                          const Address& from,
                          Fallback reason)
{
    NS_LOG_LOGIC("node " << m_node->GetId() << " device " << device->GetIfIndex() << ": "
                         << FallbackName(reason) << ", to the IPv4 stack");
    ++m_fallbacks[reason];
    m_fallbackTrace(p, device, reason);
    // What Node::NonPromiscReceiveFromDevice does for the Internet stack's
    // protocols: the traffic control layer dispatches to IPv4, ARP or IPv6.
    m_tc->Receive(device, p, protocol, from, device->GetAddress(), NetDevice::PACKET_HOST);
    return true;
}

uint64_t
MtpFabricSwitch::GetForwarded() const
{
    return m_forwarded;
}

uint64_t
MtpFabricSwitch::GetFallbacks(Fallback reason) const
{
    NS_ABORT_MSG_IF(reason >= N_FALLBACKS, "MtpFabricSwitch: no fallback reason " << reason);
    return m_fallbacks[reason];
}

uint64_t
MtpFabricSwitch::GetStoppedDrops() const
{
    return m_stoppedDrops;
}

const char*
MtpFabricSwitch::FallbackName(Fallback reason)
{
    switch (reason)
    {
    case NOT_IPV4:
        return "not-ipv4";
    case MALFORMED:
        return "malformed";
    case TTL_EXPIRED:
        return "ttl-expired";
    case TOO_BIG:
        return "too-big";
    case NOT_FORWARDED:
        return "not-forwarded";
    case N_FALLBACKS:
        break;
    }
    return "unknown";
}

} // namespace ns3
