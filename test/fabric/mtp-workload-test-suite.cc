/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of the workload layer: MtpWorkloadApp (Poisson arrivals at the
 * target load, uniform destinations that are never the sender, MTP and TCP
 * transports) and MtpMessageRecorder (slowdown against a hand-computed
 * unloaded time, warm-up, unfinished messages, per-bucket statistics, the CSV
 * files byte for byte).
 *
 * The network is a star: every host has one point-to-point link to a router,
 * so a path is two store-and-forward hops whose ideal time is easy to compute
 * by hand.
 */

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/mtp-datacenter-helper.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-message-recorder.h"
#include "ns3/mtp-stack-helper.h"
#include "ns3/mtp-workload-app.h"
#include "ns3/mtp-workload.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{

/** \return a distribution parsed from `text` (fatal if it does not parse) */
Ptr<MtpMessageSizeDistribution>
Dist(const std::string& text)
{
    Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
    std::string error;
    NS_ABORT_MSG_UNLESS(d->Parse(text, "test", error), error);
    return d;
}

/** \return the whole content of a file */
std::string
ReadFile(const std::string& path)
{
    std::ifstream f(path);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/**
 * Hosts on a star around one router, one workload app per host.  Each
 * experiment is one simulation: Run() builds, runs and leaves the results in
 * the public fields; the simulator is destroyed at the end.
 */
struct Experiment
{
    // Knobs.
    uint32_t hosts = 4;                    //!< number of hosts
    std::string rate = "1Gbps";            //!< every link
    Time delay = MicroSeconds(1);          //!< every link
    std::string protocol = "Mtp";          //!< app Protocol attribute
    Ptr<MtpMessageSizeDistribution> dist;  //!< message sizes
    std::vector<double> loads;             //!< per host (missing: `load`)
    double load = 0.5;                     //!< default load of a host
    bool countHeaders = false;             //!< app CountHeaders attribute
    Time stopGenerating = MilliSeconds(5); //!< apps' StopTime
    Time stopSimulation = MilliSeconds(6); //!< Simulator::Stop
    Time warmup;                           //!< recorder warm-up
    uint32_t run = 1;                      //!< RngSeedManager run number
    /// Unloaded time of (src, dst, bytes); empty: none
    std::function<Time(uint32_t, uint32_t, uint32_t)> unloaded;
    std::vector<uint32_t> buckets; //!< explicit bucket bounds (empty: none)
    uint32_t mtpMaxMessage = 0;    //!< MtpL4Protocol MaxMessageLength of every host (0: default)
    bool oneWayAck = false;        //!< MtpL4Protocol OneWayAnswer=Ack on every host

    // Results.
    Ptr<MtpMessageRecorder> recorder;        //!< the shared recorder
    std::vector<Ptr<MtpWorkloadApp>> apps;   //!< by host
    std::vector<Ipv4Address> addrs;          //!< by host
    std::vector<uint64_t> sent;              //!< GetMessagesSent, by host
    std::vector<uint64_t> received;          //!< GetMessagesReceived, by host
    std::vector<uint64_t> sendErrors;        //!< GetSendErrors, by host
    std::vector<uint64_t> openConnections;   //!< GetOpenConnections at the end
    std::vector<Time> meanInterval;          //!< GetMeanInterval, by host
    std::vector<std::vector<Time>> arrivals; //!< recorded start times, by host
    std::vector<uint64_t> mtpDataSent;       //!< MTP DATA packets sent, by host (MTP runs)

    /** Build, run, collect. */
    void Run()
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(run);
        NodeContainer nodes;
        nodes.Create(hosts);
        Ptr<Node> router = CreateObject<Node>();
        InternetStackHelper internet;
        internet.SetIpv6StackInstall(false);
        internet.Install(nodes);
        internet.Install(router);
        if (protocol == "Mtp")
        {
            MtpStackHelper mtp;
            mtp.Install(nodes);
            for (uint32_t i = 0; mtpMaxMessage && i < hosts; ++i)
            {
                nodes.Get(i)->GetObject<MtpL4Protocol>()->SetAttribute(
                    "MaxMessageLength",
                    UintegerValue(mtpMaxMessage));
            }
            for (uint32_t i = 0; oneWayAck && i < hosts; ++i)
            {
                nodes.Get(i)->GetObject<MtpL4Protocol>()->SetAttribute(
                    "OneWayAnswer",
                    EnumValue(MtpL4Protocol::ONE_WAY_ACK));
            }
        }
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        p2p.SetChannelAttribute("Delay", TimeValue(delay));
        addrs.clear();
        for (uint32_t i = 0; i < hosts; ++i)
        {
            NetDeviceContainer link = p2p.Install(nodes.Get(i), router);
            std::ostringstream net;
            net << "10.1." << i + 1 << ".0";
            Ipv4AddressHelper v4;
            v4.SetBase(net.str().c_str(), "255.255.255.0");
            addrs.push_back(v4.Assign(link).GetAddress(0));
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();

        recorder = CreateObject<MtpMessageRecorder>();
        recorder->SetWarmup(warmup);
        if (unloaded)
        {
            recorder->SetUnloadedTimeFunction(unloaded);
        }
        if (!buckets.empty())
        {
            recorder->SetBuckets(buckets);
        }
        apps.clear();
        for (uint32_t i = 0; i < hosts; ++i)
        {
            Ptr<MtpWorkloadApp> app = CreateObject<MtpWorkloadApp>();
            app->SetAttribute("Distribution", PointerValue(dist));
            app->SetAttribute("Recorder", PointerValue(recorder));
            app->SetAttribute("Load", DoubleValue(i < loads.size() ? loads[i] : load));
            app->SetAttribute("HostRate", DataRateValue(DataRate(rate)));
            app->SetAttribute("Protocol", StringValue(protocol));
            app->SetAttribute("CountHeaders", BooleanValue(countHeaders));
            app->SetDestinations(i, addrs);
            app->AssignStreams(100 + 3 * i);
            nodes.Get(i)->AddApplication(app);
            app->SetStartTime(Seconds(0));
            app->SetStopTime(stopGenerating);
            apps.push_back(app);
        }
        Simulator::Stop(stopSimulation);
        Simulator::Run();

        sent.clear();
        received.clear();
        sendErrors.clear();
        openConnections.clear();
        meanInterval.clear();
        for (const auto& app : apps)
        {
            sent.push_back(app->GetMessagesSent());
            received.push_back(app->GetMessagesReceived());
            sendErrors.push_back(app->GetSendErrors());
            openConnections.push_back(app->GetOpenConnections());
            meanInterval.push_back(app->GetMeanInterval());
        }
        arrivals.assign(hosts, {});
        for (const auto& r : recorder->GetRecords())
        {
            arrivals[r.src].push_back(r.start);
        }
        mtpDataSent.clear();
        for (uint32_t i = 0; protocol == "Mtp" && i < hosts; ++i)
        {
            const MtpMetrics& m = nodes.Get(i)->GetObject<MtpL4Protocol>()->GetMetrics();
            mtpDataSent.push_back(m.packetsSent[MtpMetrics::TypeIndex(MtpPacketType::DATA)]);
        }
        Simulator::Destroy();
    }
};

// ---------------------------------------------------------------------------

/**
 * Poisson arrivals at the target load: the mean gap is hand-computed
 * (messages/s = Load x HostRate / (8 x mean bytes), with or without the
 * per-packet headers), the measured count of every host over a long run is
 * within 5 standard deviations of it, and the gaps are exponential
 * (coefficient of variation 1: a periodic or bursty source fails).
 */
class MtpWorkloadRateTestCase : public TestCase
{
  public:
    /**
     * \param size the one message size
     * \param countHeaders the app's CountHeaders
     * \param expectedGap the hand-computed mean gap, seconds
     * \param duration how long the hosts generate
     */
    MtpWorkloadRateTestCase(uint32_t size, bool countHeaders, double expectedGap, Time duration)
        : TestCase("Poisson arrivals at the target load, " + std::to_string(size) + " B" +
                   (countHeaders ? " with headers" : " without headers")),
          m_size(size),
          m_countHeaders(countHeaders),
          m_expectedGap(expectedGap),
          m_duration(duration)
    {
    }

  private:
    void DoRun() override
    {
        Experiment e;
        e.hosts = 4;
        e.rate = "10Gbps";
        e.load = 0.5;
        e.dist = Dist(std::to_string(m_size) + " 1\n");
        e.countHeaders = m_countHeaders;
        const Time T = m_duration;
        e.stopGenerating = T;
        e.stopSimulation = T + MilliSeconds(1);
        e.Run();

        double rate = 1.0 / m_expectedGap; // messages per second per host
        double expected = rate * T.GetSeconds();
        uint64_t total = 0;
        for (uint32_t i = 0; i < e.hosts; ++i)
        {
            // (GetMeanInterval is a Time: rounded to the nanosecond.)
            NS_TEST_ASSERT_MSG_EQ_TOL(e.meanInterval[i].GetSeconds(),
                                      m_expectedGap,
                                      0.5e-9 + 1e-15,
                                      "mean gap of host " << i);
            NS_TEST_ASSERT_MSG_EQ(e.sendErrors[i], 0, "send errors");
            // Every message is measured (no warm-up) and started in [0, T).
            NS_TEST_ASSERT_MSG_EQ(e.arrivals[i].size(), e.sent[i], "recorded = sent");
            NS_TEST_EXPECT_MSG_EQ_TOL(double(e.sent[i]),
                                      expected,
                                      5 * std::sqrt(expected),
                                      "messages of host " << i);
            total += e.sent[i];

            // Gaps: exponential with the expected mean.
            std::vector<double> gaps;
            Time prev = Seconds(0);
            for (Time t : e.arrivals[i])
            {
                gaps.push_back((t - prev).GetSeconds());
                prev = t;
            }
            double sum = 0;
            double sq = 0;
            for (double g : gaps)
            {
                sum += g;
                sq += g * g;
            }
            double mean = sum / gaps.size();
            double cv = std::sqrt(sq / gaps.size() - mean * mean) / mean;
            NS_TEST_EXPECT_MSG_EQ_TOL(mean,
                                      m_expectedGap,
                                      5 * m_expectedGap / std::sqrt(gaps.size()),
                                      "mean measured gap of host " << i);
            NS_TEST_EXPECT_MSG_EQ_TOL(cv, 1.0, 0.05, "gap coefficient of variation, host " << i);
        }
        double all = expected * e.hosts;
        NS_TEST_EXPECT_MSG_EQ_TOL(double(total), all, 5 * std::sqrt(all), "all messages");
        // And the tolerance on the total is tight: at most 3%.
        NS_TEST_ASSERT_MSG_LT(5 * std::sqrt(all), 0.03 * all, "tolerance");
    }

    uint32_t m_size;      //!< message size
    bool m_countHeaders;  //!< CountHeaders
    double m_expectedGap; //!< hand-computed mean gap, seconds
    Time m_duration;      //!< generation time
};

/**
 * The offered bytes of a real workload (W1, as shipped) match the load:
 * bytes/s = Load x HostRate / 8 within 5 standard deviations of a compound
 * Poisson process (variance rate x E[S^2]).
 */
class MtpWorkloadOfferedBytesTestCase : public TestCase
{
  public:
    MtpWorkloadOfferedBytesTestCase()
        : TestCase("offered bytes of W1 = Load x HostRate")
    {
    }

  private:
    void DoRun() override
    {
        Experiment e;
        e.hosts = 4;
        e.rate = "10Gbps";
        e.load = 0.4;
        e.dist = CreateObject<MtpMessageSizeDistribution>();
        e.dist->Load("w1");
        const Time T = MilliSeconds(10);
        e.stopGenerating = T;
        e.stopSimulation = T + MilliSeconds(2);
        e.Run();

        double m1 = 0;
        double m2 = 0;
        double prev = 0;
        for (std::size_t i = 0; i < e.dist->GetSizes().size(); ++i)
        {
            double p = e.dist->GetCdf()[i] - prev;
            prev = e.dist->GetCdf()[i];
            double s = e.dist->GetSizes()[i];
            m1 += p * s;
            m2 += p * s * s;
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(m1, 189.172955, 1e-3, "W1 mean");
        double bytesPerSecond = 0.4 * 10e9 / 8; // per host
        double rate = bytesPerSecond / m1;      // messages per second per host
        std::vector<double> bytes(e.hosts, 0);
        double total = 0;
        for (const auto& r : e.recorder->GetRecords())
        {
            bytes[r.src] += r.size;
            total += r.size;
        }
        double expected = bytesPerSecond * T.GetSeconds();
        double sd = std::sqrt(rate * T.GetSeconds() * m2);
        for (uint32_t i = 0; i < e.hosts; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ_TOL(bytes[i], expected, 5 * sd, "bytes offered by host " << i);
        }
        NS_TEST_EXPECT_MSG_EQ_TOL(total,
                                  e.hosts * expected,
                                  5 * sd * std::sqrt(e.hosts),
                                  "bytes offered by all hosts");
        NS_TEST_ASSERT_MSG_LT(5 * sd * std::sqrt(e.hosts), 0.05 * e.hosts * expected, "tolerance");
    }
};

/**
 * Destinations: never the sender, uniform over the other hosts (chi-square
 * per sender and over all senders at p = 0.001), and the destination index
 * recorded is the host that really received the message.
 */
class MtpWorkloadDestinationTestCase : public TestCase
{
  public:
    MtpWorkloadDestinationTestCase()
        : TestCase("destinations uniform over the other hosts, never self")
    {
    }

  private:
    void DoRun() override
    {
        Experiment e;
        e.hosts = 5;
        e.rate = "1Gbps";
        e.load = 0.3;
        e.dist = Dist("100 1\n");
        e.stopGenerating = MilliSeconds(10);
        e.stopSimulation = MilliSeconds(12);
        e.Run();

        std::vector<std::vector<uint64_t>> counts(e.hosts, std::vector<uint64_t>(e.hosts, 0));
        std::vector<uint64_t> toHost(e.hosts, 0);
        for (const auto& r : e.recorder->GetRecords())
        {
            NS_TEST_ASSERT_MSG_NE(r.src, r.dst, "message " << r.id << " sent to itself");
            NS_TEST_ASSERT_MSG_EQ(r.done, true, "message " << r.id << " not delivered");
            ++counts[r.src][r.dst];
            ++toHost[r.dst];
        }
        // Chi-square, 3 degrees of freedom per sender (16.27 at p = 0.001),
        // 15 over the five senders (37.70).
        double all = 0;
        for (uint32_t s = 0; s < e.hosts; ++s)
        {
            NS_TEST_ASSERT_MSG_GT(e.sent[s], 1000, "enough messages");
            NS_TEST_ASSERT_MSG_EQ(counts[s][s], 0, "self");
            double expected = double(e.sent[s]) / (e.hosts - 1);
            double chi2 = 0;
            for (uint32_t d = 0; d < e.hosts; ++d)
            {
                if (d != s)
                {
                    chi2 += std::pow(counts[s][d] - expected, 2) / expected;
                }
            }
            NS_TEST_EXPECT_MSG_LT(chi2, 16.27, "chi-square of sender " << s);
            all += chi2;
        }
        NS_TEST_EXPECT_MSG_LT(all, 37.70, "chi-square of all senders");
        // The recorded destination is the host whose app got the message.
        for (uint32_t d = 0; d < e.hosts; ++d)
        {
            NS_TEST_EXPECT_MSG_EQ(e.received[d], toHost[d], "messages received by host " << d);
        }
    }
};

// ---------------------------------------------------------------------------

/// Hand-computed ideal of a 3000-byte MTP message over the star at 8 Gb/s
/// (1 byte = 1 ns), 1 us per link: packets of 1424, 1424 and 152 payload
/// bytes are 1502, 1502 and 230 bytes on the wire (+56 MTP, +20 IPv4, +2
/// PPP).  Hop 1 ends them at 1502, 3004, 3234 ns; hop 2 starts each 1 us
/// later or when the previous one is out: 4004, 5506, 5736 ns; plus the last
/// link's 1 us: 6736 ns.
const Time kUnloaded3000 = NanoSeconds(6736);

/**
 * Slowdown = measured completion / unloaded time: a lone message over the
 * star completes in exactly the hand-computed ideal (slowdown 1), and every
 * record's slowdown in the recorder's CSV and summary is its measured
 * completion time divided by that ideal.  The same with OneWayAnswer=Ack:
 * completion is still the receiver's (the ideal is unchanged), and the
 * receiving host sends no DATA at all (one empty response per message
 * otherwise).
 */
class MtpWorkloadSlowdownTestCase : public TestCase
{
  public:
    /** \param ack run with OneWayAnswer=Ack */
    explicit MtpWorkloadSlowdownTestCase(bool ack)
        : TestCase(std::string("slowdown = completion over the hand-computed unloaded time") +
                   (ack ? ", one-way messages acked (no response)" : "")),
          m_ack(ack)
    {
    }

  private:
    void DoRun() override
    {
        // The topology helper's recurrence agrees with the hand computation.
        std::vector<MtpDatacenterHelper::Hop> hops{{DataRate("8Gbps"), MicroSeconds(1)},
                                                   {DataRate("8Gbps"), MicroSeconds(1)}};
        NS_TEST_ASSERT_MSG_EQ(MtpDatacenterHelper::ComputeUnloadedTime(hops, 3000, 1500),
                              kUnloaded3000,
                              "unloaded time of 3000 B over two 8 Gb/s hops");

        Experiment e;
        e.hosts = 2;
        e.rate = "8Gbps";
        e.delay = MicroSeconds(1);
        e.dist = Dist("3000 1\n");
        // Host 0 sends a message every 100 us on average; host 1 only receives.
        e.loads = {8 * 3000 / (8e9 * 100e-6), 0};
        e.stopGenerating = MilliSeconds(10);
        e.stopSimulation = MilliSeconds(11);
        e.buckets = {3000};
        e.oneWayAck = m_ack;
        uint32_t calls = 0;
        e.unloaded = [&calls](uint32_t src, uint32_t dst, uint32_t bytes) {
            ++calls;
            NS_ABORT_UNLESS(src == 0 && dst == 1 && bytes == 3000);
            return kUnloaded3000;
        };
        e.Run();

        const auto& records = e.recorder->GetRecords();
        NS_TEST_ASSERT_MSG_GT(records.size(), 50, "messages");
        NS_TEST_ASSERT_MSG_EQ(calls, records.size(), "one unloaded time per message");
        NS_TEST_ASSERT_MSG_EQ(e.received[1], records.size(), "all delivered");
        NS_TEST_ASSERT_MSG_EQ(e.mtpDataSent.size(), 2, "MTP metrics of both hosts");
        NS_TEST_EXPECT_MSG_EQ(e.mtpDataSent[1],
                              (m_ack ? 0 : records.size()),
                              "the receiver's DATA packets: one empty response per message, "
                              "or none when acked");
        std::vector<double> slowdowns;
        uint32_t lone = 0;
        for (std::size_t i = 0; i < records.size(); ++i)
        {
            const auto& r = records[i];
            NS_TEST_ASSERT_MSG_EQ(r.done, true, "message " << i);
            NS_TEST_ASSERT_MSG_EQ(r.unloaded, kUnloaded3000, "unloaded time stored");
            Time took = r.end - r.start;
            slowdowns.push_back(took.GetSeconds() / kUnloaded3000.GetSeconds());
            NS_TEST_EXPECT_MSG_GT_OR_EQ(took, kUnloaded3000, "faster than ideal");
            bool alone = (i == 0 || r.start - records[i - 1].end > MicroSeconds(5)) &&
                         (i + 1 == records.size() || records[i + 1].start > r.end);
            if (alone)
            {
                ++lone;
                NS_TEST_EXPECT_MSG_EQ(took, kUnloaded3000, "a lone message takes the ideal");
            }
        }
        NS_TEST_ASSERT_MSG_GT(lone, 40, "lone messages");

        // The recorder's numbers are those slowdowns.
        std::string csv = CreateTempDirFilename("slowdown.csv");
        e.recorder->WriteCsv(csv);
        std::istringstream in(ReadFile(csv));
        std::string line;
        std::getline(in, line);
        for (std::size_t i = 0; i < records.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(bool(std::getline(in, line)), true, "CSV line " << i);
            std::vector<std::string> f;
            std::istringstream ls(line);
            std::string x;
            while (std::getline(ls, x, ','))
            {
                f.push_back(x);
            }
            NS_TEST_ASSERT_MSG_EQ(f.size(), 9, "fields");
            NS_TEST_EXPECT_MSG_EQ(f[6], "6736", "unloaded_ns");
            NS_TEST_EXPECT_MSG_EQ_TOL(std::stod(f[7]), slowdowns[i], 1e-5, "slowdown " << i);
        }
        auto buckets = e.recorder->Summarize();
        NS_TEST_ASSERT_MSG_EQ(buckets.size(), 1, "one bucket");
        double sum = 0;
        for (double s : slowdowns)
        {
            sum += s;
        }
        std::sort(slowdowns.begin(), slowdowns.end());
        NS_TEST_EXPECT_MSG_EQ(buckets[0].count, records.size(), "count");
        NS_TEST_EXPECT_MSG_EQ_TOL(buckets[0].mean, sum / records.size(), 1e-12, "mean");
        NS_TEST_EXPECT_MSG_EQ(buckets[0].median,
                              slowdowns[(slowdowns.size() + 1) / 2 - 1],
                              "median");
        NS_TEST_EXPECT_MSG_EQ(buckets[0].p99,
                              slowdowns[std::size_t(std::ceil(0.99 * slowdowns.size())) - 1],
                              "p99");
    }

    bool m_ack; //!< OneWayAnswer=Ack
};

/**
 * Messages the transport refuses at send time (EMSGSIZE: 20 KB messages
 * above a 5 KB MaxMessageLength) are measured messages that failed: each is
 * a failed record with its error, the failed count equals the refused sends,
 * the summary line prints them, and the accepted 1 KB messages complete.
 */
class MtpWorkloadRefusedTestCase : public TestCase
{
  public:
    MtpWorkloadRefusedTestCase()
        : TestCase("messages refused at send time (EMSGSIZE) are counted as failed")
    {
    }

  private:
    void DoRun() override
    {
        Experiment e;
        e.hosts = 3;
        e.rate = "10Gbps";
        e.load = 0.2;
        e.dist = Dist("1000 0.5\n20000 1\n");
        e.stopGenerating = MilliSeconds(1);
        e.stopSimulation = MilliSeconds(5);
        e.mtpMaxMessage = 5000;
        e.Run();
        uint64_t big = 0;
        uint64_t small = 0;
        bool allRight = true;
        for (const auto& r : e.recorder->GetRecords())
        {
            if (r.size == 20000)
            {
                ++big;
                allRight = allRight && r.failed && !r.done && r.error == "EMSGSIZE";
            }
            else
            {
                ++small;
                allRight = allRight && r.done && !r.failed;
            }
        }
        NS_TEST_ASSERT_MSG_GT(big, 10, "enough large messages drawn");
        NS_TEST_ASSERT_MSG_GT(small, 10, "enough small messages drawn");
        NS_TEST_EXPECT_MSG_EQ(allRight, true, "large: failed EMSGSIZE; small: done");
        uint64_t refused = 0;
        for (uint64_t n : e.sendErrors)
        {
            refused += n;
        }
        NS_TEST_EXPECT_MSG_EQ(e.recorder->GetFailed(), big, "every refused message failed");
        NS_TEST_EXPECT_MSG_EQ(refused, big, "and equals the refused sends");
        NS_TEST_EXPECT_MSG_EQ(e.recorder->GetUnfinished(), big, "only those are not done");
        std::ostringstream table;
        e.recorder->PrintTable(table, "mtp");
        std::ostringstream expect;
        expect << "== mtp: " << big + small << " measured messages, " << small << " completed, "
               << big << " unfinished (" << big << " failed)\n";
        NS_TEST_EXPECT_MSG_EQ(table.str().substr(0, expect.str().size()),
                              expect.str(),
                              "the summary prints them");
    }
};

/**
 * Warm-up and drain.  Three runs of the same traffic (same seed): no warm-up
 * and a long drain; a warm-up and a long drain; a warm-up and no drain.  The
 * warm-up run's records are exactly the full run's records that started
 * after the warm-up (nothing lost, nothing extra); cutting the drain leaves
 * exactly the messages the full run finished after the cut as unfinished,
 * reported in the counts, the CSV and the unfinished list.
 */
class MtpWorkloadWarmupTestCase : public TestCase
{
  public:
    MtpWorkloadWarmupTestCase()
        : TestCase("warm-up excluded, unfinished messages reported")
    {
    }

  private:
    /** \return the experiment all three runs share */
    static Experiment Base()
    {
        Experiment e;
        e.hosts = 4;
        e.rate = "10Gbps";
        e.load = 0.7;
        e.dist = Dist("1000 0.5\n20000 0.8\n150000 1\n");
        e.stopGenerating = MilliSeconds(3);
        e.stopSimulation = MilliSeconds(20);
        e.unloaded = [](uint32_t, uint32_t, uint32_t bytes) { return NanoSeconds(bytes); };
        return e;
    }

    void DoRun() override
    {
        Experiment full = Base();
        full.Run();
        Experiment warm = Base();
        warm.warmup = MilliSeconds(1);
        warm.Run();
        Experiment cut = Base();
        cut.warmup = MilliSeconds(1);
        cut.stopSimulation = cut.stopGenerating;
        cut.Run();

        NS_TEST_ASSERT_MSG_EQ(full.recorder->GetUnfinished(), 0, "the full run drains");
        NS_TEST_ASSERT_MSG_EQ(warm.recorder->GetUnfinished(), 0, "the warm-up run drains");
        std::vector<MtpMessageRecorder::Record> after;
        for (const auto& r : full.recorder->GetRecords())
        {
            if (r.start >= MilliSeconds(1))
            {
                after.push_back(r);
            }
        }
        NS_TEST_ASSERT_MSG_LT(after.size(), full.recorder->GetRecords().size(), "some warm-up");
        const auto& w = warm.recorder->GetRecords();
        NS_TEST_ASSERT_MSG_EQ(w.size(), after.size(), "measured messages");
        uint64_t sentFull = 0;
        uint64_t sentWarm = 0;
        for (uint32_t i = 0; i < full.hosts; ++i)
        {
            sentFull += full.sent[i];
            sentWarm += warm.sent[i];
        }
        NS_TEST_EXPECT_MSG_EQ(sentWarm, sentFull, "warm-up messages are still sent");
        for (std::size_t i = 0; i < w.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(w[i].id, i, "ids count measured messages");
            NS_TEST_EXPECT_MSG_EQ(w[i].start, after[i].start, "start " << i);
            NS_TEST_EXPECT_MSG_EQ(w[i].end, after[i].end, "end " << i);
            NS_TEST_EXPECT_MSG_EQ(w[i].size, after[i].size, "size " << i);
            NS_TEST_EXPECT_MSG_EQ(w[i].src, after[i].src, "src " << i);
            NS_TEST_EXPECT_MSG_EQ(w[i].dst, after[i].dst, "dst " << i);
        }

        // Cut at the end of generation.
        const auto& c = cut.recorder->GetRecords();
        NS_TEST_ASSERT_MSG_EQ(c.size(), w.size(), "the cut run starts the same messages");
        uint64_t lateInFull = 0;
        for (std::size_t i = 0; i < c.size(); ++i)
        {
            // (Events at the stop time itself do not run.)
            bool late = w[i].end >= cut.stopSimulation;
            lateInFull += late;
            NS_TEST_EXPECT_MSG_EQ(c[i].done, !late, "message " << i << " done");
            if (c[i].done)
            {
                NS_TEST_EXPECT_MSG_EQ(c[i].end, w[i].end, "end " << i);
            }
        }
        NS_TEST_ASSERT_MSG_GT(lateInFull, 2, "messages in flight at the cut");
        NS_TEST_EXPECT_MSG_EQ(cut.recorder->GetUnfinished(), lateInFull, "unfinished");
        NS_TEST_EXPECT_MSG_EQ(cut.recorder->GetCompleted() + cut.recorder->GetUnfinished(),
                              cut.recorder->GetStarted(),
                              "started = completed + unfinished");
        uint64_t summarized = 0;
        for (const auto& b : cut.recorder->Summarize())
        {
            summarized += b.count;
        }
        NS_TEST_EXPECT_MSG_EQ(summarized, cut.recorder->GetCompleted(), "summaries: completed");

        std::string csv = CreateTempDirFilename("cut.csv");
        cut.recorder->WriteCsv(csv);
        std::istringstream in(ReadFile(csv));
        std::string line;
        uint64_t unfinishedLines = 0;
        while (std::getline(in, line))
        {
            if (line.size() > 11 && line.compare(line.size() - 11, 11, ",unfinished") == 0)
            {
                ++unfinishedLines;
                // end_ns (4th) and slowdown (8th) are empty.
                std::vector<std::string> f;
                std::istringstream ls(line);
                std::string x;
                while (std::getline(ls, x, ','))
                {
                    f.push_back(x);
                }
                NS_TEST_EXPECT_MSG_EQ(f[3], "", "end of an unfinished message");
                NS_TEST_EXPECT_MSG_EQ(f[7], "", "slowdown of an unfinished message");
            }
        }
        NS_TEST_EXPECT_MSG_EQ(unfinishedLines, lateInFull, "unfinished lines in the CSV");
        std::ostringstream list;
        cut.recorder->PrintUnfinished(list, UINT32_MAX);
        uint64_t listed = 0;
        std::istringstream ll(list.str());
        while (std::getline(ll, line))
        {
            listed += line.find("unfinished: id ") != std::string::npos;
        }
        NS_TEST_EXPECT_MSG_EQ(listed, lateInFull, "unfinished list");
        std::ostringstream table;
        cut.recorder->PrintTable(table, "mtp");
        std::ostringstream head;
        head << "== mtp: " << c.size() << " measured messages, " << c.size() - lateInFull
             << " completed, " << lateInFull << " unfinished (0 failed)\n";
        NS_TEST_EXPECT_MSG_EQ(table.str().substr(0, head.str().size()), head.str(), "table head");
    }
};

/**
 * TCP transport: every message completes, matched on the receiver; every
 * connection is closed once its message is through (none left open).
 */
class MtpWorkloadTcpTestCase : public TestCase
{
  public:
    /** \param size the one message size (0: empty messages) */
    explicit MtpWorkloadTcpTestCase(uint32_t size)
        : TestCase("TCP: messages of " + std::to_string(size) + " B complete, connections close"),
          m_size(size)
    {
    }

  private:
    void DoRun() override
    {
        Experiment e;
        e.protocol = "Tcp";
        e.hosts = 3;
        e.rate = "1Gbps";
        e.dist = Dist(std::to_string(m_size) + " 1\n");
        // About 100 messages per host in 5 ms.
        e.load = m_size > 0 ? 8.0 * m_size / (1e9 * 50e-6) : 0;
        if (m_size == 0)
        {
            // Load 0 draws nothing: count a nominal packet to get a rate.
            e.countHeaders = true;
            e.load = 8.0 * 78 / (1e9 * 50e-6);
        }
        e.stopGenerating = MilliSeconds(5);
        e.stopSimulation = MilliSeconds(50);
        e.Run();

        uint64_t sent = 0;
        uint64_t received = 0;
        for (uint32_t i = 0; i < e.hosts; ++i)
        {
            sent += e.sent[i];
            received += e.received[i];
            NS_TEST_EXPECT_MSG_EQ(e.sendErrors[i], 0, "send errors of host " << i);
            NS_TEST_EXPECT_MSG_EQ(e.openConnections[i], 0, "connections left open, host " << i);
        }
        NS_TEST_ASSERT_MSG_GT(sent, 150, "messages");
        NS_TEST_EXPECT_MSG_EQ(received, sent, "received");
        NS_TEST_EXPECT_MSG_EQ(e.recorder->GetStarted(), sent, "recorded");
        NS_TEST_EXPECT_MSG_EQ(e.recorder->GetCompleted(), sent, "completed");
        NS_TEST_EXPECT_MSG_EQ(e.recorder->GetKeyCollisions(), 0, "key collisions");
    }

    uint32_t m_size; //!< message size
};

// ---------------------------------------------------------------------------

/**
 * Recorder statistics on known inputs (no network): messages are started
 * and completed at chosen simulated times with an ideal of 1 us, so each
 * slowdown is its duration in microseconds.
 */
class MtpRecorderStatisticsTestCase : public TestCase
{
  public:
    MtpRecorderStatisticsTestCase()
        : TestCase("recorder: per-bucket mean, median, p99 on known inputs")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<MtpMessageRecorder> rec = CreateObject<MtpMessageRecorder>();
        rec->SetUnloadedTimeFunction([](uint32_t, uint32_t, uint32_t) { return MicroSeconds(1); });
        rec->SetBuckets({100, 1000});
        rec->SetWarmup(MicroSeconds(10));
        uint64_t key = 0;
        // A message of `size` bytes from `start` us lasting `us` microseconds.
        auto message = [&rec, &key](uint32_t size, int64_t start, int64_t us) {
            MtpMessageRecorder::Key k{1, 2, ++key};
            Simulator::Schedule(MicroSeconds(start),
                                [rec, k, size]() { rec->MessageStarted(k, 0, 1, size); });
            Simulator::Schedule(MicroSeconds(start + us), [rec, k]() { rec->MessageReceived(k); });
        };
        // Bucket (0, 100]: slowdowns 1..100 in a scrambled order; sizes up to
        // the bound itself.
        for (int64_t i = 0; i < 100; ++i)
        {
            int64_t s = (i * 37) % 100 + 1;
            message(i % 2 ? 100 : 1 + i, 20 + i, s);
        }
        // Bucket (100, 1000]: 2, 4, 9.
        message(101, 500, 4);
        message(1000, 501, 9);
        message(500, 502, 2);
        // Above the last bound: its own bucket.
        message(5000, 600, 7);
        // Before the warm-up: not measured at all.
        message(50, 1, 500);
        // Never completed: unfinished, not in any bucket.
        Simulator::Schedule(MicroSeconds(700), [rec]() {
            rec->MessageStarted(MtpMessageRecorder::Key{9, 9, 9}, 2, 3, 10);
        });
        Simulator::Run();
        Simulator::Destroy();

        NS_TEST_ASSERT_MSG_EQ(rec->GetStarted(), 105, "started");
        NS_TEST_ASSERT_MSG_EQ(rec->GetCompleted(), 104, "completed");
        NS_TEST_ASSERT_MSG_EQ(rec->GetUnfinished(), 1, "unfinished");
        auto b = rec->Summarize();
        NS_TEST_ASSERT_MSG_EQ(b.size(), 3, "buckets");
        NS_TEST_EXPECT_MSG_EQ(b[0].lowExclusive, 0, "bucket 0 low");
        NS_TEST_EXPECT_MSG_EQ(b[0].high, 100, "bucket 0 high");
        NS_TEST_EXPECT_MSG_EQ(b[0].count, 100, "bucket 0 count");
        NS_TEST_EXPECT_MSG_EQ_TOL(b[0].mean, 50.5, 1e-9, "bucket 0 mean");
        NS_TEST_EXPECT_MSG_EQ_TOL(b[0].median, 50, 1e-9, "bucket 0 median");
        NS_TEST_EXPECT_MSG_EQ_TOL(b[0].p99, 99, 1e-9, "bucket 0 p99");
        NS_TEST_EXPECT_MSG_EQ(b[1].lowExclusive, 100, "bucket 1 low");
        NS_TEST_EXPECT_MSG_EQ(b[1].high, 1000, "bucket 1 high");
        NS_TEST_EXPECT_MSG_EQ(b[1].count, 3, "bucket 1 count");
        NS_TEST_EXPECT_MSG_EQ_TOL(b[1].mean, 5, 1e-9, "bucket 1 mean");
        NS_TEST_EXPECT_MSG_EQ_TOL(b[1].median, 4, 1e-9, "bucket 1 median");
        NS_TEST_EXPECT_MSG_EQ_TOL(b[1].p99, 9, 1e-9, "bucket 1 p99");
        NS_TEST_EXPECT_MSG_EQ(b[2].lowExclusive, 1000, "overflow bucket low");
        NS_TEST_EXPECT_MSG_EQ(b[2].high, UINT32_MAX, "overflow bucket high");
        NS_TEST_EXPECT_MSG_EQ(b[2].count, 1, "overflow bucket count");
        NS_TEST_EXPECT_MSG_EQ_TOL(b[2].p99, 7, 1e-9, "overflow bucket p99");

        // Nearest-rank percentiles.
        std::vector<double> v;
        for (int i = 1; i <= 1000; ++i)
        {
            v.push_back(i);
        }
        NS_TEST_EXPECT_MSG_EQ(MtpMessageRecorder::Percentile(v, 99.9), 999, "p99.9 of 1..1000");
        NS_TEST_EXPECT_MSG_EQ(MtpMessageRecorder::Percentile(v, 99), 990, "p99 of 1..1000");
        NS_TEST_EXPECT_MSG_EQ(MtpMessageRecorder::Percentile(v, 100), 1000, "p100");
        NS_TEST_EXPECT_MSG_EQ(MtpMessageRecorder::Percentile(v, 0), 1, "p0");
        NS_TEST_EXPECT_MSG_EQ(MtpMessageRecorder::Percentile({}, 50), 0, "empty");
        NS_TEST_EXPECT_MSG_EQ(MtpMessageRecorder::Percentile({3, 8}, 50), 3, "median of two");

        // Buckets from a distribution: its deciles, duplicates merged.
        Ptr<MtpMessageRecorder> q = CreateObject<MtpMessageRecorder>();
        q->SetBucketsFromDistribution(Dist("100 0.2\n200 0.7\n300 1\n"), 10);
        auto qb = q->Summarize();
        NS_TEST_ASSERT_MSG_EQ(qb.size(), 3, "decile buckets");
        NS_TEST_EXPECT_MSG_EQ(qb[0].high, 100, "decile bucket 0");
        NS_TEST_EXPECT_MSG_EQ(qb[1].high, 200, "decile bucket 1");
        NS_TEST_EXPECT_MSG_EQ(qb[2].high, 300, "decile bucket 2");
        q->SetBucketsFromDistribution(Dist("1 0.1\n2 0.2\n3 0.3\n4 0.4\n5 0.5\n6 0.6\n"
                                           "7 0.7\n8 0.8\n9 0.9\n10 1\n"),
                                      5);
        qb = q->Summarize();
        NS_TEST_ASSERT_MSG_EQ(qb.size(), 5, "quintile buckets");
        for (uint32_t i = 0; i < 5; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(qb[i].high, 2 * (i + 1), "quintile bucket " << i);
        }
    }
};

/**
 * The CSV files, the table and the unfinished list, byte for byte, on a
 * small case: a done message, an unfinished one, a failed one, a message
 * before the warm-up and a key registered twice.
 */
class MtpRecorderCsvTestCase : public TestCase
{
  public:
    MtpRecorderCsvTestCase()
        : TestCase("recorder: CSV, table and unfinished list byte for byte")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<MtpMessageRecorder> rec = CreateObject<MtpMessageRecorder>();
        rec->SetUnloadedTimeFunction(
            [](uint32_t, uint32_t, uint32_t bytes) { return NanoSeconds(1000 + bytes); });
        rec->SetBuckets({100, 2000});
        rec->SetWarmup(MicroSeconds(1));
        using K = MtpMessageRecorder::Key;
        Simulator::Schedule(NanoSeconds(500), [rec]() {
            rec->MessageStarted(K{1, 1, 0}, 4, 5, 10); // warm-up: ignored
        });
        Simulator::Schedule(MicroSeconds(2), [rec]() {
            rec->MessageStarted(K{1, 1, 2}, 0, 1, 100);
            rec->MessageStarted(K{1, 2, 2}, 1, 0, 2000);
        });
        Simulator::Schedule(MicroSeconds(3), [rec]() {
            rec->MessageStarted(K{2, 1, 4}, 2, 1, 50);
            rec->MessageStarted(K{3, 1, 6}, 3, 2, 1500);
        });
        Simulator::Schedule(NanoSeconds(5500), [rec]() {
            rec->MessageReceived(K{1, 1, 2}); // 3500 ns / 1100 ns
            rec->MessageFailed(K{2, 1, 4}, "ETIMEDOUT");
            rec->MessageReceived(K{1, 1, 0}); // unknown: ignored
        });
        Simulator::Schedule(MicroSeconds(6), [rec]() {
            rec->MessageStarted(K{3, 1, 6}, 3, 0, 20); // same key: a collision
        });
        Simulator::Schedule(MicroSeconds(10), [rec]() {
            rec->MessageReceived(K{3, 1, 6}); // the second one: 4000 ns / 1020 ns
        });
        Simulator::Run();
        Simulator::Destroy();

        std::string csv = CreateTempDirFilename("messages.csv");
        rec->WriteCsv(csv);
        NS_TEST_EXPECT_MSG_EQ(ReadFile(csv),
                              "id,size,start_ns,end_ns,src,dst,unloaded_ns,slowdown,status\n"
                              "0,100,2000,5500,0,1,1100,3.18182,done\n"
                              "1,2000,2000,,1,0,3000,,unfinished\n"
                              "2,50,3000,,2,1,1050,,failed:ETIMEDOUT\n"
                              "3,1500,3000,,3,2,2500,,unfinished\n"
                              "4,20,6000,10000,3,0,1020,3.92157,done\n",
                              "messages CSV");

        std::string summary = CreateTempDirFilename("summary.csv");
        rec->WriteSummaryCsv(summary, "mtp", false);
        rec->WriteSummaryCsv(summary, "dctcp", true);
        NS_TEST_EXPECT_MSG_EQ(ReadFile(summary),
                              "protocol,bucket,size_low,size_high,count,mean,median,p99\n"
                              "mtp,0,0,100,2,3.55169,3.18182,3.92157\n"
                              "mtp,1,101,2000,0,0,0,0\n"
                              "dctcp,0,0,100,2,3.55169,3.18182,3.92157\n"
                              "dctcp,1,101,2000,0,0,0,0\n",
                              "summary CSV");

        std::ostringstream table;
        rec->PrintTable(table, "mtp");
        NS_TEST_EXPECT_MSG_EQ(table.str(),
                              "== mtp: 5 measured messages, 2 completed, 3 unfinished (1 failed), "
                              "1 key collisions\n"
                              "    size range (bytes)     count      mean    median       p99\n"
                              "                 0-100         2      3.55      3.18      3.92\n"
                              "              101-2000         0      0.00      0.00      0.00\n",
                              "table");

        std::ostringstream list;
        rec->PrintUnfinished(list, 2);
        NS_TEST_EXPECT_MSG_EQ(list.str(),
                              "  unfinished: id 1 size 2000 1->0 start 2000 ns\n"
                              "  unfinished: id 2 size 50 2->1 start 3000 ns failed: ETIMEDOUT\n"
                              "  ... and 1 more unfinished\n",
                              "unfinished list");
        NS_TEST_EXPECT_MSG_EQ(rec->GetKeyCollisions(), 1, "collisions");
        NS_TEST_EXPECT_MSG_EQ(rec->GetFailed(), 1, "failed");
    }
};

/**
 * Recorders of two ranks, merged (Pack, Unpack, MatchRemoteEnds,
 * Canonicalize), give byte for byte the records of one recorder that saw
 * everything: ends recorded on the other rank, a delivery before the
 * sender's failure (done) and after it (failed), a message before the
 * warm-up (its end is dropped), an unfinished one, and two starts in the
 * same nanosecond on two ranks (canonical order: by sender host).  Every
 * truncation of a packed recorder is refused without effect.
 */
class MtpRecorderRanksTestCase : public TestCase
{
  public:
    MtpRecorderRanksTestCase()
        : TestCase("recorder: two ranks' records merge into the one-process records")
    {
    }

  private:
    /// A recorder as the example sets it up. \param distributed one rank of several
    static Ptr<MtpMessageRecorder> Make(bool distributed)
    {
        Ptr<MtpMessageRecorder> rec = CreateObject<MtpMessageRecorder>();
        rec->SetUnloadedTimeFunction(
            [](uint32_t, uint32_t, uint32_t bytes) { return NanoSeconds(1000 + bytes); });
        rec->SetBuckets({100, 2000});
        rec->SetWarmup(MicroSeconds(1));
        rec->SetDistributed(distributed);
        return rec;
    }

    /// \param rec a recorder \return its CSV
    std::string Csv(Ptr<MtpMessageRecorder> rec)
    {
        std::string path = CreateTempDirFilename("messages.csv");
        rec->WriteCsv(path);
        return ReadFile(path);
    }

    void DoRun() override
    {
        using K = MtpMessageRecorder::Key;
        Ptr<MtpMessageRecorder> one = Make(false); // sees every host
        Ptr<MtpMessageRecorder> a = Make(true);    // rank 0: hosts 0 and 1
        Ptr<MtpMessageRecorder> b = Make(true);    // rank 1: hosts 2 and 3
        // Each event acts on the one-process recorder and on the rank of
        // the host concerned (the sender's for starts and failures, the
        // receiver's for ends).
        auto start = [one](Ptr<MtpMessageRecorder> rank, K k, uint32_t s, uint32_t d, uint32_t n) {
            one->MessageStarted(k, s, d, n);
            rank->MessageStarted(k, s, d, n);
        };
        auto end = [one](Ptr<MtpMessageRecorder> rank, K k) {
            one->MessageReceived(k);
            rank->MessageReceived(k);
        };
        auto fail = [one](Ptr<MtpMessageRecorder> rank, K k, std::string e) {
            one->MessageFailed(k, e);
            rank->MessageFailed(k, e);
        };
        Simulator::Schedule(NanoSeconds(500), [=]() { start(a, K{1, 1, 0}, 0, 2, 10); });
        Simulator::Schedule(MicroSeconds(2), [=]() {
            start(b, K{3, 1, 2}, 2, 0, 300); // first in event order, second in canonical
            start(a, K{1, 1, 2}, 0, 2, 100);
        });
        Simulator::Schedule(MicroSeconds(3), [=]() { start(a, K{2, 1, 4}, 1, 0, 50); });
        Simulator::Schedule(MicroSeconds(4), [=]() {
            start(b, K{4, 1, 6}, 3, 1, 200);
            start(a, K{1, 1, 4}, 0, 3, 20);
        });
        Simulator::Schedule(MicroSeconds(5), [=]() {
            end(b, K{1, 1, 2});
            end(a, K{2, 1, 4});
            end(b, K{1, 1, 0}); // started in the warm-up: no record anywhere
        });
        Simulator::Schedule(MicroSeconds(6), [=]() { end(a, K{3, 1, 2}); });
        Simulator::Schedule(MicroSeconds(7), [=]() { end(a, K{4, 1, 6}); });
        Simulator::Schedule(MicroSeconds(8), [=]() { fail(b, K{4, 1, 6}, "ETIMEDOUT"); });
        Simulator::Schedule(MicroSeconds(9), [=]() { fail(a, K{1, 1, 4}, "EHOSTUNREACH"); });
        Simulator::Schedule(MicroSeconds(10), [=]() { end(b, K{1, 1, 4}); });
        Simulator::Schedule(MicroSeconds(11), [=]() { start(b, K{3, 1, 8}, 2, 1, 10); });
        Simulator::Run();
        Simulator::Destroy();

        const std::string expected = "id,size,start_ns,end_ns,src,dst,unloaded_ns,slowdown,status\n"
                                     "0,100,2000,5000,0,2,1100,2.72727,done\n"
                                     "1,300,2000,6000,2,0,1300,3.07692,done\n"
                                     "2,50,3000,5000,1,0,1050,1.90476,done\n"
                                     "3,20,4000,,0,3,1020,,failed:EHOSTUNREACH\n"
                                     "4,200,4000,7000,3,1,1200,2.5,done\n"
                                     "5,10,11000,,2,1,1010,,unfinished\n";
        one->Canonicalize();
        NS_TEST_EXPECT_MSG_EQ(Csv(one), expected, "one process, canonical order");

        Ptr<MtpMessageRecorder> merged = Make(false);
        NS_TEST_ASSERT_MSG_EQ(merged->Unpack(a->Pack()), true, "rank 0 unpacks");
        NS_TEST_ASSERT_MSG_EQ(merged->Unpack(b->Pack()), true, "rank 1 unpacks");
        merged->MatchRemoteEnds();
        merged->Canonicalize();
        NS_TEST_EXPECT_MSG_EQ(Csv(merged), expected, "two ranks merged");
        NS_TEST_EXPECT_MSG_EQ(merged->GetCompleted(), 4, "completed");
        NS_TEST_EXPECT_MSG_EQ(merged->GetFailed(), 1, "failed");
        NS_TEST_EXPECT_MSG_EQ(merged->GetUnfinished(), 2, "unfinished");

        std::string packed = a->Pack();
        for (std::size_t n = 0; n < packed.size(); ++n)
        {
            Ptr<MtpMessageRecorder> r = Make(false);
            NS_TEST_ASSERT_MSG_EQ(r->Unpack(packed.substr(0, n)), false, "truncated at " << n);
            NS_TEST_ASSERT_MSG_EQ(r->GetStarted(), 0, "nothing kept from " << n << " bytes");
        }
        packed[0] ^= 1;
        NS_TEST_EXPECT_MSG_EQ(Make(false)->Unpack(packed), false, "bad magic");
        NS_TEST_EXPECT_MSG_EQ(Make(false)->Unpack(a->Pack() + "x"), false, "trailing byte");
    }
};

/** The `mtp-workload` suite. */
class MtpWorkloadTestSuite : public TestSuite
{
  public:
    MtpWorkloadTestSuite()
        : TestSuite("mtp-workload", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpRecorderStatisticsTestCase());
        AddTestCase(new MtpRecorderCsvTestCase());
        AddTestCase(new MtpRecorderRanksTestCase());
        // 1000 B, application bytes: 8 x 1000 / (0.5 x 10 Gb/s) = 1.6 us.
        AddTestCase(new MtpWorkloadRateTestCase(1000, false, 1.6e-6, MilliSeconds(25)));
        // 3000 B in 3 packets of 78 header bytes: 8 x 3234 / 5 Gb/s = 5.1744 us.
        AddTestCase(new MtpWorkloadRateTestCase(3000, true, 5.1744e-6, MilliSeconds(40)));
        AddTestCase(new MtpWorkloadOfferedBytesTestCase());
        AddTestCase(new MtpWorkloadDestinationTestCase());
        AddTestCase(new MtpWorkloadSlowdownTestCase(false));
        AddTestCase(new MtpWorkloadSlowdownTestCase(true));
        AddTestCase(new MtpWorkloadWarmupTestCase());
        AddTestCase(new MtpWorkloadRefusedTestCase());
        AddTestCase(new MtpWorkloadTcpTestCase(5000));
        AddTestCase(new MtpWorkloadTcpTestCase(0));
    }
};

/** Static instance registering the suite. */
MtpWorkloadTestSuite g_mtpWorkloadTestSuite;

} // namespace
