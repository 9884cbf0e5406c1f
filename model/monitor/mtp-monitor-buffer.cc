/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "mtp-monitor-buffer.h"

namespace ns3
{

MtpMonitorBuffer::MtpMonitorBuffer(uint32_t capacity, MtpOverlapPolicy policy)
    : m_capacity(capacity),
      m_policy(policy),
      m_data(capacity),
      m_present(capacity, false)
{
}

void
MtpMonitorBuffer::Write(uint64_t offset, const uint8_t* data, uint32_t len)
{
    for (uint32_t i = 0; i < len; ++i)
    {
        uint64_t at = offset + i;
        if (at < m_consumed)
        {
            continue; // read and consumed already
        }
        if (at >= m_consumed + m_capacity)
        {
            ++m_overflow;
            continue;
        }
        size_t slot = at % m_capacity;
        if (m_present[slot] && m_policy == MTP_OVERLAP_FIRST)
        {
            continue;
        }
        m_held += m_present[slot] ? 0 : 1;
        m_present[slot] = true;
        m_data[slot] = data[i];
    }
}

uint32_t
MtpMonitorBuffer::Peek(uint8_t* out, uint32_t len)
{
    uint32_t n = 0;
    while (n < len && m_capacity > 0 && m_present[m_consumed % m_capacity])
    {
        size_t slot = m_consumed % m_capacity;
        out[n++] = m_data[slot];
        m_present[slot] = false;
        --m_held;
        ++m_consumed;
    }
    return n;
}

MtpError
MtpMonitorBuffer::PositionedPeek(uint64_t offset, uint8_t* out, uint32_t len) const
{
    if (offset < m_consumed || offset + len > m_consumed + m_capacity)
    {
        return MtpError::INVAL;
    }
    for (uint32_t i = 0; i < len; ++i)
    {
        if (!m_present[(offset + i) % m_capacity])
        {
            return MtpError::AGAIN;
        }
    }
    for (uint32_t i = 0; i < len; ++i)
    {
        out[i] = m_data[(offset + i) % m_capacity];
    }
    return MtpError::OK;
}

uint64_t
MtpMonitorBuffer::GetConsumed() const
{
    return m_consumed;
}

uint64_t
MtpMonitorBuffer::GetOverflow() const
{
    return m_overflow;
}

uint32_t
MtpMonitorBuffer::GetHeld() const
{
    return m_held;
}

} // namespace ns3
