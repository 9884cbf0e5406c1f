/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Datacenter topologies for MTP experiments: the Homa paper's leaf-spine
 * (MtpLeafSpineHelper) and a k-ary fat tree (MtpFatTreeHelper).
 *
 * What a helper builds
 * --------------------
 *  - nodes: hosts first (GetHosts()), then switches (GetSwitches());
 *  - point-to-point links, each its own /30 IPv4 subnet (10.x.y.z), the
 *    Internet stack on every node and MTP (MtpStackHelper) on the hosts;
 *  - routing: Ipv4GlobalRouting computes the shortest paths, then
 *    MtpFabricRouting (SetFabricRouting, on by default) takes them over and
 *    forwards by a constant-time lookup of the destination host, choosing
 *    among equal-cost next hops per packet at random (packet spraying, what
 *    the Homa paper's simulations assume; the default) or by flow hash.
 *    With it off, global routing forwards alone, with per-packet random ECMP
 *    (ns3::Ipv4GlobalRouting::RandomEcmpRouting=true is set by
 *    Config::SetDefault before the stack is installed; ns-3.37 has no
 *    flow-hash ECMP of its own).  Spraying reorders the packets of a flow;
 *    MTP reassembles by offset and does not care, TCP may take reordering
 *    for loss (see the TCP baseline notes in the example);
 *  - forwarding: with the fabric routing, every switch gets an
 *    MtpFabricSwitch (SetSwitchForwarding, SWITCH_FAST by default) that
 *    forwards IPv4 packets to hosts from device to device without the IPv4
 *    stack, with the fabric routing's decisions and random draws (byte-
 *    identical results); SWITCH_IPV4 keeps ns-3's IPv4 forwarding; and
 *    every host an MtpFabricHost (SetHostDelivery, HOST_FAST by default)
 *    that hands IPv4 packets addressed to it from the NIC to the transport,
 *    and MTP's packets from the transport to the NIC, without the IPv4
 *    stack (byte-identical results); HOST_IPV4 keeps IPv4;
 *  - links: MtpFabricNetDevice and MtpFabricChannel (SetLinkModel,
 *    LINK_FABRIC by default), PointToPointNetDevice's behaviour, frames and
 *    event order at a lower cost per packet (byte-identical results);
 *    LINK_P2P keeps ns-3's point-to-point devices (pcap through
 *    PointToPointHelper); links to other MPI ranks are point-to-point;
 *  - MtpPrioQueueDisc (strict priority by DSCP class selector, optional DCTCP
 *    step marking) on every port, switch and host; switch ports mark above
 *    the ECN threshold, host NICs never mark.  Device TX queues are
 *    DeviceQueuePackets long (default 1), so the queue disc does the
 *    queueing and priorities take effect at once.
 *
 * Unloaded completion time
 * ------------------------
 * GetUnloadedTime(i, j, L) is the one-way time of an L-byte message from
 * host i to host j on an idle network with MTP's packet format: the message
 * is cut into n = ceil(L / P) packets of payload P = MTU - 20 (IPv4) - 56
 * (MTP DATA header) bytes (the last one smaller; n = 1 for L = 0); packet k
 * occupies w_k = payload_k + 56 + 20 + 2 (PPP) bytes on the wire.  With
 * store-and-forward hops h = 1..H of rate R_h and propagation delay d_h,
 * packet k finishes leaving hop h at
 *     f(k, h) = max(f(k, h-1) + d_{h-1}, f(k-1, h)) + 8 w_k / R_h
 * (f(0, h) = 0, f(k, 0) + d_0 = 0: the first packet leaves the sender at
 * time 0 and the sender sends back to back), and the message is complete at
 * f(n, H) + d_H.  The recurrence is evaluated in ns-3 Time with each
 * 8 w_k / R_h from DataRate::CalculateBytesTxTime, rounded per packet as the
 * point-to-point device rounds it, so an idle fabric delivers in exactly this
 * time (results are cached by path kind and length).  It is the ideal of a transport with MTP's
 * headers; the TCP baseline is measured against the same ideal.
 *
 * Several processes (MPI)
 * -----------------------
 * SetRanks(n) partitions the fabric over n ranks of ns-3's distributed
 * simulator (the mpi module): every rank builds the whole fabric, with
 * the same node ids, addresses and routes, but each node carries the
 * system id of the rank that simulates it, and a point-to-point link whose
 * ends are on two ranks becomes ns-3's remote channel.  The cut follows the
 * structure: a leaf-spine gives each rank a contiguous block of racks (a
 * leaf with its hosts) and of spines, so only leaf-spine links are cut; a
 * fat tree gives each rank a block of pods and of core switches, so only
 * aggregation-core links are cut.  Hosts never share a rack or pod with a
 * host of another rank, and a cut link needs a positive delay: the smallest
 * such delay is the ranks' lookahead.  With one rank (the default) nothing
 * changes.
 */

#ifndef MTP_DATACENTER_HELPER_H
#define MTP_DATACENTER_HELPER_H

#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/mtp-fabric-routing.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/queue-fwd.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-fabric
 * \brief Common part of the datacenter topology helpers: hosts, addresses,
 *        queues, paths and the unloaded completion time.
 *
 * Subclasses describe the wiring (BuildTopology) and the hops of the path
 * between two hosts (GetPath); this class does everything else.
 */
class MtpDatacenterHelper
{
  public:
    /// One hop of a path: the link's rate and propagation delay.
    struct Hop
    {
        DataRate rate; //!< link rate
        Time delay;    //!< propagation delay
    };

    MtpDatacenterHelper();
    virtual ~MtpDatacenterHelper();

    /**
     * \brief Create nodes, links, stacks, addresses, queues and routes.
     *        Call once, before Simulator::Run.
     */
    void Build();

    /** \return the hosts, in index order */
    NodeContainer GetHosts() const;
    /** \return the switches */
    NodeContainer GetSwitches() const;
    /** \return number of hosts */
    uint32_t GetNHosts() const;
    /**
     * \param i host index
     * \return the host's IPv4 address (its only interface)
     */
    Ipv4Address GetHostAddress(uint32_t i) const;
    /**
     * \param addr an address
     * \return the index of the host that owns it, or -1
     */
    int32_t GetHostIndex(Ipv4Address addr) const;
    /** \return every switch port (for traces and statistics) */
    NetDeviceContainer GetSwitchDevices() const;
    /** \return every host NIC, in host order */
    NetDeviceContainer GetHostDevices() const;
    /** \return the rate of host i's NIC */
    DataRate GetHostLinkRate() const;

    /**
     * \brief The hops from host i to host j (host NIC first).
     * \param i sender index
     * \param j receiver index
     * \return the hops
     */
    virtual std::vector<Hop> GetPath(uint32_t i, uint32_t j) const = 0;

    /**
     * \brief A small integer naming the kind of path between i and j (paths
     *        of one kind have the same hops); used to cache unloaded times.
     */
    virtual uint32_t GetPathKind(uint32_t i, uint32_t j) const = 0;

    /**
     * \brief Unloaded one-way completion time of an L-byte MTP message from
     *        host i to host j (see the file comment for the formula).
     * \param i sender
     * \param j receiver
     * \param bytes message length
     * \return the time
     */
    Time GetUnloadedTime(uint32_t i, uint32_t j, uint32_t bytes) const;

    /**
     * \brief The same computation for an explicit path.
     * \param hops the hops
     * \param bytes message length
     * \param mtu IP MTU of the links
     * \return the time
     */
    static Time ComputeUnloadedTime(const std::vector<Hop>& hops, uint32_t bytes, uint32_t mtu);

    /// How every port (switch and host) queues and prioritizes packets.
    enum PortQueue
    {
        /// MtpPrioQueue as the point-to-point device's own transmit queue and
        /// no queue disc: strict priority with one event fewer per packet
        /// per hop (the default; see model/fabric/mtp-prio-queue.h).
        PORT_DEVICE_QUEUE,
        /// MtpPrioQueueDisc in the traffic control layer in front of a
        /// DropTail device queue of SetDeviceQueuePackets packets.
        PORT_QUEUE_DISC,
    };

    /** \param mtu the IP MTU of every link (default 1500) */
    void SetMtu(uint32_t mtu);
    /** \param q how ports queue packets (default PORT_DEVICE_QUEUE) */
    void SetPortQueue(PortQueue q);
    /**
     * \param bands priority bands of the host NICs' queues (1..8; default 1,
     *        FIFO, because MTP's pacer already orders what a host sends: see
     *        Build() and doc/datacenter.rst)
     */
    void SetHostPortBands(uint32_t bands);
    /** \param n PORT_QUEUE_DISC: device TX queue length in packets on every
     *         port (default 1) */
    void SetDeviceQueuePackets(uint32_t n);
    /** \param n limit in packets of each port's priority queue, over all
     *         bands (default 1000) */
    void SetQueueDiscPackets(uint32_t n);
    /** \param k DCTCP marking threshold on switch ports in packets (0 = off) */
    void SetEcnThreshold(uint32_t k);
    /**
     * \param enable route with MtpFabricRouting (default true): the same
     *        paths as global routing, looked up in constant time; false keeps
     *        ns-3's Ipv4GlobalRouting alone (per-packet random ECMP)
     * \param mode how MtpFabricRouting picks among equal-cost next hops
     */
    void SetFabricRouting(bool enable,
                          MtpFabricRouting::EcmpMode mode = MtpFabricRouting::ECMP_RANDOM);
    /**
     * \param shortestPaths fill MtpFabricRouting from its own breadth-first
     *        search over the fabric's links (MtpFabricRouting::
     *        ShortestPathRoutes) instead of Ipv4GlobalRouting's tables, which
     *        are then not built at all: the same equal-cost paths (the
     *        mtp-datacenter suite checks it), in a fraction of the set-up
     *        time and memory of a large fabric.  The order of a node's equal
     *        next hops (interface order) may differ from global routing's, so
     *        random ECMP draws other paths: results are equivalent, not
     *        identical.  Default false; needs SetFabricRouting(true, ...).
     */
    void SetShortestPathRoutes(bool shortestPaths);

    /// How switches forward packets.
    enum SwitchForwarding
    {
        /// ns-3's IPv4 stack on every switch (Ipv4L3Protocol::Receive,
        /// MtpFabricRouting::RouteInput, IpForward): every IPv4 trace source
        /// of the switches fires; the generic path.
        SWITCH_IPV4,
        /// MtpFabricSwitch on every switch: IPv4 packets to the fabric's
        /// hosts go from the input device to the output device without the
        /// IPv4 stack, with the same routing decisions and random draws, so
        /// the same results (the mtp-datacenter suite checks the message
        /// records byte for byte); everything else still goes through IPv4
        /// (see model/fabric/mtp-fabric-switch.h).  The default.
        SWITCH_FAST,
    };

    /**
     * \param f how switches forward (default SWITCH_FAST, chosen because
     *        its message records are byte-identical to SWITCH_IPV4's; the
     *        fast path needs SetFabricRouting(true, ...): without the fabric
     *        routing every switch uses IPv4)
     */
    void SetSwitchForwarding(SwitchForwarding f);

    /// How hosts receive packets.
    enum HostDelivery
    {
        /// ns-3's IPv4 stack (Ipv4L3Protocol::Receive, RouteInput,
        /// LocalDeliver): every IPv4 trace source of the hosts fires.
        HOST_IPV4,
        /// MtpFabricHost on every host: IPv4 packets to the host's own
        /// addresses go from the NIC to the transport without the IPv4 stack
        /// (see model/fabric/mtp-fabric-host.h), with byte-identical results
        /// (the mtp-fabric-switch suite checks them).  The default.
        HOST_FAST,
    };

    /**
     * \param d how hosts receive (default HOST_FAST, chosen because its
     *        message records are byte-identical to HOST_IPV4's; needs
     *        SetFabricRouting(true, ...): without it every host uses IPv4)
     */
    void SetHostDelivery(HostDelivery d);

    /// What the links are.
    enum LinkModel
    {
        /// PointToPointNetDevice and PointToPointChannel, the generic path
        /// (pcap through PointToPointHelper, every trace source fired).
        LINK_P2P,
        /// MtpFabricNetDevice and MtpFabricChannel: PointToPointNetDevice's
        /// behaviour, frames and event order at a lower cost per packet (see
        /// model/fabric/mtp-fabric-net-device.h), byte-identical results (the
        /// mtp-fabric-switch suite checks them).  Links between nodes of
        /// other MPI ranks stay point-to-point (remote channels).  The
        /// default.
        LINK_FABRIC,
    };

    /**
     * \param m what the links are (default LINK_FABRIC, chosen because its
     *        results are byte-identical to LINK_P2P's)
     */
    void SetLinkModel(LinkModel m);

    /**
     * \param device a device of a link this helper built
     * \return its transmit queue (either link model)
     */
    static Ptr<Queue<Packet>> GetDeviceQueue(Ptr<NetDevice> device);

    /** \param install install MTP on the hosts (default true) */
    void SetInstallMtp(bool install);
    /**
     * \param name an MtpL4Protocol attribute given to every host's MTP
     * \param value its value
     */
    void SetMtpAttribute(const std::string& name, const AttributeValue& value);

    /** \brief Print a one-line description of the topology. */
    virtual std::string Describe() const = 0;

    /**
     * \brief Partition the fabric over MPI ranks (see the file comment).
     *        Call before Build().
     * \param ranks number of ranks, 1 (the default) up to GetMaxRanks()
     */
    void SetRanks(uint32_t ranks);
    /** \return the number of ranks the fabric is partitioned over */
    uint32_t GetRanks() const;
    /** \return the most ranks this topology can be cut into (racks, pods) */
    virtual uint32_t GetMaxRanks() const = 0;
    /**
     * \param i host index
     * \return the rank (ns-3 system id) that simulates host i
     */
    uint32_t GetHostRank(uint32_t i) const;
    /**
     * \param i host index
     * \return true when this process simulates host i (its rank is
     *         Simulator::GetSystemId(); always true with one rank)
     */
    bool IsLocalHost(uint32_t i) const;

    /**
     * \brief Sum a count over the ranks of a distributed run (collective:
     *        every rank calls it, after Simulator::Run and before
     *        Simulator::Destroy).
     * \param v this rank's count
     * \return the sum over every rank (v itself in a one-process run)
     */
    static uint64_t SumOverRanks(uint64_t v);

  protected:
    /**
     * \brief Create hosts and switches and wire them with Link().
     *        Called by Build() after the Internet stack defaults are set.
     */
    virtual void BuildTopology() = 0;

    /**
     * \param host host index
     * \param ranks number of ranks (at least 2)
     * \return the rank of the host
     */
    virtual uint32_t HostRank(uint32_t host, uint32_t ranks) const = 0;
    /**
     * \param sw switch index (into GetSwitches())
     * \param ranks number of ranks (at least 2)
     * \return the rank of the switch
     */
    virtual uint32_t SwitchRank(uint32_t sw, uint32_t ranks) const = 0;

    /**
     * \brief Create the host and switch nodes (hosts get indices 0..n-1).
     * \param hosts number of hosts
     * \param switches number of switches
     */
    void CreateNodes(uint32_t hosts, uint32_t switches);

    /**
     * \brief Connect two nodes with a point-to-point link and give it a /30.
     * \param a first node
     * \param b second node
     * \param rate link rate
     * \param delay propagation delay
     * \param aIsHost a is a host (its device is recorded as the host NIC)
     */
    void Link(Ptr<Node> a, Ptr<Node> b, DataRate rate, Time delay, bool aIsHost);

    NodeContainer m_hosts;    //!< hosts, by index
    NodeContainer m_switches; //!< switches
    DataRate m_hostRate;      //!< host link rate (used by the workload's load)

  private:
    /**
     * \brief Connect two nodes with MtpFabricNetDevices, as PointToPointHelper
     *        connects them (the same objects in the same order, a
     *        NetDeviceQueueInterface for flow control).
     * \param a one node
     * \param b the other
     * \param rate link rate
     * \param delay propagation delay
     * \param queue the transmit queues' factory
     * \return the two devices
     */
    NetDeviceContainer FabricLink(Ptr<Node> a,
                                  Ptr<Node> b,
                                  DataRate rate,
                                  Time delay,
                                  const ObjectFactory& queue) const;

    /**
     * \brief Give every port its priority queue (see PortQueue).
     * \param devices the ports
     * \param ecnThreshold DCTCP K for these ports (0 = no marking)
     * \param bands priority bands (1 = FIFO)
     */
    void InstallPortQueues(const NetDeviceContainer& devices,
                           uint32_t ecnThreshold,
                           uint32_t bands) const;

    uint32_t m_mtu = 1500;                     //!< IP MTU of every link
    PortQueue m_portQueue = PORT_DEVICE_QUEUE; //!< port queue model
    uint32_t m_hostBands = 1;                  //!< priority bands of host NICs
    uint32_t m_deviceQueue = 1;                //!< device TX queue (packets), PORT_QUEUE_DISC
    uint32_t m_queueDiscPackets = 1000;        //!< priority queue limit (packets)
    uint32_t m_ecnThreshold = 0;               //!< DCTCP K on switch ports
    bool m_installMtp = true;                  //!< install MTP on hosts
    bool m_fabricRouting = true;  //!< replace global routing's lookups by MtpFabricRouting
    bool m_shortestPaths = false; //!< MtpFabricRouting's own routes, no global routing tables
    SwitchForwarding m_switchForwarding = SWITCH_FAST; //!< switches' forwarding path
    HostDelivery m_hostDelivery = HOST_FAST;           //!< hosts' receive path
    LinkModel m_linkModel = LINK_FABRIC;               //!< what the links are
    MtpFabricRouting::EcmpMode m_ecmpMode = MtpFabricRouting::ECMP_RANDOM; //!< its ECMP choice
    bool m_built = false;                                                  //!< Build() ran
    uint32_t m_ranks = 1;      //!< MPI ranks the nodes are spread over (SetRanks)
    uint32_t m_nextSubnet = 0; //!< next /30 to hand out
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_mtpAttributes; //!< for MTP
    std::vector<Ipv4Address> m_hostAddr;                                      //!< host addresses
    std::map<uint32_t, uint32_t> m_addrToHost;    //!< address -> host index
    NetDeviceContainer m_hostDevices;             //!< host NICs by index
    std::vector<Ptr<NetDevice>> m_hostDevByIndex; //!< host NICs by index (during build)
    NetDeviceContainer m_switchDevices;           //!< switch ports
    mutable std::map<std::pair<uint32_t, uint32_t>, Time> m_unloadedCache; //!< (kind, bytes)
};

/**
 * \ingroup mtp-fabric
 * \brief Two-tier leaf-spine, by default the Homa paper's: 9 racks of 16
 *        hosts (10 Gbps links), 4 spines, every leaf linked to every spine
 *        (40 Gbps).  Host i is in rack i / HostsPerRack.
 */
class MtpLeafSpineHelper : public MtpDatacenterHelper
{
  public:
    MtpLeafSpineHelper();

    /** \param n racks (leaf switches) */
    void SetRacks(uint32_t n);
    /** \param n hosts per rack */
    void SetHostsPerRack(uint32_t n);
    /** \param n spine switches */
    void SetSpines(uint32_t n);
    /** \param r host link rate */
    void SetHostLinkRate(DataRate r);
    /** \param r leaf-spine link rate */
    void SetUplinkRate(DataRate r);
    /** \param d host link propagation delay */
    void SetHostLinkDelay(Time d);
    /** \param d leaf-spine link propagation delay */
    void SetUplinkDelay(Time d);

    std::vector<Hop> GetPath(uint32_t i, uint32_t j) const override;
    uint32_t GetPathKind(uint32_t i, uint32_t j) const override;
    std::string Describe() const override;
    uint32_t GetMaxRanks() const override;

  protected:
    void BuildTopology() override;
    uint32_t HostRank(uint32_t host, uint32_t ranks) const override;
    uint32_t SwitchRank(uint32_t sw, uint32_t ranks) const override;

  private:
    uint32_t m_racks = 9;         //!< leaves
    uint32_t m_hostsPerRack = 16; //!< hosts per leaf
    uint32_t m_spines = 4;        //!< spines
    DataRate m_uplinkRate;        //!< leaf-spine rate
    Time m_hostDelay;             //!< host link delay
    Time m_uplinkDelay;           //!< leaf-spine delay
};

/**
 * \ingroup mtp-fabric
 * \brief k-ary fat tree (Al-Fares et al.): k pods of k/2 edge and k/2
 *        aggregation switches, (k/2)^2 core switches, k^3/4 hosts; every
 *        link has the same rate.  Host i is on edge switch i / (k/2).
 */
class MtpFatTreeHelper : public MtpDatacenterHelper
{
  public:
    MtpFatTreeHelper();

    /** \param k switch radix (even, >= 2) */
    void SetK(uint32_t k);
    /** \param r rate of every link */
    void SetLinkRate(DataRate r);
    /** \param d propagation delay of every link */
    void SetLinkDelay(Time d);

    std::vector<Hop> GetPath(uint32_t i, uint32_t j) const override;
    uint32_t GetPathKind(uint32_t i, uint32_t j) const override;
    std::string Describe() const override;
    uint32_t GetMaxRanks() const override;

  protected:
    void BuildTopology() override;
    uint32_t HostRank(uint32_t host, uint32_t ranks) const override;
    uint32_t SwitchRank(uint32_t sw, uint32_t ranks) const override;

  private:
    uint32_t m_k = 4; //!< radix
    Time m_delay;     //!< link delay
};

} // namespace ns3

#endif /* MTP_DATACENTER_HELPER_H */
