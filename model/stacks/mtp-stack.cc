/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-stack.h"

#include "ns3/log.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"
#include "ns3/object-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpStack");

NS_OBJECT_ENSURE_REGISTERED(MtpStack);

TypeId
MtpStack::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpStack").SetParent<Object>().SetGroupName("Mtp");
    return tid;
}

MtpStack::MtpStack() = default;

MtpStack::~MtpStack() = default;

void
MtpStack::DoDispose()
{
    m_l4 = nullptr;
    Object::DoDispose();
}

Ptr<MtpStack>
MtpStack::Fork() const
{
    ObjectFactory factory;
    factory.SetTypeId(GetInstanceTypeId());
    for (TypeId tid = GetInstanceTypeId(); tid != Object::GetTypeId(); tid = tid.GetParent())
    {
        for (std::size_t i = 0; i < tid.GetAttributeN(); ++i)
        {
            TypeId::AttributeInformation info = tid.GetAttribute(i);
            if (!(info.flags & TypeId::ATTR_SET) || !(info.flags & TypeId::ATTR_GET))
            {
                continue;
            }
            Ptr<AttributeValue> value = info.checker->Create();
            GetAttribute(info.name, *value);
            factory.Set(info.name, *value);
        }
    }
    return factory.Create<MtpStack>();
}

void
MtpStack::Bind(Ptr<MtpL4Protocol> l4)
{
    NS_ASSERT_MSG(!m_l4, "MtpStack::Bind: a stack object serves one node; Fork() it");
    m_l4 = l4;
    DoBind();
}

void
MtpStack::DoBind()
{
}

Ptr<MtpL4Protocol>
MtpStack::GetL4() const
{
    return m_l4;
}

MtpError
MtpStack::HandoffOk(const MtpSocket& socket) const
{
    return MtpError::OK;
}

void
MtpStack::Init(MtpSocket& socket)
{
    ++m_sockets;
    for (auto& rpc : socket.Rpcs().GetAll())
    {
        Adopt(rpc);
    }
}

void
MtpStack::Fini(MtpSocket& socket, bool switching)
{
    if (m_sockets > 0)
    {
        --m_sockets;
    }
    if (switching)
    {
        // The RPCs live on: the next stack adopts them.
        for (auto& rpc : socket.Rpcs().GetAll())
        {
            Release(rpc);
        }
    }
}

void
MtpStack::ConfigChanged()
{
}

uint32_t
MtpStack::GetSocketCount() const
{
    return m_sockets;
}

void
MtpStack::ProcessAck(Ptr<MtpRpc> rpc)
{
    // The client has no state for this RPC any more (it completed, or gave
    // up and answered our NEED_ACK with an ACK): the response, sent or not,
    // has no one to go to.  Before the response exists (INCOMING,
    // IN_SERVICE) an ACK cannot be about it: ignore it.
    if (rpc->state == MtpRpc::State::OUTGOING)
    {
        rpc->socket->Rpcs().Remove(rpc);
        ++m_l4->Metrics().serverRpcsFreed;
    }
}

void
MtpStack::ProcessOneWayAck(Ptr<MtpRpc> rpc)
{
    // The ack says the whole message was delivered: nothing is left to send
    // or to ask for, whatever the RPC is doing (a restart in progress
    // included: the receiver got an earlier copy).
    if (rpc->IsClient() && rpc->oneWay && rpc->ackOnly && rpc->state != MtpRpc::State::DEAD)
    {
        rpc->socket->Rpcs().Remove(rpc);
        ++m_l4->Metrics().oneWayAcked;
    }
}

void
MtpStack::Adopt(Ptr<MtpRpc> rpc)
{
    ++m_liveRpcs;
}

void
MtpStack::Release(Ptr<MtpRpc> rpc)
{
    if (m_liveRpcs > 0)
    {
        --m_liveRpcs;
    }
}

void
MtpStack::RpcAdded(Ptr<MtpRpc> rpc)
{
    Adopt(rpc);
}

void
MtpStack::RpcRemoved(Ptr<MtpRpc> rpc)
{
    Release(rpc);
    rpc->state = MtpRpc::State::DEAD;
}

uint32_t
MtpStack::GetLiveRpcCount() const
{
    return m_liveRpcs;
}

std::vector<Ptr<MtpSocket>>
MtpStack::Sockets() const
{
    std::vector<Ptr<MtpSocket>> mine;
    for (const auto& s : m_l4->GetSockets())
    {
        if (PeekPointer(s->GetStack()) == this)
        {
            mine.push_back(s);
        }
    }
    return mine;
}

void
MtpStack::AbortRpc(Ptr<MtpRpc> rpc, MtpError error)
{
    if (rpc->state == MtpRpc::State::DEAD)
    {
        return;
    }
    NS_LOG_LOGIC("abort rpc " << rpc->id << " " << MtpErrorName(error));
    MtpMetrics& metrics = m_l4->Metrics();
    ++metrics.rpcsAborted;
    if (error == MtpError::TIMEDOUT)
    {
        ++metrics.timeouts;
    }
    m_l4->NotifyAbort(rpc->id, error);
    MtpSocket* socket = rpc->socket;
    socket->Rpcs().Remove(rpc);
    if (rpc->IsClient())
    {
        socket->Rpcs().DeliverError(rpc, error);
    }
    else
    {
        ++metrics.serverRpcsDiscarded;
    }
}

} // namespace ns3
