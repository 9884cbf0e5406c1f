/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-host-model-helper.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/mtp-host-model.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-steering-policy.h"
#include "ns3/node.h"
#include "ns3/pointer.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHostModelHelper");

MtpHostModelHelper::MtpHostModelHelper()
    : m_hasSteering(false)
{
    m_factory.SetTypeId(MtpHostModel::GetTypeId());
}

void
MtpHostModelHelper::ResetSteering(const std::string& type)
{
    TypeId tid;
    NS_ABORT_MSG_UNLESS(TypeId::LookupByNameFailSafe(type, &tid),
                        "MtpHostModelHelper::SetSteering: no TypeId \""
                            << type
                            << "\" (steering policies: ns3::MtpSameCoreSteering, "
                               "ns3::MtpGen2Steering, ns3::MtpGen3Steering)");
    NS_ABORT_MSG_UNLESS(tid.IsChildOf(MtpSteeringPolicy::GetTypeId()) && tid.HasConstructor(),
                        "MtpHostModelHelper::SetSteering: " << type
                                                            << " is no steering policy (a "
                                                               "constructible MtpSteeringPolicy)");
    m_steering = ObjectFactory();
    m_steering.SetTypeId(tid);
    m_hasSteering = true;
}

void
MtpHostModelHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
MtpHostModelHelper::Install(NodeContainer nodes) const
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Install(*it);
    }
}

Ptr<MtpHostModel>
MtpHostModelHelper::Install(Ptr<Node> node) const
{
    NS_ABORT_MSG_IF(!node->GetObject<MtpL4Protocol>(),
                    "MtpHostModelHelper: node " << node->GetId()
                                                << " has no MTP (MtpStackHelper::Install first)");
    NS_ABORT_MSG_IF(node->GetObject<MtpHostModel>(),
                    "MtpHostModelHelper: node " << node->GetId() << " already has a host model");
    Ptr<MtpHostModel> model = m_factory.Create<MtpHostModel>();
    if (m_hasSteering)
    {
        model->SetAttribute("Steering", PointerValue(m_steering.Create<MtpSteeringPolicy>()));
    }
    node->AggregateObject(model);
    NS_ABORT_MSG_IF(node->GetObject<MtpL4Protocol>()->GetHostPath() != model,
                    "MtpHostModelHelper: the model did not attach to MTP");
    return model;
}

Ptr<MtpHostModel>
MtpHostModelHelper::Get(Ptr<Node> node)
{
    return node->GetObject<MtpHostModel>();
}

void
MtpHostModelHelper::PrintStats(Ptr<Node> node, std::ostream& os)
{
    Ptr<MtpHostModel> m = Get(node);
    if (m)
    {
        m->PrintStats(os);
    }
}

} // namespace ns3
