/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-message.h"

#include "ns3/log.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpMessage");

/*
 * ---------------------------------------------------------------------------
 * MtpOutMessage
 * ---------------------------------------------------------------------------
 */

// A null payload is treated as an empty message, and a zero segment size as 1
// (the caller never passes 0; this only keeps the arithmetic below from dividing
// by zero or looping forever).
MtpOutMessage::MtpOutMessage(Ptr<const Packet> payload, uint32_t segmentSize, uint32_t unschedBytes)
    : m_payload(payload),
      m_length(payload ? payload->GetSize() : 0),
      m_segmentSize(segmentSize > 0 ? segmentSize : 1),
      m_unscheduled(0),
      m_nextOffset(0),
      m_granted(0)
{
    NS_LOG_FUNCTION(this << payload << segmentSize << unschedBytes);
    if (segmentSize == 0)
    {
        NS_LOG_WARN("segment size 0 replaced by 1");
    }
    m_unscheduled = std::min(m_length, unschedBytes);
    m_granted = m_unscheduled;
}

uint32_t
MtpOutMessage::GetLength() const
{
    return m_length;
}

uint32_t
MtpOutMessage::GetSegmentSize() const
{
    return m_segmentSize;
}

uint32_t
MtpOutMessage::GetUnscheduled() const
{
    return m_unscheduled;
}

uint32_t
MtpOutMessage::GetNextOffset() const
{
    return m_nextOffset;
}

uint32_t
MtpOutMessage::GetGranted() const
{
    return m_granted;
}

uint32_t
MtpOutMessage::GetBytesRemaining() const
{
    return m_length - m_nextOffset;
}

// A segment may leave once its first byte is granted: grants are effectively
// rounded up to whole segments, as in Linux Homa.
bool
MtpOutMessage::HasSendable() const
{
    if (m_length == 0)
    {
        // An empty message is one empty segment, sendable once without grants.
        return !m_emptySent;
    }
    return m_nextOffset < m_granted && m_nextOffset < m_length;
}

bool
MtpOutMessage::IsFullySent() const
{
    return m_length == 0 ? m_emptySent : m_nextOffset >= m_length;
}

// Grants only ever move forward; a stale or duplicated GRANT is ignored.
bool
MtpOutMessage::Grant(uint32_t offset)
{
    NS_LOG_FUNCTION(this << offset);
    uint32_t clamped = std::min(offset, m_length);
    if (clamped <= m_granted)
    {
        return false;
    }
    m_granted = clamped;
    return true;
}

// Segments are cut at multiples of the segment size, so the same offset always
// names the same bytes (retransmissions repeat the original ranges).  Called
// without HasSendable(), it returns an empty segment and changes nothing.
MtpSegment
MtpOutMessage::TakeNextSegment()
{
    NS_LOG_FUNCTION(this);
    MtpSegment segment;
    segment.offset = m_nextOffset;
    if (!HasSendable())
    {
        NS_LOG_WARN("TakeNextSegment called with nothing sendable");
        return segment;
    }
    if (m_length == 0)
    {
        m_emptySent = true;
        return segment;
    }
    // length - nextOffset > 0 here; taking the minimum first cannot overflow.
    segment.length = std::min(m_segmentSize, m_length - m_nextOffset);
    m_nextOffset += segment.length;
    return segment;
}

// Expands the asked range outward to segment boundaries and lists the whole
// segments that were sent at least once: the first byte of each is below
// m_nextOffset (which always sits on a segment boundary or at the end).
// 64-bit arithmetic keeps offset + length and the loop step from wrapping.
std::vector<MtpSegment>
MtpOutMessage::SegmentsToResend(uint32_t offset, uint32_t length) const
{
    NS_LOG_FUNCTION(this << offset << length);
    std::vector<MtpSegment> segments;
    if (m_length == 0)
    {
        // The one empty segment, once it has been sent.
        if (m_emptySent)
        {
            segments.push_back(MtpSegment{0, 0});
        }
        return segments;
    }
    if (length == 0 || offset >= m_length)
    {
        return segments;
    }
    uint64_t end = (length == std::numeric_limits<uint32_t>::max())
                       ? m_length
                       : std::min<uint64_t>(uint64_t{offset} + length, m_length);
    uint64_t sentEnd = m_nextOffset;
    uint64_t start = (uint64_t{offset} / m_segmentSize) * m_segmentSize;
    for (uint64_t s = start; s < end && s < sentEnd; s += m_segmentSize)
    {
        MtpSegment segment;
        segment.offset = static_cast<uint32_t>(s);
        segment.length = static_cast<uint32_t>(std::min<uint64_t>(m_segmentSize, m_length - s));
        segments.push_back(segment);
    }
    return segments;
}

// Fragments share the payload's buffer (copy-on-write), so this costs no copy
// of the bytes.  A range reaching past the end is clipped.
Ptr<Packet>
MtpOutMessage::GetBytes(const MtpSegment& segment) const
{
    NS_LOG_FUNCTION(this << segment.offset << segment.length);
    if (!m_payload || segment.offset >= m_length || segment.length == 0)
    {
        return Create<Packet>();
    }
    uint32_t length = std::min(segment.length, m_length - segment.offset);
    return m_payload->CreateFragment(segment.offset, length);
}

void
MtpOutMessage::Restart()
{
    NS_LOG_FUNCTION(this);
    m_nextOffset = 0;
    m_granted = m_unscheduled;
    m_emptySent = false;
}

/*
 * ---------------------------------------------------------------------------
 * MtpInMessage
 * ---------------------------------------------------------------------------
 */

MtpInMessage::MtpInMessage(uint32_t length, uint32_t incoming)
    : m_length(length),
      m_incoming(std::min(incoming, length)),
      m_received(0)
{
    NS_LOG_FUNCTION(this << length << incoming);
}

uint32_t
MtpInMessage::GetLength() const
{
    return m_length;
}

uint32_t
MtpInMessage::GetBytesReceived() const
{
    return m_received;
}

uint32_t
MtpInMessage::GetBytesRemaining() const
{
    return m_length - m_received;
}

bool
MtpInMessage::IsComplete() const
{
    return m_received == m_length;
}

uint32_t
MtpInMessage::GetIncoming() const
{
    return m_incoming;
}

void
MtpInMessage::SetIncoming(uint32_t incoming)
{
    NS_LOG_FUNCTION(this << incoming);
    m_incoming = std::max(m_incoming, std::min(incoming, m_length));
}

// Bytes at or beyond the message length are dropped (the caller validated the
// range; this is a defence against a malformed header).  What is new in
// [offset, end) is what lies in a gap or at or past m_high, so the pieces
// never overlap and Assemble() can simply concatenate them.
uint32_t
MtpInMessage::AddSegment(uint32_t offset, Ptr<const Packet> data)
{
    NS_LOG_FUNCTION(this << offset << data);
    if (!data || offset >= m_length || data->GetSize() == 0)
    {
        return 0;
    }
    uint32_t end =
        static_cast<uint32_t>(std::min<uint64_t>(uint64_t{offset} + data->GetSize(), m_length));
    if (end < uint64_t{offset} + data->GetSize())
    {
        NS_LOG_WARN("segment at " << offset << " of " << data->GetSize()
                                  << " bytes reaches past the length " << m_length);
    }
    if (offset >= m_high)
    {
        return AddPastEnd(offset, end, data);
    }
    uint32_t added = FillGaps(offset, std::min(end, m_high), data);
    if (end > m_high)
    {
        const uint32_t from = m_high;
        added += AddPastEnd(from, end, data->CreateFragment(from - offset, end - from));
    }
    NS_LOG_LOGIC("added " << added << " new bytes, " << m_received << "/" << m_length);
    return added;
}

// In order, or after a gap: nothing held overlaps it, and a segment kept
// whole is held as it came (no fragment copy).
uint32_t
MtpInMessage::AddPastEnd(uint32_t offset, uint32_t end, Ptr<const Packet> data)
{
    if (offset > m_high)
    {
        m_gaps.push_back(MtpSegment{m_high, offset - m_high});
    }
    const uint32_t added = end - offset;
    m_pieces.push_back(
        Piece{offset,
              added == data->GetSize() ? data : Ptr<const Packet>(data->CreateFragment(0, added))});
    m_high = end;
    m_received += added;
    NS_LOG_LOGIC("added " << added << " new bytes, " << m_received << "/" << m_length);
    return added;
}

// Each gap [offset, end) overlaps gives up the overlap, which is held: the
// gap shrinks from one side, or splits in two when the overlap is inside.
uint32_t
MtpInMessage::FillGaps(uint32_t offset, uint32_t end, Ptr<const Packet> data)
{
    uint32_t added = 0;
    auto gap = std::lower_bound(
        m_gaps.begin(),
        m_gaps.end(),
        offset,
        [](const MtpSegment& g, uint32_t at) { return g.offset + g.length <= at; });
    while (gap != m_gaps.end() && gap->offset < end)
    {
        const uint32_t gapEnd = gap->offset + gap->length;
        const uint32_t lo = std::max(gap->offset, offset);
        const uint32_t hi = std::min(gapEnd, end);
        HoldPiece(lo, hi, offset, data);
        added += hi - lo;
        if (lo == gap->offset && hi == gapEnd)
        {
            gap = m_gaps.erase(gap);
        }
        else if (lo == gap->offset)
        {
            *gap = MtpSegment{hi, gapEnd - hi};
            ++gap;
        }
        else if (hi == gapEnd)
        {
            gap->length = lo - gap->offset;
            ++gap;
        }
        else
        {
            gap->length = lo - gap->offset;
            gap = m_gaps.insert(gap + 1, MtpSegment{hi, gapEnd - hi}) + 1;
        }
    }
    m_received += added;
    return added;
}

void
MtpInMessage::HoldPiece(uint32_t lo, uint32_t hi, uint32_t offset, Ptr<const Packet> data)
{
    auto at =
        std::lower_bound(m_pieces.begin(), m_pieces.end(), lo, [](const Piece& p, uint32_t o) {
            return p.offset < o;
        });
    m_pieces.insert(at, Piece{lo, data->CreateFragment(lo - offset, hi - lo)});
}

// The first gap is the first missing range; with none, everything from
// m_high on is missing.
bool
MtpInMessage::FirstGap(uint32_t limit, MtpSegment& gap) const
{
    NS_LOG_FUNCTION(this << limit);
    const MtpSegment first =
        m_gaps.empty() ? MtpSegment{m_high, m_length - m_high} : m_gaps.front();
    const uint32_t start = first.offset;
    const uint32_t stop = std::min({first.offset + first.length, limit, m_length});
    if (start >= stop)
    {
        return false;
    }
    gap.offset = start;
    gap.length = stop - start;
    return true;
}

// The pieces are disjoint and, once complete, tile [0, length) in order,
// so appending them in map order rebuilds the message byte for byte.  Called
// too early it does not crash: it warns and returns the held bytes, in order,
// with the gaps left out.
//
// Packet::AddAtEnd copies the growing packet into a new buffer of the exact
// new size, so appending piece after piece copies O(pieces x length) bytes
// (about 350 MB for a 1 MB message: enough to stall a real-time emulation
// run).  Pieces are appended in runs of ASSEMBLE_RUN into a run packet, and
// runs into the message: about 40 MB for 1 MB.  Only AddAtEnd is used, on
// purpose: building the message any way that grows a buffer at its start
// (Create<Packet>(bytes, size), headers) or joins large packets pairwise
// leaves message-sized buffers in ns-3's Buffer free list, which every later
// small packet then takes (peak memory grew fivefold on the 144-host W5 run).
Ptr<Packet>
MtpInMessage::Assemble() const
{
    NS_LOG_FUNCTION(this);
    if (!IsComplete())
    {
        NS_LOG_WARN("Assemble() on an incomplete message: " << m_received << "/" << m_length);
    }
    constexpr std::size_t ASSEMBLE_RUN = 64;
    Ptr<Packet> message = Create<Packet>();
    Ptr<Packet> run;
    std::size_t inRun = 0;
    for (const Piece& piece : m_pieces)
    {
        if (!run)
        {
            run = Create<Packet>();
        }
        run->AddAtEnd(piece.bytes);
        if (++inRun == ASSEMBLE_RUN)
        {
            message->AddAtEnd(run);
            run = nullptr;
            inRun = 0;
        }
    }
    if (run)
    {
        message->AddAtEnd(run);
    }
    return message;
}

} // namespace ns3
