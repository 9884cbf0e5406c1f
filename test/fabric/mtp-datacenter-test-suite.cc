/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of the datacenter helpers (helper/fabric/mtp-datacenter-helper) and
 * of MtpFabricRouting (model/fabric/mtp-fabric-routing): the topologies are wired
 * as documented, the fabric routing tables hold exactly global routing's
 * paths, ECMP spreads packets (random) or pins flows (flow hash), a downed
 * uplink is routed around, and the unloaded completion time the slowdowns
 * are measured against is what a message on an idle fabric really takes.
 */

#include "../mtp-test-util.h"

#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4.h"
#include "ns3/mtp-datacenter-helper.h"
#include "ns3/mtp-fabric-routing.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/mtp-prio-queue-disc.h"
#include "ns3/mtp-prio-queue.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-disc.h"
#include "ns3/test.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

#include <map>
#include <memory>
#include <set>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/** \return the node's routing protocol as MtpFabricRouting (null if another) */
Ptr<MtpFabricRouting>
FabricOf(Ptr<Node> node)
{
    return DynamicCast<MtpFabricRouting>(node->GetObject<Ipv4>()->GetRoutingProtocol());
}

/** \return a small leaf-spine: 3 racks of 2 hosts, 2 spines */
std::unique_ptr<MtpLeafSpineHelper>
SmallLeafSpine(bool fabric, MtpFabricRouting::EcmpMode mode = MtpFabricRouting::ECMP_RANDOM)
{
    auto ls = std::make_unique<MtpLeafSpineHelper>();
    ls->SetRacks(3);
    ls->SetHostsPerRack(2);
    ls->SetSpines(2);
    ls->SetHostLinkRate(DataRate("10Gbps"));
    ls->SetUplinkRate(DataRate("40Gbps"));
    ls->SetHostLinkDelay(NanoSeconds(250));
    ls->SetUplinkDelay(NanoSeconds(250));
    ls->SetFabricRouting(fabric, mode);
    ls->Build();
    return ls;
}

/** A one-way message from host `src` to host `dst` of the helper. */
void
SendOneWay(MtpDatacenterHelper& dc, Ptr<MtpSocket> s, uint32_t dst, uint32_t size, uint32_t seed)
{
    s->SendTo(MakePattern(seed, size), 0, InetSocketAddress(dc.GetHostAddress(dst), 100));
}

/** Packets a device sent (its MacTx trace). */
struct TxCounter
{
    uint32_t n = 0; //!< packets

    /** MacTx sink. */
    void OnTx(Ptr<const Packet>)
    {
        ++n;
    }
};

/** When the last message ended (a MessageEnd sink). */
struct EndTime
{
    Time at; //!< time of the last MessageEnd

    /** MessageEnd sink. */
    void OnEnd(uint64_t, const Address&, uint32_t, bool)
    {
        at = Simulator::Now();
    }
};

} // namespace

/**
 * The leaf-spine is wired as documented and every fabric table holds, for
 * each host, exactly the next hops global routing would choose among.
 */
class MtpFabricTablesTestCase : public TestCase
{
  public:
    MtpFabricTablesTestCase()
        : TestCase("fabric routing tables equal global routing's equal-cost paths")
    {
    }

  private:
    void DoRun() override
    {
        auto dc = SmallLeafSpine(true);
        NS_TEST_ASSERT_MSG_EQ(dc->GetNHosts(), 6u, "3 racks x 2 hosts");
        NS_TEST_ASSERT_MSG_EQ(dc->GetSwitches().GetN(), 5u, "3 leaves + 2 spines");
        NodeContainer all(dc->GetHosts(), dc->GetSwitches());
        for (uint32_t n = 0; n < all.GetN(); ++n)
        {
            Ptr<MtpFabricRouting> f = FabricOf(all.Get(n));
            NS_TEST_ASSERT_MSG_NE(f, nullptr, "node " << n << " routes with MtpFabricRouting");
        }
        // Hosts: one next hop to each of the 5 other hosts.
        for (uint32_t i = 0; i < 6; ++i)
        {
            Ptr<MtpFabricRouting> f = FabricOf(dc->GetHosts().Get(i));
            NS_TEST_ASSERT_MSG_EQ(f->GetNHostRoutes(), 5u, "host " << i << " knows the others");
            NS_TEST_ASSERT_MSG_EQ(f->GetNNextHops(dc->GetHostAddress(i)), 0u, "not itself");
            for (uint32_t j = 0; j < 6; ++j)
            {
                if (j != i)
                {
                    NS_TEST_ASSERT_MSG_EQ(f->GetNNextHops(dc->GetHostAddress(j)), 1u, "one NIC");
                }
            }
        }
        // Leaves: one way to their own hosts, one per spine to the others.
        for (uint32_t r = 0; r < 3; ++r)
        {
            Ptr<MtpFabricRouting> f = FabricOf(dc->GetSwitches().Get(r));
            for (uint32_t j = 0; j < 6; ++j)
            {
                uint32_t expect = (j / 2 == r) ? 1 : 2;
                NS_TEST_ASSERT_MSG_EQ(f->GetNNextHops(dc->GetHostAddress(j)),
                                      expect,
                                      "leaf " << r << " to host " << j);
            }
        }
        // Spines: one way down to every host.
        for (uint32_t s = 3; s < 5; ++s)
        {
            Ptr<MtpFabricRouting> f = FabricOf(dc->GetSwitches().Get(s));
            for (uint32_t j = 0; j < 6; ++j)
            {
                NS_TEST_ASSERT_MSG_EQ(f->GetNNextHops(dc->GetHostAddress(j)), 1u, "spine down");
            }
        }
        // Random ECMP uses every next hop it has: 64 draws per destination.
        for (uint32_t n = 0; n < all.GetN(); ++n)
        {
            Ptr<MtpFabricRouting> f = FabricOf(all.Get(n));
            for (uint32_t j = 0; j < 6; ++j)
            {
                Ipv4Header h;
                h.SetDestination(dc->GetHostAddress(j));
                h.SetProtocol(146);
                if (f->GetNNextHops(dc->GetHostAddress(j)) == 0)
                {
                    continue;
                }
                std::set<uint32_t> fabricGw;
                for (int t = 0; t < 64; ++t)
                {
                    Socket::SocketErrno err;
                    Ptr<Ipv4Route> r = f->RouteOutput(nullptr, h, nullptr, err);
                    NS_TEST_ASSERT_MSG_NE(r, nullptr, "fabric has a route");
                    fabricGw.insert(r->GetGateway().Get());
                }
                NS_TEST_ASSERT_MSG_EQ(fabricGw.size(),
                                      f->GetNNextHops(dc->GetHostAddress(j)),
                                      "random ECMP uses every next hop (64 draws)");
            }
        }
        Simulator::Destroy();
        // Global routing's own answers on a build without the fabric.
        auto ref = SmallLeafSpine(false);
        for (uint32_t r = 0; r < 3; ++r)
        {
            Ptr<Ipv4> ipv4 = ref->GetSwitches().Get(r)->GetObject<Ipv4>();
            NS_TEST_ASSERT_MSG_EQ(DynamicCast<MtpFabricRouting>(ipv4->GetRoutingProtocol()),
                                  nullptr,
                                  "SetFabricRouting(false) keeps global routing");
            for (uint32_t j = 0; j < 6; ++j)
            {
                Ipv4Header h;
                h.SetDestination(ref->GetHostAddress(j));
                std::set<uint32_t> gw;
                for (int t = 0; t < 64; ++t)
                {
                    Socket::SocketErrno err;
                    Ptr<Ipv4Route> route =
                        ipv4->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
                    NS_TEST_ASSERT_MSG_NE(route, nullptr, "global routing has a route");
                    gw.insert(route->GetGateway().Get());
                }
                NS_TEST_ASSERT_MSG_EQ(gw.size(),
                                      ((j / 2 == r) ? 1u : 2u),
                                      "global routing's ECMP set matches the fabric's");
            }
        }
        Simulator::Destroy();
    }
};

/**
 * Random ECMP sprays one message's packets over both spines; flow hash puts
 * every packet of one flow on one spine; a leaf whose uplink to one spine is
 * down sends everything through the other.
 */
class MtpFabricEcmpTestCase : public TestCase
{
  public:
    /** \param mode ECMP mode \param linkDown take leaf 0's first uplink down */
    MtpFabricEcmpTestCase(MtpFabricRouting::EcmpMode mode, bool linkDown)
        : TestCase(std::string(mode == MtpFabricRouting::ECMP_RANDOM ? "random" : "flow-hash") +
                   " ECMP" + (linkDown ? " with an uplink down" : "") +
                   ": packets over the spines as the mode says; message intact"),
          m_mode(mode),
          m_linkDown(linkDown)
    {
    }

  private:
    void DoRun() override
    {
        auto dc = SmallLeafSpine(true, m_mode);
        // Leaf 0's uplinks: its devices after its 2 host ports (devices are
        // numbered from 1; 0 is loopback), i.e. interfaces 3 and 4.
        Ptr<Node> leaf0 = dc->GetSwitches().Get(0);
        Ptr<Ipv4> ipv4 = leaf0->GetObject<Ipv4>();
        NS_TEST_ASSERT_MSG_EQ(ipv4->GetNInterfaces(), 5u, "loopback, 2 hosts, 2 spines");
        TxCounter up[2];
        for (uint32_t s = 0; s < 2; ++s)
        {
            ipv4->GetNetDevice(3 + s)->TraceConnectWithoutContext(
                "MacTx",
                MakeCallback(&TxCounter::OnTx, &up[s]));
        }
        if (m_linkDown)
        {
            ipv4->SetDown(3);
        }
        PatternServer server;
        server.Start(dc->GetHosts().Get(5), 100);
        Ptr<MtpSocket> client = Network::Socket(dc->GetHosts().Get(0));
        const uint32_t size = 200000; // 141 DATA packets
        Simulator::Schedule(MicroSeconds(1), [&]() { SendOneWay(*dc, client, 5, size, 7); });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(server.received.size(), 1u, "the message arrived");
        NS_TEST_ASSERT_MSG_EQ(IsPattern(server.received[0], 7, size), true, "byte for byte");
        uint32_t total = up[0].n + up[1].n;
        NS_TEST_ASSERT_MSG_GT_OR_EQ(total, 141u, "every DATA packet left leaf 0 upwards");
        if (m_linkDown)
        {
            NS_TEST_ASSERT_MSG_EQ(up[0].n, 0u, "nothing through the downed uplink");
        }
        else if (m_mode == MtpFabricRouting::ECMP_RANDOM)
        {
            // Binomial(total, 1/2): 30%..70% fails with probability < 1e-6.
            NS_TEST_ASSERT_MSG_GT(up[0].n, total * 3 / 10, "spine 0 carries its share");
            NS_TEST_ASSERT_MSG_GT(up[1].n, total * 3 / 10, "spine 1 carries its share");
        }
        else
        {
            NS_TEST_ASSERT_MSG_EQ(std::min(up[0].n, up[1].n), 0u, "one flow, one spine");
        }
        Simulator::Destroy();
    }

    MtpFabricRouting::EcmpMode m_mode; //!< ECMP mode under test
    bool m_linkDown;                   //!< take an uplink down first
};

/**
 * GetUnloadedTime is the formula of mtp-datacenter-helper.h, checked against
 * hand-computed values, and it is what a message really takes on an idle
 * fabric (the receiver's MessageEnd minus the send time).
 */
class MtpUnloadedTimeTestCase : public TestCase
{
  public:
    MtpUnloadedTimeTestCase()
        : TestCase("unloaded completion time: hand-computed, and equal to an idle fabric's")
    {
    }

  private:
    void DoRun() override
    {
        using Hop = MtpDatacenterHelper::Hop;
        // One hop, 1 byte: (1 + 56 + 20 + 2) * 8 bits at 10 Gb/s = 63.2 ns,
        // plus 1 us of propagation.
        std::vector<Hop> one{{DataRate("10Gbps"), MicroSeconds(1)}};
        NS_TEST_ASSERT_MSG_EQ(MtpDatacenterHelper::ComputeUnloadedTime(one, 1, 1500),
                              NanoSeconds(1063),
                              "1 byte, 1 hop");
        // Two hops (10 then 40 Gb/s, 250 ns each), 2000 bytes = packets of
        // 1424 and 576 payload bytes, 1502 and 654 wire bytes.
        //   hop 1: p1 done 1201.6, p2 done 1201.6 + 523.2 = 1724.8
        //   hop 2: p1 starts 1451.6, done 1451.6 + 300.4 = 1752.0;
        //          p2 starts max(1974.8, 1752.0), done 1974.8 + 130.8 = 2105.6
        //   + 250 ns = 2355.6 -> 2356 ns
        std::vector<Hop> two{{DataRate("10Gbps"), NanoSeconds(250)},
                             {DataRate("40Gbps"), NanoSeconds(250)}};
        NS_TEST_ASSERT_MSG_EQ(MtpDatacenterHelper::ComputeUnloadedTime(two, 2000, 1500),
                              NanoSeconds(2356),
                              "2000 bytes, 2 hops");
        // Empty message: one header-only packet.
        NS_TEST_ASSERT_MSG_EQ(MtpDatacenterHelper::ComputeUnloadedTime(one, 0, 1500),
                              NanoSeconds(1062),
                              "0 bytes = 78 wire bytes (62.4 ns) + 1 us");

        // Measured on an idle small leaf-spine: in-rack and cross-rack,
        // one packet and several (all within the unscheduled bytes).
        struct Case
        {
            uint32_t dst;  //!< receiver host
            uint32_t size; //!< message bytes
        };

        for (Case c : {Case{1, 100}, Case{1, 5000}, Case{5, 100}, Case{5, 5000}})
        {
            auto dc = SmallLeafSpine(true);
            Time sent;
            Ptr<MtpL4Protocol> rx = MtpStackHelper::GetMtp(dc->GetHosts().Get(c.dst));
            EndTime end;
            rx->TraceConnectWithoutContext("MessageEnd", MakeCallback(&EndTime::OnEnd, &end));
            PatternServer server;
            server.Start(dc->GetHosts().Get(c.dst), 100);
            Ptr<MtpSocket> client = Network::Socket(dc->GetHosts().Get(0));
            Simulator::Schedule(MicroSeconds(10), [&]() {
                sent = Simulator::Now();
                SendOneWay(*dc, client, c.dst, c.size, 3);
            });
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ(server.received.size(), 1u, "arrived");
            Time expect = dc->GetUnloadedTime(0, c.dst, c.size);
            Time got = end.at - sent;
            NS_TEST_ASSERT_MSG_EQ_TOL(got.GetNanoSeconds(),
                                      expect.GetNanoSeconds(),
                                      1,
                                      "to host " << c.dst << ", " << c.size << " bytes: measured "
                                                 << got << ", formula " << expect);
            Simulator::Destroy();
        }
    }
};

/**
 * A k=4 fat tree: 16 hosts, 20 switches, and MTP RPCs between every pod
 * pair complete with intact responses.
 */
class MtpFatTreeTestCase : public TestCase
{
  public:
    MtpFatTreeTestCase()
        : TestCase("k=4 fat tree: 16 hosts, 20 switches, RPCs across pods intact")
    {
    }

  private:
    void DoRun() override
    {
        MtpFatTreeHelper ft;
        ft.SetK(4);
        ft.SetLinkRate(DataRate("10Gbps"));
        ft.SetLinkDelay(NanoSeconds(500));
        ft.Build();
        NS_TEST_ASSERT_MSG_EQ(ft.GetNHosts(), 16u, "k^3/4 hosts");
        NS_TEST_ASSERT_MSG_EQ(ft.GetSwitches().GetN(), 20u, "5k^2/4 switches");
        // Host 0 to a host of another pod: 6 links.
        NS_TEST_ASSERT_MSG_EQ(ft.GetPath(0, 15).size(), 6u, "cross-pod path");
        NS_TEST_ASSERT_MSG_EQ(ft.GetPath(0, 1).size(), 2u, "same edge switch");
        PatternServer server;
        server.responseSize = 3000;
        server.Start(ft.GetHosts().Get(15), 100);
        std::vector<Client> clients(4);
        for (uint32_t pod = 0; pod < 4; ++pod)
        {
            clients[pod].Start(ft.GetHosts().Get(pod * 4));
            uint32_t p = pod;
            Simulator::Schedule(MicroSeconds(5), [&clients, &ft, p]() {
                clients[p].socket->SendRequest(MakePattern(p, 20000),
                                               InetSocketAddress(ft.GetHostAddress(15), 100));
            });
        }
        Simulator::Run();
        for (uint32_t pod = 0; pod < 4; ++pod)
        {
            NS_TEST_ASSERT_MSG_EQ(clients[pod].responses.size(), 1u, "pod " << pod);
            NS_TEST_ASSERT_MSG_EQ(IsPattern(clients[pod].responses.begin()->second, pod + 1, 3000),
                                  true,
                                  "response intact");
        }
        Simulator::Destroy();
    }
};

/**
 * MtpFabricRouting::ShortestPathRoutes (its own breadth-first search, no
 * global routing tables) finds, for every node and host, exactly the
 * equal-cost next hops Ipv4GlobalRouting chose: the same (interface,
 * gateway) sets, on a leaf-spine and on a k=4 fat tree (where global
 * routing had no route of its own, the search may only give the one link to
 * a host on the node's own link, the host as gateway).  Then a fabric built with
 * SetShortestPathRoutes carries RPCs between every pair of racks or pods intact.
 */
class MtpShortestPathRoutesTestCase : public TestCase
{
  public:
    /** \param fatTree a k=4 fat tree, else a 3-rack leaf-spine */
    explicit MtpShortestPathRoutesTestCase(bool fatTree)
        : TestCase(std::string("shortest-path routes equal global routing's, ") +
                   (fatTree ? "k=4 fat tree" : "leaf-spine")),
          m_fatTree(fatTree)
    {
    }

  private:
    /// A next hop as a comparable pair.
    using Hop = std::pair<uint32_t, uint32_t>;

    /** \return the helper, not built yet */
    std::unique_ptr<MtpDatacenterHelper> Make() const
    {
        if (m_fatTree)
        {
            auto ft = std::make_unique<MtpFatTreeHelper>();
            ft->SetK(4);
            return ft;
        }
        auto ls = std::make_unique<MtpLeafSpineHelper>();
        ls->SetRacks(3);
        ls->SetHostsPerRack(2);
        ls->SetSpines(2);
        return ls;
    }

    /** \return per node and host address, the next hops in `routes` */
    static std::map<std::pair<uint32_t, uint32_t>, std::set<Hop>> Index(
        const std::vector<std::vector<MtpFabricRouting::HostRoute>>& routes)
    {
        std::map<std::pair<uint32_t, uint32_t>, std::set<Hop>> hops;
        for (uint32_t n = 0; n < routes.size(); ++n)
        {
            for (const MtpFabricRouting::HostRoute& r : routes[n])
            {
                hops[{n, r.host.Get()}].insert({r.interface, r.gateway.Get()});
            }
        }
        return hops;
    }

    void CompareWithGlobal()
    {
        std::unique_ptr<MtpDatacenterHelper> dc = Make();
        dc->SetFabricRouting(false); // global routing alone: its tables stay readable
        dc->SetInstallMtp(false);
        dc->Build();
        NodeContainer all(dc->GetHosts(), dc->GetSwitches());
        std::vector<Ipv4Address> hosts;
        for (uint32_t h = 0; h < dc->GetNHosts(); ++h)
        {
            hosts.push_back(dc->GetHostAddress(h));
        }
        std::vector<std::vector<MtpFabricRouting::HostRoute>> global;
        for (uint32_t n = 0; n < all.GetN(); ++n)
        {
            global.push_back(MtpFabricRouting::GlobalRoutes(all.Get(n), hosts));
        }
        auto want = Index(global);
        auto got = Index(MtpFabricRouting::ShortestPathRoutes(all, hosts));
        uint32_t compared = 0;
        uint32_t direct = 0;
        for (const auto& [key, hops] : got)
        {
            auto it = want.find(key);
            if (it == want.end())
            {
                // Only a host on one of the node's own links.
                NS_TEST_EXPECT_MSG_EQ(hops.size(), 1u, "node " << key.first);
                NS_TEST_EXPECT_MSG_EQ(hops.begin()->second, key.second, "gateway is the host");
                ++direct;
                continue;
            }
            NS_TEST_EXPECT_MSG_EQ((hops == it->second),
                                  true,
                                  "node " << key.first << " to " << Ipv4Address(key.second));
            ++compared;
        }
        NS_TEST_EXPECT_MSG_EQ(want.size(), compared, "every global route found");
        NS_TEST_EXPECT_MSG_EQ(compared + direct,
                              all.GetN() * hosts.size() - hosts.size(),
                              "every node has routes to every host but itself");
        Simulator::Destroy();
    }

    void RpcsAcross()
    {
        std::unique_ptr<MtpDatacenterHelper> dc = Make();
        dc->SetShortestPathRoutes(true);
        dc->Build();
        const uint32_t n = dc->GetNHosts();
        PatternServer server;
        server.responseSize = 3000;
        server.Start(dc->GetHosts().Get(n - 1), 100);
        std::vector<Client> clients(n - 1);
        for (uint32_t c = 0; c + 1 < n; ++c)
        {
            clients[c].Start(dc->GetHosts().Get(c));
            Simulator::Schedule(MicroSeconds(5), [&clients, &dc, c, n]() {
                clients[c].socket->SendRequest(MakePattern(c, 20000),
                                               InetSocketAddress(dc->GetHostAddress(n - 1), 100));
            });
        }
        Simulator::Run();
        for (uint32_t c = 0; c + 1 < n; ++c)
        {
            NS_TEST_EXPECT_MSG_EQ(clients[c].responses.size(), 1u, "client " << c);
            if (!clients[c].responses.empty())
            {
                NS_TEST_EXPECT_MSG_EQ(IsPattern(clients[c].responses.begin()->second, c + 1, 3000),
                                      true,
                                      "response intact");
            }
        }
        Simulator::Destroy();
    }

    void DoRun() override
    {
        CompareWithGlobal();
        RpcsAcross();
    }

    bool m_fatTree; //!< which fabric
};

/**
 * Port queues as configured: by default every port's device queue is an
 * MtpPrioQueue with the shared limit and no queue disc above it; switch
 * ports have 8 bands and the ECN threshold, host NICs one band (FIFO) and no
 * marking, or SetHostPortBands' count; PORT_QUEUE_DISC puts MtpPrioQueueDisc
 * over a one-packet device queue instead.  Echo RPCs cross the default
 * fabric intact.
 */
class MtpPortQueueTestCase : public TestCase
{
  public:
    MtpPortQueueTestCase()
        : TestCase("port queues: MtpPrioQueue in the devices, FIFO host NICs, or queue discs")
    {
    }

  private:
    /** \return the MtpPrioQueue of a port (null if another queue) */
    static Ptr<MtpPrioQueue> QueueOf(Ptr<NetDevice> d)
    {
        return DynamicCast<MtpPrioQueue>(MtpDatacenterHelper::GetDeviceQueue(d));
    }

    /** \return the root queue disc of a port (null if none) */
    static Ptr<QueueDisc> DiscOf(Ptr<NetDevice> d)
    {
        return d->GetNode()->GetObject<TrafficControlLayer>()->GetRootQueueDiscOnDevice(d);
    }

    /** \return attribute `name` of q */
    static uint64_t Attr(Ptr<MtpPrioQueue> q, const std::string& name)
    {
        UintegerValue v;
        q->GetAttribute(name, v);
        return v.Get();
    }

    void DoRun() override
    {
        {
            MtpLeafSpineHelper ls;
            ls.SetRacks(2);
            ls.SetHostsPerRack(2);
            ls.SetSpines(1);
            ls.SetQueueDiscPackets(77);
            ls.SetEcnThreshold(9);
            ls.Build();
            for (uint32_t i = 0; i < ls.GetSwitchDevices().GetN(); ++i)
            {
                Ptr<NetDevice> d = ls.GetSwitchDevices().Get(i);
                Ptr<MtpPrioQueue> q = QueueOf(d);
                NS_TEST_ASSERT_MSG_NE(q, nullptr, "switch port " << i << ": MtpPrioQueue");
                NS_TEST_EXPECT_MSG_EQ(DiscOf(d), nullptr, "switch port " << i << ": no queue disc");
                NS_TEST_EXPECT_MSG_EQ(Attr(q, "Bands"), 8u, "switch port " << i << ": 8 bands");
                NS_TEST_EXPECT_MSG_EQ(Attr(q, "MaxPackets"), 77u, "switch port " << i << ": limit");
                NS_TEST_EXPECT_MSG_EQ(Attr(q, "EcnThreshold"), 9u, "switch port " << i << ": K");
            }
            for (uint32_t i = 0; i < ls.GetHostDevices().GetN(); ++i)
            {
                Ptr<NetDevice> d = ls.GetHostDevices().Get(i);
                Ptr<MtpPrioQueue> q = QueueOf(d);
                NS_TEST_ASSERT_MSG_NE(q, nullptr, "host " << i << ": MtpPrioQueue");
                NS_TEST_EXPECT_MSG_EQ(DiscOf(d), nullptr, "host " << i << ": no queue disc");
                NS_TEST_EXPECT_MSG_EQ(Attr(q, "Bands"), 1u, "host " << i << ": FIFO");
                NS_TEST_EXPECT_MSG_EQ(Attr(q, "MaxPackets"), 77u, "host " << i << ": limit");
                NS_TEST_EXPECT_MSG_EQ(Attr(q, "EcnThreshold"), 0u, "host " << i << ": no marking");
            }

            // Echo RPCs from three hosts to host 0 (one in-rack, two across).
            PatternServer server;
            server.Start(ls.GetHosts().Get(0), 100);
            std::vector<Client> clients(4);
            std::vector<uint64_t> ids(4, 0);
            for (uint32_t h = 1; h < 4; ++h)
            {
                clients[h].Start(ls.GetHosts().Get(h));
                ids[h] =
                    clients[h].socket->SendRequest(MakePattern(h, 30000 * h),
                                                   InetSocketAddress(ls.GetHostAddress(0), 100));
            }
            Simulator::Run();
            for (uint32_t h = 1; h < 4; ++h)
            {
                NS_TEST_ASSERT_MSG_EQ(clients[h].responses.count(ids[h]),
                                      1u,
                                      "host " << h << " answered");
                Ptr<Packet> want = MakePattern(h, 30000 * h);
                Ptr<Packet> got = clients[h].responses[ids[h]];
                NS_TEST_ASSERT_MSG_EQ(got->GetSize(), want->GetSize(), "host " << h << " length");
                std::vector<uint8_t> a(want->GetSize());
                std::vector<uint8_t> b(got->GetSize());
                want->CopyData(a.data(), a.size());
                got->CopyData(b.data(), b.size());
                NS_TEST_EXPECT_MSG_EQ((a == b), true, "host " << h << ": echo intact");
            }
            Simulator::Destroy();
        }
        {
            MtpLeafSpineHelper ls;
            ls.SetRacks(1);
            ls.SetHostsPerRack(2);
            ls.SetSpines(0);
            ls.SetHostPortBands(8);
            ls.Build();
            NS_TEST_EXPECT_MSG_EQ(Attr(QueueOf(ls.GetHostDevices().Get(0)), "Bands"),
                                  8u,
                                  "SetHostPortBands reaches the host NICs");
            Simulator::Destroy();
        }
        {
            MtpLeafSpineHelper ls;
            ls.SetRacks(1);
            ls.SetHostsPerRack(2);
            ls.SetSpines(0);
            ls.SetPortQueue(MtpDatacenterHelper::PORT_QUEUE_DISC);
            ls.Build();
            for (uint32_t i = 0; i < ls.GetSwitchDevices().GetN(); ++i)
            {
                Ptr<NetDevice> d = ls.GetSwitchDevices().Get(i);
                NS_TEST_EXPECT_MSG_EQ(QueueOf(d),
                                      nullptr,
                                      "queue-disc ports: DropTail device queue");
                NS_TEST_EXPECT_MSG_NE(DynamicCast<MtpPrioQueueDisc>(DiscOf(d)),
                                      nullptr,
                                      "queue-disc ports: MtpPrioQueueDisc");
                NS_TEST_EXPECT_MSG_EQ(
                    MtpDatacenterHelper::GetDeviceQueue(d)->GetMaxSize().GetValue(),
                    1u,
                    "queue-disc ports: one-packet device queue");
            }
            Simulator::Destroy();
        }
    }
};

/** The datacenter test suite. */
class MtpDatacenterTestSuite : public TestSuite
{
  public:
    MtpDatacenterTestSuite()
        : TestSuite("mtp-datacenter", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpFabricTablesTestCase());
        AddTestCase(new MtpFabricEcmpTestCase(MtpFabricRouting::ECMP_RANDOM, false));
        AddTestCase(new MtpFabricEcmpTestCase(MtpFabricRouting::ECMP_FLOW_HASH, false));
        AddTestCase(new MtpFabricEcmpTestCase(MtpFabricRouting::ECMP_RANDOM, true));
        AddTestCase(new MtpUnloadedTimeTestCase());
        AddTestCase(new MtpFatTreeTestCase());
        AddTestCase(new MtpShortestPathRoutesTestCase(false));
        AddTestCase(new MtpShortestPathRoutesTestCase(true));
        AddTestCase(new MtpPortQueueTestCase());
    }
};

/// The suite's instance.
static MtpDatacenterTestSuite g_mtpDatacenterTestSuite;
