/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPrioQueue: a strict-priority transmit queue for point-to-point devices,
 * the fast model of a switch port.
 *
 * Design notes
 * ------------
 * MtpPrioQueueDisc gives a port strict priority through ns-3's traffic
 * control layer: the queue disc holds the backlog and the device holds one
 * packet.  That is faithful but costs, per packet and per hop, a queue disc
 * item, the traffic control machinery and one extra event (the device queue
 * "wake" that restarts the queue disc after each transmission): about a
 * third of the events of a datacenter run.  A switch port is simpler than a
 * host's qdisc stack: the device's own transmit queue can be the priority
 * queue, and the port then needs no queue disc at all.
 *
 * This queue is that.  It reads the priority where MtpPrioQueueDisc does,
 * from the class selector (top three bits) of the IPv4 TOS or IPv6 traffic
 * class byte, here behind the 2-byte PPP header that PointToPointNetDevice
 * adds before it queues a packet.  Packets that are not IP (or too short to
 * say) go to the top band.  The highest non-empty band is always served
 * first, FIFO within a band; the bands share one limit (MaxPackets) and a
 * packet arriving at a full queue is dropped (no push-out) and counted by the
 * Queue base class's DropBeforeEnqueue trace and statistics.
 *
 * Storage: one std::list (the Queue base class's container), kept sorted by
 * band, highest first, with an iterator to the last packet of every
 * non-empty band, so that enqueue and dequeue are O(bands).
 *
 * ECN: when EcnThreshold is non-zero, an ECN-capable packet (ECT(0) or
 * ECT(1)) that arrives while more than EcnThreshold packets are queued is
 * marked CE: DCTCP's step marking with threshold K, so the same port model
 * serves the TCP/DCTCP baseline.  The IP header is rewritten (and its IPv4
 * checksum recomputed when checksums are enabled).
 *
 * Flow control: the traffic control layer, when a device has no queue disc,
 * drops without any trace a packet whose device queue is "stopped", and
 * NetDeviceQueue stops it as soon as the queue is full by QueueBase's
 * MaxSize.  So this queue sets the base MaxSize one packet above its own
 * limit: the device queue is never stopped, and every overflow is dropped
 * here, where it is counted.
 */

#ifndef MTP_PRIO_QUEUE_H
#define MTP_PRIO_QUEUE_H

#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/queue.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup mtp-fabric
 * \brief Strict priority by IP class selector as a point-to-point device's
 *        transmit queue, with optional DCTCP marking.
 */
class MtpPrioQueue : public Queue<Packet>
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpPrioQueue();
    ~MtpPrioQueue() override;

    /// Most bands a queue can have: one per class selector.
    static constexpr uint32_t MAX_BANDS = 8;
    /// PPP protocol numbers (RFC 1661/5072) that announce an IP packet.
    static constexpr uint16_t PPP_IPV4 = 0x0021;
    static constexpr uint16_t PPP_IPV6 = 0x0057;

    /// What the first bytes of a PPP frame say about its IP header.
    struct IpInfo
    {
        bool ip = false;   //!< the frame carries IPv4 or IPv6
        bool ipv6 = false; //!< IPv6 (else IPv4); meaningful when ip
        uint8_t ds = 0;    //!< the TOS / traffic class byte, ECN bits included
    };

    /**
     * \brief Reads the TOS / traffic class byte of a PPP frame, without
     *        deserializing any header (4 bytes are copied).
     * \param p a packet that starts with a PPP header
     * \return what was found; ip is false for anything shorter than 4 bytes or
     *         not IPv4/IPv6 by its PPP protocol and IP version nibble
     */
    static IpInfo Inspect(Ptr<const Packet> p);

    /**
     * \param p a packet that starts with a PPP header
     * \return its band: min(class selector, Bands-1); non-IP: Bands-1
     */
    uint32_t Classify(Ptr<const Packet> p) const;

    /**
     * \param band a band index, below Bands
     * \return packets queued in that band now
     */
    uint32_t GetBandPackets(uint32_t band) const;

    /** \return the number of bands (the Bands attribute) */
    uint32_t GetBands() const;

    /** \return the shared limit (the MaxPackets attribute) */
    uint32_t GetMaxPackets() const;

    /** \return packets CE-marked so far */
    uint64_t GetNMarked() const;

    // Queue<Packet>
    bool Enqueue(Ptr<Packet> item) override;
    Ptr<Packet> Dequeue() override;
    Ptr<Packet> Remove() override;
    Ptr<const Packet> Peek() const override;

  private:
    using Queue<Packet>::GetContainer;
    using Queue<Packet>::DoEnqueue;
    using Queue<Packet>::DoDequeue;
    using Queue<Packet>::DoRemove;
    using Queue<Packet>::DoPeek;

    /// Attribute setter: the shared limit, and the base MaxSize one above it.
    void SetMaxPackets(uint32_t n);
    /// Attribute setter: the band count; only while the queue is empty.
    void SetBands(uint32_t bands);
    /// \return the band of a frame Inspect() described (see Classify)
    uint32_t BandOf(const IpInfo& info) const;
    /// \return the highest non-empty band; only called when not empty
    uint32_t TopBand() const;
    /// Takes the head packet out (Dequeue and Remove differ only in tracing).
    Ptr<Packet> TakeHead(bool remove);
    /**
     * Rewrites the IP header of an ECN-capable packet with CE.
     * \param p the packet (PPP header first)
     * \param info what Inspect() found; info.ip is true
     */
    void MarkCe(Ptr<Packet> p, const IpInfo& info);

    uint32_t m_maxPackets;   //!< shared limit over all bands
    uint32_t m_bands;        //!< number of bands (1..MAX_BANDS)
    uint32_t m_ecnThreshold; //!< mark above this many queued packets (0 = never)
    uint64_t m_nMarked;      //!< packets marked CE
    /// Packets per band.
    std::array<uint32_t, MAX_BANDS> m_count;
    /// Last packet of every non-empty band (stale for empty bands).
    std::array<Iterator, MAX_BANDS> m_last;
    /// Fired for every packet marked CE (after the rewrite).
    TracedCallback<Ptr<const Packet>> m_markTrace;

    /// Queue<Packet> has a g_log member that would hide this file's log
    /// component; declare ours as a member too (as DropTailQueue does).
    NS_LOG_TEMPLATE_DECLARE;
};

} // namespace ns3

#endif /* MTP_PRIO_QUEUE_H */
