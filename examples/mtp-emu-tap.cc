/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-emu-tap: a simulated host that the real Linux host reaches through a
 * tap device, in real time: the Linux IP stack and ns-3's talk to each other
 * (ARP, ICMP echo, UDP).
 *
 *   Linux host: ping, UDP sockets        simulated host (ns-3, MTP installed)
 *        tap (--linuxAddress) <========> MtpEmuFdNetDevice (--simAddress)
 *
 * MtpEmulationHelper creates the tap (or attaches to an existing one), gives
 * its Linux side --linuxAddress and brings it up.  The simulated host answers
 * pings (ns-3's ICMP) and runs a UDP echo server on --udpPort that returns
 * every datagram unchanged.  It stops after --echoes UDP datagrams were
 * echoed (then exits 0), or after --timeout seconds (exits 0 if --echoes is 0,
 * else 1).  It prints a line "ready" once attached, and at the end the number
 * of ICMP echo requests and UDP datagrams it saw.
 *
 * Needs root (or CAP_NET_ADMIN, or a persistent tap owned by the user):
 *
 *   sudo build/bin/mtp-emu-tap --tap=mtptap0 --echoes=3 &
 *   ping -c 3 10.77.0.2
 *   echo hello | nc -u -w1 10.77.0.2 7
 *
 * test/emu/run-emu-tap.sh does this inside a network namespace of its own.
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"

#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpEmuTap");

namespace
{

uint32_t g_icmpEchoRequests = 0; //!< ICMP echo requests that reached the simulated IP stack
uint32_t g_udpEchoed = 0;        //!< UDP datagrams echoed
uint32_t g_udpTarget = 0;        //!< stop after this many (0: run until --timeout)

/** Count ICMP echo requests seen by the simulated host's IPv4 layer. */
void
IpRx(Ptr<const Packet> packet, Ptr<Ipv4> ipv4, uint32_t interface)
{
    Ptr<Packet> copy = packet->Copy();
    Ipv4Header ip;
    copy->RemoveHeader(ip);
    uint8_t icmpType = 0xff;
    if (ip.GetProtocol() == Icmpv4L4Protocol::PROT_NUMBER && copy->GetSize() > 0)
    {
        copy->CopyData(&icmpType, 1);
    }
    if (icmpType == Icmpv4Header::ICMPV4_ECHO)
    {
        ++g_icmpEchoRequests;
    }
}

/** UDP echo: send every datagram back to where it came from, unchanged. */
void
UdpEcho(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        socket->SendTo(p, 0, from);
        ++g_udpEchoed;
        std::cout << "udp: echoed " << p->GetSize() << " bytes to "
                  << InetSocketAddress::ConvertFrom(from).GetIpv4() << std::endl;
        if (g_udpTarget != 0 && g_udpEchoed == g_udpTarget)
        {
            // Time for the last echo (and its ARP, if any) to leave.
            Simulator::Schedule(MilliSeconds(200), &Simulator::Stop);
        }
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string tap = "mtptap0";
    std::string simAddress = "10.77.0.2";
    std::string linuxAddress = "10.77.0.1";
    std::string mask = "255.255.255.0";
    uint16_t udpPort = 7;
    double timeout = 30;

    CommandLine cmd(__FILE__);
    cmd.AddValue("tap", "the tap device (created if absent; at most 15 characters)", tap);
    cmd.AddValue("simAddress", "the simulated host's IPv4 address", simAddress);
    cmd.AddValue("linuxAddress",
                 "the Linux side's IPv4 address on the tap (empty: leave it)",
                 linuxAddress);
    cmd.AddValue("mask", "IPv4 network mask of the tap's link", mask);
    cmd.AddValue("udpPort", "port of the simulated UDP echo server", udpPort);
    cmd.AddValue("echoes", "stop after this many UDP echoes (0: run until --timeout)", g_udpTarget);
    cmd.AddValue("timeout", "seconds after which the program stops", timeout);
    cmd.Parse(argc, argv);

    if (tap.empty() || tap.size() > 15 || timeout <= 0)
    {
        std::cerr << "mtp-emu-tap: --tap needs 1 to 15 characters and --timeout > 0\n";
        return 2;
    }
    std::string access = MtpEmulationHelper::CheckTapAccess(tap);
    if (!access.empty())
    {
        std::cerr << "mtp-emu-tap: " << access << "\n";
        return 2;
    }
    MtpEmulationHelper::ConfigureRealtime();

    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper internet;
    internet.SetIpv6StackInstall(false);
    internet.Install(node);
    MtpStackHelper().Install(node);

    Ipv4Address simAddr(simAddress.c_str());
    MtpEmulationHelper emu;
    if (!linuxAddress.empty())
    {
        emu.SetTapLinuxAddress(Ipv4Address(linuxAddress.c_str()), Ipv4Mask(mask.c_str()));
    }
    Ptr<NetDevice> device =
        emu.InstallOnTap(node, tap, MtpEmulationHelper::MacFromIpv4(simAddr)).Get(0);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    int32_t ifIndex = ipv4->AddInterface(device);
    ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(simAddr, Ipv4Mask(mask.c_str())));
    ipv4->SetUp(ifIndex);
    node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext("Rx", MakeCallback(&IpRx));

    Ptr<Socket> udp = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    if (udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), udpPort)) < 0)
    {
        std::cerr << "mtp-emu-tap: cannot bind UDP port " << udpPort << "\n";
        return 2;
    }
    udp->SetRecvCallback(MakeCallback(&UdpEcho));

    Simulator::ScheduleNow([&]() {
        std::cout << "ready: simulated host " << simAddress << " (" << device->GetAddress()
                  << ") on tap " << tap << ", Linux side " << linuxAddress << ", UDP echo port "
                  << udpPort << std::endl;
    });
    Simulator::Stop(Seconds(timeout));
    Simulator::Run();
    std::cout << "ICMP echo requests received: " << g_icmpEchoRequests
              << "\nUDP datagrams echoed: " << g_udpEchoed << std::endl;
    Simulator::Destroy();
    return (g_udpTarget == 0 || g_udpEchoed >= g_udpTarget) ? 0 : 1;
}
