/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-incast: N senders send one message each, at the same moment, to one
 * receiver, over MTP; all hosts hang off one switch (a one-rack
 * MtpLeafSpineHelper).  The receiver's downlink is the bottleneck: MTP's
 * receiver-driven grants should keep its queue near the unscheduled bytes
 * of the senders (N x UnschedBytes) rather than N x message size.
 *
 * Prints each message's completion time and slowdown (vs. the unloaded time
 * of that message alone), the time until the last one completes (vs. the
 * ideal N x size / link rate), the peak queue at the bottleneck port, queue
 * drops, and the receiver's MTP counters with --metrics.
 *
 *   mtp-incast --senders=32 --size=500000 --rounds=3
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <algorithm>
#include <iomanip>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpIncast");

namespace
{

uint32_t g_peakQueue = 0; //!< largest backlog at the bottleneck port (packets)
uint64_t g_drops = 0;     //!< switch port drops anywhere

void
QueueChanged(uint32_t oldValue, uint32_t newValue)
{
    g_peakQueue = std::max(g_peakQueue, newValue);
}

void
QueueDrop(Ptr<const Packet> packet)
{
    ++g_drops;
}

bool g_capturing = false;  //!< a sender is inside SendTo
uint64_t g_capturedId = 0; //!< the RPC id SendTo started

/// MessageBegin trace of every sender: remember the id of the message SendTo starts.
void
CaptureId(uint64_t id, const Address& peer, uint32_t length, bool isRequest)
{
    if (g_capturing && isRequest && g_capturedId == 0)
    {
        g_capturedId = id;
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t senders = 16;
    uint32_t size = 100000;
    uint32_t rounds = 1;
    Time gap = MilliSeconds(1);
    std::string rate = "10Gbps";
    Time delay = NanoSeconds(250);
    uint32_t queuePackets = 1000;
    uint32_t seed = 1;
    bool metrics = false;
    bool perMessage = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("senders", "number of senders", senders);
    cmd.AddValue("size", "message size in bytes (<= 1000000)", size);
    cmd.AddValue("rounds", "incast rounds", rounds);
    cmd.AddValue("gap", "time between rounds", gap);
    cmd.AddValue("rate", "link rate", rate);
    cmd.AddValue("delay", "link delay", delay);
    cmd.AddValue("queuePackets", "priority queue limit per port, packets", queuePackets);
    cmd.AddValue("seed", "RNG run number", seed);
    cmd.AddValue("metrics", "print the receiver's MTP counters", metrics);
    cmd.AddValue("perMessage", "print every message", perMessage);
    cmd.Parse(argc, argv);
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(seed);

    MtpLeafSpineHelper topo;
    topo.SetRacks(1);
    topo.SetHostsPerRack(senders + 1);
    topo.SetSpines(0);
    topo.SetHostLinkRate(DataRate(rate));
    topo.SetHostLinkDelay(delay);
    topo.SetQueueDiscPackets(queuePackets);
    topo.Build();

    const uint32_t receiver = senders; // the last host
    NetDeviceContainer sw = topo.GetSwitchDevices();
    // Switch port i faces host i (Link order).
    Ptr<NetDevice> bottleneck = sw.Get(receiver);
    // The helper's ports queue in the device (MtpPrioQueue, no queue disc).
    auto portQueue = [](Ptr<NetDevice> d) { return MtpDatacenterHelper::GetDeviceQueue(d); };
    portQueue(bottleneck)
        ->TraceConnectWithoutContext("PacketsInQueue", MakeCallback(&QueueChanged));
    for (uint32_t i = 0; i < sw.GetN(); ++i)
    {
        portQueue(sw.Get(i))->TraceConnectWithoutContext("Drop", MakeCallback(&QueueDrop));
    }

    Ptr<MtpMessageRecorder> recorder = CreateObject<MtpMessageRecorder>();
    recorder->SetUnloadedTimeFunction([&topo](uint32_t i, uint32_t j, uint32_t bytes) {
        return topo.GetUnloadedTime(i, j, bytes);
    });
    recorder->SetBuckets({size});

    const uint16_t port = 1000;
    NodeContainer hosts = topo.GetHosts();
    Ptr<MtpSocket> rx = DynamicCast<MtpSocket>(
        Socket::CreateSocket(hosts.Get(receiver), MtpSocketFactory::GetTypeId()));
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    rx->SetRecvCallback(
        MakeCallback(+[](Ptr<MtpMessageRecorder> rec, Ptr<Socket> s) {
            Ptr<MtpSocket> m = DynamicCast<MtpSocket>(s);
            MtpRecvInfo info;
            while (m->RecvMessage(info) || info.error != MtpError::AGAIN)
            {
                if (info.kind == MtpMessageKind::ONE_WAY)
                {
                    InetSocketAddress a = InetSocketAddress::ConvertFrom(info.peer);
                    rec->MessageReceived({a.GetIpv4().Get(), a.GetPort(), info.id & ~1ULL});
                }
            }
        }).Bind(recorder));

    Address dst = InetSocketAddress(topo.GetHostAddress(receiver), port);
    for (uint32_t i = 0; i < senders; ++i)
    {
        Ptr<Node> node = hosts.Get(i);
        Ptr<MtpSocket> s =
            DynamicCast<MtpSocket>(Socket::CreateSocket(node, MtpSocketFactory::GetTypeId()));
        Ptr<MtpL4Protocol> mtp = MtpStackHelper::GetMtp(node);
        Ipv4Address self = topo.GetHostAddress(i);
        mtp->TraceConnectWithoutContext("MessageBegin", MakeCallback(&CaptureId));
        for (uint32_t r = 0; r < rounds; ++r)
        {
            Simulator::Schedule(MicroSeconds(10) + gap * r, [=]() {
                // The RPC id is the one the MessageBegin trace reports during SendTo.
                g_capturedId = 0;
                g_capturing = true;
                s->SendTo(Create<Packet>(size), 0, dst);
                g_capturing = false;
                recorder->MessageStarted({self.Get(), s->GetDefaultPort(), g_capturedId},
                                         i,
                                         receiver,
                                         size);
            });
        }
    }

    Simulator::Stop(MicroSeconds(10) + gap * rounds + Seconds(1));
    Simulator::Run();

    Time last;
    for (const auto& r : recorder->GetRecords())
    {
        if (r.done)
        {
            last = std::max(last, r.end - (MicroSeconds(10) + gap * (r.id / senders)));
        }
        if (perMessage)
        {
            std::cout << "round " << r.id / senders << " sender " << r.src << ": "
                      << (r.done ? std::to_string((r.end - r.start).GetNanoSeconds()) + " ns"
                                 : std::string("UNFINISHED"))
                      << "\n";
        }
    }
    double ideal = 8.0 * double(senders) * size / DataRate(rate).GetBitRate();
    std::cout << "incast: " << senders << " senders x " << size << " B, " << rounds << " round(s), "
              << rate << "\n";
    recorder->PrintTable(std::cout, "mtp incast");
    std::cout << std::fixed << std::setprecision(1) << "slowest round completes in "
              << last.GetMicroSeconds() << " us (ideal, payload only: " << ideal * 1e6 << " us)\n"
              << "peak bottleneck queue " << g_peakQueue << " packets, queue drops " << g_drops
              << "\n";
    if (metrics)
    {
        MtpStackHelper::PrintMetrics(hosts.Get(receiver), std::cout);
    }
    bool ok = recorder->GetUnfinished() == 0;
    Simulator::Destroy();
    return ok ? 0 : 1;
}
