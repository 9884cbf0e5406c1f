/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-policy.h"

#include "ns3/ipn-hub-policy.h"
#include "ns3/ipn-l3-switch-policy.h"
#include "ns3/ipn-switch-policy.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnPolicy");
NS_OBJECT_ENSURE_REGISTERED(IpnPolicy);

TypeId
IpnPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnPolicy").SetParent<Object>().SetGroupName("Mtp");
    return tid;
}

IpnPolicy::IpnPolicy() = default;
IpnPolicy::~IpnPolicy() = default;

void
IpnPolicy::DeletePort(Ptr<IpnNetwork>, Ptr<IpnPort>)
{
}

void
IpnPolicy::PostNewPort(Ptr<IpnNetwork>, Ptr<IpnPort>)
{
}

void
IpnPolicy::PreDeletePort(Ptr<IpnNetwork>, Ptr<IpnPort>)
{
}

IpnError
IpnPolicy::NewNetwork(Ptr<IpnNetwork>)
{
    return IpnError::OK;
}

IpnError
IpnPolicy::ResizeNetwork(Ptr<IpnNetwork>, uint32_t, uint32_t)
{
    return IpnError::OK;
}

void
IpnPolicy::DeleteNetwork(Ptr<IpnNetwork>)
{
}

IpnError
IpnPolicy::SetOption(Ptr<IpnNetwork>, Ptr<IpnPort>, uint32_t, int32_t)
{
    return IpnError::OPNOTSUPP;
}

IpnError
IpnPolicy::GetOption(Ptr<IpnNetwork>, Ptr<IpnPort>, uint32_t, int32_t&) const
{
    return IpnError::OPNOTSUPP;
}

int32_t
IpnPolicy::FirstFreePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port)
{
    int32_t want = port->GetRequestedPort();
    if (want >= 0)
    {
        if (static_cast<uint32_t>(want) < net->GetNumPorts() && !net->GetPort(want))
        {
            return want;
        }
        return -1;
    }
    for (uint32_t i = 0; i < net->GetNumPorts(); ++i)
    {
        if (!net->GetPort(i))
        {
            return static_cast<int32_t>(i);
        }
    }
    return -1;
}

void
IpnPolicy::Flood(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg)
{
    // Copy: a device receiving synchronously must not invalidate the iteration.
    std::vector<Ptr<IpnPort>> ports = net->GetConnectedPorts();
    for (auto& p : ports)
    {
        if (p != from)
        {
            net->SendTo(p, msg);
        }
    }
}

// ---------------------------------------------------------------- registry

std::map<uint32_t, IpnPolicyRegistry::Entry>&
IpnPolicyRegistry::Table()
{
    static std::map<uint32_t, Entry> table;
    static bool init = false;
    if (!init)
    {
        init = true;
        table[IPN_BROADCAST].tid = IpnHubPolicy::GetTypeId();
        table[IPN_VDESWITCH].tid = IpnSwitchPolicy::GetTypeId();
        table[IPN_VDESWITCH_L3].tid = IpnL3SwitchPolicy::GetTypeId();
    }
    return table;
}

IpnError
IpnPolicyRegistry::Register(uint32_t number, TypeId tid)
{
    if (number <= IPN_BROADCAST || number > MAX_POLICY || !tid.IsChildOf(IpnPolicy::GetTypeId()))
    {
        return IpnError::INVAL;
    }
    auto& t = Table();
    if (t.count(number))
    {
        return IpnError::EXIST;
    }
    t[number].tid = tid;
    return IpnError::OK;
}

IpnError
IpnPolicyRegistry::Deregister(uint32_t number)
{
    if (number <= IPN_BROADCAST || number > MAX_POLICY)
    {
        return IpnError::INVAL;
    }
    auto& t = Table();
    auto it = t.find(number);
    if (it == t.end())
    {
        return IpnError::NOENT;
    }
    if (it->second.uses > 0)
    {
        return IpnError::ADDRINUSE;
    }
    t.erase(it);
    return IpnError::OK;
}

bool
IpnPolicyRegistry::IsRegistered(uint32_t number)
{
    return Table().count(number) > 0;
}

Ptr<IpnPolicy>
IpnPolicyRegistry::Create(uint32_t number)
{
    auto& t = Table();
    auto it = t.find(number);
    if (it == t.end())
    {
        return nullptr;
    }
    ObjectFactory f;
    f.SetTypeId(it->second.tid);
    return f.Create<IpnPolicy>();
}

void
IpnPolicyRegistry::Use(uint32_t number, int32_t delta)
{
    auto& t = Table();
    auto it = t.find(number);
    if (it != t.end())
    {
        it->second.uses = static_cast<uint32_t>(static_cast<int32_t>(it->second.uses) + delta);
    }
}

} // namespace ns3
