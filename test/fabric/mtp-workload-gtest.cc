/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of MtpMessageSizeDistribution (no simulator): the CDF file
 * format (good files, malformed ones and their error messages), name
 * resolution, the five shipped workloads against the public figures of the
 * Homa papers, quantiles, the size cap, sampling (frequencies and mean) and
 * determinism for a given seed and stream.
 *
 * The reference numbers below (point counts, first and middle points, means)
 * were computed once from the published length/weight tables (cumulative sum
 * of the weights divided by their total); the test never reads those tables.
 */

#include "ns3/mtp-workload.h"
#include "ns3/rng-seed-manager.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

/// A three-point distribution: 100 B (20%), 200 B (50%), 300 B (30%).
const char* const kThree = "# three sizes\n"
                           "100 0.2\n"
                           "200 0.7   # rest of line is a comment\n"
                           "\n"
                           "300 1\n";

/// \return a distribution parsed from `text` (the test fails if it does not parse)
Ptr<MtpMessageSizeDistribution>
FromText(const std::string& text)
{
    Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
    std::string error;
    EXPECT_TRUE(d->Parse(text, "text", error)) << error;
    return d;
}

/// \return the error message of parsing `text`, or "PARSED" if it parsed
std::string
ParseError(const std::string& text)
{
    Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
    std::string error;
    if (d->Parse(text, "bad.cdf", error))
    {
        return "PARSED";
    }
    return error;
}

/// Mean and variance of a point-mass distribution given as (size, cdf) points.
struct Moments
{
    double mean = 0;     //!< E[S]
    double variance = 0; //!< Var[S]
};

/// \return the moments of the distribution's points, computed here
Moments
PointMoments(const std::vector<uint32_t>& sizes, const std::vector<double>& cdf)
{
    double m1 = 0;
    double m2 = 0;
    double prev = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i)
    {
        double p = cdf[i] - prev;
        prev = cdf[i];
        m1 += p * sizes[i];
        m2 += p * double(sizes[i]) * sizes[i];
    }
    return {m1, m2 - m1 * m1};
}

/// Reference figures of one shipped workload.
struct Reference
{
    const char* name;       //!< w1..w5
    std::size_t points;     //!< distinct sizes
    uint32_t firstSize;     //!< smallest size
    double firstCdf;        //!< its cumulative probability
    std::size_t midIndex;   //!< index of a point in the middle of the table
    uint32_t midSize;       //!< its size
    double midCdf;          //!< its cumulative probability
    uint32_t maxSize;       //!< largest size
    uint32_t median;        //!< Quantile(0.5)
    uint32_t p90;           //!< smallest size of cumulative probability >= 0.9
    double mean;            //!< uncapped mean, bytes
    double cappedMean;      //!< mean with sizes capped at 1,000,000 bytes
    uint32_t lastBelowCap;  //!< largest size below 1,000,000
    double lastBelowCapCdf; //!< its cumulative probability
};

/// Computed once from the Homa papers' length/weight tables.
const Reference kReference[] = {
    {"w1",
     300,
     8,
     0.31094,
     150,
     1283,
     0.978639625424,
     100000,
     27,
     503,
     189.172955,
     189.172955,
     100000,
     1.0},
    {"w2",
     152,
     8,
     0.17010762791,
     76,
     5461,
     0.996874122405,
     3529904,
     269,
     512,
     441.603439,
     433.318900,
     912974,
     0.99999134823},
    {"w3",
     842,
     8,
     0.0648826229959,
     421,
     166306,
     0.997689987237,
     15158197,
     268,
     1755,
     2927.678971,
     2423.110263,
     999461,
     0.999745332742},
    {"w4",
     460,
     53,
     0.00074,
     230,
     32405,
     0.72213,
     10000000,
     662,
     120373,
     127796.643650,
     60175.121190,
     940700,
     0.9721},
    {"w5",
     400,
     1430,
     0.025,
     200,
     295470,
     0.612734,
     29400000,
     72030,
     4899510,
     2564689.682400,
     385315.508340,
     980490,
     0.7},
};

/// Keeps MTP_DATA_DIR unset (the compiled-in data directory) for a test.
class WorkloadFiles : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        const char* env = std::getenv("MTP_DATA_DIR");
        m_hadEnv = env != nullptr;
        if (m_hadEnv)
        {
            m_env = env;
        }
        unsetenv("MTP_DATA_DIR");
    }

    void TearDown() override
    {
        if (m_hadEnv)
        {
            setenv("MTP_DATA_DIR", m_env.c_str(), 1);
        }
        else
        {
            unsetenv("MTP_DATA_DIR");
        }
    }

    bool m_hadEnv = false; //!< MTP_DATA_DIR was set before the test
    std::string m_env;     //!< its value
};

/// \return a fresh temporary directory
std::string
TempDir()
{
    char tmpl[] = "/tmp/mtp-workload-gtest-XXXXXX";
    const char* d = mkdtemp(tmpl);
    EXPECT_NE(d, nullptr);
    return d ? d : "/tmp";
}

} // namespace

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

TEST(MtpWorkloadParse, CommentsBlankLinesAndInlineComments)
{
    Ptr<MtpMessageSizeDistribution> d = FromText(kThree);
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{100, 200, 300}));
    EXPECT_EQ(d->GetCdf(), (std::vector<double>{0.2, 0.7, 1.0}));
    EXPECT_EQ(d->GetMinSize(), 100u);
    EXPECT_EQ(d->GetMaxSize(), 300u);
    EXPECT_NEAR(d->GetMean(), 100 * 0.2 + 200 * 0.5 + 300 * 0.3, 1e-9);
    EXPECT_EQ(d->GetName(), "text");
}

TEST(MtpWorkloadParse, WindowsLineEndingsTabsAndExponents)
{
    Ptr<MtpMessageSizeDistribution> d = FromText("10\t2.5e-1\r\n  20   5E-1\r\n30 1.0\r\n");
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{10, 20, 30}));
    EXPECT_EQ(d->GetCdf(), (std::vector<double>{0.25, 0.5, 1.0}));
    EXPECT_NEAR(d->GetMean(), 10 * 0.25 + 20 * 0.25 + 30 * 0.5, 1e-9);
}

TEST(MtpWorkloadParse, ZeroSizeAndLastProbabilityWithinRounding)
{
    // Empty messages are legal; a last probability 1 - 1e-12 counts as 1.
    Ptr<MtpMessageSizeDistribution> d = FromText("0 0.5\n4294967295 0.999999999999\n");
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{0, 4294967295u}));
    EXPECT_EQ(d->GetCdf().back(), 1.0);
    EXPECT_EQ(d->GetMinSize(), 0u);
}

TEST(MtpWorkloadParse, LeadingZeroMassPointIsNeverTheMinimum)
{
    Ptr<MtpMessageSizeDistribution> d = FromText("50 0\n100 0.4\n150 0.4\n200 1\n");
    EXPECT_EQ(d->GetMinSize(), 100u);
    EXPECT_NEAR(d->GetMean(), 100 * 0.4 + 200 * 0.6, 1e-9);
}

TEST(MtpWorkloadParse, MalformedFilesSayWhereAndWhy)
{
    struct Case
    {
        const char* text;  //!< file contents
        const char* error; //!< the exact error expected
    };

    const Case cases[] = {
        {"", "bad.cdf: no data"},
        {"# only a comment\n\n", "bad.cdf: no data"},
        {"100\n", "bad.cdf:1: expected 'size_bytes cumulative_probability'"},
        {"100 0.5 7\n200 1\n", "bad.cdf:1: expected 'size_bytes cumulative_probability'"},
        {"100 0.5\nabc 1\n", "bad.cdf:2: bad size 'abc'"},
        {"12x 1\n", "bad.cdf:1: bad size '12x'"},
        {"-5 1\n", "bad.cdf:1: bad size '-5'"},
        {"1.5 1\n", "bad.cdf:1: bad size '1.5'"},
        {"4294967296 1\n", "bad.cdf:1: bad size '4294967296'"},
        {"100 x\n", "bad.cdf:1: bad cumulative probability 'x'"},
        {"100 0.5q\n200 1\n", "bad.cdf:1: bad cumulative probability '0.5q'"},
        {"100 -0.1\n200 1\n", "bad.cdf:1: bad cumulative probability '-0.1'"},
        {"100 0.5\n200 1.5\n", "bad.cdf:2: bad cumulative probability '1.5'"},
        {"100 nan\n200 1\n", "bad.cdf:1: bad cumulative probability 'nan'"},
        {"100 inf\n", "bad.cdf:1: bad cumulative probability 'inf'"},
        {"100 0.5\n100 1\n", "bad.cdf:2: sizes must be strictly increasing"},
        {"# c\n200 0.5\n100 1\n", "bad.cdf:3: sizes must be strictly increasing"},
        {"100 0.6\n200 0.5\n300 1\n", "bad.cdf:2: cumulative probabilities must not decrease"},
        {"100 0.5\n200 0.9\n", "bad.cdf: the last cumulative probability must be 1"},
    };
    for (const Case& c : cases)
    {
        EXPECT_EQ(ParseError(c.text), c.error) << "input: " << c.text;
    }
}

TEST(MtpWorkloadParse, FailedParseKeepsThePreviousDistribution)
{
    Ptr<MtpMessageSizeDistribution> d = FromText(kThree);
    std::string error;
    EXPECT_FALSE(d->Parse("5 0.5\n", "second", error));
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{100, 200, 300}));
    EXPECT_EQ(d->GetName(), "text");
    EXPECT_NEAR(d->GetMean(), 210.0, 1e-9);
}

// ---------------------------------------------------------------------------
// Names, files, errors
// ---------------------------------------------------------------------------

TEST_F(WorkloadFiles, ResolvePath)
{
    std::string dir = MtpMessageSizeDistribution::GetDataDir();
    EXPECT_FALSE(dir.empty());
    EXPECT_EQ(MtpMessageSizeDistribution::ResolvePath("w5"), dir + "/workloads/w5.cdf");
    EXPECT_EQ(MtpMessageSizeDistribution::ResolvePath("mine.cdf"), "mine.cdf");
    EXPECT_EQ(MtpMessageSizeDistribution::ResolvePath("a/b"), "a/b");
    setenv("MTP_DATA_DIR", "/somewhere", 1);
    EXPECT_EQ(MtpMessageSizeDistribution::GetDataDir(), "/somewhere");
    EXPECT_EQ(MtpMessageSizeDistribution::ResolvePath("w2"), "/somewhere/workloads/w2.cdf");
}

TEST_F(WorkloadFiles, LoadFromDataDirAndFromPath)
{
    std::string dir = TempDir();
    ASSERT_EQ(system(("mkdir -p " + dir + "/workloads").c_str()), 0);
    {
        std::ofstream f(dir + "/workloads/tiny.cdf");
        f << kThree;
    }
    setenv("MTP_DATA_DIR", dir.c_str(), 1);
    Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
    d->Load("tiny");
    EXPECT_EQ(d->GetName(), "tiny");
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{100, 200, 300}));

    Ptr<MtpMessageSizeDistribution> e = CreateObject<MtpMessageSizeDistribution>();
    e->Load(dir + "/workloads/tiny.cdf");
    EXPECT_EQ(e->GetCdf(), (std::vector<double>{0.2, 0.7, 1.0}));
}

TEST_F(WorkloadFiles, LoadErrorsAreFatalAndClear)
{
    std::string dir = TempDir();
    std::string bad = dir + "/bad.cdf";
    {
        std::ofstream f(bad);
        f << "# header\n100 0.5\n90 1\n";
    }
    ::testing::GTEST_FLAG(death_test_style) = "threadsafe";
    EXPECT_DEATH(
        {
            Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
            d->Load(bad);
        },
        "bad.cdf:3: sizes must be strictly increasing");
    EXPECT_DEATH(
        {
            Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
            d->Load(dir + "/missing.cdf");
        },
        "cannot open .*missing.cdf");
    EXPECT_DEATH(
        {
            Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
            d->Load("no-such-workload");
        },
        "workload 'no-such-workload': cannot open .*/workloads/no-such-workload.cdf");
}

// ---------------------------------------------------------------------------
// The shipped workloads
// ---------------------------------------------------------------------------

TEST_F(WorkloadFiles, ShippedWorkloadsMatchThePublishedTables)
{
    for (const Reference& r : kReference)
    {
        SCOPED_TRACE(r.name);
        Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
        d->Load(r.name);
        const auto& sizes = d->GetSizes();
        const auto& cdf = d->GetCdf();
        ASSERT_EQ(sizes.size(), r.points);
        EXPECT_EQ(sizes[0], r.firstSize);
        EXPECT_NEAR(cdf[0], r.firstCdf, 1e-11);
        EXPECT_EQ(sizes[r.midIndex], r.midSize);
        EXPECT_NEAR(cdf[r.midIndex], r.midCdf, 1e-11);
        EXPECT_EQ(sizes.back(), r.maxSize);
        EXPECT_EQ(cdf.back(), 1.0);
        EXPECT_EQ(d->GetMaxSize(), r.maxSize);
        EXPECT_EQ(d->GetMinSize(), r.firstSize);
        EXPECT_NEAR(d->GetMean(), r.mean, 1e-6 * r.mean);
        EXPECT_EQ(d->Quantile(0.5), r.median);
        // (W5 has a point at exactly 0.9: the smallest size with F >= 0.9.)
        EXPECT_EQ(d->Quantile(0.9 - 1e-9), r.p90);

        d->SetMaxSize(1000000);
        EXPECT_NEAR(d->GetMean(), r.cappedMean, 1e-6 * r.cappedMean);
        EXPECT_EQ(d->GetMaxSize(), std::min<uint32_t>(r.maxSize, 1000000));
        // The last point below the cap keeps its probability; the rest of the
        // mass sits on the cap.
        std::size_t below = d->GetSizes().size() - (r.maxSize > 1000000 ? 2 : 1);
        EXPECT_EQ(d->GetSizes()[below], r.lastBelowCap);
        EXPECT_NEAR(d->GetCdf()[below], r.lastBelowCapCdf, 1e-11);
    }
}

// ---------------------------------------------------------------------------
// Quantiles and the cap
// ---------------------------------------------------------------------------

TEST(MtpWorkloadQuantile, SmallestSizeWhoseCumulativeProbabilityExceedsP)
{
    Ptr<MtpMessageSizeDistribution> d = FromText(kThree);
    EXPECT_EQ(d->Quantile(0.0), 100u);
    EXPECT_EQ(d->Quantile(0.1999999), 100u);
    EXPECT_EQ(d->Quantile(0.2), 200u);
    EXPECT_EQ(d->Quantile(0.6999999), 200u);
    EXPECT_EQ(d->Quantile(0.7), 300u);
    EXPECT_EQ(d->Quantile(0.9999999), 300u);
    EXPECT_EQ(d->Quantile(1.0), 300u);
}

TEST(MtpWorkloadQuantile, ZeroMassPointsAreSkipped)
{
    Ptr<MtpMessageSizeDistribution> d = FromText("50 0\n100 0.4\n150 0.4\n200 1\n");
    EXPECT_EQ(d->Quantile(0.0), 100u);
    EXPECT_EQ(d->Quantile(0.3999), 100u);
    EXPECT_EQ(d->Quantile(0.4), 200u);
}

TEST(MtpWorkloadCap, MassAboveTheCapMovesOntoIt)
{
    Ptr<MtpMessageSizeDistribution> d = FromText(kThree);
    d->SetMaxSize(250);
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{100, 200, 250}));
    EXPECT_EQ(d->GetCdf(), (std::vector<double>{0.2, 0.7, 1.0}));
    EXPECT_NEAR(d->GetMean(), 100 * 0.2 + 200 * 0.5 + 250 * 0.3, 1e-9);
    EXPECT_EQ(d->GetMaxSize(), 250u);

    d->SetMaxSize(200);
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{100, 200}));
    EXPECT_EQ(d->GetCdf(), (std::vector<double>{0.2, 1.0}));
    EXPECT_NEAR(d->GetMean(), 100 * 0.2 + 200 * 0.8, 1e-9);

    d->SetMaxSize(30);
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{30}));
    EXPECT_EQ(d->GetMinSize(), 30u);
    EXPECT_NEAR(d->GetMean(), 30, 1e-9);

    d->SetMaxSize(0); // no cap: the file's points again
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{100, 200, 300}));
    EXPECT_NEAR(d->GetMean(), 210, 1e-9);
}

TEST(MtpWorkloadCap, CapSetBeforeParsingApplies)
{
    Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
    d->SetMaxSize(150);
    std::string error;
    ASSERT_TRUE(d->Parse(kThree, "text", error)) << error;
    EXPECT_EQ(d->GetSizes(), (std::vector<uint32_t>{100, 150}));
    EXPECT_NEAR(d->GetMean(), 100 * 0.2 + 150 * 0.8, 1e-9);
}

TEST(MtpWorkloadCap, SamplesNeverExceedTheCap)
{
    RngSeedManager::SetSeed(3);
    RngSeedManager::SetRun(1);
    Ptr<MtpMessageSizeDistribution> d = FromText(kThree);
    d->SetMaxSize(250);
    d->AssignStreams(11);
    uint32_t atCap = 0;
    const uint32_t n = 100000;
    for (uint32_t i = 0; i < n; ++i)
    {
        uint32_t s = d->Sample();
        ASSERT_TRUE(s == 100 || s == 200 || s == 250) << s;
        atCap += s == 250;
    }
    // P(250) = 0.3: 5 standard deviations.
    double sd = std::sqrt(n * 0.3 * 0.7);
    EXPECT_NEAR(atCap, 0.3 * n, 5 * sd);
}

// ---------------------------------------------------------------------------
// Sampling
// ---------------------------------------------------------------------------

TEST(MtpWorkloadSample, FrequenciesMatchThePointMasses)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    Ptr<MtpMessageSizeDistribution> d = FromText("50 0\n100 0.2\n150 0.2\n200 0.7\n300 1\n");
    d->AssignStreams(5);
    std::map<uint32_t, uint32_t> counts;
    const uint32_t n = 200000;
    for (uint32_t i = 0; i < n; ++i)
    {
        ++counts[d->Sample()];
    }
    // Zero-mass points (50, 150) are never drawn.
    ASSERT_EQ(counts.size(), 3u);
    const std::map<uint32_t, double> expected{{100, 0.2}, {200, 0.5}, {300, 0.3}};
    for (const auto& [size, p] : expected)
    {
        double sd = std::sqrt(n * p * (1 - p));
        EXPECT_NEAR(counts[size], n * p, 5 * sd) << "size " << size;
    }
}

TEST_F(WorkloadFiles, EmpiricalMeanMatchesTheAnalyticMean)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    int64_t stream = 100;
    for (const Reference& r : kReference)
    {
        SCOPED_TRACE(r.name);
        Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
        d->Load(r.name);
        d->SetMaxSize(1000000);
        d->AssignStreams(stream++);
        std::set<uint32_t> support(d->GetSizes().begin(), d->GetSizes().end());
        // Tolerance: 2% of the mean.  Draw enough that this is 5 standard
        // errors (from the variance of the points), so a sampler that is off
        // by more than 2% fails and a correct one passes but by chance.
        Moments m = PointMoments(d->GetSizes(), d->GetCdf());
        ASSERT_NEAR(m.mean, r.cappedMean, 1e-6 * r.cappedMean);
        double tolerance = 0.02 * r.cappedMean;
        auto n = static_cast<uint32_t>(
            std::max(400000.0, std::ceil(25 * m.variance / (tolerance * tolerance))));
        double sum = 0;
        uint32_t outside = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            uint32_t s = d->Sample();
            sum += s;
            outside += support.count(s) == 0;
        }
        EXPECT_EQ(outside, 0u);
        EXPECT_NEAR(sum / n, r.cappedMean, tolerance);
    }
}

TEST_F(WorkloadFiles, EmpiricalQuantilesMatchTheCdf)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(4);
    Ptr<MtpMessageSizeDistribution> d = CreateObject<MtpMessageSizeDistribution>();
    d->Load("w3");
    d->AssignStreams(0);
    const uint32_t n = 100000;
    std::vector<uint32_t> draws(n);
    for (auto& s : draws)
    {
        s = d->Sample();
    }
    // For several sizes s, the fraction of draws <= s estimates F(s).
    const auto& sizes = d->GetSizes();
    const auto& cdf = d->GetCdf();
    for (std::size_t i : {0UL, 5UL, 40UL, 200UL, 600UL})
    {
        uint32_t below = 0;
        for (uint32_t s : draws)
        {
            below += s <= sizes[i];
        }
        double p = cdf[i];
        double sd = std::sqrt(p * (1 - p) / n);
        EXPECT_NEAR(below / double(n), p, 5 * sd + 1e-9) << "size " << sizes[i];
    }
}

TEST(MtpWorkloadSample, SameSeedAndStreamSameSequence)
{
    auto draw = [](uint32_t run, int64_t stream) {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(run);
        Ptr<MtpMessageSizeDistribution> d =
            FromText("1 0.1\n2 0.2\n3 0.3\n4 0.4\n5 0.5\n6 0.6\n7 0.7\n8 0.8\n9 0.9\n10 1\n");
        d->AssignStreams(stream);
        std::vector<uint32_t> v;
        for (int i = 0; i < 1000; ++i)
        {
            v.push_back(d->Sample());
        }
        return v;
    };
    std::vector<uint32_t> a = draw(1, 42);
    EXPECT_EQ(a, draw(1, 42));
    EXPECT_NE(a, draw(1, 43));
    EXPECT_NE(a, draw(2, 42));
}
