/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of MtpHeapScheduler (model/sim/mtp-heap-scheduler.h): that it
 * releases events in exactly the order of ns-3's own schedulers, (time,
 * uid), through the Scheduler interface directly (a randomized differential
 * test and hand-built cases) and inside the simulator (a scenario with ties,
 * Simulator::Remove and Simulator::Cancel run once per scheduler).
 */

#include "ns3/event-impl.h"
#include "ns3/make-event.h"
#include "ns3/mtp-heap-scheduler.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace
{

/// (timestamp, uid) of an event: what identifies and orders it.
using Key = std::pair<uint64_t, uint32_t>;

/// The body of the events handed to the schedulers directly: never run.
void
Nothing()
{
}

/**
 * \param tid a Scheduler TypeId name, e.g. "ns3::HeapScheduler"
 * \return a new, empty scheduler of that type
 */
Ptr<Scheduler>
NewScheduler(const std::string& tid)
{
    ObjectFactory f;
    f.SetTypeId(tid);
    return f.Create<Scheduler>();
}

/**
 * The EventImpl objects of a test: one per uid, created on first use and
 * released (Unref) when the pool goes, after the schedulers are done with
 * them.  Several schedulers may hold the same events: a scheduler never
 * touches the reference count.
 */
class EventPool
{
  public:
    /**
     * \param ts the event's timestamp
     * \param uid the event's uid (its EventImpl is shared by every use)
     * \return the scheduler event (ts, uid) with this pool's EventImpl for uid
     */
    Scheduler::Event Get(uint64_t ts, uint32_t uid)
    {
        Ptr<EventImpl>& impl = m_impls[uid];
        if (!impl)
        {
            impl = Ptr<EventImpl>(MakeEvent(&Nothing), false); // adopt MakeEvent's reference
        }
        Scheduler::Event ev;
        ev.impl = PeekPointer(impl);
        ev.key.m_ts = ts;
        ev.key.m_uid = uid;
        ev.key.m_context = ContextOf(uid);
        return ev;
    }

    /**
     * \param ev an event a scheduler released
     * \return whether it carries the EventImpl and the context its uid was
     *         inserted with (a scheduler that keeps them apart from the key
     *         must give back the right ones)
     */
    bool Carries(const Scheduler::Event& ev) const
    {
        auto it = m_impls.find(ev.key.m_uid);
        return it != m_impls.end() && PeekPointer(it->second) == ev.impl &&
               ev.key.m_context == ContextOf(ev.key.m_uid);
    }

  private:
    /**
     * \param uid an event's uid
     * \return the context it is inserted with: differs between events
     */
    static uint32_t ContextOf(uint32_t uid)
    {
        return (uid * 2654435761U) ^ 0x5a5a5a5aU;
    }

    std::map<uint32_t, Ptr<EventImpl>> m_impls; //!< the events, by uid
};

/// One operation on an event list.
struct Op
{
    /// What the operation does.
    enum Kind
    {
        INSERT,      //!< Insert (ts, uid)
        REMOVE_NEXT, //!< PeekNext then RemoveNext
        REMOVE       //!< Remove (ts, uid), a pending event
    };

    Kind kind;    //!< the operation
    uint64_t ts;  //!< timestamp of the event inserted or removed
    uint32_t uid; //!< uid of the event inserted or removed
};

/**
 * A random operation sequence and the order a correct scheduler must
 * release its events in, computed with a std::set as the reference model.
 * The timestamps cluster (at most 8 ticks past the last released event,
 * one in ten further out), so many pending events share a timestamp; the
 * uids are distinct but not increasing (a counter through a bijection of
 * uint32), so the uid tie-break decides among them.  The sequence ends by
 * draining the list.
 */
class OpSequence
{
  public:
    /**
     * \param seed seed of the generator (fixed: the sequence is reproducible)
     * \param steps random operations before the final drain
     * \param removes whether Remove of random pending events is among them
     */
    OpSequence(uint32_t seed, uint32_t steps, bool removes)
        : m_rng(seed)
    {
        for (uint32_t i = 0; i < steps; ++i)
        {
            Step(removes);
        }
        while (!m_pending.empty())
        {
            PopNext();
        }
    }

    /** \return the operations */
    const std::vector<Op>& GetOps() const
    {
        return m_ops;
    }

    /** \return the keys the REMOVE_NEXT operations must release, in order */
    const std::vector<Key>& GetExpected() const
    {
        return m_expected;
    }

  private:
    /** One random operation: insert, remove the next, or remove one. */
    void Step(bool removes)
    {
        uint32_t r = m_rng() % 100;
        if (r < 50 || m_pending.empty())
        {
            Insert();
        }
        else if (r < 85 || !removes)
        {
            PopNext();
        }
        else
        {
            RemoveRandom();
        }
    }

    /** Insert a new event near (or, one in ten, further past) the clock. */
    void Insert()
    {
        uint64_t ts = m_now + (m_rng() % 10 == 0 ? m_rng() % 1000 : m_rng() % 8);
        uint32_t uid = ++m_counter * 2654435761U; // odd multiplier: distinct uids
        m_ops.push_back({Op::INSERT, ts, uid});
        m_pending.insert({ts, uid});
        m_pendingList.push_back({ts, uid});
    }

    /** Release the first pending event and advance the clock to it. */
    void PopNext()
    {
        Key k = *m_pending.begin();
        m_ops.push_back({Op::REMOVE_NEXT, 0, 0});
        m_expected.push_back(k);
        Forget(k);
        m_now = k.first;
    }

    /** Remove a pending event picked at random. */
    void RemoveRandom()
    {
        Key k = m_pendingList[m_rng() % m_pendingList.size()];
        m_ops.push_back({Op::REMOVE, k.first, k.second});
        Forget(k);
    }

    /** Drop `k` from the pending events. */
    void Forget(const Key& k)
    {
        m_pending.erase(k);
        for (auto& p : m_pendingList)
        {
            if (p == k)
            {
                p = m_pendingList.back();
                m_pendingList.pop_back();
                return;
            }
        }
    }

    std::mt19937 m_rng;             //!< the operations' generator
    std::vector<Op> m_ops;          //!< operations so far
    std::vector<Key> m_expected;    //!< keys released so far, in order
    std::set<Key> m_pending;        //!< pending events, in release order
    std::vector<Key> m_pendingList; //!< the same, for picking at random
    uint64_t m_now = 0;             //!< timestamp of the last released event
    uint32_t m_counter = 0;         //!< events inserted so far
};

/**
 * Apply the operations of `seq` to `sched` and return, for every
 * REMOVE_NEXT, the key PeekNext returned and then the key RemoveNext
 * returned (the timestamp all ones if the event came back without the
 * EventImpl and context it went in with).  Stops after the first release
 * that differs from the reference order: the later operations (a Remove of
 * an event the scheduler already released) would not make sense.
 * \param sched the scheduler (empty)
 * \param seq the operations and the reference order
 * \param pool where the events' EventImpl objects come from
 * \return the keys seen, two per REMOVE_NEXT applied
 */
std::vector<Key>
Apply(Ptr<Scheduler> sched, const OpSequence& seq, EventPool& pool)
{
    std::vector<Key> out;
    std::size_t released = 0;
    for (const Op& op : seq.GetOps())
    {
        if (op.kind == Op::INSERT)
        {
            sched->Insert(pool.Get(op.ts, op.uid));
            continue;
        }
        if (op.kind == Op::REMOVE)
        {
            sched->Remove(pool.Get(op.ts, op.uid));
            continue;
        }
        Scheduler::Event peek = sched->PeekNext();
        Scheduler::Event next = sched->RemoveNext();
        // An event released with another event's body or context shows as
        // a key no sequence holds (timestamp all ones).
        constexpr uint64_t WRONG_BODY = ~uint64_t(0);
        out.push_back({pool.Carries(peek) ? peek.key.m_ts : WRONG_BODY, peek.key.m_uid});
        out.push_back({pool.Carries(next) ? next.key.m_ts : WRONG_BODY, next.key.m_uid});
        if (out.back() != seq.GetExpected()[released++])
        {
            break;
        }
    }
    return out;
}

/** \return each key of `keys` twice in a row, as Apply reports them */
std::vector<Key>
Doubled(const std::vector<Key>& keys)
{
    std::vector<Key> out;
    for (const Key& k : keys)
    {
        out.push_back(k);
        out.push_back(k);
    }
    return out;
}

/**
 * \param a one key sequence
 * \param b another
 * \return "" if they are equal, else where and how they first differ
 */
std::string
FirstDifference(const std::vector<Key>& a, const std::vector<Key>& b)
{
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    {
        if (a[i] != b[i])
        {
            std::ostringstream s;
            s << "at " << i << ": (" << a[i].first << ", " << a[i].second << ") vs (" << b[i].first
              << ", " << b[i].second << ")";
            return s.str();
        }
    }
    if (a.size() != b.size())
    {
        return "lengths " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
    }
    return "";
}

/**
 * Randomized differential test: MtpHeapScheduler and ns-3's schedulers fed
 * the same thousands of operations release the same (ts, uid) sequence,
 * which is also the reference model's.
 */
class MtpHeapSchedulerDifferentialTestCase : public TestCase
{
  public:
    MtpHeapSchedulerDifferentialTestCase()
        : TestCase("same (ts, uid) sequence as ns-3's schedulers under random operations")
    {
    }

  private:
    void DoRun() override
    {
        // ns3::HeapScheduler only on Insert and RemoveNext: its Remove
        // refills the vacated slot sifting down only, so after a removal it
        // can release events out of order (at a later timestamp first),
        // which the sequences with removals show within a few hundred
        // operations.  Removals are checked against MapScheduler (std::map)
        // and CalendarScheduler, and always against the reference order.
        for (uint32_t seed = 1; seed <= 3; ++seed)
        {
            Compare(OpSequence(seed, 20000, false), "ns3::HeapScheduler", seed);
            Compare(OpSequence(seed, 20000, true), "ns3::MapScheduler", seed);
            Compare(OpSequence(seed, 20000, true), "ns3::CalendarScheduler", seed);
        }
    }

    /**
     * Run `seq` through MtpHeapScheduler and through `other`; both must
     * release the reference order.
     * \param seq the operations and the reference order
     * \param other TypeId name of the ns-3 scheduler compared with
     * \param seed the sequence's seed (for the messages)
     */
    void Compare(const OpSequence& seq, const std::string& other, uint32_t seed)
    {
        EventPool pool;
        std::vector<Key> mine = Apply(NewScheduler("ns3::MtpHeapScheduler"), seq, pool);
        std::vector<Key> theirs = Apply(NewScheduler(other), seq, pool);
        std::vector<Key> expected = Doubled(seq.GetExpected());
        NS_TEST_EXPECT_MSG_GT(expected.size(), 10000, "the sequence releases many events");
        NS_TEST_EXPECT_MSG_EQ(FirstDifference(mine, theirs),
                              "",
                              "MtpHeapScheduler vs " << other << ", seed " << seed);
        NS_TEST_EXPECT_MSG_EQ(FirstDifference(mine, expected),
                              "",
                              "MtpHeapScheduler vs the reference order, seed " << seed);
    }
};

/**
 * Hand-built cases: the empty list, ties broken by uid, removal of the
 * root, of the last slot and of a middle slot whose refill must move up.
 */
class MtpHeapSchedulerCasesTestCase : public TestCase
{
  public:
    MtpHeapSchedulerCasesTestCase()
        : TestCase("empty list, uid tie-break, Remove of root, last and middle slots")
    {
    }

  private:
    void DoRun() override
    {
        Empty();
        Ties();
        RemoveRoot();
        RemoveLast();
        RemoveMiddle();
    }

    /**
     * Insert events of timestamps `ts` (uid = position + 1) into a new
     * MtpHeapScheduler.
     * \param ts the timestamps, in insertion order
     * \return the scheduler
     */
    Ptr<Scheduler> Build(const std::vector<uint64_t>& ts)
    {
        Ptr<Scheduler> s = NewScheduler("ns3::MtpHeapScheduler");
        for (std::size_t i = 0; i < ts.size(); ++i)
        {
            s->Insert(m_pool.Get(ts[i], static_cast<uint32_t>(i + 1)));
        }
        return s;
    }

    /** \return the timestamps of `s`'s events, emptying it */
    std::vector<uint64_t> Drain(Ptr<Scheduler> s)
    {
        std::vector<uint64_t> out;
        while (!s->IsEmpty())
        {
            out.push_back(s->RemoveNext().key.m_ts);
        }
        return out;
    }

    /** An empty list is empty, stops being so on Insert, is again after. */
    void Empty()
    {
        Ptr<Scheduler> s = Build({});
        NS_TEST_EXPECT_MSG_EQ(s->IsEmpty(), true, "a new scheduler is empty");
        s->Insert(m_pool.Get(7, 100));
        NS_TEST_EXPECT_MSG_EQ(s->IsEmpty(), false, "one event pending");
        NS_TEST_EXPECT_MSG_EQ(s->PeekNext().key.m_uid, 100, "PeekNext sees it");
        NS_TEST_EXPECT_MSG_EQ(s->IsEmpty(), false, "PeekNext keeps it");
        Scheduler::Event ev = s->RemoveNext();
        NS_TEST_EXPECT_MSG_EQ(ev.key.m_ts, 7, "its timestamp");
        NS_TEST_EXPECT_MSG_EQ(ev.impl, m_pool.Get(7, 100).impl, "its EventImpl");
        NS_TEST_EXPECT_MSG_EQ(s->IsEmpty(), true, "empty again");
        s->Insert(m_pool.Get(3, 101));
        s->Remove(m_pool.Get(3, 101));
        NS_TEST_EXPECT_MSG_EQ(s->IsEmpty(), true, "Remove of the only event empties it");
    }

    /** Equal timestamps leave by uid, whatever the insertion order. */
    void Ties()
    {
        Ptr<Scheduler> s = NewScheduler("ns3::MtpHeapScheduler");
        const std::vector<uint32_t> uids = {50, 30, 90, 10, 70, 20, 80, 60, 40, 5, 95};
        for (uint32_t uid : uids)
        {
            s->Insert(m_pool.Get(uid == 5 || uid == 95 ? 200 : 100, uid));
        }
        std::vector<uint32_t> out;
        while (!s->IsEmpty())
        {
            out.push_back(s->RemoveNext().key.m_uid);
        }
        const std::vector<uint32_t> expected = {10, 20, 30, 40, 50, 60, 70, 80, 90, 5, 95};
        NS_TEST_ASSERT_MSG_EQ(out.size(), expected.size(), "every event leaves once");
        for (std::size_t i = 0; i < out.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(out[i], expected[i], "release " << i);
        }
    }

    /** Remove of the first event: the rest leave in order. */
    void RemoveRoot()
    {
        Ptr<Scheduler> s = Build({40, 10, 30, 20, 60, 50, 70});
        s->Remove(m_pool.Get(10, 2));
        NS_TEST_EXPECT_MSG_EQ(s->PeekNext().key.m_ts, 20, "the second becomes first");
        Check(Drain(s), {20, 30, 40, 50, 60, 70}, "after removing the root");
    }

    /** Remove of the event in the last slot (ascending inserts stay put). */
    void RemoveLast()
    {
        Ptr<Scheduler> s = Build({1, 2, 3, 4, 5, 6, 7, 8, 9});
        s->Remove(m_pool.Get(9, 9));
        Check(Drain(s), {1, 2, 3, 4, 5, 6, 7, 8}, "after removing the last slot");
    }

    /**
     * Remove from the middle where the last event must move up: the
     * inserts lay out [0 | 100 1 2 3 | 101 102 103 104 | 5 6 7 8]
     * (children of slot i at 4i+1..4i+4); removing 101 (slot 5, under 100)
     * puts 8 there, which must rise above 100 or it would leave after it.
     */
    void RemoveMiddle()
    {
        Ptr<Scheduler> s = Build({0, 100, 1, 2, 3, 101, 102, 103, 104, 5, 6, 7, 8});
        s->Remove(m_pool.Get(101, 6));
        Check(Drain(s), {0, 1, 2, 3, 5, 6, 7, 8, 100, 102, 103, 104}, "after a middle removal");
        s = Build({0, 100, 1, 2, 3, 101, 102, 103, 104, 5, 6, 7, 8});
        s->Remove(m_pool.Get(1, 3));
        Check(Drain(s), {0, 2, 3, 5, 6, 7, 8, 100, 101, 102, 103, 104}, "refill moving down");
    }

    /**
     * Expect `got` to equal `expected`, element by element.
     * \param got the timestamps released
     * \param expected the timestamps that should have been
     * \param what the case, for the messages
     */
    void Check(const std::vector<uint64_t>& got,
               const std::vector<uint64_t>& expected,
               const std::string& what)
    {
        NS_TEST_ASSERT_MSG_EQ(got.size(), expected.size(), what << ": count");
        for (std::size_t i = 0; i < got.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(got[i], expected[i], what << ": release " << i);
        }
    }

    EventPool m_pool; //!< the events of every case
};

/**
 * A small simulation whose log shows the order events ran in: events with
 * equal times, events that schedule more (some at the current time), and
 * events removed (Simulator::Remove) or cancelled, before and during the
 * run.
 */
class TieScenario
{
  public:
    /**
     * Run the scenario with the scheduler `tid` and destroy the simulator.
     * \param tid the scheduler's TypeId name
     * \return one "tag@ns" line per event run, in order
     */
    std::vector<std::string> Run(const std::string& tid)
    {
        ObjectFactory f;
        f.SetTypeId(tid);
        Simulator::SetScheduler(f);
        m_log.clear();
        m_ids.clear();
        for (uint32_t tag = 0; tag < 40; ++tag)
        {
            m_ids.push_back(
                Simulator::Schedule(NanoSeconds((tag * 7) % 5), &TieScenario::Fire, this, tag));
        }
        Simulator::Remove(m_ids[4]);
        Simulator::Remove(m_ids[11]);
        Simulator::Remove(m_ids[17]);
        Simulator::Cancel(m_ids[5]);
        Simulator::Cancel(m_ids[12]);
        Simulator::Run();
        Simulator::Destroy();
        return m_log;
    }

    /** \return tags that must never run (removed or cancelled) */
    static std::vector<uint32_t> Suppressed()
    {
        return {4, 11, 17, 5, 12, 22, 24, 31};
    }

  private:
    /**
     * Log the event; spawn followers for some tags.  Tag t first runs at
     * (7t mod 5) ns: tag 0 (at 0 ns) removes 22 (due at 4 ns) and cancels
     * 24 (3 ns), tag 3 (1 ns) removes 31 (2 ns).
     * \param tag the event's name
     */
    void Fire(uint32_t tag)
    {
        m_log.push_back(std::to_string(tag) + "@" +
                        std::to_string(Simulator::Now().GetNanoSeconds()));
        if (tag == 0)
        {
            Simulator::Remove(m_ids[22]);
            Simulator::Cancel(m_ids[24]);
        }
        if (tag == 3)
        {
            Simulator::Remove(m_ids[31]);
        }
        if (tag < 100 && tag % 3 == 0)
        {
            Simulator::Schedule(NanoSeconds(tag % 4), &TieScenario::Fire, this, tag + 100);
        }
        if (tag < 100 && tag % 5 == 1)
        {
            Simulator::ScheduleNow(&TieScenario::Fire, this, tag + 1000);
        }
    }

    std::vector<std::string> m_log; //!< events run, in order
    std::vector<EventId> m_ids;     //!< the first 40 events, by tag
};

/**
 * The same scenario run under MtpHeapScheduler and each ns-3 scheduler
 * executes the same events in the same order.
 */
class MtpHeapSchedulerSimulationTestCase : public TestCase
{
  public:
    MtpHeapSchedulerSimulationTestCase()
        : TestCase("a simulation runs its events in the same order as with ns-3's schedulers")
    {
    }

  private:
    void DoRun() override
    {
        TieScenario scenario;
        std::vector<std::string> mine = scenario.Run("ns3::MtpHeapScheduler");
        NS_TEST_EXPECT_MSG_EQ(mine.size(), 50, "events run: 40 - 8 suppressed + 12 + 6 spawned");
        for (std::size_t i = 1; i < mine.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_LT_OR_EQ(std::stoll(mine[i - 1].substr(mine[i - 1].find('@') + 1)),
                                        std::stoll(mine[i].substr(mine[i].find('@') + 1)),
                                        "time never goes back: event " << i);
        }
        for (uint32_t tag : TieScenario::Suppressed())
        {
            for (const std::string& line : mine)
            {
                NS_TEST_EXPECT_MSG_NE(line.substr(0, line.find('@')),
                                      std::to_string(tag),
                                      "removed or cancelled event ran");
            }
        }
        for (const char* tid : {"ns3::HeapScheduler",
                                "ns3::MapScheduler",
                                "ns3::ListScheduler",
                                "ns3::CalendarScheduler"})
        {
            std::vector<std::string> theirs = scenario.Run(tid);
            NS_TEST_ASSERT_MSG_EQ(theirs.size(), mine.size(), "events run under " << tid);
            for (std::size_t i = 0; i < mine.size(); ++i)
            {
                NS_TEST_EXPECT_MSG_EQ(mine[i], theirs[i], "event " << i << " vs " << tid);
            }
        }
    }
};

/** The mtp-heap-scheduler test suite. */
class MtpHeapSchedulerTestSuite : public TestSuite
{
  public:
    MtpHeapSchedulerTestSuite()
        : TestSuite("mtp-heap-scheduler", TestSuite::Type::UNIT)
    {
        AddTestCase(new MtpHeapSchedulerDifferentialTestCase(), MtpTestDuration::QUICK);
        AddTestCase(new MtpHeapSchedulerCasesTestCase(), MtpTestDuration::QUICK);
        AddTestCase(new MtpHeapSchedulerSimulationTestCase(), MtpTestDuration::QUICK);
    }
};

/// The suite's one instance, registered with the test runner.
MtpHeapSchedulerTestSuite g_mtpHeapSchedulerTestSuite;

} // namespace
} // namespace ns3
