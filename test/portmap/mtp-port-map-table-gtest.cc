/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the port mapper's simulator-free parts: the mapping table
 * (pool allocation, references, the no-port-map flag, restore for replay,
 * removal of unknown mappings, the real-port veto of emulation), the remote-info table (consumed on
 * read) and the daemon message format, byte for byte.
 */

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/mtp-port-map-message.h"
#include "ns3/mtp-port-map-table.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <random>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{

/// \return a.b.c.d:port
MtpPortMapEndpoint
V4(const char* ip, uint16_t port)
{
    return MtpPortMapEndpoint(MtpAddress(Ipv4Address(ip)), port);
}

/// \return [ip]:port
MtpPortMapEndpoint
V6(const char* ip, uint16_t port)
{
    return MtpPortMapEndpoint(MtpAddress(Ipv6Address(ip)), port);
}

} // namespace

TEST(MtpPortMapTable, AllocatesPoolPortsRoundRobin)
{
    MtpPortMapTable t(100, 102);
    MtpPortMapEndpoint m;
    ASSERT_EQ(t.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m), MtpError::OK);
    EXPECT_EQ(m, V4("10.0.0.1", 100));
    ASSERT_EQ(t.Add(V4("10.0.0.1", 8), MTP_PORTMAP_NONE, m), MtpError::OK);
    EXPECT_EQ(m, V4("10.0.0.1", 101));
    // Another address has its own port space but the cursor moves on.
    ASSERT_EQ(t.Add(V4("10.0.0.2", 7), MTP_PORTMAP_NONE, m), MtpError::OK);
    EXPECT_EQ(m, V4("10.0.0.2", 102));
    ASSERT_EQ(t.Add(V4("10.0.0.1", 9), MTP_PORTMAP_NONE, m), MtpError::OK);
    EXPECT_EQ(m, V4("10.0.0.1", 102));
    // 10.0.0.1 holds 100..102: the pool is exhausted for it.
    EXPECT_EQ(t.Add(V4("10.0.0.1", 10), MTP_PORTMAP_NONE, m), MtpError::ADDRINUSE);
    EXPECT_EQ(t.Size(), 4u);
    const MtpPortMapTable::Entry* e = t.FindMapped(V4("10.0.0.2", 102));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->local, V4("10.0.0.2", 7));
}

TEST(MtpPortMapTable, SameLocalTwiceSharesOneMappingUntilRemovedTwice)
{
    MtpPortMapTable t(200, 300);
    MtpPortMapEndpoint m1;
    MtpPortMapEndpoint m2;
    ASSERT_EQ(t.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m1), MtpError::OK);
    ASSERT_EQ(t.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m2), MtpError::OK);
    EXPECT_EQ(m1, m2);
    EXPECT_EQ(t.Find(V4("10.0.0.1", 7))->refs, 2u);
    bool gone = true;
    EXPECT_EQ(t.Remove(V4("10.0.0.1", 7), gone), MtpError::OK);
    EXPECT_FALSE(gone);
    EXPECT_EQ(t.Remove(V4("10.0.0.1", 7), gone), MtpError::OK);
    EXPECT_TRUE(gone);
    EXPECT_EQ(t.Size(), 0u);
    EXPECT_EQ(t.FindMapped(m1), nullptr);
}

TEST(MtpPortMapTable, RemoveOfUnknownMappingIsNoent)
{
    MtpPortMapTable t(200, 300);
    bool gone = true;
    EXPECT_EQ(t.Remove(V4("10.0.0.1", 7), gone), MtpError::NOENT);
    EXPECT_FALSE(gone);
    MtpPortMapEndpoint m;
    ASSERT_EQ(t.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m), MtpError::OK);
    EXPECT_EQ(t.Remove(V4("10.0.0.1", 8), gone), MtpError::NOENT);
    EXPECT_EQ(t.Remove(V4("10.0.0.2", 7), gone), MtpError::NOENT);
    EXPECT_EQ(t.Size(), 1u);
}

TEST(MtpPortMapTable, NoPortMapKeepsThePortAndRefusesATakenOne)
{
    MtpPortMapTable t(200, 201);
    MtpPortMapEndpoint m;
    ASSERT_EQ(t.Add(V4("10.0.0.1", 5000), MTP_PORTMAP_NO_PORT_MAP, m), MtpError::OK);
    EXPECT_EQ(m, V4("10.0.0.1", 5000));
    EXPECT_EQ(t.Find(V4("10.0.0.1", 5000))->flags, uint32_t(MTP_PORTMAP_NO_PORT_MAP));
    ASSERT_EQ(t.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m), MtpError::OK);
    EXPECT_EQ(m.port, 200);
    // 200 is 10.0.0.1:7's mapped port: a no-port-map of local port 200 clashes.
    EXPECT_EQ(t.Add(V4("10.0.0.1", 200), MTP_PORTMAP_NO_PORT_MAP, m), MtpError::ADDRINUSE);
}

TEST(MtpPortMapTable, PortZeroIsInvalid)
{
    MtpPortMapTable t(200, 300);
    MtpPortMapEndpoint m;
    EXPECT_EQ(t.Add(V4("10.0.0.1", 0), MTP_PORTMAP_NONE, m), MtpError::INVAL);
    EXPECT_EQ(t.Size(), 0u);
}

TEST(MtpPortMapTable, RestoreKeepsMappedPortsAndRefusesClashes)
{
    MtpPortMapTable before(200, 300);
    MtpPortMapEndpoint m;
    before.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m);
    before.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m);
    before.Add(V4("10.0.0.1", 8), MTP_PORTMAP_NONE, m);
    MtpPortMapTable after(200, 300);
    for (const auto& e : before.Entries())
    {
        EXPECT_EQ(after.Restore(e), MtpError::OK);
    }
    ASSERT_EQ(after.Size(), 2u);
    EXPECT_EQ(after.Find(V4("10.0.0.1", 7))->mapped, V4("10.0.0.1", 200));
    EXPECT_EQ(after.Find(V4("10.0.0.1", 7))->refs, 2u);
    EXPECT_EQ(after.Find(V4("10.0.0.1", 8))->mapped, V4("10.0.0.1", 201));
    // A new mapping does not take a restored port.
    ASSERT_EQ(after.Add(V4("10.0.0.1", 9), MTP_PORTMAP_NONE, m), MtpError::OK);
    EXPECT_EQ(m, V4("10.0.0.1", 202));
    MtpPortMapTable::Entry clash;
    clash.local = V4("10.0.0.1", 10);
    clash.mapped = V4("10.0.0.1", 201);
    EXPECT_EQ(after.Restore(clash), MtpError::ADDRINUSE);
    clash.local = V4("10.0.0.1", 7);
    clash.mapped = V4("10.0.0.1", 250);
    EXPECT_EQ(after.Restore(clash), MtpError::ALREADY);
    EXPECT_EQ(after.Find(V4("10.0.0.1", 7))->mapped, V4("10.0.0.1", 200));
}

TEST(MtpPortMapTable, FindLocalOrAnyFallsBackToTheUnspecifiedAddress)
{
    MtpPortMapTable t(200, 300);
    MtpPortMapEndpoint m;
    ASSERT_EQ(t.Add(V4("0.0.0.0", 7), MTP_PORTMAP_NONE, m), MtpError::OK);
    const MtpPortMapTable::Entry* e = t.FindLocalOrAny(V4("10.0.0.1", 7));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->mapped, V4("0.0.0.0", 200));
    EXPECT_TRUE(e->mapped.IsAnyAddress());
    EXPECT_EQ(t.FindLocalOrAny(V4("10.0.0.1", 8)), nullptr);
    EXPECT_EQ(t.Find(V4("10.0.0.1", 7)), nullptr);
}

TEST(MtpRemoteInfoTable, ReadConsumesSecondReadIsNoent)
{
    MtpRemoteInfoTable r;
    r.Put(V4("10.0.0.2", 200), V4("10.0.0.1", 300), V4("10.0.0.1", 9));
    MtpPortMapEndpoint real;
    EXPECT_EQ(r.Take(V4("10.0.0.2", 200), V4("10.0.0.1", 301), real), MtpError::NOENT);
    ASSERT_EQ(r.Take(V4("10.0.0.2", 200), V4("10.0.0.1", 300), real), MtpError::OK);
    EXPECT_EQ(real, V4("10.0.0.1", 9));
    EXPECT_EQ(r.Take(V4("10.0.0.2", 200), V4("10.0.0.1", 300), real), MtpError::NOENT);
    EXPECT_EQ(r.Size(), 0u);
}

TEST(MtpPortMapEndpoint, SocketAddressRoundTripAndPrinting)
{
    MtpPortMapEndpoint ep;
    ASSERT_TRUE(MtpPortMapEndpoint::FromSocketAddress(InetSocketAddress("10.1.2.3", 4), ep));
    EXPECT_EQ(ep, V4("10.1.2.3", 4));
    Address back = ep.ToSocketAddress();
    ASSERT_TRUE(InetSocketAddress::IsMatchingType(back));
    EXPECT_EQ(InetSocketAddress::ConvertFrom(back).GetPort(), 4);
    std::ostringstream os;
    os << ep;
    EXPECT_EQ(os.str(), "10.1.2.3:4");
    ASSERT_TRUE(
        MtpPortMapEndpoint::FromSocketAddress(Inet6SocketAddress(Ipv6Address("2001:db8::1"), 80),
                                              ep));
    os.str("");
    os << ep;
    EXPECT_EQ(os.str(), "[2001:db8::1]:80");
    EXPECT_FALSE(MtpPortMapEndpoint::FromSocketAddress(Address(), ep));
}

TEST(MtpPortMapMessage, QueryBytes)
{
    MtpPortMapMessage q;
    q.type = MtpPortMapMessage::QUERY;
    q.flags = MTP_PORTMAP_NO_PORT_MAP;
    q.sequence = 0x01020304;
    q.a = V4("10.0.0.1", 0x1234);
    q.b = V4("10.0.0.1", 0x4000);
    q.c = V4("10.0.0.2", 100);
    std::vector<uint8_t> got = q.Serialize();
    std::vector<uint8_t> want = {2, 1, 0, 1, 1, 2, 3, 4};
    auto endpoint = [&want](uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
        std::vector<uint8_t> e = {4, 0, uint8_t(port >> 8), uint8_t(port & 0xff), a, b, c, d};
        e.resize(20, 0);
        want.insert(want.end(), e.begin(), e.end());
    };
    endpoint(10, 0, 0, 1, 0x1234);
    endpoint(10, 0, 0, 1, 0x4000);
    endpoint(10, 0, 0, 2, 100);
    ASSERT_EQ(want.size(), MtpPortMapMessage::SIZE);
    EXPECT_EQ(got, want);
    MtpPortMapMessage back;
    ASSERT_TRUE(MtpPortMapMessage::Deserialize(got.data(), got.size(), back));
    EXPECT_EQ(back.type, MtpPortMapMessage::QUERY);
    EXPECT_EQ(back.flags, MTP_PORTMAP_NO_PORT_MAP);
    EXPECT_EQ(back.sequence, 0x01020304u);
    EXPECT_EQ(back.a, q.a);
    EXPECT_EQ(back.b, q.b);
    EXPECT_EQ(back.c, q.c);
    EXPECT_TRUE(back.a.addr.IsIpv4());
}

TEST(MtpPortMapMessage, Ipv6QueryBytes)
{
    MtpPortMapMessage q;
    q.type = MtpPortMapMessage::QUERY;
    q.sequence = 9;
    q.a = V6("2001:1::1", 0x8001);
    q.b = V6("2001:1::1", 0x4000);
    q.c = V6("2001:2::1", 100);
    std::vector<uint8_t> got = q.Serialize();
    std::vector<uint8_t> want = {2, 1, 0, 0, 0, 0, 0, 9};
    auto endpoint = [&want](uint8_t net, uint16_t port) {
        std::vector<uint8_t> e = {6, 0, uint8_t(port >> 8), uint8_t(port & 0xff)};
        std::vector<uint8_t> addr = {0x20, 0x01, 0, net, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        e.insert(e.end(), addr.begin(), addr.end());
        want.insert(want.end(), e.begin(), e.end());
    };
    endpoint(1, 0x8001);
    endpoint(1, 0x4000);
    endpoint(2, 100);
    ASSERT_EQ(want.size(), MtpPortMapMessage::SIZE);
    EXPECT_EQ(got, want);
    MtpPortMapMessage back;
    ASSERT_EQ(MtpPortMapMessage::Parse(got.data(), got.size(), back), MtpPortMapDropReason::NONE);
    EXPECT_EQ(back.a, q.a);
    EXPECT_EQ(back.b, q.b);
    EXPECT_EQ(back.c, q.c);
    EXPECT_FALSE(back.c.addr.IsIpv4());
}

TEST(MtpPortMapMessage, AnswerWithStatusAndIpv6RoundTrip)
{
    MtpPortMapMessage a;
    a.type = MtpPortMapMessage::ANSWER;
    a.status = MtpError::NOTCONN;
    a.sequence = 7;
    a.a = V6("2001:db8::2", 100);
    std::vector<uint8_t> bytes = a.Serialize();
    EXPECT_EQ(bytes[1], 2);
    EXPECT_EQ(bytes[2], static_cast<uint8_t>(MtpError::NOTCONN));
    EXPECT_EQ(bytes[8], 6) << "family of A";
    EXPECT_EQ(bytes[28], 6) << "unused B is [::]:0";
    MtpPortMapMessage back;
    ASSERT_TRUE(MtpPortMapMessage::Deserialize(bytes.data(), bytes.size(), back));
    EXPECT_EQ(back.status, MtpError::NOTCONN);
    EXPECT_EQ(back.a, a.a);
    EXPECT_FALSE(back.a.addr.IsIpv4());
}

/// A valid IPv6 ANSWER (OK, B = [2001:2::1]:0x4000) to corrupt.
std::vector<uint8_t>
GoodIpv6Answer()
{
    MtpPortMapMessage a;
    a.type = MtpPortMapMessage::ANSWER;
    a.sequence = 5;
    a.a = V6("2001:2::1", 100);
    a.b = V6("2001:2::1", 0x4000);
    return a.Serialize();
}

/// \return Parse's verdict on `bytes`, and that a refused message left `out` alone
MtpPortMapDropReason
ParseUntouched(const std::vector<uint8_t>& bytes, uint32_t size)
{
    MtpPortMapMessage out;
    out.sequence = 99;
    MtpPortMapDropReason r = MtpPortMapMessage::Parse(bytes.data(), size, out);
    if (r != MtpPortMapDropReason::NONE)
    {
        EXPECT_EQ(out.sequence, 99u) << "refused message must not touch the output";
    }
    return r;
}

TEST(MtpPortMapMessage, RejectsBadSizeVersionTypeAndStatus)
{
    std::vector<uint8_t> bytes = GoodIpv6Answer();
    ASSERT_EQ(ParseUntouched(bytes, bytes.size()), MtpPortMapDropReason::NONE);
    EXPECT_EQ(ParseUntouched(bytes, bytes.size() - 1), MtpPortMapDropReason::BAD_SIZE);
    std::vector<uint8_t> longer = bytes;
    longer.push_back(0);
    EXPECT_EQ(ParseUntouched(longer, longer.size()), MtpPortMapDropReason::BAD_SIZE);
    MtpPortMapMessage out;
    EXPECT_EQ(MtpPortMapMessage::Parse(nullptr, bytes.size(), out), MtpPortMapDropReason::BAD_SIZE);
    EXPECT_EQ(ParseUntouched(bytes, 0), MtpPortMapDropReason::BAD_SIZE);
    auto corrupt = [&bytes](uint32_t at, uint8_t value) {
        std::vector<uint8_t> b = bytes;
        b[at] = value;
        return ParseUntouched(b, b.size());
    };
    EXPECT_EQ(corrupt(0, 1), MtpPortMapDropReason::BAD_VERSION) << "version 1 (62-byte) format";
    EXPECT_EQ(corrupt(1, 3), MtpPortMapDropReason::BAD_TYPE);
    EXPECT_EQ(corrupt(1, 0), MtpPortMapDropReason::BAD_TYPE);
    EXPECT_EQ(corrupt(2, static_cast<uint8_t>(MtpError::SRCH) + 1),
              MtpPortMapDropReason::BAD_STATUS);
    EXPECT_EQ(corrupt(2, 0xff), MtpPortMapDropReason::BAD_STATUS);
}

TEST(MtpPortMapMessage, RejectsMalformedIpv6Endpoints)
{
    std::vector<uint8_t> bytes = GoodIpv6Answer();
    auto corrupt = [&bytes](uint32_t at, std::vector<uint8_t> values) {
        std::vector<uint8_t> b = bytes;
        std::copy(values.begin(), values.end(), b.begin() + at);
        return ParseUntouched(b, b.size());
    };
    for (uint32_t ep : {8u, 28u, 48u}) // endpoints A, B, C
    {
        SCOPED_TRACE(ep);
        for (uint8_t family : {0, 2, 5, 10, 0xff}) // AF_INET / AF_INET6 of Linux are not ours
        {
            EXPECT_EQ(corrupt(ep, {family}), MtpPortMapDropReason::BAD_FAMILY) << int(family);
        }
        EXPECT_EQ(corrupt(ep + 1, {1}), MtpPortMapDropReason::BAD_RESERVED);
        // An IPv4-mapped address under the IPv6 family (::ffff:10.0.0.1).
        EXPECT_EQ(corrupt(ep + 4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1}),
                  MtpPortMapDropReason::BAD_ADDRESS);
        // The IPv4 family with a non-zero byte in the 12 bytes of padding.
        EXPECT_EQ(corrupt(ep, {4, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
                  MtpPortMapDropReason::BAD_ADDRESS);
        // The IPv4 family, address padded with zeros: a valid IPv4 endpoint.
        EXPECT_EQ(corrupt(ep, {4, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
                  MtpPortMapDropReason::NONE);
    }
    // An OK ANSWER must name a mapped port; a failed one need not.
    EXPECT_EQ(corrupt(30, {0, 0}), MtpPortMapDropReason::BAD_ANSWER);
    std::vector<uint8_t> failed = bytes;
    failed[2] = static_cast<uint8_t>(MtpError::NOTCONN);
    failed[30] = failed[31] = 0;
    EXPECT_EQ(ParseUntouched(failed, failed.size()), MtpPortMapDropReason::NONE);
}

TEST(MtpPortMapMessage, EveryTruncationAndByteFlipIsHandled)
{
    std::vector<uint8_t> bytes = GoodIpv6Answer();
    for (uint32_t n = 0; n < bytes.size(); ++n)
    {
        EXPECT_EQ(ParseUntouched(bytes, n), MtpPortMapDropReason::BAD_SIZE) << n;
    }
    // Every single-byte value at every offset parses or is refused with a
    // reason (never a crash), and what parses serializes back to the input.
    for (uint32_t at = 0; at < bytes.size(); ++at)
    {
        for (uint32_t v = 0; v < 256; ++v)
        {
            std::vector<uint8_t> b = bytes;
            b[at] = uint8_t(v);
            MtpPortMapMessage m;
            MtpPortMapDropReason r = MtpPortMapMessage::Parse(b.data(), b.size(), m);
            ASSERT_LT(static_cast<int>(r), static_cast<int>(MtpPortMapDropReason::COUNT));
            if (r == MtpPortMapDropReason::NONE)
            {
                EXPECT_EQ(m.Serialize(), b) << "offset " << at << " value " << v;
            }
        }
    }
}

TEST(MtpPortMapMessage, RandomMutationsParseOrAreRefusedWithAReason)
{
    // Deterministic: a fixed-seed generator changes 1 to 8 random bytes of a
    // valid IPv6 ANSWER, or makes a random datagram of 0..80 bytes.
    std::mt19937 rng(20261203);
    const std::vector<uint8_t> good = GoodIpv6Answer();
    uint32_t parsed = 0;
    for (uint32_t round = 0; round < 50000; ++round)
    {
        std::vector<uint8_t> b = good;
        if (round % 4 == 3)
        {
            b.resize(rng() % 81);
            for (auto& byte : b)
            {
                byte = uint8_t(rng());
            }
        }
        else
        {
            for (uint32_t n = 1 + rng() % 8; n > 0; --n)
            {
                b[rng() % b.size()] = uint8_t(rng());
            }
        }
        MtpPortMapMessage m;
        MtpPortMapDropReason r = MtpPortMapMessage::Parse(b.data(), b.size(), m);
        ASSERT_LT(static_cast<int>(r), static_cast<int>(MtpPortMapDropReason::COUNT));
        ASSERT_NE(r, MtpPortMapDropReason::UNMATCHED_ANSWER) << "the daemon's reason, not Parse's";
        if (r == MtpPortMapDropReason::NONE)
        {
            ++parsed;
            ASSERT_EQ(m.Serialize(), b) << "round " << round;
        }
    }
    EXPECT_GT(parsed, 0u) << "some mutations (sequence, flags, ports, addresses) stay valid";
}

TEST(MtpPortMapMessage, DropReasonNames)
{
    std::ostringstream os;
    os << MtpPortMapDropReason::BAD_FAMILY << " " << MtpPortMapDropReason::UNMATCHED_ANSWER << " "
       << static_cast<MtpPortMapDropReason>(200);
    EXPECT_EQ(os.str(), "BAD_FAMILY UNMATCHED_ANSWER UNKNOWN(200)");
}

TEST(MtpPortMapTable, AcceptVetoSkipsPortsAndRefusesNoPortMap)
{
    MtpPortMapTable t(200, 203);
    std::vector<uint16_t> asked;
    auto accept = [&asked](const MtpPortMapEndpoint& m) {
        asked.push_back(m.port);
        return m.port != 200 && m.port != 201; // the real host holds 200 and 201
    };
    MtpPortMapEndpoint m;
    ASSERT_EQ(t.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m, accept), MtpError::OK);
    EXPECT_EQ(m.port, 202);
    EXPECT_EQ(asked, (std::vector<uint16_t>{200, 201, 202}));
    // Known local: no new port, no question.
    ASSERT_EQ(t.Add(V4("10.0.0.1", 7), MTP_PORTMAP_NONE, m, accept), MtpError::OK);
    EXPECT_EQ(asked.size(), 3u);
    EXPECT_EQ(t.Add(V4("10.0.0.1", 201), MTP_PORTMAP_NO_PORT_MAP, m, accept), MtpError::ADDRINUSE);
    ASSERT_EQ(t.Add(V4("10.0.0.1", 8), MTP_PORTMAP_NONE, m, accept), MtpError::OK);
    EXPECT_EQ(m.port, 203);
    EXPECT_EQ(t.Add(V4("10.0.0.1", 9), MTP_PORTMAP_NONE, m, accept), MtpError::ADDRINUSE);
}
