/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpFabricSwitch: a fast forwarding path for the switches of a datacenter
 * fabric, beside (not instead of) ns-3's IPv4 stack.
 *
 * Design notes
 * ------------
 * On a switch node a packet normally climbs the whole host stack to be
 * forwarded: PointToPointNetDevice -> Node (protocol handler walk) ->
 * TrafficControlLayer -> Ipv4L3Protocol::Receive (copy, header parse,
 * interface search, raw sockets) -> routing -> Ipv4L3Protocol::IpForward
 * (copy, priority tag) -> SendRealOut -> Ipv4Interface -> Ipv4QueueDiscItem
 * -> TrafficControlLayer::Send -> device.  In a datacenter simulation that
 * is most of the cost of a hop.
 *
 * This object, aggregated to a switch node, takes over the receive callback
 * of every device that has an IPv4 interface and forwards IPv4 packets
 * addressed to the fabric's hosts itself: one copy of the packet, the IPv4
 * header parsed once, TTL decremented and the header written back (the IPv4
 * checksum checked and recomputed when Node::ChecksumEnabled, read once at
 * Install: set ns3::Node::ChecksumEnabled before), the egress chosen by the
 * node's MtpFabricRouting::ForwardDevice (the same table, the same ECMP
 * strategy and the same random draw as the IPv4 path's RouteInput), and the
 * packet handed to the egress device's Send, synchronously, as the IPv4 path
 * does (or to the device's queue disc, if it has one, as an
 * Ipv4QueueDiscItem, as Ipv4Interface::Send hands it over).  The bytes on the wire, the events and
 * the random draws are the IPv4 path's, so results do not change (the mtp-datacenter suite compares
 * the message records of both paths byte for byte).
 *
 * Everything else falls back, before any routing decision, to what the
 * node's device callback would have done for the Internet stack: the packet
 * goes to the node's TrafficControlLayer::Receive, and from there to IPv4
 * (or ARP, IPv6) unchanged.  Fallback reasons (counted, and reported by the
 * Fallback trace source): not IPv4; shorter than an IPv4 header, IPv4
 * options, a bad checksum or a length that does not match the packet;
 * TTL 0 or 1 (IPv4 drops it with DROP_TTL_EXPIRED and sends ICMP time
 * exceeded); larger than the smallest MTU of the node's IPv4 devices (IPv4
 * fragments it); and whatever the fabric table does not forward (the
 * switch's own addresses, broadcast, multicast, unknown destinations, an
 * input interface that is down or not forwarding, every next hop down).
 *
 * What the fast path does not do: it fires no IPv4 trace source of the
 * switch (Rx, Tx, UnicastForward, Drop) for the packets it forwards (its own
 * Forward trace source has UnicastForward's signature and arguments, and
 * MtpMonitor listens to it on a switch that has an MtpFabricSwitch), raw
 * IPv4 sockets of the switch do not see them, and protocol handlers that
 * someone registers directly with the switch Node (Node::
 * RegisterProtocolHandler) see no packet of its devices; device-level
 * traces and pcap are unchanged.  A SocketPriorityTag is neither added nor
 * removed (the IPv4 path adds one in IpForward and the traffic control layer
 * removes it again before a single-queue device).  When a device's transmit
 * queue is stopped the packet is dropped (counted here), as the traffic
 * control layer drops it without a queue disc.
 */

#ifndef MTP_FABRIC_SWITCH_H
#define MTP_FABRIC_SWITCH_H

#include "ns3/address.h"
#include "ns3/mtp-fabric-egress.h"
#include "ns3/net-device.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

class Ipv4;
class Ipv4Header;
class MtpFabricRouting;
class NetDeviceQueue;
class Node;
class Packet;
class TrafficControlLayer;

/**
 * \ingroup mtp-fabric
 * \brief Forwards IPv4 packets between a switch's devices without the IPv4
 *        stack, with MtpFabricRouting's decisions (see the file comment).
 */
class MtpFabricSwitch : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    /// Why a packet went to the node's IPv4 stack instead of the fast path.
    enum Fallback
    {
        NOT_IPV4,      //!< another protocol than IPv4
        MALFORMED,     //!< too short, IPv4 options, bad checksum or length mismatch
        TTL_EXPIRED,   //!< TTL 0 or 1: IPv4 drops it and answers with ICMP
        TOO_BIG,       //!< larger than the smallest MTU: IPv4 may fragment it
        NOT_FORWARDED, //!< the fabric table does not forward it (local, unknown, down)
        N_FALLBACKS    //!< number of reasons
    };

    MtpFabricSwitch();
    ~MtpFabricSwitch() override;

    /**
     * \brief Aggregate an MtpFabricSwitch to a node and give it the receive
     *        callback of every device that has an IPv4 interface.
     * \param node a node with IPv4 whose routing protocol is an
     *        MtpFabricRouting (MtpFabricRouting::Install), and a traffic
     *        control layer (InternetStackHelper installs both)
     * \return the new object (aborts if the node lacks either, or already
     *         has an MtpFabricSwitch)
     */
    static Ptr<MtpFabricSwitch> Install(Ptr<Node> node);

    /** \return packets forwarded by the fast path */
    uint64_t GetForwarded() const;
    /**
     * \param reason a fallback reason
     * \return packets handed to the IPv4 stack for that reason
     */
    uint64_t GetFallbacks(Fallback reason) const;
    /** \return packets dropped because the egress device's queue was stopped */
    uint64_t GetStoppedDrops() const;

    /**
     * \param reason a fallback reason
     * \return its name (for traces and printing)
     */
    static const char* FallbackName(Fallback reason);

    /**
     * TracedCallback signature of the Fallback trace source.
     * \param packet the packet as received (IPv4 header first)
     * \param device the input device
     * \param reason why it fell back
     */
    typedef void (*FallbackTracedCallback)(Ptr<const Packet> packet,
                                           Ptr<NetDevice> device,
                                           Fallback reason);

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief The devices' receive callback: forward, or fall back.
     * \param device the input device
     * \param p the packet, IPv4 header first
     * \param protocol the L3 protocol number
     * \param from the sender's link address
     * \return true (the packet was taken)
     */
    bool Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> p,
                 uint16_t protocol,
                 const Address& from);

    /**
     * \brief A fabric device's receive callback with ownership
     *        (MtpFabricNetDevice::SetOwnedReceiveCallback): as Receive, but
     *        the packet is forwarded itself, not a copy of it.
     * \param device the input device
     * \param p the packet, IPv4 header first; nothing else holds it
     * \param protocol the L3 protocol number
     * \param from the sender's link address
     * \return true (the packet was taken)
     */
    bool ReceiveOwned(Ptr<NetDevice> device, Ptr<Packet> p, uint16_t protocol, const Address& from);

    /**
     * \brief Forward a packet, or fall back: the work of both receive
     *        callbacks.  Every check reads the packet without changing it,
     *        so a packet that falls back reaches IPv4 as it arrived.
     * \param device the input device
     * \param p the packet, IPv4 header first
     * \param owned p itself when the caller handed it over (it is then
     *        changed in place), else null (a copy is forwarded)
     * \param protocol the L3 protocol number
     * \param from the sender's link address
     * \return true (the packet was taken)
     */
    bool Forward(Ptr<NetDevice> device,
                 Ptr<const Packet> p,
                 Ptr<Packet> owned,
                 uint16_t protocol,
                 const Address& from);

    /**
     * \brief Hand a forwarded packet to its egress: the device's queue disc
     *        if it has one (as Ipv4Interface::Send does), else the device
     *        itself (the traffic control layer's rule without a queue disc:
     *        a stopped device queue drops the packet).
     * \param outIndex the egress device's index on the node
     * \param q the packet without its IPv4 header
     * \param ip the IPv4 header to put back (TTL already decremented)
     */
    void Transmit(uint32_t outIndex, Ptr<Packet> q, const Ipv4Header& ip);

    /**
     * \brief Hand a packet to the node's stack, as the device callback would.
     * \param device the input device
     * \param p the packet
     * \param protocol the L3 protocol number
     * \param from the sender's link address
     * \param reason why (counted and traced)
     * \return true
     */
    bool FallBack(Ptr<NetDevice> device,
                  Ptr<const Packet> p,
                  uint16_t protocol,
                  const Address& from,
                  Fallback reason);

    Ptr<Node> m_node;                                //!< the switch
    Ptr<MtpFabricRouting> m_routing;                 //!< its routing: the forwarding decision
    Ptr<TrafficControlLayer> m_tc;                   //!< where fallbacks go
    Ptr<Ipv4> m_ipv4;                                //!< the node's IPv4 (interface numbers)
    std::vector<MtpFabricEgress> m_ports;            //!< by device ifIndex
    bool m_checksums = false;                        //!< Node::ChecksumEnabled() at Install
    uint32_t m_minMtu = 0;                           //!< smallest IPv4 device MTU
    uint64_t m_forwarded = 0;                        //!< fast-path packets
    uint64_t m_stoppedDrops = 0;                     //!< dropped at a stopped queue
    std::array<uint64_t, N_FALLBACKS> m_fallbacks{}; //!< fallbacks by reason
    /// Fallback trace source.
    TracedCallback<Ptr<const Packet>, Ptr<NetDevice>, Fallback> m_fallbackTrace;
    /// Forward trace source (Ipv4L3Protocol's UnicastForward signature).
    TracedCallback<const Ipv4Header&, Ptr<const Packet>, uint32_t> m_forwardTrace;
};

} // namespace ns3

#endif /* MTP_FABRIC_SWITCH_H */
