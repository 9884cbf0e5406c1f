/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of MtpGrantScheduler: SRPT order, priorities per rank, the
 * overcommit and MaxIncoming bounds (also through a long randomized run
 * checked against a brute-force recomputation), FIFO grants, and unlinking.
 */

#include "ns3/mtp-grant-scheduler.h"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <random>
#include <vector>

using namespace ns3;

namespace
{

using Entry = MtpGrantScheduler::Entry;
using Grant = MtpGrantScheduler::Grant;

/**
 * \param cookie caller handle
 * \param length message length
 * \param unsched unscheduled bytes
 * \return an entry as a receiver fills it when the first DATA packet arrives
 */
std::unique_ptr<Entry>
MakeEntry(uint64_t cookie, uint32_t length, uint32_t unsched)
{
    auto e = std::make_unique<Entry>();
    e->cookie = cookie;
    e->length = length;
    e->unscheduled = std::min(unsched, length);
    e->granted = e->unscheduled;
    e->received = 0;
    return e;
}

/// Tunables with FIFO off and no MaxIncoming pressure.
MtpGrantScheduler::Config
PlainConfig()
{
    MtpGrantScheduler::Config c;
    c.window = 10000;
    c.maxOvercommit = 8;
    c.maxIncoming = 1000000000;
    c.maxSchedPriority = 3;
    c.fifoFractionPerMille = 0;
    c.fifoGrantIncrement = 10000;
    return c;
}

/// \return cookies of the grants, in the returned order
std::vector<uint64_t>
Cookies(const std::vector<Grant>& grants)
{
    std::vector<uint64_t> out;
    for (const auto& g : grants)
    {
        out.push_back(g.entry->cookie);
    }
    return out;
}

/// \return priorities of the grants, in the returned order
std::vector<int>
Priorities(const std::vector<Grant>& grants)
{
    std::vector<int> out;
    for (const auto& g : grants)
    {
        out.push_back(g.priority);
    }
    return out;
}

/// The definition of "active" the header states.
bool
IsActive(const Entry& e)
{
    return e.granted > e.unscheduled && e.granted > e.received;
}

} // namespace

TEST(MtpGrantScheduler, EmptyScheduleGrantsNothing)
{
    MtpGrantScheduler s(PlainConfig());
    EXPECT_TRUE(s.Schedule().empty());
    EXPECT_EQ(s.GetSize(), 0u);
    EXPECT_EQ(s.GetActiveCount(), 0u);
    EXPECT_EQ(s.GetOutstandingBytes(), 0u);
}

// Grants go to messages in order of remaining bytes, each up to Window beyond
// what it received, at decreasing priorities.
TEST(MtpGrantScheduler, SrptOrderOfGrants)
{
    auto c = PlainConfig();
    c.maxSchedPriority = 7;
    // Entries are declared before the scheduler so that they outlive it, as
    // they must unless removed: a linked hook asserts when destroyed.
    std::vector<std::unique_ptr<Entry>> entries;
    MtpGrantScheduler s(c);
    std::vector<uint32_t> lengths = {50000, 30000, 80000, 20000, 60000};
    for (uint32_t i = 0; i < lengths.size(); ++i)
    {
        entries.push_back(MakeEntry(i + 1, lengths[i], 0));
        s.Add(entries.back().get());
    }
    EXPECT_EQ(s.GetRank(entries[3].get()), 0u);
    EXPECT_EQ(s.GetRank(entries[1].get()), 1u);
    EXPECT_EQ(s.GetRank(entries[0].get()), 2u);
    EXPECT_EQ(s.GetRank(entries[4].get()), 3u);
    EXPECT_EQ(s.GetRank(entries[2].get()), 4u);

    auto grants = s.Schedule();
    EXPECT_EQ(Cookies(grants), (std::vector<uint64_t>{4, 2, 1, 5, 3}));
    // 5 messages, 8 levels: the lowest five are used.
    EXPECT_EQ(Priorities(grants), (std::vector<int>{4, 3, 2, 1, 0}));
    for (const auto& g : grants)
    {
        EXPECT_EQ(g.offset, 10000u);
        EXPECT_EQ(g.entry->granted, 10000u);
        EXPECT_TRUE(g.entry->active);
    }
    EXPECT_EQ(s.GetActiveCount(), 5u);
    EXPECT_EQ(s.GetOutstandingBytes(), 50000u);

    // Nothing new arrived: nothing new to grant.
    EXPECT_TRUE(s.Schedule().empty());

    // The shortest receives its granted bytes: only it is topped up.
    s.Update(entries[3].get(), 10000);
    EXPECT_FALSE(entries[3]->active);
    EXPECT_EQ(s.GetActiveCount(), 4u);
    grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].entry, entries[3].get());
    EXPECT_EQ(grants[0].offset, 20000u);
    EXPECT_EQ(grants[0].priority, 4);

    // Fully granted (20000 of 20000): nothing more for it, and the others
    // have received nothing of their grants yet.
    s.Update(entries[3].get(), 15000);
    EXPECT_TRUE(s.Schedule().empty());
}

// Priorities per rank, including the rule that fewer messages than scheduled
// levels use the lowest levels.
TEST(MtpGrantScheduler, PrioritiesPerRank)
{
    struct Case
    {
        uint8_t maxSched;
        uint32_t count;
        std::vector<int> expected;
    };

    std::vector<Case> cases = {
        {3, 1, {0}},
        {3, 2, {1, 0}},
        {3, 3, {2, 1, 0}},
        {3, 4, {3, 2, 1, 0}},
        {3, 6, {3, 2, 1, 0, 0, 0}},
        {3, 10, {3, 2, 1, 0, 0, 0, 0, 0}}, // only MaxOvercommit (8) get grants
        {7, 3, {2, 1, 0}},
        {7, 8, {7, 6, 5, 4, 3, 2, 1, 0}},
        {7, 12, {7, 6, 5, 4, 3, 2, 1, 0}},
        {0, 4, {0, 0, 0, 0}},
    };
    for (const auto& k : cases)
    {
        SCOPED_TRACE(testing::Message() << "maxSched " << int(k.maxSched) << " count " << k.count);
        auto c = PlainConfig();
        c.maxSchedPriority = k.maxSched;
        std::vector<std::unique_ptr<Entry>> entries;
        MtpGrantScheduler s(c);
        for (uint32_t i = 0; i < k.count; ++i)
        {
            entries.push_back(MakeEntry(i, 100000 + 1000 * i, 0));
            s.Add(entries.back().get());
        }
        auto grants = s.Schedule();
        EXPECT_EQ(Priorities(grants), k.expected);
        std::vector<uint64_t> order;
        for (uint32_t i = 0; i < k.expected.size(); ++i)
        {
            order.push_back(i);
        }
        EXPECT_EQ(Cookies(grants), order);
    }
}

// The clipping case of SrptOrderOfGrants, spelled out: a message whose window
// reaches past its end is granted exactly its length, once.
TEST(MtpGrantScheduler, LastGrantClampsToLength)
{
    auto e = MakeEntry(1, 25000, 10000);
    MtpGrantScheduler s(PlainConfig());
    s.Add(e.get());
    // The unscheduled bytes already cover a full window: no grant yet.
    EXPECT_TRUE(s.Schedule().empty());
    EXPECT_FALSE(e->active);
    s.Update(e.get(), 10000);
    auto grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].offset, 20000u);
    s.Update(e.get(), 20000);
    grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].offset, 25000u); // not 30000
    EXPECT_EQ(e->granted, 25000u);
    s.Update(e.get(), 22000);
    EXPECT_TRUE(s.Schedule().empty());
    EXPECT_EQ(s.GetOutstandingBytes(), 3000u);
    // Complete: the caller removes it; until then it is never granted again.
    s.Update(e.get(), 25000);
    EXPECT_FALSE(e->active);
    EXPECT_TRUE(s.Schedule().empty());
    s.Remove(e.get());
}

// A shorter newcomer ranks first; with every overcommit slot taken it waits,
// and gets the top level once a slot frees.
TEST(MtpGrantScheduler, NewcomerShorterThanAllGetsRankZero)
{
    auto c = PlainConfig();
    c.maxOvercommit = 3;
    auto a = MakeEntry(1, 100000, 0);
    auto b = MakeEntry(2, 200000, 0);
    auto cc = MakeEntry(3, 300000, 0);
    auto d = MakeEntry(4, 50000, 0);
    MtpGrantScheduler s(c);
    s.Add(a.get());
    s.Add(b.get());
    s.Add(cc.get());
    EXPECT_EQ(s.Schedule().size(), 3u);
    EXPECT_EQ(s.GetActiveCount(), 3u);

    s.Add(d.get());
    EXPECT_EQ(s.GetRank(d.get()), 0u);
    EXPECT_EQ(s.GetRank(a.get()), 1u);
    EXPECT_EQ(s.GetRank(cc.get()), 3u);
    EXPECT_TRUE(s.Schedule().empty()); // all slots taken: the newcomer waits
    EXPECT_FALSE(d->active);

    // The longest (now rank 3, outside the walk) receives all it was granted.
    s.Update(cc.get(), 10000);
    EXPECT_EQ(s.GetActiveCount(), 2u);
    auto grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].entry, d.get());
    EXPECT_EQ(grants[0].offset, 10000u);
    EXPECT_EQ(grants[0].priority, 2); // 3 ranked, 4 levels: top used level is 2
    EXPECT_EQ(s.GetActiveCount(), 3u);
    EXPECT_TRUE(cc->linked);
    EXPECT_EQ(cc->granted, 10000u); // rank 3 got nothing
}

// A newcomer with a free slot is granted immediately at the highest used level.
TEST(MtpGrantScheduler, NewcomerWithFreeSlotPreempts)
{
    auto a = MakeEntry(1, 500000, 10000);
    auto b = MakeEntry(2, 400000, 10000);
    auto n = MakeEntry(3, 30000, 10000);
    MtpGrantScheduler s(PlainConfig()); // 8 slots, maxSched 3
    s.Add(a.get());
    s.Add(b.get());
    s.Update(a.get(), 10000);
    s.Update(b.get(), 10000);
    auto grants = s.Schedule();
    EXPECT_EQ(Cookies(grants), (std::vector<uint64_t>{2, 1}));
    EXPECT_EQ(Priorities(grants), (std::vector<int>{1, 0}));
    s.Add(n.get());
    s.Update(n.get(), 5000);
    grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].entry, n.get());
    EXPECT_EQ(grants[0].priority, 2);
    EXPECT_EQ(grants[0].offset, 15000u);
    EXPECT_EQ(s.GetActiveCount(), 3u);
}

TEST(MtpGrantScheduler, OvercommitBound)
{
    auto c = PlainConfig();
    c.maxOvercommit = 2;
    auto a = MakeEntry(1, 30000, 0);
    auto b = MakeEntry(2, 40000, 0);
    auto d = MakeEntry(3, 50000, 0);
    MtpGrantScheduler s(c);
    s.Add(a.get());
    s.Add(b.get());
    s.Add(d.get());
    auto grants = s.Schedule();
    EXPECT_EQ(Cookies(grants), (std::vector<uint64_t>{1, 2}));
    EXPECT_EQ(s.GetActiveCount(), 2u);
    EXPECT_EQ(d->granted, 0u);

    // a completes and leaves: d moves into the walk and gets a slot.
    s.Update(a.get(), 10000);
    s.Remove(a.get());
    EXPECT_EQ(s.GetActiveCount(), 1u);
    grants = s.Schedule();
    EXPECT_EQ(Cookies(grants), (std::vector<uint64_t>{3}));
    EXPECT_EQ(s.GetActiveCount(), 2u);

    // Part of b's grant arrived: b is still active and is topped up, even
    // though both slots are taken.
    s.Update(b.get(), 4000);
    EXPECT_TRUE(b->active);
    grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].entry, b.get());
    EXPECT_EQ(grants[0].offset, 14000u);
}

// The sum of granted-but-unreceived bytes never passes MaxIncoming; the last
// grant that fits is cut down.
TEST(MtpGrantScheduler, MaxIncomingCap)
{
    auto c = PlainConfig();
    c.maxIncoming = 15000;
    auto a = MakeEntry(1, 100000, 0);
    auto b = MakeEntry(2, 200000, 0);
    auto d = MakeEntry(3, 300000, 0);
    auto big = MakeEntry(4, 1000000, 20000);
    MtpGrantScheduler s(c);
    s.Add(a.get());
    s.Add(b.get());
    s.Add(d.get());
    auto grants = s.Schedule();
    ASSERT_EQ(grants.size(), 2u);
    EXPECT_EQ(grants[0].entry, a.get());
    EXPECT_EQ(grants[0].offset, 10000u);
    EXPECT_EQ(grants[1].entry, b.get());
    EXPECT_EQ(grants[1].offset, 5000u); // cut down to what fits
    EXPECT_EQ(d->granted, 0u);
    EXPECT_EQ(s.GetOutstandingBytes(), 15000u);

    // 4000 bytes of a arrive: a may be topped up to 14000 (back to 15000 total),
    // b still cannot grow.
    s.Update(a.get(), 4000);
    EXPECT_EQ(s.GetOutstandingBytes(), 11000u);
    grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].entry, a.get());
    EXPECT_EQ(grants[0].offset, 14000u);
    EXPECT_EQ(s.GetOutstandingBytes(), 15000u);

    // Unscheduled bytes in flight count too: a newcomer whose unscheduled
    // part alone exceeds the cap blocks every grant until it arrives.
    s.Add(big.get());
    EXPECT_EQ(s.GetOutstandingBytes(), 35000u);
    s.Update(a.get(), 14000);
    EXPECT_TRUE(s.Schedule().empty());
    s.Update(big.get(), 20000);
    EXPECT_EQ(s.GetOutstandingBytes(), 5000u);
    grants = s.Schedule();
    ASSERT_FALSE(grants.empty());
    EXPECT_LE(s.GetOutstandingBytes(), 15000u);
}

// Remove is safe on unlinked entries and keeps the totals exact.
TEST(MtpGrantScheduler, RemoveAndUpdateBookkeeping)
{
    auto a = MakeEntry(1, 100000, 10000);
    auto b = MakeEntry(2, 200000, 10000);
    MtpGrantScheduler s(PlainConfig());
    s.Remove(a.get()); // never linked
    s.Add(a.get());
    s.Add(b.get());
    EXPECT_TRUE(a->linked);
    EXPECT_EQ(s.GetSize(), 2u);
    EXPECT_EQ(s.GetOutstandingBytes(), 20000u); // unscheduled bytes on their way
    EXPECT_EQ(s.GetActiveCount(), 0u);          // no scheduled grants yet
    s.Update(a.get(), 10000);
    EXPECT_EQ(s.GetOutstandingBytes(), 10000u);
    s.Update(b.get(), 6000);
    EXPECT_EQ(s.GetOutstandingBytes(), 4000u);
    s.Schedule();
    EXPECT_EQ(s.GetActiveCount(), 2u);
    EXPECT_EQ(a->granted, 20000u);
    EXPECT_EQ(b->granted, 16000u);
    EXPECT_EQ(s.GetOutstandingBytes(), 20000u);

    // More received than granted (a whole last segment past the grant):
    // outstanding is zero for it, not negative.
    s.Update(a.get(), 21000);
    EXPECT_FALSE(a->active);
    EXPECT_EQ(s.GetActiveCount(), 1u);
    EXPECT_EQ(s.GetOutstandingBytes(), 10000u);

    s.Remove(a.get());
    EXPECT_FALSE(a->linked);
    EXPECT_EQ(s.GetSize(), 1u);
    EXPECT_EQ(s.GetRank(a.get()), 1u); // unlinked: GetSize()
    s.Remove(a.get());                 // twice: harmless
    EXPECT_EQ(s.GetSize(), 1u);
    s.Remove(b.get());
    EXPECT_EQ(s.GetSize(), 0u);
    EXPECT_EQ(s.GetActiveCount(), 0u);
    EXPECT_EQ(s.GetOutstandingBytes(), 0u);
    EXPECT_FALSE(b->active);

    // Update of an unlinked entry just records the count.
    s.Update(b.get(), 5000);
    EXPECT_EQ(b->received, 5000u);
    EXPECT_EQ(s.GetSize(), 0u);
    s.Remove(nullptr);
}

// Ties in remaining bytes go to the earlier arrival; Update re-ranks.
TEST(MtpGrantScheduler, TiesAndReRanking)
{
    auto a = MakeEntry(1, 50000, 0);
    auto b = MakeEntry(2, 50000, 0);
    auto d = MakeEntry(3, 60000, 0);
    MtpGrantScheduler s(PlainConfig());
    s.Add(a.get());
    s.Add(b.get());
    s.Add(d.get());
    EXPECT_LT(a->order, b->order);
    EXPECT_EQ(s.GetRank(a.get()), 0u);
    EXPECT_EQ(s.GetRank(b.get()), 1u);
    s.Update(d.get(), 20000); // 40000 remaining: now first
    EXPECT_EQ(s.GetRank(d.get()), 0u);
    EXPECT_EQ(s.GetRank(a.get()), 1u);
    s.Update(b.get(), 1); // b passes a
    EXPECT_EQ(s.GetRank(b.get()), 1u);
    EXPECT_EQ(s.GetRank(a.get()), 2u);
}

// Destroying the scheduler unlinks every entry (a linked safe-mode hook would
// assert when the entry is destroyed afterwards).
TEST(MtpGrantScheduler, DestructorUnlinksEntries)
{
    auto a = MakeEntry(1, 100000, 0);
    auto b = MakeEntry(2, 200000, 0);
    {
        MtpGrantScheduler s(PlainConfig());
        EXPECT_EQ(s.GetConfig().window, 10000u);
        s.Add(a.get());
        s.Add(b.get());
        s.Schedule();
        EXPECT_TRUE(a->active);
    }
    EXPECT_FALSE(a->linked);
    EXPECT_FALSE(b->linked);
    EXPECT_FALSE(a->active);
    // The entries can be linked into another scheduler.
    MtpGrantScheduler t(PlainConfig());
    t.Add(a.get());
    EXPECT_EQ(t.GetSize(), 1u);
    t.Remove(a.get());
}

TEST(MtpGrantScheduler, AddClampsFields)
{
    Entry e;
    MtpGrantScheduler s(PlainConfig());
    e.length = 20000;
    e.unscheduled = 30000; // more than the length
    e.granted = 0;         // below the unscheduled bytes
    e.received = 25000;    // more than the length
    s.Add(&e);
    EXPECT_EQ(e.unscheduled, 20000u);
    EXPECT_EQ(e.granted, 20000u);
    EXPECT_EQ(e.received, 20000u);
    EXPECT_EQ(s.GetOutstandingBytes(), 0u);
    EXPECT_TRUE(s.Schedule().empty());
    Entry again = e; // copying a hook yields an unlinked hook
    s.Add(&e);       // already linked: ignored
    EXPECT_EQ(s.GetSize(), 1u);
    s.Remove(&e);
    (void)again;
}

namespace
{

/**
 * \brief Drive a FIFO scenario: "oldest" (cookie 1, 1 MB) arrives first, then
 *        "longest" (cookie 2, 2 MB), then the short ones (cookies 3 and 4)
 *        that take the MaxOvercommit slots (one per short message).  Every
 *        round the senders deliver what they were granted (the oldest
 *        optionally not: a stalled sender), then Schedule() runs.
 */
struct FifoRun
{
    std::vector<int> fifoRounds;          //!< rounds with a FIFO grant
    std::vector<uint64_t> fifoCookies;    //!< who got each FIFO grant
    std::vector<uint32_t> fifoIncrements; //!< bytes added by each FIFO grant
    uint64_t srptBytes = 0;               //!< bytes granted by SRPT
};

FifoRun
RunFifo(uint32_t fraction, int rounds, bool oldestStalled, uint32_t shorts)
{
    auto c = PlainConfig();
    c.maxOvercommit = shorts;
    c.fifoFractionPerMille = fraction;
    c.fifoGrantIncrement = 10000;
    std::vector<std::unique_ptr<Entry>> all;
    MtpGrantScheduler s(c);
    all.push_back(MakeEntry(1, 1000000, 10000));
    all.push_back(MakeEntry(2, 2000000, 10000));
    for (uint32_t i = 0; i < shorts; ++i)
    {
        all.push_back(MakeEntry(3 + i, 900000 + 50000 * i, 10000));
    }
    for (const auto& e : all)
    {
        s.Add(e.get());
    }
    Entry* oldest = all[0].get();
    FifoRun run;
    for (int round = 1; round <= rounds; ++round)
    {
        std::map<const Entry*, uint32_t> before;
        for (const auto& e : all)
        {
            if (e.get() != oldest || !oldestStalled)
            {
                s.Update(e.get(), e->granted);
            }
            before[e.get()] = e->granted;
        }
        auto grants = s.Schedule();
        for (std::size_t i = 0; i < grants.size(); ++i)
        {
            const auto& g = grants[i];
            if (g.entry->cookie >= 3)
            {
                EXPECT_LT(g.priority, c.maxSchedPriority);
                EXPECT_FALSE(g.fifo); // an SRPT grant is not marked FIFO
                run.srptBytes += g.offset - before[g.entry];
            }
            else
            {
                EXPECT_EQ(g.priority, c.maxSchedPriority); // FIFO grants go at the top level
                EXPECT_EQ(i, 0u);                          // ... and come first
                EXPECT_TRUE(g.fifo);                       // ... marked as FIFO grants
                run.fifoRounds.push_back(round);
                run.fifoCookies.push_back(g.entry->cookie);
                run.fifoIncrements.push_back(g.offset - before[g.entry]);
            }
        }
    }
    return run;
}

} // namespace

// With 5% FIFO, one 10000-byte FIFO grant follows every 190000 bytes of SRPT
// grants (10000 / (190000 + 10000) = 5%), and it goes to the oldest message.
TEST(MtpGrantScheduler, FifoGrantFrequencyAndTarget)
{
    FifoRun run = RunFifo(50, 60, false, 1);
    EXPECT_EQ(run.srptBytes, 600000u);
    EXPECT_EQ(run.fifoRounds, (std::vector<int>{19, 38, 57}));
    EXPECT_EQ(run.fifoCookies, (std::vector<uint64_t>{1, 1, 1}));
    EXPECT_EQ(run.fifoIncrements, (std::vector<uint32_t>{10000, 10000, 10000}));

    // 20%: every 40000 bytes of SRPT grants.
    run = RunFifo(200, 20, false, 1);
    EXPECT_EQ(run.fifoRounds, (std::vector<int>{4, 8, 12, 16, 20}));

    // Disabled.
    run = RunFifo(0, 60, false, 1);
    EXPECT_TRUE(run.fifoRounds.empty());
}

// An oldest message whose previous FIFO grant has not arrived is passed over
// for the next oldest.  Two short messages share two slots (20000 SRPT bytes
// a round) until the stalled FIFO grant holds one slot; from then on one
// short message is granted per round (10000 bytes): FIFO at rounds 10
// (200000 bytes), 29 and 48 (190000 bytes more each).
TEST(MtpGrantScheduler, FifoSkipsStalledOldest)
{
    FifoRun run = RunFifo(50, 60, true, 2);
    EXPECT_EQ(run.fifoRounds, (std::vector<int>{10, 29, 48}));
    EXPECT_EQ(run.fifoCookies, (std::vector<uint64_t>{1, 2, 2}));
    EXPECT_EQ(run.fifoIncrements, (std::vector<uint32_t>{10000, 10000, 10000}));
}

// A FIFO grant to a message that also got an SRPT grant this round is merged
// into one grant at the FIFO level.
TEST(MtpGrantScheduler, FifoGrantMergesWithSrptGrant)
{
    auto c = PlainConfig();
    c.fifoFractionPerMille = 500;
    c.fifoGrantIncrement = 10000;
    auto a = MakeEntry(1, 100000, 10000);
    MtpGrantScheduler s(c);
    s.Add(a.get());
    s.Update(a.get(), 10000);
    auto grants = s.Schedule();
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].offset, 30000u); // 20000 by SRPT, +10000 FIFO
    EXPECT_EQ(grants[0].priority, c.maxSchedPriority);
    EXPECT_EQ(s.GetOutstandingBytes(), 20000u);
}

// Long random sequence of adds, arrivals, removals and schedules; after every
// step the active count, outstanding bytes, flags and ranks are recomputed by
// brute force, and every Schedule() is checked against the rules.
void
RandomizedInvariants(uint32_t fifoFraction, uint32_t seed)
{
    auto c = PlainConfig();
    c.window = 10000;
    c.maxOvercommit = 4;
    c.maxIncoming = 60000;
    c.maxSchedPriority = 3;
    c.fifoFractionPerMille = fifoFraction;
    c.fifoGrantIncrement = 7000;
    std::vector<std::unique_ptr<Entry>> live;
    MtpGrantScheduler s(c);
    std::mt19937 rng(seed);
    uint64_t nextCookie = 1;
    uint64_t totalGrants = 0;
    uint64_t fifoLike = 0;
    uint64_t cutGrants = 0; // SRPT grants cut down by MaxIncoming
    uint64_t slotWaits = 0; // top entries left waiting by the overcommit bound
    uint64_t capWaits = 0;  // top entries left waiting by MaxIncoming

    auto check = [&]() {
        uint64_t outstanding = 0;
        uint32_t active = 0;
        for (const auto& e : live)
        {
            ASSERT_TRUE(e->linked);
            ASSERT_EQ(e->active, IsActive(*e));
            outstanding += e->granted > e->received ? e->granted - e->received : 0;
            active += IsActive(*e) ? 1 : 0;
        }
        ASSERT_EQ(s.GetSize(), live.size());
        ASSERT_EQ(s.GetActiveCount(), active);
        ASSERT_EQ(s.GetOutstandingBytes(), outstanding);
        if (fifoFraction == 0)
        {
            ASSERT_LE(active, c.maxOvercommit);
        }
    };

    // Entries sorted by SRPT, brute force.
    auto sorted = [&]() {
        std::vector<Entry*> v;
        for (const auto& e : live)
        {
            v.push_back(e.get());
        }
        std::sort(v.begin(), v.end(), [](const Entry* a, const Entry* b) {
            return a->Remaining() != b->Remaining() ? a->Remaining() < b->Remaining()
                                                    : a->order < b->order;
        });
        return v;
    };

    for (int step = 0; step < 20000; ++step)
    {
        uint32_t op = rng() % 100;
        if (op < 20 && live.size() < 12)
        {
            uint32_t length = 1 + rng() % 300000;
            uint32_t unsched = (rng() % 3) * 3000;
            live.push_back(MakeEntry(nextCookie++, length, unsched));
            s.Add(live.back().get());
        }
        else if (op < 65 && !live.empty())
        {
            // Some granted bytes arrive; occasionally a whole segment past the
            // grant (senders round grants up to segments).
            Entry* e = live[rng() % live.size()].get();
            uint32_t limit = std::min(e->length, e->granted + (rng() % 4 == 0 ? 1400 : 0));
            if (e->received < limit)
            {
                uint32_t chunk = 1 + rng() % 3000;
                s.Update(e, std::min(limit, e->received + chunk));
            }
            if (e->received == e->length)
            {
                s.Remove(e);
                ASSERT_FALSE(e->linked);
                live.erase(std::find_if(live.begin(), live.end(), [e](const auto& p) {
                    return p.get() == e;
                }));
            }
        }
        else if (op < 72 && !live.empty())
        {
            std::size_t i = rng() % live.size();
            s.Remove(live[i].get());
            ASSERT_FALSE(live[i]->linked);
            ASSERT_FALSE(live[i]->active);
            live.erase(live.begin() + i);
        }
        else
        {
            auto order = sorted();
            std::map<const Entry*, std::size_t> rankOf;
            std::map<const Entry*, uint32_t> grantedBefore;
            for (std::size_t r = 0; r < order.size(); ++r)
            {
                rankOf[order[r]] = r;
                grantedBefore[order[r]] = order[r]->granted;
                if (r < 3 || rng() % 8 == 0)
                {
                    ASSERT_EQ(s.GetRank(order[r]), r);
                }
            }
            uint64_t outstandingBefore = s.GetOutstandingBytes();
            auto grants = s.Schedule();
            totalGrants += grants.size();
            if (!grants.empty())
            {
                ASSERT_LT(outstandingBefore, c.maxIncoming);
                ASSERT_LE(s.GetOutstandingBytes(), c.maxIncoming);
            }
            else
            {
                ASSERT_EQ(s.GetOutstandingBytes(), outstandingBefore);
            }
            const int64_t n = std::min<int64_t>(order.size(), c.maxOvercommit);
            std::vector<const Entry*> fifoGranted;
            for (std::size_t i = 0; i < grants.size(); ++i)
            {
                const auto& g = grants[i];
                ASSERT_TRUE(g.entry->linked);
                ASSERT_EQ(g.offset, g.entry->granted);
                ASSERT_GT(g.offset, grantedBefore[g.entry]);
                ASSERT_LE(g.offset, g.entry->length);
                if (i > 0)
                {
                    ASSERT_LE(g.priority, grants[i - 1].priority);
                }
                std::size_t r = rankOf[g.entry];
                int64_t prio = int64_t{c.maxSchedPriority} - int64_t(r);
                int64_t extra = int64_t{c.maxSchedPriority} + 1 - n;
                prio = std::max<int64_t>(extra > 0 ? prio - extra : prio, 0);
                bool srptShaped =
                    int64_t(r) < n && g.priority == prio &&
                    g.offset <= std::min<uint64_t>(g.entry->length, g.entry->received + c.window);
                if (srptShaped &&
                    g.offset < std::min<uint64_t>(g.entry->length, g.entry->received + c.window))
                {
                    ++cutGrants;
                }
                if (fifoFraction == 0)
                {
                    ASSERT_TRUE(srptShaped)
                        << "step " << step << " rank " << r << " prio " << int(g.priority);
                }
                else
                {
                    if (!srptShaped)
                    {
                        ASSERT_EQ(g.priority, c.maxSchedPriority);
                        ++fifoLike;
                    }
                    if (g.priority == c.maxSchedPriority)
                    {
                        // May be a FIFO grant even if it looks like an SRPT
                        // one (rank 0 uses the same level).
                        fifoGranted.push_back(g.entry);
                    }
                }
            }
            // No grant was missed: every top entry is topped up, or blocked
            // by the overcommit bound or by MaxIncoming.  (A FIFO grant can
            // make a waiting entry active after the walk: such entries are
            // not checked; without FIFO, all are.)
            for (int64_t r = 0; r < n; ++r)
            {
                const Entry* e = order[r];
                if (e->received >= e->length ||
                    std::find(fifoGranted.begin(), fifoGranted.end(), e) != fifoGranted.end())
                {
                    continue;
                }
                uint64_t desired = std::min<uint64_t>(e->length, uint64_t{e->received} + c.window);
                bool satisfied = e->granted >= desired;
                bool slotBlocked = !e->active && s.GetActiveCount() >= c.maxOvercommit;
                bool capBlocked = s.GetOutstandingBytes() >= c.maxIncoming;
                ASSERT_TRUE(satisfied || slotBlocked || capBlocked)
                    << "step " << step << " rank " << r;
                slotWaits += !satisfied && slotBlocked ? 1 : 0;
                capWaits += !satisfied && capBlocked ? 1 : 0;
            }
        }
        check();
        if (testing::Test::HasFatalFailure())
        {
            FAIL() << "at step " << step;
        }
    }
    // The run exercised every path.
    EXPECT_GT(totalGrants, 1000u);
    EXPECT_GT(cutGrants, 0u);
    EXPECT_GT(slotWaits, 0u);
    EXPECT_GT(capWaits, 0u);
    if (fifoFraction > 0)
    {
        EXPECT_GT(fifoLike, 0u);
    }
    // Leave nothing linked behind (the scheduler's destructor would cope too).
    for (const auto& e : live)
    {
        s.Remove(e.get());
    }
    EXPECT_EQ(s.GetActiveCount(), 0u);
    EXPECT_EQ(s.GetOutstandingBytes(), 0u);
}

TEST(MtpGrantScheduler, RandomizedInvariantsNoFifo)
{
    RandomizedInvariants(0, 1);
    RandomizedInvariants(0, 2);
}

TEST(MtpGrantScheduler, RandomizedInvariantsWithFifo)
{
    RandomizedInvariants(100, 3);
    RandomizedInvariants(1000, 4);
}
