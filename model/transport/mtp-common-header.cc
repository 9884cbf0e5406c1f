/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The common header, the packet-type table, acks and the checksum.
 */

#include "ns3/mtp-common-header.h"

#include "ns3/log.h"
#include "ns3/mtp-header.h"

#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHeader");

NS_OBJECT_ENSURE_REGISTERED(MtpHeader);

// ---------------------------------------------------------------------------
// Free functions
// ---------------------------------------------------------------------------

std::string
MtpPacketTypeName(MtpPacketType t)
{
    switch (t)
    {
    case MtpPacketType::DATA:
        return "DATA";
    case MtpPacketType::GRANT:
        return "GRANT";
    case MtpPacketType::RESEND:
        return "RESEND";
    case MtpPacketType::RPC_UNKNOWN:
        return "RPC_UNKNOWN";
    case MtpPacketType::BUSY:
        return "BUSY";
    case MtpPacketType::CUTOFFS:
        return "CUTOFFS";
    case MtpPacketType::FREEZE:
        return "FREEZE";
    case MtpPacketType::NEED_ACK:
        return "NEED_ACK";
    case MtpPacketType::ACK:
        return "ACK";
    }
    std::ostringstream oss;
    oss << "UNKNOWN(0x" << std::hex << std::setw(2) << std::setfill('0')
        << static_cast<unsigned>(static_cast<uint8_t>(t)) << ")";
    return oss.str();
}

bool
MtpIsKnownPacketType(uint8_t code)
{
    return code >= static_cast<uint8_t>(MtpPacketType::DATA) &&
           code <= static_cast<uint8_t>(MtpPacketType::ACK);
}

uint32_t
MtpHeaderSizeForType(MtpPacketType t)
{
    switch (t)
    {
    case MtpPacketType::DATA:
        return MtpDataHeader::SIZE;
    case MtpPacketType::GRANT:
        return MtpGrantHeader::SIZE;
    case MtpPacketType::RESEND:
        return MtpResendHeader::SIZE;
    case MtpPacketType::RPC_UNKNOWN:
        return MtpUnknownHeader::SIZE;
    case MtpPacketType::BUSY:
        return MtpBusyHeader::SIZE;
    case MtpPacketType::CUTOFFS:
        return MtpCutoffsHeader::SIZE;
    case MtpPacketType::FREEZE:
        return MtpFreezeHeader::SIZE;
    case MtpPacketType::NEED_ACK:
        return MtpNeedAckHeader::SIZE;
    case MtpPacketType::ACK:
        return MtpAckHeader::SIZE;
    }
    return 0;
}

std::ostream&
operator<<(std::ostream& os, MtpPacketType t)
{
    return os << MtpPacketTypeName(t);
}

bool
operator==(const MtpAck& a, const MtpAck& b)
{
    return a.clientId == b.clientId && a.serverPort == b.serverPort;
}

bool
operator!=(const MtpAck& a, const MtpAck& b)
{
    return !(a == b);
}

std::ostream&
operator<<(std::ostream& os, const MtpAck& a)
{
    return os << a.clientId << "@" << a.serverPort;
}

void
MtpWriteAck(Buffer::Iterator& i, const MtpAck& ack)
{
    i.WriteHtonU64(ack.clientId);
    i.WriteHtonU16(ack.serverPort);
}

MtpAck
MtpReadAck(Buffer::Iterator& i)
{
    MtpAck ack;
    ack.clientId = i.ReadNtohU64();
    ack.serverPort = i.ReadNtohU16();
    return ack;
}

namespace
{

/**
 * \brief Add the 16-bit big-endian words of `bytes` to `sum` (an odd last byte is the
 *        high half of a word whose low half is 0), without folding.
 * \param sum the running sum
 * \param bytes the bytes
 * \param length number of bytes
 * \return the new sum
 */
uint64_t
AddWords(uint64_t sum, const uint8_t* bytes, uint32_t length)
{
    uint32_t k = 0;
    for (; k + 1 < length; k += 2)
    {
        sum += (static_cast<uint32_t>(bytes[k]) << 8) | bytes[k + 1];
    }
    if (k < length)
    {
        sum += static_cast<uint32_t>(bytes[k]) << 8;
    }
    return sum;
}

/**
 * \brief Fold a ones'-complement sum to 16 bits (add the carries back in).
 * \param sum the sum
 * \return the folded sum
 */
uint16_t
Fold(uint64_t sum)
{
    while (sum >> 16)
    {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return static_cast<uint16_t>(sum);
}

/**
 * \brief Ones'-complement sum of pseudo-header and packet, folded to 16 bits.
 * \param pseudo the pseudo-header
 * \param bytes the MTP packet
 * \param length number of bytes
 * \param skipChecksum count the checksum field (bytes 16, 17) as zero
 * \return the folded sum
 */
uint16_t
ChecksumSum(const MtpPseudoHeader& pseudo, const uint8_t* bytes, uint32_t length, bool skipChecksum)
{
    uint64_t sum = pseudo.Sum(length) + AddWords(0, bytes, length);
    const uint32_t field = MtpHeader::CHECKSUM_OFFSET;
    if (skipChecksum && length >= field + 2)
    {
        sum -= (static_cast<uint32_t>(bytes[field]) << 8) | bytes[field + 1];
    }
    return Fold(sum);
}

} // namespace

// ---------------------------------------------------------------------------
// The checksum
// ---------------------------------------------------------------------------

MtpPseudoHeader::MtpPseudoHeader()
    : m_addressSum(0)
{
}

MtpPseudoHeader::MtpPseudoHeader(Ipv4Address src, Ipv4Address dst)
{
    uint8_t bytes[8];
    src.Serialize(bytes);
    dst.Serialize(bytes + 4);
    m_addressSum = AddWords(0, bytes, sizeof(bytes));
}

MtpPseudoHeader::MtpPseudoHeader(Ipv6Address src, Ipv6Address dst)
{
    uint8_t bytes[32];
    src.Serialize(bytes);
    dst.Serialize(bytes + 16);
    m_addressSum = AddWords(0, bytes, sizeof(bytes));
}

uint64_t
MtpPseudoHeader::Sum(uint32_t length) const
{
    return m_addressSum + PROTOCOL + (length >> 16) + (length & 0xFFFF);
}

uint16_t
MtpComputeChecksum(const MtpPseudoHeader& pseudo, const uint8_t* bytes, uint32_t length)
{
    const auto checksum = static_cast<uint16_t>(~ChecksumSum(pseudo, bytes, length, true));
    return checksum == 0 ? 0xFFFF : checksum;
}

bool
MtpChecksumIsValid(const MtpPseudoHeader& pseudo, const uint8_t* bytes, uint32_t length)
{
    if (length < MtpHeader::CHECKSUM_OFFSET + 2)
    {
        return false;
    }
    return ChecksumSum(pseudo, bytes, length, false) == 0xFFFF;
}

// ---------------------------------------------------------------------------
// MtpHeader: the common header
// ---------------------------------------------------------------------------

TypeId
MtpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpHeader")
                            .SetParent<Header>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpHeader>();
    return tid;
}

TypeId
MtpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpHeader::MtpHeader()
    : m_sport(0),
      m_dport(0),
      m_sequence(0),
      m_type(0),
      m_doff(0),
      m_flags(0),
      m_window(0),
      m_checksum(0),
      m_urgent(0),
      m_senderId(0),
      m_checksumOn(false),
      m_pseudo()
{
}

MtpHeader::MtpHeader(MtpPacketType type)
    : MtpHeader()
{
    m_type = static_cast<uint8_t>(type);
    m_doff = type == MtpPacketType::DATA ? MtpDataHeader::DOFF : CONTROL_DOFF;
    m_flags = HOMA_FLAGS;
    m_urgent = HOMA_URGENT;
}

void
MtpHeader::SetSourcePort(uint16_t port)
{
    m_sport = port;
}

uint16_t
MtpHeader::GetSourcePort() const
{
    return m_sport;
}

void
MtpHeader::SetDestinationPort(uint16_t port)
{
    m_dport = port;
}

uint16_t
MtpHeader::GetDestinationPort() const
{
    return m_dport;
}

void
MtpHeader::SetSequence(uint32_t sequence)
{
    m_sequence = sequence;
}

uint32_t
MtpHeader::GetSequence() const
{
    return m_sequence;
}

void
MtpHeader::SetType(MtpPacketType type)
{
    m_type = static_cast<uint8_t>(type);
}

MtpPacketType
MtpHeader::GetType() const
{
    return static_cast<MtpPacketType>(m_type);
}

uint8_t
MtpHeader::GetTypeCode() const
{
    return m_type;
}

void
MtpHeader::SetDoff(uint8_t doff)
{
    m_doff = doff;
}

uint8_t
MtpHeader::GetDoff() const
{
    return m_doff;
}

void
MtpHeader::SetFlags(uint8_t flags)
{
    m_flags = flags;
}

uint8_t
MtpHeader::GetFlags() const
{
    return m_flags;
}

void
MtpHeader::SetWindow(uint16_t window)
{
    m_window = window;
}

uint16_t
MtpHeader::GetWindow() const
{
    return m_window;
}

void
MtpHeader::SetChecksum(uint16_t checksum)
{
    m_checksum = checksum;
}

uint16_t
MtpHeader::GetChecksum() const
{
    return m_checksum;
}

void
MtpHeader::SetUrgent(uint16_t urgent)
{
    m_urgent = urgent;
}

uint16_t
MtpHeader::GetUrgent() const
{
    return m_urgent;
}

void
MtpHeader::SetSenderId(uint64_t id)
{
    m_senderId = id;
}

uint64_t
MtpHeader::GetSenderId() const
{
    return m_senderId;
}

uint32_t
MtpHeader::GetSerializedSize() const
{
    return COMMON_SIZE;
}

void
MtpHeader::SerializeCommon(Buffer::Iterator& i) const
{
    i.WriteHtonU16(m_sport);
    i.WriteHtonU16(m_dport);
    i.WriteHtonU32(m_sequence);
    i.WriteU8(0, 3); // ack[3]: the high bytes of TCP's ack field, unused
    i.WriteU8(m_type);
    i.WriteU8(m_doff);
    i.WriteU8(m_flags);
    i.WriteHtonU16(m_window);
    i.WriteHtonU16(m_checksum);
    i.WriteHtonU16(m_urgent);
    i.WriteHtonU64(m_senderId);
}

void
MtpHeader::DeserializeCommon(Buffer::Iterator& i)
{
    m_sport = i.ReadNtohU16();
    m_dport = i.ReadNtohU16();
    m_sequence = i.ReadNtohU32();
    i.Next(3); // ack[3], ignored
    m_type = i.ReadU8();
    m_doff = i.ReadU8();
    m_flags = i.ReadU8();
    m_window = i.ReadNtohU16();
    m_checksum = i.ReadNtohU16();
    m_urgent = i.ReadNtohU16();
    m_senderId = i.ReadNtohU64();
}

void
MtpHeader::PrintCommon(std::ostream& os) const
{
    os << MtpPacketTypeName(GetType()) << " " << m_sport << "->" << m_dport << " id=" << m_senderId;
}

void
MtpHeader::SerializeBody(Buffer::Iterator& /* i */) const
{
}

void
MtpHeader::DeserializeBody(Buffer::Iterator& /* i */)
{
}

void
MtpHeader::EnableChecksum(const MtpPseudoHeader& pseudo)
{
    m_pseudo = pseudo;
    m_checksumOn = true;
}

bool
MtpHeader::IsChecksumEnabled() const
{
    return m_checksumOn;
}

void
MtpHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    SerializeCommon(i);
    SerializeBody(i);
    if (m_checksumOn)
    {
        WriteChecksum(start);
    }
}

void
MtpHeader::WriteChecksum(Buffer::Iterator start) const
{
    // The packet's buffer holds this header and, after it, the payload.
    Buffer::Iterator r = start;
    std::vector<uint8_t> bytes(r.GetRemainingSize());
    r.Read(bytes.data(), static_cast<uint32_t>(bytes.size()));
    Buffer::Iterator w = start;
    w.Next(CHECKSUM_OFFSET);
    w.WriteHtonU16(MtpComputeChecksum(m_pseudo, bytes.data(), static_cast<uint32_t>(bytes.size())));
}

uint32_t
MtpHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    DeserializeCommon(i);
    DeserializeBody(i);
    return GetSerializedSize();
}

bool
MtpHeader::IsChecksumValid(Ptr<const Packet> p, const MtpPseudoHeader& pseudo)
{
    if (!p)
    {
        return false;
    }
    std::vector<uint8_t> bytes(p->GetSize());
    const uint32_t copied = p->CopyData(bytes.data(), static_cast<uint32_t>(bytes.size()));
    return MtpChecksumIsValid(pseudo, bytes.data(), copied);
}

void
MtpHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
    os << " seq=" << m_sequence << " doff=0x" << std::hex << static_cast<unsigned>(m_doff)
       << " flags=0x" << static_cast<unsigned>(m_flags) << std::dec << " win=" << m_window
       << " csum=" << m_checksum << " urg=" << m_urgent;
}

MtpDropReason
MtpHeader::Peek(Ptr<const Packet> p, MtpHeader& common)
{
    if (!p)
    {
        NS_LOG_LOGIC("no packet");
        return MtpDropReason::TRUNCATED;
    }
    const uint32_t size = p->GetSize();
    if (size < COMMON_SIZE)
    {
        NS_LOG_LOGIC("packet of " << size << " bytes is shorter than the common header");
        return MtpDropReason::TRUNCATED;
    }

    // The size is checked above, and MtpHeader itself reads no body (even
    // when `common` is a derived header): the read stays inside the packet.
    MtpHeader read;
    p->PeekHeader(read);
    common = read;

    if (!MtpIsKnownPacketType(common.GetTypeCode()))
    {
        NS_LOG_LOGIC("type byte is " << MtpPacketTypeName(common.GetType()));
        return MtpDropReason::UNKNOWN_TYPE;
    }
    const uint32_t need = MtpHeaderSizeForType(common.GetType());
    if (size < need)
    {
        NS_LOG_LOGIC(MtpPacketTypeName(common.GetType())
                     << " packet of " << size << " bytes, its header needs " << need);
        return MtpDropReason::TRUNCATED;
    }
    return MtpDropReason::NONE;
}

} // namespace ns3
