/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The decisions of MTP's host model that need no simulator: RSS (which
 * receive queue, hence which GRO core, a packet lands on), interrupt
 * coalescing (when a queue raises its interrupt) and GRO batching (which
 * packets of one NAPI poll travel together).  Softirq steering (which core
 * runs a batch's protocol processing) has its own file,
 * mtp-steering-policy.h, as the policies are ns-3 Objects.
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
 */

#ifndef MTP_HOST_LOGIC_H
#define MTP_HOST_LOGIC_H

#include "ns3/nstime.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

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

} // namespace ns3

#endif /* MTP_HOST_LOGIC_H */
