/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of MTP's priorities and congestion control, seen from the
 * network: the DSCP / traffic class each packet carries past a router, SRPT
 * at a receiver, the overcommitment bound, strict-priority switch queues
 * against FIFO ones, and the sender's NIC-queue bound (the pacer).
 */

#include "../mtp-test-util.h"

#include "ns3/drop-tail-queue.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-queue-disc-item.h"
#include "ns3/mac48-address.h"
#include "ns3/mtp-header.h"
#include "ns3/mtp-prio-queue-disc.h"
#include "ns3/mtp-prio-queue.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-size.h"
#include "ns3/test.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/// Default UnschedBytes of MtpL4Protocol (the tests below do not change it).
constexpr uint32_t UNSCHED_BYTES = 10000;

/// One MTP packet as a router saw it.
struct WirePacket
{
    Time time;                                //!< when it reached the router
    std::string src;                          //!< IP source address, printed
    bool fromServer = false;                  //!< sent by the server host
    uint8_t tos = 0;                          //!< IPv4 TOS or IPv6 traffic class
    MtpPacketType type = MtpPacketType::DATA; //!< MTP packet type
    uint64_t senderId = 0;                    //!< sender_id in the common header
    uint32_t messageLength = 0;               //!< DATA: message length
    uint32_t offset = 0;                      //!< DATA: offset; GRANT: granted offset
    uint32_t incoming = 0;                    //!< DATA: incoming
    uint8_t retransmit = 0;                   //!< DATA: retransmit flag
    uint8_t grantPriority = 0;                //!< GRANT: priority field
};

/**
 * Records every MTP packet a router receives, with the IP header's TOS /
 * traffic class, from the IP layer's Rx trace (which hands over the packet
 * with its IP header still on).
 */
struct RouterTap
{
    std::vector<WirePacket> packets; //!< in arrival order
    std::string serverIp;            //!< the server host's address, printed
    uint32_t malformed = 0;          //!< MTP packets the tap could not parse

    /** Hook the router of `net` (IPv4 or IPv6). */
    void Attach(const Network& net)
    {
        std::ostringstream s;
        if (net.ipv6)
        {
            s << Inet6SocketAddress::ConvertFrom(net.serverHost).GetIpv6();
            net.router->GetObject<Ipv6L3Protocol>()->TraceConnectWithoutContext(
                "Rx",
                MakeCallback(&RouterTap::OnRx6, this));
        }
        else
        {
            s << InetSocketAddress::ConvertFrom(net.serverHost).GetIpv4();
            net.router->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
                "Rx",
                MakeCallback(&RouterTap::OnRx4, this));
        }
        serverIp = s.str();
    }

    /** IPv4 Rx trace. */
    void OnRx4(Ptr<const Packet> packet, Ptr<Ipv4> ipv4, uint32_t interface)
    {
        Ptr<Packet> p = packet->Copy();
        Ipv4Header ip;
        p->RemoveHeader(ip);
        if (ip.GetProtocol() != MtpL4Protocol::DEFAULT_PROT_NUMBER)
        {
            return;
        }
        std::ostringstream src;
        src << ip.GetSource();
        Record(p, src.str(), ip.GetTos());
    }

    /** IPv6 Rx trace. */
    void OnRx6(Ptr<const Packet> packet, Ptr<Ipv6> ipv6, uint32_t interface)
    {
        Ptr<Packet> p = packet->Copy();
        Ipv6Header ip;
        p->RemoveHeader(ip);
        if (ip.GetNextHeader() != MtpL4Protocol::DEFAULT_PROT_NUMBER)
        {
            return;
        }
        std::ostringstream src;
        src << ip.GetSource();
        Record(p, src.str(), ip.GetTrafficClass());
    }

    /** Parse the MTP packet `p` (IP header removed). */
    void Record(Ptr<Packet> p, const std::string& src, uint8_t tos)
    {
        MtpHeader common;
        if (MtpHeader::Peek(p, common) != MtpDropReason::NONE)
        {
            ++malformed;
            return;
        }
        WirePacket w;
        w.time = Simulator::Now();
        w.src = src;
        w.fromServer = src == serverIp;
        w.tos = tos;
        w.type = common.GetType();
        w.senderId = common.GetSenderId();
        if (w.type == MtpPacketType::DATA)
        {
            MtpDataHeader d;
            p->PeekHeader(d);
            w.messageLength = d.GetMessageLength();
            w.offset = d.GetOffset();
            w.incoming = d.GetIncoming();
            w.retransmit = d.GetRetransmit();
        }
        else if (w.type == MtpPacketType::GRANT)
        {
            MtpGrantHeader g;
            p->PeekHeader(g);
            w.offset = g.GetOffset();
            w.grantPriority = g.GetPriority();
        }
        packets.push_back(w);
    }
};

/** \return the priority an MTP packet's TOS byte names (its class selector) */
uint8_t
PrioOf(uint8_t tos)
{
    return tos >> 5;
}

/** The router's ports of a Network: one per client, then the server's. */
NetDeviceContainer
RouterPorts(const Network& net)
{
    NetDeviceContainer ports;
    for (const auto& link : net.clientLinks)
    {
        ports.Add(link.Get(1));
    }
    ports.Add(net.serverLink.Get(1));
    return ports;
}

/**
 * Make a router port's own device queue hold one packet, so that packets
 * wait (and are ordered) in the queue disc above it, not in the device's FIFO.
 */
void
ShrinkDeviceQueue(Ptr<NetDevice> dev)
{
    Ptr<PointToPointNetDevice> p2p = DynamicCast<PointToPointNetDevice>(dev);
    NS_ABORT_MSG_UNLESS(p2p, "not a point-to-point device");
    p2p->GetQueue()->SetMaxSize(QueueSize("1p"));
}

// ---------------------------------------------------------------------------
// 1. Priorities on the wire
// ---------------------------------------------------------------------------

/**
 * A client sends requests of 100, 2000, 10000 and 500000 bytes; at the router,
 * the IP header of each packet must carry MTP's priority as a class selector:
 * unscheduled DATA at CS7, CS6, CS5 and CS4 (the default cutoffs
 * 200/2800/15000/1000000), GRANTs and every other control packet at CS7,
 * scheduled DATA of the 500 KB request at a scheduled level (0..3) that a
 * GRANT of that message named.
 */
class MtpWirePrioritiesTestCase : public TestCase
{
  public:
    /** \param ipv6 run over IPv6 (traffic class) instead of IPv4 (TOS) */
    explicit MtpWirePrioritiesTestCase(bool ipv6)
        : TestCase(ipv6 ? "IPv6 traffic class carries MTP priorities past a router"
                        : "IPv4 DSCP class selector carries MTP priorities past a router"),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        RouterTap tap;
        tap.Attach(net);
        PatternServer server;
        server.responseSize = 8; // every response is a one-packet CS7 message
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));

        // Message length -> expected unscheduled priority.
        const std::map<uint32_t, uint8_t> expected = {{100, 7}, {2000, 6}, {10000, 5}, {500000, 4}};
        std::map<uint64_t, uint32_t> lengthOf; // client RPC id -> request length
        uint32_t k = 0;
        for (const auto& kv : expected)
        {
            uint32_t size = kv.first;
            Simulator::Schedule(MicroSeconds(10 * ++k), [&, size]() {
                uint64_t id =
                    client.socket->SendRequest(MakePattern(size, size), net.ServerAddress(100));
                NS_TEST_EXPECT_MSG_NE(id, 0, "SendRequest of " << size << " bytes");
                lengthOf[id] = size;
            });
        }
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(client.responses.size(), expected.size(), "every RPC completed");
        NS_TEST_EXPECT_MSG_EQ(tap.malformed, 0, "the router saw only well-formed MTP packets");

        std::map<uint32_t, uint32_t> unschedCount;        // length -> unscheduled DATA packets
        std::map<uint32_t, std::set<uint8_t>> seen;       // length -> unscheduled priorities seen
        std::map<uint64_t, std::set<uint8_t>> grantPrios; // server RPC id -> GRANT priorities
        uint32_t scheduled = 0;
        uint32_t scheduledBad = 0;
        uint32_t grants = 0;
        uint32_t control = 0;
        uint32_t controlBad = 0;
        uint32_t incomingBad = 0;
        uint32_t responses = 0;
        uint32_t responsesBad = 0;
        std::ostringstream badControl;   // the control packets at a wrong TOS
        std::ostringstream badScheduled; // the scheduled DATA at a wrong TOS
        for (const WirePacket& w : tap.packets)
        {
            if (w.type != MtpPacketType::DATA)
            {
                ++control;
                if (w.tos != 0xE0)
                {
                    ++controlBad;
                    badControl << "control type " << int(w.type) << " tos " << int(w.tos) << "; ";
                }
                if (w.type == MtpPacketType::GRANT)
                {
                    ++grants;
                    grantPrios[w.senderId].insert(w.grantPriority);
                    NS_TEST_EXPECT_MSG_EQ((w.grantPriority <= 3),
                                          true,
                                          "GRANT names a scheduled level, not "
                                              << int(w.grantPriority));
                }
                continue;
            }
            if (w.fromServer)
            {
                // 8-byte responses: unscheduled, shorter than 200 bytes: CS7.
                ++responses;
                responsesBad += w.tos != 0xE0;
                continue;
            }
            if (expected.count(w.messageLength) == 0)
            {
                NS_TEST_EXPECT_MSG_EQ(w.messageLength, 0, "DATA of an unexpected length");
                continue;
            }
            uint32_t unsched = std::min(w.messageLength, UNSCHED_BYTES);
            if (w.offset == 0 && w.incoming != unsched)
            {
                ++incomingBad;
            }
            if (w.offset < unsched)
            {
                ++unschedCount[w.messageLength];
                seen[w.messageLength].insert(w.tos);
                continue;
            }
            // Scheduled bytes: a scheduled level, one a GRANT of this RPC named
            // (the GRANT crossed the router before the data it allowed).
            ++scheduled;
            const std::set<uint8_t>& named = grantPrios[w.senderId ^ 1];
            if ((w.tos & 0x1F) != 0 || PrioOf(w.tos) > 3 || named.count(PrioOf(w.tos)) == 0)
            {
                ++scheduledBad;
                badScheduled << "scheduled DATA offset " << w.offset << " tos " << int(w.tos)
                             << "; ";
            }
        }
        for (const auto& kv : expected)
        {
            uint32_t size = kv.first;
            uint8_t tos = static_cast<uint8_t>(kv.second << 5);
            NS_TEST_EXPECT_MSG_GT(unschedCount[size], 0, "unscheduled DATA of " << size << " B");
            NS_TEST_EXPECT_MSG_EQ(seen[size].size(), 1, "one TOS for the unscheduled bytes");
            NS_TEST_EXPECT_MSG_EQ(int(*seen[size].begin()),
                                  int(tos),
                                  "unscheduled DATA of a " << size << "-byte message at CS"
                                                           << int(kv.second));
        }
        // 10000 unscheduled bytes in segments of 1500 - IP header - 56.
        uint32_t seg = 1500 - (m_ipv6 ? 40 : 20) - MtpDataHeader::SIZE;
        NS_TEST_EXPECT_MSG_EQ(unschedCount[500000],
                              (UNSCHED_BYTES + seg - 1) / seg,
                              "the 500 KB request sends exactly UnschedBytes unscheduled");
        NS_TEST_EXPECT_MSG_EQ(incomingBad, 0, "first DATA announces min(length, UnschedBytes)");
        NS_TEST_EXPECT_MSG_GT(scheduled, 300, "the 500 KB request was mostly scheduled");
        NS_TEST_EXPECT_MSG_EQ(scheduledBad,
                              0,
                              "scheduled DATA at a granted level 0..3: " << badScheduled.str());
        NS_TEST_EXPECT_MSG_GT(grants, 0, "GRANTs crossed the router");
        NS_TEST_EXPECT_MSG_EQ(grantPrios.size(), 1, "only the 500 KB request needed grants");
        NS_TEST_EXPECT_MSG_GT(control, grants - 1, "control packets counted");
        NS_TEST_EXPECT_MSG_EQ(controlBad, 0, "every control packet at CS7: " << badControl.str());
        NS_TEST_EXPECT_MSG_EQ(responses, 4, "four one-packet responses");
        NS_TEST_EXPECT_MSG_EQ(responsesBad, 0, "8-byte responses at CS7");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< address family
};

// ---------------------------------------------------------------------------
// 2. SRPT at one receiver
// ---------------------------------------------------------------------------

/** \return the IP address of an InetSocketAddress / Inet6SocketAddress, printed */
std::string
IpOf(const Address& a)
{
    std::ostringstream os;
    if (InetSocketAddress::IsMatchingType(a))
    {
        os << InetSocketAddress::ConvertFrom(a).GetIpv4();
    }
    else
    {
        os << Inet6SocketAddress::ConvertFrom(a).GetIpv6();
    }
    return os.str();
}

/**
 * What the server's traces say about the SRPT run.  Client RPC ids are per
 * node, so two clients' RPCs may share an id: messages are keyed by length
 * (MessageBegin / MessageEnd give it) and grants by the client they go to.
 */
struct SrptRun
{
    std::map<std::string, uint32_t> lengthOf;      //!< client IP -> request length
    std::map<uint32_t, Time> begin;                //!< request length -> first packet at the server
    std::map<uint32_t, Time> end;                  //!< request length -> MessageEnd at the server
    std::vector<std::pair<Time, uint32_t>> grants; //!< (time, request length) of every GRANT
    uint32_t responses = 0;                        //!< responses the clients got

    void OnBegin(uint64_t id, const Address& peer, uint32_t length, bool isRequest)
    {
        if (isRequest)
        {
            lengthOf[IpOf(peer)] = length;
            begin[length] = Simulator::Now();
        }
    }

    void OnEnd(uint64_t id, const Address& peer, uint32_t length, bool isRequest)
    {
        if (isRequest)
        {
            end[length] = Simulator::Now();
        }
    }

    void OnTx(Ptr<const Packet> p, const Address& peer, uint8_t priority)
    {
        MtpHeader h;
        MtpHeader::Peek(p, h);
        if (h.GetType() == MtpPacketType::GRANT)
        {
            grants.emplace_back(Simulator::Now(), lengthOf[IpOf(peer)]);
        }
    }
};

/**
 * Two clients send to one server (MaxOvercommit 1, no FIFO grants): a 1 MB
 * request starts first, a 50 KB one 100 us later.  SRPT: the short one
 * finishes first, close to its unloaded latency, and the server grants
 * nothing to the long one while the short one is arriving; then the long
 * one resumes and completes.
 */
class MtpSrptTestCase : public TestCase
{
  public:
    MtpSrptTestCase()
        : TestCase("SRPT at one receiver: a short message overtakes a long one")
    {
    }

  private:
    static constexpr uint32_t LONG = 1000000;
    static constexpr uint32_t SHORT = 50000;

    /** Run the scenario; without the long message if `withLong` is false. */
    SrptRun Run(bool withLong)
    {
        Network net;
        net.nClients = 2;
        net.mtp.SetAttribute("MaxOvercommit", UintegerValue(1));
        net.mtp.SetAttribute("GrantFifoFraction", UintegerValue(0));
        net.Build();
        PatternServer server;
        server.responseSize = 8;
        server.Start(net.server, 100);
        std::vector<Client> clients(2);
        clients[0].Start(net.clients.Get(0));
        clients[1].Start(net.clients.Get(1));
        SrptRun run;
        Ptr<MtpL4Protocol> mtp = MtpStackHelper::GetMtp(net.server);
        mtp->TraceConnectWithoutContext("MessageBegin", MakeCallback(&SrptRun::OnBegin, &run));
        mtp->TraceConnectWithoutContext("MessageEnd", MakeCallback(&SrptRun::OnEnd, &run));
        mtp->TraceConnectWithoutContext("Tx", MakeCallback(&SrptRun::OnTx, &run));
        if (withLong)
        {
            Simulator::Schedule(MicroSeconds(1), [&]() {
                clients[0].socket->SendRequest(MakePattern(1, LONG), net.ServerAddress(100));
            });
        }
        Simulator::Schedule(MicroSeconds(101), [&]() {
            clients[1].socket->SendRequest(MakePattern(2, SHORT), net.ServerAddress(100));
        });
        Simulator::Run();
        run.responses =
            static_cast<uint32_t>(clients[0].responses.size() + clients[1].responses.size());
        Simulator::Destroy();
        return run;
    }

    void DoRun() override
    {
        SrptRun alone = Run(false);
        NS_TEST_ASSERT_MSG_EQ(alone.responses, 1, "short request alone completed");
        Time ideal = alone.end[SHORT] - MicroSeconds(101);

        SrptRun run = Run(true);
        NS_TEST_ASSERT_MSG_EQ(run.responses, 2, "both requests completed");
        NS_TEST_ASSERT_MSG_EQ(run.end.count(SHORT) + run.end.count(LONG), 2, "both arrived");
        Time shortLatency = run.end[SHORT] - MicroSeconds(101);
        std::cout << "SRPT: 50 KB request alone " << ideal.As(Time::US) << ", behind a 1 MB one "
                  << shortLatency.As(Time::US) << "; 1 MB request done at "
                  << run.end[LONG].As(Time::US) << std::endl;
        NS_TEST_EXPECT_MSG_LT(run.end[SHORT], run.end[LONG], "the short request finished first");
        // The long one may hold one window of grants when the short one
        // arrives: about 8 us at 10 Gbit/s.  FIFO granting would cost ~800 us.
        NS_TEST_EXPECT_MSG_LT(shortLatency,
                              ideal + ideal / 2,
                              "the short request is barely slowed by the long one");

        uint32_t longBefore = 0;
        uint32_t longDuring = 0;
        uint32_t longAfter = 0;
        uint32_t shortGrants = 0;
        for (const auto& g : run.grants)
        {
            if (g.second == SHORT)
            {
                ++shortGrants;
                NS_TEST_EXPECT_MSG_EQ((g.first >= run.begin[SHORT] && g.first <= run.end[SHORT]),
                                      true,
                                      "short grants while it arrives");
            }
            else if (g.second == LONG)
            {
                if (g.first < run.begin[SHORT])
                {
                    ++longBefore;
                }
                else if (g.first < run.end[SHORT])
                {
                    // (At end[SHORT] itself the long one resumes: "after".)
                    ++longDuring;
                    std::cout << "grant to the long request at " << g.first.As(Time::US)
                              << std::endl;
                }
                else
                {
                    ++longAfter;
                }
            }
        }
        NS_TEST_EXPECT_MSG_GT(shortGrants, 20, "the short request needed grants (multi-RTT)");
        NS_TEST_EXPECT_MSG_GT(longBefore, 0, "the long request was granted before");
        NS_TEST_EXPECT_MSG_EQ(longDuring,
                              0,
                              "no grant to the long one while the short one is active");
        NS_TEST_EXPECT_MSG_GT(longAfter, 0, "grants to the long request resumed after");
    }
};

// ---------------------------------------------------------------------------
// 3. Overcommitment bound
// ---------------------------------------------------------------------------

/**
 * 12 clients each send a 200 KB request to one server at the same moment.
 * With MaxOvercommit k (FIFO grants off), at every GRANT and every packet
 * arrival at most k messages hold outstanding scheduled grants, by the
 * scheduler's count and by an independent count from the packets the
 * server sent and received; the bound is reached; all requests complete.
 *
 * The staggered variant makes the SRPT order churn: client i starts 10 us
 * after client i-1 with a request 12 KB shorter, so each newcomer outranks
 * messages that still hold grants.  It must wait for a slot rather than be
 * granted at once (which a scheduler that only grants to its top k, without
 * counting the messages that hold grants, would do).
 */
class MtpOvercommitTestCase : public TestCase
{
  public:
    /**
     * \param k MaxOvercommit
     * \param staggered shorter requests arrive later (SRPT churn)
     */
    MtpOvercommitTestCase(uint32_t k, bool staggered)
        : TestCase("overcommit: at most MaxOvercommit=" + std::to_string(k) +
                   " messages hold grants, 12 senders" +
                   (staggered ? ", shorter ones arriving later" : " at once")),
          m_k(k),
          m_staggered(staggered)
    {
    }

  private:
    static constexpr uint32_t N = 12;
    static constexpr uint32_t SIZE = 200000;

    /** \return the request size of client c */
    uint32_t SizeOf(uint32_t c) const
    {
        return m_staggered ? SIZE - 12000 * c : SIZE;
    }

    /// (client IP, client RPC id) of an inbound message.
    using Key = std::pair<std::string, uint64_t>;

    /** The active count by the scheduler's own books, checked against k. */
    void CheckScheduler()
    {
        uint32_t active = m_mtp->GetGrantScheduler().GetActiveCount();
        m_maxActive = std::max(m_maxActive, active);
        if (active > m_k)
        {
            ++m_violations;
        }
        ++m_checks;
    }

    /** Server Rx trace: every packet arrival. */
    void OnRx(Ptr<const Packet> p, const Address& peer, uint8_t priority)
    {
        CheckScheduler();
        MtpHeader common;
        MtpHeader::Peek(p, common);
        if (common.GetType() != MtpPacketType::DATA)
        {
            return;
        }
        MtpDataHeader d;
        p->PeekHeader(d);
        if (!(d.GetSenderId() & 1))
        {
            Key key{IpOf(peer), d.GetSenderId()};
            uint32_t end = d.GetOffset() + p->GetSize() - MtpDataHeader::SIZE;
            m_received[key] = std::max(m_received[key], end);
        }
    }

    /** Server Tx trace: at every GRANT, count the holders independently. */
    void OnTx(Ptr<const Packet> p, const Address& peer, uint8_t priority)
    {
        MtpHeader common;
        MtpHeader::Peek(p, common);
        if (common.GetType() != MtpPacketType::GRANT)
        {
            return;
        }
        CheckScheduler();
        MtpGrantHeader g;
        p->PeekHeader(g);
        Key key{IpOf(peer), g.GetSenderId() ^ 1};
        m_granted[key] = std::max(m_granted[key], g.GetOffset());
        uint32_t holders = 0;
        for (const auto& kv : m_granted)
        {
            uint32_t received = m_received[kv.first];
            if (kv.second > UNSCHED_BYTES && kv.second > received)
            {
                ++holders;
            }
        }
        m_maxHolders = std::max(m_maxHolders, holders);
        if (holders > m_k)
        {
            ++m_violations;
        }
    }

    void DoRun() override
    {
        Network net;
        net.nClients = N;
        net.mtp.SetAttribute("MaxOvercommit", UintegerValue(m_k));
        net.mtp.SetAttribute("GrantFifoFraction", UintegerValue(0));
        net.Build();
        PatternServer server;
        server.responseSize = 8;
        server.Start(net.server, 100);
        std::vector<Client> clients(N);
        m_mtp = MtpStackHelper::GetMtp(net.server);
        m_mtp->TraceConnectWithoutContext("Rx", MakeCallback(&MtpOvercommitTestCase::OnRx, this));
        m_mtp->TraceConnectWithoutContext("Tx", MakeCallback(&MtpOvercommitTestCase::OnTx, this));
        uint32_t ends = 0;
        m_mtp->TraceConnectWithoutContext(
            "MessageEnd",
            Callback<void, uint64_t, const Address&, uint32_t, bool>(
                [&ends](uint64_t, const Address&, uint32_t length, bool isRequest) {
                    ends += isRequest;
                }));
        uint64_t bytes = 0;
        for (uint32_t c = 0; c < N; ++c)
        {
            clients[c].Start(net.clients.Get(c));
            uint32_t size = SizeOf(c);
            bytes += size;
            Time start = MicroSeconds(m_staggered ? 10 + 10 * c : 10);
            Simulator::Schedule(start, [&, c, size]() {
                clients[c].socket->SendRequest(MakePattern(c, size), net.ServerAddress(100));
            });
        }
        Simulator::Run();
        uint32_t responses = 0;
        uint64_t retransmitted = 0;
        for (uint32_t c = 0; c < N; ++c)
        {
            responses += clients[c].responses.size();
            retransmitted +=
                MtpStackHelper::GetMtp(net.clients.Get(c))->GetMetrics().packetsRetransmitted;
        }
        std::cout << "overcommit " << m_k << (m_staggered ? " staggered" : " at once") << ": "
                  << m_checks << " checks, scheduler max active " << m_maxActive
                  << ", independent max holders " << m_maxHolders << ", grants "
                  << m_mtp->GetMetrics().grantsSent << std::endl;
        NS_TEST_EXPECT_MSG_EQ(ends, N, "the server received every request");
        NS_TEST_EXPECT_MSG_EQ(responses, N, "every RPC completed");
        NS_TEST_EXPECT_MSG_EQ(server.requests, N, "each request executed once");
        NS_TEST_EXPECT_MSG_EQ(retransmitted, 0, "no loss (the independent count assumes it)");
        NS_TEST_EXPECT_MSG_GT(m_checks, bytes / 1500, "checked at every arrival and grant");
        NS_TEST_EXPECT_MSG_EQ(m_violations, 0, "never more than MaxOvercommit holders");
        NS_TEST_EXPECT_MSG_EQ(m_maxActive, m_k, "the bound binds (scheduler's count)");
        NS_TEST_EXPECT_MSG_EQ(m_maxHolders, m_k, "the bound binds (count from the wire)");
        NS_TEST_EXPECT_MSG_EQ(m_mtp->GetGrantScheduler().GetSize(),
                              0,
                              "scheduler empty at the end");
        m_mtp = nullptr;
        Simulator::Destroy();
    }

    uint32_t m_k;                       //!< MaxOvercommit
    bool m_staggered;                   //!< shorter requests later
    Ptr<MtpL4Protocol> m_mtp;           //!< the server's MTP
    uint32_t m_checks = 0;              //!< checks made
    uint32_t m_violations = 0;          //!< checks that failed
    uint32_t m_maxActive = 0;           //!< largest scheduler active count seen
    uint32_t m_maxHolders = 0;          //!< largest independent count seen
    std::map<Key, uint32_t> m_granted;  //!< highest GRANT offset per message
    std::map<Key, uint32_t> m_received; //!< highest byte received per message (no loss)
};

// ---------------------------------------------------------------------------
// 4. Strict-priority switch queues
// ---------------------------------------------------------------------------

/**
 * Four clients each queue two 500 KB requests to a server behind a 1 Gbit/s
 * link (the rest is 10 Gbit/s); 300 us later a fifth client sends a 100-byte
 * RPC.  With MtpPrioQueueDisc on the router's ports, or MtpPrioQueue as
 * their device queues, it overtakes the backlog; with a FIFO queue disc it
 * waits behind it.  Priority latency < FIFO / 3.
 */
class MtpStrictPriorityTestCase : public TestCase
{
  public:
    MtpStrictPriorityTestCase()
        : TestCase("strict-priority router queues let a short RPC overtake a backlog")
    {
    }

  private:
    /// Outcome of one run.
    struct Outcome
    {
        Time shortLatency;       //!< the 100-byte RPC, send to response
        uint32_t longDone = 0;   //!< long RPCs completed
        uint32_t maxBacklog = 0; //!< most packets queued at the router's server port
        uint64_t drops = 0;      //!< packets dropped by that queue disc
    };

    /// How the router's ports queue.
    enum Ports
    {
        PRIO_QUEUE_DISC, //!< MtpPrioQueueDisc over a 1-packet device queue
        PRIO_DEVICE,     //!< MtpPrioQueue as the device queue, no queue disc
        FIFO_QUEUE_DISC, //!< FifoQueueDisc over a 1-packet device queue
    };

    /** \param ports the router's port model */
    Outcome Run(Ports ports)
    {
        Network net;
        net.nClients = 5;
        net.Build();
        // The bottleneck: router <-> server at 1 Gbit/s.
        net.serverLink.Get(0)->SetAttribute("DataRate", StringValue("1Gbps"));
        net.serverLink.Get(1)->SetAttribute("DataRate", StringValue("1Gbps"));
        NetDeviceContainer routerPorts = RouterPorts(net);
        Ptr<TrafficControlLayer> tc = net.router->GetObject<TrafficControlLayer>();
        Outcome out;
        auto backlog = Callback<void, uint32_t, uint32_t>(
            [&out](uint32_t, uint32_t now) { out.maxBacklog = std::max(out.maxBacklog, now); });
        std::function<uint64_t()> drops;
        if (ports == PRIO_DEVICE)
        {
            Ptr<MtpPrioQueue> bottleneck;
            for (uint32_t i = 0; i < routerPorts.GetN(); ++i)
            {
                tc->DeleteRootQueueDiscOnDevice(routerPorts.Get(i));
                Ptr<MtpPrioQueue> q = CreateObject<MtpPrioQueue>();
                q->SetAttribute("MaxPackets", UintegerValue(100000));
                DynamicCast<PointToPointNetDevice>(routerPorts.Get(i))->SetQueue(q);
                bottleneck = q; // the server link's port is the last one
            }
            bottleneck->TraceConnectWithoutContext("PacketsInQueue", backlog);
            drops = [bottleneck]() { return bottleneck->GetTotalDroppedPackets(); };
        }
        else
        {
            for (uint32_t i = 0; i < routerPorts.GetN(); ++i)
            {
                ShrinkDeviceQueue(routerPorts.Get(i));
            }
            if (ports == PRIO_QUEUE_DISC)
            {
                MtpStackHelper::InstallPriorityQueues(routerPorts, 100000);
            }
            else
            {
                for (uint32_t i = 0; i < routerPorts.GetN(); ++i)
                {
                    tc->DeleteRootQueueDiscOnDevice(routerPorts.Get(i));
                }
                TrafficControlHelper fifo;
                fifo.SetRootQueueDisc("ns3::FifoQueueDisc", "MaxSize", StringValue("100000p"));
                fifo.Install(routerPorts);
            }
            Ptr<QueueDisc> bottleneck = tc->GetRootQueueDiscOnDevice(net.serverLink.Get(1));
            NS_ABORT_MSG_UNLESS(bottleneck, "no queue disc on the bottleneck port");
            bottleneck->TraceConnectWithoutContext("PacketsInQueue", backlog);
            drops = [bottleneck]() { return bottleneck->GetStats().nTotalDroppedPackets; };
        }

        PatternServer server;
        server.responseSize = 8;
        server.Start(net.server, 100);
        std::vector<Client> clients(5);
        for (uint32_t c = 0; c < 5; ++c)
        {
            clients[c].Start(net.clients.Get(c));
        }
        for (uint32_t c = 0; c < 4; ++c)
        {
            for (uint32_t r = 0; r < 2; ++r)
            {
                Simulator::Schedule(MicroSeconds(1 + r), [&, c, r]() {
                    clients[c].socket->SendRequest(MakePattern(10 * c + r, 500000),
                                                   net.ServerAddress(100));
                });
            }
        }
        uint64_t shortId = 0;
        Simulator::Schedule(MicroSeconds(300), [&]() {
            shortId = clients[4].socket->SendRequest(MakePattern(99, 100), net.ServerAddress(100));
        });
        Simulator::Run();
        for (uint32_t c = 0; c < 4; ++c)
        {
            out.longDone += clients[c].responses.size();
        }
        NS_TEST_EXPECT_MSG_EQ(clients[4].responses.count(shortId), 1, "short RPC completed");
        out.shortLatency = clients[4].latency[shortId];
        out.drops = drops();
        Simulator::Destroy();
        return out;
    }

    void DoRun() override
    {
        Outcome prio = Run(PRIO_QUEUE_DISC);
        Outcome device = Run(PRIO_DEVICE);
        Outcome fifo = Run(FIFO_QUEUE_DISC);
        std::cout << "100-byte RPC behind 8 x 500 KB at a 1 Gbit/s port: priority queue disc "
                  << prio.shortLatency.As(Time::US) << " (backlog " << prio.maxBacklog
                  << " packets), priority device queue " << device.shortLatency.As(Time::US)
                  << " (backlog " << device.maxBacklog << "), FIFO "
                  << fifo.shortLatency.As(Time::US) << " (backlog " << fifo.maxBacklog << ")"
                  << std::endl;
        for (const Outcome* o : {&prio, &device, &fifo})
        {
            NS_TEST_EXPECT_MSG_EQ(o->longDone, 8, "long RPCs completed");
            NS_TEST_EXPECT_MSG_EQ(o->drops, 0, "no queue overflow");
            NS_TEST_EXPECT_MSG_GT(o->maxBacklog, 20, "a real backlog built at the bottleneck");
            NS_TEST_EXPECT_MSG_GT(o->shortLatency, Time(0), "latency measured");
        }
        NS_TEST_EXPECT_MSG_LT(prio.shortLatency * 3,
                              fifo.shortLatency,
                              "strict priority: the short RPC overtakes the backlog");
        NS_TEST_EXPECT_MSG_LT(device.shortLatency * 3,
                              fifo.shortLatency,
                              "the same with the priority device queue");
        // Without the packet waiting in a 1-packet device FIFO, the device
        // queue is never slower than the queue disc.
        NS_TEST_EXPECT_MSG_LT_OR_EQ(device.shortLatency,
                                    prio.shortLatency,
                                    "no FIFO stage under the priority device queue");
    }
};

/** A queue disc item that is not IP (as ARP would be): it has no DS field. */
class NonIpItem : public QueueDiscItem
{
  public:
    /** \param p the packet */
    explicit NonIpItem(Ptr<Packet> p)
        : QueueDiscItem(p, Mac48Address::GetBroadcast(), 0x0806)
    {
    }

    void AddHeader() override
    {
    }

    bool Mark() override
    {
        return false;
    }
};

/**
 * MtpPrioQueueDisc in isolation: the band comes from the class selector of
 * the IPv4 TOS / IPv6 traffic class (non-IP to the top band, clamped to
 * Bands-1), the highest non-empty band is served first, FIFO within a band,
 * and the bands share one limit whose overflow is dropped and counted.
 */
class MtpPrioQueueDiscTestCase : public TestCase
{
  public:
    MtpPrioQueueDiscTestCase()
        : TestCase("MtpPrioQueueDisc: classify by class selector, strict priority, shared limit")
    {
    }

  private:
    static Ptr<QueueDiscItem> Item4(uint8_t tos, uint32_t size)
    {
        Ipv4Header h;
        h.SetTos(tos);
        h.SetProtocol(MtpL4Protocol::DEFAULT_PROT_NUMBER);
        h.SetPayloadSize(size);
        return Create<Ipv4QueueDiscItem>(Create<Packet>(size),
                                         Mac48Address::GetBroadcast(),
                                         Ipv4L3Protocol::PROT_NUMBER,
                                         h);
    }

    static Ptr<QueueDiscItem> Item6(uint8_t tclass, uint32_t size)
    {
        Ipv6Header h;
        h.SetTrafficClass(tclass);
        h.SetNextHeader(MtpL4Protocol::DEFAULT_PROT_NUMBER);
        h.SetPayloadLength(size);
        return Create<Ipv6QueueDiscItem>(Create<Packet>(size),
                                         Mac48Address::GetBroadcast(),
                                         Ipv6L3Protocol::PROT_NUMBER,
                                         h);
    }

    /** \return the size of the packet `q` dequeues next, 0 if none */
    static uint32_t NextSize(Ptr<QueueDisc> q)
    {
        Ptr<QueueDiscItem> item = q->Dequeue();
        return item ? item->GetPacket()->GetSize() : 0;
    }

    void DoRun() override
    {
        Ptr<MtpPrioQueueDisc> q = CreateObject<MtpPrioQueueDisc>();
        q->SetAttribute("MaxSize", QueueSizeValue(QueueSize("6p")));
        q->Initialize();
        NS_TEST_ASSERT_MSG_EQ(q->GetNInternalQueues(), 8, "eight bands by default");

        // Sizes identify the packets.
        Ptr<QueueDiscItem> a = Item4(0x00, 100); // CS0
        Ptr<QueueDiscItem> b = Item4(0x60, 101); // CS3
        Ptr<QueueDiscItem> c = Item4(0xE0, 102); // CS7
        Ptr<QueueDiscItem> d = Item4(0x7C, 103); // DSCP 31 (AF33 region): class 3
        Ptr<QueueDiscItem> e = Item6(0xB8, 104); // EF in the traffic class: class 5
        Ptr<QueueDiscItem> f = Create<NonIpItem>(Create<Packet>(105)); // not IP
        NS_TEST_EXPECT_MSG_EQ(q->Classify(a), 0u, "CS0 -> band 0");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(b), 3u, "CS3 -> band 3");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(c), 7u, "CS7 -> band 7");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(d), 3u, "ECN/low DSCP bits ignored");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(e), 5u, "IPv6 traffic class");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(f), 7u, "non-IP -> top band");

        for (const auto& item : {a, b, c, d, e, f})
        {
            // (NS_TEST macros evaluate their operands again to print them:
            // side effects go outside.)
            bool ok = q->Enqueue(item);
            NS_TEST_EXPECT_MSG_EQ(ok, true, "enqueue under the limit");
        }
        NS_TEST_EXPECT_MSG_EQ(q->GetNPackets(), 6, "six queued over all bands");
        // Full: even a top-priority packet is dropped (no push-out).
        bool top = q->Enqueue(Item4(0xE0, 106));
        bool bottom = q->Enqueue(Item4(0x00, 107));
        NS_TEST_EXPECT_MSG_EQ(top, false, "shared limit reached");
        NS_TEST_EXPECT_MSG_EQ(bottom, false, "shared limit reached");
        NS_TEST_EXPECT_MSG_EQ(q->GetStats().nTotalDroppedPackets, 2, "drops counted");
        NS_TEST_EXPECT_MSG_EQ(
            q->GetStats().GetNDroppedPackets(MtpPrioQueueDisc::LIMIT_EXCEEDED_DROP),
            2,
            "drops counted under their reason");

        std::vector<uint32_t> order;
        while (Ptr<QueueDiscItem> item = q->Dequeue())
        {
            order.push_back(item->GetPacket()->GetSize());
        }
        std::vector<uint32_t> expected = {102, 105, 104, 101, 103, 100};
        NS_TEST_ASSERT_MSG_EQ(order.size(), expected.size(), "every queued packet dequeued once");
        for (std::size_t i = 0; i < expected.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(order[i], expected[i], "dequeue #" << i);
        }
        NS_TEST_EXPECT_MSG_EQ(q->GetNPackets(), 0, "empty");
        // Room again after draining.
        bool again = q->Enqueue(Item4(0x20, 108));
        uint32_t out = NextSize(q);
        NS_TEST_EXPECT_MSG_EQ(again, true, "enqueue after draining");
        NS_TEST_EXPECT_MSG_EQ(out, 108u, "and out again");
        q->Dispose();

        // Fewer bands: higher classes clamp to the top band, FIFO among them.
        Ptr<MtpPrioQueueDisc> q4 = CreateObject<MtpPrioQueueDisc>();
        q4->SetAttribute("Bands", UintegerValue(4));
        q4->Initialize();
        NS_TEST_ASSERT_MSG_EQ(q4->GetNInternalQueues(), 4, "four bands");
        Ptr<QueueDiscItem> x = Item4(0xE0, 200); // CS7 -> band 3
        Ptr<QueueDiscItem> y = Item4(0x20, 201); // CS1 -> band 1
        Ptr<QueueDiscItem> z = Item4(0x80, 202); // CS4 -> band 3
        NS_TEST_EXPECT_MSG_EQ(q4->Classify(x), 3u, "CS7 clamps to band 3");
        NS_TEST_EXPECT_MSG_EQ(q4->Classify(z), 3u, "CS4 clamps to band 3");
        q4->Enqueue(y);
        q4->Enqueue(x);
        q4->Enqueue(z);
        uint32_t first = NextSize(q4);
        uint32_t second = NextSize(q4);
        uint32_t third = NextSize(q4);
        NS_TEST_EXPECT_MSG_EQ(first, 200u, "top band, first in");
        NS_TEST_EXPECT_MSG_EQ(second, 202u, "top band, second in");
        NS_TEST_EXPECT_MSG_EQ(third, 201u, "then band 1");
        q4->Dispose();
    }
};

// ---------------------------------------------------------------------------
// 5. Pacer: NIC queue bound
// ---------------------------------------------------------------------------

/**
 * A one-way bulk sender (eight 500 KB messages to one receiver; it sends
 * nothing but paced DATA while they flow: a short message exchanged first
 * settles the CUTOFFS handshake, and its ack rides on the bulk DATA).  The pacer's NicQueue
 * estimate never exceeds MaxNicQueue plus one full packet's transmit time, and the real device
 * queue never holds more than the same bound in bytes.  Both bounds are approached, so pacing (not
 * a lack of grants) is what holds the sender back.
 */
class MtpPacerBoundTestCase : public TestCase
{
  public:
    /** \param maxNicQueue the MaxNicQueue Attribute */
    explicit MtpPacerBoundTestCase(Time maxNicQueue)
        : TestCase("pacer keeps the NIC queue under MaxNicQueue=" +
                   std::to_string(maxNicQueue.GetMicroSeconds()) + "us"),
          m_maxNicQueue(maxNicQueue)
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t messages = 8;
        const uint32_t size = 500000;
        const uint64_t rate = 10000000000ULL;
        Network net;
        net.mtp.SetAttribute("MaxNicQueue", TimeValue(m_maxNicQueue));
        net.Build();
        Ptr<Node> sender = net.clients.Get(0);
        Ptr<MtpL4Protocol> mtp = MtpStackHelper::GetMtp(sender);
        Ptr<PointToPointNetDevice> nic =
            DynamicCast<PointToPointNetDevice>(net.clientLinks[0].Get(0));

        // (A TracedValue reports changes only: when the pacer releases each
        // packet at the same queue level, the value repeats silently.)
        Time maxQueued;
        mtp->TraceConnectWithoutContext("NicQueue",
                                        Callback<void, Time, Time>([&maxQueued](Time, Time now) {
                                            maxQueued = std::max(maxQueued, now);
                                        }));
        uint32_t maxBytes = 0;
        nic->GetQueue()->TraceConnectWithoutContext(
            "BytesInQueue",
            Callback<void, uint32_t, uint32_t>(
                [&maxBytes](uint32_t, uint32_t now) { maxBytes = std::max(maxBytes, now); }));
        const Time bulkStart = MicroSeconds(200);
        uint32_t dataSent = 0;
        std::vector<std::pair<Time, MtpPacketType>> control; // control packets the sender sent
        mtp->TraceConnectWithoutContext("Tx",
                                        Callback<void, Ptr<const Packet>, const Address&, uint8_t>(
                                            [&](Ptr<const Packet> p, const Address&, uint8_t) {
                                                MtpHeader h;
                                                MtpHeader::Peek(p, h);
                                                if (h.GetType() == MtpPacketType::DATA)
                                                {
                                                    dataSent += Simulator::Now() >= bulkStart;
                                                }
                                                else
                                                {
                                                    control.emplace_back(Simulator::Now(),
                                                                         h.GetType());
                                                }
                                            }));

        Ptr<MtpSocket> rx = Network::Socket(net.server);
        rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        uint32_t received = 0;
        Time lastArrival;
        rx->SetRecvCallback(Callback<void, Ptr<Socket>>([&](Ptr<Socket> s) {
            while (Ptr<Packet> p = s->Recv())
            {
                received += p->GetSize() == size;
                lastArrival = Simulator::Now();
            }
        }));
        Ptr<MtpSocket> tx = Network::Socket(sender);
        // Warm-up: a 10-byte message makes the hosts exchange CUTOFFS.
        Simulator::Schedule(MicroSeconds(1),
                            [&]() { tx->SendTo(MakePattern(1000, 10), 0, net.ServerAddress(9)); });
        Simulator::Schedule(bulkStart, [&]() {
            for (uint32_t i = 0; i < messages; ++i)
            {
                tx->SendTo(MakePattern(i, size), 0, net.ServerAddress(9));
            }
        });
        Simulator::Run();
        const uint64_t bypass = mtp->GetMetrics().pacerBypass;
        const uint64_t stalls = mtp->GetMetrics().pacerStalls;
        Simulator::Destroy();

        // One full packet: 1500 IP bytes + 2 PPP bytes.
        Time packet = NanoSeconds((1502 * 8 * 1000000000ULL + rate - 1) / rate);
        Time bound = m_maxNicQueue + packet;
        uint64_t boundBytes = m_maxNicQueue.GetNanoSeconds() * rate / 8 / 1000000000ULL + 1502;
        Time ideal = NanoSeconds(uint64_t(messages) * size * 8 * 1000000000ULL / rate);
        std::cout << "pacer MaxNicQueue " << m_maxNicQueue.As(Time::US) << ": NicQueue max "
                  << maxQueued.As(Time::NS) << " (bound " << bound.As(Time::NS)
                  << "), device queue max " << maxBytes << " B (bound " << boundBytes << " B), "
                  << messages * size / 1000 << " KB delivered in "
                  << (lastArrival - bulkStart).As(Time::US) << " (payload at line rate "
                  << ideal.As(Time::US) << ")" << std::endl;

        NS_TEST_ASSERT_MSG_EQ(received, messages, "every message arrived");
        uint32_t controlDuringBulk = 0;
        for (const auto& c : control)
        {
            controlDuringBulk += c.first >= bulkStart && c.first <= lastArrival;
        }
        NS_TEST_EXPECT_MSG_EQ(controlDuringBulk, 0, "only DATA left the sender during the bulk");
        NS_TEST_EXPECT_MSG_GT(dataSent, messages * size / 1500, "bulk DATA sent");
        NS_TEST_EXPECT_MSG_EQ(bypass, 1, "only the warm-up bypassed");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(maxQueued, bound, "NicQueue <= MaxNicQueue + one packet");
        NS_TEST_EXPECT_MSG_GT(maxQueued, m_maxNicQueue, "the pacer was saturated");
        NS_TEST_EXPECT_MSG_GT(stalls, 100, "and had to wait");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(uint64_t(maxBytes),
                                    boundBytes,
                                    "device backlog <= MaxNicQueue of bytes + one packet");
        // The device really fills to the pacer's limit: a packet goes when the
        // backlog (with the rest of the packet on the wire) is MaxNicQueue.
        NS_TEST_EXPECT_MSG_GT_OR_EQ(uint64_t(maxBytes),
                                    boundBytes - 1502,
                                    "the device backlog reaches MaxNicQueue of bytes");
        // Pacing does not starve the link: at most 15% over line rate (headers, RTTs).
        NS_TEST_EXPECT_MSG_LT(lastArrival - bulkStart,
                              ideal + ideal * 15 / 100,
                              "the paced sender keeps the link busy");
    }

    Time m_maxNicQueue; //!< the Attribute under test
};

/**
 * CUTOFFS: a receiver whose unscheduled cutoffs differ from the sender's
 * tells the sender, which adopts them.  The server uses 100,1000,5000,1000000
 * (the client the defaults, 200,2800,15000,1000000).  A 2000-byte request
 * sent before the exchange goes at the client's own level for that size (6);
 * its DATA carries a cutoff version the server does not recognise, so the
 * server sends CUTOFFS once (and the client, likewise, its own after the
 * first response); a second 2000-byte request goes at the level the
 * server's cutoffs give (5), and the client's record of the server holds the
 * server's cutoffs and version.
 */
class MtpCutoffsAdoptedTestCase : public TestCase
{
  public:
    MtpCutoffsAdoptedTestCase()
        : TestCase("CUTOFFS: a sender adopts a receiver's non-default unscheduled cutoffs")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpL4Protocol> cm = net.clients.Get(0)->GetObject<MtpL4Protocol>();
        Ptr<MtpL4Protocol> sm = net.server->GetObject<MtpL4Protocol>();
        sm->SetAttribute("UnschedCutoffs", StringValue("100,1000,5000,1000000"));
        PatternServer server;
        server.responseSize = 10;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        std::map<uint32_t, std::set<uint8_t>> levels; // request seed -> DATA priorities
        cm->TraceConnectWithoutContext("Tx",
                                       MakeBoundCallback(
                                           +[](std::map<uint32_t, std::set<uint8_t>>* out,
                                               Ptr<const Packet> p,
                                               const Address&,
                                               uint8_t prio) {
                                               MtpHeader common;
                                               if (MtpHeader::Peek(p, common) !=
                                                       MtpDropReason::NONE ||
                                                   common.GetType() != MtpPacketType::DATA)
                                               {
                                                   return;
                                               }
                                               Ptr<Packet> c = p->Copy();
                                               MtpDataHeader d;
                                               c->RemoveHeader(d);
                                               if (d.GetOffset() == 0)
                                               {
                                                   (*out)[SeedOf(c)].insert(prio);
                                               }
                                           },
                                           &levels));
        Simulator::Schedule(MicroSeconds(1), [&]() {
            client.socket->SendRequest(MakePattern(1, 2000), net.ServerAddress(100));
        });
        Simulator::Schedule(MicroSeconds(300), [&]() {
            client.socket->SendRequest(MakePattern(2, 2000), net.ServerAddress(100));
        });
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 2, "both RPCs completed");
        NS_TEST_EXPECT_MSG_EQ((levels[1] == std::set<uint8_t>{6}), true, "before: own cutoffs");
        NS_TEST_EXPECT_MSG_EQ((levels[2] == std::set<uint8_t>{5}), true, "after: the server's");
        uint32_t cutoffs = MtpMetrics::TypeIndex(MtpPacketType::CUTOFFS);
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().packetsSent[cutoffs], 1, "one CUTOFFS sent");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().packetsReceived[cutoffs], 1, "and received");
        // The server's first response knew nothing of the client's cutoffs
        // either: the client answers with its own, once.
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().packetsSent[cutoffs], 1, "the client's, once");
        Ptr<MtpPeer> back = sm->GetPeer(HostOfAddress(net.clientAddrs[0]));
        NS_TEST_EXPECT_MSG_EQ(back->cutoffVersion, cm->GetCutoffVersion(), "server learnt ours");
        Ptr<MtpPeer> peer = cm->GetPeer(HostOfAddress(net.serverHost));
        NS_TEST_EXPECT_MSG_EQ(peer->cutoffVersion, sm->GetCutoffVersion(), "version adopted");
        NS_TEST_EXPECT_MSG_EQ((peer->cutoffs == sm->GetCutoffs()), true, "cutoffs adopted");
        Simulator::Destroy();
    }

    /** \return the host part of a socket address */
    static MtpAddress HostOfAddress(const Address& a)
    {
        MtpAddress host;
        uint16_t port;
        MtpAddress::FromSocketAddress(a, host, port);
        return host;
    }
};

/** The suite. */
class MtpPriorityTestSuite : public TestSuite
{
  public:
    MtpPriorityTestSuite()
        : TestSuite("mtp-priority", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpWirePrioritiesTestCase(false));
        AddTestCase(new MtpWirePrioritiesTestCase(true));
        AddTestCase(new MtpSrptTestCase());
        AddTestCase(new MtpOvercommitTestCase(2, false));
        AddTestCase(new MtpOvercommitTestCase(4, false));
        AddTestCase(new MtpOvercommitTestCase(2, true));
        AddTestCase(new MtpOvercommitTestCase(4, true));
        AddTestCase(new MtpPrioQueueDiscTestCase());
        AddTestCase(new MtpStrictPriorityTestCase());
        AddTestCase(new MtpPacerBoundTestCase(MicroSeconds(2)));
        AddTestCase(new MtpPacerBoundTestCase(MicroSeconds(10)));
        AddTestCase(new MtpCutoffsAdoptedTestCase());
    }
};

/** Static instance registering the suite. */
MtpPriorityTestSuite g_mtpPriorityTestSuite;

} // namespace
