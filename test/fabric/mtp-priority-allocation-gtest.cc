/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of MtpComputePriorityAllocation and MtpCheckCutoffs (no
 * simulator): the Homa paper's split of the priority levels between
 * unscheduled and scheduled packets and its equal-unscheduled-bytes cutoffs,
 * on distributions whose answers are computed by hand in the comments, the
 * edge cases (one level, a capped distribution, refused input) and the
 * cutoffs the shipped workloads W1-W5 get (the table of doc/datacenter.rst).
 */

#include "ns3/mtp-priority-allocation.h"
#include "ns3/mtp-workload.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint32_t kMax = 1000000; ///< MTP's maximum message length

/// \return the allocation of (sizes, cdf); the test fails if it is refused
MtpPriorityAllocation
Allocate(const std::vector<uint32_t>& sizes,
         const std::vector<double>& cdf,
         uint32_t unschedBytes,
         uint32_t levels,
         uint32_t maxLen = kMax)
{
    MtpPriorityAllocation a;
    std::string error;
    EXPECT_TRUE(MtpComputePriorityAllocation(sizes, cdf, unschedBytes, levels, maxLen, a, error))
        << error;
    return a;
}

/// \return the error for (sizes, cdf, ...), or "ACCEPTED" if it was accepted
std::string
Refusal(const std::vector<uint32_t>& sizes,
        const std::vector<double>& cdf,
        uint32_t unschedBytes,
        uint32_t levels,
        uint32_t maxLen = kMax)
{
    MtpPriorityAllocation a;
    a.cutoffs = {42};
    std::string error;
    if (MtpComputePriorityAllocation(sizes, cdf, unschedBytes, levels, maxLen, a, error))
    {
        return "ACCEPTED";
    }
    EXPECT_EQ(a.cutoffs, std::vector<uint32_t>{42}) << "the output changed on error";
    return error;
}

// Sizes 100, 200, 300 with probabilities 6/11, 3/11, 2/11 carry 600/11 bytes
// each.  Every byte is unscheduled (UnschedBytes 10000), so f = 1 and 4 levels
// give 3 unscheduled ones (MTP keeps one scheduled); the targets 1/3 and 2/3
// of the unscheduled bytes fall exactly on 100 and 200.
TEST(MtpPriorityAllocation, EqualBytesSplitOfThreePoints)
{
    MtpPriorityAllocation a = Allocate({100, 200, 300}, {6.0 / 11, 9.0 / 11, 1.0}, 10000, 4);
    EXPECT_DOUBLE_EQ(a.unschedFraction, 1.0);
    EXPECT_EQ(a.proportionalLevels, 3U);
    EXPECT_EQ(a.unschedLevels, 3U);
    EXPECT_EQ(a.schedLevels, 1U);
    EXPECT_EQ(a.CutoffsString(), "100,200,1000000");
    ASSERT_EQ(a.levelShare.size(), 3U);
    for (double share : a.levelShare)
    {
        EXPECT_NEAR(share, 1.0 / 3, 1e-12);
    }
}

// Ten sizes 100..1000, 10% each, all unscheduled: f = 1, so 7 of 8 levels.
// Unscheduled bytes (times 10): cumulative 10 30 60 100 150 210 280 360 450
// 550; the targets k * 550 / 7 = 78.6 157.1 235.7 314.3 392.9 471.4 are
// nearest 60 (300 B), 150 (500), 210 (600), 280 (700), 360 (800), 450 (900).
TEST(MtpPriorityAllocation, AllSmallGetsAllButOneLevel)
{
    std::vector<uint32_t> sizes;
    std::vector<double> cdf;
    for (uint32_t i = 1; i <= 10; ++i)
    {
        sizes.push_back(100 * i);
        cdf.push_back(i / 10.0);
    }
    MtpPriorityAllocation a = Allocate(sizes, cdf, 10000, 8);
    EXPECT_DOUBLE_EQ(a.unschedFraction, 1.0);
    EXPECT_EQ(a.unschedLevels, 7U);
    EXPECT_EQ(a.schedLevels, 1U);
    EXPECT_EQ(a.CutoffsString(), "300,500,600,700,800,900,1000000");
    std::vector<double> expected = {60, 90, 60, 70, 80, 90, 100};
    ASSERT_EQ(a.levelShare.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
    {
        EXPECT_NEAR(a.levelShare[i], expected[i] / 550, 1e-12) << "level " << i;
    }
}

// Only 1 MB messages: 10000 of every 1000000 bytes are unscheduled (f = 0.01),
// 0.08 levels round to 0, and the minimum of one unscheduled level holds.
TEST(MtpPriorityAllocation, AllLargeGetsOneLevel)
{
    MtpPriorityAllocation a = Allocate({1000000}, {1.0}, 10000, 8);
    EXPECT_DOUBLE_EQ(a.unschedFraction, 0.01);
    EXPECT_EQ(a.unschedLevels, 1U);
    EXPECT_EQ(a.schedLevels, 7U);
    EXPECT_EQ(a.CutoffsString(), "1000000");
    EXPECT_EQ(a.levelShare, std::vector<double>{1.0});
}

// 1000 B and 19000 B, half each: bytes 500 + 9500, unscheduled 500 + 5000,
// f = 0.55 and 8 * 0.55 = 4.4 levels round to 4.  With two sizes only one
// boundary separates anything (1000 B: 500 of the 5500 unscheduled bytes);
// the other boundaries would be empty levels, so they go to scheduled packets.
TEST(MtpPriorityAllocation, ProportionalSplitAndDroppedEmptyLevels)
{
    MtpPriorityAllocation a = Allocate({1000, 19000}, {0.5, 1.0}, 10000, 8);
    EXPECT_DOUBLE_EQ(a.unschedFraction, 0.55);
    EXPECT_EQ(a.proportionalLevels, 4U);
    EXPECT_EQ(a.unschedLevels, 2U);
    EXPECT_EQ(a.schedLevels, 6U);
    EXPECT_EQ(a.CutoffsString(), "1000,1000000");
    ASSERT_EQ(a.levelShare.size(), 2U);
    EXPECT_NEAR(a.levelShare[0], 500.0 / 5500, 1e-12);
    EXPECT_NEAR(a.levelShare[1], 5000.0 / 5500, 1e-12);
}

// A smaller RTTbytes moves bytes to scheduled: the same two sizes with
// UnschedBytes 1000 have unscheduled 500 + 500 of 10000 bytes, f = 0.1,
// 0.8 levels round to 1.
TEST(MtpPriorityAllocation, UnschedBytesSetsTheFraction)
{
    MtpPriorityAllocation a = Allocate({1000, 19000}, {0.5, 1.0}, 1000, 8);
    EXPECT_DOUBLE_EQ(a.unschedFraction, 0.1);
    EXPECT_EQ(a.unschedLevels, 1U);
    EXPECT_EQ(a.schedLevels, 7U);
    EXPECT_EQ(a.CutoffsString(), "1000000");
}

// One level: everything shares it; the single cutoff admits every length.
TEST(MtpPriorityAllocation, OneLevel)
{
    MtpPriorityAllocation a = Allocate({100, 200, 300}, {6.0 / 11, 9.0 / 11, 1.0}, 10000, 1);
    EXPECT_EQ(a.unschedLevels, 1U);
    EXPECT_EQ(a.schedLevels, 0U);
    EXPECT_EQ(a.CutoffsString(), "1000000");
}

// A distribution capped at the maximum length (its tail moved onto the cap)
// is accepted; the last cutoff is the cap, never a duplicate of it.
TEST(MtpPriorityAllocation, CappedDistribution)
{
    // 100 B (90%) and the cap 50000 B (10%), UnschedBytes 10000: bytes 90 +
    // 5000, unscheduled 90 + 1000, f = 1090 / 5090 = 0.214, 8 levels ->
    // 1.71 -> 2; the boundary at 100 B holds 90 / 1090 of the unscheduled bytes.
    MtpPriorityAllocation a = Allocate({100, 50000}, {0.9, 1.0}, 10000, 8, 50000);
    EXPECT_NEAR(a.unschedFraction, 1090.0 / 5090, 1e-12);
    EXPECT_EQ(a.unschedLevels, 2U);
    EXPECT_EQ(a.CutoffsString(), "100,50000");
}

// Points of zero probability are not boundaries (they would make empty
// levels): 150 B has no mass here and the result equals the three-point one.
TEST(MtpPriorityAllocation, ZeroMassPointsIgnored)
{
    MtpPriorityAllocation a =
        Allocate({100, 150, 200, 300}, {6.0 / 11, 6.0 / 11, 9.0 / 11, 1.0}, 10000, 4);
    EXPECT_EQ(a.CutoffsString(), "100,200,1000000");
}

TEST(MtpPriorityAllocation, RefusedInput)
{
    EXPECT_EQ(Refusal({100}, {1.0}, 10000, 0),
              "the number of priority levels must be 1 to 8, not 0");
    EXPECT_EQ(Refusal({100}, {1.0}, 10000, 9),
              "the number of priority levels must be 1 to 8, not 9");
    EXPECT_EQ(Refusal({100}, {1.0}, 0, 8),
              "the unscheduled bytes and the maximum message length must be at least 1");
    EXPECT_EQ(Refusal({}, {}, 10000, 8),
              "the distribution is empty or its sizes and probabilities differ in count");
    EXPECT_EQ(Refusal({100, 200}, {1.0}, 10000, 8),
              "the distribution is empty or its sizes and probabilities differ in count");
    EXPECT_EQ(Refusal({200, 100}, {0.5, 1.0}, 10000, 8),
              "sizes must increase strictly and probabilities must not decrease");
    EXPECT_EQ(Refusal({100, 200}, {0.5, 0.4}, 10000, 8),
              "sizes must increase strictly and probabilities must not decrease");
    EXPECT_EQ(Refusal({100, 200}, {-0.5, 1.0}, 10000, 8),
              "cumulative probabilities must lie in [0, 1]");
    EXPECT_EQ(Refusal({100, 200}, {0.5, 0.9}, 10000, 8),
              "the last cumulative probability must be 1");
    EXPECT_EQ(Refusal({100, 2000000}, {0.5, 1.0}, 10000, 8),
              "the distribution reaches 2000000 B, above the maximum message length 1000000 B "
              "(cap it with SetMaxSize / --maxMessage first)");
    EXPECT_EQ(Refusal({0}, {1.0}, 10000, 8),
              "the distribution carries no bytes (every message is empty)");
}

TEST(MtpPriorityAllocation, CheckCutoffs)
{
    std::string error;
    EXPECT_TRUE(MtpCheckCutoffs("200,2800,15000,1000000", kMax, error)) << error;
    EXPECT_TRUE(MtpCheckCutoffs("1000000", kMax, error)) << error;
    EXPECT_TRUE(MtpCheckCutoffs("1,2,3,4,5,6,7,8", kMax, error)) << error;

    struct Bad
    {
        const char* text;   ///< the list
        const char* reason; ///< the error expected
    };

    const Bad bad[] = {
        {"", "it must list 1 to 8 comma-separated lengths"},
        {"1,2,3,4,5,6,7,8,9", "it must list 1 to 8 comma-separated lengths"},
        {"1,2,", "it must list 1 to 8 comma-separated lengths"},
        {",1", "'' is not a length in 1..1000000"},
        {"0", "'0' is not a length in 1..1000000"},
        {"bogus", "'bogus' is not a length in 1..1000000"},
        {"-5", "'-5' is not a length in 1..1000000"},
        {"5 ", "'5 ' is not a length in 1..1000000"},
        {"1000001", "'1000001' is not a length in 1..1000000"},
        {"99999999999999999999999", "'99999999999999999999999' is not a length in 1..1000000"},
        {"500,500", "the lengths must increase strictly"},
        {"500,300", "the lengths must increase strictly"},
    };
    for (const Bad& b : bad)
    {
        error.clear();
        EXPECT_FALSE(MtpCheckCutoffs(b.text, kMax, error)) << b.text;
        EXPECT_EQ(error, b.reason) << b.text;
    }
}

// The shipped workloads capped at 1 MB with MTP's defaults (UnschedBytes
// 10000, 8 levels): the table of doc/datacenter.rst ("Priority allocation").
TEST(MtpPriorityAllocation, ShippedWorkloads)
{
    struct Row
    {
        const char* name;    ///< workload
        double fraction;     ///< unscheduled share of the bytes
        uint32_t levels;     ///< unscheduled levels
        const char* cutoffs; ///< UnschedCutoffs
    };

    const Row rows[] = {
        {"w1", 0.995, 7, "181,334,518,758,1175,2048,1000000"},
        {"w2", 0.788, 6, "284,366,465,931,2731,1000000"},
        {"w3", 0.360, 3, "2286,9735,1000000"},
        {"w4", 0.058, 1, "1000000"},
        {"w5", 0.024, 1, "1000000"},
    };
    for (const Row& r : rows)
    {
        Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
        d->Load(r.name);
        d->SetMaxSize(kMax);
        MtpPriorityAllocation a;
        std::string error;
        ASSERT_TRUE(MtpComputePriorityAllocation(*d, 10000, 8, kMax, a, error)) << error;
        EXPECT_NEAR(a.unschedFraction, r.fraction, 0.0005) << r.name;
        EXPECT_EQ(a.unschedLevels, r.levels) << r.name;
        EXPECT_EQ(a.schedLevels, 8 - r.levels) << r.name;
        EXPECT_EQ(a.CutoffsString(), r.cutoffs) << r.name;
    }
}

} // namespace
