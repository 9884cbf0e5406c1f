/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-host-path.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MtpHostPath);
NS_OBJECT_ENSURE_REGISTERED(MtpIdealHostPath);

TypeId
MtpHostPath::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpHostPath").SetParent<Object>().SetGroupName("Mtp");
    return tid;
}

MtpHostPath::~MtpHostPath() = default;

void
MtpHostPath::BeginSend(const Socket* socket, uint32_t bytes)
{
}

void
MtpHostPath::EndSend()
{
}

MtpHostPath::SendScope::SendScope(Ptr<MtpHostPath> path, const Socket* socket, uint32_t bytes)
    : m_path(path)
{
    m_path->BeginSend(socket, bytes);
}

MtpHostPath::SendScope::~SendScope()
{
    m_path->EndSend();
}

TypeId
MtpIdealHostPath::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpIdealHostPath")
                            .SetParent<MtpHostPath>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpIdealHostPath>();
    return tid;
}

void
MtpIdealHostPath::Receive(const MtpHostRxPacket& pkt,
                          Ptr<const Packet> p,
                          std::function<void()> process)
{
    process();
}

void
MtpIdealHostPath::Transmit(std::function<void()> send, bool isData)
{
    send();
}

void
MtpIdealHostPath::DeliverToApp(const Socket* socket, uint32_t bytes, std::function<void()> deliver)
{
    deliver();
}

} // namespace ns3
