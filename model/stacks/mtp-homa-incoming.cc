/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHomaStack, incoming half (Linux Homa's homa_incoming.c): every packet
 * type, message reassembly and delivery, and the receiver's SRPT grants.
 */

#include "ns3/log.h"
#include "ns3/mtp-homa-stack.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHomaIncoming");

namespace
{

/** The RPC an intrusive entry belongs to (the cookie holds its address). */
template <class E>
Ptr<MtpRpc>
RpcOf(const E* e)
{
    return Ptr<MtpRpc>(reinterpret_cast<MtpRpc*>(static_cast<uintptr_t>(e->cookie)));
}

/** The RPC a control packet names in `socket` (nullptr if unknown). */
Ptr<MtpRpc>
LookupRpc(const MtpSocket& socket, const MtpAddress& src, uint64_t senderId)
{
    uint64_t localId = senderId ^ 1;
    if ((localId & 1) == 0)
    {
        return socket.Rpcs().FindClient(localId);
    }
    return socket.Rpcs().FindServer(src, localId);
}

} // namespace

void
MtpHomaStack::Receive(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    MtpHeader common;
    p->PeekHeader(common);
    switch (common.GetType())
    {
    case MtpPacketType::DATA:
        HandleData(p, ctx, socket);
        break;
    case MtpPacketType::GRANT:
        HandleGrant(p, ctx, socket);
        break;
    case MtpPacketType::RESEND:
        HandleResend(p, ctx, socket);
        break;
    case MtpPacketType::RPC_UNKNOWN:
        HandleUnknown(p, ctx, socket);
        break;
    case MtpPacketType::BUSY:
        HandleBusy(p, ctx, socket);
        break;
    case MtpPacketType::CUTOFFS:
        HandleCutoffs(p, ctx, socket);
        break;
    case MtpPacketType::FREEZE:
        HandleFreeze(p, ctx, socket);
        break;
    case MtpPacketType::NEED_ACK:
        HandleNeedAck(p, ctx, socket);
        break;
    case MtpPacketType::ACK:
        HandleAck(p, ctx, socket);
        break;
    }
}

void
MtpHomaStack::AddToGrants(Ptr<MtpRpc> rpc)
{
    MtpInMessage& in = *rpc->msgin;
    if (in.GetIncoming() < in.GetLength() && !rpc->grantEntry.linked)
    {
        MtpGrantScheduler::Entry& e = rpc->grantEntry;
        e.length = in.GetLength();
        e.received = in.GetBytesReceived();
        e.granted = in.GetIncoming();
        if (e.received == 0)
        {
            e.unscheduled = in.GetIncoming();
        }
        m_grants.Add(&e);
    }
}

void
MtpHomaStack::MaybeSendCutoffs(Ptr<MtpPeer> peer, uint16_t sport, uint16_t dport, uint64_t senderId)
{
    Time now = Simulator::Now();
    if (peer->lastCutoffsSent >= Time(0) && now - peer->lastCutoffsSent < m_l4->GetTickInterval())
    {
        return;
    }
    peer->lastCutoffsSent = now;
    MtpCutoffsHeader c;
    c.SetCutoffs(m_l4->GetCutoffs());
    c.SetCutoffVersion(m_l4->GetCutoffVersion());
    m_l4->SendControlTo(peer, sport, dport, senderId, c);
}

void
MtpHomaStack::HandleData(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    // The header is peeked, not removed, until the segment is kept: every
    // drop below hands the packet on as it arrived, without a copy.
    MtpDataHeader h;
    const uint32_t headerBytes = p->PeekHeader(h);
    const uint32_t payload = p->GetSize() - headerBytes;
    Ptr<const Packet> original = p;
    MtpDropReason reason = h.Validate(payload, m_l4->GetMaxMessageLength());
    if (reason != MtpDropReason::NONE)
    {
        m_l4->Drop(original, reason);
        return;
    }

    // A piggybacked ack frees a server RPC of ours, whatever socket it is on.
    if (h.GetAck().clientId != 0)
    {
        m_l4->ProcessAck(ctx.src, h.GetAck());
    }

    // The sender's peer record is looked up (or made) only where it is
    // needed, for a new server RPC or new cutoffs: not per packet.
    uint64_t localId = h.GetSenderId() ^ 1;
    Ptr<MtpRpc> rpc;
    if ((localId & 1) == 0)
    {
        // A response for one of our client RPCs.
        rpc = socket.Rpcs().FindClient(localId);
        if (!rpc || rpc->peerPort != h.GetSourcePort())
        {
            m_l4->Drop(original, MtpDropReason::NO_RPC);
            return;
        }
        if (rpc->state == MtpRpc::State::OUTGOING)
        {
            // The server answers only after the whole request arrived.
            rpc->state = MtpRpc::State::INCOMING;
            m_l4->GetPacer().Remove(&rpc->pacerEntry);
        }
    }
    else
    {
        rpc = socket.Rpcs().FindServer(ctx.src, localId);
        if (!rpc)
        {
            if (AbsorbLingering(h, payload, ctx, socket))
            {
                return;
            }
            rpc = socket.Rpcs().NewServer(m_l4->GetPeer(ctx.src),
                                          h.GetSourcePort(),
                                          h.GetDestinationPort(),
                                          localId);
            rpc->oneWay = (h.GetExtFlags() & MtpDataHeader::FLAG_ONE_WAY) != 0;
            rpc->ackOnly = rpc->oneWay && (h.GetExtFlags() & MtpDataHeader::FLAG_ACK_ONLY) != 0;
        }
    }
    if (rpc->msgin && rpc->msgin->GetLength() != h.GetMessageLength())
    {
        m_l4->Drop(original, MtpDropReason::LENGTH_MISMATCH);
        if (!rpc->IsClient() && rpc->state == MtpRpc::State::INCOMING)
        {
            // The client disagrees with the length an earlier packet gave, so
            // one of them was corrupt and this request could never complete:
            // its RESENDs and our BUSYs would keep both ends alive forever.
            // Not delivered yet, so forget it (as on RPC_UNKNOWN); the
            // client's next packet starts it afresh.
            socket.Rpcs().Remove(rpc);
            ++m_l4->Metrics().serverRpcsDiscarded;
        }
        else if (rpc->IsClient() && rpc->state == MtpRpc::State::INCOMING)
        {
            // The same disagreement about a response (found by the receive
            // fuzzer: a forged first packet gave a longer length, so the
            // client waited for bytes the server never had and the server
            // answered its RESENDs with BUSY for ever).  Nothing of it was
            // delivered, so drop the bytes held; the server's next packet
            // starts the response afresh and RESENDs recover the rest.
            NS_LOG_WARN("RPC " << rpc->id << ": response length " << h.GetMessageLength()
                               << " contradicts " << rpc->msgin->GetLength()
                               << "; restarting the response");
            m_grants.Remove(&rpc->grantEntry);
            rpc->msgin.reset();
        }
        return;
    }
    // Counted only now: a dropped packet is never also "received".
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::DATA)];
    m_l4->Metrics().dataBytesReceived += payload;
    rpc->HeardFromPeer();
    if (h.GetCutoffVersion() != m_l4->GetCutoffVersion())
    {
        MaybeSendCutoffs(m_l4->GetPeer(ctx.src), rpc->localPort, rpc->peerPort, rpc->id);
    }
    if (rpc->state != MtpRpc::State::INCOMING)
    {
        // The request is already complete (duplicate or late retransmission).
        m_l4->Metrics().duplicateBytes += payload;
        return;
    }
    if (!rpc->msgin)
    {
        rpc->msgin = std::make_unique<MtpInMessage>(h.GetMessageLength(), h.GetIncoming());
        m_l4->NotifyMessageBegin(rpc->id,
                                 ctx.src.ToSocketAddress(rpc->peerPort),
                                 h.GetMessageLength(),
                                 !rpc->IsClient());
        AddToGrants(rpc);
    }
    MtpInMessage& in = *rpc->msgin;
    in.SetIncoming(h.GetIncoming());
    p->RemoveAtStart(headerBytes);
    uint32_t fresh = in.AddSegment(h.GetOffset(), p);
    m_l4->Metrics().duplicateBytes += payload - fresh;
    if (rpc->grantEntry.linked)
    {
        m_grants.Update(&rpc->grantEntry, in.GetBytesReceived());
    }
    if (in.IsComplete())
    {
        m_grants.Remove(&rpc->grantEntry);
        MessageComplete(rpc);
    }
    RunGrants();
}

void
MtpHomaStack::RunGrants()
{
    for (const auto& g : m_grants.Schedule())
    {
        Ptr<MtpRpc> rpc = RpcOf(g.entry);
        if (!rpc->msgin)
        {
            continue;
        }
        rpc->msgin->SetIncoming(g.offset);
        MtpGrantHeader h;
        h.SetOffset(g.offset);
        h.SetPriority(g.priority);
        ++m_l4->Metrics().grantsSent;
        m_l4->Metrics().fifoGrants += g.fifo ? 1 : 0;
        m_l4->NotifyGrant(rpc->id, g.offset, 0, g.priority);
        SendControl(rpc, h);
    }
}

void
MtpHomaStack::MessageComplete(Ptr<MtpRpc> rpc)
{
    MtpInMessage& in = *rpc->msgin;
    Address from = rpc->peer->GetAddress().ToSocketAddress(rpc->peerPort);
    m_l4->NotifyMessageEnd(rpc->id, from, in.GetLength(), !rpc->IsClient());
    Ptr<Packet> message = in.Assemble();
    MtpSocket& socket = *rpc->socket;
    if (rpc->IsClient())
    {
        // The response is here: the RPC is over; the server may free its state.
        rpc->peer->pendingAcks.push_back(MtpAck{rpc->id, rpc->peerPort});
        socket.Rpcs().Remove(rpc);
        ++m_l4->Metrics().rpcsCompleted;
        if (!rpc->oneWay)
        {
            ++m_l4->Metrics().responsesReceived;
            socket.Rpcs().Deliver(rpc, message, MtpMessageKind::RESPONSE);
        }
        return;
    }
    if (rpc->ackOnly)
    {
        CompleteOneWayWithAck(rpc, message);
        return;
    }
    rpc->state = MtpRpc::State::IN_SERVICE;
    if (rpc->oneWay)
    {
        // MTP extension: the receiver answers a one-way message itself with an
        // empty response, so the sender's RPC ends and acks free this state.
        ++m_l4->Metrics().oneWayReceived;
        socket.Rpcs().Deliver(rpc, message, MtpMessageKind::ONE_WAY);
        if (rpc->state == MtpRpc::State::IN_SERVICE)
        {
            rpc->state = MtpRpc::State::OUTGOING;
            if (StartMessage(rpc, Create<Packet>()) != MtpError::OK)
            {
                socket.Rpcs().Remove(rpc);
            }
        }
        return;
    }
    ++m_l4->Metrics().requestsReceived;
    socket.Rpcs().Deliver(rpc, message, MtpMessageKind::REQUEST);
}

void
MtpHomaStack::HandleGrant(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    MtpGrantHeader h;
    p->RemoveHeader(h);
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc || !rpc->msgout)
    {
        m_l4->Drop(p, MtpDropReason::NO_RPC);
        return;
    }
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::GRANT)];
    rpc->HeardFromPeer();
    rpc->schedPriority = std::min<uint8_t>(h.GetPriority(), m_l4->GetNumPriorities() - 1);
    if (rpc->msgout->Grant(h.GetOffset()))
    {
        XmitData(rpc);
    }
}

void
MtpHomaStack::HandleResend(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    MtpResendHeader h;
    p->RemoveHeader(h);
    ++m_l4->Metrics().resendsReceived;
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc && AnswerLingering(h, ctx, socket))
    {
        ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RESEND)];
        return;
    }
    if (!rpc)
    {
        // We know nothing of it: tell the peer (a client restarts, a server forgets).
        MtpUnknownHeader u;
        m_l4->SendControlTo(ctx.src,
                            h.GetDestinationPort(),
                            h.GetSourcePort(),
                            h.GetSenderId() ^ 1,
                            u);
        ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RESEND)];
        return;
    }
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RESEND)];
    rpc->HeardFromPeer();
    if (rpc->IsClient() && rpc->state == MtpRpc::State::INCOMING && rpc->msgout &&
        rpc->msgout->SegmentsToResend(h.GetOffset(), h.GetLength()).empty())
    {
        // The server asks for request bytes we never sent, so it does not
        // have the whole request, and a server answers only after it has:
        // the response bytes we hold are not its (a forged packet moved us
        // on; found by the receive fuzzer, which saw the client answer BUSY
        // for ever).  Forget them and go back to sending the request.  (A
        // late RESEND for bytes already sent proves nothing: it may have
        // been overtaken by the response.)
        m_grants.Remove(&rpc->grantEntry);
        rpc->msgin.reset();
        rpc->state = MtpRpc::State::OUTGOING;
    }
    if (rpc->state != MtpRpc::State::OUTGOING || !rpc->msgout)
    {
        // Still receiving the request or computing the response: alive, be patient.
        MtpBusyHeader b;
        SendControl(rpc, b);
        return;
    }
    MtpOutMessage& m = *rpc->msgout;
    uint8_t prio = std::min<uint8_t>(h.GetPriority(), m_l4->GetNumPriorities() - 1);
    // A RESEND also says the receiver wants these bytes: treat it as a grant.
    uint64_t end = h.GetLength() == MtpResendHeader::LENGTH_ALL
                       ? m.GetLength()
                       : std::min<uint64_t>(m.GetLength(), uint64_t(h.GetOffset()) + h.GetLength());
    bool widened =
        h.GetLength() != MtpResendHeader::LENGTH_ALL && m.Grant(static_cast<uint32_t>(end));
    std::vector<MtpSegment> segs = m.SegmentsToResend(h.GetOffset(), h.GetLength());
    if (segs.empty())
    {
        // None of the bytes asked for has left yet: they are not granted, or
        // granted but waiting in our pacer behind shorter messages (SRPT at
        // the sender can hold them for longer than the receiver's timeout).
        // Say we are alive, as Homa's homa_resend_pkt does when the offset
        // is past what it transmitted, and let the pacer send them in turn.
        MtpBusyHeader b;
        SendControl(rpc, b);
        if (widened || m.HasSendable())
        {
            XmitData(rpc);
        }
        return;
    }
    for (const auto& seg : segs)
    {
        SendDataSegment(rpc, seg, true, prio);
    }
    if (widened || m.HasSendable())
    {
        XmitData(rpc);
    }
}

void
MtpHomaStack::HandleUnknown(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    MtpUnknownHeader h;
    p->RemoveHeader(h);
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc)
    {
        m_l4->Drop(p, MtpDropReason::NO_RPC);
        return;
    }
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RPC_UNKNOWN)];
    rpc->HeardFromPeer();
    if (!rpc->IsClient())
    {
        // The client forgot the RPC (it completed or was aborted): forget it too.
        socket.Rpcs().Remove(rpc);
        ++m_l4->Metrics().serverRpcsDiscarded;
        return;
    }
    if (rpc->msgin && rpc->msgin->GetBytesReceived() > 0)
    {
        // The server lost an RPC it had answered in part: restarting could
        // execute it twice, so give up instead (at-most-once).
        AbortRpc(rpc, MtpError::TIMEDOUT);
        return;
    }
    // The server never got the request (or lost all of it): send it again.
    ++rpc->restarts;
    ++m_l4->Metrics().restarts;
    rpc->msgin.reset();
    m_grants.Remove(&rpc->grantEntry);
    rpc->state = MtpRpc::State::OUTGOING;
    rpc->msgout->Restart();
    XmitData(rpc);
}

void
MtpHomaStack::HandleBusy(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    MtpBusyHeader h;
    p->RemoveHeader(h);
    Ptr<MtpRpc> rpc = LookupRpc(socket, ctx.src, h.GetSenderId());
    if (!rpc)
    {
        m_l4->Drop(p, MtpDropReason::NO_RPC);
        return;
    }
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::BUSY)];
    rpc->HeardFromPeer();
}

void
MtpHomaStack::HandleCutoffs(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    MtpCutoffsHeader h;
    p->RemoveHeader(h);
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::CUTOFFS)];
    Ptr<MtpPeer> peer = m_l4->GetPeer(ctx.src);
    peer->cutoffs = h.GetCutoffs();
    peer->cutoffVersion = h.GetCutoffVersion();
}

void
MtpHomaStack::HandleFreeze(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    // Linux Homa freezes its timetrace; a simulator has nothing to freeze.  The
    // packet is counted and visible on the Rx trace.
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::FREEZE)];
}

void
MtpHomaStack::HandleNeedAck(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    MtpNeedAckHeader h;
    p->RemoveHeader(h);
    uint64_t localId = h.GetSenderId() ^ 1;
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::NEED_ACK)];
    if ((localId & 1) != 0)
    {
        // From a client: the sender of a one-way message asks for its ack.
        HandleNeedAckFromClient(h, ctx, socket);
        return;
    }
    Ptr<MtpRpc> rpc = socket.Rpcs().FindClient(localId);
    if (rpc)
    {
        // Still waiting for part of the response: ask for what is missing
        // now (as Homa's homa_need_ack_pkt does).  If we hold every byte
        // granted so far, the next move is our GRANT (SRPT may be holding
        // this message back): say we are alive with BUSY (an MTP addition;
        // Homa's client stays silent here), or the server would take our
        // silence for death.  A NEED_ACK is no progress on the missing
        // bytes, so it leaves our silence counters alone: resetting them let
        // NEED_ACKs more frequent than ResendTicks hold our own RESENDs (and
        // our timeout) off forever.
        if (!rpc->ExpectsPeer() || !RequestRetransmission(rpc))
        {
            MtpBusyHeader b;
            SendControl(rpc, b);
        }
        return;
    }
    SendAck(ctx.src, h, MtpAck{localId, h.GetSourcePort()});
}

void
MtpHomaStack::SendAck(const MtpAddress& dst, const MtpHeader& asked, const MtpAck& ack)
{
    Ptr<MtpPeer> peer = m_l4->GetPeer(dst);
    MtpAckHeader a;
    a.AddAck(ack);
    // Flush other acks owed to the same host while we are at it.
    while (!peer->pendingAcks.empty() && a.GetNumAcks() < MtpAckHeader::MAX_ACKS)
    {
        MtpAck next = peer->pendingAcks.front();
        peer->pendingAcks.pop_front();
        if (next.clientId != ack.clientId)
        {
            a.AddAck(next);
        }
    }
    m_l4->SendControlTo(peer,
                        asked.GetDestinationPort(),
                        asked.GetSourcePort(),
                        asked.GetSenderId() ^ 1,
                        a);
}

void
MtpHomaStack::HandleAck(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket)
{
    Ptr<const Packet> original = p->Copy();
    MtpAckHeader h;
    p->RemoveHeader(h);
    MtpDropReason reason = h.Validate();
    if (reason != MtpDropReason::NONE)
    {
        m_l4->Drop(original, reason);
        return;
    }
    ++m_l4->Metrics().packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::ACK)];
    for (uint16_t i = 0; i < h.GetNumAcks(); ++i)
    {
        m_l4->ProcessAck(ctx.src, h.GetAck(i));
    }
}

} // namespace ns3
