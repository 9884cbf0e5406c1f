/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnL3SwitchPolicy: IPN_VDESWITCH_L3 (policy 3).  The patch reserves the
 * number and leaves the policy unwritten; this model's rule is deliberately
 * simple:
 *   - learn: an IPv4 packet (EtherType 0x0800) or ARP packet (0x0806) tells
 *     which port its source IPv4 address (ARP: sender protocol address) was
 *     last seen on;
 *   - forward: a unicast IPv4 frame whose destination IPv4 address is known
 *     goes to that port only; everything else (ARP, broadcast, IPv6, unknown
 *     destinations) floods to every other port, as a hub;
 *   - a message shorter than an Ethernet header is dropped and counted
 *     (GetMalformedCount).
 * Forwarding by IP address rather than MAC means the destination MAC of the
 * frame is not looked at; a host behind a router is reached on the port the
 * router forwarded its packets from.
 */

#ifndef IPN_L3_SWITCH_POLICY_H
#define IPN_L3_SWITCH_POLICY_H

#include "ns3/ipn-policy.h"
#include "ns3/ipv4-address.h"

#include <map>

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief Switch that forwards by IPv4 destination address.
 */
class IpnL3SwitchPolicy : public IpnPolicy
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnL3SwitchPolicy();
    ~IpnL3SwitchPolicy() override;

    int32_t NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override;
    void HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg) override;
    void DeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override;

    /**
     * \param addr an IPv4 address
     * \return the port it was last seen on, or -1
     */
    int32_t Lookup(Ipv4Address addr) const;
    /** \return messages dropped because they were shorter than an Ethernet header */
    uint64_t GetMalformedCount() const;

  private:
    std::map<uint32_t, int32_t> m_table; //!< IPv4 address -> port
    uint64_t m_malformed = 0;            //!< runts dropped (no header to forward on)
};

} // namespace ns3

#endif /* IPN_L3_SWITCH_POLICY_H */
