/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-prio-queue.h"

#include "ns3/ipv4-header.h"
#include "ns3/ipv6-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/ppp-header.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <iterator>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPrioQueue");

NS_OBJECT_ENSURE_REGISTERED(MtpPrioQueue);

TypeId
MtpPrioQueue::GetTypeId()
{
    static TypeId tid =
        // Named with its item type, as ns-3 names queues: helpers such as
        // PointToPointHelper::SetQueue append "<Packet>" to the name given.
        TypeId("ns3::MtpPrioQueue<Packet>")
            .SetParent<Queue<Packet>>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpPrioQueue>()
            .AddAttribute(
                "MaxPackets",
                "Packets the queue holds over all bands; one more is dropped.",
                UintegerValue(1000),
                MakeUintegerAccessor(&MtpPrioQueue::SetMaxPackets, &MtpPrioQueue::GetMaxPackets),
                MakeUintegerChecker<uint32_t>(1, std::numeric_limits<uint32_t>::max() - 1))
            .AddAttribute("Bands",
                          "Priority bands; class selector p goes to band min(p, Bands-1).",
                          UintegerValue(MAX_BANDS),
                          MakeUintegerAccessor(&MtpPrioQueue::SetBands, &MtpPrioQueue::GetBands),
                          MakeUintegerChecker<uint32_t>(1, MAX_BANDS))
            .AddAttribute("EcnThreshold",
                          "Mark ECN-capable packets CE when more than this many packets are "
                          "queued on arrival (DCTCP's K); 0 disables marking.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&MtpPrioQueue::m_ecnThreshold),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Mark",
                            "A packet was marked CE (the packet as rewritten).",
                            MakeTraceSourceAccessor(&MtpPrioQueue::m_markTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

MtpPrioQueue::MtpPrioQueue()
    : m_maxPackets(1000),
      m_bands(MAX_BANDS),
      m_ecnThreshold(0),
      m_nMarked(0),
      NS_LOG_TEMPLATE_DEFINE("MtpPrioQueue")
{
    NS_LOG_FUNCTION(this);
    m_count.fill(0);
    SetMaxPackets(m_maxPackets);
}

MtpPrioQueue::~MtpPrioQueue()
{
    NS_LOG_FUNCTION(this);
}

void
MtpPrioQueue::SetMaxPackets(uint32_t n)
{
    NS_ABORT_MSG_IF(GetNPackets() > n,
                    "MtpPrioQueue: MaxPackets " << n << " below the " << GetNPackets()
                                                << " packets queued");
    m_maxPackets = n;
    // One above our limit: see "Flow control" in the header.
    SetMaxSize(QueueSize(QueueSizeUnit::PACKETS, n + 1));
}

void
MtpPrioQueue::SetBands(uint32_t bands)
{
    // Packets already queued were placed by the old band count.
    NS_ABORT_MSG_IF(!IsEmpty(),
                    "MtpPrioQueue: Bands changed while " << GetNPackets() << " packets are queued");
    m_bands = bands;
}

uint32_t
MtpPrioQueue::GetBands() const
{
    return m_bands;
}

uint32_t
MtpPrioQueue::GetMaxPackets() const
{
    return m_maxPackets;
}

MtpPrioQueue::IpInfo
MtpPrioQueue::Inspect(Ptr<const Packet> p)
{
    IpInfo info;
    uint8_t b[4];
    if (p->GetSize() < sizeof(b))
    {
        return info;
    }
    p->CopyData(b, sizeof(b));
    const uint16_t proto = static_cast<uint16_t>((b[0] << 8) | b[1]);
    if (proto == PPP_IPV4 && (b[2] >> 4) == 4)
    {
        info.ip = true;
        info.ds = b[3];
    }
    else if (proto == PPP_IPV6 && (b[2] >> 4) == 6)
    {
        info.ip = true;
        info.ipv6 = true;
        info.ds = static_cast<uint8_t>(((b[2] & 0x0f) << 4) | (b[3] >> 4));
    }
    return info;
}

uint32_t
MtpPrioQueue::Classify(Ptr<const Packet> p) const
{
    return BandOf(Inspect(p));
}

uint32_t
MtpPrioQueue::BandOf(const IpInfo& info) const
{
    if (!info.ip)
    {
        // Not IP: keep control traffic of the link layer ahead of everything.
        return m_bands - 1;
    }
    return std::min<uint32_t>(info.ds >> 5, m_bands - 1);
}

uint32_t
MtpPrioQueue::GetBandPackets(uint32_t band) const
{
    return band < MAX_BANDS ? m_count[band] : 0;
}

uint64_t
MtpPrioQueue::GetNMarked() const
{
    return m_nMarked;
}

bool
MtpPrioQueue::Enqueue(Ptr<Packet> item)
{
    NS_LOG_FUNCTION(this << item);
    if (GetNPackets() >= m_maxPackets)
    {
        DropBeforeEnqueue(item);
        return false;
    }
    const IpInfo info = Inspect(item);
    const uint32_t band = BandOf(info);
    const uint8_t ecn = info.ds & 0x3;
    if (m_ecnThreshold > 0 && info.ip && (ecn == 0x1 || ecn == 0x2) &&
        GetNPackets() > m_ecnThreshold)
    {
        MarkCe(item, info);
    }
    // Behind every packet of this band and of the bands above it: after the
    // last packet of the lowest non-empty band >= band, else at the head.
    ConstIterator pos = GetContainer().begin();
    for (uint32_t b = band; b < m_bands; ++b)
    {
        if (m_count[b] > 0)
        {
            pos = std::next(ConstIterator(m_last[b]));
            break;
        }
    }
    NS_LOG_LOGIC("band " << band << " ds " << +info.ds << " queued " << GetNPackets());
    Iterator ret;
    if (!DoEnqueue(pos, item, ret))
    {
        return false;
    }
    m_last[band] = ret;
    ++m_count[band];
    return true;
}

uint32_t
MtpPrioQueue::TopBand() const
{
    for (uint32_t b = m_bands; b-- > 0;)
    {
        if (m_count[b] > 0)
        {
            return b;
        }
    }
    NS_ABORT_MSG("MtpPrioQueue: band counts disagree with the queue");
    return 0;
}

Ptr<Packet>
MtpPrioQueue::TakeHead(bool remove)
{
    if (IsEmpty())
    {
        return nullptr;
    }
    // The head is the oldest packet of the highest non-empty band.
    const uint32_t band = TopBand();
    Ptr<Packet> p = remove ? DoRemove(GetContainer().begin()) : DoDequeue(GetContainer().begin());
    --m_count[band];
    return p;
}

Ptr<Packet>
MtpPrioQueue::Dequeue()
{
    NS_LOG_FUNCTION(this);
    return TakeHead(false);
}

Ptr<Packet>
MtpPrioQueue::Remove()
{
    NS_LOG_FUNCTION(this);
    return TakeHead(true);
}

Ptr<const Packet>
MtpPrioQueue::Peek() const
{
    NS_LOG_FUNCTION(this);
    return IsEmpty() ? nullptr : DoPeek(GetContainer().begin());
}

void
MtpPrioQueue::MarkCe(Ptr<Packet> p, const IpInfo& info)
{
    PppHeader ppp;
    p->RemoveHeader(ppp);
    if (info.ipv6)
    {
        Ipv6Header h;
        p->RemoveHeader(h);
        h.SetEcn(Ipv6Header::ECN_CE);
        p->AddHeader(h);
    }
    else
    {
        Ipv4Header h;
        if (Node::ChecksumEnabled())
        {
            h.EnableChecksum();
        }
        p->RemoveHeader(h);
        h.SetEcn(Ipv4Header::ECN_CE);
        p->AddHeader(h);
    }
    p->AddHeader(ppp);
    ++m_nMarked;
    m_markTrace(p);
}

} // namespace ns3
