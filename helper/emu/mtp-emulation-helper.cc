/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-emulation-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/error-model.h"
#include "ns3/global-value.h"
#include "ns3/log.h"
#include "ns3/mtp-emu-fd-net-device.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpEmulationHelper");

namespace
{

/** Linux's CAP_NET_ADMIN (linux/capability.h): create taps, change interfaces. */
constexpr int CAP_NET_ADMIN_BIT = 12;

/** The device that carries tap ioctls. */
const char* const TUN_DEVICE = "/dev/net/tun";

/** \return whether capability `bit` is in this process's effective set */
bool
HasCapability(int bit)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
    {
        if (line.rfind("CapEff:", 0) == 0)
        {
            uint64_t caps = std::stoull(line.substr(7), nullptr, 16);
            return (caps >> bit) & 1;
        }
    }
    return geteuid() == 0;
}

/** What to do when this process lacks the privileges emulation needs. */
std::string
PrivilegeAdvice()
{
    return "Run the program as root (e.g. sudo, or `sudo ip netns exec NS program ...`), or "
           "grant it the capabilities once: sudo setcap cap_net_raw,cap_net_admin+ep "
           "<path of the program>.";
}

/** What to do when a tap cannot be created or attached. */
std::string
TapAdvice(const std::string& tapName)
{
    return "Run the program as root (sudo), or create the tap beforehand for your user: "
           "sudo ip tuntap add dev " +
           tapName + " mode tap user $USER && sudo ip link set " + tapName + " up";
}

/** \return "name: strerror(err)" for messages */
std::string
SysError(const std::string& what, int err)
{
    return what + ": " + std::strerror(err);
}

/**
 * \brief ioctl on an interface through a throw-away AF_INET socket (which
 *        needs no privilege to exist).
 * \return 0, or the errno of the failure
 */
int
InterfaceIoctl(unsigned long request, ifreq& ifr)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
    {
        return errno;
    }
    int rc = ioctl(s, request, &ifr);
    int err = rc < 0 ? errno : 0;
    close(s);
    return err;
}

/** \return an ifreq naming `ifName` (which must fit in IFNAMSIZ - 1) */
ifreq
NamedIfreq(const std::string& ifName)
{
    NS_ABORT_MSG_IF(ifName.empty() || ifName.size() >= IFNAMSIZ,
                    "MtpEmulationHelper: interface name '" << ifName << "' must have 1 to "
                                                           << IFNAMSIZ - 1 << " characters");
    ifreq ifr;
    std::memset(&ifr, 0, sizeof(ifr));
    std::strncpy(ifr.ifr_name, ifName.c_str(), IFNAMSIZ - 1);
    return ifr;
}

/** A sockaddr holding an IPv4 address, for SIOCSIFADDR and SIOCSIFNETMASK. */
sockaddr
Ipv4Sockaddr(uint32_t hostOrder)
{
    sockaddr sa;
    std::memset(&sa, 0, sizeof(sa));
    auto* in = reinterpret_cast<sockaddr_in*>(&sa);
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(hostOrder);
    return sa;
}

} // namespace

MtpEmulationHelper::MtpEmulationHelper()
    : m_lossRate(0),
      m_qdiscBypass(false),
      m_tapLinuxAddress(Ipv4Address::GetAny()),
      m_tapLinuxMask(Ipv4Mask::GetZero())
{
    m_deviceFactory.SetTypeId(MtpEmuFdNetDevice::GetTypeId());
}

void
MtpEmulationHelper::ConfigureRealtime()
{
    GlobalValue::Bind("SimulatorImplementationType",
                      StringValue(RealtimeSimulatorImpl::GetTypeId().GetName()));
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    // Creates the simulator if it does not exist yet, with the type just set.
    Ptr<SimulatorImpl> impl = Simulator::GetImplementation();
    NS_ABORT_MSG_IF(impl->GetInstanceTypeId() != RealtimeSimulatorImpl::GetTypeId(),
                    "MtpEmulationHelper::ConfigureRealtime(): the simulator already exists as "
                        << impl->GetInstanceTypeId().GetName()
                        << "; call ConfigureRealtime() first in main(), before any "
                           "Simulator call or node creation");
}

std::string
MtpEmulationHelper::CheckRawSocketAccess()
{
    // Protocol 0: the socket receives nothing, so probing has no effect.
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd >= 0)
    {
        close(fd);
        return "";
    }
    int err = errno;
    if (err == EPERM || err == EACCES)
    {
        return SysError("cannot open a raw packet socket (needs CAP_NET_RAW)", err) + ". " +
               PrivilegeAdvice();
    }
    return SysError("cannot open a raw packet socket", err) +
           ". This kernel may lack AF_PACKET support.";
}

std::string
MtpEmulationHelper::CheckInterface(const std::string& ifName)
{
    if (ifName.empty() || ifName.size() >= IFNAMSIZ)
    {
        return "interface name '" + ifName + "' must have 1 to " + std::to_string(IFNAMSIZ - 1) +
               " characters";
    }
    if (if_nametoindex(ifName.c_str()) == 0)
    {
        return "no interface named '" + ifName +
               "' in this network namespace. Create it first (e.g. ip link add veth0 type veth "
               "peer name veth1) and run the program in the namespace that holds it (ip netns "
               "exec NS program ...).";
    }
    ifreq ifr = NamedIfreq(ifName);
    if (InterfaceIoctl(SIOCGIFFLAGS, ifr) != 0 || !(ifr.ifr_flags & IFF_UP))
    {
        return "interface " + ifName + " is down: bring it up first (ip link set " + ifName +
               " up)";
    }
    return "";
}

std::string
MtpEmulationHelper::CheckTapAccess(const std::string& tapName)
{
    int fd = open(TUN_DEVICE, O_RDWR | O_CLOEXEC);
    if (fd < 0)
    {
        int err = errno;
        if (err == ENOENT || err == ENODEV || err == ENXIO)
        {
            return SysError(std::string("cannot open ") + TUN_DEVICE, err) +
                   ". Load the tun module (sudo modprobe tun); in a container, pass the "
                   "device in (e.g. docker run --device /dev/net/tun --cap-add NET_ADMIN).";
        }
        return SysError(std::string("cannot open ") + TUN_DEVICE, err) + ". " + TapAdvice(tapName);
    }
    close(fd);
    if (HasCapability(CAP_NET_ADMIN_BIT) || if_nametoindex(tapName.c_str()) != 0)
    {
        return "";
    }
    return "creating tap " + tapName + " needs CAP_NET_ADMIN. " + TapAdvice(tapName);
}

Mac48Address
MtpEmulationHelper::MacFromIpv4(Ipv4Address address)
{
    uint8_t buf[6] = {0x02, 0x00};
    address.Serialize(buf + 2);
    Mac48Address mac;
    mac.CopyFrom(buf);
    return mac;
}

void
MtpEmulationHelper::SetDeviceAttribute(const std::string& name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

void
MtpEmulationHelper::SetReceiveLossRate(double rate)
{
    NS_ABORT_MSG_IF(rate < 0 || rate > 1,
                    "MtpEmulationHelper::SetReceiveLossRate: " << rate << " is not in [0, 1]");
    m_lossRate = rate;
}

void
MtpEmulationHelper::SetHostQdiscBypass(bool bypass)
{
    m_qdiscBypass = bypass;
}

void
MtpEmulationHelper::SetTapLinuxAddress(Ipv4Address address, Ipv4Mask mask)
{
    m_tapLinuxAddress = address;
    m_tapLinuxMask = mask;
}

NetDeviceContainer
MtpEmulationHelper::InstallOnInterface(Ptr<Node> node,
                                       const std::string& ifName,
                                       Mac48Address mac) const
{
    int fd = OpenRawSocket(ifName);
    return NetDeviceContainer(MakeDevice(node, fd, ifName, mac));
}

NetDeviceContainer
MtpEmulationHelper::InstallOnTap(Ptr<Node> node, const std::string& tapName, Mac48Address mac) const
{
    int fd = OpenTap(tapName);
    Ptr<MtpEmuFdNetDevice> device = MakeDevice(node, fd, tapName, mac);
    // IFF_NO_PI: frames carry no packet-information prefix.
    device->SetEncapsulationMode(FdNetDevice::DIX);
    return NetDeviceContainer(device);
}

Ptr<MtpEmuFdNetDevice>
MtpEmulationHelper::MakeDevice(Ptr<Node> node,
                               int fd,
                               const std::string& ifName,
                               Mac48Address mac) const
{
    NS_ABORT_MSG_IF(!node, "MtpEmulationHelper: no node given");
    Ptr<MtpEmuFdNetDevice> device = m_deviceFactory.Create<MtpEmuFdNetDevice>();
    if (mac == Mac48Address())
    {
        // An ns-3 allocated address, made locally administered.
        uint8_t buf[6];
        Mac48Address::Allocate().CopyTo(buf);
        buf[0] |= 0x02;
        mac.CopyFrom(buf);
    }
    device->SetAddress(mac);
    if (m_lossRate > 0)
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        em->SetRate(m_lossRate);
        device->SetReceiveErrorModel(em);
    }
    ifreq ifr = NamedIfreq(ifName);
    if (InterfaceIoctl(SIOCGIFFLAGS, ifr) == 0)
    {
        device->SetIsBroadcast(ifr.ifr_flags & IFF_BROADCAST);
        device->SetIsMulticast(ifr.ifr_flags & IFF_MULTICAST);
    }
    ifr = NamedIfreq(ifName);
    if (InterfaceIoctl(SIOCGIFMTU, ifr) == 0)
    {
        device->SetMtu(ifr.ifr_mtu);
    }
    device->SetFileDescriptor(fd);
    node->AddDevice(device);
    NS_LOG_INFO("node " << node->GetId() << " attached to " << ifName << " as " << mac << ", MTU "
                        << device->GetMtu());
    return device;
}

int
MtpEmulationHelper::OpenRawSocket(const std::string& ifName) const
{
    std::string problem = CheckInterface(ifName);
    NS_ABORT_MSG_IF(!problem.empty(), "MtpEmulationHelper: " << problem);
    unsigned index = if_nametoindex(ifName.c_str());
    // Protocol 0 until bound: no frame of another interface is ever queued.
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    NS_ABORT_MSG_IF(fd < 0,
                    "MtpEmulationHelper: " << CheckRawSocketAccess() << " (interface " << ifName
                                           << ")");
    sockaddr_ll ll;
    std::memset(&ll, 0, sizeof(ll));
    ll.sll_family = AF_PACKET;
    ll.sll_ifindex = static_cast<int>(index);
    ll.sll_protocol = htons(ETH_P_ALL);
    NS_ABORT_MSG_IF(
        bind(fd, reinterpret_cast<sockaddr*>(&ll), sizeof(ll)) < 0,
        "MtpEmulationHelper: " << SysError("cannot bind a raw socket to " + ifName, errno));
    // Promiscuous for as long as this socket is open (the kernel undoes it
    // when the socket closes): frames for the simulated MAC reach us.
    packet_mreq mr;
    std::memset(&mr, 0, sizeof(mr));
    mr.mr_ifindex = static_cast<int>(index);
    mr.mr_type = PACKET_MR_PROMISC;
    NS_ABORT_MSG_IF(
        setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0,
        "MtpEmulationHelper: " << SysError("cannot put " + ifName + " in promiscuous mode", errno));
    if (m_qdiscBypass)
    {
        int one = 1;
        if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
        {
            NS_LOG_WARN("PACKET_QDISC_BYPASS refused on " << ifName << ": "
                                                          << std::strerror(errno));
        }
    }
    return fd;
}

int
MtpEmulationHelper::OpenTap(const std::string& tapName) const
{
    ifreq ifr = NamedIfreq(tapName);
    int fd = open(TUN_DEVICE, O_RDWR | O_CLOEXEC);
    NS_ABORT_MSG_IF(fd < 0, "MtpEmulationHelper: " << CheckTapAccess(tapName));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
    {
        int err = errno;
        close(fd);
        std::string why = SysError("cannot create or attach tap " + tapName, err);
        NS_ABORT_MSG_IF(err == EPERM || err == EACCES,
                        "MtpEmulationHelper: " << why << ". " << TapAdvice(tapName));
        NS_ABORT_MSG_IF(err == EBUSY,
                        "MtpEmulationHelper: " << why
                                               << " (another process holds it, or it is a tun "
                                                  "device, not a tap)");
        NS_FATAL_ERROR("MtpEmulationHelper: " << why);
    }
    if (m_tapLinuxAddress != Ipv4Address::GetAny())
    {
        ifreq addr = NamedIfreq(tapName);
        addr.ifr_addr = Ipv4Sockaddr(m_tapLinuxAddress.Get());
        int err = InterfaceIoctl(SIOCSIFADDR, addr);
        ifreq mask = NamedIfreq(tapName);
        mask.ifr_netmask = Ipv4Sockaddr(m_tapLinuxMask.Get());
        err = err ? err : InterfaceIoctl(SIOCSIFNETMASK, mask);
        NS_ABORT_MSG_IF(err != 0,
                        "MtpEmulationHelper: "
                            << SysError("cannot give tap " + tapName + " its Linux address", err)
                            << ". " << PrivilegeAdvice());
    }
    ifreq flags = NamedIfreq(tapName);
    int err = InterfaceIoctl(SIOCGIFFLAGS, flags);
    if (err == 0 && !(flags.ifr_flags & IFF_UP))
    {
        flags.ifr_flags |= IFF_UP | IFF_RUNNING;
        err = InterfaceIoctl(SIOCSIFFLAGS, flags);
    }
    NS_ABORT_MSG_IF(err != 0,
                    "MtpEmulationHelper: " << SysError("cannot bring tap " + tapName + " up", err)
                                           << ". " << TapAdvice(tapName));
    return fd;
}

} // namespace ns3
