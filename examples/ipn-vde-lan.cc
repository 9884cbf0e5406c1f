/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ipn-vde-lan: a VDE-style virtual LAN built from IPN.  Every host runs an
 * IPN learning switch (IPN_VDESWITCH, the kernel VDE switch) with a TAP
 * device on it; cables join the switches in a chain, so all TAPs are on one
 * Ethernet LAN (10.1.0.0/24).  Across it:
 *   - IP: a UDP echo client on host 0 talks to a UDP echo server on the last
 *     host (ARP, then unicast frames the switches learn);
 *   - MTP: host 0 sends `--rpcs` RPCs to an MTP server on the last host.
 *
 *   host 0          host 1          host 2
 *   [TAP]           [TAP]           [TAP]
 *     |               |               |
 *   switch ==cable== switch ==cable== switch
 *
 * `--pcap` writes ipn-vde-lan-<node>-<if>.pcap for every TAP (Ethernet; the
 * MTP packets decode with Homa's dissector).  At the end the example prints,
 * for every TAP's MAC, the port each switch learned it on ("unknown" for the
 * hosts in the middle: they never send, so no switch learns them), and fails
 * if an RPC or an echo is missing or if a switch learned host 0 or the last
 * host anywhere but on the port towards it.
 *
 *   ./ns3 run "ipn-vde-lan --hosts=4 --rpcs=5 --pcap"
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"

#include <iostream>
#include <map>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpnVdeLan");

namespace
{

uint32_t g_served = 0;    //!< requests the MTP server answered
uint32_t g_completed = 0; //!< RPCs completed at the client

/** MTP server: echo each request. */
void
ServerRecv(Ptr<Socket> s)
{
    Ptr<MtpSocket> m = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> req = m->RecvMessage(info))
    {
        ++g_served;
        Ptr<Packet> resp = req->Copy();
        resp->RemoveAllPacketTags();
        m->SendResponse(resp, info.id, info.peer);
    }
}

/** MTP client: count responses. */
void
ClientRecv(Ptr<Socket> s)
{
    Ptr<MtpSocket> m = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (true)
    {
        Ptr<Packet> p = m->RecvMessage(info);
        if (!p && info.error == MtpError::AGAIN)
        {
            return;
        }
        if (p)
        {
            ++g_completed;
            std::cout << Simulator::Now().As(Time::US) << " RPC " << info.id << " done, "
                      << p->GetSize() << " bytes, "
                      << (Simulator::Now() - info.rpcStart).As(Time::US) << "\n";
        }
        else
        {
            std::cout << "RPC " << info.id << " failed: " << info.error << "\n";
        }
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hosts = 3;
    uint32_t rpcs = 3;
    uint32_t size = 20000;
    Time cableDelay = MicroSeconds(5);
    bool pcap = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("hosts", "number of hosts (each with an IPN switch)", hosts);
    cmd.AddValue("rpcs", "MTP RPCs from host 0 to the last host", rpcs);
    cmd.AddValue("size", "bytes of each MTP request (and response)", size);
    cmd.AddValue("delay", "one-way delay of each cable", cableDelay);
    cmd.AddValue("pcap", "write pcap traces of the TAP devices", pcap);
    cmd.Parse(argc, argv);
    if (hosts < 2)
    {
        std::cerr << "need at least 2 hosts\n";
        return 1;
    }

    NodeContainer nodes;
    nodes.Create(hosts);
    InternetStackHelper internet;
    internet.SetIpv6StackInstall(false);
    internet.Install(nodes);
    MtpStackHelper mtp;
    mtp.Install(nodes);

    IpnHelper ipn;
    ipn.SetPolicy(IPN_VDESWITCH);
    ipn.Install(nodes);
    std::vector<Ptr<IpnNetwork>> switches;
    NetDeviceContainer taps;
    for (uint32_t i = 0; i < hosts; ++i)
    {
        switches.push_back(ipn.CreateNetwork(nodes.Get(i), "/var/run/vde.ctl"));
        Ptr<IpnNetDevice> tap = ipn.AddTap(switches[i]);
        taps.Add(tap);
        if (pcap)
        {
            IpnHelper::EnablePcap("ipn-vde-lan", tap);
        }
    }
    std::vector<Ptr<IpnCable>> cables; // cables[i] joins switch i and switch i + 1
    for (uint32_t i = 0; i + 1 < hosts; ++i)
    {
        cables.push_back(ipn.Cable(switches[i], switches[i + 1], cableDelay));
    }
    Ipv4AddressHelper v4;
    v4.SetBase("10.1.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = v4.Assign(taps);
    Ipv4Address serverAddr = ifs.GetAddress(hosts - 1);

    // IP: UDP echo across the LAN.  The client must stay open until the
    // echoes are back, and they need two ARP resolutions first: ns-3's ARP
    // delays each request by up to `ArpL3Protocol::RequestJitter` (10 ms)
    // and does not learn the requester's address from a request, so the
    // server resolves the client on its own before it can answer (up to
    // ~20 ms after the first send).  Hence the client runs until `echoStop`
    // and the RPCs start after it.
    Time echoStop = MilliSeconds(100);
    UdpEchoServerHelper echoServer(9);
    echoServer.Install(nodes.Get(hosts - 1)).Start(Seconds(0));
    UdpEchoClientHelper echoClient(serverAddr, 9);
    echoClient.SetAttribute("MaxPackets", UintegerValue(3));
    echoClient.SetAttribute("Interval", TimeValue(MilliSeconds(1)));
    echoClient.SetAttribute("PacketSize", UintegerValue(512));
    ApplicationContainer client = echoClient.Install(nodes.Get(0));
    client.Start(MilliSeconds(1));
    client.Stop(echoStop);
    uint32_t echoes = 0;
    client.Get(0)->TraceConnectWithoutContext("Rx",
                                              MakeBoundCallback(
                                                  +[](uint32_t* n, Ptr<const Packet>) { ++*n; },
                                                  &echoes));

    // MTP: RPCs across the LAN.
    Ptr<MtpSocket> server = DynamicCast<MtpSocket>(
        Socket::CreateSocket(nodes.Get(hosts - 1), MtpSocketFactory::GetTypeId()));
    server->Bind(InetSocketAddress(Ipv4Address::GetAny(), 100));
    server->SetRecvCallback(MakeCallback(&ServerRecv));
    Ptr<MtpSocket> rpcClient =
        DynamicCast<MtpSocket>(Socket::CreateSocket(nodes.Get(0), MtpSocketFactory::GetTypeId()));
    rpcClient->SetRecvCallback(MakeCallback(&ClientRecv));
    for (uint32_t i = 0; i < rpcs; ++i)
    {
        Simulator::Schedule(echoStop + MicroSeconds(100 * i), [=]() {
            rpcClient->SendRequest(Create<Packet>(size), InetSocketAddress(serverAddr, 100));
        });
    }

    Simulator::Stop(Seconds(1));
    Simulator::Run();

    std::cout << "UDP echoes: " << echoes << "/3, MTP RPCs: " << g_completed << "/" << rpcs
              << " (server executed " << g_served << ")\n";
    // The port of switch i towards cable end `end` (0: left end, 1: right end).
    auto cablePort = [&](uint32_t cable, uint32_t end) {
        return cables[cable]
            ->GetDevices()
            .Get(end)
            ->GetObject<IpnGrab>()
            ->GetPort()
            ->GetPortNumber();
    };
    Mac48Address first = Mac48Address::ConvertFrom(taps.Get(0)->GetAddress());
    Mac48Address last = Mac48Address::ConvertFrom(taps.Get(hosts - 1)->GetAddress());
    bool learnedRight = true;
    for (uint32_t i = 0; i < hosts; ++i)
    {
        auto sw = DynamicCast<IpnSwitchPolicy>(switches[i]->GetPolicy());
        int32_t tapPort = DynamicCast<IpnNetDevice>(taps.Get(i))->GetPort()->GetPortNumber();
        int32_t towardsFirst = i == 0 ? tapPort : cablePort(i - 1, 1);
        int32_t towardsLast = i == hosts - 1 ? tapPort : cablePort(i, 0);
        learnedRight =
            learnedRight && sw->Lookup(first) == towardsFirst && sw->Lookup(last) == towardsLast;
        std::cout << "switch " << i << ": " << switches[i]->GetConnectedPorts().size()
                  << " ports, learned";
        for (uint32_t j = 0; j < hosts; ++j)
        {
            // Only host 0 and the last host send; the others stay unknown.
            Mac48Address mac = Mac48Address::ConvertFrom(taps.Get(j)->GetAddress());
            int32_t port = sw->Lookup(mac);
            std::cout << " " << mac << "->";
            if (port < 0)
            {
                std::cout << "unknown";
            }
            else
            {
                std::cout << "port " << port;
            }
        }
        std::cout << ", " << switches[i]->GetInjectCount() << " frames\n";
    }
    Simulator::Destroy();
    if (!learnedRight)
    {
        std::cout << "a switch learned host 0 or the last host on the wrong port\n";
    }
    return (echoes == 3 && g_completed == rpcs && learnedRight) ? 0 : 1;
}
