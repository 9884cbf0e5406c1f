/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHostModelHelper: gives nodes that run MTP a host model (MtpHostModel:
 * NIC queues, GRO / softirq / application cores and their costs).  Nodes
 * without one are ideal hosts.  Attributes given to the helper apply to
 * every model it creates; the softirq steering policy is chosen by TypeId
 * name with SetSteering, as ns-3 helpers choose their strategies through an
 * ObjectFactory, and every model gets its own policy object.
 */

#ifndef MTP_HOST_MODEL_HELPER_H
#define MTP_HOST_MODEL_HELPER_H

#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <ostream>
#include <string>
#include <utility>

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
     * \param name the Attribute name (e.g. "NumCores", "CoalesceTime")
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Choose the softirq steering policy of the models to create:
     *        each model gets a new object of `type` with these Attributes
     *        (its "Steering" Attribute), e.g.
     *        SetSteering("ns3::MtpGen3Steering", "BusyTime", TimeValue(MicroSeconds(50))).
     *        Without it a model uses ns3::MtpGen2Steering with its defaults.
     *        A name that is no MtpSteeringPolicy TypeId, or an Attribute the
     *        type lacks, is a fatal error.
     * \tparam Args name / AttributeValue pairs
     * \param type the policy's TypeId name (ns3::MtpSameCoreSteering,
     *        ns3::MtpGen2Steering, ns3::MtpGen3Steering or a subclass of
     *        MtpSteeringPolicy of one's own)
     * \param args Attributes of the policy, as name, value, name, value...
     */
    template <typename... Args>
    void SetSteering(const std::string& type, Args&&... args);

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
    /**
     * \brief Start a new policy factory for `type`.
     * \param type the TypeId name; fatal unless it names an MtpSteeringPolicy
     */
    void ResetSteering(const std::string& type);

    ObjectFactory m_factory;  //!< makes the models
    ObjectFactory m_steering; //!< makes one steering policy per model
    bool m_hasSteering;       //!< SetSteering was called (else the model's default policy)
};

template <typename... Args>
void
MtpHostModelHelper::SetSteering(const std::string& type, Args&&... args)
{
    ResetSteering(type);
    m_steering.Set(std::forward<Args>(args)...);
}

} // namespace ns3

#endif /* MTP_HOST_MODEL_HELPER_H */
