/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of MtpFabricSwitch (model/fabric/mtp-fabric-switch), the
 * switches' fast forwarding path, and MtpFabricHost (mtp-fabric-host), the
 * hosts' fast delivery: a small leaf-spine and a small fat tree produce
 * byte-identical message records with the fast paths and with ns-3's IPv4
 * (and forward and deliver the same number of packets); TTL is
 * decremented on the fast path, and TTL expiry, the switches' own addresses,
 * padded IPv4 packets and non-IPv4 frames go to the IPv4 stack, which drops
 * (with its reason), answers with ICMP, delivers or forwards them; a host
 * delivers to its transport, answers ICMP port unreachable, and hands a
 * protocol without a transport to IPv4.
 */

#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/mtp-datacenter-helper.h"
#include "ns3/mtp-fabric-host.h"
#include "ns3/mtp-fabric-routing.h"
#include "ns3/mtp-fabric-switch.h"
#include "ns3/mtp-message-recorder.h"
#include "ns3/mtp-monitor-helper.h"
#include "ns3/mtp-monitor.h"
#include "ns3/mtp-workload-app.h"
#include "ns3/mtp-workload.h"
#include "ns3/object-factory.h"
#include "ns3/pointer.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/udp-socket-factory.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{

/** \return the whole content of a file */
std::string
ReadFile(const std::string& path)
{
    std::ifstream f(path);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/** \return a leaf-spine of 3 racks of 2 hosts and 2 spines (10/40 Gbps) */
std::unique_ptr<MtpDatacenterHelper>
LeafSpine()
{
    auto ls = std::make_unique<MtpLeafSpineHelper>();
    ls->SetRacks(3);
    ls->SetHostsPerRack(2);
    ls->SetSpines(2);
    return ls;
}

/** \return a k = 4 fat tree (16 hosts, 20 switches, 10 Gbps) */
std::unique_ptr<MtpDatacenterHelper>
FatTree()
{
    auto ft = std::make_unique<MtpFatTreeHelper>();
    ft->SetK(4);
    return ft;
}

/** IPv4 events of a node (its UnicastForward or LocalDeliver trace). */
struct ForwardCounter
{
    uint64_t n = 0; //!< packets forwarded by IPv4

    /** UnicastForward sink. */
    void OnForward(const Ipv4Header&, Ptr<const Packet>, uint32_t)
    {
        ++n;
    }
};

/** Every frame the hosts' NICs put on the wire, byte for byte. */
struct WireLog
{
    std::string bytes; //!< per frame: the time (ps), the device, the frame's bytes

    /**
     * PhyTxBegin sink.
     * \param device the host's number
     * \param p the frame
     */
    void OnTx(uint32_t device, Ptr<const Packet> p)
    {
        std::ostringstream s;
        s << Simulator::Now().GetPicoSeconds() << " " << device << " " << p->GetSize() << ":";
        bytes += s.str();
        std::string frame(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(frame.data()), p->GetSize());
        bytes += frame;
    }
};

/** What one workload run on a fabric produced. */
struct WorkloadResult
{
    std::string csv;            //!< the message records (MtpMessageRecorder::WriteCsv)
    uint64_t done = 0;          //!< messages completed
    uint64_t ipv4Forwarded = 0; //!< packets the switches' IPv4 forwarded
    uint64_t fastForwarded = 0; //!< packets the switches' MtpFabricSwitch forwarded
    uint64_t fastFallbacks = 0; //!< packets they handed to IPv4
    uint32_t fastSwitches = 0;  //!< switches with an MtpFabricSwitch
    uint64_t ipv4Delivered = 0; //!< packets the hosts' IPv4 delivered
    uint64_t fastDelivered = 0; //!< packets the hosts' MtpFabricHost delivered
    uint64_t ipv4Sent = 0;      //!< packets the hosts' IPv4 sent
    uint64_t fastSent = 0;      //!< packets the hosts' MtpFabricHost sent
    uint64_t monitored = 0;     //!< packets host 0's MtpMonitor saw (sent and delivered)
    uint64_t monitorFlows = 0;  //!< flows it followed
    std::string wire;           //!< the hosts' frames (WireLog)
    std::string switchWire;     //!< the switch ports' frames (WireLog)
    uint32_t fastHosts = 0;     //!< hosts with an MtpFabricHost
};

/**
 * Build a fabric, run MtpWorkloadApp (W3 at 80% load) on every host for
 * 300 us (plus 300 us to drain) and collect the message records.
 * \param dc the (unbuilt) fabric
 * \param path the switches' forwarding
 * \param csvPath where the records are written
 * \return the result
 */
WorkloadResult
RunWorkload(std::unique_ptr<MtpDatacenterHelper> dc,
            bool fast,
            const std::string& csvPath,
            MtpDatacenterHelper::LinkModel links = MtpDatacenterHelper::LINK_FABRIC)
{
    // Fixed seeds and streams: both runs of a comparison live in one process,
    // where automatic stream numbers keep counting up.
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(3);
    dc->SetSwitchForwarding(fast ? MtpDatacenterHelper::SWITCH_FAST
                                 : MtpDatacenterHelper::SWITCH_IPV4);
    dc->SetHostDelivery(fast ? MtpDatacenterHelper::HOST_FAST : MtpDatacenterHelper::HOST_IPV4);
    dc->SetLinkModel(links);
    dc->Build();
    NodeContainer all(dc->GetHosts(), dc->GetSwitches());
    for (uint32_t n = 0; n < all.GetN(); ++n)
    {
        DynamicCast<MtpFabricRouting>(all.Get(n)->GetObject<Ipv4>()->GetRoutingProtocol())
            ->AssignStreams(5000 + n);
    }
    Ptr<MtpMessageSizeDistribution> dist = CreateObject<MtpMessageSizeDistribution>();
    dist->Load("w3");
    dist->AssignStreams(4000);
    Ptr<MtpMessageRecorder> recorder = CreateObject<MtpMessageRecorder>();
    MtpDatacenterHelper* topo = dc.get();
    recorder->SetUnloadedTimeFunction([topo](uint32_t i, uint32_t j, uint32_t bytes) {
        return topo->GetUnloadedTime(i, j, bytes);
    });
    std::vector<Ipv4Address> addrs;
    for (uint32_t i = 0; i < dc->GetNHosts(); ++i)
    {
        addrs.push_back(dc->GetHostAddress(i));
    }
    for (uint32_t i = 0; i < dc->GetNHosts(); ++i)
    {
        Ptr<MtpWorkloadApp> app = CreateObject<MtpWorkloadApp>();
        app->SetAttribute("Distribution", PointerValue(dist));
        app->SetAttribute("Recorder", PointerValue(recorder));
        app->SetAttribute("Load", DoubleValue(0.8));
        app->SetAttribute("HostRate", DataRateValue(dc->GetHostLinkRate()));
        app->SetAttribute("Protocol", StringValue("Mtp"));
        app->SetDestinations(i, addrs);
        app->AssignStreams(1000 + 3 * i);
        dc->GetHosts().Get(i)->AddApplication(app);
        app->SetStartTime(Seconds(0));
        app->SetStopTime(MicroSeconds(300));
    }
    std::vector<ForwardCounter> forwards(dc->GetSwitches().GetN());
    for (uint32_t s = 0; s < dc->GetSwitches().GetN(); ++s)
    {
        dc->GetSwitches().Get(s)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            MakeCallback(&ForwardCounter::OnForward, &forwards[s]));
    }
    std::vector<ForwardCounter> delivers(dc->GetNHosts());
    for (uint32_t h = 0; h < dc->GetNHosts(); ++h)
    {
        dc->GetHosts().Get(h)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            MakeCallback(&ForwardCounter::OnForward, &delivers[h]));
    }
    std::vector<ForwardCounter> sends(dc->GetNHosts());
    for (uint32_t h = 0; h < dc->GetNHosts(); ++h)
    {
        dc->GetHosts().Get(h)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "SendOutgoing",
            MakeCallback(&ForwardCounter::OnForward, &sends[h]));
    }
    Ptr<MtpMonitor> monitor = MtpMonitorHelper().Install(dc->GetHosts().Get(0));
    WireLog wire;
    for (uint32_t h = 0; h < dc->GetNHosts(); ++h)
    {
        dc->GetHostDevices().Get(h)->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeCallback(&WireLog::OnTx, &wire).Bind(h));
    }
    WireLog switchWire;
    const NetDeviceContainer ports = dc->GetSwitchDevices();
    for (uint32_t d = 0; d < ports.GetN(); ++d)
    {
        ports.Get(d)->TraceConnectWithoutContext("PhyTxBegin",
                                                 MakeCallback(&WireLog::OnTx, &switchWire).Bind(d));
    }
    Simulator::Stop(MicroSeconds(600));
    Simulator::Run();

    WorkloadResult r;
    recorder->WriteCsv(csvPath);
    r.csv = ReadFile(csvPath);
    r.done = recorder->GetCompleted();
    for (uint32_t s = 0; s < dc->GetSwitches().GetN(); ++s)
    {
        r.ipv4Forwarded += forwards[s].n;
        if (Ptr<MtpFabricSwitch> sw = dc->GetSwitches().Get(s)->GetObject<MtpFabricSwitch>())
        {
            ++r.fastSwitches;
            r.fastForwarded += sw->GetForwarded();
            for (uint32_t k = 0; k < MtpFabricSwitch::N_FALLBACKS; ++k)
            {
                r.fastFallbacks += sw->GetFallbacks(MtpFabricSwitch::Fallback(k));
            }
        }
    }
    for (uint32_t h = 0; h < dc->GetNHosts(); ++h)
    {
        r.ipv4Delivered += delivers[h].n;
        r.ipv4Sent += sends[h].n;
        if (Ptr<MtpFabricHost> fh = dc->GetHosts().Get(h)->GetObject<MtpFabricHost>())
        {
            ++r.fastHosts;
            r.fastDelivered += fh->GetDelivered();
            r.fastSent += fh->GetSent();
            r.fastFallbacks += fh->GetSendFallbacks();
            for (uint32_t k = 0; k < MtpFabricHost::N_FALLBACKS; ++k)
            {
                r.fastFallbacks += fh->GetFallbacks(MtpFabricHost::Fallback(k));
            }
        }
    }
    r.wire = wire.bytes;
    r.switchWire = switchWire.bytes;
    r.monitored = monitor->GetStats().packets;
    r.monitorFlows = monitor->GetStats().flows;
    Simulator::Destroy();
    return r;
}

} // namespace

/**
 * The same workload on the same fabric with both forwarding paths: the
 * message records are byte-identical, the fast path forwarded exactly the
 * packets IPv4 forwarded (and IPv4 none of them), with no fallback.
 */
class MtpSwitchPathIdentityTestCase : public TestCase
{
  public:
    /** \param fatTree a k = 4 fat tree (else the small leaf-spine) */
    explicit MtpSwitchPathIdentityTestCase(bool fatTree)
        : TestCase(std::string(fatTree ? "fat tree" : "leaf-spine") +
                   ": fast and IPv4 switch and host paths give byte-identical message records"),
          m_fatTree(fatTree)
    {
    }

  private:
    /** \return a new fabric of the kind under test */
    std::unique_ptr<MtpDatacenterHelper> Fabric() const
    {
        return m_fatTree ? FatTree() : LeafSpine();
    }

    void DoRun() override
    {
        const uint32_t switches = m_fatTree ? 20 : 5;
        const uint32_t hosts = m_fatTree ? 16 : 6;
        WorkloadResult ipv4 = RunWorkload(Fabric(), false, CreateTempDirFilename("ipv4.csv"));
        WorkloadResult fast = RunWorkload(Fabric(), true, CreateTempDirFilename("fast.csv"));
        NS_TEST_ASSERT_MSG_GT(ipv4.done, 50u, "a workload worth comparing completed");
        NS_TEST_EXPECT_MSG_EQ(ipv4.csv.size(), fast.csv.size(), "records of the same length");
        NS_TEST_EXPECT_MSG_EQ((ipv4.csv == fast.csv), true, "records byte for byte");
        NS_TEST_EXPECT_MSG_EQ(ipv4.fastSwitches, 0u, "SWITCH_IPV4: no MtpFabricSwitch");
        NS_TEST_EXPECT_MSG_EQ(fast.fastSwitches, switches, "SWITCH_FAST: one per switch");
        NS_TEST_ASSERT_MSG_GT(ipv4.ipv4Forwarded, 1000u, "IPv4 forwarded the workload");
        NS_TEST_EXPECT_MSG_EQ(fast.ipv4Forwarded, 0u, "SWITCH_FAST: IPv4 forwarded nothing");
        NS_TEST_EXPECT_MSG_EQ(fast.fastForwarded,
                              ipv4.ipv4Forwarded,
                              "the fast path forwarded the same packets");
        NS_TEST_EXPECT_MSG_EQ(ipv4.fastHosts, 0u, "HOST_IPV4: no MtpFabricHost");
        NS_TEST_EXPECT_MSG_EQ(fast.fastHosts, hosts, "HOST_FAST: one per host");
        NS_TEST_ASSERT_MSG_GT(ipv4.ipv4Delivered, 1000u, "IPv4 delivered the workload");
        NS_TEST_EXPECT_MSG_EQ(fast.ipv4Delivered, 0u, "HOST_FAST: IPv4 delivered nothing");
        NS_TEST_EXPECT_MSG_EQ(fast.fastDelivered,
                              ipv4.ipv4Delivered,
                              "the fast path delivered the same packets");
        NS_TEST_ASSERT_MSG_GT(ipv4.ipv4Sent, 1000u, "IPv4 sent the workload");
        NS_TEST_EXPECT_MSG_EQ(fast.ipv4Sent, 0u, "HOST_FAST: IPv4 sent nothing");
        NS_TEST_EXPECT_MSG_EQ(fast.fastSent, ipv4.ipv4Sent, "the fast path sent the same packets");
        NS_TEST_ASSERT_MSG_GT(ipv4.wire.size(), 1000000u, "the hosts sent frames");
        NS_TEST_EXPECT_MSG_EQ((ipv4.wire == fast.wire),
                              true,
                              "the hosts' frames (IPv4 headers: identification, TOS, "
                              "checksum) and their times byte for byte");
        NS_TEST_ASSERT_MSG_GT(ipv4.monitored, 100u, "host 0's monitor saw its traffic");
        NS_TEST_EXPECT_MSG_EQ(fast.monitored,
                              ipv4.monitored,
                              "host 0's monitor saw the same packets (sent and delivered)");
        NS_TEST_EXPECT_MSG_EQ(fast.monitorFlows, ipv4.monitorFlows, "and the same flows");
        NS_TEST_EXPECT_MSG_EQ(fast.fastFallbacks, 0u, "no fallback in a plain workload");
    }

    bool m_fatTree; //!< fabric kind
};

/**
 * The same workload on the same fabric with both link models (LINK_P2P's
 * PointToPointNetDevice, LINK_FABRIC's MtpFabricNetDevice): byte-identical
 * message records, and every frame every host and switch port put on the
 * wire, at the same picosecond, byte for byte.
 */
class MtpLinkModelIdentityTestCase : public TestCase
{
  public:
    /** \param fatTree a k = 4 fat tree (else the small leaf-spine) */
    explicit MtpLinkModelIdentityTestCase(bool fatTree)
        : TestCase(std::string(fatTree ? "fat tree" : "leaf-spine") +
                   ": MtpFabricNetDevice and PointToPointNetDevice links give byte-identical "
                   "records and frames"),
          m_fatTree(fatTree)
    {
    }

  private:
    void DoRun() override
    {
        auto fabric = [this]() { return m_fatTree ? FatTree() : LeafSpine(); };
        WorkloadResult p2p = RunWorkload(fabric(),
                                         true,
                                         CreateTempDirFilename("p2p.csv"),
                                         MtpDatacenterHelper::LINK_P2P);
        WorkloadResult fast = RunWorkload(fabric(),
                                          true,
                                          CreateTempDirFilename("fabric.csv"),
                                          MtpDatacenterHelper::LINK_FABRIC);
        NS_TEST_ASSERT_MSG_GT(p2p.done, 50u, "a workload worth comparing completed");
        NS_TEST_EXPECT_MSG_EQ((p2p.csv == fast.csv), true, "records byte for byte");
        NS_TEST_ASSERT_MSG_GT(p2p.switchWire.size(), 1000000u, "the switches sent frames");
        NS_TEST_EXPECT_MSG_EQ(fast.wire.size(), p2p.wire.size(), "hosts: as many frame bytes");
        NS_TEST_EXPECT_MSG_EQ((fast.wire == p2p.wire), true, "hosts' frames byte for byte");
        NS_TEST_EXPECT_MSG_EQ(fast.switchWire.size(),
                              p2p.switchWire.size(),
                              "switches: as many frame bytes");
        NS_TEST_EXPECT_MSG_EQ((fast.switchWire == p2p.switchWire),
                              true,
                              "switch ports' frames byte for byte");
        NS_TEST_EXPECT_MSG_EQ(fast.fastForwarded, p2p.fastForwarded, "the same forwarding");
    }

    bool m_fatTree; //!< fabric kind
};

/**
 * The same workload under ns-3's HeapScheduler and MtpHeapScheduler
 * (mtp-datacenter's default): byte-identical records and frames, because
 * both order events by timestamp and then uid.
 */
class MtpSchedulerIdentityTestCase : public TestCase
{
  public:
    MtpSchedulerIdentityTestCase()
        : TestCase("fat tree: HeapScheduler and MtpHeapScheduler give byte-identical records and "
                   "frames")
    {
    }

  private:
    /** \brief Run the fat tree under the scheduler `type`. \return the result */
    WorkloadResult RunWith(const std::string& type, const std::string& csv)
    {
        ObjectFactory scheduler;
        scheduler.SetTypeId(type);
        Simulator::SetScheduler(scheduler);
        return RunWorkload(FatTree(), true, CreateTempDirFilename(csv));
    }

    void DoRun() override
    {
        WorkloadResult ns3 = RunWith("ns3::HeapScheduler", "heap.csv");
        WorkloadResult mtp = RunWith("ns3::MtpHeapScheduler", "mtp-heap.csv");
        NS_TEST_ASSERT_MSG_GT(ns3.done, 50u, "a workload worth comparing completed");
        NS_TEST_EXPECT_MSG_EQ((ns3.csv == mtp.csv), true, "records byte for byte");
        NS_TEST_ASSERT_MSG_GT(ns3.switchWire.size(), 1000000u, "the switches sent frames");
        NS_TEST_EXPECT_MSG_EQ((ns3.wire == mtp.wire), true, "hosts' frames byte for byte");
        NS_TEST_EXPECT_MSG_EQ((ns3.switchWire == mtp.switchWire),
                              true,
                              "switch ports' frames byte for byte");
    }
};

/**
 * Single packets through the 3-rack leaf-spine with the fast path: counters,
 * TTL, fallbacks to IPv4 and what IPv4 does with them.
 */
class MtpSwitchFallbackTestCase : public TestCase
{
  public:
    MtpSwitchFallbackTestCase()
        : TestCase("fast path: TTL decremented; TTL expiry, switch addresses, padding and "
                   "non-IPv4 frames go to IPv4")
    {
    }

  private:
    /// A host's received IPv4 packets (its Ipv4L3Protocol Rx trace).
    struct RxLog
    {
        std::vector<Ipv4Header> headers; //!< their IPv4 headers

        /** Rx sink. */
        void OnRx(Ptr<const Packet> p, Ptr<Ipv4>, uint32_t)
        {
            Ipv4Header h;
            p->PeekHeader(h);
            headers.push_back(h);
        }
    };

    /// IPv4 drops of a switch (its Drop trace), by reason.
    struct DropLog
    {
        std::vector<Ipv4L3Protocol::DropReason> reasons; //!< one per drop

        /** Drop sink. */
        void OnDrop(const Ipv4Header&,
                    Ptr<const Packet>,
                    Ipv4L3Protocol::DropReason reason,
                    Ptr<Ipv4>,
                    uint32_t)
        {
            reasons.push_back(reason);
        }
    };

    /// Frames a traffic control handler received.
    struct FrameLog
    {
        std::vector<uint16_t> protocols; //!< their protocol numbers

        /** Handler. */
        void OnFrame(Ptr<NetDevice>,
                     Ptr<const Packet>,
                     uint16_t protocol,
                     const Address&,
                     const Address&,
                     NetDevice::PacketType)
        {
            protocols.push_back(protocol);
        }
    };

    /// What a switch's Forward trace reported.
    struct ForwardLog
    {
        std::vector<Ipv4Header> headers;  //!< the headers
        std::vector<uint32_t> sizes;      //!< packet sizes (without the header)
        std::vector<uint32_t> interfaces; //!< output interfaces

        /** Forward sink. */
        void OnForward(const Ipv4Header& h, Ptr<const Packet> p, uint32_t interface)
        {
            headers.push_back(h);
            sizes.push_back(p->GetSize());
            interfaces.push_back(interface);
        }
    };

    /** \return the counters of a switch's MtpFabricSwitch, forwarded first */
    static std::vector<uint64_t> Counters(Ptr<Node> sw)
    {
        Ptr<MtpFabricSwitch> fs = sw->GetObject<MtpFabricSwitch>();
        std::vector<uint64_t> c{fs->GetForwarded()};
        for (uint32_t k = 0; k < MtpFabricSwitch::N_FALLBACKS; ++k)
        {
            c.push_back(fs->GetFallbacks(MtpFabricSwitch::Fallback(k)));
        }
        return c;
    }

    /** \return "forwarded, not-ipv4, malformed, ttl-expired, too-big, not-forwarded" */
    static std::string Str(const std::vector<uint64_t>& c)
    {
        std::ostringstream s;
        for (size_t i = 0; i < c.size(); ++i)
        {
            s << (i ? "," : "") << c[i];
        }
        return s.str();
    }

    void DoRun() override
    {
        auto dc = LeafSpine();
        dc->SetHostDelivery(MtpDatacenterHelper::HOST_IPV4); // the hosts' IPv4 traces
        dc->Build();
        Ptr<Node> h0 = dc->GetHosts().Get(0);
        Ptr<Node> h5 = dc->GetHosts().Get(5);
        Ptr<Node> leaf0 = dc->GetSwitches().Get(0);
        Ptr<Node> leaf2 = dc->GetSwitches().Get(2);
        Ptr<Node> spine0 = dc->GetSwitches().Get(3);
        Ptr<Node> spine1 = dc->GetSwitches().Get(4);

        RxLog rx0;
        RxLog rx5;
        h0->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Rx",
            MakeCallback(&RxLog::OnRx, &rx0));
        h5->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Rx",
            MakeCallback(&RxLog::OnRx, &rx5));
        DropLog spineDrops;
        for (Ptr<Node> s : {spine0, spine1})
        {
            s->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
                "Drop",
                MakeCallback(&DropLog::OnDrop, &spineDrops));
        }
        ForwardLog leaf0Fast;
        leaf0->GetObject<MtpFabricSwitch>()->TraceConnectWithoutContext(
            "Forward",
            MakeCallback(&ForwardLog::OnForward, &leaf0Fast));
        ForwardCounter leaf0Ipv4;
        leaf0->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            MakeCallback(&ForwardCounter::OnForward, &leaf0Ipv4));
        // A handler of the leaf's stack for IPv6 frames from host 0's link.
        Ptr<NetDevice> leafPort = dc->GetSwitchDevices().Get(0); // leaf 0's port to host 0
        NS_TEST_ASSERT_MSG_EQ(leafPort->GetNode(), leaf0, "switch device 0 is leaf 0's");
        FrameLog leafFrames;
        leaf0->GetObject<TrafficControlLayer>()->RegisterProtocolHandler(
            MakeCallback(&FrameLog::OnFrame, &leafFrames),
            0x86DD,
            leafPort);

        // A UDP listener on host 5 and one on spine 0's first address.
        Ptr<Socket> sink5 = Socket::CreateSocket(h5, UdpSocketFactory::GetTypeId());
        sink5->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        const Ipv4Address spineAddr = spine0->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
        Ptr<Socket> sinkSpine = Socket::CreateSocket(spine0, UdpSocketFactory::GetTypeId());
        sinkSpine->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        uint32_t spineGot = 0;
        sinkSpine->SetRecvCallback([&spineGot](Ptr<Socket> s) {
            while (s->Recv())
            {
                ++spineGot;
            }
        });

        Ptr<Socket> src = Socket::CreateSocket(h0, UdpSocketFactory::GetTypeId());
        src->Bind();
        auto sendTo = [src](Ipv4Address to, uint8_t ttl) {
            src->SetIpTtl(ttl);
            src->SendTo(Create<Packet>(100), 0, InetSocketAddress(to, 9));
        };
        const Ipv4Address a5 = dc->GetHostAddress(5);

        // 1. TTL 64 across the fabric: three fast hops, 61 at host 5.
        Simulator::Schedule(MicroSeconds(10), [&]() { sendTo(a5, 64); });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(rx5.headers.size(), 1u, "host 5 got the TTL 64 datagram");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(rx5.headers[0].GetTtl()), 61u, "3 hops took 3 off");
        NS_TEST_EXPECT_MSG_EQ(Str(Counters(leaf0)), "1,0,0,0,0,0", "leaf 0 forwarded it");
        NS_TEST_EXPECT_MSG_EQ(Str(Counters(leaf2)), "1,0,0,0,0,0", "leaf 2 forwarded it");
        NS_TEST_EXPECT_MSG_EQ(Counters(spine0)[0] + Counters(spine1)[0], 1u, "one spine did");
        NS_TEST_EXPECT_MSG_EQ(leaf0Ipv4.n, 0u, "IPv4 forwarded nothing");
        NS_TEST_ASSERT_MSG_EQ(leaf0Fast.headers.size(), 1u, "leaf 0's Forward trace fired");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(leaf0Fast.headers[0].GetTtl()), 63u, "TTL after the hop");
        NS_TEST_EXPECT_MSG_EQ(leaf0Fast.headers[0].GetDestination(), a5, "to host 5");
        NS_TEST_EXPECT_MSG_EQ(leaf0Fast.sizes[0], 108u, "UDP header and payload, no IPv4");
        NS_TEST_EXPECT_MSG_EQ((leaf0Fast.interfaces[0] == 3 || leaf0Fast.interfaces[0] == 4),
                              true,
                              "out of an uplink (interfaces 3 and 4)");

        // 2. TTL 2: leaf 0 forwards it with TTL 1, the spine hands it to IPv4,
        // which drops it and tells host 0 (ICMP time exceeded).
        Simulator::Schedule(MicroSeconds(1), [&]() { sendTo(a5, 2); });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(rx5.headers.size(), 1u, "TTL 2 does not reach host 5");
        NS_TEST_EXPECT_MSG_EQ(Counters(leaf0)[0], 3u, "leaf 0: the datagram, then the ICMP");
        const uint64_t spineTtl = Counters(spine0)[1 + MtpFabricSwitch::TTL_EXPIRED] +
                                  Counters(spine1)[1 + MtpFabricSwitch::TTL_EXPIRED];
        NS_TEST_EXPECT_MSG_EQ(spineTtl, 1u, "a spine: one TTL fallback");
        NS_TEST_ASSERT_MSG_EQ(spineDrops.reasons.size(), 1u, "IPv4 dropped it at the spine");
        NS_TEST_EXPECT_MSG_EQ(spineDrops.reasons[0],
                              Ipv4L3Protocol::DROP_TTL_EXPIRED,
                              "for its TTL");
        NS_TEST_ASSERT_MSG_EQ(rx0.headers.size(), 1u, "host 0 got an answer");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(rx0.headers[0].GetProtocol()), 1u, "ICMP");

        // 3. TTL 1: leaf 0 hands it to IPv4 itself, which answers.
        Simulator::Schedule(MicroSeconds(1), [&]() { sendTo(a5, 1); });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(Counters(leaf0)[1 + MtpFabricSwitch::TTL_EXPIRED],
                              1u,
                              "leaf 0: one TTL fallback");
        NS_TEST_ASSERT_MSG_EQ(rx0.headers.size(), 2u, "host 0 got a second answer");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(rx0.headers[1].GetProtocol()), 1u, "ICMP again");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(rx0.headers[1].GetTtl()), 64u, "from leaf 0, no hop");

        // 4. To spine 0's own address: no host of the table, so IPv4 routes it
        // at leaf 0 (global routing) and delivers it at the spine.
        Simulator::Schedule(MicroSeconds(1), [&]() { sendTo(spineAddr, 64); });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(spineGot, 1u, "spine 0's socket got it");
        NS_TEST_EXPECT_MSG_EQ(Counters(leaf0)[1 + MtpFabricSwitch::NOT_FORWARDED],
                              1u,
                              "leaf 0: not forwarded by the table");
        NS_TEST_EXPECT_MSG_EQ(leaf0Ipv4.n, 1u, "leaf 0's IPv4 forwarded it");
        NS_TEST_EXPECT_MSG_EQ(Counters(spine0)[1 + MtpFabricSwitch::NOT_FORWARDED],
                              1u,
                              "spine 0: its own address");

        // 5. An IPv4 packet with 10 bytes of padding after its 120 bytes:
        // IPv4 trims it at leaf 0 and forwards it; the next hops are fast.
        Ptr<NetDevice> nic0 = dc->GetHostDevices().Get(0);
        Simulator::Schedule(MicroSeconds(1), [&]() {
            Ipv4Header h;
            h.SetSource(dc->GetHostAddress(0));
            h.SetDestination(a5);
            h.SetProtocol(253); // experimental: no L4 protocol, no ICMP reply
            h.SetTtl(64);
            h.SetPayloadSize(100);
            Ptr<Packet> p = Create<Packet>(110);
            p->AddHeader(h);
            nic0->Send(p, nic0->GetBroadcast(), Ipv4L3Protocol::PROT_NUMBER);
        });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(Counters(leaf0)[1 + MtpFabricSwitch::MALFORMED],
                              1u,
                              "leaf 0: length mismatch");
        NS_TEST_EXPECT_MSG_EQ(leaf0Ipv4.n, 2u, "leaf 0's IPv4 forwarded it");
        NS_TEST_EXPECT_MSG_EQ(Counters(leaf2)[0], 2u, "leaf 2 forwarded it fast");
        NS_TEST_ASSERT_MSG_EQ(rx5.headers.size(), 2u, "host 5 got it");
        NS_TEST_EXPECT_MSG_EQ(rx5.headers[1].GetPayloadSize(), 100u, "trimmed to its length");

        // 6. A frame that is no IPv4 goes to the leaf's stack as it came.
        Simulator::Schedule(MicroSeconds(1), [&]() {
            nic0->Send(Create<Packet>(60), nic0->GetBroadcast(), 0x86DD);
        });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(Counters(leaf0)[1 + MtpFabricSwitch::NOT_IPV4],
                              1u,
                              "leaf 0: not IPv4");
        NS_TEST_ASSERT_MSG_EQ(leafFrames.protocols.size(), 1u, "the stack got the frame");
        NS_TEST_EXPECT_MSG_EQ(leafFrames.protocols[0], 0x86DD, "as IPv6");
        NS_TEST_EXPECT_MSG_EQ(Str(Counters(leaf0)), "3,1,1,1,0,1", "leaf 0's totals");
        Simulator::Destroy();
    }
};

/**
 * Single packets to hosts with the hosts' fast path: delivery to the
 * transport with the Deliver trace, ICMP port unreachable when the transport
 * has no endpoint, and a protocol without a transport handed to IPv4.
 */
class MtpHostPathTestCase : public TestCase
{
  public:
    MtpHostPathTestCase()
        : TestCase("host fast path: delivery, ICMP port unreachable, fallback to IPv4")
    {
    }

  private:
    /// What a host's Deliver trace reported.
    struct DeliverLog
    {
        std::vector<Ipv4Header> headers;  //!< the headers
        std::vector<uint32_t> sizes;      //!< packet sizes (without the header)
        std::vector<uint32_t> interfaces; //!< input interfaces

        /** Deliver sink. */
        void OnDeliver(const Ipv4Header& h, Ptr<const Packet> p, uint32_t interface)
        {
            headers.push_back(h);
            sizes.push_back(p->GetSize());
            interfaces.push_back(interface);
        }
    };

    /** \return "delivered, not-ipv4, malformed, fragment, down, not-local, no-protocol" */
    static std::string Counters(Ptr<Node> host)
    {
        Ptr<MtpFabricHost> fh = host->GetObject<MtpFabricHost>();
        std::ostringstream s;
        s << fh->GetDelivered();
        for (uint32_t k = 0; k < MtpFabricHost::N_FALLBACKS; ++k)
        {
            s << "," << fh->GetFallbacks(MtpFabricHost::Fallback(k));
        }
        return s.str();
    }

    void DoRun() override
    {
        auto dc = LeafSpine();
        dc->Build();
        Ptr<Node> h0 = dc->GetHosts().Get(0);
        Ptr<Node> h5 = dc->GetHosts().Get(5);
        NS_TEST_ASSERT_MSG_NE(h0->GetObject<MtpFabricHost>(), nullptr, "host 0: fast path");
        DeliverLog d0;
        DeliverLog d5;
        h0->GetObject<MtpFabricHost>()->TraceConnectWithoutContext(
            "Deliver",
            MakeCallback(&DeliverLog::OnDeliver, &d0));
        h5->GetObject<MtpFabricHost>()->TraceConnectWithoutContext(
            "Deliver",
            MakeCallback(&DeliverLog::OnDeliver, &d5));
        ForwardCounter ipv4Deliver5;
        h5->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            MakeCallback(&ForwardCounter::OnForward, &ipv4Deliver5));
        Ptr<Socket> sink = Socket::CreateSocket(h5, UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        std::vector<uint32_t> got;
        sink->SetRecvCallback([&got](Ptr<Socket> s) {
            while (Ptr<Packet> p = s->Recv())
            {
                got.push_back(p->GetSize());
            }
        });
        Ptr<Socket> src = Socket::CreateSocket(h0, UdpSocketFactory::GetTypeId());
        src->Bind();
        const Ipv4Address a5 = dc->GetHostAddress(5);

        // 1. A datagram to a bound port: delivered to UDP by the fast path.
        Simulator::Schedule(MicroSeconds(10), [&]() {
            src->SendTo(Create<Packet>(100), 0, InetSocketAddress(a5, 9));
        });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(got.size(), 1u, "the socket got it");
        NS_TEST_EXPECT_MSG_EQ(got[0], 100u, "100 bytes");
        NS_TEST_ASSERT_MSG_EQ(d5.headers.size(), 1u, "host 5's Deliver trace fired");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(d5.headers[0].GetProtocol()), 17u, "UDP");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(d5.headers[0].GetTtl()), 61u, "after 3 hops");
        NS_TEST_EXPECT_MSG_EQ(d5.sizes[0], 108u, "UDP header and payload");
        NS_TEST_EXPECT_MSG_EQ(d5.interfaces[0], 1u, "the NIC's interface");
        NS_TEST_EXPECT_MSG_EQ(ipv4Deliver5.n, 0u, "IPv4 delivered nothing");

        // 2. To a port nobody listens on: UDP says so, host 5 answers with
        // ICMP port unreachable, which host 0's fast path delivers.
        Simulator::Schedule(MicroSeconds(1), [&]() {
            src->SendTo(Create<Packet>(50), 0, InetSocketAddress(a5, 10));
        });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(got.size(), 1u, "nothing more for port 9");
        NS_TEST_ASSERT_MSG_EQ(d0.headers.size(), 1u, "host 0 got an answer");
        NS_TEST_EXPECT_MSG_EQ(uint32_t(d0.headers[0].GetProtocol()), 1u, "ICMP");
        NS_TEST_EXPECT_MSG_EQ(d0.headers[0].GetSource(), a5, "from host 5");

        // 3. A protocol no transport handles: IPv4 takes it (its LocalDeliver).
        Ptr<NetDevice> nic0 = dc->GetHostDevices().Get(0);
        Simulator::Schedule(MicroSeconds(1), [&]() {
            Ipv4Header h;
            h.SetSource(dc->GetHostAddress(0));
            h.SetDestination(a5);
            h.SetProtocol(253);
            h.SetTtl(64);
            h.SetPayloadSize(40);
            Ptr<Packet> p = Create<Packet>(40);
            p->AddHeader(h);
            nic0->Send(p, nic0->GetBroadcast(), Ipv4L3Protocol::PROT_NUMBER);
        });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(ipv4Deliver5.n, 1u, "host 5's IPv4 delivered it");
        NS_TEST_EXPECT_MSG_EQ(Counters(h5), "2,0,0,0,0,0,1", "host 5's totals");
        NS_TEST_EXPECT_MSG_EQ(Counters(h0), "1,0,0,0,0,0,0", "host 0's totals");
        CheckSend(dc.get(), h0, h5);
        Simulator::Destroy();
    }

    /**
     * 4. MtpFabricHost::Send, called as an L4 protocol's down target: the
     * header IPv4 would build (identification counted per destination and
     * protocol, TOS and TTL from the socket tags), and the cases it leaves
     * to Ipv4L3Protocol::Send.
     * \param dc the fabric
     * \param h0 the sending host
     * \param h5 the receiving host (protocols 253 and 254 have no transport
     *        there, so its IPv4 delivers them, with their headers)
     */
    void CheckSend(MtpDatacenterHelper* dc, Ptr<Node> h0, Ptr<Node> h5)
    {
        DeliverLog at5;
        h5->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            MakeCallback(&DeliverLog::OnDeliver, &at5));
        Ptr<MtpFabricHost> fh = h0->GetObject<MtpFabricHost>();
        const Ipv4Address a0 = dc->GetHostAddress(0);
        const Ipv4Address a5 = dc->GetHostAddress(5);
        Ipv4Header probe;
        probe.SetDestination(a5);
        Socket::SocketErrno err;
        Ptr<Ipv4Route> route =
            h0->GetObject<Ipv4>()->GetRoutingProtocol()->RouteOutput(Create<Packet>(),
                                                                     probe,
                                                                     nullptr,
                                                                     err);
        NS_TEST_ASSERT_MSG_NE(route, nullptr, "host 0 has a route to host 5");
        const uint64_t sent = fh->GetSent();
        auto send = [&](uint8_t protocol, uint8_t tos, uint8_t ttl, Ptr<Ipv4Route> r) {
            Ptr<Packet> p = Create<Packet>(30 + protocol % 4);
            if (tos)
            {
                SocketIpTosTag t;
                t.SetTos(tos);
                p->AddPacketTag(t);
            }
            if (ttl)
            {
                SocketIpTtlTag t;
                t.SetTtl(ttl);
                p->AddPacketTag(t);
            }
            fh->Send(p, a0, a5, protocol, r);
        };
        Simulator::Schedule(MicroSeconds(1), [&]() {
            send(253, 0, 0, route);    // identification 0 of (a0, a5, 253)
            send(253, 0x28, 0, route); // 1, TOS 0x28
            send(254, 0, 20, route);   // 0 of (a0, a5, 254), TTL 20
            send(253, 0, 0, route);    // 2
            send(253, 0, 0, nullptr);  // no route: Ipv4L3Protocol::Send
        });
        Simulator::Stop(MicroSeconds(20));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(fh->GetSent() - sent, 4u, "four by the fast path");
        NS_TEST_EXPECT_MSG_EQ(fh->GetSendFallbacks(), 1u, "one left to IPv4");
        NS_TEST_ASSERT_MSG_EQ(at5.headers.size(), 5u, "host 5 got all five");
        std::ostringstream got;
        for (const Ipv4Header& h : at5.headers)
        {
            got << uint32_t(h.GetProtocol()) << ":" << h.GetIdentification() << ":"
                << uint32_t(h.GetTos()) << ":" << uint32_t(h.GetTtl()) << ":" << h.GetPayloadSize()
                << ":" << h.GetSource() << " ";
        }
        // TTL 64 (IPv4's DefaultTtl) or the tag's, less three hops; the packet
        // IPv4 sent counts its own identifications (its first for the triple).
        NS_TEST_EXPECT_MSG_EQ(got.str(),
                              "253:0:0:61:31:10.0.0.1 253:1:40:61:31:10.0.0.1 "
                              "254:0:0:17:32:10.0.0.1 253:2:0:61:31:10.0.0.1 "
                              "253:0:0:61:31:10.0.0.1 ",
                              "headers as IPv4 builds them");
    }
};

/** The `mtp-fabric-switch` suite. */
class MtpFabricSwitchTestSuite : public TestSuite
{
  public:
    MtpFabricSwitchTestSuite()
        : TestSuite("mtp-fabric-switch", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpSwitchPathIdentityTestCase(false));
        AddTestCase(new MtpSwitchPathIdentityTestCase(true));
        AddTestCase(new MtpLinkModelIdentityTestCase(false));
        AddTestCase(new MtpLinkModelIdentityTestCase(true));
        AddTestCase(new MtpSchedulerIdentityTestCase());
        AddTestCase(new MtpSwitchFallbackTestCase());
        AddTestCase(new MtpHostPathTestCase());
    }
};

/// The suite's instance.
static MtpFabricSwitchTestSuite g_mtpFabricSwitchTestSuite;
