/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-network.h"

#include "ns3/ipn-network-registry.h"
#include "ns3/ipn-policy.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnNetwork");

NS_OBJECT_ENSURE_REGISTERED(IpnNetwork);

// ---------------------------------------------------------------- IpnError

const char*
IpnErrorName(IpnError e)
{
    switch (e)
    {
    case IpnError::OK:
        return "OK";
    case IpnError::PERM:
        return "PERM";
    case IpnError::BADF:
        return "BADF";
    case IpnError::NOENT:
        return "NOENT";
    case IpnError::AGAIN:
        return "AGAIN";
    case IpnError::NOMEM:
        return "NOMEM";
    case IpnError::ACCES:
        return "ACCES";
    case IpnError::BUSY:
        return "BUSY";
    case IpnError::EXIST:
        return "EXIST";
    case IpnError::NODEV:
        return "NODEV";
    case IpnError::INVAL:
        return "INVAL";
    case IpnError::PIPE:
        return "PIPE";
    case IpnError::PROTO:
        return "PROTO";
    case IpnError::OVERFLOW:
        return "OVERFLOW";
    case IpnError::PROTOTYPE:
        return "PROTOTYPE";
    case IpnError::PROTONOSUPPORT:
        return "PROTONOSUPPORT";
    case IpnError::OPNOTSUPP:
        return "OPNOTSUPP";
    case IpnError::ADDRINUSE:
        return "ADDRINUSE";
    case IpnError::ADDRNOTAVAIL:
        return "ADDRNOTAVAIL";
    case IpnError::CONNRESET:
        return "CONNRESET";
    case IpnError::ISCONN:
        return "ISCONN";
    case IpnError::NOTCONN:
        return "NOTCONN";
    case IpnError::CONNREFUSED:
        return "CONNREFUSED";
    }
    return "UNKNOWN";
}

std::ostream&
operator<<(std::ostream& os, IpnError e)
{
    return os << IpnErrorName(e);
}

Socket::SocketErrno
IpnErrorToSocketErrno(IpnError e)
{
    switch (e)
    {
    case IpnError::OK:
        return Socket::ERROR_NOTERROR;
    case IpnError::AGAIN:
    case IpnError::NOMEM:
        return Socket::ERROR_AGAIN;
    case IpnError::ISCONN:
        return Socket::ERROR_ISCONN;
    case IpnError::NOTCONN:
        return Socket::ERROR_NOTCONN;
    case IpnError::OVERFLOW:
        return Socket::ERROR_MSGSIZE;
    case IpnError::PIPE:
    case IpnError::CONNRESET:
        return Socket::ERROR_SHUTDOWN;
    case IpnError::PROTOTYPE:
    case IpnError::PROTONOSUPPORT:
    case IpnError::OPNOTSUPP:
    case IpnError::PROTO:
        return Socket::ERROR_OPNOTSUPP;
    case IpnError::ADDRINUSE:
    case IpnError::EXIST:
    case IpnError::BUSY:
        return Socket::ERROR_ADDRINUSE;
    case IpnError::ADDRNOTAVAIL:
        return Socket::ERROR_ADDRNOTAVAIL;
    case IpnError::NOENT:
    case IpnError::CONNREFUSED:
        return Socket::ERROR_NOROUTETOHOST;
    case IpnError::NODEV:
        return Socket::ERROR_NODEV;
    case IpnError::BADF:
        return Socket::ERROR_BADF;
    case IpnError::ACCES:
    case IpnError::PERM:
    case IpnError::INVAL:
        return Socket::ERROR_INVAL;
    }
    return Socket::ERROR_INVAL;
}

// ---------------------------------------------------------------- IpnNetwork

TypeId
IpnNetwork::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpnNetwork")
            .SetParent<Object>()
            .SetGroupName("Mtp")
            .AddConstructor<IpnNetwork>()
            .AddTraceSource("Inject",
                            "A message entered the network (packet, sender's port number).",
                            MakeTraceSourceAccessor(&IpnNetwork::m_injectTrace),
                            "ns3::IpnNetwork::PortPacketCallback")
            .AddTraceSource("Deliver",
                            "The policy put a message on a port (packet, receiver's port).",
                            MakeTraceSourceAccessor(&IpnNetwork::m_deliverTrace),
                            "ns3::IpnNetwork::PortPacketCallback")
            .AddTraceSource("Drop",
                            "A message was dropped because the receiver's queue was full "
                            "(LOSSY) (packet, receiver's port).",
                            MakeTraceSourceAccessor(&IpnNetwork::m_dropTrace),
                            "ns3::IpnNetwork::PortPacketCallback")
            .AddTraceSource("PortAdded",
                            "A port was connected (its number).",
                            MakeTraceSourceAccessor(&IpnNetwork::m_portAddedTrace),
                            "ns3::IpnNetwork::PortCallback")
            .AddTraceSource("PortRemoved",
                            "A port left the network (its number).",
                            MakeTraceSourceAccessor(&IpnNetwork::m_portRemovedTrace),
                            "ns3::IpnNetwork::PortCallback");
    return tid;
}

IpnNetwork::IpnNetwork()
{
    NS_LOG_FUNCTION(this);
}

IpnNetwork::~IpnNetwork()
{
    NS_LOG_FUNCTION(this);
}

void
IpnNetwork::DoDispose()
{
    m_ports.clear();
    m_connected.clear();
    m_waiters.clear();
    m_policy = nullptr;
    m_node = nullptr;
    Object::DoDispose();
}

IpnError
IpnNetwork::Setup(Ptr<Node> node,
                  const std::string& path,
                  const IpnNetworkOptions& options,
                  uint32_t policyNumber,
                  Ptr<IpnPolicy> policy,
                  uint32_t ownerUid,
                  uint32_t ownerGid)
{
    NS_LOG_FUNCTION(this << path << policyNumber);
    m_node = node;
    m_path = path;
    m_options = options;
    m_policyNumber = policyNumber;
    m_policy = policy;
    m_ownerUid = ownerUid;
    m_ownerGid = ownerGid;
    m_ports.assign(options.numPorts, nullptr);
    return m_policy->NewNetwork(this);
}

Ptr<Node>
IpnNetwork::GetNode() const
{
    return m_node;
}

const std::string&
IpnNetwork::GetPath() const
{
    return m_path;
}

uint32_t
IpnNetwork::GetMtu() const
{
    return m_options.mtu;
}

uint32_t
IpnNetwork::GetNumPorts() const
{
    return static_cast<uint32_t>(m_ports.size());
}

uint32_t
IpnNetwork::GetPoolSize() const
{
    return m_options.poolSize;
}

bool
IpnNetwork::IsLossless() const
{
    return m_options.lossless;
}

uint32_t
IpnNetwork::GetMode() const
{
    return m_options.mode;
}

IpnNetworkOptions
IpnNetwork::GetOptions() const
{
    IpnNetworkOptions o = m_options;
    o.numPorts = GetNumPorts();
    return o;
}

uint32_t
IpnNetwork::GetPolicyNumber() const
{
    return m_policyNumber;
}

Ptr<IpnPolicy>
IpnNetwork::GetPolicy() const
{
    return m_policy;
}

uint32_t
IpnNetwork::GetRights(uint32_t uid, uint32_t gid) const
{
    if (uid == m_ownerUid)
    {
        return (m_options.mode >> 6) & 7;
    }
    if (gid == m_ownerGid)
    {
        return (m_options.mode >> 3) & 7;
    }
    return m_options.mode & 7;
}

IpnError
IpnNetwork::Resize(uint32_t newSize)
{
    NS_LOG_FUNCTION(this << newSize);
    if (newSize == 0 || !m_policy)
    {
        return IpnError::INVAL;
    }
    uint32_t oldSize = GetNumPorts();
    if (newSize == oldSize)
    {
        return IpnError::OK;
    }
    for (uint32_t i = newSize; i < oldSize; ++i)
    {
        if (m_ports[i])
        {
            NS_LOG_LOGIC("port " << i << " is in use: resize refused");
            return IpnError::ADDRINUSE;
        }
    }
    std::vector<Ptr<IpnPort>> old = m_ports;
    m_ports.resize(newSize);
    IpnError err = m_policy->ResizeNetwork(this, oldSize, newSize);
    if (err != IpnError::OK)
    {
        m_ports = old; // roll back
    }
    return err;
}

IpnError
IpnNetwork::ConnectPort(Ptr<IpnPort> port)
{
    NS_LOG_FUNCTION(this << port);
    if (!m_policy || m_terminated)
    {
        return IpnError::CONNREFUSED;
    }
    int32_t portno = m_policy->NewPort(this, port);
    if (portno < 0 || static_cast<uint32_t>(portno) >= GetNumPorts() || m_ports[portno])
    {
        return IpnError::ADDRNOTAVAIL;
    }
    port->m_portno = portno;
    port->m_network = this;
    m_ports[portno] = port;
    m_connected.push_back(port);
    m_policy->PostNewPort(this, port);
    m_portAddedTrace(portno);
    uint8_t sh = port->GetShutdown();
    UpdateCounters((sh & IpnPort::SHUT_RCV) ? 0 : 1, (sh & IpnPort::SHUT_SEND) ? 0 : 1);
    return IpnError::OK;
}

void
IpnNetwork::DisconnectPort(Ptr<IpnPort> port)
{
    NS_LOG_FUNCTION(this << port);
    int32_t portno = port->m_portno;
    if (!m_policy || portno < 0 || static_cast<uint32_t>(portno) >= GetNumPorts() ||
        m_ports[portno] != port)
    {
        port->m_portno = -1;
        return;
    }
    m_policy->PreDeletePort(this, port);
    m_ports[portno] = nullptr;
    for (auto it = m_connected.begin(); it != m_connected.end(); ++it)
    {
        if (*it == port)
        {
            m_connected.erase(it);
            break;
        }
    }
    FlushPort(port, true);
    m_policy->DeletePort(this, port);
    port->m_portno = -1;
    m_portRemovedTrace(portno);
    uint8_t sh = port->GetShutdown();
    UpdateCounters((sh & IpnPort::SHUT_RCV) ? 0 : -1, (sh & IpnPort::SHUT_SEND) ? 0 : -1);
}

void
IpnNetwork::FlushPort(Ptr<IpnPort> port, bool oobToo)
{
    std::deque<Ptr<IpnMessage>> q;
    q.swap(port->m_queue);
    if (oobToo)
    {
        q.insert(q.end(), port->m_oobQueue.begin(), port->m_oobQueue.end());
        port->m_oobQueue.clear();
    }
    for (auto& m : q)
    {
        port->m_bytes -= m->GetSize();
        Put(m);
    }
}

void
IpnNetwork::AddUser()
{
    ++m_refs;
}

void
IpnNetwork::RemoveUser()
{
    NS_ASSERT(m_refs > 0);
    if (--m_refs == 0)
    {
        Terminate();
    }
}

bool
IpnNetwork::IsTerminated() const
{
    return m_terminated;
}

void
IpnNetwork::Terminate()
{
    NS_LOG_FUNCTION(this << m_path);
    if (m_terminated)
    {
        return;
    }
    m_terminated = true;
    Ptr<IpnNetwork> self = this; // keep alive while the registry forgets us
    if (!m_policy)
    {
        return; // already disposed (end of simulation)
    }
    m_policy->DeleteNetwork(this);
    IpnPolicyRegistry::Use(m_policyNumber, -1);
    if (m_node)
    {
        Ptr<IpnNetworkRegistry> reg = m_node->GetObject<IpnNetworkRegistry>();
        if (reg)
        {
            reg->Remove(this);
        }
    }
}

IpnError
IpnNetwork::Inject(Ptr<IpnPort> from, Ptr<const Packet> packet)
{
    NS_LOG_FUNCTION(this << from << packet->GetSize());
    if (packet->GetSize() > m_options.mtu)
    {
        return IpnError::OVERFLOW;
    }
    if (!m_policy)
    {
        return IpnError::CONNRESET;
    }
    if (IsPoolFull())
    {
        return IpnError::AGAIN;
    }
    Ptr<IpnMessage> msg = Create<IpnMessage>(packet);
    msg->m_holds = 1; // held by the dispatch itself
    ++m_poolUsed;
    ++m_injected;
    m_injectTrace(packet, from->GetPortNumber());
    m_policy->HandleMessage(this, from, msg);
    Put(msg);
    return IpnError::OK;
}

void
IpnNetwork::SendTo(Ptr<IpnPort> to, Ptr<IpnMessage> msg)
{
    if (!to || to->m_network != this || !to->IsConnected())
    {
        return;
    }
    if (to->m_kind != IpnPort::SOCKET)
    {
        // Devices copy the frame at once (the patch's ipn_netdev_sendmsg).
        ++m_delivered;
        m_deliverTrace(msg->GetPacket(), to->m_portno);
        if (!to->m_device.IsNull())
        {
            to->m_device(msg->GetPacket());
        }
        return;
    }
    if (to->m_shutdown & IpnPort::SHUT_RCV)
    {
        return;
    }
    if (!m_options.lossless && to->m_queue.size() + to->m_oobQueue.size() >= m_options.poolSize)
    {
        NS_LOG_LOGIC("LOSSY: queue of port " << to->m_portno << " is full, message dropped");
        ++m_drops;
        ++to->m_drops;
        m_dropTrace(msg->GetPacket(), to->m_portno);
        return;
    }
    ++msg->m_holds;
    to->m_queue.push_back(msg);
    to->m_bytes += msg->GetSize();
    ++m_delivered;
    m_deliverTrace(msg->GetPacket(), to->m_portno);
    to->ScheduleNotify();
}

void
IpnNetwork::SendOob(Ptr<IpnPort> to, Ptr<IpnMessage> msg)
{
    if (!to || to->m_kind != IpnPort::SOCKET || (to->m_shutdown & IpnPort::SHUT_NO_OOB))
    {
        return;
    }
    if (!m_options.lossless && to->m_oobQueue.size() >= m_options.poolSize)
    {
        return;
    }
    ++msg->m_holds;
    to->m_oobQueue.push_back(msg);
    to->m_bytes += msg->GetSize();
    to->ScheduleNotify();
}

void
IpnNetwork::Put(Ptr<IpnMessage> msg)
{
    NS_ASSERT(msg->m_holds > 0);
    if (--msg->m_holds == 0)
    {
        NS_ASSERT(m_poolUsed > 0);
        --m_poolUsed;
        if (m_options.lossless && m_poolUsed < m_options.poolSize)
        {
            WakeSenders();
        }
    }
}

void
IpnNetwork::WakeSenders()
{
    if (m_waiters.empty())
    {
        return;
    }
    std::vector<Callback<void>> waiters;
    waiters.swap(m_waiters);
    for (auto& cb : waiters)
    {
        Simulator::ScheduleNow([cb]() { cb(); });
    }
}

void
IpnNetwork::WaitForPool(Callback<void> cb)
{
    m_waiters.push_back(cb);
}

Ptr<IpnPort>
IpnNetwork::GetPort(uint32_t portno) const
{
    return portno < m_ports.size() ? m_ports[portno] : nullptr;
}

const std::vector<Ptr<IpnPort>>&
IpnNetwork::GetConnectedPorts() const
{
    return m_connected;
}

uint32_t
IpnNetwork::GetPoolUsed() const
{
    return m_poolUsed;
}

bool
IpnNetwork::IsPoolFull() const
{
    return m_options.lossless && m_poolUsed >= m_options.poolSize;
}

uint32_t
IpnNetwork::GetNumReaders() const
{
    return m_readers;
}

uint32_t
IpnNetwork::GetNumWriters() const
{
    return m_writers;
}

uint64_t
IpnNetwork::GetDropCount() const
{
    return m_drops;
}

uint64_t
IpnNetwork::GetInjectCount() const
{
    return m_injected;
}

void
IpnNetwork::UpdateCounters(int32_t dReaders, int32_t dWriters)
{
    m_readers = static_cast<uint32_t>(static_cast<int32_t>(m_readers) + dReaders);
    m_writers = static_cast<uint32_t>(static_cast<int32_t>(m_writers) + dWriters);
    NS_LOG_LOGIC(m_path << ": " << m_readers << " readers, " << m_writers << " writers");
    // The membership notice (the patch's struct numnode_oob): four 32-bit
    // big-endian integers: level (IPN_ANY), tag (1), readers, writers.
    if (m_options.mtu < 16)
    {
        return;
    }
    uint8_t buf[16];
    uint32_t words[4] = {IPN_ANY, 1, m_readers, m_writers};
    for (int w = 0; w < 4; ++w)
    {
        for (int b = 0; b < 4; ++b)
        {
            buf[4 * w + b] = static_cast<uint8_t>(words[w] >> (24 - 8 * b));
        }
    }
    Ptr<IpnMessage> msg = Create<IpnMessage>(Create<const Packet>(buf, 16));
    msg->m_holds = 1;
    ++m_poolUsed;
    for (auto& p : std::vector<Ptr<IpnPort>>(m_connected))
    {
        if (p->WantsNumNodes())
        {
            SendOob(p, msg);
        }
    }
    Put(msg);
}

} // namespace ns3
