/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-pacer.h"

#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPacer");

namespace
{

/**
 * \brief ceil(a * b / c) in exact integer arithmetic, saturated to INT64_MAX.
 *
 * The product of a packet's bits and the time steps per second overflows 64
 * bits for large packets at fine resolutions (e.g. 3 MB at picoseconds), so
 * the rare large case falls back to a 128-bit product split into two 64-bit
 * words and a bitwise long division.  Portable: no compiler-specific __int128.
 *
 * \param a first factor
 * \param b second factor
 * \param c divisor, > 0
 * \return the rounded-up quotient
 */
uint64_t
MulDivCeil(uint64_t a, uint64_t b, uint64_t c)
{
    const uint64_t saturated = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (b == 0 || a <= std::numeric_limits<uint64_t>::max() / b)
    {
        uint64_t p = a * b;
        uint64_t q = p / c + (p % c != 0 ? 1 : 0);
        return std::min(q, saturated);
    }
    // 128-bit product hi:lo from 32-bit halves.
    const uint64_t mask = 0xffffffffULL;
    uint64_t aLo = a & mask;
    uint64_t aHi = a >> 32;
    uint64_t bLo = b & mask;
    uint64_t bHi = b >> 32;
    uint64_t ll = aLo * bLo;
    uint64_t lh = aLo * bHi;
    uint64_t hl = aHi * bLo;
    uint64_t hh = aHi * bHi;
    uint64_t mid = (ll >> 32) + (lh & mask) + (hl & mask);
    uint64_t lo = (ll & mask) | (mid << 32);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    if (hi >= c)
    {
        return saturated; // the quotient needs more than 64 bits
    }
    // Restoring division of hi:lo by c; the remainder stays below c, and the
    // quotient fits in 64 bits since hi < c.
    uint64_t rem = hi;
    uint64_t q = 0;
    for (int bit = 63; bit >= 0; --bit)
    {
        bool carry = (rem >> 63) != 0;
        rem = (rem << 1) | ((lo >> bit) & 1);
        q <<= 1;
        if (carry || rem >= c)
        {
            rem -= c;
            q |= 1;
        }
    }
    if (rem != 0)
    {
        ++q;
    }
    return std::min(q, saturated);
}

} // namespace

MtpPacer::MtpPacer()
    : MtpPacer(Config{})
{
}

MtpPacer::MtpPacer(const Config& config)
    : m_config(config),
      m_linkIdle(Seconds(0))
{
    NS_LOG_FUNCTION(this);
}

// The entries belong to the caller and a safe-mode hook asserts if destroyed
// while linked, so unlink them all and clear their flags.
MtpPacer::~MtpPacer()
{
    NS_LOG_FUNCTION(this);
    m_queue.clear_and_dispose([](Entry* e) { e->linked = false; });
}

void
MtpPacer::SetConfig(const Config& config)
{
    NS_LOG_FUNCTION(this);
    m_config = config;
}

const MtpPacer::Config&
MtpPacer::GetConfig() const
{
    return m_config;
}

// Stamps the enqueue order (ties in remaining bytes go to the earlier one)
// and links the entry.  Enqueueing a linked entry is ignored.
void
MtpPacer::Enqueue(Entry* e)
{
    NS_LOG_FUNCTION(this << e);
    if (e == nullptr || e->linked)
    {
        NS_LOG_WARN("Enqueue of a null or already queued entry ignored");
        return;
    }
    e->order = m_nextOrder++;
    m_queue.insert(*e);
    e->linked = true;
}

void
MtpPacer::Remove(Entry* e)
{
    NS_LOG_FUNCTION(this << e);
    if (e == nullptr || !e->linked)
    {
        return;
    }
    m_queue.erase(m_queue.iterator_to(*e));
    e->linked = false;
}

// The key changes, so the entry leaves the tree before the change and comes
// back after; it keeps its enqueue order.  An unlinked entry just takes the
// new value.
void
MtpPacer::Update(Entry* e, uint32_t remaining)
{
    NS_LOG_FUNCTION(this << e << remaining);
    if (e == nullptr)
    {
        return;
    }
    if (!e->linked)
    {
        e->remaining = remaining;
        return;
    }
    if (remaining == e->remaining)
    {
        return;
    }
    m_queue.erase(m_queue.iterator_to(*e));
    e->remaining = remaining;
    m_queue.insert(*e);
}

MtpPacer::Entry*
MtpPacer::Front() const
{
    if (m_queue.empty())
    {
        return nullptr;
    }
    // The queue never owns the entries; handing out a mutable pointer from a
    // const query is what the caller needs to send from it.
    return const_cast<Entry*>(&*m_queue.begin());
}

std::size_t
MtpPacer::GetSize() const
{
    return m_queue.size();
}

bool
MtpPacer::CanSend(Time now) const
{
    return GetQueuedTime(now) <= m_config.maxNicQueue;
}

// Linux Homa's link_idle_time: the link is busy until the later of now and
// the previous idle time, plus this packet's transmit time.
void
MtpPacer::OnTransmit(Time now, uint32_t wireBytes)
{
    NS_LOG_FUNCTION(this << now << wireBytes);
    m_linkIdle = std::max(now, m_linkIdle) + TransmitTime(wireBytes);
    NS_LOG_LOGIC("link idle at " << m_linkIdle);
}

Time
MtpPacer::GetQueuedTime(Time now) const
{
    return m_linkIdle > now ? m_linkIdle - now : Time(0);
}

// CanSend() holds once linkIdle - t <= MaxNicQueue, i.e. from
// t = linkIdle - MaxNicQueue on.
Time
MtpPacer::GetNextSendTime(Time now) const
{
    return std::max(now, m_linkIdle - m_config.maxNicQueue);
}

bool
MtpPacer::Bypasses(uint32_t length) const
{
    return length < m_config.throttleMinBytes;
}

// ceil(bits * steps-per-second / rate) time steps, in exact integer
// arithmetic at whatever resolution ns-3 runs (nanoseconds by default).  A
// zero rate means "no link model": transmit time zero, pacing never holds
// packets back.
Time
MtpPacer::TransmitTime(uint32_t wireBytes) const
{
    if (m_config.linkBitsPerSecond == 0 || wireBytes == 0)
    {
        return Time(0);
    }
    int64_t stepsPerSecond = Time::FromInteger(1, Time::S).GetTimeStep();
    if (stepsPerSecond <= 0)
    {
        return Time(0); // resolution coarser than a second: nothing sensible to model
    }
    uint64_t bits = uint64_t{wireBytes} * 8;
    uint64_t steps =
        MulDivCeil(bits, static_cast<uint64_t>(stepsPerSecond), m_config.linkBitsPerSecond);
    // Time(int64_t) counts time steps (the free function TimeStep() is gone
    // from recent ns-3).
    return Time(static_cast<int64_t>(steps));
}

} // namespace ns3
