/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-wire-recorder.h"

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/mtp-header.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpWireRecorder");

namespace
{

/// Columns that say where and when (not dissector fields).
const std::vector<std::string> META_COLUMNS = {"node", "device", "time", "family", "src", "dst"};

/// Columns named after the dissector's fields, in record order.
const std::vector<std::string> MTP_COLUMNS = {
    "mtp.sport",
    "mtp.dport",
    "mtp.sequence",
    "mtp.type",
    "mtp.doff",
    "mtp.flags",
    "mtp.window",
    "mtp.checksum",
    "mtp.urgent",
    "mtp.sender_id",
    "mtp.rpc_id",
    "mtp.role",
    "mtp.data.message_length",
    "mtp.data.incoming",
    "mtp.data.ack.client_id",
    "mtp.data.ack.server_port",
    "mtp.data.cutoff_version",
    "mtp.data.retransmit",
    "mtp.data.one_way",
    "mtp.data.ack_only",
    "mtp.data.offset",
    "mtp.data.payload_length",
    "mtp.data.payload",
    "mtp.grant.offset",
    "mtp.grant.priority",
    "mtp.resend.offset",
    "mtp.resend.length",
    "mtp.resend.priority",
    "mtp.cutoffs.cutoff",
    "mtp.cutoffs.version",
    "mtp.ack.num_acks",
    "mtp.ack.client_id",
    "mtp.ack.server_port",
};

/// Homa's "no offset here" value of a DATA packet's segment offset field.
constexpr uint32_t SEG_OFFSET_IN_SEQUENCE = 0xFFFFFFFF;

/// Column name -> value, filled per packet type.
using Fields = std::map<std::string, std::string>;

/** Decimal text of an integer. */
template <typename T>
std::string
Dec(T v)
{
    return std::to_string(static_cast<uint64_t>(v));
}

/** Lower-case hex of a packet's bytes, two digits per byte, nothing between. */
std::string
Hex(Ptr<const Packet> p)
{
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes.size());
    for (uint8_t b : bytes)
    {
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

/** The common header's columns. */
void
DescribeCommon(const MtpHeader& h, Fields& f)
{
    f["mtp.sport"] = Dec(h.GetSourcePort());
    f["mtp.dport"] = Dec(h.GetDestinationPort());
    f["mtp.sequence"] = Dec(h.GetSequence());
    f["mtp.type"] = Dec(h.GetTypeCode());
    f["mtp.doff"] = Dec(h.GetDoff());
    f["mtp.flags"] = Dec(h.GetFlags());
    f["mtp.window"] = Dec(h.GetWindow());
    f["mtp.checksum"] = Dec(h.GetChecksum());
    f["mtp.urgent"] = Dec(h.GetUrgent());
    f["mtp.sender_id"] = Dec(h.GetSenderId());
    // The receiver knows the RPC by the other id of the pair; even ids are clients'.
    f["mtp.rpc_id"] = Dec(h.GetSenderId() ^ 1);
    f["mtp.role"] = (h.GetSenderId() & 1) == 0 ? "client" : "server";
}

/** DATA's columns; `p` holds the header and the payload. */
void
DescribeData(Ptr<Packet> p, Fields& f)
{
    MtpDataHeader h;
    p->RemoveHeader(h);
    DescribeCommon(h, f);
    f["mtp.data.message_length"] = Dec(h.GetMessageLength());
    f["mtp.data.incoming"] = Dec(h.GetIncoming());
    f["mtp.data.ack.client_id"] = Dec(h.GetAck().clientId);
    f["mtp.data.ack.server_port"] = Dec(h.GetAck().serverPort);
    f["mtp.data.cutoff_version"] = Dec(h.GetCutoffVersion());
    f["mtp.data.retransmit"] = Dec(h.GetRetransmit());
    f["mtp.data.one_way"] = (h.GetExtFlags() & MtpDataHeader::FLAG_ONE_WAY) ? "1" : "0";
    f["mtp.data.ack_only"] = (h.GetExtFlags() & MtpDataHeader::FLAG_ACK_ONLY) ? "1" : "0";
    const uint32_t offset =
        h.GetOffset() == SEG_OFFSET_IN_SEQUENCE ? h.GetSequence() : h.GetOffset();
    f["mtp.data.offset"] = Dec(offset);
    f["mtp.data.payload_length"] = Dec(p->GetSize());
    f["mtp.data.payload"] = Hex(p);
}

/** GRANT's columns. */
void
DescribeGrant(Ptr<Packet> p, Fields& f)
{
    MtpGrantHeader h;
    p->RemoveHeader(h);
    DescribeCommon(h, f);
    f["mtp.grant.offset"] = Dec(h.GetOffset());
    f["mtp.grant.priority"] = Dec(h.GetPriority());
}

/** RESEND's columns. */
void
DescribeResend(Ptr<Packet> p, Fields& f)
{
    MtpResendHeader h;
    p->RemoveHeader(h);
    DescribeCommon(h, f);
    f["mtp.resend.offset"] = Dec(h.GetOffset());
    f["mtp.resend.length"] = Dec(h.GetLength());
    f["mtp.resend.priority"] = Dec(h.GetPriority());
}

/** CUTOFFS' columns. */
void
DescribeCutoffs(Ptr<Packet> p, Fields& f)
{
    MtpCutoffsHeader h;
    p->RemoveHeader(h);
    DescribeCommon(h, f);
    std::string cutoffs;
    for (uint32_t c : h.GetCutoffs())
    {
        cutoffs += (cutoffs.empty() ? "" : ",") + Dec(c);
    }
    f["mtp.cutoffs.cutoff"] = cutoffs;
    f["mtp.cutoffs.version"] = Dec(h.GetCutoffVersion());
}

/** ACK's columns. */
void
DescribeAck(Ptr<Packet> p, Fields& f)
{
    MtpAckHeader h;
    p->RemoveHeader(h);
    DescribeCommon(h, f);
    f["mtp.ack.num_acks"] = Dec(h.GetNumAcks());
    std::string ids;
    std::string ports;
    for (const MtpAck& a : h.GetAcks())
    {
        ids += (ids.empty() ? "" : ",") + Dec(a.clientId);
        ports += (ports.empty() ? "" : ",") + Dec(a.serverPort);
    }
    f["mtp.ack.client_id"] = ids;
    f["mtp.ack.server_port"] = ports;
}

/** The header-only types: the common header is all there is. */
void
DescribeHeaderOnly(Ptr<Packet> p, Fields& f)
{
    MtpHeader h;
    p->RemoveHeader(h);
    DescribeCommon(h, f);
}

} // namespace

MtpWireRecorder::MtpWireRecorder(const std::string& path)
    : m_out(path, std::ios::out | std::ios::trunc)
{
    if (!m_out)
    {
        NS_LOG_WARN("cannot open " << path);
        return;
    }
    const std::vector<std::string> columns = GetColumns();
    for (std::size_t i = 0; i < columns.size(); ++i)
    {
        m_out << (i == 0 ? "" : "\t") << columns[i];
    }
    m_out << "\n";
    m_out.flush();
}

bool
MtpWireRecorder::IsOpen() const
{
    return m_out.is_open() && m_out.good();
}

std::vector<std::string>
MtpWireRecorder::GetColumns()
{
    std::vector<std::string> all = META_COLUMNS;
    all.insert(all.end(), MTP_COLUMNS.begin(), MTP_COLUMNS.end());
    return all;
}

std::vector<std::string>
MtpWireRecorder::DescribeMtp(Ptr<const Packet> mtpBytes)
{
    Fields f;
    MtpHeader common;
    const MtpDropReason reason = MtpHeader::Peek(mtpBytes, common);
    Ptr<Packet> p = mtpBytes->Copy();
    if (reason != MtpDropReason::NONE)
    {
        NS_LOG_WARN("an MTP packet that does not parse: " << reason);
        if (mtpBytes->GetSize() >= MtpHeader::COMMON_SIZE)
        {
            DescribeCommon(common, f);
        }
    }
    else
    {
        switch (common.GetType())
        {
        case MtpPacketType::DATA:
            DescribeData(p, f);
            break;
        case MtpPacketType::GRANT:
            DescribeGrant(p, f);
            break;
        case MtpPacketType::RESEND:
            DescribeResend(p, f);
            break;
        case MtpPacketType::CUTOFFS:
            DescribeCutoffs(p, f);
            break;
        case MtpPacketType::ACK:
            DescribeAck(p, f);
            break;
        case MtpPacketType::RPC_UNKNOWN:
        case MtpPacketType::BUSY:
        case MtpPacketType::FREEZE:
        case MtpPacketType::NEED_ACK:
            DescribeHeaderOnly(p, f);
            break;
        }
    }
    std::vector<std::string> values;
    values.reserve(MTP_COLUMNS.size());
    for (const std::string& c : MTP_COLUMNS)
    {
        auto it = f.find(c);
        values.push_back(it == f.end() ? "" : it->second);
    }
    return values;
}

void
MtpWireRecorder::Install(Ptr<Node> node)
{
    const uint32_t id = node->GetId();
    if (m_protocol.size() <= id)
    {
        m_protocol.resize(id + 1, MtpL4Protocol::DEFAULT_PROT_NUMBER);
    }
    if (Ptr<MtpL4Protocol> mtp = node->GetObject<MtpL4Protocol>())
    {
        m_protocol[id] = static_cast<uint8_t>(mtp->GetProtocolNumber());
    }
    if (Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>())
    {
        ipv4->TraceConnectWithoutContext("Tx", MakeCallback(&MtpWireRecorder::Ipv4Tx, this));
    }
    if (Ptr<Ipv6L3Protocol> ipv6 = node->GetObject<Ipv6L3Protocol>())
    {
        ipv6->TraceConnectWithoutContext("Tx", MakeCallback(&MtpWireRecorder::Ipv6Tx, this));
    }
}

void
MtpWireRecorder::Install(const NodeContainer& nodes)
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Install(*it);
    }
}

void
MtpWireRecorder::Ipv4Tx(Ptr<const Packet> p, Ptr<Ipv4> ipv4, uint32_t interface)
{
    Ptr<Node> node = ipv4->GetObject<Node>();
    Ptr<Packet> copy = p->Copy();
    Ipv4Header ip;
    copy->RemoveHeader(ip);
    if (ip.GetProtocol() != m_protocol.at(node->GetId()) || ip.GetFragmentOffset() != 0 ||
        !ip.IsLastFragment())
    {
        return;
    }
    std::ostringstream src;
    std::ostringstream dst;
    src << ip.GetSource();
    dst << ip.GetDestination();
    Write(node->GetId(),
          ipv4->GetNetDevice(interface)->GetIfIndex(),
          "ipv4",
          src.str(),
          dst.str(),
          copy);
}

void
MtpWireRecorder::Ipv6Tx(Ptr<const Packet> p, Ptr<Ipv6> ipv6, uint32_t interface)
{
    Ptr<Node> node = ipv6->GetObject<Node>();
    Ptr<Packet> copy = p->Copy();
    Ipv6Header ip;
    copy->RemoveHeader(ip);
    // MTP sends no extension headers: any other next header is not an MTP packet.
    if (ip.GetNextHeader() != m_protocol.at(node->GetId()))
    {
        return;
    }
    std::ostringstream src;
    std::ostringstream dst;
    src << ip.GetSource();
    dst << ip.GetDestination();
    Write(node->GetId(),
          ipv6->GetNetDevice(interface)->GetIfIndex(),
          "ipv6",
          src.str(),
          dst.str(),
          copy);
}

void
MtpWireRecorder::Write(uint32_t node,
                       uint32_t device,
                       const std::string& family,
                       const std::string& src,
                       const std::string& dst,
                       Ptr<const Packet> mtpBytes)
{
    if (!m_out)
    {
        return;
    }
    m_out << node << "\t" << device << "\t" << Simulator::Now().GetNanoSeconds() << "\t" << family
          << "\t" << src << "\t" << dst;
    for (const std::string& v : DescribeMtp(mtpBytes))
    {
        m_out << "\t" << v;
    }
    m_out << "\n";
    m_out.flush();
}

} // namespace ns3
