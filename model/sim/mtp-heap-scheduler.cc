/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Design notes
 * ============
 *
 * Why a heap in a vector: the event list of a datacenter simulation holds
 * some hundreds to a few thousands of events, most of which are removed in
 * order (RemoveNext) soon after being inserted.  A vector-backed implicit
 * heap allocates nothing per event and keeps the events contiguous, as
 * ns3::HeapScheduler does; the gains here come from doing less per level.
 *
 * Why 4-ary: a 4-ary heap is half as deep as a binary one (log4 n levels:
 * 5 for 1,000 events instead of 10).  RemoveNext walks from the root to a
 * leaf and costs, per level, the compares that find the smallest child plus
 * one compare with the sifted event, so 4 compares on each of 5 levels
 * instead of 2 on each of 10: about the same compares, half the levels,
 * half the moves.  The four children of a node are adjacent (96 bytes, one
 * or two cache lines), so a level costs about one cache miss.  Insert,
 * which walks up, does only one compare per level and gets half the levels.
 * An 8-ary heap would need 8 compares on each of its 3.3 levels (26
 * against 20 for 1,000 events).
 *
 * Why holes: ns3::HeapScheduler swaps the sifted event with its parent or
 * child at every level (three 24-byte copies, through out-of-line helpers).
 * Here the sifted event is held aside, each event passed over moves once
 * into the hole, and the sifted event is written once at the end: one copy
 * per level.
 *
 * Why the order is ns-3's: Before() is ns-3's operator< on
 * Scheduler::EventKey (timestamp, then uid), spelt out to be inlined.  The
 * simulator gives every event a distinct uid, so this is a strict total
 * order, and any correct priority queue over it releases events in one and
 * the same sequence: the sequence of ns3::MapScheduler, ListScheduler,
 * CalendarScheduler and HeapScheduler (the last one as long as
 * Simulator::Remove is not used, see Remove below).  A simulation's results therefore do
 * not depend on the choice (mtp-heap-scheduler-test-suite checks this
 * against ns-3's schedulers).
 *
 * Remove: a linear search by uid, as ns3::HeapScheduler does
 * (Simulator::Remove is rare; ns-3's simulator implementations cancel an
 * event by marking it, without reaching the scheduler); the
 * last event fills the vacated slot and is sifted up or down, whichever
 * direction its new parent and children require.  (ns3::HeapScheduler only
 * sifts down there, which leaves the heap out of order when the former last
 * event runs before the vacated slot's parent.)
 *
 * Why free functions: the sift loops and their helpers live in an
 * anonymous namespace, so that the compiler inlines them into Insert,
 * RemoveNext and Remove; as members of an exported class in a shared
 * library (-fPIC) they would stay separate calls.  The four children of a
 * full node are compared as a tournament (two independent compares, then
 * one), which shortens the chain of dependent branches.
 *
 * Why not Boost.Heap's d_ary_heap: in its default, non-mutable form it
 * offers push, pop and top only, no removal of an arbitrary element; the
 * mutable form removes through handles, which must be kept per event
 * outside the Scheduler interface (an Event carries no handle) and cost an
 * indirection on every move.  A hundred lines here do what is needed.
 */

#include "mtp-heap-scheduler.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHeapScheduler");

NS_OBJECT_ENSURE_REGISTERED(MtpHeapScheduler);

namespace
{

/// An event of the list (Scheduler::Event: EventImpl pointer and key).
using Event = Scheduler::Event;

/// Children per node: node i's children are kArity*i + 1 .. kArity*i + kArity.
constexpr std::size_t kArity = 4;

/**
 * ns-3's order of events (operator< on Scheduler::EventKey), written out so
 * that it is inlined into the sift loops.
 * \param a first key
 * \param b second key
 * \return true if `a` runs before `b`: earlier timestamp, or the same
 *         timestamp and a smaller uid
 */
inline bool
Before(const Scheduler::EventKey& a, const Scheduler::EventKey& b)
{
    return a.m_ts < b.m_ts || (a.m_ts == b.m_ts && a.m_uid < b.m_uid);
}

/**
 * \param h the heap's events
 * \param first index of the first child of a node (< n)
 * \param n the number of events
 * \return the index of that node's child that runs first
 */
inline std::size_t
SmallestChild(const Event* h, std::size_t first, std::size_t n)
{
    if (first + kArity <= n)
    {
        std::size_t a = Before(h[first + 1].key, h[first].key) ? first + 1 : first;
        std::size_t b = Before(h[first + 3].key, h[first + 2].key) ? first + 3 : first + 2;
        return Before(h[b].key, h[a].key) ? b : a;
    }
    std::size_t best = first;
    for (std::size_t c = first + 1; c < n; ++c)
    {
        best = Before(h[c].key, h[best].key) ? c : best;
    }
    return best;
}

/**
 * Move the hole at `hole` towards the root past every ancestor that `ev`
 * runs before, then put `ev` into it.
 * \param heap the events
 * \param hole index of a slot whose content may be overwritten
 * \param ev the event to place (not an element of `heap`)
 */
inline void
SiftUp(std::vector<Event>& heap, std::size_t hole, const Event& ev)
{
    Event* h = heap.data();
    while (hole > 0)
    {
        std::size_t parent = (hole - 1) / kArity;
        if (!Before(ev.key, h[parent].key))
        {
            break;
        }
        h[hole] = h[parent];
        hole = parent;
    }
    h[hole] = ev;
}

/**
 * Move the hole at `hole` towards the leaves past every smallest child that
 * runs before `ev`, then put `ev` into it.
 * \param heap the events
 * \param hole index of a slot whose content may be overwritten
 * \param ev the event to place (not an element of `heap`)
 */
inline void
SiftDown(std::vector<Event>& heap, std::size_t hole, const Event& ev)
{
    Event* h = heap.data();
    const std::size_t n = heap.size();
    for (std::size_t first = hole * kArity + 1; first < n; first = hole * kArity + 1)
    {
        std::size_t child = SmallestChild(h, first, n);
        if (!Before(h[child].key, ev.key))
        {
            break;
        }
        h[hole] = h[child];
        hole = child;
    }
    h[hole] = ev;
}

/**
 * Fill slot `i`, just vacated by a removal, with `ev` (the former last
 * event) and restore the heap order around it: up if `ev` runs before the
 * slot's parent, else down.
 * \param heap the events
 * \param i index of the vacated slot (< heap.size())
 * \param ev the event to put there (not an element of `heap`)
 */
void
Refill(std::vector<Event>& heap, std::size_t i, const Event& ev)
{
    if (i > 0 && Before(ev.key, heap[(i - 1) / kArity].key))
    {
        SiftUp(heap, i, ev);
    }
    else
    {
        SiftDown(heap, i, ev);
    }
}

} // namespace

TypeId
MtpHeapScheduler::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpHeapScheduler")
                            .SetParent<Scheduler>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpHeapScheduler>();
    return tid;
}

MtpHeapScheduler::MtpHeapScheduler()
{
    NS_LOG_FUNCTION(this);
}

MtpHeapScheduler::~MtpHeapScheduler()
{
    NS_LOG_FUNCTION(this);
}

// Insert, IsEmpty, PeekNext and RemoveNext run once per event: they do not
// log, so that even a build with logging compiled in pays nothing for it.

void
MtpHeapScheduler::Insert(const Event& ev)
{
    m_heap.push_back(ev);
    SiftUp(m_heap, m_heap.size() - 1, ev);
}

bool
MtpHeapScheduler::IsEmpty() const
{
    return m_heap.empty();
}

Scheduler::Event
MtpHeapScheduler::PeekNext() const
{
    NS_ASSERT_MSG(!m_heap.empty(), "PeekNext on an empty event list");
    return m_heap.front();
}

Scheduler::Event
MtpHeapScheduler::RemoveNext()
{
    NS_ASSERT_MSG(!m_heap.empty(), "RemoveNext on an empty event list");
    Event next = m_heap.front();
    Event last = m_heap.back();
    m_heap.pop_back();
    if (!m_heap.empty())
    {
        SiftDown(m_heap, 0, last);
    }
    return next;
}

void
MtpHeapScheduler::Remove(const Event& ev)
{
    NS_LOG_FUNCTION(this << ev.impl << ev.key.m_ts << ev.key.m_uid);
    auto it = std::find_if(m_heap.begin(), m_heap.end(), [&ev](const Event& e) {
        return e.key.m_uid == ev.key.m_uid;
    });
    NS_ASSERT_MSG(it != m_heap.end(), "Remove of event uid " << ev.key.m_uid << ", not pending");
    if (it == m_heap.end())
    {
        return; // optimized builds: nothing to remove, leave the list intact
    }
    NS_ASSERT_MSG(it->impl == ev.impl, "event uid " << ev.key.m_uid << " has another EventImpl");
    std::size_t i = static_cast<std::size_t>(it - m_heap.begin());
    Event last = m_heap.back();
    m_heap.pop_back();
    if (i < m_heap.size())
    {
        Refill(m_heap, i, last);
    }
}

} // namespace ns3
