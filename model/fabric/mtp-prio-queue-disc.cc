/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-prio-queue-disc.h"

#include "ns3/drop-tail-queue.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPrioQueueDisc");

NS_OBJECT_ENSURE_REGISTERED(MtpPrioQueueDisc);

TypeId
MtpPrioQueueDisc::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpPrioQueueDisc")
            .SetParent<QueueDisc>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpPrioQueueDisc>()
            .AddAttribute("MaxSize",
                          "Packets the queue disc holds over all bands.",
                          QueueSizeValue(QueueSize("1000p")),
                          MakeQueueSizeAccessor(&QueueDisc::SetMaxSize, &QueueDisc::GetMaxSize),
                          MakeQueueSizeChecker())
            .AddAttribute("Bands",
                          "Priority bands; class selector p goes to band min(p, Bands-1).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&MtpPrioQueueDisc::m_bands),
                          MakeUintegerChecker<uint32_t>(1, 8))
            .AddAttribute("EcnThreshold",
                          "Mark ECN-capable packets CE when more than this many packets are "
                          "queued on arrival (DCTCP's K); 0 disables marking.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&MtpPrioQueueDisc::m_ecnThreshold),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

MtpPrioQueueDisc::MtpPrioQueueDisc()
    : QueueDisc(QueueDiscSizePolicy::MULTIPLE_QUEUES, QueueSizeUnit::PACKETS),
      m_bands(8),
      m_ecnThreshold(0)
{
    NS_LOG_FUNCTION(this);
}

MtpPrioQueueDisc::~MtpPrioQueueDisc()
{
    NS_LOG_FUNCTION(this);
}

uint32_t
MtpPrioQueueDisc::Classify(Ptr<const QueueDiscItem> item) const
{
    uint8_t ds = 0;
    if (!item->GetUint8Value(QueueItem::IP_DSFIELD, ds))
    {
        // Not IP: keep control traffic of the link layer ahead of everything.
        return m_bands - 1;
    }
    return std::min<uint32_t>(ds >> 5, m_bands - 1);
}

bool
MtpPrioQueueDisc::DoEnqueue(Ptr<QueueDiscItem> item)
{
    NS_LOG_FUNCTION(this << item);
    if (GetCurrentSize() >= GetMaxSize())
    {
        DropBeforeEnqueue(item, LIMIT_EXCEEDED_DROP);
        return false;
    }
    if (m_ecnThreshold > 0 && GetCurrentSize().GetValue() > m_ecnThreshold)
    {
        // Mark() sets CE only on ECN-capable packets and reports whether it did.
        Mark(item, ECN_THRESHOLD_MARK);
    }
    return m_bandQueue[Classify(item)]->Enqueue(item);
}

Ptr<QueueDiscItem>
MtpPrioQueueDisc::DoDequeue()
{
    for (auto q = m_bandQueue.rbegin(); q != m_bandQueue.rend(); ++q)
    {
        if (!(*q)->IsEmpty())
        {
            return (*q)->Dequeue();
        }
    }
    return nullptr;
}

bool
MtpPrioQueueDisc::CheckConfig()
{
    if (GetNQueueDiscClasses() > 0 || GetNPacketFilters() > 0)
    {
        NS_LOG_ERROR("MtpPrioQueueDisc takes no classes and no packet filters");
        return false;
    }
    if (GetNInternalQueues() == 0)
    {
        ObjectFactory factory;
        factory.SetTypeId("ns3::DropTailQueue<QueueDiscItem>");
        // The shared limit is checked in DoEnqueue; each band may hold all of it.
        factory.Set("MaxSize", QueueSizeValue(GetMaxSize()));
        for (uint32_t b = 0; b < m_bands; ++b)
        {
            AddInternalQueue(factory.Create<InternalQueue>());
        }
    }
    if (GetNInternalQueues() != m_bands)
    {
        NS_LOG_ERROR("MtpPrioQueueDisc needs exactly Bands internal queues");
        return false;
    }
    return true;
}

void
MtpPrioQueueDisc::InitializeParams()
{
    // CheckConfig ran first: exactly m_bands internal queues exist.
    m_bandQueue.clear();
    for (std::size_t b = 0; b < GetNInternalQueues(); ++b)
    {
        m_bandQueue.push_back(PeekPointer(GetInternalQueue(b)));
    }
}

} // namespace ns3
