/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-priority-allocation.h"

#include "ns3/log.h"
#include "ns3/mtp-common-header.h"
#include "ns3/mtp-workload.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPriorityAllocation");

namespace
{

/// A size of positive mass and the unscheduled bytes of all sizes up to it.
struct UnschedPoint
{
    uint32_t size;     //!< message length
    double cumUnsched; //!< sum over sizes <= size of p * min(size, unschedBytes)
};

/// \return why (sizes, cdf) is not a distribution of lengths up to maxLen; "" if it is
std::string
CheckDistribution(const std::vector<uint32_t>& sizes,
                  const std::vector<double>& cdf,
                  uint32_t maxLen)
{
    if (sizes.empty() || sizes.size() != cdf.size())
    {
        return "the distribution is empty or its sizes and probabilities differ in count";
    }
    for (std::size_t i = 0; i < sizes.size(); ++i)
    {
        if (i > 0 && (sizes[i] <= sizes[i - 1] || cdf[i] < cdf[i - 1]))
        {
            return "sizes must increase strictly and probabilities must not decrease";
        }
        if (!std::isfinite(cdf[i]) || cdf[i] < 0 || cdf[i] > 1 + 1e-9)
        {
            return "cumulative probabilities must lie in [0, 1]";
        }
    }
    if (std::fabs(cdf.back() - 1.0) > 1e-9)
    {
        return "the last cumulative probability must be 1";
    }
    if (sizes.back() > maxLen)
    {
        std::ostringstream os;
        os << "the distribution reaches " << sizes.back() << " B, above the maximum message "
           << "length " << maxLen << " B (cap it with SetMaxSize / --maxMessage first)";
        return os.str();
    }
    return "";
}

/// \return the cumulative unscheduled bytes at every size of positive mass
std::vector<UnschedPoint>
UnschedPoints(const std::vector<uint32_t>& sizes,
              const std::vector<double>& cdf,
              uint32_t unschedBytes,
              double& totalBytes)
{
    std::vector<UnschedPoint> points;
    double cum = 0;
    double prev = 0;
    totalBytes = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i)
    {
        double p = cdf[i] - prev;
        prev = cdf[i];
        if (p <= 0)
        {
            continue;
        }
        totalBytes += p * sizes[i];
        cum += p * std::min(sizes[i], unschedBytes);
        points.push_back({sizes[i], cum});
    }
    return points;
}

/// \return f of n levels, rounded to the nearest, within [1, n - 1] (1 when n == 1)
uint32_t
ProportionalLevels(double f, uint32_t n)
{
    if (n == 1)
    {
        return 1;
    }
    auto levels = static_cast<uint32_t>(std::floor(f * n + 0.5));
    return std::min(std::max(levels, 1U), n - 1);
}

/**
 * \return the index into points nearest `target` cumulative unscheduled bytes,
 *         among all but the last point (whose level would hold nothing below
 *         the maximum length); ties go to the smaller size
 */
std::size_t
NearestBoundary(const std::vector<UnschedPoint>& points, double target)
{
    std::size_t best = 0;
    for (std::size_t j = 1; j + 1 < points.size(); ++j)
    {
        if (std::fabs(points[j].cumUnsched - target) < std::fabs(points[best].cumUnsched - target))
        {
            best = j;
        }
    }
    return best;
}

} // namespace

std::string
MtpPriorityAllocation::CutoffsString() const
{
    std::ostringstream os;
    for (std::size_t i = 0; i < cutoffs.size(); ++i)
    {
        os << (i ? "," : "") << cutoffs[i];
    }
    return os.str();
}

bool
MtpComputePriorityAllocation(const std::vector<uint32_t>& sizes,
                             const std::vector<double>& cdf,
                             uint32_t unschedBytes,
                             uint32_t numPriorities,
                             uint32_t maxMessageLength,
                             MtpPriorityAllocation& out,
                             std::string& error)
{
    if (numPriorities < 1 || numPriorities > MtpHeader::MAX_PRIORITIES)
    {
        error = "the number of priority levels must be 1 to " +
                std::to_string(MtpHeader::MAX_PRIORITIES) + ", not " +
                std::to_string(numPriorities);
        return false;
    }
    if (unschedBytes < 1 || maxMessageLength < 1)
    {
        error = "the unscheduled bytes and the maximum message length must be at least 1";
        return false;
    }
    error = CheckDistribution(sizes, cdf, maxMessageLength);
    if (!error.empty())
    {
        return false;
    }
    double totalBytes = 0;
    std::vector<UnschedPoint> points = UnschedPoints(sizes, cdf, unschedBytes, totalBytes);
    if (totalBytes <= 0)
    {
        error = "the distribution carries no bytes (every message is empty)";
        return false;
    }
    double totalUnsched = points.back().cumUnsched;
    MtpPriorityAllocation a;
    a.unschedFraction = std::min(1.0, totalUnsched / totalBytes);
    a.proportionalLevels = ProportionalLevels(a.unschedFraction, numPriorities);
    double prevCum = 0;
    bool any = false;
    std::size_t prevIndex = 0;
    for (uint32_t k = 1; k < a.proportionalLevels && points.size() > 1; ++k)
    {
        std::size_t j = NearestBoundary(points, totalUnsched * k / a.proportionalLevels);
        if (any && j <= prevIndex)
        {
            continue; // the level would be empty: it goes to scheduled packets
        }
        a.cutoffs.push_back(points[j].size);
        a.levelShare.push_back((points[j].cumUnsched - prevCum) / totalUnsched);
        prevCum = points[j].cumUnsched;
        prevIndex = j;
        any = true;
    }
    a.cutoffs.push_back(maxMessageLength);
    a.levelShare.push_back((totalUnsched - prevCum) / totalUnsched);
    a.unschedLevels = static_cast<uint32_t>(a.cutoffs.size());
    a.schedLevels = numPriorities - a.unschedLevels;
    NS_LOG_INFO("unscheduled fraction " << a.unschedFraction << ": " << a.unschedLevels << " of "
                                        << numPriorities << " levels, cutoffs "
                                        << a.CutoffsString());
    out = a;
    return true;
}

bool
MtpComputePriorityAllocation(const MtpMessageSizeDistribution& dist,
                             uint32_t unschedBytes,
                             uint32_t numPriorities,
                             uint32_t maxMessageLength,
                             MtpPriorityAllocation& out,
                             std::string& error)
{
    return MtpComputePriorityAllocation(dist.GetSizes(),
                                        dist.GetCdf(),
                                        unschedBytes,
                                        numPriorities,
                                        maxMessageLength,
                                        out,
                                        error);
}

bool
MtpCheckCutoffs(const std::string& text, uint32_t maxMessageLength, std::string& error)
{
    std::vector<unsigned long> list;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        char* end = nullptr;
        unsigned long v = std::strtoul(item.c_str(), &end, 10);
        bool digits = !item.empty() && item.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || *end != '\0' || v == 0 || v > maxMessageLength)
        {
            error = "'" + item + "' is not a length in 1.." + std::to_string(maxMessageLength);
            return false;
        }
        if (!list.empty() && v <= list.back())
        {
            error = "the lengths must increase strictly";
            return false;
        }
        list.push_back(v);
    }
    if (list.empty() || list.size() > MtpHeader::MAX_PRIORITIES ||
        (!text.empty() && text.back() == ','))
    {
        error = "it must list 1 to " + std::to_string(MtpHeader::MAX_PRIORITIES) +
                " comma-separated lengths";
        return false;
    }
    return true;
}

} // namespace ns3
