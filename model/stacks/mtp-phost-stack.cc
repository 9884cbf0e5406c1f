/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-phost-stack.h"

#include "ns3/mtp-l4-protocol.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MtpPhostStack);

TypeId
MtpPhostStack::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpPhostStack")
            .SetParent<MtpHomaStack>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpPhostStack>()
            .AddAttribute("ActiveSenders",
                          "Inbound messages that hold tokens at once, shortest remaining "
                          "first (pHost gives tokens to one sender at a time).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&MtpPhostStack::m_activeSenders),
                          MakeUintegerChecker<uint32_t>(1, 64));
    return tid;
}

MtpPhostStack::MtpPhostStack()
    : m_activeSenders(1)
{
}

std::string
MtpPhostStack::GetName() const
{
    return "phost";
}

uint8_t
MtpPhostStack::UnschedPriority(Ptr<MtpRpc> rpc, uint32_t length) const
{
    return m_l4->GetNumPriorities() - 1;
}

MtpGrantScheduler::Config
MtpPhostStack::GrantConfig() const
{
    MtpGrantScheduler::Config g = m_l4->GetGrantConfig();
    g.maxOvercommit = m_activeSenders;
    g.maxSchedPriority = 0;
    g.fifoFractionPerMille = 0;
    return g;
}

} // namespace ns3
