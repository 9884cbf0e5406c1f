/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of MtpOutMessage and MtpInMessage: segmentation, grants,
 * retransmission ranges, restart, and byte-exact reassembly of random content
 * received in random order with duplicates and overlaps.
 */

#include "ns3/mtp-message.h"
#include "ns3/packet.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint32_t kSeg = 1400;      //!< segment size used by most tests
constexpr uint32_t kUnsched = 10000; //!< unscheduled bytes used by most tests

/**
 * \param size number of bytes
 * \param seed generator seed
 * \return reproducible pseudo-random bytes
 */
std::vector<uint8_t>
RandomBytes(uint32_t size, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<uint8_t> bytes(size);
    for (auto& b : bytes)
    {
        b = static_cast<uint8_t>(rng() & 0xff);
    }
    return bytes;
}

/**
 * \param bytes content
 * \return a packet holding exactly those bytes
 */
Ptr<Packet>
MakePacket(const std::vector<uint8_t>& bytes)
{
    return Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()));
}

/**
 * \param p a packet
 * \return its bytes
 */
std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> out(p->GetSize());
    if (!out.empty())
    {
        p->CopyData(out.data(), static_cast<uint32_t>(out.size()));
    }
    return out;
}

/// Message sizes around the segment boundaries plus large ones.
std::vector<uint32_t>
InterestingSizes()
{
    return {1, kSeg - 1, kSeg, kSeg + 1, 100000, 1000000};
}

} // namespace

// ---------------------------------------------------------------------------
// MtpOutMessage
// ---------------------------------------------------------------------------

TEST(MtpOutMessage, InitialState)
{
    auto content = RandomBytes(5000, 1);
    MtpOutMessage m(MakePacket(content), kSeg, kUnsched);
    EXPECT_EQ(m.GetLength(), 5000u);
    EXPECT_EQ(m.GetSegmentSize(), kSeg);
    EXPECT_EQ(m.GetUnscheduled(), 5000u); // clamped to the length
    EXPECT_EQ(m.GetGranted(), 5000u);
    EXPECT_EQ(m.GetNextOffset(), 0u);
    EXPECT_EQ(m.GetBytesRemaining(), 5000u);
    EXPECT_TRUE(m.HasSendable());
    EXPECT_FALSE(m.IsFullySent());

    MtpOutMessage big(Create<Packet>(50000), kSeg, kUnsched);
    EXPECT_EQ(big.GetUnscheduled(), kUnsched);
    EXPECT_EQ(big.GetGranted(), kUnsched);
}

// Every size: segments are kSeg bytes except the last, contiguous, and their
// bytes concatenated equal the payload.
TEST(MtpOutMessage, SegmentationCoversPayloadExactly)
{
    for (uint32_t size : InterestingSizes())
    {
        SCOPED_TRACE(size);
        auto content = RandomBytes(size, size);
        MtpOutMessage m(MakePacket(content), kSeg, kUnsched);
        m.Grant(size);
        std::vector<uint8_t> sent;
        uint32_t expectedOffset = 0;
        uint32_t count = 0;
        while (m.HasSendable())
        {
            MtpSegment s = m.TakeNextSegment();
            EXPECT_EQ(s.offset, expectedOffset);
            uint32_t expectedLength = std::min(kSeg, size - expectedOffset);
            ASSERT_EQ(s.length, expectedLength);
            auto bytes = Bytes(m.GetBytes(s));
            ASSERT_EQ(bytes.size(), s.length);
            sent.insert(sent.end(), bytes.begin(), bytes.end());
            expectedOffset += s.length;
            ++count;
            EXPECT_EQ(m.GetNextOffset(), expectedOffset);
            EXPECT_EQ(m.GetBytesRemaining(), size - expectedOffset);
        }
        EXPECT_EQ(count, (size + kSeg - 1) / kSeg);
        EXPECT_TRUE(m.IsFullySent());
        EXPECT_EQ(m.GetBytesRemaining(), 0u);
        EXPECT_EQ(sent, content);
    }
}

// A segment goes out once its first byte is granted: 10000 unscheduled bytes
// with 1400-byte segments release 8 segments (the 8th starts at 9800).
TEST(MtpOutMessage, SendableStopsAtGrantedOffset)
{
    MtpOutMessage m(Create<Packet>(100000), kSeg, kUnsched);
    uint32_t count = 0;
    while (m.HasSendable())
    {
        m.TakeNextSegment();
        ++count;
    }
    EXPECT_EQ(count, 8u);
    EXPECT_EQ(m.GetNextOffset(), 8 * kSeg);
    EXPECT_FALSE(m.IsFullySent());

    // A grant ending exactly at a segment start does not release that segment.
    EXPECT_TRUE(m.Grant(8 * kSeg + 1));
    EXPECT_TRUE(m.HasSendable());
    EXPECT_EQ(m.TakeNextSegment().offset, 8 * kSeg);
    EXPECT_FALSE(m.HasSendable());
    EXPECT_TRUE(m.Grant(10 * kSeg));
    EXPECT_TRUE(m.HasSendable());
    m.TakeNextSegment();
    EXPECT_FALSE(m.HasSendable()); // next one starts at exactly the granted offset
}

TEST(MtpOutMessage, GrantOnlyGrowsAndClampsToLength)
{
    MtpOutMessage m(Create<Packet>(30000), kSeg, kUnsched);
    EXPECT_FALSE(m.Grant(5000)); // below the unscheduled bytes
    EXPECT_EQ(m.GetGranted(), kUnsched);
    EXPECT_FALSE(m.Grant(kUnsched));
    EXPECT_TRUE(m.Grant(20000));
    EXPECT_EQ(m.GetGranted(), 20000u);
    EXPECT_FALSE(m.Grant(15000));
    EXPECT_EQ(m.GetGranted(), 20000u);
    EXPECT_TRUE(m.Grant(std::numeric_limits<uint32_t>::max()));
    EXPECT_EQ(m.GetGranted(), 30000u);
    EXPECT_FALSE(m.Grant(40000));
    EXPECT_EQ(m.GetGranted(), 30000u);
}

TEST(MtpOutMessage, TakeWithoutSendableIsHarmless)
{
    MtpOutMessage m(Create<Packet>(3000), kSeg, kUnsched);
    while (m.HasSendable())
    {
        m.TakeNextSegment();
    }
    MtpSegment s = m.TakeNextSegment();
    EXPECT_EQ(s.length, 0u);
    EXPECT_EQ(m.GetNextOffset(), 3000u);
}

// RESEND ranges expand to whole, aligned segments and stop at the bytes sent.
TEST(MtpOutMessage, ResendSegmentsAreAligned)
{
    const uint32_t size = 10 * kSeg + 500; // 11 segments, the last of 500 bytes
    MtpOutMessage m(Create<Packet>(size), kSeg, size);

    // Nothing sent yet: nothing to resend.
    EXPECT_TRUE(m.SegmentsToResend(0, size).empty());

    for (int i = 0; i < 5; ++i)
    {
        m.TakeNextSegment();
    }
    ASSERT_EQ(m.GetNextOffset(), 5 * kSeg);

    // A range inside one segment gives that segment.
    auto r = m.SegmentsToResend(kSeg + 10, 20);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].offset, kSeg);
    EXPECT_EQ(r[0].length, kSeg);

    // A range straddling a boundary gives both segments.
    r = m.SegmentsToResend(2 * kSeg - 1, 2);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].offset, kSeg);
    EXPECT_EQ(r[1].offset, 2 * kSeg);

    // Exactly one segment.
    r = m.SegmentsToResend(3 * kSeg, kSeg);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].offset, 3 * kSeg);

    // "Everything from offset" is limited to what was sent.
    r = m.SegmentsToResend(kSeg + 700, std::numeric_limits<uint32_t>::max());
    ASSERT_EQ(r.size(), 4u);
    for (uint32_t i = 0; i < r.size(); ++i)
    {
        EXPECT_EQ(r[i].offset, (i + 1) * kSeg);
        EXPECT_EQ(r[i].length, kSeg);
    }

    // Beyond the sent part: nothing.
    EXPECT_TRUE(m.SegmentsToResend(5 * kSeg, 100).empty());
    EXPECT_TRUE(m.SegmentsToResend(7 * kSeg, std::numeric_limits<uint32_t>::max()).empty());
    // Zero length, or offset past the end: nothing.
    EXPECT_TRUE(m.SegmentsToResend(0, 0).empty());
    EXPECT_TRUE(m.SegmentsToResend(size, 10).empty());
    EXPECT_TRUE(m.SegmentsToResend(std::numeric_limits<uint32_t>::max(), 10).empty());
    // offset + length overflowing 32 bits is handled.
    r = m.SegmentsToResend(4 * kSeg, std::numeric_limits<uint32_t>::max() - 1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].offset, 4 * kSeg);

    // Once all is sent, the short last segment comes back with its true length.
    while (m.HasSendable())
    {
        m.TakeNextSegment();
    }
    r = m.SegmentsToResend(size - 1, 1);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].offset, 10 * kSeg);
    EXPECT_EQ(r[0].length, 500u);
    r = m.SegmentsToResend(0, std::numeric_limits<uint32_t>::max());
    EXPECT_EQ(r.size(), 11u);
}

// The bytes of a resent segment are those of the original.
TEST(MtpOutMessage, ResendBytesMatchOriginal)
{
    auto content = RandomBytes(20000, 7);
    MtpOutMessage m(MakePacket(content), kSeg, 20000);
    std::vector<std::vector<uint8_t>> originals;
    while (m.HasSendable())
    {
        originals.push_back(Bytes(m.GetBytes(m.TakeNextSegment())));
    }
    for (const auto& s : m.SegmentsToResend(0, std::numeric_limits<uint32_t>::max()))
    {
        EXPECT_EQ(Bytes(m.GetBytes(s)), originals.at(s.offset / kSeg));
    }
}

TEST(MtpOutMessage, GetBytesClipsAndHandlesEmpty)
{
    auto content = RandomBytes(3000, 3);
    MtpOutMessage m(MakePacket(content), kSeg, kUnsched);
    auto tail = Bytes(m.GetBytes(MtpSegment{2500, 1000}));
    EXPECT_EQ(tail, std::vector<uint8_t>(content.begin() + 2500, content.end()));
    EXPECT_EQ(m.GetBytes(MtpSegment{3000, 10})->GetSize(), 0u);
    EXPECT_EQ(m.GetBytes(MtpSegment{0, 0})->GetSize(), 0u);
}

TEST(MtpOutMessage, RestartStartsOver)
{
    auto content = RandomBytes(50000, 11);
    MtpOutMessage m(MakePacket(content), kSeg, kUnsched);
    m.Grant(30000);
    while (m.HasSendable())
    {
        m.TakeNextSegment();
    }
    ASSERT_GT(m.GetNextOffset(), 0u);
    m.Restart();
    EXPECT_EQ(m.GetNextOffset(), 0u);
    EXPECT_EQ(m.GetGranted(), kUnsched);
    EXPECT_EQ(m.GetBytesRemaining(), 50000u);
    EXPECT_TRUE(m.SegmentsToResend(0, std::numeric_limits<uint32_t>::max()).empty());
    MtpSegment first = m.TakeNextSegment();
    EXPECT_EQ(first.offset, 0u);
    EXPECT_EQ(Bytes(m.GetBytes(first)),
              std::vector<uint8_t>(content.begin(), content.begin() + kSeg));
}

TEST(MtpOutMessage, DegenerateInputDoesNotCrash)
{
    MtpOutMessage zeroSeg(Create<Packet>(5), 0, kUnsched);
    EXPECT_EQ(zeroSeg.GetSegmentSize(), 1u);
    uint32_t n = 0;
    while (zeroSeg.HasSendable())
    {
        EXPECT_EQ(zeroSeg.TakeNextSegment().length, 1u);
        ++n;
    }
    EXPECT_EQ(n, 5u);
    EXPECT_EQ(zeroSeg.SegmentsToResend(2, 2).size(), 2u);

    MtpOutMessage empty(nullptr, kSeg, kUnsched);
    EXPECT_EQ(empty.GetLength(), 0u);
    EXPECT_EQ(empty.GetBytes(MtpSegment{0, 10})->GetSize(), 0u);
}

// An empty message is one empty segment: sendable once, without grants, and
// resendable once sent; a restart makes it sendable again.
TEST(MtpOutMessage, EmptyMessageIsOneEmptySegment)
{
    MtpOutMessage empty(Create<Packet>(), kSeg, kUnsched);
    EXPECT_EQ(empty.GetUnscheduled(), 0u);
    EXPECT_TRUE(empty.HasSendable());
    EXPECT_FALSE(empty.IsFullySent());
    EXPECT_TRUE(empty.SegmentsToResend(0, 100).empty());
    MtpSegment seg = empty.TakeNextSegment();
    EXPECT_EQ(seg.offset, 0u);
    EXPECT_EQ(seg.length, 0u);
    EXPECT_FALSE(empty.HasSendable());
    EXPECT_TRUE(empty.IsFullySent());
    ASSERT_EQ(empty.SegmentsToResend(0, std::numeric_limits<uint32_t>::max()).size(), 1u);
    EXPECT_EQ(empty.SegmentsToResend(0, 10)[0].length, 0u);
    empty.Restart();
    EXPECT_TRUE(empty.HasSendable());
    EXPECT_FALSE(empty.IsFullySent());
}

// ---------------------------------------------------------------------------
// MtpInMessage
// ---------------------------------------------------------------------------

TEST(MtpInMessage, InitialState)
{
    MtpInMessage m(30000, 10000);
    EXPECT_EQ(m.GetLength(), 30000u);
    EXPECT_EQ(m.GetBytesReceived(), 0u);
    EXPECT_EQ(m.GetBytesRemaining(), 30000u);
    EXPECT_FALSE(m.IsComplete());
    EXPECT_EQ(m.GetIncoming(), 10000u);
    MtpSegment gap;
    ASSERT_TRUE(m.FirstGap(m.GetIncoming(), gap));
    EXPECT_EQ(gap.offset, 0u);
    EXPECT_EQ(gap.length, 10000u);

    MtpInMessage small(500, 10000);
    EXPECT_EQ(small.GetIncoming(), 500u); // clamped
}

TEST(MtpInMessage, SetIncomingOnlyGrowsAndClamps)
{
    MtpInMessage m(30000, 10000);
    m.SetIncoming(5000);
    EXPECT_EQ(m.GetIncoming(), 10000u);
    m.SetIncoming(20000);
    EXPECT_EQ(m.GetIncoming(), 20000u);
    m.SetIncoming(50000);
    EXPECT_EQ(m.GetIncoming(), 30000u);
}

// In-order arrival, one segment at a time; duplicates add nothing.
TEST(MtpInMessage, InOrderAndDuplicates)
{
    auto content = RandomBytes(5000, 21);
    auto payload = MakePacket(content);
    MtpInMessage m(5000, 5000);
    EXPECT_EQ(m.AddSegment(0, payload->CreateFragment(0, 1400)), 1400u);
    EXPECT_EQ(m.AddSegment(0, payload->CreateFragment(0, 1400)), 0u);
    EXPECT_EQ(m.AddSegment(1400, payload->CreateFragment(1400, 1400)), 1400u);
    EXPECT_EQ(m.GetBytesReceived(), 2800u);
    EXPECT_EQ(m.AddSegment(2800, payload->CreateFragment(2800, 1400)), 1400u);
    EXPECT_FALSE(m.IsComplete());
    EXPECT_EQ(m.AddSegment(4200, payload->CreateFragment(4200, 800)), 800u);
    EXPECT_TRUE(m.IsComplete());
    EXPECT_EQ(m.GetBytesRemaining(), 0u);
    EXPECT_EQ(m.AddSegment(1400, payload->CreateFragment(1400, 1400)), 0u);
    EXPECT_EQ(m.GetBytesReceived(), 5000u);
    EXPECT_EQ(Bytes(m.Assemble()), content);
}

// Overlapping pieces count only their new bytes, and reassembly keeps the
// bytes of whichever copy arrived first (identical here).
TEST(MtpInMessage, OverlapsCountOnlyNewBytes)
{
    auto content = RandomBytes(10000, 22);
    auto payload = MakePacket(content);
    MtpInMessage m(10000, 10000);
    EXPECT_EQ(m.AddSegment(2000, payload->CreateFragment(2000, 2000)), 2000u); // [2000,4000)
    EXPECT_EQ(m.AddSegment(6000, payload->CreateFragment(6000, 1000)), 1000u); // [6000,7000)
    // [1000,8000) covers both plus three holes: 1000 + 2000 + 1000 new bytes.
    EXPECT_EQ(m.AddSegment(1000, payload->CreateFragment(1000, 7000)), 4000u);
    EXPECT_EQ(m.GetBytesReceived(), 7000u);
    EXPECT_EQ(m.AddSegment(0, payload->CreateFragment(0, 1500)), 1000u);
    EXPECT_EQ(m.AddSegment(7500, payload->CreateFragment(7500, 2500)), 2000u);
    EXPECT_TRUE(m.IsComplete());
    EXPECT_EQ(Bytes(m.Assemble()), content);
}

TEST(MtpInMessage, FirstGap)
{
    auto payload = Create<Packet>(20000);
    MtpInMessage m(20000, 20000);
    MtpSegment gap;

    ASSERT_TRUE(m.FirstGap(20000, gap));
    EXPECT_EQ(gap.offset, 0u);
    EXPECT_EQ(gap.length, 20000u);
    ASSERT_TRUE(m.FirstGap(5000, gap)); // clipped to the limit
    EXPECT_EQ(gap.offset, 0u);
    EXPECT_EQ(gap.length, 5000u);
    EXPECT_FALSE(m.FirstGap(0, gap));

    m.AddSegment(3000, payload->CreateFragment(3000, 2000)); // holds [3000,5000)
    ASSERT_TRUE(m.FirstGap(20000, gap));
    EXPECT_EQ(gap.offset, 0u);
    EXPECT_EQ(gap.length, 3000u);
    ASSERT_TRUE(m.FirstGap(1000, gap));
    EXPECT_EQ(gap.length, 1000u);

    m.AddSegment(0, payload->CreateFragment(0, 1000)); // holds [0,1000) [3000,5000)
    ASSERT_TRUE(m.FirstGap(20000, gap));
    EXPECT_EQ(gap.offset, 1000u);
    EXPECT_EQ(gap.length, 2000u);
    EXPECT_FALSE(m.FirstGap(1000, gap)); // nothing missing below 1000
    ASSERT_TRUE(m.FirstGap(1001, gap));
    EXPECT_EQ(gap.offset, 1000u);
    EXPECT_EQ(gap.length, 1u);

    m.AddSegment(1000, payload->CreateFragment(1000, 2000)); // holds [0,5000)
    ASSERT_TRUE(m.FirstGap(20000, gap));
    EXPECT_EQ(gap.offset, 5000u);
    EXPECT_EQ(gap.length, 15000u); // up to the end of the message
    EXPECT_FALSE(m.FirstGap(5000, gap));
    ASSERT_TRUE(m.FirstGap(std::numeric_limits<uint32_t>::max(), gap)); // limit clipped
    EXPECT_EQ(gap.length, 15000u);

    m.AddSegment(8000, payload->CreateFragment(8000, 12000)); // holds [0,5000) [8000,20000)
    ASSERT_TRUE(m.FirstGap(20000, gap));
    EXPECT_EQ(gap.offset, 5000u);
    EXPECT_EQ(gap.length, 3000u);

    m.AddSegment(5000, payload->CreateFragment(5000, 3000));
    EXPECT_TRUE(m.IsComplete());
    EXPECT_FALSE(m.FirstGap(20000, gap));
}

TEST(MtpInMessage, BadSegmentsAreClampedOrIgnored)
{
    auto content = RandomBytes(3000, 23);
    auto payload = MakePacket(content);
    MtpInMessage m(2000, 2000);
    EXPECT_EQ(m.AddSegment(2000, payload->CreateFragment(0, 100)), 0u); // at the end
    EXPECT_EQ(m.AddSegment(std::numeric_limits<uint32_t>::max(), payload), 0u);
    EXPECT_EQ(m.AddSegment(0, nullptr), 0u);
    EXPECT_EQ(m.AddSegment(0, Create<Packet>()), 0u);
    EXPECT_EQ(m.GetBytesReceived(), 0u);
    // Reaches past the end: only the first 2000 bytes are kept.
    EXPECT_EQ(m.AddSegment(0, payload), 2000u);
    EXPECT_TRUE(m.IsComplete());
    EXPECT_EQ(Bytes(m.Assemble()), std::vector<uint8_t>(content.begin(), content.begin() + 2000));
}

// The sender's segments, shuffled, with duplicates of some and extra pieces
// of arbitrary ranges (overlapping retransmissions) mixed in: the counts of
// new bytes match a brute-force byte map at every step and the reassembled
// message is byte-identical.
TEST(MtpInMessage, RandomOrderReassemblyIsByteExact)
{
    std::mt19937 rng(12345);
    for (uint32_t size : InterestingSizes())
    {
        SCOPED_TRACE(size);
        auto content = RandomBytes(size, size * 7 + 1);
        auto payload = MakePacket(content);
        MtpOutMessage out(payload, kSeg, size);
        std::vector<MtpSegment> pieces;
        while (out.HasSendable())
        {
            pieces.push_back(out.TakeNextSegment());
        }
        std::size_t segments = pieces.size();
        // Duplicates of a quarter of the segments (at least one).
        for (std::size_t i = 0; i < segments / 4 + 1; ++i)
        {
            pieces.push_back(pieces[rng() % segments]);
        }
        // Overlapping ranges of arbitrary offset and length.
        for (std::size_t i = 0; i < segments / 4 + 2; ++i)
        {
            uint32_t off = rng() % size;
            uint32_t len = 1 + rng() % std::min<uint32_t>(size - off, 3 * kSeg);
            pieces.push_back(MtpSegment{off, len});
        }
        std::shuffle(pieces.begin(), pieces.end(), rng);

        MtpInMessage in(size, kUnsched);
        std::vector<bool> held(size, false);
        uint32_t heldCount = 0;
        uint32_t firstMissing = 0; // only moves forward: bytes are never lost
        std::size_t step = 0;
        for (const auto& s : pieces)
        {
            uint32_t expectNew = 0;
            for (uint32_t b = s.offset; b < s.offset + s.length; ++b)
            {
                if (!held[b])
                {
                    held[b] = true;
                    ++expectNew;
                }
            }
            ASSERT_EQ(in.IsComplete(), heldCount == size);
            heldCount += expectNew;
            ASSERT_EQ(in.AddSegment(s.offset, out.GetBytes(s)), expectNew);
            ASSERT_EQ(in.GetBytesReceived(), heldCount);
            ASSERT_EQ(in.GetBytesRemaining(), size - heldCount);
            ASSERT_EQ(in.IsComplete(), heldCount == size);

            // The first gap agrees with the byte map (sampled for the largest
            // message, where the scan would dominate the run time).
            while (firstMissing < size && held[firstMissing])
            {
                ++firstMissing;
            }
            if (size > 100000 && step++ % 64 != 0)
            {
                continue;
            }
            MtpSegment gap;
            if (firstMissing == size)
            {
                ASSERT_FALSE(in.FirstGap(size, gap));
            }
            else
            {
                uint32_t stop = firstMissing;
                while (stop < size && !held[stop])
                {
                    ++stop;
                }
                ASSERT_TRUE(in.FirstGap(size, gap));
                ASSERT_EQ(gap.offset, firstMissing);
                ASSERT_EQ(gap.length, stop - firstMissing);
            }
        }
        ASSERT_TRUE(in.IsComplete());
        Ptr<Packet> assembled = in.Assemble();
        ASSERT_EQ(assembled->GetSize(), size);
        EXPECT_TRUE(Bytes(assembled) == content);
    }
}

// Pieces made of arbitrary random ranges only (never whole segments), until
// everything is covered, in many rounds: still byte-exact.
TEST(MtpInMessage, RandomRangesOnly)
{
    std::mt19937 rng(777);
    for (int round = 0; round < 50; ++round)
    {
        uint32_t size = 1 + rng() % 20000;
        auto content = RandomBytes(size, round);
        auto payload = MakePacket(content);
        MtpInMessage in(size, size);
        uint64_t total = 0;
        int guard = 0;
        while (!in.IsComplete() && guard++ < 100000)
        {
            uint32_t off = rng() % size;
            uint32_t len = 1 + rng() % (size - off);
            len = std::min<uint32_t>(len, 1 + rng() % 3000);
            total += in.AddSegment(off, payload->CreateFragment(off, len));
        }
        ASSERT_TRUE(in.IsComplete());
        EXPECT_EQ(total, size);
        EXPECT_TRUE(Bytes(in.Assemble()) == content);
    }
}

// Assemble() called too early does not crash and returns what is held.
TEST(MtpInMessage, AssembleIncompleteDoesNotCrash)
{
    auto content = RandomBytes(4000, 31);
    auto payload = MakePacket(content);
    MtpInMessage m(4000, 4000);
    m.AddSegment(1000, payload->CreateFragment(1000, 500));
    Ptr<Packet> partial = m.Assemble();
    EXPECT_EQ(partial->GetSize(), 500u);
}
