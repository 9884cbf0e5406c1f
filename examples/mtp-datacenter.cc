/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-datacenter: the Homa paper's experiment.  Every host of a leaf-spine
 * (default: 144 hosts, 9 racks, 4 spines, 10/40 Gbps) or a k-ary fat tree
 * sends messages drawn from a workload (W1-W5 or a .cdf file) with Poisson
 * arrivals at a target load to uniformly random other hosts, over MTP and/or
 * ns-3 TCP (NewReno, DCTCP).  Each protocol runs in its own simulation with
 * the same seed, so the offered messages are identical.  For each protocol it
 * prints the slowdown table per message-size bucket (deciles of the
 * workload's message count) and writes, under --out:
 *   <protocol>-messages.csv   one line per measured message
 *   summary.csv               the bucket tables of every protocol
 *   <protocol>-unfinished.txt messages not complete at the end
 *   run.txt                   wall time, events, memory per protocol
 *
 *   mtp-datacenter --workload=w5 --load=0.8 --protocol=both --simTime=10ms
 *   mtp-datacenter --workload=w4 --load=0.8 --protocol=mtp --stack=homa,unsched,phost
 *
 * --stack runs MTP once per transport stack (see model/stacks/); runs and
 * files are labelled "mtp" for homa and "mtp-NAME" for the others.
 *
 * --oneWay=ack sends the workload's one-way messages without a response (the
 * receiver acks them: MtpL4Protocol::OneWayAnswer=Ack), as the Homa paper's
 * simulator does; the default, response, answers each with an empty
 * response (78 bytes on the wire), as an RPC over Linux Homa would.  Either
 * way a message's completion is when the receiving application has it.
 *
 * Every MTP tunable is reachable too, e.g. --ns3::MtpL4Protocol::UnschedBytes=9328.
 * --cutoffs=auto sets MtpL4Protocol::UnschedCutoffs (and with it the split of
 * the priority levels between unscheduled and scheduled packets) from the
 * workload as the Homa paper does (mtp-priority-allocation.h) and prints the
 * choice after the workload line; --cutoffs=LIST sets the list; the default
 * leaves the Attribute alone.  --showCutoffs prints what auto would pick for
 * --workload and exits without simulating.
 *
 * Host NICs are FIFO and, unlike MTP's default (Linux Homa's 2 us), this
 * program sets MtpL4Protocol::MaxNicQueue to 0: the sender hands its NIC one
 * packet at a time, picked by SRPT when the link goes idle, as the Homa
 * paper's simulator does.  With 2 us of paced data ahead of it in the NIC, a
 * 100-byte message (about 1.2 us unloaded across the fabric) waits up to
 * 2 us at its own sender.  --ns3::MtpL4Protocol::MaxNicQueue=2us restores
 * Linux Homa's choice; --hostBands=8 gives NICs the switches' strict
 * priority instead (which lets a long message's scheduled packets, granted a
 * high priority by their receiver, starve the last packets of a short one).
 * Progress (simulated time, events/s) goes to stderr every --progress
 * seconds of wall time; stdout is deterministic for a given seed.
 *
 * Exit status: 0 when every measured message completed; 1 when a message
 * failed (the transport gave up on it, or refused to start it, e.g.
 * EMSGSIZE) or, unless --allowUnfinished, when measured messages are still
 * unfinished at the end; 2 for bad arguments (e.g. --maxMessage above
 * MtpL4Protocol's MaxMessageLength when an MTP run is asked for).  The
 * reason goes to stderr.
 *
 * Several processes: in an ns-3 tree built with --enable-mpi, the program
 * run by mpirun (e.g. `mpirun -np 2 mtp-datacenter ...`, or `./ns3 mpirun 2
 * "mtp-datacenter ..."`) is one rank of ns-3's distributed simulator
 * (DistributedSimulatorImpl, or --SimulatorImplementationType=
 * ns3::NullMessageSimulatorImpl): the fabric is cut by racks or pods
 * (MtpDatacenterHelper::SetRanks), each rank runs the workload of its own
 * hosts, and rank 0 gathers the message records and writes every file and
 * table, the same as a one-process run writes (doc/datacenter.rst, "Several
 * processes").  One MTP protocol per distributed run.  --resolution=ps
 * (default ns) makes same-instant events, whose order can differ between one
 * process and several, 1000 times rarer.
 *
 * TCP baseline notes: one connection per message (handshake included in its
 * completion time); SegmentSize 1448, initial window 10, MinRto --tcpMinRto,
 * an ack per segment; DCTCP gets ECN (UseEcn=On) and switch ports mark above
 * --ecnK packets.  Multipath (--ecmp, see mtp-datacenter-helper.h): by
 * default MTP's packets are sprayed per packet at random, as in the Homa
 * paper's simulations, and TCP's flows are hashed onto one path each, as
 * datacenter switches do for TCP (spraying reorders TCP segments, which TCP
 * takes for loss, and ns-3.37's TCP crashes in TcpRateLinux::SkbSent under
 * heavy reordering with SACK recovery); --tcpReTxThreshold raises TCP's
 * duplicate-ack threshold for runs with --ecmp=random.
 *
 * Switches forward with MtpFabricSwitch by default (--switchPath=fast: from
 * device to device without the IPv4 stack, same decisions and results);
 * --switchPath=ipv4 runs ns-3's IPv4 forwarding on every switch instead.
 * Hosts likewise hand received packets to MTP (or TCP) with MtpFabricHost,
 * and MTP's packets to their NIC (--hostPath=fast, the default;
 * --hostPath=ipv4: ns-3's IPv4 delivery and sending).  Links are
 * MtpFabricNetDevices (--links=fabric, the default: PointToPointNetDevice's
 * behaviour and results at a lower cost per packet) or ns-3's
 * PointToPointNetDevices (--links=p2p).
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-heap-scheduler.h"
#include "ns3/mtp-module.h"
#include "ns3/mtp-priority-allocation.h"
#include "ns3/mtp-ranks.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <sys/resource.h>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpDatacenter");

namespace
{

/// Every knob of the experiment.
struct Params
{
    std::string topology = "leafspine";     //!< leafspine or fattree
    uint32_t racks = 9;                     //!< leaf-spine racks
    uint32_t hostsPerRack = 16;             //!< hosts per rack
    uint32_t spines = 4;                    //!< spines
    std::string hostRate = "10Gbps";        //!< host link rate
    std::string uplinkRate = "40Gbps";      //!< leaf-spine link rate
    Time hostDelay = NanoSeconds(250);      //!< host link delay
    Time uplinkDelay = NanoSeconds(250);    //!< uplink delay
    uint32_t k = 4;                         //!< fat-tree radix
    std::string workload = "w5";            //!< name or path
    double load = 0.8;                      //!< offered load
    uint32_t maxMessage = 1000000;          //!< size cap (MTP's maximum message)
    Time simTime = MilliSeconds(10);        //!< generation stops here
    Time warmup = MilliSeconds(1);          //!< measure messages started after this
    Time drain = MilliSeconds(5);           //!< run this long after simTime
    uint32_t seed = 1;                      //!< RNG run number
    std::string out = "mtp-datacenter-out"; //!< output directory
    std::string portQueue = "device";       //!< device (MtpPrioQueue) or queuedisc
    uint32_t hostBands = 1;                 //!< priority bands of host NICs (1 = FIFO)
    uint32_t queuePackets = 1000;           //!< priority queue limit per port
    uint32_t deviceQueue = 1;               //!< device TX queue (queuedisc ports)
    uint32_t ecnK = 65;                     //!< DCTCP marking threshold
    Time tcpMinRto = MilliSeconds(1);       //!< TCP minimum RTO
    uint32_t tcpReTxThreshold = 3;          //!< TCP dupack threshold
    uint32_t buckets = 10;                  //!< quantile buckets
    double progress = 5;                    //!< progress interval, wall seconds (0 = off)
    uint32_t listUnfinished = 20;           //!< unfinished messages printed
    std::string scheduler = "mtp-heap";     //!< scheduler: map, heap, calendar, list, mtp-heap
    std::string ecmp = "auto";     //!< random, flowhash, or auto (random for MTP, flowhash for TCP)
    std::string routes = "global"; //!< global (Ipv4GlobalRouting's paths) or shortest (own BFS)
    std::string switchPath = "fast"; //!< fast (MtpFabricSwitch) or ipv4 (ns-3's IPv4 forwarding)
    std::string hostPath = "fast";   //!< fast (MtpFabricHost) or ipv4 (ns-3's IPv4 delivery)
    std::string links = "fabric";    //!< fabric (MtpFabricNetDevice) or p2p (PointToPointNetDevice)
    std::string cutoffs = "default"; //!< default, auto (from the workload) or a cutoffs list
    std::string cutoffsNote;         //!< line printed by MTP runs when --cutoffs is not default
    std::string oneWay;              //!< response, ack, or empty (leave OneWayAnswer alone)
    uint32_t ranks = 1;              //!< MPI ranks of this run (1: not distributed)
    uint32_t rank = 0;               //!< this process's rank
};

/// What one run measured.
struct RunStats
{
    double wallSeconds = 0;  //!< wall time of Simulator::Run
    double cpuSeconds = 0;   //!< user+system CPU time of Simulator::Run
    uint64_t events = 0;     //!< events executed
    long peakRssKb = 0;      //!< peak RSS so far
    uint64_t failed = 0;     //!< measured messages failed or refused by the transport
    uint64_t unfinished = 0; //!< measured messages neither completed nor failed
    uint64_t refused = 0;    //!< sends refused at once, warmup included
};

/// \return user + system CPU seconds of this process so far
double
CpuSeconds()
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

/// \return the default of MtpL4Protocol's integer Attribute `name` as
/// configured (the command line may change it, e.g.
/// --ns3::MtpL4Protocol::MaxMessageLength)
uint32_t
MtpUintegerDefault(const std::string& name)
{
    TypeId::AttributeInformation info;
    bool found = MtpL4Protocol::GetTypeId().LookupAttributeByName(name, &info);
    NS_ABORT_MSG_UNLESS(found, "MtpL4Protocol has no " << name << " Attribute");
    Ptr<const UintegerValue> v = DynamicCast<const UintegerValue>(info.initialValue);
    NS_ABORT_MSG_UNLESS(v, "MtpL4Protocol::" << name << " is not an integer");
    return static_cast<uint32_t>(v->Get());
}

/// \return MtpL4Protocol's MaxMessageLength as configured
uint32_t
MtpMaxMessageLength()
{
    return MtpUintegerDefault("MaxMessageLength");
}

/**
 * \brief The Homa paper's priority allocation for the run's workload, after
 *        the --maxMessage cap, with MTP's UnschedBytes and NumPriorities.
 * \param p the run's parameters
 * \param[out] a the allocation
 * \param[out] error why it could not be computed
 * \return true on success
 */
bool
AutoCutoffs(const Params& p, MtpPriorityAllocation& a, std::string& error)
{
    std::string path = MtpMessageSizeDistribution::ResolvePath(p.workload);
    std::ifstream in(path);
    if (!in)
    {
        error = "cannot read the workload " + path;
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    Ptr<MtpMessageSizeDistribution> dist = CreateObject<MtpMessageSizeDistribution>();
    if (!dist->Parse(text.str(), path, error))
    {
        return false;
    }
    dist->SetMaxSize(p.maxMessage);
    return MtpComputePriorityAllocation(*dist,
                                        MtpUintegerDefault("UnschedBytes"),
                                        MtpUintegerDefault("NumPriorities"),
                                        MtpMaxMessageLength(),
                                        a,
                                        error);
}

/// \return one line describing an allocation (unscheduled share, levels, cutoffs)
std::string
DescribeAllocation(const MtpPriorityAllocation& a)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(1) << 100 * a.unschedFraction
       << "% of bytes unscheduled (UnschedBytes " << MtpUintegerDefault("UnschedBytes")
       << "): " << a.unschedLevels << " unscheduled and " << a.schedLevels
       << " scheduled levels, UnschedCutoffs " << a.CutoffsString()
       << " (unscheduled bytes per level";
    for (std::size_t i = 0; i < a.levelShare.size(); ++i)
    {
        os << (i ? "/" : " ") << 100 * a.levelShare[i];
    }
    os << "%)";
    return os.str();
}

/**
 * \brief Apply --cutoffs: nothing for "default", the workload's allocation
 *        for "auto", the list otherwise (MtpL4Protocol::UnschedCutoffs'
 *        default); sets p.cutoffsNote.
 * \param p the run's parameters
 * \param[out] error why --cutoffs was refused
 * \return true on success
 */
bool
ApplyCutoffs(Params& p, std::string& error)
{
    if (p.cutoffs == "default")
    {
        return true;
    }
    std::string list = p.cutoffs;
    if (p.cutoffs == "auto")
    {
        MtpPriorityAllocation a;
        if (!AutoCutoffs(p, a, error))
        {
            return false;
        }
        list = a.CutoffsString();
        p.cutoffsNote = "cutoffs auto: " + DescribeAllocation(a);
    }
    else if (!MtpCheckCutoffs(p.cutoffs, MtpMaxMessageLength(), error))
    {
        return false;
    }
    else
    {
        p.cutoffsNote = "cutoffs: UnschedCutoffs " + list;
    }
    Config::SetDefault("ns3::MtpL4Protocol::UnschedCutoffs", StringValue(list));
    return true;
}

/// \return peak resident memory of this process so far, KiB
long
PeakRssKb()
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/**
 * \param name a --scheduler value: map, heap, calendar, list or mtp-heap
 * \return the scheduler's TypeId name ("ns3::MapScheduler", ...,
 *         "ns3::MtpHeapScheduler"), or "" for any other name
 */
std::string
SchedulerTypeId(const std::string& name)
{
    if (name == "mtp-heap")
    {
        // Through the class, not a string: links this program to it.
        return MtpHeapScheduler::GetTypeId().GetName();
    }
    if (name != "map" && name != "heap" && name != "calendar" && name != "list")
    {
        return "";
    }
    std::string s = name;
    s[0] = static_cast<char>(std::toupper(s[0]));
    return "ns3::" + s + "Scheduler";
}

RunStats
RunOne(const Params& p, const std::string& protocol, bool appendSummary)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(p.seed);
    // Every scheduler, ns-3's and MtpHeapScheduler, orders events by (time,
    // insertion), so the choice changes speed only, never results.
    ObjectFactory sched;
    sched.SetTypeId(SchedulerTypeId(p.scheduler));
    Simulator::SetScheduler(sched);
    bool tcp = protocol.rfind("mtp", 0) != 0;
    if (!tcp)
    {
        // "mtp" runs the default stack, "mtp-NAME" the stack NAME.
        std::string stack = protocol == "mtp" ? "homa" : protocol.substr(4);
        Config::SetDefault("ns3::MtpL4Protocol::DefaultStack", StringValue(stack));
    }
    if (tcp)
    {
        Config::SetDefault(
            "ns3::TcpL4Protocol::SocketType",
            TypeIdValue(protocol == "dctcp" ? TcpDctcp::GetTypeId() : TcpNewReno::GetTypeId()));
        Config::SetDefault(
            "ns3::TcpSocketBase::UseEcn",
            EnumValue(protocol == "dctcp" ? TcpSocketState::On : TcpSocketState::Off));
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
        Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
        Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(1));
        Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(p.tcpMinRto));
        Config::SetDefault("ns3::TcpSocketBase::ClockGranularity", TimeValue(MicroSeconds(1)));
        Config::SetDefault("ns3::TcpSocketBase::ReTxThreshold", UintegerValue(p.tcpReTxThreshold));
    }

    std::unique_ptr<MtpDatacenterHelper> topo;
    if (p.topology == "leafspine")
    {
        auto ls = std::make_unique<MtpLeafSpineHelper>();
        ls->SetRacks(p.racks);
        ls->SetHostsPerRack(p.hostsPerRack);
        ls->SetSpines(p.spines);
        ls->SetHostLinkRate(DataRate(p.hostRate));
        ls->SetUplinkRate(DataRate(p.uplinkRate));
        ls->SetHostLinkDelay(p.hostDelay);
        ls->SetUplinkDelay(p.uplinkDelay);
        topo = std::move(ls);
    }
    else if (p.topology == "fattree")
    {
        auto ft = std::make_unique<MtpFatTreeHelper>();
        ft->SetK(p.k);
        ft->SetLinkRate(DataRate(p.hostRate));
        ft->SetLinkDelay(p.hostDelay);
        topo = std::move(ft);
    }
    else
    {
        NS_FATAL_ERROR("--topology must be leafspine or fattree, not " << p.topology);
    }
    topo->SetPortQueue(p.portQueue == "queuedisc" ? MtpDatacenterHelper::PORT_QUEUE_DISC
                                                  : MtpDatacenterHelper::PORT_DEVICE_QUEUE);
    topo->SetHostPortBands(p.hostBands);
    topo->SetQueueDiscPackets(p.queuePackets);
    topo->SetDeviceQueuePackets(p.deviceQueue);
    topo->SetEcnThreshold(protocol == "dctcp" ? p.ecnK : 0);
    topo->SetInstallMtp(!tcp);
    bool flowHash = p.ecmp == "flowhash" || (p.ecmp == "auto" && tcp);
    topo->SetFabricRouting(true,
                           flowHash ? MtpFabricRouting::ECMP_FLOW_HASH
                                    : MtpFabricRouting::ECMP_RANDOM);
    topo->SetShortestPathRoutes(p.routes == "shortest");
    topo->SetSwitchForwarding(p.switchPath == "ipv4" ? MtpDatacenterHelper::SWITCH_IPV4
                                                     : MtpDatacenterHelper::SWITCH_FAST);
    topo->SetHostDelivery(p.hostPath == "ipv4" ? MtpDatacenterHelper::HOST_IPV4
                                               : MtpDatacenterHelper::HOST_FAST);
    topo->SetLinkModel(p.links == "p2p" ? MtpDatacenterHelper::LINK_P2P
                                        : MtpDatacenterHelper::LINK_FABRIC);
    topo->SetRanks(p.ranks);
    topo->Build();

    Ptr<MtpMessageSizeDistribution> dist = CreateObject<MtpMessageSizeDistribution>();
    dist->Load(p.workload);
    dist->SetMaxSize(p.maxMessage);

    Ptr<MtpMessageRecorder> recorder = CreateObject<MtpMessageRecorder>();
    recorder->SetWarmup(p.warmup);
    recorder->SetDistributed(p.ranks > 1);
    recorder->SetBucketsFromDistribution(dist, p.buckets);
    MtpDatacenterHelper* t = topo.get();
    recorder->SetUnloadedTimeFunction(
        [t](uint32_t i, uint32_t j, uint32_t bytes) { return t->GetUnloadedTime(i, j, bytes); });

    std::vector<Ipv4Address> addrs;
    for (uint32_t i = 0; i < topo->GetNHosts(); ++i)
    {
        addrs.push_back(topo->GetHostAddress(i));
    }
    NodeContainer hosts = topo->GetHosts();
    Time meanGap;
    std::vector<Ptr<MtpWorkloadApp>> apps;
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        Ptr<MtpWorkloadApp> app = CreateObject<MtpWorkloadApp>();
        apps.push_back(app);
        app->SetAttribute("Distribution", PointerValue(dist));
        app->SetAttribute("Recorder", PointerValue(recorder));
        app->SetAttribute("Load", DoubleValue(p.load));
        app->SetAttribute("HostRate", DataRateValue(topo->GetHostLinkRate()));
        app->SetAttribute("Protocol", StringValue(tcp ? "Tcp" : "Mtp"));
        app->SetDestinations(i, addrs);
        app->AssignStreams(1000 + 3 * i);
        // Every rank creates every app (the same objects in the same order
        // on every rank); only the host's own rank runs it.
        if (topo->IsLocalHost(i))
        {
            hosts.Get(i)->AddApplication(app);
            app->SetStartTime(Seconds(0));
            app->SetStopTime(p.simTime);
        }
    }

    std::cout << "=== protocol " << protocol << " | " << topo->Describe() << "\n"
              << "workload " << p.workload << " (capped at " << dist->GetMaxSize() << " B): mean "
              << std::fixed << std::setprecision(1) << dist->GetMean() << " B, load "
              << std::setprecision(2) << p.load << ", seed " << p.seed << ", generate 0-"
              << p.simTime.As(Time::MS) << ", measure from " << p.warmup.As(Time::MS) << ", drain "
              << p.drain.As(Time::MS) << "\n";
    std::cout.unsetf(std::ios::floatfield);
    if (!tcp && !p.cutoffsNote.empty())
    {
        std::cout << p.cutoffsNote << "\n";
    }

    std::unique_ptr<ShowProgress> progress;
    if (p.progress > 0)
    {
        progress = std::make_unique<ShowProgress>(Seconds(p.progress), std::cerr);
    }
    Simulator::Stop(p.simTime + p.drain);
    uint64_t events0 = Simulator::GetEventCount();
    double c0 = CpuSeconds();
    auto w0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto w1 = std::chrono::steady_clock::now();
    RunStats st;
    st.wallSeconds = std::chrono::duration<double>(w1 - w0).count();
    st.cpuSeconds = CpuSeconds() - c0;
    st.events = Simulator::GetEventCount() - events0;
    st.peakRssKb = PeakRssKb();
    progress.reset();

    recorder->CollectRanks();
    st.failed = recorder->GetFailed();
    st.unfinished = recorder->GetUnfinished() - recorder->GetFailed();
    for (const auto& app : apps)
    {
        st.refused += app->GetSendErrors();
    }
    st.refused = MtpDatacenterHelper::SumOverRanks(st.refused);
    recorder->PrintTable(std::cout, protocol);
    if (st.refused > 0)
    {
        std::cout << protocol << ": " << st.refused
                  << " messages refused by the transport at send time (warmup included)\n";
    }
    if (recorder->GetUnfinished() > 0)
    {
        recorder->PrintUnfinished(std::cout, p.listUnfinished);
    }
    if (p.rank == 0)
    {
        recorder->WriteCsv(p.out + "/" + protocol + "-messages.csv");
        recorder->WriteSummaryCsv(p.out + "/summary.csv", protocol, appendSummary);
        std::ofstream u(p.out + "/" + protocol + "-unfinished.txt");
        recorder->PrintUnfinished(u, UINT32_MAX);
    }
    if (!tcp)
    {
        // Transport trouble under load: summed over the hosts.
        uint64_t aborted = 0;
        uint64_t timeouts = 0;
        uint64_t resends = 0;
        uint64_t retransmitted = 0;
        for (uint32_t i = 0; i < hosts.GetN(); ++i)
        {
            const MtpMetrics& m = MtpStackHelper::GetMtp(hosts.Get(i))->GetMetrics();
            aborted += m.rpcsAborted;
            timeouts += m.timeouts;
            resends += m.resendsSent;
            retransmitted += m.packetsRetransmitted;
        }
        // Other ranks' hosts are idle here: the sums over ranks are the totals.
        aborted = MtpDatacenterHelper::SumOverRanks(aborted);
        timeouts = MtpDatacenterHelper::SumOverRanks(timeouts);
        resends = MtpDatacenterHelper::SumOverRanks(resends);
        retransmitted = MtpDatacenterHelper::SumOverRanks(retransmitted);
        std::cout << "mtp transport: " << aborted << " RPCs aborted (" << timeouts << " timeouts), "
                  << resends << " RESENDs, " << retransmitted << " DATA packets retransmitted\n";
    }
    // One write, so that the lines of several ranks do not interleave.
    std::ostringstream timing;
    timing << (p.ranks > 1 ? "rank " + std::to_string(p.rank) + " " : std::string()) << protocol
           << ": wall " << st.wallSeconds << " s, cpu " << st.cpuSeconds << " s, " << st.events
           << " events (" << st.events / std::max(st.wallSeconds, 1e-9) << " events/s), peak RSS "
           << st.peakRssKb / 1024 << " MB\n";
    std::cerr << timing.str() << std::flush;
    Simulator::Destroy();
    return st;
}

/**
 * \brief Everything after the command line: check it, then run every
 *        protocol asked for.
 * \param p the parameters (cutoffsNote is filled in)
 * \param protocol --protocol
 * \param stacks --stack
 * \param allowUnfinished --allowUnfinished
 * \param showCutoffs --showCutoffs
 * \return the exit status (see the file comment)
 */
int Main(Params& p,
         std::string protocol,
         const std::string& stacks,
         bool allowUnfinished,
         bool showCutoffs);

/**
 * \brief The --resolution argument, read before anything makes a Time (the
 *        resolution must be set first); CommandLine parses it again later.
 * \param argc main's argc
 * \param argv main's argv
 * \return its value, "ns" when absent
 */
std::string
ResolutionArgument(int argc, char* argv[])
{
    std::string value = "ns";
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.rfind("--resolution=", 0) == 0)
        {
            value = a.substr(std::string("--resolution=").size());
        }
    }
    return value;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string resolution = ResolutionArgument(argc, argv);
    if (resolution != "ns" && resolution != "ps")
    {
        std::cerr << "--resolution must be ns or ps, not '" << resolution << "'\n";
        return 2;
    }
    if (resolution == "ps")
    {
        Time::SetResolution(Time::PS);
    }
    Params p;
    std::string protocol = "both";
    std::string stacks = "homa";
    bool allowUnfinished = false;
    // The paper's simulated sender (see the file comment); before Parse, so
    // that --ns3::MtpL4Protocol::MaxNicQueue overrides it.
    Config::SetDefault("ns3::MtpL4Protocol::MaxNicQueue", TimeValue(Time(0)));
    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "leafspine or fattree", p.topology);
    cmd.AddValue("racks", "leaf-spine: racks (leaf switches)", p.racks);
    cmd.AddValue("hostsPerRack", "leaf-spine: hosts per rack", p.hostsPerRack);
    cmd.AddValue("spines", "leaf-spine: spine switches", p.spines);
    cmd.AddValue("hostRate", "host link rate (fat tree: every link)", p.hostRate);
    cmd.AddValue("uplinkRate", "leaf-spine: leaf-spine link rate", p.uplinkRate);
    cmd.AddValue("hostDelay", "host link delay (fat tree: every link)", p.hostDelay);
    cmd.AddValue("uplinkDelay", "leaf-spine: leaf-spine link delay", p.uplinkDelay);
    cmd.AddValue("k", "fat tree radix (even)", p.k);
    cmd.AddValue("workload",
                 "w1..w5, or a .cdf file (see model/fabric/mtp-workload.h)",
                 p.workload);
    cmd.AddValue("load", "offered load per host, fraction of its link rate", p.load);
    cmd.AddValue("maxMessage", "cap message sizes here (MTP's maximum is 1000000)", p.maxMessage);
    cmd.AddValue("protocol", "mtp, tcp (NewReno), dctcp, both (mtp+dctcp) or all", protocol);
    cmd.AddValue("stack",
                 "MTP transport stacks to run, comma-separated (homa, unsched, phost): "
                 "each is its own run, labelled mtp (homa) or mtp-NAME",
                 stacks);
    cmd.AddValue("simTime", "messages are generated until this time", p.simTime);
    cmd.AddValue("warmup", "messages started before this are not measured", p.warmup);
    cmd.AddValue("drain", "time simulated after simTime for messages to finish", p.drain);
    cmd.AddValue("seed", "RNG run number", p.seed);
    cmd.AddValue("out", "output directory", p.out);
    cmd.AddValue("portQueue",
                 "port queues: device (MtpPrioQueue as the device queue) or queuedisc "
                 "(MtpPrioQueueDisc in front of a --deviceQueue-packet device queue)",
                 p.portQueue);
    cmd.AddValue("hostBands",
                 "priority bands of host NICs (1 = FIFO, 8 = like switches)",
                 p.hostBands);
    cmd.AddValue("queuePackets", "priority queue limit of every port, packets", p.queuePackets);
    cmd.AddValue("deviceQueue", "queuedisc ports: device TX queue, packets", p.deviceQueue);
    cmd.AddValue("ecnK", "DCTCP: switch ports mark above this many packets", p.ecnK);
    cmd.AddValue("tcpMinRto", "TCP minimum retransmission timeout", p.tcpMinRto);
    cmd.AddValue("tcpReTxThreshold", "TCP duplicate-ack threshold", p.tcpReTxThreshold);
    cmd.AddValue("buckets", "size buckets: quantiles of the message count", p.buckets);
    cmd.AddValue("progress",
                 "progress report interval on stderr, wall seconds (0 = off)",
                 p.progress);
    cmd.AddValue("listUnfinished", "unfinished messages to print", p.listUnfinished);
    cmd.AddValue("allowUnfinished",
                 "exit 0 even when measured messages are unfinished at the end (failed "
                 "messages still exit 1)",
                 allowUnfinished);
    cmd.AddValue("scheduler",
                 "event scheduler: map, heap, calendar, list (ns-3's) or mtp-heap "
                 "(MtpHeapScheduler, a 4-ary heap: faster, same event order)",
                 p.scheduler);
    cmd.AddValue("routes",
                 "where the fabric's paths come from: global (Ipv4GlobalRouting's tables, "
                 "the default) or shortest (MtpFabricRouting's own search: no global "
                 "tables, for large fabrics; equal paths, other ECMP draws)",
                 p.routes);
    cmd.AddValue("switchPath",
                 "how switches forward: fast (MtpFabricSwitch: device to device, the fabric "
                 "routing's decisions, byte-identical results; the default) or ipv4 (ns-3's "
                 "IPv4 stack on every switch, the generic path)",
                 p.switchPath);
    cmd.AddValue("hostPath",
                 "how hosts receive and send: fast (MtpFabricHost: between the NIC and the "
                 "transport, byte-identical results; the default) or ipv4 (ns-3's IPv4 stack)",
                 p.hostPath);
    cmd.AddValue("links",
                 "what the links are: fabric (MtpFabricNetDevice: point-to-point behaviour and "
                 "byte-identical results at a lower cost; the default) or p2p (ns-3's "
                 "PointToPointNetDevice, the generic path)",
                 p.links);
    cmd.AddValue("ecmp",
                 "multipath: random (per-packet spraying), flowhash (per flow), or auto "
                 "(random for MTP, flowhash for TCP)",
                 p.ecmp);
    cmd.AddValue("cutoffs",
                 "MTP's unscheduled cutoffs: default (MtpL4Protocol::UnschedCutoffs as "
                 "configured), auto (the Homa paper's allocation for this workload after "
                 "--maxMessage, from UnschedBytes and NumPriorities) or a list like 1000,1000000",
                 p.cutoffs);
    cmd.AddValue("oneWay",
                 "how MTP's one-way messages are answered: response (an empty response, as "
                 "Linux Homa RPCs; the default) or ack (no response: the receiver acks, as "
                 "the Homa paper's simulator has no responses); sets "
                 "MtpL4Protocol::OneWayAnswer on every host",
                 p.oneWay);
    bool showCutoffs = false;
    cmd.AddValue("showCutoffs",
                 "print the allocation --cutoffs=auto would pick for --workload and exit",
                 showCutoffs);
    cmd.AddValue("resolution",
                 "simulation time resolution: ns (ns-3's default) or ps (events of one node "
                 "rarely share an instant; see doc/datacenter.rst, Several processes)",
                 resolution);
    cmd.Parse(argc, argv);
    if (!MtpRanks::Enter(&argc, &argv))
    {
        return 2;
    }
    p.ranks = MtpRanks::GetSize();
    p.rank = MtpRanks::GetRank();
    if (p.rank != 0)
    {
        // Rank 0 prints the tables and writes the files; the others only
        // simulate (stderr stays open for their progress and errors).
        std::cout.setstate(std::ios::badbit);
    }
    int status = Main(p, protocol, stacks, allowUnfinished, showCutoffs);
    MtpRanks::Leave();
    return status;
}

namespace
{

int
Main(Params& p,
     std::string protocol,
     const std::string& stacks,
     bool allowUnfinished,
     bool showCutoffs)
{
    std::vector<std::string> protocols;
    if (protocol == "both")
    {
        protocols = {"mtp", "dctcp"};
    }
    else if (protocol == "all")
    {
        protocols = {"mtp", "tcp", "dctcp"};
    }
    else if (protocol == "mtp" || protocol == "tcp" || protocol == "dctcp")
    {
        protocols = {protocol};
    }
    else
    {
        std::cerr << "--protocol must be mtp, tcp, dctcp, both or all\n";
        return 2;
    }
    // One MTP run per stack: "mtp" for homa, "mtp-NAME" for the others.
    std::vector<std::string> expanded;
    for (const std::string& proto : protocols)
    {
        if (proto != "mtp")
        {
            expanded.push_back(proto);
            continue;
        }
        std::stringstream list(stacks);
        std::string name;
        while (std::getline(list, name, ','))
        {
            if (name.empty())
            {
                std::cerr << "--stack: empty stack name in '" << stacks << "'\n";
                return 2;
            }
            expanded.push_back(name == "homa" ? "mtp" : "mtp-" + name);
        }
    }
    protocols = expanded;
    if (p.ranks > 1 && (protocols.size() != 1 || protocols[0].rfind("mtp", 0) != 0))
    {
        std::cerr << "--protocol: a run on " << p.ranks << " ranks simulates one MTP protocol "
                  << "(--protocol=mtp and one --stack); TCP's receivers need the sender's "
                  << "records, which live on another rank\n";
        return 2;
    }
    if (p.portQueue != "device" && p.portQueue != "queuedisc")
    {
        std::cerr << "--portQueue must be device or queuedisc\n";
        return 2;
    }
    if (p.routes != "global" && p.routes != "shortest")
    {
        std::cerr << "--routes must be global or shortest\n";
        return 2;
    }
    if (p.switchPath != "fast" && p.switchPath != "ipv4")
    {
        std::cerr << "--switchPath must be fast or ipv4\n";
        return 2;
    }
    if (p.hostPath != "fast" && p.hostPath != "ipv4")
    {
        std::cerr << "--hostPath must be fast or ipv4\n";
        return 2;
    }
    if (p.links != "fabric" && p.links != "p2p")
    {
        std::cerr << "--links must be fabric or p2p\n";
        return 2;
    }
    if (SchedulerTypeId(p.scheduler).empty())
    {
        std::cerr << "--scheduler must be map, heap, calendar, list or mtp-heap\n";
        return 2;
    }
    if (p.ecmp != "auto" && p.ecmp != "random" && p.ecmp != "flowhash")
    {
        std::cerr << "--ecmp must be auto, random or flowhash\n";
        return 2;
    }
    if (p.oneWay == "response" || p.oneWay == "ack")
    {
        Config::SetDefault("ns3::MtpL4Protocol::OneWayAnswer",
                           StringValue(p.oneWay == "ack" ? "Ack" : "Response"));
    }
    else if (!p.oneWay.empty())
    {
        std::cerr << "--oneWay must be response or ack\n";
        return 2;
    }
    if (p.warmup >= p.simTime)
    {
        std::cerr << "--warmup must be shorter than --simTime\n";
        return 2;
    }
    uint32_t mtpMax = MtpMaxMessageLength();
    bool anyMtp = std::any_of(protocols.begin(), protocols.end(), [](const std::string& proto) {
        return proto.rfind("mtp", 0) == 0;
    });
    if (anyMtp && p.maxMessage > mtpMax)
    {
        std::cerr << "--maxMessage=" << p.maxMessage << " is above MtpL4Protocol's "
                  << "MaxMessageLength (" << mtpMax << "): MTP would refuse every larger "
                  << "message (EMSGSIZE) and the protocols would not get the same offered load\n";
        return 2;
    }
    if (showCutoffs)
    {
        MtpPriorityAllocation a;
        std::string error;
        if (p.maxMessage > mtpMax || !AutoCutoffs(p, a, error))
        {
            std::cerr << "--showCutoffs: "
                      << (error.empty() ? "--maxMessage is above MtpL4Protocol's MaxMessageLength"
                                        : error)
                      << "\n";
            return 2;
        }
        std::cout << p.workload << " (capped at " << p.maxMessage
                  << " B): " << DescribeAllocation(a) << "\n";
        return 0;
    }
    std::string cutoffsError;
    if (anyMtp && !ApplyCutoffs(p, cutoffsError))
    {
        std::cerr << "--cutoffs must be default, auto or a list of lengths: '" << p.cutoffs
                  << "': " << cutoffsError << "\n";
        return 2;
    }
    SystemPath::MakeDirectories(p.out);
    std::ofstream run;
    if (p.rank == 0)
    {
        run.open(p.out + "/run.txt");
    }
    bool append = false;
    int status = 0;
    for (const std::string& proto : protocols)
    {
        RunStats st = RunOne(p, proto, append);
        append = true;
        if (st.failed > 0 || st.refused > 0)
        {
            std::cerr << proto << ": FAILED: " << st.failed << " measured messages failed, "
                      << st.refused << " sends refused\n";
            status = 1;
        }
        if (st.unfinished > 0 && !allowUnfinished)
        {
            std::cerr << proto << ": FAILED: " << st.unfinished
                      << " measured messages unfinished at the end (--allowUnfinished accepts "
                         "this)\n";
            status = 1;
        }
        run << proto << " wall_s " << st.wallSeconds << " cpu_s " << st.cpuSeconds << " events "
            << st.events << " events_per_s " << st.events / std::max(st.wallSeconds, 1e-9)
            << " peak_rss_mb " << st.peakRssKb / 1024 << " sim_s "
            << (p.simTime + p.drain).GetSeconds();
        if (p.ranks > 1)
        {
            // Rank 0's own figures: its share of the events, its CPU time.
            run << " ranks " << p.ranks;
        }
        run << "\n";
    }
    return status;
}

} // namespace
