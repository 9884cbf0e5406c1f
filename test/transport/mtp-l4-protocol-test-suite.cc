/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of MtpL4Protocol, the IP side of MTP: validation of every
 * incoming packet (malformed input is dropped and counted per reason, a
 * deterministic fuzz never crashes it), ICMP in and out, Homa's wire fields
 * and the checksum.  Timeouts and loss recovery (the Homa stack's timer) are
 * in test/stacks/mtp-homa-timer-test-suite.cc.
 */

#include "../mtp-test-faults.h"

#include "ns3/error-model.h"
#include "ns3/global-value.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-interface.h"
#include "ns3/ipv6.h"
#include "ns3/net-device.h"
#include "ns3/pointer.h"
#include "ns3/ppp-header.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <functional>
#include <limits>
#include <random>
#include <set>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{
// ---------------------------------------------------------------------------
// 1. Malformed input
// ---------------------------------------------------------------------------

/**
 * Hand-made malformed packets go straight to MtpL4Protocol::Receive: each is
 * dropped, counted under its own reason, reported once on the Drop trace,
 * creates no RPC and is never counted as received.
 */
class MtpMalformedInputTestCase : public TestCase
{
  public:
    /** \param ipv6 use the IPv6 Receive overload */
    explicit MtpMalformedInputTestCase(bool ipv6)
        : TestCase(ipv6 ? "malformed packets through the IPv6 Receive are dropped per reason"
                        : "malformed packets through the IPv4 Receive are dropped per reason"),
          m_ipv6(ipv6)
    {
    }

  private:
    /// One malformed packet and what must happen to it.
    struct Case
    {
        std::string name;              //!< what it is
        Ptr<Packet> packet;            //!< the bytes
        MtpDropReason reason;          //!< expected drop reason
        IpL4Protocol::RxStatus status; //!< expected return value
    };

    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        const uint16_t port = 100;
        PatternServer server;
        server.Start(net.server, port);
        Ptr<MtpL4Protocol> mtp = MtpOf(net.server);
        TraceLog log;
        log.Connect(mtp);
        Injector in{mtp, HostOf(net.clientAddrs[0]), HostOf(net.serverHost)};

        auto data = [=](uint32_t length, uint32_t offset, uint32_t payload) {
            MtpDataHeader h;
            h.SetSourcePort(0x8000);
            h.SetDestinationPort(port);
            h.SetSenderId(2);
            h.SetMessageLength(length);
            h.SetIncoming(length);
            h.SetOffset(offset);
            return WithHeader(h, payload);
        };
        auto raw = [](Ptr<Packet> p) { return Bytes(p); };
        auto fromRaw = [](std::vector<uint8_t> b) { return Create<Packet>(b.data(), b.size()); };

        std::vector<Case> cases;
        cases.push_back(
            {"empty packet", Create<Packet>(), MtpDropReason::TRUNCATED, IpL4Protocol::RX_OK});
        cases.push_back(
            {"10 bytes", Create<Packet>(10), MtpDropReason::TRUNCATED, IpL4Protocol::RX_OK});
        {
            Ptr<Packet> p = data(1000, 0, 0);
            p->RemoveAtEnd(MtpDataHeader::SIZE - 40);
            cases.push_back(
                {"DATA header cut to 40 bytes", p, MtpDropReason::TRUNCATED, IpL4Protocol::RX_OK});
        }
        {
            std::vector<uint8_t> b = raw(data(1000, 0, 100));
            b[11] = 0x42;
            cases.push_back(
                {"type 0x42", fromRaw(b), MtpDropReason::UNKNOWN_TYPE, IpL4Protocol::RX_OK});
        }
        {
            MtpBusyHeader busy;
            busy.SetDestinationPort(port);
            std::vector<uint8_t> b = raw(WithHeader(busy));
            NS_TEST_ASSERT_MSG_EQ(b.size(), 28, "a common header is 28 bytes");
            b[11] = 0xFF;
            cases.push_back({"28-byte header, type 0xFF",
                             fromRaw(b),
                             MtpDropReason::UNKNOWN_TYPE,
                             IpL4Protocol::RX_OK});
        }
        cases.push_back({"DATA, message_length 0 with payload",
                         data(0, 0, 10),
                         MtpDropReason::BAD_OFFSET,
                         IpL4Protocol::RX_OK});
        cases.push_back({"DATA, offset + payload past message_length",
                         data(1000, 900, 101),
                         MtpDropReason::BAD_OFFSET,
                         IpL4Protocol::RX_OK});
        cases.push_back({"DATA, message_length 1000001",
                         data(1000001, 0, 1000),
                         MtpDropReason::BAD_LENGTH,
                         IpL4Protocol::RX_OK});
        {
            MtpAckHeader ack;
            ack.SetDestinationPort(port);
            ack.SetSenderId(2);
            ack.AddAck(MtpAck{2, port});
            std::vector<uint8_t> b = raw(WithHeader(ack));
            // num_acks sits right after the common header.
            b[28] = 0;
            b[29] = 6;
            cases.push_back({"ACK with num_acks 6",
                             fromRaw(b),
                             MtpDropReason::BAD_ACK_COUNT,
                             IpL4Protocol::RX_OK});
        }
        {
            MtpGrantHeader g;
            g.SetSourcePort(0x8000);
            g.SetDestinationPort(port);
            g.SetSenderId(2);
            g.SetOffset(20000);
            cases.push_back({"GRANT for an unknown RPC",
                             WithHeader(g),
                             MtpDropReason::NO_RPC,
                             IpL4Protocol::RX_OK});
        }
        // A NEED_ACK with an even sender id is no longer dropped (BAD_ID): it
        // is the sender of a one-way message asking for its ack (OneWayAnswer
        // =Ack); mtp-homa-oneway covers the answers.
        {
            MtpDataHeader h;
            h.SetSourcePort(port);
            h.SetDestinationPort(port);
            h.SetSenderId(5); // a response to client RPC 4, which does not exist
            h.SetMessageLength(100);
            h.SetIncoming(100);
            cases.push_back({"response DATA for an unknown client RPC",
                             WithHeader(h, 100),
                             MtpDropReason::NO_RPC,
                             IpL4Protocol::RX_OK});
        }
        {
            Ptr<Packet> p = data(1000, 0, 1000);
            std::vector<uint8_t> b = raw(p);
            b[2] = 0x01; // destination port 0x01F4 = 500: no socket
            b[3] = 0xF4;
            cases.push_back({"DATA to an unbound port",
                             fromRaw(b),
                             MtpDropReason::NO_SOCKET,
                             IpL4Protocol::RX_ENDPOINT_UNREACH});
        }

        // Inject from inside the simulation: ns-3 initializes devices and
        // traffic control when Run starts, and some packets draw a reply.
        Simulator::Schedule(MicroSeconds(1), [&]() {
            for (const auto& c : cases)
            {
                MtpMetrics before = mtp->GetMetrics();
                std::size_t traced = log.drops.size();
                IpL4Protocol::RxStatus status = in.Inject(c.packet->Copy());
                const MtpMetrics& after = mtp->GetMetrics();
                NS_TEST_EXPECT_MSG_EQ(status, c.status, c.name << ": Receive's return value");
                NS_TEST_EXPECT_MSG_EQ(after.drops[static_cast<int>(c.reason)] -
                                          before.drops[static_cast<int>(c.reason)],
                                      1,
                                      c.name << ": counted once as " << c.reason);
                NS_TEST_EXPECT_MSG_EQ(after.TotalDrops() - before.TotalDrops(),
                                      1,
                                      c.name << ": no other drop counted");
                NS_TEST_EXPECT_MSG_EQ(Sum(after.packetsReceived) - Sum(before.packetsReceived),
                                      0,
                                      c.name << ": not counted as received");
                NS_TEST_ASSERT_MSG_EQ(log.drops.size() - traced,
                                      1,
                                      c.name << ": Drop trace fired once");
                NS_TEST_EXPECT_MSG_EQ(log.drops.back(), c.reason, c.name << ": traced reason");
                NS_TEST_EXPECT_MSG_EQ(mtp->GetLiveRpcCount(), 0, c.name << ": no RPC created");
            }
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::TRUNCATED), 3, "three truncated");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::UNKNOWN_TYPE), 2, "two unknown types");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::BAD_OFFSET), 2, "two bad offsets");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::BAD_LENGTH), 1, "one bad length");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::BAD_ACK_COUNT), 1, "one bad ack count");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::NO_RPC), 2, "two for unknown RPCs");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::NO_SOCKET), 1, "one for no socket");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetMetrics().TotalDrops(),
                                  cases.size(),
                                  "one drop per packet");

            // LENGTH_MISMATCH: a valid first packet starts a request of 3000
            // bytes; a second packet of the same RPC claims another length.
            MtpMetrics before = mtp->GetMetrics();
            NS_TEST_EXPECT_MSG_EQ(in.Inject(data(3000, 0, 1000)),
                                  IpL4Protocol::RX_OK,
                                  "first packet");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetMetrics().packetsReceived[Ix(MtpPacketType::DATA)] -
                                      before.packetsReceived[Ix(MtpPacketType::DATA)],
                                  1,
                                  "first packet accepted");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetLiveRpcCount(), 1, "it created a server RPC");
            in.Inject(data(4000, 1000, 1000));
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::LENGTH_MISMATCH), 1, "length mismatch");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetMetrics().packetsReceived[Ix(MtpPacketType::DATA)] -
                                      before.packetsReceived[Ix(MtpPacketType::DATA)],
                                  1,
                                  "the mismatching packet is not counted as received");
            NS_TEST_EXPECT_MSG_EQ(log.drops.back(), MtpDropReason::LENGTH_MISMATCH, "traced");

            // A shut-down socket refuses packets to its port.
            server.socket->ShutdownSend();
            NS_TEST_EXPECT_MSG_EQ(in.Inject(data(3000, 0, 1000)),
                                  IpL4Protocol::RX_ENDPOINT_UNREACH,
                                  "shut-down socket");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::SOCKET_SHUTDOWN), 1, "counted");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetLiveRpcCount(), 0, "shutdown dropped the half request");
        });
        NS_TEST_EXPECT_MSG_EQ(RunUntilQuiet(AllMtp(net), Seconds(1)), true, "simulation ends");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 0, "no request reached the application");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< address family
};

/** Returns a number in [lo, hi] from the generator (portable: no distribution). */
uint32_t
Draw(std::mt19937& rng, uint32_t lo, uint32_t hi)
{
    uint64_t span = uint64_t{hi} - lo + 1;
    return lo + static_cast<uint32_t>(rng() % span);
}

/**
 * 2000 random packets from a fixed-seed generator: half are random bytes,
 * half carry a valid type byte and the bound port with random (often
 * plausible) fields.  The protocol must not crash, must account for each
 * packet exactly once (a drop or a received packet, never both, never
 * neither) and the simulation must wind down by itself afterwards.
 */
class MtpFuzzTestCase : public TestCase
{
  public:
    /** \param ipv6 use IPv6 */
    explicit MtpFuzzTestCase(bool ipv6)
        : TestCase(ipv6 ? "2000 fuzzed packets over IPv6: no crash, each accounted once"
                        : "2000 fuzzed packets over IPv4: no crash, each accounted once"),
          m_ipv6(ipv6)
    {
    }

  private:
    /** \return one fuzzed packet */
    Ptr<Packet> MakeFuzz(std::mt19937& rng, bool typed, const std::vector<uint16_t>& sports)
    {
        if (!typed)
        {
            uint32_t len = Draw(rng, 0, 120);
            std::vector<uint8_t> b(len);
            for (auto& x : b)
            {
                x = static_cast<uint8_t>(rng());
            }
            return Create<Packet>(b.data(), b.size());
        }
        auto type = static_cast<MtpPacketType>(Draw(rng, 0x10, 0x18));
        uint16_t sport = Draw(rng, 0, 3) == 0 ? static_cast<uint16_t>(rng())
                                              : sports[Draw(rng, 0, sports.size() - 1)];
        uint64_t id = Draw(rng, 0, 9) == 0 ? (uint64_t{rng()} << 32 | rng()) : Draw(rng, 0, 9);
        bool plausible = Draw(rng, 0, 1) == 0;
        Ptr<Packet> p;
        auto common = [&](MtpHeader& h) {
            h.SetSourcePort(sport);
            h.SetDestinationPort(m_port);
            h.SetSenderId(id);
            h.SetWindow(static_cast<uint16_t>(rng()));
        };
        switch (type)
        {
        case MtpPacketType::DATA: {
            MtpDataHeader h;
            common(h);
            uint32_t length;
            uint32_t offset;
            uint32_t payload;
            if (plausible)
            {
                length = Draw(rng, 0, 5000);
                offset = length ? Draw(rng, 0, length - 1) : 0;
                payload = length ? Draw(rng, 1, std::min<uint32_t>(length - offset, 1500)) : 0;
            }
            else
            {
                length = rng();
                offset = rng();
                payload = Draw(rng, 0, 1500);
            }
            h.SetMessageLength(length);
            h.SetIncoming(plausible ? Draw(rng, 0, length) : rng());
            h.SetOffset(offset);
            h.SetRetransmit(static_cast<uint8_t>(Draw(rng, 0, 1)));
            h.SetExtFlags(static_cast<uint8_t>(Draw(rng, 0, 3) == 0 ? rng() : 0));
            h.SetCutoffVersion(static_cast<uint16_t>(Draw(rng, 0, 3)));
            if (Draw(rng, 0, 1))
            {
                h.SetAck(MtpAck{Draw(rng, 0, 9), Draw(rng, 0, 1) ? m_port : uint16_t(rng())});
            }
            std::vector<uint8_t> bytes(payload);
            for (auto& x : bytes)
            {
                x = static_cast<uint8_t>(rng());
            }
            p = Create<Packet>(bytes.data(), bytes.size());
            p->AddHeader(h);
            break;
        }
        case MtpPacketType::GRANT: {
            MtpGrantHeader h;
            common(h);
            h.SetOffset(plausible ? Draw(rng, 0, 20000) : rng());
            h.SetPriority(static_cast<uint8_t>(rng()));
            p = WithHeader(h);
            break;
        }
        case MtpPacketType::RESEND: {
            MtpResendHeader h;
            common(h);
            h.SetOffset(plausible ? Draw(rng, 0, 20000) : rng());
            h.SetLength(Draw(rng, 0, 3) == 0 ? MtpResendHeader::LENGTH_ALL
                                             : (plausible ? Draw(rng, 0, 20000) : rng()));
            h.SetPriority(static_cast<uint8_t>(rng()));
            p = WithHeader(h);
            break;
        }
        case MtpPacketType::CUTOFFS: {
            MtpCutoffsHeader h;
            common(h);
            std::array<uint32_t, MtpHeader::MAX_PRIORITIES> c;
            for (auto& v : c)
            {
                v = rng();
            }
            h.SetCutoffs(c);
            h.SetCutoffVersion(static_cast<uint16_t>(rng()));
            p = WithHeader(h);
            break;
        }
        case MtpPacketType::ACK: {
            MtpAckHeader h;
            common(h);
            uint32_t n = Draw(rng, 0, 5);
            for (uint32_t i = 0; i < n; ++i)
            {
                h.AddAck(MtpAck{Draw(rng, 0, 9), Draw(rng, 0, 1) ? m_port : uint16_t(rng())});
            }
            std::vector<uint8_t> b = Bytes(WithHeader(h));
            if (!plausible)
            {
                b[28] = static_cast<uint8_t>(rng());
                b[29] = static_cast<uint8_t>(rng());
            }
            p = Create<Packet>(b.data(), b.size());
            break;
        }
        default: {
            MtpHeader h(type);
            common(h);
            p = WithHeader(h);
            break;
        }
        }
        // Sometimes some junk after the header, sometimes a cut.
        uint32_t fate = Draw(rng, 0, 9);
        if (fate == 0 && p->GetSize() > 0)
        {
            p->RemoveAtEnd(Draw(rng, 1, p->GetSize()));
        }
        else if (fate == 1 && type != MtpPacketType::DATA)
        {
            p->AddAtEnd(Create<Packet>(Draw(rng, 1, 100)));
        }
        return p;
    }

    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        PatternServer server;
        server.Start(net.server, m_port);
        // The fuzzed node also has a client RPC of its own (id 2, to port 7
        // of client 0), so that responses, grants, resends and RPC_UNKNOWN
        // can name a live client RPC.
        PatternServer peer;
        peer.Start(net.clients.Get(0), 7);
        Ptr<MtpL4Protocol> mtp = MtpOf(net.server);
        TraceLog log;
        log.Connect(mtp);
        MtpAddress client = HostOf(net.clientAddrs[0]);
        MtpAddress self = HostOf(net.serverHost);
        // An address nothing routes to: replies to it fail to route.
        MtpAddress nowhere =
            m_ipv6 ? MtpAddress(Ipv6Address("2001:77::1")) : MtpAddress(Ipv4Address("10.77.0.1"));

        std::mt19937 rng(getenv("MTP_FUZZ_SEED") ? std::stoul(getenv("MTP_FUZZ_SEED")) : 20240607u);
        uint32_t accountedOnce = 0;
        uint32_t drops = 0;
        uint32_t accepted = 0;
        uint32_t tracedRight = 0;
        uint64_t ownId = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            ownId = server.socket->SendRequest(MakePattern(1, 3000), client.ToSocketAddress(7));
        });
        Simulator::Schedule(MicroSeconds(2), [&]() {
            std::vector<uint16_t> sports = {7, 0x8000, 0x8001, m_port};
            for (uint32_t i = 0; i < 2000; ++i)
            {
                bool typed = (i % 2) == 1;
                Injector in{mtp, Draw(rng, 0, 7) == 0 ? nowhere : client, self};
                Ptr<Packet> p = MakeFuzz(rng, typed, sports);
                uint64_t d0 = mtp->GetMetrics().TotalDrops();
                uint64_t r0 = Sum(mtp->GetMetrics().packetsReceived);
                std::size_t t0 = log.drops.size();
                in.Inject(p);
                uint64_t dd = mtp->GetMetrics().TotalDrops() - d0;
                uint64_t dr = Sum(mtp->GetMetrics().packetsReceived) - r0;
                drops += dd;
                accepted += dr;
                accountedOnce += (dd + dr == 1) ? 1 : 0;
                tracedRight += (log.drops.size() - t0 == dd) ? 1 : 0;
            }
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(5));
        if (getenv("MTP_DEBUG"))
        {
            for (auto sock : {server.socket, peer.socket})
            {
                for (auto& r : sock->Rpcs().GetAll())
                {
                    std::cerr << "node " << sock->GetNode()->GetId() << " rpc " << r->id << " "
                              << r->StateName() << " peer " << r->peer->GetAddress() << ":"
                              << r->peerPort << " local " << r->localPort << " oneWay " << r->oneWay
                              << " silent " << r->silentTicks << " rwr " << r->resendsWithoutReply
                              << " expects " << r->ExpectsPeer();
                    if (r->msgin)
                    {
                        std::cerr << " in " << r->msgin->GetBytesReceived() << "/"
                                  << r->msgin->GetLength() << " incoming "
                                  << r->msgin->GetIncoming();
                    }
                    if (r->msgout)
                    {
                        std::cerr << " out next " << r->msgout->GetNextOffset() << "/"
                                  << r->msgout->GetLength() << " granted "
                                  << r->msgout->GetGranted();
                    }
                    std::cerr << std::endl;
                }
            }
        }
        NS_TEST_EXPECT_MSG_EQ(accountedOnce, 2000, "every packet is either dropped or received");
        NS_TEST_EXPECT_MSG_EQ(tracedRight, 2000, "the Drop trace fired once per drop");
        NS_TEST_EXPECT_MSG_GT(accepted, 100, "the fuzz reached the handlers");
        NS_TEST_EXPECT_MSG_GT(drops, 1000, "and the validators");
        NS_TEST_EXPECT_MSG_EQ(ownId, 2, "the node's own client RPC started");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "every RPC ended and the tick stopped");
        Simulator::Destroy();
    }

    bool m_ipv6;           //!< address family
    uint16_t m_port = 100; //!< the bound server port
};

// ---------------------------------------------------------------------------
// 2. ICMP
// ---------------------------------------------------------------------------

/**
 * A request to a server port no socket holds: the server's MTP drops each
 * DATA packet (NO_SOCKET), IP answers ICMP port unreachable, and the client's
 * RPC fails with ENOTCONN at once (no timeout), counted in icmpAborts.
 */
class MtpIcmpPortUnreachableTestCase : public TestCase
{
  public:
    /** \param ipv6 use IPv6 */
    explicit MtpIcmpPortUnreachableTestCase(bool ipv6)
        : TestCase(ipv6 ? "ICMPv6 port unreachable fails the RPC with ENOTCONN"
                        : "ICMPv4 port unreachable fails the RPC with ENOTCONN"),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        // A server socket exists, on another port: only port 77 is closed.
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        TraceLog clog;
        clog.Connect(cm);
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            // 5000 bytes: four DATA packets, all unscheduled, so four ICMPs come back.
            id = client.socket->SendRequest(MakePattern(5, 5000), net.ServerAddress(77));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        NS_TEST_ASSERT_MSG_NE(id, 0, "request started");
        NS_TEST_EXPECT_MSG_EQ(client.responses.size(), 0, "no response");
        NS_TEST_ASSERT_MSG_EQ(client.failures.size(), 1, "one failure");
        NS_TEST_EXPECT_MSG_EQ(client.failures[id], MtpError::NOTCONN, "ENOTCONN");
        NS_TEST_EXPECT_MSG_LT(client.latency[id], MilliSeconds(1), "at once, not by timeout");
        NS_TEST_EXPECT_MSG_EQ(Drops(sm, MtpDropReason::NO_SOCKET), 4, "each DATA packet refused");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().icmpAborts, 1, "one RPC aborted by ICMP");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().rpcsAborted, 1, "one abort");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().timeouts, 0, "no timeout");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().resendsSent, 0, "no RESEND needed");
        NS_TEST_ASSERT_MSG_EQ(clog.aborts.size(), 1, "Abort traced once");
        NS_TEST_EXPECT_MSG_EQ(clog.aborts[0].second, MtpError::NOTCONN, "with ENOTCONN");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "client RPC freed");
        NS_TEST_EXPECT_MSG_EQ(cm->GetLiveRpcCount(), 0, "no live RPC on the client");
        NS_TEST_EXPECT_MSG_EQ(sm->GetLiveRpcCount(), 0, "none on the server");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 0, "the other port saw nothing");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< address family
};

/**
 * The router refuses to forward what client 1 sends (IP forwarding off on
 * that interface), while client 0 is served normally.  IPv6: the router
 * answers ICMPv6 destination unreachable (no route) and every RPC of client 1
 * to that host fails at once with EHOSTUNREACH (one ICMP aborts both).
 * IPv4: ns-3's routers send no ICMP here (Ipv4L3Protocol::RouteInputError
 * only drops), so the RPCs end by timeout.  (A plain missing route is no
 * portable trigger: ns-3.37 routes IPv6 with Ipv6StaticRouting alone, which
 * reports no error for it, while ns-3.48 uses list routing, which does.)
 */
class MtpHostUnreachableTestCase : public TestCase
{
  public:
    /** \param ipv6 use IPv6 */
    explicit MtpHostUnreachableTestCase(bool ipv6)
        : TestCase(ipv6 ? "router will not forward: ICMPv6 no route fails RPCs with EHOSTUNREACH"
                        : "router will not forward: no ICMPv4 in ns-3, RPCs end with ETIMEDOUT"),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.nClients = 2;
        net.Build();
        Ptr<NetDevice> dev = net.clientLinks[1].Get(1);
        if (m_ipv6)
        {
            Ptr<Ipv6> ip = net.router->GetObject<Ipv6>();
            ip->SetForwarding(ip->GetInterfaceForDevice(dev), false);
        }
        else
        {
            Ptr<Ipv4> ip = net.router->GetObject<Ipv4>();
            ip->SetForwarding(ip->GetInterfaceForDevice(dev), false);
        }
        PatternServer server;
        server.Start(net.server, 100);
        Client served;
        served.Start(net.clients.Get(0));
        Client client;
        client.Start(net.clients.Get(1));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(1));
        uint64_t a = 0;
        uint64_t b = 0;
        uint64_t good = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            a = client.socket->SendRequest(MakePattern(1, 100), net.ServerAddress(100));
            b = client.socket->SendRequest(MakePattern(2, 3000), net.ServerAddress(101));
            good = served.socket->SendRequest(MakePattern(3, 3000), net.ServerAddress(100));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        NS_TEST_ASSERT_MSG_NE(good, 0, "RPC of client 0 started");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(served.responses[good], 3, 3000), true, "and completed");
        NS_TEST_ASSERT_MSG_NE(a, 0, "RPC of client 1 to port 100 started");
        NS_TEST_ASSERT_MSG_NE(b, 0, "RPC of client 1 to port 101 started");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 2, "both failed");
        MtpError expected = m_ipv6 ? MtpError::HOSTUNREACH : MtpError::TIMEDOUT;
        NS_TEST_EXPECT_MSG_EQ(client.failures[a], expected, "RPC to port 100");
        NS_TEST_EXPECT_MSG_EQ(client.failures[b], expected, "RPC to port 101");
        if (m_ipv6)
        {
            NS_TEST_EXPECT_MSG_LT(client.latency[a], MilliSeconds(1), "at once, not by timeout");
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().icmpAborts, 2, "both aborted by ICMP");
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().timeouts, 0, "no timeout");
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().resendsSent, 0, "no RESEND");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().icmpAborts, 0, "no ICMP");
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().timeouts, 2, "two timeouts");
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().resendsSent,
                                  2 * cm->GetTimeoutResends(),
                                  "TimeoutResends RESENDs each");
        }
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "client RPCs freed");
        NS_TEST_EXPECT_MSG_EQ(served.socket->GetRpcCount(), 0, "client RPCs freed");
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPC freed");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 1, "only client 0's request arrived");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< address family
};

/**
 * An RPC to a host that has IP but no MTP (the router).  ns-3 (3.37 to
 * 3.48) sends no usable ICMP protocol unreachable: Ipv4L3Protocol::LocalDeliver
 * silently drops a packet of an unknown protocol, and Ipv6L3Protocol sends
 * its parameter problem to the packet's own destination, i.e. to itself.  So
 * the client learns nothing and the RPC must end by timeout, not hang.  The
 * ICMP protocol-unreachable path itself is checked by injection below.
 */
class MtpNoMtpHostTestCase : public TestCase
{
  public:
    /** \param ipv6 use IPv6 */
    explicit MtpNoMtpHostTestCase(bool ipv6)
        : TestCase(ipv6 ? "RPC to an IPv6 host without MTP ends with ETIMEDOUT"
                        : "RPC to an IPv4 host without MTP ends with ETIMEDOUT"),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        // The router's address on the client's link.
        Ptr<NetDevice> dev = net.clientLinks[0].Get(1);
        MtpAddress router;
        if (m_ipv6)
        {
            Ptr<Ipv6> ip = net.router->GetObject<Ipv6>();
            int32_t k = ip->GetInterfaceForDevice(dev);
            for (uint32_t j = 0; j < ip->GetNAddresses(k); ++j)
            {
                if (!ip->GetAddress(k, j).GetAddress().IsLinkLocal())
                {
                    router = MtpAddress(ip->GetAddress(k, j).GetAddress());
                }
            }
        }
        else
        {
            Ptr<Ipv4> ip = net.router->GetObject<Ipv4>();
            router = MtpAddress(ip->GetAddress(ip->GetInterfaceForDevice(dev), 0).GetLocal());
        }
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(MakePattern(1, 100), router.ToSocketAddress(100));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        NS_TEST_ASSERT_MSG_NE(id, 0, "started");
        NS_TEST_EXPECT_MSG_EQ(client.failures[id], MtpError::TIMEDOUT, "ETIMEDOUT");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().icmpAborts, 0, "no ICMP reached the client");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().resendsSent,
                              cm->GetTimeoutResends(),
                              "TimeoutResends RESENDs first");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< address family
};

/**
 * ICMP errors handed to MtpL4Protocol::ReceiveIcmp as IP would: each type and
 * code aborts exactly the RPCs it names with the error it maps to (port
 * unreachable: that port, ENOTCONN; protocol unreachable: the host,
 * EPROTONOSUPPORT; host / net unreachable: the host, EHOSTUNREACH) and the
 * others change nothing.
 */
class MtpIcmpMappingTestCase : public TestCase
{
  public:
    /** \param ipv6 use ICMPv6 */
    explicit MtpIcmpMappingTestCase(bool ipv6)
        : TestCase(ipv6 ? "each ICMPv6 error aborts the RPCs it names with its error"
                        : "each ICMPv4 error aborts the RPCs it names with its error"),
          m_ipv6(ipv6)
    {
    }

  private:
    /// One ICMP message and its expected effect on RPCs to ports 100 and 101.
    struct Step
    {
        uint8_t type;   //!< ICMP type
        uint8_t code;   //!< ICMP code
        bool otherHost; //!< about a host that is not the server
        uint16_t dport; //!< destination port in the quoted MTP header
        MtpError on100; //!< outcome of the RPC to port 100 (OK: still alive)
        MtpError on101; //!< same for port 101
    };

    // The step lists are returned (constructed), not assigned to a vector:
    // GCC 12 at -O2 warns (-Wnonnull, a false positive) about the memmove
    // inside vector assignment from an initializer list.

    /// \return the ICMPv6 messages to send, in order, with their effects
    static std::vector<Step> Icmpv6Steps()
    {
        const MtpError ALIVE = MtpError::OK;
        return {
            {1, 4, false, 100, MtpError::NOTCONN, ALIVE},
            {1, 4, false, 101, ALIVE, MtpError::NOTCONN},
            {4, 1, false, 100, MtpError::PROTONOSUPPORT, MtpError::PROTONOSUPPORT},
            {1, 3, false, 100, MtpError::HOSTUNREACH, MtpError::HOSTUNREACH},
            {1, 0, false, 100, MtpError::HOSTUNREACH, MtpError::HOSTUNREACH},
            {1, 0, true, 100, ALIVE, ALIVE},
            {1, 4, true, 100, ALIVE, ALIVE},
            {1, 1, false, 100, ALIVE, ALIVE}, // administratively prohibited
            {3, 0, false, 100, ALIVE, ALIVE}, // time exceeded
            {4, 0, false, 100, ALIVE, ALIVE}, // erroneous header field
        };
    }

    /// \return the ICMPv4 messages to send, in order, with their effects
    static std::vector<Step> Icmpv4Steps()
    {
        const MtpError ALIVE = MtpError::OK;
        return {
            {3, 3, false, 100, MtpError::NOTCONN, ALIVE},
            {3, 3, false, 101, ALIVE, MtpError::NOTCONN},
            {3, 2, false, 100, MtpError::PROTONOSUPPORT, MtpError::PROTONOSUPPORT},
            {3, 1, false, 100, MtpError::HOSTUNREACH, MtpError::HOSTUNREACH},
            {3, 0, false, 100, MtpError::HOSTUNREACH, MtpError::HOSTUNREACH},
            {3, 1, true, 100, ALIVE, ALIVE},
            {3, 3, true, 100, ALIVE, ALIVE},
            {3, 4, false, 100, ALIVE, ALIVE},  // fragmentation needed
            {11, 0, false, 100, ALIVE, ALIVE}, // time exceeded
        };
    }

    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        // Servers that never answer: the RPCs stay alive until the ICMP.
        Ptr<MtpSocket> s100 = Network::Socket(net.server);
        s100->Bind(InetSocketAddress(Ipv4Address::GetAny(), 100));
        Ptr<MtpSocket> s101 = Network::Socket(net.server);
        s101->Bind(InetSocketAddress(Ipv4Address::GetAny(), 101));
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        MtpAddress me = HostOf(net.clientAddrs[0]);
        MtpAddress srv = HostOf(net.serverHost);
        MtpAddress other =
            m_ipv6 ? MtpAddress(Ipv6Address("2001:3::77")) : MtpAddress(Ipv4Address("10.1.2.77"));

        const MtpError ALIVE = MtpError::OK;
        const std::vector<Step> steps = m_ipv6 ? Icmpv6Steps() : Icmpv4Steps();
        uint32_t expectedAborts = 0;
        for (std::size_t k = 0; k < steps.size(); ++k)
        {
            Step st = steps[k];
            expectedAborts += (st.on100 != ALIVE) + (st.on101 != ALIVE);
            Time t0 = MicroSeconds(500) * k;
            auto ids = std::make_shared<std::pair<uint64_t, uint64_t>>();
            Simulator::Schedule(t0 + MicroSeconds(1), [&, ids]() {
                ids->first =
                    client.socket->SendRequest(MakePattern(1, 100), net.ServerAddress(100));
                ids->second =
                    client.socket->SendRequest(MakePattern(2, 100), net.ServerAddress(101));
            });
            Simulator::Schedule(t0 + MicroSeconds(100), [&, ids, st, k]() {
                // The quoted MTP header: ports first, as ICMP quotes 8 bytes.
                MtpDataHeader q;
                q.SetSourcePort(client.socket->GetDefaultPort());
                q.SetDestinationPort(st.dport);
                std::vector<uint8_t> quoted = Bytes(WithHeader(q));
                MtpAddress about = st.otherHost ? other : srv;
                if (m_ipv6)
                {
                    cm->ReceiveIcmp(srv.GetIpv6(),
                                    64,
                                    st.type,
                                    st.code,
                                    0,
                                    me.GetIpv6(),
                                    about.GetIpv6(),
                                    quoted.data());
                }
                else
                {
                    cm->ReceiveIcmp(srv.GetIpv4(),
                                    64,
                                    st.type,
                                    st.code,
                                    0,
                                    me.GetIpv4(),
                                    about.GetIpv4(),
                                    quoted.data());
                }
                auto outcome = [&](uint64_t id) {
                    auto it = client.failures.find(id);
                    return it == client.failures.end() ? MtpError::OK : it->second;
                };
                NS_TEST_EXPECT_MSG_EQ(outcome(ids->first),
                                      st.on100,
                                      "step " << k << ": RPC to port 100");
                NS_TEST_EXPECT_MSG_EQ(outcome(ids->second),
                                      st.on101,
                                      "step " << k << ": RPC to port 101");
                const std::size_t live =
                    (st.on100 == MtpError::OK ? 1U : 0U) + (st.on101 == MtpError::OK ? 1U : 0U);
                NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(),
                                      live,
                                      "step " << k << ": exactly the others live on");
                // Clear the survivors silently for the next step.
                client.socket->Abort(0);
            });
        }
        Simulator::Schedule(MicroSeconds(500) * steps.size(), [&]() {
            s100->Close();
            s101->Close();
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().icmpAborts, expectedAborts, "icmpAborts");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), expectedAborts, "failures reported");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().timeouts, 0, "no timeout");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< address family
};

/**
 * Before the first packet of a 30000-byte request reaches the server, a DATA
 * packet of the same RPC claims a message_length one byte longer (a corrupted
 * or forged packet; checksums are off).  The first real packet disagrees: the
 * server drops it (LENGTH_MISMATCH) and forgets the RPC, which the client's
 * next packets start afresh; the lost bytes come back by RESEND and the
 * request completes, executed once.  (Found by fuzz/mtp-fuzz-receive: the
 * server used to keep the wrong length and drop every real packet, while the
 * client's RESENDs, answered with BUSY, kept both ends alive forever.)
 */
class MtpLengthMismatchTestCase : public TestCase
{
  public:
    MtpLengthMismatchTestCase()
        : TestCase("a bad first DATA (wrong length) is forgotten, not a livelock")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        const Injector in{sm, HostOf(net.clientAddrs[0]), HostOf(net.serverHost)};

        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(MakePattern(9, 30000), net.ServerAddress(100));
            MtpDataHeader h;
            h.SetSourcePort(client.socket->GetDefaultPort());
            h.SetDestinationPort(100);
            h.SetSenderId(id);
            h.SetMessageLength(30001);
            h.SetIncoming(10000);
            h.SetOffset(0);
            Ptr<Packet> p = Create<Packet>(100);
            p->AddHeader(h);
            in.Inject(p);
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        NS_TEST_ASSERT_MSG_NE(id, 0, "started");
        NS_TEST_EXPECT_MSG_EQ(Drops(sm, MtpDropReason::LENGTH_MISMATCH), 1, "one packet refused");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsDiscarded, 1, "and the RPC forgotten");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().timeouts, 0, "no timeout");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().restarts, 0, "no restart");
        NS_TEST_EXPECT_MSG_GT(sm->GetMetrics().resendsSent, 0, "the lost bytes asked for again");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 9, 30000), true, "response intact");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "no failure");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 1, "executed once");
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPC freed");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "client RPC freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }
};

/**
 * The same for a response: right after a client sends its request, a forged
 * DATA packet of the response (the server's id and port) claims a
 * 30080-byte message.  Two ways out, one per request size, both found by
 * fuzz/mtp-fuzz-receive (its input is in fuzz/corpus), where the client
 * used to wait for ever, answering the server's RESENDs with BUSY:
 *  - 30000 bytes (scheduled): the forged packet stops the request half
 *    sent; the server asks for request bytes the client never sent, which
 *    proves the response bytes held are not the server's: the client drops
 *    them and goes back to sending its request;
 *  - 100 bytes (sent whole at once): the server's one real response packet
 *    disagrees on the length: the client drops it (LENGTH_MISMATCH) and the
 *    two bytes it held, and its RESEND gets the response again.
 * Either way the RPC completes, executed once, and the network falls idle.
 */
class MtpResponseLengthMismatchTestCase : public TestCase
{
  public:
    /** \param request the request (and response) size */
    explicit MtpResponseLengthMismatchTestCase(uint32_t request)
        : TestCase("a forged first response DATA (wrong length) after a " +
                   std::to_string(request) + "-byte request is forgotten, not a livelock"),
          m_request(request)
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        const Injector in{cm, HostOf(net.serverHost), HostOf(net.clientAddrs[0])};
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(MakePattern(9, m_request), net.ServerAddress(100));
            MtpDataHeader h;
            h.SetSourcePort(100);
            h.SetDestinationPort(client.socket->GetDefaultPort());
            h.SetSenderId(id ^ 1);
            h.SetMessageLength(30080);
            h.SetIncoming(10000);
            h.SetOffset(0);
            Ptr<Packet> p = Create<Packet>(2);
            p->AddHeader(h);
            in.Inject(p);
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        NS_TEST_ASSERT_MSG_NE(id, 0, "started");
        NS_TEST_EXPECT_MSG_EQ(Drops(cm, MtpDropReason::LENGTH_MISMATCH),
                              (m_request > 1000 ? 0 : 1),
                              "real response packets refused");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().timeouts, 0, "no timeout");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 9, m_request),
                              true,
                              "response intact");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "no failure");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 1, "executed once");
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPC freed");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "client RPC freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    uint32_t m_request; //!< request and response size
};

// ---------------------------------------------------------------------------
// 3. Homa's wire fields and the checksum
// ---------------------------------------------------------------------------

/**
 * An RPC over a real path with checksums on (ForceChecksum) and one request
 * segment lost, so that every kind of packet an exchange produces, a
 * retransmission included, is sent: every packet either host sends carries
 * Homa's flags, urgent and doff, a DATA packet its offset where Homa puts it
 * (sequence; seg.offset -1 the first time, the offset when retransmitted),
 * and a checksum that is right for its addresses; no packet is dropped by
 * the receivers and the RPC completes intact.
 */
class MtpWireFieldsTestCase : public TestCase
{
  public:
    /** \param ipv6 run over IPv6 */
    explicit MtpWireFieldsTestCase(bool ipv6)
        : TestCase(std::string("Homa's doff, flags, urgent, offset and a right checksum in every "
                               "packet sent, one retransmission (") +
                   (ipv6 ? "IPv6)" : "IPv4)")),
          m_ipv6(ipv6)
    {
    }

  private:
    /** One packet a host handed to IP. */
    struct Sent
    {
        Ptr<const Packet> packet; //!< MTP header and payload
        MtpAddress from;          //!< the sending host
        MtpAddress to;            //!< the destination host
    };

    /** Tx trace sink of the client. */
    void OnClientTx(Ptr<const Packet> p, const Address& to, uint8_t)
    {
        m_sent.push_back({p->Copy(), m_clientHost, HostOf(to)});
    }

    /** Tx trace sink of the server. */
    void OnServerTx(Ptr<const Packet> p, const Address& to, uint8_t)
    {
        m_sent.push_back({p->Copy(), m_serverHost, HostOf(to)});
    }

    /**
     * \brief Check one sent packet's wire fields and checksum.
     * \param s the packet
     * \param[in,out] retransmits counts retransmitted DATA packets
     */
    void CheckSent(const Sent& s, uint32_t& retransmits)
    {
        MtpHeader common;
        NS_TEST_ASSERT_MSG_EQ(MtpHeader::Peek(s.packet, common), MtpDropReason::NONE, "parses");
        const std::string what = MtpPacketTypeName(common.GetType());
        const MtpPseudoHeader pseudo = m_ipv6 ? MtpPseudoHeader(s.from.GetIpv6(), s.to.GetIpv6())
                                              : MtpPseudoHeader(s.from.GetIpv4(), s.to.GetIpv4());
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::IsChecksumValid(s.packet, pseudo), true, what);
        NS_TEST_EXPECT_MSG_EQ(+common.GetFlags(), 0x06, what << ": flags");
        NS_TEST_EXPECT_MSG_EQ(common.GetUrgent(), 0xB97D, what << ": urgent");
        NS_TEST_EXPECT_MSG_EQ(common.GetWindow(), 0, what << ": window");
        const bool data = common.GetType() == MtpPacketType::DATA;
        NS_TEST_EXPECT_MSG_EQ(+common.GetDoff(), (data ? 0xE0 : 0x50), what << ": doff");
        if (!data)
        {
            NS_TEST_EXPECT_MSG_EQ(common.GetSequence(), 0, what << ": sequence");
            return;
        }
        MtpDataHeader d;
        s.packet->PeekHeader(d);
        NS_TEST_EXPECT_MSG_EQ(d.GetSequence(), d.GetOffset(), "DATA: offset in sequence");
        if (d.GetRetransmit())
        {
            ++retransmits;
            NS_TEST_EXPECT_MSG_EQ(d.GetSegOffset(), d.GetSequence(), "resent: offset in both");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(d.GetSegOffset(), 0xFFFFFFFF, "first time: seg.offset -1");
        }
    }

    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.mtp.SetAttribute("ForceChecksum", BooleanValue(true));
        net.Build();
        PatternServer server;
        server.responseSize = 100;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        NS_TEST_ASSERT_MSG_EQ(cm->IsChecksumEnabled(), true, "ForceChecksum turns them on");

        m_clientHost = HostOf(net.clientAddrs[0]);
        m_serverHost = HostOf(net.serverHost);
        cm->TraceConnectWithoutContext("Tx",
                                       MakeCallback(&MtpWireFieldsTestCase::OnClientTx, this));
        sm->TraceConnectWithoutContext("Tx",
                                       MakeCallback(&MtpWireFieldsTestCase::OnServerTx, this));

        // Lose the third request segment once: the server asks for it with RESEND.
        const uint32_t segment = 1500 - (m_ipv6 ? 40 : 20) - MtpDataHeader::SIZE;
        Ptr<MtpFilterModel> filter = CreateObject<MtpFilterModel>();
        filter->select = [filter, segment](const MtpHeader& h, Ptr<const Packet> p) {
            if (h.GetType() != MtpPacketType::DATA || (h.GetSenderId() & 1) || filter->dropped)
            {
                return false;
            }
            MtpDataHeader d;
            p->PeekHeader(d);
            return d.GetOffset() == 2 * segment;
        };
        net.serverLink.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(filter));
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(MakePattern(3, 30000), net.ServerAddress(100));
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        filter->select = nullptr;

        NS_TEST_EXPECT_MSG_EQ(filter->dropped, 1, "one request segment lost");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 4, 100), true, "response intact");
        NS_TEST_ASSERT_MSG_EQ(server.received.size(), 1, "one request");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(server.received[0], 3, 30000), true, "request intact");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().TotalDrops(), 0, "client dropped nothing");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().TotalDrops(), 0, "server dropped nothing");
        std::set<MtpPacketType> types;
        uint32_t retransmits = 0;
        for (const Sent& s : m_sent)
        {
            CheckSent(s, retransmits);
            MtpHeader h;
            MtpHeader::Peek(s.packet, h);
            types.insert(h.GetType());
        }
        NS_TEST_EXPECT_MSG_EQ(retransmits, 1, "the lost segment was sent again");
        for (MtpPacketType t : {MtpPacketType::DATA,
                                MtpPacketType::GRANT,
                                MtpPacketType::RESEND,
                                MtpPacketType::NEED_ACK,
                                MtpPacketType::ACK})
        {
            NS_TEST_EXPECT_MSG_EQ(types.count(t), 1, t << " was sent and checked");
        }
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    bool m_ipv6;              //!< address family
    MtpAddress m_clientHost;  //!< the client's address
    MtpAddress m_serverHost;  //!< the server's address
    std::vector<Sent> m_sent; //!< every packet either host sent
};

/**
 * With checksums on, a packet whose checksum is wrong (a flipped payload or
 * header byte, a zero field as older MTP sent, a packet too short to hold
 * the field) is dropped before anything in it is believed, counted once as
 * bad_checksum and traced, and draws no ICMP; a right one is accepted.  With
 * checksums off (the default) the same corrupted packet is accepted; ns-3's
 * ChecksumEnabled turns them on as ForceChecksum does.
 */
class MtpBadChecksumTestCase : public TestCase
{
  public:
    /** \param ipv6 run over IPv6 */
    explicit MtpBadChecksumTestCase(bool ipv6)
        : TestCase(std::string("a wrong checksum is dropped and counted when checksums are on (") +
                   (ipv6 ? "IPv6)" : "IPv4)")),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        BooleanValue oldGlobal;
        GlobalValue::GetValueByName("ChecksumEnabled", oldGlobal);
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        const uint16_t port = 100;
        PatternServer server;
        server.Start(net.server, port);
        Ptr<MtpL4Protocol> mtp = MtpOf(net.server);
        TraceLog log;
        log.Connect(mtp);
        const Injector in{mtp, HostOf(net.clientAddrs[0]), HostOf(net.serverHost)};
        const MtpPseudoHeader pseudo = m_ipv6 ? MtpPseudoHeader(in.src.GetIpv6(), in.dst.GetIpv6())
                                              : MtpPseudoHeader(in.src.GetIpv4(), in.dst.GetIpv4());

        // A one-packet request of 1000 bytes from client RPC `id`.
        auto request = [&](uint64_t id, bool checksum) {
            MtpDataHeader h;
            h.SetSourcePort(0x8000);
            h.SetDestinationPort(port);
            h.SetSenderId(id);
            h.SetMessageLength(1000);
            h.SetIncoming(1000);
            h.SetOffset(0);
            if (checksum)
            {
                h.EnableChecksum(pseudo);
            }
            return Bytes(WithHeader(h, 1000));
        };
        auto packet = [](const std::vector<uint8_t>& b) {
            return Create<Packet>(b.data(), b.size());
        };
        auto expectDrop = [&](const std::vector<uint8_t>& b, const std::string& what) {
            const uint64_t before = Drops(mtp, MtpDropReason::BAD_CHECKSUM);
            const uint64_t total = mtp->GetMetrics().TotalDrops();
            const std::size_t traced = log.drops.size();
            const uint32_t live = mtp->GetLiveRpcCount();
            NS_TEST_EXPECT_MSG_EQ(in.Inject(packet(b)), IpL4Protocol::RX_OK, what << ": no ICMP");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::BAD_CHECKSUM) - before,
                                  1,
                                  what << ": counted as bad_checksum");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetMetrics().TotalDrops() - total, 1, what << ": once");
            NS_TEST_ASSERT_MSG_EQ(log.drops.size() - traced, 1, what << ": traced");
            NS_TEST_EXPECT_MSG_EQ(log.drops.back(), MtpDropReason::BAD_CHECKSUM, what);
            NS_TEST_EXPECT_MSG_EQ(mtp->GetLiveRpcCount(), live, what << ": no RPC created");
        };

        Simulator::Schedule(MicroSeconds(1), [&]() {
            NS_TEST_EXPECT_MSG_EQ(mtp->IsChecksumEnabled(), false, "off by default");
            std::vector<uint8_t> corrupt = request(2, true);
            corrupt[56 + 500] ^= 0x01;
            NS_TEST_EXPECT_MSG_EQ(in.Inject(packet(corrupt)), IpL4Protocol::RX_OK, "accepted");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetMetrics().TotalDrops(), 0, "not checked when off");

            mtp->SetAttribute("ForceChecksum", BooleanValue(true));
            NS_TEST_EXPECT_MSG_EQ(mtp->IsChecksumEnabled(), true, "forced on");
            corrupt = request(4, true);
            corrupt[56 + 500] ^= 0x01;
            expectDrop(corrupt, "payload bit flipped");
            std::vector<uint8_t> port = request(4, true);
            port[3] ^= 0x40; // destination port 100 -> 36: no socket, but no ICMP either
            expectDrop(port, "destination port corrupted");
            expectDrop(request(4, false), "checksum field 0 (older MTP)");
            expectDrop(std::vector<uint8_t>(10, 0), "10-byte packet");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::NO_SOCKET), 0, "port never read");
            NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::TRUNCATED), 0, "checked first");

            const uint64_t received = mtp->GetMetrics().packetsReceived[Ix(MtpPacketType::DATA)];
            NS_TEST_EXPECT_MSG_EQ(in.Inject(packet(request(6, true))), IpL4Protocol::RX_OK, "ok");
            NS_TEST_EXPECT_MSG_EQ(mtp->GetMetrics().packetsReceived[Ix(MtpPacketType::DATA)] -
                                      received,
                                  1,
                                  "a right checksum is accepted");

            // ns-3's global switch turns them on too.
            mtp->SetAttribute("ForceChecksum", BooleanValue(false));
            GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
            NS_TEST_EXPECT_MSG_EQ(mtp->IsChecksumEnabled(), true, "ChecksumEnabled");
            corrupt = request(8, true);
            corrupt[56 + 999] ^= 0x80;
            expectDrop(corrupt, "last payload byte, global switch");
            GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
        });
        NS_TEST_EXPECT_MSG_EQ(RunUntilQuiet(AllMtp(net), Seconds(1)), true, "simulation ends");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 2, "the two accepted requests ran");
        NS_TEST_EXPECT_MSG_EQ(Drops(mtp, MtpDropReason::BAD_CHECKSUM), 5, "five bad checksums");
        Simulator::Destroy();
        GlobalValue::Bind("ChecksumEnabled", oldGlobal);
    }

    bool m_ipv6; //!< address family
};

/** The suite. */
class MtpL4ProtocolTestSuite : public TestSuite
{
  public:
    MtpL4ProtocolTestSuite()
        : TestSuite("mtp-l4-protocol", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpMalformedInputTestCase(false));
        AddTestCase(new MtpMalformedInputTestCase(true));
        AddTestCase(new MtpFuzzTestCase(false));
        AddTestCase(new MtpFuzzTestCase(true));
        AddTestCase(new MtpIcmpPortUnreachableTestCase(false));
        AddTestCase(new MtpIcmpPortUnreachableTestCase(true));
        AddTestCase(new MtpHostUnreachableTestCase(false));
        AddTestCase(new MtpHostUnreachableTestCase(true));
        AddTestCase(new MtpNoMtpHostTestCase(false));
        AddTestCase(new MtpNoMtpHostTestCase(true));
        AddTestCase(new MtpIcmpMappingTestCase(false));
        AddTestCase(new MtpIcmpMappingTestCase(true));
        AddTestCase(new MtpLengthMismatchTestCase());
        AddTestCase(new MtpResponseLengthMismatchTestCase(30000));
        AddTestCase(new MtpResponseLengthMismatchTestCase(100));
        AddTestCase(new MtpWireFieldsTestCase(false));
        AddTestCase(new MtpWireFieldsTestCase(true));
        AddTestCase(new MtpBadChecksumTestCase(false));
        AddTestCase(new MtpBadChecksumTestCase(true));
    }
};

/** Static instance registering the suite. */
MtpL4ProtocolTestSuite g_mtpL4ProtocolTestSuite;

} // namespace
