/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpEmulationHelper: puts simulated MTP hosts on real Linux interfaces, so
 * that ns-3 nodes exchange real frames with other processes, namespaces or
 * machines (emulation), in real time.
 *
 * Two attachments, both an MtpEmuFdNetDevice (an FdNetDevice with a receive
 * error model) whose file descriptor this helper opens itself:
 *  - InstallOnInterface: a raw packet socket (AF_PACKET, SOCK_RAW, all
 *    EtherTypes) bound to an existing Ethernet-like interface, e.g. one end
 *    of a veth pair, as ns-3's EmuFdNetDeviceHelper does.  The simulated
 *    host has its own MAC address, and the interface is put in promiscuous
 *    mode for as long as the socket is open, so the kernel hands it frames
 *    sent to that address; the kernel's own IP stack ignores them (they are
 *    not for its MAC).
 *  - InstallOnTap: a tap device (/dev/net/tun, IFF_TAP | IFF_NO_PI), created
 *    if it does not exist, attached if it does (a persistent tap made with
 *    `ip tuntap add ... user U` lets user U attach without privileges).  The
 *    simulated host is then a neighbour of the Linux host on the tap's link;
 *    the helper can also give the Linux side its IPv4 address.
 *
 * Why not ns-3's EmuFdNetDeviceHelper, TapFdNetDeviceHelper or TapBridge:
 * they obtain the descriptor by running a setuid "creator" program at a path
 * fixed when ns-3 was compiled.  Debian's ns-3 packages name a path on
 * Debian's build machine (/build/ns3-.../build/src/...), which does not
 * exist on an installed system (Debian installs the programs under
 * /usr/libexec/ns3), so those helpers abort.  FdNetDevice accepts any
 * descriptor, so this helper opens it in-process, which needs the
 * privileges the creator program would have had: CAP_NET_RAW for a raw
 * socket, CAP_NET_ADMIN to create a tap or change interface flags.  Without
 * them the helper says so, and what to do (CheckRawSocketAccess /
 * CheckTapAccess let a program ask first and exit cleanly).
 *
 * Real time and checksums: ConfigureRealtime() selects
 * ns3::RealtimeSimulatorImpl and turns on ChecksumEnabled (real hosts drop
 * packets whose checksums are zero or wrong).  Both are GlobalValues read
 * when the simulator is created and when stacks build their headers, so call
 * it first in main(): before any Simulator call, before creating nodes and
 * before installing the Internet and MTP stacks.
 */

#ifndef MTP_EMULATION_HELPER_H
#define MTP_EMULATION_HELPER_H

#include "ns3/attribute.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"

#include <string>

namespace ns3
{

class MtpEmuFdNetDevice;

/**
 * \ingroup mtp-emu
 * \brief Attaches simulated hosts to real interfaces (raw socket or tap)
 *        for real-time emulation.
 */
class MtpEmulationHelper
{
  public:
    MtpEmulationHelper();

    /**
     * \brief Select the real-time simulator and enable checksums
     *        (GlobalValues SimulatorImplementationType and ChecksumEnabled).
     *
     * Call first in main(), before any Simulator call and before stacks
     * are installed.  Fatal error if the simulator already exists with
     * another implementation.
     */
    static void ConfigureRealtime();

    /**
     * \brief Can this process open a raw packet socket (CAP_NET_RAW)?
     * \return an empty string if it can, else why not and what to do
     */
    static std::string CheckRawSocketAccess();

    /**
     * \brief Does the interface `ifName` exist in this network namespace,
     *        and is it up (as InstallOnInterface needs)?
     * \param ifName the interface's name
     * \return an empty string if so, else what is wrong and what to do
     */
    static std::string CheckInterface(const std::string& ifName);

    /**
     * \brief Can this process open /dev/net/tun and attach to (or create)
     *        the tap device `tapName`?
     * \param tapName the tap device's name
     * \return an empty string if it can, else why not and what to do
     */
    static std::string CheckTapAccess(const std::string& tapName);

    /**
     * \brief A locally administered unicast MAC address derived from an
     *        IPv4 address (02:00:a:b:c:d), for hosts in separate processes
     *        that must not collide.
     * \param address the host's IPv4 address
     * \return the MAC address
     */
    static Mac48Address MacFromIpv4(Ipv4Address address);

    /**
     * \brief Set an Attribute of the devices to create (MtpEmuFdNetDevice
     *        and FdNetDevice Attributes, e.g. "ReceiveErrorModel").
     * \param name the Attribute name
     * \param value its value
     */
    void SetDeviceAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Give every device created afterwards its own RateErrorModel
     *        that drops this fraction of received frames (0: none).
     * \param rate the frame loss probability, in [0, 1]
     */
    void SetReceiveLossRate(double rate);

    /**
     * \brief Send frames on a raw socket without the interface's qdisc
     *        (PACKET_QDISC_BYPASS), as EmuFdNetDeviceHelper can.  Off by
     *        default, so that a qdisc (e.g. netem) on the interface applies.
     * \param bypass true to bypass the qdisc
     */
    void SetHostQdiscBypass(bool bypass);

    /**
     * \brief Set the IPv4 address (and mask) InstallOnTap gives the Linux
     *        side of the tap.  Without it the tap's addresses are left alone.
     * \param address the Linux host's address on the tap
     * \param mask its network mask
     */
    void SetTapLinuxAddress(Ipv4Address address, Ipv4Mask mask);

    /**
     * \brief Attach a node to an existing interface through a raw packet
     *        socket (needs CAP_NET_RAW).
     * \param node the node
     * \param ifName the interface, e.g. one end of a veth pair
     * \param mac the simulated host's MAC address (default: a locally
     *        administered one allocated by ns-3)
     * \return the MtpEmuFdNetDevice, in a container
     */
    NetDeviceContainer InstallOnInterface(Ptr<Node> node,
                                          const std::string& ifName,
                                          Mac48Address mac = Mac48Address()) const;

    /**
     * \brief Attach a node to a tap device (created if absent; creating,
     *        bringing it up or addressing it needs CAP_NET_ADMIN).
     * \param node the node
     * \param tapName the tap's name (at most 15 characters)
     * \param mac the simulated host's MAC address (as in InstallOnInterface)
     * \return the MtpEmuFdNetDevice, in a container
     */
    NetDeviceContainer InstallOnTap(Ptr<Node> node,
                                    const std::string& tapName,
                                    Mac48Address mac = Mac48Address()) const;

  private:
    /**
     * \brief Make a device for `node` with address `mac` (or an allocated
     *        one), the descriptor `fd` and the interface's MTU.
     * \param node the node
     * \param fd the open descriptor (raw socket or tap)
     * \param ifName the interface's name (for its MTU)
     * \param mac the address, or 00:00:00:00:00:00 to allocate one
     * \return the device, added to the node
     */
    Ptr<MtpEmuFdNetDevice> MakeDevice(Ptr<Node> node,
                                      int fd,
                                      const std::string& ifName,
                                      Mac48Address mac) const;

    /**
     * \brief Open a raw packet socket bound to `ifName`, promiscuous.
     * \param ifName the interface
     * \return the descriptor (fatal error, with advice, on failure)
     */
    int OpenRawSocket(const std::string& ifName) const;

    /**
     * \brief Open (or create) the tap `tapName`, bring it up, and address
     *        its Linux side if asked.
     * \param tapName the tap
     * \return the descriptor (fatal error, with advice, on failure)
     */
    int OpenTap(const std::string& tapName) const;

    ObjectFactory m_deviceFactory; //!< makes the MtpEmuFdNetDevices
    double m_lossRate;             //!< frame loss rate of each new device's error model
    bool m_qdiscBypass;            //!< raw sockets bypass the interface's qdisc
    Ipv4Address m_tapLinuxAddress; //!< Linux side's address on a tap (0.0.0.0: leave)
    Ipv4Mask m_tapLinuxMask;       //!< and its mask
};

} // namespace ns3

#endif /* MTP_EMULATION_HELPER_H */
