/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-net-device.h"

#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnNetDevice");

NS_OBJECT_ENSURE_REGISTERED(IpnChannel);
NS_OBJECT_ENSURE_REGISTERED(IpnNetDevice);
NS_OBJECT_ENSURE_REGISTERED(IpnGrab);

// ---------------------------------------------------------------- IpnChannel

TypeId
IpnChannel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnChannel")
                            .SetParent<Channel>()
                            .SetGroupName("Mtp")
                            .AddConstructor<IpnChannel>();
    return tid;
}

IpnChannel::IpnChannel() = default;

void
IpnChannel::Add(Ptr<IpnNetDevice> dev)
{
    m_devices.push_back(dev);
}

void
IpnChannel::Remove(Ptr<IpnNetDevice> dev)
{
    m_devices.erase(std::remove(m_devices.begin(), m_devices.end(), dev), m_devices.end());
}

std::size_t
IpnChannel::GetNDevices() const
{
    return m_devices.size();
}

Ptr<NetDevice>
IpnChannel::GetDevice(std::size_t i) const
{
    return i < m_devices.size() ? m_devices[i] : nullptr;
}

Ptr<IpnChannel>
IpnChannel::Of(Ptr<IpnNetwork> net)
{
    Ptr<IpnChannel> ch = net->GetObject<IpnChannel>();
    if (!ch)
    {
        ch = CreateObject<IpnChannel>();
        net->AggregateObject(ch);
    }
    return ch;
}

void
IpnChannel::DoDispose()
{
    m_devices.clear();
    Channel::DoDispose();
}

// ---------------------------------------------------------------- IpnNetDevice

TypeId
IpnNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpnNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("Mtp")
            .AddConstructor<IpnNetDevice>()
            .AddTraceSource("MacTx",
                            "A packet came from the stack to be sent.",
                            MakeTraceSourceAccessor(&IpnNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacTxDrop",
                            "A packet could not enter the network (no port, larger than "
                            "the MTU, LOSSLESS pool full).",
                            MakeTraceSourceAccessor(&IpnNetDevice::m_macTxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A packet went up to the stack.",
                            MakeTraceSourceAccessor(&IpnNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Sniffer",
                            "A whole frame sent or received by this host.",
                            MakeTraceSourceAccessor(&IpnNetDevice::m_snifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PromiscSniffer",
                            "A whole frame seen by the device (for pcap).",
                            MakeTraceSourceAccessor(&IpnNetDevice::m_promiscSnifferTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

IpnNetDevice::IpnNetDevice()
{
    NS_LOG_FUNCTION(this);
    m_port = CreateObject<IpnPort>();
    m_port->SetKind(IpnPort::TAP);
    m_port->SetDeviceCallback(MakeCallback(&IpnNetDevice::FromNetwork, this));
}

IpnNetDevice::~IpnNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
IpnNetDevice::DoDispose()
{
    if (m_port && m_port->GetNetwork())
    {
        Detach();
    }
    if (m_port)
    {
        m_port->Dispose();
        m_port = nullptr;
    }
    m_node = nullptr;
    m_channel = nullptr;
    m_rxCallback = NetDevice::ReceiveCallback();
    m_promiscCallback = NetDevice::PromiscReceiveCallback();
    m_linkChange.clear();
    NetDevice::DoDispose();
}

IpnError
IpnNetDevice::Attach(Ptr<IpnNetwork> net, int32_t port)
{
    NS_LOG_FUNCTION(this << net << port);
    if (m_port->GetNetwork())
    {
        return IpnError::ISCONN;
    }
    m_port->SetRequestedPort(port);
    m_port->SetNetwork(net);
    IpnError e = net->ConnectPort(m_port);
    if (e != IpnError::OK)
    {
        m_port->SetNetwork(nullptr);
        return e;
    }
    net->AddUser();
    if (net->GetMtu() > 14)
    {
        m_mtu = static_cast<uint16_t>(std::min<uint32_t>(net->GetMtu() - 14, 65535));
    }
    m_channel = IpnChannel::Of(net);
    m_channel->Add(this);
    NotifyLinkChange();
    return IpnError::OK;
}

void
IpnNetDevice::Detach()
{
    NS_LOG_FUNCTION(this);
    Ptr<IpnNetwork> net = m_port->GetNetwork();
    if (!net)
    {
        return;
    }
    net->DisconnectPort(m_port);
    m_port->SetNetwork(nullptr);
    if (m_channel)
    {
        m_channel->Remove(this);
        m_channel = nullptr;
    }
    net->RemoveUser();
    NotifyLinkChange();
}

Ptr<IpnNetwork>
IpnNetDevice::GetNetwork() const
{
    return m_port ? m_port->GetNetwork() : nullptr;
}

Ptr<IpnPort>
IpnNetDevice::GetPort() const
{
    return m_port;
}

void
IpnNetDevice::NotifyLinkChange()
{
    for (auto& cb : m_linkChange)
    {
        cb();
    }
}

void
IpnNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
IpnNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
IpnNetDevice::GetChannel() const
{
    return m_channel;
}

void
IpnNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
IpnNetDevice::GetAddress() const
{
    return m_address;
}

bool
IpnNetDevice::SetMtu(const uint16_t mtu)
{
    Ptr<IpnNetwork> net = GetNetwork();
    if (net && uint32_t(mtu) + 14 > net->GetMtu())
    {
        return false;
    }
    m_mtu = mtu;
    return true;
}

uint16_t
IpnNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
IpnNetDevice::IsLinkUp() const
{
    return m_port && m_port->IsConnected();
}

void
IpnNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChange.push_back(callback);
}

bool
IpnNetDevice::IsBroadcast() const
{
    return true;
}

Address
IpnNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
IpnNetDevice::IsMulticast() const
{
    return true;
}

Address
IpnNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
IpnNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
IpnNetDevice::IsBridge() const
{
    return false;
}

bool
IpnNetDevice::IsPointToPoint() const
{
    return false;
}

bool
IpnNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return SendFrom(packet, m_address, dest, protocolNumber);
}

bool
IpnNetDevice::SendFrom(Ptr<Packet> packet,
                       const Address& source,
                       const Address& dest,
                       uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << source << dest << protocolNumber);
    m_macTxTrace(packet);
    Ptr<IpnNetwork> net = GetNetwork();
    if (!net || !m_port->IsConnected())
    {
        m_macTxDropTrace(packet);
        return false;
    }
    EthernetHeader h(false);
    h.SetSource(Mac48Address::ConvertFrom(source));
    h.SetDestination(Mac48Address::ConvertFrom(dest));
    h.SetLengthType(protocolNumber);
    Ptr<Packet> frame = packet->Copy();
    frame->AddHeader(h);
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);
    IpnError e = net->Inject(m_port, frame);
    if (e != IpnError::OK)
    {
        NS_LOG_LOGIC("frame dropped: " << e);
        m_macTxDropTrace(packet);
        return false;
    }
    return true;
}

void
IpnNetDevice::FromNetwork(Ptr<const Packet> frame)
{
    uint32_t context = m_node ? m_node->GetId() : Simulator::GetContext();
    Simulator::ScheduleWithContext(context,
                                   Time(0),
                                   &IpnNetDevice::Receive,
                                   Ptr<IpnNetDevice>(this),
                                   frame->Copy());
}

void
IpnNetDevice::Receive(Ptr<Packet> frame)
{
    if (!m_port || !m_port->IsConnected() || frame->GetSize() < 14)
    {
        return;
    }
    m_promiscSnifferTrace(frame);
    Ptr<Packet> p = frame->Copy();
    EthernetHeader h(false);
    p->RemoveHeader(h);
    Mac48Address dst = h.GetDestination();
    PacketType type;
    if (dst == m_address)
    {
        type = PACKET_HOST;
    }
    else if (dst.IsBroadcast())
    {
        type = PACKET_BROADCAST;
    }
    else if (dst.IsGroup())
    {
        type = PACKET_MULTICAST;
    }
    else
    {
        type = PACKET_OTHERHOST;
    }
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, p->Copy(), h.GetLengthType(), h.GetSource(), dst, type);
    }
    if (type != PACKET_OTHERHOST)
    {
        m_snifferTrace(frame);
        m_macRxTrace(p);
        if (!m_rxCallback.IsNull())
        {
            m_rxCallback(this, p, h.GetLengthType(), h.GetSource());
        }
    }
}

Ptr<Node>
IpnNetDevice::GetNode() const
{
    return m_node;
}

void
IpnNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
IpnNetDevice::NeedsArp() const
{
    return true;
}

void
IpnNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
IpnNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
IpnNetDevice::SupportsSendFrom() const
{
    return true;
}

// ---------------------------------------------------------------- IpnGrab

TypeId
IpnGrab::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnGrab")
                            .SetParent<Object>()
                            .SetGroupName("Mtp")
                            .AddConstructor<IpnGrab>()
                            .AddTraceSource("Drop",
                                            "A frame from the device could not enter the "
                                            "network (larger than the MTU, pool full).",
                                            MakeTraceSourceAccessor(&IpnGrab::m_dropTrace),
                                            "ns3::Packet::TracedCallback");
    return tid;
}

IpnGrab::IpnGrab()
{
    m_port = CreateObject<IpnPort>();
    m_port->SetKind(IpnPort::GRAB);
    m_port->SetDeviceCallback(MakeCallback(&IpnGrab::FromNetwork, this));
}

IpnGrab::~IpnGrab() = default;

void
IpnGrab::DoDispose()
{
    Detach();
    if (m_port)
    {
        m_port->Dispose();
        m_port = nullptr;
    }
    m_device = nullptr;
    Object::DoDispose();
}

Ptr<IpnGrab>
IpnGrab::Attach(Ptr<NetDevice> device, Ptr<IpnNetwork> net, IpnError& error)
{
    NS_LOG_FUNCTION(device << net);
    if (!device || device->GetInstanceTypeId().GetName() == "ns3::LoopbackNetDevice" ||
        device->GetNode() != net->GetNode())
    {
        error = IpnError::INVAL;
        return nullptr;
    }
    if (device->GetObject<IpnGrab>())
    {
        error = IpnError::BUSY;
        return nullptr;
    }
    Ptr<IpnGrab> g = CreateObject<IpnGrab>();
    g->m_device = device;
    g->m_port->SetNetwork(net);
    error = net->ConnectPort(g->m_port);
    if (error != IpnError::OK)
    {
        g->m_port->SetNetwork(nullptr);
        return nullptr;
    }
    net->AddUser();
    g->m_handler = MakeCallback(&IpnGrab::FromDevice, PeekPointer(g));
    device->GetNode()->RegisterProtocolHandler(g->m_handler, 0, device, true);
    g->m_attached = true;
    device->AggregateObject(g);
    return g;
}

void
IpnGrab::Detach()
{
    if (!m_attached)
    {
        return;
    }
    m_attached = false;
    Ptr<Node> node = m_device ? m_device->GetNode() : nullptr;
    if (node)
    {
        node->UnregisterProtocolHandler(m_handler);
    }
    Ptr<IpnNetwork> net = m_port->GetNetwork();
    if (net)
    {
        net->DisconnectPort(m_port);
        m_port->SetNetwork(nullptr);
        net->RemoveUser();
    }
}

Ptr<NetDevice>
IpnGrab::GetDevice() const
{
    return m_device;
}

Ptr<IpnPort>
IpnGrab::GetPort() const
{
    return m_port;
}

void
IpnGrab::FromDevice(Ptr<NetDevice> device,
                    Ptr<const Packet> packet,
                    uint16_t protocol,
                    const Address& from,
                    const Address& to,
                    NetDevice::PacketType type)
{
    Ptr<IpnNetwork> net = m_port->GetNetwork();
    if (!m_attached || !net || !Mac48Address::IsMatchingType(from) ||
        !Mac48Address::IsMatchingType(to))
    {
        return;
    }
    EthernetHeader h(false);
    h.SetSource(Mac48Address::ConvertFrom(from));
    h.SetDestination(Mac48Address::ConvertFrom(to));
    h.SetLengthType(protocol);
    Ptr<Packet> frame = packet->Copy();
    frame->AddHeader(h);
    if (net->Inject(m_port, frame) != IpnError::OK)
    {
        m_dropTrace(frame);
    }
}

void
IpnGrab::FromNetwork(Ptr<const Packet> frame)
{
    if (!m_attached || frame->GetSize() < 14)
    {
        return;
    }
    Ptr<Packet> p = frame->Copy();
    EthernetHeader h(false);
    p->RemoveHeader(h);
    if (m_device->SupportsSendFrom())
    {
        m_device->SendFrom(p, h.GetSource(), h.GetDestination(), h.GetLengthType());
    }
    else
    {
        m_device->Send(p, h.GetDestination(), h.GetLengthType());
    }
}

} // namespace ns3
