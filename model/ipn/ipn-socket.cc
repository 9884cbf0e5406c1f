/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-socket.h"

#include "ns3/ipn-network-registry.h"
#include "ns3/ipn-policy.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnSocket");

NS_OBJECT_ENSURE_REGISTERED(IpnSocket);
NS_OBJECT_ENSURE_REGISTERED(IpnSocketFactory);

bool
IpnNumNodesNotice::Parse(Ptr<const Packet> p, IpnNumNodesNotice& n)
{
    if (!p || p->GetSize() != 16)
    {
        return false;
    }
    uint8_t b[16];
    p->CopyData(b, 16);
    uint32_t w[4];
    for (int i = 0; i < 4; ++i)
    {
        w[i] = (uint32_t(b[4 * i]) << 24) | (uint32_t(b[4 * i + 1]) << 16) |
               (uint32_t(b[4 * i + 2]) << 8) | b[4 * i + 3];
    }
    if (w[0] != IPN_ANY || w[1] != 1)
    {
        return false;
    }
    n.readers = w[2];
    n.writers = w[3];
    return true;
}

TypeId
IpnSocket::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnSocket")
                            .SetParent<Socket>()
                            .SetGroupName("Mtp")
                            .AddConstructor<IpnSocket>()
                            .AddAttribute("Uid",
                                          "User id of the socket's credential (checked against the "
                                          "network's owner and mode bits).",
                                          UintegerValue(0),
                                          MakeUintegerAccessor(&IpnSocket::m_uid),
                                          MakeUintegerChecker<uint32_t>())
                            .AddAttribute("Gid",
                                          "Group id of the socket's credential.",
                                          UintegerValue(0),
                                          MakeUintegerAccessor(&IpnSocket::m_gid),
                                          MakeUintegerChecker<uint32_t>())
                            .AddTraceSource("Tx",
                                            "A message was sent into the network.",
                                            MakeTraceSourceAccessor(&IpnSocket::m_txTrace),
                                            "ns3::Packet::TracedCallback")
                            .AddTraceSource("Rx",
                                            "The application received a message.",
                                            MakeTraceSourceAccessor(&IpnSocket::m_rxTrace),
                                            "ns3::Packet::TracedCallback");
    return tid;
}

IpnSocket::IpnSocket()
{
    NS_LOG_FUNCTION(this);
    m_port = CreateObject<IpnPort>();
    m_port->SetKind(IpnPort::SOCKET);
    m_port->SetNotifyCallback(MakeCallback(&IpnSocket::OnReceive, this));
}

IpnSocket::~IpnSocket()
{
    NS_LOG_FUNCTION(this);
}

void
IpnSocket::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (!m_closed)
    {
        Close();
    }
    if (m_port)
    {
        m_port->Dispose();
        m_port = nullptr;
    }
    m_node = nullptr;
    Socket::DoDispose();
}

IpnError
IpnSocket::Setup(Ptr<Node> node, SocketType type, uint32_t policy)
{
    m_node = node;
    m_type = type;
    if (type != NS3_SOCK_RAW)
    {
        return IpnError::PROTOTYPE;
    }
    if (policy != IPN_ANY && !IpnPolicyRegistry::IsRegistered(policy))
    {
        return IpnError::PROTONOSUPPORT;
    }
    m_policy = policy;
    return IpnError::OK;
}

int
IpnSocket::Fail(IpnError e) const
{
    NS_LOG_LOGIC(this << " fails with " << e);
    m_errno = e;
    return -1;
}

IpnError
IpnSocket::GetIpnErrno() const
{
    return m_errno;
}

enum Socket::SocketErrno
IpnSocket::GetErrno() const
{
    if (m_eof && m_errno == IpnError::OK)
    {
        return ERROR_SHUTDOWN;
    }
    return IpnErrorToSocketErrno(m_errno);
}

enum Socket::SocketType
IpnSocket::GetSocketType() const
{
    return m_type;
}

Ptr<Node>
IpnSocket::GetNode() const
{
    return m_node;
}

Ptr<IpnPort>
IpnSocket::GetPort() const
{
    return m_port;
}

Ptr<IpnNetwork>
IpnSocket::GetNetwork() const
{
    return m_port ? m_port->GetNetwork() : nullptr;
}

uint32_t
IpnSocket::GetPolicyNumber() const
{
    return m_policy;
}

bool
IpnSocket::IsBound() const
{
    return m_bound;
}

bool
IpnSocket::IsConnected() const
{
    return m_port && m_port->IsConnected();
}

// ---------------------------------------------------------------- options

int
IpnSocket::SetSockOpt(uint32_t name, int32_t value)
{
    NS_LOG_FUNCTION(this << name << value);
    if (m_closed)
    {
        return Fail(IpnError::BADF);
    }
    if (m_port->GetShutdown() == IpnPort::SHUT_ALL)
    {
        return Fail(IpnError::CONNRESET);
    }
    if ((name & 0x80) && GetNetwork())
    {
        return Fail(IpnError::ISCONN);
    }
    switch (name)
    {
    case IPN_SO_PORT:
        if (IsConnected())
        {
            return Fail(IpnError::ISCONN);
        }
        m_port->SetRequestedPort(value < 0 ? -1 : value);
        return 0;
    case IPN_SO_CHANGE_NUMNODES:
        if (!m_bound)
        {
            return Fail(IpnError::NOTCONN);
        }
        if (value <= 0)
        {
            return Fail(IpnError::INVAL);
        }
        {
            IpnError e = GetNetwork()->Resize(static_cast<uint32_t>(value));
            return e == IpnError::OK ? 0 : Fail(e);
        }
    case IPN_SO_HANDLE_OOB:
        m_port->SetShutdown(value ? (m_port->GetShutdown() & ~IpnPort::SHUT_NO_OOB)
                                  : (m_port->GetShutdown() | IpnPort::SHUT_NO_OOB));
        return 0;
    case IPN_SO_WANT_OOB_NUMNODES:
        m_port->SetWantsNumNodes(value != 0);
        return 0;
    case IPN_SO_MTU:
    case IPN_SO_NUMNODES:
    case IPN_SO_MSGPOOLSIZE:
        if (value <= 0)
        {
            return Fail(IpnError::INVAL);
        }
        (name == IPN_SO_MTU        ? m_options.mtu
         : name == IPN_SO_NUMNODES ? m_options.numPorts
                                   : m_options.poolSize) = static_cast<uint32_t>(value);
        return 0;
    case IPN_SO_FLAGS:
        m_options.lossless = (value & IPN_FLAG_LOSSLESS) != 0;
        return 0;
    case IPN_SO_MODE:
        m_options.mode = static_cast<uint32_t>(value) & 0777;
        return 0;
    default:
        return Fail(IpnError::OPNOTSUPP);
    }
}

int
IpnSocket::GetSockOpt(uint32_t name, int32_t& value) const
{
    Ptr<IpnNetwork> net = GetNetwork();
    IpnNetworkOptions o = net ? net->GetOptions() : m_options;
    switch (name)
    {
    case IPN_SO_PORT:
        value = IsConnected() ? m_port->GetPortNumber() : m_port->GetRequestedPort();
        return 0;
    case IPN_SO_MTU:
        value = static_cast<int32_t>(o.mtu);
        return 0;
    case IPN_SO_NUMNODES:
        value = static_cast<int32_t>(o.numPorts);
        return 0;
    case IPN_SO_MSGPOOLSIZE:
        value = static_cast<int32_t>(o.poolSize);
        return 0;
    case IPN_SO_FLAGS:
        value = o.lossless ? IPN_FLAG_LOSSLESS : 0;
        return 0;
    case IPN_SO_MODE:
        // As the patch: the mode of an existing network is not reported.
        value = net ? -1 : static_cast<int32_t>(o.mode);
        return 0;
    default:
        return Fail(IpnError::INVAL);
    }
}

int
IpnSocket::SetDescription(const std::string& descr)
{
    if (descr.size() >= IPN_DESCRLEN)
    {
        return Fail(IpnError::INVAL);
    }
    m_port->SetDescription(descr);
    return 0;
}

std::string
IpnSocket::GetDescription() const
{
    return m_port->GetDescription();
}

int
IpnSocket::SetPolicyOption(uint32_t name, int32_t value)
{
    Ptr<IpnNetwork> net = GetNetwork();
    if (!net)
    {
        return Fail(IpnError::OPNOTSUPP);
    }
    IpnError e = net->GetPolicy()->SetOption(net, m_port, name, value);
    return e == IpnError::OK ? 0 : Fail(e);
}

int
IpnSocket::GetPolicyOption(uint32_t name, int32_t& value) const
{
    Ptr<IpnNetwork> net = GetNetwork();
    if (!net)
    {
        return Fail(IpnError::OPNOTSUPP);
    }
    IpnError e = net->GetPolicy()->GetOption(net, m_port, name, value);
    return e == IpnError::OK ? 0 : Fail(e);
}

int
IpnSocket::Resize(uint32_t numPorts)
{
    return SetSockOpt(IPN_SO_CHANGE_NUMNODES, static_cast<int32_t>(numPorts));
}

// ---------------------------------------------------------------- bind / connect

int
IpnSocket::Bind(const Address& address)
{
    NS_LOG_FUNCTION(this << address);
    if (m_closed)
    {
        return Fail(IpnError::BADF);
    }
    if (m_bound || GetNetwork())
    {
        return Fail(IpnError::ISCONN);
    }
    if (!IpnAddress::IsMatchingType(address))
    {
        return Fail(IpnError::INVAL);
    }
    IpnAddress a = IpnAddress::ConvertFrom(address);
    if (a.IsNull())
    {
        return Fail(IpnError::INVAL);
    }
    Ptr<IpnNetworkRegistry> reg = m_node ? IpnNetworkRegistry::Get(m_node) : nullptr;
    if (!reg)
    {
        return Fail(IpnError::NOENT);
    }
    Ptr<IpnNetwork> net = reg->Find(a.GetPath());
    if (!net)
    {
        IpnError e;
        net = reg->Create(a.GetPath(), m_options, m_policy, m_uid, m_gid, e);
        if (!net)
        {
            return Fail(e);
        }
        NS_LOG_LOGIC("created network " << a.GetPath());
    }
    else
    {
        if (!(net->GetRights(m_uid, m_gid) & 1))
        {
            return Fail(IpnError::ACCES);
        }
        if (net->IsTerminated())
        {
            return Fail(IpnError::CONNREFUSED);
        }
        if (m_policy != IPN_ANY && m_policy != net->GetPolicyNumber())
        {
            return Fail(IpnError::PROTO);
        }
    }
    if (a.GetPort() != IpnAddress::ANY_PORT)
    {
        m_port->SetRequestedPort(a.GetPort());
    }
    m_policy = net->GetPolicyNumber();
    m_port->SetNetwork(net);
    net->AddUser();
    m_bound = true;
    return 0;
}

int
IpnSocket::Bind()
{
    return Fail(IpnError::INVAL); // an IPN socket needs a path
}

int
IpnSocket::Bind6()
{
    return Fail(IpnError::INVAL);
}

int
IpnSocket::Connect(const Address& address)
{
    NS_LOG_FUNCTION(this << address);
    if (m_closed)
    {
        return Fail(IpnError::BADF);
    }
    if (IsConnected())
    {
        return Fail(IpnError::ISCONN);
    }
    Ptr<IpnNetwork> net = GetNetwork();
    if (!net)
    {
        if (!IpnAddress::IsMatchingType(address))
        {
            return Fail(IpnError::INVAL);
        }
        IpnAddress a = IpnAddress::ConvertFrom(address);
        if (a.IsNull())
        {
            return Fail(IpnError::INVAL);
        }
        Ptr<IpnNetworkRegistry> reg = m_node ? IpnNetworkRegistry::Get(m_node) : nullptr;
        net = reg ? reg->Find(a.GetPath()) : nullptr;
        if (!net)
        {
            return Fail(IpnError::NOENT);
        }
        uint32_t rights = net->GetRights(m_uid, m_gid);
        uint8_t sh = m_port->GetShutdown();
        if (!(rights & 4))
        {
            sh |= IpnPort::SHUT_RCV;
        }
        if (!(rights & 2))
        {
            sh |= IpnPort::SHUT_SEND;
        }
        if (sh == IpnPort::SHUT_ALL)
        {
            return Fail(IpnError::ACCES);
        }
        if (net->IsTerminated())
        {
            return Fail(IpnError::CONNREFUSED);
        }
        if (m_policy != IPN_ANY && m_policy != net->GetPolicyNumber())
        {
            return Fail(IpnError::PROTO);
        }
        if (a.GetPort() != IpnAddress::ANY_PORT)
        {
            m_port->SetRequestedPort(a.GetPort());
        }
        m_port->SetShutdown(sh);
        m_port->SetNetwork(net);
        IpnError e = net->ConnectPort(m_port);
        if (e != IpnError::OK)
        {
            m_port->SetNetwork(nullptr); // undo, as the patch does
            return Fail(e);
        }
        m_policy = net->GetPolicyNumber();
        net->AddUser();
    }
    else
    {
        IpnError e = net->ConnectPort(m_port);
        if (e != IpnError::OK)
        {
            return Fail(e);
        }
    }
    NS_LOG_LOGIC("connected to " << net->GetPath() << " port " << m_port->GetPortNumber());
    Simulator::ScheduleNow(&IpnSocket::NotifyConnectionSucceeded, Ptr<IpnSocket>(this));
    return 0;
}

int
IpnSocket::Listen()
{
    return Fail(IpnError::OPNOTSUPP);
}

// ---------------------------------------------------------------- shutdown / close

void
IpnSocket::ApplyShutdown(uint8_t oldBits)
{
    uint8_t now = m_port->GetShutdown();
    Ptr<IpnNetwork> net = GetNetwork();
    if (!net || now == oldBits)
    {
        return;
    }
    if (IsConnected())
    {
        int32_t dr = ((now & IpnPort::SHUT_RCV) && !(oldBits & IpnPort::SHUT_RCV)) ? -1 : 0;
        int32_t dw = ((now & IpnPort::SHUT_SEND) && !(oldBits & IpnPort::SHUT_SEND)) ? -1 : 0;
        if (dr || dw)
        {
            net->UpdateCounters(dr, dw);
        }
    }
    if (now & IpnPort::SHUT_RCV)
    {
        net->FlushPort(m_port, false);
    }
}

int
IpnSocket::ShutdownSend()
{
    return Shutdown(IpnPort::SHUT_SEND);
}

int
IpnSocket::ShutdownRecv()
{
    return Shutdown(IpnPort::SHUT_RCV);
}

int
IpnSocket::Shutdown(uint8_t how)
{
    if (m_closed)
    {
        return Fail(IpnError::BADF);
    }
    uint8_t old = m_port->GetShutdown();
    m_port->SetShutdown(old | how);
    ApplyShutdown(old);
    return 0;
}

int
IpnSocket::Close()
{
    NS_LOG_FUNCTION(this);
    if (m_closed)
    {
        return Fail(IpnError::BADF);
    }
    m_closed = true;
    Ptr<IpnNetwork> net = GetNetwork();
    if (net)
    {
        if (IsConnected())
        {
            net->DisconnectPort(m_port);
        }
        m_port->SetNetwork(nullptr);
        m_port->SetShutdown(IpnPort::SHUT_ALL);
        net->RemoveUser();
    }
    m_port->SetShutdown(IpnPort::SHUT_ALL);
    m_bound = false;
    return 0;
}

// ---------------------------------------------------------------- data

uint32_t
IpnSocket::GetTxAvailable() const
{
    Ptr<IpnNetwork> net = GetNetwork();
    if (!IsConnected() || (m_port->GetShutdown() & IpnPort::SHUT_SEND) || net->IsPoolFull())
    {
        return 0;
    }
    return net->GetMtu();
}

int
IpnSocket::Send(Ptr<Packet> p, uint32_t flags)
{
    NS_LOG_FUNCTION(this << p << flags);
    if (m_closed)
    {
        return Fail(IpnError::BADF);
    }
    if (!IsConnected())
    {
        return Fail(IpnError::NOTCONN);
    }
    uint8_t sh = m_port->GetShutdown();
    if (sh & IpnPort::SHUT_SEND)
    {
        return Fail(sh == IpnPort::SHUT_ALL ? IpnError::CONNRESET : IpnError::PIPE);
    }
    Ptr<IpnNetwork> net = GetNetwork();
    IpnError e = net->Inject(m_port, p);
    if (e == IpnError::AGAIN && !m_waitingForPool)
    {
        m_waitingForPool = true;
        net->WaitForPool(MakeCallback(&IpnSocket::OnPoolFree, Ptr<IpnSocket>(this)));
    }
    if (e != IpnError::OK)
    {
        return Fail(e);
    }
    m_txTrace(p);
    return static_cast<int>(p->GetSize());
}

int
IpnSocket::SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress)
{
    // Every message goes where the policy decides: the address is ignored.
    return Send(p, flags);
}

void
IpnSocket::OnPoolFree()
{
    m_waitingForPool = false;
    if (!m_closed && IsConnected())
    {
        NotifySend(GetTxAvailable());
    }
}

uint32_t
IpnSocket::GetRxAvailable() const
{
    return m_port->GetQueuedBytes();
}

Ptr<Packet>
IpnSocket::RecvMessage(bool& oob)
{
    oob = false;
    m_eof = false;
    if (m_closed)
    {
        Fail(IpnError::BADF);
        return nullptr;
    }
    if (!IsConnected())
    {
        Fail(IpnError::NOTCONN);
        return nullptr;
    }
    uint8_t sh = m_port->GetShutdown();
    uint8_t rcvAll = IpnPort::SHUT_RCV | IpnPort::SHUT_NO_OOB;
    if ((sh & rcvAll) == rcvAll)
    {
        if (sh == IpnPort::SHUT_ALL)
        {
            // End of network: the patch's recvmsg returns 0 (end of file).
            m_errno = IpnError::OK;
            m_eof = true;
            return nullptr;
        }
        Fail(IpnError::PIPE);
        return nullptr;
    }
    Ptr<Packet> p = m_port->Dequeue(oob);
    if (!p)
    {
        Fail(IpnError::AGAIN);
        return nullptr;
    }
    m_rxTrace(p);
    return p;
}

Ptr<Packet>
IpnSocket::Recv(uint32_t maxSize, uint32_t flags)
{
    bool oob;
    Ptr<Packet> p = RecvMessage(oob);
    if (p && p->GetSize() > maxSize)
    {
        p->RemoveAtEnd(p->GetSize() - maxSize); // the rest of the message is lost, as in the patch
    }
    return p;
}

Ptr<Packet>
IpnSocket::RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress)
{
    Ptr<Packet> p = Recv(maxSize, flags);
    if (p)
    {
        // IPN does not say who sent a message: the address is the network's.
        fromAddress = IpnAddress(GetNetwork()->GetPath());
    }
    return p;
}

void
IpnSocket::OnReceive()
{
    if (!m_closed && m_port->GetQueueLength() + m_port->GetOobQueueLength() > 0)
    {
        NotifyDataRecv();
    }
}

int
IpnSocket::GetSockName(Address& address) const
{
    Ptr<IpnNetwork> net = GetNetwork();
    if (!net)
    {
        return Fail(IpnError::NOTCONN);
    }
    address = IpnAddress(net->GetPath(), m_port->GetPortNumber());
    return 0;
}

int
IpnSocket::GetPeerName(Address& address) const
{
    if (!IsConnected())
    {
        return Fail(IpnError::NOTCONN);
    }
    address = IpnAddress(GetNetwork()->GetPath());
    return 0;
}

bool
IpnSocket::SetAllowBroadcast(bool allowBroadcast)
{
    return true; // every IPN message may reach many ports
}

bool
IpnSocket::GetAllowBroadcast() const
{
    return true;
}

// ---------------------------------------------------------------- factory

TypeId
IpnSocketFactory::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnSocketFactory")
                            .SetParent<SocketFactory>()
                            .SetGroupName("Mtp")
                            .AddConstructor<IpnSocketFactory>();
    return tid;
}

IpnSocketFactory::IpnSocketFactory() = default;
IpnSocketFactory::~IpnSocketFactory() = default;

void
IpnSocketFactory::NotifyNewAggregate()
{
    if (!m_node)
    {
        m_node = GetObject<Node>();
    }
    SocketFactory::NotifyNewAggregate();
}

void
IpnSocketFactory::DoDispose()
{
    m_node = nullptr;
    SocketFactory::DoDispose();
}

Ptr<Socket>
IpnSocketFactory::CreateSocket()
{
    IpnError e;
    return CreateIpnSocket(Socket::NS3_SOCK_RAW, IPN_ANY, e);
}

Ptr<IpnSocket>
IpnSocketFactory::CreateIpnSocket(Socket::SocketType type, uint32_t policy, IpnError& error)
{
    Ptr<IpnSocket> s = CreateObject<IpnSocket>();
    error = s->Setup(m_node, type, policy);
    if (error != IpnError::OK)
    {
        s->Dispose();
        return nullptr;
    }
    return s;
}

} // namespace ns3
