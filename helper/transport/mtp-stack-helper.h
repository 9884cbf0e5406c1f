/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpStackHelper: installs MTP on nodes that already run the ns-3 Internet
 * stack (InternetStackHelper first), without patching ns-3: it aggregates an
 * MtpL4Protocol, which registers itself with IPv4 and IPv6 and aggregates an
 * MtpSocketFactory.  Attributes given to the helper are applied to every
 * protocol instance it creates.
 */

#ifndef MTP_STACK_HELPER_H
#define MTP_STACK_HELPER_H

#include "ns3/attribute.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <ostream>
#include <string>

namespace ns3
{

class MtpL4Protocol;

/**
 * \ingroup mtp-transport
 * \brief Installs MTP on nodes and reads its metrics.
 */
class MtpStackHelper
{
  public:
    MtpStackHelper();

    /**
     * \brief Set an Attribute of the MtpL4Protocol instances to create.
     * \param name the Attribute name (e.g. "UnschedBytes")
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Install MTP on each node (which must have IPv4 or IPv6).
     * A node that already has MTP is a fatal error.
     * \param nodes the nodes
     */
    void Install(NodeContainer nodes) const;

    /** \param node one node */
    void Install(Ptr<Node> node) const;

    /**
     * \brief Print a node's counters, /proc/net/homa_metrics style.
     * \param node the node
     * \param os the stream
     */
    static void PrintMetrics(Ptr<Node> node, std::ostream& os);

    /**
     * \param node a node with MTP
     * \return its protocol instance (fatal error if missing)
     */
    static Ptr<MtpL4Protocol> GetMtp(Ptr<Node> node);

    /**
     * \brief Give switch or router ports MTP's strict-priority queue disc
     *        (MtpPrioQueueDisc), replacing any root queue disc they have.
     *        Call after the Internet stack is installed and addresses assigned.
     * \param devices the ports
     * \param maxPackets the shared limit of each port's queue
     * \param ecnThreshold DCTCP marking threshold K in packets (0 = no marking)
     * \param bands priority bands (1..8; 1 = FIFO)
     */
    static void InstallPriorityQueues(NetDeviceContainer devices,
                                      uint32_t maxPackets = 1000,
                                      uint32_t ecnThreshold = 0,
                                      uint32_t bands = 8);

  private:
    ObjectFactory m_factory; //!< makes the protocol instances
};

} // namespace ns3

#endif /* MTP_STACK_HELPER_H */
