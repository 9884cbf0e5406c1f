/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMonitor, packet side: the IP layer's trace sinks (send, forward, local
 * deliver, drop; IPv4 and IPv6), the read-only view of each packet, and the
 * MTP and TCP parsing that updates a flow's shadow state (segments, grants,
 * resends, acks, the TCP state machine) and captures payload for peeking.
 * Everything here works on copies: a monitored packet is never changed.
 * The monitor's life, registration, events and output are in
 * mtp-monitor.cc.
 */

#include "mtp-monitor.h"

#include "ns3/simulator.h"
#include "ns3/tcp-header.h"

namespace ns3
{

namespace
{
/** IP protocol number of TCP. */
constexpr uint8_t TCP_PROTOCOL = 6;
/** IP protocol number of UDP (ports only). */
constexpr uint8_t UDP_PROTOCOL = 17;
} // namespace

void
MtpMonitor::V4Send(const Ipv4Header& h, Ptr<const Packet> p, uint32_t i)
{
    MtpMonitorPacket v = View4(MtpMonitorPoint::SEND, h, p, i);
    Handle(v, p);
}

void
MtpMonitor::V4Forward(const Ipv4Header& h, Ptr<const Packet> p, uint32_t i)
{
    MtpMonitorPacket v = View4(MtpMonitorPoint::FORWARD, h, p, i);
    Handle(v, p);
}

void
MtpMonitor::V4Deliver(const Ipv4Header& h, Ptr<const Packet> p, uint32_t i)
{
    MtpMonitorPacket v = View4(MtpMonitorPoint::DELIVER, h, p, i);
    Handle(v, p);
}

void
MtpMonitor::V4Drop(const Ipv4Header& h,
                   Ptr<const Packet> p,
                   Ipv4L3Protocol::DropReason,
                   Ptr<Ipv4>,
                   uint32_t i)
{
    MtpMonitorPacket v = View4(MtpMonitorPoint::DROP, h, p, i);
    Handle(v, p);
}

void
MtpMonitor::V6Send(const Ipv6Header& h, Ptr<const Packet> p, uint32_t i)
{
    MtpMonitorPacket v = View6(MtpMonitorPoint::SEND, h, p, i);
    Handle(v, p);
}

void
MtpMonitor::V6Forward(const Ipv6Header& h, Ptr<const Packet> p, uint32_t i)
{
    MtpMonitorPacket v = View6(MtpMonitorPoint::FORWARD, h, p, i);
    Handle(v, p);
}

void
MtpMonitor::V6Deliver(const Ipv6Header& h, Ptr<const Packet> p, uint32_t i)
{
    MtpMonitorPacket v = View6(MtpMonitorPoint::DELIVER, h, p, i);
    Handle(v, p);
}

void
MtpMonitor::V6Drop(const Ipv6Header& h,
                   Ptr<const Packet> p,
                   Ipv6L3Protocol::DropReason,
                   Ptr<Ipv6>,
                   uint32_t i)
{
    MtpMonitorPacket v = View6(MtpMonitorPoint::DROP, h, p, i);
    Handle(v, p);
}

/** Read the first four bytes of a transport header as ports, if the packet holds them. */
static void
ReadPorts(MtpMonitorPacket& v, Ptr<const Packet> p, uint8_t mtpProtocol)
{
    bool portful =
        v.protocol == TCP_PROTOCOL || v.protocol == UDP_PROTOCOL || v.protocol == mtpProtocol;
    if (!portful || p->GetSize() < 4)
    {
        return;
    }
    uint8_t b[4];
    p->CopyData(b, 4);
    v.hasPorts = true;
    v.srcPort = static_cast<uint16_t>((b[0] << 8) | b[1]);
    v.dstPort = static_cast<uint16_t>((b[2] << 8) | b[3]);
}

MtpMonitorPacket
MtpMonitor::View4(MtpMonitorPoint point, const Ipv4Header& h, Ptr<const Packet> p, uint32_t i) const
{
    MtpMonitorPacket v;
    v.time = Simulator::Now();
    v.point = point;
    v.interface = i;
    v.src = MtpMonitorFilter::MapIpv4(h.GetSource());
    v.dst = MtpMonitorFilter::MapIpv4(h.GetDestination());
    v.protocol = h.GetProtocol();
    v.tos = h.GetTos();
    v.ttl = h.GetTtl();
    v.ipPayload = p->GetSize();
    ReadPorts(v, p, m_mtpProtocol);
    return v;
}

MtpMonitorPacket
MtpMonitor::View6(MtpMonitorPoint point, const Ipv6Header& h, Ptr<const Packet> p, uint32_t i) const
{
    MtpMonitorPacket v;
    v.time = Simulator::Now();
    v.point = point;
    v.interface = i;
    v.ipv6 = true;
    v.src = h.GetSource();
    v.dst = h.GetDestination();
    v.protocol = h.GetNextHeader();
    v.tos = h.GetTrafficClass();
    v.ttl = h.GetHopLimit();
    v.ipPayload = p->GetSize();
    ReadPorts(v, p, m_mtpProtocol);
    return v;
}

void
MtpMonitor::Handle(MtpMonitorPacket& view, Ptr<const Packet> p)
{
    if (m_closed)
    {
        return; // closed by a callback of an earlier packet of this trace walk
    }
    ++m_stats.packets;
    ++m_depth;
    HandleOpen(view, p);
    --m_depth;
}

void
MtpMonitor::HandleOpen(MtpMonitorPacket& view, Ptr<const Packet> p)
{
    if (!m_filter.Matches(view))
    {
        ++m_stats.filtered;
        return;
    }
    MtpMonitorEventInfo info;
    info.packet = view;
    if (m_kind == MTP_MONITOR_RAW)
    {
        m_stats.drops += view.point == MtpMonitorPoint::DROP;
        Raise(MtpMonitorEvent::PACKET_IN, info);
        return;
    }
    if (view.point == MtpMonitorPoint::DROP)
    {
        // A dropped packet reaches no endpoint: it changes no flow's state.
        ++m_stats.drops;
        return;
    }
    if (view.protocol == m_mtpProtocol)
    {
        HandleMtp(view, p);
    }
    else if (view.protocol == TCP_PROTOCOL)
    {
        HandleTcp(view, p);
    }
    else
    {
        ++m_stats.other;
        Raise(MtpMonitorEvent::PACKET_IN, info);
    }
}

/** Fill an MTP segment summary from the type-specific header of a copied packet. */
static bool
ParseMtp(Ptr<Packet> copy, MtpPacketType type, MtpSegmentInfo& seg, std::vector<MtpAck>& acks)
{
    switch (type)
    {
    case MtpPacketType::DATA: {
        MtpDataHeader h;
        copy->RemoveHeader(h);
        seg.messageLength = h.GetMessageLength();
        seg.offset = h.GetOffset();
        seg.payload = copy->GetSize();
        seg.retransmitFlag = h.GetRetransmit() != 0;
        if (h.GetAck().clientId != 0)
        {
            acks.push_back(h.GetAck());
        }
        // Malformed segments (past the message's end ...) are reported, never trusted.
        return h.Validate(seg.payload, 0xFFFFFFFF) == MtpDropReason::NONE;
    }
    case MtpPacketType::GRANT: {
        MtpGrantHeader h;
        copy->RemoveHeader(h);
        seg.offset = h.GetOffset();
        seg.priority = h.GetPriority();
        return true;
    }
    case MtpPacketType::RESEND: {
        MtpResendHeader h;
        copy->RemoveHeader(h);
        seg.offset = h.GetOffset();
        seg.resendLength = h.GetLength();
        seg.priority = h.GetPriority();
        return true;
    }
    case MtpPacketType::ACK: {
        MtpAckHeader h;
        copy->RemoveHeader(h);
        acks = h.GetAcks();
        return h.Validate() == MtpDropReason::NONE;
    }
    default:
        return true;
    }
}

void
MtpMonitor::HandleMtp(const MtpMonitorPacket& view, Ptr<const Packet> p)
{
    MtpMonitorEventInfo info;
    info.packet = view;
    MtpHeader common;
    Ptr<Packet> copy = p->Copy();
    MtpSegmentInfo seg;
    std::vector<MtpAck> acks;
    bool ok = MtpHeader::Peek(copy, common) == MtpDropReason::NONE;
    if (ok)
    {
        info.mtpType = common.GetType();
        ok = ParseMtp(copy, common.GetType(), seg, acks);
    }
    if (!ok)
    {
        ++m_stats.malformed;
        Raise(MtpMonitorEvent::PACKET_IN, info);
        return;
    }
    ++m_stats.mtp;
    seg.type = common.GetType();
    info.mtpOffset = seg.offset;
    info.mtpLength = seg.type == MtpPacketType::DATA     ? seg.payload
                     : seg.type == MtpPacketType::RESEND ? seg.resendLength
                                                         : 0;
    seg.fromClient = (common.GetSenderId() & 1) == 0;
    if (seg.type == MtpPacketType::DATA)
    {
        seg.priority = view.tos >> 5;
    }
    bool acked = HandleAcks(view, acks, info);
    bool perRpc = seg.type != MtpPacketType::ACK && seg.type != MtpPacketType::CUTOFFS &&
                  seg.type != MtpPacketType::FREEZE;
    MtpFlowKey key;
    key.protocol = m_mtpProtocol;
    key.client = seg.fromClient ? view.src : view.dst;
    key.clientPort = seg.fromClient ? common.GetSourcePort() : common.GetDestinationPort();
    key.server = seg.fromClient ? view.dst : view.src;
    key.serverPort = seg.fromClient ? common.GetDestinationPort() : common.GetSourcePort();
    key.rpcId = common.GetSenderId() & ~uint64_t(1);
    if (perRpc && m_stopped.count(key))
    {
        return;
    }
    auto it = perRpc ? m_flows.find(key) : m_flows.end();
    Flow* flow = it == m_flows.end() ? nullptr : &it->second;
    MtpEventMask ev = MtpMonitorEvent::PACKET_IN;
    if (!flow && perRpc && seg.type == MtpPacketType::DATA)
    {
        flow = StartFlow(key, view);
        ev |= flow ? MtpMonitorEvent::FLOW_START : 0;
    }
    if (!flow)
    {
        Raise(MtpMonitorEvent::PACKET_IN, info);
        if (!acked)
        {
            Orphan(info);
        }
        return;
    }
    ev |= flow->rpc->OnPacket(seg);
    if (seg.type == MtpPacketType::DATA)
    {
        Capture(*flow, seg, copy);
    }
    Settle(key, *flow, ev, info);
}

void
MtpMonitor::Capture(Flow& flow, const MtpSegmentInfo& seg, Ptr<Packet> payload)
{
    if (m_bufferSize == 0)
    {
        return;
    }
    int side = seg.fromClient ? 0 : 1;
    const MtpMessageShadow& m =
        side == 0 ? flow.rpc->Record().request : flow.rpc->Record().response;
    // Only bytes inside the message (its first length) are message bytes.
    uint64_t end = std::min<uint64_t>(uint64_t(seg.offset) + seg.payload, m.length);
    uint32_t len = end > seg.offset ? static_cast<uint32_t>(end - seg.offset) : 0;
    Store(flow, side, seg.offset, payload, len);
}

void
MtpMonitor::CaptureTcp(Flow& flow, const MtpTcpSegmentInfo& seg, Ptr<Packet> payload)
{
    // The payload of a SYN (were there one) starts after the number the SYN takes.
    uint32_t first = seg.seq + ((seg.flags & TcpHeader::SYN) ? 1 : 0);
    uint64_t offset = 0;
    if (m_bufferSize == 0 || seg.payload == 0 ||
        !flow.tcp->StreamOffset(seg.fromClient, first, offset))
    {
        return; // no buffer, no bytes, or no stream offset for them (SYN not seen)
    }
    Store(flow, seg.fromClient ? 0 : 1, offset, payload, seg.payload);
}

void
MtpMonitor::Store(Flow& flow, int side, uint64_t offset, Ptr<Packet> bytes, uint32_t len)
{
    if (!flow.data[side])
    {
        flow.data[side] = std::make_unique<MtpMonitorBuffer>(m_bufferSize, m_overlap);
    }
    std::vector<uint8_t> copy(len);
    len = bytes->CopyData(copy.data(), len);
    flow.data[side]->Write(offset, copy.data(), len);
    flow.record.bufferOverflow[side] = flow.data[side]->GetOverflow();
}

MtpMonitorBuffer*
MtpMonitor::BufferOf(const MtpFlowKey& key, MtpMonitorSide side)
{
    if (m_closed)
    {
        Fail(MtpError::BADF);
        return nullptr;
    }
    auto it = m_flows.find(key);
    if (it == m_flows.end())
    {
        Fail(MtpError::NOENT);
        return nullptr;
    }
    if ((!it->second.rpc && !it->second.tcp) || m_bufferSize == 0)
    {
        Fail(MtpError::INVAL);
        return nullptr;
    }
    if (it->second.tcp && !it->second.tcp->HasIsn(side == MtpMonitorSide::REQUEST))
    {
        Fail(MtpError::NOTCONN); // that side's SYN was not seen: no stream offsets
        return nullptr;
    }
    auto& buf = it->second.data[static_cast<int>(side)];
    if (!buf)
    {
        buf = std::make_unique<MtpMonitorBuffer>(m_bufferSize, m_overlap);
    }
    return buf.get();
}

int
MtpMonitor::Peek(const MtpFlowKey& key, MtpMonitorSide side, uint8_t* out, uint32_t len)
{
    MtpMonitorBuffer* buf = BufferOf(key, side);
    return buf ? static_cast<int>(buf->Peek(out, len)) : -1;
}

int
MtpMonitor::PositionedPeek(const MtpFlowKey& key,
                           MtpMonitorSide side,
                           uint8_t* out,
                           uint32_t len,
                           uint64_t offset)
{
    MtpMonitorBuffer* buf = BufferOf(key, side);
    if (!buf)
    {
        return -1;
    }
    MtpError e = buf->PositionedPeek(offset, out, len);
    if (e != MtpError::OK)
    {
        Fail(e);
        return -1;
    }
    return static_cast<int>(len);
}

bool
MtpMonitor::HandleAcks(const MtpMonitorPacket& view,
                       const std::vector<MtpAck>& acks,
                       const MtpMonitorEventInfo& base)
{
    bool any = false;
    for (const MtpAck& a : acks)
    {
        std::optional<MtpFlowKey> key = FindAcked(view, a);
        if (!key)
        {
            continue;
        }
        any = true;
        Flow& flow = m_flows.at(*key);
        flow.record.lastSeen = view.time;
        Settle(*key, flow, flow.rpc->OnAck(), base);
    }
    return any;
}

std::optional<MtpFlowKey>
MtpMonitor::FindAcked(const MtpMonitorPacket& view, const MtpAck& ack) const
{
    // Homa's ack (even id) goes from the client's host to the server's and
    // names the server port; a one-way ack (odd id) goes from the message's
    // receiver to its sender and names the sender's port.
    const bool oneWay = (ack.clientId & 1) != 0;
    const Ipv6Address& client = oneWay ? view.dst : view.src;
    const Ipv6Address& server = oneWay ? view.src : view.dst;
    auto range = m_byRpc.equal_range(
        std::make_tuple(m_mtpProtocol, client, server, ack.clientId & ~uint64_t(1)));
    for (auto r = range.first; r != range.second; ++r)
    {
        const MtpFlowKey& key = r->second;
        if ((oneWay ? key.clientPort : key.serverPort) == ack.serverPort)
        {
            return key;
        }
    }
    return std::nullopt;
}

void
MtpMonitor::HandleTcp(const MtpMonitorPacket& view, Ptr<const Packet> p)
{
    MtpMonitorEventInfo info;
    info.packet = view;
    uint8_t first[13];
    TcpHeader h;
    Ptr<Packet> copy = p->Copy();
    // Check the data offset before letting TcpHeader read options by it.
    bool ok = copy->GetSize() >= 20 && copy->CopyData(first, 13) == 13 && (first[12] >> 4) >= 5 &&
              uint32_t(first[12] >> 4) * 4 <= copy->GetSize();
    if (!ok)
    {
        ++m_stats.malformed;
        Raise(MtpMonitorEvent::PACKET_IN, info);
        return;
    }
    copy->RemoveHeader(h);
    ++m_stats.tcp;
    info.tcpFlags = h.GetFlags();
    MtpTcpSegmentInfo seg;
    seg.flags = h.GetFlags();
    seg.seq = h.GetSequenceNumber().GetValue();
    seg.ack = h.GetAckNumber().GetValue();
    seg.payload = copy->GetSize();
    MtpFlowKey key{TCP_PROTOCOL, view.src, view.srcPort, view.dst, view.dstPort, 0};
    MtpFlowKey reverse{TCP_PROTOCOL, view.dst, view.dstPort, view.src, view.srcPort, 0};
    if (m_stopped.count(key) || m_stopped.count(reverse))
    {
        return;
    }
    auto it = m_flows.find(key);
    seg.fromClient = it != m_flows.end();
    if (!seg.fromClient)
    {
        it = m_flows.find(reverse);
        key = reverse;
    }
    Flow* flow = it == m_flows.end() ? nullptr : &it->second;
    MtpEventMask ev = MtpMonitorEvent::PACKET_IN;
    bool syn = (seg.flags & TcpHeader::SYN) && !(seg.flags & TcpHeader::ACK);
    if (!flow && syn)
    {
        key = MtpFlowKey{TCP_PROTOCOL, view.src, view.srcPort, view.dst, view.dstPort, 0};
        flow = StartFlow(key, view);
        if (flow)
        {
            flow->tcp = std::make_unique<MtpTcpShadow>();
            flow->rpc.reset();
            seg.fromClient = true;
            ev |= MtpMonitorEvent::FLOW_START;
        }
    }
    if (!flow)
    {
        Raise(MtpMonitorEvent::PACKET_IN, info);
        Orphan(info);
        return;
    }
    ev |= flow->tcp->OnSegment(seg);
    CaptureTcp(*flow, seg, copy);
    Settle(key, *flow, ev, info);
}

} // namespace ns3
