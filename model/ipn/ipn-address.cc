/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-address.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"

#include <map>
#include <vector>

namespace ns3
{

namespace
{

/// Paths interned for Address conversion: index -> path, path -> index.
struct PathTable
{
    std::vector<std::string> byIndex;       //!< index -> path
    std::map<std::string, uint32_t> byPath; //!< path -> index
};

PathTable&
Table()
{
    static PathTable t;
    return t;
}

uint32_t
Intern(const std::string& path)
{
    PathTable& t = Table();
    auto it = t.byPath.find(path);
    if (it != t.byPath.end())
    {
        return it->second;
    }
    uint32_t index = static_cast<uint32_t>(t.byIndex.size());
    t.byIndex.push_back(path);
    t.byPath.emplace(path, index);
    return index;
}

// ns-3 up to 3.43 has Address::Register(); newer releases have only
// Address::Register(kind, length).  Pick whichever exists.
template <typename A>
auto
RegisterAddressType(int) -> decltype(A::Register(std::string(), uint8_t(0)))
{
    return A::Register("IpnAddress", 8);
}

template <typename A>
uint8_t
RegisterAddressType(long)
{
    return A::Register();
}

constexpr uint8_t kSerializedLength = 8; //!< 4 bytes path index + 4 bytes port

} // namespace

IpnAddress::IpnAddress()
    : m_port(ANY_PORT)
{
}

IpnAddress::IpnAddress(const std::string& path, int32_t port)
    : m_path(path),
      m_port(port)
{
}

const std::string&
IpnAddress::GetPath() const
{
    return m_path;
}

void
IpnAddress::SetPath(const std::string& path)
{
    m_path = path;
}

int32_t
IpnAddress::GetPort() const
{
    return m_port;
}

void
IpnAddress::SetPort(int32_t port)
{
    m_port = port;
}

bool
IpnAddress::IsNull() const
{
    return m_path.empty();
}

uint8_t
IpnAddress::GetType()
{
    static uint8_t type = RegisterAddressType<Address>(0);
    return type;
}

Address
IpnAddress::ConvertTo() const
{
    uint8_t buf[kSerializedLength];
    uint32_t index = Intern(m_path);
    uint32_t port = static_cast<uint32_t>(m_port);
    for (int i = 0; i < 4; ++i)
    {
        buf[i] = static_cast<uint8_t>(index >> (24 - 8 * i));
        buf[4 + i] = static_cast<uint8_t>(port >> (24 - 8 * i));
    }
    return Address(GetType(), buf, kSerializedLength);
}

IpnAddress::operator Address() const
{
    return ConvertTo();
}

bool
IpnAddress::IsMatchingType(const Address& address)
{
    return address.CheckCompatible(GetType(), kSerializedLength);
}

IpnAddress
IpnAddress::ConvertFrom(const Address& address)
{
    if (!IsMatchingType(address))
    {
        NS_FATAL_ERROR("IpnAddress::ConvertFrom: not an IpnAddress");
    }
    uint8_t buf[kSerializedLength];
    address.CopyTo(buf);
    uint32_t index = 0;
    uint32_t port = 0;
    for (int i = 0; i < 4; ++i)
    {
        index = (index << 8) | buf[i];
        port = (port << 8) | buf[4 + i];
    }
    const PathTable& t = Table();
    NS_ABORT_MSG_IF(index >= t.byIndex.size(), "IpnAddress: unknown path index");
    return IpnAddress(t.byIndex[index], static_cast<int32_t>(port));
}

bool
operator==(const IpnAddress& a, const IpnAddress& b)
{
    return a.GetPath() == b.GetPath() && a.GetPort() == b.GetPort();
}

bool
operator!=(const IpnAddress& a, const IpnAddress& b)
{
    return !(a == b);
}

std::ostream&
operator<<(std::ostream& os, const IpnAddress& a)
{
    os << a.GetPath();
    if (a.GetPort() != IpnAddress::ANY_PORT)
    {
        os << ":" << a.GetPort();
    }
    return os;
}

} // namespace ns3
