/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-workload-app.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/mtp-error.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-message-recorder.h"
#include "ns3/mtp-socket-factory.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-workload.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpWorkloadApp");

NS_OBJECT_ENSURE_REGISTERED(MtpWorkloadApp);

TypeId
MtpWorkloadApp::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpWorkloadApp")
            .SetParent<Application>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpWorkloadApp>()
            .AddAttribute("Distribution",
                          "Message sizes (an MtpMessageSizeDistribution, loaded).",
                          PointerValue(),
                          MakePointerAccessor(&MtpWorkloadApp::m_dist),
                          MakePointerChecker<MtpMessageSizeDistribution>())
            .AddAttribute("Recorder",
                          "The MtpMessageRecorder shared by every app of the experiment.",
                          PointerValue(),
                          MakePointerAccessor(&MtpWorkloadApp::m_recorder),
                          MakePointerChecker<MtpMessageRecorder>())
            .AddAttribute("Load",
                          "Offered load as a fraction of HostRate (0 < Load).",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&MtpWorkloadApp::m_load),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("HostRate",
                          "Rate of the host's NIC, the reference of Load.",
                          DataRateValue(DataRate("10Gbps")),
                          MakeDataRateAccessor(&MtpWorkloadApp::m_hostRate),
                          MakeDataRateChecker())
            .AddAttribute("Protocol",
                          "Transport: Mtp (one-way messages) or Tcp (a connection per message).",
                          StringValue("Mtp"),
                          MakeStringAccessor(&MtpWorkloadApp::m_protocolName),
                          MakeStringChecker())
            .AddAttribute("Port",
                          "MTP server port (< 32768) or TCP listening port of every host.",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&MtpWorkloadApp::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("CountHeaders",
                          "Count PacketOverhead bytes per packet in the offered load, so Load is "
                          "the NIC's utilization by data packets.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&MtpWorkloadApp::m_countHeaders),
                          MakeBooleanChecker())
            .AddAttribute("PacketPayload",
                          "Message bytes per packet, for the load computation (MTP over IPv4, "
                          "MTU 1500: 1424).",
                          UintegerValue(1424),
                          MakeUintegerAccessor(&MtpWorkloadApp::m_packetPayload),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("PacketOverhead",
                          "Header bytes per packet on the wire, for the load computation "
                          "(MTP DATA 56 + IPv4 20 + PPP 2).",
                          UintegerValue(78),
                          MakeUintegerAccessor(&MtpWorkloadApp::m_packetOverhead),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

MtpWorkloadApp::MtpWorkloadApp()
    : m_load(0.5),
      m_hostRate("10Gbps"),
      m_protocolName("Mtp"),
      m_protocol(MTP),
      m_port(1000),
      m_countHeaders(true),
      m_packetPayload(1424),
      m_packetOverhead(78),
      m_gap(CreateObject<ExponentialRandomVariable>()),
      m_sizeU(CreateObject<UniformRandomVariable>()),
      m_dstU(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

MtpWorkloadApp::~MtpWorkloadApp() = default;

void
MtpWorkloadApp::DoDispose()
{
    m_next.Cancel();
    m_mtpSocket = nullptr;
    m_tcpListener = nullptr;
    m_tcpRx.clear();
    m_tcpTx.clear();
    m_dist = nullptr;
    m_recorder = nullptr;
    Application::DoDispose();
}

void
MtpWorkloadApp::SetDestinations(uint32_t self, const std::vector<Ipv4Address>& hosts)
{
    NS_ABORT_MSG_IF(self >= hosts.size(), "self index " << self << " out of range");
    NS_ABORT_MSG_IF(hosts.size() < 2, "need at least two hosts");
    m_self = self;
    m_hosts = hosts;
    m_selfAddr = hosts[self];
}

int64_t
MtpWorkloadApp::AssignStreams(int64_t stream)
{
    m_gap->SetStream(stream);
    m_sizeU->SetStream(stream + 1);
    m_dstU->SetStream(stream + 2);
    return 3;
}

uint64_t
MtpWorkloadApp::GetMessagesSent() const
{
    return m_sent;
}

uint64_t
MtpWorkloadApp::GetMessagesReceived() const
{
    return m_received;
}

uint64_t
MtpWorkloadApp::GetSendErrors() const
{
    return m_sendErrors;
}

uint64_t
MtpWorkloadApp::GetOpenConnections() const
{
    return m_tcpTx.size() + m_tcpRx.size();
}

void
MtpWorkloadApp::ComputeRate()
{
    NS_ABORT_MSG_IF(!m_dist || m_dist->GetSizes().empty(), "MtpWorkloadApp: no Distribution");
    double wireMean = 0;
    double prev = 0;
    const auto& sizes = m_dist->GetSizes();
    const auto& cdf = m_dist->GetCdf();
    for (std::size_t i = 0; i < sizes.size(); ++i)
    {
        double p = cdf[i] - prev;
        prev = cdf[i];
        double bytes = sizes[i];
        if (m_countHeaders)
        {
            uint32_t packets =
                std::max<uint32_t>(1, (sizes[i] + m_packetPayload - 1) / m_packetPayload);
            bytes += double(packets) * m_packetOverhead;
        }
        wireMean += p * bytes;
    }
    m_rate = m_load * m_hostRate.GetBitRate() / (8.0 * wireMean);
}

Time
MtpWorkloadApp::GetMeanInterval() const
{
    return m_rate > 0 ? Seconds(1.0 / m_rate) : Time::Max();
}

void
MtpWorkloadApp::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_hosts.empty(), "MtpWorkloadApp: SetDestinations was not called");
    NS_ABORT_MSG_IF(!m_recorder, "MtpWorkloadApp: no Recorder");
    if (m_protocolName == "Mtp" || m_protocolName == "mtp")
    {
        m_protocol = MTP;
    }
    else if (m_protocolName == "Tcp" || m_protocolName == "tcp")
    {
        m_protocol = TCP;
    }
    else
    {
        NS_FATAL_ERROR("MtpWorkloadApp: Protocol must be Mtp or Tcp, not " << m_protocolName);
    }
    ComputeRate();
    Ptr<Node> node = GetNode();
    if (m_protocol == MTP)
    {
        m_mtpSocket =
            DynamicCast<MtpSocket>(Socket::CreateSocket(node, MtpSocketFactory::GetTypeId()));
        NS_ABORT_MSG_IF(!m_mtpSocket, "node " << node->GetId() << " has no MTP");
        if (m_mtpSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) < 0)
        {
            NS_FATAL_ERROR("MtpWorkloadApp: bind to MTP port "
                           << m_port << " failed: " << MtpErrorName(m_mtpSocket->GetMtpErrno()));
        }
        m_mtpSocket->SetRecvCallback(MakeCallback(&MtpWorkloadApp::HandleMtpRecv, this));
        node->GetObject<MtpL4Protocol>()->TraceConnectWithoutContext(
            "MessageBegin",
            MakeCallback(&MtpWorkloadApp::HandleMessageBegin, this));
    }
    else
    {
        m_tcpListener = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        if (m_tcpListener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) < 0 ||
            m_tcpListener->Listen() < 0)
        {
            NS_FATAL_ERROR("MtpWorkloadApp: TCP listen on port " << m_port << " failed");
        }
        m_tcpListener->SetAcceptCallback(MakeCallback(&MtpWorkloadApp::HandleTcpRequest, this),
                                         MakeCallback(&MtpWorkloadApp::HandleTcpAccept, this));
    }
    m_generating = m_rate > 0;
    if (m_generating)
    {
        ScheduleNext();
    }
}

void
MtpWorkloadApp::StopApplication()
{
    NS_LOG_FUNCTION(this);
    // Stop generating; sockets stay open so that messages in flight drain.
    m_generating = false;
    m_next.Cancel();
}

void
MtpWorkloadApp::ScheduleNext()
{
    Time gap = Seconds(m_gap->GetValue(1.0 / m_rate, 0));
    m_next = Simulator::Schedule(gap, &MtpWorkloadApp::SendMessage, this);
}

void
MtpWorkloadApp::SendMessage()
{
    if (!m_generating)
    {
        return;
    }
    uint32_t size = m_dist->Quantile(m_sizeU->GetValue(0.0, 1.0));
    uint32_t pick = m_dstU->GetInteger(0, m_hosts.size() - 2);
    uint32_t dst = pick >= m_self ? pick + 1 : pick;
    ++m_sent;
    if (m_protocol == MTP)
    {
        SendMtp(dst, size);
    }
    else
    {
        SendTcp(dst, size);
    }
    ScheduleNext();
}

void
MtpWorkloadApp::SendMtp(uint32_t dst, uint32_t size)
{
    m_capturing = true;
    m_capturedId = 0;
    int r = m_mtpSocket->SendTo(Create<Packet>(size), 0, InetSocketAddress(m_hosts[dst], m_port));
    m_capturing = false;
    if (r < 0 || m_capturedId == 0)
    {
        ++m_sendErrors;
        std::string error = MtpErrorName(m_mtpSocket->GetMtpErrno());
        NS_LOG_WARN("host " << m_self << ": SendTo failed: " << error);
        m_recorder->MessageRefused(m_self, dst, size, error);
        return;
    }
    MtpMessageRecorder::Key key{m_selfAddr.Get(), m_mtpSocket->GetDefaultPort(), m_capturedId};
    m_recorder->MessageStarted(key, m_self, dst, size);
}

void
MtpWorkloadApp::HandleMessageBegin(uint64_t id,
                                   const Address& peer,
                                   uint32_t length,
                                   bool isRequest)
{
    if (m_capturing && isRequest && m_capturedId == 0)
    {
        m_capturedId = id;
    }
}

void
MtpWorkloadApp::HandleMtpRecv(Ptr<Socket> s)
{
    MtpRecvInfo info;
    while (true)
    {
        Ptr<Packet> p = m_mtpSocket->RecvMessage(info);
        if (!p && info.error == MtpError::AGAIN)
        {
            break;
        }
        if (info.kind == MtpMessageKind::ONE_WAY || info.kind == MtpMessageKind::REQUEST)
        {
            if (!InetSocketAddress::IsMatchingType(info.peer))
            {
                continue;
            }
            InetSocketAddress from = InetSocketAddress::ConvertFrom(info.peer);
            ++m_received;
            MtpMessageRecorder::Key key{from.GetIpv4().Get(), from.GetPort(), info.id & ~1ULL};
            m_recorder->MessageReceived(key);
        }
        else if (info.kind == MtpMessageKind::FAILED)
        {
            MtpMessageRecorder::Key key{m_selfAddr.Get(), m_mtpSocket->GetDefaultPort(), info.id};
            m_recorder->MessageFailed(key, MtpErrorName(info.error));
            NS_LOG_WARN("host " << m_self << ": RPC " << info.id
                                << " failed: " << MtpErrorName(info.error));
        }
    }
}

void
MtpWorkloadApp::SendTcp(uint32_t dst, uint32_t size)
{
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    // The whole message goes into the send buffer at once.
    s->SetAttribute("SndBufSize", UintegerValue(std::max<uint32_t>(size, 131072)));
    if (s->Bind() < 0 || s->Connect(InetSocketAddress(m_hosts[dst], m_port)) < 0)
    {
        ++m_sendErrors;
        m_recorder->MessageRefused(m_self, dst, size, "TCP connect refused");
        return;
    }
    Address local;
    s->GetSockName(local);
    uint16_t port = InetSocketAddress::ConvertFrom(local).GetPort();
    MtpMessageRecorder::Key key{m_selfAddr.Get(), port, 0};
    m_recorder->MessageStarted(key, m_self, dst, size);
    if (size > 0 && s->Send(Create<Packet>(size)) < 0)
    {
        ++m_sendErrors;
        m_recorder->MessageFailed(key, "TCP send refused");
    }
    s->SetCloseCallbacks(MakeCallback(&MtpWorkloadApp::HandleTcpClose, this),
                         MakeCallback(&MtpWorkloadApp::HandleTcpClose, this));
    // Close once connected: ns-3 TCP then defers the FIN until the buffered
    // message is sent (closing in SYN_SENT would reset the connection, and a
    // connection never closed would hold its socket and port for ever).
    s->SetConnectCallback(MakeCallback(&MtpWorkloadApp::HandleTcpConnected, this),
                          MakeCallback(&MtpWorkloadApp::HandleTcpClose, this));
    m_tcpTx[s] = true;
}

void
MtpWorkloadApp::HandleTcpConnected(Ptr<Socket> socket)
{
    socket->Close();
}

bool
MtpWorkloadApp::HandleTcpRequest(Ptr<Socket> socket, const Address& from)
{
    return true;
}

void
MtpWorkloadApp::HandleTcpAccept(Ptr<Socket> socket, const Address& from)
{
    InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
    m_tcpRx[socket] = {{a.GetIpv4().Get(), a.GetPort()}, 0};
    socket->SetRecvCallback(MakeCallback(&MtpWorkloadApp::HandleTcpRead, this));
    socket->SetCloseCallbacks(MakeCallback(&MtpWorkloadApp::HandleTcpClose, this),
                              MakeCallback(&MtpWorkloadApp::HandleTcpClose, this));
    // A zero-length message is complete once the connection exists.
    MtpMessageRecorder::Key key{a.GetIpv4().Get(), a.GetPort(), 0};
    if (m_recorder->GetPendingSize(key) == 0)
    {
        ++m_received;
        m_recorder->MessageReceived(key);
    }
}

void
MtpWorkloadApp::HandleTcpRead(Ptr<Socket> socket)
{
    auto it = m_tcpRx.find(socket);
    while (Ptr<Packet> p = socket->Recv())
    {
        if (it == m_tcpRx.end())
        {
            continue;
        }
        it->second.second += p->GetSize();
    }
    if (it == m_tcpRx.end())
    {
        return;
    }
    MtpMessageRecorder::Key key{it->second.first.first, it->second.first.second, 0};
    int64_t size = m_recorder->GetPendingSize(key);
    if (size >= 0 && it->second.second >= static_cast<uint64_t>(size))
    {
        ++m_received;
        m_recorder->MessageReceived(key);
    }
}

void
MtpWorkloadApp::HandleTcpClose(Ptr<Socket> socket)
{
    // Called from inside the socket: dropping our reference now could destroy
    // it while its own code is still running.  Let go of it in a new event.
    Simulator::ScheduleNow(&MtpWorkloadApp::ReleaseTcpSocket, this, socket);
}

void
MtpWorkloadApp::ReleaseTcpSocket(Ptr<Socket> socket)
{
    if (m_tcpRx.erase(socket) > 0)
    {
        socket->Close();
    }
    m_tcpTx.erase(socket);
}

} // namespace ns3
