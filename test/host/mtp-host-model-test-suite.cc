/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of MtpHostModel on a client -- router -- server network:
 *  - a zero-cost model changes no latency (the hooks add nothing of their own);
 *  - one RPC's latency rises by exactly the configured costs (hand-computed,
 *    in nanoseconds), for every steering policy, with and without bypass;
 *  - a busy application core delays a delivery by its remaining busy time;
 *  - RSS keeps one RPC's packets on one queue and core, and spreads RPCs;
 *  - gen3 never steers to a core busy with application work within
 *    BusyTime while a candidate is free (and gen2, blind to it, does);
 *  - interrupt coalescing fires on the count and on the time threshold;
 *  - the steering policy is an Attribute: gen2 by default, one object per
 *    model from MtpHostModelHelper::SetSteering with its Attributes,
 *    reachable by Config path, and a policy set late takes effect.
 */

#include "../mtp-test-util.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/mtp-host-model-helper.h"
#include "ns3/mtp-host-model.h"
#include "ns3/mtp-steering-policy.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <map>
#include <set>
#include <vector>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/// The TypeIds of the three steering policies.
const char* const POLICIES[] = {"ns3::MtpSameCoreSteering",
                                "ns3::MtpGen2Steering",
                                "ns3::MtpGen3Steering"};

/// A helper whose every cost is zero and whose interrupts fire at once.
MtpHostModelHelper
ZeroCostHelper()
{
    MtpHostModelHelper h;
    h.SetAttribute("CoalesceFrames", UintegerValue(1));
    h.SetAttribute("CoalesceTime", TimeValue(Time(0)));
    for (const char* a : {"InterruptCost",
                          "GroPacketCost",
                          "SoftirqBatchCost",
                          "SoftirqPacketCost",
                          "RecvCost",
                          "SendCost",
                          "TxPacketCost",
                          "DoorbellCost"})
    {
        h.SetAttribute(a, TimeValue(Time(0)));
    }
    h.SetAttribute("RecvByteCost", DoubleValue(0));
    h.SetAttribute("SendByteCost", DoubleValue(0));
    return h;
}

/**
 * Run `sizes.size()` echo RPCs one after another (each 1 ms after the
 * previous start) on a fresh network, with host models on both hosts if
 * `model` is set.
 * \return each RPC's latency, in order
 */
std::vector<Time>
RunSequentialRpcs(const std::vector<uint32_t>& sizes, const MtpHostModelHelper* model)
{
    Network net;
    net.Build();
    if (model)
    {
        model->Install(net.clients.Get(0));
        model->Install(net.server);
    }
    PatternServer server;
    server.Start(net.server, 60);
    Client client;
    client.Start(net.clients.Get(0));
    std::vector<uint64_t> ids(sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i)
    {
        Simulator::Schedule(MicroSeconds(10 + 1000 * i), [&, i]() {
            ids[i] =
                client.socket->SendRequest(MakePattern(i + 1, sizes[i]), net.ServerAddress(60));
        });
    }
    Simulator::Run();
    std::vector<Time> out;
    for (std::size_t i = 0; i < sizes.size(); ++i)
    {
        auto it = client.responses.find(ids[i]);
        bool ok = it != client.responses.end() && IsPattern(it->second, i + 1, sizes[i]);
        out.push_back(ok ? client.latency[ids[i]] : Time(-1));
    }
    Simulator::Destroy();
    return out;
}

/**
 * With every cost zero the model must not change a single latency:
 * its queues, batches and doorbells add no delay of their own.
 */
class MtpHostZeroCostTestCase : public TestCase
{
  public:
    MtpHostZeroCostTestCase()
        : TestCase("zero-cost host model: latencies identical to the ideal host")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint32_t> sizes = {1, 100, 1500, 5000, 30000, 200000};
        std::vector<Time> ideal = RunSequentialRpcs(sizes, nullptr);
        for (const char* policy : POLICIES)
        {
            MtpHostModelHelper h = ZeroCostHelper();
            h.SetSteering(policy);
            std::vector<Time> modelled = RunSequentialRpcs(sizes, &h);
            for (std::size_t i = 0; i < sizes.size(); ++i)
            {
                NS_TEST_ASSERT_MSG_GT(ideal[i], Time(0), "ideal RPC " << i << " completed");
                NS_TEST_EXPECT_MSG_EQ(modelled[i],
                                      ideal[i],
                                      policy << ": RPC of " << sizes[i] << " B");
            }
        }
    }
};

/**
 * One single-packet RPC (100 B each way) with distinct costs on both
 * hosts.  Per direction the message pays, in order:
 *   send call      SendCost 1300 + 100 B x 0.25 ns    = 1325 ns
 *   NIC transmit   DoorbellCost 310 + TxPacketCost 90 =  400 ns
 *   interrupt      CoalesceFrames 1: at once          =    0 ns
 *   NAPI poll      InterruptCost 1000 + GRO 200       = 1200 ns
 *   softirq        batch 500 + packet 700             = 1200 ns
 *                  (inline on the GRO core with ShortBypass: same sum)
 *   receive call   RecvCost 1100 + 100 B x 0.5 ns     = 1150 ns
 *                                                       5275 ns
 * so the RPC takes exactly 2 x 5275 = 10550 ns longer than on ideal hosts.
 * The RPC measured is the second of two: during the first the server also
 * sends CUTOFFS, which on an ideal host delays the response on the wire by
 * its own transmission time (84 B at 10 Gb/s) and would blur the sum.
 */
class MtpHostExactCostTestCase : public TestCase
{
  public:
    MtpHostExactCostTestCase()
        : TestCase("one RPC's latency rises by exactly the configured costs")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint32_t> sizes = {100, 100};
        Time ideal = RunSequentialRpcs(sizes, nullptr)[1];
        NS_TEST_ASSERT_MSG_GT(ideal, Time(0), "ideal RPC completed");
        for (const char* policy : POLICIES)
        {
            for (bool bypass : {false, true})
            {
                MtpHostModelHelper h;
                h.SetSteering(policy);
                h.SetAttribute("ShortBypass", BooleanValue(bypass));
                h.SetAttribute("CoalesceFrames", UintegerValue(1));
                h.SetAttribute("CoalesceTime", TimeValue(MicroSeconds(50)));
                h.SetAttribute("SendCost", TimeValue(NanoSeconds(1300)));
                h.SetAttribute("SendByteCost", DoubleValue(0.25));
                h.SetAttribute("DoorbellCost", TimeValue(NanoSeconds(310)));
                h.SetAttribute("TxPacketCost", TimeValue(NanoSeconds(90)));
                h.SetAttribute("InterruptCost", TimeValue(NanoSeconds(1000)));
                h.SetAttribute("GroPacketCost", TimeValue(NanoSeconds(200)));
                h.SetAttribute("SoftirqBatchCost", TimeValue(NanoSeconds(500)));
                h.SetAttribute("SoftirqPacketCost", TimeValue(NanoSeconds(700)));
                h.SetAttribute("RecvCost", TimeValue(NanoSeconds(1100)));
                h.SetAttribute("RecvByteCost", DoubleValue(0.5));
                Time modelled = RunSequentialRpcs(sizes, &h)[1];
                NS_TEST_EXPECT_MSG_EQ((modelled - ideal).GetNanoSeconds(),
                                      10550,
                                      policy << (bypass ? " with" : " without")
                                             << " short bypass: ideal " << ideal.As(Time::NS)
                                             << ", modelled " << modelled.As(Time::NS));
            }
        }
    }
};

/**
 * The server thread's core is busy with 200 us of work from t = 0; a
 * request that reaches MTP at t_a < 200 us is handed to the application at
 * exactly 200 us + RecvCost, i.e. delayed by the remaining busy time, and
 * the model reports that wait as one backlog event.
 */
class MtpHostBusyAppCoreTestCase : public TestCase
{
  public:
    MtpHostBusyAppCoreTestCase()
        : TestCase("a busy application core delays delivery by its remaining busy time")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        MtpHostModelHelper h = ZeroCostHelper();
        h.SetAttribute("RecvCost", TimeValue(NanoSeconds(700)));
        Ptr<MtpHostModel> model = h.Install(net.server);
        PatternServer server;
        server.Start(net.server, 60);
        Client client;
        client.Start(net.clients.Get(0));
        Time delivered(-1);
        Time handed(-1);
        std::vector<Time> waits;
        // When MTP handed the request over: the socket's Deliver trace fires
        // when the application gets it; the backlog trace says how long it waited.
        server.socket->TraceConnectWithoutContext(
            "Deliver",
            MakeBoundCallback(
                +[](Time* d, Ptr<const Packet>, const MtpRecvInfo&) {
                    if (d->IsNegative())
                    {
                        *d = Simulator::Now();
                    }
                },
                &delivered));
        model->TraceConnectWithoutContext(
            "Backlog",
            MakeBoundCallback(
                +[](std::vector<Time>* w, uint32_t, Time wait) { w->push_back(wait); },
                &waits));
        model->TraceConnectWithoutContext("PacketStages",
                                          MakeBoundCallback(
                                              +[](Time* t, const MtpHostPacketTimes& s) {
                                                  if (t->IsNegative())
                                                  {
                                                      *t = s.softirqDone;
                                                  }
                                              },
                                              &handed));
        Ptr<Socket> srv = server.socket;
        Simulator::Schedule(Time(0), [model, srv]() {
            model->AddAppWork(PeekPointer(srv), MicroSeconds(200));
        });
        Simulator::Schedule(MicroSeconds(10), [&]() {
            client.socket->SendRequest(MakePattern(1, 100), net.ServerAddress(60));
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(handed, Time(0), "the request reached MTP");
        NS_TEST_ASSERT_MSG_LT(handed, MicroSeconds(200), "while the core was busy");
        NS_TEST_EXPECT_MSG_EQ(delivered,
                              MicroSeconds(200) + NanoSeconds(700),
                              "delivered when the busy time ends, plus RecvCost");
        NS_TEST_ASSERT_MSG_EQ(waits.size(), 1, "one backlog event");
        NS_TEST_EXPECT_MSG_EQ(waits[0], MicroSeconds(200) - handed, "waited the remaining time");
        NS_TEST_EXPECT_MSG_EQ(
            model->GetCoreStats(model->GetAppCore(PeekPointer(srv))).backlogEvents,
            1,
            "counted on the thread's core");
        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 1, "the RPC completed");
        Simulator::Destroy();
    }
};

/**
 * Eight clients send 60 KB requests at once to a server with 4 receive
 * queues: every packet of one RPC lands on one queue and one GRO core, and
 * the RPCs use more than one queue.
 */
class MtpHostRssTestCase : public TestCase
{
  public:
    MtpHostRssTestCase()
        : TestCase("RSS keeps one RPC's packets on one core and spreads RPCs")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.nClients = 8;
        net.Build();
        MtpHostModelHelper h;
        h.SetAttribute("NumCores", UintegerValue(4));
        Ptr<MtpHostModel> model = h.Install(net.server);
        PatternServer server;
        server.responseSize = 10;
        server.Start(net.server, 60);
        std::vector<Client> clients(8);
        std::vector<MtpHostPacketTimes> seen;
        model->TraceConnectWithoutContext("PacketStages",
                                          MakeBoundCallback(
                                              +[](std::vector<MtpHostPacketTimes>* v,
                                                  const MtpHostPacketTimes& s) { v->push_back(s); },
                                              &seen));
        for (uint32_t c = 0; c < 8; ++c)
        {
            clients[c].Start(net.clients.Get(c));
            Simulator::Schedule(MicroSeconds(10), [&, c]() {
                clients[c].socket->SendRequest(MakePattern(c, 60000), net.ServerAddress(60));
            });
        }
        Simulator::Run();
        std::map<uint64_t, std::set<uint32_t>> queues;
        std::map<uint64_t, std::set<uint32_t>> groCores;
        std::map<uint64_t, uint32_t> packets;
        for (const auto& s : seen)
        {
            queues[s.rpc].insert(s.rxQueue);
            groCores[s.rpc].insert(s.groCore);
            ++packets[s.rpc];
        }
        NS_TEST_EXPECT_MSG_EQ(queues.size(), 8, "eight RPCs seen");
        std::set<uint32_t> used;
        for (const auto& kv : queues)
        {
            NS_TEST_EXPECT_MSG_GT(packets[kv.first], 40, "a many-packet RPC");
            NS_TEST_EXPECT_MSG_EQ(kv.second.size(), 1, "one queue per RPC");
            NS_TEST_EXPECT_MSG_EQ(groCores[kv.first].size(), 1, "one GRO core per RPC");
            used.insert(*kv.second.begin());
        }
        NS_TEST_EXPECT_MSG_GT(used.size(), 1, "RPCs spread over queues");
        for (uint32_t c = 0; c < 8; ++c)
        {
            NS_TEST_EXPECT_MSG_EQ(clients[c].responses.size(), 1, "client " << c << " done");
        }
        Simulator::Destroy();
    }
};

/**
 * All packets reach GRO core 0 (one receive queue); its gen3 candidates are
 * cores 1, 2, 3; the server thread works on core 1 throughout.  gen3 must
 * never steer a batch to a core that ran application work within BusyTime
 * while one of its candidates had not; gen2, which looks only at softirq
 * and GRO activity, does pick core 1, so the check is not vacuous.
 */
class MtpHostGen3TestCase : public TestCase
{
  public:
    MtpHostGen3TestCase()
        : TestCase("gen3 never picks a core busy within BusyTime when another is free")
    {
    }

  private:
    /// \return steering decisions (softirq core per batch) in a run with `policy`
    std::vector<uint32_t> Run(const std::string& policy, bool& violated)
    {
        Network net;
        net.Build();
        MtpHostModelHelper h;
        h.SetAttribute("NumCores", UintegerValue(4));
        h.SetAttribute("NumRxQueues", UintegerValue(1));
        if (policy == "gen3")
        {
            h.SetSteering("ns3::MtpGen3Steering",
                          "Candidates",
                          StringValue("0:1,2,3"),
                          "BusyTime",
                          TimeValue(MicroSeconds(30)));
        }
        else
        {
            h.SetSteering("ns3::MtpGen2Steering");
        }
        Ptr<MtpHostModel> model = h.Install(net.server);
        PatternServer server;
        server.responseSize = 10;
        server.Start(net.server, 60);
        model->SetAppCore(PeekPointer(server.socket), 1);
        Client client;
        client.Start(net.clients.Get(0));
        // The thread on core 1 works in 20 us slices for 2 ms.
        Ptr<Socket> srv = server.socket;
        for (uint32_t i = 0; i < 100; ++i)
        {
            Simulator::Schedule(MicroSeconds(20 * i), [model, srv]() {
                model->AddAppWork(PeekPointer(srv), MicroSeconds(20));
            });
        }
        for (uint32_t i = 0; i < 4; ++i)
        {
            Simulator::Schedule(MicroSeconds(10 + 300 * i), [&, i]() {
                client.socket->SendRequest(MakePattern(i, 40000), net.ServerAddress(60));
            });
        }

        struct Ctx
        {
            Ptr<MtpHostModel> model;
            std::vector<uint32_t> picks;
            bool violated = false;
        } ctx;

        ctx.model = model;
        model->TraceConnectWithoutContext(
            "Steer",
            MakeBoundCallback(
                +[](Ctx* c, uint32_t gro, uint32_t target, uint32_t) {
                    c->picks.push_back(target);
                    Time now = Simulator::Now();
                    Time busy = MicroSeconds(30);
                    auto isBusy = [&](uint32_t core) {
                        return c->model->GetCoreState(core).lastAppActive + busy > now;
                    };
                    bool anyFree = !isBusy(1) || !isBusy(2) || !isBusy(3);
                    if (gro == 0 && isBusy(target) && anyFree)
                    {
                        c->violated = true;
                    }
                },
                &ctx));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 4, policy << ": RPCs completed");
        Simulator::Destroy();
        violated = ctx.violated;
        return ctx.picks;
    }

    void DoRun() override
    {
        bool violated = false;
        std::vector<uint32_t> gen3 = Run("gen3", violated);
        NS_TEST_ASSERT_MSG_GT(gen3.size(), 20, "gen3 steered batches");
        NS_TEST_EXPECT_MSG_EQ(violated, false, "gen3 avoided busy cores");
        for (uint32_t c : gen3)
        {
            NS_TEST_EXPECT_MSG_NE(c, 1, "gen3 never chose the application's core");
        }
        bool gen2Violated = false;
        std::vector<uint32_t> gen2 = Run("gen2", gen2Violated);
        uint32_t onAppCore = 0;
        for (uint32_t c : gen2)
        {
            onAppCore += c == 1 ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_GT(onAppCore, 0, "gen2 does use the application's core");
        NS_TEST_EXPECT_MSG_EQ(gen2Violated, true, "the check detects a blind policy");
    }
};

/**
 * Interrupt coalescing with CoalesceFrames 4 and CoalesceTime 20 us: a
 * 7-packet request arrives back to back; the first interrupt fires when
 * the 4th packet arrives (count), the second 20 us after the 5th (time).
 */
class MtpHostCoalescingTestCase : public TestCase
{
  public:
    MtpHostCoalescingTestCase()
        : TestCase("interrupt coalescing: count and time thresholds")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        MtpHostModelHelper h = ZeroCostHelper();
        h.SetAttribute("CoalesceFrames", UintegerValue(4));
        h.SetAttribute("CoalesceTime", TimeValue(MicroSeconds(20)));
        Ptr<MtpHostModel> model = h.Install(net.server);
        PatternServer server;
        server.Start(net.server, 60);
        Client client;
        client.Start(net.clients.Get(0));
        std::vector<MtpHostPacketTimes> seen;
        std::vector<std::pair<Time, uint32_t>> irqs;
        model->TraceConnectWithoutContext("PacketStages",
                                          MakeBoundCallback(
                                              +[](std::vector<MtpHostPacketTimes>* v,
                                                  const MtpHostPacketTimes& s) { v->push_back(s); },
                                              &seen));
        model->TraceConnectWithoutContext(
            "Interrupt",
            MakeBoundCallback(
                +[](std::vector<std::pair<Time, uint32_t>>* v, uint32_t, uint32_t n) {
                    v->emplace_back(Simulator::Now(), n);
                },
                &irqs));
        // 7 segments of 1424 B: all unscheduled (UnschedBytes 10000), back to back.
        Simulator::Schedule(MicroSeconds(10), [&]() {
            client.socket->SendRequest(MakePattern(1, 7 * 1424), net.ServerAddress(60));
        });
        Simulator::Stop(MicroSeconds(100));
        Simulator::Run();
        // Later packets (the client's control packets after the response) do not count.
        NS_TEST_ASSERT_MSG_GT_OR_EQ(seen.size(), 7, "seven request packets reached MTP");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(irqs.size(), 2, "two interrupts for them");
        if (seen.size() > 7)
        {
            NS_TEST_EXPECT_MSG_GT(seen[7].nicArrival, irqs[1].first, "the rest came later");
        }
        NS_TEST_EXPECT_MSG_EQ(irqs[0].second, 4, "the first takes four packets");
        NS_TEST_EXPECT_MSG_EQ(irqs[0].first, seen[3].nicArrival, "when the 4th arrived");
        NS_TEST_EXPECT_MSG_EQ(irqs[1].second, 3, "the second takes three");
        NS_TEST_EXPECT_MSG_EQ(irqs[1].first,
                              seen[4].nicArrival + MicroSeconds(20),
                              "20 us after the 5th arrived");
        NS_TEST_EXPECT_MSG_LT(seen[6].nicArrival,
                              seen[4].nicArrival + MicroSeconds(20),
                              "the 7th arrived before the deadline");
        for (std::size_t i = 0; i < 7; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(seen[i].interrupt, irqs[i < 4 ? 0 : 1].first, "packet " << i);
            NS_TEST_EXPECT_MSG_LT_OR_EQ(seen[i].interrupt - seen[i].nicArrival,
                                        MicroSeconds(20),
                                        "no packet waits longer than CoalesceTime");
        }
        Simulator::Destroy();
    }
};

/**
 * The steering policy is an Attribute of the model: without SetSteering a
 * model uses gen2 with Homa's defaults; SetSteering gives every model its
 * own object of the TypeId, with the Attributes given; the gen3 table is
 * resolved against the model's NumCores; and a policy's Attributes are
 * reachable by Config path through the model's Steering Attribute.
 */
class MtpHostSteeringAttributeTestCase : public TestCase
{
  public:
    MtpHostSteeringAttributeTestCase()
        : TestCase("the steering policy is an Attribute holding a per-model policy object")
    {
    }

  private:
    /// \return the model's Steering Attribute
    static Ptr<MtpSteeringPolicy> SteeringOf(Ptr<MtpHostModel> m)
    {
        PointerValue v;
        m->GetAttribute("Steering", v);
        return v.Get<MtpSteeringPolicy>();
    }

    /// \return the gen3 table as plain vectors
    static std::vector<std::vector<uint32_t>> Table(const MtpGen3Steering& g)
    {
        std::vector<std::vector<uint32_t>> out;
        for (const auto& c : g.GetTable())
        {
            out.emplace_back(c.begin(), c.end());
        }
        return out;
    }

    void DoRun() override
    {
        Network net;
        net.nClients = 2;
        net.Build();
        // Default: gen2 with CoresToCheck 4 and GroBusyTime 5 us.
        MtpHostModelHelper plain;
        Ptr<MtpHostModel> a = plain.Install(net.clients.Get(0));
        Ptr<MtpGen2Steering> gen2 = DynamicCast<MtpGen2Steering>(SteeringOf(a));
        NS_TEST_ASSERT_MSG_EQ(bool(gen2), true, "the default policy is gen2");
        NS_TEST_EXPECT_MSG_EQ((&a->GetSteeringPolicy() == PeekPointer(gen2)), true, "and used");
        UintegerValue toCheck;
        gen2->GetAttribute("CoresToCheck", toCheck);
        NS_TEST_EXPECT_MSG_EQ(toCheck.Get(), 4, "Homa's CORES_TO_CHECK");
        TimeValue groBusy;
        gen2->GetAttribute("GroBusyTime", groBusy);
        NS_TEST_EXPECT_MSG_EQ(groBusy.Get(), MicroSeconds(5), "Homa's gro_busy_usecs");

        // SetSteering: one gen3 object per model, with the Attributes given.
        MtpHostModelHelper h;
        h.SetAttribute("NumCores", UintegerValue(4));
        h.SetSteering("ns3::MtpGen3Steering",
                      "BusyTime",
                      TimeValue(MicroSeconds(42)),
                      "Candidates",
                      StringValue("0:3;2:1,0"));
        Ptr<MtpHostModel> b = h.Install(net.clients.Get(1));
        Ptr<MtpHostModel> c = h.Install(net.server);
        Ptr<MtpGen3Steering> gb = DynamicCast<MtpGen3Steering>(SteeringOf(b));
        Ptr<MtpGen3Steering> gc = DynamicCast<MtpGen3Steering>(SteeringOf(c));
        NS_TEST_ASSERT_MSG_EQ(bool(gb), true, "SetSteering chose gen3");
        NS_TEST_ASSERT_MSG_EQ(bool(gc), true, "for every model");
        NS_TEST_EXPECT_MSG_EQ((gb != gc), true, "each model has its own policy object");
        NS_TEST_EXPECT_MSG_EQ(b->GetSteeringPolicy().GetName(), "gen3", "the model uses it");
        NS_TEST_EXPECT_MSG_EQ((&c->GetSteeringPolicy() == PeekPointer(gc)), true, "its own");
        TimeValue busy;
        gc->GetAttribute("BusyTime", busy);
        NS_TEST_EXPECT_MSG_EQ(busy.Get(), MicroSeconds(42), "BusyTime reached the policy");
        std::vector<std::vector<uint32_t>> want = {{3}, {}, {1, 0}, {}};
        NS_TEST_EXPECT_MSG_EQ((Table(*gc) == want), true, "Candidates resolved for 4 cores");

        // A policy Attribute by Config path, through the model's Steering.
        Config::Set("/NodeList/" + std::to_string(net.server->GetId()) +
                        "/$ns3::MtpHostModel/Steering/$ns3::MtpGen3Steering/Candidates",
                    StringValue("1:2"));
        want = {{}, {2}, {}, {}};
        NS_TEST_EXPECT_MSG_EQ((Table(*gc) == want), true, "re-resolved after Config::Set");
        NS_TEST_EXPECT_MSG_EQ((Table(*gb) != want), true, "the other model's policy kept");
        Simulator::Destroy();
    }
};

/**
 * A policy set after the model built its cores is attached and used at
 * once: with MtpSameCoreSteering set late every batch stays on its GRO
 * core, while the gen2 default, on the same traffic, moves batches away.
 */
class MtpHostLateSteeringTestCase : public TestCase
{
  public:
    MtpHostLateSteeringTestCase()
        : TestCase("a steering policy set after set-up takes effect")
    {
    }

  private:
    /**
     * \param late set MtpSameCoreSteering after set-up (else keep gen2)
     * \param[out] moved batches steered away from their GRO core
     * \return batches steered
     */
    uint32_t Run(bool late, uint32_t& moved)
    {
        Network net;
        net.Build();
        MtpHostModelHelper h;
        h.SetAttribute("NumCores", UintegerValue(4));
        Ptr<MtpHostModel> model = h.Install(net.server);
        NS_TEST_EXPECT_MSG_EQ(model->GetSteeringPolicy().GetName(), "gen2", "set up with gen2");
        if (late)
        {
            model->SetAttribute("Steering", PointerValue(CreateObject<MtpSameCoreSteering>()));
        }
        PatternServer server;
        server.Start(net.server, 60);
        Client client;
        client.Start(net.clients.Get(0));
        std::pair<uint32_t, uint32_t> counts{0, 0}; // batches, moved
        model->TraceConnectWithoutContext(
            "Steer",
            MakeBoundCallback(
                +[](std::pair<uint32_t, uint32_t>* n, uint32_t gro, uint32_t target, uint32_t) {
                    ++n->first;
                    n->second += gro != target ? 1 : 0;
                },
                &counts));
        Simulator::Schedule(MicroSeconds(10), [&]() {
            client.socket->SendRequest(MakePattern(1, 100000), net.ServerAddress(60));
        });
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 1, "the RPC completed");
        Simulator::Destroy();
        moved = counts.second;
        return counts.first;
    }

    void DoRun() override
    {
        uint32_t moved = 0;
        NS_TEST_EXPECT_MSG_GT(Run(false, moved), 0, "gen2 steered batches");
        NS_TEST_EXPECT_MSG_GT(moved, 0, "gen2 moves batches off the GRO core");
        NS_TEST_EXPECT_MSG_GT(Run(true, moved), 0, "same-core steered batches");
        NS_TEST_EXPECT_MSG_EQ(moved, 0, "same-core keeps every batch on its GRO core");
    }
};

/**
 * After Simulator::Destroy, nothing but the test holds a host model that
 * ran RPCs: the events it stored (each capturing a Ptr to the model) are
 * released on disposal.  (They once were not: every model leaked, with its
 * node, as a reference cycle that LeakSanitizer reported.)
 */
class MtpHostDisposeTestCase : public TestCase
{
  public:
    MtpHostDisposeTestCase()
        : TestCase("a disposed host model holds no reference to itself")
    {
    }

  private:
    void DoRun() override
    {
        MtpHostModelHelper h;
        h.SetAttribute("CoalesceFrames", UintegerValue(4));
        h.SetAttribute("CoalesceTime", TimeValue(MicroSeconds(20)));
        Network net;
        net.Build();
        Ptr<MtpHostModel> client = h.Install(net.clients.Get(0));
        Ptr<MtpHostModel> server = h.Install(net.server);
        PatternServer echo;
        echo.Start(net.server, 60);
        Client c;
        c.Start(net.clients.Get(0));
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(10), [&]() {
            id = c.socket->SendRequest(MakePattern(7, 30000), net.ServerAddress(60));
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(c.responses.count(id), 1, "the RPC completed");
        c.socket = nullptr;
        Simulator::Destroy();
        NS_TEST_EXPECT_MSG_EQ(client->GetReferenceCount(),
                              1,
                              "client model referenced after Destroy");
        NS_TEST_EXPECT_MSG_EQ(server->GetReferenceCount(),
                              1,
                              "server model referenced after Destroy");
    }
};

/** The suite. */
class MtpHostModelTestSuite : public TestSuite
{
  public:
    MtpHostModelTestSuite()
        : TestSuite("mtp-host-model", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpHostZeroCostTestCase());
        AddTestCase(new MtpHostExactCostTestCase());
        AddTestCase(new MtpHostBusyAppCoreTestCase());
        AddTestCase(new MtpHostRssTestCase());
        AddTestCase(new MtpHostGen3TestCase());
        AddTestCase(new MtpHostCoalescingTestCase());
        AddTestCase(new MtpHostDisposeTestCase());
        AddTestCase(new MtpHostSteeringAttributeTestCase());
        AddTestCase(new MtpHostLateSteeringTestCase());
    }
};

/** Static instance registering the suite. */
MtpHostModelTestSuite g_mtpHostModelTestSuite;

} // namespace
