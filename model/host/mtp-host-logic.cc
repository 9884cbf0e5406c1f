/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-host-logic.h"

#include <algorithm>
#include <map>

namespace ns3
{

namespace
{

/// The Microsoft RSS specification's sample key, the default of many NIC drivers.
constexpr std::array<uint8_t, MtpRss::KEY_SIZE> RSS_KEY = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
    0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
    0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa};

/// Append a 16-bit value in network byte order.
void
Put16(std::vector<uint8_t>& v, uint16_t x)
{
    v.push_back(static_cast<uint8_t>(x >> 8));
    v.push_back(static_cast<uint8_t>(x));
}

} // namespace

// ---------------------------------------------------------------------------
// MtpRss
// ---------------------------------------------------------------------------

MtpRss::MtpRss(uint32_t numQueues)
    : m_numQueues(std::max<uint32_t>(1, numQueues))
{
    for (uint32_t i = 0; i < TABLE_SIZE; ++i)
    {
        m_table[i] = i % m_numQueues;
    }
}

uint32_t
MtpRss::Toeplitz(const uint8_t* data, uint32_t len)
{
    len = std::min(len, KEY_SIZE - 4);
    // The 32-bit window of the key that lines up with the current input bit.
    uint32_t window = (uint32_t(RSS_KEY[0]) << 24) | (uint32_t(RSS_KEY[1]) << 16) |
                      (uint32_t(RSS_KEY[2]) << 8) | RSS_KEY[3];
    uint32_t hash = 0;
    for (uint32_t i = 0; i < len; ++i)
    {
        uint8_t next = RSS_KEY[i + 4];
        for (int b = 7; b >= 0; --b)
        {
            if (data[i] & (1u << b))
            {
                hash ^= window;
            }
            window = (window << 1) | ((next >> b) & 1u);
        }
    }
    return hash;
}

uint32_t
MtpRss::HashV4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, bool usePorts)
{
    std::vector<uint8_t> in;
    in.reserve(12);
    Put16(in, static_cast<uint16_t>(src >> 16));
    Put16(in, static_cast<uint16_t>(src));
    Put16(in, static_cast<uint16_t>(dst >> 16));
    Put16(in, static_cast<uint16_t>(dst));
    if (usePorts)
    {
        Put16(in, sport);
        Put16(in, dport);
    }
    return Toeplitz(in.data(), in.size());
}

uint32_t
MtpRss::HashV6(const uint8_t src[16],
               const uint8_t dst[16],
               uint16_t sport,
               uint16_t dport,
               bool usePorts)
{
    std::vector<uint8_t> in(src, src + 16);
    in.insert(in.end(), dst, dst + 16);
    if (usePorts)
    {
        Put16(in, sport);
        Put16(in, dport);
    }
    return Toeplitz(in.data(), in.size());
}

uint32_t
MtpRss::Queue(uint32_t hash) const
{
    return m_table[hash % TABLE_SIZE];
}

uint32_t
MtpRss::GetNumQueues() const
{
    return m_numQueues;
}

// ---------------------------------------------------------------------------
// MtpInterruptCoalescer
// ---------------------------------------------------------------------------

MtpInterruptCoalescer::MtpInterruptCoalescer(uint32_t maxFrames, Time maxDelay)
    : m_maxFrames(std::max<uint32_t>(1, maxFrames)),
      m_maxDelay(maxDelay)
{
}

bool
MtpInterruptCoalescer::Arrive(Time now)
{
    if (m_pending == 0)
    {
        m_first = now;
    }
    ++m_pending;
    return m_pending >= m_maxFrames || now >= m_first + m_maxDelay;
}

uint32_t
MtpInterruptCoalescer::GetPending() const
{
    return m_pending;
}

Time
MtpInterruptCoalescer::GetDeadline() const
{
    return m_first + m_maxDelay;
}

uint32_t
MtpInterruptCoalescer::Fire()
{
    uint32_t n = m_pending;
    m_pending = 0;
    return n;
}

// ---------------------------------------------------------------------------
// MtpGroBatcher
// ---------------------------------------------------------------------------

MtpGroBatcher::MtpGroBatcher(uint32_t maxGroSkbs)
    : m_maxGroSkbs(std::max<uint32_t>(1, maxGroSkbs))
{
}

std::vector<MtpGroBatcher::Action>
MtpGroBatcher::Plan(const std::vector<Item>& items) const
{
    std::vector<Action> out;
    // Open batches: key -> members; `order` keeps first-packet order for the final flush.
    std::map<uint64_t, std::vector<std::size_t>> open;
    std::vector<uint64_t> order;
    for (std::size_t i = 0; i < items.size(); ++i)
    {
        const Item& it = items[i];
        if (it.bypass)
        {
            out.push_back(Action{i + 1, true, {i}});
            continue;
        }
        auto& members = open[it.key];
        if (members.empty())
        {
            order.push_back(it.key);
        }
        members.push_back(i);
        if (members.size() >= m_maxGroSkbs)
        {
            out.push_back(Action{i + 1, false, std::move(members)});
            open.erase(it.key);
            order.erase(std::find(order.begin(), order.end(), it.key));
        }
    }
    for (uint64_t key : order)
    {
        out.push_back(Action{items.size(), false, std::move(open[key])});
    }
    return out;
}

} // namespace ns3
