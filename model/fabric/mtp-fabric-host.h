/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpFabricHost: a fast local-delivery path for the hosts of a datacenter
 * fabric, beside (not instead of) ns-3's IPv4 stack.
 *
 * Design notes
 * ------------
 * A packet that reaches a host climbs PointToPointNetDevice -> Node
 * (protocol handler walk) -> TrafficControlLayer -> Ipv4L3Protocol::Receive
 * (copy, header parse, interface search, raw sockets, four callbacks built)
 * -> routing (RouteInput) -> Ipv4L3Protocol::LocalDeliver (two more copies,
 * protocol lookup) before its transport sees it: about 11% of the
 * instructions of a datacenter run.
 *
 * This object, aggregated to a host, takes over the receive callback of every
 * device that has an IPv4 interface and delivers an IPv4 packet addressed to
 * one of the host's unicast addresses (MtpFabricRouting's local set, what
 * RouteInput delivers locally) straight to its L4 protocol's Receive, with
 * the header removed and the interface IPv4 would pass, synchronously, as
 * LocalDeliver does; when the transport answers RX_ENDPOINT_UNREACH it sends
 * ICMP port unreachable as LocalDeliver does.  Its Deliver trace source has
 * LocalDeliver's signature and arguments, fired where LocalDeliver fires it
 * (MtpMonitor listens to it on a host that has an MtpFabricHost).
 *
 * Everything else goes, unchanged, to the node's TrafficControlLayer::
 * Receive (and from there to IPv4, ARP, IPv6), counted by reason: not IPv4;
 * too short, IPv4 options, a bad checksum (checked when Node::ChecksumEnabled
 * at Install) or a length that does not match the packet (IPv4 trims
 * padding); a fragment (IPv4 reassembles); an input interface that is down;
 * not one of the host's addresses (IPv4 forwards or drops it); a protocol
 * with no L4 handler.
 *
 * What it does not do: Ipv4L3Protocol's Rx and LocalDeliver trace sources do
 * not fire for the packets it delivers (its Deliver trace does), raw IPv4
 * sockets of the host do not see them, and protocol handlers registered
 * directly with the host's Node see none of its devices' frames.  Device
 * traces and pcap are unchanged.
 *
 * Sending.  Send has the signature of Ipv4::Send (an IpL4Protocol's down
 * target) and does what Ipv4L3Protocol::Send, SendRealOut, Ipv4Interface::
 * Send and the traffic control layer do for a unicast packet that comes with
 * a route through a device that needs no ARP: TTL and TOS from the socket
 * tags (which it removes), the header IPv4 builds (the same identification
 * counter per source, destination and protocol, checksum when Node::
 * ChecksumEnabled, TTL from Ipv4L3Protocol's DefaultTtl read at Install),
 * then the device's queue disc or the device.  The bytes, the events and
 * their order are IPv4's, so results do not change (the mtp-datacenter suite
 * compares message records of both paths byte for byte).  An MtpL4Protocol
 * on a node with an MtpFabricHost sends through it (wiring by aggregation).
 * Everything else goes to Ipv4L3Protocol::Send unchanged, counted: no route,
 * broadcast or multicast, a destination that is one
 * of the host's own addresses, a device that needs ARP or is no fabric port,
 * larger than the device MTU (IPv4 fragments it; fragments take their
 * identification from IPv4's own counter).  An interface that is down drops
 * the packet silently, as SendRealOut does.  Ipv4L3Protocol's SendOutgoing
 * and Tx trace sources do not fire for the packets it sends; its Send trace
 * (SendOutgoing's signature) fires where SendOutgoing would.
 */

#ifndef MTP_FABRIC_HOST_H
#define MTP_FABRIC_HOST_H

#include "ns3/address.h"
#include "ns3/ipv4-address.h"
#include "ns3/mtp-addr-index.h"
#include "ns3/mtp-fabric-egress.h"
#include "ns3/net-device.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

class Ipv4Header;
class Ipv4Interface;
class Ipv4L3Protocol;
class Ipv4Route;
class MtpFabricRouting;
class Node;
class Packet;
class TrafficControlLayer;

/**
 * \ingroup mtp-fabric
 * \brief Delivers IPv4 packets addressed to a host to its transport without
 *        the IPv4 stack (see the file comment).
 */
class MtpFabricHost : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    /// Why a packet went to the node's IPv4 stack instead of the fast path.
    enum Fallback
    {
        NOT_IPV4,    //!< another protocol than IPv4
        MALFORMED,   //!< too short, IPv4 options, bad checksum or length mismatch
        FRAGMENT,    //!< a fragment: IPv4 reassembles it
        DOWN,        //!< the input interface is down: IPv4 drops it
        NOT_LOCAL,   //!< not one of the host's addresses
        NO_PROTOCOL, //!< no L4 protocol for its protocol number
        N_FALLBACKS  //!< number of reasons
    };

    MtpFabricHost();
    ~MtpFabricHost() override;

    /**
     * \brief Aggregate an MtpFabricHost to a node and give it the receive
     *        callback of every device that has an IPv4 interface.
     * \param node a node with Ipv4L3Protocol routed by MtpFabricRouting and
     *        a traffic control layer
     * \return the new object (aborts if the node lacks one of them, or
     *         already has an MtpFabricHost)
     */
    static Ptr<MtpFabricHost> Install(Ptr<Node> node);

    /**
     * \brief Send an L4 packet as Ipv4::Send would (see the file comment);
     *        an IpL4Protocol's down target.
     * \param p the packet, L4 header first (its socket tags are removed)
     * \param source the source address
     * \param destination the destination address
     * \param protocol the L4 protocol number
     * \param route the route (null: IPv4 looks one up)
     */
    void Send(Ptr<Packet> p,
              Ipv4Address source,
              Ipv4Address destination,
              uint8_t protocol,
              Ptr<Ipv4Route> route);

    /** \return packets sent by the fast path */
    uint64_t GetSent() const;
    /** \return packets the fast path left to Ipv4L3Protocol::Send */
    uint64_t GetSendFallbacks() const;

    /** \return packets delivered by the fast path */
    uint64_t GetDelivered() const;
    /**
     * \param reason a fallback reason
     * \return packets handed to the IPv4 stack for that reason
     */
    uint64_t GetFallbacks(Fallback reason) const;

  protected:
    void DoDispose() override;

  private:
    /// What the fast path keeps of one device of the node, by ifIndex.
    struct Port
    {
        Ptr<Ipv4Interface> interface; //!< its IPv4 interface (null: not an IPv4 port)
        uint32_t index = 0;           //!< that interface's number
        MtpFabricEgress egress;       //!< how packets leave through it
    };

    /**
     * \param p a packet Send was given
     * \param destination its destination
     * \param route its route
     * \return the port the fast path sends it through, or null if it goes
     *         to Ipv4L3Protocol::Send (see the file comment)
     */
    const Port* SendPort(Ptr<const Packet> p, Ipv4Address destination, Ptr<Ipv4Route> route) const;

    /**
     * \param source a source address
     * \param destination a destination address
     * \param protocol an L4 protocol number
     * \return the identification for the next datagram of the three, which
     *         is counted
     */
    uint16_t NextIdentification(Ipv4Address source, Ipv4Address destination, uint8_t protocol);

    /**
     * \brief The IPv4 header Ipv4L3Protocol::BuildHeader would build; takes
     *        the socket TTL and TOS tags off the packet.
     * \param p the packet
     * \param source the source address
     * \param destination the destination address
     * \param protocol the L4 protocol number
     * \return the header
     */
    Ipv4Header BuildHeader(Ptr<Packet> p,
                           Ipv4Address source,
                           Ipv4Address destination,
                           uint8_t protocol);

    /**
     * \brief The devices' receive callback: deliver, or fall back.
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
     * \brief What LocalDeliver does when the transport has no endpoint: ICMP
     *        port unreachable, unless the destination is a (subnet) broadcast.
     * \param ip the packet's IPv4 header
     * \param p the packet as received (IPv4 header first)
     * \param iif its input interface
     */
    void Unreachable(const Ipv4Header& ip, Ptr<const Packet> p, uint32_t iif);

    /**
     * \brief Hand a packet to the node's stack, as the device callback would.
     * \param device the input device
     * \param p the packet
     * \param protocol the L3 protocol number
     * \param from the sender's link address
     * \param reason why (counted)
     * \return true
     */
    bool FallBack(Ptr<NetDevice> device,
                  Ptr<const Packet> p,
                  uint16_t protocol,
                  const Address& from,
                  Fallback reason);

    Ptr<Node> m_node;                //!< the host
    Ptr<Ipv4L3Protocol> m_ipv4;      //!< its IPv4 (L4 protocols, ICMP)
    Ptr<MtpFabricRouting> m_routing; //!< its routing: the local addresses
    Ptr<TrafficControlLayer> m_tc;   //!< where fallbacks go
    std::vector<Port> m_ports;       //!< by device ifIndex
    bool m_checksums = false;        //!< Node::ChecksumEnabled() at Install
    uint8_t m_defaultTtl = 64;       //!< Ipv4L3Protocol's DefaultTtl at Install

    /// The next IPv4 identification from one source for one protocol.
    struct IdCounter
    {
        uint32_t source = 0;  //!< the source address
        uint8_t protocol = 0; //!< the protocol
        uint16_t next = 0;    //!< the next identification
    };

    MtpAddrIndex m_idByDestination; //!< destination -> its list in m_idCounters
    /// Identification counters per destination, as Ipv4L3Protocol keeps them
    /// per source, destination and protocol (a list of one, usually).
    std::vector<std::vector<IdCounter>> m_idCounters;
    uint64_t m_sent = 0;                             //!< packets sent by the fast path
    uint64_t m_sendFallbacks = 0;                    //!< packets left to Ipv4L3Protocol::Send
    uint64_t m_delivered = 0;                        //!< fast-path packets
    std::array<uint64_t, N_FALLBACKS> m_fallbacks{}; //!< fallbacks by reason
    /// Deliver trace source (Ipv4L3Protocol's LocalDeliver signature).
    TracedCallback<const Ipv4Header&, Ptr<const Packet>, uint32_t> m_deliverTrace;
    /// Send trace source (Ipv4L3Protocol's SendOutgoing signature).
    TracedCallback<const Ipv4Header&, Ptr<const Packet>, uint32_t> m_sendTrace;
};

} // namespace ns3

#endif /* MTP_FABRIC_HOST_H */
