/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHomaStack, one-way messages answered by an ack (an MTP extension; the
 * sender's MtpL4Protocol::OneWayAnswer=Ack, DATA flag FLAG_ACK_ONLY): the
 * receiver's side.
 *
 * The receiver sends no response.  When the message is complete it is
 * delivered, the sender is owed an ack and the RPC is freed; Homa's ack
 * machinery runs with the roles reversed.  The ack names the receiver's own
 * (odd) id and the sender's port, so the sender tells it from a Homa ack
 * (even client id, server port): MtpL4Protocol::ProcessAck.  It rides in the
 * ack field of the next DATA this host sends to the sender, or in an ACK
 * packet when the sender, silent for ResendTicks, asks with NEED_ACK.
 *
 * Loss recovery:
 *  - part of the message lost: the receiver holds the RPC and asks with
 *    RESEND, as for any message;
 *  - all of it lost (a one-packet message's only DATA): the receiver knows
 *    nothing; the sender's NEED_ACK draws RPC_UNKNOWN and the sender sends
 *    the message again (it kept it for this);
 *  - the ack lost: the receiver keeps the completed id for OneWayLinger
 *    (MtpRpcTable::Linger), answers the sender's next NEED_ACK (or RESEND)
 *    with the ack again, and absorbs late DATA for it, so the message is
 *    delivered once.  (An ack not sent yet, still in the peer's queue, is
 *    proof of delivery too.)  The linger outlasts the time a sender with
 *    the same timer settings keeps asking; after it the id is forgotten,
 *    and only a sender still asking (longer timers than ours) would be told
 *    RPC_UNKNOWN and deliver the message a second time.
 */

#include "ns3/log.h"
#include "ns3/mtp-homa-stack.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHomaOneWay");

void
MtpHomaStack::CompleteOneWayWithAck(Ptr<MtpRpc> rpc, Ptr<Packet> message)
{
    MtpSocket& socket = *rpc->socket;
    NS_LOG_LOGIC("one-way " << rpc->id << " from " << rpc->peer->GetAddress() << " complete: ack");
    rpc->peer->pendingAcks.push_back(MtpAck{rpc->id, rpc->peerPort});
    socket.Rpcs().Linger(rpc->peer->GetAddress(),
                         rpc->id,
                         Simulator::Now() + m_l4->GetOneWayLinger());
    socket.Rpcs().Remove(rpc);
    ++m_l4->Metrics().oneWayReceived;
    socket.Rpcs().Deliver(rpc, message, MtpMessageKind::ONE_WAY);
}

bool
MtpHomaStack::AbsorbLingering(const MtpDataHeader& h,
                              uint32_t payload,
                              const MtpRxContext& ctx,
                              MtpSocket& socket)
{
    if (!socket.Rpcs().IsLingering(ctx.src, h.GetSenderId() ^ 1))
    {
        return false;
    }
    // A late copy (a retransmission that crossed the last packet, a
    // duplicate) of a message delivered already: counted, never delivered.
    MtpMetrics& metrics = m_l4->Metrics();
    ++metrics.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::DATA)];
    metrics.dataBytesReceived += payload;
    metrics.duplicateBytes += payload;
    ++metrics.oneWayLingerHits;
    return true;
}

bool
MtpHomaStack::AnswerLingering(const MtpHeader& h, const MtpRxContext& ctx, MtpSocket& socket)
{
    uint64_t localId = h.GetSenderId() ^ 1;
    if ((localId & 1) == 0)
    {
        return false;
    }
    // An ack still owed proves delivery as well as the linger does (and
    // outlives a linger set too short: it goes only when sent).
    const std::deque<MtpAck>& owed = m_l4->GetPeer(ctx.src)->pendingAcks;
    bool stillOwed = std::any_of(owed.begin(), owed.end(), [localId](const MtpAck& a) {
        return a.clientId == localId;
    });
    if (!stillOwed && !socket.Rpcs().IsLingering(ctx.src, localId))
    {
        return false;
    }
    ++m_l4->Metrics().oneWayLingerHits;
    SendAck(ctx.src, h, MtpAck{localId, h.GetSourcePort()});
    return true;
}

void
MtpHomaStack::HandleNeedAckFromClient(const MtpHeader& h,
                                      const MtpRxContext& ctx,
                                      MtpSocket& socket)
{
    uint64_t localId = h.GetSenderId() ^ 1;
    Ptr<MtpRpc> rpc = socket.Rpcs().FindServer(ctx.src, localId);
    if (rpc)
    {
        // Still receiving: ask for what is missing, or say we are alive (the
        // next GRANT is ours to send).  As on the client side, a NEED_ACK is
        // no progress and leaves our silence counters alone.
        if (rpc->state != MtpRpc::State::INCOMING || !rpc->ExpectsPeer() ||
            !RequestRetransmission(rpc))
        {
            MtpBusyHeader b;
            SendControl(rpc, b);
        }
        return;
    }
    if (AnswerLingering(h, ctx, socket))
    {
        return;
    }
    // Never got it (or gave up on it before it was complete): the sender
    // sends it again.
    MtpUnknownHeader u;
    m_l4->SendControlTo(ctx.src, h.GetDestinationPort(), h.GetSourcePort(), localId, u);
}

} // namespace ns3
