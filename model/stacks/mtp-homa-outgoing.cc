/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHomaStack, outgoing half (Linux Homa's homa_outgoing.c): a message's
 * unscheduled bytes at the priority the receiver's cutoffs give, the rest
 * as GRANTs allow, long messages through the node's pacer.
 */

#include "ns3/mtp-homa-stack.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"

#include <algorithm>

namespace ns3
{

uint32_t
MtpHomaStack::UnscheduledBytes(uint32_t length) const
{
    return m_l4->GetUnschedBytes();
}

uint8_t
MtpHomaStack::UnschedPriority(Ptr<MtpRpc> rpc, uint32_t length) const
{
    return rpc->peer->UnschedPriority(length, m_l4->GetNumPriorities());
}

MtpError
MtpHomaStack::StartMessage(Ptr<MtpRpc> rpc, Ptr<const Packet> message)
{
    uint32_t segment = m_l4->SegmentSize(rpc->peer);
    if (segment == 0)
    {
        return MtpError::HOSTUNREACH;
    }
    rpc->msgout =
        std::make_unique<MtpOutMessage>(message, segment, UnscheduledBytes(message->GetSize()));
    rpc->unschedPriority = UnschedPriority(rpc, message->GetSize());
    rpc->schedPriority = 0;
    m_l4->NotifyMessageBegin(rpc->id,
                             rpc->peer->GetAddress().ToSocketAddress(rpc->peerPort),
                             message->GetSize(),
                             rpc->IsClient());
    XmitData(rpc);
    return MtpError::OK;
}

void
MtpHomaStack::XmitData(Ptr<MtpRpc> rpc)
{
    if (!rpc->msgout || rpc->state != MtpRpc::State::OUTGOING)
    {
        return;
    }
    MtpOutMessage& m = *rpc->msgout;
    if (m_l4->GetPacer().Bypasses(m.GetLength()))
    {
        while (m.HasSendable())
        {
            MtpSegment seg = m.TakeNextSegment();
            ++m_l4->Metrics().pacerBypass;
            SendDataSegment(rpc, seg, false, -1);
            if (rpc->state == MtpRpc::State::DEAD)
            {
                return;
            }
        }
        return;
    }
    m_l4->Pace(rpc);
}

void
MtpHomaStack::SendDataSegment(Ptr<MtpRpc> rpc, const MtpSegment& seg, bool retransmit, int priority)
{
    MtpOutMessage& m = *rpc->msgout;
    MtpDataHeader h;
    h.SetSourcePort(rpc->localPort);
    h.SetDestinationPort(rpc->peerPort);
    h.SetSenderId(rpc->id);
    h.SetMessageLength(m.GetLength());
    h.SetIncoming(std::max(m.GetGranted(), std::min(m.GetLength(), seg.offset + seg.length)));
    if (!rpc->peer->pendingAcks.empty())
    {
        h.SetAck(rpc->peer->pendingAcks.front());
        rpc->peer->pendingAcks.pop_front();
        ++m_l4->Metrics().acksPiggybacked;
    }
    h.SetCutoffVersion(rpc->peer->cutoffVersion);
    h.SetRetransmit(retransmit ? 1 : 0);
    uint8_t ext = 0;
    if (rpc->oneWay && rpc->IsClient())
    {
        ext = MtpDataHeader::FLAG_ONE_WAY | (rpc->ackOnly ? MtpDataHeader::FLAG_ACK_ONLY : 0);
    }
    h.SetExtFlags(ext);
    h.SetOffset(seg.offset);
    if (retransmit)
    {
        h.SetSegOffset(seg.offset); // Homa's homa_resend_data writes the offset in both
    }
    uint8_t prio;
    if (priority >= 0)
    {
        prio = static_cast<uint8_t>(priority);
    }
    else
    {
        prio = seg.offset < m.GetUnscheduled() || m.GetLength() == 0 ? rpc->unschedPriority
                                                                     : rpc->schedPriority;
    }
    Ptr<Packet> p = m.GetLength() == 0 ? Create<Packet>() : m.GetBytes(seg);
    m_l4->Metrics().dataBytesSent += seg.length;
    if (retransmit)
    {
        ++m_l4->Metrics().packetsRetransmitted;
    }
    m_l4->SendPacket(p, h, rpc->peer, prio);
}

void
MtpHomaStack::SendControl(Ptr<MtpRpc> rpc, MtpHeader& header)
{
    m_l4->SendControlTo(rpc->peer, rpc->localPort, rpc->peerPort, rpc->id, header);
}

} // namespace ns3
