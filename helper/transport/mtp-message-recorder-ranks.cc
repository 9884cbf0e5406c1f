/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMessageRecorder across ranks: packing a recorder into bytes, merging
 * packed recorders, matching message ends recorded by another rank, the
 * canonical record order, and the MPI gather that ties them together (see
 * "Several processes (MPI)" in mtp-message-recorder.h).
 *
 * The packed form is private to this file and to one build: fixed-width
 * little-endian integers, written and read field by field; Unpack checks
 * every length against what is left, so a short or corrupt buffer is
 * refused, never read past.
 */

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/mtp-message-recorder.h"
#include "ns3/simulator.h"

#ifdef MTP_HAVE_MPI
#include "ns3/mpi-interface.h"

#include <mpi.h>
#endif

#include <algorithm>
#include <cstring>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpMessageRecorderRanks");

namespace
{

/// First bytes of a packed recorder (format version 1).
constexpr uint32_t PACK_MAGIC = 0x4d545231; // "MTR1"

/// Appends fixed-width little-endian integers to a byte string.
class Writer
{
  public:
    /// \param out where to append
    explicit Writer(std::string& out)
        : m_out(out)
    {
    }

    /// \param v a value to append in 8 little-endian bytes
    void U64(uint64_t v)
    {
        for (int i = 0; i < 8; ++i)
        {
            m_out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
        }
    }

    /// \param t a time, appended as its ns-3 time step (two's complement)
    void TimeValue(Time t)
    {
        U64(static_cast<uint64_t>(t.GetTimeStep()));
    }

    /// \param k a message key
    void KeyValue(const MtpMessageRecorder::Key& k)
    {
        U64(std::get<0>(k));
        U64(std::get<1>(k));
        U64(std::get<2>(k));
    }

    /// \param s a string, appended as its length then its bytes
    void String(const std::string& s)
    {
        U64(s.size());
        m_out += s;
    }

  private:
    std::string& m_out; //!< the output
};

/// Reads what Writer wrote; every read fails (and stays failed) past the end.
class Reader
{
  public:
    /// \param in the bytes
    explicit Reader(const std::string& in)
        : m_in(in)
    {
    }

    /// \param v where the next 8-byte value goes \return false past the end
    bool U64(uint64_t& v)
    {
        if (!m_ok || m_in.size() - m_pos < 8)
        {
            m_ok = false;
            return false;
        }
        v = 0;
        for (int i = 0; i < 8; ++i)
        {
            v |= uint64_t{static_cast<uint8_t>(m_in[m_pos + i])} << (8 * i);
        }
        m_pos += 8;
        return true;
    }

    /// \param t where the next time goes \return false past the end
    bool TimeValue(Time& t)
    {
        uint64_t v = 0;
        if (!U64(v))
        {
            return false;
        }
        t = TimeStep(v);
        return true;
    }

    /// \param k where the next key goes \return false past the end or out of range
    bool KeyValue(MtpMessageRecorder::Key& k)
    {
        uint64_t a = 0;
        uint64_t b = 0;
        uint64_t c = 0;
        if (!U64(a) || !U64(b) || !U64(c) || a > UINT32_MAX || b > UINT16_MAX)
        {
            m_ok = false;
            return false;
        }
        k = MtpMessageRecorder::Key(static_cast<uint32_t>(a), static_cast<uint16_t>(b), c);
        return true;
    }

    /// \param s where the next string goes \return false past the end
    bool String(std::string& s)
    {
        uint64_t n = 0;
        if (!U64(n) || m_in.size() - m_pos < n)
        {
            m_ok = false;
            return false;
        }
        s.assign(m_in, m_pos, n);
        m_pos += n;
        return true;
    }

    /// \return true when every byte was read and no read failed
    bool Done() const
    {
        return m_ok && m_pos == m_in.size();
    }

    /// \return true while no read failed
    bool Ok() const
    {
        return m_ok;
    }

  private:
    const std::string& m_in; //!< the bytes
    std::size_t m_pos = 0;   //!< next byte to read
    bool m_ok = true;        //!< no read has failed
};

// Flag bits of a packed record.
constexpr uint64_t FLAG_DONE = 1;    //!< Record::done
constexpr uint64_t FLAG_FAILED = 2;  //!< Record::failed
constexpr uint64_t FLAG_PENDING = 4; //!< a pending key follows
constexpr uint64_t FLAG_FAILKEY = 8; //!< a failed record's key follows

} // namespace

void
MtpMessageRecorder::SetDistributed(bool distributed)
{
    m_distributed = distributed;
}

std::string
MtpMessageRecorder::Pack() const
{
    // Each record's key, if it has one still open (pending or failed).
    std::vector<const Key*> pendingKey(m_records.size(), nullptr);
    std::vector<const Key*> failedKey(m_records.size(), nullptr);
    for (const auto& [key, index] : m_pending)
    {
        pendingKey[index] = &key;
    }
    for (const auto& [key, index] : m_failedKeys)
    {
        failedKey[index] = &key;
    }
    std::string out;
    Writer w(out);
    w.U64(PACK_MAGIC);
    w.U64(m_collisions);
    w.U64(m_records.size());
    for (std::size_t i = 0; i < m_records.size(); ++i)
    {
        const Record& r = m_records[i];
        uint64_t flags = (r.done ? FLAG_DONE : 0) | (r.failed ? FLAG_FAILED : 0) |
                         (pendingKey[i] ? FLAG_PENDING : 0) | (failedKey[i] ? FLAG_FAILKEY : 0);
        w.U64(flags);
        w.U64(r.size);
        w.U64(r.src);
        w.U64(r.dst);
        w.TimeValue(r.start);
        w.TimeValue(r.end);
        w.TimeValue(r.unloaded);
        w.TimeValue(r.failedAt);
        w.String(r.error);
        if (pendingKey[i])
        {
            w.KeyValue(*pendingKey[i]);
        }
        if (failedKey[i])
        {
            w.KeyValue(*failedKey[i]);
        }
    }
    w.U64(m_remoteEnds.size());
    for (const auto& [key, end] : m_remoteEnds)
    {
        w.KeyValue(key);
        w.TimeValue(end);
    }
    return out;
}

bool
MtpMessageRecorder::Unpack(const std::string& bytes)
{
    Reader rd(bytes);
    uint64_t magic = 0;
    uint64_t collisions = 0;
    uint64_t n = 0;
    if (!rd.U64(magic) || magic != PACK_MAGIC || !rd.U64(collisions) || !rd.U64(n))
    {
        return false;
    }
    std::vector<Record> records;
    std::vector<std::pair<Key, uint64_t>> pending;
    std::vector<std::pair<Key, uint64_t>> failed;
    const uint64_t base = m_records.size();
    for (uint64_t i = 0; i < n && rd.Ok(); ++i)
    {
        Record r;
        uint64_t flags = 0;
        uint64_t size = 0;
        uint64_t src = 0;
        uint64_t dst = 0;
        rd.U64(flags);
        rd.U64(size);
        rd.U64(src);
        rd.U64(dst);
        rd.TimeValue(r.start);
        rd.TimeValue(r.end);
        rd.TimeValue(r.unloaded);
        rd.TimeValue(r.failedAt);
        rd.String(r.error);
        if (!rd.Ok() || flags > 15 || size > UINT32_MAX || src > UINT32_MAX || dst > UINT32_MAX)
        {
            return false;
        }
        r.size = static_cast<uint32_t>(size);
        r.src = static_cast<uint32_t>(src);
        r.dst = static_cast<uint32_t>(dst);
        r.done = (flags & FLAG_DONE) != 0;
        r.failed = (flags & FLAG_FAILED) != 0;
        Key k;
        if ((flags & FLAG_PENDING) && rd.KeyValue(k))
        {
            pending.emplace_back(k, base + i);
        }
        if ((flags & FLAG_FAILKEY) && rd.KeyValue(k))
        {
            failed.emplace_back(k, base + i);
        }
        records.push_back(std::move(r));
    }
    uint64_t ends = 0;
    std::vector<std::pair<Key, Time>> remoteEnds;
    if (!rd.U64(ends))
    {
        return false;
    }
    for (uint64_t i = 0; i < ends && rd.Ok(); ++i)
    {
        Key k;
        Time t;
        if (rd.KeyValue(k) && rd.TimeValue(t))
        {
            remoteEnds.emplace_back(k, t);
        }
    }
    if (!rd.Done())
    {
        return false;
    }
    for (Record& r : records)
    {
        r.id = m_records.size();
        m_completed += r.done ? 1 : 0;
        m_failed += r.failed ? 1 : 0;
        m_records.push_back(std::move(r));
    }
    m_pending.insert(pending.begin(), pending.end());
    m_failedKeys.insert(failed.begin(), failed.end());
    m_remoteEnds.insert(m_remoteEnds.end(), remoteEnds.begin(), remoteEnds.end());
    m_collisions += collisions;
    return true;
}

void
MtpMessageRecorder::MatchRemoteEnds()
{
    for (const auto& [key, end] : m_remoteEnds)
    {
        auto it = m_pending.find(key);
        if (it != m_pending.end())
        {
            Record& r = m_records[it->second];
            m_pending.erase(it);
            r.end = end;
            r.done = true;
            ++m_completed;
            continue;
        }
        auto f = m_failedKeys.find(key);
        if (f != m_failedKeys.end() && end <= m_records[f->second].failedAt)
        {
            // Delivered before the sender gave up: in one process the
            // delivery would have been recorded first.
            Record& r = m_records[f->second];
            m_failedKeys.erase(f);
            r.failed = false;
            r.error.clear();
            r.end = end;
            r.done = true;
            --m_failed;
            ++m_completed;
        }
    }
    m_remoteEnds.clear();
}

void
MtpMessageRecorder::Canonicalize()
{
    std::vector<uint64_t> order(m_records.size());
    for (uint64_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [this](uint64_t a, uint64_t b) {
        const Record& x = m_records[a];
        const Record& y = m_records[b];
        return x.start < y.start || (x.start == y.start && x.src < y.src);
    });
    std::vector<uint64_t> newIndex(order.size());
    std::vector<Record> sorted;
    sorted.reserve(order.size());
    for (uint64_t i = 0; i < order.size(); ++i)
    {
        newIndex[order[i]] = i;
        sorted.push_back(std::move(m_records[order[i]]));
        sorted.back().id = i;
    }
    m_records = std::move(sorted);
    for (auto& entry : m_pending)
    {
        entry.second = newIndex[entry.second];
    }
    for (auto& entry : m_failedKeys)
    {
        entry.second = newIndex[entry.second];
    }
}

void
MtpMessageRecorder::CollectRanks()
{
    if (m_distributed)
    {
#ifdef MTP_HAVE_MPI
        NS_ABORT_MSG_UNLESS(
            MpiInterface::IsEnabled(),
            "MtpMessageRecorder::CollectRanks: distributed, but MPI is not enabled");
        MPI_Comm comm = MpiInterface::GetCommunicator();
        const int ranks = static_cast<int>(MpiInterface::GetSize());
        const int self = static_cast<int>(MpiInterface::GetSystemId());
        std::string mine = Pack();
        NS_ABORT_MSG_IF(mine.size() > static_cast<std::size_t>(INT32_MAX),
                        "MtpMessageRecorder: " << mine.size() << " bytes of records on rank "
                                               << self << " are more than MPI_Gatherv takes");
        int length = static_cast<int>(mine.size());
        std::vector<int> lengths(ranks, 0);
        MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, comm);
        std::vector<int> offsets(ranks, 0);
        uint64_t total = 0;
        for (int r = 0; r < ranks; ++r)
        {
            offsets[r] = static_cast<int>(total);
            total += static_cast<uint64_t>(lengths[r]);
        }
        NS_ABORT_MSG_IF(self == 0 && total > static_cast<uint64_t>(INT32_MAX),
                        "MtpMessageRecorder: " << total << " bytes of records in all are more "
                                               << "than MPI_Gatherv takes");
        std::string all(self == 0 ? total : 0, '\0');
        MPI_Gatherv(mine.data(),
                    length,
                    MPI_CHAR,
                    all.data(),
                    lengths.data(),
                    offsets.data(),
                    MPI_CHAR,
                    0,
                    comm);
        // Start again from nothing: rank 0 rebuilds from every rank's part,
        // its own included; the others keep nothing.
        m_records.clear();
        m_pending.clear();
        m_failedKeys.clear();
        m_remoteEnds.clear();
        m_completed = 0;
        m_failed = 0;
        m_collisions = 0;
        for (int r = 0; self == 0 && r < ranks; ++r)
        {
            bool ok = Unpack(all.substr(offsets[r], lengths[r]));
            NS_ABORT_MSG_UNLESS(ok, "MtpMessageRecorder: rank " << r << "'s records are corrupt");
        }
        MatchRemoteEnds();
#else
        NS_FATAL_ERROR("MtpMessageRecorder::CollectRanks: distributed, but this build has no MPI "
                       "(build ns-3 with --enable-mpi: doc/datacenter.rst)");
#endif
    }
    Canonicalize();
}

} // namespace ns3
