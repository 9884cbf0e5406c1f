/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-workload.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef MTP_DATA_DIR
#define MTP_DATA_DIR "data"
#endif

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpWorkload");

NS_OBJECT_ENSURE_REGISTERED(MtpMessageSizeDistribution);

TypeId
MtpMessageSizeDistribution::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpMessageSizeDistribution")
                            .SetParent<Object>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpMessageSizeDistribution>();
    return tid;
}

MtpMessageSizeDistribution::MtpMessageSizeDistribution()
    : m_uniform(CreateObject<UniformRandomVariable>())
{
}

MtpMessageSizeDistribution::~MtpMessageSizeDistribution() = default;

std::string
MtpMessageSizeDistribution::GetDataDir()
{
    const char* env = std::getenv("MTP_DATA_DIR");
    if (env && *env)
    {
        return env;
    }
    return MTP_DATA_DIR;
}

std::string
MtpMessageSizeDistribution::ResolvePath(const std::string& name)
{
    bool isPath = name.find('/') != std::string::npos ||
                  (name.size() > 4 && name.compare(name.size() - 4, 4, ".cdf") == 0);
    if (isPath)
    {
        return name;
    }
    return GetDataDir() + "/workloads/" + name + ".cdf";
}

void
MtpMessageSizeDistribution::Load(const std::string& name)
{
    std::string path = ResolvePath(name);
    std::ifstream in(path);
    if (!in)
    {
        NS_FATAL_ERROR("workload '" << name << "': cannot open " << path
                                    << " (set MTP_DATA_DIR to the directory holding "
                                       "workloads/<name>.cdf, or give a path)");
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string error;
    if (!Parse(text.str(), path, error))
    {
        NS_FATAL_ERROR("workload '" << name << "': " << error);
    }
    m_name = name;
}

bool
MtpMessageSizeDistribution::Parse(const std::string& text,
                                  const std::string& origin,
                                  std::string& error)
{
    std::vector<uint32_t> sizes;
    std::vector<double> cdf;
    std::istringstream in(text);
    std::string line;
    uint32_t lineno = 0;
    while (std::getline(in, line))
    {
        ++lineno;
        auto hash = line.find('#');
        if (hash != std::string::npos)
        {
            line.erase(hash);
        }
        std::istringstream ls(line);
        std::string a;
        std::string b;
        std::string extra;
        if (!(ls >> a))
        {
            continue;
        }
        std::ostringstream where;
        where << origin << ":" << lineno << ": ";
        if (!(ls >> b) || (ls >> extra))
        {
            error = where.str() + "expected 'size_bytes cumulative_probability'";
            return false;
        }
        char* end = nullptr;
        unsigned long long size = std::strtoull(a.c_str(), &end, 10);
        if (*end != '\0' || a[0] == '-' || size > 0xffffffffULL)
        {
            error = where.str() + "bad size '" + a + "'";
            return false;
        }
        double p = std::strtod(b.c_str(), &end);
        if (*end != '\0' || !std::isfinite(p) || p < 0 || p > 1 + 1e-9)
        {
            error = where.str() + "bad cumulative probability '" + b + "'";
            return false;
        }
        if (!sizes.empty() && size <= sizes.back())
        {
            error = where.str() + "sizes must be strictly increasing";
            return false;
        }
        if (!cdf.empty() && p < cdf.back())
        {
            error = where.str() + "cumulative probabilities must not decrease";
            return false;
        }
        sizes.push_back(static_cast<uint32_t>(size));
        cdf.push_back(std::min(p, 1.0));
    }
    if (sizes.empty())
    {
        error = origin + ": no data";
        return false;
    }
    if (std::fabs(cdf.back() - 1.0) > 1e-9)
    {
        error = origin + ": the last cumulative probability must be 1";
        return false;
    }
    cdf.back() = 1.0;
    m_rawSizes = std::move(sizes);
    m_rawCdf = std::move(cdf);
    m_name = origin;
    ApplyCap();
    return true;
}

void
MtpMessageSizeDistribution::SetMaxSize(uint32_t maxSize)
{
    m_maxSize = maxSize;
    if (!m_rawSizes.empty())
    {
        ApplyCap();
    }
}

void
MtpMessageSizeDistribution::ApplyCap()
{
    m_sizes.clear();
    m_cdf.clear();
    for (std::size_t i = 0; i < m_rawSizes.size(); ++i)
    {
        if (m_maxSize > 0 && m_rawSizes[i] >= m_maxSize)
        {
            // All remaining mass (this point and above) goes to the cap.
            m_sizes.push_back(m_maxSize);
            m_cdf.push_back(1.0);
            break;
        }
        m_sizes.push_back(m_rawSizes[i]);
        m_cdf.push_back(m_rawCdf[i]);
    }
    m_mean = 0;
    double prev = 0;
    for (std::size_t i = 0; i < m_sizes.size(); ++i)
    {
        m_mean += m_sizes[i] * (m_cdf[i] - prev);
        prev = m_cdf[i];
    }
    NS_LOG_INFO(m_name << ": " << m_sizes.size() << " points, mean " << m_mean);
}

uint32_t
MtpMessageSizeDistribution::GetMaxSize() const
{
    NS_ABORT_MSG_IF(m_sizes.empty(), "distribution not loaded");
    return m_sizes.back();
}

uint32_t
MtpMessageSizeDistribution::GetMinSize() const
{
    NS_ABORT_MSG_IF(m_sizes.empty(), "distribution not loaded");
    // The first point with positive mass.
    double prev = 0;
    for (std::size_t i = 0; i < m_sizes.size(); ++i)
    {
        if (m_cdf[i] > prev)
        {
            return m_sizes[i];
        }
        prev = m_cdf[i];
    }
    return m_sizes.back();
}

double
MtpMessageSizeDistribution::GetMean() const
{
    return m_mean;
}

std::string
MtpMessageSizeDistribution::GetName() const
{
    return m_name;
}

uint32_t
MtpMessageSizeDistribution::Quantile(double p) const
{
    NS_ABORT_MSG_IF(m_sizes.empty(), "distribution not loaded");
    auto it = std::upper_bound(m_cdf.begin(), m_cdf.end(), p);
    if (it == m_cdf.end())
    {
        return m_sizes.back();
    }
    return m_sizes[it - m_cdf.begin()];
}

uint32_t
MtpMessageSizeDistribution::Sample()
{
    return Quantile(m_uniform->GetValue(0.0, 1.0));
}

const std::vector<uint32_t>&
MtpMessageSizeDistribution::GetSizes() const
{
    return m_sizes;
}

const std::vector<double>&
MtpMessageSizeDistribution::GetCdf() const
{
    return m_cdf;
}

int64_t
MtpMessageSizeDistribution::AssignStreams(int64_t stream)
{
    m_uniform->SetStream(stream);
    return 1;
}

} // namespace ns3
