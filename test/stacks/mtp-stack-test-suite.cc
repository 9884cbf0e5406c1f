/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the transport-stack registry and per-socket stacks (FreeBSD
 * tcp_functions semantics): every registry error, selection and switching
 * with the Init/Fini order, handoff with live RPCs accepted and refused,
 * server RPCs that follow their socket's stack, and every shipped stack
 * completing the same lossy RPC set (1 B .. 1 MB, 5% loss).
 */

#include "../mtp-test-util.h"

#include "ns3/error-model.h"
#include "ns3/mtp-homa-stack.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-stack.h"
#include "ns3/pointer.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"

#include <memory>
#include <sstream>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/** The node's MTP instance. */
Ptr<MtpL4Protocol>
MtpOf(Ptr<Node> node)
{
    return node->GetObject<MtpL4Protocol>();
}

/**
 * A stack for the tests: Homa's engine under another name, whose handoff
 * answer is chosen by the test and whose hooks are written to a shared log
 * ("init NAME", "fini NAME switching").
 */
class TestStack : public MtpHomaStack
{
  public:
    /**
     * \param name the registration name (any string, to test validation)
     * \param log where the hooks write
     * \param handoff what HandoffOk answers
     */
    TestStack(std::string name, std::shared_ptr<std::vector<std::string>> log, MtpError handoff)
        : m_name(std::move(name)),
          m_log(std::move(log)),
          m_handoff(handoff)
    {
    }

    std::string GetName() const override
    {
        return m_name;
    }

    Ptr<MtpStack> Fork() const override
    {
        return CreateObject<TestStack>(m_name, m_log, m_handoff);
    }

    MtpError HandoffOk(const MtpSocket& socket) const override
    {
        m_log->push_back("handoff " + m_name);
        return m_handoff;
    }

    void Init(MtpSocket& socket) override
    {
        m_log->push_back("init " + m_name);
        MtpHomaStack::Init(socket);
    }

    void Fini(MtpSocket& socket, bool switching) override
    {
        m_log->push_back("fini " + m_name + (switching ? " switching" : " closing"));
        MtpHomaStack::Fini(socket, switching);
    }

  private:
    std::string m_name;                              //!< registration name
    std::shared_ptr<std::vector<std::string>> m_log; //!< hook log
    MtpError m_handoff;                              //!< HandoffOk's answer
};

/** \return a TestStack */
Ptr<TestStack>
MakeTestStack(const std::string& name,
              std::shared_ptr<std::vector<std::string>> log = nullptr,
              MtpError handoff = MtpError::OK)
{
    if (!log)
    {
        log = std::make_shared<std::vector<std::string>>();
    }
    return CreateObject<TestStack>(name, log, handoff);
}

/** \return "a,b,c" */
std::string
Join(const std::vector<std::string>& v)
{
    std::ostringstream os;
    for (std::size_t i = 0; i < v.size(); ++i)
    {
        os << (i ? "," : "") << v[i];
    }
    return os.str();
}

/** Registration and removal: each tcp_functions error. */
class MtpStackRegistryTestCase : public TestCase
{
  public:
    MtpStackRegistryTestCase()
        : TestCase("registry: register and deregister errors, list, being-removed stacks")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpL4Protocol> mtp = MtpOf(net.server);
        NS_TEST_EXPECT_MSG_EQ(Join(mtp->GetStackNames()), "homa,unsched,phost", "shipped stacks");
        NS_TEST_EXPECT_MSG_EQ(mtp->GetDefaultStack()->GetName(), "homa", "default");

        NS_TEST_EXPECT_MSG_EQ(mtp->RegisterStack(nullptr), MtpError::INVAL, "null");
        NS_TEST_EXPECT_MSG_EQ(mtp->RegisterStack(MakeTestStack("")), MtpError::INVAL, "empty");
        NS_TEST_EXPECT_MSG_EQ(mtp->RegisterStack(MakeTestStack("Bad Name")),
                              MtpError::INVAL,
                              "upper case and space");
        NS_TEST_EXPECT_MSG_EQ(mtp->RegisterStack(MakeTestStack(std::string(33, 'a'))),
                              MtpError::INVAL,
                              "33 characters");
        NS_TEST_EXPECT_MSG_EQ(mtp->RegisterStack(MakeTestStack(std::string(32, 'a'))),
                              MtpError::OK,
                              "32 characters");
        NS_TEST_EXPECT_MSG_EQ(mtp->RegisterStack(MakeTestStack("homa")),
                              MtpError::ALREADY,
                              "taken name");
        Ptr<TestStack> t = MakeTestStack("test-1");
        NS_TEST_EXPECT_MSG_EQ(mtp->RegisterStack(t), MtpError::OK, "register");
        NS_TEST_EXPECT_MSG_EQ(MtpOf(net.clients.Get(0))->RegisterStack(t),
                              MtpError::INVAL,
                              "a stack object bound to another node");
        NS_TEST_EXPECT_MSG_EQ(MtpOf(net.clients.Get(0))->RegisterStack(t->Fork()),
                              MtpError::OK,
                              "its fork registers there");
        Ptr<MtpStack> fork = mtp->GetStack("unsched")->Fork();
        NS_TEST_EXPECT_MSG_EQ((fork != mtp->GetStack("unsched") && !fork->GetL4()),
                              true,
                              "Fork makes a new, unbound engine");
        NS_TEST_EXPECT_MSG_EQ(fork->GetInstanceTypeId(),
                              TypeId::LookupByName("ns3::MtpUnschedStack"),
                              "of the same class");
        NS_TEST_EXPECT_MSG_EQ(Join(mtp->GetStackNames()),
                              "homa,unsched,phost," + std::string(32, 'a') + ",test-1",
                              "registration order");

        NS_TEST_EXPECT_MSG_EQ(mtp->DeregisterStack("nope"), MtpError::NOENT, "unknown");
        NS_TEST_EXPECT_MSG_EQ(mtp->DeregisterStack("homa"), MtpError::PERM, "built-in default");
        mtp->SetAttribute("DefaultStack", StringValue("test-1"));
        NS_TEST_EXPECT_MSG_EQ(mtp->DeregisterStack("test-1"),
                              MtpError::PERM,
                              "the configured default");
        mtp->SetAttribute("DefaultStack", StringValue("homa"));

        Ptr<MtpSocket> s = Network::Socket(net.server);
        NS_TEST_EXPECT_MSG_EQ(s->SetStack("test-1"), 0, "select");
        NS_TEST_EXPECT_MSG_EQ(mtp->DeregisterStack("test-1"), MtpError::BUSY, "in use");
        NS_TEST_EXPECT_MSG_EQ(Join(mtp->GetStackNames()),
                              "homa,unsched,phost," + std::string(32, 'a'),
                              "a stack being removed is not listed");
        Ptr<MtpSocket> s2 = Network::Socket(net.server);
        NS_TEST_EXPECT_MSG_EQ(s2->SetStack("test-1"), -1, "cannot select it");
        NS_TEST_EXPECT_MSG_EQ(s2->GetMtpErrno(), MtpError::NOENT, "ENOENT");
        NS_TEST_EXPECT_MSG_EQ(s->GetStackName(), "test-1", "its user keeps it");
        s->Close();
        NS_TEST_EXPECT_MSG_EQ(t->GetSocketCount(), 0, "no user left");
        NS_TEST_EXPECT_MSG_EQ(mtp->DeregisterStack("test-1"), MtpError::OK, "then it goes");
        NS_TEST_EXPECT_MSG_EQ(mtp->DeregisterStack("test-1"), MtpError::NOENT, "gone");
        NS_TEST_EXPECT_MSG_EQ(mtp->DeregisterStack(std::string(32, 'a')),
                              MtpError::OK,
                              "an unused stack goes at once");
        Simulator::Destroy();
    }
};

/** Per-socket selection: errors, no-op, Init/Fini order, the trace. */
class MtpStackSwitchTestCase : public TestCase
{
  public:
    MtpStackSwitchTestCase()
        : TestCase("socket: select by name, no-op, Init and Fini order, StackSwitch trace")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpL4Protocol> mtp = MtpOf(net.server);
        auto log = std::make_shared<std::vector<std::string>>();
        mtp->RegisterStack(MakeTestStack("a", log));
        mtp->RegisterStack(MakeTestStack("b", log));
        Ptr<MtpSocket> s = Network::Socket(net.server);
        std::vector<std::string> switches;
        s->TraceConnectWithoutContext("StackSwitch",
                                      MakeCallback(+[](std::vector<std::string>* v,
                                                       const std::string& from,
                                                       const std::string& to) {
                                          v->push_back(from + ">" + to);
                                      }).Bind(&switches));
        NS_TEST_EXPECT_MSG_EQ(s->GetStackName(), "homa", "new sockets get the default");
        NS_TEST_EXPECT_MSG_EQ(s->SetStack("missing"), -1, "unknown stack");
        NS_TEST_EXPECT_MSG_EQ(s->GetMtpErrno(), MtpError::NOENT, "ENOENT");
        NS_TEST_EXPECT_MSG_EQ(s->SetStack("homa"), 0, "the same stack");
        NS_TEST_EXPECT_MSG_EQ(switches.size(), 0, "is a no-op: no switch");
        NS_TEST_EXPECT_MSG_EQ(s->SetStack("a"), 0, "to a");
        NS_TEST_EXPECT_MSG_EQ(s->SetStack("b"), 0, "to b");
        NS_TEST_EXPECT_MSG_EQ(s->SetStack("b"), 0, "b again");
        s->Close();
        NS_TEST_EXPECT_MSG_EQ(Join(switches), "homa>a,a>b", "StackSwitch fired per real switch");
        // No RPCs: no handoff question; the old stack's Fini runs before the new Init.
        NS_TEST_EXPECT_MSG_EQ(Join(*log),
                              "init a,fini a switching,init b,fini b closing",
                              "hook order");
        NS_TEST_EXPECT_MSG_EQ(s->SetStack("a"), -1, "closed socket");
        NS_TEST_EXPECT_MSG_EQ(s->GetMtpErrno(), MtpError::BADF, "EBADF");

        // DefaultStack decides what new sockets get.
        mtp->SetAttribute("DefaultStack", StringValue("unsched"));
        NS_TEST_EXPECT_MSG_EQ(Network::Socket(net.server)->GetStackName(),
                              "unsched",
                              "DefaultStack");
        Simulator::Destroy();
    }
};

/**
 * Switching with live RPCs: the new stack's HandoffOk decides.  A 300 KB
 * echo RPC is in flight on the client when the client's socket tries a
 * refusing stack (EBUSY, then EINVAL: nothing changes) and then moves to
 * "unsched", which adopts the RPC; the response still arrives intact.
 */
class MtpStackHandoffTestCase : public TestCase
{
  public:
    MtpStackHandoffTestCase()
        : TestCase("handoff: live RPCs, refused (EBUSY, EINVAL) and accepted")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        auto log = std::make_shared<std::vector<std::string>>();
        cm->RegisterStack(MakeTestStack("busy", log, MtpError::BUSY));
        cm->RegisterStack(MakeTestStack("inval", log, MtpError::INVAL));
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(MakePattern(42, 300000), net.ServerAddress(100));
        });
        std::vector<std::string> results;
        Simulator::Schedule(MicroSeconds(100), [&]() {
            NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 1, "the RPC is live");
            int r = client.socket->SetStack("busy");
            results.push_back(std::to_string(r) + " " + MtpErrorName(client.socket->GetMtpErrno()));
            r = client.socket->SetStack("inval");
            results.push_back(std::to_string(r) + " " + MtpErrorName(client.socket->GetMtpErrno()));
            results.push_back(client.socket->GetStackName());
            r = client.socket->SetStack("unsched");
            results.push_back(std::to_string(r));
            results.push_back(client.socket->GetStackName());
            Ptr<MtpStack> unsched = cm->GetStack("unsched");
            results.push_back(std::to_string(unsched->GetLiveRpcCount()));
            results.push_back(std::to_string(cm->GetStack("homa")->GetLiveRpcCount()));
        });
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(Join(results),
                              "-1 EBUSY,-1 EINVAL,homa,0,unsched,1,0",
                              "refused twice, then adopted by unsched");
        NS_TEST_EXPECT_MSG_EQ(Join(*log), "handoff busy,handoff inval", "only HandoffOk ran");
        NS_TEST_ASSERT_MSG_EQ(client.responses.count(id), 1, "the response arrived");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 42, 300000), true, "intact");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "no failure");
        NS_TEST_EXPECT_MSG_EQ(cm->GetLiveRpcCount(), 0, "nothing left");
        Simulator::Destroy();
    }
};

/**
 * A server socket on "unsched" serves Homa clients: its server RPCs run on
 * its stack (counted there, not in homa), its 100 KB responses go without
 * grants (the client grants nothing), while the server still grants the
 * Homa client's 100 KB request.
 */
class MtpStackInheritTestCase : public TestCase
{
  public:
    MtpStackInheritTestCase()
        : TestCase("server RPCs run on their socket's stack; homa and unsched interoperate")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        PatternServer server;
        server.Start(net.server, 100);
        NS_TEST_ASSERT_MSG_EQ(server.socket->SetStack("unsched"), 0, "server on unsched");
        Client client;
        client.Start(net.clients.Get(0));
        std::vector<uint64_t> ids;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            for (uint32_t k = 0; k < 3; ++k)
            {
                ids.push_back(
                    client.socket->SendRequest(MakePattern(k, 100000), net.ServerAddress(100)));
            }
        });
        uint32_t unschedLive = 0;
        uint32_t homaLive = 0;
        Simulator::Schedule(MicroSeconds(150), [&]() {
            unschedLive = sm->GetStack("unsched")->GetLiveRpcCount();
            homaLive = sm->GetStack("homa")->GetLiveRpcCount();
        });
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_GT(unschedLive, 0, "server RPCs live in unsched");
        NS_TEST_EXPECT_MSG_EQ(homaLive, 0, "none in homa");
        for (uint64_t id : ids)
        {
            NS_TEST_EXPECT_MSG_EQ(client.responses.count(id), 1, "response " << id);
        }
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().grantsSent,
                              0,
                              "unscheduled responses need no grant");
        NS_TEST_EXPECT_MSG_GT(sm->GetMetrics().grantsSent, 0, "the server grants Homa's requests");
        Simulator::Destroy();
    }
};

/**
 * The same RPC set on every shipped stack: 4 clients x 12 echo RPCs of
 * 1 B .. 1 MB with 5% random loss both ways on the server link.  Every RPC
 * completes exactly once, byte for byte, and nothing is left live.
 */
class MtpStackLossTestCase : public TestCase
{
  public:
    /** \param stack the stack every socket selects */
    explicit MtpStackLossTestCase(std::string stack)
        : TestCase("stack " + stack + ": RPCs of 1 B .. 1 MB at 5% loss complete exactly once"),
          m_stack(std::move(stack))
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(11);
        RngSeedManager::SetRun(1);
        Network net;
        net.nClients = 4;
        net.Build();
        for (int k = 0; k < 2; ++k)
        {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(0.05);
            em->AssignStreams(200 + k);
            net.serverLink.Get(k)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
        PatternServer server;
        server.Start(net.server, 100);
        NS_TEST_ASSERT_MSG_EQ(server.socket->SetStack(m_stack), 0, "server stack");
        const std::vector<uint32_t> sizes =
            {1, 100, 1400, 5000, 12000, 60000, 150000, 1000000, 700, 30000, 9000, 250000};
        std::vector<Client> clients(4);
        std::map<std::pair<uint32_t, uint64_t>, std::pair<uint32_t, uint32_t>> started;
        for (uint32_t c = 0; c < 4; ++c)
        {
            clients[c].Start(net.clients.Get(c));
            NS_TEST_ASSERT_MSG_EQ(clients[c].socket->SetStack(m_stack), 0, "client stack");
            for (uint32_t r = 0; r < sizes.size(); ++r)
            {
                uint32_t seed = 100 * c + r;
                uint32_t size = sizes[(r + 5 * c) % sizes.size()];
                Simulator::Schedule(MicroSeconds(11 * c + 200 * r), [&, c, seed, size]() {
                    uint64_t id = clients[c].socket->SendRequest(MakePattern(seed, size),
                                                                 net.ServerAddress(100));
                    started[{c, id}] = {seed, size};
                });
            }
        }
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        uint32_t intact = 0;
        uint32_t failures = 0;
        for (auto& kv : started)
        {
            auto& responses = clients[kv.first.first].responses;
            auto it = responses.find(kv.first.second);
            intact +=
                it != responses.end() && IsPattern(it->second, kv.second.first, kv.second.second);
        }
        for (auto& c : clients)
        {
            failures += c.failures.size();
        }
        NS_TEST_EXPECT_MSG_EQ(started.size(), 48, "48 RPCs started");
        NS_TEST_EXPECT_MSG_EQ(intact, 48, "every response intact");
        NS_TEST_EXPECT_MSG_EQ(failures, 0, "no failure");
        NS_TEST_EXPECT_MSG_EQ(server.executions.size(), 48, "48 requests");
        for (auto& kv : server.executions)
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second, 1, "executed once");
        }
        uint64_t retransmitted = 0;
        for (uint32_t n = 0; n < net.clients.GetN(); ++n)
        {
            retransmitted += MtpOf(net.clients.Get(n))->GetMetrics().packetsRetransmitted;
            NS_TEST_EXPECT_MSG_EQ(MtpOf(net.clients.Get(n))->GetLiveRpcCount(), 0, "client idle");
        }
        retransmitted += MtpOf(net.server)->GetMetrics().packetsRetransmitted;
        uint64_t fifoGrants = MtpOf(net.server)->GetMetrics().fifoGrants;
        for (uint32_t n = 0; n < net.clients.GetN(); ++n)
        {
            fifoGrants += MtpOf(net.clients.Get(n))->GetMetrics().fifoGrants;
        }
        if (m_stack == "homa")
        {
            // 1 MB messages take more than 190 KB of SRPT grants: FIFO grants follow.
            NS_TEST_EXPECT_MSG_GT(fifoGrants, 0, "homa gives FIFO grants (fifo_grants counted)");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(fifoGrants, 0, m_stack << " gives no FIFO grant");
        }
        NS_TEST_EXPECT_MSG_GT(retransmitted, 0, "losses were repaired");
        NS_TEST_EXPECT_MSG_EQ(MtpOf(net.server)->GetLiveRpcCount(), 0, "server idle");
        Simulator::Destroy();
    }

    std::string m_stack; //!< stack under test
};

/**
 * Attributes changed after sockets exist apply at once: the grant settings
 * reach every stack's scheduler (phost keeps its own overcommit), the pacer
 * settings reach the pacer, NumPriorities moves the scheduled levels, and a
 * request started after Window grew is granted with the new window.
 */
class MtpStackLiveConfigTestCase : public TestCase
{
  public:
    MtpStackLiveConfigTestCase()
        : TestCase("Attributes changed after sockets exist apply at once")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpHomaStack> phost = DynamicCast<MtpHomaStack>(sm->GetStack("phost"));
        NS_TEST_ASSERT_MSG_NE(phost, nullptr, "phost is a Homa-derived stack");
        NS_TEST_EXPECT_MSG_EQ(sm->GetGrantScheduler().GetConfig().window, 10000, "default");

        sm->SetAttribute("Window", UintegerValue(30000));
        sm->SetAttribute("MaxOvercommit", UintegerValue(3));
        sm->SetAttribute("MaxIncoming", UintegerValue(123456));
        sm->SetAttribute("GrantFifoFraction", UintegerValue(0));
        sm->SetAttribute("FifoGrantIncrement", UintegerValue(7777));
        const MtpGrantScheduler::Config& g = sm->GetGrantScheduler().GetConfig();
        NS_TEST_EXPECT_MSG_EQ(g.window, 30000, "Window");
        NS_TEST_EXPECT_MSG_EQ(g.maxOvercommit, 3, "MaxOvercommit");
        NS_TEST_EXPECT_MSG_EQ(g.maxIncoming, 123456, "MaxIncoming");
        NS_TEST_EXPECT_MSG_EQ(g.fifoFractionPerMille, 0, "GrantFifoFraction");
        NS_TEST_EXPECT_MSG_EQ(g.fifoGrantIncrement, 7777, "FifoGrantIncrement");
        const MtpGrantScheduler::Config& pg = phost->GetGrantScheduler().GetConfig();
        NS_TEST_EXPECT_MSG_EQ(pg.window, 30000, "phost: Window");
        NS_TEST_EXPECT_MSG_EQ(pg.maxIncoming, 123456, "phost: MaxIncoming");
        NS_TEST_EXPECT_MSG_EQ(pg.maxOvercommit, 1, "phost: its ActiveSenders, not MaxOvercommit");

        // 8 levels, 4 cutoffs: scheduled levels 0..3; with 4 levels only 0.
        uint16_t version = sm->GetCutoffVersion();
        NS_TEST_EXPECT_MSG_EQ(int(g.maxSchedPriority), 3, "8 levels");
        sm->SetAttribute("NumPriorities", UintegerValue(4));
        NS_TEST_EXPECT_MSG_EQ(int(g.maxSchedPriority), 0, "NumPriorities 4");
        NS_TEST_EXPECT_MSG_NE(sm->GetCutoffVersion(), version, "new cutoffs, new version");
        NS_TEST_EXPECT_MSG_EQ(sm->GetCutoffs()[3], 200, "top level: the first cutoff");
        NS_TEST_EXPECT_MSG_EQ(sm->GetCutoffs()[1], 1000000, "lowest unscheduled level: all");
        NS_TEST_EXPECT_MSG_EQ(sm->GetCutoffs()[0], 0, "level 0 is scheduled");
        sm->SetAttribute("NumPriorities", UintegerValue(8));

        sm->SetAttribute("MaxNicQueue", TimeValue(MicroSeconds(5)));
        sm->SetAttribute("ThrottleMinBytes", UintegerValue(4321));
        sm->SetAttribute("LinkRate", DataRateValue(DataRate("3Gbps")));
        const MtpPacer::Config& pc = sm->GetPacer().GetConfig();
        NS_TEST_EXPECT_MSG_EQ(pc.maxNicQueue, MicroSeconds(5), "MaxNicQueue");
        NS_TEST_EXPECT_MSG_EQ(pc.throttleMinBytes, 4321, "ThrottleMinBytes");
        NS_TEST_EXPECT_MSG_EQ(pc.linkBitsPerSecond, 3000000000ULL, "LinkRate (no device yet)");

        // The server grants the 200 KB request with the 30 KB window: its
        // first GRANT reaches beyond 30 KB (10 KB windows stay under 22 KB).
        std::vector<uint32_t> grants;
        sm->TraceConnectWithoutContext("Grant",
                                       MakeCallback(+[](std::vector<uint32_t>* v,
                                                        uint64_t,
                                                        uint32_t offset,
                                                        uint32_t,
                                                        uint8_t) {
                                           v->push_back(offset);
                                       }).Bind(&grants));
        const uint32_t size = 200000;
        Ptr<Packet> req = MakePattern(7, size);
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(req, net.ServerAddress(100));
        });
        Simulator::Stop(MilliSeconds(50));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(grants.empty(), false, "the server granted");
        NS_TEST_EXPECT_MSG_GT(grants.front(), 30000, "first grant uses the new window");
        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 1, "the RPC completed");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "without failure");
        if (client.responses.count(id))
        {
            NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 7, size), true, "echo intact");
        }
        Simulator::Destroy();
    }
};

/** The suite. */
class MtpStackTestSuite : public TestSuite
{
  public:
    MtpStackTestSuite()
        : TestSuite("mtp-stack", TestSuite::Type::UNIT)
    {
        AddTestCase(new MtpStackRegistryTestCase);
        AddTestCase(new MtpStackSwitchTestCase);
        AddTestCase(new MtpStackHandoffTestCase);
        AddTestCase(new MtpStackInheritTestCase);
        AddTestCase(new MtpStackLiveConfigTestCase);
        for (const char* stack : {"homa", "unsched", "phost"})
        {
            AddTestCase(new MtpStackLossTestCase(stack));
        }
    }
};

/** Static instance. */
MtpStackTestSuite g_mtpStackTestSuite;

} // namespace
