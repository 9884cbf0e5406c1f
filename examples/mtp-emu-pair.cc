/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-emu-pair: MTP RPCs between two ns-3 processes over a real link, in
 * real time (emulation).
 *
 *   netns A                              netns B
 *   mtp-emu-pair --role=server           mtp-emu-pair --role=client
 *   [simulated host 10.0.0.1]            [simulated host 10.0.0.2]
 *     MtpEmuFdNetDevice (raw socket)       MtpEmuFdNetDevice (raw socket)
 *         veth-a  <=================== real veth pair ===>  veth-b
 *
 * The same program runs twice, each process in its own network namespace
 * and each attached by MtpEmulationHelper to its end of a veth pair.  The
 * client sends RPCs of every size in --sizes, --repeat times each, one at a
 * time; the server answers each request with a response of the same length
 * whose byte i is a fixed function of request byte i and of i; the client
 * checks every byte of every response, prints each RPC's latency and a
 * summary per size, then tells the server to stop (a "bye" request).
 *
 * Loss: --lossRate drops that fraction of the frames each process receives
 * (an ns-3 RateErrorModel on the emulated device, for kernels without the
 * netem qdisc); MTP's loss recovery (RESEND after ResendTicks ticks of
 * silence) must recover every loss.  The drops and MTP's resend counters are
 * printed.  With netem loss on the veth instead, pass --lossRate=0 and
 * --lossNote=netem so that the output says where the loss came from.
 *
 * Exit status: 0 when every RPC completed with the right bytes (client) or
 * the client said bye (server); 1 otherwise, or when --timeout (wall-clock
 * bound; the simulator runs in real time) ran out; 2 for bad arguments or
 * missing privileges (the message says what to do).
 *
 * Port mapper (--portMapper=1): each process also runs a port mapper and
 * its daemon (UDP 3935, over the veth like everything else) with
 * ReservePorts.  The server's Bind maps --port to a pool port (0x4000 up),
 * which its daemon reserves on the real host by binding a real TCP socket
 * to it while the mapping lives; the server checks that a real bind of that
 * port now fails (EADDRINUSE), prints it, and after closing its socket (the
 * mapping goes) that the port is free again.  The client first asks the
 * server's daemon for the mapped port (add-and-query, NO_PORT_MAP for its
 * own port), prints it, and its requests go to it.  Both lines take part in
 * the exit status (doc/port-mapper.rst).
 *
 * Needs root (or CAP_NET_RAW): test/emu/run-emu-pair.sh sets up the
 * namespaces and veth pair and runs both processes, e.g. by hand:
 *
 *   ip netns exec A build/bin/mtp-emu-pair --role=server --interface=veth-a \
 *       --local=10.0.0.1 &
 *   ip netns exec B build/bin/mtp-emu-pair --role=client --interface=veth-b \
 *       --local=10.0.0.2 --peer=10.0.0.1 --lossRate=0.02
 */

#include "ns3/core-module.h"
#include "ns3/fd-net-device-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("MtpEmuPair");

namespace
{

/** The request that ends the server, and its response. */
const std::string BYE = "mtp-emu-pair: bye";

/** Byte `i` of the request of RPC number `rpc`. */
uint8_t
RequestByte(uint32_t rpc, uint32_t i)
{
    return static_cast<uint8_t>(rpc * 131 + i * 7 + (i >> 8) + (i >> 16) * 13);
}

/** Byte `i` of the response to a request whose byte `i` is `b`. */
uint8_t
ResponseByte(uint8_t b, uint32_t i)
{
    return static_cast<uint8_t>(~b ^ (i * 29));
}

/** \return the bytes of a packet */
std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> buf(p->GetSize());
    p->CopyData(buf.data(), buf.size());
    return buf;
}

/** \return the text form of `sizes` ("100,1000") parsed, or empty if invalid */
std::vector<uint32_t>
ParseSizes(const std::string& text)
{
    std::vector<uint32_t> sizes;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
    {
        char* end = nullptr;
        unsigned long v = std::strtoul(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v == 0 || v > 1000000)
        {
            return {};
        }
        sizes.push_back(static_cast<uint32_t>(v));
    }
    return sizes;
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

bool g_byeSeen = false; //!< the client said bye
uint32_t g_served = 0;  //!< requests answered (bye excluded)

/** Server: answer every request; stop shortly after the client's bye. */
void
ServerRecv(Ptr<Socket> s)
{
    Ptr<MtpSocket> socket = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> request = socket->RecvMessage(info))
    {
        std::vector<uint8_t> buf = Bytes(request);
        if (std::string(buf.begin(), buf.end()) == BYE)
        {
            g_byeSeen = true;
            // Time for the response to leave and for the client's ACK.
            Simulator::Schedule(MilliSeconds(300), &Simulator::Stop);
        }
        else
        {
            for (uint32_t i = 0; i < buf.size(); ++i)
            {
                buf[i] = ResponseByte(buf[i], i);
            }
            ++g_served;
        }
        if (socket->SendResponse(Create<Packet>(buf.data(), buf.size()), info.id, info.peer) < 0)
        {
            std::cout << "server: SendResponse failed: " << MtpErrorName(socket->GetMtpErrno())
                      << std::endl;
        }
    }
}

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------

/** Client: the RPCs to make and what came of them. */
struct ClientState
{
    Ptr<MtpSocket> socket;                             //!< the client socket
    Address server;                                    //!< where requests go
    std::vector<uint32_t> plan;                        //!< request size of each RPC, in order
    uint32_t next = 0;                                 //!< index of the RPC in flight (or next)
    uint64_t id = 0;                                   //!< its MTP id
    Time start;                                        //!< when it was sent
    std::map<uint32_t, std::vector<double>> latencyUs; //!< size -> latencies of good RPCs
    uint32_t good = 0;                                 //!< RPCs with the right response
    uint32_t bad = 0;                                  //!< RPCs that failed or had wrong bytes
    bool byeSent = false;                              //!< the bye request is in flight
    bool done = false;                                 //!< bye answered (or failed)
};

ClientState g_client; //!< the one client

uint64_t g_macTx = 0;     //!< frames the emulated device was given to send
uint64_t g_macTxDrop = 0; //!< frames it could not write to the interface
uint64_t g_macRx = 0;     //!< frames it read from the interface

/** Count a frame for one of the device counters. */
void
CountFrame(uint64_t* counter, Ptr<const Packet>)
{
    ++*counter;
}

void StartNext();

// ---------------------------------------------------------------------------
// Port mapper (--portMapper)
// ---------------------------------------------------------------------------

/** The port mapper of this process, and what it showed. */
struct PortMapState
{
    Ptr<MtpPortMapper> mapper;        //!< the node's mapper (null without --portMapper)
    Ptr<MtpPortMapperDaemon> daemon;  //!< its daemon
    uint16_t wirePort = 0;            //!< server: the mapped port its socket holds
    bool reservedWhileMapped = false; //!< server: a real bind of wirePort failed (EADDRINUSE)
    bool freeAfterClose = false;      //!< server: a real bind of wirePort worked after Close
};

PortMapState g_pm; //!< the port mapper of this process

/**
 * \brief Try to bind a real TCP socket of this host (namespace) to `port`.
 * \param port a port
 * \return 0 if the bind worked (the socket is closed again), else its errno
 */
int
RealBindErrno(uint16_t port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
    {
        return errno;
    }
    sockaddr_in sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    int err = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0 ? 0 : errno;
    ::close(fd);
    return err;
}

/**
 * \brief Install a port mapper and its daemon (ReservePorts) on `node` and
 *        start the daemon now, so that a Bind before the simulation starts
 *        is mapped already.
 * \param node the simulated host
 */
void
InstallPortMapper(Ptr<Node> node)
{
    MtpPortMapperHelper pm;
    pm.SetDaemonAttribute("ReservePorts", BooleanValue(true));
    // Queries cross a real, possibly lossy, link in real time: resend soon.
    pm.SetDaemonAttribute("RequestTimeout", TimeValue(Seconds(1)));
    g_pm.daemon = pm.Install(node);
    g_pm.mapper = node->GetObject<MtpPortMapper>();
    g_pm.daemon->Start();
    g_pm.mapper->Register();
}

/** Server: after Bind, check that the mapped port is really bound on the host. */
void
CheckReserved(Ptr<MtpSocket> socket, uint16_t port)
{
    Address name;
    socket->GetSockName(name);
    g_pm.wirePort = InetSocketAddress::ConvertFrom(name).GetPort();
    std::vector<uint16_t> held = g_pm.daemon->GetReservedPorts();
    bool listed = std::find(held.begin(), held.end(), g_pm.wirePort) != held.end();
    int err = RealBindErrno(g_pm.wirePort);
    g_pm.reservedWhileMapped = g_pm.wirePort != port && listed && err == EADDRINUSE;
    std::cout << "server: port " << port << " mapped to " << g_pm.wirePort << "; real port "
              << g_pm.wirePort
              << (g_pm.reservedWhileMapped ? " reserved on the host" : " NOT reserved on the host")
              << " (a real bind of it: " << (err ? std::strerror(err) : "succeeded") << ")"
              << std::endl;
}

/** Server: after Close, check that the mapping and its real port are gone. */
void
CheckReleased(Ptr<MtpSocket> socket)
{
    socket->Close();
    int err = RealBindErrno(g_pm.wirePort);
    g_pm.freeAfterClose =
        g_pm.daemon->GetReservedPorts().empty() && g_pm.mapper->GetMappings().empty() && err == 0;
    std::cout << "server: socket closed, mapping removed; real port " << g_pm.wirePort
              << (g_pm.freeAfterClose ? " free again" : " STILL HELD")
              << " (a real bind of it: " << (err ? std::strerror(err) : "succeeded") << ")"
              << std::endl;
}

/** Client: the server's daemon answered (or not); then start the RPCs. */
void
ClientMapped(MtpError error, const MtpPortMapInfo& info)
{
    if (error != MtpError::OK)
    {
        std::cout << "client: port-mapper query for " << info.remote
                  << " failed: " << MtpErrorName(error) << " (" << MtpErrorString(error) << ")"
                  << std::endl;
        ++g_client.bad;
        Simulator::Stop();
        return;
    }
    std::cout << "client: server port " << info.remote.port << " is mapped to "
              << info.mappedRemote.port << " (the server's daemon answered)" << std::endl;
    StartNext();
}

/** Client: ask the server's daemon for the server's mapped port. */
void
ClientQuery(Ipv4Address local)
{
    MtpError e =
        g_pm.mapper->AddAndQueryMapping(InetSocketAddress(local, g_client.socket->GetDefaultPort()),
                                        g_client.server,
                                        MTP_PORTMAP_NO_PORT_MAP,
                                        MakeCallback(&ClientMapped));
    if (e != MtpError::OK)
    {
        std::cout << "client: port-mapper add-and-query refused: " << MtpErrorName(e) << std::endl;
        ++g_client.bad;
        Simulator::Stop();
    }
}

/** \return whether `response` is the right answer to RPC `rpc` of `size` bytes */
bool
CheckResponse(Ptr<const Packet> response, uint32_t rpc, uint32_t size, std::string& why)
{
    if (response->GetSize() != size)
    {
        why =
            "length " + std::to_string(response->GetSize()) + ", expected " + std::to_string(size);
        return false;
    }
    std::vector<uint8_t> buf = Bytes(response);
    for (uint32_t i = 0; i < size; ++i)
    {
        if (buf[i] != ResponseByte(RequestByte(rpc, i), i))
        {
            why = "byte " + std::to_string(i) + " differs";
            return false;
        }
    }
    return true;
}

/** Client: an RPC ended (response or failure). */
void
ClientRecv(Ptr<Socket> s)
{
    MtpRecvInfo info;
    while (true)
    {
        Ptr<Packet> response = g_client.socket->RecvMessage(info);
        if (!response && info.error == MtpError::AGAIN)
        {
            return;
        }
        if (info.id != g_client.id)
        {
            continue;
        }
        if (g_client.byeSent)
        {
            g_client.done = true;
            Simulator::Stop();
            return;
        }
        uint32_t rpc = g_client.next;
        uint32_t size = g_client.plan[rpc];
        double us = (Simulator::Now() - g_client.start).GetNanoSeconds() / 1000.0;
        std::string why = response ? "" : MtpErrorName(info.error);
        bool ok = response && CheckResponse(response, rpc, size, why);
        std::cout << "rpc " << rpc << " size " << size << " "
                  << (ok ? "ok" : "FAILED (" + why + ")") << std::fixed << std::setprecision(1)
                  << " latency " << us << " us" << std::endl;
        if (ok)
        {
            ++g_client.good;
            g_client.latencyUs[size].push_back(us);
        }
        else
        {
            ++g_client.bad;
        }
        ++g_client.next;
        Simulator::ScheduleNow(&StartNext);
    }
}

/** Client: send the next request, or the bye when all are done. */
void
StartNext()
{
    Ptr<Packet> request;
    if (g_client.next < g_client.plan.size())
    {
        uint32_t size = g_client.plan[g_client.next];
        std::vector<uint8_t> buf(size);
        for (uint32_t i = 0; i < size; ++i)
        {
            buf[i] = RequestByte(g_client.next, i);
        }
        request = Create<Packet>(buf.data(), size);
    }
    else
    {
        g_client.byeSent = true;
        request = Create<Packet>(reinterpret_cast<const uint8_t*>(BYE.data()), BYE.size());
    }
    g_client.start = Simulator::Now();
    g_client.id = g_client.socket->SendRequest(request, g_client.server);
    if (g_client.id == 0)
    {
        std::cout << "client: SendRequest failed: " << MtpErrorName(g_client.socket->GetMtpErrno())
                  << std::endl;
        ++g_client.bad;
        Simulator::Stop();
    }
}

/** \return the median of `v` (sorted in place) */
double
Median(std::vector<double>& v)
{
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Client: print per-size latencies. */
void
PrintSummary(const std::vector<uint32_t>& sizes, uint32_t repeat)
{
    std::cout << "\nsize_bytes  ok/sent  median_us  min_us  max_us\n";
    for (uint32_t size : sizes)
    {
        std::vector<double>& v = g_client.latencyUs[size];
        std::cout << std::setw(10) << size << "  " << std::setw(3) << v.size() << "/" << std::left
                  << std::setw(4) << repeat << std::right;
        if (v.empty())
        {
            std::cout << "  -\n";
            continue;
        }
        double median = Median(v);
        std::cout << std::fixed << std::setprecision(1) << std::setw(9) << median << "  "
                  << std::setw(6) << v.front() << "  " << std::setw(6) << v.back() << "\n";
    }
}

/** Print what was lost and what MTP did about it. */
void
PrintLoss(Ptr<Node> node, Ptr<MtpEmuFdNetDevice> device, double lossRate, const std::string& note)
{
    const MtpMetrics& m = MtpStackHelper::GetMtp(node)->GetMetrics();
    std::cout << std::defaultfloat << "loss injection: ";
    if (lossRate > 0)
    {
        std::cout << "ns-3 RateErrorModel on this host's emulated device, rate " << lossRate;
    }
    else
    {
        std::cout << (note.empty() ? "none" : note);
    }
    std::cout << "\nframes here: sent " << g_macTx << ", not sent (write failed) " << g_macTxDrop
              << ", received " << g_macRx;
    std::cout << "\nframes dropped by the error model here: " << device->GetReceiveDrops()
              << "\nMTP here: RESENDs sent " << m.resendsSent << ", RESENDs received "
              << m.resendsReceived << ", DATA packets retransmitted " << m.packetsRetransmitted
              << ", restarts " << m.restarts << ", timeouts " << m.timeouts << std::endl;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string role;
    std::string ifName;
    std::string local = "10.0.0.1";
    std::string peer = "10.0.0.2";
    std::string mask = "255.255.255.0";
    uint16_t port = 100;
    std::string sizesText = "100,1000,10000,100000,1000000";
    uint32_t repeat = 3;
    double lossRate = 0;
    std::string lossNote;
    double timeout = 120;
    bool pcap = false;
    bool metrics = false;
    uint32_t run = 1;
    bool portMapper = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("role", "server or client", role);
    cmd.AddValue("interface", "the real interface (e.g. a veth end) to attach to", ifName);
    cmd.AddValue("local", "this simulated host's IPv4 address", local);
    cmd.AddValue("peer", "client: the server's IPv4 address", peer);
    cmd.AddValue("mask", "IPv4 network mask of the link", mask);
    cmd.AddValue("port", "server port (< 32768)", port);
    cmd.AddValue("sizes",
                 "client: request sizes in bytes, comma separated (1..1000000)",
                 sizesText);
    cmd.AddValue("repeat", "client: RPCs of each size", repeat);
    cmd.AddValue("lossRate", "fraction of received frames the ns-3 error model drops", lossRate);
    cmd.AddValue("lossNote",
                 "where loss comes from when not from --lossRate (e.g. netem)",
                 lossNote);
    cmd.AddValue("timeout", "seconds after which the process gives up", timeout);
    cmd.AddValue("pcap", "write mtp-emu-pair-<role>-*.pcap", pcap);
    cmd.AddValue("metrics", "print this host's MTP metrics at the end", metrics);
    cmd.AddValue("run", "RNG run number (use a different one in each process)", run);
    cmd.AddValue("portMapper",
                 "run a port mapper and its daemon (UDP 3935) with ReservePorts: the server's "
                 "port is mapped and the mapped port held on the real host while mapped; the "
                 "client asks the server's daemon for it",
                 portMapper);
    cmd.Parse(argc, argv);

    std::vector<uint32_t> sizes = ParseSizes(sizesText);
    if ((role != "server" && role != "client") || ifName.empty() || sizes.empty() || repeat == 0 ||
        lossRate < 0 || lossRate >= 1 || timeout <= 0 || port >= 0x8000)
    {
        std::cerr << "mtp-emu-pair: need --role=server|client and --interface=NAME; --sizes "
                     "of 1..1000000 bytes, --repeat >= 1, 0 <= --lossRate < 1, --timeout > 0, "
                     "--port < 32768 (see --help)\n";
        return 2;
    }
    std::string access = MtpEmulationHelper::CheckRawSocketAccess();
    if (access.empty())
    {
        access = MtpEmulationHelper::CheckInterface(ifName);
    }
    if (!access.empty())
    {
        std::cerr << "mtp-emu-pair: " << access << "\n";
        return 2;
    }
    MtpEmulationHelper::ConfigureRealtime();
    RngSeedManager::SetRun(run);
    // The first request's unscheduled packets all wait for ARP: hold them
    // (ns-3 keeps 3 by default; Linux keeps about 100).
    Config::SetDefault("ns3::ArpCache::PendingQueueSize", UintegerValue(100));

    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper internet;
    internet.SetIpv6StackInstall(false);
    internet.Install(node);
    MtpStackHelper().Install(node);

    Ipv4Address localAddr(local.c_str());
    MtpEmulationHelper emu;
    emu.SetReceiveLossRate(lossRate);
    NetDeviceContainer devs =
        emu.InstallOnInterface(node, ifName, MtpEmulationHelper::MacFromIpv4(localAddr));
    Ptr<MtpEmuFdNetDevice> device = DynamicCast<MtpEmuFdNetDevice>(devs.Get(0));
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    int32_t ifIndex = ipv4->AddInterface(device);
    ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(localAddr, Ipv4Mask(mask.c_str())));
    ipv4->SetUp(ifIndex);
    device->TraceConnectWithoutContext("MacTx", MakeBoundCallback(&CountFrame, &g_macTx));
    device->TraceConnectWithoutContext("MacTxDrop", MakeBoundCallback(&CountFrame, &g_macTxDrop));
    device->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&CountFrame, &g_macRx));
    if (pcap)
    {
        FdNetDeviceHelper().EnablePcap("mtp-emu-pair-" + role, device, true);
    }

    if (portMapper)
    {
        InstallPortMapper(node);
    }
    Ptr<MtpSocket> socket =
        DynamicCast<MtpSocket>(Socket::CreateSocket(node, MtpSocketFactory::GetTypeId()));
    if (role == "server")
    {
        if (socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) < 0)
        {
            std::cerr << "server: bind failed: " << MtpErrorName(socket->GetMtpErrno()) << "\n";
            return 2;
        }
        if (portMapper)
        {
            CheckReserved(socket, port);
        }
        socket->SetRecvCallback(MakeCallback(&ServerRecv));
        Simulator::ScheduleNow([&]() {
            std::cout << "server ready on " << ifName << " as " << local << " port " << port << " ("
                      << device->GetAddress() << ", MTU " << device->GetMtu() << ")" << std::endl;
        });
    }
    else
    {
        g_client.socket = socket;
        g_client.server = InetSocketAddress(Ipv4Address(peer.c_str()), port);
        for (uint32_t size : sizes)
        {
            g_client.plan.insert(g_client.plan.end(), repeat, size);
        }
        socket->SetRecvCallback(MakeCallback(&ClientRecv));
        if (portMapper)
        {
            Simulator::ScheduleNow(&ClientQuery, localAddr);
        }
        else
        {
            Simulator::ScheduleNow(&StartNext);
        }
    }
    Simulator::Stop(Seconds(timeout));
    Simulator::Run();

    int status = 0;
    if (role == "server")
    {
        std::cout << "server: answered " << g_served << " requests"
                  << (g_byeSeen ? "" : "; TIMEOUT: the client never said bye") << std::endl;
        status = g_byeSeen ? 0 : 1;
        if (portMapper)
        {
            CheckReleased(socket);
            status = (g_pm.reservedWhileMapped && g_pm.freeAfterClose) ? status : 1;
        }
    }
    else
    {
        uint32_t unfinished = g_client.plan.size() - g_client.good - g_client.bad;
        PrintSummary(sizes, repeat);
        std::cout << "client: " << g_client.good << " of " << g_client.plan.size()
                  << " RPCs correct, " << g_client.bad << " failed, " << unfinished << " unfinished"
                  << (g_client.done ? "" : " (timeout)") << std::endl;
        status = (g_client.good == g_client.plan.size()) ? 0 : 1;
    }
    PrintLoss(node, device, lossRate, lossNote);
    if (metrics)
    {
        MtpStackHelper::PrintMetrics(node, std::cout);
    }
    std::cout << "RESULT: " << (status == 0 ? "PASS" : "FAIL") << std::endl;
    Simulator::Destroy();
    return status;
}
