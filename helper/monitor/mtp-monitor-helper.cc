/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "mtp-monitor-helper.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <fstream>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpMonitorHelper");

MtpMonitorHelper::MtpMonitorHelper()
{
    m_factory.SetTypeId(MtpMonitor::GetTypeId());
}

void
MtpMonitorHelper::SetMonitorAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

Ptr<MtpMonitor>
MtpMonitorHelper::Install(Ptr<Node> node)
{
    Ptr<MtpMonitor> m = m_factory.Create<MtpMonitor>();
    NS_ABORT_MSG_UNLESS(m->Attach(node),
                        "MtpMonitorHelper::Install: node has no IPv4 or IPv6 layer "
                        "(install the Internet stack first)");
    m_monitors.push_back(m);
    m_nodeIds.push_back(node->GetId());
    return m;
}

std::vector<Ptr<MtpMonitor>>
MtpMonitorHelper::Install(const NodeContainer& nodes)
{
    std::vector<Ptr<MtpMonitor>> out;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        out.push_back(Install(*it));
    }
    return out;
}

const std::vector<Ptr<MtpMonitor>>&
MtpMonitorHelper::GetMonitors() const
{
    return m_monitors;
}

bool
MtpMonitorHelper::WriteCsv(const std::string& path) const
{
    std::ofstream out(path);
    if (!out)
    {
        return false;
    }
    for (size_t i = 0; i < m_monitors.size(); ++i)
    {
        std::ostringstream csv;
        m_monitors[i]->WriteCsv(csv);
        std::istringstream lines(csv.str());
        std::string line;
        bool header = true;
        while (std::getline(lines, line))
        {
            if (header)
            {
                if (i == 0)
                {
                    out << "node," << line << "\n";
                }
                header = false;
                continue;
            }
            out << m_nodeIds[i] << "," << line << "\n";
        }
    }
    return bool(out);
}

bool
MtpMonitorHelper::WriteXml(const std::string& path) const
{
    std::ofstream out(path);
    if (!out)
    {
        return false;
    }
    out << "<?xml version=\"1.0\" ?>\n<MtpMonitors>\n";
    for (size_t i = 0; i < m_monitors.size(); ++i)
    {
        m_monitors[i]->WriteXml(out, 2, m_nodeIds[i]);
    }
    out << "</MtpMonitors>\n";
    return bool(out);
}

void
MtpMonitorHelper::CloseAll()
{
    for (const Ptr<MtpMonitor>& m : m_monitors)
    {
        m->Close();
    }
}

} // namespace ns3
