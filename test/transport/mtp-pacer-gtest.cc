/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of MtpPacer: SRPT queue order and ties, the NIC queue estimate
 * (transmit times, CanSend, GetNextSendTime) and the bypass threshold.
 */

#include "ns3/mtp-pacer.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <memory>
#include <random>
#include <vector>

using namespace ns3;

namespace
{

using Entry = MtpPacer::Entry;

/// \return an entry with the given handle and unsent bytes
std::unique_ptr<Entry>
MakeEntry(uint64_t cookie, uint32_t remaining)
{
    auto e = std::make_unique<Entry>();
    e->cookie = cookie;
    e->remaining = remaining;
    return e;
}

/// \return the default tunables (10 Gb/s, 2 us, 1000 B), spelled out
MtpPacer::Config
TenGig()
{
    MtpPacer::Config c;
    c.linkBitsPerSecond = 10000000000ULL;
    c.maxNicQueue = MicroSeconds(2);
    c.throttleMinBytes = 1000;
    return c;
}

} // namespace

TEST(MtpPacer, EmptyQueue)
{
    MtpPacer p;
    EXPECT_EQ(p.Front(), nullptr);
    EXPECT_EQ(p.GetSize(), 0u);
    EXPECT_EQ(p.GetConfig().linkBitsPerSecond, 10000000000ULL);
    EXPECT_EQ(p.GetConfig().maxNicQueue, MicroSeconds(2));
    EXPECT_EQ(p.GetConfig().throttleMinBytes, 1000u);
}

TEST(MtpPacer, FrontIsShortestRemaining)
{
    // Entries outlive the pacer (a linked hook asserts when destroyed).
    auto a = MakeEntry(1, 50000);
    auto b = MakeEntry(2, 20000);
    auto c = MakeEntry(3, 90000);
    MtpPacer p(TenGig());
    p.Enqueue(a.get());
    EXPECT_EQ(p.Front(), a.get());
    p.Enqueue(b.get());
    p.Enqueue(c.get());
    EXPECT_EQ(p.GetSize(), 3u);
    EXPECT_EQ(p.Front(), b.get());
    EXPECT_TRUE(b->linked);

    // b sends; once it has more left than a, a takes the front.
    p.Update(b.get(), 60000);
    EXPECT_EQ(p.Front(), a.get());
    p.Update(c.get(), 100);
    EXPECT_EQ(p.Front(), c.get());

    p.Remove(c.get());
    EXPECT_FALSE(c->linked);
    EXPECT_EQ(p.Front(), a.get());
    p.Remove(c.get()); // twice: harmless
    p.Remove(a.get());
    p.Remove(b.get());
    EXPECT_EQ(p.Front(), nullptr);
    EXPECT_EQ(p.GetSize(), 0u);
}

// Equal remaining bytes: the one enqueued first is served first, and it keeps
// its place after an Update that leaves the tie.
TEST(MtpPacer, TiesByEnqueueOrder)
{
    std::vector<std::unique_ptr<Entry>> entries;
    MtpPacer p(TenGig());
    for (uint64_t i = 0; i < 5; ++i)
    {
        entries.push_back(MakeEntry(i, 10000));
    }
    // Enqueue in the order 3, 1, 4, 0, 2.
    for (uint64_t i : {3, 1, 4, 0, 2})
    {
        p.Enqueue(entries[i].get());
    }
    std::vector<uint64_t> served;
    while (Entry* e = p.Front())
    {
        served.push_back(e->cookie);
        p.Remove(e);
    }
    EXPECT_EQ(served, (std::vector<uint64_t>{3, 1, 4, 0, 2}));

    // Re-enqueued, the order stamps are fresh: now 0 first.
    for (uint64_t i = 0; i < 5; ++i)
    {
        p.Enqueue(entries[i].get());
    }
    EXPECT_EQ(p.Front()->cookie, 0u);
    p.Update(entries[0].get(), 10000); // unchanged key
    EXPECT_EQ(p.Front()->cookie, 0u);
    p.Update(entries[0].get(), 10001);
    EXPECT_EQ(p.Front()->cookie, 1u);
    p.Update(entries[0].get(), 10000); // back to the tie: earlier stamp wins again
    EXPECT_EQ(p.Front()->cookie, 0u);
    for (auto& e : entries)
    {
        p.Remove(e.get());
    }
}

// A random mix of operations agrees with a brute-force minimum.
TEST(MtpPacer, RandomizedFrontMatchesBruteForce)
{
    std::vector<std::unique_ptr<Entry>> entries;
    MtpPacer p(TenGig());
    std::mt19937 rng(99);
    for (uint64_t i = 0; i < 50; ++i)
    {
        entries.push_back(MakeEntry(i, 0));
    }
    for (int step = 0; step < 20000; ++step)
    {
        Entry* e = entries[rng() % entries.size()].get();
        switch (rng() % 3)
        {
        case 0:
            if (!e->linked)
            {
                e->remaining = rng() % 1000; // many ties
                p.Enqueue(e);
            }
            break;
        case 1:
            p.Update(e, rng() % 1000);
            break;
        default:
            p.Remove(e);
            break;
        }
        const Entry* best = nullptr;
        std::size_t count = 0;
        for (const auto& x : entries)
        {
            if (!x->linked)
            {
                continue;
            }
            ++count;
            if (!best || x->remaining < best->remaining ||
                (x->remaining == best->remaining && x->order < best->order))
            {
                best = x.get();
            }
        }
        ASSERT_EQ(p.GetSize(), count);
        ASSERT_EQ(p.Front(), best);
    }
    for (auto& e : entries)
    {
        p.Remove(e.get());
    }
}

TEST(MtpPacer, DoubleEnqueueIgnoredAndUnlinkedUpdate)
{
    auto a = MakeEntry(1, 500);
    MtpPacer p(TenGig());
    p.Update(a.get(), 700); // not queued: just records
    EXPECT_EQ(a->remaining, 700u);
    EXPECT_EQ(p.GetSize(), 0u);
    p.Enqueue(a.get());
    uint64_t order = a->order;
    p.Enqueue(a.get());
    EXPECT_EQ(p.GetSize(), 1u);
    EXPECT_EQ(a->order, order);
    p.Enqueue(nullptr);
    p.Remove(nullptr);
    p.Update(nullptr, 1);
    p.Remove(a.get());
}

TEST(MtpPacer, DestructorUnlinksEntries)
{
    auto a = MakeEntry(1, 500);
    auto b = MakeEntry(2, 600);
    {
        MtpPacer p(TenGig());
        p.Enqueue(a.get());
        p.Enqueue(b.get());
    }
    EXPECT_FALSE(a->linked);
    EXPECT_FALSE(b->linked);
    MtpPacer q(TenGig());
    q.Enqueue(a.get());
    EXPECT_EQ(q.Front(), a.get());
    q.Remove(a.get());
}

TEST(MtpPacer, TransmitTime)
{
    MtpPacer p(TenGig());
    EXPECT_EQ(p.TransmitTime(1500), NanoSeconds(1200));
    EXPECT_EQ(p.TransmitTime(1538), NanoSeconds(1231)); // 1230.4 rounds up
    EXPECT_EQ(p.TransmitTime(1), NanoSeconds(1));       // 0.8 rounds up
    EXPECT_EQ(p.TransmitTime(0), Time(0));
    // 2^32 - 1 bytes: the 64-bit product bits * 1e9 overflows, the exact
    // 128-bit path must give 34359738360 bits / 10 = 3435973836 ns.
    EXPECT_EQ(p.TransmitTime(std::numeric_limits<uint32_t>::max()), NanoSeconds(3435973836LL));

    // 2522483648 bytes: the partial products carry between 32-bit halves.
    EXPECT_EQ(p.TransmitTime(2522483648U), NanoSeconds(2017986919LL));

    MtpPacer::Config c = TenGig();
    c.linkBitsPerSecond = 1; // 4 GB at 1 b/s: more time steps than int64 holds
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(std::numeric_limits<uint32_t>::max()), Time::Max());
    EXPECT_EQ(p.TransmitTime(1500), Seconds(12000));
    c.linkBitsPerSecond = 2; // 1.7e19 steps: fits in 64 bits unsigned, not in int64
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(std::numeric_limits<uint32_t>::max()), Time::Max());
    c.linkBitsPerSecond = 1000000000ULL; // 1 Gb/s
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(1500), MicroSeconds(12));
    c.linkBitsPerSecond = 3000000000ULL; // 1 byte = 8/3 ns
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(1), NanoSeconds(3));
    EXPECT_EQ(p.TransmitTime(3), NanoSeconds(8));
    c.linkBitsPerSecond = 7000000000ULL; // 34359738360 / 7 = 4908534051.43 -> ...052
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(std::numeric_limits<uint32_t>::max()), NanoSeconds(4908534052LL));
    c.linkBitsPerSecond = 400000000000ULL; // 400 Gb/s: 1500 B = 30 ns
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(1500), NanoSeconds(30));
    // Absurd rates (divisors of 2^63 and more) exercise the carry of the
    // 128-bit division; values computed with exact integers.
    c.linkBitsPerSecond = (1ULL << 63) + 1;
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(std::numeric_limits<uint32_t>::max()), NanoSeconds(4));
    c.linkBitsPerSecond = std::numeric_limits<uint64_t>::max();
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(std::numeric_limits<uint32_t>::max()), NanoSeconds(2));
    EXPECT_EQ(p.TransmitTime(1500), NanoSeconds(1));
    c.linkBitsPerSecond = 0; // no link model
    p.SetConfig(c);
    EXPECT_EQ(p.TransmitTime(1500), Time(0));
}

// The queue estimate, CanSend and GetNextSendTime, with exact values.
TEST(MtpPacer, QueueEstimate)
{
    MtpPacer p(TenGig());
    Time t0 = Seconds(0);
    EXPECT_EQ(p.GetQueuedTime(t0), Time(0));
    EXPECT_TRUE(p.CanSend(t0));
    EXPECT_EQ(p.GetNextSendTime(t0), t0);

    p.OnTransmit(t0, 1500); // link busy until 1200 ns
    EXPECT_EQ(p.GetQueuedTime(t0), NanoSeconds(1200));
    EXPECT_TRUE(p.CanSend(t0)); // 1200 <= 2000
    EXPECT_EQ(p.GetNextSendTime(t0), t0);

    p.OnTransmit(t0, 1500); // busy until 2400 ns: 2400 > 2000 queued
    EXPECT_EQ(p.GetQueuedTime(t0), NanoSeconds(2400));
    EXPECT_FALSE(p.CanSend(t0));
    EXPECT_EQ(p.GetNextSendTime(t0), NanoSeconds(400));
    EXPECT_FALSE(p.CanSend(NanoSeconds(399)));
    EXPECT_TRUE(p.CanSend(NanoSeconds(400))); // exactly MaxNicQueue queued
    EXPECT_EQ(p.GetQueuedTime(NanoSeconds(400)), MicroSeconds(2));
    EXPECT_EQ(p.GetNextSendTime(NanoSeconds(399)), NanoSeconds(400));
    EXPECT_EQ(p.GetNextSendTime(NanoSeconds(1000)), NanoSeconds(1000));

    // Sending at 400 ns stacks on the backlog: busy until 3600 ns.
    p.OnTransmit(NanoSeconds(400), 1500);
    EXPECT_EQ(p.GetQueuedTime(NanoSeconds(400)), NanoSeconds(3200));
    EXPECT_EQ(p.GetNextSendTime(NanoSeconds(400)), NanoSeconds(1600));

    // After the link drained the estimate restarts from now.
    EXPECT_EQ(p.GetQueuedTime(NanoSeconds(3600)), Time(0));
    EXPECT_EQ(p.GetQueuedTime(MicroSeconds(10)), Time(0));
    p.OnTransmit(MicroSeconds(10), 1500);
    EXPECT_EQ(p.GetQueuedTime(MicroSeconds(10)), NanoSeconds(1200));
    EXPECT_EQ(p.GetQueuedTime(MicroSeconds(10) + NanoSeconds(200)), NanoSeconds(1000));
    EXPECT_TRUE(p.CanSend(MicroSeconds(10)));
}

// A burst: exactly as many packets go back to back as fit in MaxNicQueue plus
// the one that starts the backlog.
TEST(MtpPacer, BurstAdmission)
{
    MtpPacer p(TenGig());
    Time now = MicroSeconds(5);
    int sent = 0;
    while (p.CanSend(now))
    {
        p.OnTransmit(now, 1500);
        ++sent;
    }
    // After k packets the queue holds 1200k ns; allowed while <= 2000: k = 0, 1.
    EXPECT_EQ(sent, 2);
    EXPECT_EQ(p.GetNextSendTime(now), now + NanoSeconds(400));
}

TEST(MtpPacer, BypassThreshold)
{
    MtpPacer p(TenGig());
    EXPECT_TRUE(p.Bypasses(0));
    EXPECT_TRUE(p.Bypasses(999));
    EXPECT_FALSE(p.Bypasses(1000));
    EXPECT_FALSE(p.Bypasses(1000000));
    MtpPacer::Config c = TenGig();
    c.throttleMinBytes = 0;
    p.SetConfig(c);
    EXPECT_FALSE(p.Bypasses(0));
}
