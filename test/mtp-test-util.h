/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared scaffolding for MTP's system tests: a small routed network
 * (clients -- router -- server, IPv4 or IPv6), deterministic message
 * content, and an echo server that records how often it executed each
 * request.  Not a test suite itself.
 */

#ifndef MTP_TEST_UTIL_H
#define MTP_TEST_UTIL_H

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv6-address-helper.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket-factory.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-stack-helper.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <map>
#include <sstream>
#include <vector>

namespace ns3
{
namespace mtptest
{

/** Byte i of a message identified by `seed`: varies with both, so misplaced bytes show. */
inline uint8_t
PatternByte(uint32_t seed, uint32_t i)
{
    uint32_t x = seed * 2654435761u + i * 40503u;
    return static_cast<uint8_t>((x >> 13) ^ (i >> 9) ^ seed);
}

/**
 * A message of `size` bytes: its first four bytes hold `seed` (little
 * endian, truncated for shorter messages), the rest PatternByte(seed, i).
 */
inline Ptr<Packet>
MakePattern(uint32_t seed, uint32_t size)
{
    std::vector<uint8_t> buf(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        buf[i] = i < 4 ? static_cast<uint8_t>(seed >> (8 * i)) : PatternByte(seed, i);
    }
    return Create<Packet>(buf.data(), size);
}

/** The bytes of a packet. */
inline std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> v(p->GetSize());
    p->CopyData(v.data(), v.size());
    return v;
}

/** True if `p` is exactly MakePattern(seed, size). */
inline bool
IsPattern(Ptr<const Packet> p, uint32_t seed, uint32_t size)
{
    return p && Bytes(p) == Bytes(MakePattern(seed, size));
}

/**
 * clients -- router -- server over point-to-point links, IPv4 or IPv6, MTP
 * on every host.  Build() must be called after setting the public knobs.
 */
struct Network
{
    uint32_t nClients = 1;       //!< client hosts
    bool ipv6 = false;           //!< address family
    std::string rate = "10Gbps"; //!< link rate
    std::string delay = "1us";   //!< per-link delay
    std::string queue;           //!< device queue MaxSize (e.g. "100000p"); empty: ns-3's default
    MtpStackHelper mtp;          //!< configure before Build()

    NodeContainer clients;                       //!< client hosts
    Ptr<Node> router;                            //!< the router
    Ptr<Node> server;                            //!< the server host
    NetDeviceContainer serverLink;               //!< server side [0], router side [1]
    std::vector<NetDeviceContainer> clientLinks; //!< client side [0], router side [1]
    std::vector<Address> clientAddrs;            //!< client host addresses (port 0)
    Address serverHost;                          //!< server host address (port 0)

    /** Create nodes, links, addresses, routes and MTP. */
    void Build()
    {
        Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));
        clients.Create(nClients);
        router = CreateObject<Node>();
        server = CreateObject<Node>();
        InternetStackHelper internet;
        if (ipv6)
        {
            internet.SetIpv4StackInstall(false);
        }
        else
        {
            internet.SetIpv6StackInstall(false);
        }
        internet.Install(clients);
        internet.Install(router);
        internet.Install(server);
        mtp.Install(clients);
        mtp.Install(server);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        p2p.SetChannelAttribute("Delay", StringValue(delay));
        if (!queue.empty())
        {
            p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue(queue));
        }
        for (uint32_t i = 0; i <= nClients; ++i)
        {
            Ptr<Node> host = i < nClients ? clients.Get(i) : server;
            NetDeviceContainer link = p2p.Install(host, router);
            Address hostAddr;
            if (ipv6)
            {
                std::ostringstream net;
                net << "2001:" << i + 1 << "::";
                Ipv6AddressHelper v6;
                v6.SetBase(Ipv6Address(net.str().c_str()), Ipv6Prefix(64));
                Ipv6InterfaceContainer ifs = v6.Assign(link);
                ifs.SetForwarding(1, true);
                ifs.SetDefaultRouteInAllNodes(1);
                hostAddr = Inet6SocketAddress(ifs.GetAddress(0, 1), 0);
            }
            else
            {
                std::ostringstream net;
                net << "10.1." << i + 1 << ".0";
                Ipv4AddressHelper v4;
                v4.SetBase(net.str().c_str(), "255.255.255.0");
                Ipv4InterfaceContainer ifs = v4.Assign(link);
                hostAddr = InetSocketAddress(ifs.GetAddress(0), 0);
            }
            if (i < nClients)
            {
                clientLinks.push_back(link);
                clientAddrs.push_back(hostAddr);
            }
            else
            {
                serverLink = link;
                serverHost = hostAddr;
            }
        }
        if (!ipv6)
        {
            Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        }
    }

    /** \return the server's address with `port` */
    Address ServerAddress(uint16_t port) const
    {
        return HostAddress(serverHost, port);
    }

    /**
     * \param host a host address of this network (port 0: clientAddrs, serverHost)
     * \param port a port
     * \return the host's address with `port`
     */
    Address HostAddress(const Address& host, uint16_t port) const
    {
        if (ipv6)
        {
            return Inet6SocketAddress(Inet6SocketAddress::ConvertFrom(host).GetIpv6(), port);
        }
        return InetSocketAddress(InetSocketAddress::ConvertFrom(host).GetIpv4(), port);
    }

    /** \return a new MTP socket on `node` */
    static Ptr<MtpSocket> Socket(Ptr<Node> node)
    {
        return DynamicCast<MtpSocket>(
            ns3::Socket::CreateSocket(node, MtpSocketFactory::GetTypeId()));
    }
};

/** The seed of a MakePattern message of at least 4 bytes. */
inline uint32_t
SeedOf(Ptr<const Packet> p)
{
    if (p->GetSize() < 4)
    {
        return 0;
    }
    uint8_t b[4];
    p->CopyData(b, 4);
    return b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
}

/**
 * A test server.  With responseSize 0 it echoes each request byte for byte;
 * otherwise it answers MakePattern(SeedOf(request) + 1, responseSize).  It
 * counts executions per (client, id), so tests can check at-most-once.
 */
struct PatternServer
{
    Ptr<MtpSocket> socket;                                           //!< the server socket
    uint32_t responseSize = 0;                                       //!< 0 = echo
    std::map<std::pair<std::string, uint64_t>, uint32_t> executions; //!< per request
    uint32_t requests = 0;             //!< requests (and one-way messages) received
    std::vector<Ptr<Packet>> received; //!< every message received, in order

    /** Open the socket on `node`, bound to `port`. */
    void Start(Ptr<Node> node, uint16_t port)
    {
        socket = Network::Socket(node);
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        socket->SetRecvCallback(MakeCallback(&PatternServer::OnRecv, this));
    }

    /** Receive callback. */
    void OnRecv(Ptr<ns3::Socket>)
    {
        MtpRecvInfo info;
        while (Ptr<Packet> req = socket->RecvMessage(info))
        {
            ++requests;
            received.push_back(req);
            std::ostringstream who;
            who << info.peer;
            ++executions[{who.str(), info.id}];
            if (info.kind != MtpMessageKind::REQUEST)
            {
                continue;
            }
            Ptr<Packet> resp =
                responseSize ? MakePattern(SeedOf(req) + 1, responseSize) : req->Copy();
            resp->RemoveAllPacketTags();
            socket->SendResponse(resp, info.id, info.peer);
        }
    }
};

/**
 * A test client: starts RPCs and collects the outcome of each by id.
 */
struct Client
{
    Ptr<MtpSocket> socket;                     //!< the client socket
    std::map<uint64_t, Ptr<Packet>> responses; //!< id -> response
    std::map<uint64_t, MtpError> failures;     //!< id -> error
    std::map<uint64_t, Time> latency;          //!< id -> completion time - start

    /** Open the socket on `node`. */
    void Start(Ptr<Node> node)
    {
        socket = Network::Socket(node);
        socket->SetRecvCallback(MakeCallback(&Client::OnRecv, this));
    }

    /** Receive callback. */
    void OnRecv(Ptr<ns3::Socket>)
    {
        MtpRecvInfo info;
        while (true)
        {
            Ptr<Packet> p = socket->RecvMessage(info);
            if (!p && info.error == MtpError::AGAIN)
            {
                return;
            }
            if (p)
            {
                responses[info.id] = p;
            }
            else
            {
                failures[info.id] = info.error;
            }
            latency[info.id] = Simulator::Now() - info.rpcStart;
        }
    }
};

} // namespace mtptest
} // namespace ns3

#endif /* MTP_TEST_UTIL_H */
