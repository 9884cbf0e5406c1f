/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of MtpPrioQueue (model/fabric/mtp-prio-queue.h) on its own: frames are
 * built as PointToPointNetDevice queues them (PPP header, IP header,
 * payload) and pushed through the queue directly, so the order, the drops
 * and the rewritten bytes are checked exactly.  The end-to-end behaviour
 * (a short RPC overtaking a backlog at a router) is in mtp-priority.
 */

#include "ns3/boolean.h"
#include "ns3/global-value.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv6-header.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/mtp-prio-queue.h"
#include "ns3/ppp-header.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <vector>

namespace ns3
{
namespace
{

/// Payload byte i of a frame tagged `id`: distinct per frame and offset.
uint8_t
PayloadByte(uint32_t id, uint32_t i)
{
    return static_cast<uint8_t>(id * 31 + i * 7 + (i >> 8));
}

/** \return `size` payload bytes of pattern `id` (PayloadByte) */
Ptr<Packet>
Payload(uint32_t id, uint32_t size)
{
    std::vector<uint8_t> buf(size);
    for (uint32_t i = 0; i < size; ++i)
    {
        buf[i] = PayloadByte(id, i);
    }
    return Create<Packet>(buf.data(), size);
}

/**
 * An IPv4 frame as the point-to-point device queues it.
 * \param id payload pattern and IPv4 identification
 * \param tos the TOS byte (class selector and ECN bits)
 * \param payload payload bytes
 */
Ptr<Packet>
Frame4(uint32_t id, uint8_t tos, uint32_t payload)
{
    Ptr<Packet> p = Payload(id, payload);
    Ipv4Header h;
    h.SetSource(Ipv4Address("10.0.0.1"));
    h.SetDestination(Ipv4Address("10.0.0.2"));
    h.SetProtocol(146);
    h.SetPayloadSize(payload);
    h.SetIdentification(static_cast<uint16_t>(id));
    h.SetTtl(64);
    h.SetTos(tos);
    h.EnableChecksum();
    p->AddHeader(h);
    PppHeader ppp;
    ppp.SetProtocol(MtpPrioQueue::PPP_IPV4);
    p->AddHeader(ppp);
    return p;
}

/**
 * An IPv6 frame as the point-to-point device queues it.
 * \param id payload pattern
 * \param tclass the traffic class byte
 * \param payload payload bytes
 */
Ptr<Packet>
Frame6(uint32_t id, uint8_t tclass, uint32_t payload)
{
    Ptr<Packet> p = Payload(id, payload);
    Ipv6Header h;
    h.SetSource(Ipv6Address("2001:db8::1"));
    h.SetDestination(Ipv6Address("2001:db8::2"));
    h.SetNextHeader(146);
    h.SetPayloadLength(payload);
    h.SetHopLimit(64);
    h.SetTrafficClass(tclass);
    h.SetFlowLabel(0x12345);
    p->AddHeader(h);
    PppHeader ppp;
    ppp.SetProtocol(MtpPrioQueue::PPP_IPV6);
    p->AddHeader(ppp);
    return p;
}

/** A frame that is not IP: PPP's LCP, as a link's control traffic would be. */
Ptr<Packet>
FrameLcp(uint32_t size)
{
    Ptr<Packet> p = Create<Packet>(size);
    PppHeader ppp;
    ppp.SetProtocol(0xc021);
    p->AddHeader(ppp);
    return p;
}

/** \return the id of a Frame4(id, tos, 100 + id) frame, from its length */
uint32_t
IdOf(Ptr<const Packet> p)
{
    return p->GetSize() - 2 - 20 - 100;
}

/** \return every byte of p */
std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

/**
 * Classification: the band is the class selector of the IPv4 TOS or IPv6
 * traffic class, clamped to Bands-1; non-IP frames and runts go to the top
 * band; the ECN bits and the low DSCP bits do not matter.
 */
class MtpPrioQueueClassifyTestCase : public TestCase
{
  public:
    MtpPrioQueueClassifyTestCase()
        : TestCase("MtpPrioQueue: band from the class selector behind the PPP header")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<MtpPrioQueue> q = CreateObject<MtpPrioQueue>();
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame4(1, 0x00, 10)), 0u, "CS0");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame4(1, 0x60, 10)), 3u, "CS3");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame4(1, 0xE0, 10)), 7u, "CS7");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame4(1, 0x7F, 10)), 3u, "DSCP 31 + CE: class 3");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame6(1, 0xB8, 10)), 5u, "IPv6 EF: class 5");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame6(1, 0x23, 10)), 1u, "IPv6 CS1 + CE");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(FrameLcp(20)), 7u, "non-IP: top band");
        uint8_t runt[3] = {0x00, 0x21, 0x45};
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Create<Packet>(runt, 3)), 7u, "runt: top band");
        // IPv4 protocol number but an IPv6 version nibble: not trusted as IP.
        uint8_t mismatch[4] = {0x00, 0x21, 0x60, 0xE0};
        MtpPrioQueue::IpInfo info = MtpPrioQueue::Inspect(Create<Packet>(mismatch, 4));
        NS_TEST_EXPECT_MSG_EQ(info.ip, false, "PPP protocol and IP version must agree");
        info = MtpPrioQueue::Inspect(Frame6(1, 0xA6, 10));
        NS_TEST_EXPECT_MSG_EQ(info.ip && info.ipv6, true, "IPv6 recognized");
        NS_TEST_EXPECT_MSG_EQ(+info.ds, 0xA6, "traffic class read across the nibbles");

        q->SetAttribute("Bands", UintegerValue(4));
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame4(1, 0xE0, 10)), 3u, "CS7 clamps to band 3");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame4(1, 0x40, 10)), 2u, "CS2 stays in band 2");
        NS_TEST_EXPECT_MSG_EQ(q->Classify(FrameLcp(20)), 3u, "non-IP: the top band there");
        q->SetAttribute("Bands", UintegerValue(1));
        NS_TEST_EXPECT_MSG_EQ(q->Classify(Frame4(1, 0xE0, 10)), 0u, "one band: FIFO");
    }
};

/**
 * Scheduling: highest band first, FIFO within a band, whatever the arrival
 * interleaving; a shared limit whose overflow (any band) is dropped and
 * counted; Peek agrees with Dequeue; band counts stay right.
 */
class MtpPrioQueueScheduleTestCase : public TestCase
{
  public:
    MtpPrioQueueScheduleTestCase()
        : TestCase("MtpPrioQueue: strict priority, FIFO per band, shared limit")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<MtpPrioQueue> q = CreateObject<MtpPrioQueue>();
        q->SetAttribute("MaxPackets", UintegerValue(8));
        uint32_t drops = 0;
        q->TraceConnectWithoutContext(
            "DropBeforeEnqueue",
            Callback<void, Ptr<const Packet>>([&drops](Ptr<const Packet>) { ++drops; }));

        // (id, tos) in arrival order; ids identify the frames on the way out.
        const std::vector<std::pair<uint32_t, uint8_t>> arrivals = {{1, 0x00},
                                                                    {2, 0x60},
                                                                    {3, 0x00},
                                                                    {4, 0xE0},
                                                                    {5, 0x60},
                                                                    {6, 0x20},
                                                                    {7, 0xE0},
                                                                    {8, 0x00}};
        for (const auto& [id, tos] : arrivals)
        {
            bool ok = q->Enqueue(Frame4(id, tos, 100 + id));
            NS_TEST_EXPECT_MSG_EQ(ok, true, "frame " << id << " fits");
        }
        NS_TEST_EXPECT_MSG_EQ(q->GetNPackets(), 8u, "eight queued");
        NS_TEST_EXPECT_MSG_EQ(q->GetBandPackets(0), 3u, "three in band 0");
        NS_TEST_EXPECT_MSG_EQ(q->GetBandPackets(3), 2u, "two in band 3");
        NS_TEST_EXPECT_MSG_EQ(q->GetBandPackets(7), 2u, "two in band 7");
        // Full: a top-priority frame is dropped like any other (no push-out).
        bool top = q->Enqueue(Frame4(9, 0xE0, 109));
        bool bottom = q->Enqueue(FrameLcp(50));
        NS_TEST_EXPECT_MSG_EQ(top || bottom, false, "the shared limit holds for every band");
        NS_TEST_EXPECT_MSG_EQ(drops, 2u, "both drops traced");
        NS_TEST_EXPECT_MSG_EQ(q->GetTotalDroppedPacketsBeforeEnqueue(), 2u, "and counted");
        NS_TEST_EXPECT_MSG_EQ(q->GetNPackets(), 8u, "nothing pushed out");

        const std::vector<uint32_t> expected = {4, 7, 2, 5, 6, 1, 3, 8};
        std::vector<uint32_t> order;
        while (!q->IsEmpty())
        {
            Ptr<const Packet> head = q->Peek();
            Ptr<Packet> p = q->Dequeue();
            NS_TEST_ASSERT_MSG_EQ(head, p, "Peek shows what Dequeue takes");
            order.push_back(IdOf(p));
        }
        NS_TEST_ASSERT_MSG_EQ(order.size(), expected.size(), "every frame out once");
        for (std::size_t i = 0; i < expected.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(order[i], expected[i], "dequeue #" << i);
        }
        NS_TEST_EXPECT_MSG_EQ(q->Dequeue(), Ptr<Packet>(), "empty queue gives nothing");
        NS_TEST_EXPECT_MSG_EQ(q->Peek(), Ptr<const Packet>(), "nor does Peek");
        for (uint32_t b = 0; b < MtpPrioQueue::MAX_BANDS; ++b)
        {
            NS_TEST_EXPECT_MSG_EQ(q->GetBandPackets(b), 0u, "band " << b << " empty");
        }

        // Interleaved enqueue and dequeue: a higher band arriving behind a
        // backlog goes to the head; a band emptied and refilled keeps FIFO.
        q->Enqueue(Frame4(20, 0x00, 120));
        q->Enqueue(Frame4(21, 0x20, 121));
        Ptr<Packet> first = q->Dequeue(); // 21 (band 1)
        q->Enqueue(Frame4(22, 0x20, 122));
        q->Enqueue(Frame4(23, 0x40, 123));
        q->Enqueue(Frame4(24, 0x20, 124));
        std::vector<uint32_t> rest;
        while (Ptr<Packet> p = q->Dequeue())
        {
            rest.push_back(IdOf(p));
        }
        NS_TEST_EXPECT_MSG_EQ(IdOf(first), 21u, "band 1 before band 0");
        const std::vector<uint32_t> restExpected = {23, 22, 24, 20};
        NS_TEST_ASSERT_MSG_EQ(rest.size(), restExpected.size(), "four left");
        for (std::size_t i = 0; i < rest.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(rest[i], restExpected[i], "interleaved #" << i);
        }

        // The device queue is never "stopped" by the base class's limit, so
        // the traffic control layer never drops silently (see the header).
        NS_TEST_EXPECT_MSG_EQ(q->GetMaxSize().GetValue(), 9u, "base limit one above ours");
        bool refused = q->SetAttributeFailSafe("MaxPackets", UintegerValue(0));
        NS_TEST_EXPECT_MSG_EQ(refused, false, "a zero limit is refused");
        q->Dispose();
    }
};

/**
 * DCTCP marking: an ECN-capable frame arriving while more than EcnThreshold
 * frames are queued leaves with CE; the rest of the frame is unchanged byte
 * for byte and the IPv4 checksum is right; Not-ECT frames and frames below
 * the threshold are untouched; IPv6 too; 0 disables marking.
 */
class MtpPrioQueueEcnTestCase : public TestCase
{
  public:
    MtpPrioQueueEcnTestCase()
        : TestCase("MtpPrioQueue: DCTCP step marking rewrites only the ECN bits")
    {
    }

  private:
    void DoRun() override
    {
        // Checksums on, so the rewritten IPv4 header's checksum is checked.
        BooleanValue oldChecksum;
        GlobalValue::GetValueByName("ChecksumEnabled", oldChecksum);
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

        Ptr<MtpPrioQueue> q = CreateObject<MtpPrioQueue>();
        q->SetAttribute("EcnThreshold", UintegerValue(2));
        uint32_t traced = 0;
        q->TraceConnectWithoutContext(
            "Mark",
            Callback<void, Ptr<const Packet>>([&traced](Ptr<const Packet>) { ++traced; }));

        // id, tos, queued before it arrives, marked?
        struct Case
        {
            uint32_t id;
            uint8_t tos;
            bool ipv6;
            bool marked;
        };

        const std::vector<Case> cases = {
            {1, 0x02, false, false}, // 0 queued
            {2, 0x02, false, false}, // 1 queued
            {3, 0x01, false, false}, // 2 queued: not more than K
            {4, 0x02, false, true},  // 3 queued: ECT(0) -> CE
            {5, 0x00, false, false}, // Not-ECT: never marked
            {6, 0x21, false, true},  // ECT(1), CS1 -> CE
            {7, 0x03, false, false}, // already CE: left alone
            {8, 0x02, true, true},   // IPv6 ECT(0) -> CE
        };
        std::vector<std::vector<uint8_t>> before;
        for (const Case& c : cases)
        {
            Ptr<Packet> p = c.ipv6 ? Frame6(c.id, c.tos, 200) : Frame4(c.id, c.tos, 200);
            before.push_back(Bytes(p));
            q->Enqueue(p);
        }
        NS_TEST_EXPECT_MSG_EQ(q->GetNMarked(), 3u, "three frames marked");
        NS_TEST_EXPECT_MSG_EQ(traced, 3u, "each traced once");

        // Dequeue order is by band: id 6 (CS1) first, then the CS0 frames.
        std::vector<Ptr<Packet>> out(cases.size() + 1);
        while (Ptr<Packet> p = q->Dequeue())
        {
            std::vector<uint8_t> b = Bytes(p);
            uint32_t id = 0;
            if (b[2] >> 4 == 4)
            {
                id = (b[6] << 8) | b[7]; // IPv4 identification
            }
            else
            {
                id = 8; // the only IPv6 frame
            }
            out[id] = p;
        }
        for (const Case& c : cases)
        {
            NS_TEST_ASSERT_MSG_NE(out[c.id], Ptr<Packet>(), "frame " << c.id << " came out");
            std::vector<uint8_t> got = Bytes(out[c.id]);
            std::vector<uint8_t> want = before[c.id - 1];
            NS_TEST_ASSERT_MSG_EQ(got.size(), want.size(), "frame " << c.id << " length");
            const uint8_t ecn = c.ipv6 ? static_cast<uint8_t>((got[3] >> 4) & 0x3)
                                       : static_cast<uint8_t>(got[3] & 0x3);
            const uint8_t ecnBefore = c.ipv6 ? static_cast<uint8_t>((want[3] >> 4) & 0x3)
                                             : static_cast<uint8_t>(want[3] & 0x3);
            const uint32_t ecnWanted = c.marked ? 3u : ecnBefore;
            NS_TEST_EXPECT_MSG_EQ(uint32_t{ecn}, ecnWanted, "frame " << c.id << " ECN");
            // Every other byte unchanged, except the IPv4 checksum of a
            // marked frame (checked below by deserializing).
            for (std::size_t i = 0; i < got.size(); ++i)
            {
                bool ecnByte = i == 3;
                bool checksum = !c.ipv6 && c.marked && (i == 12 || i == 13);
                if (ecnByte)
                {
                    uint8_t mask = c.ipv6 ? 0xCF : 0xFC;
                    NS_TEST_EXPECT_MSG_EQ(+(got[i] & mask),
                                          +(want[i] & mask),
                                          "frame " << c.id << " byte 3 outside ECN");
                }
                else if (!checksum && got[i] != want[i])
                {
                    NS_TEST_EXPECT_MSG_EQ(+got[i], +want[i], "frame " << c.id << " byte " << i);
                    break;
                }
            }
            if (!c.ipv6)
            {
                Ptr<Packet> copy = out[c.id]->Copy();
                PppHeader ppp;
                copy->RemoveHeader(ppp);
                Ipv4Header h;
                h.EnableChecksum();
                copy->RemoveHeader(h);
                NS_TEST_EXPECT_MSG_EQ(h.IsChecksumOk(), true, "frame " << c.id << " checksum");
            }
        }

        // Threshold 0: never marks, however long the queue.
        Ptr<MtpPrioQueue> off = CreateObject<MtpPrioQueue>();
        for (uint32_t i = 0; i < 50; ++i)
        {
            off->Enqueue(Frame4(100 + i, 0x02, 100));
        }
        NS_TEST_EXPECT_MSG_EQ(off->GetNMarked(), 0u, "EcnThreshold 0 disables marking");
        q->Dispose();
        off->Dispose();
        GlobalValue::Bind("ChecksumEnabled", oldChecksum);
    }
};

} // namespace

/**
 * \ingroup mtp
 * \brief The mtp-prio-queue test suite.
 */
class MtpPrioQueueTestSuite : public TestSuite
{
  public:
    MtpPrioQueueTestSuite()
        : TestSuite("mtp-prio-queue", TestSuite::Type::UNIT)
    {
        AddTestCase(new MtpPrioQueueClassifyTestCase(), MtpTestDuration::QUICK);
        AddTestCase(new MtpPrioQueueScheduleTestCase(), MtpTestDuration::QUICK);
        AddTestCase(new MtpPrioQueueEcnTestCase(), MtpTestDuration::QUICK);
    }
};

/// The one instance, registered with ns-3's test runner.
static MtpPrioQueueTestSuite g_mtpPrioQueueTestSuite;

} // namespace ns3
