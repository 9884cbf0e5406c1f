/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-data-header.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpDataHeader");

NS_OBJECT_ENSURE_REGISTERED(MtpDataHeader);

// ---------------------------------------------------------------------------
// MtpDataHeader
// ---------------------------------------------------------------------------

TypeId
MtpDataHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpDataHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpDataHeader>();
    return tid;
}

TypeId
MtpDataHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpDataHeader::MtpDataHeader()
    : MtpHeader(MtpPacketType::DATA),
      m_messageLength(0),
      m_incoming(0),
      m_ack(),
      m_cutoffVersion(0),
      m_retransmit(0),
      m_extFlags(0),
      m_segOffset(OFFSET_IN_SEQUENCE)
{
}

void
MtpDataHeader::SetMessageLength(uint32_t length)
{
    m_messageLength = length;
}

uint32_t
MtpDataHeader::GetMessageLength() const
{
    return m_messageLength;
}

void
MtpDataHeader::SetIncoming(uint32_t incoming)
{
    m_incoming = incoming;
}

uint32_t
MtpDataHeader::GetIncoming() const
{
    return m_incoming;
}

void
MtpDataHeader::SetAck(MtpAck ack)
{
    m_ack = ack;
}

MtpAck
MtpDataHeader::GetAck() const
{
    return m_ack;
}

void
MtpDataHeader::SetCutoffVersion(uint16_t version)
{
    m_cutoffVersion = version;
}

uint16_t
MtpDataHeader::GetCutoffVersion() const
{
    return m_cutoffVersion;
}

void
MtpDataHeader::SetRetransmit(uint8_t retransmit)
{
    m_retransmit = retransmit;
}

uint8_t
MtpDataHeader::GetRetransmit() const
{
    return m_retransmit;
}

void
MtpDataHeader::SetExtFlags(uint8_t flags)
{
    m_extFlags = flags;
}

uint8_t
MtpDataHeader::GetExtFlags() const
{
    return m_extFlags;
}

void
MtpDataHeader::SetOffset(uint32_t offset)
{
    SetSequence(offset);
    m_segOffset = OFFSET_IN_SEQUENCE;
}

uint32_t
MtpDataHeader::GetOffset() const
{
    return m_segOffset == OFFSET_IN_SEQUENCE ? GetSequence() : m_segOffset;
}

void
MtpDataHeader::SetSegOffset(uint32_t segOffset)
{
    m_segOffset = segOffset;
}

uint32_t
MtpDataHeader::GetSegOffset() const
{
    return m_segOffset;
}

MtpDropReason
MtpDataHeader::Validate(uint32_t payloadBytes, uint32_t maxMessageLength) const
{
    const uint32_t offset = GetOffset();
    if (m_messageLength == 0)
    {
        // An empty message travels as one DATA packet with no payload at offset 0.
        if (payloadBytes == 0 && offset == 0)
        {
            return MtpDropReason::NONE;
        }
        NS_LOG_LOGIC("empty message with payload " << payloadBytes << " at " << offset);
        return MtpDropReason::BAD_OFFSET;
    }
    if (m_messageLength > maxMessageLength)
    {
        NS_LOG_LOGIC("bad message_length " << m_messageLength << " (max " << maxMessageLength
                                           << ")");
        return MtpDropReason::BAD_LENGTH;
    }
    const uint64_t end = static_cast<uint64_t>(offset) + payloadBytes;
    if (payloadBytes == 0 || end > m_messageLength)
    {
        NS_LOG_LOGIC("segment [" << offset << ", " << end << ") outside message of "
                                 << m_messageLength << " bytes");
        return MtpDropReason::BAD_OFFSET;
    }
    return MtpDropReason::NONE;
}

uint32_t
MtpDataHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpDataHeader::SerializeBody(Buffer::Iterator& i) const
{
    i.WriteHtonU32(m_messageLength);
    i.WriteHtonU32(m_incoming);
    MtpWriteAck(i, m_ack);
    i.WriteHtonU16(m_cutoffVersion);
    i.WriteU8(m_retransmit);
    i.WriteU8(m_extFlags); // pad[0]: MTP extension flags
    i.WriteU8(0, 2);       // pad[1..2]
    i.WriteHtonU32(m_segOffset);
}

void
MtpDataHeader::DeserializeBody(Buffer::Iterator& i)
{
    m_messageLength = i.ReadNtohU32();
    m_incoming = i.ReadNtohU32();
    m_ack = MtpReadAck(i);
    m_cutoffVersion = i.ReadNtohU16();
    m_retransmit = i.ReadU8();
    m_extFlags = i.ReadU8();
    i.Next(2);
    m_segOffset = i.ReadNtohU32();
}

void
MtpDataHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
    os << " msglen=" << m_messageLength << " off=" << GetOffset() << " incoming=" << m_incoming
       << " ack=" << m_ack << " cutoffv=" << m_cutoffVersion
       << " retx=" << static_cast<unsigned>(m_retransmit);
    if (m_extFlags & FLAG_ONE_WAY)
    {
        os << " one-way";
    }
    if (m_extFlags & FLAG_ACK_ONLY)
    {
        os << " ack-only";
    }
    if (m_extFlags & ~(FLAG_ONE_WAY | FLAG_ACK_ONLY))
    {
        os << " ext=0x" << std::hex << static_cast<unsigned>(m_extFlags) << std::dec;
    }
}

} // namespace ns3
