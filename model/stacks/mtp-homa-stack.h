/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHomaStack: Homa's engine, the default MTP stack ("homa").
 *
 * Design notes
 * ------------
 * The engine is split along Linux Homa's own file lines:
 *  - mtp-homa-outgoing.cc (homa_outgoing.c): a message's unscheduled bytes
 *    go at once at the priority the receiver's cutoffs give; the rest waits
 *    for GRANTs; long messages go through the node's pacer (SRPT, NIC queue
 *    at most MaxNicQueue of transmit time);
 *  - mtp-homa-incoming.cc (homa_incoming.c): every packet type, message
 *    reassembly, and the receiver's grants (MtpGrantScheduler: SRPT over the
 *    MaxOvercommit shortest messages, each up to Window beyond what arrived);
 *  - mtp-homa-oneway.cc (an MTP extension): one-way messages answered by
 *    an ack instead of an empty response (OneWayAnswer=Ack) on the
 *    receiving side, with the lingering ids that keep them at most once;
 *  - mtp-homa-timer.cc (homa_timer.c): one tick per engine (TickInterval)
 *    that runs only while RPCs live, counting silent ticks per RPC and sending
 *    RESEND / NEED_ACK, aborting with ETIMEDOUT after TimeoutResends
 *    unanswered ones.
 * Homa's tunables are MtpL4Protocol Attributes (UnschedBytes, Window, ...),
 * read on every use, so they stay node-wide as Homa's sysctls are.
 *
 * Handoff: the engine can adopt any RPC (an inbound message joins the grant
 * scheduler with what it received and was granted so far; an outbound one is
 * sent on from where it stands), so HandoffOk accepts every socket.
 */

#ifndef MTP_HOMA_STACK_H
#define MTP_HOMA_STACK_H

#include "ns3/event-id.h"
#include "ns3/mtp-grant-scheduler.h"
#include "ns3/mtp-header.h"
#include "ns3/mtp-stack.h"

namespace ns3
{

/**
 * \ingroup mtp-stacks
 * \brief Homa's receiver-driven engine: unscheduled bytes, SRPT grants,
 *        priorities, pacing, tick-based loss recovery.
 */
class MtpHomaStack : public MtpStack
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpHomaStack();
    ~MtpHomaStack() override;

    std::string GetName() const override;
    MtpError HandoffOk(const MtpSocket& socket) const override;
    void Init(MtpSocket& socket) override;
    void Fini(MtpSocket& socket, bool switching) override;
    /** Re-read GrantConfig() into the grant scheduler (live entries keep their grants). */
    void ConfigChanged() override;

    MtpError StartMessage(Ptr<MtpRpc> rpc, Ptr<const Packet> message) override;
    void SendDataSegment(Ptr<MtpRpc> rpc,
                         const MtpSegment& seg,
                         bool retransmit,
                         int priority) override;
    void Receive(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket) override;

    /** \return the receiver's grant scheduler (read-only, for tests and traces) */
    const MtpGrantScheduler& GetGrantScheduler() const;

  protected:
    /**
     * \brief How many of a new outbound message's bytes go without grants.
     *        Homa: UnschedBytes (about one RTT of bytes).
     * \param length the message length
     * \return the unscheduled bytes
     */
    virtual uint32_t UnscheduledBytes(uint32_t length) const;

    /**
     * \brief The priority of a new outbound message's unscheduled bytes.
     *        Homa: the level the receiver's cutoffs give its length.
     * \param rpc the RPC (its peer holds the receiver's cutoffs)
     * \param length the message length
     * \return the priority
     */
    virtual uint8_t UnschedPriority(Ptr<MtpRpc> rpc, uint32_t length) const;

    /**
     * \brief The receiver's grant policy, read when a socket arrives and
     *        whenever one of the Attributes it derives from changes.
     *        Homa: MtpL4Protocol's Window, MaxOvercommit, MaxIncoming, FIFO
     *        Attributes, scheduled priorities below the unscheduled ones.
     * \return the configuration
     */
    virtual MtpGrantScheduler::Config GrantConfig() const;

    void DoDispose() override;
    void Adopt(Ptr<MtpRpc> rpc) override;
    void Release(Ptr<MtpRpc> rpc) override;

  private:
    // Incoming (mtp-homa-incoming.cc).
    void HandleData(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleGrant(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleResend(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleUnknown(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleBusy(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleCutoffs(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleFreeze(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleNeedAck(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    void HandleAck(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket);
    /** A message finished arriving: deliver or complete. */
    void MessageComplete(Ptr<MtpRpc> rpc);
    /**
     * Send an ACK packet for `ack`, with up to MAX_ACKS - 1 other acks owed to
     * `dst`, in answer to `asked` (ports swapped, id as we know the RPC).
     */
    void SendAck(const MtpAddress& dst, const MtpHeader& asked, const MtpAck& ack);

    // One-way messages answered by an ack (mtp-homa-oneway.cc).
    /** A one-way message that asked for an ack arrived in full: deliver it, owe
     *  the ack, free the RPC and let its id linger. */
    void CompleteOneWayWithAck(Ptr<MtpRpc> rpc, Ptr<Packet> message);
    /** DATA for no server RPC: if its id lingers (delivered already), count it
     *  and \return true (the packet is absorbed). */
    bool AbsorbLingering(const MtpDataHeader& h,
                         uint32_t payload,
                         const MtpRxContext& ctx,
                         MtpSocket& socket);
    /** A client's packet names no RPC: if its id lingers, send the ack again
     *  and \return true (instead of RPC_UNKNOWN). */
    bool AnswerLingering(const MtpHeader& h, const MtpRxContext& ctx, MtpSocket& socket);
    /** NEED_ACK from the sender of a one-way message: ACK, RESEND, BUSY or
     *  RPC_UNKNOWN. */
    void HandleNeedAckFromClient(const MtpHeader& h, const MtpRxContext& ctx, MtpSocket& socket);
    /** Recompute grants and send the GRANT packets. */
    void RunGrants();
    /** Send CUTOFFS to a peer whose copy is stale (at most once per tick). */
    void MaybeSendCutoffs(Ptr<MtpPeer> peer, uint16_t sport, uint16_t dport, uint64_t senderId);
    /** Put an inbound message that still needs grants into the scheduler. */
    void AddToGrants(Ptr<MtpRpc> rpc);

    // Outgoing (mtp-homa-outgoing.cc).
    /** Send what the RPC may send now (directly or through the pacer). */
    void XmitData(Ptr<MtpRpc> rpc);
    /** Send a control packet for an RPC. */
    void SendControl(Ptr<MtpRpc> rpc, MtpHeader& header);

    // Timer (mtp-homa-timer.cc).
    /** Make sure a tick is scheduled while RPCs live. */
    void EnsureTick();
    /** The periodic tick. */
    void Tick();
    /** Tick work for one RPC. */
    void TickRpc(Ptr<MtpRpc> rpc);
    /**
     * Send a RESEND for the first missing range of the RPC's inbound message
     * (from offset 0 if none of it arrived yet).
     * \return false if nothing granted is missing (nothing sent)
     */
    bool RequestRetransmission(Ptr<MtpRpc> rpc);

    MtpGrantScheduler m_grants; //!< receiver SRPT over the inbound messages of our sockets
    EventId m_tickEvent;        //!< pending tick
};

} // namespace ns3

#endif /* MTP_HOMA_STACK_H */
