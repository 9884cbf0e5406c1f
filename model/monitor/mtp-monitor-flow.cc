/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "mtp-monitor-flow.h"

#include "ns3/ipv4-address.h"
#include "ns3/tcp-header.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace ns3
{

std::string
MtpEventMaskToString(MtpEventMask mask)
{
    static const char* names[] = {"PACKET_IN",
                                  "FLOW_START",
                                  "NEW_DATA",
                                  "STATE_CHANGE",
                                  "ORPHAN",
                                  "RETRANSMISSION",
                                  "FLOW_END",
                                  "TIMEOUT"};
    std::ostringstream os;
    for (unsigned bit = 0; bit < 64; ++bit)
    {
        if (!(mask & (MtpEventMask(1) << bit)))
        {
            continue;
        }
        os << (os.tellp() > 0 ? "|" : "");
        if (bit < 8)
        {
            os << names[bit];
        }
        else
        {
            os << "USER" << bit;
        }
    }
    return os.tellp() > 0 ? os.str() : "NONE";
}

bool
operator<(const MtpFlowKey& a, const MtpFlowKey& b)
{
    return std::tie(a.protocol, a.client, a.clientPort, a.server, a.serverPort, a.rpcId) <
           std::tie(b.protocol, b.client, b.clientPort, b.server, b.serverPort, b.rpcId);
}

bool
operator==(const MtpFlowKey& a, const MtpFlowKey& b)
{
    return a.protocol == b.protocol && a.client == b.client && a.clientPort == b.clientPort &&
           a.server == b.server && a.serverPort == b.serverPort && a.rpcId == b.rpcId;
}

std::string
MtpMonitorAddressString(const Ipv6Address& a)
{
    std::ostringstream os;
    if (a.IsIpv4MappedAddress())
    {
        os << a.GetIpv4MappedAddress();
    }
    else
    {
        os << a;
    }
    return os.str();
}

std::ostream&
operator<<(std::ostream& os, const MtpFlowKey& k)
{
    return os << MtpMonitorAddressString(k.client) << ":" << k.clientPort << "->"
              << MtpMonitorAddressString(k.server) << ":" << k.serverPort << "#" << k.rpcId;
}

uint64_t
MtpByteRanges::Add(uint64_t begin, uint64_t end)
{
    if (begin >= end)
    {
        return 0;
    }
    uint64_t before = m_size;
    // Start from the first interval that could touch [begin, end).
    auto it = m_ranges.upper_bound(begin);
    if (it != m_ranges.begin() && std::prev(it)->second >= begin)
    {
        --it;
    }
    while (it != m_ranges.end() && it->first <= end)
    {
        begin = std::min(begin, it->first);
        end = std::max(end, it->second);
        m_size -= it->second - it->first;
        it = m_ranges.erase(it);
    }
    m_ranges[begin] = end;
    m_size += end - begin;
    return m_size - before;
}

uint64_t
MtpByteRanges::Size() const
{
    return m_size;
}

bool
MtpByteRanges::Covers(uint64_t length) const
{
    if (length == 0)
    {
        return true;
    }
    return !m_ranges.empty() && m_ranges.begin()->first == 0 && m_ranges.begin()->second >= length;
}

size_t
MtpByteRanges::Intervals() const
{
    return m_ranges.size();
}

std::string
MtpRpcShadowStateName(MtpRpcShadowState s)
{
    switch (s)
    {
    case MtpRpcShadowState::REQUEST:
        return "REQUEST";
    case MtpRpcShadowState::RESPONSE:
        return "RESPONSE";
    case MtpRpcShadowState::COMPLETED:
        return "COMPLETED";
    case MtpRpcShadowState::ENDED:
        return "ENDED";
    }
    return "?";
}

MtpEventMask
MtpRpcShadow::OnData(MtpMessageShadow& m, MtpByteRanges& ranges, const MtpSegmentInfo& seg)
{
    ++m.dataPackets;
    m.lastPriority = seg.priority;
    if (!m.lengthKnown)
    {
        m.lengthKnown = true;
        m.length = seg.messageLength;
    }
    else if (m.length != seg.messageLength)
    {
        m.lengthMismatch = true;
    }
    // Only bytes inside the message count; a malformed segment past the end adds nothing.
    uint64_t begin = seg.offset;
    uint64_t end = std::min<uint64_t>(begin + seg.payload, m.length);
    uint64_t fresh = begin < end ? ranges.Add(begin, end) : 0;
    m.bytesOnWire += seg.payload;
    m.bytesSeen = ranges.Size();
    bool wasComplete = m.complete;
    m.complete = ranges.Covers(m.length);
    MtpEventMask ev = 0;
    // An empty message is "new data" the first time it completes.
    if (fresh > 0 || (m.complete && !wasComplete))
    {
        ev |= MtpMonitorEvent::NEW_DATA;
    }
    bool repeated = begin < end && fresh < end - begin;
    if (seg.retransmitFlag || repeated || (m.length == 0 && wasComplete))
    {
        ++m.retransmits;
        ev |= MtpMonitorEvent::RETRANSMISSION;
    }
    return ev;
}

MtpEventMask
MtpRpcShadow::OnPacket(const MtpSegmentInfo& seg)
{
    ++m_rec.packets;
    // Which message a packet is about: DATA belongs to its sender's message; GRANT and
    // RESEND are sent by a receiver about the other side's message.
    bool aboutRequest = seg.type == MtpPacketType::DATA ? seg.fromClient : !seg.fromClient;
    MtpMessageShadow& m = aboutRequest ? m_rec.request : m_rec.response;
    MtpEventMask ev = 0;
    switch (seg.type)
    {
    case MtpPacketType::DATA:
        ev |= OnData(m, aboutRequest ? m_requestBytes : m_responseBytes, seg);
        break;
    case MtpPacketType::GRANT:
        ++m.grants;
        m.grantedOffset = std::max(m.grantedOffset, seg.offset);
        m.grantPriority = seg.priority;
        break;
    case MtpPacketType::RESEND:
        ++m.resends;
        break;
    case MtpPacketType::BUSY:
        ++m_rec.busy;
        break;
    case MtpPacketType::NEED_ACK:
        ++m_rec.needAcks;
        break;
    case MtpPacketType::RPC_UNKNOWN:
        ++m_rec.unknown;
        if (seg.fromClient)
        {
            // The client has forgotten the RPC: the server frees it too.
            return ev | SetState(MtpRpcShadowState::ENDED);
        }
        break;
    default:
        break;
    }
    return ev | Advance();
}

MtpEventMask
MtpRpcShadow::OnAck()
{
    m_rec.acked = true;
    return SetState(MtpRpcShadowState::ENDED);
}

MtpEventMask
MtpRpcShadow::Advance()
{
    if (m_rec.state == MtpRpcShadowState::ENDED)
    {
        return 0;
    }
    if (m_rec.response.complete)
    {
        return SetState(MtpRpcShadowState::COMPLETED);
    }
    if (m_rec.request.complete || m_rec.response.dataPackets > 0)
    {
        return SetState(MtpRpcShadowState::RESPONSE);
    }
    return 0;
}

MtpEventMask
MtpRpcShadow::SetState(MtpRpcShadowState s)
{
    if (m_rec.state == s)
    {
        return 0;
    }
    m_rec.state = s;
    MtpEventMask ev = MtpMonitorEvent::STATE_CHANGE;
    if (s == MtpRpcShadowState::ENDED)
    {
        ev |= MtpMonitorEvent::FLOW_END;
    }
    return ev;
}

const MtpRpcRecord&
MtpRpcShadow::Record() const
{
    return m_rec;
}

bool
MtpRpcShadow::Ended() const
{
    return m_rec.state == MtpRpcShadowState::ENDED;
}

std::string
MtpTcpShadowStateName(MtpTcpShadowState s)
{
    switch (s)
    {
    case MtpTcpShadowState::SYN_SENT:
        return "SYN_SENT";
    case MtpTcpShadowState::SYN_RCVD:
        return "SYN_RCVD";
    case MtpTcpShadowState::ESTABLISHED:
        return "ESTABLISHED";
    case MtpTcpShadowState::CLOSING:
        return "CLOSING";
    case MtpTcpShadowState::LAST_ACK:
        return "LAST_ACK";
    case MtpTcpShadowState::CLOSED:
        return "CLOSED";
    case MtpTcpShadowState::RESET:
        return "RESET";
    }
    return "?";
}

MtpTcpShadow::MtpTcpShadow()
    : m_isnKnown{false, false},
      m_isn{0, 0},
      m_finSeen{false, false},
      m_finSeq{0, 0},
      m_finAcked{false, false},
      m_highest{0, 0}
{
}

MtpEventMask
MtpTcpShadow::OnSegment(const MtpTcpSegmentInfo& seg)
{
    ++m_rec.packets;
    int side = seg.fromClient ? 0 : 1;
    if (m_rec.state == MtpTcpShadowState::CLOSED || m_rec.state == MtpTcpShadowState::RESET)
    {
        return 0;
    }
    if (seg.flags & TcpHeader::RST)
    {
        return SetState(MtpTcpShadowState::RESET);
    }
    MtpEventMask ev = OnFlags(side, seg);
    if (seg.payload > 0 && m_isnKnown[side])
    {
        ev |= OnPayload(side, seg);
    }
    return ev;
}

MtpEventMask
MtpTcpShadow::OnFlags(int side, const MtpTcpSegmentInfo& seg)
{
    MtpEventMask ev = 0;
    bool syn = seg.flags & TcpHeader::SYN;
    bool ack = seg.flags & TcpHeader::ACK;
    bool fin = seg.flags & TcpHeader::FIN;
    if (syn)
    {
        if (!m_isnKnown[side])
        {
            m_isnKnown[side] = true;
            m_isn[side] = seg.seq;
            return side == 1 ? SetState(MtpTcpShadowState::SYN_RCVD) : 0;
        }
        ++m_rec.retransmits[side];
        return MtpMonitorEvent::RETRANSMISSION;
    }
    if (m_rec.state == MtpTcpShadowState::SYN_RCVD && side == 0 && ack && seg.ack == m_isn[1] + 1)
    {
        ev |= SetState(MtpTcpShadowState::ESTABLISHED);
    }
    if (fin)
    {
        uint32_t finSeq = seg.seq + seg.payload;
        if (m_finSeen[side])
        {
            ++m_rec.retransmits[side];
            ev |= MtpMonitorEvent::RETRANSMISSION;
        }
        else
        {
            m_finSeen[side] = true;
            m_finSeq[side] = finSeq;
            bool both = m_finSeen[0] && m_finSeen[1];
            ev |= SetState(both ? MtpTcpShadowState::LAST_ACK : MtpTcpShadowState::CLOSING);
        }
    }
    // A side's FIN is acknowledged once the other side's ACK number passes it; the
    // connection is closed when both FINs are.
    int other = 1 - side;
    if (ack && m_finSeen[other] && static_cast<int32_t>(seg.ack - (m_finSeq[other] + 1)) >= 0)
    {
        m_finAcked[other] = true;
    }
    if (m_finAcked[0] && m_finAcked[1])
    {
        ev |= SetState(MtpTcpShadowState::CLOSED);
    }
    return ev;
}

MtpEventMask
MtpTcpShadow::OnPayload(int side, const MtpTcpSegmentInfo& seg)
{
    // A SYN carrying data: its payload starts after the sequence number the SYN takes.
    uint32_t first = seg.seq + ((seg.flags & TcpHeader::SYN) ? 1 : 0);
    uint64_t begin = 0;
    if (!StreamOffset(side == 0, first, begin))
    {
        return 0; // bytes before the stream's start: nothing to place
    }
    m_highest[side] = std::max(m_highest[side], begin + seg.payload);
    uint64_t fresh = m_seen[side].Add(begin, begin + seg.payload);
    m_rec.bytes[side] = m_seen[side].Size();
    MtpEventMask ev = 0;
    if (fresh > 0)
    {
        ev |= MtpMonitorEvent::NEW_DATA;
    }
    if (fresh < seg.payload)
    {
        ++m_rec.retransmits[side];
        ev |= MtpMonitorEvent::RETRANSMISSION;
    }
    return ev;
}

MtpEventMask
MtpTcpShadow::SetState(MtpTcpShadowState s)
{
    if (m_rec.state == s)
    {
        return 0;
    }
    m_rec.state = s;
    MtpEventMask ev = MtpMonitorEvent::STATE_CHANGE;
    if (s == MtpTcpShadowState::CLOSED || s == MtpTcpShadowState::RESET)
    {
        ev |= MtpMonitorEvent::FLOW_END;
    }
    return ev;
}

const MtpTcpRecord&
MtpTcpShadow::Record() const
{
    return m_rec;
}

bool
MtpTcpShadow::Ended() const
{
    return m_rec.state == MtpTcpShadowState::CLOSED || m_rec.state == MtpTcpShadowState::RESET;
}

bool
MtpTcpShadow::HasIsn(bool fromClient) const
{
    return m_isnKnown[fromClient ? 0 : 1];
}

bool
MtpTcpShadow::StreamOffset(bool fromClient, uint32_t seq, uint64_t& offset) const
{
    int side = fromClient ? 0 : 1;
    if (!m_isnKnown[side])
    {
        return false;
    }
    // The 32-bit offset, placed within 2 GiB of the highest byte seen so far.
    uint32_t rel = seq - m_isn[side] - 1;
    uint64_t ref = m_highest[side];
    int64_t at = static_cast<int64_t>(ref) + static_cast<int32_t>(rel - static_cast<uint32_t>(ref));
    if (at < 0)
    {
        return false;
    }
    offset = static_cast<uint64_t>(at);
    return true;
}

} // namespace ns3
