/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpRanks: entering and leaving ns-3's distributed simulator (the mpi
 * module) from a program that mpirun may have started several times.
 *
 * A program calls Enter() right after parsing its command line and
 * Leave() before it returns.  Enter() looks at the environment an MPI
 * launcher sets (OpenMPI's OMPI_COMM_WORLD_SIZE, MPICH's PMI_SIZE, PMIx's
 * PMIX_SIZE): with more than one process it selects
 * ns3::DistributedSimulatorImpl (unless --SimulatorImplementationType named
 * another, e.g. ns3::NullMessageSimulatorImpl) and enables MPI; otherwise
 * it does nothing, so the same program runs as one process without MPI.
 * In a build without MPI (Debian's libns3; MTP_HAVE_MPI undefined) a start
 * by mpirun with several processes is refused with a message, so that N
 * copies do not each simulate everything and overwrite each other's files.
 */

#ifndef MTP_RANKS_H
#define MTP_RANKS_H

#include <cstdint>

namespace ns3
{

/**
 * \ingroup mtp-fabric
 * \brief Enter and leave a distributed (MPI) run; see the file comment.
 */
class MtpRanks
{
  public:
    /**
     * \return the number of processes an MPI launcher started together
     *         with this one, from its environment (1 if none)
     */
    static uint32_t LaunchedSize();

    /**
     * \brief Under an MPI launcher with several processes, make this
     *        process one rank of ns-3's distributed simulator.  Call before
     *        anything uses the Simulator.
     * \param argc main's argc (MPI may consume arguments)
     * \param argv main's argv
     * \return false, after saying why on stderr, when this build has no MPI
     */
    static bool Enter(int* argc, char*** argv);

    /** \return the number of ranks (1 unless Enter entered MPI) */
    static uint32_t GetSize();

    /** \return this process's rank (0 unless Enter entered MPI) */
    static uint32_t GetRank();

    /** \brief Leave MPI, if Enter entered it (after Simulator::Destroy). */
    static void Leave();
};

} // namespace ns3

#endif /* MTP_RANKS_H */
