/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipn-switch-policy.h"

#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpnSwitchPolicy");
NS_OBJECT_ENSURE_REGISTERED(IpnSwitchPolicy);

namespace
{

uint64_t
MacToInt(const uint8_t* b)
{
    uint64_t v = 0;
    for (int i = 0; i < 6; ++i)
    {
        v = (v << 8) | b[i];
    }
    return v;
}

Mac48Address
IntToMac(uint64_t v)
{
    uint8_t b[6];
    for (int i = 5; i >= 0; --i)
    {
        b[i] = static_cast<uint8_t>(v);
        v >>= 8;
    }
    Mac48Address m;
    m.CopyFrom(b);
    return m;
}

} // namespace

TypeId
IpnSwitchPolicy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpnSwitchPolicy")
            .SetParent<IpnPolicy>()
            .SetGroupName("Mtp")
            .AddConstructor<IpnSwitchPolicy>()
            .AddAttribute("AgingTime",
                          "How long a learned address lasts without traffic from it "
                          "(0 = forever). kvde_switch uses 30 s.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&IpnSwitchPolicy::m_aging),
                          MakeTimeChecker())
            .AddTraceSource("Learn",
                            "A source address was learned or moved (mac, vlan, port).",
                            MakeTraceSourceAccessor(&IpnSwitchPolicy::m_learnTrace),
                            "ns3::IpnSwitchPolicy::LearnCallback");
    return tid;
}

IpnSwitchPolicy::IpnSwitchPolicy() = default;
IpnSwitchPolicy::~IpnSwitchPolicy() = default;

int32_t
IpnSwitchPolicy::NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port)
{
    return FirstFreePort(net, port);
}

void
IpnSwitchPolicy::HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg)
{
    if (msg->GetSize() < 14)
    {
        NS_LOG_LOGIC("runt frame dropped");
        ++m_malformed;
        return;
    }
    uint8_t hdr[14];
    msg->GetPacket()->CopyData(hdr, 14);
    uint16_t vlan = GetPortVlan(from->GetPortNumber());
    bool srcGroup = hdr[6] & 1;
    bool dstGroup = hdr[0] & 1;
    Time now = Simulator::Now();
    if (!srcGroup)
    {
        Key k(vlan, MacToInt(hdr + 6));
        auto it = m_table.find(k);
        if (it == m_table.end() || it->second.portno != from->GetPortNumber())
        {
            m_learnTrace(IntToMac(k.second), vlan, from->GetPortNumber());
        }
        m_table[k] = Entry{from->GetPortNumber(), now};
    }
    if (!dstGroup)
    {
        auto it = m_table.find(Key(vlan, MacToInt(hdr)));
        if (it != m_table.end() && !m_aging.IsZero() && now - it->second.seen > m_aging)
        {
            m_table.erase(it);
            it = m_table.end();
        }
        if (it != m_table.end())
        {
            if (it->second.portno != from->GetPortNumber())
            {
                NS_LOG_LOGIC("unicast " << from->GetPortNumber() << " -> " << it->second.portno);
                net->SendTo(net->GetPort(it->second.portno), msg);
            }
            return;
        }
    }
    NS_LOG_LOGIC("flood from " << from->GetPortNumber() << " in VLAN " << vlan);
    std::vector<Ptr<IpnPort>> ports = net->GetConnectedPorts();
    for (auto& p : ports)
    {
        if (p != from && GetPortVlan(p->GetPortNumber()) == vlan)
        {
            net->SendTo(p, msg);
        }
    }
}

void
IpnSwitchPolicy::DeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port)
{
    int32_t portno = port->GetPortNumber();
    for (auto it = m_table.begin(); it != m_table.end();)
    {
        if (it->second.portno == portno)
        {
            it = m_table.erase(it);
        }
        else
        {
            ++it;
        }
    }
    m_vlan.erase(static_cast<uint32_t>(portno));
}

IpnError
IpnSwitchPolicy::SetOption(Ptr<IpnNetwork> net, Ptr<IpnPort> port, uint32_t name, int32_t value)
{
    if (name != OPT_VLAN)
    {
        return IpnError::OPNOTSUPP;
    }
    if (!port->IsConnected())
    {
        return IpnError::NOTCONN;
    }
    if (value < 1 || value > 4094)
    {
        return IpnError::INVAL;
    }
    return SetPortVlan(port->GetPortNumber(), static_cast<uint16_t>(value));
}

IpnError
IpnSwitchPolicy::GetOption(Ptr<IpnNetwork> net,
                           Ptr<IpnPort> port,
                           uint32_t name,
                           int32_t& value) const
{
    if (name != OPT_VLAN)
    {
        return IpnError::OPNOTSUPP;
    }
    if (!port->IsConnected())
    {
        return IpnError::NOTCONN;
    }
    value = GetPortVlan(port->GetPortNumber());
    return IpnError::OK;
}

IpnError
IpnSwitchPolicy::SetPortVlan(uint32_t portno, uint16_t vlan)
{
    if (vlan < 1 || vlan > 4094)
    {
        return IpnError::INVAL;
    }
    // Addresses learned on the port belong to its old VLAN: forget them.
    for (auto it = m_table.begin(); it != m_table.end();)
    {
        if (it->second.portno == static_cast<int32_t>(portno))
        {
            it = m_table.erase(it);
        }
        else
        {
            ++it;
        }
    }
    m_vlan[portno] = vlan;
    return IpnError::OK;
}

uint16_t
IpnSwitchPolicy::GetPortVlan(uint32_t portno) const
{
    auto it = m_vlan.find(portno);
    return it == m_vlan.end() ? 1 : it->second;
}

int32_t
IpnSwitchPolicy::Lookup(Mac48Address mac, uint16_t vlan) const
{
    uint8_t b[6];
    mac.CopyTo(b);
    auto it = m_table.find(Key(vlan, MacToInt(b)));
    return it == m_table.end() ? -1 : it->second.portno;
}

uint32_t
IpnSwitchPolicy::GetTableSize() const
{
    return static_cast<uint32_t>(m_table.size());
}

uint64_t
IpnSwitchPolicy::GetMalformedCount() const
{
    return m_malformed;
}

} // namespace ns3
