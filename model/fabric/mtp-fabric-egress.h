/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpFabricEgress: the last step of the fabric fast paths (MtpFabricSwitch
 * forwarding, MtpFabricHost sending): an IPv4 packet, header built, handed
 * to its output device the way Ipv4Interface::Send and the traffic control
 * layer would hand it over, without their per-packet lookups.
 */

#ifndef MTP_FABRIC_EGRESS_H
#define MTP_FABRIC_EGRESS_H

#include "ns3/address.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/ptr.h"

#include <cstdint>

namespace ns3
{

class Ipv4;
class Ipv4Header;
class NetDevice;
class Packet;
class TrafficControlLayer;

/**
 * \ingroup mtp-fabric
 * \brief What a fast path keeps of one output device, looked up once.
 */
struct MtpFabricEgress
{
    Ptr<NetDevice> device;   //!< the output device (null: no port, nothing looked up)
    Ptr<NetDeviceQueue> txq; //!< the device's transmit queue 0 (null: none)
    Address broadcast;       //!< the device's broadcast address (what IPv4 sends to)
    uint32_t interface = 0;  //!< the device's IPv4 interface number
    bool direct = false;     //!< no ARP, no loopback: IPv4 hands it straight to the device

    /**
     * \brief Look a device up.
     * \param ipv4 the node's IPv4
     * \param device one of its devices
     * \return what the fast path needs of it
     */
    static MtpFabricEgress Of(Ptr<Ipv4> ipv4, Ptr<NetDevice> device);

    /**
     * \brief Hand a packet to the device: to its root queue disc if it has
     *        one (as an Ipv4QueueDiscItem, as Ipv4Interface::Send does), else
     *        to the device itself unless its queue is stopped (the traffic
     *        control layer's rule without a queue disc).
     * \param tc the node's traffic control layer
     * \param q the packet without its IPv4 header
     * \param ip its IPv4 header
     * \return false if the packet was dropped at a stopped device queue
     */
    bool Send(Ptr<TrafficControlLayer> tc, Ptr<Packet> q, const Ipv4Header& ip) const;
};

} // namespace ns3

#endif /* MTP_FABRIC_EGRESS_H */
