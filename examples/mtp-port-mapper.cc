/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-port-mapper: MTP RPCs through port mappers (Linux iwpm semantics).
 *
 *   site A (10.1.1.1 / in 2001:1::/64) ---+
 *   site B (10.1.2.1 / in 2001:2::/64) ---+--- router
 *   site C (10.1.3.1 / in 2001:3::/64) ---+
 *
 * IPv4 by default; --ipv6: the sites, the RPCs and the daemons' UDP are IPv6.
 *
 * A and B run a port mapper and its daemon (UDP 3935); C has a mapper but
 * its daemon never answers (it does not run).
 *   1 s  B's server socket binds port 100; the mapper maps it (0x4000 on
 *        the wire).  A asks its daemon for B:100 (add-and-query); B's
 *        daemon answers, and A sends RPCs to B:100, which go out to the
 *        mapped port.  B learns A's real address (remote info).
 *   3 s  B's daemon stops; 3.5 s it starts again and gets its mappings
 *        back from the mapper (replay).
 *   4 s  a second client on A asks again: same mapped port; more RPCs.
 *   5 s  A asks C's daemon for C:100: no answer, resent --retries times,
 *        then the clear error (ETIMEDOUT) after timeout x (retries + 1).
 * Every MTP packet A sends is checked: its destination port must be the
 * mapped one.  Exit status 1 if an RPC, a query or a check that should
 * succeed fails, or if the query to C does not fail as it should.
 *
 * --pcap writes a pcap per device, mtp-port-mapper-<node>-<device>.pcap, or
 * <PREFIX>-<node>-<device>.pcap with --pcapPrefix=PREFIX (which implies
 * --pcap); test/portmap/check-mapped-ports.py reads them with tshark.
 *
 *   ./ns3 run "mtp-port-mapper --rpcs=5 --pcap"
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>
#include <sstream>

using namespace ns3;

namespace
{

/** What the run saw; decides the exit status. */
struct Outcome
{
    uint32_t responses = 0;         //!< RPC responses received by A (content checked)
    uint32_t badResponses = 0;      //!< responses whose content was wrong, or failed RPCs
    uint32_t requestsServed = 0;    //!< requests B answered
    uint32_t queriesOk = 0;         //!< queries to B answered
    std::set<uint16_t> mappedB;     //!< mapped ports learned for B:100
    MtpError queryC = MtpError::OK; //!< outcome of the query to C
    bool queryCDone = false;        //!< the query to C ended
    Time queryCTime;                //!< when
    uint32_t wireToMapped = 0;      //!< MTP packets from A to B's mapped port
    uint32_t wireToUnmapped = 0;    //!< MTP packets from A to B's real port
    bool remoteInfoOk = false;      //!< B learned A's real endpoint
};

Outcome g_out;               //!< the run's outcome
MtpAddress g_a;              //!< site A (set by main, IPv4 or IPv6)
MtpAddress g_b;              //!< site B
MtpAddress g_c;              //!< site C
uint16_t g_serverPort = 100; //!< B's real server port
uint16_t g_wirePort = 0;     //!< B's mapped server port (what the socket holds)

/** \param host a site \param port a port \return host:port as an ns-3 socket address */
Address
At(const MtpAddress& host, uint16_t port)
{
    return MtpPortMapEndpoint(host, port).ToSocketAddress();
}

/** \return the byte at `i` of the message of RPC `seed` */
uint8_t
Byte(uint32_t seed, uint32_t i)
{
    return uint8_t(seed * 31 + i * 7);
}

/** \return a message of `size` bytes for RPC `seed` */
Ptr<Packet>
Message(uint32_t seed, uint32_t size)
{
    std::vector<uint8_t> b(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        b[i] = Byte(seed, i);
    }
    return Create<Packet>(b.data(), size);
}

/** \return true if `p` is Message(seed, size) */
bool
IsMessage(Ptr<const Packet> p, uint32_t seed, uint32_t size)
{
    if (p->GetSize() != size)
    {
        return false;
    }
    std::vector<uint8_t> b(size);
    p->CopyData(b.data(), size);
    for (uint32_t i = 0; i < size; ++i)
    {
        if (b[i] != Byte(seed, i))
        {
            return false;
        }
    }
    return true;
}

/** B's server: echo every request; the first one, ask who the client really is. */
void
ServerRecv(Ptr<MtpPortMapper> mapper, Ptr<Socket> s)
{
    Ptr<MtpSocket> server = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> p = server->RecvMessage(info))
    {
        if (info.kind != MtpMessageKind::REQUEST)
        {
            continue;
        }
        Address real;
        MtpError e = mapper->GetRemoteInfo(At(g_b, g_wirePort), info.peer, real);
        if (e == MtpError::OK)
        {
            MtpPortMapEndpoint seen;
            MtpPortMapEndpoint really;
            MtpPortMapEndpoint::FromSocketAddress(info.peer, seen);
            MtpPortMapEndpoint::FromSocketAddress(real, really);
            std::cout << Simulator::Now().As(Time::S) << " B: request from " << seen << ", really "
                      << really << " (remote info)" << std::endl;
            g_out.remoteInfoOk = true;
        }
        ++g_out.requestsServed;
        server->SendResponse(p, info.id, info.peer);
    }
}

/** A client: count responses whose content is right. */
void
ClientRecv(std::map<uint64_t, std::pair<uint32_t, uint32_t>>* sent, Ptr<Socket> s)
{
    Ptr<MtpSocket> client = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> p = client->RecvMessage(info))
    {
        auto it = sent->find(info.id);
        if (info.kind == MtpMessageKind::RESPONSE && it != sent->end() &&
            IsMessage(p, it->second.first, it->second.second))
        {
            ++g_out.responses;
        }
        else
        {
            std::cerr << "A: RPC " << info.id << " " << info.kind << " " << info.error << std::endl;
            ++g_out.badResponses;
        }
    }
}

/** A's check of every MTP packet it sends to B. */
void
WireCheck(Ptr<const Packet> p)
{
    Ptr<Packet> copy = p->Copy();
    PppHeader ppp;
    copy->RemoveHeader(ppp);
    MtpAddress dst;
    uint8_t protocol = 0;
    if (ppp.GetProtocol() == 0x0057) // IPv6
    {
        Ipv6Header ip6;
        copy->RemoveHeader(ip6);
        dst = MtpAddress(ip6.GetDestination());
        protocol = ip6.GetNextHeader();
    }
    else
    {
        Ipv4Header ip;
        copy->RemoveHeader(ip);
        dst = MtpAddress(ip.GetDestination());
        protocol = ip.GetProtocol();
    }
    if (protocol != 146 || !(dst == g_b) || copy->GetSize() < 4)
    {
        return;
    }
    uint8_t b[4];
    copy->CopyData(b, 4);
    uint16_t dport = (b[2] << 8) | b[3];
    if (dport == g_wirePort)
    {
        ++g_out.wireToMapped;
    }
    else if (dport == g_serverPort)
    {
        ++g_out.wireToUnmapped;
    }
}

/** A client on A: query B:100 through the mapper, then send `rpcs` RPCs. */
struct Client
{
    Ptr<MtpSocket> socket;                                  //!< the socket
    std::map<uint64_t, std::pair<uint32_t, uint32_t>> sent; //!< id -> (seed, size)
    uint32_t rpcs = 0;                                      //!< RPCs to send
    uint32_t size = 0;                                      //!< request size
    uint32_t firstSeed = 0;                                 //!< seed of the first RPC

    /** The query ended: send the RPCs. \param e error \param info mapping */
    void Queried(MtpError e, const MtpPortMapInfo& info)
    {
        std::cout << Simulator::Now().As(Time::S) << " A: query " << info.remote << " -> "
                  << info.mappedRemote << ": " << MtpErrorName(e) << std::endl;
        if (e != MtpError::OK)
        {
            return;
        }
        ++g_out.queriesOk;
        g_out.mappedB.insert(info.mappedRemote.port);
        for (uint32_t i = 0; i < rpcs; ++i)
        {
            uint32_t seed = firstSeed + i;
            uint64_t id = socket->SendRequest(Message(seed, size), At(g_b, g_serverPort));
            sent[id] = std::make_pair(seed, size);
        }
    }
};

/** The query to C ended. \param e error \param info mapping */
void
QueriedC(MtpError e, const MtpPortMapInfo& info)
{
    g_out.queryCDone = true;
    g_out.queryC = e;
    g_out.queryCTime = Simulator::Now();
    std::cout << Simulator::Now().As(Time::S) << " A: query " << info.remote << ": ";
    if (e == MtpError::TIMEDOUT)
    {
        std::cout << "error: the port-mapper daemon of " << info.remote.addr << " did not answer; ";
    }
    std::cout << MtpErrorName(e) << " (" << MtpErrorString(e) << ")" << std::endl;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t rpcs = 5;
    uint32_t size = 3000;
    bool pcap = false;
    bool ipv6 = false;
    std::string pcapPrefix;
    Time timeout = Seconds(10);
    uint32_t retries = 3;
    CommandLine cmd(__FILE__);
    cmd.AddValue("rpcs", "RPCs per client", rpcs);
    cmd.AddValue("size", "request size in bytes", size);
    cmd.AddValue("pcap", "write a pcap per device, <pcapPrefix>-<node>-<device>.pcap", pcap);
    cmd.AddValue("pcapPrefix",
                 "path prefix of the pcaps (implies --pcap; default mtp-port-mapper)",
                 pcapPrefix);
    cmd.AddValue("ipv6", "IPv6 sites (RPCs and daemons over IPv6)", ipv6);
    cmd.AddValue("timeout", "daemon RequestTimeout", timeout);
    cmd.AddValue("retries", "daemon Retries", retries);
    cmd.Parse(argc, argv);
    if (size == 0 || size > 1000000 || rpcs == 0 || !timeout.IsStrictlyPositive())
    {
        std::cerr << "need --rpcs >= 1, 1 <= --size <= 1000000, --timeout > 0" << std::endl;
        return 2;
    }
    pcap = pcap || !pcapPrefix.empty();
    if (pcapPrefix.empty())
    {
        pcapPrefix = "mtp-port-mapper";
    }

    NodeContainer sites;
    sites.Create(3);
    Ptr<Node> router = CreateObject<Node>();
    InternetStackHelper internet;
    if (ipv6)
    {
        Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));
        internet.SetIpv4StackInstall(false);
    }
    else
    {
        internet.SetIpv6StackInstall(false);
    }
    internet.Install(sites);
    internet.Install(router);
    MtpStackHelper mtp;
    mtp.Install(sites);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("10us"));
    std::vector<NetDeviceContainer> links;
    for (uint32_t i = 0; i < 3; ++i)
    {
        links.push_back(p2p.Install(sites.Get(i), router));
        std::ostringstream net;
        MtpAddress* site = i == 0 ? &g_a : i == 1 ? &g_b : &g_c;
        if (ipv6)
        {
            net << "2001:" << i + 1 << "::";
            Ipv6AddressHelper v6;
            v6.SetBase(Ipv6Address(net.str().c_str()), Ipv6Prefix(64));
            Ipv6InterfaceContainer ifs = v6.Assign(links.back());
            ifs.SetForwarding(1, true);
            ifs.SetDefaultRouteInAllNodes(1);
            *site = MtpAddress(ifs.GetAddress(0, 1));
            continue;
        }
        net << "10.1." << i + 1 << ".0";
        Ipv4AddressHelper v4;
        v4.SetBase(net.str().c_str(), "255.255.255.0");
        *site = MtpAddress(v4.Assign(links.back()).GetAddress(0));
    }
    if (!ipv6)
    {
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }
    if (pcap)
    {
        p2p.EnablePcapAll(pcapPrefix);
    }

    MtpPortMapperHelper pm;
    pm.SetDaemonAttribute("RequestTimeout", TimeValue(timeout));
    pm.SetDaemonAttribute("Retries", UintegerValue(retries));
    Ptr<MtpPortMapperDaemon> daemonA = pm.Install(sites.Get(0));
    Ptr<MtpPortMapperDaemon> daemonB = pm.Install(sites.Get(1));
    pm.InstallMapper(sites.Get(2)); // C: a mapper, no daemon to answer
    Ptr<MtpPortMapper> mapperA = sites.Get(0)->GetObject<MtpPortMapper>();
    Ptr<MtpPortMapper> mapperB = sites.Get(1)->GetObject<MtpPortMapper>();
    links[0].Get(0)->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&WireCheck));

    Ptr<MtpSocket> server =
        DynamicCast<MtpSocket>(Socket::CreateSocket(sites.Get(1), MtpSocketFactory::GetTypeId()));
    server->SetRecvCallback(MakeBoundCallback(&ServerRecv, mapperB));
    Client c1;
    Client c2;
    for (Client* c : {&c1, &c2})
    {
        c->socket = DynamicCast<MtpSocket>(
            Socket::CreateSocket(sites.Get(0), MtpSocketFactory::GetTypeId()));
        c->socket->SetRecvCallback(MakeBoundCallback(&ClientRecv, &c->sent));
        c->rpcs = rpcs;
        c->size = size;
    }
    c2.firstSeed = rpcs;

    auto query = [mapperA](Client* c) {
        mapperA->Register();
        Address local = At(g_a, c->socket->GetDefaultPort());
        MtpError e = mapperA->AddAndQueryMapping(local,
                                                 At(g_b, g_serverPort),
                                                 MTP_PORTMAP_NO_PORT_MAP,
                                                 MakeCallback(&Client::Queried, c));
        if (e != MtpError::OK)
        {
            std::cerr << "A: add-and-query refused: " << MtpErrorName(e) << std::endl;
        }
    };
    Simulator::Schedule(Seconds(1), [&]() {
        mapperB->Register();
        Address any = ipv6 ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), g_serverPort))
                           : Address(InetSocketAddress(Ipv4Address::GetAny(), g_serverPort));
        if (server->Bind(any) != 0)
        {
            std::cerr << "B: bind failed: " << MtpErrorName(server->GetMtpErrno()) << std::endl;
            return;
        }
        Address name;
        server->GetSockName(name);
        g_wirePort = InetSocketAddress::ConvertFrom(name).GetPort();
        std::cout << Simulator::Now().As(Time::S) << " B: server port " << g_serverPort
                  << " mapped to " << g_wirePort << std::endl;
        query(&c1);
    });
    Simulator::Schedule(Seconds(3), [&]() {
        std::cout << Simulator::Now().As(Time::S) << " B: daemon stops" << std::endl;
        daemonB->Stop();
    });
    Simulator::Schedule(Seconds(3.5), [&]() {
        daemonB->Start();
        std::cout << Simulator::Now().As(Time::S) << " B: daemon restarted, "
                  << daemonB->GetTable().Size() << " mapping(s) replayed" << std::endl;
    });
    Simulator::Schedule(Seconds(4), [&]() { query(&c2); });
    Simulator::Schedule(Seconds(5), [&]() {
        mapperA->AddAndQueryMapping(At(g_a, 300),
                                    At(g_c, g_serverPort),
                                    MTP_PORTMAP_NONE,
                                    MakeCallback(&QueriedC));
    });
    Simulator::Run();
    Simulator::Destroy();

    Time wantC = Seconds(5) + timeout * (retries + 1);
    std::cout << "responses " << g_out.responses << "/" << 2 * rpcs << ", served "
              << g_out.requestsServed << ", A->B MTP packets to mapped port " << g_out.wireToMapped
              << ", to port " << g_serverPort << " " << g_out.wireToUnmapped << std::endl;
    bool ok = true;
    auto check = [&ok](bool cond, const char* what) {
        if (!cond)
        {
            std::cerr << "FAILED: " << what << std::endl;
            ok = false;
        }
    };
    check(g_wirePort != 0 && g_wirePort != g_serverPort, "B's server port is mapped");
    check(g_out.queriesOk == 2, "both queries to B answered");
    check(g_out.mappedB.size() == 1 && *g_out.mappedB.begin() == g_wirePort,
          "the same mapped port before and after B's daemon restart");
    check(g_out.responses == 2 * rpcs && g_out.badResponses == 0, "every RPC completed");
    check(g_out.remoteInfoOk, "B learned A's real endpoint");
    check(g_out.wireToMapped > 0 && g_out.wireToUnmapped == 0, "only the mapped port on the wire");
    check(g_out.queryCDone && g_out.queryC == MtpError::TIMEDOUT && g_out.queryCTime == wantC,
          "the query to C's silent daemon fails with ETIMEDOUT after the retries");
    return ok ? 0 : 1;
}
