/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of mtp-peer.h: MtpAddress (IPv4 kept mapped, conversions to
 * and from ns-3 socket addresses, ordering, printing) and MtpPeer (the
 * state a new peer starts with, and the unscheduled priority chosen from
 * its cutoffs, clamped to the levels in use).
 */

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/mac48-address.h"
#include "ns3/mtp-peer.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace ns3;

namespace
{

/// \return a peer with Homa's default cutoffs as MtpL4Protocol lays them
///         out with 8 levels: 200 B at 7, 2800 B at 6, 15000 B at 5, 1 MB at 4
Ptr<MtpPeer>
HomaDefaultPeer()
{
    Ptr<MtpPeer> peer = Create<MtpPeer>(MtpAddress(Ipv4Address("10.0.0.2")));
    peer->cutoffs = {0, 0, 0, 0, 1000000, 15000, 2800, 200};
    return peer;
}

} // namespace

TEST(MtpAddress, Ipv4IsKeptMapped)
{
    MtpAddress a(Ipv4Address("10.1.2.3"));
    EXPECT_TRUE(a.IsIpv4());
    EXPECT_EQ(a.GetIpv4(), Ipv4Address("10.1.2.3"));
    // ::ffff:10.1.2.3, written in hex (ns-3.37 parses no dotted tail).
    EXPECT_EQ(a.GetIpv6(), Ipv6Address("::ffff:a01:203"));
    EXPECT_TRUE(a == MtpAddress(Ipv6Address("::ffff:a01:203")));
    EXPECT_TRUE(MtpAddress(Ipv6Address("::ffff:a01:203")).IsIpv4());
}

TEST(MtpAddress, Ipv6IsKeptAsIs)
{
    MtpAddress a(Ipv6Address("2001:db8::7"));
    EXPECT_FALSE(a.IsIpv4());
    EXPECT_EQ(a.GetIpv6(), Ipv6Address("2001:db8::7"));
    EXPECT_FALSE(MtpAddress().IsIpv4());
    EXPECT_EQ(MtpAddress().GetIpv6(), Ipv6Address::GetAny());
}

TEST(MtpAddress, ToSocketAddressPicksTheFamily)
{
    Address v4 = MtpAddress(Ipv4Address("10.0.0.1")).ToSocketAddress(4000);
    ASSERT_TRUE(InetSocketAddress::IsMatchingType(v4));
    EXPECT_EQ(InetSocketAddress::ConvertFrom(v4).GetIpv4(), Ipv4Address("10.0.0.1"));
    EXPECT_EQ(InetSocketAddress::ConvertFrom(v4).GetPort(), 4000);

    Address v6 = MtpAddress(Ipv6Address("2001:db8::1")).ToSocketAddress(0x8001);
    ASSERT_TRUE(Inet6SocketAddress::IsMatchingType(v6));
    EXPECT_EQ(Inet6SocketAddress::ConvertFrom(v6).GetIpv6(), Ipv6Address("2001:db8::1"));
    EXPECT_EQ(Inet6SocketAddress::ConvertFrom(v6).GetPort(), 0x8001);
}

TEST(MtpAddress, FromSocketAddressRoundTrips)
{
    MtpAddress addr;
    uint16_t port = 0;
    ASSERT_TRUE(
        MtpAddress::FromSocketAddress(InetSocketAddress(Ipv4Address("10.0.0.9"), 99), addr, port));
    EXPECT_TRUE(addr == MtpAddress(Ipv4Address("10.0.0.9")));
    EXPECT_EQ(port, 99);

    ASSERT_TRUE(
        MtpAddress::FromSocketAddress(Inet6SocketAddress(Ipv6Address("fe80::2"), 7), addr, port));
    EXPECT_TRUE(addr == MtpAddress(Ipv6Address("fe80::2")));
    EXPECT_EQ(port, 7);
}

TEST(MtpAddress, FromSocketAddressRefusesOtherFamilies)
{
    MtpAddress addr(Ipv4Address("1.2.3.4"));
    uint16_t port = 55;
    EXPECT_FALSE(MtpAddress::FromSocketAddress(Mac48Address("00:00:00:00:00:01"), addr, port));
    EXPECT_FALSE(MtpAddress::FromSocketAddress(Address(), addr, port));
    // Outputs untouched on failure.
    EXPECT_TRUE(addr == MtpAddress(Ipv4Address("1.2.3.4")));
    EXPECT_EQ(port, 55);
}

TEST(MtpAddress, OrderFollowsTheIpv6Form)
{
    MtpAddress a(Ipv4Address("10.0.0.1"));
    MtpAddress b(Ipv4Address("10.0.0.2"));
    MtpAddress c(Ipv6Address("2001:db8::1"));
    EXPECT_TRUE(a < b);
    EXPECT_FALSE(b < a);
    EXPECT_FALSE(a < a);
    // ::ffff:... sorts before 2001:db8::...
    EXPECT_TRUE(b < c);
}

TEST(MtpAddress, PrintsInItsOwnFamily)
{
    std::ostringstream os;
    os << MtpAddress(Ipv4Address("192.168.1.20")) << " " << MtpAddress(Ipv6Address("2001:db8::5"));
    EXPECT_EQ(os.str(), "192.168.1.20 2001:db8::5");
}

TEST(MtpPeer, NewPeerDefaults)
{
    Ptr<MtpPeer> peer = Create<MtpPeer>(MtpAddress(Ipv6Address("2001:db8::9")));
    EXPECT_TRUE(peer->GetAddress() == MtpAddress(Ipv6Address("2001:db8::9")));
    for (auto c : peer->cutoffs)
    {
        EXPECT_EQ(c, 0u);
    }
    EXPECT_EQ(peer->cutoffVersion, 0);
    EXPECT_EQ(peer->lastCutoffsSent, Time(-1));
    EXPECT_TRUE(peer->lastCutoffsSent.IsStrictlyNegative());
    EXPECT_TRUE(peer->pendingAcks.empty());
    EXPECT_EQ(peer->route4, nullptr);
    EXPECT_EQ(peer->route6, nullptr);
}

TEST(MtpPeer, ZeroCutoffsAdmitOnlyEmptyMessagesAtTheTop)
{
    Ptr<MtpPeer> peer = Create<MtpPeer>(MtpAddress(Ipv4Address("10.0.0.3")));
    // No cutoff admits a non-empty message: the lowest level.
    EXPECT_EQ(peer->UnschedPriority(1, 8), 0);
    EXPECT_EQ(peer->UnschedPriority(1000000, 8), 0);
    // A cutoff of 0 admits length 0, so an empty message goes at the top in use.
    EXPECT_EQ(peer->UnschedPriority(0, 8), 7);
    EXPECT_EQ(peer->UnschedPriority(0, 3), 2);
}

TEST(MtpPeer, HighestLevelWhoseCutoffAdmitsTheLength)
{
    Ptr<MtpPeer> peer = HomaDefaultPeer();
    EXPECT_EQ(peer->UnschedPriority(1, 8), 7);
    EXPECT_EQ(peer->UnschedPriority(200, 8), 7);
    EXPECT_EQ(peer->UnschedPriority(201, 8), 6);
    EXPECT_EQ(peer->UnschedPriority(2800, 8), 6);
    EXPECT_EQ(peer->UnschedPriority(2801, 8), 5);
    EXPECT_EQ(peer->UnschedPriority(15000, 8), 5);
    EXPECT_EQ(peer->UnschedPriority(15001, 8), 4);
    EXPECT_EQ(peer->UnschedPriority(1000000, 8), 4);
    // Longer than every cutoff: the lowest level.
    EXPECT_EQ(peer->UnschedPriority(1000001, 8), 0);
}

TEST(MtpPeer, PriorityClampedToTheLevelsInUse)
{
    Ptr<MtpPeer> peer = HomaDefaultPeer();
    EXPECT_EQ(peer->UnschedPriority(100, 4), 3);
    EXPECT_EQ(peer->UnschedPriority(20000, 4), 3);
    EXPECT_EQ(peer->UnschedPriority(20000, 5), 4);
    EXPECT_EQ(peer->UnschedPriority(3000, 6), 5);
    EXPECT_EQ(peer->UnschedPriority(100, 1), 0);
    // No levels at all: 0, never an underflow.
    EXPECT_EQ(peer->UnschedPriority(100, 0), 0);
}

TEST(MtpPeer, CutoffsFromTheWireAreUsedAsGiven)
{
    // Non-monotonic cutoffs (a peer's CUTOFFS packet is not checked): the
    // scan from the top still takes the first level that admits the length.
    Ptr<MtpPeer> peer = Create<MtpPeer>(MtpAddress(Ipv4Address("10.0.0.4")));
    peer->cutoffs = {5000, 0, 0, 0, 0, 0, 100, 50};
    EXPECT_EQ(peer->UnschedPriority(40, 8), 7);
    EXPECT_EQ(peer->UnschedPriority(60, 8), 6);
    EXPECT_EQ(peer->UnschedPriority(101, 8), 0);
    EXPECT_EQ(peer->UnschedPriority(5001, 8), 0);
}
