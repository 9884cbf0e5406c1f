/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A fault campaign against the whole transport: random loss, bursts,
 * reordering (packets held back and delivered late, as packet spraying over
 * paths of different lengths does), duplication, a server that reboots
 * (its socket closes with live RPCs and a fresh one takes the port), ICMP
 * errors (RPCs to a port nobody holds) and a client socket closed with live
 * RPCs.  Whatever the faults, each scenario checks that
 *
 *  - every RPC is reported to its client exactly once, either with the right
 *    response byte for byte or with an error the scenario allows;
 *  - each request runs at most once per server incarnation (exactly once for
 *    a completed RPC when the server never restarts);
 *  - nothing is left live and the timers stop;
 *  - the packet counters add up: every MTP packet sent (plus every duplicate
 *    the network made) was received, or dropped by MTP for a counted reason,
 *    or lost by the network: sent + duplicated = received + dropped + lost.
 */

#include "../mtp-test-faults.h"

#include "ns3/point-to-point-net-device.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"

#include <iostream>
#include <set>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/**
 * The faults of a link direction, for MTP packets only (everything else
 * passes untouched, so that the accounting below is about MTP alone): a
 * burst of consecutive losses, random loss, reordering (the packet is held
 * back and handed to the device again 1 to 30 us later) and duplication (a
 * copy follows the packet 1 to 30 us later).
 */
class ChaosModel : public ErrorModel
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::MtpTestChaosModel")
                                .SetParent<ErrorModel>()
                                .SetGroupName("Mtp")
                                .AddConstructor<ChaosModel>();
        return tid;
    }

    ChaosModel()
        : m_rng(CreateObject<UniformRandomVariable>())
    {
    }

    Ptr<PointToPointNetDevice> device;                 //!< where late packets are handed back
    double loss = 0;                                   //!< probability of losing a packet
    double reorder = 0;                                //!< probability of holding a packet back
    double duplicate = 0;                              //!< probability of duplicating a packet
    std::vector<std::pair<uint32_t, uint32_t>> bursts; //!< (first MTP packet, count) lost

    uint64_t seen = 0;       //!< MTP packets seen (late copies excluded)
    uint64_t lost = 0;       //!< MTP packets lost (random or burst)
    uint64_t held = 0;       //!< MTP packets delivered late
    uint64_t duplicated = 0; //!< extra copies delivered

    /** Use stream `s` of the random number generator. */
    void Stream(int64_t s)
    {
        m_rng->SetStream(s);
    }

  private:
    bool DoCorrupt(Ptr<Packet> frame) override
    {
        if (!IsEnabled() || !IsMtp(frame))
        {
            return false;
        }
        auto late = m_late.find(frame->GetUid());
        if (late != m_late.end())
        {
            m_late.erase(late);
            return false;
        }
        uint64_t i = seen++;
        for (auto& b : bursts)
        {
            if (i >= b.first && i - b.first < b.second)
            {
                ++lost;
                return true;
            }
        }
        double u = m_rng->GetValue();
        if (u < loss)
        {
            ++lost;
            return true;
        }
        if (u < loss + reorder)
        {
            ++held;
            DeliverLater(frame);
            return true;
        }
        if (u < loss + reorder + duplicate)
        {
            ++duplicated;
            DeliverLater(frame);
        }
        return false;
    }

    void DoReset() override
    {
    }

    /** Hand a copy of `frame` to the device again a little later. */
    void DeliverLater(Ptr<Packet> frame)
    {
        Ptr<Packet> copy = frame->Copy();
        m_late.insert(copy->GetUid());
        Time delay = NanoSeconds(1000 + m_rng->GetInteger(0, 29000));
        Simulator::ScheduleWithContext(device->GetNode()->GetId(),
                                       delay,
                                       &PointToPointNetDevice::Receive,
                                       device,
                                       copy);
    }

    /** \return true if the frame carries an MTP packet (PPP, IPv4) */
    static bool IsMtp(Ptr<const Packet> frame)
    {
        Ptr<Packet> p = frame->Copy();
        PppHeader ppp;
        p->RemoveHeader(ppp);
        if (ppp.GetProtocol() != 0x0021)
        {
            return false;
        }
        Ipv4Header ip;
        p->RemoveHeader(ip);
        return ip.GetProtocol() == MtpL4Protocol::DEFAULT_PROT_NUMBER;
    }

    Ptr<UniformRandomVariable> m_rng; //!< decides each packet's fate
    std::multiset<uint64_t> m_late;   //!< uids of copies on their way back
};

/// Sizes of the campaign's messages (request and response sizes vary independently).
const std::array<uint32_t, 4> kSizes = {100, 5000, 60000, 300000};

/** \return the request size for a seed */
uint32_t
RequestSize(uint32_t seed)
{
    return kSizes[seed % 4];
}

/** \return the response size for a seed */
uint32_t
ResponseSize(uint32_t seed)
{
    return kSizes[(seed / 4) % 4];
}

/**
 * A server that may reboot: each incarnation is a fresh socket on the same
 * port; executions are counted per incarnation.
 */
struct RebootingServer
{
    Ptr<Node> node;                                               //!< where it runs
    Ptr<MtpSocket> socket;                                        //!< the current incarnation
    uint32_t incarnation = 0;                                     //!< restarts so far
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> executions; //!< (incarnation, seed) -> runs

    /** Start (or restart) on port 100. */
    void Start()
    {
        socket = Network::Socket(node);
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 100));
        socket->SetRecvCallback(MakeCallback(&RebootingServer::OnRecv, this));
    }

    /** Crash: close the socket with its live RPCs, come back `after` later. */
    void Reboot(Time after)
    {
        socket->Close();
        ++incarnation;
        Simulator::Schedule(after, &RebootingServer::Start, this);
    }

    /** Receive callback: answer every request. */
    void OnRecv(Ptr<ns3::Socket> s)
    {
        Ptr<MtpSocket> sock = DynamicCast<MtpSocket>(s);
        MtpRecvInfo info;
        while (Ptr<Packet> req = sock->RecvMessage(info))
        {
            uint32_t seed = SeedOf(req);
            ++executions[{incarnation, seed}];
            sock->SendResponse(MakePattern(seed + 1, ResponseSize(seed)), info.id, info.peer);
        }
    }
};

/** What a scenario does to the network and the endpoints. */
struct Scenario
{
    std::string name;           //!< test name
    double loss = 0;            //!< random loss, each direction of the server link
    double reorder = 0;         //!< reordering probability
    double duplicate = 0;       //!< duplication probability
    bool bursts = false;        //!< three bursts of 50 losses
    bool rebootServer = false;  //!< the server reboots at 3 ms for 1 ms
    bool closeClient = false;   //!< client 0 closes its socket at 2 ms
    bool deadPort = false;      //!< every 5th RPC goes to a port nobody holds
    std::set<MtpError> allowed; //!< errors an RPC may end with (besides success)
};

/** One scenario of the campaign. */
class MtpFaultTestCase : public TestCase
{
  public:
    /** \param s the scenario */
    explicit MtpFaultTestCase(Scenario s)
        : TestCase("faults: " + s.name),
          m_s(std::move(s))
    {
    }

  private:
    /// Per started RPC: which client, which seed, sent to the dead port?
    struct Started
    {
        uint32_t client; //!< client index
        uint32_t seed;   //!< message seed
        bool deadPort;   //!< sent to a port nobody holds
    };

    void DoRun() override
    {
        uint32_t oldSeed = RngSeedManager::GetSeed();
        uint64_t oldRun = RngSeedManager::GetRun();
        RngSeedManager::SetSeed(getenv("MTP_SEED") ? std::stoul(getenv("MTP_SEED")) : 5);
        RngSeedManager::SetRun(1);
        Run();
        RngSeedManager::SetSeed(oldSeed);
        RngSeedManager::SetRun(oldRun);
    }

    /** Build, run, check. */
    void Run()
    {
        const uint32_t nClients = 8;
        const uint32_t perClient = 16;
        Network net;
        net.nClients = nClients;
        net.queue = "100000p";
        net.Build();
        std::vector<Ptr<ChaosModel>> chaos = InstallChaos(net);
        LinkDropCounter queueDrops(net);

        RebootingServer server;
        server.node = net.server;
        server.Start();
        std::vector<Client> clients(nClients);
        std::vector<DeliveryLog> delivered(nClients);
        std::map<std::pair<uint32_t, uint64_t>, Started> started;
        for (uint32_t c = 0; c < nClients; ++c)
        {
            clients[c].Start(net.clients.Get(c));
            delivered[c].Connect(clients[c].socket);
            for (uint32_t r = 0; r < perClient; ++r)
            {
                uint32_t seed = 1024 * c + r;
                bool dead = m_s.deadPort && r % 5 == 4;
                Time at = MicroSeconds(1 + 3 * c + 500 * r);
                Simulator::Schedule(at, [&, c, seed, dead]() {
                    if (clients[c].socket->Rpcs().IsShutdown())
                    {
                        return;
                    }
                    uint64_t id =
                        clients[c].socket->SendRequest(MakePattern(seed, RequestSize(seed)),
                                                       net.ServerAddress(dead ? 101 : 100));
                    NS_TEST_EXPECT_MSG_NE(id, 0, "SendRequest");
                    started[{c, id}] = Started{c, seed, dead};
                });
            }
        }
        if (m_s.rebootServer)
        {
            Simulator::Schedule(MilliSeconds(3),
                                &RebootingServer::Reboot,
                                &server,
                                MilliSeconds(1));
        }
        if (m_s.closeClient)
        {
            Simulator::Schedule(MilliSeconds(2), [&]() { clients[0].socket->Close(); });
        }
        std::vector<Ptr<MtpL4Protocol>> mtps = AllMtp(net);
        bool quiet = RunUntilQuiet(mtps, Seconds(5));

        CheckOutcomes(started, clients, delivered, server);
        CheckAccounting(mtps, chaos, queueDrops);
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    /** Counts MTP-agnostic queue drops on every device (must stay zero: queues are huge). */
    struct LinkDropCounter
    {
        uint64_t drops = 0; //!< frames dropped by a full queue

        /** Connect to every device of the network. */
        explicit LinkDropCounter(const Network& net)
        {
            std::vector<NetDeviceContainer> links = net.clientLinks;
            links.push_back(net.serverLink);
            for (auto& link : links)
            {
                for (uint32_t i = 0; i < link.GetN(); ++i)
                {
                    link.Get(i)->TraceConnectWithoutContext(
                        "MacTxDrop",
                        MakeCallback(&LinkDropCounter::OnDrop, this));
                }
            }
        }

        /** MacTxDrop sink. */
        void OnDrop(Ptr<const Packet>)
        {
            ++drops;
        }
    };

    /** Put a ChaosModel on both devices of the server link. */
    std::vector<Ptr<ChaosModel>> InstallChaos(Network& net)
    {
        std::vector<Ptr<ChaosModel>> v;
        for (uint32_t k = 0; k < 2; ++k)
        {
            Ptr<ChaosModel> m = CreateObject<ChaosModel>();
            m->device = DynamicCast<PointToPointNetDevice>(net.serverLink.Get(k));
            m->loss = m_s.loss;
            m->reorder = m_s.reorder;
            m->duplicate = m_s.duplicate;
            if (m_s.bursts)
            {
                m->bursts = {{200 + 300 * k, 50}, {900, 50}, {1600 - 200 * k, 50}};
            }
            m->Stream(500 + k);
            net.serverLink.Get(k)->SetAttribute("ReceiveErrorModel", PointerValue(m));
            v.push_back(m);
        }
        return v;
    }

    /** Each RPC reported once, correct or with an allowed error; executions bounded. */
    void CheckOutcomes(const std::map<std::pair<uint32_t, uint64_t>, Started>& started,
                       std::vector<Client>& clients,
                       std::vector<DeliveryLog>& delivered,
                       const RebootingServer& server)
    {
        NS_TEST_EXPECT_MSG_GT(started.size(), 100, "the RPCs started");
        uint32_t completed = 0;
        std::map<uint32_t, uint32_t> completedSeeds; // seed -> completions
        for (auto& kv : started)
        {
            const Started& s = kv.second;
            uint64_t id = kv.first.second;
            if (m_s.closeClient && s.client == 0)
            {
                // The application closed the socket: nothing more is reported.
                continue;
            }
            Client& cl = clients[s.client];
            NS_TEST_EXPECT_MSG_EQ(delivered[s.client].count[id],
                                  1,
                                  "RPC " << s.seed << " reported exactly once");
            auto r = cl.responses.find(id);
            auto f = cl.failures.find(id);
            if (r != cl.responses.end())
            {
                NS_TEST_EXPECT_MSG_EQ(s.deadPort, false, "no response from a dead port");
                NS_TEST_EXPECT_MSG_EQ(IsPattern(r->second, s.seed + 1, ResponseSize(s.seed)),
                                      true,
                                      "response " << s.seed << " byte for byte");
                ++completed;
                ++completedSeeds[s.seed];
                continue;
            }
            NS_TEST_ASSERT_MSG_EQ((f != cl.failures.end()), true, "RPC " << s.seed << " ended");
            if (s.deadPort)
            {
                NS_TEST_EXPECT_MSG_EQ(f->second, MtpError::NOTCONN, "dead port: ENOTCONN");
                continue;
            }
            NS_TEST_EXPECT_MSG_EQ(m_s.allowed.count(f->second),
                                  1,
                                  "RPC " << s.seed << " failed with " << MtpErrorName(f->second));
        }
        NS_TEST_EXPECT_MSG_GT(completed, 0, "RPCs completed");
        if (getenv("MTP_FAULTS_VERBOSE"))
        {
            std::map<MtpError, uint32_t> errs;
            for (auto& c : clients)
            {
                for (auto& f : c.failures)
                {
                    ++errs[f.second];
                }
            }
            std::cerr << m_s.name << ": started " << started.size() << " completed " << completed;
            for (auto& e : errs)
            {
                std::cerr << " " << MtpErrorName(e.first) << " " << e.second;
            }
            std::cerr << " executions " << server.executions.size() << std::endl;
        }
        for (auto& kv : server.executions)
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second,
                                  1,
                                  "request " << kv.first.second << " ran once in incarnation "
                                             << kv.first.first);
        }
        if (m_s.rebootServer)
        {
            uint32_t after = 0;
            for (auto& kv : server.executions)
            {
                after += kv.first.first == 1 ? 1 : 0;
            }
            NS_TEST_EXPECT_MSG_GT(after, 20, "the rebooted server served RPCs");
        }
        else
        {
            for (auto& kv : completedSeeds)
            {
                NS_TEST_EXPECT_MSG_EQ(server.executions.count({0, kv.first}),
                                      1,
                                      "completed RPC " << kv.first << " ran");
            }
        }
    }

    /** sent + duplicated = received + dropped + lost, over all nodes; nothing live. */
    void CheckAccounting(const std::vector<Ptr<MtpL4Protocol>>& mtps,
                         const std::vector<Ptr<ChaosModel>>& chaos,
                         const LinkDropCounter& queueDrops)
    {
        uint64_t sent = 0;
        uint64_t received = 0;
        uint64_t dropped = 0;
        for (auto& m : mtps)
        {
            const MtpMetrics& x = m->GetMetrics();
            sent += Sum(x.packetsSent);
            received += Sum(x.packetsReceived);
            dropped += x.TotalDrops();
            NS_TEST_EXPECT_MSG_EQ(m->GetLiveRpcCount(), 0, "no live RPC left");
        }
        uint64_t lost = 0;
        uint64_t duplicated = 0;
        for (auto& c : chaos)
        {
            lost += c->lost;
            duplicated += c->duplicated;
        }
        NS_TEST_EXPECT_MSG_EQ(queueDrops.drops, 0, "no queue overflowed");
        if (getenv("MTP_FAULTS_VERBOSE"))
        {
            std::cerr << "  sent " << sent << " dup " << duplicated << " received " << received
                      << " dropped " << dropped << " lost " << lost << " held "
                      << chaos[0]->held + chaos[1]->held << std::endl;
        }
        NS_TEST_EXPECT_MSG_EQ(sent + duplicated,
                              received + dropped + lost,
                              "sent " << sent << " + duplicated " << duplicated << " = received "
                                      << received << " + dropped " << dropped << " + lost "
                                      << lost);
        if (m_s.loss > 0 || m_s.bursts)
        {
            NS_TEST_EXPECT_MSG_GT(lost, 0, "the network lost packets");
        }
        if (m_s.reorder > 0)
        {
            NS_TEST_EXPECT_MSG_GT(chaos[0]->held + chaos[1]->held, 0, "and reordered some");
        }
        if (m_s.duplicate > 0)
        {
            NS_TEST_EXPECT_MSG_GT(duplicated, 0, "and duplicated some");
        }
    }

    Scenario m_s; //!< what this case does
};

/** \return the campaign's scenarios */
std::vector<Scenario>
Scenarios()
{
    std::vector<Scenario> v;
    Scenario s;
    s.name = "5% loss, 5% reordering, 5% duplication: every RPC completes once";
    s.loss = 0.05;
    s.reorder = 0.05;
    s.duplicate = 0.05;
    v.push_back(s);

    s = Scenario();
    s.name = "three bursts of 50 losses each way: every RPC completes";
    s.bursts = true;
    v.push_back(s);

    s = Scenario();
    s.name = "RPCs to a port nobody holds (ICMP) amid 2% loss: ENOTCONN, the rest complete";
    s.loss = 0.02;
    s.deadPort = true;
    v.push_back(s);

    s = Scenario();
    s.name =
        "the server reboots mid-run (2% loss): RPCs complete or fail with ENOTCONN or ETIMEDOUT";
    s.loss = 0.02;
    s.rebootServer = true;
    s.allowed = {MtpError::NOTCONN, MtpError::TIMEDOUT};
    v.push_back(s);

    s = Scenario();
    s.name = "a client closes its socket with live RPCs: the server frees their state";
    s.loss = 0.02;
    s.reorder = 0.02;
    s.closeClient = true;
    v.push_back(s);
    return v;
}

/**
 * The RPC_UNKNOWN answer to a client holding part of a response: the server
 * reboots (a fresh socket takes the port at once) while a 300 KB response is
 * half way to the client.  The client's RESEND draws RPC_UNKNOWN; since it
 * already holds part of the response, restarting could run the request
 * twice, so the RPC fails with ETIMEDOUT and the request ran once.  A second
 * RPC whose request never reached the old server (every packet lost) is
 * restarted on RPC_UNKNOWN and completes against the new one.
 */
class MtpUnknownMidResponseTestCase : public TestCase
{
  public:
    MtpUnknownMidResponseTestCase()
        : TestCase("faults: RPC_UNKNOWN to a client holding part of a response: ETIMEDOUT, "
                   "never a second execution")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        RebootingServer server;
        server.node = net.server;
        server.Start();
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        // Seed 12: 100-byte request, 300 KB response.  Seed 16: 100 B, 100 B.
        uint64_t partial = 0;
        uint64_t lostRequest = 0;
        Ptr<MtpFilterModel> toServer = CreateObject<MtpFilterModel>();
        bool dropSeed16 = false;
        toServer->select = [&dropSeed16](const MtpHeader& h, Ptr<const Packet>) {
            return dropSeed16 && h.GetType() == MtpPacketType::DATA;
        };
        net.serverLink.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(toServer));
        Simulator::Schedule(MicroSeconds(1), [&]() {
            partial = client.socket->SendRequest(MakePattern(12, 100), net.ServerAddress(100));
        });
        Simulator::Schedule(MicroSeconds(100), [&]() {
            NS_TEST_EXPECT_MSG_GT(cm->GetMetrics().dataBytesReceived, 0, "response under way");
            dropSeed16 = true;
            lostRequest = client.socket->SendRequest(MakePattern(16, 100), net.ServerAddress(100));
        });
        Simulator::Schedule(MicroSeconds(110), [&]() {
            dropSeed16 = false;
            server.Reboot(Seconds(0));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        NS_TEST_ASSERT_MSG_EQ(client.failures.count(partial), 1, "the half-answered RPC failed");
        NS_TEST_EXPECT_MSG_EQ(client.failures[partial], MtpError::TIMEDOUT, "with ETIMEDOUT");
        NS_TEST_EXPECT_MSG_EQ(server.executions.count({0, 12}), 1, "it ran once, before");
        NS_TEST_EXPECT_MSG_EQ(server.executions.count({1, 12}), 0, "and never again");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[lostRequest], 17, 100),
                              true,
                              "the lost request was restarted and answered");
        NS_TEST_EXPECT_MSG_EQ(server.executions.count({1, 16}), 1, "by the new server, once");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().restarts, 1, "one restart, the lost request's");
        uint32_t unknown = MtpMetrics::TypeIndex(MtpPacketType::RPC_UNKNOWN);
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().packetsSent[unknown], 2, "two RPC_UNKNOWNs");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }
};

/** The suite. */
class MtpFaultsTestSuite : public TestSuite
{
  public:
    MtpFaultsTestSuite()
        : TestSuite("mtp-faults", TestSuite::Type::SYSTEM)
    {
        for (auto& s : Scenarios())
        {
            AddTestCase(new MtpFaultTestCase(s));
        }
        AddTestCase(new MtpUnknownMidResponseTestCase());
    }
};

/** Static instance registering the suite. */
MtpFaultsTestSuite g_mtpFaultsTestSuite;

} // namespace
