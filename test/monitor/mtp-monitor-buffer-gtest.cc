/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of MtpMonitorBuffer: consuming and positioned peeks across gaps
 * and retransmitted bytes under both overlap policies, the bounded window and
 * its overflow count, the ring wrapping, and the error of each bad read.
 */

#include "ns3/mtp-monitor-buffer.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

/// Write text at an offset.
void
Put(MtpMonitorBuffer& b, uint64_t offset, const std::string& text)
{
    b.Write(offset, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

/// \return what Peek gives for up to n bytes
std::string
Take(MtpMonitorBuffer& b, uint32_t n)
{
    std::string out(n, '\0');
    uint32_t got = b.Peek(reinterpret_cast<uint8_t*>(&out[0]), n);
    out.resize(got);
    return out;
}

/// \return what PositionedPeek gives, or "" with `err` set
std::string
At(const MtpMonitorBuffer& b, uint64_t offset, uint32_t n, MtpError& err)
{
    std::string out(n, '\0');
    err = b.PositionedPeek(offset, reinterpret_cast<uint8_t*>(&out[0]), n);
    return err == MtpError::OK ? out : "";
}

TEST(MtpMonitorBuffer, OverlapPolicies)
{
    // "AAAA" at 0, then a retransmission "BBBB" at 2 whose bytes differ.
    MtpMonitorBuffer first(16, MTP_OVERLAP_FIRST);
    Put(first, 0, "AAAA");
    Put(first, 2, "BBBB");
    MtpMonitorBuffer last(16, MTP_OVERLAP_LAST);
    Put(last, 0, "AAAA");
    Put(last, 2, "BBBB");
    MtpError e;
    EXPECT_EQ(At(first, 0, 6, e), "AAAABB");
    EXPECT_EQ(At(last, 0, 6, e), "AABBBB");
    EXPECT_EQ(Take(first, 100), "AAAABB");
    EXPECT_EQ(Take(last, 100), "AABBBB");
    EXPECT_EQ(first.GetOverflow(), 0u);
}

TEST(MtpMonitorBuffer, PeekStopsAtAGapPositionedPeekDoesNotConsume)
{
    MtpMonitorBuffer b(16, MTP_OVERLAP_FIRST);
    Put(b, 0, "abc");
    Put(b, 5, "fgh"); // 3 and 4 lost for now
    MtpError e;
    EXPECT_EQ(At(b, 5, 3, e), "fgh");
    EXPECT_EQ(e, MtpError::OK);
    EXPECT_EQ(At(b, 2, 3, e), "");
    EXPECT_EQ(e, MtpError::AGAIN); // byte 3 not there
    EXPECT_EQ(b.GetHeld(), 6u);
    EXPECT_EQ(Take(b, 10), "abc");
    EXPECT_EQ(b.GetConsumed(), 3u);
    EXPECT_EQ(Take(b, 10), "");
    Put(b, 3, "de"); // the retransmission fills the gap
    EXPECT_EQ(At(b, 3, 5, e), "defgh");
    EXPECT_EQ(Take(b, 2), "de");
    EXPECT_EQ(Take(b, 10), "fgh");
    EXPECT_EQ(b.GetHeld(), 0u);
    EXPECT_EQ(At(b, 0, 1, e), "");
    EXPECT_EQ(e, MtpError::INVAL); // consumed
    Put(b, 0, "xyz");              // a late copy of consumed bytes is ignored
    EXPECT_EQ(b.GetHeld(), 0u);
}

TEST(MtpMonitorBuffer, RepackedRetransmissionStraddlesTheReadPoint)
{
    // TCP may resend bytes with other segment boundaries: a copy that starts
    // before the read point and runs past it changes only the unread bytes, and
    // of those only the ones the policy lets it.
    for (MtpOverlapPolicy policy : {MTP_OVERLAP_FIRST, MTP_OVERLAP_LAST})
    {
        MtpMonitorBuffer b(16, policy);
        Put(b, 0, "abcd");
        Put(b, 6, "gh");
        EXPECT_EQ(Take(b, 3), "abc");
        Put(b, 1, "WXYZUV"); // offsets 1-6: 1, 2 consumed; 3 held; 4, 5 new; 6 held
        MtpError e;
        bool last = policy == MTP_OVERLAP_LAST;
        EXPECT_EQ(At(b, 3, 5, e), last ? "YZUVh" : "dZUgh");
        EXPECT_EQ(b.GetHeld(), 5u);
        EXPECT_EQ(Take(b, 10), last ? "YZUVh" : "dZUgh");
        EXPECT_EQ(b.GetConsumed(), 8u);
    }
}

TEST(MtpMonitorBuffer, WindowOverflowAndWrap)
{
    MtpMonitorBuffer b(4, MTP_OVERLAP_LAST);
    Put(b, 0, "012345"); // 4 and 5 do not fit
    EXPECT_EQ(b.GetOverflow(), 2u);
    MtpError e;
    EXPECT_EQ(At(b, 2, 3, e), "");
    EXPECT_EQ(e, MtpError::INVAL); // beyond the window
    EXPECT_EQ(Take(b, 3), "012");
    Put(b, 4, "456"); // the window now reaches offset 6: 4, 5, 6 fit (ring wraps)
    EXPECT_EQ(b.GetOverflow(), 2u);
    EXPECT_EQ(At(b, 3, 4, e), "3456");
    EXPECT_EQ(Take(b, 10), "3456");
    MtpMonitorBuffer none(0, MTP_OVERLAP_FIRST);
    Put(none, 0, "ab");
    EXPECT_EQ(none.GetOverflow(), 2u);
    EXPECT_EQ(Take(none, 2), "");
}

} // namespace
