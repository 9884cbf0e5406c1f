/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-peer.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPeer");

MtpAddress::MtpAddress(Ipv4Address v4)
    : m_addr(Ipv6Address::MakeIpv4MappedAddress(v4))
{
}

MtpAddress::MtpAddress(Ipv6Address v6)
    : m_addr(v6)
{
}

bool
MtpAddress::IsIpv4() const
{
    return m_addr.IsIpv4MappedAddress();
}

Ipv4Address
MtpAddress::GetIpv4() const
{
    return m_addr.GetIpv4MappedAddress();
}

Ipv6Address
MtpAddress::GetIpv6() const
{
    return m_addr;
}

Address
MtpAddress::ToSocketAddress(uint16_t port) const
{
    if (IsIpv4())
    {
        return InetSocketAddress(GetIpv4(), port);
    }
    return Inet6SocketAddress(m_addr, port);
}

bool
MtpAddress::FromSocketAddress(const Address& from, MtpAddress& addr, uint16_t& port)
{
    if (InetSocketAddress::IsMatchingType(from))
    {
        InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
        addr = MtpAddress(a.GetIpv4());
        port = a.GetPort();
        return true;
    }
    if (Inet6SocketAddress::IsMatchingType(from))
    {
        Inet6SocketAddress a = Inet6SocketAddress::ConvertFrom(from);
        addr = MtpAddress(a.GetIpv6());
        port = a.GetPort();
        return true;
    }
    return false;
}

std::ostream&
operator<<(std::ostream& os, const MtpAddress& a)
{
    if (a.IsIpv4())
    {
        os << a.GetIpv4();
    }
    else
    {
        os << a.GetIpv6();
    }
    return os;
}

MtpPeer::MtpPeer(const MtpAddress& addr)
    : m_address(addr)
{
}

const MtpAddress&
MtpPeer::GetAddress() const
{
    return m_address;
}

uint8_t
MtpPeer::UnschedPriority(uint32_t length, uint8_t numPriorities) const
{
    // Scan from the highest level down; the first cutoff that admits the
    // length wins.  Levels the local configuration does not use are clamped.
    for (int i = MtpHeader::MAX_PRIORITIES - 1; i >= 0; --i)
    {
        if (cutoffs[i] >= length)
        {
            uint8_t prio = static_cast<uint8_t>(i);
            return numPriorities == 0 ? 0 : std::min<uint8_t>(prio, numPriorities - 1);
        }
    }
    return 0;
}

} // namespace ns3
