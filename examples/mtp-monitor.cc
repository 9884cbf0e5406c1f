/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-monitor: a passive monitor (MtpMonitor, mOS semantics) on the ToR
 * switch of rack 0 of a leaf-spine watches a W4 workload of MTP RPCs, prints
 * a summary per RPC, writes the flow records as CSV and reports the
 * retransmissions caused by one injected loss (a DATA frame dropped at the
 * NIC of host 0, after the ToR forwarded it).
 *
 * It checks the monitor against the endpoints: every message that finished
 * at an endpoint in rack 0 (MtpL4Protocol's MessageEnd trace) must be in the
 * monitor's records with the same length, all its bytes seen and marked
 * complete, and the injected loss must show as retransmissions.  With
 * --protocol=tcp the same workload runs over TCP and the monitor follows the
 * connections (states, bytes each way, retransmissions).  The exit
 * code is 1 if any of that fails, so CI catches a monitor that disagrees.
 *
 *   ./ns3 run "mtp-monitor --load=0.5 --simTime=2ms --print=20 --csv=monitor.csv"
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <tuple>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpMonitorExample");

namespace
{

/** Drops the n-th frame above 1000 bytes that a NIC receives: the injected loss. */
class DropNthBigFrame : public ErrorModel
{
  public:
    /** \param n which big frame to drop (1-based; 0: none) */
    explicit DropNthBigFrame(uint32_t n)
        : m_n(n)
    {
    }

    uint32_t dropped = 0; //!< frames dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (p->GetSize() <= 1000 || m_n == 0 || ++m_seen != m_n)
        {
            return false;
        }
        ++dropped;
        return true;
    }

    void DoReset() override
    {
    }

    uint32_t m_n;        //!< which big frame
    uint32_t m_seen = 0; //!< big frames seen
};

/** An RPC as the endpoints name it: client, server and the client's id. */
using RpcName = std::tuple<Ipv4Address, Ipv4Address, uint64_t>;

/** What the endpoints saw of an RPC: message lengths at completion (-1: not finished). */
struct EndpointView
{
    int64_t request = -1;  //!< request length when it finished at the server
    int64_t response = -1; //!< response length when it finished at the client
};

/** The endpoints' view of every RPC, from MessageEnd on each host. */
std::map<RpcName, EndpointView> g_endpoints;

/** MessageEnd sink of host `self`. */
void
OnMessageEnd(Ipv4Address self, uint64_t id, const Address& peer, uint32_t length, bool isRequest)
{
    Ipv4Address other = InetSocketAddress::ConvertFrom(peer).GetIpv4();
    if (isRequest)
    {
        g_endpoints[{other, self, id & ~uint64_t(1)}].request = length;
    }
    else
    {
        g_endpoints[{self, other, id}].response = length;
    }
}

/** Counts RETRANSMISSION events and the RPCs they belong to. */
struct RetransmissionLog
{
    uint32_t events = 0;        //!< RETRANSMISSION events
    std::set<MtpFlowKey> flows; //!< RPCs with one

    /** The callback. */
    void Add(const MtpMonitorEventInfo& e)
    {
        ++events;
        flows.insert(e.flow.key);
        std::cout << "  retransmission at " << e.packet.time.As(Time::US) << ": " << e.flow.key
                  << " from the " << (e.flow.key.client == e.packet.src ? "client" : "server")
                  << " (bytes the ToR had forwarded before, or MTP's retransmit flag)\n";
    }
};

/** Count ORPHAN events by MTP packet type, and TIMEOUT events. */
void
CountOrphan(std::map<std::string, uint32_t>* counts, const MtpMonitorEventInfo& e)
{
    if (e.event == MtpMonitorEvent::TIMEOUT)
    {
        ++(*counts)["(idle flows timed out)"];
        return;
    }
    ++(*counts)[e.mtpType ? MtpPacketTypeName(*e.mtpType) : "(not MTP)"];
}

/**
 * PACKET_IN callback of --timeline: one CSV line per DATA, GRANT and RESEND
 * packet of a tracked RPC (time, RPC, type, sender side, offset, length).
 */
void
WriteTimeline(std::ostream* out, const MtpMonitorEventInfo& e)
{
    bool wanted = e.mtpType == MtpPacketType::DATA || e.mtpType == MtpPacketType::GRANT ||
                  e.mtpType == MtpPacketType::RESEND;
    if (!e.hasFlow || !wanted)
    {
        return;
    }
    const MtpFlowKey& k = e.flow.key;
    *out << e.packet.time.GetNanoSeconds() << "," << MtpMonitorAddressString(k.client) << ","
         << k.clientPort << "," << MtpMonitorAddressString(k.server) << "," << k.serverPort << ","
         << k.rpcId << "," << MtpPacketTypeName(*e.mtpType) << ","
         << (e.packet.src == k.client ? "client" : "server") << "," << e.mtpOffset << ","
         << e.mtpLength << "\n";
}

/** Print one flow's record: an MTP RPC or a TCP connection. */
void
PrintRpc(const MtpMonitorFlowRecord& r)
{
    if (r.key.protocol == 6)
    {
        std::cout << "  " << r.key << " " << MtpTcpShadowStateName(r.tcp.state) << " bytes "
                  << r.tcp.bytes[0] << " / " << r.tcp.bytes[1] << " (rexmit "
                  << r.tcp.retransmits[0] << " / " << r.tcp.retransmits[1] << ") "
                  << (r.lastSeen - r.firstSeen).As(Time::US) << "\n";
        return;
    }
    const MtpRpcRecord& x = r.rpc;
    std::cout << "  " << r.key << " " << MtpRpcShadowStateName(x.state) << " req "
              << x.request.bytesSeen << "/" << x.request.length << " B (grants " << x.request.grants
              << ", rexmit " << x.request.retransmits << ") resp " << x.response.bytesSeen << "/"
              << x.response.length << " B (grants " << x.response.grants << ", rexmit "
              << x.response.retransmits << ") " << (r.lastSeen - r.firstSeen).As(Time::US) << "\n";
}

/** \return how many finished messages disagree with the monitor (and print them) */
uint32_t
Compare(Ptr<MtpMonitor> mon, const std::set<Ipv4Address>& rack, uint32_t& checked)
{
    std::map<RpcName, MtpMonitorFlowRecord> seen;
    for (const MtpMonitorFlowRecord& r : mon->GetFlowRecords())
    {
        seen[{r.key.client.GetIpv4MappedAddress(),
              r.key.server.GetIpv4MappedAddress(),
              r.key.rpcId}] = r;
    }
    uint32_t bad = 0;
    for (const auto& endpoint : g_endpoints)
    {
        // Named, not structured bindings: a lambda below captures them (C++17).
        const auto& name = endpoint.first;
        const auto& view = endpoint.second;
        if (!rack.count(std::get<0>(name)) && !rack.count(std::get<1>(name)))
        {
            continue; // the ToR of rack 0 is not on its path
        }
        auto it = seen.find(name);
        auto check = [&](int64_t len, const MtpMessageShadow& m, const char* what) {
            if (len < 0)
            {
                return;
            }
            ++checked;
            if (it == seen.end() || m.length != len || m.bytesSeen != uint64_t(len) || !m.complete)
            {
                ++bad;
                std::cout << "MISMATCH " << what << " " << std::get<0>(name) << "->"
                          << std::get<1>(name) << " #" << std::get<2>(name) << ": endpoint " << len
                          << " B, monitor " << m.bytesSeen << "/" << m.length << "\n";
            }
        };
        MtpMessageShadow none;
        check(view.request, it == seen.end() ? none : it->second.rpc.request, "request");
        check(view.response, it == seen.end() ? none : it->second.rpc.response, "response");
    }
    return bad;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t racks = 2;
    uint32_t hostsPerRack = 4;
    uint32_t spines = 2;
    std::string workload = "w4";
    double load = 0.5;
    Time simTime = MilliSeconds(2);
    Time drain = MilliSeconds(20);
    uint32_t dropFrame = 3;
    Time idle = Time(0);
    uint32_t print = 10;
    std::string csv;
    std::string protocol = "mtp";
    std::string timeline;
    std::string xml;
    bool useMonitor = true;
    bool timing = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("protocol", "mtp (RPCs, checked against the endpoints) or tcp", protocol);
    cmd.AddValue("racks", "leaf-spine racks", racks);
    cmd.AddValue("hostsPerRack", "hosts per rack", hostsPerRack);
    cmd.AddValue("spines", "spine switches", spines);
    cmd.AddValue("workload", "message size distribution (w1..w5 or a .cdf path)", workload);
    cmd.AddValue("load", "offered load per host", load);
    cmd.AddValue("simTime", "messages are generated until then", simTime);
    cmd.AddValue("drain", "run this long after simTime", drain);
    cmd.AddValue("drop", "drop the n-th DATA frame host 0 receives (0: no loss)", dropFrame);
    cmd.AddValue("idle", "monitor IdleTimeout (0: flows never time out)", idle);
    cmd.AddValue("print", "RPC summaries to print", print);
    cmd.AddValue("csv", "write the monitor's flow records to this CSV file", csv);
    cmd.AddValue("xml", "write the monitor's flow records to this XML file", xml);
    cmd.AddValue("monitor",
                 "install the monitor (false: the same run without, for timing)",
                 useMonitor);
    cmd.AddValue("timing", "print wall time and simulator events of the run", timing);
    cmd.AddValue("timeline",
                 "write every DATA, GRANT and RESEND the monitor sees to this CSV file "
                 "(scripts/plot-monitor-timeline.py draws it)",
                 timeline);
    cmd.Parse(argc, argv);
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
    // TCP keeps a connection on one path (a reordered stream looks like loss).
    topo.SetFabricRouting(true,
                          tcp ? MtpFabricRouting::ECMP_FLOW_HASH : MtpFabricRouting::ECMP_RANDOM);
    topo.Build();
    NodeContainer hosts = topo.GetHosts();

    // The endpoints' own view, and the injected loss at host 0's NIC.
    std::set<Ipv4Address> rack0;
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        Ipv4Address a = topo.GetHostAddress(i);
        if (i < hostsPerRack)
        {
            rack0.insert(a);
        }
        if (!tcp)
        {
            MtpStackHelper::GetMtp(hosts.Get(i))
                ->TraceConnectWithoutContext("MessageEnd", MakeBoundCallback(&OnMessageEnd, a));
        }
    }
    Ptr<DropNthBigFrame> loss = CreateObject<DropNthBigFrame>(dropFrame);
    hosts.Get(0)->GetDevice(1)->SetAttribute("ReceiveErrorModel", PointerValue(loss));

    // The monitor on the ToR of rack 0.
    MtpMonitorHelper monitors;
    monitors.SetMonitorAttribute("IdleTimeout", TimeValue(idle));
    Ptr<MtpMonitor> mon = CreateObject<MtpMonitor>(); // --monitor=false: never attached
    if (useMonitor)
    {
        mon = monitors.Install(topo.GetSwitches().Get(0));
    }
    RetransmissionLog rex;
    mon->Register(MtpMonitorEvent::RETRANSMISSION,
                  MtpMonitorHook::BEFORE,
                  MakeCallback(&RetransmissionLog::Add, &rex));
    std::map<std::string, uint32_t> orphans;
    mon->Register(MtpMonitorEvent::ORPHAN | MtpMonitorEvent::TIMEOUT,
                  MtpMonitorHook::BEFORE,
                  MakeBoundCallback(&CountOrphan, &orphans));

    std::ofstream timelineOut;
    if (!timeline.empty())
    {
        timelineOut.open(timeline);
        if (!timelineOut)
        {
            std::cerr << "cannot write " << timeline << "\n";
            return 1;
        }
        timelineOut << "time_ns,client,client_port,server,server_port,rpc_id,type,sender,offset,"
                       "length\n";
        mon->Register(MtpMonitorEvent::PACKET_IN,
                      MtpMonitorHook::BEFORE,
                      MakeBoundCallback(&WriteTimeline, static_cast<std::ostream*>(&timelineOut)));
    }

    Ptr<MtpMessageSizeDistribution> dist = CreateObject<MtpMessageSizeDistribution>();
    dist->Load(workload);
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
    std::cout << "=== mtp-monitor | " << protocol << " | " << topo.Describe() << " | " << workload
              << " load " << load << " | monitor on the ToR of rack 0 | drop data frame "
              << dropFrame << " at host 0\n";
    Simulator::Stop(simTime + drain);
    auto wall0 = std::chrono::steady_clock::now();
    Simulator::Run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    if (timing)
    {
        std::cout << "run: " << wall << " s wall, " << Simulator::GetEventCount()
                  << " events, monitor " << (useMonitor ? "installed" : "absent") << "\n";
    }
    if (!useMonitor)
    {
        Simulator::Destroy();
        return 0;
    }

    std::vector<MtpMonitorFlowRecord> recs = mon->GetFlowRecords();
    const MtpMonitorStats& st = mon->GetStats();
    std::cout << "monitor: " << st.packets << " packets, " << st.mtp << " MTP, " << st.tcp
              << " TCP, " << st.flows << (tcp ? " connections (" : " RPCs (")
              << mon->GetActiveFlowCount() << " still active), " << st.orphans << " orphans, "
              << st.malformed << " malformed\n";
    std::cout << "orphans by type (packets of no RPC the monitor tracks):";
    for (const auto& [type, n] : orphans)
    {
        std::cout << " " << type << " " << n;
    }
    std::cout << "\n";
    std::cout << "first " << std::min<size_t>(print, recs.size())
              << (tcp ? " connections (bytes and retransmissions client->server / back):\n"
                      : " RPCs:\n");
    for (size_t i = 0; i < recs.size() && i < print; ++i)
    {
        PrintRpc(recs[i]);
    }
    if (!csv.empty() && !monitors.WriteCsv(csv))
    {
        std::cerr << "cannot write " << csv << "\n";
        return 1;
    }
    if (!xml.empty() && !monitors.WriteXml(xml))
    {
        std::cerr << "cannot write " << xml << "\n";
        return 1;
    }
    uint32_t checked = 0;
    uint32_t bad = 0;
    if (tcp)
    {
        // No per-message view at the TCP endpoints: check that connections were
        // seen and parsed, and (below) that the loss was caught.
        checked = st.flows;
        bad = st.malformed;
        std::cout << "TCP: " << st.flows << " connections seen, " << st.malformed
                  << " malformed segments\n";
    }
    else
    {
        bad = Compare(mon, rack0, checked);
        std::cout << "endpoints vs monitor: " << checked << " finished messages compared, " << bad
                  << " mismatches\n";
    }
    std::cout << "injected losses: " << loss->dropped << "; retransmissions caught: " << rex.events
              << " in " << rex.flows.size() << " flow(s)\n";
    bool lossCaught = loss->dropped == 0 || rex.events > 0;
    if (bad > 0 || checked == 0 || !lossCaught)
    {
        std::cerr << "mtp-monitor: the monitor's view disagrees with the endpoints'\n";
        return 1;
    }
    Simulator::Destroy();
    return 0;
}
