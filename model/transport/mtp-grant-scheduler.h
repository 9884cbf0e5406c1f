/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpGrantScheduler: the receiver's half of Homa's congestion control.
 *
 * Design notes
 * ------------
 * Every inbound message longer than its unscheduled part needs grants.  The
 * scheduler ranks those messages by bytes still missing (SRPT: shortest
 * remaining first, ties broken by arrival order) and grants to the first
 * `MaxOvercommit` of them, each up to `Window` bytes beyond what has arrived.
 * Overcommitment (granting to several messages at once) keeps the downlink
 * busy when a sender is slow to answer a grant.
 *
 * Invariants the tests check:
 *  - at most MaxOvercommit messages hold scheduled grants not yet received
 *    ("active" messages).  A message leaves the active set when everything
 *    granted to it has arrived; a shorter newcomer waits for a free slot,
 *    which costs at most about one RTT, and the FIFO grant aside, never
 *    overtakes that bound;
 *  - the sum over messages of granted-but-not-received bytes stays at or
 *    under MaxIncoming;
 *  - priorities: rank 0 gets the highest scheduled level.  When fewer
 *    messages are ranked than there are scheduled levels, the lowest levels
 *    are used (as Homa does), leaving higher levels for a shorter newcomer.
 *  - FIFO grants: a `FifoFraction` (per mille) of granted bytes goes to the
 *    oldest message so that a long message cannot starve forever.  A FIFO
 *    grant may exceed the overcommit bound; set FifoFraction to 0 to disable.
 *
 * Cost: entries sit in two Boost.Intrusive red-black trees (by SRPT key and
 * by age) whose hooks live in the entry, so each packet costs O(log n) to
 * re-rank plus O(MaxOvercommit) to recompute grants, never O(n).
 *
 * The scheduler owns no memory and knows no clock: entries belong to the
 * caller's inbound messages.
 */

#ifndef MTP_GRANT_SCHEDULER_H
#define MTP_GRANT_SCHEDULER_H

#include <boost/intrusive/set.hpp>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief Receiver-side SRPT grant scheduler with overcommitment.
 */
class MtpGrantScheduler
{
  public:
    /// Hook tag for the SRPT-ordered tree.
    struct BySrptTag;
    /// Hook tag for the age-ordered tree.
    struct ByAgeTag;

    /**
     * \brief One message that may need grants.  Embedded in (or owned
     *        alongside) the caller's inbound message; the scheduler links it
     *        into its trees without copying.
     */
    class Entry : public boost::intrusive::set_base_hook<boost::intrusive::tag<BySrptTag>>,
                  public boost::intrusive::set_base_hook<boost::intrusive::tag<ByAgeTag>>
    {
      public:
        uint64_t cookie = 0;      //!< caller's handle (e.g. an RPC id); returned in Grants
        uint64_t order = 0;       //!< arrival order, set by Add(); ties and FIFO use it
        uint32_t length = 0;      //!< message length
        uint32_t received = 0;    //!< distinct bytes received
        uint32_t granted = 0;     //!< offset granted so far (starts at the unscheduled bytes)
        uint32_t unscheduled = 0; //!< bytes the sender sends without grants
        bool active =
            false; //!< holds scheduled grants not yet received (counted toward overcommit)
        bool linked = false; //!< currently in the scheduler

        /** \return bytes still missing: the SRPT key */
        uint32_t Remaining() const
        {
            return length - received;
        }
    };

    /// A grant decision: tell the sender of `entry` it may send below `offset` at `priority`.
    struct Grant
    {
        Entry* entry;      //!< the message
        uint32_t offset;   //!< new granted offset
        uint8_t priority;  //!< scheduled priority for the granted bytes
        bool fifo = false; //!< given to the oldest message (a FIFO grant), not by SRPT
    };

    /// Tunables, all Attributes of MtpL4Protocol.
    struct Config
    {
        uint32_t window = 10000;             //!< grant up to this many bytes beyond received
        uint32_t maxOvercommit = 8;          //!< messages that may hold outstanding grants at once
        uint32_t maxIncoming = 400000;       //!< cap on total granted-but-unreceived bytes
        uint8_t maxSchedPriority = 3;        //!< highest scheduled priority level (lowest is 0)
        uint32_t fifoFractionPerMille = 50;  //!< share of grant bytes given to the oldest message
        uint32_t fifoGrantIncrement = 10000; //!< bytes per FIFO grant
    };

    MtpGrantScheduler();
    /** \param config the tunables */
    explicit MtpGrantScheduler(const Config& config);
    ~MtpGrantScheduler();

    MtpGrantScheduler(const MtpGrantScheduler&) = delete;
    MtpGrantScheduler& operator=(const MtpGrantScheduler&) = delete;

    /** \param config new tunables (take effect at the next Schedule()) */
    void SetConfig(const Config& config);
    /** \return the tunables */
    const Config& GetConfig() const;

    /**
     * \brief Start scheduling a message.  Fill length, received, granted,
     *        unscheduled and cookie first.  Messages already fully granted
     *        need not be added.
     * \param e the entry (must not be linked)
     */
    void Add(Entry* e);

    /**
     * \brief Record that more bytes of a message arrived (re-ranks it).
     * \param e a linked entry
     * \param received new distinct byte count
     */
    void Update(Entry* e, uint32_t received);

    /**
     * \brief Stop scheduling a message (complete, aborted or freed).  Safe on
     *        an unlinked entry.
     * \param e the entry
     */
    void Remove(Entry* e);

    /**
     * \brief Decide the grants to send now.  Updates each granted entry's
     *        `granted` and `active` fields.
     * \return the grants, highest priority first; only grants that raise an offset
     */
    std::vector<Grant> Schedule();

    /** \return number of messages in the scheduler */
    std::size_t GetSize() const;
    /** \return number of messages holding outstanding scheduled grants */
    uint32_t GetActiveCount() const;
    /** \return total granted-but-unreceived bytes over all messages */
    uint64_t GetOutstandingBytes() const;

    /**
     * \brief SRPT rank of a message (0 = shortest remaining), O(rank).
     * \param e a linked entry
     * \return its rank, or GetSize() if not linked
     */
    std::size_t GetRank(const Entry* e) const;

  private:
    /// Orders entries by remaining bytes, then arrival.
    struct SrptLess
    {
        bool operator()(const Entry& a, const Entry& b) const
        {
            return a.Remaining() != b.Remaining() ? a.Remaining() < b.Remaining()
                                                  : a.order < b.order;
        }
    };

    /// Orders entries by arrival.
    struct AgeLess
    {
        bool operator()(const Entry& a, const Entry& b) const
        {
            return a.order < b.order;
        }
    };

    /// SRPT tree type.
    using SrptSet =
        boost::intrusive::set<Entry,
                              boost::intrusive::base_hook<boost::intrusive::set_base_hook<
                                  boost::intrusive::tag<BySrptTag>>>,
                              boost::intrusive::compare<SrptLess>,
                              boost::intrusive::constant_time_size<true>>;
    /// Age tree type.
    using AgeSet =
        boost::intrusive::set<Entry,
                              boost::intrusive::base_hook<
                                  boost::intrusive::set_base_hook<boost::intrusive::tag<ByAgeTag>>>,
                              boost::intrusive::compare<AgeLess>,
                              boost::intrusive::constant_time_size<true>>;

    /** Recompute e->active and the active count after e's counters changed. */
    void RefreshActive(Entry* e);

    Config m_config;                 //!< tunables
    SrptSet m_bySrpt;                //!< entries by remaining bytes
    AgeSet m_byAge;                  //!< entries by arrival
    uint64_t m_nextOrder = 0;        //!< arrival counter
    uint32_t m_activeCount = 0;      //!< entries with active == true
    uint64_t m_outstanding = 0;      //!< sum of max(0, granted - received)
    uint64_t m_grantedSinceFifo = 0; //!< scheduled grant bytes since the last FIFO grant
};

} // namespace ns3

#endif /* MTP_GRANT_SCHEDULER_H */
