/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-port.h"

#include "ns3/ipn-network.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnPort");

NS_OBJECT_ENSURE_REGISTERED(IpnPort);

// ---------------------------------------------------------------- IpnMessage

IpnMessage::IpnMessage(Ptr<const Packet> packet)
    : m_packet(packet)
{
}

Ptr<const Packet>
IpnMessage::GetPacket() const
{
    return m_packet;
}

uint32_t
IpnMessage::GetSize() const
{
    return m_packet->GetSize();
}

// ---------------------------------------------------------------- IpnPort

TypeId
IpnPort::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpnPort").SetParent<Object>().SetGroupName("Mtp").AddConstructor<IpnPort>();
    return tid;
}

IpnPort::IpnPort()
{
    NS_LOG_FUNCTION(this);
}

IpnPort::~IpnPort()
{
    NS_LOG_FUNCTION(this);
}

void
IpnPort::DoDispose()
{
    m_queue.clear();
    m_oobQueue.clear();
    m_network = nullptr;
    m_notify = Callback<void>();
    m_device = Callback<void, Ptr<const Packet>>();
    Object::DoDispose();
}

IpnPort::Kind
IpnPort::GetKind() const
{
    return m_kind;
}

void
IpnPort::SetKind(Kind kind)
{
    m_kind = kind;
}

int32_t
IpnPort::GetPortNumber() const
{
    return m_portno;
}

int32_t
IpnPort::GetRequestedPort() const
{
    return m_requested;
}

void
IpnPort::SetRequestedPort(int32_t port)
{
    m_requested = port;
}

const std::string&
IpnPort::GetDescription() const
{
    return m_descr;
}

void
IpnPort::SetDescription(const std::string& d)
{
    m_descr = d;
}

Ptr<IpnNetwork>
IpnPort::GetNetwork() const
{
    return m_network;
}

uint8_t
IpnPort::GetShutdown() const
{
    return m_shutdown;
}

void
IpnPort::SetShutdown(uint8_t bits)
{
    m_shutdown = bits & SHUT_ALL;
}

void
IpnPort::SetNetwork(Ptr<IpnNetwork> net)
{
    m_network = net;
}

bool
IpnPort::WantsNumNodes() const
{
    return m_wantNumNodes;
}

void
IpnPort::SetWantsNumNodes(bool want)
{
    m_wantNumNodes = want;
}

bool
IpnPort::IsConnected() const
{
    return m_portno >= 0;
}

uint32_t
IpnPort::GetQueueLength() const
{
    return static_cast<uint32_t>(m_queue.size());
}

uint32_t
IpnPort::GetOobQueueLength() const
{
    return static_cast<uint32_t>(m_oobQueue.size());
}

uint32_t
IpnPort::GetQueuedBytes() const
{
    return m_bytes;
}

uint64_t
IpnPort::GetDropCount() const
{
    return m_drops;
}

Ptr<Packet>
IpnPort::Dequeue(bool& oob)
{
    std::deque<Ptr<IpnMessage>>* q = nullptr;
    if (!m_oobQueue.empty())
    {
        q = &m_oobQueue;
        oob = true;
    }
    else if (!m_queue.empty())
    {
        q = &m_queue;
        oob = false;
    }
    else
    {
        return nullptr;
    }
    Ptr<IpnMessage> msg = q->front();
    q->pop_front();
    m_bytes -= msg->GetSize();
    Ptr<Packet> p = msg->GetPacket()->Copy();
    if (m_network)
    {
        m_network->Put(msg);
    }
    return p;
}

void
IpnPort::SetNotifyCallback(Callback<void> cb)
{
    m_notify = cb;
}

void
IpnPort::SetDeviceCallback(Callback<void, Ptr<const Packet>> cb)
{
    m_device = cb;
}

void
IpnPort::ScheduleNotify()
{
    if (m_notifyPending || m_notify.IsNull())
    {
        return;
    }
    m_notifyPending = true;
    Simulator::ScheduleNow(&IpnPort::DoNotify, Ptr<IpnPort>(this));
}

void
IpnPort::DoNotify()
{
    m_notifyPending = false;
    if (!m_notify.IsNull())
    {
        m_notify();
    }
}

} // namespace ns3
