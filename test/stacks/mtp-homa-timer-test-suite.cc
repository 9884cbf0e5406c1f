/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of the Homa stack's timer and loss recovery
 * (model/stacks/mtp-homa-timer.cc and the packets it provokes): the
 * tick-driven timeout of a dead peer, recovery from random and burst loss,
 * the RPC_UNKNOWN restart, the NEED_ACK / ACK exchange that frees server
 * state, and who may time out while a message waits for grants (no RPC may
 * fail without loss: a thousand concurrent RPCs of mixed sizes, messages
 * held back by SRPT longer than the timeout).
 */

#include "../mtp-test-faults.h"

#include "ns3/global-value.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

// ---------------------------------------------------------------------------
// 1. Timeout of a dead peer
// ---------------------------------------------------------------------------

/**
 * The server's link goes dark in the middle of a 200 KB request.  The client
 * must send exactly TimeoutResends RESENDs, the first at the ResendTicks-th
 * silent tick and then every ResendInterval ticks, and abort with ETIMEDOUT
 * at tick ResendTicks + TimeoutResends * ResendInterval after it last heard
 * from the server; then every tick stops.
 */
class MtpTimeoutTestCase : public TestCase
{
  public:
    /**
     * \param tick TickInterval
     * \param resendTicks ResendTicks
     * \param resendInterval ResendInterval
     * \param timeoutResends TimeoutResends
     */
    MtpTimeoutTestCase(Time tick,
                       uint32_t resendTicks,
                       uint32_t resendInterval,
                       uint32_t timeoutResends)
        : TestCase(Name(tick, resendTicks, resendInterval, timeoutResends)),
          m_tick(tick),
          m_resendTicks(resendTicks),
          m_resendInterval(resendInterval),
          m_timeoutResends(timeoutResends)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(Time tick, uint32_t r, uint32_t i, uint32_t n)
    {
        std::ostringstream os;
        os << "server vanishes mid-RPC: ETIMEDOUT on schedule (tick " << tick.GetMicroSeconds()
           << " us, ResendTicks " << r << ", ResendInterval " << i << ", TimeoutResends " << n
           << ")";
        return os.str();
    }

    void DoRun() override
    {
        Network net;
        net.rate = "1Gbps";
        net.delay = "10us";
        net.Build();
        for (auto& m : AllMtp(net))
        {
            m->SetAttribute("TickInterval", TimeValue(m_tick));
            m->SetAttribute("ResendTicks", UintegerValue(m_resendTicks));
            m->SetAttribute("ResendInterval", UintegerValue(m_resendInterval));
            m->SetAttribute("TimeoutResends", UintegerValue(m_timeoutResends));
        }
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        TraceLog clog;
        clog.Connect(cm);

        // Blackout: from T on, both directions of the server's link drop everything.
        Ptr<BurstDropModel> in = CreateObject<BurstDropModel>();
        Ptr<BurstDropModel> out = CreateObject<BurstDropModel>();
        in->count = out->count = std::numeric_limits<uint32_t>::max();
        in->Disable();
        out->Disable();
        SetServerLinkErrorModel(net, in, out);
        const Time blackout = MicroSeconds(500);
        Simulator::Schedule(blackout, [&]() {
            in->Enable();
            out->Enable();
        });
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            // 200 KB at 1 Gbps takes 1.6 ms: the blackout hits mid-transfer.
            id = client.socket->SendRequest(MakePattern(9, 200000), net.ServerAddress(100));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        if (getenv("MTP_DEBUG"))
        {
            cm->PrintMetrics(std::cerr);
            sm->PrintMetrics(std::cerr);
        }

        NS_TEST_ASSERT_MSG_NE(id, 0, "request started");
        NS_TEST_ASSERT_MSG_EQ(client.failures.size(), 1, "the RPC failed");
        NS_TEST_EXPECT_MSG_EQ(client.failures[id], MtpError::TIMEDOUT, "with ETIMEDOUT");
        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 0, "no response");
        NS_TEST_EXPECT_MSG_GT(in->dropped + out->dropped, 0, "the blackout dropped packets");
        NS_TEST_ASSERT_MSG_EQ(clog.aborts.size(), 1, "one abort");
        NS_TEST_EXPECT_MSG_EQ(clog.aborts[0].second, MtpError::TIMEDOUT, "traced as ETIMEDOUT");

        // The client last heard from the server (or last sent data) at tRef;
        // silent ticks count from the first tick after it.
        Time tRef = std::max(clog.lastLiveRx, clog.lastDataTx);
        NS_TEST_EXPECT_MSG_GT(tRef,
                              blackout - MicroSeconds(100),
                              "the RPC was busy until the blackout");
        NS_TEST_EXPECT_MSG_LT(tRef, blackout + MicroSeconds(100), "and silent after it");
        const uint32_t R = m_resendTicks;
        const uint32_t I = m_resendInterval;
        const uint32_t N = m_timeoutResends;
        std::vector<Time> resends;
        for (Time t : clog.resends)
        {
            if (t > tRef)
            {
                resends.push_back(t);
            }
        }
        NS_TEST_EXPECT_MSG_EQ(clog.resends.size(), N, "no RESEND before the blackout");
        NS_TEST_ASSERT_MSG_EQ(resends.size(), N, "TimeoutResends RESENDs, then the abort");
        for (uint32_t j = 0; j < N; ++j)
        {
            uint32_t k = R + j * I; // silent tick of the j-th RESEND
            NS_TEST_EXPECT_MSG_GT(resends[j],
                                  tRef + m_tick * (k - 1),
                                  "RESEND " << j << " not early");
            NS_TEST_EXPECT_MSG_LT_OR_EQ(resends[j],
                                        tRef + m_tick * k,
                                        "RESEND " << j << " not late");
            if (j > 0)
            {
                NS_TEST_EXPECT_MSG_EQ(resends[j] - resends[j - 1],
                                      m_tick * I,
                                      "RESENDs ResendInterval ticks apart");
            }
        }
        const uint32_t K = R + N * I;
        Time aborted = clog.aborts[0].first;
        NS_TEST_EXPECT_MSG_GT(aborted, tRef + m_tick * (K - 1), "abort not early");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(aborted, tRef + m_tick * K, "abort not late");
        NS_TEST_EXPECT_MSG_EQ(aborted - resends.back(),
                              m_tick * I,
                              "abort one ResendInterval after the last RESEND");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().resendsSent, N, "client RESENDs");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().timeouts, 1, "client timeout counted");
        // The server, cut off as well, gives up on its half-received request.
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().timeouts, 1, "server timeout counted");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsDiscarded, 1, "server RPC discarded");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 0, "the request never executed");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "client RPC freed");
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPC freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself after the abort");
        Simulator::Destroy();
    }

    Time m_tick;               //!< TickInterval
    uint32_t m_resendTicks;    //!< ResendTicks
    uint32_t m_resendInterval; //!< ResendInterval
    uint32_t m_timeoutResends; //!< TimeoutResends
};

// ---------------------------------------------------------------------------
// 2. Loss recovery
// ---------------------------------------------------------------------------

void
DebugPacket(std::string ctx, Ptr<const Packet> p, const Address&, uint8_t prio)
{
    MtpHeader h;
    MtpHeader::Peek(p, h);
    uint64_t want = std::stoull(getenv("MTP_DEBUG"));
    if ((h.GetSenderId() | 1) != want)
    {
        return;
    }
    Ptr<Packet> c = p->Copy();
    std::ostringstream os;
    switch (h.GetType())
    {
    case MtpPacketType::DATA: {
        MtpDataHeader d;
        c->RemoveHeader(d);
        d.Print(os);
        os << " payload " << c->GetSize();
        break;
    }
    case MtpPacketType::GRANT: {
        MtpGrantHeader d;
        c->RemoveHeader(d);
        d.Print(os);
        break;
    }
    case MtpPacketType::RESEND: {
        MtpResendHeader d;
        c->RemoveHeader(d);
        d.Print(os);
        break;
    }
    default:
        h.Print(os);
    }
    std::cerr << Simulator::Now().As(Time::US) << " " << ctx << " " << os.str() << std::endl;
}

/**
 * 5 clients x 20 RPCs of 100 B .. 200 KB (unscheduled, scheduled and
 * multi-RTT messages both ways: the server echoes) over a lossy server link.
 * Every RPC completes exactly once, byte for byte, each request executes
 * once, and all state is freed at the end.
 */
class MtpLossTestBase : public TestCase
{
  public:
    /** \param name the test name */
    explicit MtpLossTestBase(std::string name)
        : TestCase(name)
    {
    }

  protected:
    /**
     * Build the network, let `install` put error models on it, run the
     * workload and check the outcome.
     */
    void RunWorkload(const std::function<void(Network&)>& install)
    {
        Network net;
        net.nClients = 5;
        net.Build();
        install(net);
        PatternServer server;
        server.Start(net.server, 100);
        std::vector<Client> clients(5);
        std::vector<DeliveryLog> delivered(5);
        std::map<std::pair<uint32_t, uint64_t>, std::pair<uint32_t, uint32_t>> started;
        const std::vector<uint32_t> sizes = {100,   200000, 1400,   5000,   12000, 100,   60000,
                                             2800,  30000,  150000, 700,    9000,  20000, 1500,
                                             80000, 300,    11000,  200000, 4000,  45000};
        for (uint32_t c = 0; c < 5; ++c)
        {
            clients[c].Start(net.clients.Get(c));
            delivered[c].Connect(clients[c].socket);
            for (uint32_t r = 0; r < 20; ++r)
            {
                uint32_t seed = 1000 * c + r;
                uint32_t size = sizes[(r + 3 * c) % sizes.size()];
                Simulator::Schedule(MicroSeconds(7 * c + 150 * r), [&, c, seed, size]() {
                    uint64_t id = clients[c].socket->SendRequest(MakePattern(seed, size),
                                                                 net.ServerAddress(100));
                    NS_TEST_EXPECT_MSG_NE(id, 0, "SendRequest");
                    started[{c, id}] = {seed, size};
                });
            }
        }
        std::vector<Ptr<MtpL4Protocol>> mtps = AllMtp(net);
        if (getenv("MTP_DEBUG"))
        {
            for (uint32_t n = 0; n < mtps.size(); ++n)
            {
                for (const char* dir : {"Tx", "Rx"})
                {
                    std::string tag = std::to_string(n) + " " + dir;
                    mtps[n]->TraceConnect(dir, tag, MakeCallback(&DebugPacket));
                }
            }
        }
        bool quiet = RunUntilQuiet(mtps, Seconds(10));

        NS_TEST_EXPECT_MSG_EQ(started.size(), 100, "100 RPCs started");
        uint32_t intact = 0;
        uint32_t once = 0;
        for (auto& kv : started)
        {
            uint32_t c = kv.first.first;
            uint64_t id = kv.first.second;
            auto it = clients[c].responses.find(id);
            if (it != clients[c].responses.end() &&
                IsPattern(it->second, kv.second.first, kv.second.second))
            {
                ++intact;
            }
            once += delivered[c].count[id] == 1 ? 1 : 0;
        }
        uint32_t failures = 0;
        for (auto& c : clients)
        {
            failures += c.failures.size();
        }
        NS_TEST_EXPECT_MSG_EQ(intact, 100, "every response arrived intact");
        NS_TEST_EXPECT_MSG_EQ(once, 100, "every RPC reported exactly once");
        NS_TEST_EXPECT_MSG_EQ(failures, 0, "no RPC failed");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 100, "100 requests executed");
        NS_TEST_EXPECT_MSG_EQ(server.executions.size(), 100, "100 distinct requests");
        for (auto& kv : server.executions)
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second, 1, "request " << kv.first.second << " executed once");
        }
        uint64_t resends = 0;
        uint64_t retransmitted = 0;
        uint64_t timeouts = 0;
        for (auto& m : mtps)
        {
            resends += m->GetMetrics().resendsSent;
            retransmitted += m->GetMetrics().packetsRetransmitted;
            timeouts += m->GetMetrics().timeouts;
            NS_TEST_EXPECT_MSG_EQ(m->GetLiveRpcCount(), 0, "no live RPC left");
        }
        NS_TEST_EXPECT_MSG_GT(resends, 0, "loss was recovered by RESENDs");
        NS_TEST_EXPECT_MSG_GT(retransmitted, 0, "and retransmissions");
        NS_TEST_EXPECT_MSG_EQ(timeouts, 0, "nothing timed out");
        for (auto& c : clients)
        {
            NS_TEST_EXPECT_MSG_EQ(c.socket->GetRpcCount(), 0, "client RPCs freed");
        }
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPCs freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }
};

/** Random loss at a fixed rate, both directions of the server link. */
class MtpRandomLossTestCase : public MtpLossTestBase
{
  public:
    /** \param rate packet loss rate */
    explicit MtpRandomLossTestCase(double rate)
        : MtpLossTestBase(Name(rate)),
          m_rate(rate)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(double rate)
    {
        std::ostringstream os;
        os << "loss recovery: 100 RPCs, " << rate * 100 << " percent loss on the server link";
        return os.str();
    }

    void DoRun() override
    {
        uint32_t seed = RngSeedManager::GetSeed();
        uint64_t run = RngSeedManager::GetRun();
        RngSeedManager::SetSeed(getenv("MTP_SEED") ? std::stoul(getenv("MTP_SEED")) : 7);
        RngSeedManager::SetRun(1);
        std::vector<Ptr<RateErrorModel>> models;
        RunWorkload([&](Network& net) {
            for (int k = 0; k < 2; ++k)
            {
                Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
                em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
                em->SetRate(m_rate);
                em->AssignStreams(100 + k);
                models.push_back(em);
            }
            SetServerLinkErrorModel(net, models[0], models[1]);
        });
        RngSeedManager::SetSeed(seed);
        RngSeedManager::SetRun(run);
    }

    double m_rate; //!< loss rate
};

/** A burst: exactly 50 consecutive packets lost on the server link. */
class MtpBurstLossTestCase : public MtpLossTestBase
{
  public:
    MtpBurstLossTestCase()
        : MtpLossTestBase("loss recovery: 100 RPCs, a burst of 50 consecutive packets lost")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<BurstDropModel> burst = CreateObject<BurstDropModel>();
        burst->first = 400;
        burst->count = 50;
        // One model on both devices: the burst spans both directions.
        RunWorkload([&](Network& net) { SetServerLinkErrorModel(net, burst, burst); });
        NS_TEST_EXPECT_MSG_EQ(burst->dropped, 50, "exactly 50 packets dropped");
        NS_TEST_EXPECT_MSG_GT(burst->seen, 450, "and the run went on past the burst");
    }
};

// ---------------------------------------------------------------------------
// 3. RPC_UNKNOWN restart
// ---------------------------------------------------------------------------

/**
 * Every packet of a short request is lost, so the server knows nothing of
 * it.  The client's RESEND (at the ResendTicks-th silent tick) draws
 * RPC_UNKNOWN, the client restarts the request, which then completes and
 * executes once.
 */
class MtpRestartTestCase : public TestCase
{
  public:
    /** \param size request size (one packet or several) */
    explicit MtpRestartTestCase(uint32_t size)
        : TestCase(Name(size)),
          m_size(size)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(uint32_t size)
    {
        std::ostringstream os;
        os << "every packet of a " << size << "-byte request lost: RPC_UNKNOWN, restart, done once";
        return os.str();
    }

    void DoRun() override
    {
        Network net;
        net.Build();
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        // 1500-byte MTU: 1424 bytes of payload per DATA packet over IPv4.
        const uint32_t packets = (m_size + 1423) / 1424;
        Ptr<MtpFilterModel> filter = CreateObject<MtpFilterModel>();
        filter->select = [filter, packets](const MtpHeader& h, Ptr<const Packet>) {
            // The first `packets` request packets (clients' ids are even).
            return h.GetType() == MtpPacketType::DATA && (h.GetSenderId() & 1) == 0 &&
                   filter->dropped < packets;
        };
        net.serverLink.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(filter));
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(MakePattern(4, m_size), net.ServerAddress(100));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        filter->select = nullptr; // break the model <-> lambda cycle

        NS_TEST_ASSERT_MSG_NE(id, 0, "started");
        NS_TEST_EXPECT_MSG_EQ(filter->dropped, packets, "every packet of the request lost once");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 4, m_size), true, "response intact");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "no failure");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().restarts, 1, "one restart");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().resendsSent, 1, "one RESEND drew it");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().packetsSent[Ix(MtpPacketType::RPC_UNKNOWN)],
                              1,
                              "the server answered RPC_UNKNOWN once");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().packetsReceived[Ix(MtpPacketType::RPC_UNKNOWN)],
                              1,
                              "and the client took it");
        // The RESEND goes at the 5th tick: the RPC takes 4 to 5 ms.
        NS_TEST_EXPECT_MSG_GT(client.latency[id], MilliSeconds(4), "restart waited for the RESEND");
        NS_TEST_EXPECT_MSG_LT(client.latency[id], MilliSeconds(5) + MicroSeconds(100), "no later");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 1, "executed once");
        for (auto& kv : server.executions)
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second, 1, "at most once");
        }
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPC freed");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "client RPC freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    uint32_t m_size; //!< request size
};

/**
 * The last packet of a response is lost.  The server, having sent it all,
 * asks for an ack (NEED_ACK) while the client still misses the tail; the
 * client must get the tail (by RESEND) and the RPC complete, whatever the
 * relation of ResendInterval to ResendTicks: with NEED_ACKs every 2 ticks
 * and RESENDs due after 5 silent ticks, a client that only notes "the
 * server is alive" would never ask, and the server would give up on it.
 * The server's tick is made to run just ahead of the client's (each node's
 * tick keeps the phase of its first RPC), so its NEED_ACK comes first.
 */
class MtpResponseTailLossTestCase : public TestCase
{
  public:
    /** \param resendInterval ResendInterval (ResendTicks stays 5) */
    explicit MtpResponseTailLossTestCase(uint32_t resendInterval)
        : TestCase(Name(resendInterval)),
          m_resendInterval(resendInterval)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(uint32_t interval)
    {
        std::ostringstream os;
        os << "last response packet lost, NEED_ACK before RESEND (ResendInterval " << interval
           << "): RPC completes";
        return os.str();
    }

    void DoRun() override
    {
        Network net;
        net.nClients = 2;
        net.Build();
        for (auto& m : AllMtp(net))
        {
            m->SetAttribute("ResendInterval", UintegerValue(m_resendInterval));
        }
        PatternServer server;
        server.responseSize = 5000; // four DATA packets, all unscheduled
        server.Start(net.server, 100);
        // Phase: client 1's RPC to a server that never answers starts the
        // server's tick at about 1 us and keeps it running; the RPC under
        // test starts at 100 us, so every server tick precedes the client's
        // by about 97 us.
        Ptr<MtpSocket> mute = Network::Socket(net.server);
        mute->Bind(InetSocketAddress(Ipv4Address::GetAny(), 200));
        Client keeper;
        keeper.Start(net.clients.Get(1));
        Simulator::Schedule(NanoSeconds(1), [&]() {
            keeper.socket->SendRequest(MakePattern(8, 10), net.ServerAddress(200));
        });
        Simulator::Schedule(MilliSeconds(60), [&]() { mute->Close(); });
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        Ptr<MtpFilterModel> filter = CreateObject<MtpFilterModel>();
        filter->select = [filter](const MtpHeader& h, Ptr<const Packet> p) {
            if (h.GetType() != MtpPacketType::DATA || (h.GetSenderId() & 1) == 0 ||
                filter->dropped > 0)
            {
                return false;
            }
            MtpDataHeader d;
            p->PeekHeader(d);
            return d.GetOffset() == 3 * 1424; // the last segment, first time only
        };
        net.clientLinks[0].Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(filter));
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(100), [&]() {
            id = client.socket->SendRequest(MakePattern(6, 100), net.ServerAddress(100));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        filter->select = nullptr;

        NS_TEST_EXPECT_MSG_EQ(filter->dropped, 1, "the tail was lost once");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "no failure");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 7, 5000), true, "response intact");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 1, "executed once");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().timeouts + sm->GetMetrics().timeouts,
                              0,
                              "no timeout");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsDiscarded, 0, "server did not give up");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsFreed, 1, "server RPC freed by the ack");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().packetsRetransmitted, 1, "the tail was sent again");
        NS_TEST_EXPECT_MSG_LT(client.latency[id], MilliSeconds(7), "within about ResendTicks");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    uint32_t m_resendInterval; //!< ResendInterval
};

// ---------------------------------------------------------------------------
// 4. NEED_ACK / ACK
// ---------------------------------------------------------------------------

/**
 * The server keeps a completed RPC until the client acknowledges it.  With
 * no further traffic it asks with NEED_ACK and the client answers ACK; when
 * a second RPC from the same client follows, the ack rides on its first DATA
 * packet instead.
 */
class MtpAckTestCase : public TestCase
{
  public:
    /** \param second start a second RPC after the first completes */
    explicit MtpAckTestCase(bool second)
        : TestCase(second ? "a second RPC carries the ack of the first (piggybacked)"
                          : "a lone RPC is freed at the server by NEED_ACK and ACK"),
          m_second(second)
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        uint64_t first = 0;
        uint64_t second = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            first = client.socket->SendRequest(MakePattern(1, 2000), net.ServerAddress(100));
        });
        // Long after the response, well before the server's first NEED_ACK
        // (ResendTicks = 5 ticks of 1 ms): the server still holds the RPC.
        Simulator::Schedule(MilliSeconds(1), [&]() {
            NS_TEST_EXPECT_MSG_EQ(client.responses.count(first), 1, "first RPC done");
            NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 1, "server holds it until acked");
            NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsFreed, 0, "not freed yet");
            if (m_second)
            {
                second = client.socket->SendRequest(MakePattern(2, 2000), net.ServerAddress(100));
            }
        });
        if (m_second)
        {
            Simulator::Schedule(MilliSeconds(1) + MicroSeconds(200), [&]() {
                NS_TEST_EXPECT_MSG_EQ(client.responses.count(second), 1, "second RPC done");
                NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsFreed,
                                      1,
                                      "first freed by the ack");
                NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 1, "only the second is held");
                NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().packetsSent[Ix(MtpPacketType::NEED_ACK)],
                                      0,
                                      "without any NEED_ACK");
            });
        }
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        const uint32_t rpcs = m_second ? 2 : 1;
        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), rpcs, "responses");
        NS_TEST_EXPECT_MSG_EQ(server.requests, rpcs, "requests executed");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsFreed,
                              rpcs,
                              "every server RPC freed by acks");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsDiscarded, 0, "none discarded");
        // Exactly one NEED_ACK / ACK exchange: for the only (or the last) RPC.
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().packetsSent[Ix(MtpPacketType::NEED_ACK)],
                              1,
                              "NEED_ACK sent");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().packetsReceived[Ix(MtpPacketType::NEED_ACK)],
                              1,
                              "NEED_ACK received");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().packetsSent[Ix(MtpPacketType::ACK)], 1, "ACK sent");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().packetsReceived[Ix(MtpPacketType::ACK)],
                              1,
                              "ACK received");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().acksPiggybacked,
                              (m_second ? 1 : 0),
                              "piggybacked acks");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().resendsSent + sm->GetMetrics().resendsSent,
                              0,
                              "no RESEND on a clean network");
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPCs freed");
        NS_TEST_EXPECT_MSG_EQ(sm->GetLiveRpcCount(), 0, "no live RPC on the server");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    bool m_second; //!< start a second RPC
};

// ---------------------------------------------------------------------------
// 5. Who may time out: no RPC fails without loss
// ---------------------------------------------------------------------------

/// Sizes of the mixed workload: unscheduled, about one RTT, scheduled, the largest.
const std::array<uint32_t, 4> kMix = {100, 5000, 100000, 1000000};

/** \return the request size of the RPC with this seed */
uint32_t
MixRequestSize(uint32_t seed)
{
    return kMix[seed % 4];
}

/** \return the response size of the RPC with this seed (independent of the request's) */
uint32_t
MixResponseSize(uint32_t seed)
{
    return kMix[(seed / 4) % 4];
}

/**
 * Serves the mixed workload: a request with seed s is answered with
 * MakePattern(s + 1, MixResponseSize(s)).  Counts executions per request.
 */
struct MixServer
{
    Ptr<MtpSocket> socket;                   //!< the server socket
    std::map<uint32_t, uint32_t> executions; //!< request seed -> executions

    /** Open the socket on `node`, bound to `port`. */
    void Start(Ptr<Node> node, uint16_t port)
    {
        socket = Network::Socket(node);
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        socket->SetRecvCallback(MakeCallback(&MixServer::OnRecv, this));
    }

    /** Receive callback: answer every request. */
    void OnRecv(Ptr<ns3::Socket>)
    {
        MtpRecvInfo info;
        while (Ptr<Packet> req = socket->RecvMessage(info))
        {
            uint32_t seed = SeedOf(req);
            ++executions[seed];
            socket->SendResponse(MakePattern(seed + 1, MixResponseSize(seed)), info.id, info.peer);
        }
    }
};

/** Counts the packets every link of a Network dropped: queue overflow and error models. */
struct LinkDrops
{
    uint64_t queue = 0; //!< dropped by a full device queue
    uint64_t error = 0; //!< dropped by a receive error model

    /** Connect to both devices of every link. */
    void Connect(const Network& net)
    {
        std::vector<NetDeviceContainer> links = net.clientLinks;
        links.push_back(net.serverLink);
        for (auto& link : links)
        {
            for (uint32_t i = 0; i < link.GetN(); ++i)
            {
                link.Get(i)->TraceConnectWithoutContext("MacTxDrop",
                                                        MakeCallback(&LinkDrops::OnQueue, this));
                link.Get(i)->TraceConnectWithoutContext("PhyRxDrop",
                                                        MakeCallback(&LinkDrops::OnError, this));
            }
        }
    }

    /** MacTxDrop sink. */
    void OnQueue(Ptr<const Packet>)
    {
        ++queue;
    }

    /** PhyRxDrop sink. */
    void OnError(Ptr<const Packet>)
    {
        ++error;
    }
};

/**
 * Many clients start RPCs of the mixed workload (every pairing of request
 * and response size among 100 B, 5 KB, 100 KB and 1 MB) against one server.
 * Every RPC must complete exactly once with the right bytes, whatever the
 * links lose: the run checks responses byte for byte, executions, failures
 * (listed by error), the timeout and discard counters, and that all state is
 * freed and the timers stop.
 */
class MtpMixedWorkloadTestBase : public TestCase
{
  public:
    /** \param name the test name */
    explicit MtpMixedWorkloadTestBase(std::string name)
        : TestCase(name)
    {
    }

  protected:
    /**
     * \param nClients client hosts
     * \param perClient RPCs each client starts
     * \param spacing time between a client's successive RPCs (zero: all at once)
     * \param install puts error models on the built network
     * \param drops filled with what the links dropped
     * \param firstSeed seed of each client's first RPC (client c adds 1024 c)
     */
    void RunMix(uint32_t nClients,
                uint32_t perClient,
                Time spacing,
                const std::function<void(Network&)>& install,
                LinkDrops& drops,
                uint32_t firstSeed = 0)
    {
        Network net;
        net.nClients = nClients;
        net.queue = "100000p";
        net.Build();
        install(net);
        drops.Connect(net);
        MixServer server;
        server.Start(net.server, 100);
        std::vector<Client> clients(nClients);
        std::map<std::pair<uint32_t, uint64_t>, uint32_t> started; // (client, id) -> seed
        for (uint32_t c = 0; c < nClients; ++c)
        {
            clients[c].Start(net.clients.Get(c));
            for (uint32_t r = 0; r < perClient; ++r)
            {
                uint32_t seed = 1024 * c + firstSeed + r;
                Simulator::Schedule(MicroSeconds(1 + c) + spacing * r, [&, c, seed]() {
                    uint64_t id =
                        clients[c].socket->SendRequest(MakePattern(seed, MixRequestSize(seed)),
                                                       net.ServerAddress(100));
                    NS_TEST_EXPECT_MSG_NE(id, 0, "SendRequest");
                    started[{c, id}] = seed;
                });
            }
        }
        std::vector<Ptr<MtpL4Protocol>> mtps = AllMtp(net);
        bool quiet = RunUntilQuiet(mtps, Seconds(20));

        const uint32_t total = nClients * perClient;
        NS_TEST_EXPECT_MSG_EQ(started.size(), total, "every RPC started");
        uint32_t intact = 0;
        std::map<MtpError, uint32_t> failures;
        for (auto& kv : started)
        {
            Client& cl = clients[kv.first.first];
            uint64_t id = kv.first.second;
            uint32_t seed = kv.second;
            auto it = cl.responses.find(id);
            if (it != cl.responses.end() && IsPattern(it->second, seed + 1, MixResponseSize(seed)))
            {
                ++intact;
            }
            auto f = cl.failures.find(id);
            if (f != cl.failures.end())
            {
                ++failures[f->second];
            }
        }
        std::ostringstream why;
        for (auto& kv : failures)
        {
            why << " " << MtpErrorName(kv.first) << " x" << kv.second;
        }
        NS_TEST_EXPECT_MSG_EQ(intact, total, "every response intact; failures:" << why.str());
        NS_TEST_EXPECT_MSG_EQ(failures.size(), 0, "no RPC failed:" << why.str());
        NS_TEST_EXPECT_MSG_EQ(server.executions.size(), total, "every request executed");
        for (auto& kv : server.executions)
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second, 1, "request " << kv.first << " executed once");
        }
        for (auto& m : mtps)
        {
            const MtpMetrics& x = m->GetMetrics();
            NS_TEST_EXPECT_MSG_EQ(x.timeouts, 0, "nothing timed out");
            NS_TEST_EXPECT_MSG_EQ(x.serverRpcsDiscarded, 0, "no server gave up on a live client");
            NS_TEST_EXPECT_MSG_EQ(m->GetLiveRpcCount(), 0, "no live RPC left");
        }
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }
};

/**
 * The case that used to fail: 1,000 RPCs at once from 20 clients, no loss at
 * all (queues hold 100,000 packets and the test checks that nothing was
 * dropped).  Servers whose responses waited for grants behind shorter
 * messages counted the wait as silence and discarded the RPC.
 */
class MtpThousandRpcsTestCase : public MtpMixedWorkloadTestBase
{
  public:
    MtpThousandRpcsTestCase()
        : MtpMixedWorkloadTestBase("no loss: 1000 concurrent RPCs of mixed sizes all complete")
    {
    }

  private:
    void DoRun() override
    {
        LinkDrops drops;
        RunMix(
            20,
            50,
            Seconds(0),
            [](Network&) {},
            drops);
        NS_TEST_EXPECT_MSG_EQ(drops.queue + drops.error, 0, "the run was lossless");
    }
};

/** The mixed workload under random loss on the server link, both directions. */
class MtpMixedLossTestCase : public MtpMixedWorkloadTestBase
{
  public:
    /** \param rate packet loss rate */
    explicit MtpMixedLossTestCase(double rate)
        : MtpMixedWorkloadTestBase(Name(rate)),
          m_rate(rate)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(double rate)
    {
        std::ostringstream os;
        os << "loss: 200 RPCs of mixed sizes at " << rate * 100
           << " percent loss all complete with default Attributes";
        return os.str();
    }

    void DoRun() override
    {
        uint32_t seed = RngSeedManager::GetSeed();
        uint64_t run = RngSeedManager::GetRun();
        RngSeedManager::SetSeed(getenv("MTP_SEED") ? std::stoul(getenv("MTP_SEED")) : 11);
        RngSeedManager::SetRun(1);
        LinkDrops drops;
        RunMix(
            10,
            20,
            MicroSeconds(200),
            [this](Network& net) {
                std::vector<Ptr<RateErrorModel>> models;
                for (int k = 0; k < 2; ++k)
                {
                    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
                    em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
                    em->SetRate(m_rate);
                    em->AssignStreams(300 + k);
                    models.push_back(em);
                }
                SetServerLinkErrorModel(net, models[0], models[1]);
            },
            drops);
        NS_TEST_EXPECT_MSG_GT(drops.error, 0, "the links lost packets");
        RngSeedManager::SetSeed(seed);
        RngSeedManager::SetRun(run);
    }

    double m_rate; //!< loss rate
};

/**
 * Four concurrent RPCs with 1 MB requests and 1 MB responses; 50
 * consecutive packets on the server link (both directions) are lost in the
 * middle of the transfers.  A burst that short costs resends, not RPCs.
 */
class MtpBurstInLargeRpcsTestCase : public MtpMixedWorkloadTestBase
{
  public:
    /** \param first index of the first packet lost on the server link */
    explicit MtpBurstInLargeRpcsTestCase(uint32_t first)
        : MtpMixedWorkloadTestBase(Name(first)),
          m_first(first)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(uint32_t first)
    {
        std::ostringstream os;
        os << "burst: 50 packets lost from packet " << first
           << " inside four concurrent 1 MB RPCs, all complete";
        return os.str();
    }

    void DoRun() override
    {
        Ptr<BurstDropModel> burst = CreateObject<BurstDropModel>();
        burst->first = m_first;
        burst->count = 50;
        LinkDrops drops;
        // Seed 1024 c + 15: request and response of 1 MB each.
        RunMix(
            4,
            1,
            Seconds(0),
            [&](Network& net) { SetServerLinkErrorModel(net, burst, burst); },
            drops,
            15);
        NS_TEST_EXPECT_MSG_EQ(burst->dropped, 50, "exactly 50 packets dropped");
    }

    uint32_t m_first; //!< first packet dropped
};

/**
 * A response that SRPT holds back for longer than the timeout.  The client
 * asks two servers for a 1 MB response each and grants one message at a time
 * (MaxOvercommit 1), so the second waits for the first, far longer than the
 * timer's limit (shortened here to tens of microseconds).  Homa's rule:
 * while a sender has sent all it was granted, the receiver owes the next
 * move, so the sender must not give up.  The server probes with NEED_ACK;
 * the client, alive and still wanting the message, answers BUSY.  Both
 * responses arrive intact and nothing times out.
 *
 * With `clientDies`, the client's link goes dark while the first response
 * is arriving: the probes go unanswered, the server discards both RPCs
 * after TimeoutResends probes, the client times out both, and the timers
 * stop: server state stays bounded.
 */
class MtpHeldBySrptTestCase : public TestCase
{
  public:
    /** \param clientDies black out the client in the middle of the first response */
    explicit MtpHeldBySrptTestCase(bool clientDies)
        : TestCase(clientDies ? "timer: a dead client's waiting responses are discarded in "
                                "bounded time"
                              : "timer: a response held back by SRPT longer than the timeout "
                                "survives (NEED_ACK probe, BUSY answer)"),
          m_clientDies(clientDies)
    {
    }

  private:
    void DoRun() override
    {
        // Client 0 asks two servers at once: the server host and client 1.
        Network net;
        net.nClients = 2;
        net.queue = "100000p";
        net.Build();
        for (auto& m : AllMtp(net))
        {
            m->SetAttribute("TickInterval", TimeValue(MicroSeconds(10)));
            m->SetAttribute("ResendTicks", UintegerValue(2));
            m->SetAttribute("ResendInterval", UintegerValue(2));
            m->SetAttribute("TimeoutResends", UintegerValue(2));
        }
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        cm->SetAttribute("MaxOvercommit", UintegerValue(1));
        std::vector<MixServer> servers(2);
        servers[0].Start(net.server, 100);
        servers[1].Start(net.clients.Get(1), 100);
        const std::vector<Address> where = {
            net.ServerAddress(100),
            InetSocketAddress(InetSocketAddress::ConvertFrom(net.clientAddrs[1]).GetIpv4(), 100)};
        const std::vector<Ptr<MtpL4Protocol>> sms = {MtpOf(net.server), MtpOf(net.clients.Get(1))};
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<BurstDropModel> dark = CreateObject<BurstDropModel>();
        dark->first = 0;
        dark->count = std::numeric_limits<uint32_t>::max();
        dark->Disable();
        net.clientLinks[0].Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(dark));
        net.clientLinks[0].Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(dark));
        // Seeds 12 and 13: 100 B (12), 5 KB (13) requests, 1 MB responses,
        // one from each server.  Each server sends its unscheduled bytes at
        // once; the client grants one response at a time.
        std::map<uint64_t, uint32_t> seeds;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            for (uint32_t k = 0; k < 2; ++k)
            {
                uint32_t seed = 12 + k;
                uint64_t id =
                    client.socket->SendRequest(MakePattern(seed, MixRequestSize(seed)), where[k]);
                seeds[id] = seed;
            }
        });
        if (m_clientDies)
        {
            Simulator::Schedule(MicroSeconds(300), [&]() { dark->Enable(); });
        }
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        NS_TEST_ASSERT_MSG_EQ(seeds.size(), 2, "two RPCs started");
        NS_TEST_EXPECT_MSG_EQ(servers[0].executions.size() + servers[1].executions.size(),
                              2,
                              "both requests executed");
        const MtpMetrics& c = cm->GetMetrics();
        MtpMetrics s; // the two servers' counters that matter here, summed
        for (auto& m : sms)
        {
            for (std::size_t t = 0; t < s.packetsSent.size(); ++t)
            {
                s.packetsSent[t] += m->GetMetrics().packetsSent[t];
            }
            s.serverRpcsDiscarded += m->GetMetrics().serverRpcsDiscarded;
            s.timeouts += m->GetMetrics().timeouts;
        }
        uint32_t needAck = MtpMetrics::TypeIndex(MtpPacketType::NEED_ACK);
        uint32_t busy = MtpMetrics::TypeIndex(MtpPacketType::BUSY);
        if (!m_clientDies)
        {
            for (auto& kv : seeds)
            {
                NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[kv.first], kv.second + 1, 1000000),
                                      true,
                                      "response " << kv.second << " intact");
            }
            NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "no RPC failed");
            NS_TEST_EXPECT_MSG_GT(s.packetsSent[needAck], 0, "the waiting server probed");
            NS_TEST_EXPECT_MSG_GT(c.packetsSent[busy], 0, "the client answered BUSY");
            NS_TEST_EXPECT_MSG_EQ(s.serverRpcsDiscarded, 0, "the server kept both RPCs");
            NS_TEST_EXPECT_MSG_EQ(c.timeouts + s.timeouts, 0, "nothing timed out");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 0, "no response got through");
            NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 2, "both RPCs failed");
            for (auto& kv : client.failures)
            {
                NS_TEST_EXPECT_MSG_EQ(kv.second, MtpError::TIMEDOUT, "with ETIMEDOUT");
            }
            NS_TEST_EXPECT_MSG_EQ(s.serverRpcsDiscarded, 2, "the server discarded both RPCs");
            // A silent server RPC is discarded at its (2 + 2 * 2)th silent
            // tick: long before the run's 1 s mark.
            NS_TEST_EXPECT_MSG_EQ(servers[0].socket->GetRpcCount() +
                                      servers[1].socket->GetRpcCount(),
                                  0,
                                  "server state freed");
        }
        NS_TEST_EXPECT_MSG_EQ(cm->GetLiveRpcCount() + sms[0]->GetLiveRpcCount() +
                                  sms[1]->GetLiveRpcCount(),
                              0,
                              "no live RPC");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    bool m_clientDies; //!< black out the client mid-response
};

/** The suite. */
class MtpHomaTimerTestSuite : public TestSuite
{
  public:
    MtpHomaTimerTestSuite()
        : TestSuite("mtp-homa-timer", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpTimeoutTestCase(MilliSeconds(1), 5, 5, 5));
        AddTestCase(new MtpTimeoutTestCase(MicroSeconds(500), 2, 3, 3));
        AddTestCase(new MtpRandomLossTestCase(0.01));
        AddTestCase(new MtpRandomLossTestCase(0.05));
        AddTestCase(new MtpRandomLossTestCase(0.10));
        AddTestCase(new MtpBurstLossTestCase());
        AddTestCase(new MtpRestartTestCase(100));
        AddTestCase(new MtpRestartTestCase(5000));
        AddTestCase(new MtpResponseTailLossTestCase(2));
        AddTestCase(new MtpResponseTailLossTestCase(5));
        AddTestCase(new MtpAckTestCase(false));
        AddTestCase(new MtpAckTestCase(true));
        AddTestCase(new MtpThousandRpcsTestCase());
        AddTestCase(new MtpMixedLossTestCase(0.01));
        AddTestCase(new MtpMixedLossTestCase(0.05));
        AddTestCase(new MtpMixedLossTestCase(0.10));
        AddTestCase(new MtpBurstInLargeRpcsTestCase(300));
        AddTestCase(new MtpBurstInLargeRpcsTestCase(1500));
        AddTestCase(new MtpHeldBySrptTestCase(false));
        AddTestCase(new MtpHeldBySrptTestCase(true));
    }
};

/** Static instance registering the suite. */
MtpHomaTimerTestSuite g_mtpHomaTimerTestSuite;

} // namespace
