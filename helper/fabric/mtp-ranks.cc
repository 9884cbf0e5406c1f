/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-ranks.h"

#include "ns3/global-value.h"
#include "ns3/string.h"

#ifdef MTP_HAVE_MPI
#include "ns3/mpi-interface.h"
#endif

#include <cstdlib>
#include <iostream>

namespace ns3
{

uint32_t
MtpRanks::LaunchedSize()
{
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    {
        const char* v = std::getenv(name);
        if (v && std::atoi(v) > 1)
        {
            return static_cast<uint32_t>(std::atoi(v));
        }
    }
    return 1;
}

bool
MtpRanks::Enter([[maybe_unused]] int* argc, [[maybe_unused]] char*** argv)
{
    uint32_t launched = LaunchedSize();
    if (launched == 1)
    {
        return true;
    }
#ifdef MTP_HAVE_MPI
    StringValue impl;
    GlobalValue::GetValueByName("SimulatorImplementationType", impl);
    if (impl.Get() == "ns3::DefaultSimulatorImpl")
    {
        GlobalValue::Bind("SimulatorImplementationType",
                          StringValue("ns3::DistributedSimulatorImpl"));
    }
    MpiInterface::Enable(argc, argv);
    return true;
#else
    std::cerr << "started as one of " << launched << " MPI processes, but this build has no "
              << "MPI support: build mtp inside ns-3 configured with --enable-mpi "
              << "(./ns3 mpi-build; doc/datacenter.rst)\n";
    return false;
#endif
}

uint32_t
MtpRanks::GetSize()
{
#ifdef MTP_HAVE_MPI
    if (MpiInterface::IsEnabled())
    {
        return MpiInterface::GetSize();
    }
#endif
    return 1;
}

uint32_t
MtpRanks::GetRank()
{
#ifdef MTP_HAVE_MPI
    if (MpiInterface::IsEnabled())
    {
        return MpiInterface::GetSystemId();
    }
#endif
    return 0;
}

void
MtpRanks::Leave()
{
#ifdef MTP_HAVE_MPI
    if (MpiInterface::IsEnabled())
    {
        MpiInterface::Disable();
    }
#endif
}

} // namespace ns3
