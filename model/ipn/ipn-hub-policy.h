/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnHubPolicy: IPN_BROADCAST / IPN_HUB (policy 1), built into the patch:
 * every message goes to every connected port but the sender, in the order
 * the ports connected.
 */

#ifndef IPN_HUB_POLICY_H
#define IPN_HUB_POLICY_H

#include "ns3/ipn-policy.h"

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief Hub: broadcast to all ports but the sender.
 */
class IpnHubPolicy : public IpnPolicy
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnHubPolicy();
    ~IpnHubPolicy() override;

    int32_t NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override;
    void HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg) override;
};

} // namespace ns3

#endif /* IPN_HUB_POLICY_H */
