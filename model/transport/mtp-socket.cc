/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-socket.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/mtp-host-path.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-port-mapper.h"
#include "ns3/mtp-stack.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpSocket");

NS_OBJECT_ENSURE_REGISTERED(MtpSocket);
NS_OBJECT_ENSURE_REGISTERED(MtpMessageTag);

const char*
MtpMessageKindName(MtpMessageKind k)
{
    switch (k)
    {
    case MtpMessageKind::REQUEST:
        return "REQUEST";
    case MtpMessageKind::RESPONSE:
        return "RESPONSE";
    case MtpMessageKind::ONE_WAY:
        return "ONE_WAY";
    case MtpMessageKind::FAILED:
        return "FAILED";
    }
    return "?";
}

std::ostream&
operator<<(std::ostream& os, MtpMessageKind k)
{
    return os << MtpMessageKindName(k);
}

TypeId
MtpMessageTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpMessageTag")
                            .SetParent<Tag>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpMessageTag>();
    return tid;
}

TypeId
MtpMessageTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
MtpMessageTag::GetSerializedSize() const
{
    return 9;
}

void
MtpMessageTag::Serialize(TagBuffer i) const
{
    i.WriteU64(id);
    i.WriteU8(static_cast<uint8_t>(kind));
}

void
MtpMessageTag::Deserialize(TagBuffer i)
{
    id = i.ReadU64();
    kind = static_cast<MtpMessageKind>(i.ReadU8());
}

void
MtpMessageTag::Print(std::ostream& os) const
{
    os << "id=" << id << " kind=" << MtpMessageKindName(kind);
}

TypeId
MtpSocket::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpSocket")
            .SetParent<Socket>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpSocket>()
            .AddTraceSource("Deliver",
                            "A whole message (or a failed RPC) was queued for the application.",
                            MakeTraceSourceAccessor(&MtpSocket::m_deliverTrace),
                            "ns3::MtpSocket::DeliverTracedCallback")
            .AddTraceSource("StackSwitch",
                            "The socket moved to another transport stack (SetStack): the "
                            "old stack's Fini and the new one's Init have run.",
                            MakeTraceSourceAccessor(&MtpSocket::m_stackSwitchTrace),
                            "ns3::MtpSocket::StackSwitchTracedCallback");
    return tid;
}

MtpSocket::MtpSocket()
    : m_rpcs(this)
{
    NS_LOG_FUNCTION(this);
    m_rpcs.SetDeliverySink(
        [this](Ptr<Packet> message, const MtpRecvInfo& info) { FromRpcTable(message, info); });
}

MtpSocket::~MtpSocket()
{
    NS_LOG_FUNCTION(this);
}

bool
MtpSocket::Setup(Ptr<Node> node, Ptr<MtpL4Protocol> protocol)
{
    m_node = node;
    m_mtp = protocol;
    m_stack = m_mtp->GetDefaultStack();
    if (!m_stack)
    {
        return false;
    }
    m_defaultPort = m_mtp->AllocateDefaultPort(this);
    if (m_defaultPort == 0)
    {
        return false;
    }
    m_stack->Init(*this);
    return true;
}

int
MtpSocket::SetStack(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    if (m_closed || !m_mtp)
    {
        return Fail(MtpError::BADF);
    }
    Ptr<MtpStack> next = m_mtp->GetStack(name);
    if (!next)
    {
        return Fail(MtpError::NOENT);
    }
    if (next == m_stack)
    {
        return 0;
    }
    if (GetRpcCount() > 0)
    {
        MtpError e = next->HandoffOk(*this);
        if (e != MtpError::OK)
        {
            return Fail(e);
        }
    }
    Ptr<MtpStack> previous = m_stack;
    previous->Fini(*this, true);
    m_stack = next;
    next->Init(*this);
    m_stackSwitchTrace(previous->GetName(), next->GetName());
    return 0;
}

const Ptr<MtpStack>&
MtpSocket::GetStack() const
{
    return m_stack;
}

std::string
MtpSocket::GetStackName() const
{
    return m_stack ? m_stack->GetName() : "";
}

void
MtpSocket::LeaveStack()
{
    if (m_stack)
    {
        m_stack->Fini(*this, false);
    }
}

void
MtpSocket::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (!m_closed && m_mtp)
    {
        DoShutdown();
        LeaveStack();
        m_mtp->ReleaseSocket(this);
        m_closed = true;
    }
    m_recvQueue.clear();
    m_stack = nullptr;
    m_mtp = nullptr;
    m_node = nullptr;
    Socket::DoDispose();
}

int
MtpSocket::Fail(MtpError e) const
{
    m_errno = e;
    return -1;
}

MtpError
MtpSocket::GetMtpErrno() const
{
    return m_errno;
}

enum Socket::SocketErrno
MtpSocket::GetErrno() const
{
    return MtpErrorToSocketErrno(m_errno);
}

enum Socket::SocketType
MtpSocket::GetSocketType() const
{
    return NS3_SOCK_DGRAM;
}

Ptr<Node>
MtpSocket::GetNode() const
{
    return m_node;
}

uint16_t
MtpSocket::GetDefaultPort() const
{
    return m_defaultPort;
}

uint16_t
MtpSocket::GetServerPort() const
{
    return m_serverPort;
}

std::size_t
MtpSocket::GetRpcCount() const
{
    return m_rpcs.GetCount();
}

std::size_t
MtpSocket::GetRecvQueueLength() const
{
    return m_recvQueue.size();
}

int
MtpSocket::Bind()
{
    if (m_closed)
    {
        return Fail(MtpError::BADF);
    }
    // Every socket already holds its default port.
    return 0;
}

int
MtpSocket::Bind6()
{
    return Bind();
}

int
MtpSocket::Bind(const Address& address)
{
    NS_LOG_FUNCTION(this << address);
    if (m_closed)
    {
        return Fail(MtpError::BADF);
    }
    if (m_rpcs.IsShutdown())
    {
        return Fail(MtpError::SHUTDOWN);
    }
    MtpAddress host;
    uint16_t port = 0;
    if (!MtpAddress::FromSocketAddress(address, host, port))
    {
        return Fail(MtpError::AFNOSUPPORT);
    }
    if (port == 0)
    {
        return 0;
    }
    if (port == m_serverPort)
    {
        return 0;
    }
    if (m_serverPort != 0)
    {
        // Homa sockets have one server port; rebinding is refused.
        return Fail(MtpError::INVAL);
    }
    // Port mapper hook: the node's MtpPortMapper, if any, says which port goes on the wire.
    MtpError mapped = MtpPortMapper::MapServerPort(m_node, address, port);
    if (mapped != MtpError::OK)
    {
        return Fail(mapped);
    }
    MtpError e = m_mtp->BindServerPort(this, port);
    if (e != MtpError::OK)
    {
        MtpPortMapper::ReleaseServerPort(m_node, port);
        return Fail(e);
    }
    m_serverPort = port;
    return 0;
}

int
MtpSocket::Close()
{
    NS_LOG_FUNCTION(this);
    if (m_closed)
    {
        return Fail(MtpError::BADF);
    }
    DoShutdown();
    LeaveStack();
    MtpPortMapper::ReleaseServerPort(m_node, m_serverPort); // port mapper hook
    m_mtp->ReleaseSocket(this);
    m_closed = true;
    return 0;
}

int
MtpSocket::ShutdownSend()
{
    if (m_closed)
    {
        return Fail(MtpError::BADF);
    }
    DoShutdown();
    return 0;
}

int
MtpSocket::ShutdownRecv()
{
    return ShutdownSend();
}

void
MtpSocket::DoShutdown()
{
    if (m_rpcs.IsShutdown())
    {
        return;
    }
    m_rpcs.Shutdown();
    m_recvQueue.clear();
    m_recvBytes = 0;
}

int
MtpSocket::Connect(const Address& address)
{
    if (m_closed)
    {
        return Fail(MtpError::BADF);
    }
    MtpAddress host;
    uint16_t port = 0;
    if (!MtpAddress::FromSocketAddress(address, host, port))
    {
        return Fail(MtpError::AFNOSUPPORT);
    }
    m_defaultPeer = address;
    m_connected = true;
    NotifyConnectionSucceeded();
    return 0;
}

int
MtpSocket::Listen()
{
    // Connectionless: a server just binds.  Accepted for code written for UDP.
    return m_closed ? Fail(MtpError::BADF) : 0;
}

uint32_t
MtpSocket::GetTxAvailable() const
{
    return m_mtp ? m_mtp->GetMaxMessageLength() : 0;
}

uint32_t
MtpSocket::GetRxAvailable() const
{
    return m_recvBytes;
}

uint64_t
MtpSocket::StartRequest(Ptr<Packet> message, const Address& server, bool oneWay)
{
    if (m_closed)
    {
        Fail(MtpError::BADF);
        return 0;
    }
    if (m_rpcs.IsShutdown())
    {
        Fail(MtpError::SHUTDOWN);
        return 0;
    }
    if (!message)
    {
        Fail(MtpError::INVAL);
        return 0;
    }
    MtpAddress host;
    uint16_t port = 0;
    if (!MtpAddress::FromSocketAddress(server, host, port))
    {
        Fail(MtpError::AFNOSUPPORT);
        return 0;
    }
    if (port == 0)
    {
        Fail(MtpError::INVAL);
        return 0;
    }
    port = MtpPortMapper::MapDestination(m_node, host, port); // port mapper hook
    if (message->GetSize() > m_mtp->GetMaxMessageLength())
    {
        Fail(MtpError::MSGSIZE);
        return 0;
    }
    uint64_t id = m_mtp->NextClientId();
    Ptr<MtpRpc> rpc = m_rpcs.NewClient(m_mtp->GetPeer(host), port, m_defaultPort, id, oneWay);
    rpc->ackOnly = oneWay && m_mtp->GetOneWayAnswer() == MtpL4Protocol::ONE_WAY_ACK;
    // The send call's cost on the thread's core; its packets leave after it.
    MtpHostPath::SendScope sendCost(m_mtp->GetHostPath(), this, message->GetSize());
    MtpError e = m_stack->StartMessage(rpc, message);
    if (e != MtpError::OK)
    {
        m_rpcs.Remove(rpc);
        Fail(e);
        return 0;
    }
    ++m_mtp->Metrics().requestsStarted;
    return id;
}

uint64_t
MtpSocket::SendRequest(Ptr<Packet> message, const Address& server)
{
    NS_LOG_FUNCTION(this << server);
    return StartRequest(message, server, false);
}

int
MtpSocket::SendResponse(Ptr<Packet> message, uint64_t id, const Address& client)
{
    NS_LOG_FUNCTION(this << id << client);
    if (m_closed)
    {
        return Fail(MtpError::BADF);
    }
    if (m_rpcs.IsShutdown())
    {
        return Fail(MtpError::SHUTDOWN);
    }
    if (!message)
    {
        return Fail(MtpError::INVAL);
    }
    MtpAddress host;
    uint16_t port = 0;
    if (!MtpAddress::FromSocketAddress(client, host, port))
    {
        return Fail(MtpError::AFNOSUPPORT);
    }
    if ((id & 1) == 0)
    {
        // Even ids are client RPCs: there is nothing to respond to.
        return Fail(MtpError::NOENT);
    }
    Ptr<MtpRpc> rpc = m_rpcs.FindServer(host, id);
    if (!rpc || rpc->state != MtpRpc::State::IN_SERVICE || rpc->oneWay || rpc->peerPort != port)
    {
        return Fail(MtpError::NOENT);
    }
    if (message->GetSize() > m_mtp->GetMaxMessageLength())
    {
        return Fail(MtpError::MSGSIZE);
    }
    rpc->state = MtpRpc::State::OUTGOING;
    MtpHostPath::SendScope sendCost(m_mtp->GetHostPath(), this, message->GetSize());
    MtpError e = m_stack->StartMessage(rpc, message);
    if (e != MtpError::OK)
    {
        m_rpcs.Remove(rpc);
        return Fail(e);
    }
    ++m_mtp->Metrics().responsesSent;
    return 0;
}

Ptr<Packet>
MtpSocket::RecvMessage(MtpRecvInfo& info)
{
    if (m_closed)
    {
        info = MtpRecvInfo();
        info.error = MtpError::BADF;
        Fail(MtpError::BADF);
        return nullptr;
    }
    if (m_recvQueue.empty())
    {
        info = MtpRecvInfo();
        info.error = m_rpcs.IsShutdown() ? MtpError::SHUTDOWN : MtpError::AGAIN;
        Fail(info.error);
        return nullptr;
    }
    RecvEntry e = m_recvQueue.front();
    m_recvQueue.pop_front();
    info = e.info;
    if (e.message)
    {
        m_recvBytes -= e.message->GetSize();
    }
    else
    {
        Fail(info.error);
    }
    return e.message;
}

int
MtpSocket::Abort(uint64_t id, MtpError error)
{
    if (m_closed)
    {
        return Fail(MtpError::BADF);
    }
    std::vector<Ptr<MtpRpc>> victims;
    if (id == 0)
    {
        victims = m_rpcs.GetClients();
    }
    else
    {
        Ptr<MtpRpc> rpc = m_rpcs.FindClient(id);
        if (!rpc)
        {
            return Fail(MtpError::NOENT);
        }
        victims.push_back(rpc);
    }
    for (auto& rpc : victims)
    {
        m_rpcs.Remove(rpc);
        if (error != MtpError::OK)
        {
            m_rpcs.DeliverError(rpc, error);
        }
    }
    return 0;
}

int
MtpSocket::Send(Ptr<Packet> p, uint32_t flags)
{
    if (!m_connected)
    {
        return Fail(MtpError::NOTCONN);
    }
    return SendTo(p, flags, m_defaultPeer);
}

int
MtpSocket::SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress)
{
    NS_LOG_FUNCTION(this << p << flags << toAddress);
    if (!p)
    {
        return Fail(MtpError::INVAL);
    }
    uint32_t size = p->GetSize();
    uint64_t id = StartRequest(p, toAddress, true);
    if (id == 0)
    {
        return -1;
    }
    NotifyDataSent(size);
    return static_cast<int>(size);
}

Ptr<Packet>
MtpSocket::Recv(uint32_t maxSize, uint32_t flags)
{
    Address from;
    return RecvFrom(maxSize, flags, from);
}

Ptr<Packet>
MtpSocket::RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress)
{
    if (!m_recvQueue.empty() && m_recvQueue.front().message &&
        m_recvQueue.front().message->GetSize() > maxSize)
    {
        // Messages are never split; like a datagram socket, refuse a short buffer.
        Fail(MtpError::MSGSIZE);
        return nullptr;
    }
    MtpRecvInfo info;
    Ptr<Packet> p = RecvMessage(info);
    if (p)
    {
        fromAddress = info.peer;
    }
    return p;
}

int
MtpSocket::GetSockName(Address& address) const
{
    if (!m_mtp)
    {
        return Fail(MtpError::BADF);
    }
    address = InetSocketAddress(Ipv4Address::GetAny(), m_serverPort ? m_serverPort : m_defaultPort);
    return 0;
}

int
MtpSocket::GetPeerName(Address& address) const
{
    if (!m_connected)
    {
        return Fail(MtpError::NOTCONN);
    }
    address = m_defaultPeer;
    return 0;
}

bool
MtpSocket::SetAllowBroadcast(bool allowBroadcast)
{
    return !allowBroadcast;
}

bool
MtpSocket::GetAllowBroadcast() const
{
    return false;
}

MtpRpcTable&
MtpSocket::Rpcs()
{
    return m_rpcs;
}

const MtpRpcTable&
MtpSocket::Rpcs() const
{
    return m_rpcs;
}

void
MtpSocket::FromRpcTable(Ptr<Packet> message, const MtpRecvInfo& info)
{
    RecvEntry e;
    e.message = message;
    e.info = info;
    // The thread's receive runs on the host path: queued when it is done.
    Ptr<MtpSocket> self(this);
    m_mtp->GetHostPath()->DeliverToApp(this, message ? message->GetSize() : 0, [self, e]() {
        self->Enqueue(e);
    });
}

void
MtpSocket::Enqueue(const RecvEntry& e)
{
    if (m_rpcs.IsShutdown())
    {
        return;
    }
    if (e.message)
    {
        m_recvBytes += e.message->GetSize();
    }
    m_recvQueue.push_back(e);
    m_deliverTrace(e.message, e.info);
    NotifyDataRecv();
}

} // namespace ns3
