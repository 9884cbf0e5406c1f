/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-fabric-routing.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
#include "ns3/enum.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/traffic-control-layer.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <set>
#include <unordered_map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpFabricRouting");

NS_OBJECT_ENSURE_REGISTERED(MtpFabricRouting);

namespace
{

/** \return the Ipv4GlobalRouting inside a node's routing protocol, or null */
Ptr<Ipv4GlobalRouting>
FindGlobalRouting(Ptr<Ipv4RoutingProtocol> proto)
{
    if (Ptr<Ipv4GlobalRouting> g = DynamicCast<Ipv4GlobalRouting>(proto))
    {
        return g;
    }
    if (Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting>(proto))
    {
        for (uint32_t i = 0; i < list->GetNRoutingProtocols(); ++i)
        {
            int16_t priority;
            if (Ptr<Ipv4GlobalRouting> g =
                    DynamicCast<Ipv4GlobalRouting>(list->GetRoutingProtocol(i, priority)))
            {
                return g;
            }
        }
    }
    return nullptr;
}

/** 32-bit mix (the finalizer of MurmurHash3): spreads nearby flows apart. */
uint32_t
Mix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bU;
    h ^= h >> 13;
    h *= 0xc2b2ae35U;
    h ^= h >> 16;
    return h;
}

/**
 * Global routing's table, read once and sorted by kind in table order, so
 * that the routes towards each of the fabric's hosts are found with integer
 * compares (GetRoute(r) walks a list from its head, and the entry accessors
 * are calls into another library: per node and host that was most of the
 * set-up time of a large fabric).
 */
struct GlobalTable
{
    /// One route, as the fabric needs it.
    struct Entry
    {
        uint32_t dest;       //!< host address, or network address
        uint32_t mask;       //!< network mask (host routes: all ones)
        uint32_t interface;  //!< output interface
        Ipv4Address gateway; //!< next hop (0.0.0.0: on-link)
    };

    std::vector<Entry> host;    //!< host routes
    std::vector<Entry> network; //!< network routes
    std::vector<Entry> def;     //!< default routes

    /**
     * \param h a host address
     * \return its routes, in table order: the host routes naming it, else
     *         the network routes covering it, else the default routes
     */
    std::vector<const Entry*> For(uint32_t h) const
    {
        std::vector<const Entry*> found;
        for (const Entry& e : host)
        {
            if (e.dest == h)
            {
                found.push_back(&e);
            }
        }
        if (found.empty())
        {
            for (const Entry& e : network)
            {
                if ((h & e.mask) == (e.dest & e.mask))
                {
                    found.push_back(&e);
                }
            }
        }
        if (found.empty())
        {
            for (const Entry& e : def)
            {
                found.push_back(&e);
            }
        }
        return found;
    }
};

/** \return a global routing's table, sorted by kind in table order */
GlobalTable
ReadGlobalTable(Ptr<Ipv4GlobalRouting> global)
{
    GlobalTable routes;
    for (uint32_t r = 0; r < global->GetNRoutes(); ++r)
    {
        const Ipv4RoutingTableEntry* e = global->GetRoute(r);
        if (e->IsHost())
        {
            routes.host.push_back(
                {e->GetDest().Get(), 0xffffffffU, e->GetInterface(), e->GetGateway()});
        }
        else if (e->IsDefault())
        {
            routes.def.push_back({0, 0, e->GetInterface(), e->GetGateway()});
        }
        else if (e->IsNetwork())
        {
            routes.network.push_back({e->GetDestNetwork().Get(),
                                      e->GetDestNetworkMask().Get(),
                                      e->GetInterface(),
                                      e->GetGateway()});
        }
    }
    return routes;
}

/**
 * The fabric as a graph for ShortestPathRoutes: nodes by their index in the
 * container, point-to-point links between two of them in interface order,
 * and which node holds each address.
 */
class FabricGraph
{
  public:
    /// An unknown node or an unreached distance.
    static constexpr uint32_t NONE = 0xffffffffU;

    /// A link of a node to a neighbour.
    struct Link
    {
        uint32_t interface;      //!< the node's interface on the link
        uint32_t peer;           //!< the neighbour's index
        Ipv4Address peerAddress; //!< the neighbour's address on the link
    };

    /** \param nodes the fabric (each with IPv4) */
    explicit FabricGraph(NodeContainer nodes)
        : m_links(nodes.GetN())
    {
        std::unordered_map<uint32_t, uint32_t> indexOfId;
        for (uint32_t n = 0; n < nodes.GetN(); ++n)
        {
            indexOfId[nodes.Get(n)->GetId()] = n;
        }
        for (uint32_t n = 0; n < nodes.GetN(); ++n)
        {
            Ptr<Ipv4> ipv4 = nodes.Get(n)->GetObject<Ipv4>();
            NS_ABORT_MSG_IF(!ipv4,
                            "MtpFabricRouting: node " << nodes.Get(n)->GetId() << " has no IPv4");
            for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
            {
                for (uint32_t a = 0; a < ipv4->GetNAddresses(i); ++a)
                {
                    m_nodeOf.Set(ipv4->GetAddress(i, a).GetLocal().Get(), n);
                }
                AddLink(n, i, ipv4->GetNetDevice(i), indexOfId);
            }
        }
    }

    /** \return the index of the node holding an address, or NONE */
    uint32_t NodeOf(Ipv4Address addr) const
    {
        return m_nodeOf.Find(addr.Get());
    }

    /** \return a node's links, in interface order */
    const std::vector<Link>& LinksOf(uint32_t node) const
    {
        return m_links[node];
    }

    /** \return every node's distance in hops from `root` (NONE: unreached) */
    std::vector<uint32_t> HopsFrom(uint32_t root) const
    {
        std::vector<uint32_t> dist(m_links.size(), NONE);
        std::vector<uint32_t> queue{root};
        dist[root] = 0;
        for (size_t head = 0; head < queue.size(); ++head)
        {
            const uint32_t v = queue[head];
            for (const Link& l : m_links[v])
            {
                if (dist[l.peer] == NONE)
                {
                    dist[l.peer] = dist[v] + 1;
                    queue.push_back(l.peer);
                }
            }
        }
        return dist;
    }

  private:
    /** Record interface `i` of node `n` if it is a point-to-point link to
     *  another node of the fabric that has an address on it. */
    void AddLink(uint32_t n,
                 uint32_t i,
                 Ptr<NetDevice> dev,
                 const std::unordered_map<uint32_t, uint32_t>& indexOfId)
    {
        Ptr<Channel> ch = dev ? dev->GetChannel() : nullptr;
        if (!ch || ch->GetNDevices() != 2)
        {
            return;
        }
        Ptr<NetDevice> other = ch->GetDevice(0) == dev ? ch->GetDevice(1) : ch->GetDevice(0);
        auto peer = indexOfId.find(other->GetNode()->GetId());
        Ptr<Ipv4> peerIpv4 = other->GetNode()->GetObject<Ipv4>();
        if (peer == indexOfId.end() || !peerIpv4)
        {
            return;
        }
        const int32_t j = peerIpv4->GetInterfaceForDevice(other);
        if (j < 0 || peerIpv4->GetNAddresses(j) == 0)
        {
            return;
        }
        m_links[n].push_back({i, peer->second, peerIpv4->GetAddress(j, 0).GetLocal()});
    }

    std::vector<std::vector<Link>> m_links; //!< node -> its links
    MtpAddrIndex m_nodeOf;                  //!< address -> node index
};

} // namespace

TypeId
MtpFabricRouting::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpFabricRouting")
            .SetParent<Ipv4RoutingProtocol>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpFabricRouting>()
            .AddAttribute("EcmpMode",
                          "How one of several equal-cost next hops is chosen: Random (per "
                          "packet, packet spraying) or FlowHash (addresses, protocol and the "
                          "first four L4 bytes, so one flow keeps one path).",
                          EnumValue(MtpFabricRouting::ECMP_RANDOM),
                          MtpMakeEnumAccessor<EcmpMode>(&MtpFabricRouting::m_mode),
                          MakeEnumChecker(MtpFabricRouting::ECMP_RANDOM,
                                          "Random",
                                          MtpFabricRouting::ECMP_FLOW_HASH,
                                          "FlowHash"));
    return tid;
}

MtpFabricRouting::MtpFabricRouting()
    : m_mode(ECMP_RANDOM),
      m_rng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

MtpFabricRouting::~MtpFabricRouting()
{
    NS_LOG_FUNCTION(this);
}

void
MtpFabricRouting::DoDispose()
{
    m_index.Clear();
    m_hops.clear();
    m_hopsDst.clear();
    m_ifOfDevice.clear();
    if (m_fallback)
    {
        // We replaced it as the node's routing protocol, so IP no longer
        // disposes of it: we do (it holds the Ipv4 and would keep it alive).
        m_fallback->Dispose();
    }
    m_fallback = nullptr;
    m_ipv4 = nullptr;
    m_rng = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

std::vector<Ptr<MtpFabricRouting>>
MtpFabricRouting::Install(NodeContainer nodes, const std::vector<Ipv4Address>& hosts, EcmpMode mode)
{
    std::vector<Ptr<MtpFabricRouting>> installed;
    for (uint32_t n = 0; n < nodes.GetN(); ++n)
    {
        Ptr<Ipv4> ipv4 = nodes.Get(n)->GetObject<Ipv4>();
        NS_ABORT_MSG_IF(!ipv4,
                        "MtpFabricRouting::Install: node " << nodes.Get(n)->GetId()
                                                           << " has no IPv4");
        Ptr<Ipv4RoutingProtocol> previous = ipv4->GetRoutingProtocol();
        Ptr<Ipv4GlobalRouting> global = FindGlobalRouting(previous);
        NS_ABORT_MSG_IF(!global,
                        "MtpFabricRouting::Install: node "
                            << nodes.Get(n)->GetId()
                            << " has no Ipv4GlobalRouting (install the Internet stack with "
                               "global routing and populate its tables first)");
        Ptr<MtpFabricRouting> fabric = CreateObject<MtpFabricRouting>();
        fabric->m_mode = mode;
        fabric->SetFallback(previous);
        ipv4->SetRoutingProtocol(fabric);
        for (const HostRoute& r : GlobalRoutes(nodes.Get(n), hosts))
        {
            fabric->AddHostRoute(r.host, r.interface, r.gateway);
        }
        installed.push_back(fabric);
    }
    return installed;
}

std::vector<MtpFabricRouting::HostRoute>
MtpFabricRouting::GlobalRoutes(Ptr<Node> node, const std::vector<Ipv4Address>& hosts)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ptr<Ipv4GlobalRouting> global = ipv4 ? FindGlobalRouting(ipv4->GetRoutingProtocol()) : nullptr;
    if (Ptr<MtpFabricRouting> fabric =
            ipv4 ? DynamicCast<MtpFabricRouting>(ipv4->GetRoutingProtocol()) : nullptr)
    {
        global = FindGlobalRouting(fabric->m_fallback);
    }
    NS_ABORT_MSG_IF(!global,
                    "MtpFabricRouting: node "
                        << node->GetId()
                        << " has no Ipv4GlobalRouting (install the Internet stack with "
                           "global routing and populate its tables first)");
    std::set<uint32_t> local;
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t a = 0; a < ipv4->GetNAddresses(i); ++a)
        {
            local.insert(ipv4->GetAddress(i, a).GetLocal().Get());
        }
    }
    // The paths are global routing's: as its LookupGlobal, host routes that
    // name the address win, else every network route covering it (several:
    // equal-cost multipath), else the default routes (a stub host gets only
    // those).
    const GlobalTable table = ReadGlobalTable(global);
    std::vector<HostRoute> routes;
    for (const Ipv4Address& h : hosts)
    {
        if (local.count(h.Get()))
        {
            continue;
        }
        for (const GlobalTable::Entry* e : table.For(h.Get()))
        {
            routes.push_back({h, e->interface, e->gateway});
        }
    }
    return routes;
}

std::vector<std::vector<MtpFabricRouting::HostRoute>>
MtpFabricRouting::ShortestPathRoutes(NodeContainer nodes, const std::vector<Ipv4Address>& hosts)
{
    const FabricGraph graph(nodes);
    std::vector<std::vector<HostRoute>> routes(nodes.GetN());
    for (const Ipv4Address& h : hosts)
    {
        const uint32_t root = graph.NodeOf(h);
        NS_ABORT_MSG_IF(root == FabricGraph::NONE,
                        "MtpFabricRouting::ShortestPathRoutes: no node has address " << h);
        const std::vector<uint32_t> dist = graph.HopsFrom(root);
        for (uint32_t v = 0; v < nodes.GetN(); ++v)
        {
            if (v == root || dist[v] == FabricGraph::NONE)
            {
                continue;
            }
            for (const FabricGraph::Link& l : graph.LinksOf(v))
            {
                if (dist[l.peer] + 1 == dist[v])
                {
                    routes[v].push_back({h, l.interface, l.peerAddress});
                }
            }
        }
    }
    return routes;
}

std::vector<Ptr<MtpFabricRouting>>
MtpFabricRouting::InstallShortestPaths(NodeContainer nodes,
                                       const std::vector<Ipv4Address>& hosts,
                                       EcmpMode mode)
{
    const std::vector<std::vector<HostRoute>> routes = ShortestPathRoutes(nodes, hosts);
    std::vector<Ptr<MtpFabricRouting>> installed;
    for (uint32_t n = 0; n < nodes.GetN(); ++n)
    {
        Ptr<Ipv4> ipv4 = nodes.Get(n)->GetObject<Ipv4>();
        Ptr<MtpFabricRouting> fabric = CreateObject<MtpFabricRouting>();
        fabric->m_mode = mode;
        fabric->SetFallback(ipv4->GetRoutingProtocol());
        ipv4->SetRoutingProtocol(fabric);
        for (const HostRoute& r : routes[n])
        {
            fabric->AddHostRoute(r.host, r.interface, r.gateway);
        }
        installed.push_back(fabric);
    }
    return installed;
}

std::vector<std::pair<uint32_t, Ipv4Address>>
MtpFabricRouting::GetNextHops(Ipv4Address dst) const
{
    std::vector<std::pair<uint32_t, Ipv4Address>> out;
    if (const std::vector<NextHop>* hops = FindHops(dst.Get()))
    {
        for (const NextHop& h : *hops)
        {
            out.emplace_back(h.interface, h.route->GetGateway());
        }
    }
    return out;
}

Ptr<MtpFabricRouting>
MtpFabricRouting::ForFastPath(Ptr<Node> node, const std::string& who)
{
    NS_ABORT_MSG_IF(!node, who << ": no node");
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4, who << ": node " << node->GetId() << " has no IPv4");
    Ptr<MtpFabricRouting> routing = DynamicCast<MtpFabricRouting>(ipv4->GetRoutingProtocol());
    NS_ABORT_MSG_IF(!routing,
                    who << ": node " << node->GetId() << " is not routed by MtpFabricRouting");
    NS_ABORT_MSG_IF(!node->GetObject<TrafficControlLayer>(),
                    who << ": node " << node->GetId() << " has no traffic control layer");
    return routing;
}

std::vector<uint32_t>
MtpFabricRouting::FabricInterfaces(Ptr<Ipv4> ipv4)
{
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        if (ipv4->GetNAddresses(i) > 0 && !ipv4->GetAddress(i, 0).GetLocal().IsLocalhost())
        {
            out.push_back(i);
        }
    }
    return out;
}

void
MtpFabricRouting::SetFallback(Ptr<Ipv4RoutingProtocol> fallback)
{
    m_fallback = fallback;
}

void
MtpFabricRouting::AddHostRoute(Ipv4Address dst, uint32_t interface, Ipv4Address gateway)
{
    NS_LOG_FUNCTION(this << dst << interface << gateway);
    NS_ABORT_MSG_IF(!m_ipv4, "MtpFabricRouting::AddHostRoute before SetIpv4");
    NS_ABORT_MSG_IF(interface >= m_ipv4->GetNInterfaces(),
                    "MtpFabricRouting::AddHostRoute: no interface " << interface);
    NS_ABORT_MSG_IF(m_ipv4->GetNAddresses(interface) == 0,
                    "MtpFabricRouting::AddHostRoute: interface " << interface << " has no address");
    Ptr<Ipv4Route> route = Create<Ipv4Route>();
    route->SetDestination(dst);
    route->SetGateway(gateway);
    route->SetSource(m_ipv4->GetAddress(interface, 0).GetLocal());
    route->SetOutputDevice(m_ipv4->GetNetDevice(interface));
    uint32_t slot = m_index.Find(dst.Get());
    if (slot == MtpAddrIndex::NONE)
    {
        slot = static_cast<uint32_t>(m_hops.size());
        m_index.Set(dst.Get(), slot);
        m_hops.emplace_back();
        m_hopsDst.push_back(dst.Get());
    }
    m_hops[slot].push_back(NextHop{route, interface, route->GetOutputDevice()->GetIfIndex()});
    m_hopInterfaces = std::max(m_hopInterfaces, interface + 1);
}

bool
MtpFabricRouting::IsLocal(uint32_t addr) const
{
    return m_local.Find(addr) != MtpAddrIndex::NONE;
}

bool
MtpFabricRouting::IsLocalAddress(uint32_t addr) const
{
    return IsLocal(addr);
}

const std::vector<MtpFabricRouting::NextHop>*
MtpFabricRouting::FindHops(uint32_t dst) const
{
    const uint32_t slot = m_index.Find(dst);
    return slot == MtpAddrIndex::NONE ? nullptr : &m_hops[slot];
}

uint32_t
MtpFabricRouting::GetNHostRoutes() const
{
    return m_index.Size();
}

uint32_t
MtpFabricRouting::GetNNextHops(Ipv4Address dst) const
{
    const std::vector<NextHop>* hops = FindHops(dst.Get());
    return hops ? static_cast<uint32_t>(hops->size()) : 0;
}

int64_t
MtpFabricRouting::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

MtpFabricRouting::Flow
MtpFabricRouting::FlowOf(Ptr<const Packet> p, const Ipv4Header& header, uint32_t offset) const
{
    // Random ECMP needs only the destination: the rest is read for the hash.
    Flow flow{0, header.GetDestination().Get(), 0, 0};
    if (m_mode != ECMP_FLOW_HASH)
    {
        return flow;
    }
    flow.src = header.GetSource().Get();
    flow.protocol = header.GetProtocol();
    constexpr uint32_t maxOffset = 60; // the longest IPv4 header
    if (p && offset <= maxOffset && p->GetSize() >= offset + 4)
    {
        uint8_t b[maxOffset + 4];
        p->CopyData(b, offset + 4);
        const uint8_t* l4 = b + offset;
        flow.ports =
            (uint32_t(l4[0]) << 24) | (uint32_t(l4[1]) << 16) | (uint32_t(l4[2]) << 8) | l4[3];
    }
    return flow;
}

uint32_t
MtpFabricRouting::FlowHash(const Flow& flow)
{
    uint32_t h = Mix(flow.src);
    h = Mix(h ^ flow.dst);
    return Mix(h ^ (uint32_t(flow.protocol) << 24) ^ flow.ports);
}

uint32_t
MtpFabricRouting::Pick(uint32_t n, const Flow& flow) const
{
    if (n > 1 && m_mode == ECMP_RANDOM)
    {
        return m_rng->GetInteger(0, n - 1);
    }
    return n > 1 ? FlowHash(flow) % n : 0;
}

const MtpFabricRouting::NextHop*
MtpFabricRouting::Choose(const std::vector<NextHop>& hops,
                         const Flow& flow,
                         Ptr<const NetDevice> oif) const
{
    if (!oif && m_allUp && m_hopInterfaces <= m_up.size())
    {
        // Every next hop usable (the common case): the same draw, the same
        // pick, without walking the list twice.
        const uint32_t n = static_cast<uint32_t>(hops.size());
        return n == 0 ? nullptr : &hops[Pick(n, flow)];
    }
    auto usable = [this, &oif](const NextHop& h) {
        return h.interface < m_up.size() && m_up[h.interface] &&
               (!oif || h.route->GetOutputDevice() == oif);
    };
    const uint32_t n = static_cast<uint32_t>(std::count_if(hops.begin(), hops.end(), usable));
    if (n == 0)
    {
        return nullptr;
    }
    uint32_t pick = Pick(n, flow);
    // The pick-th usable hop, in table order (deterministic).
    for (const NextHop& h : hops)
    {
        if (usable(h) && pick-- == 0)
        {
            return &h;
        }
    }
    return nullptr;
}

uint32_t
MtpFabricRouting::InterfaceOfDevice(uint32_t devIfIndex) const
{
    return devIfIndex < m_ifOfDevice.size() ? m_ifOfDevice[devIfIndex] : MtpAddrIndex::NONE;
}

const MtpFabricRouting::NextHop*
MtpFabricRouting::ForwardFrom(uint32_t iif, const Flow& flow) const
{
    const std::vector<NextHop>* hops = FindHops(flow.dst);
    if (hops && m_ipv4->IsForwarding(iif))
    {
        return Choose(*hops, flow, nullptr);
    }
    return nullptr;
}

uint32_t
MtpFabricRouting::ForwardDevice(uint32_t devIfIndex, const Flow& flow)
{
    const uint32_t iif = InterfaceOfDevice(devIfIndex);
    if (iif == MtpAddrIndex::NONE || !m_up[iif] || IsLocal(flow.dst))
    {
        return MtpAddrIndex::NONE;
    }
    const NextHop* hop = ForwardFrom(iif, flow);
    return hop ? hop->device : MtpAddrIndex::NONE;
}

Ptr<Ipv4Route>
MtpFabricRouting::RouteOutput(Ptr<Packet> p,
                              const Ipv4Header& header,
                              Ptr<NetDevice> oif,
                              Socket::SocketErrno& sockerr)
{
    if (const std::vector<NextHop>* hops = FindHops(header.GetDestination().Get()))
    {
        if (const NextHop* hop = Choose(*hops, FlowOf(p, header), oif))
        {
            sockerr = Socket::ERROR_NOTERROR;
            return hop->route;
        }
    }
    if (m_fallback)
    {
        return m_fallback->RouteOutput(p, header, oif, sockerr);
    }
    sockerr = Socket::ERROR_NOROUTETOHOST;
    return nullptr;
}

bool
MtpFabricRouting::RouteInput(Ptr<const Packet> p,
                             const Ipv4Header& header,
                             Ptr<const NetDevice> idev,
                             mtpfabric::RouteInputSig::Arg<3> ucb,
                             mtpfabric::RouteInputSig::Arg<4> mcb,
                             mtpfabric::RouteInputSig::Arg<5> lcb,
                             mtpfabric::RouteInputSig::Arg<6> ecb)
{
    const uint32_t iif = InterfaceOfDevice(idev ? idev->GetIfIndex() : MtpAddrIndex::NONE);
    if (iif != MtpAddrIndex::NONE)
    {
        if (IsLocal(header.GetDestination().Get()))
        {
            // Weak end-system model (ns-3's default): any of our unicast
            // addresses, whichever interface the packet came in on.
            lcb(p, header, iif);
            return true;
        }
        if (const NextHop* hop = ForwardFrom(iif, FlowOf(p, header)))
        {
            ucb(hop->route, p, header);
            return true;
        }
    }
    // Broadcast, multicast, switch addresses, forwarding off, all next hops
    // down: the previous protocol decides, exactly as before.
    return m_fallback && m_fallback->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

void
MtpFabricRouting::RefreshInterfaces()
{
    m_local.Clear();
    m_ifOfDevice.clear();
    m_up.assign(m_ipv4 ? m_ipv4->GetNInterfaces() : 0, false);
    m_allUp = true;
    if (!m_ipv4)
    {
        return;
    }
    for (uint32_t i = 0; i < m_ipv4->GetNInterfaces(); ++i)
    {
        m_up[i] = m_ipv4->IsUp(i);
        m_allUp = m_allUp && m_up[i];
        const uint32_t devIndex = m_ipv4->GetNetDevice(i)->GetIfIndex();
        if (devIndex >= m_ifOfDevice.size())
        {
            m_ifOfDevice.resize(devIndex + 1, MtpAddrIndex::NONE);
        }
        m_ifOfDevice[devIndex] = i;
        for (uint32_t a = 0; a < m_ipv4->GetNAddresses(i); ++a)
        {
            m_local.Set(m_ipv4->GetAddress(i, a).GetLocal().Get(), 0);
        }
    }
}

void
MtpFabricRouting::NotifyInterfaceUp(uint32_t interface)
{
    RefreshInterfaces();
    if (m_fallback)
    {
        m_fallback->NotifyInterfaceUp(interface);
    }
}

void
MtpFabricRouting::NotifyInterfaceDown(uint32_t interface)
{
    RefreshInterfaces();
    if (m_fallback)
    {
        m_fallback->NotifyInterfaceDown(interface);
    }
}

void
MtpFabricRouting::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    RefreshInterfaces();
    if (m_fallback)
    {
        m_fallback->NotifyAddAddress(interface, address);
    }
}

void
MtpFabricRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    RefreshInterfaces();
    if (m_fallback)
    {
        m_fallback->NotifyRemoveAddress(interface, address);
    }
}

void
MtpFabricRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    NS_LOG_FUNCTION(this << ipv4);
    m_ipv4 = ipv4;
    RefreshInterfaces();
    // The fallback keeps the Ipv4 it was given when it was installed.
}

void
MtpFabricRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    std::ostream& os = *stream->GetStream();
    os << "MtpFabricRouting (" << (m_mode == ECMP_RANDOM ? "random" : "flow-hash") << " ECMP), "
       << m_index.Size() << " hosts\n";
    // Sorted by address, so the output does not depend on insertion order.
    std::map<uint32_t, const std::vector<NextHop>*> sorted;
    for (size_t slot = 0; slot < m_hops.size(); ++slot)
    {
        sorted[m_hopsDst[slot]] = &m_hops[slot];
    }
    for (const auto& [addr, hops] : sorted)
    {
        os << std::left << std::setw(16) << Ipv4Address(addr);
        for (const NextHop& h : *hops)
        {
            os << " if" << h.interface << " via " << h.route->GetGateway();
        }
        os << "\n";
    }
    if (m_fallback)
    {
        os << "fallback:\n";
        m_fallback->PrintRoutingTable(stream, unit);
    }
}

} // namespace ns3
