/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-port-map-message.h"

namespace ns3
{

namespace
{

/** Write `ep` at `out` (ENDPOINT_SIZE bytes). */
void
WriteEndpoint(const MtpPortMapEndpoint& ep, uint8_t* out)
{
    ep.addr.GetIpv6().Serialize(out);
    out[16] = ep.port >> 8;
    out[17] = ep.port & 0xff;
}

/** \return the endpoint stored at `in` (ENDPOINT_SIZE bytes) */
MtpPortMapEndpoint
ReadEndpoint(const uint8_t* in)
{
    Ipv6Address v6 = Ipv6Address::Deserialize(in);
    MtpAddress addr =
        v6.IsIpv4MappedAddress() ? MtpAddress(v6.GetIpv4MappedAddress()) : MtpAddress(v6);
    return MtpPortMapEndpoint(addr, uint16_t((in[16] << 8) | in[17]));
}

} // namespace

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

bool
MtpPortMapMessage::Deserialize(const uint8_t* data, uint32_t size, MtpPortMapMessage& msg)
{
    if (!data || size != SIZE || data[0] != VERSION || (data[1] != QUERY && data[1] != ANSWER))
    {
        return false;
    }
    msg.type = data[1];
    msg.status = static_cast<MtpError>(data[2]);
    msg.flags = data[3];
    msg.sequence =
        (uint32_t(data[4]) << 24) | (uint32_t(data[5]) << 16) | (uint32_t(data[6]) << 8) | data[7];
    msg.a = ReadEndpoint(&data[8]);
    msg.b = ReadEndpoint(&data[8 + ENDPOINT_SIZE]);
    msg.c = ReadEndpoint(&data[8 + 2 * ENDPOINT_SIZE]);
    return true;
}

} // namespace ns3
