/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the host model's simulator-free logic: the RSS Toeplitz hash
 * (against the Microsoft specification's published vectors) and indirection
 * table, interrupt coalescing thresholds, GRO batching, and the same / gen2
 * / gen3 steering policies (ns-3 Objects, built and configured through
 * their Attributes, but deciding without a simulator: the test passes the
 * time).
 */

#include "ns3/mtp-host-logic.h"
#include "ns3/mtp-host-model-helper.h"
#include "ns3/mtp-steering-policy.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <set>
#include <vector>

using namespace ns3;

namespace
{

/// \return a.b.c.d as a host-order 32-bit address
uint32_t
Ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return (a << 24) | (b << 16) | (c << 8) | d;
}

/// \return n idle cores
std::vector<MtpCoreState>
IdleCores(uint32_t n)
{
    return std::vector<MtpCoreState>(n);
}

/// \return a gen2 policy with these Attributes
Ptr<MtpGen2Steering>
Gen2(uint32_t coresToCheck, Time groBusyTime)
{
    return CreateObjectWithAttributes<MtpGen2Steering>("CoresToCheck",
                                                       UintegerValue(coresToCheck),
                                                       "GroBusyTime",
                                                       TimeValue(groBusyTime));
}

/// \return a gen3 policy with this table and BusyTime
Ptr<MtpGen3Steering>
Gen3(std::vector<MtpGen3Steering::Candidates> table, Time busyTime)
{
    auto s = CreateObjectWithAttributes<MtpGen3Steering>("BusyTime", TimeValue(busyTime));
    s->SetTable(std::move(table));
    return s;
}

/// \return the table as plain vectors
std::vector<std::vector<uint32_t>>
Plain(const std::vector<MtpGen3Steering::Candidates>& t)
{
    std::vector<std::vector<uint32_t>> out;
    for (const auto& c : t)
    {
        out.emplace_back(c.begin(), c.end());
    }
    return out;
}

} // namespace

// The verification suite of the Microsoft RSS specification (IPv4, with and
// without the TCP ports), with its default key.
TEST(MtpRss, ToeplitzMatchesSpecificationVectors)
{
    EXPECT_EQ(MtpRss::HashV4(Ip(66, 9, 149, 187), Ip(161, 142, 100, 80), 2794, 1766, false),
              0x323e8fc2u);
    EXPECT_EQ(MtpRss::HashV4(Ip(66, 9, 149, 187), Ip(161, 142, 100, 80), 2794, 1766, true),
              0x51ccc178u);
    EXPECT_EQ(MtpRss::HashV4(Ip(199, 92, 111, 2), Ip(65, 69, 140, 83), 14230, 4739, false),
              0xd718262au);
    EXPECT_EQ(MtpRss::HashV4(Ip(199, 92, 111, 2), Ip(65, 69, 140, 83), 14230, 4739, true),
              0xc626b0eau);
    EXPECT_EQ(MtpRss::HashV4(Ip(24, 19, 198, 95), Ip(12, 22, 207, 184), 12898, 38024, true),
              0x5c2b394au);
}

TEST(MtpRss, OneFlowOneQueueAndFlowsSpread)
{
    MtpRss rss(4);
    std::set<uint32_t> used;
    for (uint16_t port = 0x8000; port < 0x8000 + 64; ++port)
    {
        uint32_t h = MtpRss::HashV4(Ip(10, 0, 0, 1), Ip(10, 0, 0, 2), port, 99, true);
        uint32_t q = rss.Queue(h);
        ASSERT_LT(q, 4u);
        // Same flow, same queue, every time.
        EXPECT_EQ(rss.Queue(MtpRss::HashV4(Ip(10, 0, 0, 1), Ip(10, 0, 0, 2), port, 99, true)), q);
        used.insert(q);
    }
    EXPECT_EQ(used.size(), 4u);
    // Without ports, every flow between two hosts shares one queue.
    uint32_t q0 = rss.Queue(MtpRss::HashV4(Ip(10, 0, 0, 1), Ip(10, 0, 0, 2), 1, 2, false));
    EXPECT_EQ(rss.Queue(MtpRss::HashV4(Ip(10, 0, 0, 1), Ip(10, 0, 0, 2), 3, 4, false)), q0);
}

TEST(MtpInterruptCoalescer, CountThreshold)
{
    MtpInterruptCoalescer c(3, MicroSeconds(100));
    EXPECT_FALSE(c.Arrive(MicroSeconds(1)));
    EXPECT_FALSE(c.Arrive(MicroSeconds(2)));
    EXPECT_EQ(c.GetPending(), 2u);
    EXPECT_EQ(c.GetDeadline(), MicroSeconds(101));
    EXPECT_TRUE(c.Arrive(MicroSeconds(3)));
    EXPECT_EQ(c.Fire(), 3u);
    EXPECT_EQ(c.GetPending(), 0u);
    // The count restarts after an interrupt, and so does the deadline.
    EXPECT_FALSE(c.Arrive(MicroSeconds(10)));
    EXPECT_EQ(c.GetDeadline(), MicroSeconds(110));
}

TEST(MtpInterruptCoalescer, TimeThreshold)
{
    MtpInterruptCoalescer c(100, MicroSeconds(5));
    EXPECT_FALSE(c.Arrive(MicroSeconds(0)));
    EXPECT_FALSE(c.Arrive(MicroSeconds(4)));
    // A packet arriving at (or after) the deadline fires it itself.
    EXPECT_TRUE(c.Arrive(MicroSeconds(5)));
    EXPECT_EQ(c.Fire(), 3u);
    // Zero delay: every packet interrupts at once.
    MtpInterruptCoalescer now(32, Time(0));
    EXPECT_TRUE(now.Arrive(MicroSeconds(7)));
}

TEST(MtpGroBatcher, MergesPerRpcUpToTheLimitAndBypasses)
{
    MtpGroBatcher gro(2);
    // keys: A A B A bypass B
    std::vector<MtpGroBatcher::Item> items =
        {{1, false}, {1, false}, {2, false}, {1, false}, {9, true}, {2, false}};
    auto plan = gro.Plan(items);
    ASSERT_EQ(plan.size(), 4u);
    // A's batch is full after item 1: leaves at once.
    EXPECT_EQ(plan[0].after, 2u);
    EXPECT_FALSE(plan[0].bypass);
    EXPECT_EQ(plan[0].members, (std::vector<std::size_t>{0, 1}));
    // The bypassing packet is processed where it stands.
    EXPECT_EQ(plan[1].after, 5u);
    EXPECT_TRUE(plan[1].bypass);
    EXPECT_EQ(plan[1].members, (std::vector<std::size_t>{4}));
    // B fills at item 5.
    EXPECT_EQ(plan[2].after, 6u);
    EXPECT_EQ(plan[2].members, (std::vector<std::size_t>{2, 5}));
    // A's second batch leaves when the poll ends.
    EXPECT_EQ(plan[3].after, 6u);
    EXPECT_EQ(plan[3].members, (std::vector<std::size_t>{3}));
}

TEST(MtpGroBatcher, EndOfPollFlushKeepsFirstArrivalOrder)
{
    MtpGroBatcher gro(20);
    std::vector<MtpGroBatcher::Item> items = {{7, false}, {3, false}, {7, false}, {5, false}};
    auto plan = gro.Plan(items);
    ASSERT_EQ(plan.size(), 3u);
    EXPECT_EQ(plan[0].members, (std::vector<std::size_t>{0, 2}));
    EXPECT_EQ(plan[1].members, (std::vector<std::size_t>{1}));
    EXPECT_EQ(plan[2].members, (std::vector<std::size_t>{3}));
    for (const auto& a : plan)
    {
        EXPECT_EQ(a.after, 4u);
    }
}

TEST(MtpSteering, SameCore)
{
    auto s = CreateObject<MtpSameCoreSteering>();
    auto cores = IdleCores(4);
    EXPECT_EQ(s->Select(2, cores, MicroSeconds(1)), 2u);
    cores[2].softirqBacklog = 5; // even a busy GRO core keeps its batches
    EXPECT_EQ(s->Select(2, cores, MicroSeconds(1)), 2u);
    EXPECT_EQ(s->GetName(), "same");
}

TEST(MtpSteering, Gen2PicksFirstIdleOfTheNextCores)
{
    auto s = Gen2(4, MicroSeconds(5));
    auto cores = IdleCores(8);
    Time now = MicroSeconds(100);
    EXPECT_EQ(s->Select(2, cores, now), 3u);
    cores[3].softirqBacklog = 1;              // softirq backlog: busy
    cores[4].lastGro = now - MicroSeconds(1); // GRO 1 us ago: busy
    EXPECT_EQ(s->Select(2, cores, now), 5u);
    cores[4].lastGro = now - MicroSeconds(5); // exactly GroBusyTime ago: idle again
    EXPECT_EQ(s->Select(2, cores, now), 4u);
    // Wraps around the last core.
    EXPECT_EQ(s->Select(7, cores, now), 0u);
}

TEST(MtpSteering, Gen2RotatesWhenAllCandidatesAreBusy)
{
    auto s = Gen2(3, MicroSeconds(5));
    auto cores = IdleCores(8);
    for (auto& c : cores)
    {
        c.softirqBacklog = 1;
    }
    Time now = MicroSeconds(1);
    EXPECT_EQ(s->Select(0, cores, now), 1u);
    EXPECT_EQ(s->Select(0, cores, now), 2u);
    EXPECT_EQ(s->Select(0, cores, now), 3u);
    EXPECT_EQ(s->Select(0, cores, now), 1u);
    // Each GRO core rotates on its own.
    EXPECT_EQ(s->Select(4, cores, now), 5u);
}

TEST(MtpSteering, Gen3AvoidsCoresBusyWithApplications)
{
    std::vector<MtpGen3Steering::Candidates> table(4);
    table[0] = {1, 2, 3};
    auto s = Gen3(table, MicroSeconds(100));
    auto cores = IdleCores(4);
    Time now = MicroSeconds(1000);
    EXPECT_EQ(s->Select(0, cores, now), 1u);
    cores[1].lastAppActive = now - MicroSeconds(99); // within BusyTime: skip
    EXPECT_EQ(s->Select(0, cores, now), 2u);
    cores[2].lastAppActive = now + MicroSeconds(3); // running application work now
    EXPECT_EQ(s->Select(0, cores, now), 3u);
    cores[1].lastAppActive = now - MicroSeconds(100); // BusyTime ago: free again
    EXPECT_EQ(s->Select(0, cores, now), 1u);
    // Everyone busy: the first candidate.
    for (auto& c : cores)
    {
        c.lastAppActive = now;
    }
    EXPECT_EQ(s->Select(0, cores, now), 1u);
    // A GRO core without candidates keeps its batches.
    EXPECT_EQ(s->Select(3, cores, now), 3u);
}

TEST(MtpSteering, Gen3NeverPicksABusyCoreWhenAnotherIsFree)
{
    // Exhaustive over every busy/free pattern of three candidates.
    std::vector<MtpGen3Steering::Candidates> table = {{1, 2, 3}};
    auto s = Gen3(table, MicroSeconds(50));
    Time now = MicroSeconds(500);
    for (uint32_t mask = 0; mask < 8; ++mask)
    {
        auto cores = IdleCores(4);
        for (uint32_t k = 0; k < 3; ++k)
        {
            if (mask & (1u << k))
            {
                cores[k + 1].lastAppActive = now - MicroSeconds(10);
            }
        }
        uint32_t pick = s->Select(0, cores, now);
        bool pickBusy = mask & (1u << (pick - 1));
        bool anyFree = mask != 7;
        EXPECT_FALSE(pickBusy && anyFree) << "mask " << mask << " pick " << pick;
    }
}

TEST(MtpSteering, Gen3TableDefaultAndParse)
{
    auto t = MtpGen3Steering::DefaultTable(4);
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(std::vector<uint32_t>(t[3].begin(), t[3].end()), (std::vector<uint32_t>{0, 1, 2}));
    EXPECT_TRUE(MtpGen3Steering::DefaultTable(1)[0].empty());
    std::vector<MtpGen3Steering::Candidates> p;
    ASSERT_TRUE(MtpGen3Steering::Parse("0:2,3;1:3", 4, p));
    EXPECT_EQ(std::vector<uint32_t>(p[0].begin(), p[0].end()), (std::vector<uint32_t>{2, 3}));
    EXPECT_EQ(std::vector<uint32_t>(p[1].begin(), p[1].end()), (std::vector<uint32_t>{3}));
    EXPECT_TRUE(p[2].empty());
    EXPECT_FALSE(MtpGen3Steering::Parse("0:1,2,3,1", 4, p)); // four candidates
    EXPECT_FALSE(MtpGen3Steering::Parse("5:1", 4, p));       // no core 5
    EXPECT_FALSE(MtpGen3Steering::Parse("0;1", 4, p));       // no colon
    EXPECT_FALSE(MtpGen3Steering::Parse("0:x", 4, p));       // not a number
}

TEST(MtpSteering, DefaultsAreHomas)
{
    auto g2 = CreateObject<MtpGen2Steering>();
    UintegerValue toCheck;
    g2->GetAttribute("CoresToCheck", toCheck);
    EXPECT_EQ(toCheck.Get(), 4u);
    TimeValue groBusy;
    g2->GetAttribute("GroBusyTime", groBusy);
    EXPECT_EQ(groBusy.Get(), MicroSeconds(5));
    EXPECT_EQ(g2->GetName(), "gen2");
    auto g3 = CreateObject<MtpGen3Steering>();
    TimeValue busy;
    g3->GetAttribute("BusyTime", busy);
    EXPECT_EQ(busy.Get(), MicroSeconds(100));
    EXPECT_EQ(g3->GetName(), "gen3");
}

TEST(MtpSteering, Gen2AttributesChangeTheDecision)
{
    // Cores 1 and 2 did GRO 3 us ago, core 3 is idle: with CoresToCheck 2
    // nothing is idle (rotate: core 1), with 3 core 3 wins; with
    // GroBusyTime 2 us the GRO 3 us ago no longer counts (core 1).
    auto cores = IdleCores(8);
    Time now = MicroSeconds(50);
    cores[1].lastGro = now - MicroSeconds(3);
    cores[2].lastGro = now - MicroSeconds(3);
    EXPECT_EQ(Gen2(2, MicroSeconds(5))->Select(0, cores, now), 1u);
    EXPECT_EQ(Gen2(3, MicroSeconds(5))->Select(0, cores, now), 3u);
    EXPECT_EQ(Gen2(3, MicroSeconds(2))->Select(0, cores, now), 1u);
    auto s = Gen2(2, MicroSeconds(5));
    s->SetAttribute("CoresToCheck", UintegerValue(3));
    EXPECT_EQ(s->Select(0, cores, now), 3u);
}

TEST(MtpSteering, Gen3CandidatesAttributeResolvesOnAttach)
{
    // The text is kept until a host attaches the policy with its core count.
    auto s = CreateObjectWithAttributes<MtpGen3Steering>("Candidates", StringValue("0:2,3;1:3"));
    EXPECT_TRUE(s->GetTable().empty());
    auto host = CreateObject<MtpSameCoreSteering>(); // any Object stands for the host
    s->Attach(PeekPointer(host), 4);
    EXPECT_EQ(Plain(s->GetTable()), (std::vector<std::vector<uint32_t>>{{2, 3}, {3}, {}, {}}));
    auto cores = IdleCores(4);
    EXPECT_EQ(s->Select(0, cores, MicroSeconds(1)), 2u);
    EXPECT_EQ(s->Select(2, cores, MicroSeconds(1)), 2u); // no candidates: keeps it
    // Set again once attached: resolved at once.
    s->SetAttribute("Candidates", StringValue("2:1"));
    EXPECT_EQ(Plain(s->GetTable()), (std::vector<std::vector<uint32_t>>{{}, {}, {1}, {}}));
    // Empty: the default table for the host's cores.
    s->SetAttribute("Candidates", StringValue(""));
    EXPECT_EQ(Plain(s->GetTable()), Plain(MtpGen3Steering::DefaultTable(4)));
}

TEST(MtpSteeringDeathTest, MisuseFailsLoudly)
{
    auto cores = IdleCores(4);
    // A malformed table, found when the host's core count is known.
    auto bad = CreateObjectWithAttributes<MtpGen3Steering>("Candidates", StringValue("0:7"));
    auto host = CreateObject<MtpSameCoreSteering>();
    EXPECT_DEATH(bad->Attach(PeekPointer(host), 4), "bad Candidates \"0:7\" for 4 cores");
    // gen3 without a table.
    auto unattached = CreateObject<MtpGen3Steering>();
    EXPECT_DEATH(unattached->Select(0, cores, Time(0)), "before Attach");
    // One policy object for two hosts.
    auto shared = CreateObject<MtpGen2Steering>();
    auto other = CreateObject<MtpSameCoreSteering>();
    shared->Attach(PeekPointer(host), 4);
    shared->Attach(PeekPointer(host), 4); // the same host again is fine
    EXPECT_DEATH(shared->Attach(PeekPointer(other), 4), "already serves another host model");
}

TEST(MtpSteeringDeathTest, HelperRejectsWhatIsNoPolicy)
{
    MtpHostModelHelper h;
    EXPECT_DEATH(h.SetSteering("ns3::MtpGen4Steering"), "no TypeId \"ns3::MtpGen4Steering\"");
    EXPECT_DEATH(h.SetSteering("ns3::MtpHostModel"), "ns3::MtpHostModel is no steering policy");
    EXPECT_DEATH(h.SetSteering("ns3::MtpGen2Steering", "BusyTime", TimeValue(MicroSeconds(1))),
                 "BusyTime");
    h.SetSteering("ns3::MtpGen3Steering", "BusyTime", TimeValue(MicroSeconds(1))); // fine
}
