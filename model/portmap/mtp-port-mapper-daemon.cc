/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-port-mapper-daemon.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/mtp-port-mapper.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPortMapperDaemon");
NS_OBJECT_ENSURE_REGISTERED(MtpPortMapperDaemon);

TypeId
MtpPortMapperDaemon::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpPortMapperDaemon")
            .SetParent<Application>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpPortMapperDaemon>()
            .AddAttribute("Port",
                          "UDP port the daemon listens on and sends queries to (iwpmd's 3935).",
                          UintegerValue(IWPM_PORT),
                          MakeUintegerAccessor(&MtpPortMapperDaemon::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("RequestTimeout",
                          "How long a query waits for the remote daemon's answer before it is "
                          "sent again (or fails, after Retries resends).",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&MtpPortMapperDaemon::m_timeout),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("Retries",
                          "How many times an unanswered query is sent again; it fails with "
                          "ETIMEDOUT RequestTimeout after the last one.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&MtpPortMapperDaemon::m_retries),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("FirstPort",
                          "Lowest mapped port of the pool (below 0x8000, so that MTP sockets "
                          "can bind it as a server port).",
                          UintegerValue(0x4000),
                          MakeUintegerAccessor(&MtpPortMapperDaemon::m_firstPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("LastPort",
                          "Highest mapped port of the pool (>= FirstPort).",
                          UintegerValue(0x7fff),
                          MakeUintegerAccessor(&MtpPortMapperDaemon::m_lastPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("ReservePorts",
                          "Emulation: reserve each mapped port on the real host by binding a "
                          "real TCP socket to ReserveAddress:port while the mapping lives (as "
                          "iwpmd does); pool ports the host holds are skipped.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&MtpPortMapperDaemon::m_reservePorts),
                          MakeBooleanChecker())
            .AddAttribute("ReserveAddress",
                          "Emulation: the real host address ReservePorts binds (0.0.0.0: all).",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&MtpPortMapperDaemon::m_reserveAddr),
                          MakeIpv4AddressChecker())
            .AddTraceSource("MappingAdded",
                            "A mapping entered the table (new, or replayed after a restart).",
                            MakeTraceSourceAccessor(&MtpPortMapperDaemon::m_mappingAdded),
                            "ns3::MtpPortMapperDaemon::MappingTracedCallback")
            .AddTraceSource("MappingRemoved",
                            "A mapping left the table (its last reference removed).",
                            MakeTraceSourceAccessor(&MtpPortMapperDaemon::m_mappingRemoved),
                            "ns3::MtpPortMapperDaemon::MappingTracedCallback")
            .AddTraceSource("MappingQueried",
                            "A query of this daemon ended: remote, its mapped endpoint, error.",
                            MakeTraceSourceAccessor(&MtpPortMapperDaemon::m_mappingQueried),
                            "ns3::MtpPortMapperDaemon::QueryTracedCallback")
            .AddTraceSource("QueryAnswered",
                            "This daemon answered a remote daemon's query: the endpoint asked "
                            "for, its mapped endpoint, error.",
                            MakeTraceSourceAccessor(&MtpPortMapperDaemon::m_queryAnswered),
                            "ns3::MtpPortMapperDaemon::QueryTracedCallback")
            .AddTraceSource("QuerySent",
                            "A QUERY datagram left: remote endpoint, sequence, attempt (from 1).",
                            MakeTraceSourceAccessor(&MtpPortMapperDaemon::m_querySent),
                            "ns3::MtpPortMapperDaemon::QuerySentTracedCallback")
            .AddTraceSource("MessageDropped",
                            "A received datagram was dropped: why (MtpPortMapDropReason: "
                            "malformed message, or an answer to no pending query), sender.",
                            MakeTraceSourceAccessor(&MtpPortMapperDaemon::m_dropped),
                            "ns3::MtpPortMapperDaemon::DropTracedCallback");
    return tid;
}

MtpPortMapperDaemon::MtpPortMapperDaemon()
    : m_reservePorts(false),
      m_reserveAddr(Ipv4Address::GetAny()),
      m_port(IWPM_PORT),
      m_retries(3),
      m_firstPort(0x4000),
      m_lastPort(0x7fff),
      m_running(false),
      m_table(std::make_unique<MtpPortMapTable>(0x4000, 0x7fff)),
      m_nextSequence(1)
{
    NS_LOG_FUNCTION(this);
}

MtpPortMapperDaemon::~MtpPortMapperDaemon()
{
    NS_LOG_FUNCTION(this);
}

void
MtpPortMapperDaemon::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Stop();
    m_mapper = nullptr;
    Application::DoDispose();
}

void
MtpPortMapperDaemon::StartApplication()
{
    Start();
}

void
MtpPortMapperDaemon::StopApplication()
{
    Stop();
}

void
MtpPortMapperDaemon::Start()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        return;
    }
    if (m_firstPort > m_lastPort)
    {
        NS_LOG_ERROR("port-mapper daemon not started: FirstPort "
                     << m_firstPort << " above LastPort " << m_lastPort);
        return;
    }
    bool has4 = GetNode()->GetObject<Ipv4>() != nullptr;
    bool has6 = GetNode()->GetObject<Ipv6>() != nullptr;
    if (!has4 && !has6)
    {
        NS_LOG_ERROR("port-mapper daemon not started: the node has no IPv4 or IPv6 stack");
        return;
    }
    if ((has4 && !OpenSocket(false, m_socket4)) || (has6 && !OpenSocket(true, m_socket6)))
    {
        for (Ptr<Socket>* s : {&m_socket4, &m_socket6})
        {
            if (*s)
            {
                (*s)->Close();
                *s = nullptr;
            }
        }
        return;
    }
    m_table = std::make_unique<MtpPortMapTable>(m_firstPort, m_lastPort);
    m_running = true;
    m_mapper = GetNode()->GetObject<MtpPortMapper>();
    if (m_mapper)
    {
        m_mapper->DaemonStarted(this);
    }
}

void
MtpPortMapperDaemon::Stop()
{
    NS_LOG_FUNCTION(this);
    if (!m_running)
    {
        return;
    }
    m_running = false;
    if (m_mapper)
    {
        m_mapper->DaemonStopped(this);
    }
    for (Ptr<Socket>* s : {&m_socket4, &m_socket6})
    {
        if (*s)
        {
            (*s)->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            (*s)->Close();
            *s = nullptr;
        }
    }
    m_table->Clear();
    while (!m_reserved.empty())
    {
        Release(m_reserved.begin()->first);
    }
    std::map<uint32_t, Pending> pending;
    pending.swap(m_pending);
    for (auto& kv : pending)
    {
        kv.second.timer.Cancel();
        m_mappingQueried(kv.second.remote, MtpPortMapEndpoint(), MtpError::SRCH);
        kv.second.done(MtpError::SRCH, MtpPortMapEndpoint());
    }
}

bool
MtpPortMapperDaemon::OpenSocket(bool ipv6, Ptr<Socket>& socket)
{
    socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    Address any = ipv6 ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), m_port))
                       : Address(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    if (socket->Bind(any) != 0)
    {
        NS_LOG_ERROR("port-mapper daemon not started: UDP port " << m_port << " is taken on "
                                                                 << (ipv6 ? "IPv6" : "IPv4"));
        socket->Close();
        socket = nullptr;
        return false;
    }
    socket->SetRecvCallback(MakeCallback(&MtpPortMapperDaemon::HandleRead, this));
    return true;
}

Ptr<Socket>
MtpPortMapperDaemon::SocketFor(const Address& to) const
{
    return Inet6SocketAddress::IsMatchingType(to) ? m_socket6 : m_socket4;
}

Address
MtpPortMapperDaemon::DaemonAddress(const MtpAddress& host) const
{
    return host.ToSocketAddress(m_port);
}

uint64_t
MtpPortMapperDaemon::GetDropCount(MtpPortMapDropReason reason) const
{
    auto i = static_cast<std::size_t>(reason);
    return i < static_cast<std::size_t>(MtpPortMapDropReason::COUNT) ? m_drops[i] : 0;
}

void
MtpPortMapperDaemon::Drop(MtpPortMapDropReason reason, const Address& from)
{
    NS_LOG_WARN("port-mapper datagram from " << from << " dropped: " << reason);
    auto i = static_cast<std::size_t>(reason);
    if (i < static_cast<std::size_t>(MtpPortMapDropReason::COUNT))
    {
        ++m_drops[i];
    }
    m_dropped(reason, from);
}

bool
MtpPortMapperDaemon::IsRunning() const
{
    return m_running;
}

const MtpPortMapTable&
MtpPortMapperDaemon::GetTable() const
{
    return *m_table;
}

std::vector<uint16_t>
MtpPortMapperDaemon::GetReservedPorts() const
{
    std::vector<uint16_t> out;
    for (const auto& kv : m_reserved)
    {
        out.push_back(kv.first);
    }
    return out;
}

bool
MtpPortMapperDaemon::Reserve(const MtpPortMapEndpoint& mapped)
{
    if (!m_reservePorts)
    {
        return true;
    }
    if (m_reserved.count(mapped.port))
    {
        return false; // one real port per mapping, whatever the simulated address
    }
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
    {
        NS_LOG_ERROR("cannot reserve port " << mapped.port << ": socket: " << std::strerror(errno));
        return false;
    }
    sockaddr_in sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(mapped.port);
    sa.sin_addr.s_addr = htonl(m_reserveAddr.Get());
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0)
    {
        NS_LOG_INFO("real port " << mapped.port << " not reserved: " << std::strerror(errno));
        ::close(fd);
        return false;
    }
    m_reserved[mapped.port] = fd;
    return true;
}

void
MtpPortMapperDaemon::Release(uint16_t port)
{
    auto it = m_reserved.find(port);
    if (it != m_reserved.end())
    {
        ::close(it->second);
        m_reserved.erase(it);
    }
}

MtpError
MtpPortMapperDaemon::AddLocal(const MtpPortMapEndpoint& local,
                              uint32_t flags,
                              MtpPortMapEndpoint& mapped)
{
    NS_LOG_FUNCTION(this << local << flags);
    if (!m_running)
    {
        return MtpError::SRCH;
    }
    bool known = m_table->Find(local) != nullptr;
    MtpError e = m_table->Add(local, flags, mapped, [this](const MtpPortMapEndpoint& m) {
        return Reserve(m);
    });
    if (e == MtpError::OK && !known)
    {
        m_mappingAdded(local, mapped);
    }
    return e;
}

MtpError
MtpPortMapperDaemon::RemoveLocal(const MtpPortMapEndpoint& local)
{
    NS_LOG_FUNCTION(this << local);
    if (!m_running)
    {
        return MtpError::SRCH;
    }
    const MtpPortMapTable::Entry* entry = m_table->Find(local);
    MtpPortMapEndpoint mapped = entry ? entry->mapped : MtpPortMapEndpoint();
    bool gone = false;
    MtpError e = m_table->Remove(local, gone);
    if (gone)
    {
        Release(mapped.port);
        m_mappingRemoved(local, mapped);
    }
    return e;
}

void
MtpPortMapperDaemon::DropLocal(const MtpPortMapEndpoint& local)
{
    bool gone = false;
    while (m_running && !gone && m_table->Find(local))
    {
        RemoveLocal(local);
        gone = m_table->Find(local) == nullptr;
    }
}

MtpError
MtpPortMapperDaemon::Replay(const MtpPortMapTable::Entry& e)
{
    NS_LOG_FUNCTION(this << e.local << e.mapped);
    if (!m_running)
    {
        return MtpError::SRCH;
    }
    MtpError err = m_table->Restore(e);
    if (err == MtpError::OK && !Reserve(e.mapped))
    {
        NS_LOG_ERROR("replayed mapping " << e.local << " -> " << e.mapped
                                         << ": the real host holds port " << e.mapped.port);
    }
    if (err == MtpError::OK)
    {
        m_mappingAdded(e.local, e.mapped);
    }
    else
    {
        NS_LOG_WARN("replay of " << e.local << " -> " << e.mapped << " refused: " << err);
    }
    return err;
}

void
MtpPortMapperDaemon::Query(const MtpPortMapEndpoint& local,
                           const MtpPortMapEndpoint& mappedLocal,
                           const MtpPortMapEndpoint& remote,
                           uint32_t flags,
                           AnswerCallback done)
{
    NS_LOG_FUNCTION(this << local << mappedLocal << remote);
    MtpError early = !m_running                               ? MtpError::SRCH
                     : !SocketFor(DaemonAddress(remote.addr)) ? MtpError::AFNOSUPPORT
                                                              : MtpError::OK;
    if (early != MtpError::OK)
    {
        Simulator::ScheduleNow([done, early]() { done(early, MtpPortMapEndpoint()); });
        return;
    }
    uint32_t seq = m_nextSequence++;
    Pending& p = m_pending[seq];
    p.msg.type = MtpPortMapMessage::QUERY;
    p.msg.flags = static_cast<uint8_t>(flags);
    p.msg.sequence = seq;
    p.msg.a = local;
    p.msg.b = mappedLocal;
    p.msg.c = remote;
    p.remote = remote;
    p.done = std::move(done);
    Transmit(seq);
}

void
MtpPortMapperDaemon::Transmit(uint32_t sequence)
{
    Pending& p = m_pending[sequence];
    ++p.attempts;
    NS_LOG_INFO("QUERY " << sequence << " for " << p.remote << ", attempt " << p.attempts);
    SendMessage(p.msg, DaemonAddress(p.remote.addr));
    m_querySent(p.remote, sequence, p.attempts);
    p.timer = Simulator::Schedule(m_timeout, &MtpPortMapperDaemon::Expire, this, sequence);
}

void
MtpPortMapperDaemon::Expire(uint32_t sequence)
{
    auto it = m_pending.find(sequence);
    if (it == m_pending.end())
    {
        return;
    }
    if (it->second.attempts <= m_retries)
    {
        Transmit(sequence);
        return;
    }
    NS_LOG_WARN("port-mapper daemon of " << it->second.remote << " did not answer "
                                         << it->second.attempts << " queries");
    Finish(sequence, MtpError::TIMEDOUT, MtpPortMapEndpoint());
}

void
MtpPortMapperDaemon::Finish(uint32_t sequence,
                            MtpError error,
                            const MtpPortMapEndpoint& mappedRemote)
{
    auto it = m_pending.find(sequence);
    if (it == m_pending.end())
    {
        return;
    }
    Pending p = std::move(it->second);
    m_pending.erase(it);
    p.timer.Cancel();
    m_mappingQueried(p.remote, mappedRemote, error);
    p.done(error, mappedRemote);
}

void
MtpPortMapperDaemon::SendMessage(const MtpPortMapMessage& msg, const Address& to)
{
    Ptr<Socket> socket = SocketFor(to);
    if (!socket)
    {
        NS_LOG_WARN("no socket of the family of " << to << ": message not sent");
        return;
    }
    std::vector<uint8_t> bytes = msg.Serialize();
    socket->SendTo(Create<Packet>(bytes.data(), bytes.size()), 0, to);
}

void
MtpPortMapperDaemon::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> packet;
    while (m_running && (packet = socket->RecvFrom(from)))
    {
        std::vector<uint8_t> bytes(packet->GetSize());
        packet->CopyData(bytes.data(), bytes.size());
        MtpPortMapMessage msg;
        MtpPortMapDropReason why = MtpPortMapMessage::Parse(bytes.data(), bytes.size(), msg);
        if (why != MtpPortMapDropReason::NONE)
        {
            Drop(why, from);
        }
        else if (msg.type == MtpPortMapMessage::QUERY)
        {
            HandleQuery(msg, from);
        }
        else if (!HandleAnswer(msg))
        {
            Drop(MtpPortMapDropReason::UNMATCHED_ANSWER, from);
        }
    }
}

void
MtpPortMapperDaemon::HandleQuery(const MtpPortMapMessage& msg, const Address& from)
{
    NS_LOG_FUNCTION(this << msg.c << from);
    MtpPortMapMessage answer;
    answer.type = MtpPortMapMessage::ANSWER;
    answer.sequence = msg.sequence;
    answer.a = msg.c;
    const MtpPortMapTable::Entry* entry = m_table->FindLocalOrAny(msg.c);
    if (!entry)
    {
        answer.status = MtpError::NOTCONN;
    }
    else
    {
        // A mapping of the unspecified address stands for every local address.
        answer.b =
            MtpPortMapEndpoint(entry->mapped.IsAnyAddress() ? msg.c.addr : entry->mapped.addr,
                               entry->mapped.port);
        if (m_mapper)
        {
            m_mapper->DeliverRemoteInfo(answer.b, msg.b, msg.a);
        }
    }
    m_queryAnswered(msg.c, answer.b, answer.status);
    SendMessage(answer, from);
}

bool
MtpPortMapperDaemon::HandleAnswer(const MtpPortMapMessage& msg)
{
    auto it = m_pending.find(msg.sequence);
    if (it == m_pending.end() || it->second.remote != msg.a)
    {
        NS_LOG_LOGIC("answer " << msg.sequence << " matches no pending query");
        return false;
    }
    Finish(msg.sequence, msg.status, msg.b);
    return true;
}

} // namespace ns3
