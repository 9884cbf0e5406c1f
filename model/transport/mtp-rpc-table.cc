/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-rpc-table.h"

#include "ns3/log.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-stack.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpRpcTable");

MtpRpcTable::MtpRpcTable(MtpSocket* owner)
    : m_owner(owner)
{
}

void
MtpRpcTable::SetDeliverySink(DeliverySink sink)
{
    m_sink = std::move(sink);
}

Ptr<MtpRpc>
MtpRpcTable::NewClient(Ptr<MtpPeer> peer,
                       uint16_t peerPort,
                       uint16_t localPort,
                       uint64_t id,
                       bool oneWay)
{
    NS_LOG_FUNCTION(this << id << peer->GetAddress() << peerPort << oneWay);
    Ptr<MtpRpc> rpc = Create<MtpRpc>(m_owner, peer, peerPort, id);
    rpc->localPort = localPort;
    rpc->oneWay = oneWay;
    rpc->state = MtpRpc::State::OUTGOING;
    rpc->startTime = Simulator::Now();
    m_clients[id] = rpc;
    m_owner->GetStack()->RpcAdded(rpc);
    return rpc;
}

Ptr<MtpRpc>
MtpRpcTable::NewServer(Ptr<MtpPeer> peer, uint16_t peerPort, uint16_t localPort, uint64_t id)
{
    NS_LOG_FUNCTION(this << id << peer->GetAddress() << peerPort);
    Ptr<MtpRpc> rpc = Create<MtpRpc>(m_owner, peer, peerPort, id);
    rpc->localPort = localPort;
    rpc->state = MtpRpc::State::INCOMING;
    rpc->startTime = Simulator::Now();
    m_servers[std::make_pair(peer->GetAddress(), id)] = rpc;
    m_owner->GetStack()->RpcAdded(rpc);
    return rpc;
}

Ptr<MtpRpc>
MtpRpcTable::FindClient(uint64_t id) const
{
    auto it = m_clients.find(id);
    return it == m_clients.end() ? nullptr : it->second;
}

Ptr<MtpRpc>
MtpRpcTable::FindServer(const MtpAddress& client, uint64_t id) const
{
    auto it = m_servers.find(std::make_pair(client, id));
    return it == m_servers.end() ? nullptr : it->second;
}

void
MtpRpcTable::Remove(Ptr<MtpRpc> rpc)
{
    if (rpc->state == MtpRpc::State::DEAD)
    {
        return;
    }
    NS_LOG_FUNCTION(this << rpc->id);
    if (rpc->IsClient())
    {
        m_clients.erase(rpc->id);
    }
    else
    {
        m_servers.erase(std::make_pair(rpc->peer->GetAddress(), rpc->id));
    }
    m_owner->GetStack()->RpcRemoved(rpc);
}

std::vector<Ptr<MtpRpc>>
MtpRpcTable::GetAll() const
{
    std::vector<Ptr<MtpRpc>> v;
    v.reserve(GetCount());
    for (const auto& kv : m_clients)
    {
        v.push_back(kv.second);
    }
    for (const auto& kv : m_servers)
    {
        v.push_back(kv.second);
    }
    return v;
}

std::vector<Ptr<MtpRpc>>
MtpRpcTable::GetClients() const
{
    std::vector<Ptr<MtpRpc>> v;
    v.reserve(m_clients.size());
    for (const auto& kv : m_clients)
    {
        v.push_back(kv.second);
    }
    return v;
}

std::size_t
MtpRpcTable::GetCount() const
{
    return m_clients.size() + m_servers.size();
}

void
MtpRpcTable::Deliver(Ptr<MtpRpc> rpc, Ptr<Packet> message, MtpMessageKind kind)
{
    if (m_shutdown)
    {
        return;
    }
    MtpMessageTag tag;
    tag.id = rpc->id;
    tag.kind = kind;
    message->ReplacePacketTag(tag);
    MtpRecvInfo info;
    info.id = rpc->id;
    info.peer = rpc->peer->GetAddress().ToSocketAddress(rpc->peerPort);
    info.kind = kind;
    info.length = message->GetSize();
    info.rpcStart = rpc->startTime;
    m_sink(message, info);
}

void
MtpRpcTable::DeliverError(Ptr<MtpRpc> rpc, MtpError error)
{
    if (m_shutdown)
    {
        return;
    }
    MtpRecvInfo info;
    info.id = rpc->id;
    info.peer = rpc->peer->GetAddress().ToSocketAddress(rpc->peerPort);
    info.kind = MtpMessageKind::FAILED;
    info.error = error;
    info.rpcStart = rpc->startTime;
    m_sink(nullptr, info);
}

void
MtpRpcTable::Shutdown()
{
    if (m_shutdown)
    {
        return;
    }
    NS_LOG_FUNCTION(this);
    m_shutdown = true;
    for (auto& rpc : GetAll())
    {
        Remove(rpc);
    }
    m_linger.clear();
    m_lingerOrder.clear();
}

bool
MtpRpcTable::IsShutdown() const
{
    return m_shutdown;
}

void
MtpRpcTable::Linger(const MtpAddress& client, uint64_t id, Time until)
{
    if (m_shutdown)
    {
        return;
    }
    ExpireLinger();
    ServerKey key(client, id);
    m_linger[key] = until;
    m_lingerOrder.emplace_back(until, key);
}

bool
MtpRpcTable::IsLingering(const MtpAddress& client, uint64_t id)
{
    auto it = m_linger.find(ServerKey(client, id));
    if (it == m_linger.end())
    {
        return false;
    }
    if (it->second <= Simulator::Now())
    {
        ExpireLinger();
        return false;
    }
    return true;
}

std::size_t
MtpRpcTable::GetLingerCount()
{
    ExpireLinger();
    return m_linger.size();
}

void
MtpRpcTable::ExpireLinger()
{
    Time now = Simulator::Now();
    while (!m_lingerOrder.empty() && m_lingerOrder.front().first <= now)
    {
        auto it = m_linger.find(m_lingerOrder.front().second);
        // A later Linger of the same id moved its deadline: keep that one.
        if (it != m_linger.end() && it->second <= now)
        {
            m_linger.erase(it);
        }
        m_lingerOrder.pop_front();
    }
}

} // namespace ns3
