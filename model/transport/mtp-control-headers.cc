/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-control-headers.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpControlHeaders");

NS_OBJECT_ENSURE_REGISTERED(MtpGrantHeader);
NS_OBJECT_ENSURE_REGISTERED(MtpResendHeader);
NS_OBJECT_ENSURE_REGISTERED(MtpUnknownHeader);
NS_OBJECT_ENSURE_REGISTERED(MtpBusyHeader);
NS_OBJECT_ENSURE_REGISTERED(MtpFreezeHeader);
NS_OBJECT_ENSURE_REGISTERED(MtpNeedAckHeader);
NS_OBJECT_ENSURE_REGISTERED(MtpCutoffsHeader);
NS_OBJECT_ENSURE_REGISTERED(MtpAckHeader);

// ---------------------------------------------------------------------------
// MtpGrantHeader
// ---------------------------------------------------------------------------

TypeId
MtpGrantHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpGrantHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpGrantHeader>();
    return tid;
}

TypeId
MtpGrantHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpGrantHeader::MtpGrantHeader()
    : MtpHeader(MtpPacketType::GRANT),
      m_offset(0),
      m_priority(0)
{
}

void
MtpGrantHeader::SetOffset(uint32_t offset)
{
    m_offset = offset;
}

uint32_t
MtpGrantHeader::GetOffset() const
{
    return m_offset;
}

void
MtpGrantHeader::SetPriority(uint8_t priority)
{
    m_priority = priority;
}

uint8_t
MtpGrantHeader::GetPriority() const
{
    return m_priority;
}

uint32_t
MtpGrantHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpGrantHeader::SerializeBody(Buffer::Iterator& i) const
{
    i.WriteHtonU32(m_offset);
    i.WriteU8(m_priority);
}

void
MtpGrantHeader::DeserializeBody(Buffer::Iterator& i)
{
    m_offset = i.ReadNtohU32();
    m_priority = i.ReadU8();
}

void
MtpGrantHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
    os << " off=" << m_offset << " prio=" << static_cast<unsigned>(m_priority);
}

// ---------------------------------------------------------------------------
// MtpResendHeader
// ---------------------------------------------------------------------------

TypeId
MtpResendHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpResendHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpResendHeader>();
    return tid;
}

TypeId
MtpResendHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpResendHeader::MtpResendHeader()
    : MtpHeader(MtpPacketType::RESEND),
      m_offset(0),
      m_length(0),
      m_priority(0)
{
}

void
MtpResendHeader::SetOffset(uint32_t offset)
{
    m_offset = offset;
}

uint32_t
MtpResendHeader::GetOffset() const
{
    return m_offset;
}

void
MtpResendHeader::SetLength(uint32_t length)
{
    m_length = length;
}

uint32_t
MtpResendHeader::GetLength() const
{
    return m_length;
}

void
MtpResendHeader::SetPriority(uint8_t priority)
{
    m_priority = priority;
}

uint8_t
MtpResendHeader::GetPriority() const
{
    return m_priority;
}

uint32_t
MtpResendHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpResendHeader::SerializeBody(Buffer::Iterator& i) const
{
    i.WriteHtonU32(m_offset);
    i.WriteHtonU32(m_length);
    i.WriteU8(m_priority);
}

void
MtpResendHeader::DeserializeBody(Buffer::Iterator& i)
{
    m_offset = i.ReadNtohU32();
    m_length = i.ReadNtohU32();
    m_priority = i.ReadU8();
}

void
MtpResendHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
    os << " off=" << m_offset << " len=";
    if (m_length == LENGTH_ALL)
    {
        os << "all";
    }
    else
    {
        os << m_length;
    }
    os << " prio=" << static_cast<unsigned>(m_priority);
}

// ---------------------------------------------------------------------------
// The four common-header-only types
// ---------------------------------------------------------------------------

TypeId
MtpUnknownHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpUnknownHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpUnknownHeader>();
    return tid;
}

TypeId
MtpUnknownHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpUnknownHeader::MtpUnknownHeader()
    : MtpHeader(MtpPacketType::RPC_UNKNOWN)
{
}

uint32_t
MtpUnknownHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpUnknownHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
}

TypeId
MtpBusyHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpBusyHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpBusyHeader>();
    return tid;
}

TypeId
MtpBusyHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpBusyHeader::MtpBusyHeader()
    : MtpHeader(MtpPacketType::BUSY)
{
}

uint32_t
MtpBusyHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpBusyHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
}

TypeId
MtpFreezeHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpFreezeHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpFreezeHeader>();
    return tid;
}

TypeId
MtpFreezeHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpFreezeHeader::MtpFreezeHeader()
    : MtpHeader(MtpPacketType::FREEZE)
{
}

uint32_t
MtpFreezeHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpFreezeHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
}

TypeId
MtpNeedAckHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpNeedAckHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpNeedAckHeader>();
    return tid;
}

TypeId
MtpNeedAckHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpNeedAckHeader::MtpNeedAckHeader()
    : MtpHeader(MtpPacketType::NEED_ACK)
{
}

uint32_t
MtpNeedAckHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpNeedAckHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
}

// ---------------------------------------------------------------------------
// MtpCutoffsHeader
// ---------------------------------------------------------------------------

TypeId
MtpCutoffsHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpCutoffsHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpCutoffsHeader>();
    return tid;
}

TypeId
MtpCutoffsHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpCutoffsHeader::MtpCutoffsHeader()
    : MtpHeader(MtpPacketType::CUTOFFS),
      m_cutoffs{},
      m_cutoffVersion(0)
{
}

void
MtpCutoffsHeader::SetCutoff(uint8_t index, uint32_t cutoff)
{
    if (index >= MAX_PRIORITIES)
    {
        NS_LOG_WARN("cutoff index " << static_cast<unsigned>(index) << " ignored");
        return;
    }
    m_cutoffs[index] = cutoff;
}

uint32_t
MtpCutoffsHeader::GetCutoff(uint8_t index) const
{
    if (index >= MAX_PRIORITIES)
    {
        return 0;
    }
    return m_cutoffs[index];
}

std::array<uint32_t, MtpHeader::MAX_PRIORITIES>
MtpCutoffsHeader::GetCutoffs() const
{
    return m_cutoffs;
}

void
MtpCutoffsHeader::SetCutoffs(const std::array<uint32_t, MAX_PRIORITIES>& cutoffs)
{
    m_cutoffs = cutoffs;
}

void
MtpCutoffsHeader::SetCutoffVersion(uint16_t version)
{
    m_cutoffVersion = version;
}

uint16_t
MtpCutoffsHeader::GetCutoffVersion() const
{
    return m_cutoffVersion;
}

uint32_t
MtpCutoffsHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpCutoffsHeader::SerializeBody(Buffer::Iterator& i) const
{
    for (uint32_t c : m_cutoffs)
    {
        i.WriteHtonU32(c);
    }
    i.WriteHtonU16(m_cutoffVersion);
}

void
MtpCutoffsHeader::DeserializeBody(Buffer::Iterator& i)
{
    for (uint32_t& c : m_cutoffs)
    {
        c = i.ReadNtohU32();
    }
    m_cutoffVersion = i.ReadNtohU16();
}

void
MtpCutoffsHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
    os << " cutoffs=";
    for (uint8_t p = 0; p < MAX_PRIORITIES; ++p)
    {
        os << (p == 0 ? "" : ",") << m_cutoffs[p];
    }
    os << " version=" << m_cutoffVersion;
}

// ---------------------------------------------------------------------------
// MtpAckHeader
// ---------------------------------------------------------------------------

TypeId
MtpAckHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpAckHeader")
                            .SetParent<MtpHeader>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpAckHeader>();
    return tid;
}

TypeId
MtpAckHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

MtpAckHeader::MtpAckHeader()
    : MtpHeader(MtpPacketType::ACK),
      m_numAcks(0),
      m_acks{}
{
}

bool
MtpAckHeader::AddAck(MtpAck ack)
{
    if (m_numAcks >= MAX_ACKS)
    {
        return false;
    }
    m_acks[m_numAcks] = ack;
    ++m_numAcks;
    return true;
}

uint16_t
MtpAckHeader::GetNumAcks() const
{
    return m_numAcks;
}

MtpAck
MtpAckHeader::GetAck(uint16_t i) const
{
    if (i >= m_numAcks || i >= MAX_ACKS)
    {
        return MtpAck();
    }
    return m_acks[i];
}

std::vector<MtpAck>
MtpAckHeader::GetAcks() const
{
    const uint16_t n = m_numAcks < MAX_ACKS ? m_numAcks : MAX_ACKS;
    return std::vector<MtpAck>(m_acks.begin(), m_acks.begin() + n);
}

MtpDropReason
MtpAckHeader::Validate() const
{
    if (m_numAcks > MAX_ACKS)
    {
        NS_LOG_LOGIC("num_acks " << m_numAcks << " above " << MAX_ACKS);
        return MtpDropReason::BAD_ACK_COUNT;
    }
    return MtpDropReason::NONE;
}

uint32_t
MtpAckHeader::GetSerializedSize() const
{
    return SIZE;
}

void
MtpAckHeader::SerializeBody(Buffer::Iterator& i) const
{
    i.WriteHtonU16(m_numAcks);
    for (uint16_t s = 0; s < MAX_ACKS; ++s)
    {
        // Slots past num_acks go out as zero whatever they hold.
        MtpWriteAck(i, s < m_numAcks ? m_acks[s] : MtpAck());
    }
}

void
MtpAckHeader::DeserializeBody(Buffer::Iterator& i)
{
    m_numAcks = i.ReadNtohU16(); // raw: Validate rejects a count above MAX_ACKS
    for (MtpAck& a : m_acks)
    {
        a = MtpReadAck(i);
    }
}

void
MtpAckHeader::Print(std::ostream& os) const
{
    PrintCommon(os);
    os << " num_acks=" << m_numAcks << " acks=[";
    const std::vector<MtpAck> acks = GetAcks();
    for (std::size_t k = 0; k < acks.size(); ++k)
    {
        os << (k == 0 ? "" : " ") << acks[k];
    }
    os << "]";
}

} // namespace ns3
