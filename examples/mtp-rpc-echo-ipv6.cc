/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-rpc-echo-ipv6: MTP over IPv6 across a router.  A client sends one
 * request of each size in `--sizes` to a server that echoes it back; the
 * client checks the echo byte for byte and prints each RPC's latency.
 *
 *   client ---- router ---- server        (2001:1::/64, 2001:2::/64)
 *
 *   ./ns3 run "mtp-rpc-echo-ipv6 --sizes=1,1000,100000"
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

using namespace ns3;

namespace
{

std::map<uint64_t, std::pair<Ptr<Packet>, Time>> g_sent; //!< id -> (request, start)
uint32_t g_ok = 0;                                       //!< echoes that matched

/** Server: echo every request. */
void
Echo(Ptr<Socket> s)
{
    Ptr<MtpSocket> socket = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> request = socket->RecvMessage(info))
    {
        request->RemoveAllPacketTags();
        socket->SendResponse(request, info.id, info.peer);
    }
}

/** Client: compare each echo with its request. */
void
Check(Ptr<Socket> s)
{
    Ptr<MtpSocket> socket = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (true)
    {
        Ptr<Packet> echo = socket->RecvMessage(info);
        if (!echo && info.error == MtpError::AGAIN)
        {
            return;
        }
        auto it = g_sent.find(info.id);
        if (it == g_sent.end())
        {
            continue;
        }
        bool same = false;
        if (echo && echo->GetSize() == it->second.first->GetSize())
        {
            std::vector<uint8_t> a(echo->GetSize());
            std::vector<uint8_t> b(echo->GetSize());
            echo->CopyData(a.data(), a.size());
            it->second.first->CopyData(b.data(), b.size());
            same = a == b;
        }
        g_ok += same;
        std::cout << std::fixed << std::setprecision(3) << "rpc " << info.id << " size "
                  << it->second.first->GetSize() << " from "
                  << Inet6SocketAddress::ConvertFrom(info.peer).GetIpv6()
                  << (same ? " echoed intact" : " MISMATCH") << " in "
                  << (Simulator::Now() - it->second.second).GetNanoSeconds() / 1000.0 << " us\n";
        g_sent.erase(it);
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    // 1404 B is one full segment over IPv6 on a 1500-byte MTU (1500 - 40 - 56).
    std::string sizes = "1,1403,1404,1405,100000,1000000";
    CommandLine cmd(__FILE__);
    cmd.AddValue("sizes", "comma-separated request sizes", sizes);
    cmd.Parse(argc, argv);
    Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));

    NodeContainer nodes(3); // client, router, server
    InternetStackHelper internet;
    internet.SetIpv4StackInstall(false);
    internet.Install(nodes);
    MtpStackHelper mtp;
    mtp.Install(nodes.Get(0));
    mtp.Install(nodes.Get(2));

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2us"));
    Ipv6AddressHelper addr;
    addr.SetBase(Ipv6Address("2001:1::"), Ipv6Prefix(64));
    Ipv6InterfaceContainer left = addr.Assign(p2p.Install(nodes.Get(0), nodes.Get(1)));
    addr.SetBase(Ipv6Address("2001:2::"), Ipv6Prefix(64));
    Ipv6InterfaceContainer right = addr.Assign(p2p.Install(nodes.Get(2), nodes.Get(1)));
    left.SetForwarding(1, true);
    right.SetForwarding(1, true);
    left.SetDefaultRouteInAllNodes(1);
    right.SetDefaultRouteInAllNodes(1);

    Ptr<MtpSocket> server =
        DynamicCast<MtpSocket>(Socket::CreateSocket(nodes.Get(2), MtpSocketFactory::GetTypeId()));
    server->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), 7));
    server->SetRecvCallback(MakeCallback(&Echo));
    Ptr<MtpSocket> client =
        DynamicCast<MtpSocket>(Socket::CreateSocket(nodes.Get(0), MtpSocketFactory::GetTypeId()));
    client->SetRecvCallback(MakeCallback(&Check));
    Address to = Inet6SocketAddress(right.GetAddress(0, 1), 7);

    std::stringstream ss(sizes);
    std::string item;
    uint32_t n = 0;
    while (std::getline(ss, item, ','))
    {
        uint32_t size = std::stoul(item);
        std::vector<uint8_t> buf(size);
        for (uint32_t i = 0; i < size; ++i)
        {
            buf[i] = static_cast<uint8_t>(i * 13 + n);
        }
        Ptr<Packet> request = Create<Packet>(buf.data(), size);
        Simulator::Schedule(MicroSeconds(10 + 5 * n), [client, request, to, size]() {
            uint64_t id = client->SendRequest(request->Copy(), to);
            if (id == 0)
            {
                std::cout << "SendRequest(" << size
                          << ") failed: " << MtpErrorName(client->GetMtpErrno()) << "\n";
                return;
            }
            g_sent[id] = {request, Simulator::Now()};
        });
        ++n;
    }
    Simulator::Run();
    std::cout << g_ok << " of " << n << " echoes intact\n";
    Simulator::Destroy();
    return g_ok == n ? 0 : 1;
}
