/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMonitor: a passive, mOS-style monitor socket on one node.  This file
 * holds its life (attach to a node's IP traces, close), registration of
 * event callbacks and user-defined events, filters, per-flow records and
 * their CSV/XML output, and the event machinery (flow start and end, state
 * changes, idle timeouts, BEFORE/AFTER hooks).  The packet side (trace
 * sinks, parsing, shadow state updates) is in mtp-monitor-packet.cc.
 */

#include "mtp-monitor.h"

#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/mtp-fabric-host.h"
#include "ns3/mtp-fabric-switch.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/tcp-header.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpMonitor");
NS_OBJECT_ENSURE_REGISTERED(MtpMonitor);

namespace
{
/** IP protocol number of TCP. */
constexpr uint8_t TCP_PROTOCOL = 6;
} // namespace

std::string
MtpMonitorPointName(MtpMonitorPoint p)
{
    switch (p)
    {
    case MtpMonitorPoint::SEND:
        return "SEND";
    case MtpMonitorPoint::FORWARD:
        return "FORWARD";
    case MtpMonitorPoint::DELIVER:
        return "DELIVER";
    case MtpMonitorPoint::DROP:
        return "DROP";
    }
    return "?";
}

Ipv6Address
MtpMonitorFilter::MapIpv4(Ipv4Address a)
{
    return Ipv6Address::MakeIpv4MappedAddress(a);
}

bool
MtpMonitorFilter::Matches(const MtpMonitorPacket& p) const
{
    if (protocol != 0 && p.protocol != protocol)
    {
        return false;
    }
    auto oneWay =
        [this](const Ipv6Address& s, uint16_t sp, const Ipv6Address& d, uint16_t dp, bool ports) {
            return (!src || *src == s) && (!dst || *dst == d) &&
                   (srcPort == 0 || (ports && srcPort == sp)) &&
                   (dstPort == 0 || (ports && dstPort == dp));
        };
    return oneWay(p.src, p.srcPort, p.dst, p.dstPort, p.hasPorts) ||
           (bothDirections && oneWay(p.dst, p.dstPort, p.src, p.srcPort, p.hasPorts));
}

TypeId
MtpMonitor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpMonitor")
            .SetParent<Object>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpMonitor>()
            .AddAttribute("Kind",
                          "STREAM keeps a shadow state per MTP RPC and TCP connection; RAW "
                          "reports every packet (L2/L3 view) and no flow events.",
                          EnumValue(MTP_MONITOR_STREAM),
                          MtpMakeEnumAccessor<MtpMonitorKind>(&MtpMonitor::m_kind),
                          MakeEnumChecker(MTP_MONITOR_STREAM, "STREAM", MTP_MONITOR_RAW, "RAW"))
            .AddAttribute("MtpProtocol",
                          "The IP protocol number MTP travels with (MtpL4Protocol's "
                          "IpProtocolNumber).",
                          UintegerValue(146),
                          MakeUintegerAccessor(&MtpMonitor::m_mtpProtocol),
                          MakeUintegerChecker<uint8_t>())
            .AddAttribute("IdleTimeout",
                          "A flow that shows no packet for this long raises TIMEOUT and is "
                          "no longer tracked; 0 disables the timer (no simulator events).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&MtpMonitor::m_idleTimeout),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("BufferSize",
                          "Bytes of each side of a flow (message of an MTP RPC, direction of "
                          "a TCP connection) kept for Peek and PositionedPeek beyond what Peek "
                          "consumed; bytes beyond are counted in the record's bufferOverflow.  "
                          "0 keeps no bytes.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&MtpMonitor::m_bufferSize),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("OverlapPolicy",
                          "Which copy of bytes seen twice (a retransmission) the buffer keeps.",
                          EnumValue(MTP_OVERLAP_FIRST),
                          MtpMakeEnumAccessor<MtpOverlapPolicy>(&MtpMonitor::m_overlap),
                          MakeEnumChecker(MTP_OVERLAP_FIRST, "First", MTP_OVERLAP_LAST, "Last"))
            .AddTraceSource("Event",
                            "Every event the monitor raises, before callbacks see it.",
                            MakeTraceSourceAccessor(&MtpMonitor::m_eventTrace),
                            "ns3::MtpMonitor::EventTracedCallback");
    return tid;
}

MtpMonitor::MtpMonitor()
    : m_kind(MTP_MONITOR_STREAM),
      m_mtpProtocol(146),
      m_bufferSize(0),
      m_overlap(MTP_OVERLAP_FIRST),
      m_closed(false),
      m_errno(MtpError::OK),
      m_nextReg(0),
      m_depth(0)
{
    NS_LOG_FUNCTION(this);
}

MtpMonitor::~MtpMonitor()
{
    NS_LOG_FUNCTION(this);
}

void
MtpMonitor::DoDispose()
{
    Close();
    m_node = nullptr;
    Object::DoDispose();
}

bool
MtpMonitor::Attach(Ptr<Node> node)
{
    if (!node || m_node || m_closed)
    {
        Fail(MtpError::INVAL);
        return false;
    }
    m_ipv4 = node->GetObject<Ipv4L3Protocol>();
    m_ipv6 = node->GetObject<Ipv6L3Protocol>();
    if (!m_ipv4 && !m_ipv6)
    {
        Fail(MtpError::INVAL);
        return false;
    }
    m_node = node;
    Wire(true);
    // The trace sinks hold this monitor by a plain pointer: keep it alive until
    // Simulator::Destroy, which closes it (a user may drop every Ptr to it).
    Simulator::ScheduleDestroy(&MtpMonitor::Close, Ptr<MtpMonitor>(this));
    return true;
}

void
MtpMonitor::Wire(bool connect)
{
    auto hook = [connect](Ptr<Object> l3, const char* name, const CallbackBase& cb) {
        if (connect)
        {
            l3->TraceConnectWithoutContext(name, cb);
        }
        else
        {
            l3->TraceDisconnectWithoutContext(name, cb);
        }
    };
    if (m_ipv4)
    {
        hook(m_ipv4, "SendOutgoing", MakeCallback(&MtpMonitor::V4Send, this));
        hook(m_ipv4, "UnicastForward", MakeCallback(&MtpMonitor::V4Forward, this));
        hook(m_ipv4, "LocalDeliver", MakeCallback(&MtpMonitor::V4Deliver, this));
        hook(m_ipv4, "Drop", MakeCallback(&MtpMonitor::V4Drop, this));
        // A switch's fast path forwards without IPv4's traces; its own Forward
        // trace reports what UnicastForward would have.
        if (Ptr<MtpFabricSwitch> sw = m_node->GetObject<MtpFabricSwitch>())
        {
            hook(sw, "Forward", MakeCallback(&MtpMonitor::V4Forward, this));
        }
        // Likewise a host's fast path, SendOutgoing and LocalDeliver.
        if (Ptr<MtpFabricHost> host = m_node->GetObject<MtpFabricHost>())
        {
            hook(host, "Send", MakeCallback(&MtpMonitor::V4Send, this));
            hook(host, "Deliver", MakeCallback(&MtpMonitor::V4Deliver, this));
        }
    }
    if (m_ipv6)
    {
        hook(m_ipv6, "SendOutgoing", MakeCallback(&MtpMonitor::V6Send, this));
        hook(m_ipv6, "UnicastForward", MakeCallback(&MtpMonitor::V6Forward, this));
        hook(m_ipv6, "LocalDeliver", MakeCallback(&MtpMonitor::V6Deliver, this));
        hook(m_ipv6, "Drop", MakeCallback(&MtpMonitor::V6Drop, this));
    }
}

void
MtpMonitor::Close()
{
    if (m_closed)
    {
        return;
    }
    m_closed = true;
    if (m_node && m_depth > 0)
    {
        // Called from a callback, inside the IP trace being walked: unhook after it.
        Simulator::ScheduleNow(&MtpMonitor::Wire, this, false);
    }
    else if (m_node)
    {
        Wire(false);
    }
    Simulator::Cancel(m_timer);
    m_regs.clear();
    m_user.clear();
}

bool
MtpMonitor::IsActive() const
{
    return m_node && !m_closed;
}

void
MtpMonitor::SetFilter(const MtpMonitorFilter& filter)
{
    m_filter = filter;
}

int
MtpMonitor::Register(MtpEventMask events, MtpMonitorHook hook, EventCallback cb)
{
    if (m_closed)
    {
        Fail(MtpError::BADF);
        return -1;
    }
    MtpEventMask known = MtpMonitorEvent::ALL_BUILTIN;
    for (const auto& [bit, ue] : m_user)
    {
        known |= MtpEventMask(1) << bit;
    }
    // A RAW monitor has no flows: of the built-in events only PACKET_IN.
    bool flowEvents = events & MtpMonitorEvent::ALL_BUILTIN & ~MtpMonitorEvent::PACKET_IN;
    if (events == 0 || (events & ~known) || cb.IsNull() ||
        (m_kind == MTP_MONITOR_RAW && flowEvents))
    {
        Fail(MtpError::INVAL);
        return -1;
    }
    int id = m_nextReg++;
    m_regs[id] = Registration{events, hook, cb};
    return id;
}

bool
MtpMonitor::Unregister(int id)
{
    if (m_regs.erase(id) == 0)
    {
        Fail(MtpError::NOENT);
        return false;
    }
    return true;
}

MtpEventMask
MtpMonitor::DefineEvent(MtpEventMask base, EventFilter filter)
{
    if (m_closed)
    {
        Fail(MtpError::BADF);
        return 0;
    }
    bool single = base != 0 && (base & (base - 1)) == 0;
    bool builtin = base & MtpMonitorEvent::ALL_BUILTIN;
    bool user = false;
    for (const auto& [bit, ue] : m_user)
    {
        user = user || base == (MtpEventMask(1) << bit);
    }
    if (!single || !(builtin || user) || filter.IsNull())
    {
        Fail(MtpError::INVAL);
        return 0;
    }
    for (unsigned bit = MtpMonitorEvent::FIRST_USER_BIT; bit < 64; ++bit)
    {
        if (m_user.find(bit) == m_user.end())
        {
            m_user[bit] = UserEvent{base, filter};
            return MtpEventMask(1) << bit;
        }
    }
    Fail(MtpError::BUSY);
    return 0;
}

bool
MtpMonitor::StopFlow(const MtpFlowKey& key)
{
    auto it = m_flows.find(key);
    if (it == m_flows.end())
    {
        Fail(MtpError::NOENT);
        return false;
    }
    it->second.record.stopped = true;
    m_stopped.insert(key);
    Retire(key);
    return true;
}

MtpError
MtpMonitor::GetErrno() const
{
    return m_errno;
}

void
MtpMonitor::Fail(MtpError e)
{
    m_errno = e;
}

const MtpMonitorStats&
MtpMonitor::GetStats() const
{
    return m_stats;
}

size_t
MtpMonitor::GetActiveFlowCount() const
{
    return m_flows.size();
}

std::vector<MtpMonitorFlowRecord>
MtpMonitor::GetFlowRecords() const
{
    std::vector<MtpMonitorFlowRecord> out = m_finished;
    for (const auto& [key, flow] : m_flows)
    {
        out.push_back(flow.record);
    }
    return out;
}

bool
MtpMonitor::GetFlowRecord(const MtpFlowKey& key, MtpMonitorFlowRecord& out) const
{
    auto it = m_flows.find(key);
    if (it != m_flows.end())
    {
        out = it->second.record;
        return true;
    }
    auto f = m_finishedIndex.find(key);
    if (f == m_finishedIndex.end())
    {
        return false;
    }
    out = m_finished[f->second];
    return true;
}

void
MtpMonitor::WriteCsv(std::ostream& os) const
{
    os << "protocol,client,client_port,server,server_port,rpc_id,first_ns,last_ns,state,"
          "ended,timed_out,stopped,packets,req_length,req_bytes,req_retransmits,req_granted,"
          "req_grants,req_resends,resp_length,resp_bytes,resp_retransmits,resp_granted,"
          "resp_grants,resp_resends,busy,unknown,need_acks,acked\n";
    for (const MtpMonitorFlowRecord& r : GetFlowRecords())
    {
        const MtpFlowKey& k = r.key;
        os << unsigned(k.protocol) << "," << MtpMonitorAddressString(k.client) << ","
           << k.clientPort << "," << MtpMonitorAddressString(k.server) << "," << k.serverPort << ","
           << k.rpcId << "," << r.firstSeen.GetNanoSeconds() << "," << r.lastSeen.GetNanoSeconds()
           << ",";
        bool tcp = k.protocol == TCP_PROTOCOL;
        os << (tcp ? MtpTcpShadowStateName(r.tcp.state) : MtpRpcShadowStateName(r.rpc.state)) << ","
           << r.ended << "," << r.timedOut << "," << r.stopped << ","
           << (tcp ? r.tcp.packets : r.rpc.packets) << ",";
        if (tcp)
        {
            os << "," << r.tcp.bytes[0] << "," << r.tcp.retransmits[0] << ",,,,," << r.tcp.bytes[1]
               << "," << r.tcp.retransmits[1] << ",,,,,,,\n";
            continue;
        }
        for (const MtpMessageShadow* m : {&r.rpc.request, &r.rpc.response})
        {
            os << m->length << "," << m->bytesSeen << "," << m->retransmits << ","
               << m->grantedOffset << "," << m->grants << "," << m->resends << ",";
        }
        os << r.rpc.busy << "," << r.rpc.unknown << "," << r.rpc.needAcks << "," << r.rpc.acked
           << "\n";
    }
}

void
MtpMonitor::WriteXml(std::ostream& os, uint16_t indent, uint32_t nodeId) const
{
    std::string in(indent, ' ');
    os << in << "<MtpMonitor node=\"" << nodeId << "\">\n";
    for (const MtpMonitorFlowRecord& r : GetFlowRecords())
    {
        const MtpFlowKey& k = r.key;
        bool tcp = k.protocol == TCP_PROTOCOL;
        os << in << "  <Flow protocol=\"" << unsigned(k.protocol) << "\" client=\""
           << MtpMonitorAddressString(k.client) << "\" clientPort=\"" << k.clientPort
           << "\" server=\"" << MtpMonitorAddressString(k.server) << "\" serverPort=\""
           << k.serverPort << "\" rpcId=\"" << k.rpcId << "\" firstSeenNs=\""
           << r.firstSeen.GetNanoSeconds() << "\" lastSeenNs=\"" << r.lastSeen.GetNanoSeconds()
           << "\" state=\""
           << (tcp ? MtpTcpShadowStateName(r.tcp.state) : MtpRpcShadowStateName(r.rpc.state))
           << "\" ended=\"" << r.ended << "\" timedOut=\"" << r.timedOut << "\" stopped=\""
           << r.stopped << "\" packets=\"" << (tcp ? r.tcp.packets : r.rpc.packets) << "\"";
        if (!tcp)
        {
            os << " busy=\"" << r.rpc.busy << "\" unknown=\"" << r.rpc.unknown << "\" needAcks=\""
               << r.rpc.needAcks << "\" acked=\"" << r.rpc.acked << "\"";
        }
        os << ">\n";
        for (int side = 0; side < 2; ++side)
        {
            const char* name = side == 0 ? "request" : "response";
            if (tcp)
            {
                os << in << "    <Stream side=\"" << (side == 0 ? "client" : "server")
                   << "\" bytes=\"" << r.tcp.bytes[side] << "\" retransmits=\""
                   << r.tcp.retransmits[side] << "\" />\n";
                continue;
            }
            const MtpMessageShadow& m = side == 0 ? r.rpc.request : r.rpc.response;
            os << in << "    <Message side=\"" << name << "\" length=\"" << m.length
               << "\" bytesSeen=\"" << m.bytesSeen << "\" bytesOnWire=\"" << m.bytesOnWire
               << "\" dataPackets=\"" << m.dataPackets << "\" retransmits=\"" << m.retransmits
               << "\" grantedOffset=\"" << m.grantedOffset << "\" grants=\"" << m.grants
               << "\" resends=\"" << m.resends << "\" complete=\"" << m.complete
               << "\" bufferOverflow=\"" << r.bufferOverflow[side] << "\" />\n";
        }
        os << in << "  </Flow>\n";
    }
    os << in << "</MtpMonitor>\n";
}

void
MtpMonitor::Orphan(MtpMonitorEventInfo info)
{
    if (!m_filter.orphan.IsNull() && !m_filter.orphan(info.packet))
    {
        return;
    }
    ++m_stats.orphans;
    Raise(MtpMonitorEvent::ORPHAN, info);
}

MtpMonitor::Flow*
MtpMonitor::StartFlow(const MtpFlowKey& key, const MtpMonitorPacket& view)
{
    if (!m_filter.firstPacket.IsNull() && !m_filter.firstPacket(view))
    {
        return nullptr;
    }
    Flow& f = m_flows[key];
    m_byRpc.emplace(std::make_tuple(key.protocol, key.client, key.server, key.rpcId), key);
    f.record.key = key;
    f.record.ipv6 = view.ipv6;
    f.record.firstSeen = view.time;
    f.record.lastSeen = view.time;
    f.rpc = std::make_unique<MtpRpcShadow>();
    ++m_stats.flows;
    ArmTimer();
    return &f;
}

void
MtpMonitor::Settle(const MtpFlowKey& key, Flow& flow, MtpEventMask ev, MtpMonitorEventInfo info)
{
    flow.record.lastSeen = info.packet.time;
    if (flow.rpc)
    {
        flow.record.rpc = flow.rpc->Record();
    }
    if (flow.tcp)
    {
        flow.record.tcp = flow.tcp->Record();
    }
    bool ended = ev & MtpMonitorEvent::FLOW_END;
    flow.record.ended = flow.record.ended || ended;
    info.hasFlow = true;
    info.flow = flow.record;
    // Callbacks of the last events may still read the flow's bytes: retire after.
    Raise(ev, info);
    if (ended)
    {
        Retire(key);
    }
}

void
MtpMonitor::Retire(const MtpFlowKey& key)
{
    auto it = m_flows.find(key);
    if (it == m_flows.end())
    {
        return;
    }
    m_finishedIndex[key] = m_finished.size();
    m_finished.push_back(it->second.record);
    m_flows.erase(it);
    auto range =
        m_byRpc.equal_range(std::make_tuple(key.protocol, key.client, key.server, key.rpcId));
    for (auto r = range.first; r != range.second; ++r)
    {
        if (r->second == key)
        {
            m_byRpc.erase(r);
            break;
        }
    }
}

void
MtpMonitor::Raise(MtpEventMask ev, MtpMonitorEventInfo info)
{
    for (unsigned bit = 0; bit < 8; ++bit)
    {
        MtpEventMask one = MtpEventMask(1) << bit;
        if (!(ev & one))
        {
            continue;
        }
        bool flowEvent = one != MtpMonitorEvent::PACKET_IN && one != MtpMonitorEvent::ORPHAN;
        if (flowEvent && info.hasFlow && !m_filter.flow.IsNull() && !m_filter.flow(info.flow))
        {
            continue;
        }
        if (info.hasFlow && m_stopped.count(info.flow.key))
        {
            return; // a callback stopped the flow: it raises nothing more
        }
        info.event = one;
        Deliver(info);
    }
}

void
MtpMonitor::Deliver(MtpMonitorEventInfo& info)
{
    MtpEventMask event = info.event;
    m_eventTrace(info);
    // A callback may register, unregister or close: walk a snapshot of the ids.
    std::vector<int> ids;
    for (const auto& [id, reg] : m_regs)
    {
        if (reg.events & event)
        {
            ids.push_back(id);
        }
    }
    for (int id : ids)
    {
        auto it = m_regs.find(id);
        if (it == m_regs.end())
        {
            continue;
        }
        if (it->second.hook == MtpMonitorHook::BEFORE)
        {
            EventCallback cb = it->second.cb;
            cb(info);
        }
        else
        {
            Simulator::ScheduleNow(&MtpMonitor::RunAfter, this, id, info);
        }
    }
    std::map<unsigned, UserEvent> user = m_user;
    for (const auto& [bit, ue] : user)
    {
        if (ue.base == event && ue.filter(info))
        {
            info.event = MtpEventMask(1) << bit;
            Deliver(info);
            info.event = event;
        }
    }
}

void
MtpMonitor::RunAfter(int id, MtpMonitorEventInfo info)
{
    auto it = m_regs.find(id);
    if (it != m_regs.end())
    {
        it->second.cb(info);
    }
}

void
MtpMonitor::ArmTimer()
{
    if (m_idleTimeout.IsZero() || !m_timer.IsExpired() || m_flows.empty() || m_closed)
    {
        return;
    }
    Time oldest = m_flows.begin()->second.record.lastSeen;
    for (const auto& [key, flow] : m_flows)
    {
        oldest = std::min(oldest, flow.record.lastSeen);
    }
    Time due = std::max(oldest + m_idleTimeout, Simulator::Now());
    m_timer = Simulator::Schedule(due - Simulator::Now(), &MtpMonitor::CheckIdle, this);
}

void
MtpMonitor::CheckIdle()
{
    Time now = Simulator::Now();
    std::vector<MtpFlowKey> idle;
    for (const auto& [key, flow] : m_flows)
    {
        if (now - flow.record.lastSeen >= m_idleTimeout)
        {
            idle.push_back(key);
        }
    }
    for (const MtpFlowKey& key : idle)
    {
        Flow& flow = m_flows[key];
        flow.record.timedOut = true;
        ++m_stats.timeouts;
        MtpMonitorEventInfo info;
        info.packet.time = now;
        info.hasFlow = true;
        info.flow = flow.record;
        Retire(key);
        Raise(MtpMonitorEvent::TIMEOUT, info);
    }
    ArmTimer();
}

} // namespace ns3
