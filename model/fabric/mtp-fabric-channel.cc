/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-fabric-channel.h"

#include "ns3/log.h"
#include "ns3/mtp-fabric-net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpFabricChannel");

NS_OBJECT_ENSURE_REGISTERED(MtpFabricChannel);

TypeId
MtpFabricChannel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpFabricChannel")
            .SetParent<Channel>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpFabricChannel>()
            .AddAttribute("Delay",
                          "Propagation delay through the channel (as PointToPointChannel's)",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&MtpFabricChannel::m_delay),
                          MakeTimeChecker(Seconds(0)));
    return tid;
}

MtpFabricChannel::MtpFabricChannel() = default;

void
MtpFabricChannel::DoDispose()
{
    m_devices = {};
    m_nDevices = 0;
    Channel::DoDispose();
}

bool
MtpFabricChannel::Attach(Ptr<MtpFabricNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    if (!device || m_nDevices >= m_devices.size())
    {
        return false;
    }
    m_devices[m_nDevices++] = device;
    return true;
}

bool
MtpFabricChannel::TransmitStart(Ptr<Packet> frame, Ptr<MtpFabricNetDevice> src, Time txTime)
{
    Ptr<MtpFabricNetDevice> dst = GetPeer(src);
    if (!dst)
    {
        return false;
    }
    // A listener on the sender may hold the frame: the peer strips its
    // header, so it gets a copy then (PointToPointChannel always copies).
    Ptr<Packet> arriving = src->HasTransmitListeners() ? frame->Copy() : frame;
    Simulator::ScheduleWithContext(dst->GetNode()->GetId(),
                                   txTime + m_delay,
                                   &MtpFabricNetDevice::Receive,
                                   dst,
                                   arriving);
    return true;
}

Ptr<MtpFabricNetDevice>
MtpFabricChannel::GetPeer(Ptr<const MtpFabricNetDevice> device) const
{
    if (m_nDevices != 2)
    {
        return nullptr;
    }
    if (m_devices[0] == device)
    {
        return m_devices[1];
    }
    return m_devices[1] == device ? m_devices[0] : nullptr;
}

Time
MtpFabricChannel::GetDelay() const
{
    return m_delay;
}

std::size_t
MtpFabricChannel::GetNDevices() const
{
    return m_nDevices;
}

Ptr<NetDevice>
MtpFabricChannel::GetDevice(std::size_t i) const
{
    return i < m_nDevices ? m_devices[i] : nullptr;
}

} // namespace ns3
