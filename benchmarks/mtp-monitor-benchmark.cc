/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-monitor-benchmark: what a passive monitor (MtpMonitor) costs the
 * simulation (a benchmark that prints figures, not a test).
 *
 * One fixed scenario: W4 on a leaf-spine (as the mtp-monitor example runs
 * it), messages generated for --simTime and drained, with one of four
 * monitor set-ups on the ToR switch of rack 0 (--mode):
 *
 *   none    no monitor: no trace sink is connected, so no monitor code runs
 *   idle    a STREAM monitor installed, no callback registered
 *   stream  a STREAM monitor with a callback for every built-in event
 *   peek    as stream, plus a 64 KB buffer per side and a NEW_DATA callback
 *           that consumes every new byte (Peek)
 *
 * It prints one line: the mode, simulator events, CPU and wall seconds of
 * Simulator::Run, the events the monitor delivered to callbacks, the flows
 * it tracked, and messages completed; and writes every message record
 * (MtpMessageRecorder::WriteCsv) to --records, so that runs of the modes can
 * be compared byte for byte.  benchmarks/monitor-benchmark.sh runs each mode
 * in its own process and compares.  Wall and CPU seconds are the only
 * nondeterministic figures.
 *
 *   mtp-monitor-benchmark --mode=stream --records=stream.csv
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <iostream>
#include <sys/resource.h>
#include <vector>

using namespace ns3;

namespace
{

/** \return CPU seconds (user + system) this process has used */
double
CpuSeconds()
{
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/** What the callbacks of the stream and peek modes do: count, and consume bytes. */
struct MonitorUser
{
    Ptr<MtpMonitor> mon;      //!< the monitor
    uint64_t events = 0;      //!< events delivered
    uint64_t bytesRead = 0;   //!< bytes Peek returned
    std::vector<uint8_t> buf; //!< Peek's destination

    /** Callback for every built-in event. */
    void OnEvent(const MtpMonitorEventInfo&)
    {
        ++events;
    }

    /** NEW_DATA callback of the peek mode: consume what is new on the packet's side. */
    void OnNewData(const MtpMonitorEventInfo& e)
    {
        MtpMonitorSide side =
            e.packet.src == e.flow.key.client ? MtpMonitorSide::REQUEST : MtpMonitorSide::RESPONSE;
        int n = mon->Peek(e.flow.key, side, buf.data(), buf.size());
        bytesRead += n > 0 ? n : 0;
    }
};

} // namespace

int
main(int argc, char* argv[])
{
    std::string mode = "none";
    std::string protocol = "mtp";
    std::string records;
    uint32_t racks = 2;
    uint32_t hostsPerRack = 8;
    uint32_t spines = 2;
    double load = 0.5;
    Time simTime = MilliSeconds(40);
    Time drain = MilliSeconds(20);
    CommandLine cmd(__FILE__);
    cmd.AddValue("mode", "none, idle, stream or peek (see the file comment)", mode);
    cmd.AddValue("protocol", "mtp or tcp", protocol);
    cmd.AddValue("records", "write every message record as CSV to this file", records);
    cmd.AddValue("racks", "leaf-spine racks", racks);
    cmd.AddValue("hostsPerRack", "hosts per rack", hostsPerRack);
    cmd.AddValue("spines", "spine switches", spines);
    cmd.AddValue("load", "offered load per host", load);
    cmd.AddValue("simTime", "messages are generated until then", simTime);
    cmd.AddValue("drain", "run this long after simTime", drain);
    cmd.Parse(argc, argv);
    if (mode != "none" && mode != "idle" && mode != "stream" && mode != "peek")
    {
        std::cerr << "--mode must be none, idle, stream or peek, not " << mode << "\n";
        return 2;
    }
    if (protocol != "mtp" && protocol != "tcp")
    {
        std::cerr << "--protocol must be mtp or tcp, not " << protocol << "\n";
        return 2;
    }
    bool tcp = protocol == "tcp";
    if (tcp)
    {
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    }

    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    MtpLeafSpineHelper topo;
    topo.SetRacks(racks);
    topo.SetHostsPerRack(hostsPerRack);
    topo.SetSpines(spines);
    topo.SetInstallMtp(!tcp);
    topo.SetFabricRouting(true,
                          tcp ? MtpFabricRouting::ECMP_FLOW_HASH : MtpFabricRouting::ECMP_RANDOM);
    topo.Build();
    NodeContainer hosts = topo.GetHosts();

    // The monitor set-up under test, on the ToR of rack 0.
    MonitorUser user;
    if (mode != "none")
    {
        MtpMonitorHelper helper;
        if (mode == "peek")
        {
            helper.SetMonitorAttribute("BufferSize", UintegerValue(64 << 10));
        }
        user.mon = helper.Install(topo.GetSwitches().Get(0));
    }
    if (mode == "stream" || mode == "peek")
    {
        user.mon->Register(MtpMonitorEvent::ALL_BUILTIN,
                           MtpMonitorHook::BEFORE,
                           MakeCallback(&MonitorUser::OnEvent, &user));
    }
    if (mode == "peek")
    {
        user.buf.resize(64 << 10);
        user.mon->Register(MtpMonitorEvent::NEW_DATA,
                           MtpMonitorHook::BEFORE,
                           MakeCallback(&MonitorUser::OnNewData, &user));
    }

    Ptr<MtpMessageSizeDistribution> dist = CreateObject<MtpMessageSizeDistribution>();
    dist->Load("w4");
    std::vector<Ipv4Address> addrs;
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        addrs.push_back(topo.GetHostAddress(i));
    }
    Ptr<MtpMessageRecorder> recorder = CreateObject<MtpMessageRecorder>();
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        Ptr<MtpWorkloadApp> app = CreateObject<MtpWorkloadApp>();
        app->SetAttribute("Distribution", PointerValue(dist));
        app->SetAttribute("Recorder", PointerValue(recorder));
        app->SetAttribute("Load", DoubleValue(load));
        app->SetAttribute("HostRate", DataRateValue(topo.GetHostLinkRate()));
        app->SetAttribute("Protocol", StringValue(tcp ? "Tcp" : "Mtp"));
        app->SetDestinations(i, addrs);
        app->AssignStreams(1000 + 3 * i);
        hosts.Get(i)->AddApplication(app);
        app->SetStartTime(Seconds(0));
        app->SetStopTime(simTime);
    }

    Simulator::Stop(simTime + drain);
    double cpu0 = CpuSeconds();
    auto wall0 = std::chrono::steady_clock::now();
    Simulator::Run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    double cpu = CpuSeconds() - cpu0;

    uint64_t flows = user.mon ? user.mon->GetStats().flows : 0;
    std::cout << "mode " << mode << " protocol " << protocol << " events "
              << Simulator::GetEventCount() << " cpu_s " << cpu << " wall_s " << wall
              << " monitor_events " << user.events << " flows " << flows << " peeked_bytes "
              << user.bytesRead << " messages " << recorder->GetCompleted() << "/"
              << recorder->GetStarted() << "\n";
    if (!records.empty())
    {
        recorder->WriteCsv(records);
    }
    user.mon = nullptr;
    Simulator::Destroy();
    return 0;
}
