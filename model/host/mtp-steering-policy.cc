/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Sources of the defaults (see also doc/host-model.rst): CoresToCheck 4,
 * GroBusyTime 5 us and BusyTime 100 us are HomaModule's defaults
 * (homa_offload.c: CORES_TO_CHECK; homa_init: gro_busy_usecs, busy_usecs);
 * the default gen3 table (g+1, g+2, g+3) is our estimate, in the shape of
 * Homa's gen3_softirq_cores sysctl.
 */

#include "ns3/mtp-steering-policy.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cstdlib>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpSteeringPolicy");

NS_OBJECT_ENSURE_REGISTERED(MtpSteeringPolicy);
NS_OBJECT_ENSURE_REGISTERED(MtpSameCoreSteering);
NS_OBJECT_ENSURE_REGISTERED(MtpGen2Steering);
NS_OBJECT_ENSURE_REGISTERED(MtpGen3Steering);

// ---------------------------------------------------------------------------
// The strategy interface
// ---------------------------------------------------------------------------

TypeId
MtpSteeringPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpSteeringPolicy").SetParent<Object>().SetGroupName("Mtp");
    return tid;
}

MtpSteeringPolicy::~MtpSteeringPolicy() = default;

void
MtpSteeringPolicy::Attach(const Object* host, uint32_t numCores)
{
    NS_LOG_FUNCTION(this << host << numCores);
    NS_ABORT_MSG_IF(m_host && m_host != host,
                    GetInstanceTypeId().GetName()
                        << ": this policy object already serves another host model; give each "
                           "model its own (MtpHostModelHelper::SetSteering creates one per model)");
    NS_ABORT_MSG_IF(numCores == 0, GetInstanceTypeId().GetName() << ": a host needs a core");
    m_host = host;
    DoAttach(numCores);
}

void
MtpSteeringPolicy::DoAttach(uint32_t numCores)
{
}

// ---------------------------------------------------------------------------
// Same core
// ---------------------------------------------------------------------------

TypeId
MtpSameCoreSteering::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MtpSameCoreSteering")
                            .SetParent<MtpSteeringPolicy>()
                            .SetGroupName("Mtp")
                            .AddConstructor<MtpSameCoreSteering>();
    return tid;
}

uint32_t
MtpSameCoreSteering::Select(uint32_t groCore, const std::vector<MtpCoreState>&, Time)
{
    return groCore;
}

std::string
MtpSameCoreSteering::GetName() const
{
    return "same";
}

// ---------------------------------------------------------------------------
// Homa's gen2
// ---------------------------------------------------------------------------

TypeId
MtpGen2Steering::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpGen2Steering")
            .SetParent<MtpSteeringPolicy>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpGen2Steering>()
            .AddAttribute("CoresToCheck",
                          "Cores after the GRO core examined for an idle one (Homa's "
                          "CORES_TO_CHECK, 4).",
                          UintegerValue(4),
                          MakeUintegerAccessor(&MtpGen2Steering::m_coresToCheck),
                          MakeUintegerChecker<uint32_t>(1, 1024))
            .AddAttribute("GroBusyTime",
                          "A core that did GRO work this recently is busy (Homa's "
                          "gro_busy_usecs, 5 us).",
                          TimeValue(MicroSeconds(5)),
                          MakeTimeAccessor(&MtpGen2Steering::m_groBusyTime),
                          MakeTimeChecker(Time(0)));
    return tid;
}

void
MtpGen2Steering::DoAttach(uint32_t numCores)
{
    m_offsets.assign(numCores, 0);
}

uint32_t
MtpGen2Steering::Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now)
{
    const uint32_t n = cores.size();
    if (n <= 1)
    {
        return 0;
    }
    for (uint32_t i = 1; i <= m_coresToCheck; ++i)
    {
        uint32_t c = (groCore + i) % n;
        const MtpCoreState& s = cores[c];
        if (s.softirqBacklog == 0 && s.lastGro + m_groBusyTime <= now)
        {
            return c;
        }
    }
    // Every candidate is busy: rotate among them so that none is overloaded alone.
    if (m_offsets.size() < n)
    {
        m_offsets.resize(n, 0);
    }
    uint32_t& off = m_offsets[groCore];
    off = off % m_coresToCheck + 1;
    return (groCore + off) % n;
}

std::string
MtpGen2Steering::GetName() const
{
    return "gen2";
}

// ---------------------------------------------------------------------------
// Homa's gen3
// ---------------------------------------------------------------------------

TypeId
MtpGen3Steering::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpGen3Steering")
            .SetParent<MtpSteeringPolicy>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpGen3Steering>()
            .AddAttribute("BusyTime",
                          "A core that ran application work this recently is busy (Homa's "
                          "busy_usecs, 100 us).",
                          TimeValue(MicroSeconds(100)),
                          MakeTimeAccessor(&MtpGen3Steering::m_busyTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("Candidates",
                          "Candidate softirq cores per GRO core, preferred first, as "
                          "\"g:a,b,c;g2:d,e\" (at most three each; Homa's gen3_softirq_cores); "
                          "a GRO core without an entry keeps its batches. Empty: GRO core g "
                          "offers g+1, g+2, g+3 (mod the host's NumCores). Checked against "
                          "the host's core count when a model attaches the policy.",
                          StringValue(""),
                          MakeStringAccessor(&MtpGen3Steering::SetSpec, &MtpGen3Steering::GetSpec),
                          MakeStringChecker());
    return tid;
}

std::vector<MtpGen3Steering::Candidates>
MtpGen3Steering::DefaultTable(uint32_t numCores)
{
    std::vector<Candidates> t(numCores);
    for (uint32_t g = 0; g < numCores; ++g)
    {
        for (uint32_t k = 1; k <= MAX_CANDIDATES && k < numCores; ++k)
        {
            t[g].push_back((g + k) % numCores);
        }
    }
    return t;
}

bool
MtpGen3Steering::Parse(const std::string& spec, uint32_t numCores, std::vector<Candidates>& table)
{
    if (spec.empty())
    {
        table = DefaultTable(numCores);
        return true;
    }
    std::vector<Candidates> t(numCores);
    std::istringstream entries(spec);
    std::string entry;
    while (std::getline(entries, entry, ';'))
    {
        if (entry.empty())
        {
            continue;
        }
        std::size_t colon = entry.find(':');
        if (colon == std::string::npos)
        {
            return false;
        }
        char* end = nullptr;
        unsigned long g = std::strtoul(entry.c_str(), &end, 10);
        if (end != entry.c_str() + colon || g >= numCores)
        {
            return false;
        }
        Candidates c;
        std::istringstream list(entry.substr(colon + 1));
        std::string num;
        while (std::getline(list, num, ','))
        {
            unsigned long v = std::strtoul(num.c_str(), &end, 10);
            if (num.empty() || *end != '\0' || v >= numCores || c.size() == MAX_CANDIDATES)
            {
                return false;
            }
            c.push_back(static_cast<uint32_t>(v));
        }
        t[g] = c;
    }
    table = std::move(t);
    return true;
}

void
MtpGen3Steering::SetSpec(std::string spec)
{
    m_spec = spec;
    m_explicit = false;
    if (m_numCores > 0)
    {
        Resolve();
    }
}

std::string
MtpGen3Steering::GetSpec() const
{
    return m_spec;
}

void
MtpGen3Steering::Resolve()
{
    std::vector<Candidates> table;
    NS_ABORT_MSG_UNLESS(Parse(m_spec, m_numCores, table),
                        "MtpGen3Steering: bad Candidates \""
                            << m_spec << "\" for " << m_numCores
                            << " cores (want \"g:a,b,c;g2:d,e\", at most " << MAX_CANDIDATES
                            << " candidates per GRO core, every core below " << m_numCores << ")");
    m_table = std::move(table);
    m_ready = true;
}

void
MtpGen3Steering::DoAttach(uint32_t numCores)
{
    m_numCores = numCores;
    if (!m_explicit)
    {
        Resolve();
        return;
    }
    for (const Candidates& c : m_table)
    {
        for (uint32_t core : c)
        {
            NS_ABORT_MSG_IF(core >= numCores,
                            "MtpGen3Steering: candidate core " << core << " of the table given to "
                                                               << "SetTable, but the host has "
                                                               << numCores << " cores");
        }
    }
}

void
MtpGen3Steering::SetTable(std::vector<Candidates> table)
{
    m_table = std::move(table);
    m_explicit = true;
    m_ready = true;
}

const std::vector<MtpGen3Steering::Candidates>&
MtpGen3Steering::GetTable() const
{
    return m_table;
}

uint32_t
MtpGen3Steering::Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now)
{
    NS_ABORT_MSG_UNLESS(m_ready, "MtpGen3Steering: Select before Attach or SetTable");
    if (groCore >= m_table.size() || m_table[groCore].empty())
    {
        return groCore;
    }
    const Candidates& c = m_table[groCore];
    for (uint32_t core : c)
    {
        if (core < cores.size() && cores[core].lastAppActive + m_busyTime <= now)
        {
            return core;
        }
    }
    return c.front();
}

std::string
MtpGen3Steering::GetName() const
{
    return "gen3";
}

} // namespace ns3
