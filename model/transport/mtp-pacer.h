/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPacer: the sender's half of Homa's congestion control.
 *
 * Design notes
 * ------------
 * Homa keeps the NIC's transmit queue short so that a packet of a short
 * message, or a control packet, never waits behind a long backlog in the
 * host: the pacer estimates when the link will be idle (Linux Homa's
 * link_idle_time) and releases a data packet only while the queue in front
 * of it holds at most `MaxNicQueue` of transmit time.  Among the outbound
 * messages that have granted bytes to send, it picks the one with the fewest
 * bytes left (SRPT).
 *
 * The estimate is explicit and clock-free: the caller passes the current
 * time to every query, so the class is tested without a simulator.  Every
 * packet the host sends (paced or not: control packets and short messages
 * bypass the queue check but still occupy the link) must be reported with
 * OnTransmit().
 *
 * Messages shorter than `ThrottleMinBytes` bypass the pacer entirely (as
 * Homa's throttle_min_bytes), since pacing them costs more than it saves.
 */

#ifndef MTP_PACER_H
#define MTP_PACER_H

#include "ns3/nstime.h"

#include <boost/intrusive/set.hpp>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief Sender-side SRPT queue of outbound messages plus an NIC queue estimate.
 */
class MtpPacer
{
  public:
    /**
     * \brief One outbound message with bytes to send, embedded in the
     *        caller's RPC state and linked without copying.
     */
    class Entry : public boost::intrusive::set_base_hook<>
    {
      public:
        uint64_t cookie = 0;    //!< caller's handle (e.g. the RPC id)
        uint64_t order = 0;     //!< enqueue order, set by Enqueue(); breaks ties
        uint32_t remaining = 0; //!< bytes not yet sent: the SRPT key
        bool linked = false;    //!< currently queued
    };

    /// Tunables, Attributes of MtpL4Protocol.
    struct Config
    {
        uint64_t linkBitsPerSecond = 10000000000ULL; //!< NIC rate used for the estimate
        Time maxNicQueue = MicroSeconds(2);          //!< most transmit time allowed queued
        uint32_t throttleMinBytes = 1000;            //!< shorter messages bypass pacing
    };

    MtpPacer();
    /** \param config the tunables */
    explicit MtpPacer(const Config& config);
    ~MtpPacer();

    MtpPacer(const MtpPacer&) = delete;
    MtpPacer& operator=(const MtpPacer&) = delete;

    /** \param config new tunables */
    void SetConfig(const Config& config);
    /** \return the tunables */
    const Config& GetConfig() const;

    /** \param e an unlinked entry with `remaining` set: queue it */
    void Enqueue(Entry* e);
    /** \param e an entry: unlink it if linked */
    void Remove(Entry* e);
    /**
     * \brief Re-rank a queued message after it sent bytes.
     * \param e a linked entry
     * \param remaining its new count of unsent bytes
     */
    void Update(Entry* e, uint32_t remaining);
    /** \return the queued message with the fewest remaining bytes, or nullptr */
    Entry* Front() const;
    /** \return number of queued messages */
    std::size_t GetSize() const;

    /**
     * \param now current time
     * \return true if a paced packet may go now (the queued transmit time is at most MaxNicQueue)
     */
    bool CanSend(Time now) const;

    /**
     * \brief Account a packet handed to the NIC.
     * \param now current time
     * \param wireBytes bytes the packet occupies on the link (with IP and link headers)
     */
    void OnTransmit(Time now, uint32_t wireBytes);

    /**
     * \param now current time
     * \return the transmit time queued in the NIC now (zero if idle)
     */
    Time GetQueuedTime(Time now) const;

    /**
     * \param now current time
     * \return the earliest time at which CanSend() will be true (now if it already is)
     */
    Time GetNextSendTime(Time now) const;

    /**
     * \param length message length
     * \return true if a message of that length bypasses pacing
     */
    bool Bypasses(uint32_t length) const;

    /**
     * \param wireBytes bytes on the link
     * \return their transmit time at the configured rate (rounded up to the ns-3 time unit)
     */
    Time TransmitTime(uint32_t wireBytes) const;

  private:
    /// Orders entries by remaining bytes, then enqueue order.
    struct Less
    {
        bool operator()(const Entry& a, const Entry& b) const
        {
            return a.remaining != b.remaining ? a.remaining < b.remaining : a.order < b.order;
        }
    };

    /// Queue type.
    using Queue = boost::intrusive::
        set<Entry, boost::intrusive::compare<Less>, boost::intrusive::constant_time_size<true>>;

    Config m_config;          //!< tunables
    Queue m_queue;            //!< messages with granted bytes to send
    uint64_t m_nextOrder = 0; //!< enqueue counter
    Time m_linkIdle;          //!< when the NIC will have sent everything handed to it
};

} // namespace ns3

#endif /* MTP_PACER_H */
