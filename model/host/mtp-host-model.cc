/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Sources of the defaults (see also doc/host-model.rst):
 *  - MaxGroSkbs 20, Steering gen2 with both bypasses: HomaModule's
 *    defaults (homa_init: max_gro_skbs; gro_policy HOMA_GRO_NORMAL =
 *    SAME_CORE | GEN2 | SHORT_BYPASS [| FAST_GRANTS]); the policies' own
 *    defaults are sourced in mtp-steering-policy.cc.
 *  - CoalesceFrames 32, CoalesceTime 3 us: the Linux mlx5 driver's default
 *    receive moderation, recalled from its source (MLX5E_PARAMS_DEFAULT_RX_
 *    CQ_MODERATION_PKTS / _USEC); check `ethtool -c` on a real host.
 *  - Every per-packet, per-batch and per-byte cost, NumCores and
 *    NumRxQueues: our estimates, of the order of the software overheads the
 *    Homa Linux paper (Ousterhout, USENIX ATC 2021) and its time traces
 *    describe (a few microseconds of host software per short message, copy
 *    rates of ~10 GB/s).  They are knobs, not measurements.
 */

#include "ns3/mtp-host-model.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <algorithm>
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
            .AddAttribute(
                "Steering",
                "The softirq steering policy: which core runs a GRO batch's "
                "protocol processing (an MtpSteeringPolicy: ns3::MtpSameCoreSteering, "
                "ns3::MtpGen2Steering or ns3::MtpGen3Steering, each with its own "
                "Attributes; MtpHostModelHelper::SetSteering makes one per model). "
                "Unset: an ns3::MtpGen2Steering with its default Attributes "
                "(Homa's default policy).",
                PointerValue(),
                MakePointerAccessor(&MtpHostModel::SetSteering, &MtpHostModel::GetSteering),
                MakePointerChecker<MtpSteeringPolicy>())
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
{
    NS_LOG_FUNCTION(this);
}

MtpHostModel::~MtpHostModel()
{
    NS_LOG_FUNCTION(this);
}

void
MtpHostModel::SetSteering(Ptr<MtpSteeringPolicy> policy)
{
    NS_LOG_FUNCTION(this << policy);
    NS_ABORT_MSG_UNLESS(policy, "MtpHostModel: the Steering policy must not be null");
    m_policy = policy;
    if (m_setup)
    {
        m_policy->Attach(this, m_numCores);
    }
}

Ptr<MtpSteeringPolicy>
MtpHostModel::GetSteering() const
{
    if (!m_policy)
    {
        m_policy = CreateObject<MtpGen2Steering>();
    }
    return m_policy;
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
    m_policy = nullptr;
    Object::DoDispose();
}

void
MtpHostModel::Setup()
{
    if (m_setup)
    {
        return;
    }
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
    GetSteering()->Attach(this, m_numCores);
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
    return *GetSteering();
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
       << GetSteering()->GetName() << "\n";
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
