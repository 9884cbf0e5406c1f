/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-unsched-stack.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MtpUnschedStack);

TypeId
MtpUnschedStack::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpUnschedStack")
                            .SetParent<MtpHomaStack>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpUnschedStack>();
    return tid;
}

std::string
MtpUnschedStack::GetName() const
{
    return "unsched";
}

uint32_t
MtpUnschedStack::UnscheduledBytes(uint32_t length) const
{
    return length;
}

} // namespace ns3
