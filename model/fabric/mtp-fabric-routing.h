/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpFabricRouting: constant-time IPv4 forwarding for datacenter fabrics.
 *
 * Design notes
 * ------------
 * ns-3's Ipv4GlobalRouting computes correct shortest paths but looks a
 * packet's destination up by walking its whole table (one entry per link of
 * the fabric), and Ipv4ListRouting first walks every interface address of the
 * node to see whether the packet is local.  On the 144-host leaf-spine that
 * is several hundred comparisons per packet per hop: the largest single cost
 * of a datacenter simulation.
 *
 * In a fabric every packet that matters is addressed to a host, so this
 * protocol keeps, per node, a flat hash index (MtpAddrIndex) from host
 * address to the host's equal-cost next hops (prebuilt Ipv4Route objects),
 * the node's own addresses in a second such index, and the input interface of each
 * device by device index: a packet costs one or two probes of one cache line
 * per hop, no allocation.  It is filled once, after global routing has
 * computed its tables (MtpFabricRouting::Install reads those tables: the
 * paths are exactly global routing's), and it becomes the node's routing
 * protocol; everything it does not know (broadcast, multicast, switch
 * interface addresses, routes added later) goes to the node's previous
 * routing protocol, the fallback, unchanged.
 *
 * Equal-cost multipath is a strategy chosen by the EcmpMode Attribute:
 * per-packet random choice (packet spraying, what the Homa paper's
 * simulations assume and what Ipv4GlobalRouting's RandomEcmpRouting does) or
 * a hash of the flow (addresses, protocol and the first four bytes of the L4
 * header, the ports of UDP, TCP and MTP), which keeps each flow on one path
 * as datacenter switches do.
 *
 * Interface state: a next hop whose interface is down is skipped; a
 * destination whose next hops are all down goes to the fallback (which
 * global routing answers with no route).
 */

#ifndef MTP_FABRIC_ROUTING_H
#define MTP_FABRIC_ROUTING_H

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/mtp-addr-index.h"
#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/random-variable-stream.h"

#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ns3
{

namespace mtpfabric
{
/// The parameter types of Ipv4RoutingProtocol::RouteInput, as this ns-3
/// version declares them (callbacks by value up to ns-3.3x, by const
/// reference later), so one override compiles against both.
template <typename T>
struct RouteInputParams;

/// Specialization that unpacks a member function pointer type.
template <typename C, typename R, typename... A>
struct RouteInputParams<R (C::*)(A...)>
{
    /// The I-th parameter type.
    template <std::size_t I>
    using Arg = std::tuple_element_t<I, std::tuple<A...>>;
};

/// RouteInput's parameter list of this ns-3 version.
using RouteInputSig = RouteInputParams<decltype(&Ipv4RoutingProtocol::RouteInput)>;
} // namespace mtpfabric

/**
 * \ingroup mtp-fabric
 * \brief IPv4 routing by exact host address with equal-cost multipath, for
 *        datacenter topologies (see the file comment).
 */
class MtpFabricRouting : public Ipv4RoutingProtocol
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    /// How one of several equal-cost next hops is chosen.
    enum EcmpMode
    {
        ECMP_RANDOM,   //!< per packet, uniformly at random (packet spraying)
        ECMP_FLOW_HASH //!< by a hash of addresses, protocol and ports
    };

    MtpFabricRouting();
    ~MtpFabricRouting() override;

    /**
     * \brief Replace the routing protocol of every node with an
     *        MtpFabricRouting whose table holds, for each host address, the
     *        next hops Ipv4GlobalRouting chose.  Call after
     *        Ipv4GlobalRoutingHelper::PopulateRoutingTables().
     * \param nodes every node of the fabric (hosts and switches)
     * \param hosts the host addresses packets are routed to
     * \param mode the EcmpMode of every instance
     * \return the instances, in node order
     */
    static std::vector<Ptr<MtpFabricRouting>> Install(NodeContainer nodes,
                                                      const std::vector<Ipv4Address>& hosts,
                                                      EcmpMode mode);

    /// One next hop of a node towards a host, as AddHostRoute takes it.
    struct HostRoute
    {
        Ipv4Address host;    //!< the destination host
        uint32_t interface;  //!< output interface of the node
        Ipv4Address gateway; //!< the neighbour's address on that link
    };

    /**
     * \brief The routes that Install would take from Ipv4GlobalRouting, for
     *        one node (host routes naming a host, else the network routes
     *        covering it, else the default routes; table order).
     * \param node a node whose global routing tables are populated
     * \param hosts the host addresses
     * \return its routes, host by host
     */
    static std::vector<HostRoute> GlobalRoutes(Ptr<Node> node,
                                               const std::vector<Ipv4Address>& hosts);

    /**
     * \brief Every equal-cost shortest path of a fabric, computed here by a
     *        breadth-first search from each host over the point-to-point
     *        links between the nodes (hop count, as global routing's
     *        metric 1 per link), without Ipv4GlobalRouting: no routing
     *        tables for every link of the fabric in every node, which is
     *        what a 1,024-host fabric cannot afford (gigabytes, and reading
     *        them back is quadratic in their length).
     * \param nodes every node of the fabric (each with IPv4)
     * \param hosts the host addresses (each on one of the nodes)
     * \return per node (in `nodes` order), its routes: towards each host,
     *         the links to the neighbours one hop closer, in interface order
     */
    static std::vector<std::vector<HostRoute>> ShortestPathRoutes(
        NodeContainer nodes,
        const std::vector<Ipv4Address>& hosts);

    /**
     * \brief Install on every node an MtpFabricRouting filled from
     *        ShortestPathRoutes: global routing's tables need not exist.
     * \param nodes every node of the fabric
     * \param hosts the host addresses
     * \param mode the EcmpMode of every instance
     * \return the instances, in node order
     */
    static std::vector<Ptr<MtpFabricRouting>> InstallShortestPaths(
        NodeContainer nodes,
        const std::vector<Ipv4Address>& hosts,
        EcmpMode mode);

    /**
     * \brief Add a next hop towards a host.  Several calls for one host make
     *        equal-cost next hops, chosen by EcmpMode.
     * \param dst the host address
     * \param interface the output interface index
     * \param gateway the next hop's address (0.0.0.0: the host is on-link)
     */
    void AddHostRoute(Ipv4Address dst, uint32_t interface, Ipv4Address gateway);

    /**
     * \brief The fabric routing of a node that a fast path (MtpFabricSwitch,
     *        MtpFabricHost) is installed on, checked: aborts, naming `who`
     *        and the node, when the node has no IPv4, is not routed by
     *        MtpFabricRouting or has no traffic control layer (where a fast
     *        path's fallbacks go).
     * \param node the node
     * \param who the installer, for the messages
     * \return the node's MtpFabricRouting
     */
    static Ptr<MtpFabricRouting> ForFastPath(Ptr<Node> node, const std::string& who);

    /**
     * \param ipv4 a node's IPv4
     * \return its interfaces that carry fabric traffic, in order: those with
     *         an address, other than the loopback
     */
    static std::vector<uint32_t> FabricInterfaces(Ptr<Ipv4> ipv4);

    /** \param fallback the protocol asked about everything not in the table */
    void SetFallback(Ptr<Ipv4RoutingProtocol> fallback);

    /** \return the number of host addresses in the table */
    uint32_t GetNHostRoutes() const;

    /**
     * \param dst a host address
     * \return the number of equal-cost next hops towards it (0: unknown)
     */
    uint32_t GetNNextHops(Ipv4Address dst) const;

    /**
     * \param dst a host address
     * \return its next hops as (output interface, gateway), in table order
     */
    std::vector<std::pair<uint32_t, Ipv4Address>> GetNextHops(Ipv4Address dst) const;

    /// What ECMP looks at in a packet (all host order).
    struct Flow
    {
        uint32_t src;     //!< IPv4 source address
        uint32_t dst;     //!< IPv4 destination address
        uint8_t protocol; //!< IP protocol number
        uint32_t ports;   //!< the first four bytes of the L4 header (0 if shorter)
    };

    /**
     * \brief The next hop of a packet that arrived on one of this node's
     *        devices, chosen exactly as RouteInput chooses it (the same
     *        table, the same ECMP strategy, the same random draw): the shared
     *        decision of the IPv4 path and of MtpFabricSwitch's fast path.
     *        It answers with a device index, not a route: the switch needs
     *        only the port, and reading the route object and the device's
     *        reference count per packet cost more than the rest of the choice.
     * \param devIfIndex the input device's index on the node
     * \param flow the packet's addresses, protocol and ports
     * \return the output device's index on the node (the device of the route
     *         RouteInput would give), or MtpAddrIndex::NONE when the table
     *         does not forward the packet: the input device has no IPv4
     *         interface or it is down, forwarding is off on it, the
     *         destination is one of this node's addresses or no host of the
     *         table, or every next hop is down.  Nothing is drawn then.
     */
    uint32_t ForwardDevice(uint32_t devIfIndex, const Flow& flow);

    /**
     * \param addr an IPv4 address (host order)
     * \return whether it is one of this node's unicast addresses (what
     *         RouteInput delivers locally)
     */
    bool IsLocalAddress(uint32_t addr) const;

    /**
     * \param p a packet, may be null: its L4 header comes first, or after
     *        `offset` bytes (a switch reads a packet that still carries its
     *        IPv4 header)
     * \param header its IP header
     * \param offset bytes before the L4 header in `p` (at most 60, an IPv4
     *        header with options)
     * \return what ECMP looks at: the destination, and (read only when the
     *         strategy is the flow hash) the source, protocol and ports
     */
    Flow FlowOf(Ptr<const Packet> p, const Ipv4Header& header, uint32_t offset = 0) const;

    /**
     * \brief Use fixed random-number streams (ns-3's convention).
     * \param stream first stream index
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    // Ipv4RoutingProtocol
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    mtpfabric::RouteInputSig::Arg<3> ucb,
                    mtpfabric::RouteInputSig::Arg<4> mcb,
                    mtpfabric::RouteInputSig::Arg<5> lcb,
                    mtpfabric::RouteInputSig::Arg<6> ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    void DoDispose() override;

  private:
    /// One way towards a host.
    struct NextHop
    {
        Ptr<Ipv4Route> route; //!< prebuilt route handed to IP for every packet
        uint32_t interface;   //!< output interface (to skip it while down)
        uint32_t device;      //!< the route's output device's index on the node
    };

    /**
     * \param flow a packet's addresses, protocol and ports
     * \return the hash FlowHash mode picks a next hop by
     */
    static uint32_t FlowHash(const Flow& flow);

    /**
     * \param n usable next hops (at least one)
     * \param flow the packet's addresses, protocol and ports
     * \return which of them: a random draw (ECMP_RANDOM, only when n > 1)
     *         or the flow hash modulo n
     */
    uint32_t Pick(uint32_t n, const Flow& flow) const;

    /**
     * \brief Choose a next hop for a packet.
     * \param hops the candidates
     * \param flow the packet's addresses, protocol and ports
     * \param oif only hops out of this device (null: any)
     * \return the hop, or null if no candidate is usable (then no draw)
     */
    const NextHop* Choose(const std::vector<NextHop>& hops,
                          const Flow& flow,
                          Ptr<const NetDevice> oif) const;
    /**
     * \param iif the input interface
     * \param dst the destination (host order), not a local address
     * \param flow the packet's flow
     * \return the forwarding hop from the table, or null (see ForwardDevice)
     */
    const NextHop* ForwardFrom(uint32_t iif, const Flow& flow) const;
    /**
     * \param devIfIndex a device index of this node
     * \return its IPv4 interface, or MtpAddrIndex::NONE
     */
    uint32_t InterfaceOfDevice(uint32_t devIfIndex) const;
    /** Rebuild the local address set and the device-to-interface map. */
    void RefreshInterfaces();
    /**
     * \param addr an IPv4 address (host order)
     * \return whether it is one of this node's unicast addresses
     */
    bool IsLocal(uint32_t addr) const;
    /**
     * \param dst a host address (host order)
     * \return its next hops, or null if it has no host route
     */
    const std::vector<NextHop>* FindHops(uint32_t dst) const;

    Ptr<Ipv4> m_ipv4;                         //!< our node's IPv4
    Ptr<Ipv4RoutingProtocol> m_fallback;      //!< asked on a miss
    EcmpMode m_mode;                          //!< ECMP strategy
    Ptr<UniformRandomVariable> m_rng;         //!< ECMP_RANDOM draws
    MtpAddrIndex m_index;                     //!< host address -> slot in m_hops
    std::vector<std::vector<NextHop>> m_hops; //!< slot -> next hops towards the host
    std::vector<uint32_t> m_hopsDst;          //!< slot -> host address (for printing)
    MtpAddrIndex m_local;                     //!< this node's unicast addresses (value 0)
    std::vector<uint32_t> m_ifOfDevice;       //!< device ifIndex -> interface (or NONE)
    std::vector<bool> m_up;                   //!< interface index -> up
    bool m_allUp = false;                     //!< every interface is up (Choose's shortcut)
    uint32_t m_hopInterfaces = 0;             //!< 1 + the largest interface of a next hop
};

} // namespace ns3

#endif /* MTP_FABRIC_ROUTING_H */
