/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-port-map-table.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"

namespace ns3
{

MtpPortMapEndpoint::MtpPortMapEndpoint(const MtpAddress& a, uint16_t p)
    : addr(a),
      port(p)
{
}

bool
MtpPortMapEndpoint::FromSocketAddress(const Address& from, MtpPortMapEndpoint& ep)
{
    return MtpAddress::FromSocketAddress(from, ep.addr, ep.port);
}

Address
MtpPortMapEndpoint::ToSocketAddress() const
{
    return addr.ToSocketAddress(port);
}

bool
MtpPortMapEndpoint::IsAnyAddress() const
{
    if (addr.IsIpv4())
    {
        return addr.GetIpv4() == Ipv4Address::GetAny();
    }
    return addr.GetIpv6() == Ipv6Address::GetAny();
}

bool
MtpPortMapEndpoint::operator<(const MtpPortMapEndpoint& o) const
{
    if (addr == o.addr)
    {
        return port < o.port;
    }
    return addr < o.addr;
}

bool
MtpPortMapEndpoint::operator==(const MtpPortMapEndpoint& o) const
{
    return addr == o.addr && port == o.port;
}

bool
MtpPortMapEndpoint::operator!=(const MtpPortMapEndpoint& o) const
{
    return !(*this == o);
}

std::ostream&
operator<<(std::ostream& os, const MtpPortMapEndpoint& ep)
{
    if (ep.addr.IsIpv4())
    {
        return os << ep.addr << ":" << ep.port;
    }
    return os << "[" << ep.addr << "]:" << ep.port;
}

MtpPortMapTable::MtpPortMapTable(uint16_t firstPort, uint16_t lastPort)
    : m_first(firstPort == 0 ? 1 : firstPort),
      m_last(lastPort < firstPort ? firstPort : lastPort),
      m_next(m_first)
{
}

bool
MtpPortMapTable::AllocatePort(const MtpAddress& addr,
                              uint16_t& port,
                              const std::function<bool(const MtpPortMapEndpoint&)>& accept)
{
    uint32_t poolSize = uint32_t(m_last) - m_first + 1;
    for (uint32_t tried = 0; tried < poolSize; ++tried)
    {
        uint16_t candidate = m_next;
        m_next = (m_next == m_last) ? m_first : m_next + 1;
        MtpPortMapEndpoint ep(addr, candidate);
        if (m_byMapped.count(ep) == 0 && (!accept || accept(ep)))
        {
            port = candidate;
            return true;
        }
    }
    return false;
}

MtpError
MtpPortMapTable::Add(const MtpPortMapEndpoint& local,
                     uint32_t flags,
                     MtpPortMapEndpoint& mapped,
                     const std::function<bool(const MtpPortMapEndpoint&)>& accept)
{
    if (local.port == 0)
    {
        return MtpError::INVAL;
    }
    auto it = m_byLocal.find(local);
    if (it != m_byLocal.end())
    {
        ++it->second.refs;
        mapped = it->second.mapped;
        return MtpError::OK;
    }
    Entry e;
    e.local = local;
    e.flags = flags;
    e.refs = 1;
    e.mapped.addr = local.addr;
    if (flags & MTP_PORTMAP_NO_PORT_MAP)
    {
        e.mapped.port = local.port;
        if (m_byMapped.count(e.mapped) || (accept && !accept(e.mapped)))
        {
            return MtpError::ADDRINUSE;
        }
    }
    else if (!AllocatePort(local.addr, e.mapped.port, accept))
    {
        return MtpError::ADDRINUSE;
    }
    m_byLocal[local] = e;
    m_byMapped[e.mapped] = local;
    mapped = e.mapped;
    return MtpError::OK;
}

MtpError
MtpPortMapTable::Restore(const Entry& e)
{
    auto it = m_byLocal.find(e.local);
    if (it != m_byLocal.end())
    {
        return MtpError::ALREADY;
    }
    if (m_byMapped.count(e.mapped))
    {
        return MtpError::ADDRINUSE;
    }
    Entry copy = e;
    copy.refs = e.refs == 0 ? 1 : e.refs;
    m_byLocal[e.local] = copy;
    m_byMapped[e.mapped] = e.local;
    return MtpError::OK;
}

MtpError
MtpPortMapTable::Remove(const MtpPortMapEndpoint& local, bool& gone)
{
    gone = false;
    auto it = m_byLocal.find(local);
    if (it == m_byLocal.end())
    {
        return MtpError::NOENT;
    }
    if (--it->second.refs == 0)
    {
        m_byMapped.erase(it->second.mapped);
        m_byLocal.erase(it);
        gone = true;
    }
    return MtpError::OK;
}

const MtpPortMapTable::Entry*
MtpPortMapTable::Find(const MtpPortMapEndpoint& local) const
{
    auto it = m_byLocal.find(local);
    return it == m_byLocal.end() ? nullptr : &it->second;
}

const MtpPortMapTable::Entry*
MtpPortMapTable::FindLocalOrAny(const MtpPortMapEndpoint& local) const
{
    const Entry* e = Find(local);
    if (e)
    {
        return e;
    }
    MtpAddress any =
        local.addr.IsIpv4() ? MtpAddress(Ipv4Address::GetAny()) : MtpAddress(Ipv6Address::GetAny());
    return Find(MtpPortMapEndpoint(any, local.port));
}

const MtpPortMapTable::Entry*
MtpPortMapTable::FindMapped(const MtpPortMapEndpoint& mapped) const
{
    auto it = m_byMapped.find(mapped);
    return it == m_byMapped.end() ? nullptr : Find(it->second);
}

std::vector<MtpPortMapTable::Entry>
MtpPortMapTable::Entries() const
{
    std::vector<Entry> out;
    out.reserve(m_byLocal.size());
    for (const auto& kv : m_byLocal)
    {
        out.push_back(kv.second);
    }
    return out;
}

std::size_t
MtpPortMapTable::Size() const
{
    return m_byLocal.size();
}

void
MtpPortMapTable::Clear()
{
    m_byLocal.clear();
    m_byMapped.clear();
    m_next = m_first;
}

void
MtpRemoteInfoTable::Put(const MtpPortMapEndpoint& mappedLocal,
                        const MtpPortMapEndpoint& mappedRemote,
                        const MtpPortMapEndpoint& remote)
{
    m_info[std::make_pair(mappedLocal, mappedRemote)] = remote;
}

MtpError
MtpRemoteInfoTable::Take(const MtpPortMapEndpoint& mappedLocal,
                         const MtpPortMapEndpoint& mappedRemote,
                         MtpPortMapEndpoint& remote)
{
    auto it = m_info.find(std::make_pair(mappedLocal, mappedRemote));
    if (it == m_info.end())
    {
        return MtpError::NOENT;
    }
    remote = it->second;
    m_info.erase(it);
    return MtpError::OK;
}

std::size_t
MtpRemoteInfoTable::Size() const
{
    return m_info.size();
}

void
MtpRemoteInfoTable::Clear()
{
    m_info.clear();
}

} // namespace ns3
