/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnSwitchPolicy: IPN_VDESWITCH (policy 2), the kernel VDE switch
 * (kvde_switch): a learning Ethernet switch over the ports of a network.
 *
 * Messages are Ethernet frames (destination MAC, source MAC, type; shorter
 * messages are dropped and counted, GetMalformedCount).  The switch learns, per VLAN, which port
 * each unicast source MAC was last seen on; a frame to a known unicast MAC goes to that port only
 * (nowhere if that is the sender's own port), a broadcast, multicast or unknown destination floods
 * to every other port of the same VLAN.  A port that leaves is forgotten at once (the patch's
 * delport hook flushes its addresses); learned entries also age out after AgingTime.
 *
 * VLANs: each port is an access port of one VLAN (default 1), set with the
 * policy-level option OPT_VLAN (IpnSocket::SetPolicyOption) or SetPortVlan;
 * frames never cross VLANs.  Frames carry no 802.1Q tag.
 */

#ifndef IPN_SWITCH_POLICY_H
#define IPN_SWITCH_POLICY_H

#include "ns3/ipn-policy.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"

#include <map>
#include <utility>

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief Learning Ethernet switch with per-port VLANs.
 */
class IpnSwitchPolicy : public IpnPolicy
{
  public:
    /** Policy-level option: the port's VLAN (1 .. 4094). */
    static constexpr uint32_t OPT_VLAN = 1;

    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnSwitchPolicy();
    ~IpnSwitchPolicy() override;

    int32_t NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override;
    void HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg) override;
    void DeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override;
    IpnError SetOption(Ptr<IpnNetwork> net,
                       Ptr<IpnPort> port,
                       uint32_t name,
                       int32_t value) override;
    IpnError GetOption(Ptr<IpnNetwork> net,
                       Ptr<IpnPort> port,
                       uint32_t name,
                       int32_t& value) const override;

    /**
     * \brief Put a port in a VLAN.
     * \param portno the port number
     * \param vlan 1 .. 4094
     * \return OK or INVAL
     */
    IpnError SetPortVlan(uint32_t portno, uint16_t vlan);
    /** \return the VLAN of a port (1 unless set) */
    uint16_t GetPortVlan(uint32_t portno) const;
    /**
     * \param mac a unicast MAC
     * \param vlan its VLAN
     * \return the port it was learned on, or -1
     */
    int32_t Lookup(Mac48Address mac, uint16_t vlan = 1) const;
    /** \return learned entries (aged ones included until next use) */
    uint32_t GetTableSize() const;
    /** \return messages dropped because they were shorter than an Ethernet header */
    uint64_t GetMalformedCount() const;

  private:
    /// A learned address.
    struct Entry
    {
        int32_t portno; //!< where it was seen
        Time seen;      //!< when
    };

    using Key = std::pair<uint16_t, uint64_t>; //!< (VLAN, MAC as integer)

    std::map<Key, Entry> m_table;        //!< learned addresses
    std::map<uint32_t, uint16_t> m_vlan; //!< port -> VLAN (absent = 1)
    Time m_aging;                        //!< entry lifetime (0 = forever)
    uint64_t m_malformed = 0;            //!< runts dropped (not frames: nothing to switch on)
    TracedCallback<Mac48Address, uint16_t, int32_t> m_learnTrace; //!< (mac, vlan, port) learned
};

} // namespace ns3

#endif /* IPN_SWITCH_POLICY_H */
