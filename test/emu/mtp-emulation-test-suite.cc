/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the emulation pieces that need no privileges: MtpEmuFdNetDevice
 * runs over one end of a Unix datagram socket pair (each datagram is one
 * Ethernet frame, as on a tap) under the real-time scheduler, and the test
 * plays the real network on the other end.  Frames written there must reach
 * the node byte for byte, frames for another MAC must not, the receive
 * error model must drop and trace, and frames the node sends must come out
 * byte for byte.  The root-only paths (raw sockets on a veth, taps) are
 * covered by the CTests emu-pair and emu-tap (test/emu/).
 */

#include "ns3/mtp-emu-fd-net-device.h"
#include "ns3/mtp-emulation-helper.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace ns3
{
namespace
{

/// An experimental EtherType (IEEE 802 local experimental 1).
constexpr uint16_t TEST_ETHERTYPE = 0x88B5;
/// Payload bytes of every test frame.
constexpr uint32_t PAYLOAD = 100;

/// Payload byte i of frame `id`.
uint8_t
PayloadByte(uint32_t id, uint32_t i)
{
    return static_cast<uint8_t>(id * 37 + i * 11 + 5);
}

/** Count one frame the error model dropped. */
void
CountDrop(uint32_t* counter, Ptr<const Packet>)
{
    ++*counter;
}

/** \return the frame `id` from `src` to `dst`, as it would cross a wire */
std::vector<uint8_t>
WireFrame(Mac48Address dst, Mac48Address src, uint32_t id)
{
    std::vector<uint8_t> f(14 + PAYLOAD);
    dst.CopyTo(f.data());
    src.CopyTo(f.data() + 6);
    f[12] = TEST_ETHERTYPE >> 8;
    f[13] = TEST_ETHERTYPE & 0xff;
    for (uint32_t i = 0; i < PAYLOAD; ++i)
    {
        f[14 + i] = PayloadByte(id, i);
    }
    return f;
}

/**
 * \ingroup mtp
 * \brief MtpEmuFdNetDevice over a socket pair: receive, filter, drop, send.
 */
class MtpEmuDeviceTestCase : public TestCase
{
  public:
    MtpEmuDeviceTestCase()
        : TestCase("MtpEmuFdNetDevice: frames in and out byte for byte; error model drops")
    {
    }

  private:
    void DoRun() override;

    /** The "real network" writes frame `id` addressed to `dst`. */
    void Inject(Mac48Address dst, uint32_t id);

    /** The node's protocol handler: record what arrived. */
    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);

    int m_wire = -1;                         //!< the test's end of the socket pair
    Mac48Address m_nodeMac;                  //!< the device's address
    Mac48Address m_peerMac;                  //!< the "real host's" address
    std::vector<std::vector<uint8_t>> m_got; //!< payloads the node received, in order
    std::vector<Address> m_from;             //!< their source addresses
    uint32_t m_traced = 0;                   //!< PhyRxDrop trace calls
};

void
MtpEmuDeviceTestCase::Inject(Mac48Address dst, uint32_t id)
{
    std::vector<uint8_t> f = WireFrame(dst, m_peerMac, id);
    NS_TEST_ASSERT_MSG_EQ(write(m_wire, f.data(), f.size()),
                          static_cast<ssize_t>(f.size()),
                          "writing frame " << id);
}

void
MtpEmuDeviceTestCase::Receive(Ptr<NetDevice> device,
                              Ptr<const Packet> packet,
                              uint16_t protocol,
                              const Address& from,
                              const Address& to,
                              NetDevice::PacketType type)
{
    NS_TEST_EXPECT_MSG_EQ(protocol, TEST_ETHERTYPE, "EtherType");
    std::vector<uint8_t> buf(packet->GetSize());
    packet->CopyData(buf.data(), buf.size());
    m_got.push_back(buf);
    m_from.push_back(from);
}

void
MtpEmuDeviceTestCase::DoRun()
{
    int fds[2];
    NS_TEST_ASSERT_MSG_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, fds), 0, "socketpair");
    m_wire = fds[1];
    m_nodeMac = MtpEmulationHelper::MacFromIpv4(Ipv4Address("10.1.2.3"));
    m_peerMac = Mac48Address("02:aa:bb:cc:dd:ee");
    NS_TEST_ASSERT_MSG_EQ(m_nodeMac, Mac48Address("02:00:0a:01:02:03"), "MacFromIpv4");

    Simulator::Destroy();
    ObjectFactory realtime;
    realtime.SetTypeId(RealtimeSimulatorImpl::GetTypeId());
    Simulator::SetImplementation(realtime.Create<SimulatorImpl>());

    Ptr<Node> node = CreateObject<Node>();
    Ptr<MtpEmuFdNetDevice> dev = CreateObject<MtpEmuFdNetDevice>();
    dev->SetAddress(m_nodeMac);
    dev->SetFileDescriptor(fds[0]);
    node->AddDevice(dev);
    node->RegisterProtocolHandler(MakeCallback(&MtpEmuDeviceTestCase::Receive, this),
                                  TEST_ETHERTYPE,
                                  dev);
    dev->TraceConnectWithoutContext("PhyRxDrop", MakeBoundCallback(&CountDrop, &m_traced));

    // 0-100 ms: frames 0..4 for the node, frame 9 for another host.
    for (uint32_t id = 0; id < 5; ++id)
    {
        Simulator::Schedule(MilliSeconds(20 + id),
                            &MtpEmuDeviceTestCase::Inject,
                            this,
                            m_nodeMac,
                            id);
    }
    Simulator::Schedule(MilliSeconds(30),
                        &MtpEmuDeviceTestCase::Inject,
                        this,
                        Mac48Address("02:11:11:11:11:11"),
                        9);
    // 100-200 ms: an error model that drops everything; frames 10..13.
    Ptr<RateErrorModel> all = CreateObject<RateErrorModel>();
    all->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
    all->SetRate(1.0);
    Simulator::Schedule(MilliSeconds(100), &MtpEmuFdNetDevice::SetReceiveErrorModel, dev, all);
    for (uint32_t id = 10; id < 14; ++id)
    {
        Simulator::Schedule(MilliSeconds(120 + id),
                            &MtpEmuDeviceTestCase::Inject,
                            this,
                            m_nodeMac,
                            id);
    }
    // 200 ms: the node sends frame 20 to the peer.
    Simulator::Schedule(MilliSeconds(200), [&]() {
        std::vector<uint8_t> f = WireFrame(m_peerMac, m_nodeMac, 20);
        Ptr<Packet> p = Create<Packet>(f.data() + 14, PAYLOAD);
        NS_TEST_EXPECT_MSG_EQ(dev->Send(p, m_peerMac, TEST_ETHERTYPE), true, "Send");
    });
    Simulator::Stop(MilliSeconds(300));
    Simulator::Run();

    NS_TEST_EXPECT_MSG_EQ(m_got.size(), 5, "frames 0..4 delivered, frame 9 and 10..13 not");
    for (uint32_t id = 0; id < m_got.size(); ++id)
    {
        std::vector<uint8_t> want = WireFrame(m_nodeMac, m_peerMac, id);
        NS_TEST_EXPECT_MSG_EQ((m_got[id] == std::vector<uint8_t>(want.begin() + 14, want.end())),
                              true,
                              "payload of frame " << id);
        NS_TEST_EXPECT_MSG_EQ(Mac48Address::ConvertFrom(m_from[id]), m_peerMac, "source");
    }
    NS_TEST_EXPECT_MSG_EQ(dev->GetReceiveDrops(), 4, "error model dropped frames 10..13");
    NS_TEST_EXPECT_MSG_EQ(m_traced, 4, "PhyRxDrop traced each drop");

    // What the node sent, as it left on the wire.
    fcntl(m_wire, F_SETFL, O_NONBLOCK);
    std::vector<uint8_t> sent(2000);
    ssize_t n = read(m_wire, sent.data(), sent.size());
    std::vector<uint8_t> want = WireFrame(m_peerMac, m_nodeMac, 20);
    NS_TEST_EXPECT_MSG_EQ(n, static_cast<ssize_t>(want.size()), "length of the sent frame");
    sent.resize(n > 0 ? n : 0);
    NS_TEST_EXPECT_MSG_EQ((sent == want), true, "the sent frame, byte for byte");
    NS_TEST_EXPECT_MSG_EQ(read(m_wire, sent.data(), sent.size()), -1, "one frame sent only");

    Simulator::Destroy();
    close(m_wire);
}

/**
 * \ingroup mtp
 * \brief MtpEmulationHelper's checks say what is wrong before anything is
 *        opened.
 */
class MtpEmuHelperChecksTestCase : public TestCase
{
  public:
    MtpEmuHelperChecksTestCase()
        : TestCase("MtpEmulationHelper: interface checks and MAC derivation")
    {
    }

  private:
    void DoRun() override
    {
        // Loopback exists in every namespace (it may be down in a bare one).
        std::string lo = MtpEmulationHelper::CheckInterface("lo");
        NS_TEST_EXPECT_MSG_EQ((lo.empty() || lo.find("is down") != std::string::npos),
                              true,
                              "lo exists: " << lo);
        std::string missing = MtpEmulationHelper::CheckInterface("mtpnosuchif0");
        NS_TEST_EXPECT_MSG_NE(missing.find("no interface named 'mtpnosuchif0'"),
                              std::string::npos,
                              "a missing interface is named: " << missing);
        NS_TEST_EXPECT_MSG_NE(MtpEmulationHelper::CheckInterface(""), "", "empty name");
        NS_TEST_EXPECT_MSG_NE(MtpEmulationHelper::CheckInterface("a-name-of-16-chr"),
                              "",
                              "a name longer than IFNAMSIZ - 1");
        NS_TEST_EXPECT_MSG_EQ(MtpEmulationHelper::MacFromIpv4(Ipv4Address("192.168.200.7")),
                              Mac48Address("02:00:c0:a8:c8:07"),
                              "02:00 then the address bytes");
    }
};

} // namespace

/**
 * \ingroup mtp
 * \brief The mtp-emulation test suite.
 */
class MtpEmulationTestSuite : public TestSuite
{
  public:
    MtpEmulationTestSuite()
        : TestSuite("mtp-emulation", TestSuite::Type::UNIT)
    {
        AddTestCase(new MtpEmuDeviceTestCase(), MtpTestDuration::QUICK);
        AddTestCase(new MtpEmuHelperChecksTestCase(), MtpTestDuration::QUICK);
    }
};

/// The one instance, registered with ns-3's test runner.
static MtpEmulationTestSuite g_mtpEmulationTestSuite;

} // namespace ns3
