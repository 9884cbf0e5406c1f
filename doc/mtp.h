/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Doxygen groups of the mtp module, one per subsystem (as ns-3 modules keep
 * theirs in doc/<module>.h).  Not compiled; each subsystem is one folder of
 * model/, helper/ and test/.
 */

/**
 * \defgroup mtp MTP module
 *
 * MTP, a Homa-style receiver-driven message transport, and the host, IPN,
 * datacenter and emulation models around it.  See doc/mtp.rst for a map of
 * the folders.
 */

/**
 * \defgroup mtp-transport MTP transport
 * \ingroup mtp
 *
 * model/transport/, helper/transport/: the wire format, MtpL4Protocol (IP
 * plumbing, ports, ICMP, Attributes), the stack registry, sockets and their
 * RPC tables, RPC and message state, the grant scheduler, the pacer, metrics
 * and errors.
 */

/**
 * \defgroup mtp-stacks MTP transport stacks
 * \ingroup mtp
 *
 * model/stacks/: the engines a socket may select by name (FreeBSD
 * tcp_functions semantics): homa (the default), unsched, phost.
 */

/**
 * \defgroup mtp-host Host model
 * \ingroup mtp
 *
 * model/host/, helper/host/: the CPU side of a host (NIC queues, RSS,
 * coalescing, GRO, softirq and application cores, steering policies) behind
 * the MtpHostPath interface.
 */

/**
 * \defgroup mtp-fabric Datacenter fabric kit
 * \ingroup mtp
 *
 * model/fabric/, helper/fabric/: topologies, fabric routing, priority port
 * queues, workload size distributions and applications.  Protocol-neutral:
 * TCP uses them as MTP does.
 */

/**
 * \defgroup mtp-sim Simulation engine
 * \ingroup mtp
 *
 * model/sim/: pieces of the simulator itself rather than of a network
 * model: MtpHeapScheduler, a 4-ary heap event list that runs events in
 * the order of ns-3's schedulers, faster.
 */

/**
 * \defgroup mtp-ipn Inter Process Networking
 * \ingroup mtp
 *
 * model/ipn/, helper/ipn/: many-to-many local networks that processes join
 * through sockets, with hub, switch and L3 switch policies.
 */

/**
 * \defgroup mtp-emu Emulation
 * \ingroup mtp
 *
 * model/emu/, helper/emu/: real-time runs over real interfaces (veth, tap).
 */

/**
 * \defgroup mtp-portmap Port mapper
 * \ingroup mtp
 *
 * model/portmap/, helper/portmap/: Linux iWARP port mapper (iwpm)
 * semantics: a per-node MtpPortMapper (the kernel side), an
 * MtpPortMapperDaemon application (iwpmd, UDP 3935) per node that maps, the
 * clock-free mapping table and message format.  See doc/port-mapper.rst.
 */

/**
 * \defgroup mtp-monitor Passive monitors
 * \ingroup mtp
 *
 * model/monitor/, helper/monitor/: mOS-style monitor sockets on any node
 * that watch MTP RPCs and TCP connections from the IP layer's traces,
 * rebuild their state from headers and raise events, without changing the
 * simulation (doc/monitor.rst).
 */
