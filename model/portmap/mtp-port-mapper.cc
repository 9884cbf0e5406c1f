/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-port-mapper.h"

#include "ns3/boolean.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/mtp-port-mapper-daemon.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPortMapper");
NS_OBJECT_ENSURE_REGISTERED(MtpPortMapper);

TypeId
MtpPortMapper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpPortMapper")
            .SetParent<Object>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpPortMapper>()
            .AddAttribute("NoPortMap",
                          "MTP sockets of the node map their server ports with the no-port-map "
                          "flag (the mapped port is the bound port; the daemons still exchange "
                          "the mapping), as iWARP devices with IW_F_NO_PORT_MAP do.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&MtpPortMapper::m_noPortMap),
                          MakeBooleanChecker());
    return tid;
}

MtpPortMapper::MtpPortMapper()
    : m_noPortMap(false),
      m_registered(false)
{
    NS_LOG_FUNCTION(this);
}

MtpPortMapper::~MtpPortMapper()
{
    NS_LOG_FUNCTION(this);
}

void
MtpPortMapper::DoDispose()
{
    m_daemon = nullptr;
    m_mapInfo.clear();
    m_queried.clear();
    m_remoteInfo.Clear();
    Object::DoDispose();
}

MtpError
MtpPortMapper::Init(uint32_t ifIndex)
{
    NS_LOG_FUNCTION(this << ifIndex);
    return m_interfaces.insert(ifIndex).second ? MtpError::OK : MtpError::ALREADY;
}

MtpError
MtpPortMapper::Exit(uint32_t ifIndex)
{
    NS_LOG_FUNCTION(this << ifIndex);
    if (m_interfaces.erase(ifIndex) == 0)
    {
        return MtpError::INVAL;
    }
    bool last = m_interfaces.empty();
    for (auto it = m_mapInfo.begin(); it != m_mapInfo.end();)
    {
        bool onIt = !it->first.IsAnyAddress() && InterfaceOf(it->first) == int32_t(ifIndex);
        if (last || onIt)
        {
            if (m_daemon)
            {
                m_daemon->DropLocal(it->first);
            }
            it = m_mapInfo.erase(it);
        }
        else
        {
            ++it;
        }
    }
    if (last)
    {
        m_queried.clear();
        m_remoteInfo.Clear();
    }
    return MtpError::OK;
}

bool
MtpPortMapper::IsInitialized(uint32_t ifIndex) const
{
    return m_interfaces.count(ifIndex) != 0;
}

MtpError
MtpPortMapper::Register()
{
    NS_LOG_FUNCTION(this);
    if (!m_daemon)
    {
        return MtpError::SRCH;
    }
    m_registered = true;
    return MtpError::OK;
}

bool
MtpPortMapper::IsDaemonAvailable() const
{
    return m_daemon != nullptr;
}

bool
MtpPortMapper::IsRegistered() const
{
    return m_registered;
}

int32_t
MtpPortMapper::InterfaceOf(const MtpPortMapEndpoint& local) const
{
    Ptr<Node> node = GetObject<Node>();
    if (!node)
    {
        return -1;
    }
    if (local.addr.IsIpv4())
    {
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        return ipv4 ? ipv4->GetInterfaceForAddress(local.addr.GetIpv4()) : -1;
    }
    Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>();
    return ipv6 ? ipv6->GetInterfaceForAddress(local.addr.GetIpv6()) : -1;
}

MtpError
MtpPortMapper::CheckLocal(const MtpPortMapEndpoint& local) const
{
    if (local.port == 0)
    {
        NS_LOG_WARN("cannot map port 0");
        return MtpError::INVAL;
    }
    if (m_interfaces.empty())
    {
        NS_LOG_WARN("cannot map " << local << ": no interface is up (Init)");
        return MtpError::INVAL;
    }
    if (local.IsAnyAddress())
    {
        return MtpError::OK;
    }
    int32_t ifIndex = InterfaceOf(local);
    if (ifIndex < 0 || !IsInitialized(ifIndex))
    {
        NS_LOG_WARN("cannot map " << local << ": not an address of an interface that is up");
        return MtpError::INVAL;
    }
    return MtpError::OK;
}

MtpError
MtpPortMapper::Map(const MtpPortMapEndpoint& local, uint32_t flags, MtpPortMapEndpoint& mapped)
{
    MtpError e = CheckLocal(local);
    if (e != MtpError::OK)
    {
        return e;
    }
    if (m_daemon && !m_registered)
    {
        NS_LOG_WARN("cannot map " << local << ": a daemon runs but the mapper did not Register");
        return MtpError::INVAL;
    }
    auto it = m_mapInfo.find(local);
    if (m_daemon)
    {
        e = m_daemon->AddLocal(local, flags, mapped);
        if (e != MtpError::OK)
        {
            return e;
        }
    }
    else
    {
        // No daemon: the identity, as Linux maps without iwpmd.
        mapped = it != m_mapInfo.end() ? it->second.mapped : local;
    }
    if (it == m_mapInfo.end())
    {
        MtpPortMapTable::Entry entry;
        entry.local = local;
        entry.mapped = mapped;
        entry.flags = flags;
        it = m_mapInfo.emplace(local, entry).first;
    }
    ++it->second.refs;
    return MtpError::OK;
}

MtpError
MtpPortMapper::Unmap(const MtpPortMapEndpoint& local)
{
    auto it = m_mapInfo.find(local);
    if (it == m_mapInfo.end())
    {
        return MtpError::NOENT;
    }
    if (m_daemon && m_daemon->RemoveLocal(local) != MtpError::OK)
    {
        NS_LOG_WARN("the daemon did not know the mapping of " << local);
    }
    if (--it->second.refs == 0)
    {
        m_mapInfo.erase(it);
    }
    return MtpError::OK;
}

MtpError
MtpPortMapper::AddMapping(const Address& local, uint32_t flags, Address& mapped)
{
    NS_LOG_FUNCTION(this << local << flags);
    MtpPortMapEndpoint ep;
    if (!MtpPortMapEndpoint::FromSocketAddress(local, ep))
    {
        return MtpError::AFNOSUPPORT;
    }
    MtpPortMapEndpoint out;
    MtpError e = Map(ep, flags, out);
    if (e == MtpError::OK)
    {
        mapped = out.ToSocketAddress();
    }
    return e;
}

MtpError
MtpPortMapper::AddAndQueryMapping(const Address& local,
                                  const Address& remote,
                                  uint32_t flags,
                                  MtpPortMapQueryCallback done)
{
    NS_LOG_FUNCTION(this << local << remote << flags);
    MtpPortMapInfo info;
    info.flags = flags;
    if (!MtpPortMapEndpoint::FromSocketAddress(local, info.local) ||
        !MtpPortMapEndpoint::FromSocketAddress(remote, info.remote))
    {
        return MtpError::AFNOSUPPORT;
    }
    if (info.remote.port == 0)
    {
        return MtpError::INVAL;
    }
    MtpError e = Map(info.local, flags, info.mappedLocal);
    if (e != MtpError::OK)
    {
        return e;
    }
    if (!m_daemon)
    {
        info.mappedRemote = info.remote;
        Simulator::ScheduleNow([done, info]() { done(MtpError::OK, info); });
        return MtpError::OK;
    }
    Ptr<MtpPortMapper> self = this;
    m_daemon->Query(info.local,
                    info.mappedLocal,
                    info.remote,
                    flags,
                    [self, info, done](MtpError error, const MtpPortMapEndpoint& mappedRemote) {
                        self->QueryDone(info, done, error, mappedRemote);
                    });
    return MtpError::OK;
}

void
MtpPortMapper::QueryDone(MtpPortMapInfo info,
                         MtpPortMapQueryCallback done,
                         MtpError error,
                         const MtpPortMapEndpoint& mappedRemote)
{
    NS_LOG_FUNCTION(this << info.remote << error);
    if (error == MtpError::OK)
    {
        info.mappedRemote = mappedRemote;
        m_queried[info.remote] = mappedRemote;
    }
    else
    {
        // The local mapping made for this query goes with it.
        Unmap(info.local);
    }
    done(error, info);
}

MtpError
MtpPortMapper::RemoveMapping(const Address& local)
{
    NS_LOG_FUNCTION(this << local);
    MtpPortMapEndpoint ep;
    if (!MtpPortMapEndpoint::FromSocketAddress(local, ep))
    {
        return MtpError::AFNOSUPPORT;
    }
    return Unmap(ep);
}

MtpError
MtpPortMapper::GetRemoteInfo(const Address& mappedLocal,
                             const Address& mappedRemote,
                             Address& remote)
{
    NS_LOG_FUNCTION(this << mappedLocal << mappedRemote);
    MtpPortMapEndpoint ml;
    MtpPortMapEndpoint mr;
    if (!MtpPortMapEndpoint::FromSocketAddress(mappedLocal, ml) ||
        !MtpPortMapEndpoint::FromSocketAddress(mappedRemote, mr))
    {
        return MtpError::AFNOSUPPORT;
    }
    MtpPortMapEndpoint real;
    MtpError e = m_remoteInfo.Take(ml, mr, real);
    if (e == MtpError::OK)
    {
        remote = real.ToSocketAddress();
    }
    return e;
}

bool
MtpPortMapper::GetMapping(const Address& local, Address& mapped) const
{
    MtpPortMapEndpoint ep;
    if (!MtpPortMapEndpoint::FromSocketAddress(local, ep))
    {
        return false;
    }
    auto it = m_mapInfo.find(ep);
    if (it == m_mapInfo.end())
    {
        return false;
    }
    mapped = it->second.mapped.ToSocketAddress();
    return true;
}

std::vector<MtpPortMapTable::Entry>
MtpPortMapper::GetMappings() const
{
    std::vector<MtpPortMapTable::Entry> out;
    for (const auto& kv : m_mapInfo)
    {
        out.push_back(kv.second);
    }
    return out;
}

bool
MtpPortMapper::GetQueriedMapping(const MtpPortMapEndpoint& remote,
                                 MtpPortMapEndpoint& mappedRemote) const
{
    auto it = m_queried.find(remote);
    if (it == m_queried.end())
    {
        return false;
    }
    mappedRemote = it->second;
    return true;
}

void
MtpPortMapper::DaemonStarted(Ptr<MtpPortMapperDaemon> daemon)
{
    NS_LOG_FUNCTION(this << daemon);
    m_daemon = daemon;
    for (const auto& kv : m_mapInfo)
    {
        daemon->Replay(kv.second);
    }
}

void
MtpPortMapper::DaemonStopped(Ptr<MtpPortMapperDaemon> daemon)
{
    NS_LOG_FUNCTION(this << daemon);
    if (m_daemon == daemon)
    {
        m_daemon = nullptr;
    }
}

void
MtpPortMapper::DeliverRemoteInfo(const MtpPortMapEndpoint& mappedLocal,
                                 const MtpPortMapEndpoint& mappedRemote,
                                 const MtpPortMapEndpoint& remote)
{
    NS_LOG_FUNCTION(this << mappedLocal << mappedRemote << remote);
    m_remoteInfo.Put(mappedLocal, mappedRemote, remote);
}

MtpError
MtpPortMapper::MapServerPort(Ptr<Node> node, const Address& requested, uint16_t& wirePort)
{
    MtpPortMapEndpoint local;
    if (!MtpPortMapEndpoint::FromSocketAddress(requested, local))
    {
        return MtpError::AFNOSUPPORT;
    }
    wirePort = local.port;
    Ptr<MtpPortMapper> mapper = node ? node->GetObject<MtpPortMapper>() : nullptr;
    if (!mapper)
    {
        return MtpError::OK;
    }
    if (mapper->IsDaemonAvailable() && !mapper->IsRegistered())
    {
        mapper->Register();
    }
    MtpPortMapEndpoint mapped;
    MtpError e = mapper->Map(local,
                             mapper->m_noPortMap ? MTP_PORTMAP_NO_PORT_MAP : MTP_PORTMAP_NONE,
                             mapped);
    if (e == MtpError::OK)
    {
        wirePort = mapped.port;
    }
    return e;
}

void
MtpPortMapper::ReleaseServerPort(Ptr<Node> node, uint16_t wirePort)
{
    Ptr<MtpPortMapper> mapper = node ? node->GetObject<MtpPortMapper>() : nullptr;
    if (!mapper || wirePort == 0)
    {
        return;
    }
    for (const auto& kv : mapper->m_mapInfo)
    {
        if (kv.second.mapped.port == wirePort)
        {
            MtpPortMapEndpoint local = kv.first; // Unmap may erase kv
            mapper->Unmap(local);
            return;
        }
    }
}

uint16_t
MtpPortMapper::MapDestination(Ptr<Node> node, const MtpAddress& host, uint16_t port)
{
    Ptr<MtpPortMapper> mapper = node ? node->GetObject<MtpPortMapper>() : nullptr;
    MtpPortMapEndpoint mapped;
    if (mapper && mapper->GetQueriedMapping(MtpPortMapEndpoint(host, port), mapped))
    {
        return mapped.port;
    }
    return port;
}

} // namespace ns3
