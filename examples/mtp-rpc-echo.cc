/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-rpc-echo: clients send MTP requests across a router to one server,
 * which answers each with a response; every completed RPC is printed with
 * its latency.
 *
 *   client 0 ---+
 *   client 1 ---+--- router ---- server
 *   ...      ---+
 *
 * Each client starts `--rpcs` RPCs, one every `--interval`, each request of
 * `--request` bytes; the server answers with `--response` bytes.  Response
 * content is a function of the request id and offset, and the client checks
 * every byte.  `--ipv6` runs the same over IPv6; `--pcap` writes pcap traces
 * mtp-rpc-echo-<node>-<device>.pcap; decode their MTP packets with the
 * module's Wireshark dissector:
 *   tshark -X lua_script:tools/wireshark/mtp.lua -r mtp-rpc-echo-0-1.pcap
 * `--ChecksumEnabled=1` (ns-3's global switch) fills the IP and MTP checksums,
 * which are 0 otherwise.  `--record=FILE` writes every MTP packet the clients
 * and the server send, as MtpWireRecorder parses it
 * (test/wireshark/check-dissector.py compares the dissector's output with it).
 *
 *   ./ns3 run "mtp-rpc-echo --clients=4 --rpcs=5 --request=20000 --pcap"
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpRpcEcho");

namespace
{

/** Byte `i` of a message whose first byte is `seed`. */
uint8_t
ResponseByte(uint8_t seed, uint32_t i)
{
    return i == 0 ? seed : static_cast<uint8_t>(seed * 31 + i * 7 + (i >> 8));
}

/** A packet of `size` bytes whose content is derived from `seed`. */
Ptr<Packet>
MakeMessage(uint8_t seed, uint32_t size)
{
    std::vector<uint8_t> buf(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        buf[i] = ResponseByte(seed, i);
    }
    return Create<Packet>(buf.data(), size);
}

/** Check a received message against MakeMessage(seed, size). */
bool
CheckMessage(Ptr<Packet> p, uint8_t seed, uint32_t size)
{
    if (p->GetSize() != size)
    {
        return false;
    }
    std::vector<uint8_t> buf(size);
    p->CopyData(buf.data(), size);
    for (uint32_t i = 0; i < size; ++i)
    {
        if (buf[i] != ResponseByte(seed, i))
        {
            return false;
        }
    }
    return true;
}

uint32_t g_responseSize = 1000; //!< response bytes
uint32_t g_completed = 0;       //!< RPCs that completed with correct content
uint32_t g_failed = 0;          //!< RPCs that failed or had wrong content

/** Server: answer every request with a response derived from its first byte. */
void
ServerRecv(Ptr<Socket> s)
{
    Ptr<MtpSocket> socket = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> request = socket->RecvMessage(info))
    {
        uint8_t seed = 0;
        if (request->GetSize() > 0)
        {
            request->CopyData(&seed, 1);
        }
        // The response's first byte is the request's plus one.
        uint8_t reply = static_cast<uint8_t>(seed + 1);
        if (socket->SendResponse(MakeMessage(reply, g_responseSize), info.id, info.peer) < 0)
        {
            std::cout << "server: SendResponse failed: " << MtpErrorName(socket->GetMtpErrno())
                      << "\n";
        }
    }
}

/** Client side: what each outstanding RPC expects. */
struct Pending
{
    uint32_t client; //!< client index
    uint8_t seed;    //!< first request byte
    Time start;      //!< when it was sent
};

std::map<std::pair<uint32_t, uint64_t>, Pending> g_pending; //!< (client, id) -> expectation

/** Client: collect responses and print each RPC's latency. */
void
ClientRecv(uint32_t client, Ptr<Socket> s)
{
    Ptr<MtpSocket> socket = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (true)
    {
        Ptr<Packet> response = socket->RecvMessage(info);
        if (!response && info.error == MtpError::AGAIN)
        {
            break;
        }
        auto it = g_pending.find({client, info.id});
        if (it == g_pending.end())
        {
            continue;
        }
        Pending p = it->second;
        g_pending.erase(it);
        double us = (Simulator::Now() - p.start).GetNanoSeconds() / 1000.0;
        bool ok =
            response && CheckMessage(response, static_cast<uint8_t>(p.seed + 1), g_responseSize);
        ok ? ++g_completed : ++g_failed;
        std::cout << std::fixed << std::setprecision(3) << "t=" << Simulator::Now().GetSeconds()
                  << "s client " << client << " rpc " << info.id << " "
                  << (ok ? "ok" : (response ? "BAD-CONTENT" : MtpErrorName(info.error)))
                  << " latency " << us << " us\n";
    }
}

/** Client: start one RPC. */
void
SendOne(uint32_t client, Ptr<MtpSocket> socket, Address server, uint32_t size, uint8_t seed)
{
    Ptr<Packet> request = MakeMessage(seed, size);
    uint64_t id = socket->SendRequest(request, server);
    if (id == 0)
    {
        ++g_failed;
        std::cout << "client " << client
                  << ": SendRequest failed: " << MtpErrorName(socket->GetMtpErrno()) << "\n";
        return;
    }
    g_pending[{client, id}] = Pending{client, seed, Simulator::Now()};
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t clients = 2;
    uint32_t rpcs = 5;
    uint32_t requestSize = 5000;
    Time interval = MicroSeconds(20);
    std::string rate = "10Gbps";
    Time delay = MicroSeconds(1);
    uint16_t port = 100;
    bool ipv6 = false;
    bool pcap = false;
    bool metrics = false;
    uint32_t seed = 1;
    std::string record;

    CommandLine cmd(__FILE__);
    cmd.AddValue("clients", "number of client hosts", clients);
    cmd.AddValue("rpcs", "RPCs per client", rpcs);
    cmd.AddValue("request", "request size in bytes", requestSize);
    cmd.AddValue("response", "response size in bytes", g_responseSize);
    cmd.AddValue("interval", "time between a client's RPCs", interval);
    cmd.AddValue("rate", "link rate", rate);
    cmd.AddValue("delay", "per-link propagation delay", delay);
    cmd.AddValue("port", "server port (< 32768)", port);
    cmd.AddValue("ipv6", "use IPv6 instead of IPv4", ipv6);
    cmd.AddValue("pcap", "write pcap traces mtp-rpc-echo-*.pcap", pcap);
    cmd.AddValue("record", "write every MTP packet the hosts send to this file", record);
    cmd.AddValue("metrics", "print the server's MTP metrics at the end", metrics);
    cmd.AddValue("seed", "RNG run number", seed);
    cmd.Parse(argc, argv);
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(seed);
    // Addresses are usable at once: no duplicate address detection delay.
    Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));

    NodeContainer clientNodes(clients);
    Ptr<Node> router = CreateObject<Node>();
    Ptr<Node> server = CreateObject<Node>();

    InternetStackHelper internet;
    internet.Install(clientNodes);
    internet.Install(router);
    internet.Install(server);
    MtpStackHelper mtp;
    mtp.Install(clientNodes);
    mtp.Install(server);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", TimeValue(delay));

    Ipv4AddressHelper v4;
    Ipv6AddressHelper v6;
    std::vector<Address> clientAddr;
    Address serverAddr;
    for (uint32_t i = 0; i <= clients; ++i)
    {
        Ptr<Node> host = i < clients ? clientNodes.Get(i) : server;
        NetDeviceContainer link = p2p.Install(host, router);
        if (ipv6)
        {
            std::ostringstream net;
            net << "2001:" << i + 1 << "::";
            v6.SetBase(Ipv6Address(net.str().c_str()), Ipv6Prefix(64));
            Ipv6InterfaceContainer ifs = v6.Assign(link);
            ifs.SetForwarding(1, true);
            ifs.SetDefaultRouteInAllNodes(1);
            if (i == clients)
            {
                serverAddr = Inet6SocketAddress(ifs.GetAddress(0, 1), port);
            }
        }
        else
        {
            std::ostringstream net;
            net << "10.0." << i + 1 << ".0";
            v4.SetBase(net.str().c_str(), "255.255.255.0");
            Ipv4InterfaceContainer ifs = v4.Assign(link);
            if (i == clients)
            {
                serverAddr = InetSocketAddress(ifs.GetAddress(0), port);
            }
        }
    }
    if (!ipv6)
    {
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }
    if (pcap)
    {
        p2p.EnablePcapAll("mtp-rpc-echo");
    }
    Ptr<MtpWireRecorder> recorder;
    if (!record.empty())
    {
        recorder = Create<MtpWireRecorder>(record);
        if (!recorder->IsOpen())
        {
            std::cerr << "cannot write " << record << "\n";
            return 1;
        }
        recorder->Install(clientNodes);
        recorder->Install(server);
    }

    Ptr<MtpSocket> serverSocket =
        DynamicCast<MtpSocket>(Socket::CreateSocket(server, MtpSocketFactory::GetTypeId()));
    if (serverSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) < 0)
    {
        std::cerr << "server bind failed: " << MtpErrorName(serverSocket->GetMtpErrno()) << "\n";
        return 1;
    }
    serverSocket->SetRecvCallback(MakeCallback(&ServerRecv));

    for (uint32_t c = 0; c < clients; ++c)
    {
        Ptr<MtpSocket> s = DynamicCast<MtpSocket>(
            Socket::CreateSocket(clientNodes.Get(c), MtpSocketFactory::GetTypeId()));
        s->SetRecvCallback(MakeBoundCallback(&ClientRecv, c));
        for (uint32_t r = 0; r < rpcs; ++r)
        {
            uint8_t seedByte = static_cast<uint8_t>(c * 16 + r);
            Simulator::Schedule(MicroSeconds(10) + interval * r + NanoSeconds(100) * c,
                                &SendOne,
                                c,
                                s,
                                serverAddr,
                                requestSize,
                                seedByte);
        }
    }

    Simulator::Run();
    std::cout << "completed " << g_completed << " of " << clients * rpcs << " RPCs, " << g_failed
              << " failed, " << g_pending.size() << " unfinished\n";
    if (metrics)
    {
        MtpStackHelper::PrintMetrics(server, std::cout);
    }
    Simulator::Destroy();
    return g_completed == clients * rpcs ? 0 : 1;
}
