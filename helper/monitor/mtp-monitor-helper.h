/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMonitorHelper: installs passive monitors (MtpMonitor) on nodes, hosts or
 * switches, in the ns-3 helper idiom (SetMonitorAttribute, Install), keeps
 * them so a program can read or close them all, and writes their flow
 * records as CSV.  It hides the object factory and the attach step.
 */

#ifndef MTP_MONITOR_HELPER_H
#define MTP_MONITOR_HELPER_H

#include "ns3/attribute.h"
#include "ns3/mtp-monitor.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-monitor
 * \brief Installs MtpMonitor objects on nodes.
 */
class MtpMonitorHelper
{
  public:
    /** \brief A helper that makes STREAM monitors with default Attributes. */
    MtpMonitorHelper();

    /**
     * \brief Set an Attribute of the monitors made from now on (Kind, IdleTimeout ...).
     * \param name the Attribute
     * \param value its value
     */
    void SetMonitorAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \brief Install a monitor on a node (IPv4 and/or IPv6 layer must be there).
     * \param node the node
     * \return the monitor; aborts with a clear message if the node has no IP stack
     */
    Ptr<MtpMonitor> Install(Ptr<Node> node);
    /**
     * \brief Install a monitor on each node.
     * \param nodes the nodes
     * \return the monitors, in node order
     */
    std::vector<Ptr<MtpMonitor>> Install(const NodeContainer& nodes);
    /**
     * \brief Every monitor this helper installed.
     * \return them
     */
    const std::vector<Ptr<MtpMonitor>>& GetMonitors() const;
    /**
     * \brief Write the flow records of every monitor to a CSV file, with a leading
     *        "node" column.
     * \param path the file
     * \return false if the file cannot be written
     */
    bool WriteCsv(const std::string& path) const;
    /**
     * \brief Write the flow records of every monitor to an XML file: an MtpMonitors
     *        element holding each monitor's MtpMonitor element (MtpMonitor::WriteXml).
     * \param path the file
     * \return false if the file cannot be written
     */
    bool WriteXml(const std::string& path) const;
    /** \brief Close every monitor (callbacks unregistered, flows not ended). */
    void CloseAll();

  private:
    ObjectFactory m_factory;                 //!< makes the monitors
    std::vector<Ptr<MtpMonitor>> m_monitors; //!< every monitor installed
    std::vector<uint32_t> m_nodeIds;         //!< node id of each monitor
};

} // namespace ns3

#endif /* MTP_MONITOR_HELPER_H */
