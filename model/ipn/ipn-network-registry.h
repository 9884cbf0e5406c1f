/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnNetworkRegistry: the IPN networks of one node, by path (the patch
 * finds networks through the file system; this model keeps a map per
 * node, aggregated to the Node).  See ipn-network.h for the model.
 */

#ifndef IPN_NETWORK_REGISTRY_H
#define IPN_NETWORK_REGISTRY_H

#include "ns3/ipn-network.h"
#include "ns3/node.h"
#include "ns3/object.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief The IPN networks of one node, by path (aggregated to the Node by
 *        IpnHelper::Install).
 */
class IpnNetworkRegistry : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    IpnNetworkRegistry();
    ~IpnNetworkRegistry() override;

    /**
     * \param path a path
     * \return the live network of that name, or nullptr
     */
    Ptr<IpnNetwork> Find(const std::string& path) const;
    /**
     * \brief Create a network (the first Bind to a path does this).
     * \param path its name (must be free)
     * \param options its options
     * \param policyNumber the policy (IPN_ANY makes a hub)
     * \param ownerUid creator's uid
     * \param ownerGid creator's gid
     * \param[out] error OK, ADDRINUSE (name taken), PROTONOSUPPORT or a
     *             NewNetwork hook's error
     * \return the network, or nullptr
     */
    Ptr<IpnNetwork> Create(const std::string& path,
                           const IpnNetworkOptions& options,
                           uint32_t policyNumber,
                           uint32_t ownerUid,
                           uint32_t ownerGid,
                           IpnError& error);
    /**
     * \brief Forget a network (called when it is deleted).
     * \param network the network
     */
    void Remove(Ptr<IpnNetwork> network);
    /** \return every live network */
    std::vector<Ptr<IpnNetwork>> GetNetworks() const;

    /**
     * \param node a node
     * \return its registry (nullptr if IPN is not installed)
     */
    static Ptr<IpnNetworkRegistry> Get(Ptr<Node> node);

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    Ptr<Node> m_node;                              //!< the node
    std::map<std::string, Ptr<IpnNetwork>> m_nets; //!< path -> network
};

} // namespace ns3

#endif /* IPN_NETWORK_REGISTRY_H */
