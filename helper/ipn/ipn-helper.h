/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnHelper: puts IPN on nodes (an IpnNetworkRegistry and an
 * IpnSocketFactory aggregated to each), creates networks with chosen options
 * and policy, adds TAP devices (IpnNetDevice), grabs existing devices, links
 * two nodes' networks with a cable, and writes pcap traces of TAP devices.
 *
 * IpnCable is VDE's cable/wire between two switches on different machines:
 * a SimpleChannel with a delay (and optional rate) whose two SimpleNetDevices
 * are grabbed by the two networks, so frames cross from one network to the
 * other and two nodes' switches form one LAN.  Like a real cable, a loop of
 * cables floods forever (there is no spanning tree).
 */

#ifndef IPN_HELPER_H
#define IPN_HELPER_H

#include "ns3/data-rate.h"
#include "ns3/ipn-net-device.h"
#include "ns3/ipn-network-registry.h"
#include "ns3/ipn-network.h"
#include "ns3/ipn-socket.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"

#include <string>

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief A cable between two IPN networks on (usually) two nodes.
 */
class IpnCable : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnCable();
    ~IpnCable() override;

    /**
     * \brief Lay the cable.
     * \param a one network
     * \param b the other (on another node, or the same)
     * \param delay one-way delay of the cable
     * \param rate its rate (0 = infinite)
     * \return OK, or the error of grabbing an end (ADDRNOTAVAIL: no free port)
     */
    IpnError Connect(Ptr<IpnNetwork> a, Ptr<IpnNetwork> b, Time delay, DataRate rate);
    /** \brief Unplug both ends. */
    void Disconnect();
    /** \return the two devices at the ends */
    NetDeviceContainer GetDevices() const;

  protected:
    void DoDispose() override;

  private:
    NetDeviceContainer m_devices; //!< the ends
    Ptr<IpnGrab> m_grabA;         //!< end at a
    Ptr<IpnGrab> m_grabB;         //!< end at b
};

/**
 * \ingroup mtp-ipn
 * \brief Sets up IPN on nodes.
 */
class IpnHelper
{
  public:
    IpnHelper();

    /**
     * \param options the options of networks CreateNetwork makes
     */
    void SetNetworkOptions(const IpnNetworkOptions& options);
    /** \param policy the policy of networks CreateNetwork makes */
    void SetPolicy(uint32_t policy);

    /**
     * \brief Aggregate an IpnNetworkRegistry and an IpnSocketFactory to each
     *        node (nodes that have them already are skipped).
     * \param nodes the nodes
     */
    void Install(NodeContainer nodes) const;
    /** \param node one node */
    void Install(Ptr<Node> node) const;

    /**
     * \brief Create a network that lives on even with no socket or device
     *        on it (as if a management process kept it bound).
     * \param node the node (IPN installed on it if needed)
     * \param path its name
     * \return the network (fatal error if the name is taken)
     */
    Ptr<IpnNetwork> CreateNetwork(Ptr<Node> node, const std::string& path) const;

    /**
     * \brief Open a socket (the patch's socket(AF_IPN, SOCK_RAW, policy)).
     * \param node the node (IPN must be installed)
     * \param policy the policy number
     * \return the socket (fatal error on PROTONOSUPPORT)
     */
    static Ptr<IpnSocket> CreateSocket(Ptr<Node> node, uint32_t policy = IPN_ANY);

    /**
     * \brief Add a TAP device to the network's node and attach it.
     * \param net the network
     * \param port port number to ask for (-1 = any)
     * \return the device, with a fresh MAC (fatal error if no port is free)
     */
    Ptr<IpnNetDevice> AddTap(Ptr<IpnNetwork> net, int32_t port = -1) const;

    /**
     * \brief Grab an existing device as a port of the network.
     * \param device the device
     * \param net the network (on the device's node)
     * \return the grab (fatal error on failure)
     */
    Ptr<IpnGrab> Grab(Ptr<NetDevice> device, Ptr<IpnNetwork> net) const;

    /**
     * \brief Link two networks with a cable.
     * \param a one network
     * \param b the other
     * \param delay one-way delay
     * \param rate rate (default: infinite)
     * \return the cable (fatal error on failure)
     */
    Ptr<IpnCable> Cable(Ptr<IpnNetwork> a,
                        Ptr<IpnNetwork> b,
                        Time delay,
                        DataRate rate = DataRate(0)) const;

    /**
     * \brief Write every frame a TAP device sees to
     *        `prefix-<node>-<interface>.pcap` (Ethernet link type).
     * \param prefix file name prefix
     * \param dev the device
     */
    static void EnablePcap(const std::string& prefix, Ptr<IpnNetDevice> dev);

  private:
    IpnNetworkOptions m_options;       //!< options of new networks
    uint32_t m_policy = IPN_BROADCAST; //!< policy of new networks
};

} // namespace ns3

#endif /* IPN_HELPER_H */
