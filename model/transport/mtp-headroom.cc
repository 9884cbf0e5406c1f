/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-headroom.h"

#include "ns3/abort.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MtpHeadroom);

void
MtpHeadroom::Reserve(Ptr<Packet> p, uint32_t bytes)
{
    NS_ABORT_MSG_IF(bytes > MAX_BYTES,
                    "MtpHeadroom::Reserve: " << bytes << " bytes, at most " << MAX_BYTES);
    if (bytes == 0)
    {
        return;
    }
    p->AddHeader(MtpHeadroom(bytes));
    p->RemoveAtStart(bytes);
}

MtpHeadroom::MtpHeadroom(uint32_t bytes)
    : m_bytes(bytes)
{
}

TypeId
MtpHeadroom::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpHeadroom")
                            .SetParent<Header>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpHeadroom>();
    return tid;
}

TypeId
MtpHeadroom::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
MtpHeadroom::GetSerializedSize() const
{
    return m_bytes;
}

void
MtpHeadroom::Serialize(Buffer::Iterator start) const
{
    // Removed right after: zeros keep the buffer's bytes defined.
    start.WriteU8(0, m_bytes);
}

uint32_t
MtpHeadroom::Deserialize(Buffer::Iterator start)
{
    // Never on the wire: reading one consumes what it was sized for, and
    // never more than there is.
    return std::min(m_bytes, start.GetRemainingSize());
}

void
MtpHeadroom::Print(std::ostream& os) const
{
    os << "headroom " << m_bytes;
}

} // namespace ns3
