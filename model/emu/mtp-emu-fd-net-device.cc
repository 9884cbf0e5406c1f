/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-emu-fd-net-device.h"

#include "ns3/log.h"
#include "ns3/pointer.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpEmuFdNetDevice");

NS_OBJECT_ENSURE_REGISTERED(MtpEmuFdNetDevice);

TypeId
MtpEmuFdNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpEmuFdNetDevice")
            .SetParent<FdNetDevice>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpEmuFdNetDevice>()
            .AddAttribute("ReceiveErrorModel",
                          "The error model every received frame is offered to; frames it "
                          "marks corrupt are dropped (loss injection on a real link).",
                          PointerValue(),
                          MakePointerAccessor(&MtpEmuFdNetDevice::m_receiveErrorModel),
                          MakePointerChecker<ErrorModel>())
            .AddTraceSource("PhyRxDrop",
                            "A received frame dropped by the receive error model.",
                            MakeTraceSourceAccessor(&MtpEmuFdNetDevice::m_phyRxDropTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

MtpEmuFdNetDevice::MtpEmuFdNetDevice()
    : m_receiveDrops(0)
{
    NS_LOG_FUNCTION(this);
}

void
MtpEmuFdNetDevice::SetReceiveErrorModel(Ptr<ErrorModel> em)
{
    m_receiveErrorModel = em;
}

uint64_t
MtpEmuFdNetDevice::GetReceiveDrops() const
{
    return m_receiveDrops;
}

void
MtpEmuFdNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_nodeRxCallback = cb;
    FdNetDevice::SetReceiveCallback(MakeCallback(&MtpEmuFdNetDevice::FilterReceive, this));
}

bool
MtpEmuFdNetDevice::FilterReceive(Ptr<NetDevice> device,
                                 Ptr<const Packet> packet,
                                 uint16_t protocol,
                                 const Address& from)
{
    if (m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(packet->Copy()))
    {
        NS_LOG_LOGIC("error model drops a frame of " << packet->GetSize() << " bytes");
        ++m_receiveDrops;
        m_phyRxDropTrace(packet);
        return true;
    }
    return m_nodeRxCallback.IsNull() ? false : m_nodeRxCallback(device, packet, protocol, from);
}

void
MtpEmuFdNetDevice::DoDispose()
{
    m_nodeRxCallback =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_receiveErrorModel = nullptr;
    FdNetDevice::DoDispose();
}

} // namespace ns3
