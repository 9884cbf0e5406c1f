/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-port-mapper-helper.h"

#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpPortMapperHelper");

MtpPortMapperHelper::MtpPortMapperHelper()
{
    m_mapperFactory.SetTypeId(MtpPortMapper::GetTypeId());
    m_daemonFactory.SetTypeId(MtpPortMapperDaemon::GetTypeId());
}

void
MtpPortMapperHelper::SetMapperAttribute(const std::string& name, const AttributeValue& value)
{
    m_mapperFactory.Set(name, value);
}

void
MtpPortMapperHelper::SetDaemonAttribute(const std::string& name, const AttributeValue& value)
{
    m_daemonFactory.Set(name, value);
}

Ptr<MtpPortMapper>
MtpPortMapperHelper::InstallMapper(Ptr<Node> node) const
{
    Ptr<MtpPortMapper> mapper = node->GetObject<MtpPortMapper>();
    if (mapper)
    {
        return mapper;
    }
    mapper = m_mapperFactory.Create<MtpPortMapper>();
    node->AggregateObject(mapper);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    for (uint32_t i = 0; ipv4 && i < ipv4->GetNInterfaces(); ++i)
    {
        if (ipv4->IsUp(i))
        {
            mapper->Init(i);
        }
    }
    Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>();
    for (uint32_t i = 0; !ipv4 && ipv6 && i < ipv6->GetNInterfaces(); ++i)
    {
        if (ipv6->IsUp(i))
        {
            mapper->Init(i);
        }
    }
    return mapper;
}

Ptr<MtpPortMapperDaemon>
MtpPortMapperHelper::Install(Ptr<Node> node) const
{
    InstallMapper(node);
    Ptr<MtpPortMapperDaemon> daemon = m_daemonFactory.Create<MtpPortMapperDaemon>();
    node->AddApplication(daemon);
    return daemon;
}

ApplicationContainer
MtpPortMapperHelper::Install(const NodeContainer& nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        apps.Add(Install(*it));
    }
    return apps;
}

} // namespace ns3
