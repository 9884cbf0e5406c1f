/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * TAP and GRAB: network devices as ports of an IPN network (the patch's
 * ipn_netdev.c).
 *
 *  - IpnNetDevice (TAP, IPN_NODEFLAG_TAP): a NetDevice of the node whose
 *    "wire" is a port of an IPN network.  It speaks Ethernet (its own MAC,
 *    broadcast and multicast, ARP), so IPv4, IPv6 and MTP run over it: a
 *    frame the stack sends becomes one IPN message (destination MAC, source
 *    MAC, EtherType, payload; at most the network's MTU, so MTU 1514 leaves
 *    1500 bytes for IP); a message the policy delivers to the port is
 *    received as a frame.
 *  - IpnGrab (GRAB, IPN_NODEFLAG_GRAB): attaches an existing NetDevice as a
 *    port.  Every frame the device receives enters the network (a
 *    promiscuous protocol handler sees it; the frame is rebuilt from source,
 *    destination and protocol); every message for the port leaves through
 *    the device's SendFrom (or Send).  ns-3 cannot steal frames from a
 *    device as the kernel's bridge hook does: a grabbed device should carry
 *    no IP stack of its own.
 *
 * Persistence: in the patch a device port is created from a socket and
 * vanishes with it unless made persistent (IPN_SETPERSIST).  In ns-3 a
 * NetDevice cannot be removed from a node, so device ports here are always
 * persistent: they stay on the network (and keep it alive) until Detach().
 *
 * Devices never block: a frame for a LOSSLESS network whose pool is full is
 * dropped (MacTxDrop), as the patch's leaky allocation does for devices.
 */

#ifndef IPN_NET_DEVICE_H
#define IPN_NET_DEVICE_H

#include "ns3/channel.h"
#include "ns3/ipn-network.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

class IpnNetDevice;

/**
 * \ingroup mtp-ipn
 * \brief The Channel of the TAP devices attached to one IPN network (for
 *        code that walks channels, such as global routing).
 */
class IpnChannel : public Channel
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnChannel();
    /** \param dev a TAP device attached to the network */
    void Add(Ptr<IpnNetDevice> dev);
    /** \param dev a TAP device leaving the network */
    void Remove(Ptr<IpnNetDevice> dev);
    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

    /**
     * \param net a network
     * \return its channel (created and aggregated to it on first use)
     */
    static Ptr<IpnChannel> Of(Ptr<IpnNetwork> net);

  protected:
    void DoDispose() override;

  private:
    std::vector<Ptr<IpnNetDevice>> m_devices; //!< attached TAP devices
};

/**
 * \ingroup mtp-ipn
 * \brief TAP: an Ethernet NetDevice that is a port of an IPN network.
 */
class IpnNetDevice : public NetDevice
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnNetDevice();
    ~IpnNetDevice() override;

    /**
     * \brief Become a port of a network (IPN_CONN_NETDEV with IPN_NODEFLAG_TAP).
     * \param net the network (on this device's node)
     * \param port the port number to ask for (-1 = any)
     * \return OK, ISCONN (already attached) or ADDRNOTAVAIL (no free port)
     */
    IpnError Attach(Ptr<IpnNetwork> net, int32_t port = -1);
    /** \brief Leave the network (link down). */
    void Detach();
    /** \return the network, or nullptr */
    Ptr<IpnNetwork> GetNetwork() const;
    /** \return the IPN port */
    Ptr<IpnPort> GetPort() const;

    // ---- NetDevice ----
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;

  private:
    /** The network has a frame for this port (copied; delivered in a new event). */
    void FromNetwork(Ptr<const Packet> frame);
    /** Hand a frame to the node. */
    void Receive(Ptr<Packet> frame);
    /** Tell the link-change listeners. */
    void NotifyLinkChange();

    Ptr<Node> m_node;                                    //!< the node
    uint32_t m_ifIndex = 0;                              //!< interface index
    Mac48Address m_address;                              //!< our MAC
    uint16_t m_mtu = 1500;                               //!< IP MTU (the network's MTU minus 14)
    Ptr<IpnPort> m_port;                                 //!< our IPN port
    Ptr<IpnChannel> m_channel;                           //!< the network's channel while attached
    NetDevice::ReceiveCallback m_rxCallback;             //!< to the stack
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< to promiscuous listeners
    std::vector<Callback<void>> m_linkChange;            //!< link listeners

    TracedCallback<Ptr<const Packet>> m_macTxTrace;          //!< frame payload from the stack
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;      //!< frame dropped on send
    TracedCallback<Ptr<const Packet>> m_macRxTrace;          //!< payload up to the stack
    TracedCallback<Ptr<const Packet>> m_snifferTrace;        //!< whole frames to/from this host
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace; //!< every whole frame seen
};

/**
 * \ingroup mtp-ipn
 * \brief GRAB: an existing NetDevice attached as a port of an IPN network.
 *
 * Aggregated to the grabbed device, so a device can be grabbed once.
 */
class IpnGrab : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnGrab();
    ~IpnGrab() override;

    /**
     * \brief Grab a device (IPN_CONN_NETDEV with IPN_NODEFLAG_GRAB).
     * \param device the device (on the network's node; not a loopback)
     * \param net the network
     * \param[out] error OK, INVAL (loopback or other node), BUSY (already
     *             grabbed) or ADDRNOTAVAIL (no free port)
     * \return the grab, or nullptr
     */
    static Ptr<IpnGrab> Attach(Ptr<NetDevice> device, Ptr<IpnNetwork> net, IpnError& error);
    /** \brief Release the device. */
    void Detach();
    /** \return the grabbed device */
    Ptr<NetDevice> GetDevice() const;
    /** \return the IPN port */
    Ptr<IpnPort> GetPort() const;

  protected:
    void DoDispose() override;

  private:
    /** Protocol handler: a frame arrived on the device. */
    void FromDevice(Ptr<NetDevice> device,
                    Ptr<const Packet> packet,
                    uint16_t protocol,
                    const Address& from,
                    const Address& to,
                    NetDevice::PacketType type);
    /** A message for this port: send it out of the device. */
    void FromNetwork(Ptr<const Packet> frame);

    Ptr<NetDevice> m_device;                       //!< the grabbed device
    Ptr<IpnPort> m_port;                           //!< our IPN port
    bool m_attached = false;                       //!< handler registered
    Node::ProtocolHandler m_handler;               //!< our protocol handler (to unregister it)
    TracedCallback<Ptr<const Packet>> m_dropTrace; //!< frame not let into the network
};

} // namespace ns3

#endif /* IPN_NET_DEVICE_H */
