/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Softirq steering policies of MTP's host model: which core runs the
 * protocol processing (softirq work) of a batch of packets that GRO handed
 * off.  Each policy is an ns-3 Object with its own TypeId and Attributes, a
 * strategy that MtpHostModel holds through its "Steering" Attribute (as
 * ns-3's TCP holds its congestion control, TcpCongestionOps).
 *
 * Design notes
 * ------------
 * The policies are clock-free: MtpHostModel passes the current time and the
 * state of every core (MtpCoreState, which the model keeps up to date) to
 * Select(), so the decisions are unit tested without a simulator
 * (test/host/mtp-host-logic-gtest.cc).  A policy learns the host's core
 * count once, when a model attaches it (Attach); it may keep state between
 * decisions (gen2 rotates among busy cores), so every host model needs its
 * own policy object: attaching one object to a second model is an error.
 *
 *  - MtpSameCoreSteering: the GRO core itself (Homa's HOMA_GRO_SAME_CORE).
 *  - MtpGen2Steering: Homa's gen2, its default: the first of the next
 *    CoresToCheck cores that has no softirq backlog and did no GRO work
 *    within GroBusyTime; if every one is busy, rotate among them.
 *  - MtpGen3Steering: Homa's gen3: each GRO core has up to three fixed
 *    candidate cores (Candidates); the first that ran no application work
 *    within BusyTime wins, else the first candidate.
 */

#ifndef MTP_STEERING_POLICY_H
#define MTP_STEERING_POLICY_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <boost/container/static_vector.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-host
 * \brief What a steering policy may know about one core.
 */
struct MtpCoreState
{
    /// A time long before any simulation starts: "never happened".
    static Time Never()
    {
        return Seconds(-1000);
    }

    Time lastGro = Never();       //!< end of the last GRO (NAPI poll) work on the core
    Time lastAppActive = Never(); //!< end of the last application work on the core
    uint32_t softirqBacklog = 0;  //!< softirq batches queued on or running on the core
};

/**
 * \ingroup mtp-host
 * \brief Chooses the core that runs a GRO batch's softirq processing.
 *
 * The base of the steering strategies; MtpHostModel's "Steering" Attribute
 * holds one.  A subclass implements Select() and GetName(), and DoAttach()
 * if it needs the core count.
 */
class MtpSteeringPolicy : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    ~MtpSteeringPolicy() override;

    /**
     * \brief A host model takes this policy for its `numCores` cores
     *        (before its first Select).  Attaching the same object to a
     *        second model is a fatal error: policies keep per-host state.
     * \param host the model (only its identity is kept)
     * \param numCores cores on the host (>= 1)
     */
    void Attach(const Object* host, uint32_t numCores);

    /**
     * \param groCore the core that ran GRO for the batch
     * \param cores the state of every core
     * \param now the current time
     * \return the softirq core (an index into cores)
     */
    virtual uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) = 0;

    /** \return the policy's short name ("same", "gen2", "gen3"), for reports */
    virtual std::string GetName() const = 0;

  protected:
    /**
     * \brief The core count is known: size per-core state, resolve tables.
     *        Called by Attach; the default does nothing.
     * \param numCores cores on the host
     */
    virtual void DoAttach(uint32_t numCores);

  private:
    const Object* m_host = nullptr; //!< the model this policy serves (identity only, not owned)
};

/**
 * \ingroup mtp-host
 * \brief Softirq on the GRO core itself (Homa's HOMA_GRO_SAME_CORE alone).
 */
class MtpSameCoreSteering : public MtpSteeringPolicy
{
  public:
    /** \return the TypeId (no Attributes) */
    static TypeId GetTypeId();

    uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) override;
    std::string GetName() const override;
};

/**
 * \ingroup mtp-host
 * \brief Homa's gen2 steering: the first idle core among the next few.
 */
class MtpGen2Steering : public MtpSteeringPolicy
{
  public:
    /** \return the TypeId, with Attributes CoresToCheck and GroBusyTime */
    static TypeId GetTypeId();

    uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) override;
    std::string GetName() const override;

  protected:
    void DoAttach(uint32_t numCores) override;

  private:
    uint32_t m_coresToCheck;         //!< window of candidates after the GRO core (Attribute)
    Time m_groBusyTime;              //!< recent-GRO threshold (Attribute)
    std::vector<uint32_t> m_offsets; //!< per GRO core: rotation when every candidate is busy
};

/**
 * \ingroup mtp-host
 * \brief Homa's gen3 steering: fixed candidates, avoid cores running applications.
 */
class MtpGen3Steering : public MtpSteeringPolicy
{
  public:
    /// Most candidate softirq cores per GRO core (Homa's NUM_GEN3_SOFTIRQ_CORES).
    static constexpr std::size_t MAX_CANDIDATES = 3;
    /// The candidates of one GRO core, preferred first.
    using Candidates = boost::container::static_vector<uint32_t, MAX_CANDIDATES>;

    /** \return the TypeId, with Attributes BusyTime and Candidates */
    static TypeId GetTypeId();

    /**
     * \brief Homa-like default table: GRO core g offers g+1, g+2, g+3 (mod numCores,
     *        never g itself, at most numCores-1 of them).
     * \param numCores cores on the host
     * \return the table
     */
    static std::vector<Candidates> DefaultTable(uint32_t numCores);

    /**
     * \brief Parse "g:a,b,c;g2:d,e" (GRO core, colon, up to three candidates).
     * \param spec the text (empty: DefaultTable)
     * \param numCores cores on the host (every number must be below it)
     * \param[out] table the result
     * \return false (table untouched) if the text is malformed
     */
    static bool Parse(const std::string& spec, uint32_t numCores, std::vector<Candidates>& table);

    /**
     * \brief Use `table` as it is, instead of the Candidates Attribute
     *        (for tests and programs that build the table themselves);
     *        setting Candidates later replaces it again.
     * \param table candidates per GRO core (index = GRO core); a GRO core
     *        without an entry (or an empty one) keeps its batches
     */
    void SetTable(std::vector<Candidates> table);

    /** \return the candidates per GRO core in use (empty before Attach or SetTable) */
    const std::vector<Candidates>& GetTable() const;

    uint32_t Select(uint32_t groCore, const std::vector<MtpCoreState>& cores, Time now) override;
    std::string GetName() const override;

  protected:
    void DoAttach(uint32_t numCores) override;

  private:
    /** Attribute setter of Candidates: kept, and resolved now if the core count is known. */
    void SetSpec(std::string spec);
    /** Attribute getter of Candidates. */
    std::string GetSpec() const;
    /** Turn m_spec into m_table for m_numCores cores; a malformed spec is fatal. */
    void Resolve();

    std::string m_spec;              //!< candidate table text (Attribute Candidates)
    Time m_busyTime;                 //!< recent-application-work threshold (Attribute)
    uint32_t m_numCores = 0;         //!< cores on the host (0: not attached yet)
    bool m_explicit = false;         //!< m_table came from SetTable, not from m_spec
    bool m_ready = false;            //!< m_table is set (by Attach, Resolve or SetTable)
    std::vector<Candidates> m_table; //!< candidates per GRO core
};

} // namespace ns3

#endif /* MTP_STEERING_POLICY_H */
