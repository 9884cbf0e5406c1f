/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-network-registry.h"

#include "ns3/ipn-policy.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnNetworkRegistry");

NS_OBJECT_ENSURE_REGISTERED(IpnNetworkRegistry);

TypeId
IpnNetworkRegistry::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnNetworkRegistry")
                            .SetParent<Object>()
                            .SetGroupName("Mtp")
                            .AddConstructor<IpnNetworkRegistry>();
    return tid;
}

IpnNetworkRegistry::IpnNetworkRegistry()
{
    NS_LOG_FUNCTION(this);
}

IpnNetworkRegistry::~IpnNetworkRegistry()
{
    NS_LOG_FUNCTION(this);
}

void
IpnNetworkRegistry::NotifyNewAggregate()
{
    if (!m_node)
    {
        m_node = GetObject<Node>();
    }
    Object::NotifyNewAggregate();
}

void
IpnNetworkRegistry::DoDispose()
{
    for (auto& kv : m_nets)
    {
        kv.second->Dispose();
    }
    m_nets.clear();
    m_node = nullptr;
    Object::DoDispose();
}

Ptr<IpnNetwork>
IpnNetworkRegistry::Find(const std::string& path) const
{
    auto it = m_nets.find(path);
    return it == m_nets.end() ? nullptr : it->second;
}

Ptr<IpnNetwork>
IpnNetworkRegistry::Create(const std::string& path,
                           const IpnNetworkOptions& options,
                           uint32_t policyNumber,
                           uint32_t ownerUid,
                           uint32_t ownerGid,
                           IpnError& error)
{
    NS_LOG_FUNCTION(this << path << policyNumber);
    if (m_nets.count(path))
    {
        error = IpnError::ADDRINUSE;
        return nullptr;
    }
    if (path.empty() || options.numPorts == 0 || options.poolSize == 0 || options.mtu == 0)
    {
        error = IpnError::INVAL;
        return nullptr;
    }
    uint32_t number = policyNumber == IPN_ANY ? uint32_t(IPN_BROADCAST) : policyNumber;
    Ptr<IpnPolicy> policy = IpnPolicyRegistry::Create(number);
    if (!policy)
    {
        error = IpnError::PROTONOSUPPORT;
        return nullptr;
    }
    Ptr<IpnNetwork> net = CreateObject<IpnNetwork>();
    error = net->Setup(m_node, path, options, number, policy, ownerUid, ownerGid);
    if (error != IpnError::OK)
    {
        return nullptr;
    }
    IpnPolicyRegistry::Use(number, +1);
    m_nets[path] = net;
    return net;
}

void
IpnNetworkRegistry::Remove(Ptr<IpnNetwork> network)
{
    auto it = m_nets.find(network->GetPath());
    if (it != m_nets.end() && it->second == network)
    {
        m_nets.erase(it);
    }
}

std::vector<Ptr<IpnNetwork>>
IpnNetworkRegistry::GetNetworks() const
{
    std::vector<Ptr<IpnNetwork>> v;
    for (auto& kv : m_nets)
    {
        v.push_back(kv.second);
    }
    return v;
}

Ptr<IpnNetworkRegistry>
IpnNetworkRegistry::Get(Ptr<Node> node)
{
    return node->GetObject<IpnNetworkRegistry>();
}

} // namespace ns3
