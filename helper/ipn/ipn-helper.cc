/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-helper.h"

#include "ns3/abort.h"
#include "ns3/data-rate.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/pcap-file-wrapper.h"
#include "ns3/simple-net-device-helper.h"
#include "ns3/simulator.h"
#include "ns3/trace-helper.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnHelper");
NS_OBJECT_ENSURE_REGISTERED(IpnCable);

// ---------------------------------------------------------------- IpnCable

TypeId
IpnCable::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpnCable").SetParent<Object>().SetGroupName("Mtp").AddConstructor<IpnCable>();
    return tid;
}

IpnCable::IpnCable() = default;
IpnCable::~IpnCable() = default;

IpnError
IpnCable::Connect(Ptr<IpnNetwork> a, Ptr<IpnNetwork> b, Time delay, DataRate rate)
{
    NS_LOG_FUNCTION(this << a << b << delay);
    SimpleNetDeviceHelper wire;
    wire.SetChannelAttribute("Delay", TimeValue(delay));
    wire.SetDeviceAttribute("DataRate", DataRateValue(rate));
    NodeContainer ends;
    ends.Add(a->GetNode());
    ends.Add(b->GetNode());
    m_devices = wire.Install(ends);
    IpnError e;
    m_grabA = IpnGrab::Attach(m_devices.Get(0), a, e);
    if (!m_grabA)
    {
        return e;
    }
    m_grabB = IpnGrab::Attach(m_devices.Get(1), b, e);
    if (!m_grabB)
    {
        m_grabA->Detach();
        m_grabA = nullptr;
        return e;
    }
    return IpnError::OK;
}

void
IpnCable::Disconnect()
{
    if (m_grabA)
    {
        m_grabA->Detach();
    }
    if (m_grabB)
    {
        m_grabB->Detach();
    }
}

NetDeviceContainer
IpnCable::GetDevices() const
{
    return m_devices;
}

void
IpnCable::DoDispose()
{
    m_grabA = nullptr;
    m_grabB = nullptr;
    m_devices = NetDeviceContainer();
    Object::DoDispose();
}

// ---------------------------------------------------------------- IpnHelper

IpnHelper::IpnHelper() = default;

void
IpnHelper::SetNetworkOptions(const IpnNetworkOptions& options)
{
    m_options = options;
}

void
IpnHelper::SetPolicy(uint32_t policy)
{
    m_policy = policy;
}

void
IpnHelper::Install(NodeContainer nodes) const
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Install(*it);
    }
}

void
IpnHelper::Install(Ptr<Node> node) const
{
    if (!node->GetObject<IpnNetworkRegistry>())
    {
        node->AggregateObject(CreateObject<IpnNetworkRegistry>());
    }
    if (!node->GetObject<IpnSocketFactory>())
    {
        node->AggregateObject(CreateObject<IpnSocketFactory>());
    }
}

Ptr<IpnNetwork>
IpnHelper::CreateNetwork(Ptr<Node> node, const std::string& path) const
{
    Install(node);
    IpnError e;
    Ptr<IpnNetwork> net =
        node->GetObject<IpnNetworkRegistry>()->Create(path, m_options, m_policy, 0, 0, e);
    NS_ABORT_MSG_IF(!net, "IpnHelper::CreateNetwork(" << path << "): " << e);
    net->AddUser(); // kept alive for the whole simulation
    return net;
}

Ptr<IpnSocket>
IpnHelper::CreateSocket(Ptr<Node> node, uint32_t policy)
{
    Ptr<IpnSocketFactory> f = node->GetObject<IpnSocketFactory>();
    NS_ABORT_MSG_IF(!f, "IpnHelper::CreateSocket: IPN is not installed on node " << node->GetId());
    IpnError e;
    Ptr<IpnSocket> s = f->CreateIpnSocket(Socket::NS3_SOCK_RAW, policy, e);
    NS_ABORT_MSG_IF(!s, "IpnHelper::CreateSocket: " << e);
    return s;
}

Ptr<IpnNetDevice>
IpnHelper::AddTap(Ptr<IpnNetwork> net, int32_t port) const
{
    Ptr<IpnNetDevice> dev = CreateObject<IpnNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    net->GetNode()->AddDevice(dev);
    IpnError e = dev->Attach(net, port);
    NS_ABORT_MSG_IF(e != IpnError::OK, "IpnHelper::AddTap(" << net->GetPath() << "): " << e);
    return dev;
}

Ptr<IpnGrab>
IpnHelper::Grab(Ptr<NetDevice> device, Ptr<IpnNetwork> net) const
{
    IpnError e;
    Ptr<IpnGrab> g = IpnGrab::Attach(device, net, e);
    NS_ABORT_MSG_IF(!g, "IpnHelper::Grab(" << net->GetPath() << "): " << e);
    return g;
}

Ptr<IpnCable>
IpnHelper::Cable(Ptr<IpnNetwork> a, Ptr<IpnNetwork> b, Time delay, DataRate rate) const
{
    Ptr<IpnCable> c = CreateObject<IpnCable>();
    IpnError e = c->Connect(a, b, delay, rate);
    NS_ABORT_MSG_IF(e != IpnError::OK, "IpnHelper::Cable: " << e);
    return c;
}

namespace
{

void
WritePcap(Ptr<PcapFileWrapper> file, Ptr<const Packet> p)
{
    file->Write(Simulator::Now(), p);
}

} // namespace

void
IpnHelper::EnablePcap(const std::string& prefix, Ptr<IpnNetDevice> dev)
{
    PcapHelper pcap;
    std::string name = pcap.GetFilenameFromDevice(prefix, dev);
    Ptr<PcapFileWrapper> file = pcap.CreateFile(name, std::ios::out, PcapHelper::DLT_EN10MB);
    dev->TraceConnectWithoutContext("PromiscSniffer", MakeBoundCallback(&WritePcap, file));
}

} // namespace ns3
