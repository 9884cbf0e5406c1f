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

#include <gtest/gtest.h>
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
    std::vector<uint8_t> want = {1, 1, 0, 1, 1, 2, 3, 4};
    auto endpoint = [&want](uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
        std::vector<uint8_t> e = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
        want.insert(want.end(), e.begin(), e.end());
        want.push_back(port >> 8);
        want.push_back(port & 0xff);
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

TEST(MtpPortMapMessage, AnswerWithStatusAndIpv6RoundTrip)
{
    MtpPortMapMessage a;
    a.type = MtpPortMapMessage::ANSWER;
    a.status = MtpError::NOTCONN;
    a.sequence = 7;
    a.a = MtpPortMapEndpoint(MtpAddress(Ipv6Address("2001:db8::2")), 100);
    std::vector<uint8_t> bytes = a.Serialize();
    EXPECT_EQ(bytes[1], 2);
    EXPECT_EQ(bytes[2], static_cast<uint8_t>(MtpError::NOTCONN));
    MtpPortMapMessage back;
    ASSERT_TRUE(MtpPortMapMessage::Deserialize(bytes.data(), bytes.size(), back));
    EXPECT_EQ(back.status, MtpError::NOTCONN);
    EXPECT_EQ(back.a, a.a);
    EXPECT_FALSE(back.a.addr.IsIpv4());
}

TEST(MtpPortMapMessage, RejectsBadSizeVersionAndType)
{
    MtpPortMapMessage q;
    std::vector<uint8_t> bytes = q.Serialize();
    MtpPortMapMessage out;
    out.sequence = 99;
    EXPECT_FALSE(MtpPortMapMessage::Deserialize(bytes.data(), bytes.size() - 1, out));
    EXPECT_FALSE(MtpPortMapMessage::Deserialize(nullptr, bytes.size(), out));
    bytes[0] = 2;
    EXPECT_FALSE(MtpPortMapMessage::Deserialize(bytes.data(), bytes.size(), out));
    bytes[0] = 1;
    bytes[1] = 3;
    EXPECT_FALSE(MtpPortMapMessage::Deserialize(bytes.data(), bytes.size(), out));
    EXPECT_EQ(out.sequence, 99u);
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
