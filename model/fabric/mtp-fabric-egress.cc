/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-fabric-egress.h"

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/loopback-net-device.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/packet.h"
#include "ns3/queue-disc.h"
#include "ns3/traffic-control-layer.h"

namespace ns3
{

MtpFabricEgress
MtpFabricEgress::Of(Ptr<Ipv4> ipv4, Ptr<NetDevice> device)
{
    MtpFabricEgress egress;
    egress.device = device;
    if (Ptr<NetDeviceQueueInterface> ndqi = device->GetObject<NetDeviceQueueInterface>())
    {
        egress.txq = ndqi->GetTxQueue(0);
    }
    egress.broadcast = device->GetBroadcast();
    egress.interface = static_cast<uint32_t>(ipv4->GetInterfaceForDevice(device));
    egress.direct = !device->NeedsArp() && !DynamicCast<LoopbackNetDevice>(device);
    return egress;
}

bool
MtpFabricEgress::Send(Ptr<TrafficControlLayer> tc, Ptr<Packet> q, const Ipv4Header& ip) const
{
    if (tc->GetRootQueueDiscOnDevice(device))
    {
        tc->Send(device, Create<Ipv4QueueDiscItem>(q, broadcast, Ipv4L3Protocol::PROT_NUMBER, ip));
        return true;
    }
    if (txq && txq->IsStopped())
    {
        return false;
    }
    q->AddHeader(ip);
    device->Send(q, broadcast, Ipv4L3Protocol::PROT_NUMBER);
    return true;
}

} // namespace ns3
