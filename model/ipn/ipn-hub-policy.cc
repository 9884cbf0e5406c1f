/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-hub-policy.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnHubPolicy");
NS_OBJECT_ENSURE_REGISTERED(IpnHubPolicy);

TypeId
IpnHubPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnHubPolicy")
                            .SetParent<IpnPolicy>()
                            .SetGroupName("Mtp")
                            .AddConstructor<IpnHubPolicy>();
    return tid;
}

IpnHubPolicy::IpnHubPolicy() = default;
IpnHubPolicy::~IpnHubPolicy() = default;

int32_t
IpnHubPolicy::NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port)
{
    return FirstFreePort(net, port);
}

void
IpnHubPolicy::HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg)
{
    NS_LOG_FUNCTION(this << from->GetPortNumber() << msg->GetSize());
    Flood(net, from, msg);
}

} // namespace ns3
