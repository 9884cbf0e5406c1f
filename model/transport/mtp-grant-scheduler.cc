/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Implementation notes (choices the header leaves open)
 * -----------------------------------------------------
 *  - Outstanding bytes are counted per linked entry as max(0, granted -
 *    received), so they include the unscheduled bytes still on their way
 *    (as Homa's total_incoming does).  Unscheduled bytes are not the
 *    scheduler's to refuse, so they may by themselves exceed MaxIncoming;
 *    the scheduler then simply issues no grant until they arrive.
 *  - A grant that does not fit under MaxIncoming is reduced to what fits;
 *    if nothing fits the message is skipped this round.
 *  - FIFO grants follow Linux Homa (homa_grant_fifo): after every
 *    ceil(FifoGrantIncrement * (1000 - f) / f) bytes of SRPT grants, where f
 *    is FifoFraction per mille, the oldest message gets FifoGrantIncrement
 *    more bytes at the HIGHEST scheduled priority (MaxSchedPriority), so the
 *    extra bytes actually get through the switch queues.  As in Homa, a
 *    message whose previous grant is still largely on its way (more than
 *    Window bytes granted but not received) is passed over in favour of the
 *    next oldest, so a stalled sender does not soak up every FIFO grant.
 *    The FIFO grant respects MaxIncoming like any other.  When no message
 *    qualifies, the FIFO grant stays owed and is issued at the next
 *    Schedule() that finds one; the counter is then reset to zero.
 *    FifoFraction >= 1000 makes every Schedule() try a FIFO grant.
 *  - Re-adding a removed entry gives it a new arrival order (it becomes the
 *    youngest).
 */

#include "ns3/mtp-grant-scheduler.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpGrantScheduler");

namespace
{

/**
 * \param e an entry
 * \return its granted-but-not-received bytes (zero if it received more than was granted)
 */
uint32_t
Outstanding(const MtpGrantScheduler::Entry& e)
{
    return e.granted > e.received ? e.granted - e.received : 0;
}

} // namespace

MtpGrantScheduler::MtpGrantScheduler()
    : MtpGrantScheduler(Config{})
{
}

MtpGrantScheduler::MtpGrantScheduler(const Config& config)
    : m_config(config)
{
    NS_LOG_FUNCTION(this);
}

// Entries outlive the scheduler in general (they belong to the caller's
// messages), and a Boost.Intrusive safe-mode hook asserts if destroyed while
// linked: unlink everything and leave the entries' flags consistent.
MtpGrantScheduler::~MtpGrantScheduler()
{
    NS_LOG_FUNCTION(this);
    m_byAge.clear();
    m_bySrpt.clear_and_dispose([](Entry* e) {
        e->linked = false;
        e->active = false;
    });
    m_activeCount = 0;
    m_outstanding = 0;
}

void
MtpGrantScheduler::SetConfig(const Config& config)
{
    NS_LOG_FUNCTION(this);
    m_config = config;
}

const MtpGrantScheduler::Config&
MtpGrantScheduler::GetConfig() const
{
    return m_config;
}

// Links the entry into both trees and folds its counters into the totals.
// Out-of-range fields are clamped (received and unscheduled to the length,
// granted to at least the unscheduled bytes, which the sender sends anyway)
// so the SRPT key and the byte accounting stay meaningful.
void
MtpGrantScheduler::Add(Entry* e)
{
    NS_LOG_FUNCTION(this << e);
    if (e == nullptr || e->linked)
    {
        NS_LOG_WARN("Add of a null or already linked entry ignored");
        return;
    }
    e->received = std::min(e->received, e->length);
    e->unscheduled = std::min(e->unscheduled, e->length);
    e->granted = std::min(std::max(e->granted, e->unscheduled), e->length);
    e->order = m_nextOrder++;
    e->active = false;
    m_bySrpt.insert(*e);
    m_byAge.insert(*e);
    e->linked = true;
    m_outstanding += Outstanding(*e);
    RefreshActive(e);
}

// The SRPT key (length - received) changes, so the entry is taken out of the
// SRPT tree before the field changes and put back after; its age position is
// unaffected.  The totals lose the old contribution and gain the new one.
void
MtpGrantScheduler::Update(Entry* e, uint32_t received)
{
    NS_LOG_FUNCTION(this << e << received);
    if (e == nullptr)
    {
        return;
    }
    received = std::min(received, e->length);
    if (!e->linked)
    {
        e->received = received;
        return;
    }
    m_outstanding -= Outstanding(*e);
    if (received != e->received)
    {
        m_bySrpt.erase(m_bySrpt.iterator_to(*e));
        e->received = received;
        m_bySrpt.insert(*e);
    }
    m_outstanding += Outstanding(*e);
    RefreshActive(e);
}

void
MtpGrantScheduler::Remove(Entry* e)
{
    NS_LOG_FUNCTION(this << e);
    if (e == nullptr || !e->linked)
    {
        return;
    }
    m_outstanding -= Outstanding(*e);
    if (e->active)
    {
        --m_activeCount;
        e->active = false;
    }
    m_bySrpt.erase(m_bySrpt.iterator_to(*e));
    m_byAge.erase(m_byAge.iterator_to(*e));
    e->linked = false;
}

// Active = holds scheduled grants (beyond the unscheduled bytes) that have
// not all arrived; only linked entries count.
void
MtpGrantScheduler::RefreshActive(Entry* e)
{
    bool active = e->linked && e->granted > e->unscheduled && e->granted > e->received;
    if (active != e->active)
    {
        e->active = active;
        if (active)
        {
            ++m_activeCount;
        }
        else
        {
            --m_activeCount;
        }
    }
}

// Walks the first MaxOvercommit entries of the SRPT tree (O(MaxOvercommit)),
// tops each up to Window bytes beyond what it received within the overcommit
// and MaxIncoming bounds, then possibly issues one FIFO grant (see the notes
// at the top of this file).  Returns grants sorted by descending priority.
std::vector<MtpGrantScheduler::Grant>
MtpGrantScheduler::Schedule()
{
    NS_LOG_FUNCTION(this);
    std::vector<Grant> grants;
    const uint32_t k = m_config.maxOvercommit;
    const uint64_t maxIncoming = m_config.maxIncoming;

    // Largest offset `e` may be granted to without pushing the total
    // outstanding bytes over MaxIncoming, capped at `desired`.
    auto fit = [this, maxIncoming](const Entry& e, uint64_t desired) -> uint64_t {
        uint64_t others = m_outstanding - Outstanding(e);
        if (others >= maxIncoming)
        {
            return 0;
        }
        return std::min(desired, uint64_t{e.received} + (maxIncoming - others));
    };

    // Raises e's granted offset and keeps the totals exact; newGranted > granted
    // and newGranted > received hold here.
    auto apply = [this](Entry& e, uint32_t newGranted) {
        m_outstanding -= Outstanding(e);
        e.granted = newGranted;
        m_outstanding += Outstanding(e);
        RefreshActive(&e);
    };

    const int64_t n = static_cast<int64_t>(std::min<std::size_t>(m_bySrpt.size(), k));
    const int64_t maxPrio = m_config.maxSchedPriority;
    const int64_t extra = (maxPrio + 1) - n;
    int64_t rank = 0;
    for (auto it = m_bySrpt.begin(); it != m_bySrpt.end() && rank < n; ++it, ++rank)
    {
        Entry& e = *it;
        if (e.received >= e.length)
        {
            continue; // complete, waiting for the caller to Remove() it
        }
        uint64_t desired = std::min<uint64_t>(e.length, uint64_t{e.received} + m_config.window);
        if (desired <= e.granted)
        {
            continue;
        }
        if (!e.active && m_activeCount >= k)
        {
            NS_LOG_LOGIC("rank " << rank << " waits: " << m_activeCount << " active");
            continue;
        }
        uint64_t target = fit(e, desired);
        if (target <= e.granted)
        {
            NS_LOG_LOGIC("rank " << rank << " waits: " << m_outstanding << " bytes incoming");
            continue;
        }
        int64_t prio = maxPrio - rank;
        if (extra > 0)
        {
            prio -= extra;
        }
        prio = std::max<int64_t>(prio, 0);
        m_grantedSinceFifo += target - e.granted;
        apply(e, static_cast<uint32_t>(target));
        grants.push_back(Grant{&e, e.granted, static_cast<uint8_t>(prio)});
        NS_LOG_LOGIC("grant cookie " << e.cookie << " rank " << rank << " to " << e.granted
                                     << " prio " << prio);
    }

    const uint64_t f = std::min<uint32_t>(m_config.fifoFractionPerMille, 1000);
    const uint64_t increment = m_config.fifoGrantIncrement;
    if (f > 0 && increment > 0 && m_grantedSinceFifo * f >= increment * (1000 - f))
    {
        for (auto& e : m_byAge)
        {
            if (e.granted >= e.length || e.received >= e.length || Outstanding(e) > m_config.window)
            {
                continue;
            }
            uint64_t target = fit(e, std::min<uint64_t>(e.length, uint64_t{e.granted} + increment));
            if (target <= e.granted)
            {
                // Nothing fits under MaxIncoming: younger ones would not fit
                // any better, the FIFO grant stays owed.
                break;
            }
            apply(e, static_cast<uint32_t>(target));
            m_grantedSinceFifo = 0;
            auto same = std::find_if(grants.begin(), grants.end(), [&e](const Grant& g) {
                return g.entry == &e;
            });
            if (same != grants.end())
            {
                same->offset = e.granted;
                same->priority = m_config.maxSchedPriority;
                same->fifo = true;
            }
            else
            {
                grants.push_back(Grant{&e, e.granted, m_config.maxSchedPriority, true});
            }
            NS_LOG_LOGIC("FIFO grant cookie " << e.cookie << " to " << e.granted);
            break;
        }
    }

    std::stable_sort(grants.begin(), grants.end(), [](const Grant& a, const Grant& b) {
        return a.priority > b.priority;
    });
    return grants;
}

std::size_t
MtpGrantScheduler::GetSize() const
{
    return m_bySrpt.size();
}

uint32_t
MtpGrantScheduler::GetActiveCount() const
{
    return m_activeCount;
}

uint64_t
MtpGrantScheduler::GetOutstandingBytes() const
{
    return m_outstanding;
}

// Counts the entries in front of e in the SRPT tree: O(rank).
std::size_t
MtpGrantScheduler::GetRank(const Entry* e) const
{
    if (e == nullptr || !e->linked)
    {
        return m_bySrpt.size();
    }
    std::size_t rank = 0;
    for (auto it = m_bySrpt.begin(); it != m_bySrpt.end(); ++it, ++rank)
    {
        if (&*it == e)
        {
            return rank;
        }
    }
    return m_bySrpt.size();
}

} // namespace ns3
