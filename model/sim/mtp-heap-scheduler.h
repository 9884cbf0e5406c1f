/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef MTP_HEAP_SCHEDULER_H
#define MTP_HEAP_SCHEDULER_H

#include "ns3/scheduler.h"

#include <vector>

/**
 * \file
 * \ingroup mtp-sim
 * ns3::MtpHeapScheduler declaration.
 */

namespace ns3
{

/**
 * \ingroup mtp-sim
 * \brief An event list kept as an implicit 4-ary min-heap: a faster
 * drop-in for ns3::HeapScheduler.
 *
 * What it is for: the datacenter simulations spend a tenth or more of
 * their CPU time in the event list (ns3::HeapScheduler's RemoveNext).  This
 * scheduler keeps the pending events in one `std::vector` (0-based), four
 * children per node, and moves events into a hole while sifting instead of
 * swapping them level by level; the comparison is inlined.
 *
 * Order: events leave in increasing (timestamp, uid) order, the order of
 * ns-3's `operator<` on Scheduler::EventKey that every ns-3 scheduler
 * follows.  Uids are unique, so that order is total and a simulation's
 * events run in exactly the same order, and produce exactly the same
 * results, as with ns-3's own schedulers.
 *
 * Complexity (n pending events): Insert O(log4 n), RemoveNext O(4 log4 n)
 * compares, PeekNext and IsEmpty O(1), Remove O(n) (a linear search by
 * uid, as ns3::HeapScheduler; Simulator::Remove is rare, Simulator::Cancel
 * does not reach the scheduler).  Memory: 24 bytes per event, no
 * allocation per event.
 *
 * Select it with `Simulator::SetScheduler` and an ObjectFactory of TypeId
 * "ns3::MtpHeapScheduler", or `--scheduler=mtp-heap` in mtp-datacenter and
 * mtp-event-loop-benchmark.  As for every ns-3 scheduler, the caller owns
 * the EventImpl references (EventImpl::Ref before Insert, Unref after a
 * removal); this class never touches them.
 */
class MtpHeapScheduler : public Scheduler
{
  public:
    /**
     * Register this type.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** Construct an empty event list. */
    MtpHeapScheduler();
    /** Destructor (the caller owns the events' EventImpl references). */
    ~MtpHeapScheduler() override;

    // Inherited from Scheduler: see there.
    void Insert(const Event& ev) override;
    bool IsEmpty() const override;
    Event PeekNext() const override;
    Event RemoveNext() override;
    void Remove(const Event& ev) override;

  private:
    // The sifting is done by free functions in the .cc (an anonymous
    // namespace), not by member functions: in a shared library, GCC does
    // not inline exported functions into each other (-fPIC allows them to
    // be interposed), and the sift loops must be one function each.

    /// The pending events, an implicit 4-ary heap: node i's children are
    /// 4i+1 .. 4i+4, no event runs before its parent m_heap[(i - 1) / 4],
    /// so m_heap[0] runs first.
    std::vector<Event> m_heap;
};

} // namespace ns3

#endif // MTP_HEAP_SCHEDULER_H
