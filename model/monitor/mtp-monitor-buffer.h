/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMonitorBuffer: the bytes of one monitored message (one side of an MTP
 * RPC) or stream (one direction of a TCP connection) that a monitor keeps so
 * that a user can read them, as mOS keeps a bounded buffer per side of a
 * monitored stream.  It is addressed by 64-bit byte offset (message offset,
 * or TCP stream offset after the SYN) and holds the window
 * [consumed, consumed + capacity) of offsets; Peek reads and
 * consumes the in-order bytes at the front, PositionedPeek reads any range
 * without consuming.  A copy of bytes already held (a retransmission) is
 * kept or replaces the old one by the overlap policy; bytes beyond the
 * window do not fit and are counted.
 *
 * What it hides: the ring storage and which bytes of it are valid.  Clock
 * free, so GoogleTest drives it directly.
 */

#ifndef MTP_MONITOR_BUFFER_H
#define MTP_MONITOR_BUFFER_H

#include "ns3/mtp-error.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-monitor
 * \brief Which copy of bytes seen twice a buffer keeps (mOS' overlap policy).
 */
enum MtpOverlapPolicy
{
    MTP_OVERLAP_FIRST, //!< the first copy wins (later copies are ignored)
    MTP_OVERLAP_LAST,  //!< the last copy wins (later copies overwrite)
};

/**
 * \ingroup mtp-monitor
 * \brief A bounded buffer of one message's bytes (see the file comment).
 */
class MtpMonitorBuffer
{
  public:
    /**
     * \brief An empty buffer.
     * \param capacity bytes it can hold beyond what was consumed (0: holds nothing)
     * \param policy which copy of repeated bytes it keeps
     */
    MtpMonitorBuffer(uint32_t capacity, MtpOverlapPolicy policy);

    /**
     * \brief Store bytes seen at a message offset.
     * \param offset message offset of data[0]
     * \param data the bytes
     * \param len how many
     */
    void Write(uint64_t offset, const uint8_t* data, uint32_t len);
    /**
     * \brief Read and consume the contiguous bytes at the front (mtcp_peek).
     * \param out where to copy
     * \param len at most this many
     * \return bytes copied (0 when the front byte has not arrived)
     */
    uint32_t Peek(uint8_t* out, uint32_t len);
    /**
     * \brief Read bytes at a message offset without consuming (mtcp_ppeek).
     * \param offset message offset
     * \param out where to copy
     * \param len how many
     * \return OK; INVAL if [offset, offset+len) leaves the window (consumed bytes, or
     *         beyond the capacity); AGAIN if a byte of it has not arrived
     */
    MtpError PositionedPeek(uint64_t offset, uint8_t* out, uint32_t len) const;
    /**
     * \brief Message offset of the next byte Peek returns.
     * \return the offset
     */
    uint64_t GetConsumed() const;
    /**
     * \brief Bytes that arrived beyond the window and were not stored.
     * \return the count
     */
    uint64_t GetOverflow() const;
    /**
     * \brief Bytes held now (arrived, not consumed).
     * \return the count
     */
    uint32_t GetHeld() const;

  private:
    uint32_t m_capacity;         //!< window size
    MtpOverlapPolicy m_policy;   //!< which copy wins
    std::vector<uint8_t> m_data; //!< ring storage, index offset % capacity
    std::vector<bool> m_present; //!< which ring slots hold a byte
    uint64_t m_consumed = 0;     //!< offset of the window's first byte
    uint64_t m_overflow = 0;     //!< bytes that did not fit
    uint32_t m_held = 0;         //!< slots present
};

} // namespace ns3

#endif /* MTP_MONITOR_BUFFER_H */
