/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-port-map-message.h"

#include <algorithm>

namespace ns3
{

namespace
{

/** Write `ep` at `out` (ENDPOINT_SIZE bytes, zeroed by the caller). */
void
WriteEndpoint(const MtpPortMapEndpoint& ep, uint8_t* out)
{
    out[2] = ep.port >> 8;
    out[3] = ep.port & 0xff;
    if (ep.addr.IsIpv4())
    {
        out[0] = MtpPortMapMessage::FAMILY_IPV4;
        ep.addr.GetIpv4().Serialize(&out[4]);
        return;
    }
    out[0] = MtpPortMapMessage::FAMILY_IPV6;
    ep.addr.GetIpv6().Serialize(&out[4]);
}

/**
 * \param in ENDPOINT_SIZE bytes
 * \param[out] ep the endpoint stored there
 * \return NONE or why the bytes are no endpoint
 */
MtpPortMapDropReason
ReadEndpoint(const uint8_t* in, MtpPortMapEndpoint& ep)
{
    if (in[0] != MtpPortMapMessage::FAMILY_IPV4 && in[0] != MtpPortMapMessage::FAMILY_IPV6)
    {
        return MtpPortMapDropReason::BAD_FAMILY;
    }
    if (in[1] != 0)
    {
        return MtpPortMapDropReason::BAD_RESERVED;
    }
    ep.port = uint16_t((in[2] << 8) | in[3]);
    const uint8_t* addr = &in[4];
    if (in[0] == MtpPortMapMessage::FAMILY_IPV4)
    {
        if (std::any_of(addr + 4, addr + 16, [](uint8_t b) { return b != 0; }))
        {
            return MtpPortMapDropReason::BAD_ADDRESS;
        }
        ep.addr = MtpAddress(Ipv4Address::Deserialize(addr));
        return MtpPortMapDropReason::NONE;
    }
    Ipv6Address v6 = Ipv6Address::Deserialize(addr);
    if (v6.IsIpv4MappedAddress())
    {
        return MtpPortMapDropReason::BAD_ADDRESS; // IPv4 has its own family
    }
    ep.addr = MtpAddress(v6);
    return MtpPortMapDropReason::NONE;
}

/** \return the name of each MtpPortMapDropReason, in order */
const char* const DROP_REASON_NAMES[] = {"NONE",
                                         "BAD_SIZE",
                                         "BAD_VERSION",
                                         "BAD_TYPE",
                                         "BAD_STATUS",
                                         "BAD_FAMILY",
                                         "BAD_RESERVED",
                                         "BAD_ADDRESS",
                                         "BAD_ANSWER",
                                         "UNMATCHED_ANSWER"};
static_assert(sizeof(DROP_REASON_NAMES) / sizeof(DROP_REASON_NAMES[0]) ==
                  static_cast<std::size_t>(MtpPortMapDropReason::COUNT),
              "one name per drop reason");

} // namespace

std::ostream&
operator<<(std::ostream& os, MtpPortMapDropReason r)
{
    auto i = static_cast<std::size_t>(r);
    if (i < static_cast<std::size_t>(MtpPortMapDropReason::COUNT))
    {
        return os << DROP_REASON_NAMES[i];
    }
    return os << "UNKNOWN(" << i << ")";
}

std::vector<uint8_t>
MtpPortMapMessage::Serialize() const
{
    std::vector<uint8_t> out(SIZE, 0);
    out[0] = VERSION;
    out[1] = type;
    out[2] = static_cast<uint8_t>(status);
    out[3] = flags;
    out[4] = sequence >> 24;
    out[5] = (sequence >> 16) & 0xff;
    out[6] = (sequence >> 8) & 0xff;
    out[7] = sequence & 0xff;
    WriteEndpoint(a, &out[8]);
    WriteEndpoint(b, &out[8 + ENDPOINT_SIZE]);
    WriteEndpoint(c, &out[8 + 2 * ENDPOINT_SIZE]);
    return out;
}

MtpPortMapDropReason
MtpPortMapMessage::Parse(const uint8_t* data, uint32_t size, MtpPortMapMessage& msg)
{
    if (!data || size != SIZE)
    {
        return MtpPortMapDropReason::BAD_SIZE;
    }
    if (data[0] != VERSION)
    {
        return MtpPortMapDropReason::BAD_VERSION;
    }
    if (data[1] != QUERY && data[1] != ANSWER)
    {
        return MtpPortMapDropReason::BAD_TYPE;
    }
    if (data[2] > static_cast<uint8_t>(MtpError::SRCH))
    {
        return MtpPortMapDropReason::BAD_STATUS;
    }
    MtpPortMapMessage m;
    MtpPortMapEndpoint* endpoints[] = {&m.a, &m.b, &m.c};
    for (uint32_t i = 0; i < 3; ++i)
    {
        MtpPortMapDropReason r = ReadEndpoint(&data[8 + i * ENDPOINT_SIZE], *endpoints[i]);
        if (r != MtpPortMapDropReason::NONE)
        {
            return r;
        }
    }
    m.type = data[1];
    m.status = static_cast<MtpError>(data[2]);
    m.flags = data[3];
    m.sequence =
        (uint32_t(data[4]) << 24) | (uint32_t(data[5]) << 16) | (uint32_t(data[6]) << 8) | data[7];
    if (m.type == ANSWER && m.status == MtpError::OK && m.b.port == 0)
    {
        return MtpPortMapDropReason::BAD_ANSWER;
    }
    msg = m;
    return MtpPortMapDropReason::NONE;
}

bool
MtpPortMapMessage::Deserialize(const uint8_t* data, uint32_t size, MtpPortMapMessage& msg)
{
    return Parse(data, size, msg) == MtpPortMapDropReason::NONE;
}

} // namespace ns3
