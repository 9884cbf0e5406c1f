/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The decisions of MTP's host model that need no simulator: RSS (which
 * receive queue, hence which GRO core, a packet lands on), interrupt
 * coalescing (when a queue raises its interrupt), GRO batching (which
 * packets of one NAPI poll travel together) and softirq steering (which core
 * runs a batch's protocol processing).
 *
 * Design notes
 * ------------
 * Every class here is clock-free: the caller passes the current time, so the
 * logic is unit tested without a simulator (test/host/mtp-host-logic-gtest.cc)
 * and MtpHostModel (mtp-host-model.h) only turns the decisions into events.
 *
 *  - MtpRss is a Toeplitz hash (the Microsoft RSS specification, which NICs
 *    implement) over source address, destination address and, optionally,
 *    the two ports, followed by a 128-entry indirection table filled round
 *    robin, as Linux fills it by default.  Every packet of one RPC in one
 *    direction has the same addresses and ports, so it lands on one queue.
 *  - MtpInterruptCoalescer implements the two thresholds of NIC interrupt
 *    moderation (ethtool rx-frames / rx-usecs): the interrupt fires when
 *    `maxFrames` packets wait or `maxDelay` has passed since the first.
 *  - MtpGroBatcher plays Homa's homa_gro_receive for one poll: packets of the
 *    same RPC are merged into one batch of at most MaxGroSkbs packets (a full
 *    batch leaves at once); the rest leave when the poll ends.  Short
 *    (single-packet) messages and control packets may bypass batching and
 *    be processed on the GRO core itself (Homa's SHORT_BYPASS and
 *    FAST_GRANTS bits).
 *  - The steering policies choose the softirq core of a batch: the GRO core
 *    itself; Homa's "gen2" (the first of the next CoresToCheck cores that has
 *    no softirq backlog and did no GRO work within GroBusyTime, else rotate
 *    among them); Homa's "gen3" (each GRO core has up to three fixed
 *    candidate cores; the first that ran no application work within BusyTime
 *    wins, else the first candidate).  They read an MtpCoreState per core,
 *    which the model keeps up to date.
 */

#ifndef MTP_HOST_LOGIC_H
#define MTP_HOST_LOGIC_H

#include "ns3/nstime.h"

#include <array>
#include <boost/container/static_vector.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-host
 * \brief What a steering policy may know about one core.
 */
struct MtpCoreState
{
    /// A time long before any simulation starts: "never happened".
    static Time Never()
    {
        return Seconds(-1000);
    }

    Time lastGro = Never();       //!< end of the last GRO (NAPI poll) work on the core
    Time lastAppActive = Never(); //!< end of the last application work on the core
    uint32_t softirqBacklog = 0;  //!< softirq batches queued on or running on the core
};

/**
 * \ingroup mtp-host
 * \brief Receive-side scaling: Toeplitz hash plus indirection table.
 */
class MtpRss
{
  public:
    /// Entries of the indirection table (Linux's default RETA size for many NICs).
    static constexpr uint32_t TABLE_SIZE = 128;
    /// Bytes of the hash key (the Microsoft specification's key length).
    static constexpr uint32_t KEY_SIZE = 40;

    /**
     * \brief A table spreading over `numQueues` queues round robin.
     * \param numQueues receive queues (>= 1)
     */
    explicit MtpRss(uint32_t numQueues = 1);

    /**
     * \brief The Toeplitz hash of `len` bytes with the specification's default key.
     * \param data the input (addresses then ports, network byte order)
     * \param len its length (at most KEY_SIZE - 4)
     * \return the 32-bit hash
     */
    static uint32_t Toeplitz(const uint8_t* data, uint32_t len);

    /**
     * \brief Hash an IPv4 flow.
     * \param src source address (host order, as Ipv4Address::Get)
     * \param dst destination address
     * \param sport source port
     * \param dport destination port
     * \param usePorts include the ports (NICs hash only addresses for protocols they do not
     * know)
     * \return the hash
     */
    static uint32_t HashV4(uint32_t src,
                           uint32_t dst,
                           uint16_t sport,
                           uint16_t dport,
                           bool usePorts);

    /**
     * \brief Hash an IPv6 flow.
     * \param src source address bytes
     * \param dst destination address bytes
     * \param sport source port
     * \param dport destination port
     * \param usePorts include the ports
     * \return the hash
     */
    static uint32_t HashV6(const uint8_t src[16],
                           const uint8_t dst[16],
                           uint16_t sport,
                           uint16_t dport,
                           bool usePorts);

    /**
     * \param hash a flow hash
     * \return the receive queue it maps to
     */
    uint32_t Queue(uint32_t hash) const;

    /** \return number of queues */
    uint32_t GetNumQueues() const;

  private:
    uint32_t m_numQueues;                     //!< queues the table spreads over
    std::array<uint32_t, TABLE_SIZE> m_table; //!< indirection table: hash bits -> queue
};

/**
 * \ingroup mtp-host
 * \brief One receive queue's interrupt moderation: a count and a time threshold.
 */
class MtpInterruptCoalescer
{
  public:
    /**
     * \param maxFrames packets that raise the interrupt at once (>= 1)
     * \param maxDelay longest a packet waits for the interrupt (0: at once)
     */
    MtpInterruptCoalescer(uint32_t maxFrames = 1, Time maxDelay = Time(0));

    /**
     * \brief A packet arrived.
     * \param now the current time
     * \return true if the interrupt must fire now (call Fire())
     */
    bool Arrive(Time now);

    /** \return packets waiting for the interrupt */
    uint32_t GetPending() const;

    /**
     * \return when the time threshold fires the interrupt (first arrival +
     *         maxDelay); meaningful only while GetPending() > 0
     */
    Time GetDeadline() const;

    /**
     * \brief The interrupt fires: every waiting packet goes to the poll.
     * \return the packets taken
     */
    uint32_t Fire();

  private:
    uint32_t m_maxFrames;   //!< count threshold (ethtool rx-frames)
    Time m_maxDelay;        //!< time threshold (ethtool rx-usecs)
    uint32_t m_pending = 0; //!< packets waiting since the last interrupt
    Time m_first;           //!< arrival of the oldest waiting packet
};

/**
 * \ingroup mtp-host
 * \brief GRO batching of one NAPI poll (Homa's homa_gro_receive).
 */
class MtpGroBatcher
{
  public:
    /// One packet of the poll, as GRO sees it.
    struct Item
    {
        uint64_t key = 0;    //!< RPC identity: packets with equal keys merge
        bool bypass = false; //!< processed at once on the GRO core (short message, control)
    };

    /// What happens after a packet of the poll was processed.
    struct Action
    {
        std::size_t after = 0;            //!< items processed before it (1 = after the first)
        bool bypass = false;              //!< one bypassing packet (members has one index)
        std::vector<std::size_t> members; //!< indices (into the poll) of the batch, in order
    };

    /** \param maxGroSkbs most packets in one batch (>= 1) */
    explicit MtpGroBatcher(uint32_t maxGroSkbs = 20);

    /**
     * \brief Plan the poll: bypasses in place, full batches as soon as full,
     *        the rest in order of their first packet when the poll ends
     *        (after == items.size()).
     * \param items the poll's packets, in arrival order
     * \return the actions, in time order
     */
    std::vector<Action> Plan(const std::vector<Item>& items) const;

  private:
    uint32_t m_maxGroSkbs; //!< batch limit (Homa's max_gro_skbs)
};

/**
 * \ingroup mtp-host
 * \brief Chooses the core that runs a GRO batch's softirq processing.
 */
class MtpSteeringPolicy
{
  public:
    virtual ~MtpSteeringPolicy() = default;

    /**
     * \param groCore the core that ran GRO for the batch
     * \param cores the state of every core
     * \param now the current time
     * \return the softirq core (an index into cores)
     */
    virtual uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) = 0;

    /** \return the policy's name ("same", "gen2", "gen3") */
    virtual std::string GetName() const = 0;
};

/**
 * \ingroup mtp-host
 * \brief Softirq on the GRO core itself (Homa's HOMA_GRO_SAME_CORE alone).
 */
class MtpSameCoreSteering : public MtpSteeringPolicy
{
  public:
    uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) override;
    std::string GetName() const override;
};

/**
 * \ingroup mtp-host
 * \brief Homa's gen2 steering: the first idle core among the next few.
 */
class MtpGen2Steering : public MtpSteeringPolicy
{
  public:
    /**
     * \param coresToCheck cores after the GRO core to examine (Homa: 4)
     * \param groBusyTime a core that did GRO work this recently is busy (Homa's gro_busy_usecs)
     */
    MtpGen2Steering(uint32_t coresToCheck, Time groBusyTime);

    uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) override;
    std::string GetName() const override;

  private:
    uint32_t m_coresToCheck;         //!< window of candidates after the GRO core
    Time m_groBusyTime;              //!< recent-GRO threshold
    std::vector<uint32_t> m_offsets; //!< per GRO core: rotation when every candidate is busy
};

/**
 * \ingroup mtp-host
 * \brief Homa's gen3 steering: fixed candidates, avoid cores running applications.
 */
class MtpGen3Steering : public MtpSteeringPolicy
{
  public:
    /// Most candidate softirq cores per GRO core (Homa's NUM_GEN3_SOFTIRQ_CORES).
    static constexpr std::size_t MAX_CANDIDATES = 3;
    /// The candidates of one GRO core, preferred first.
    using Candidates = boost::container::static_vector<uint32_t, MAX_CANDIDATES>;

    /**
     * \param table candidates per GRO core (index = GRO core); a GRO core
     *        without an entry (or an empty one) keeps its batches
     * \param busyTime a core that ran application work this recently is busy (Homa's busy_usecs)
     */
    MtpGen3Steering(std::vector<Candidates> table, Time busyTime);

    /**
     * \brief Homa-like default table: GRO core g offers g+1, g+2, g+3 (mod numCores,
     *        never g itself, at most numCores-1 of them).
     * \param numCores cores on the host
     * \return the table
     */
    static std::vector<Candidates> DefaultTable(uint32_t numCores);

    /**
     * \brief Parse "g:a,b,c;g2:d,e" (GRO core, colon, up to three candidates).
     * \param spec the text (empty: DefaultTable)
     * \param numCores cores on the host (every number must be below it)
     * \param[out] table the result
     * \return false (table untouched) if the text is malformed
     */
    static bool Parse(const std::string& spec, uint32_t numCores, std::vector<Candidates>& table);

    uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) override;
    std::string GetName() const override;

  private:
    std::vector<Candidates> m_table; //!< candidates per GRO core
    Time m_busyTime;                 //!< recent-application-work threshold
};

} // namespace ns3

#endif /* MTP_HOST_LOGIC_H */
