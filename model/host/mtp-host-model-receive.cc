/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHostModel's receive path, from the NIC to MTP's protocol processing:
 * RSS picks a packet's receive queue, the queue's interrupt coalescing
 * decides when its NAPI poll is queued on the GRO core, the poll plans GRO
 * batches (and inline bypass processing), and the steering policy hands
 * each batch to a softirq core, where MTP processes its packets.  The rest
 * of the class (cores, application threads, transmit, read-out) is in
 * mtp-host-model.cc; the model's design notes are in mtp-host-model.h.
 */

#include "ns3/log.h"
#include "ns3/mtp-host-model.h"
#include "ns3/simulator.h"

#include <boost/container_hash/hash.hpp>

namespace ns3
{

// A component of its own: one log component per file (ns-3 defines them as
// file statics).  NS_LOG=MtpHostModelReceive shows the receive decisions.
NS_LOG_COMPONENT_DEFINE("MtpHostModelReceive");

uint64_t
MtpHostModel::GroKey(const RxPacket& pkt)
{
    std::size_t seed = 0;
    uint8_t buf[16];
    pkt.src.GetIpv6().GetBytes(buf);
    for (uint8_t b : buf)
    {
        boost::hash_combine(seed, b);
    }
    boost::hash_combine(seed, pkt.sport);
    boost::hash_combine(seed, pkt.senderId);
    return seed;
}

uint32_t
MtpHostModel::GetRxQueue(const RxPacket& pkt) const
{
    uint32_t hash;
    if (pkt.src.IsIpv4() && pkt.dst.IsIpv4())
    {
        hash = MtpRss::HashV4(pkt.src.GetIpv4().Get(),
                              pkt.dst.GetIpv4().Get(),
                              pkt.sport,
                              pkt.dport,
                              m_rssPorts);
    }
    else
    {
        uint8_t s[16];
        uint8_t d[16];
        pkt.src.GetIpv6().GetBytes(s);
        pkt.dst.GetIpv6().GetBytes(d);
        hash = MtpRss::HashV6(s, d, pkt.sport, pkt.dport, m_rssPorts);
    }
    return m_rss.Queue(hash);
}

void
MtpHostModel::Receive(const RxPacket& info, Ptr<const Packet> p, std::function<void()> process)
{
    Setup();
    RxPacket pkt = info;
    if (pkt.type == MtpPacketType::DATA && p->GetSize() >= MtpDataHeader::SIZE)
    {
        // A message that fits in this one packet: Homa's short-message bypasses.
        MtpDataHeader h;
        p->PeekHeader(h);
        pkt.shortMessage =
            h.GetOffset() == 0 && p->GetSize() - MtpDataHeader::SIZE >= h.GetMessageLength();
    }
    Time now = Simulator::Now();
    uint32_t q = GetRxQueue(pkt);
    RxQueue& rq = m_rxQueues[q];
    RxItem item{pkt, std::move(process), MtpHostPacketTimes()};
    item.times.nicArrival = now;
    item.times.rxQueue = q;
    item.times.rpc = GroKey(pkt);
    rq.waiting.push_back(std::move(item));
    NS_LOG_LOGIC("packet of " << pkt.src << ":" << pkt.sport << " id " << pkt.senderId
                              << " on queue " << q);
    if (rq.coalescer.Arrive(now))
    {
        rq.timer.Cancel();
        Interrupt(q);
    }
    else if (rq.coalescer.GetPending() == 1)
    {
        Ptr<MtpHostModel> self(this);
        rq.timer = Simulator::Schedule(rq.coalescer.GetDeadline() - now, [self, q]() {
            if (!self->m_disposed)
            {
                self->Interrupt(q);
            }
        });
    }
}

void
MtpHostModel::Interrupt(uint32_t queue)
{
    RxQueue& rq = m_rxQueues[queue];
    uint32_t n = rq.coalescer.Fire();
    if (n == 0)
    {
        return;
    }
    Time now = Simulator::Now();
    auto items = std::make_shared<std::vector<RxItem>>(std::move(rq.waiting));
    rq.waiting.clear();
    for (auto& it : *items)
    {
        it.times.interrupt = now;
    }
    uint32_t core = queue % m_numCores;
    m_interruptTrace(queue, n);
    ++m_stats[core].interrupts;
    Work w;
    w.kind = GRO;
    Ptr<MtpHostModel> self(this);
    w.start = [self, core, items](Time start) { return self->RunPoll(core, items, start); };
    Enqueue(core, std::move(w));
}

Time
MtpHostModel::RunPoll(uint32_t core, std::shared_ptr<std::vector<RxItem>> items, Time start)
{
    std::vector<MtpGroBatcher::Item> gro;
    gro.reserve(items->size());
    for (const auto& it : *items)
    {
        bool bypass = it.pkt.type == MtpPacketType::DATA ? (m_shortBypass && it.pkt.shortMessage)
                                                         : m_controlBypass;
        gro.push_back(MtpGroBatcher::Item{GroKey(it.pkt), bypass});
    }
    // after[k]: when the first k packets of the poll are done (bypass work included).
    std::vector<Time> after(items->size() + 1);
    after[0] = start + m_interruptCost;
    const Time inlineCost = m_softirqBatchCost + m_softirqPacketCost;
    for (std::size_t i = 0; i < gro.size(); ++i)
    {
        after[i + 1] = after[i] + m_groPacketCost + (gro[i].bypass ? inlineCost : Time(0));
    }
    m_stats[core].groPackets += items->size();
    Ptr<MtpHostModel> self(this);
    for (const auto& a : MtpGroBatcher(m_maxGroSkbs).Plan(gro))
    {
        Time at = after[a.after];
        if (a.bypass)
        {
            std::size_t i = a.members.front();
            Simulator::Schedule(at - start, [self, core, items, i, at, inlineCost]() {
                if (self->m_disposed)
                {
                    return;
                }
                RxItem& it = (*items)[i];
                it.times.groDone = at;
                it.times.softirqStart = at - inlineCost;
                it.times.groCore = core;
                it.times.softirqCore = core;
                it.times.bypass = true;
                ++self->m_stats[core].softirqBatches;
                self->Process(it);
            });
            continue;
        }
        auto batch = std::make_shared<std::vector<RxItem>>();
        for (std::size_t i : a.members)
        {
            (*items)[i].times.groCore = core;
            batch->push_back(std::move((*items)[i]));
        }
        Simulator::Schedule(at - start, [self, core, batch, at]() {
            if (self->m_disposed)
            {
                return;
            }
            for (auto& it : *batch)
            {
                it.times.groDone = at;
            }
            self->HandOff(core, batch);
        });
    }
    return after.back() - start;
}

void
MtpHostModel::HandOff(uint32_t groCore, std::shared_ptr<std::vector<RxItem>> batch)
{
    Time now = Simulator::Now();
    uint32_t target = m_policy->Select(groCore, m_coreState, now);
    NS_LOG_LOGIC("batch of " << batch->size() << " from GRO core " << groCore << " to core "
                             << target);
    m_steerTrace(groCore, target, batch->size());
    ++m_coreState[target].softirqBacklog;
    Work w;
    w.kind = SOFTIRQ;
    Ptr<MtpHostModel> self(this);
    w.start = [self, target, batch](Time start) {
        Time t = start + self->m_softirqBatchCost;
        for (std::size_t i = 0; i < batch->size(); ++i)
        {
            t += self->m_softirqPacketCost;
            Simulator::Schedule(t - start, [self, target, batch, i, start]() {
                if (self->m_disposed)
                {
                    return;
                }
                RxItem& it = (*batch)[i];
                it.times.softirqStart = start;
                it.times.softirqCore = target;
                it.times.batchSize = batch->size();
                self->Process(it);
            });
        }
        ++self->m_stats[target].softirqBatches;
        return t - start;
    };
    w.done = [self, target]() { --self->m_coreState[target].softirqBacklog; };
    Enqueue(target, std::move(w));
}

void
MtpHostModel::Process(RxItem& it)
{
    Time now = Simulator::Now();
    it.times.softirqDone = now;
    ++m_stats[it.times.softirqCore].softirqPackets;
    m_nicWait((it.times.interrupt - it.times.nicArrival).GetNanoSeconds());
    m_groTime((it.times.groDone - it.times.interrupt).GetNanoSeconds());
    m_softirqTime((now - it.times.groDone).GetNanoSeconds());
    m_packetTrace(it.times);
    std::function<void()> f = std::move(it.process);
    it.process = nullptr;
    if (f)
    {
        f();
    }
}

} // namespace ns3
