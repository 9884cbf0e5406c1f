/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-message-recorder.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/mtp-workload.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpMessageRecorder");

NS_OBJECT_ENSURE_REGISTERED(MtpMessageRecorder);

TypeId
MtpMessageRecorder::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpMessageRecorder")
                            .SetParent<Object>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpMessageRecorder>();
    return tid;
}

MtpMessageRecorder::MtpMessageRecorder() = default;

MtpMessageRecorder::~MtpMessageRecorder() = default;

void
MtpMessageRecorder::SetUnloadedTimeFunction(std::function<Time(uint32_t, uint32_t, uint32_t)> fn)
{
    m_unloaded = std::move(fn);
}

void
MtpMessageRecorder::SetBucketsFromDistribution(Ptr<const MtpMessageSizeDistribution> dist,
                                               uint32_t n)
{
    NS_ABORT_MSG_IF(n == 0, "need at least one bucket");
    std::vector<uint32_t> highs;
    for (uint32_t b = 1; b <= n; ++b)
    {
        // Size at cumulative probability b/n (the last bucket ends at the max).
        uint32_t q = b == n ? dist->GetMaxSize() : dist->Quantile(b / double(n) - 1e-12);
        if (highs.empty() || q > highs.back())
        {
            highs.push_back(q);
        }
    }
    m_bucketHighs = highs;
}

void
MtpMessageRecorder::SetBuckets(const std::vector<uint32_t>& highs)
{
    for (std::size_t i = 1; i < highs.size(); ++i)
    {
        NS_ABORT_MSG_IF(highs[i] <= highs[i - 1], "bucket bounds must increase");
    }
    m_bucketHighs = highs;
}

void
MtpMessageRecorder::SetWarmup(Time t)
{
    m_warmup = t;
}

Time
MtpMessageRecorder::GetWarmup() const
{
    return m_warmup;
}

bool
MtpMessageRecorder::MessageStarted(const Key& key, uint32_t src, uint32_t dst, uint32_t size)
{
    Time now = Simulator::Now();
    if (now < m_warmup)
    {
        return false;
    }
    Record r;
    r.id = m_records.size();
    r.size = size;
    r.src = src;
    r.dst = dst;
    r.start = now;
    r.unloaded = m_unloaded ? m_unloaded(src, dst, size) : Time(0);
    auto [it, inserted] = m_pending.emplace(key, r.id);
    if (!inserted)
    {
        // The older message can no longer be matched: it stays unfinished.
        ++m_collisions;
        it->second = r.id;
    }
    m_records.push_back(r);
    return true;
}

int64_t
MtpMessageRecorder::GetPendingSize(const Key& key) const
{
    auto it = m_pending.find(key);
    return it == m_pending.end() ? -1 : m_records[it->second].size;
}

bool
MtpMessageRecorder::MessageReceived(const Key& key)
{
    auto it = m_pending.find(key);
    if (it == m_pending.end())
    {
        if (m_distributed && m_failedKeys.count(key) == 0)
        {
            // Maybe another rank's message: CollectRanks matches it.
            m_remoteEnds.emplace_back(key, Simulator::Now());
        }
        return false;
    }
    Record& r = m_records[it->second];
    m_pending.erase(it);
    r.end = Simulator::Now();
    r.done = true;
    ++m_completed;
    return true;
}

void
MtpMessageRecorder::MessageFailed(const Key& key, const std::string& error)
{
    auto it = m_pending.find(key);
    if (it == m_pending.end())
    {
        return;
    }
    Record& r = m_records[it->second];
    if (m_distributed)
    {
        m_failedKeys.emplace(it->first, it->second);
    }
    m_pending.erase(it);
    r.failed = true;
    r.error = error;
    r.failedAt = Simulator::Now();
    ++m_failed;
}

bool
MtpMessageRecorder::MessageRefused(uint32_t src,
                                   uint32_t dst,
                                   uint32_t size,
                                   const std::string& error)
{
    Time now = Simulator::Now();
    if (now < m_warmup)
    {
        return false;
    }
    Record r;
    r.id = m_records.size();
    r.size = size;
    r.src = src;
    r.dst = dst;
    r.start = now;
    r.unloaded = m_unloaded ? m_unloaded(src, dst, size) : Time(0);
    r.failed = true;
    r.error = error;
    m_records.push_back(r);
    ++m_failed;
    return true;
}

const std::vector<MtpMessageRecorder::Record>&
MtpMessageRecorder::GetRecords() const
{
    return m_records;
}

uint64_t
MtpMessageRecorder::GetStarted() const
{
    return m_records.size();
}

uint64_t
MtpMessageRecorder::GetCompleted() const
{
    return m_completed;
}

uint64_t
MtpMessageRecorder::GetUnfinished() const
{
    return m_records.size() - m_completed;
}

uint64_t
MtpMessageRecorder::GetFailed() const
{
    return m_failed;
}

uint64_t
MtpMessageRecorder::GetKeyCollisions() const
{
    return m_collisions;
}

double
MtpMessageRecorder::Percentile(const std::vector<double>& sorted, double p)
{
    if (sorted.empty())
    {
        return 0;
    }
    // Nearest rank: the smallest value with at least p% of the values <= it.
    // p * n / 100 (not p / 100 * n): for integer p and n the product is exact
    // and an exact quotient stays exact, so ceil() cannot round a whole rank
    // up by one (0.999 * 1000 is 999.0000000000001 in doubles).
    auto rank = static_cast<std::size_t>(std::ceil(p * sorted.size() / 100.0 - 1e-9));
    rank = std::max<std::size_t>(rank, 1);
    return sorted[std::min(rank, sorted.size()) - 1];
}

std::vector<MtpMessageRecorder::Bucket>
MtpMessageRecorder::Summarize() const
{
    std::vector<uint32_t> highs = m_bucketHighs;
    // Sizes above the last bound get a bucket of their own (never lumped
    // into the last one, whose range would then be printed wrong).
    bool overflow = highs.empty();
    for (const Record& r : m_records)
    {
        overflow = overflow || (r.done && r.size > highs.back());
    }
    if (overflow && (highs.empty() || highs.back() < UINT32_MAX))
    {
        highs.push_back(UINT32_MAX);
    }
    std::vector<std::vector<double>> values(highs.size());
    for (const Record& r : m_records)
    {
        if (!r.done)
        {
            continue;
        }
        std::size_t b = std::lower_bound(highs.begin(), highs.end(), r.size) - highs.begin();
        double ideal = r.unloaded.GetSeconds();
        double slow = ideal > 0 ? (r.end - r.start).GetSeconds() / ideal : 0;
        values[b].push_back(slow);
    }
    std::vector<Bucket> out;
    for (std::size_t b = 0; b < highs.size(); ++b)
    {
        Bucket k;
        k.lowExclusive = b == 0 ? 0 : highs[b - 1];
        k.high = highs[b];
        std::vector<double>& v = values[b];
        std::sort(v.begin(), v.end());
        k.count = v.size();
        double sum = 0;
        for (double x : v)
        {
            sum += x;
        }
        k.mean = v.empty() ? 0 : sum / v.size();
        k.median = Percentile(v, 50);
        k.p99 = Percentile(v, 99);
        out.push_back(k);
    }
    return out;
}

void
MtpMessageRecorder::PrintTable(std::ostream& os, const std::string& title) const
{
    os << "== " << title << ": " << GetStarted() << " measured messages, " << GetCompleted()
       << " completed, " << GetUnfinished() << " unfinished (" << GetFailed() << " failed)";
    if (m_collisions > 0)
    {
        os << ", " << m_collisions << " key collisions";
    }
    os << "\n";
    os << std::setw(22) << "size range (bytes)" << std::setw(10) << "count" << std::setw(10)
       << "mean" << std::setw(10) << "median" << std::setw(10) << "p99"
       << "\n";
    for (const Bucket& b : Summarize())
    {
        std::ostringstream range;
        range << b.lowExclusive + (b.lowExclusive ? 1 : 0) << "-" << b.high;
        os << std::setw(22) << range.str() << std::setw(10) << b.count << std::fixed
           << std::setprecision(2) << std::setw(10) << b.mean << std::setw(10) << b.median
           << std::setw(10) << b.p99 << "\n";
        os.unsetf(std::ios::floatfield);
    }
}

void
MtpMessageRecorder::WriteCsv(const std::string& path) const
{
    std::ofstream f(path);
    NS_ABORT_MSG_IF(!f, "cannot write " << path);
    f << "id,size,start_ns,end_ns,src,dst,unloaded_ns,slowdown,status\n";
    for (const Record& r : m_records)
    {
        f << r.id << "," << r.size << "," << r.start.GetNanoSeconds() << ",";
        if (r.done)
        {
            f << r.end.GetNanoSeconds();
        }
        f << "," << r.src << "," << r.dst << "," << r.unloaded.GetNanoSeconds() << ",";
        if (r.done && r.unloaded.IsStrictlyPositive())
        {
            f << std::setprecision(6) << (r.end - r.start).GetSeconds() / r.unloaded.GetSeconds();
        }
        f << "," << (r.done ? "done" : (r.failed ? "failed:" + r.error : "unfinished")) << "\n";
    }
}

void
MtpMessageRecorder::WriteSummaryCsv(const std::string& path,
                                    const std::string& protocol,
                                    bool append) const
{
    std::ofstream f(path, append ? std::ios::app : std::ios::trunc);
    NS_ABORT_MSG_IF(!f, "cannot write " << path);
    if (!append)
    {
        f << "protocol,bucket,size_low,size_high,count,mean,median,p99\n";
    }
    uint32_t i = 0;
    for (const Bucket& b : Summarize())
    {
        f << protocol << "," << i++ << "," << b.lowExclusive + (b.lowExclusive ? 1 : 0) << ","
          << b.high << "," << b.count << "," << b.mean << "," << b.median << "," << b.p99 << "\n";
    }
}

void
MtpMessageRecorder::PrintUnfinished(std::ostream& os, uint32_t max) const
{
    uint32_t printed = 0;
    for (const Record& r : m_records)
    {
        if (r.done)
        {
            continue;
        }
        if (printed < max)
        {
            os << "  unfinished: id " << r.id << " size " << r.size << " " << r.src << "->" << r.dst
               << " start " << r.start.GetNanoSeconds() << " ns"
               << (r.failed ? " failed: " + r.error : "") << "\n";
        }
        ++printed;
    }
    if (printed > max)
    {
        os << "  ... and " << printed - max << " more unfinished\n";
    }
}

} // namespace ns3
