/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-event-loop-benchmark: how fast ns-3's bare event loop runs on this
 * machine (a benchmark, not a test).  It is the yardstick for the
 * simulations: benchmarks/datacenter-benchmark.sh divides a run's events per
 * CPU second by this program's, so a figure of 10% says that 90% of the
 * run's time goes to the models (packets, headers, queues, traces) rather
 * than to the scheduler.
 *
 * What runs: `--chains` independent event chains, each of which, when its
 * event fires, counts it and schedules its next event through
 * Simulator::Schedule after a random delay drawn uniformly from
 * [1 ns, `--maxDelay`].  So `--chains` events are pending at all times, as
 * in a datacenter simulation (packets in flight on links and in queues,
 * timers), and the scheduler works on a population of that size.  The run
 * stops after `--events` events.  The delays come from a small inline
 * generator (splitmix64, seeded by `--seed`), not from ns-3's random
 * variables, so that the loop measures the scheduler and the event
 * dispatch only.
 *
 * `--scheduler` picks the scheduler with the names mtp-datacenter takes
 * (ns-3's map, heap, calendar, list, and mtp-heap for the module's
 * MtpHeapScheduler); the default, heap, is mtp-datacenter's default.
 *
 * Output: one machine-readable line on stdout, in the shape of the lines
 * mtp-datacenter writes to run.txt (the first fields at the same places):
 *
 *   event-loop wall_s W cpu_s C events E events_per_s R peak_rss_mb M sim_s S
 *       events_per_cpu_s Q chains N scheduler X
 *
 * events_per_s is per wall second (as in run.txt); events_per_cpu_s per CPU
 * second, the figure the benchmark script compares.  Only the wall-clock,
 * CPU and memory figures vary between runs: the event count and the
 * simulated time are a function of the arguments.
 *
 * e.g.  mtp-event-loop-benchmark --chains=10000 --events=20000000
 */

#include "ns3/core-module.h"
#include "ns3/mtp-heap-scheduler.h"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpEventLoopBenchmark");

namespace
{

/** \return the process's CPU time (user + system) so far, seconds */
double
CpuSeconds()
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
    {
        return 0;
    }
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/** \return the process's peak resident set size so far, KiB (Linux) */
long
PeakRssKiB()
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
    {
        return 0;
    }
    return ru.ru_maxrss;
}

/**
 * The population of event chains: what every event does is here, kept as
 * small as an event can be (count, draw a delay, reschedule).
 */
class EventChains
{
  public:
    /**
     * \param maxDelayNs largest delay between two events of a chain, ns (>= 1)
     * \param events events to execute before the simulation stops (>= 1)
     * \param seed seed of the delay generator
     */
    EventChains(uint64_t maxDelayNs, uint64_t events, uint64_t seed)
        : m_maxDelayNs(maxDelayNs),
          m_target(events),
          m_state(seed)
    {
    }

    /**
     * Schedule the first event of each of `chains` chains.
     * \param chains number of chains (events pending at any time)
     */
    void Start(uint32_t chains)
    {
        for (uint32_t i = 0; i < chains; ++i)
        {
            Simulator::Schedule(NextDelay(), &EventChains::Fire, this);
        }
    }

    /** \return events executed so far */
    uint64_t GetFired() const
    {
        return m_fired;
    }

  private:
    /** One event: count it, stop at the target, else schedule the next. */
    void Fire()
    {
        if (++m_fired == m_target)
        {
            Simulator::Stop();
            return;
        }
        Simulator::Schedule(NextDelay(), &EventChains::Fire, this);
    }

    /** \return a delay uniform in [1 ns, m_maxDelayNs] (splitmix64) */
    Time NextDelay()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        return NanoSeconds(static_cast<int64_t>(1 + z % m_maxDelayNs));
    }

    uint64_t m_maxDelayNs; //!< upper bound of a delay, ns
    uint64_t m_target;     //!< events after which the run stops
    uint64_t m_state;      //!< splitmix64 state: the delays are reproducible
    uint64_t m_fired = 0;  //!< events executed so far
};

/** \return true if `name` is one of the schedulers mtp-datacenter accepts */
bool
KnownScheduler(const std::string& name)
{
    return name == "map" || name == "heap" || name == "calendar" || name == "list" ||
           name == "mtp-heap";
}

/**
 * \param name a known scheduler name (KnownScheduler)
 * \return its TypeId name: "ns3::MtpHeapScheduler" for mtp-heap, else
 *         "ns3::" + the name capitalized + "Scheduler" (ns-3's)
 */
std::string
SchedulerTypeId(const std::string& name)
{
    if (name == "mtp-heap")
    {
        // Through the class, not a string: links this program to it.
        return MtpHeapScheduler::GetTypeId().GetName();
    }
    std::string typeName = name;
    typeName[0] = static_cast<char>(std::toupper(typeName[0]));
    return "ns3::" + typeName + "Scheduler";
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t chains = 10000;
    uint64_t events = 20000000;
    Time maxDelay = MicroSeconds(1);
    uint64_t seed = 1;
    std::string scheduler = "mtp-heap"; // mtp-datacenter's default

    CommandLine cmd(__FILE__);
    cmd.AddValue("chains", "event chains, i.e. events pending at any time (>= 1)", chains);
    cmd.AddValue("events", "events to execute (>= 1)", events);
    cmd.AddValue("maxDelay", "largest delay between two events of a chain (>= 1 ns)", maxDelay);
    cmd.AddValue("seed", "seed of the delay generator", seed);
    cmd.AddValue("scheduler", "event scheduler: map, heap, calendar, list or mtp-heap", scheduler);
    cmd.Parse(argc, argv);

    if (chains == 0 || events == 0 || maxDelay < NanoSeconds(1) || !KnownScheduler(scheduler))
    {
        std::cerr << "mtp-event-loop-benchmark: need --chains >= 1, --events >= 1, "
                     "--maxDelay >= 1ns and --scheduler map, heap, calendar, list or mtp-heap\n";
        return 2;
    }

    ObjectFactory sched;
    sched.SetTypeId(SchedulerTypeId(scheduler));
    Simulator::SetScheduler(sched);

    EventChains loop(static_cast<uint64_t>(maxDelay.GetNanoSeconds()), events, seed);
    loop.Start(chains);

    uint64_t events0 = Simulator::GetEventCount();
    double c0 = CpuSeconds();
    auto w0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto w1 = std::chrono::steady_clock::now();
    double cpu = CpuSeconds() - c0;
    double wall = std::chrono::duration<double>(w1 - w0).count();
    uint64_t executed = Simulator::GetEventCount() - events0;
    double simSeconds = Simulator::Now().GetSeconds();
    Simulator::Destroy();

    if (loop.GetFired() != events)
    {
        std::cerr << "mtp-event-loop-benchmark: ran " << loop.GetFired() << " events of " << events
                  << "\n";
        return 1;
    }
    std::cout << "event-loop wall_s " << wall << " cpu_s " << cpu << " events " << executed
              << " events_per_s " << executed / std::max(wall, 1e-9) << " peak_rss_mb "
              << PeakRssKiB() / 1024 << " sim_s " << simSeconds << " events_per_cpu_s "
              << executed / std::max(cpu, 1e-9) << " chains " << chains << " scheduler "
              << scheduler << "\n";
    return 0;
}
