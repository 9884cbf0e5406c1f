/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-datacenter-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/mtp-fabric-channel.h"
#include "ns3/mtp-fabric-host.h"
#include "ns3/mtp-fabric-net-device.h"
#include "ns3/mtp-fabric-routing.h"
#include "ns3/mtp-fabric-switch.h"
#include "ns3/mtp-prio-queue.h"
#include "ns3/mtp-stack-helper.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-disc.h"
#include "ns3/queue-size.h"
#include "ns3/simulator.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

#ifdef MTP_HAVE_MPI
#include "ns3/mpi-interface.h"

#include <mpi.h>
#endif

#include <algorithm>
#include <array>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpDatacenterHelper");

namespace
{
constexpr uint32_t IPV4_HEADER = 20;     //!< IPv4 header without options
constexpr uint32_t MTP_DATA_HEADER = 56; //!< MTP DATA header (common header included)
constexpr uint32_t PPP_HEADER = 2;       //!< point-to-point framing
} // namespace

MtpDatacenterHelper::MtpDatacenterHelper()
    : m_hostRate("10Gbps")
{
}

MtpDatacenterHelper::~MtpDatacenterHelper() = default;

void
MtpDatacenterHelper::SetMtu(uint32_t mtu)
{
    NS_ABORT_MSG_IF(mtu <= IPV4_HEADER + MTP_DATA_HEADER, "MTU too small for MTP: " << mtu);
    m_mtu = mtu;
}

void
MtpDatacenterHelper::SetPortQueue(PortQueue q)
{
    m_portQueue = q;
}

void
MtpDatacenterHelper::SetHostPortBands(uint32_t bands)
{
    NS_ABORT_MSG_IF(bands < 1 || bands > MtpPrioQueue::MAX_BANDS,
                    "host port bands must be 1.." << MtpPrioQueue::MAX_BANDS << ", not " << bands);
    m_hostBands = bands;
}

void
MtpDatacenterHelper::SetDeviceQueuePackets(uint32_t n)
{
    NS_ABORT_MSG_IF(n == 0, "device queue must hold at least one packet");
    m_deviceQueue = n;
}

void
MtpDatacenterHelper::SetQueueDiscPackets(uint32_t n)
{
    NS_ABORT_MSG_IF(n == 0, "queue disc must hold at least one packet");
    m_queueDiscPackets = n;
}

void
MtpDatacenterHelper::SetEcnThreshold(uint32_t k)
{
    m_ecnThreshold = k;
}

void
MtpDatacenterHelper::SetFabricRouting(bool enable, MtpFabricRouting::EcmpMode mode)
{
    m_fabricRouting = enable;
    m_ecmpMode = mode;
}

void
MtpDatacenterHelper::SetShortestPathRoutes(bool shortestPaths)
{
    m_shortestPaths = shortestPaths;
}

void
MtpDatacenterHelper::SetSwitchForwarding(SwitchForwarding f)
{
    NS_ABORT_MSG_IF(f != SWITCH_IPV4 && f != SWITCH_FAST,
                    "MtpDatacenterHelper: unknown switch forwarding " << f);
    m_switchForwarding = f;
}

void
MtpDatacenterHelper::SetHostDelivery(HostDelivery d)
{
    NS_ABORT_MSG_IF(d != HOST_IPV4 && d != HOST_FAST,
                    "MtpDatacenterHelper: unknown host delivery " << d);
    m_hostDelivery = d;
}

void
MtpDatacenterHelper::SetInstallMtp(bool install)
{
    m_installMtp = install;
}

void
MtpDatacenterHelper::SetMtpAttribute(const std::string& name, const AttributeValue& value)
{
    m_mtpAttributes.emplace_back(name, value.Copy());
}

void
MtpDatacenterHelper::SetRanks(uint32_t ranks)
{
    NS_ABORT_MSG_IF(m_built, "MtpDatacenterHelper::SetRanks after Build");
    NS_ABORT_MSG_IF(ranks == 0, "MtpDatacenterHelper: ranks must be at least 1");
    m_ranks = ranks;
}

uint32_t
MtpDatacenterHelper::GetRanks() const
{
    return m_ranks;
}

uint32_t
MtpDatacenterHelper::GetHostRank(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_hosts.GetN(), "GetHostRank: no host " << i);
    return m_hosts.Get(i)->GetSystemId();
}

bool
MtpDatacenterHelper::IsLocalHost(uint32_t i) const
{
    return m_ranks == 1 || GetHostRank(i) == Simulator::GetSystemId();
}

uint64_t
MtpDatacenterHelper::SumOverRanks(uint64_t v)
{
#ifdef MTP_HAVE_MPI
    if (MpiInterface::IsEnabled() && MpiInterface::GetSize() > 1)
    {
        uint64_t sum = 0;
        MPI_Allreduce(&v, &sum, 1, MPI_UINT64_T, MPI_SUM, MpiInterface::GetCommunicator());
        return sum;
    }
#endif
    return v;
}

void
MtpDatacenterHelper::CreateNodes(uint32_t hosts, uint32_t switches)
{
    NS_ABORT_MSG_IF(m_ranks > GetMaxRanks(),
                    "this fabric can be cut into at most " << GetMaxRanks() << " ranks, not "
                                                           << m_ranks);
    // Node ids, and so every address and route, are the same for any number
    // of ranks: hosts first, then switches, one at a time.
    for (uint32_t i = 0; i < hosts; ++i)
    {
        m_hosts.Add(CreateObject<Node>(m_ranks == 1 ? 0 : HostRank(i, m_ranks)));
    }
    for (uint32_t i = 0; i < switches; ++i)
    {
        m_switches.Add(CreateObject<Node>(m_ranks == 1 ? 0 : SwitchRank(i, m_ranks)));
    }
    InternetStackHelper internet;
    internet.Install(m_hosts);
    internet.Install(m_switches);
    m_hostAddr.assign(hosts, Ipv4Address());
    m_hostDevByIndex.assign(hosts, nullptr);
}

void
MtpDatacenterHelper::Link(Ptr<Node> a, Ptr<Node> b, DataRate rate, Time delay, bool aIsHost)
{
    ObjectFactory queue;
    if (m_portQueue == PORT_DEVICE_QUEUE)
    {
        // Limits and marking are set per port in InstallPortQueues.
        queue.SetTypeId("ns3::MtpPrioQueue<Packet>");
    }
    else
    {
        queue.SetTypeId("ns3::DropTailQueue<Packet>");
        queue.Set("MaxSize", QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, m_deviceQueue)));
    }
    NS_ABORT_MSG_IF(a->GetSystemId() != b->GetSystemId() && !delay.IsStrictlyPositive(),
                    "a link between ranks " << a->GetSystemId() << " and " << b->GetSystemId()
                                            << " needs a positive delay (the lookahead)");
    // A link with an end on another rank needs PointToPointHelper's remote
    // channel (it decides the same way).
    const uint32_t rank = Simulator::GetSystemId();
    NetDeviceContainer devs;
    if (m_linkModel == LINK_FABRIC && a->GetSystemId() == rank && b->GetSystemId() == rank)
    {
        devs = FabricLink(a, b, rate, delay, queue);
    }
    else
    {
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", DataRateValue(rate));
        p2p.SetDeviceAttribute("Mtu", UintegerValue(m_mtu));
        p2p.SetChannelAttribute("Delay", TimeValue(delay));
        if (m_portQueue == PORT_DEVICE_QUEUE)
        {
            p2p.SetQueue("ns3::MtpPrioQueue");
        }
        else
        {
            p2p.SetQueue("ns3::DropTailQueue<Packet>",
                         "MaxSize",
                         QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, m_deviceQueue)));
        }
        devs = p2p.Install(a, b);
    }

    uint32_t s = m_nextSubnet++;
    NS_ABORT_MSG_IF(s >= (1u << 22), "too many links for the 10.0.0.0/8 plan");
    uint32_t base = (10u << 24) | (s << 2);
    Ipv4AddressHelper addr;
    addr.SetBase(Ipv4Address(base), Ipv4Mask("255.255.255.252"));
    Ipv4InterfaceContainer ifs = addr.Assign(devs);

    if (aIsHost)
    {
        uint32_t idx = 0;
        for (; idx < m_hosts.GetN(); ++idx)
        {
            if (m_hosts.Get(idx) == a)
            {
                break;
            }
        }
        NS_ABORT_MSG_IF(idx == m_hosts.GetN(), "Link: aIsHost but a is not a host");
        NS_ABORT_MSG_IF(m_hostDevByIndex[idx], "host " << idx << " has two links");
        m_hostAddr[idx] = ifs.GetAddress(0);
        m_addrToHost[ifs.GetAddress(0).Get()] = idx;
        m_hostDevByIndex[idx] = devs.Get(0);
        m_switchDevices.Add(devs.Get(1));
    }
    else
    {
        m_switchDevices.Add(devs);
    }
}

void
MtpDatacenterHelper::Build()
{
    NS_ABORT_MSG_IF(m_built, "MtpDatacenterHelper::Build called twice");
    m_built = true;
    // Per-packet random ECMP (packet spraying); must be set before the
    // routing objects exist.
    Config::SetDefault("ns3::Ipv4GlobalRouting::RandomEcmpRouting", BooleanValue(true));
    BuildTopology();
    for (uint32_t i = 0; i < m_hosts.GetN(); ++i)
    {
        NS_ABORT_MSG_IF(!m_hostDevByIndex[i], "host " << i << " has no link");
        m_hostDevices.Add(m_hostDevByIndex[i]);
    }
    NS_ABORT_MSG_IF(m_shortestPaths && !m_fabricRouting,
                    "MtpDatacenterHelper: shortest-path routes need the fabric routing");
    NodeContainer all(m_hosts, m_switches);
    if (m_shortestPaths)
    {
        MtpFabricRouting::InstallShortestPaths(all, m_hostAddr, m_ecmpMode);
    }
    else
    {
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        if (m_fabricRouting)
        {
            MtpFabricRouting::Install(all, m_hostAddr, m_ecmpMode);
        }
    }
    if (m_fabricRouting && m_switchForwarding == SWITCH_FAST)
    {
        for (uint32_t i = 0; i < m_switches.GetN(); ++i)
        {
            MtpFabricSwitch::Install(m_switches.Get(i));
        }
    }
    if (m_fabricRouting && m_hostDelivery == HOST_FAST)
    {
        for (uint32_t i = 0; i < m_hosts.GetN(); ++i)
        {
            MtpFabricHost::Install(m_hosts.Get(i));
        }
    }
    // Switch ports serve MTP's priorities.  A host's NIC is FIFO: MTP's pacer
    // already chose, by SRPT, the order of what it hands to the NIC and keeps
    // that queue short; strict priority there would let a long message's
    // high-priority scheduled packets starve the last packets of a short one
    // that its receiver granted at a lower priority.
    InstallPortQueues(m_switchDevices, m_ecnThreshold, MtpPrioQueue::MAX_BANDS);
    InstallPortQueues(m_hostDevices, 0, m_hostBands);
    if (m_installMtp)
    {
        MtpStackHelper mtp;
        for (const auto& [name, value] : m_mtpAttributes)
        {
            mtp.SetAttribute(name, *value);
        }
        mtp.Install(m_hosts);
    }
}

NetDeviceContainer
MtpDatacenterHelper::FabricLink(Ptr<Node> a,
                                Ptr<Node> b,
                                DataRate rate,
                                Time delay,
                                const ObjectFactory& queue) const
{
    NetDeviceContainer devs;
    std::array<Ptr<MtpFabricNetDevice>, 2> ends;
    const std::array<Ptr<Node>, 2> nodes{a, b};
    for (uint32_t i = 0; i < 2; ++i)
    {
        ends[i] = CreateObject<MtpFabricNetDevice>();
        ends[i]->SetDataRate(rate);
        ends[i]->SetMtu(static_cast<uint16_t>(m_mtu));
        ends[i]->SetAddress(Mac48Address::Allocate());
        // An MtpPrioQueue port has no queue disc above it (InstallPortQueues
        // removes it): the queue itself drops and counts what overflows, so
        // the device runs without flow control (mtp-fabric-net-device.h).
        ends[i]->SetAttribute("FlowControl", BooleanValue(m_portQueue != PORT_DEVICE_QUEUE));
        nodes[i]->AddDevice(ends[i]);
        ends[i]->SetQueue(queue.Create<Queue<Packet>>());
    }
    for (uint32_t i = 0; i < 2; ++i)
    {
        // Flow control, as PointToPointHelper's (the device connects the
        // queue's traces when the interface is aggregated, if FlowControl).
        ends[i]->AggregateObject(CreateObject<NetDeviceQueueInterface>());
    }
    Ptr<MtpFabricChannel> channel = CreateObject<MtpFabricChannel>();
    channel->SetAttribute("Delay", TimeValue(delay));
    for (uint32_t i = 0; i < 2; ++i)
    {
        ends[i]->Attach(channel);
        devs.Add(ends[i]);
    }
    return devs;
}

void
MtpDatacenterHelper::SetLinkModel(LinkModel m)
{
    NS_ABORT_MSG_IF(m != LINK_P2P && m != LINK_FABRIC,
                    "MtpDatacenterHelper: unknown link model " << m);
    NS_ABORT_MSG_IF(m_built, "MtpDatacenterHelper::SetLinkModel after Build");
    m_linkModel = m;
}

Ptr<Queue<Packet>>
MtpDatacenterHelper::GetDeviceQueue(Ptr<NetDevice> device)
{
    if (Ptr<MtpFabricNetDevice> fabric = DynamicCast<MtpFabricNetDevice>(device))
    {
        return fabric->GetQueue();
    }
    Ptr<PointToPointNetDevice> p2p = DynamicCast<PointToPointNetDevice>(device);
    return p2p ? p2p->GetQueue() : nullptr;
}

void
MtpDatacenterHelper::InstallPortQueues(const NetDeviceContainer& devices,
                                       uint32_t ecnThreshold,
                                       uint32_t bands) const
{
    if (m_portQueue == PORT_QUEUE_DISC)
    {
        MtpStackHelper::InstallPriorityQueues(devices, m_queueDiscPackets, ecnThreshold, bands);
        return;
    }
    for (auto it = devices.Begin(); it != devices.End(); ++it)
    {
        // Ipv4AddressHelper::Assign gave every device ns-3's default queue
        // disc; the device's own queue is the port's queue here.
        Ptr<TrafficControlLayer> tc = (*it)->GetNode()->GetObject<TrafficControlLayer>();
        if (tc && tc->GetRootQueueDiscOnDevice(*it))
        {
            tc->DeleteRootQueueDiscOnDevice(*it);
        }
        Ptr<NetDevice> dev = *it;
        Ptr<MtpPrioQueue> q = DynamicCast<MtpPrioQueue>(GetDeviceQueue(dev));
        NS_ABORT_MSG_IF(!q,
                        "port " << dev->GetIfIndex() << " of node " << dev->GetNode()->GetId()
                                << " has no MtpPrioQueue");
        q->SetAttribute("MaxPackets", UintegerValue(m_queueDiscPackets));
        q->SetAttribute("EcnThreshold", UintegerValue(ecnThreshold));
        q->SetAttribute("Bands", UintegerValue(bands));
    }
}

NodeContainer
MtpDatacenterHelper::GetHosts() const
{
    return m_hosts;
}

NodeContainer
MtpDatacenterHelper::GetSwitches() const
{
    return m_switches;
}

uint32_t
MtpDatacenterHelper::GetNHosts() const
{
    return m_hosts.GetN();
}

Ipv4Address
MtpDatacenterHelper::GetHostAddress(uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= m_hostAddr.size(), "no host " << i);
    return m_hostAddr[i];
}

int32_t
MtpDatacenterHelper::GetHostIndex(Ipv4Address addr) const
{
    auto it = m_addrToHost.find(addr.Get());
    return it == m_addrToHost.end() ? -1 : static_cast<int32_t>(it->second);
}

NetDeviceContainer
MtpDatacenterHelper::GetSwitchDevices() const
{
    return m_switchDevices;
}

NetDeviceContainer
MtpDatacenterHelper::GetHostDevices() const
{
    return m_hostDevices;
}

DataRate
MtpDatacenterHelper::GetHostLinkRate() const
{
    return m_hostRate;
}

Time
MtpDatacenterHelper::GetUnloadedTime(uint32_t i, uint32_t j, uint32_t bytes) const
{
    auto key = std::make_pair(GetPathKind(i, j), bytes);
    auto it = m_unloadedCache.find(key);
    if (it != m_unloadedCache.end())
    {
        return it->second;
    }
    Time t = ComputeUnloadedTime(GetPath(i, j), bytes, m_mtu);
    m_unloadedCache.emplace(key, t);
    return t;
}

Time
MtpDatacenterHelper::ComputeUnloadedTime(const std::vector<Hop>& hops, uint32_t bytes, uint32_t mtu)
{
    NS_ABORT_MSG_IF(hops.empty(), "empty path");
    const uint32_t payload = mtu - IPV4_HEADER - MTP_DATA_HEADER;
    const uint32_t overhead = MTP_DATA_HEADER + IPV4_HEADER + PPP_HEADER;
    const uint32_t n = bytes == 0 ? 1 : (bytes + payload - 1) / payload;
    // f[h]: when the previous packet finished leaving hop h.  Transmit times
    // come from DataRate::CalculateBytesTxTime, as the point-to-point device
    // computes them (rounded to the time resolution per packet), so the ideal
    // is exactly what an idle simulated fabric delivers.
    std::vector<Time> f(hops.size(), Time(0));
    for (uint32_t k = 0; k < n; ++k)
    {
        uint32_t len = (k + 1 < n) ? payload : bytes - k * payload;
        if (bytes == 0)
        {
            len = 0;
        }
        Time ready(0); // arrival of packet k at the input of hop h
        for (std::size_t h = 0; h < hops.size(); ++h)
        {
            Time start = std::max(ready, f[h]);
            f[h] = start + hops[h].rate.CalculateBytesTxTime(len + overhead);
            ready = f[h] + hops[h].delay;
        }
    }
    return f.back() + hops.back().delay;
}

// ---------------------------------------------------------------------------
// Leaf-spine
// ---------------------------------------------------------------------------

MtpLeafSpineHelper::MtpLeafSpineHelper()
    : m_uplinkRate("40Gbps"),
      m_hostDelay(NanoSeconds(250)),
      m_uplinkDelay(NanoSeconds(250))
{
    m_hostRate = DataRate("10Gbps");
}

void
MtpLeafSpineHelper::SetRacks(uint32_t n)
{
    NS_ABORT_MSG_IF(n == 0, "need at least one rack");
    m_racks = n;
}

void
MtpLeafSpineHelper::SetHostsPerRack(uint32_t n)
{
    NS_ABORT_MSG_IF(n == 0, "need at least one host per rack");
    m_hostsPerRack = n;
}

void
MtpLeafSpineHelper::SetSpines(uint32_t n)
{
    m_spines = n;
}

void
MtpLeafSpineHelper::SetHostLinkRate(DataRate r)
{
    m_hostRate = r;
}

void
MtpLeafSpineHelper::SetUplinkRate(DataRate r)
{
    m_uplinkRate = r;
}

void
MtpLeafSpineHelper::SetHostLinkDelay(Time d)
{
    m_hostDelay = d;
}

void
MtpLeafSpineHelper::SetUplinkDelay(Time d)
{
    m_uplinkDelay = d;
}

void
MtpLeafSpineHelper::BuildTopology()
{
    NS_ABORT_MSG_IF(m_racks > 1 && m_spines == 0, "several racks need at least one spine");
    CreateNodes(m_racks * m_hostsPerRack, m_racks + m_spines);
    for (uint32_t r = 0; r < m_racks; ++r)
    {
        Ptr<Node> leaf = m_switches.Get(r);
        for (uint32_t h = 0; h < m_hostsPerRack; ++h)
        {
            Link(m_hosts.Get(r * m_hostsPerRack + h), leaf, m_hostRate, m_hostDelay, true);
        }
    }
    for (uint32_t r = 0; r < m_racks; ++r)
    {
        for (uint32_t s = 0; s < m_spines; ++s)
        {
            Link(m_switches.Get(r),
                 m_switches.Get(m_racks + s),
                 m_uplinkRate,
                 m_uplinkDelay,
                 false);
        }
    }
}

uint32_t
MtpLeafSpineHelper::GetMaxRanks() const
{
    return m_racks;
}

uint32_t
MtpLeafSpineHelper::HostRank(uint32_t host, uint32_t ranks) const
{
    return SwitchRank(host / m_hostsPerRack, ranks);
}

uint32_t
MtpLeafSpineHelper::SwitchRank(uint32_t sw, uint32_t ranks) const
{
    // Leaves [0, racks) in blocks of racks, spines after in blocks of spines.
    if (sw < m_racks)
    {
        return static_cast<uint32_t>(uint64_t{sw} * ranks / m_racks);
    }
    return static_cast<uint32_t>(uint64_t{sw - m_racks} * ranks / m_spines);
}

uint32_t
MtpLeafSpineHelper::GetPathKind(uint32_t i, uint32_t j) const
{
    return (i / m_hostsPerRack == j / m_hostsPerRack) ? 0 : 1;
}

std::vector<MtpDatacenterHelper::Hop>
MtpLeafSpineHelper::GetPath(uint32_t i, uint32_t j) const
{
    std::vector<Hop> hops;
    hops.push_back({m_hostRate, m_hostDelay});
    if (GetPathKind(i, j) == 1)
    {
        hops.push_back({m_uplinkRate, m_uplinkDelay});
        hops.push_back({m_uplinkRate, m_uplinkDelay});
    }
    hops.push_back({m_hostRate, m_hostDelay});
    return hops;
}

std::string
MtpLeafSpineHelper::Describe() const
{
    std::ostringstream os;
    os << "leaf-spine: " << m_racks << " racks x " << m_hostsPerRack << " hosts ("
       << m_hostRate.GetBitRate() / 1e9 << " Gbps, " << m_hostDelay.GetNanoSeconds() << " ns), "
       << m_spines << " spines (" << m_uplinkRate.GetBitRate() / 1e9 << " Gbps, "
       << m_uplinkDelay.GetNanoSeconds() << " ns)";
    return os.str();
}

// ---------------------------------------------------------------------------
// Fat tree
// ---------------------------------------------------------------------------

MtpFatTreeHelper::MtpFatTreeHelper()
    : m_delay(NanoSeconds(250))
{
    m_hostRate = DataRate("10Gbps");
}

void
MtpFatTreeHelper::SetK(uint32_t k)
{
    NS_ABORT_MSG_IF(k < 2 || k % 2 != 0, "fat tree radix must be even and >= 2, not " << k);
    m_k = k;
}

void
MtpFatTreeHelper::SetLinkRate(DataRate r)
{
    m_hostRate = r;
}

void
MtpFatTreeHelper::SetLinkDelay(Time d)
{
    m_delay = d;
}

void
MtpFatTreeHelper::BuildTopology()
{
    const uint32_t half = m_k / 2;
    const uint32_t edges = m_k * half;
    const uint32_t aggs = m_k * half;
    const uint32_t cores = half * half;
    // Switch indices: edges [0, edges), aggregations [edges, edges+aggs),
    // cores after.
    CreateNodes(m_k * half * half, edges + aggs + cores);
    for (uint32_t e = 0; e < edges; ++e)
    {
        for (uint32_t h = 0; h < half; ++h)
        {
            Link(m_hosts.Get(e * half + h), m_switches.Get(e), m_hostRate, m_delay, true);
        }
    }
    for (uint32_t pod = 0; pod < m_k; ++pod)
    {
        for (uint32_t e = 0; e < half; ++e)
        {
            for (uint32_t a = 0; a < half; ++a)
            {
                Link(m_switches.Get(pod * half + e),
                     m_switches.Get(edges + pod * half + a),
                     m_hostRate,
                     m_delay,
                     false);
            }
        }
        // Aggregation switch a of each pod connects to cores a*half .. a*half+half-1.
        for (uint32_t a = 0; a < half; ++a)
        {
            for (uint32_t c = 0; c < half; ++c)
            {
                Link(m_switches.Get(edges + pod * half + a),
                     m_switches.Get(edges + aggs + a * half + c),
                     m_hostRate,
                     m_delay,
                     false);
            }
        }
    }
}

uint32_t
MtpFatTreeHelper::GetMaxRanks() const
{
    return m_k;
}

uint32_t
MtpFatTreeHelper::HostRank(uint32_t host, uint32_t ranks) const
{
    const uint32_t half = m_k / 2;
    return static_cast<uint32_t>(uint64_t{host / (half * half)} * ranks / m_k);
}

uint32_t
MtpFatTreeHelper::SwitchRank(uint32_t sw, uint32_t ranks) const
{
    // Edges then aggregations, k/2 per pod, in blocks of pods; cores after,
    // in blocks of cores.
    const uint32_t half = m_k / 2;
    const uint32_t podSwitches = 2 * m_k * half;
    if (sw < podSwitches)
    {
        uint32_t pod = (sw % (m_k * half)) / half;
        return static_cast<uint32_t>(uint64_t{pod} * ranks / m_k);
    }
    return static_cast<uint32_t>(uint64_t{sw - podSwitches} * ranks / (half * half));
}

uint32_t
MtpFatTreeHelper::GetPathKind(uint32_t i, uint32_t j) const
{
    const uint32_t half = m_k / 2;
    if (i / half == j / half)
    {
        return 0; // same edge switch
    }
    if (i / (half * half) == j / (half * half))
    {
        return 1; // same pod
    }
    return 2;
}

std::vector<MtpDatacenterHelper::Hop>
MtpFatTreeHelper::GetPath(uint32_t i, uint32_t j) const
{
    uint32_t kind = GetPathKind(i, j);
    uint32_t n = kind == 0 ? 2 : (kind == 1 ? 4 : 6);
    return std::vector<Hop>(n, Hop{m_hostRate, m_delay});
}

std::string
MtpFatTreeHelper::Describe() const
{
    std::ostringstream os;
    os << "fat tree k=" << m_k << ": " << m_k * m_k * m_k / 4 << " hosts, " << 5 * m_k * m_k / 4
       << " switches, " << m_hostRate.GetBitRate() / 1e9 << " Gbps links, "
       << m_delay.GetNanoSeconds() << " ns";
    return os.str();
}

} // namespace ns3
