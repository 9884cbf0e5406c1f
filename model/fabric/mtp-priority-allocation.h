/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpComputePriorityAllocation: the Homa paper's priority allocation for a
 * workload (Montazeri et al., SIGCOMM 2018, Section 3.4), as the cutoffs
 * string of MtpL4Protocol::UnschedCutoffs.  Clock-free: a function of the
 * message-size distribution and three numbers, so it is unit tested without
 * a simulation and mtp-datacenter --cutoffs=auto calls it before one.
 *
 * The rule, for a distribution of point masses P(size = s_i) = p_i:
 *   - unscheduled bytes of a message: min(size, unschedBytes) (RTTbytes);
 *     the unscheduled fraction f = sum p_i min(s_i, unschedBytes) /
 *     sum p_i s_i, the share of all bytes sent before any grant;
 *   - unscheduled levels: f of the levels, rounded to the nearest, at least
 *     1 and, with more than one level, at most numPriorities - 1 (MTP keeps
 *     the lowest level for scheduled packets, see MtpL4Protocol::ApplyConfig);
 *   - cutoffs: level k (k = 1 the highest) takes the messages up to cutoff k;
 *     cutoff k is the distribution's size whose cumulative unscheduled bytes
 *     are nearest k/L of the total (L unscheduled levels), so each level
 *     carries about the same unscheduled bytes and shorter messages get
 *     higher levels; the last cutoff is the maximum message length.
 * A boundary that lands on the same size as the previous one would leave a
 * level empty (MTP's cutoffs must increase strictly): it is dropped and the
 * level goes to scheduled packets, so a distribution of few sizes yields
 * fewer unscheduled levels than f alone asks for.
 */

#ifndef MTP_PRIORITY_ALLOCATION_H
#define MTP_PRIORITY_ALLOCATION_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class MtpMessageSizeDistribution;

/**
 * \ingroup mtp-fabric
 * \brief A workload's priority allocation (see the file comment).
 */
struct MtpPriorityAllocation
{
    double unschedFraction = 0;      //!< f: unscheduled bytes over all bytes, in [0, 1]
    uint32_t proportionalLevels = 0; //!< levels f asks for (before empty ones are dropped)
    uint32_t unschedLevels = 0;      //!< unscheduled levels in use (= cutoffs.size())
    uint32_t schedLevels = 0;        //!< the remaining lower levels, for scheduled packets
    std::vector<uint32_t> cutoffs;   //!< strictly increasing message lengths, highest level first
    std::vector<double> levelShare;  //!< fraction of the unscheduled bytes each level carries

    /** \return the cutoffs as MtpL4Protocol::UnschedCutoffs wants them: "a,b,c" */
    std::string CutoffsString() const;
};

/**
 * \brief Compute the Homa paper's priority allocation for a distribution.
 * \param sizes the distribution's sizes, strictly increasing, each at most
 *        maxMessageLength (cap the distribution first)
 * \param cdf cumulative probabilities of those sizes, non-decreasing, last 1
 * \param unschedBytes bytes of a message sent before any grant (RTTbytes), >= 1
 * \param numPriorities priority levels, 1..8
 * \param maxMessageLength largest message length, >= the largest size
 * \param[out] out the allocation (left unchanged on error)
 * \param[out] error why the input was refused
 * \return true on success
 */
bool MtpComputePriorityAllocation(const std::vector<uint32_t>& sizes,
                                  const std::vector<double>& cdf,
                                  uint32_t unschedBytes,
                                  uint32_t numPriorities,
                                  uint32_t maxMessageLength,
                                  MtpPriorityAllocation& out,
                                  std::string& error);

/**
 * \brief The same for a loaded (and capped) distribution.
 * \param dist the distribution, after MtpMessageSizeDistribution::SetMaxSize
 * \param unschedBytes see above
 * \param numPriorities see above
 * \param maxMessageLength see above
 * \param[out] out the allocation
 * \param[out] error why the input was refused
 * \return true on success
 */
bool MtpComputePriorityAllocation(const MtpMessageSizeDistribution& dist,
                                  uint32_t unschedBytes,
                                  uint32_t numPriorities,
                                  uint32_t maxMessageLength,
                                  MtpPriorityAllocation& out,
                                  std::string& error);

/**
 * \brief Check a cutoffs list as MtpL4Protocol::UnschedCutoffs would, without
 *        its fatal error: comma-separated, strictly increasing lengths in
 *        1..maxMessageLength, 1 to 8 of them.
 * \param text the list, e.g. "200,2800,15000,1000000"
 * \param maxMessageLength the largest length allowed
 * \param[out] error why the list was refused
 * \return true when MtpL4Protocol accepts the list
 */
bool MtpCheckCutoffs(const std::string& text, uint32_t maxMessageLength, std::string& error);

} // namespace ns3

#endif /* MTP_PRIORITY_ALLOCATION_H */
