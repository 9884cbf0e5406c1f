/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The two halves of a message's life: MtpOutMessage cuts an outbound message
 * into segments and remembers how far it has been sent and granted;
 * MtpInMessage collects inbound segments in any order, ignores duplicates,
 * knows its gaps and reassembles the bytes when the last one arrives.
 *
 * Neither class knows about sockets, RPCs or the simulator clock: they are
 * pure bookkeeping over byte ranges, so they are tested without a simulator
 * (test/transport/mtp-message-gtest.cc).
 *
 * MtpInMessage keeps what arrived as Homa's receivers do: the offset below
 * which every missing range is listed (m_high), that list of gaps, and the
 * held pieces in offset order.  Segments nearly always arrive in order, and
 * then a segment is one comparison and an append: no tree, no allocation
 * besides the vectors' growth.  (An interval set and a map per message did
 * the same with two tree insertions per segment: about 5% of a datacenter
 * run.)
 *
 * Segmentation follows Homa: every segment but the last carries exactly
 * `segmentSize` bytes, so a segment is identified by its offset and a
 * retransmission covers the same byte range as the original.  A segment may
 * be sent once its first byte is granted (so grants are effectively rounded
 * up to whole segments, as in Linux Homa).  An empty message (0 bytes) is a
 * single empty segment at offset 0 that needs no grant.
 */

#ifndef MTP_MESSAGE_H
#define MTP_MESSAGE_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief A contiguous byte range of a message: [offset, offset + length).
 */
struct MtpSegment
{
    uint32_t offset = 0; //!< first byte of the range within the message
    uint32_t length = 0; //!< number of bytes in the range
};

/**
 * \ingroup mtp-transport
 * \brief Sender-side state of one message: its bytes, how much was sent,
 *        how much the receiver allows (unscheduled bytes plus grants).
 */
class MtpOutMessage
{
  public:
    /**
     * \param payload the message bytes (kept by reference; ns-3 packets are copy-on-write)
     * \param segmentSize payload bytes per DATA packet (path MTU minus IP and MTP headers); > 0
     * \param unschedBytes bytes that may be sent before any grant arrives
     */
    MtpOutMessage(Ptr<const Packet> payload, uint32_t segmentSize, uint32_t unschedBytes);

    /** \return total message length in bytes */
    uint32_t GetLength() const;
    /** \return payload bytes per full segment */
    uint32_t GetSegmentSize() const;
    /** \return unscheduled bytes: min(length, unschedBytes) */
    uint32_t GetUnscheduled() const;
    /** \return offset of the first byte never sent yet */
    uint32_t GetNextOffset() const;
    /** \return offset up to which the receiver allows sending (exclusive) */
    uint32_t GetGranted() const;
    /** \return bytes never sent yet: the sender's SRPT key */
    uint32_t GetBytesRemaining() const;
    /** \return true while the next unsent segment starts below the granted offset */
    bool HasSendable() const;
    /** \return true once every byte was sent at least once */
    bool IsFullySent() const;

    /**
     * \brief Raise the granted offset (a GRANT arrived); lower values are ignored.
     * \param offset new granted offset, clamped to the message length
     * \return true if the granted offset grew
     */
    bool Grant(uint32_t offset);

    /**
     * \brief Take the next unsent segment and advance past it.
     * Call only when HasSendable().
     * \return the segment's range
     */
    MtpSegment TakeNextSegment();

    /**
     * \brief The segments to retransmit for a RESEND of [offset, offset + length),
     *        limited to bytes already sent once (unsent bytes go out in order anyway).
     * \param offset first byte asked for
     * \param length bytes asked for; UINT32_MAX means "everything from offset"
     * \return whole segments covering the range, in offset order (empty if nothing was sent there)
     */
    std::vector<MtpSegment> SegmentsToResend(uint32_t offset, uint32_t length) const;

    /**
     * \param segment a range inside the message
     * \return a new packet holding exactly those bytes of the message
     */
    Ptr<Packet> GetBytes(const MtpSegment& segment) const;

    /**
     * \brief Start over from the first byte (the client restarts a request after
     *        RPC_UNKNOWN): nothing sent, granted back to the unscheduled bytes.
     */
    void Restart();

  private:
    Ptr<const Packet> m_payload; //!< the message bytes
    uint32_t m_length;           //!< m_payload's size, cached
    uint32_t m_segmentSize;      //!< payload bytes per full segment
    uint32_t m_unscheduled;      //!< bytes sendable without grants
    uint32_t m_nextOffset;       //!< first byte never sent
    uint32_t m_granted;          //!< sending allowed below this offset
    bool m_emptySent = false;    //!< for an empty message: its one empty segment went out
};

/**
 * \ingroup mtp-transport
 * \brief Receiver-side state of one message: which byte ranges arrived, the
 *        segments holding them, and the granted offset the sender works to.
 */
class MtpInMessage
{
  public:
    /**
     * \param length total message length, from the first DATA packet (> 0)
     * \param incoming bytes the sender will send without further grants (its unscheduled part)
     */
    MtpInMessage(uint32_t length, uint32_t incoming);

    /** \return total message length */
    uint32_t GetLength() const;
    /** \return distinct bytes received so far */
    uint32_t GetBytesReceived() const;
    /** \return bytes still missing */
    uint32_t GetBytesRemaining() const;
    /** \return true when every byte has arrived */
    bool IsComplete() const;

    /** \return offset the sender is allowed to send up to (exclusive) */
    uint32_t GetIncoming() const;
    /**
     * \brief Raise the offset the sender may send up to (a grant was sent, or a
     *        DATA packet reported a higher `incoming`); lower values are ignored.
     * \param incoming the new offset, clamped to the length
     */
    void SetIncoming(uint32_t incoming);

    /**
     * \brief Add one received segment.  Bytes already held are ignored, so
     *        duplicates and overlapping retransmissions are harmless.
     * \param offset offset of the segment's first byte (offset + size <= length: the caller
     * checked) \param data the segment's bytes \return number of bytes that were new
     */
    uint32_t AddSegment(uint32_t offset, Ptr<const Packet> data);

    /**
     * \brief The first missing range below `limit`.
     * \param limit look only at bytes below this offset (typically GetIncoming())
     * \param[out] gap the first missing range, clipped to `limit`
     * \return false if nothing below `limit` is missing
     */
    bool FirstGap(uint32_t limit, MtpSegment& gap) const;

    /**
     * \brief The whole message, in order.  Call only when IsComplete().
     * \return a new packet with all the bytes
     */
    Ptr<Packet> Assemble() const;

  private:
    /// Bytes held: a run of the message, as a packet.
    struct Piece
    {
        uint32_t offset;         //!< its first byte in the message
        Ptr<const Packet> bytes; //!< the bytes (never empty)
    };

    /**
     * \brief Hold a segment that starts at or past m_high (the common case):
     *        the bytes between m_high and it become a gap.
     * \param offset its first byte
     * \param end one past its last byte kept (clipped to the length)
     * \param data its payload, starting at `offset`
     * \return the bytes added (end - offset)
     */
    uint32_t AddPastEnd(uint32_t offset, uint32_t end, Ptr<const Packet> data);

    /**
     * \brief Hold what a segment brings to the gaps below m_high.
     * \param offset its first byte (below m_high)
     * \param end one past its last byte kept
     * \param data its payload, starting at `offset`
     * \return the bytes added
     */
    uint32_t FillGaps(uint32_t offset, uint32_t end, Ptr<const Packet> data);

    /**
     * \brief Keep bytes [lo, hi) of a segment as a piece, in offset order.
     * \param lo first byte to keep
     * \param hi one past the last
     * \param offset the segment's first byte (<= lo)
     * \param data the segment's payload
     */
    void HoldPiece(uint32_t lo, uint32_t hi, uint32_t offset, Ptr<const Packet> data);

    uint32_t m_length;              //!< total message length
    uint32_t m_incoming;            //!< sender may send below this offset
    uint32_t m_received = 0;        //!< distinct bytes held
    uint32_t m_high = 0;            //!< one past the highest byte held (0: none)
    std::vector<MtpSegment> m_gaps; //!< missing ranges below m_high: ordered, disjoint, non-empty
    std::vector<Piece> m_pieces;    //!< held bytes by offset: disjoint, ordered
};

} // namespace ns3

#endif /* MTP_MESSAGE_H */
