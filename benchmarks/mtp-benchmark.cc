/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-benchmark: how fast the simulator runs MTP (a benchmark, not a test).
 *
 * Two scenarios, each in its own simulation:
 *
 *  (a) incast: `--clients` hosts, each with `--window` RPCs outstanding,
 *      send `--rpcs` requests of `--size` bytes each to one server, which
 *      answers each with `--response` bytes.  Star topology.
 *
 *        client 0 ---+
 *        client 1 ---+--- switch ---- server
 *        ...      ---+
 *
 *  (b) many-to-many: `--hosts` hosts on a star (`--topo=star`) or a
 *      two-level tree (`--topo=twolevel`: `--hostsPerTor` hosts per ToR
 *      switch, ToRs on one core switch with uplinks of hostsPerTor times the
 *      host rate, so no oversubscription).  Each host sends one-way messages
 *      (SendTo) to uniformly random peers with Poisson arrivals at `--load`
 *      of its link rate, sizes drawn from a heavy-tailed CDF (log-uniform
 *      between the points of a DCTCP-web-search-like table), for
 *      `--duration` of simulated time.
 *
 * Switch ports use MTP's strict-priority queue disc (`--queue=prio`) or a
 * FIFO (`--queue=fifo`); their device queues hold one packet so packets wait
 * in the queue disc.
 *
 * For each scenario it prints simulated seconds, wall seconds, simulated
 * seconds per wall second, events processed (Simulator::GetEventCount()),
 * events per wall second, the process's peak RSS so far (getrusage), messages
 * completed, and latency figures.  Everything but the wall-clock and memory
 * figures (marked "nondeterministic") is a function of the arguments and
 * `--seed` / `--run`.
 *
 * Any MTP Attribute can be set on the command line, e.g.
 *   mtp-benchmark --ns3::MtpL4Protocol::MaxOvercommit=4 --scenario=incast
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpBenchmark");

namespace
{

// ---------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------

/** \return the process's peak resident set size in KiB (Linux: ru_maxrss is in KiB) */
long
PeakRssKiB()
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
    {
        return -1;
    }
#ifdef __APPLE__
    return ru.ru_maxrss / 1024; // bytes on macOS
#else
    return ru.ru_maxrss;
#endif
}

/** \return the process's CPU time (user + system) in seconds */
double
CpuSeconds()
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
    {
        return 0;
    }
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/** \return x printed with `digits` digits after the point */
std::string
Fixed(double x, int digits)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << x;
    return os.str();
}

/** Latency figures over a set of samples. */
struct LatencyStats
{
    std::vector<Time> samples; //!< one per completed message

    /** \return the q-quantile (nearest rank), 0 if empty */
    Time Quantile(double q)
    {
        if (samples.empty())
        {
            return Time(0);
        }
        std::sort(samples.begin(), samples.end());
        std::size_t rank = static_cast<std::size_t>(std::ceil(q * samples.size()));
        rank = std::min(std::max<std::size_t>(rank, 1), samples.size());
        return samples[rank - 1];
    }

    /** \return the mean, 0 if empty */
    Time Mean() const
    {
        if (samples.empty())
        {
            return Time(0);
        }
        int64_t sum = 0;
        for (const Time& t : samples)
        {
            sum += t.GetNanoSeconds();
        }
        return NanoSeconds(sum / static_cast<int64_t>(samples.size()));
    }
};

/** Runs the simulation and prints the common figures of one scenario. */
void
RunAndReport(const std::string& scenario, Time stopAt)
{
    if (stopAt > Time(0))
    {
        Simulator::Stop(stopAt);
    }
    uint64_t events0 = Simulator::GetEventCount();
    double cpu0 = CpuSeconds();
    auto wall0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto wall1 = std::chrono::steady_clock::now();
    double cpu = CpuSeconds() - cpu0;
    uint64_t events = Simulator::GetEventCount() - events0;
    double wall = std::chrono::duration<double>(wall1 - wall0).count();
    double sim = Simulator::Now().GetSeconds();
    const std::string nd = "   # nondeterministic";
    std::cout << scenario << ".sim_seconds " << Fixed(sim, 9) << "\n";
    std::cout << scenario << ".events " << events << "\n";
    std::cout << scenario << ".wall_seconds " << Fixed(wall, 3) << nd << "\n";
    std::cout << scenario << ".cpu_seconds " << Fixed(cpu, 3) << nd << "\n";
    std::cout << scenario << ".sim_seconds_per_wall_second "
              << Fixed(wall > 0 ? sim / wall : 0.0, 6) << nd << "\n";
    std::cout << scenario << ".events_per_wall_second " << Fixed(wall > 0 ? events / wall : 0.0, 0)
              << nd << "\n";
    std::cout << scenario << ".events_per_cpu_second " << Fixed(cpu > 0 ? events / cpu : 0.0, 0)
              << nd << "\n";
    std::cout << scenario << ".peak_rss_kib " << PeakRssKiB() << nd << " (process peak so far)\n";
}

/** Prints latency figures. */
void
ReportLatency(const std::string& scenario, LatencyStats& lat)
{
    auto us = [](Time t) { return Fixed(t.GetNanoSeconds() / 1000.0, 3); };
    std::cout << scenario << ".latency_us mean " << us(lat.Mean()) << " p50 "
              << us(lat.Quantile(0.5)) << " p99 " << us(lat.Quantile(0.99)) << " max "
              << us(lat.Quantile(1.0)) << "\n";
}

// ---------------------------------------------------------------------------
// Topology
// ---------------------------------------------------------------------------

/** Knobs shared by both scenarios. */
struct Common
{
    std::string rate = "10Gbps";   //!< host link rate
    std::string delay = "1us";     //!< per-link propagation delay
    std::string queue = "prio";    //!< switch queue disc: prio or fifo
    uint32_t queuePackets = 10000; //!< switch queue disc limit
};

/** Hosts behind switches; every host runs MTP. */
struct Fabric
{
    NodeContainer hosts;               //!< end hosts
    NodeContainer switches;            //!< switches (IP routers)
    std::vector<Ipv4Address> hostAddr; //!< address of each host
    NetDeviceContainer switchPorts;    //!< every switch port
    Ipv4AddressHelper addresses;       //!< hands out /30 subnets

    /** Link a and b at `rate`; returns (a's device, b's device). */
    NetDeviceContainer Link(Ptr<Node> a, Ptr<Node> b, const std::string& rate, const Common& c)
    {
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        p2p.SetChannelAttribute("Delay", StringValue(c.delay));
        NetDeviceContainer devs = p2p.Install(a, b);
        addresses.Assign(devs);
        addresses.NewNetwork();
        return devs;
    }

    /**
     * Build: nHosts hosts; hostsPerTor == 0 puts them all on one switch,
     * otherwise ToRs of hostsPerTor hosts under one core switch.
     */
    void Build(uint32_t nHosts, uint32_t hostsPerTor, const Common& c)
    {
        addresses.SetBase("10.0.0.0", "255.255.255.252");
        hosts.Create(nHosts);
        uint32_t nTors = hostsPerTor == 0 ? 1 : (nHosts + hostsPerTor - 1) / hostsPerTor;
        switches.Create(nTors + (hostsPerTor == 0 ? 0 : 1));
        InternetStackHelper internet;
        internet.SetIpv6StackInstall(false);
        internet.Install(hosts);
        internet.Install(switches);
        MtpStackHelper mtp;
        mtp.Install(hosts);

        uint64_t hostBps = DataRate(c.rate).GetBitRate();
        for (uint32_t h = 0; h < nHosts; ++h)
        {
            uint32_t tor = hostsPerTor == 0 ? 0 : h / hostsPerTor;
            NetDeviceContainer devs = Link(hosts.Get(h), switches.Get(tor), c.rate, c);
            hostAddr.push_back(
                devs.Get(0)->GetNode()->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal());
            switchPorts.Add(devs.Get(1));
        }
        if (hostsPerTor > 0)
        {
            Ptr<Node> core = switches.Get(nTors);
            std::ostringstream uplink;
            uplink << hostBps * hostsPerTor << "bps";
            for (uint32_t t = 0; t < nTors; ++t)
            {
                NetDeviceContainer devs = Link(switches.Get(t), core, uplink.str(), c);
                switchPorts.Add(devs.Get(0));
                switchPorts.Add(devs.Get(1));
            }
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();

        // Packets wait in the queue disc, not in the device's FIFO.
        for (uint32_t i = 0; i < switchPorts.GetN(); ++i)
        {
            DynamicCast<PointToPointNetDevice>(switchPorts.Get(i))
                ->GetQueue()
                ->SetMaxSize(QueueSize("1p"));
        }
        if (c.queue == "prio")
        {
            MtpStackHelper::InstallPriorityQueues(switchPorts, c.queuePackets);
        }
        else if (c.queue == "fifo")
        {
            for (uint32_t s = 0; s < switches.GetN(); ++s)
            {
                Ptr<TrafficControlLayer> tc = switches.Get(s)->GetObject<TrafficControlLayer>();
                for (uint32_t i = 0; i < switchPorts.GetN(); ++i)
                {
                    if (switchPorts.Get(i)->GetNode() == switches.Get(s))
                    {
                        tc->DeleteRootQueueDiscOnDevice(switchPorts.Get(i));
                    }
                }
            }
            TrafficControlHelper fifo;
            std::ostringstream size;
            size << c.queuePackets << "p";
            fifo.SetRootQueueDisc("ns3::FifoQueueDisc", "MaxSize", StringValue(size.str()));
            fifo.Install(switchPorts);
        }
        else
        {
            NS_FATAL_ERROR("--queue must be prio or fifo, not '" << c.queue << "'");
        }
    }

    /** \return a new MTP socket on host h */
    Ptr<MtpSocket> Socket(uint32_t h) const
    {
        return DynamicCast<MtpSocket>(
            ns3::Socket::CreateSocket(hosts.Get(h), MtpSocketFactory::GetTypeId()));
    }

    /** Sum of a metric over the hosts. */
    template <class F>
    uint64_t Sum(F f) const
    {
        uint64_t s = 0;
        for (uint32_t h = 0; h < hosts.GetN(); ++h)
        {
            s += f(MtpStackHelper::GetMtp(hosts.Get(h))->GetMetrics());
        }
        return s;
    }

    /** Print counters common to both scenarios. */
    void ReportMetrics(const std::string& scenario) const
    {
        std::cout << scenario << ".packets_sent " << Sum([](const MtpMetrics& m) {
            uint64_t n = 0;
            for (uint64_t v : m.packetsSent)
            {
                n += v;
            }
            return n;
        }) << "\n";
        std::cout << scenario << ".grants_sent "
                  << Sum([](const MtpMetrics& m) { return m.grantsSent; }) << "\n";
        std::cout << scenario << ".resends_sent "
                  << Sum([](const MtpMetrics& m) { return m.resendsSent; }) << "\n";
        std::cout << scenario << ".rpcs_aborted "
                  << Sum([](const MtpMetrics& m) { return m.rpcsAborted; }) << "\n";
        uint64_t drops = 0;
        for (uint32_t i = 0; i < switchPorts.GetN(); ++i)
        {
            Ptr<NetDevice> d = switchPorts.Get(i);
            Ptr<QueueDisc> q =
                d->GetNode()->GetObject<TrafficControlLayer>()->GetRootQueueDiscOnDevice(d);
            if (q)
            {
                drops += q->GetStats().nTotalDroppedPackets;
            }
        }
        std::cout << scenario << ".switch_drops " << drops << "\n";
    }
};

// ---------------------------------------------------------------------------
// (a) Incast
// ---------------------------------------------------------------------------

/** Knobs of the incast. */
struct IncastConfig
{
    uint32_t clients = 32;   //!< client hosts
    uint32_t rpcs = 50;      //!< RPCs per client
    uint32_t size = 30000;   //!< request bytes (more than UnschedBytes: needs grants)
    uint32_t response = 100; //!< response bytes
    uint32_t window = 2;     //!< RPCs each client keeps outstanding
};

/** One incast client: keeps `window` RPCs outstanding until `rpcs` are done. */
struct IncastClient
{
    Ptr<MtpSocket> socket;             //!< its socket
    Address server;                    //!< where to send
    uint32_t started = 0;              //!< RPCs started
    uint32_t done = 0;                 //!< RPCs completed
    uint32_t failed = 0;               //!< RPCs failed
    const IncastConfig* cfg = nullptr; //!< knobs
    LatencyStats* lat = nullptr;       //!< shared latency samples

    void StartOne()
    {
        if (started < cfg->rpcs)
        {
            ++started;
            socket->SendRequest(Create<Packet>(cfg->size), server);
        }
    }

    void OnRecv(Ptr<Socket>)
    {
        MtpRecvInfo info;
        while (true)
        {
            Ptr<Packet> p = socket->RecvMessage(info);
            if (!p && info.error == MtpError::AGAIN)
            {
                return;
            }
            if (p)
            {
                ++done;
                lat->samples.push_back(Simulator::Now() - info.rpcStart);
            }
            else
            {
                ++failed;
            }
            StartOne();
        }
    }
};

/** The incast server: answers every request with `response` bytes. */
struct IncastServer
{
    Ptr<MtpSocket> socket; //!< its socket
    uint32_t response = 0; //!< response bytes
    uint32_t requests = 0; //!< requests answered

    void OnRecv(Ptr<Socket>)
    {
        MtpRecvInfo info;
        while (Ptr<Packet> p = socket->RecvMessage(info))
        {
            ++requests;
            socket->SendResponse(Create<Packet>(response), info.id, info.peer);
        }
    }
};

void
RunIncast(const IncastConfig& cfg, const Common& common)
{
    const std::string sc = "incast";
    std::cout << sc << ".config clients " << cfg.clients << " rpcs_per_client " << cfg.rpcs
              << " size " << cfg.size << " response " << cfg.response << " window " << cfg.window
              << " rate " << common.rate << " queue " << common.queue << "\n";
    Fabric fabric;
    fabric.Build(cfg.clients + 1, 0, common);
    const uint32_t serverHost = cfg.clients;
    const uint16_t port = 100;
    IncastServer server;
    server.response = cfg.response;
    server.socket = fabric.Socket(serverHost);
    server.socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    server.socket->SetRecvCallback(MakeCallback(&IncastServer::OnRecv, &server));

    LatencyStats lat;
    std::vector<IncastClient> clients(cfg.clients);
    for (uint32_t c = 0; c < cfg.clients; ++c)
    {
        IncastClient& cl = clients[c];
        cl.socket = fabric.Socket(c);
        cl.server = InetSocketAddress(fabric.hostAddr[serverHost], port);
        cl.cfg = &cfg;
        cl.lat = &lat;
        cl.socket->SetRecvCallback(MakeCallback(&IncastClient::OnRecv, &cl));
        // Start together (1 us), as an incast does.
        Simulator::Schedule(MicroSeconds(1), [&cl]() {
            for (uint32_t w = 0; w < cl.cfg->window; ++w)
            {
                cl.StartOne();
            }
        });
    }
    RunAndReport(sc, Time(0));
    uint64_t done = 0;
    uint64_t failed = 0;
    for (const auto& cl : clients)
    {
        done += cl.done;
        failed += cl.failed;
    }
    std::cout << sc << ".messages_completed " << done << " of " << uint64_t(cfg.clients) * cfg.rpcs
              << " RPCs (" << failed << " failed; " << server.requests << " requests served)\n";
    Time sim = Simulator::Now();
    double goodput = sim > Time(0) ? done * double(cfg.size) * 8 / sim.GetSeconds() / 1e9 : 0;
    std::cout << sc << ".request_goodput_gbps " << Fixed(goodput, 3) << "\n";
    ReportLatency(sc, lat);
    fabric.ReportMetrics(sc);
    Simulator::Destroy();
}

// ---------------------------------------------------------------------------
// (b) Many-to-many
// ---------------------------------------------------------------------------

/** Knobs of the many-to-many load. */
struct ManyConfig
{
    uint32_t hosts = 16;              //!< hosts
    std::string topo = "twolevel";    //!< star or twolevel
    uint32_t hostsPerTor = 4;         //!< hosts per ToR (twolevel)
    double load = 0.5;                //!< offered load, fraction of the host link rate
    Time duration = MilliSeconds(10); //!< simulated time of the run
    uint32_t maxSize = 1000000;       //!< largest message (cap of the CDF)
};

/**
 * Message sizes: a heavy-tailed CDF (points of the DCTCP web-search
 * distribution, scaled to MTP's 1 MB limit), log-uniform between points.
 */
class SizeDistribution
{
  public:
    /** \param maxSize cap on sizes */
    explicit SizeDistribution(uint32_t maxSize)
        : m_maxSize(maxSize)
    {
        m_u = CreateObject<UniformRandomVariable>();
    }

    /** \param stream RNG stream */
    void SetStream(int64_t stream)
    {
        m_u->SetStream(stream);
    }

    /** \return a size */
    uint32_t Draw()
    {
        return SizeAt(m_u->GetValue(0, 1));
    }

    /** \return the mean size (numerically) */
    double Mean() const
    {
        const int n = 100000;
        double sum = 0;
        for (int i = 0; i < n; ++i)
        {
            sum += SizeAt((i + 0.5) / n);
        }
        return sum / n;
    }

  private:
    uint32_t SizeAt(double u) const
    {
        // (cumulative probability, size)
        static const std::array<std::pair<double, double>, 8> cdf = {{{0.0, 64},
                                                                      {0.15, 500},
                                                                      {0.35, 2000},
                                                                      {0.5, 8000},
                                                                      {0.7, 30000},
                                                                      {0.85, 100000},
                                                                      {0.95, 400000},
                                                                      {1.0, 1000000}}};
        std::size_t i = 1;
        while (i < cdf.size() - 1 && u > cdf[i].first)
        {
            ++i;
        }
        double f = (u - cdf[i - 1].first) / (cdf[i].first - cdf[i - 1].first);
        f = std::min(std::max(f, 0.0), 1.0);
        double lo = std::log(cdf[i - 1].second);
        double hi = std::log(cdf[i].second);
        double size = std::exp(lo + f * (hi - lo));
        return std::min<uint32_t>(m_maxSize, std::max<uint32_t>(16, uint32_t(size)));
    }

    uint32_t m_maxSize;             //!< cap
    Ptr<UniformRandomVariable> m_u; //!< the draw
};

/** Per-host traffic generator and receiver of the many-to-many load. */
struct ManyHost
{
    uint32_t index = 0;                          //!< this host
    Ptr<MtpSocket> socket;                       //!< bound to the service port
    Ptr<ExponentialRandomVariable> gap;          //!< inter-arrival times (s)
    Ptr<UniformRandomVariable> peer;             //!< destination draw
    std::unique_ptr<SizeDistribution> mySizes;   //!< this host's size stream
    const std::vector<Address>* peers = nullptr; //!< every host's service address
    Time stopAt;                                 //!< stop generating then
    uint64_t sent = 0;                           //!< messages handed to MTP
    uint64_t sentBytes = 0;                      //!< their bytes
    uint64_t received = 0;                       //!< messages received
    uint64_t receivedBytes = 0;                  //!< their bytes
    LatencyStats* lat = nullptr;                 //!< shared latency samples

    void Next()
    {
        Time when = Seconds(gap->GetValue());
        if (Simulator::Now() + when >= stopAt)
        {
            return;
        }
        Simulator::Schedule(when, &ManyHost::SendOne, this);
    }

    void SendOne()
    {
        uint32_t n = static_cast<uint32_t>(peers->size());
        uint32_t dst = peer->GetInteger(0, n - 2);
        if (dst >= index)
        {
            ++dst; // never ourselves
        }
        uint32_t size = mySizes->Draw();
        // The first 8 bytes carry the send time, so the receiver measures latency.
        int64_t now = Simulator::Now().GetNanoSeconds();
        uint8_t stamp[8];
        for (int i = 0; i < 8; ++i)
        {
            stamp[i] = static_cast<uint8_t>(now >> (8 * i));
        }
        Ptr<Packet> msg = Create<Packet>(stamp, 8);
        msg->AddAtEnd(Create<Packet>(size - 8));
        if (socket->SendTo(msg, 0, (*peers)[dst]) >= 0)
        {
            ++sent;
            sentBytes += size;
        }
        Next();
    }

    void OnRecv(Ptr<Socket> s)
    {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            ++received;
            receivedBytes += p->GetSize();
            uint8_t stamp[8];
            p->CopyData(stamp, 8);
            int64_t t = 0;
            for (int i = 0; i < 8; ++i)
            {
                t |= int64_t(stamp[i]) << (8 * i);
            }
            lat->samples.push_back(Simulator::Now() - NanoSeconds(t));
        }
    }
};

void
RunManyToMany(const ManyConfig& cfg, const Common& common)
{
    const std::string sc = "m2m";
    if (cfg.hosts < 2)
    {
        NS_FATAL_ERROR("--hosts must be at least 2");
    }
    uint32_t perTor = 0;
    if (cfg.topo == "twolevel")
    {
        perTor = std::max<uint32_t>(1, cfg.hostsPerTor);
    }
    else if (cfg.topo != "star")
    {
        NS_FATAL_ERROR("--topo must be star or twolevel, not '" << cfg.topo << "'");
    }
    SizeDistribution probe(cfg.maxSize);
    double mean = probe.Mean();
    double bps = DataRate(common.rate).GetBitRate();
    double perHostRate = cfg.load * bps / (8 * mean); // messages per second
    std::cout << sc << ".config hosts " << cfg.hosts << " topo " << cfg.topo;
    if (perTor)
    {
        std::cout << " hosts_per_tor " << perTor;
    }
    std::cout << " load " << cfg.load << " duration_s " << cfg.duration.GetSeconds()
              << " mean_size " << uint64_t(mean) << " msgs_per_host_per_s " << uint64_t(perHostRate)
              << " rate " << common.rate << " queue " << common.queue << "\n";

    Fabric fabric;
    fabric.Build(cfg.hosts, perTor, common);
    const uint16_t port = 200;
    std::vector<Address> peers;
    for (uint32_t h = 0; h < cfg.hosts; ++h)
    {
        peers.push_back(InetSocketAddress(fabric.hostAddr[h], port));
    }
    LatencyStats lat;
    std::vector<ManyHost> hosts(cfg.hosts);
    for (uint32_t h = 0; h < cfg.hosts; ++h)
    {
        ManyHost& mh = hosts[h];
        mh.index = h;
        mh.socket = fabric.Socket(h);
        mh.socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        mh.socket->SetRecvCallback(MakeCallback(&ManyHost::OnRecv, &mh));
        mh.gap = CreateObject<ExponentialRandomVariable>();
        mh.gap->SetAttribute("Mean", DoubleValue(1.0 / perHostRate));
        mh.peer = CreateObject<UniformRandomVariable>();
        mh.mySizes = std::make_unique<SizeDistribution>(cfg.maxSize);
        // Fixed streams: the run depends only on --seed, --run and the knobs.
        mh.gap->SetStream(3 * h);
        mh.peer->SetStream(3 * h + 1);
        mh.mySizes->SetStream(3 * h + 2);
        mh.peers = &peers;
        mh.stopAt = cfg.duration;
        mh.lat = &lat;
        Simulator::Schedule(MicroSeconds(1), &ManyHost::Next, &mh);
    }
    RunAndReport(sc, cfg.duration);
    uint64_t sent = 0;
    uint64_t sentBytes = 0;
    uint64_t received = 0;
    uint64_t receivedBytes = 0;
    for (const auto& mh : hosts)
    {
        sent += mh.sent;
        sentBytes += mh.sentBytes;
        received += mh.received;
        receivedBytes += mh.receivedBytes;
    }
    std::cout << sc << ".messages_sent " << sent << " bytes " << sentBytes << "\n";
    std::cout << sc << ".messages_completed " << received << " bytes " << receivedBytes << "\n";
    double secs = cfg.duration.GetSeconds();
    std::cout << sc << ".delivered_load "
              << Fixed(secs > 0 ? receivedBytes * 8.0 / secs / (bps * cfg.hosts) : 0.0, 4)
              << " of host link capacity\n";
    ReportLatency(sc, lat);
    fabric.ReportMetrics(sc);
    Simulator::Destroy();
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string scenario = "both";
    uint32_t seed = 1;
    uint32_t run = 1;
    Common common;
    IncastConfig incast;
    ManyConfig many;

    CommandLine cmd(__FILE__);
    cmd.Usage("MTP simulation-speed benchmark: an incast and a many-to-many load.  "
              "MTP Attributes: --ns3::MtpL4Protocol::<Name>=<value>.");
    cmd.AddValue("scenario", "incast, m2m or both", scenario);
    cmd.AddValue("seed", "RNG seed", seed);
    cmd.AddValue("run", "RNG run number", run);
    cmd.AddValue("rate", "host link rate", common.rate);
    cmd.AddValue("delay", "per-link propagation delay", common.delay);
    cmd.AddValue("queue", "switch queue disc: prio (MtpPrioQueueDisc) or fifo", common.queue);
    cmd.AddValue("queuePackets", "switch queue disc limit in packets", common.queuePackets);
    cmd.AddValue("clients", "incast: client hosts", incast.clients);
    cmd.AddValue("rpcs", "incast: RPCs per client", incast.rpcs);
    cmd.AddValue("size", "incast: request bytes", incast.size);
    cmd.AddValue("response", "incast: response bytes", incast.response);
    cmd.AddValue("window", "incast: RPCs each client keeps outstanding", incast.window);
    cmd.AddValue("hosts", "m2m: hosts", many.hosts);
    cmd.AddValue("topo", "m2m: star or twolevel", many.topo);
    cmd.AddValue("hostsPerTor", "m2m: hosts per ToR switch (twolevel)", many.hostsPerTor);
    cmd.AddValue("load", "m2m: offered load per host, fraction of its link rate", many.load);
    cmd.AddValue("duration", "m2m: simulated time to run", many.duration);
    cmd.AddValue("maxSize", "m2m: largest message size", many.maxSize);
    cmd.Parse(argc, argv);

    if (incast.size == 0 || incast.size > MtpL4Protocol::MAX_MESSAGE_LENGTH ||
        incast.response > MtpL4Protocol::MAX_MESSAGE_LENGTH || incast.window == 0)
    {
        NS_FATAL_ERROR("--size must be 1.." << MtpL4Protocol::MAX_MESSAGE_LENGTH
                                            << ", --response at most that, --window >= 1");
    }
    if (many.maxSize < 16 || many.maxSize > MtpL4Protocol::MAX_MESSAGE_LENGTH || many.load <= 0)
    {
        NS_FATAL_ERROR("--maxSize must be 16.." << MtpL4Protocol::MAX_MESSAGE_LENGTH
                                                << " and --load > 0");
    }
    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);

    if (scenario == "incast" || scenario == "both")
    {
        RunIncast(incast, common);
    }
    if (scenario == "m2m" || scenario == "both")
    {
        RunManyToMany(many, common);
    }
    if (scenario != "incast" && scenario != "m2m" && scenario != "both")
    {
        NS_FATAL_ERROR("--scenario must be incast, m2m or both");
    }
    return 0;
}
