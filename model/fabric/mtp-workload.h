/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMessageSizeDistribution: a message-size distribution read from a text
 * file, sampled with an ns-3 random stream (so a run is a function of its
 * seed, run number and stream index).
 *
 * File format (data/workloads/w1.cdf ... w5.cdf are examples):
 *   - one "size_bytes cumulative_probability" pair per line;
 *   - '#' starts a comment (whole line or rest of line); blank lines ignored;
 *   - sizes strictly increasing, probabilities non-decreasing in [0, 1], the
 *     last one exactly 1 (within 1e-9).
 * Each line is a point mass: P(size = s_i) = c_i - c_{i-1} (c_0 = 0), as in
 * HomaModule's util/dist.cc; sizes between two lines are never drawn.
 * scripts/make-workload-cdf.py converts a "length weight" table into this
 * format.
 *
 * Names: "w1".."w5" (or any name) resolve to <data dir>/workloads/<name>.cdf,
 * where <data dir> is $MTP_DATA_DIR if set, else the source tree's data/
 * directory compiled in (MTP_DATA_DIR definition); a name containing '/' or
 * ending in ".cdf" is a path.
 *
 * Cap: SetMaxSize(m) moves the mass of every size above m onto m, as
 * HomaModule's dist_point_gen does with the maximum message length (MTP's
 * messages are at most 1,000,000 bytes; W4 and W5 go up to 10 and 29.4 MB).
 * The mean and the sampler both use the capped distribution, so a workload
 * app that sets its rate from the mean still offers the requested load.
 */

#ifndef MTP_WORKLOAD_H
#define MTP_WORKLOAD_H

#include "ns3/object.h"
#include "ns3/random-variable-stream.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-fabric
 * \brief Message sizes from a cumulative-distribution file (see file comment).
 */
class MtpMessageSizeDistribution : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpMessageSizeDistribution();
    ~MtpMessageSizeDistribution() override;

    /**
     * \brief Resolve a workload name to a file path (see file comment).
     * \param name "w5", or a path
     * \return the path (not checked for existence)
     */
    static std::string ResolvePath(const std::string& name);

    /** \return the data directory: $MTP_DATA_DIR, else the compiled-in one */
    static std::string GetDataDir();

    /**
     * \brief Load a distribution by name or path; fatal error on a missing or
     *        malformed file (the message says which line and why).
     * \param name see ResolvePath
     */
    void Load(const std::string& name);

    /**
     * \brief Parse a distribution from text.
     * \param text the file contents
     * \param origin name for error messages
     * \param[out] error why parsing failed
     * \return true on success (the distribution is replaced), false otherwise
     */
    bool Parse(const std::string& text, const std::string& origin, std::string& error);

    /**
     * \brief Cap sizes at `maxSize` (0 = no cap); see the file comment.
     * \param maxSize the largest size to draw
     */
    void SetMaxSize(uint32_t maxSize);

    /** \return the largest size that can be drawn */
    uint32_t GetMaxSize() const;
    /** \return the smallest size that can be drawn */
    uint32_t GetMinSize() const;
    /** \return the mean size in bytes (of the capped distribution) */
    double GetMean() const;
    /** \return the name or path the distribution was loaded from */
    std::string GetName() const;

    /**
     * \param p a probability in [0, 1)
     * \return the smallest size whose cumulative probability exceeds p
     */
    uint32_t Quantile(double p) const;

    /** \return a size drawn from the distribution */
    uint32_t Sample();

    /** \return the (capped) points: sizes */
    const std::vector<uint32_t>& GetSizes() const;
    /** \return the (capped) points: cumulative probabilities */
    const std::vector<double>& GetCdf() const;

    /**
     * \brief Use a fixed stream of the random number generator.
     * \param stream first stream index
     * \return number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

  private:
    /** Rebuild the capped points from the raw ones. */
    void ApplyCap();

    std::string m_name;                   //!< where it came from
    std::vector<uint32_t> m_rawSizes;     //!< sizes as read
    std::vector<double> m_rawCdf;         //!< cumulative probabilities as read
    std::vector<uint32_t> m_sizes;        //!< sizes after the cap
    std::vector<double> m_cdf;            //!< cumulative probabilities after the cap
    uint32_t m_maxSize = 0;               //!< cap (0 = none)
    double m_mean = 0;                    //!< mean of the capped distribution
    Ptr<UniformRandomVariable> m_uniform; //!< the draws
};

} // namespace ns3

#endif /* MTP_WORKLOAD_H */
