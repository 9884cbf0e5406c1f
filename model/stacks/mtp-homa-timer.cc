/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHomaStack, timer (Linux Homa's homa_timer.c): one tick per engine that
 * runs while RPCs live; silent RPCs get RESEND (receiver) or NEED_ACK
 * (server whose response is out), and ETIMEDOUT after TimeoutResends
 * unanswered ones.
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
        MtpOutMessage& m = *rpc->msgout;
        if (!rpc->IsClient())
        {
            // Not "granted >= length": a segment leaves once its first byte
            // is granted, so the last one may be out while the client's final
            // GRANT was lost; no grant will come, so ask for the ack.
            if (m.IsFullySent())
            {
                // The whole response went out; ask whether it arrived.
                MtpNeedAckHeader n;
                SendControl(rpc, n);
            }
            // Otherwise we wait for grants from the client, whose own RESENDs
            // keep us alive; silence here only counts toward the timeout.
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
