/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Sources of the defaults (see also doc/host-model.rst):
 *  - MaxGroSkbs 20, BusyTime 100 us, GroBusyTime 5 us, CoresToCheck 4,
 *    SteeringPolicy gen2 with both bypasses: HomaModule's defaults
 *    (homa_init: max_gro_skbs, busy_usecs, gro_busy_usecs; homa_offload.c:
 *    CORES_TO_CHECK; gro_policy HOMA_GRO_NORMAL = SAME_CORE | GEN2 |
 *    SHORT_BYPASS [| FAST_GRANTS]).
 *  - CoalesceFrames 32, CoalesceTime 3 us: the Linux mlx5 driver's default
 *    receive moderation, recalled from its source (MLX5E_PARAMS_DEFAULT_RX_
 *    CQ_MODERATION_PKTS / _USEC); check `ethtool -c` on a real host.
 *  - Every per-packet, per-batch and per-byte cost, NumCores and
 *    NumRxQueues: our estimates, of the order of the software overheads the
 *    Homa Linux paper (Ousterhout, USENIX ATC 2021) and its time traces
 *    describe (a few microseconds of host software per short message, copy
 *    rates of ~10 GB/s).  They are knobs, not measurements.
 */

#include "mtp-host-model.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <boost/container_hash/hash.hpp>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHostModel");

NS_OBJECT_ENSURE_REGISTERED(MtpHostModel);

namespace
{

/// \return `bytes` times `nsPerByte`, rounded to the nanosecond.
Time
ByteCost(uint32_t bytes, double nsPerByte)
{
    return NanoSeconds(static_cast<int64_t>(bytes * nsPerByte + 0.5));
}

/// The name of a steering policy.
std::string
SteeringName(MtpHostModel::Steering s)
{
    switch (s)
    {
    case MtpHostModel::SAME_CORE:
        return "same";
    case MtpHostModel::GEN2:
        return "gen2";
    case MtpHostModel::GEN3:
        return "gen3";
    }
    return "?";
}

} // namespace

TypeId
MtpHostModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpHostModel")
            .SetParent<MtpHostPath>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpHostModel>()
            // Core counts.
            .AddAttribute("NumCores",
                          "Cores on the host; every core may run GRO, softirq and application "
                          "work (estimate: a small server).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&MtpHostModel::m_numCores),
                          MakeUintegerChecker<uint32_t>(1, 1024))
            .AddAttribute("NumRxQueues",
                          "NIC receive queues; queue i interrupts core i mod NumCores "
                          "(0: one per core, Linux's default).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&MtpHostModel::m_numRxQueues),
                          MakeUintegerChecker<uint32_t>(0, 1024))
            .AddAttribute("FirstAppCore",
                          "First core application threads run on.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&MtpHostModel::m_firstAppCore),
                          MakeUintegerChecker<uint32_t>(0, 1023))
            .AddAttribute("NumAppCores",
                          "Cores application threads run on, from FirstAppCore (0: all the "
                          "rest); sockets are spread round robin in order of first use.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&MtpHostModel::m_numAppCores),
                          MakeUintegerChecker<uint32_t>(0, 1024))
            .AddAttribute("RssIncludePorts",
                          "RSS hashes MTP's ports as well as the addresses. A real NIC knows "
                          "no MTP ports and hashes addresses only (false).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&MtpHostModel::m_rssPorts),
                          MakeBooleanChecker())
            // NIC receive.
            .AddAttribute("CoalesceFrames",
                          "Interrupt moderation: a queue interrupts when this many packets "
                          "wait (mlx5 default rx-frames 32).",
                          UintegerValue(32),
                          MakeUintegerAccessor(&MtpHostModel::m_coalesceFrames),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("CoalesceTime",
                          "Interrupt moderation: a queue interrupts at most this long after "
                          "its first waiting packet arrived (mlx5 default rx-usecs 3).",
                          TimeValue(MicroSeconds(3)),
                          MakeTimeAccessor(&MtpHostModel::m_coalesceTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("InterruptCost",
                          "Core time per interrupt: hard IRQ, NAPI scheduling, poll overhead "
                          "(estimate).",
                          TimeValue(NanoSeconds(1000)),
                          MakeTimeAccessor(&MtpHostModel::m_interruptCost),
                          MakeTimeChecker(Time(0)))
            // GRO and softirq.
            .AddAttribute("GroPacketCost",
                          "Core time per packet in GRO (estimate).",
                          TimeValue(NanoSeconds(200)),
                          MakeTimeAccessor(&MtpHostModel::m_groPacketCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("MaxGroSkbs",
                          "Most packets of one RPC merged into one GRO batch (Homa's "
                          "max_gro_skbs, default 20).",
                          UintegerValue(20),
                          MakeUintegerAccessor(&MtpHostModel::m_maxGroSkbs),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("ShortBypass",
                          "Single-packet messages get their protocol processing inline on "
                          "the GRO core (Homa's HOMA_GRO_SHORT_BYPASS, on by default).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&MtpHostModel::m_shortBypass),
                          MakeBooleanChecker())
            .AddAttribute("ControlBypass",
                          "Non-DATA packets (grants, resends, acks...) get their protocol "
                          "processing inline on the GRO core (Homa's HOMA_GRO_FAST_GRANTS, "
                          "extended to every control packet).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&MtpHostModel::m_controlBypass),
                          MakeBooleanChecker())
            .AddAttribute("SoftirqBatchCost",
                          "Core time per softirq batch (estimate).",
                          TimeValue(NanoSeconds(500)),
                          MakeTimeAccessor(&MtpHostModel::m_softirqBatchCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("SoftirqPacketCost",
                          "Core time per packet of MTP's protocol processing (estimate).",
                          TimeValue(NanoSeconds(800)),
                          MakeTimeAccessor(&MtpHostModel::m_softirqPacketCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("SteeringPolicy",
                          "Which core runs a GRO batch's softirq work: same (the GRO core), "
                          "gen2 (Homa's default: first idle of the next CoresToCheck cores) "
                          "or gen3 (fixed candidates avoiding application cores).",
                          StringValue("gen2"),
                          MakeStringAccessor(&MtpHostModel::SetSteeringString,
                                             &MtpHostModel::GetSteeringString),
                          MakeStringChecker())
            .AddAttribute("CoresToCheck",
                          "gen2: cores after the GRO core examined for an idle one (Homa's "
                          "CORES_TO_CHECK, 4).",
                          UintegerValue(4),
                          MakeUintegerAccessor(&MtpHostModel::m_coresToCheck),
                          MakeUintegerChecker<uint32_t>(1, 1024))
            .AddAttribute("GroBusyTime",
                          "gen2: a core that did GRO work this recently is busy (Homa's "
                          "gro_busy_usecs, 5 us).",
                          TimeValue(MicroSeconds(5)),
                          MakeTimeAccessor(&MtpHostModel::m_groBusyTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("BusyTime",
                          "gen3: a core that ran application work this recently is busy "
                          "(Homa's busy_usecs, 100 us).",
                          TimeValue(MicroSeconds(100)),
                          MakeTimeAccessor(&MtpHostModel::m_busyTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute(
                "Gen3SoftirqCores",
                "gen3: candidate softirq cores per GRO core, preferred first, as "
                "\"g:a,b,c;g2:d,e\" (at most three each; Homa's gen3_softirq_cores). "
                "Empty: GRO core g offers g+1, g+2, g+3 (mod NumCores).",
                StringValue(""),
                MakeStringAccessor(&MtpHostModel::SetGen3String, &MtpHostModel::GetGen3String),
                MakeStringChecker())
            // Application.
            .AddAttribute("RecvCost",
                          "Application core time per message received (system call, wakeup; "
                          "estimate).",
                          TimeValue(NanoSeconds(1000)),
                          MakeTimeAccessor(&MtpHostModel::m_recvCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("RecvByteCost",
                          "Application core nanoseconds per byte received (copy out; "
                          "estimate: 10 GB/s).",
                          DoubleValue(0.1),
                          MakeDoubleAccessor(&MtpHostModel::m_recvByteCost),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("SendCost",
                          "Application core time per send call (estimate).",
                          TimeValue(NanoSeconds(1000)),
                          MakeTimeAccessor(&MtpHostModel::m_sendCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("SendByteCost",
                          "Application core nanoseconds per byte sent (copy in; estimate: "
                          "10 GB/s).",
                          DoubleValue(0.1),
                          MakeDoubleAccessor(&MtpHostModel::m_sendByteCost),
                          MakeDoubleChecker<double>(0))
            // NIC transmit.
            .AddAttribute("TxPacketCost",
                          "NIC transmit engine time per packet: descriptor and DMA (estimate).",
                          TimeValue(NanoSeconds(100)),
                          MakeTimeAccessor(&MtpHostModel::m_txPacketCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("DoorbellCost",
                          "NIC transmit engine time per doorbell: MMIO write and descriptor "
                          "fetch (estimate).",
                          TimeValue(NanoSeconds(300)),
                          MakeTimeAccessor(&MtpHostModel::m_doorbellCost),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("DoorbellBatch",
                          "Most packets announced by one doorbell; packets handed to the NIC "
                          "at one instant share doorbells (Linux xmit_more; estimate).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&MtpHostModel::m_doorbellBatch),
                          MakeUintegerChecker<uint32_t>(1))
            // Traces.
            .AddTraceSource("PacketStages",
                            "A received packet's protocol processing ran: its stage times.",
                            MakeTraceSourceAccessor(&MtpHostModel::m_packetTrace),
                            "ns3::MtpHostModel::PacketStagesTracedCallback")
            .AddTraceSource("CoreWork",
                            "A work item ran on a core.",
                            MakeTraceSourceAccessor(&MtpHostModel::m_workTrace),
                            "ns3::MtpHostModel::CoreWorkTracedCallback")
            .AddTraceSource("Steer",
                            "A GRO batch was handed to a softirq core.",
                            MakeTraceSourceAccessor(&MtpHostModel::m_steerTrace),
                            "ns3::MtpHostModel::SteerTracedCallback")
            .AddTraceSource("Interrupt",
                            "A receive queue's interrupt fired.",
                            MakeTraceSourceAccessor(&MtpHostModel::m_interruptTrace),
                            "ns3::MtpHostModel::InterruptTracedCallback")
            .AddTraceSource("Backlog",
                            "A message delivery found its application core busy.",
                            MakeTraceSourceAccessor(&MtpHostModel::m_backlogTrace),
                            "ns3::MtpHostModel::BacklogTracedCallback")
            .AddTraceSource("QueueLength",
                            "A core's queues changed length.",
                            MakeTraceSourceAccessor(&MtpHostModel::m_queueTrace),
                            "ns3::MtpHostModel::QueueTracedCallback")
            .AddTraceSource("Doorbell",
                            "The NIC transmit doorbell rang.",
                            MakeTraceSourceAccessor(&MtpHostModel::m_doorbellTrace),
                            "ns3::MtpHostModel::DoorbellTracedCallback");
    return tid;
}

MtpHostModel::MtpHostModel()
    : m_steering(GEN2)
{
    NS_LOG_FUNCTION(this);
}

MtpHostModel::~MtpHostModel()
{
    NS_LOG_FUNCTION(this);
}

void
MtpHostModel::SetSteeringString(std::string s)
{
    if (s == "same")
    {
        m_steering = SAME_CORE;
    }
    else if (s == "gen2")
    {
        m_steering = GEN2;
    }
    else if (s == "gen3")
    {
        m_steering = GEN3;
    }
    else
    {
        NS_FATAL_ERROR("MtpHostModel: SteeringPolicy must be same, gen2 or gen3, not " << s);
    }
    m_policy.reset();
}

std::string
MtpHostModel::GetSteeringString() const
{
    return SteeringName(m_steering);
}

void
MtpHostModel::SetGen3String(std::string s)
{
    m_gen3Spec = s;
    m_policy.reset();
}

std::string
MtpHostModel::GetGen3String() const
{
    return m_gen3Spec;
}

void
MtpHostModel::DoInitialize()
{
    Setup();
    Object::DoInitialize();
}

void
MtpHostModel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_disposed = true;
    // A stored EventId keeps its event, and so the lambda's Ptr to this model,
    // alive after Cancel(): reset each one, or model and node leak as a cycle.
    for (auto& c : m_cores)
    {
        c.endEvent.Cancel();
        c.endEvent = EventId();
        c.kernel.clear();
        c.app.clear();
    }
    for (auto& q : m_rxQueues)
    {
        q.timer.Cancel();
        q.timer = EventId();
        q.waiting.clear();
    }
    m_doorbellEvent.Cancel();
    m_doorbellEvent = EventId();
    m_txBatch.clear();
    m_held.clear();
    m_sendCalls.clear();
    m_capture = nullptr;
    m_policy.reset();
    Object::DoDispose();
}

void
MtpHostModel::Setup()
{
    if (m_setup && m_policy)
    {
        return;
    }
    if (!m_setup)
    {
        m_setup = true;
        m_cores.assign(m_numCores, Core());
        m_coreState.assign(m_numCores, MtpCoreState());
        m_stats.assign(m_numCores, MtpHostCoreStats());
        uint32_t queues = m_numRxQueues == 0 ? m_numCores : m_numRxQueues;
        m_rxQueues.clear();
        for (uint32_t i = 0; i < queues; ++i)
        {
            m_rxQueues.push_back(
                RxQueue{MtpInterruptCoalescer(m_coalesceFrames, m_coalesceTime), {}, EventId()});
        }
        m_rss = MtpRss(queues);
        if (m_firstAppCore >= m_numCores)
        {
            NS_FATAL_ERROR("MtpHostModel: FirstAppCore " << m_firstAppCore << " >= NumCores "
                                                         << m_numCores);
        }
        m_nextAppCore = 0;
    }
    switch (m_steering)
    {
    case SAME_CORE:
        m_policy = std::make_unique<MtpSameCoreSteering>();
        break;
    case GEN2:
        m_policy = std::make_unique<MtpGen2Steering>(m_coresToCheck, m_groBusyTime);
        break;
    case GEN3: {
        std::vector<MtpGen3Steering::Candidates> table;
        if (!MtpGen3Steering::Parse(m_gen3Spec, m_numCores, table))
        {
            NS_FATAL_ERROR("MtpHostModel: bad Gen3SoftirqCores \"" << m_gen3Spec << "\"");
        }
        m_policy = std::make_unique<MtpGen3Steering>(std::move(table), m_busyTime);
        break;
    }
    }
}

// ---------------------------------------------------------------------------
// Cores
// ---------------------------------------------------------------------------

void
MtpHostModel::Enqueue(uint32_t core, Work w)
{
    Core& c = m_cores[core];
    w.queued = Simulator::Now();
    if (w.kind == APP)
    {
        m_stats[core].appQueue(c.app.size() + (c.busy ? 1 : 0));
        c.app.push_back(std::move(w));
    }
    else
    {
        m_stats[core].kernelQueue(c.kernel.size() + (c.busy ? 1 : 0));
        c.kernel.push_back(std::move(w));
    }
    m_queueTrace(core, c.kernel.size(), c.app.size());
    if (!c.busy)
    {
        StartNext(core);
    }
}

void
MtpHostModel::StartNext(uint32_t core)
{
    Core& c = m_cores[core];
    if (c.busy || (c.kernel.empty() && c.app.empty()))
    {
        return;
    }
    std::deque<Work>& q = c.kernel.empty() ? c.app : c.kernel;
    Work w = std::move(q.front());
    q.pop_front();
    m_queueTrace(core, c.kernel.size(), c.app.size());
    Time now = Simulator::Now();
    Time duration = w.start ? w.start(now) : Time(0);
    c.busy = true;
    c.busyUntil = now + duration;
    if (w.kind == APP)
    {
        m_coreState[core].lastAppActive = c.busyUntil;
        ++m_stats[core].appItems;
    }
    else if (w.kind == GRO)
    {
        m_coreState[core].lastGro = c.busyUntil;
    }
    Ptr<MtpHostModel> self(this);
    auto shared = std::make_shared<Work>(std::move(w));
    c.endEvent = Simulator::Schedule(duration, [self, core, shared, now, duration]() {
        self->Finish(core, std::move(*shared), now, duration);
    });
}

void
MtpHostModel::Finish(uint32_t core, Work w, Time start, Time duration)
{
    if (m_disposed)
    {
        return;
    }
    Core& c = m_cores[core];
    c.busy = false;
    m_stats[core].busy[w.kind] += duration;
    m_workTrace(core, w.kind, start, duration);
    if (w.done)
    {
        w.done();
    }
    StartNext(core);
}

// ---------------------------------------------------------------------------
// Receive
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Application threads
// ---------------------------------------------------------------------------

void
MtpHostModel::SetAppCore(const Socket* socket, uint32_t core)
{
    Setup();
    NS_ABORT_MSG_IF(core >= m_numCores, "MtpHostModel::SetAppCore: no core " << core);
    m_appCoreOf[socket] = core;
}

uint32_t
MtpHostModel::GetAppCore(const Socket* socket)
{
    Setup();
    auto it = m_appCoreOf.find(socket);
    if (it != m_appCoreOf.end())
    {
        return it->second;
    }
    uint32_t span = m_numAppCores == 0 ? m_numCores - m_firstAppCore
                                       : std::min(m_numAppCores, m_numCores - m_firstAppCore);
    uint32_t core = m_firstAppCore + (m_nextAppCore++ % span);
    m_appCoreOf[socket] = core;
    return core;
}

void
MtpHostModel::DeliverToApp(const Socket* socket, uint32_t bytes, std::function<void()> deliver)
{
    uint32_t core = GetAppCore(socket);
    Time cost = m_recvCost + ByteCost(bytes, m_recvByteCost);
    Time handed = Simulator::Now();
    Ptr<MtpHostModel> self(this);
    Work w;
    w.kind = APP;
    w.start = [self, core, cost, handed](Time start) {
        Time wait = start - handed;
        if (wait.IsStrictlyPositive())
        {
            ++self->m_stats[core].backlogEvents;
            self->m_stats[core].backlogDelay += wait;
            self->m_backlogTrace(core, wait);
        }
        return cost;
    };
    w.done = [self, handed, deliver]() {
        self->m_appTime((Simulator::Now() - handed).GetNanoSeconds());
        deliver();
    };
    Enqueue(core, std::move(w));
}

void
MtpHostModel::AddAppWork(const Socket* socket, Time duration, std::function<void()> done)
{
    uint32_t core = GetAppCore(socket);
    Work w;
    w.kind = APP;
    w.start = [duration](Time) { return duration; };
    w.done = std::move(done);
    Enqueue(core, std::move(w));
}

void
MtpHostModel::BeginSend(const Socket* socket, uint32_t bytes)
{
    SendCall call{socket, bytes, nullptr};
    if (!m_disposed)
    {
        call.packets = std::make_shared<std::vector<std::function<void()>>>();
        m_capture = call.packets;
        m_held.push_back(call.packets);
    }
    m_sendCalls.push_back(call);
}

void
MtpHostModel::EndSend()
{
    NS_ASSERT_MSG(!m_sendCalls.empty(), "MtpHostModel::EndSend without BeginSend");
    SendCall call = m_sendCalls.back();
    m_sendCalls.pop_back();
    if (!call.packets)
    {
        return;
    }
    m_capture = m_sendCalls.empty() ? nullptr : m_sendCalls.back().packets;
    uint32_t core = GetAppCore(call.socket);
    Time cost = m_sendCost + ByteCost(call.bytes, m_sendByteCost);
    Held packets = call.packets;
    Ptr<MtpHostModel> self(this);
    Work w;
    w.kind = APP;
    w.start = [cost](Time) { return cost; };
    w.done = [self, packets]() {
        auto& held = self->m_held;
        held.erase(std::find(held.begin(), held.end(), packets));
        for (auto& send : *packets)
        {
            self->TxEnqueue(std::move(send));
        }
        packets->clear();
    };
    Enqueue(core, std::move(w));
}

// ---------------------------------------------------------------------------
// Transmit
// ---------------------------------------------------------------------------

void
MtpHostModel::Transmit(std::function<void()> send, bool isData)
{
    Setup();
    if (m_capture)
    {
        m_capture->push_back(std::move(send));
        return;
    }
    if (isData && !m_held.empty())
    {
        m_held.back()->push_back(std::move(send));
        return;
    }
    TxEnqueue(std::move(send));
}

void
MtpHostModel::TxEnqueue(std::function<void()> send)
{
    m_txBatch.emplace_back(std::move(send), Simulator::Now());
    if (m_txBatch.size() >= m_doorbellBatch)
    {
        m_doorbellEvent.Cancel();
        RingDoorbell();
    }
    else if (m_doorbellEvent.IsExpired())
    {
        // The burst ends when this instant's other work has run (xmit_more cleared).
        Ptr<MtpHostModel> self(this);
        m_doorbellEvent = Simulator::ScheduleNow([self]() {
            if (!self->m_disposed)
            {
                self->RingDoorbell();
            }
        });
    }
}

void
MtpHostModel::RingDoorbell()
{
    if (m_txBatch.empty())
    {
        return;
    }
    Time now = Simulator::Now();
    auto batch = std::move(m_txBatch);
    m_txBatch.clear();
    ++m_doorbells;
    m_doorbellTrace(batch.size());
    Time t = std::max(now, m_txFree) + m_doorbellCost;
    Ptr<MtpHostModel> self(this);
    for (auto& entry : batch)
    {
        t += m_txPacketCost;
        ++m_txPackets;
        m_txTime((t - entry.second).GetNanoSeconds());
        auto send = std::make_shared<std::function<void()>>(std::move(entry.first));
        Simulator::Schedule(t - now, [self, send]() {
            if (!self->m_disposed)
            {
                (*send)();
            }
        });
    }
    m_txFree = t;
}

// ---------------------------------------------------------------------------
// Read-out
// ---------------------------------------------------------------------------

uint32_t
MtpHostModel::GetNumCores() const
{
    return m_numCores;
}

uint32_t
MtpHostModel::GetNumRxQueues() const
{
    return m_setup ? m_rxQueues.size() : (m_numRxQueues == 0 ? m_numCores : m_numRxQueues);
}

const MtpHostCoreStats&
MtpHostModel::GetCoreStats(uint32_t core) const
{
    const_cast<MtpHostModel*>(this)->Setup();
    NS_ABORT_MSG_IF(core >= m_stats.size(), "MtpHostModel: no core " << core);
    return m_stats[core];
}

const MtpCoreState&
MtpHostModel::GetCoreState(uint32_t core) const
{
    const_cast<MtpHostModel*>(this)->Setup();
    NS_ABORT_MSG_IF(core >= m_coreState.size(), "MtpHostModel: no core " << core);
    return m_coreState[core];
}

bool
MtpHostModel::IsCoreBusy(uint32_t core) const
{
    return core < m_cores.size() && m_cores[core].busy;
}

const MtpSteeringPolicy&
MtpHostModel::GetSteeringPolicy() const
{
    const_cast<MtpHostModel*>(this)->Setup();
    return *m_policy;
}

const MtpHostStat&
MtpHostModel::GetNicWaitStat() const
{
    return m_nicWait;
}

const MtpHostStat&
MtpHostModel::GetGroStat() const
{
    return m_groTime;
}

const MtpHostStat&
MtpHostModel::GetSoftirqStat() const
{
    return m_softirqTime;
}

const MtpHostStat&
MtpHostModel::GetAppStat() const
{
    return m_appTime;
}

const MtpHostStat&
MtpHostModel::GetTxStat() const
{
    return m_txTime;
}

void
MtpHostModel::PrintStats(std::ostream& os) const
{
    namespace acc = boost::accumulators;
    const_cast<MtpHostModel*>(this)->Setup();
    auto line = [&os](const char* name, const MtpHostStat& s) {
        uint64_t n = acc::count(s);
        os << "  " << std::left << std::setw(9) << name << std::right << " n=" << n;
        if (n > 0)
        {
            os << " mean=" << std::fixed << std::setprecision(1) << acc::mean(s) / 1000.0
               << "us max=" << acc::max(s) / 1000.0 << "us";
        }
        os << "\n";
    };
    os << "host model: " << m_numCores << " cores, " << m_rxQueues.size() << " rx queues, policy "
       << m_policy->GetName() << "\n";
    os << "stage times per packet (per message for app):\n";
    line("nic-wait", m_nicWait);
    line("gro", m_groTime);
    line("softirq", m_softirqTime);
    line("app", m_appTime);
    line("tx", m_txTime);
    os << "transmit: " << m_txPackets << " packets, " << m_doorbells << " doorbells\n";
    os << "core  busy-gro  busy-sirq  busy-app   irqs  batches  sirq-pkts  backlog  "
          "max-kq  max-aq\n";
    for (uint32_t c = 0; c < m_stats.size(); ++c)
    {
        const MtpHostCoreStats& s = m_stats[c];
        os << std::setw(4) << c;
        for (uint32_t k = 0; k < 3; ++k)
        {
            os << std::setw(k == 0 ? 8 : 10) << std::fixed << std::setprecision(1)
               << s.busy[k].GetSeconds() * 1e6 << "u";
        }
        os << std::setw(7) << s.interrupts << std::setw(9) << s.softirqBatches << std::setw(11)
           << s.softirqPackets << std::setw(9) << s.backlogEvents << std::setw(8)
           << (acc::count(s.kernelQueue) ? acc::max(s.kernelQueue) : 0.0) << std::setw(8)
           << (acc::count(s.appQueue) ? acc::max(s.appQueue) : 0.0) << "\n";
    }
}

} // namespace ns3
