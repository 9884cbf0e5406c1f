/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-fuzz-receive: libFuzzer harness for the whole receive path of an MTP
 * node, from the IP payload up: MtpL4Protocol::Receive (IPv4 and IPv6),
 * checksum, validation, socket lookup, the host path, the transport stack
 * (Homa, unsched or pHost) and the RPC state it acts on.
 *
 * Each input builds a fresh two-node network (client -- server over a
 * point-to-point link, IPv4 and IPv6, MTP on both; both sockets answer
 * every request with its own bytes) and starts three RPCs: a 100-byte and a
 * 30000-byte one (scheduled: it needs GRANTs, and so does its response) at
 * once, and a 20000-byte one 1 ms later.  While they are in flight the input
 * is handed to one node's MtpL4Protocol::Receive as an IP payload of
 * protocol 146, and the simulation runs on.  Building the network afresh for
 * every input keeps each run independent of the ones before, so any input
 * libFuzzer saves replays alone.
 *
 * Input layout (bytes 0..2 steer the harness; the rest is the packet):
 *   byte 0  bit 0     IPv6 (else IPv4)
 *           bit 1     deliver to the client (else to the server)
 *           bit 2     source address is a stranger host (else the peer)
 *           bit 3     rewrite the ports and RPC id of the packet (when it
 *                     is long enough) to those of a live RPC, as its peer
 *                     would send them
 *           bit 4     that RPC is the 30000-byte one (else the 100-byte one)
 *           bits 5-6  stack of both sockets: homa, unsched, phost, homa
 *   byte 1  when the packet arrives: byte * 250 ns after the RPCs start
 *   byte 2  IP priority (low 3 bits: IPv4 TOS / IPv6 traffic class >> 5)
 *   byte 3- the MTP packet: header, then payload
 *
 * Properties checked (a violation aborts, which libFuzzer reports):
 *  - Receive gives exactly one verdict: the packet is dropped (one drop
 *    counted, nothing counted as received) or accepted (one packet of its
 *    type counted as received, no drop);
 *  - the drop reason is the one the bytes call for whenever the bytes alone
 *    decide it: TRUNCATED (shorter than the common header, or than its
 *    type's header), UNKNOWN_TYPE, NO_SOCKET (no socket on the port),
 *    BAD_LENGTH / BAD_OFFSET (DATA whose segment does not fit its message),
 *    BAD_ACK_COUNT (ACK claiming more than five acks).  (A NEED_ACK with a
 *    client's id is accepted: the sender of a one-way message asks for its
 *    ack, MtpL4Protocol's OneWayAnswer=Ack);
 *  - a packet dropped for one of those reasons changes nothing: every RPC
 *    completes with the right response, byte for byte;
 *  - whatever the packet, every RPC ends (response or error), and the
 *    network falls idle (no event left) within 2 s of simulated time.
 * Memory errors and undefined behaviour are caught by ASan/UBSan.
 * See doc/testing.rst for how to run it.
 */

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/icmpv6-l4-protocol.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv6-address-helper.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-interface.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/mtp-error.h"
#include "ns3/mtp-header.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-metrics.h"
#include "ns3/mtp-socket-factory.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-stack-helper.h"
#include "ns3/node-container.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

using namespace ns3;

namespace
{

/** Stop the run (libFuzzer saves the input) when a property does not hold. */
void
Require(bool ok, const char* what)
{
    if (!ok)
    {
        std::fprintf(stderr, "mtp-fuzz-receive: property violated: %s\n", what);
        std::abort();
    }
}

/** Port the server socket binds. */
constexpr uint16_t SERVER_PORT = 99;
/** When the third RPC starts, after the first two. */
const Time LATE_START = MicroSeconds(1000);
/** Simulated time by which every RPC must have ended and the network be idle. */
const Time IDLE_DEADLINE = Seconds(2);

/** The harness's reading of an input's first three bytes. */
struct Steering
{
    bool ipv6 = false;        //!< address family of the RPCs and of the packet
    bool toClient = false;    //!< deliver to the client node (else the server)
    bool stranger = false;    //!< source address is an unknown host
    bool patch = false;       //!< rewrite ports and id to a live RPC's
    bool patchBig = false;    //!< that RPC is the 30000-byte one
    std::string stack;        //!< stack both sockets use
    Time arrival;             //!< when the packet arrives
    uint8_t priority = 0;     //!< IP priority of the packet
    std::vector<uint8_t> mtp; //!< the IP payload
};

/** Decode the steering bytes (see the file comment). */
Steering
Decode(const uint8_t* data, size_t size)
{
    static const char* const stacks[] = {"homa", "unsched", "phost", "homa"};
    Steering s;
    s.ipv6 = (data[0] & 0x01) != 0;
    s.toClient = (data[0] & 0x02) != 0;
    s.stranger = (data[0] & 0x04) != 0;
    s.patch = (data[0] & 0x08) != 0;
    s.patchBig = (data[0] & 0x10) != 0;
    s.stack = stacks[(data[0] >> 5) & 0x03];
    s.arrival = NanoSeconds(250 * static_cast<int64_t>(data[1]));
    s.priority = data[2] & 0x07;
    s.mtp.assign(data + 3, data + size);
    return s;
}

/** One RPC the harness started, and how it ended. */
struct RpcRecord
{
    std::vector<uint8_t> request;  //!< the request bytes (the echo must match them)
    bool ended = false;            //!< a response or a failure was delivered
    bool failed = false;           //!< it ended with an error
    std::vector<uint8_t> response; //!< the response bytes
};

/** The bytes of a packet. */
std::vector<uint8_t>
BytesOf(Ptr<const Packet> p)
{
    std::vector<uint8_t> v(p->GetSize());
    p->CopyData(v.data(), static_cast<uint32_t>(v.size()));
    return v;
}

/** The two-node network of one input, with its sockets and RPCs. */
class World
{
  public:
    /** Build the network; the RPCs use `ipv6` addresses and `stack`. */
    World(bool ipv6, const std::string& stack);

    /** Start the first two RPCs now and the third at LATE_START. */
    void StartRpcs();
    /** Hand `s.mtp` to the chosen node's MtpL4Protocol::Receive and check the verdict. */
    void Inject(const Steering& s);
    /** Check how every RPC ended, once the simulation is over. */
    void CheckOutcome() const;

  private:
    /** Answer every request on `sock`; record responses and failures. */
    void OnRecv(Ptr<Socket> sock);
    /** Start one RPC of `size` bytes from the client. */
    void StartRpc(uint32_t size);
    /** The drop reason the bytes alone call for, or NONE if state decides. */
    MtpDropReason ExpectedDrop(const Steering& s, Ptr<MtpSocket> target) const;
    /** Rewrite ports and id of `bytes` to those of a live RPC (Steering::patch). */
    void Patch(std::vector<uint8_t>& bytes, const Steering& s) const;
    /** Address `node` has in the RPCs' family. */
    Address HostAddress(Ptr<Node> node) const;

    bool m_ipv6;                                    //!< family of the RPCs
    Ptr<Node> m_client;                             //!< the client node
    Ptr<Node> m_server;                             //!< the server node
    Ptr<MtpSocket> m_clientSocket;                  //!< the client's socket
    Ptr<MtpSocket> m_serverSocket;                  //!< the server's socket (bound to SERVER_PORT)
    std::map<uint64_t, RpcRecord> m_rpcs;           //!< the client's RPCs, by id
    std::vector<uint64_t> m_ids;                    //!< ids in start order
    MtpDropReason m_expected = MtpDropReason::NONE; //!< Inject's verdict, if predicted
    bool m_dropped = false;                         //!< Inject's packet was dropped
};

World::World(bool ipv6, const std::string& stack)
    : m_ipv6(ipv6)
{
    m_client = CreateObject<Node>();
    m_server = CreateObject<Node>();
    NodeContainer both(m_client, m_server);
    InternetStackHelper internet;
    internet.Install(both);
    MtpStackHelper mtp;
    mtp.Install(both);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1us"));
    NetDeviceContainer link = p2p.Install(both);
    Ipv4AddressHelper v4;
    v4.SetBase("10.1.1.0", "255.255.255.0");
    v4.Assign(link);
    Ipv6AddressHelper v6;
    v6.SetBase(Ipv6Address("2001:1::"), Ipv6Prefix(64));
    v6.Assign(link);

    auto open = [this, &stack](Ptr<Node> node) {
        Ptr<MtpSocket> s =
            DynamicCast<MtpSocket>(Socket::CreateSocket(node, MtpSocketFactory::GetTypeId()));
        Require(s && s->SetStack(stack) == 0, "socket setup");
        s->SetRecvCallback(MakeCallback(&World::OnRecv, this));
        return s;
    };
    m_clientSocket = open(m_client);
    m_serverSocket = open(m_server);
    Require(m_serverSocket->Bind(
                m_ipv6 ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), SERVER_PORT))
                       : Address(InetSocketAddress(Ipv4Address::GetAny(), SERVER_PORT))) == 0,
            "server bind");
}

Address
World::HostAddress(Ptr<Node> node) const
{
    if (m_ipv6)
    {
        // Interface 1 (after loopback), address 1 (after the link-local one).
        return Inet6SocketAddress(node->GetObject<Ipv6>()->GetAddress(1, 1).GetAddress(), 0);
    }
    return InetSocketAddress(node->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal(), 0);
}

void
World::StartRpc(uint32_t size)
{
    std::vector<uint8_t> bytes(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        bytes[i] = static_cast<uint8_t>(i * 7 + size + (i >> 8));
    }
    Address server = HostAddress(m_server);
    if (m_ipv6)
    {
        server = Inet6SocketAddress(Inet6SocketAddress::ConvertFrom(server).GetIpv6(), SERVER_PORT);
    }
    else
    {
        server = InetSocketAddress(InetSocketAddress::ConvertFrom(server).GetIpv4(), SERVER_PORT);
    }
    uint64_t id = m_clientSocket->SendRequest(Create<Packet>(bytes.data(), size), server);
    Require(id != 0, "SendRequest failed");
    m_rpcs[id].request = bytes;
    m_ids.push_back(id);
}

void
World::StartRpcs()
{
    StartRpc(100);
    StartRpc(30000);
    Simulator::Schedule(LATE_START, &World::StartRpc, this, 20000);
}

void
World::OnRecv(Ptr<Socket> sock)
{
    Ptr<MtpSocket> s = DynamicCast<MtpSocket>(sock);
    MtpRecvInfo info;
    while (true)
    {
        Ptr<Packet> m = s->RecvMessage(info);
        if (!m && info.error == MtpError::AGAIN)
        {
            return;
        }
        if (info.kind == MtpMessageKind::REQUEST)
        {
            s->SendResponse(m, info.id, info.peer);
            continue;
        }
        auto it = m_rpcs.find(info.id);
        if (s != m_clientSocket || it == m_rpcs.end() ||
            (info.kind != MtpMessageKind::RESPONSE && info.kind != MtpMessageKind::FAILED))
        {
            continue; // one-way messages and what the packet made up
        }
        Require(!it->second.ended, "an RPC ended twice");
        it->second.ended = true;
        it->second.failed = info.kind == MtpMessageKind::FAILED;
        if (m)
        {
            it->second.response = BytesOf(m);
        }
    }
}

MtpDropReason
World::ExpectedDrop(const Steering& s, Ptr<MtpSocket> target) const
{
    const std::vector<uint8_t>& b = s.mtp;
    if (b.size() < MtpHeader::COMMON_SIZE)
    {
        return MtpDropReason::TRUNCATED;
    }
    const uint8_t type = b[11];
    if (!MtpIsKnownPacketType(type))
    {
        return MtpDropReason::UNKNOWN_TYPE;
    }
    const auto t = static_cast<MtpPacketType>(type);
    if (b.size() < MtpHeaderSizeForType(t))
    {
        return MtpDropReason::TRUNCATED;
    }
    auto be = [&b](size_t at, size_t n) {
        uint64_t v = 0;
        for (size_t k = 0; k < n; ++k)
        {
            v = (v << 8) | b[at + k];
        }
        return v;
    };
    const uint16_t dport = static_cast<uint16_t>(be(2, 2));
    const bool bound = dport == target->GetDefaultPort() ||
                       (target->GetServerPort() != 0 && dport == target->GetServerPort());
    if (!bound)
    {
        return MtpDropReason::NO_SOCKET;
    }
    if (t == MtpPacketType::DATA)
    {
        const uint64_t length = be(28, 4);
        const uint64_t segOffset = be(52, 4);
        const uint64_t offset = segOffset == 0xFFFFFFFF ? be(4, 4) : segOffset;
        const uint64_t payload = b.size() - MtpDataHeader::SIZE;
        if (length == 0)
        {
            return payload == 0 && offset == 0 ? MtpDropReason::NONE : MtpDropReason::BAD_OFFSET;
        }
        const uint32_t max = target->GetNode()->GetObject<MtpL4Protocol>()->GetMaxMessageLength();
        if (length > max)
        {
            return MtpDropReason::BAD_LENGTH;
        }
        if (payload == 0 || offset + payload > length)
        {
            return MtpDropReason::BAD_OFFSET;
        }
    }
    if (t == MtpPacketType::ACK && be(28, 2) > MtpAckHeader::MAX_ACKS)
    {
        return MtpDropReason::BAD_ACK_COUNT;
    }
    return MtpDropReason::NONE;
}

void
World::Patch(std::vector<uint8_t>& bytes, const Steering& s) const
{
    const uint64_t clientId = m_ids[s.patchBig ? 1 : 0];
    const uint16_t clientPort = m_clientSocket->GetDefaultPort();
    const uint16_t sport = s.toClient ? SERVER_PORT : clientPort;
    const uint16_t dport = s.toClient ? clientPort : SERVER_PORT;
    const uint64_t id = s.toClient ? (clientId | 1) : clientId;
    auto put = [&bytes](size_t at, uint64_t v, size_t n) {
        for (size_t k = 0; k < n && at + k < bytes.size(); ++k)
        {
            bytes[at + k] = static_cast<uint8_t>(v >> (8 * (n - 1 - k)));
        }
    };
    put(0, sport, 2);
    put(2, dport, 2);
    put(20, id, 8);
}

void
World::Inject(const Steering& in)
{
    Steering s = in;
    if (s.patch)
    {
        Patch(s.mtp, s);
    }
    Ptr<Node> target = s.toClient ? m_client : m_server;
    Ptr<Node> peer = s.toClient ? m_server : m_client;
    Ptr<MtpSocket> targetSocket = s.toClient ? m_clientSocket : m_serverSocket;
    Ptr<MtpL4Protocol> l4 = target->GetObject<MtpL4Protocol>();
    m_expected = ExpectedDrop(s, targetSocket);

    Ptr<Packet> p = Create<Packet>(s.mtp.data(), static_cast<uint32_t>(s.mtp.size()));
    const MtpMetrics before = l4->GetMetrics();
    if (s.ipv6)
    {
        Ipv6Header ip;
        ip.SetSource(s.stranger ? Ipv6Address("2001:9::9")
                                : peer->GetObject<Ipv6>()->GetAddress(1, 1).GetAddress());
        ip.SetDestination(target->GetObject<Ipv6>()->GetAddress(1, 1).GetAddress());
        ip.SetNextHeader(MtpL4Protocol::DEFAULT_PROT_NUMBER);
        ip.SetPayloadLength(p->GetSize());
        ip.SetHopLimit(64);
        ip.SetTrafficClass(s.priority << 5);
        l4->Receive(p, ip, target->GetObject<Ipv6L3Protocol>()->GetInterface(1));
    }
    else
    {
        Ipv4Header ip;
        ip.SetSource(s.stranger ? Ipv4Address("10.9.9.9")
                                : peer->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal());
        ip.SetDestination(target->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal());
        ip.SetProtocol(MtpL4Protocol::DEFAULT_PROT_NUMBER);
        ip.SetPayloadSize(p->GetSize());
        ip.SetTtl(64);
        ip.SetTos(s.priority << 5);
        l4->Receive(p, ip, target->GetObject<Ipv4L3Protocol>()->GetInterface(1));
    }
    const MtpMetrics& after = l4->GetMetrics();

    // Exactly one verdict, counted once (the ideal host path processes at once).
    uint64_t drops = 0;
    for (size_t r = 0; r < after.drops.size(); ++r)
    {
        drops += after.drops[r] - before.drops[r];
    }
    uint64_t received = 0;
    for (size_t t = 0; t < after.packetsReceived.size(); ++t)
    {
        received += after.packetsReceived[t] - before.packetsReceived[t];
    }
    Require(drops + received == 1, "not exactly one verdict (drop or receive) for the packet");
    m_dropped = drops == 1;
    if (m_expected != MtpDropReason::NONE)
    {
        const auto r = static_cast<size_t>(m_expected);
        Require(after.drops[r] - before.drops[r] == 1,
                "packet not dropped for the reason its bytes give");
    }
    if (received == 1)
    {
        const int t = MtpMetrics::TypeIndex(static_cast<MtpPacketType>(s.mtp[11]));
        Require(after.packetsReceived[t] - before.packetsReceived[t] == 1,
                "packet counted as received under another type");
    }
}

void
World::CheckOutcome() const
{
    for (uint64_t id : m_ids)
    {
        const RpcRecord& r = m_rpcs.at(id);
        Require(r.ended, "an RPC neither completed nor failed by the deadline");
        if (m_expected != MtpDropReason::NONE)
        {
            // Dropped for what its bytes said: it may not have changed anything.
            Require(!r.failed, "an RPC failed after a packet that was dropped unread");
            Require(r.response == r.request,
                    "wrong response after a packet that was dropped unread");
        }
    }
    Require(m_clientSocket->GetRpcCount() == 0, "the client still holds RPCs at the deadline");
}

/** Called at IDLE_DEADLINE: nothing may be left to do. */
void
CheckIdle()
{
    Require(Simulator::IsFinished(), "the network is not idle by the deadline");
}

/** Once per process: quiet, fast ns-3 settings. */
void
SetDefaultsOnce()
{
    static bool done = false;
    if (!done)
    {
        done = true;
        Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));
    }
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 3 || size > 3 + 65000)
    {
        return -1; // no packet, or more than IP carries: not worth keeping
    }
    SetDefaultsOnce();
    const Steering s = Decode(data, size);
    {
        World world(s.ipv6, s.stack);
        // From an event: nodes are initialized (traffic control scans its devices) at start.
        Simulator::ScheduleNow(&World::StartRpcs, &world);
        Simulator::Schedule(s.arrival, &World::Inject, &world, s);
        Simulator::Schedule(IDLE_DEADLINE, &CheckIdle);
        Simulator::Run();
        world.CheckOutcome();
        Simulator::Destroy();
    }
    return 0;
}
