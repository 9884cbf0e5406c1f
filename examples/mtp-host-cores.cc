/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-host-cores: how the softirq steering policy and the number of cores
 * of a host change the tail latency of short RPCs under a mixed load.
 *
 *   client 0 ---+
 *   client 1 ---+--- router ---- server
 *   ...      ---+
 *
 * Every host runs MTP with a host model (MtpHostModel: NIC queues, GRO,
 * softirq and application cores).  Each client issues short RPCs
 * (`--shortSize` bytes each way) as a Poisson process of `--shortRate` per
 * second to the server's port 60; the first `--bgClients` clients also keep
 * `--bgOutstanding` long background messages (`--bgSize` bytes, answered
 * with 10 bytes) in flight to port 61.  The two server sockets are two
 * application threads, on cores 0 and 1 of the server (in order of first
 * use).  Short RPCs started after `--warmup` are measured; the output is
 * one line with the policy, the core count and the p50 / p90 / p99 / max
 * latency of the short RPCs (and the background goodput), followed by the
 * server's per-core statistics with `--stats`.
 *
 *   ./ns3 run "mtp-host-cores --policy=gen3 --cores=4"
 *   scripts/plot-host-cores.py runs it over policies and core counts.
 *
 * `--policy` names the softirq steering policy: same, gen2 or gen3 (or the
 * TypeId of any MtpSteeringPolicy, e.g. ns3::MtpGen3Steering); it becomes
 * an ns3::MtpSameCoreSteering, ns3::MtpGen2Steering or ns3::MtpGen3Steering
 * object per host.  Every host-model Attribute can also be set with
 * --ns3::MtpHostModel::<Name>=<value>, and a policy's with e.g.
 * --ns3::MtpGen2Steering::CoresToCheck=2 or
 * --ns3::MtpGen3Steering::Candidates="0:2,3;1:3" (`--busyTime` sets gen3's
 * BusyTime).
 *
 * Exit status 1 (with the count on stderr) when any RPC failed or was
 * refused at send time; 2 for an unknown policy.
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpHostCores");

namespace
{

Time g_warmup;                      //!< RPCs started before this are not measured
Time g_stopSending;                 //!< no new RPC after this
std::vector<double> g_shortLatency; //!< measured short-RPC latencies (us)
uint64_t g_bgBytes = 0;             //!< background bytes delivered after warm-up
uint32_t g_failures = 0;            //!< RPCs that failed or were refused
std::map<std::pair<uint32_t, uint64_t>, Time> g_shortStart; //!< (client, id) -> start

/// Server: answer every request; short requests with an echo, background with 10 B.
void
ServerRecv(uint32_t responseSize, Ptr<Socket> s)
{
    Ptr<MtpSocket> socket = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> request = socket->RecvMessage(info))
    {
        if (info.kind != MtpMessageKind::REQUEST)
        {
            continue;
        }
        uint32_t size = responseSize ? responseSize : request->GetSize();
        socket->SendResponse(Create<Packet>(size), info.id, info.peer);
    }
}

/// One client host's load generator.
struct ClientApp
{
    uint32_t index = 0;                 //!< client number
    Ptr<MtpSocket> shortSocket;         //!< short RPCs
    Ptr<MtpSocket> bgSocket;            //!< background messages (null if none)
    Address shortServer;                //!< server port 60
    Address bgServer;                   //!< server port 61
    uint32_t shortSize = 0;             //!< request bytes
    uint32_t bgSize = 0;                //!< background message bytes
    Ptr<ExponentialRandomVariable> gap; //!< inter-arrival of short RPCs

    /// Start the next short RPC and schedule the one after.
    void NextShort()
    {
        if (Simulator::Now() >= g_stopSending)
        {
            return;
        }
        uint64_t id = shortSocket->SendRequest(Create<Packet>(shortSize), shortServer);
        if (id != 0)
        {
            g_shortStart[{index, id}] = Simulator::Now();
        }
        else
        {
            ++g_failures; // refused at once
        }
        Simulator::Schedule(Seconds(gap->GetValue()), &ClientApp::NextShort, this);
    }

    /// Start one background message.
    void SendBackground()
    {
        if (Simulator::Now() < g_stopSending &&
            bgSocket->SendRequest(Create<Packet>(bgSize), bgServer) == 0)
        {
            ++g_failures; // refused at once
        }
    }

    /// Responses of short RPCs.
    void ShortRecv(Ptr<Socket>)
    {
        MtpRecvInfo info;
        while (true)
        {
            Ptr<Packet> p = shortSocket->RecvMessage(info);
            if (!p && info.error == MtpError::AGAIN)
            {
                return;
            }
            auto it = g_shortStart.find({index, info.id});
            if (it == g_shortStart.end())
            {
                continue;
            }
            if (!p)
            {
                ++g_failures;
            }
            else if (it->second >= g_warmup)
            {
                g_shortLatency.push_back((Simulator::Now() - it->second).GetNanoSeconds() / 1000.0);
            }
            g_shortStart.erase(it);
        }
    }

    /// Responses of background messages: start the next one (closed loop).
    void BgRecv(Ptr<Socket>)
    {
        MtpRecvInfo info;
        while (true)
        {
            Ptr<Packet> p = bgSocket->RecvMessage(info);
            if (!p && info.error == MtpError::AGAIN)
            {
                return;
            }
            if (!p)
            {
                ++g_failures;
            }
            else if (info.rpcStart >= g_warmup)
            {
                g_bgBytes += bgSize;
            }
            SendBackground();
        }
    }
};

/**
 * \param policy a --policy value: same, gen2, gen3 or a TypeId name
 * \return the TypeId name of its MtpSteeringPolicy, or "" if it names none
 */
std::string
SteeringTypeId(const std::string& policy)
{
    static const std::map<std::string, std::string> byName = {
        {"same", "ns3::MtpSameCoreSteering"},
        {"gen2", "ns3::MtpGen2Steering"},
        {"gen3", "ns3::MtpGen3Steering"},
    };
    auto it = byName.find(policy);
    if (it != byName.end())
    {
        return it->second;
    }
    TypeId tid;
    bool isPolicy = TypeId::LookupByNameFailSafe(policy, &tid) &&
                    tid.IsChildOf(MtpSteeringPolicy::GetTypeId()) && tid.HasConstructor();
    return isPolicy ? policy : "";
}

/**
 * \brief Give `host` the steering policy `type`, with BusyTime `busyTime`
 *        if the policy has that Attribute (gen3).
 * \param host the helper
 * \param type the policy's TypeId name
 * \param busyTime the --busyTime value
 */
void
SetSteering(MtpHostModelHelper& host, const std::string& type, Time busyTime)
{
    TypeId::AttributeInformation info;
    if (TypeId::LookupByName(type).LookupAttributeByName("BusyTime", &info))
    {
        host.SetSteering(type, "BusyTime", TimeValue(busyTime));
    }
    else
    {
        host.SetSteering(type);
    }
}

/// \return the q-quantile (0..1) of sorted values (nearest rank)
double
Quantile(const std::vector<double>& sorted, double q)
{
    if (sorted.empty())
    {
        return 0;
    }
    std::size_t rank = static_cast<std::size_t>(std::ceil(q * sorted.size()));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string policy = "gen2";
    uint32_t cores = 4;
    uint32_t rxQueues = 0;
    uint32_t clients = 8;
    uint32_t bgClients = 4;
    uint32_t bgOutstanding = 1;
    uint32_t shortSize = 100;
    uint32_t bgSize = 500000;
    double shortRate = 20000;
    std::string rate = "10Gbps";
    Time delay = MicroSeconds(1);
    Time simTime = MilliSeconds(10);
    Time warmup = MilliSeconds(2);
    uint32_t seed = 1;
    bool model = true;
    bool stats = false;
    uint32_t coalesceFrames = 32;
    Time coalesceTime = MicroSeconds(3);
    uint32_t maxGroSkbs = 20;
    Time busyTime = MicroSeconds(100);
    bool shortBypass = true;
    bool rssPorts = true;

    CommandLine cmd(__FILE__);
    cmd.AddValue("policy",
                 "softirq steering policy: same, gen2, gen3 or an MtpSteeringPolicy TypeId",
                 policy);
    cmd.AddValue("cores", "cores per host", cores);
    cmd.AddValue("rxQueues", "NIC receive queues per host (0: one per core)", rxQueues);
    cmd.AddValue("clients", "client hosts (all send short RPCs)", clients);
    cmd.AddValue("bgClients", "clients that also send background messages", bgClients);
    cmd.AddValue("bgOutstanding", "background messages each keeps in flight", bgOutstanding);
    cmd.AddValue("shortSize", "short RPC request and response bytes", shortSize);
    cmd.AddValue("bgSize", "background message bytes", bgSize);
    cmd.AddValue("shortRate", "short RPCs per second per client (Poisson)", shortRate);
    cmd.AddValue("rate", "link rate", rate);
    cmd.AddValue("delay", "per-link propagation delay", delay);
    cmd.AddValue("simTime", "RPCs are started until this time", simTime);
    cmd.AddValue("warmup", "RPCs started before this are not measured", warmup);
    cmd.AddValue("seed", "RNG run number", seed);
    cmd.AddValue("model", "model the hosts (false: ideal hosts)", model);
    cmd.AddValue("stats", "print the server's host-model statistics", stats);
    cmd.AddValue("coalesceFrames", "interrupt after this many packets", coalesceFrames);
    cmd.AddValue("coalesceTime",
                 "interrupt at most this long after the first packet",
                 coalesceTime);
    cmd.AddValue("maxGroSkbs", "most packets per GRO batch", maxGroSkbs);
    cmd.AddValue("busyTime", "gen3: application-busy threshold", busyTime);
    cmd.AddValue("shortBypass", "process single-packet messages on the GRO core", shortBypass);
    cmd.AddValue("rssPorts", "RSS hashes ports too (false: addresses only)", rssPorts);
    cmd.Parse(argc, argv);
    const std::string steering = SteeringTypeId(policy);
    if (steering.empty())
    {
        std::cerr << "mtp-host-cores: unknown steering policy --policy=" << policy
                  << " (same, gen2, gen3 or the TypeId of an MtpSteeringPolicy)\n";
        return 2;
    }
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(seed);
    g_warmup = warmup;
    g_stopSending = simTime;
    bgClients = std::min(bgClients, clients);

    NodeContainer clientNodes(clients);
    Ptr<Node> router = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();
    InternetStackHelper internet;
    internet.SetIpv6StackInstall(false);
    internet.Install(clientNodes);
    internet.Install(router);
    internet.Install(server);
    MtpStackHelper mtp;
    mtp.Install(clientNodes);
    mtp.Install(server);
    if (model)
    {
        MtpHostModelHelper host;
        SetSteering(host, steering, busyTime);
        host.SetAttribute("NumCores", UintegerValue(cores));
        host.SetAttribute("NumRxQueues", UintegerValue(rxQueues));
        host.SetAttribute("CoalesceFrames", UintegerValue(coalesceFrames));
        host.SetAttribute("CoalesceTime", TimeValue(coalesceTime));
        host.SetAttribute("MaxGroSkbs", UintegerValue(maxGroSkbs));
        host.SetAttribute("ShortBypass", BooleanValue(shortBypass));
        host.SetAttribute("RssIncludePorts", BooleanValue(rssPorts));
        host.Install(clientNodes);
        host.Install(server);
    }

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", TimeValue(delay));
    Ipv4AddressHelper addresses;
    Ipv4Address serverAddr;
    for (uint32_t i = 0; i <= clients; ++i)
    {
        Ptr<Node> host = i < clients ? clientNodes.Get(i) : server;
        NetDeviceContainer link = p2p.Install(host, router);
        std::ostringstream net;
        net << "10.1." << i + 1 << ".0";
        addresses.SetBase(net.str().c_str(), "255.255.255.0");
        Ipv4InterfaceContainer ifs = addresses.Assign(link);
        if (i == clients)
        {
            serverAddr = ifs.GetAddress(0);
        }
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    TypeId factory = MtpSocketFactory::GetTypeId();
    Ptr<MtpSocket> shortSrv = DynamicCast<MtpSocket>(Socket::CreateSocket(server, factory));
    shortSrv->Bind(InetSocketAddress(Ipv4Address::GetAny(), 60));
    shortSrv->SetRecvCallback(MakeBoundCallback(&ServerRecv, 0u));
    Ptr<MtpSocket> bgSrv = DynamicCast<MtpSocket>(Socket::CreateSocket(server, factory));
    bgSrv->Bind(InetSocketAddress(Ipv4Address::GetAny(), 61));
    bgSrv->SetRecvCallback(MakeBoundCallback(&ServerRecv, 10u));
    if (Ptr<MtpHostModel> m = MtpHostModelHelper::Get(server))
    {
        // The two server threads: short RPCs on core 0, background on core 1 (if any).
        m->SetAppCore(PeekPointer(shortSrv), 0);
        m->SetAppCore(PeekPointer(bgSrv), cores > 1 ? 1 : 0);
    }

    std::vector<ClientApp> apps(clients);
    for (uint32_t i = 0; i < clients; ++i)
    {
        ClientApp& a = apps[i];
        a.index = i;
        a.shortSize = shortSize;
        a.bgSize = bgSize;
        a.shortServer = InetSocketAddress(serverAddr, 60);
        a.bgServer = InetSocketAddress(serverAddr, 61);
        a.gap = CreateObject<ExponentialRandomVariable>();
        a.gap->SetAttribute("Mean", DoubleValue(1.0 / shortRate));
        a.gap->SetStream(100 + i);
        a.shortSocket = DynamicCast<MtpSocket>(Socket::CreateSocket(clientNodes.Get(i), factory));
        a.shortSocket->SetRecvCallback(MakeCallback(&ClientApp::ShortRecv, &a));
        // Stagger the clients' first RPCs by a fixed, seed-independent offset.
        Simulator::Schedule(MicroSeconds(1 + 3 * i), &ClientApp::NextShort, &a);
        if (i < bgClients)
        {
            a.bgSocket = DynamicCast<MtpSocket>(Socket::CreateSocket(clientNodes.Get(i), factory));
            a.bgSocket->SetRecvCallback(MakeCallback(&ClientApp::BgRecv, &a));
            for (uint32_t k = 0; k < bgOutstanding; ++k)
            {
                Simulator::Schedule(MicroSeconds(2 + 5 * i + k), &ClientApp::SendBackground, &a);
            }
        }
    }

    Simulator::Stop(simTime + MilliSeconds(5));
    Simulator::Run();

    std::sort(g_shortLatency.begin(), g_shortLatency.end());
    double mean = 0;
    for (double v : g_shortLatency)
    {
        mean += v;
    }
    mean = g_shortLatency.empty() ? 0 : mean / g_shortLatency.size();
    double measured = (simTime - warmup).GetSeconds();
    std::cout << std::fixed << std::setprecision(2) << "policy=" << (model ? policy : "ideal")
              << " cores=" << cores << " short_rpcs=" << g_shortLatency.size()
              << " mean_us=" << mean << " p50_us=" << Quantile(g_shortLatency, 0.50)
              << " p90_us=" << Quantile(g_shortLatency, 0.90)
              << " p99_us=" << Quantile(g_shortLatency, 0.99)
              << " max_us=" << (g_shortLatency.empty() ? 0 : g_shortLatency.back())
              << " bg_gbps=" << (measured > 0 ? g_bgBytes * 8 / measured / 1e9 : 0)
              << " failures=" << g_failures << "\n";
    if (stats && model)
    {
        std::cout << "server ";
        MtpHostModelHelper::PrintStats(server, std::cout);
    }
    Simulator::Destroy();
    if (g_failures > 0)
    {
        std::cerr << "mtp-host-cores: FAILED: " << g_failures << " RPCs failed\n";
        return 1;
    }
    return 0;
}
