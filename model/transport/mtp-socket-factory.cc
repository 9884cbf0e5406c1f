/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-socket-factory.h"

#include "ns3/log.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/socket.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpSocketFactory");

NS_OBJECT_ENSURE_REGISTERED(MtpSocketFactory);

TypeId
MtpSocketFactory::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpSocketFactory").SetParent<SocketFactory>().SetGroupName("Mtp");
    return tid;
}

MtpSocketFactory::MtpSocketFactory()
{
}

MtpSocketFactory::~MtpSocketFactory()
{
}

void
MtpSocketFactory::SetMtp(Ptr<MtpL4Protocol> mtp)
{
    m_mtp = mtp;
}

Ptr<Socket>
MtpSocketFactory::CreateSocket()
{
    return m_mtp ? m_mtp->CreateSocket() : nullptr;
}

void
MtpSocketFactory::DoDispose()
{
    m_mtp = nullptr;
    SocketFactory::DoDispose();
}

} // namespace ns3
