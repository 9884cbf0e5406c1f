/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPrioQueueDisc: a strict-priority queue disc for switch ports that
 * reads MTP's priority from the IP header.
 *
 * MTP (like Homa) carries its priority in the top three bits of the DSCP
 * (IPv4) or traffic class (IPv6) byte: class selector CS0..CS7.  A packet
 * with class selector p goes to band p; the queue disc always serves the
 * highest non-empty band.  Non-IP packets (ARP, NDP on some devices) go to
 * the highest band.  Because it reads the header rather than an ns-3 packet
 * tag, the priority survives routers and shows in pcap traces.
 *
 * The bands share one limit (MaxSize, in packets).  Optionally, ECN-capable
 * packets are CE-marked when the whole queue holds more than EcnThreshold
 * packets on arrival: DCTCP's step marking with threshold K, so the same
 * switch model serves the TCP/DCTCP baseline.
 */

#ifndef MTP_PRIO_QUEUE_DISC_H
#define MTP_PRIO_QUEUE_DISC_H

#include "ns3/queue-disc.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-fabric
 * \brief Strict priority by IP class selector, with optional DCTCP marking.
 */
class MtpPrioQueueDisc : public QueueDisc
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpPrioQueueDisc();
    ~MtpPrioQueueDisc() override;

    /// Drop reason when the shared limit is reached.
    static constexpr const char* LIMIT_EXCEEDED_DROP = "Queue disc limit exceeded";
    /// Mark reason for DCTCP step marking.
    static constexpr const char* ECN_THRESHOLD_MARK = "Above ECN threshold";

    /**
     * \param item a packet
     * \return the band it belongs to (0 = lowest priority)
     */
    uint32_t Classify(Ptr<const QueueDiscItem> item) const;

  private:
    bool DoEnqueue(Ptr<QueueDiscItem> item) override;
    Ptr<QueueDiscItem> DoDequeue() override;
    bool CheckConfig() override;
    void InitializeParams() override;

    uint32_t m_bands;        //!< number of bands (1..8)
    uint32_t m_ecnThreshold; //!< mark above this many queued packets (0 = never)
    /// The internal queues by band, cached at InitializeParams: the queue disc
    /// runs for every packet at every hop, and QueueDisc::GetInternalQueue
    /// costs a smart-pointer copy per call.
    std::vector<InternalQueue*> m_bandQueue;
};

} // namespace ns3

#endif /* MTP_PRIO_QUEUE_DISC_H */
