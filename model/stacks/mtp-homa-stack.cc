/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHomaStack: the engine object, its registration name and the
 * tcp_functions hooks.  The packet work is in mtp-homa-incoming.cc,
 * mtp-homa-outgoing.cc and mtp-homa-timer.cc.
 */

#include "ns3/mtp-homa-stack.h"

#include "ns3/log.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHomaStack");

NS_OBJECT_ENSURE_REGISTERED(MtpHomaStack);

TypeId
MtpHomaStack::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpHomaStack")
                            .SetParent<MtpStack>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpHomaStack>();
    return tid;
}

MtpHomaStack::MtpHomaStack() = default;

MtpHomaStack::~MtpHomaStack() = default;

void
MtpHomaStack::DoDispose()
{
    m_tickEvent.Cancel();
    MtpStack::DoDispose();
}

std::string
MtpHomaStack::GetName() const
{
    return "homa";
}

MtpError
MtpHomaStack::HandoffOk(const MtpSocket& socket) const
{
    // Any RPC can be adopted: see Adopt.
    return MtpError::OK;
}

void
MtpHomaStack::Init(MtpSocket& socket)
{
    // Grant parameters are node-wide Attributes of MtpL4Protocol: take their
    // current values whenever a socket arrives (as before stacks existed).
    m_grants.SetConfig(GrantConfig());
    MtpStack::Init(socket);
}

// MtpGrantScheduler::SetConfig is safe with live entries: its byte totals
// do not depend on the configuration, and a smaller window, overcommit or
// MaxIncoming only withholds further grants until the messages catch up.
void
MtpHomaStack::ConfigChanged()
{
    m_grants.SetConfig(GrantConfig());
}

MtpGrantScheduler::Config
MtpHomaStack::GrantConfig() const
{
    return m_l4->GetGrantConfig();
}

void
MtpHomaStack::Fini(MtpSocket& socket, bool switching)
{
    MtpStack::Fini(socket, switching);
}

void
MtpHomaStack::Adopt(Ptr<MtpRpc> rpc)
{
    MtpStack::Adopt(rpc);
    EnsureTick();
    if (rpc->msgin && rpc->state == MtpRpc::State::INCOMING)
    {
        // Handed over mid-message: resume granting it.
        AddToGrants(rpc);
        RunGrants();
    }
    if (rpc->msgout && rpc->state == MtpRpc::State::OUTGOING)
    {
        XmitData(rpc);
    }
}

void
MtpHomaStack::Release(Ptr<MtpRpc> rpc)
{
    m_grants.Remove(&rpc->grantEntry);
    m_l4->GetPacer().Remove(&rpc->pacerEntry);
    MtpStack::Release(rpc);
}

const MtpGrantScheduler&
MtpHomaStack::GetGrantScheduler() const
{
    return m_grants;
}

} // namespace ns3
