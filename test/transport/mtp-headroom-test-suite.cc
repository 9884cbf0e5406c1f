/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of MtpHeadroom (model/transport/mtp-headroom): making room in front
 * of a packet changes none of its bytes, headers added afterwards give the
 * same bytes as without it, and packets that share bytes (copies) stay
 * independent when both get headers in that room.
 */

#include "../mtp-test-util.h"

#include "ns3/ipv4-header.h"
#include "ns3/mtp-headroom.h"
#include "ns3/packet.h"
#include "ns3/ppp-header.h"
#include "ns3/test.h"

using namespace ns3;

namespace
{

using mtptest::Bytes;
using mtptest::MakePattern;

/** \return an IPv4 header whose fields depend on `ttl` */
Ipv4Header
Ip(uint8_t ttl)
{
    Ipv4Header ip;
    ip.SetSource(Ipv4Address("10.0.0.1"));
    ip.SetDestination(Ipv4Address("10.0.1.2"));
    ip.SetProtocol(146);
    ip.SetTtl(ttl);
    ip.SetPayloadSize(100);
    return ip;
}

} // namespace

/** Room in front changes nothing a reader of the packet can see. */
class MtpHeadroomBytesTestCase : public TestCase
{
  public:
    MtpHeadroomBytesTestCase()
        : TestCase("headroom: the same bytes, with and without it, before and after headers")
    {
    }

  private:
    void DoRun() override
    {
        for (uint32_t room : {0u, 1u, 22u, 64u, MtpHeadroom::MAX_BYTES})
        {
            Ptr<Packet> with = MakePattern(7, 100);
            Ptr<Packet> without = MakePattern(7, 100);
            MtpHeadroom::Reserve(with, room);
            NS_TEST_ASSERT_MSG_EQ(with->GetSize(), 100u, "no bytes added, room " << room);
            NS_TEST_EXPECT_MSG_EQ((Bytes(with) == Bytes(without)), true, "same payload");
            PppHeader ppp;
            ppp.SetProtocol(0x0021);
            for (Ptr<Packet> p : {with, without})
            {
                p->AddHeader(Ip(64));
                p->AddHeader(ppp);
            }
            NS_TEST_EXPECT_MSG_EQ(with->GetSize(), 122u, "headers added");
            NS_TEST_EXPECT_MSG_EQ((Bytes(with) == Bytes(without)),
                                  true,
                                  "same frame, room " << room);
        }
        // A zero-filled payload (no bytes behind it) works the same way.
        Ptr<Packet> virt = Create<Packet>(1000);
        MtpHeadroom::Reserve(virt, 64);
        virt->AddHeader(Ip(9));
        Ptr<Packet> plain = Create<Packet>(1000);
        plain->AddHeader(Ip(9));
        NS_TEST_EXPECT_MSG_EQ((Bytes(virt) == Bytes(plain)), true, "zero-area payload");
    }
};

/**
 * A copy shares the bytes and the room: headers written into the room by
 * one packet never show in the other.
 */
class MtpHeadroomCopiesTestCase : public TestCase
{
  public:
    MtpHeadroomCopiesTestCase()
        : TestCase("headroom: copies that add headers in the shared room stay independent")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Packet> p = MakePattern(3, 100);
        MtpHeadroom::Reserve(p, 64);
        const std::vector<uint8_t> payload = Bytes(p);
        Ptr<Packet> a = p->Copy();
        Ptr<Packet> b = p->Copy();
        a->AddHeader(Ip(10)); // into the room
        b->AddHeader(Ip(20)); // the same room, now taken: b gets its own
        p->AddHeader(Ip(30));
        Ptr<Packet> want = MakePattern(3, 100);
        for (auto [q, ttl] : {std::pair{a, 10}, std::pair{b, 20}, std::pair{p, 30}})
        {
            Ptr<Packet> expected = want->Copy();
            expected->AddHeader(Ip(static_cast<uint8_t>(ttl)));
            NS_TEST_EXPECT_MSG_EQ((Bytes(q) == Bytes(expected)), true, "ttl " << ttl);
            Ipv4Header read;
            q->RemoveHeader(read);
            NS_TEST_EXPECT_MSG_EQ(int(read.GetTtl()), ttl, "its own header");
            NS_TEST_EXPECT_MSG_EQ((Bytes(q) == payload), true, "payload intact");
        }
    }
};

/** The `mtp-headroom` suite. */
class MtpHeadroomTestSuite : public TestSuite
{
  public:
    MtpHeadroomTestSuite()
        : TestSuite("mtp-headroom", TestSuite::Type::UNIT)
    {
        AddTestCase(new MtpHeadroomBytesTestCase());
        AddTestCase(new MtpHeadroomCopiesTestCase());
    }
};

/// The suite's instance.
static MtpHeadroomTestSuite g_mtpHeadroomTestSuite;
