/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-rpc.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpRpc");

MtpRpc::MtpRpc(MtpSocket* sock, Ptr<MtpPeer> p, uint16_t port, uint64_t rpcId)
    : id(rpcId),
      socket(sock),
      peer(p),
      peerPort(port),
      localPort(0),
      state(State::OUTGOING)
{
    // The intrusive entries find their RPC through the cookie.
    grantEntry.cookie = reinterpret_cast<uintptr_t>(this);
    pacerEntry.cookie = reinterpret_cast<uintptr_t>(this);
}

const char*
MtpRpc::StateName() const
{
    switch (state)
    {
    case State::OUTGOING:
        return "OUTGOING";
    case State::INCOMING:
        return "INCOMING";
    case State::IN_SERVICE:
        return "IN_SERVICE";
    case State::DEAD:
        return "DEAD";
    }
    return "?";
}

bool
MtpRpc::ExpectsPeer() const
{
    switch (state)
    {
    case State::DEAD:
    case State::IN_SERVICE:
        // Nothing is owed by the peer: the application is working.
        return false;
    case State::INCOMING:
        if (!msgin)
        {
            // A client whose request is sent and has heard nothing of the response.
            return true;
        }
        // Silence counts only while granted bytes are missing; if everything
        // granted has arrived, the next move is ours (a grant).
        return msgin->GetBytesReceived() < msgin->GetIncoming() ||
               (msgin->GetLength() == 0 && !msgin->IsComplete());
    case State::OUTGOING:
        if (!msgout)
        {
            return false;
        }
        if (msgout->HasSendable())
        {
            // We still have bytes to send: the pacer, not the peer, owes work.
            return false;
        }
        // Sent everything we may send: we wait for a grant, for the
        // response (client) or for the ack (server).
        return true;
    }
    return false;
}

} // namespace ns3
