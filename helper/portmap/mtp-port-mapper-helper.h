/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPortMapperHelper: puts a port mapper (MtpPortMapper, aggregated) and,
 * unless asked not to, its daemon (MtpPortMapperDaemon, an application) on
 * nodes.  The mapper is Init'ed on every interface that is up when it is
 * installed (install after assigning addresses).
 */

#ifndef MTP_PORT_MAPPER_HELPER_H
#define MTP_PORT_MAPPER_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/mtp-port-mapper-daemon.h"
#include "ns3/mtp-port-mapper.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>

namespace ns3
{

/**
 * \ingroup mtp-portmap
 * \brief Installs port mappers and their daemons; see the file comment.
 */
class MtpPortMapperHelper
{
  public:
    MtpPortMapperHelper();

    /**
     * \param name an Attribute of ns3::MtpPortMapper
     * \param value its value
     */
    void SetMapperAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param name an Attribute of ns3::MtpPortMapperDaemon
     * \param value its value
     */
    void SetDaemonAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief The node's mapper, created, aggregated and Init'ed on the
     *        interfaces that are up if it has none; no daemon.
     * \param node a node with an Internet stack
     * \return the mapper
     */
    Ptr<MtpPortMapper> InstallMapper(Ptr<Node> node) const;

    /**
     * \brief A mapper (InstallMapper) and a daemon on the node.
     * \param node a node with an Internet stack
     * \return the daemon (start/stop it as any application)
     */
    Ptr<MtpPortMapperDaemon> Install(Ptr<Node> node) const;

    /**
     * \param nodes nodes with an Internet stack
     * \return their daemons
     */
    ApplicationContainer Install(const NodeContainer& nodes) const;

  private:
    ObjectFactory m_mapperFactory; //!< makes the mappers
    ObjectFactory m_daemonFactory; //!< makes the daemons
};

} // namespace ns3

#endif /* MTP_PORT_MAPPER_HELPER_H */
