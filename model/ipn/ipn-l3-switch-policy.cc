/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-l3-switch-policy.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnL3SwitchPolicy");
NS_OBJECT_ENSURE_REGISTERED(IpnL3SwitchPolicy);

namespace
{

uint32_t
Be32(const uint8_t* b)
{
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
}

} // namespace

TypeId
IpnL3SwitchPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpnL3SwitchPolicy")
                            .SetParent<IpnPolicy>()
                            .SetGroupName("Mtp")
                            .AddConstructor<IpnL3SwitchPolicy>();
    return tid;
}

IpnL3SwitchPolicy::IpnL3SwitchPolicy() = default;
IpnL3SwitchPolicy::~IpnL3SwitchPolicy() = default;

int32_t
IpnL3SwitchPolicy::NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port)
{
    return FirstFreePort(net, port);
}

void
IpnL3SwitchPolicy::HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg)
{
    uint8_t buf[34] = {0};
    uint32_t len = msg->GetPacket()->CopyData(buf, sizeof(buf));
    if (len < 14)
    {
        NS_LOG_LOGIC("runt frame dropped");
        ++m_malformed;
        return;
    }
    uint16_t type = (uint16_t(buf[12]) << 8) | buf[13];
    bool dstGroup = buf[0] & 1;
    if (type == 0x0800 && len >= 34)
    {
        m_table[Be32(buf + 26)] = from->GetPortNumber();
        auto it = m_table.find(Be32(buf + 30));
        if (!dstGroup && it != m_table.end())
        {
            if (it->second != from->GetPortNumber())
            {
                net->SendTo(net->GetPort(it->second), msg);
            }
            return;
        }
    }
    else if (type == 0x0806 && len >= 32)
    {
        m_table[Be32(buf + 28)] = from->GetPortNumber();
    }
    Flood(net, from, msg);
}

void
IpnL3SwitchPolicy::DeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port)
{
    for (auto it = m_table.begin(); it != m_table.end();)
    {
        if (it->second == port->GetPortNumber())
        {
            it = m_table.erase(it);
        }
        else
        {
            ++it;
        }
    }
}

int32_t
IpnL3SwitchPolicy::Lookup(Ipv4Address addr) const
{
    auto it = m_table.find(addr.Get());
    return it == m_table.end() ? -1 : it->second;
}

uint64_t
IpnL3SwitchPolicy::GetMalformedCount() const
{
    return m_malformed;
}

} // namespace ns3
