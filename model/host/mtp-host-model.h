/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHostModel: the CPU path of one host under MTP -- an emulated NIC (RSS
 * receive queues with interrupt coalescing, a transmit engine with doorbell
 * batching), GRO and softirq work on modelled cores, and application threads
 * that pay for every receive and send.  Optional: aggregated to a node by
 * MtpHostModelHelper; a node without it is an ideal host and MTP behaves
 * exactly as before.
 *
 * Design notes
 * ------------
 * The model is an explicit queueing network of cores.  Each core is one
 * non-preemptive server with two FIFO queues: kernel work (NAPI polls,
 * softirq batches) and application work (message receives, sends, work
 * injected with AddAppWork).  A core that becomes free takes kernel work
 * first.  A real kernel would preempt a running thread for a softirq; here
 * the softirq waits for the thread's current item instead, which moves the
 * interference onto the packet, where MTP's latency is measured (either way
 * both jobs share one core, which is what steering tries to avoid).
 *
 * Receive path of one packet (MtpL4Protocol::Receive hands it over, with a
 * closure that runs MTP's ReceiveCommon):
 *  1. NIC: MtpRss picks receive queue q (flow hash of addresses [+ ports]);
 *     queue q's interrupt is pinned to core q % NumCores (its GRO core).
 *     The packet waits until the queue's MtpInterruptCoalescer fires
 *     (CoalesceFrames packets waiting, or CoalesceTime since the first).
 *  2. GRO: the interrupt queues one NAPI poll of every waiting packet on the
 *     GRO core.  The poll costs InterruptCost plus GroPacketCost per packet;
 *     MtpGroBatcher groups packets of one RPC into batches of at most
 *     MaxGroSkbs.  A full batch is handed off as soon as its last packet is
 *     processed, the others when the poll ends.  Bypassing packets (short
 *     messages with ShortBypass, non-DATA packets with ControlBypass) get
 *     their softirq processing inline on the GRO core, within the poll.
 *  3. Softirq: the steering policy (the Steering Attribute, an
 *     MtpSteeringPolicy object: MtpSameCoreSteering, MtpGen2Steering or
 *     MtpGen3Steering, see mtp-steering-policy.h) picks a core for each
 *     batch at hand-off time; the batch costs
 *     SoftirqBatchCost plus SoftirqPacketCost per packet there, and packet i
 *     of it reaches MTP (ReceiveCommon) when its share is done.
 *  4. Application: a complete message (MtpSocket::Deliver) becomes an
 *     application item on the socket's thread's core costing RecvCost plus
 *     RecvByteCost per byte; only when it ends is the message queued on the
 *     socket and the application notified.  If the core is busy the message
 *     waits: the socket backlog, counted and traced.
 *
 * Transmit path: SendRequest / SendResponse run inside a send scope (BeginSend / EndSend); the
 * send costs SendCost plus SendByteCost per byte on the socket's core, and
 * the packets MTP emits during the call leave only when that item ends.
 * Every packet then goes through the NIC transmit engine: packets handed to
 * the NIC at one instant share a doorbell (at most DoorbellBatch per
 * doorbell); each doorbell costs DoorbellCost and each packet TxPacketCost
 * on the engine, which is FIFO.  MTP's pacer keeps its own estimate, unaware
 * of these delays (as Homa's pacer is unaware of the driver's).
 *
 * Determinism: every decision is a function of simulated times and arrival
 * order; sockets are mapped to application cores in order of first use.
 *
 * Files: mtp-host-model.cc (Attributes, set-up, cores, application
 * threads, transmit, read-out); mtp-host-model-receive.cc (the receive
 * path, steps 1-3 above); the clock-free decisions it applies are in
 * mtp-host-logic.h (RSS, coalescing, GRO) and mtp-steering-policy.h.
 */

#ifndef MTP_HOST_MODEL_H
#define MTP_HOST_MODEL_H

#include "ns3/event-id.h"
#include "ns3/mtp-header.h"
#include "ns3/mtp-host-logic.h"
#include "ns3/mtp-host-path.h"
#include "ns3/mtp-peer.h"
#include "ns3/mtp-steering-policy.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <array>
#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/count.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

class Socket;

/**
 * \ingroup mtp-host
 * \brief Running count, mean and maximum of a quantity (Boost.Accumulators).
 */
using MtpHostStat =
    boost::accumulators::accumulator_set<double,
                                         boost::accumulators::stats<boost::accumulators::tag::count,
                                                                    boost::accumulators::tag::mean,
                                                                    boost::accumulators::tag::max>>;

/**
 * \ingroup mtp-host
 * \brief Where one received packet spent its time in the host.
 */
struct MtpHostPacketTimes
{
    Time nicArrival;      //!< handed to the host model by IP (end of the wire)
    Time interrupt;       //!< its queue's interrupt fired
    Time groDone;         //!< GRO finished with it (hand-off, or end of inline processing)
    Time softirqStart;    //!< its softirq batch started (== groDone minus inline cost for bypass)
    Time softirqDone;     //!< MTP's protocol processing of it (ReceiveCommon) ran
    uint32_t rxQueue = 0; //!< receive queue RSS chose
    uint32_t groCore = 0; //!< core that ran the NAPI poll
    uint32_t softirqCore = 0; //!< core that ran its softirq processing
    uint32_t batchSize = 1;   //!< packets in its softirq batch
    bool bypass = false;      //!< processed inline on the GRO core
    uint64_t rpc = 0;         //!< GRO key of its RPC (source, port, id): equal for one RPC
};

/**
 * \ingroup mtp-host
 * \brief Counters and statistics of one modelled core.
 */
struct MtpHostCoreStats
{
    std::array<Time, 3> busy{};  //!< busy time per MtpHostModel::WorkKind
    uint64_t interrupts = 0;     //!< NAPI polls run (one per interrupt)
    uint64_t groPackets = 0;     //!< packets through GRO here
    uint64_t softirqBatches = 0; //!< softirq batches run here (bypass counts 1 each)
    uint64_t softirqPackets = 0; //!< packets whose protocol processing ran here
    uint64_t appItems = 0;       //!< application items run (receives, sends, injected work)
    uint64_t backlogEvents = 0;  //!< message deliveries that found the core busy
    Time backlogDelay;           //!< total wait of those deliveries
    MtpHostStat kernelQueue;     //!< kernel queue length seen by each new kernel item
    MtpHostStat appQueue;        //!< application queue length seen by each new app item
};

/**
 * \ingroup mtp-host
 * \brief The NIC / GRO / softirq / application-core model of one host.
 */
class MtpHostModel : public MtpHostPath
{
  public:
    /** \return the TypeId, with every cost and core count as an Attribute */
    static TypeId GetTypeId();

    MtpHostModel();
    ~MtpHostModel() override;

    /// What a core's work item is.
    enum WorkKind : uint8_t
    {
        GRO = 0,     //!< a NAPI poll: interrupt, GRO, inline (bypass) softirq work
        SOFTIRQ = 1, //!< one softirq batch
        APP = 2      //!< application thread work: receive, send, injected
    };

    /// What the NIC and GRO see of a received MTP packet.
    using RxPacket = MtpHostRxPacket;

    /**
     * \brief Receive hook: a packet reached the host; `process` runs MTP's
     *        protocol processing of it when the model says it happens.
     * \param pkt what the NIC sees of it
     * \param process MTP's processing (called exactly once, unless disposed first)
     */
    void Receive(const RxPacket& pkt, Ptr<const Packet> p, std::function<void()> process) override;

    /**
     * \brief Transmit hook: MTP hands a finished packet to the NIC; `send`
     *        passes it to IP when the NIC engine gets to it.
     * \param send the hand-off to IP
     * \param isData a DATA packet: while a send call's packets are held (see
     *        a send scope), DATA the pacer releases queues behind them, so a
     *        message's packets leave in order
     */
    void Transmit(std::function<void()> send, bool isData = false) override;

    /**
     * \brief Delivery hook: a whole message (or failure) for `socket`'s
     *        application; `deliver` queues it and notifies the application
     *        once the thread's receive is done.
     * \param socket the socket (its thread's core does the work)
     * \param bytes message length (RecvByteCost applies)
     * \param deliver the hand-over
     */
    void DeliverToApp(const Socket* socket, uint32_t bytes, std::function<void()> deliver) override;

    /**
     * \brief Inject application work (e.g. a server's service time) on the
     *        core of `socket`'s thread.
     * \param socket the socket whose thread works
     * \param duration how long
     * \param done called when the work ends (may be null)
     */
    void AddAppWork(const Socket* socket, Time duration, std::function<void()> done = nullptr);

    /**
     * \brief Pin a socket's thread to a core (else: round robin over the
     *        application cores in order of first use).
     * \param socket the socket
     * \param core the core (< NumCores)
     */
    void SetAppCore(const Socket* socket, uint32_t core);

    /**
     * \param socket a socket of this node
     * \return its thread's core (assigned now if it had none)
     */
    uint32_t GetAppCore(const Socket* socket);

    /**
     * \param pkt a packet
     * \return the receive queue RSS sends it to
     */
    uint32_t GetRxQueue(const RxPacket& pkt) const;

    /** \return number of cores */
    uint32_t GetNumCores() const;

    /** \return number of NIC receive queues */
    uint32_t GetNumRxQueues() const;

    /**
     * \param core a core
     * \return its counters
     */
    const MtpHostCoreStats& GetCoreStats(uint32_t core) const;

    /**
     * \param core a core
     * \return what steering policies see of it
     */
    const MtpCoreState& GetCoreState(uint32_t core) const;

    /**
     * \param core a core
     * \return true if it is running a work item now
     */
    bool IsCoreBusy(uint32_t core) const;

    /**
     * \brief Use `policy` for softirq steering (the Steering Attribute).
     *        The model attaches it (MtpSteeringPolicy::Attach) when it builds
     *        its cores, or at once if it has built them already.
     * \param policy the policy, used by this model only (not null)
     */
    void SetSteering(Ptr<MtpSteeringPolicy> policy);

    /**
     * \return the steering policy (the Steering Attribute): the one set, or
     *         else a new MtpGen2Steering with its default Attributes
     */
    Ptr<MtpSteeringPolicy> GetSteering() const;

    /** \return the steering policy in use, attached to this model's cores */
    const MtpSteeringPolicy& GetSteeringPolicy() const;

    /** \return time packets waited in the NIC for their interrupt (ns) */
    const MtpHostStat& GetNicWaitStat() const;
    /** \return time from interrupt to GRO hand-off (ns) */
    const MtpHostStat& GetGroStat() const;
    /** \return time from GRO hand-off to protocol processing (ns) */
    const MtpHostStat& GetSoftirqStat() const;
    /** \return time messages spent from MTP delivery to the application (ns) */
    const MtpHostStat& GetAppStat() const;
    /** \return time packets spent in the transmit path, NIC hand-over to IP (ns) */
    const MtpHostStat& GetTxStat() const;

    /**
     * \brief Print per-core and per-stage statistics.
     * \param os the stream
     */
    void PrintStats(std::ostream& os) const;

    /**
     * TracedCallback signature for a packet's stage times.
     * \param times where it spent its time
     */
    typedef void (*PacketStagesTracedCallback)(const MtpHostPacketTimes& times);
    /**
     * TracedCallback signature for work on a core.
     * \param core the core
     * \param kind a WorkKind
     * \param start when it started
     * \param duration how long it ran
     */
    typedef void (*CoreWorkTracedCallback)(uint32_t core, uint8_t kind, Time start, Time duration);
    /**
     * TracedCallback signature for steering decisions.
     * \param groCore the GRO core
     * \param softirqCore the chosen core
     * \param packets packets in the batch
     */
    typedef void (*SteerTracedCallback)(uint32_t groCore, uint32_t softirqCore, uint32_t packets);
    /**
     * TracedCallback signature for interrupts.
     * \param queue the receive queue
     * \param packets packets the poll takes
     */
    typedef void (*InterruptTracedCallback)(uint32_t queue, uint32_t packets);
    /**
     * TracedCallback signature for socket backlog events.
     * \param core the busy application core
     * \param wait how long the delivery waited for it
     */
    typedef void (*BacklogTracedCallback)(uint32_t core, Time wait);
    /**
     * TracedCallback signature for queue lengths.
     * \param core the core
     * \param kernel kernel items queued
     * \param app application items queued
     */
    typedef void (*QueueTracedCallback)(uint32_t core, uint32_t kernel, uint32_t app);
    /**
     * TracedCallback signature for doorbells.
     * \param packets packets the doorbell announces
     */
    typedef void (*DoorbellTracedCallback)(uint32_t packets);

  protected:
    void DoDispose() override;
    /** A send call's cost (SendCost + bytes * SendByteCost) on the socket's core;
     *  the packets MTP transmits during the call are held until that work is done. */
    void BeginSend(const Socket* socket, uint32_t bytes) override;
    void EndSend() override;
    void DoInitialize() override;

  private:
    /// One unit of work on a core.
    struct Work
    {
        WorkKind kind = APP; //!< which queue and busy counter
        /// Runs when the item starts (argument: start time); returns its duration.
        std::function<Time(Time)> start;
        std::function<void()> done; //!< runs when it ends (may be empty)
        Time queued;                //!< when it was queued (backlog accounting)
    };

    /// One core: a non-preemptive server, kernel queue before application queue.
    struct Core
    {
        std::deque<Work> kernel; //!< NAPI polls and softirq batches waiting
        std::deque<Work> app;    //!< application items waiting
        bool busy = false;       //!< running an item
        Time busyUntil;          //!< end of the running item
        EventId endEvent;        //!< end of the running item
    };

    /// A received packet inside the model.
    struct RxItem
    {
        RxPacket pkt;                  //!< what the NIC saw
        std::function<void()> process; //!< MTP's processing of it
        MtpHostPacketTimes times;      //!< where it spent its time
    };

    /// One NIC receive queue.
    struct RxQueue
    {
        MtpInterruptCoalescer coalescer; //!< interrupt moderation
        std::vector<RxItem> waiting;     //!< packets waiting for the interrupt
        EventId timer;                   //!< coalescing time threshold
    };

    /** Build cores and queues from the Attributes and attach the policy (once, lazily). */
    void Setup();
    /** Queue work on a core (starts it at once if the core is idle). */
    void Enqueue(uint32_t core, Work w);
    /** Start the next item of an idle core, if any. */
    void StartNext(uint32_t core);
    /** The running item of a core ends. */
    void Finish(uint32_t core, Work w, Time start, Time duration);
    /** A receive queue's interrupt fires. */
    void Interrupt(uint32_t queue);
    /** Run the NAPI poll of `items` on GRO core `core` starting at `start`; \return duration. */
    Time RunPoll(uint32_t core, std::shared_ptr<std::vector<RxItem>> items, Time start);
    /** Hand a GRO batch to the core the steering policy picks. */
    void HandOff(uint32_t groCore, std::shared_ptr<std::vector<RxItem>> batch);
    /** A packet's protocol processing runs now. */
    void Process(RxItem& item);
    /** Queue a packet for the NIC transmit engine. */
    void TxEnqueue(std::function<void()> send);
    /** Ring the doorbell for every packet handed to the NIC so far. */
    void RingDoorbell();
    /** The GRO batching key of a packet (its RPC). */
    static uint64_t GroKey(const RxPacket& pkt);

    // Attributes: core counts.
    uint32_t m_numCores;     //!< cores on the host
    uint32_t m_numRxQueues;  //!< NIC receive queues (queue i interrupts core i % NumCores)
    uint32_t m_firstAppCore; //!< first core application threads run on
    uint32_t m_numAppCores;  //!< cores application threads run on (0: the rest)
    bool m_rssPorts;         //!< RSS hashes the ports too
    // Attributes: NIC receive.
    uint32_t m_coalesceFrames; //!< interrupt when this many packets wait
    Time m_coalesceTime;       //!< interrupt at most this long after the first packet
    Time m_interruptCost;      //!< per NAPI poll (hard IRQ, NAPI schedule, poll overhead)
    // Attributes: GRO and softirq.
    Time m_groPacketCost;     //!< per packet in GRO
    uint32_t m_maxGroSkbs;    //!< most packets per GRO batch
    bool m_shortBypass;       //!< single-packet messages processed inline on the GRO core
    bool m_controlBypass;     //!< non-DATA packets processed inline on the GRO core
    Time m_softirqBatchCost;  //!< per softirq batch
    Time m_softirqPacketCost; //!< per packet in softirq (MTP's protocol processing)
    /// Softirq steering (Attribute Steering; null until set or first asked for: then gen2).
    mutable Ptr<MtpSteeringPolicy> m_policy;
    // Attributes: application.
    Time m_recvCost;       //!< per message received by a thread
    double m_recvByteCost; //!< ns per byte received (copy out)
    Time m_sendCost;       //!< per send call
    double m_sendByteCost; //!< ns per byte sent (copy in)
    // Attributes: NIC transmit.
    Time m_txPacketCost;      //!< per packet on the transmit engine
    Time m_doorbellCost;      //!< per doorbell on the transmit engine
    uint32_t m_doorbellBatch; //!< most packets per doorbell

    // State.
    bool m_setup = false;                          //!< Setup() ran
    std::vector<Core> m_cores;                     //!< the cores
    std::vector<MtpCoreState> m_coreState;         //!< what steering sees of each core
    std::vector<MtpHostCoreStats> m_stats;         //!< per-core counters
    std::vector<RxQueue> m_rxQueues;               //!< NIC receive queues
    MtpRss m_rss;                                  //!< flow -> queue
    std::map<const Socket*, uint32_t> m_appCoreOf; //!< socket -> its thread's core
    uint32_t m_nextAppCore = 0;                    //!< round-robin position
    /// Packets of one send call, held until the call's work is done.
    using Held = std::shared_ptr<std::vector<std::function<void()>>>;

    /// One send call in progress (BeginSend .. EndSend).
    struct SendCall
    {
        const Socket* socket; //!< the sender
        uint32_t bytes;       //!< message length
        Held packets;         //!< its packets (null once the model is disposed)
    };

    std::vector<SendCall> m_sendCalls; //!< send calls in progress, innermost last
    Held m_capture;                    //!< the innermost send call's packets (null outside one)
    std::vector<Held> m_held; //!< packets of send calls whose work is pending, oldest first
    std::vector<std::pair<std::function<void()>, Time>> m_txBatch; //!< packets awaiting a doorbell
    EventId m_doorbellEvent;                                       //!< end-of-burst doorbell
    Time m_txFree;                                                 //!< transmit engine free from
    bool m_disposed = false;   //!< DoDispose ran: pending events do nothing
    uint64_t m_doorbells = 0;  //!< doorbells rung
    uint64_t m_txPackets = 0;  //!< packets transmitted
    MtpHostStat m_nicWait;     //!< per packet: arrival -> interrupt (ns)
    MtpHostStat m_groTime;     //!< per packet: interrupt -> GRO done (ns)
    MtpHostStat m_softirqTime; //!< per packet: GRO done -> processed (ns)
    MtpHostStat m_appTime;     //!< per message: MTP delivery -> app (ns)
    MtpHostStat m_txTime;      //!< per packet: NIC hand-over -> IP (ns)

    // Traces.
    TracedCallback<const MtpHostPacketTimes&> m_packetTrace;   //!< a packet was processed
    TracedCallback<uint32_t, uint8_t, Time, Time> m_workTrace; //!< a work item ran
    TracedCallback<uint32_t, uint32_t, uint32_t> m_steerTrace; //!< a batch was steered
    TracedCallback<uint32_t, uint32_t> m_interruptTrace;       //!< an interrupt fired
    TracedCallback<uint32_t, Time> m_backlogTrace;             //!< a delivery waited
    TracedCallback<uint32_t, uint32_t, uint32_t> m_queueTrace; //!< queue lengths changed
    TracedCallback<uint32_t> m_doorbellTrace;                  //!< a doorbell rang
};

} // namespace ns3

#endif /* MTP_HOST_MODEL_H */
