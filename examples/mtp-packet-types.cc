/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-packet-types: one client and one server on a point-to-point link,
 * with a scenario that makes MTP send every one of its nine packet types,
 * for pcaps that show them all (and for the Wireshark dissector's test).
 *
 *   client (node 0) ------ server (node 1)      10.1.1.0/24 or 2001:1::/64
 *
 * Which packet comes from where:
 *   DATA         every request and response
 *   GRANT        the server grants the 30000-byte request (more than
 *                UnschedBytes) as it arrives
 *   CUTOFFS      the server tells the client its priority cutoffs (the
 *                client's first DATA carries cutoff version 0)
 *   RESEND       a DATA segment of the 30000-byte request is dropped once at
 *                the server's receiver; the server asks for it again
 *   RPC_UNKNOWN  the whole 500-byte request is dropped once; the client asks
 *                the server for a response with RESEND, the server knows no
 *                such RPC and says so; the client sends the request again
 *   BUSY         the server answers the 700-byte request only after
 *                `--busyDelay`; the client's RESEND in the meantime draws BUSY
 *   NEED_ACK     the server holds each answered RPC until the client acks it,
 *   ACK          asks with NEED_ACK when the client stays silent, and the
 *                client answers with ACK
 *   FREEZE       MTP never sends it (it asks a Linux Homa peer to freeze its
 *                timetrace): the client sends one through a raw IP socket at
 *                the end, so that the pcaps hold all nine types
 *
 * The program prints how many packets of each type were sent and exits with
 * status 1 unless every RPC completed with the right content and all nine
 * types were sent.  `--pcap` writes mtp-packet-types-<node>-1.pcap;
 * `--record=FILE` writes every MTP packet the two nodes send as
 * MtpWireRecorder parses it (test/wireshark/check-dissector.py compares
 * the Wireshark dissector's output with it).
 *
 *   ./ns3 run "mtp-packet-types --pcap"
 *   tshark -X lua_script:tools/wireshark/mtp.lua -r mtp-packet-types-0-1.pcap
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <array>
#include <iostream>
#include <map>
#include <set>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpPacketTypes");

namespace
{

constexpr uint32_t GRANTED_REQUEST =
    30000;                              //!< request size that needs grants (and loses a segment)
constexpr uint32_t LOST_REQUEST = 500;  //!< request size whose only packet is lost once
constexpr uint32_t SLOW_REQUEST = 700;  //!< request size the server answers late
constexpr uint32_t RESPONSE_SIZE = 100; //!< every response's size
constexpr uint16_t SERVER_PORT = 100;   //!< the server's MTP port

/**
 * \brief A receive error model for the scenario: drops, once each, the first DATA
 *        packet of a GRANTED_REQUEST message at a non-zero offset and the first DATA
 *        packet of a LOST_REQUEST message.  Sees point-to-point frames (PPP header,
 *        then IPv4 or IPv6, then MTP).
 */
class ScenarioLoss : public ErrorModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::MtpPacketTypesScenarioLoss")
                                .SetParent<ErrorModel>()
                                .AddConstructor<ScenarioLoss>();
        return tid;
    }

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> copy = p->Copy();
        PppHeader ppp;
        copy->RemoveHeader(ppp);
        if (ppp.GetProtocol() == 0x0021)
        {
            Ipv4Header ip;
            copy->RemoveHeader(ip);
        }
        else
        {
            Ipv6Header ip;
            copy->RemoveHeader(ip);
        }
        MtpHeader common;
        if (MtpHeader::Peek(copy, common) != MtpDropReason::NONE ||
            common.GetType() != MtpPacketType::DATA)
        {
            return false;
        }
        MtpDataHeader data;
        copy->RemoveHeader(data);
        const bool lostSegment =
            data.GetMessageLength() == GRANTED_REQUEST && data.GetSequence() > 0;
        const bool lostRequest = data.GetMessageLength() == LOST_REQUEST;
        if ((lostSegment || lostRequest) && m_dropped.insert(data.GetMessageLength()).second)
        {
            std::cout << "dropping DATA of the " << data.GetMessageLength()
                      << "-byte request at offset " << data.GetSequence() << "\n";
            return true;
        }
        return false;
    }

    void DoReset() override
    {
        m_dropped.clear();
    }

    std::set<uint32_t> m_dropped; //!< message lengths already dropped once
};

NS_OBJECT_ENSURE_REGISTERED(ScenarioLoss);

Time g_busyDelay = MilliSeconds(8); //!< how long the server sits on SLOW_REQUEST
std::array<uint32_t, 9> g_sent{};   //!< packets sent per type (code - 0x10)
uint32_t g_completed = 0;           //!< RPCs answered with the right content
std::set<uint64_t> g_outstanding;   //!< client RPC ids not answered yet

/** Count one sent packet by its type (MtpL4Protocol Tx trace sink). */
void
CountTx(Ptr<const Packet> p, const Address& to, uint8_t priority)
{
    MtpHeader common;
    if (MtpHeader::Peek(p, common) == MtpDropReason::NONE)
    {
        ++g_sent.at(common.GetTypeCode() - static_cast<uint8_t>(MtpPacketType::DATA));
    }
}

/** A message of `size` bytes, every byte `fill`. */
Ptr<Packet>
Message(uint32_t size, uint8_t fill)
{
    std::vector<uint8_t> bytes(size, fill);
    return Create<Packet>(bytes.data(), size);
}

/** Server: answer a request (the response is filled with the request's size mod 251). */
void
Answer(Ptr<MtpSocket> socket, uint64_t id, Address client, uint32_t requestSize)
{
    socket->SendResponse(Message(RESPONSE_SIZE, requestSize % 251), id, client);
}

/** Server: answer every request at once, except SLOW_REQUEST after g_busyDelay. */
void
ServerRecv(Ptr<Socket> s)
{
    Ptr<MtpSocket> socket = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> request = socket->RecvMessage(info))
    {
        const uint32_t size = request->GetSize();
        const Time delay = size == SLOW_REQUEST ? g_busyDelay : Time(0);
        Simulator::Schedule(delay, &Answer, socket, info.id, info.peer, size);
    }
}

/** Client: check each response's content. */
void
ClientRecv(std::map<uint64_t, uint32_t>* sizes, Ptr<Socket> s)
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
        auto it = sizes->find(info.id);
        if (!response || it == sizes->end() || response->GetSize() != RESPONSE_SIZE)
        {
            std::cout << "rpc " << info.id << " failed: " << MtpErrorName(info.error) << "\n";
            continue;
        }
        std::vector<uint8_t> bytes(RESPONSE_SIZE);
        response->CopyData(bytes.data(), RESPONSE_SIZE);
        const bool ok = std::all_of(bytes.begin(), bytes.end(), [&](uint8_t b) {
            return b == it->second % 251;
        });
        std::cout << "t=" << Simulator::Now().As(Time::US) << " rpc " << info.id << " ("
                  << it->second << "-byte request) " << (ok ? "ok" : "BAD-CONTENT") << "\n";
        if (ok)
        {
            ++g_completed;
            g_outstanding.erase(info.id);
        }
    }
}

/** Client: start one RPC. */
void
Request(Ptr<MtpSocket> socket, Address server, uint32_t size, std::map<uint64_t, uint32_t>* sizes)
{
    const uint64_t id = socket->SendRequest(Message(size, 0x5a), server);
    if (id == 0)
    {
        std::cout << "SendRequest failed: " << MtpErrorName(socket->GetMtpErrno()) << "\n";
        return;
    }
    (*sizes)[id] = size;
    g_outstanding.insert(id);
}

/**
 * Client: send a FREEZE through a raw IP socket of MTP's protocol number.  With
 * ns-3's ChecksumEnabled on it carries the checksum MTP would write (pseudo:
 * the client's and the server's addresses), like every other packet.
 */
void
SendFreeze(Ptr<Socket> raw, Address to, uint16_t sport, MtpPseudoHeader pseudo)
{
    MtpFreezeHeader h;
    h.SetSourcePort(sport);
    h.SetDestinationPort(SERVER_PORT);
    if (Node::ChecksumEnabled())
    {
        h.EnableChecksum(pseudo);
    }
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    if (raw->SendTo(p, 0, to) >= 0)
    {
        ++g_sent.at(static_cast<uint8_t>(MtpPacketType::FREEZE) -
                    static_cast<uint8_t>(MtpPacketType::DATA));
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    bool ipv6 = false;
    bool pcap = false;
    std::string record;
    uint32_t ipProtocol = MtpL4Protocol::DEFAULT_PROT_NUMBER;

    CommandLine cmd(__FILE__);
    cmd.AddValue("ipv6", "use IPv6 instead of IPv4", ipv6);
    cmd.AddValue("pcap", "write pcap traces mtp-packet-types-<node>-1.pcap", pcap);
    cmd.AddValue("record", "write every MTP packet sent to this file (MtpWireRecorder)", record);
    cmd.AddValue("busyDelay",
                 "how long the server takes to answer the 700-byte request",
                 g_busyDelay);
    cmd.AddValue("ipProtocol",
                 "IP protocol number of MTP (MtpL4Protocol::IpProtocolNumber)",
                 ipProtocol);
    cmd.Parse(argc, argv);
    if (ipProtocol < 1 || ipProtocol > 254)
    {
        std::cerr << "--ipProtocol must be 1..254\n";
        return 2;
    }
    Config::SetDefault("ns3::MtpL4Protocol::IpProtocolNumber", UintegerValue(ipProtocol));
    Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));

    NodeContainer nodes(2);
    InternetStackHelper internet;
    internet.Install(nodes);
    MtpStackHelper mtp;
    mtp.Install(nodes);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    p2p.SetChannelAttribute("Delay", TimeValue(MicroSeconds(1)));
    NetDeviceContainer link = p2p.Install(nodes);
    link.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(CreateObject<ScenarioLoss>()));

    Address server;
    Address serverRaw;
    MtpPseudoHeader freezePseudo; // client -> server, for the FREEZE's checksum
    if (ipv6)
    {
        Ipv6AddressHelper v6;
        v6.SetBase(Ipv6Address("2001:1::"), Ipv6Prefix(64));
        Ipv6InterfaceContainer ifs = v6.Assign(link);
        server = Inet6SocketAddress(ifs.GetAddress(1, 1), SERVER_PORT);
        serverRaw = Inet6SocketAddress(ifs.GetAddress(1, 1), 0);
        freezePseudo = MtpPseudoHeader(ifs.GetAddress(0, 1), ifs.GetAddress(1, 1));
    }
    else
    {
        Ipv4AddressHelper v4("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer ifs = v4.Assign(link);
        server = InetSocketAddress(ifs.GetAddress(1), SERVER_PORT);
        serverRaw = InetSocketAddress(ifs.GetAddress(1), 0);
        freezePseudo = MtpPseudoHeader(ifs.GetAddress(0), ifs.GetAddress(1));
    }
    if (pcap)
    {
        p2p.EnablePcapAll("mtp-packet-types");
    }
    Ptr<MtpWireRecorder> recorder;
    if (!record.empty())
    {
        recorder = Create<MtpWireRecorder>(record);
        if (!recorder->IsOpen())
        {
            std::cerr << "cannot write " << record << "\n";
            return 2;
        }
        recorder->Install(nodes);
    }
    for (uint32_t n = 0; n < 2; ++n)
    {
        nodes.Get(n)->GetObject<MtpL4Protocol>()->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(&CountTx));
    }

    Ptr<MtpSocket> serverSocket =
        DynamicCast<MtpSocket>(Socket::CreateSocket(nodes.Get(1), MtpSocketFactory::GetTypeId()));
    if (serverSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), SERVER_PORT)) < 0)
    {
        std::cerr << "server bind failed: " << MtpErrorName(serverSocket->GetMtpErrno()) << "\n";
        return 1;
    }
    serverSocket->SetRecvCallback(MakeCallback(&ServerRecv));

    std::map<uint64_t, uint32_t> sizes;
    Ptr<MtpSocket> client =
        DynamicCast<MtpSocket>(Socket::CreateSocket(nodes.Get(0), MtpSocketFactory::GetTypeId()));
    client->SetRecvCallback(MakeBoundCallback(&ClientRecv, &sizes));
    Simulator::Schedule(MicroSeconds(10), &Request, client, server, GRANTED_REQUEST, &sizes);
    Simulator::Schedule(MicroSeconds(20), &Request, client, server, LOST_REQUEST, &sizes);
    Simulator::Schedule(MicroSeconds(30), &Request, client, server, SLOW_REQUEST, &sizes);

    Address clientName;
    client->GetSockName(clientName);
    const uint16_t clientPort = InetSocketAddress::ConvertFrom(clientName).GetPort();
    Ptr<Socket> raw = Socket::CreateSocket(nodes.Get(0),
                                           ipv6 ? Ipv6RawSocketFactory::GetTypeId()
                                                : Ipv4RawSocketFactory::GetTypeId());
    raw->SetAttribute("Protocol", UintegerValue(ipProtocol));
    Simulator::Schedule(MilliSeconds(100), &SendFreeze, raw, serverRaw, clientPort, freezePseudo);

    Simulator::Run();

    bool allTypes = true;
    std::cout << "packets sent by type:";
    for (uint8_t i = 0; i < g_sent.size(); ++i)
    {
        const auto type = static_cast<MtpPacketType>(static_cast<uint8_t>(MtpPacketType::DATA) + i);
        std::cout << " " << type << "=" << g_sent[i];
        allTypes = allTypes && g_sent[i] > 0;
    }
    std::cout << "\ncompleted " << g_completed << " of 3 RPCs, " << g_outstanding.size()
              << " unanswered\n";
    Simulator::Destroy();
    return allTypes && g_completed == 3 && g_outstanding.empty() ? 0 : 1;
}
