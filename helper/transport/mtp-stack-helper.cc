/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-stack-helper.h"

#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/node.h"
#include "ns3/queue-size.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpStackHelper");

MtpStackHelper::MtpStackHelper()
{
    m_factory.SetTypeId(MtpL4Protocol::GetTypeId());
}

void
MtpStackHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
MtpStackHelper::Install(NodeContainer nodes) const
{
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Install(*it);
    }
}

void
MtpStackHelper::Install(Ptr<Node> node) const
{
    if (node->GetObject<MtpL4Protocol>())
    {
        NS_FATAL_ERROR("MtpStackHelper::Install: node " << node->GetId()
                                                        << " already has MTP installed");
    }
    if (!node->GetObject<Ipv4>() && !node->GetObject<Ipv6>())
    {
        NS_FATAL_ERROR("MtpStackHelper::Install: node "
                       << node->GetId()
                       << " has no Internet stack; run InternetStackHelper::Install first");
    }
    Ptr<MtpL4Protocol> mtp = m_factory.Create<MtpL4Protocol>();
    node->AggregateObject(mtp);
}

Ptr<MtpL4Protocol>
MtpStackHelper::GetMtp(Ptr<Node> node)
{
    Ptr<MtpL4Protocol> mtp = node->GetObject<MtpL4Protocol>();
    if (!mtp)
    {
        NS_FATAL_ERROR("node " << node->GetId() << " has no MTP installed");
    }
    return mtp;
}

void
MtpStackHelper::PrintMetrics(Ptr<Node> node, std::ostream& os)
{
    GetMtp(node)->PrintMetrics(os);
}

void
MtpStackHelper::InstallPriorityQueues(NetDeviceContainer devices,
                                      uint32_t maxPackets,
                                      uint32_t ecnThreshold,
                                      uint32_t bands)
{
    TrafficControlHelper tch;
    tch.SetRootQueueDisc("ns3::MtpPrioQueueDisc",
                         "MaxSize",
                         QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, maxPackets)),
                         "EcnThreshold",
                         UintegerValue(ecnThreshold),
                         "Bands",
                         UintegerValue(bands));
    for (auto it = devices.Begin(); it != devices.End(); ++it)
    {
        Ptr<TrafficControlLayer> tc = (*it)->GetNode()->GetObject<TrafficControlLayer>();
        if (tc && tc->GetRootQueueDiscOnDevice(*it))
        {
            tc->DeleteRootQueueDiscOnDevice(*it);
        }
    }
    tch.Install(devices);
}

} // namespace ns3
