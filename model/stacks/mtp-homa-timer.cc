/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHomaStack, timer (Linux Homa's homa_timer.c): one tick per engine that
 * runs while RPCs live; silent RPCs get RESEND (receiver) or NEED_ACK
 * (server whose response is out or waits for grants), and ETIMEDOUT after
 * TimeoutResends unanswered ones.
 *
 * Who may time out (Homa's homa_timer_check_rpc): silence counts only
 * against the side that is owed the next packet.  A receiver holding every
 * byte it granted owes the next GRANT itself (MtpRpc::ExpectsPeer is false);
 * a sender with granted bytes still to send owes them.  A client waiting
 * for grants for its request asks with RESEND and the server answers BUSY.
 * A server waiting for grants for its response is owed a GRANT but may be
 * held back by SRPT indefinitely, so it never gives up on silence alone: it
 * probes with NEED_ACK, which a live client always answers (RESEND, BUSY or
 * ACK); only a dead client leaves the probes unanswered.
 *
 * A one-way message with OneWayAnswer=Ack turns NEED_ACK around: its sender,
 * once it sent all it may, is owed the receiver's ack and probes with
 * NEED_ACK (answered in mtp-homa-oneway.cc), under the same count and
 * timeout.
 */

#include "ns3/mtp-homa-stack.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"
#include "ns3/simulator.h"

namespace ns3
{

void
MtpHomaStack::EnsureTick()
{
    if (m_liveRpcs > 0 && m_tickEvent.IsExpired())
    {
        m_tickEvent = Simulator::Schedule(m_l4->GetTickInterval(), &MtpHomaStack::Tick, this);
    }
}

void
MtpHomaStack::Tick()
{
    ++m_l4->Metrics().ticks;
    for (auto& s : Sockets())
    {
        for (auto& rpc : s->Rpcs().GetAll())
        {
            TickRpc(rpc);
        }
    }
    // Grants are recomputed when DATA arrives; an RPC that left the
    // scheduler otherwise (aborted, discarded, closed) frees overcommit
    // slots and incoming budget that no DATA may come to hand on.  A message
    // that received all it was granted waits for us, not its peer, and would
    // never time out: give it its grant here.
    RunGrants();
    EnsureTick();
}

void
MtpHomaStack::TickRpc(Ptr<MtpRpc> rpc)
{
    if (rpc->state == MtpRpc::State::DEAD)
    {
        return;
    }
    if (!rpc->ExpectsPeer())
    {
        rpc->silentTicks = 0;
        return;
    }
    ++rpc->silentTicks;
    if (rpc->silentTicks < m_l4->GetResendTicks() ||
        (rpc->silentTicks - m_l4->GetResendTicks()) % m_l4->GetResendInterval() != 0)
    {
        return;
    }
    if (rpc->resendsWithoutReply >= m_l4->GetTimeoutResends())
    {
        AbortRpc(rpc, MtpError::TIMEDOUT);
        return;
    }
    ++rpc->resendsWithoutReply;
    // Silence may mean a path change: look the route up afresh.
    rpc->peer->route4 = nullptr;
    rpc->peer->route6 = nullptr;

    uint8_t prio = m_l4->GetMaxSchedPriority();
    if (rpc->state == MtpRpc::State::OUTGOING)
    {
        if (!rpc->IsClient())
        {
            // A server with its response out, or waiting for grants, has
            // nothing to ask for: the client owes the next move (a GRANT, a
            // RESEND or the ACK), and under SRPT it may rightly hold a long
            // response back for longer than any timeout.  Homa's server
            // never counts that wait against the RPC; MTP probes instead,
            // so that a dead client's RPCs do not live for ever: the client
            // answers NEED_ACK with RESEND (bytes missing), BUSY (alive, the
            // grant is its own to send) or ACK (done), and only
            // TimeoutResends unanswered probes discard the RPC.
            MtpNeedAckHeader n;
            SendControl(rpc, n);
            return;
        }
        if (rpc->ackOnly)
        {
            // A one-way message sent in full (or waiting for grants), owed an
            // ack rather than a response: ask for it.  The receiver answers
            // ACK (delivered), RESEND or BUSY (still receiving), or
            // RPC_UNKNOWN (it never got the message: we send it again).
            MtpNeedAckHeader n;
            SendControl(rpc, n);
            return;
        }
        // A client whose request is out (or waiting for grants): ask the
        // server for the response; it answers BUSY, data, or RPC_UNKNOWN.
        MtpResendHeader r;
        r.SetOffset(0);
        r.SetLength(m_l4->GetUnschedBytes());
        r.SetPriority(prio);
        ++m_l4->Metrics().resendsSent;
        m_l4->NotifyResend(rpc->id, 0, m_l4->GetUnschedBytes(), prio);
        SendControl(rpc, r);
        return;
    }
    // INCOMING.
    RequestRetransmission(rpc);
}

bool
MtpHomaStack::RequestRetransmission(Ptr<MtpRpc> rpc)
{
    uint8_t prio = m_l4->GetMaxSchedPriority();
    MtpResendHeader r;
    if (!rpc->msgin)
    {
        r.SetOffset(0);
        r.SetLength(m_l4->GetUnschedBytes());
    }
    else
    {
        MtpSegment gap;
        if (!rpc->msgin->FirstGap(rpc->msgin->GetIncoming(), gap))
        {
            return false;
        }
        r.SetOffset(gap.offset);
        r.SetLength(gap.length);
        prio = gap.offset < rpc->grantEntry.unscheduled ? m_l4->GetNumPriorities() - 1
                                                        : m_l4->GetMaxSchedPriority();
    }
    r.SetPriority(prio);
    ++m_l4->Metrics().resendsSent;
    m_l4->NotifyResend(rpc->id, r.GetOffset(), r.GetLength(), prio);
    SendControl(rpc, r);
    return true;
}
} // namespace ns3
