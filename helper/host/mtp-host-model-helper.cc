/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-host-model-helper.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/mtp-host-model.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpHostModelHelper");

MtpHostModelHelper::MtpHostModelHelper()
{
    m_factory.SetTypeId(MtpHostModel::GetTypeId());
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
