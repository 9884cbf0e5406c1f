/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHostModelHelper: gives nodes that run MTP a host model (MtpHostModel:
 * NIC queues, GRO / softirq / application cores and their costs).  Nodes
 * without one are ideal hosts.  Attributes given to the helper apply to
 * every model it creates.
 */

#ifndef MTP_HOST_MODEL_HELPER_H
#define MTP_HOST_MODEL_HELPER_H

#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <ostream>
#include <string>

namespace ns3
{

class MtpHostModel;

/**
 * \ingroup mtp-host
 * \brief Installs MtpHostModel on nodes that already have MTP.
 */
class MtpHostModelHelper
{
  public:
    MtpHostModelHelper();

    /**
     * \brief Set an Attribute of the models to create.
     * \param name the Attribute name (e.g. "SteeringPolicy", "NumCores")
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Give each node a host model.  A node without MTP
     *        (MtpStackHelper::Install first) or with a model already is a
     *        fatal error.
     * \param nodes the nodes
     */
    void Install(NodeContainer nodes) const;

    /**
     * \param node one node
     * \return its new model
     */
    Ptr<MtpHostModel> Install(Ptr<Node> node) const;

    /**
     * \param node a node
     * \return its host model, or null if it is an ideal host
     */
    static Ptr<MtpHostModel> Get(Ptr<Node> node);

    /**
     * \brief Print a node's host-model statistics (nothing for an ideal host).
     * \param node the node
     * \param os the stream
     */
    static void PrintStats(Ptr<Node> node, std::ostream& os);

  private:
    ObjectFactory m_factory; //!< makes the models
};

} // namespace ns3

#endif /* MTP_HOST_MODEL_HELPER_H */
