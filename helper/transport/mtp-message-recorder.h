/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMessageRecorder: per-message completion records of a datacenter
 * experiment, and their slowdown summaries.
 *
 * How a message is matched between sender and receiver
 * ----------------------------------------------------
 * The recorder is one object shared by every workload app of a simulation
 * (ns-3 runs in one process), so nothing has to travel inside the message
 * (W1 has 8-byte messages, too short for an in-band header).  The sender
 * registers a key that the receiver can rebuild from what its socket tells
 * it:
 *   - MTP: (sender IPv4 address, sender MTP port, sender's RPC id).  The
 *     receiver gets the first two from the message's peer address and the id
 *     from MtpRecvInfo (the receiver knows the RPC as id | 1; the sender's id
 *     is even, so it is id & ~1).  RPC ids are unique per node, so keys never
 *     collide.
 *   - TCP: (sender address, sender port, 0) of the message's own connection;
 *     unique while the connection is open.  A key registered twice (port
 *     reuse while the older message is unfinished) is counted as a collision.
 * Messages that start before the warm-up ends are not registered at all;
 * a received message whose key is unknown is ignored.
 *
 * Slowdown
 * --------
 * slowdown = (end - start) / unloaded, where start is when the application
 * handed the message to its socket, end when the receiving application got
 * the whole message, and unloaded the time the same message takes on the
 * same path in an empty network (MtpDatacenterHelper::GetUnloadedTime; the
 * same ideal for MTP and TCP).
 *
 * Buckets (as in the Homa paper's figures, whose x axis is "linear in the
 * number of messages"): by default the deciles of the workload's message
 * count: bucket b holds sizes in (q_{b-1}, q_b] with q_b the size at
 * cumulative probability b/10 of the distribution, merged where two
 * deciles fall on the same size (W5's first deciles do).  Boundaries come
 * from the distribution, not from the sample, so two runs (MTP, TCP) use the
 * same buckets.  SetBuckets() sets explicit upper bounds instead.  Completed
 * messages larger than the last bound are summarized in an extra bucket
 * (last bound, 4294967295]; with no bounds at all there is one bucket.
 * Per bucket: message count, mean, median and 99th percentile of slowdown
 * (nearest-rank percentiles).
 *
 * Several processes (MPI)
 * -----------------------
 * In a distributed run every rank has its own recorder and sees only its
 * own hosts: a message's start is recorded by the sender's rank, its end
 * by the receiver's.  SetDistributed(true) makes a recorder keep the ends
 * whose key it does not know (the sender is another rank's) instead of
 * ignoring them; after the run, CollectRanks() (collective) packs every
 * rank's records, open keys and such ends, gathers them at rank 0 and
 * matches each end to its message.  Whether a run has one rank or several,
 * CollectRanks() then puts the records in one canonical order, by start
 * time and then sender host (a sender's own messages keep their order),
 * and numbers them in that order, so that a run on N ranks writes the same
 * files as the same run on one.  The pieces (Pack, Unpack, MatchRemoteEnds,
 * Canonicalize) are public so that tests can merge recorders without MPI.
 */

#ifndef MTP_MESSAGE_RECORDER_H
#define MTP_MESSAGE_RECORDER_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class MtpMessageSizeDistribution;

/**
 * \ingroup mtp-transport
 * \brief Records message completions and summarizes slowdowns by size.
 */
class MtpMessageRecorder : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpMessageRecorder();
    ~MtpMessageRecorder() override;

    /// How a receiver finds a sender's message (see the file comment).
    using Key = std::tuple<uint32_t, uint16_t, uint64_t>;

    /// One measured message.
    struct Record
    {
        uint64_t id = 0;     //!< recorder-wide message number, in start order
        uint32_t size = 0;   //!< bytes
        uint32_t src = 0;    //!< sender host index
        uint32_t dst = 0;    //!< receiver host index
        Time start;          //!< handed to the socket
        Time end;            //!< whole message at the receiving app (if done)
        Time unloaded;       //!< ideal time on this path
        bool done = false;   //!< completed
        bool failed = false; //!< the transport reported an error
        std::string error;   //!< the transport's error, if failed
        Time failedAt;       //!< when the transport gave up (if failed)
    };

    /// Slowdown summary of one size bucket.
    struct Bucket
    {
        uint32_t lowExclusive = 0; //!< sizes above this ...
        uint32_t high = 0;         //!< ... up to this
        uint64_t count = 0;        //!< completed messages in it
        double mean = 0;           //!< mean slowdown
        double median = 0;         //!< median slowdown
        double p99 = 0;            //!< 99th percentile slowdown
    };

    /**
     * \param fn computes the unloaded time of (src, dst, bytes)
     */
    void SetUnloadedTimeFunction(std::function<Time(uint32_t, uint32_t, uint32_t)> fn);

    /**
     * \brief Use the deciles of this distribution as bucket bounds.
     * \param dist the workload's distribution
     * \param n number of quantile buckets (10 = deciles)
     */
    void SetBucketsFromDistribution(Ptr<const MtpMessageSizeDistribution> dist, uint32_t n = 10);

    /** \param highs explicit bucket upper bounds, increasing */
    void SetBuckets(const std::vector<uint32_t>& highs);

    /** \param t messages that start before t are not recorded */
    void SetWarmup(Time t);
    /** \return the warm-up time */
    Time GetWarmup() const;

    /**
     * \brief A sender handed a message to its transport.
     * \param key how the receiver will name it
     * \param src sender host index
     * \param dst receiver host index
     * \param size bytes
     * \return false if the message is not measured (warm-up)
     */
    bool MessageStarted(const Key& key, uint32_t src, uint32_t dst, uint32_t size);

    /**
     * \param key a key given to MessageStarted
     * \return the size registered for it, or -1 if unknown
     */
    int64_t GetPendingSize(const Key& key) const;

    /**
     * \brief The receiving application has the whole message.
     * \param key the message's key
     * \return true if it was a measured, pending message
     */
    bool MessageReceived(const Key& key);

    /**
     * \brief The sender's transport gave up on a message.
     * \param key the message's key
     * \param error why
     */
    void MessageFailed(const Key& key, const std::string& error);

    /**
     * \brief The sender's transport refused to start a message (e.g.
     *        EMSGSIZE): recorded, after the warmup, as a failed message so
     *        that summaries count it.
     * \param src sending host index
     * \param dst receiving host index
     * \param size message bytes
     * \param error why
     * \return true if it was measured (started after the warmup)
     */
    bool MessageRefused(uint32_t src, uint32_t dst, uint32_t size, const std::string& error);

    /** \return every measured record, in start order */
    const std::vector<Record>& GetRecords() const;
    /** \return measured messages started */
    uint64_t GetStarted() const;
    /** \return measured messages completed */
    uint64_t GetCompleted() const;
    /** \return measured messages not completed (failed ones included) */
    uint64_t GetUnfinished() const;
    /** \return measured messages whose transport reported a failure */
    uint64_t GetFailed() const;
    /** \return keys registered while an equal key was pending */
    uint64_t GetKeyCollisions() const;

    /** \return the bucket summaries of the completed messages */
    std::vector<Bucket> Summarize() const;

    /**
     * \brief Print the per-bucket table.
     * \param os the stream
     * \param title a heading line (e.g. the protocol)
     */
    void PrintTable(std::ostream& os, const std::string& title) const;

    /**
     * \brief Write every measured record as CSV:
     *        id,size,start_ns,end_ns,src,dst,unloaded_ns,slowdown,status
     *        (end_ns and slowdown empty for unfinished messages; status is
     *        done, unfinished or failed:<error>).
     * \param path the file
     */
    void WriteCsv(const std::string& path) const;

    /**
     * \brief Write the bucket table as CSV:
     *        protocol,bucket,size_low,size_high,count,mean,median,p99
     * \param path the file
     * \param protocol a label for the first column
     * \param append append instead of truncating
     */
    void WriteSummaryCsv(const std::string& path, const std::string& protocol, bool append) const;

    /**
     * \brief Print the unfinished messages (at most `max`, then a count).
     * \param os the stream
     * \param max lines to print
     */
    void PrintUnfinished(std::ostream& os, uint32_t max) const;

    /**
     * \brief Keep received messages whose key is unknown here, for a later
     *        merge (distributed runs; see the file comment).  Default false.
     * \param distributed true on every rank of a distributed run
     */
    void SetDistributed(bool distributed);

    /**
     * \brief After Simulator::Run, on every rank (collective in a
     *        distributed run): gather every rank's records at rank 0 and
     *        match their ends, then put them in canonical order.  Other
     *        ranks are left with no records.  Not distributed: only the
     *        canonical order.
     */
    void CollectRanks();

    /**
     * \return this recorder's records, open keys, ends of unknown keys and
     *         counters as bytes (for Unpack on another recorder)
     */
    std::string Pack() const;

    /**
     * \brief Append the records of a packed recorder (keys and ends too).
     * \param bytes what Pack() returned
     * \return false (and nothing appended) if the bytes are malformed
     */
    bool Unpack(const std::string& bytes);

    /**
     * \brief Match the ends of unknown keys (from every Unpack) to the
     *        records with those keys; ends that match nothing (messages
     *        started before the warm-up) are dropped.  An end matches a
     *        failed record when it came no later than the failure.
     */
    void MatchRemoteEnds();

    /** \brief Sort the records by (start, sender host), stable, and renumber. */
    void Canonicalize();

    /**
     * \param p percentile in [0, 100]
     * \param sorted values, ascending
     * \return the nearest-rank percentile (0 if empty)
     */
    static double Percentile(const std::vector<double>& sorted, double p);

  private:
    std::function<Time(uint32_t, uint32_t, uint32_t)> m_unloaded; //!< ideal time
    std::vector<uint32_t> m_bucketHighs;                          //!< bucket upper bounds
    Time m_warmup;                                                //!< start of measurement
    std::vector<Record> m_records;                                //!< measured messages
    std::map<Key, uint64_t> m_pending;                            //!< key -> index in m_records
    uint64_t m_completed = 0;                                     //!< done
    uint64_t m_failed = 0;                                        //!< failed
    uint64_t m_collisions = 0;                                    //!< duplicate keys
    bool m_distributed = false;                     //!< keep ends of unknown keys (SetDistributed)
    std::vector<std::pair<Key, Time>> m_remoteEnds; //!< ends of keys another rank started
    std::map<Key, uint64_t> m_failedKeys;           //!< key -> failed record (for late ends)
};

} // namespace ns3

#endif /* MTP_MESSAGE_RECORDER_H */
