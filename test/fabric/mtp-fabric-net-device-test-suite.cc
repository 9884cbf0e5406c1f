/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of MtpFabricNetDevice and MtpFabricChannel (model/fabric/
 * mtp-fabric-net-device, mtp-fabric-channel): a link of two of them and a
 * link of two PointToPointNetDevices, given the same frames, deliver the
 * same bytes at the same picoseconds with the same protocol and addresses;
 * and bad input is dropped with its trace, never asserted on: a protocol
 * that is neither IPv4 nor IPv6, a full queue, an unattached device, an
 * arriving frame with an unknown PPP protocol, a frame the error model
 * loses; a receiver that takes frames over gets them only when nothing
 * else can hold them; flow control stops the device queue only when on.
 */

#include "ns3/boolean.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/error-model.h"
#include "ns3/mac48-address.h"
#include "ns3/mtp-fabric-channel.h"
#include "ns3/mtp-fabric-net-device.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-channel.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/pointer.h"
#include "ns3/ppp-header.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint16_t IPV4 = 0x0800; //!< EtherType of IPv4
constexpr uint16_t IPV6 = 0x86DD; //!< EtherType of IPv6

/** What a device's receive callback saw, as text. */
struct RxLog
{
    std::string text; //!< per packet: time (ps), protocol, sender, bytes

    /** The receive callback. */
    bool OnRx(Ptr<NetDevice>, Ptr<const Packet> p, uint16_t protocol, const Address& from)
    {
        std::ostringstream s;
        s << Simulator::Now().GetPicoSeconds() << " " << protocol << " "
          << Mac48Address::ConvertFrom(from) << " " << p->GetSize() << ":";
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        for (uint8_t c : b)
        {
            s << char('a' + c % 26);
        }
        text += s.str() + "\n";
        return true;
    }
};

/** Counts a trace source's packets. */
struct Count
{
    uint32_t n = 0; //!< packets

    /** The trace sink. */
    void On(Ptr<const Packet>)
    {
        ++n;
    }
};

/** An error model that loses the first packet it sees, and no other. */
class LoseFirst : public ErrorModel
{
  private:
    bool DoCorrupt(Ptr<Packet>) override
    {
        return m_seen++ == 0;
    }

    void DoReset() override
    {
        m_seen = 0;
    }

    uint32_t m_seen = 0; //!< packets seen
};

/** \return a packet of n bytes, byte i = seed + i */
Ptr<Packet>
Payload(uint32_t n, uint8_t seed)
{
    std::vector<uint8_t> b(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        b[i] = static_cast<uint8_t>(seed + i);
    }
    return Create<Packet>(b.data(), n);
}

/** Two nodes and a link between them of either kind. */
struct Pair
{
    Ptr<NetDevice> a; //!< the sender
    Ptr<NetDevice> b; //!< the receiver

    /**
     * \param fabric MtpFabricNetDevices (else PointToPointNetDevices)
     * \param queuePackets the transmit queues' size
     */
    Pair(bool fabric, uint32_t queuePackets)
    {
        if (fabric)
        {
            Connect<MtpFabricNetDevice, MtpFabricChannel>(queuePackets);
        }
        else
        {
            Connect<PointToPointNetDevice, PointToPointChannel>(queuePackets);
        }
    }

    /**
     * \brief Two nodes, a Device on each, a Channel between them (the same
     *        API on both kinds): 10 Gb/s, 700 ns, DropTail queues.
     * \param queuePackets the transmit queues' size
     */
    template <typename Device, typename Channel>
    void Connect(uint32_t queuePackets)
    {
        Ptr<Channel> ch = CreateObject<Channel>();
        ch->SetAttribute("Delay", TimeValue(NanoSeconds(700)));
        for (Ptr<NetDevice>* end : {&a, &b})
        {
            Ptr<Node> n = CreateObject<Node>();
            Ptr<Device> d = CreateObject<Device>();
            d->SetAddress(Mac48Address::Allocate());
            d->SetDataRate(DataRate("10Gbps"));
            Ptr<DropTailQueue<Packet>> q = CreateObject<DropTailQueue<Packet>>();
            q->SetMaxSize(QueueSize(QueueSizeUnit::PACKETS, queuePackets));
            d->SetQueue(q);
            n->AddDevice(d);
            d->Attach(ch);
            *end = d;
        }
    }
};

} // namespace

/**
 * The same frames over a fabric link and over a point-to-point link: the
 * receivers see the same bytes at the same times, with the same protocol
 * and the sender's address (relative to the first address of its pair).
 */
class MtpFabricLinkLikeP2pTestCase : public TestCase
{
  public:
    MtpFabricLinkLikeP2pTestCase()
        : TestCase("a fabric link delivers what a point-to-point link delivers, when it does")
    {
    }

  private:
    /**
     * \param fabric which kind of link
     * \return what the receiver saw, the sender's address replaced by "A"
     */
    static std::string Run(bool fabric)
    {
        Pair link(fabric, 100);
        RxLog log;
        link.b->SetReceiveCallback(MakeCallback(&RxLog::OnRx, &log));
        // A burst at 0 (queued behind each other), sizes that differ, IPv6
        // too, then one frame to an idle link.
        Simulator::Schedule(NanoSeconds(0), [&link]() {
            link.a->Send(Payload(1000, 1), link.a->GetBroadcast(), IPV4);
            link.a->Send(Payload(64, 2), link.a->GetBroadcast(), IPV6);
            link.a->Send(Payload(1500, 3), link.a->GetBroadcast(), IPV4);
        });
        Simulator::Schedule(MicroSeconds(20), [&link]() {
            link.a->Send(Payload(333, 4), link.a->GetBroadcast(), IPV4);
        });
        Simulator::Run();
        std::ostringstream from;
        from << Mac48Address::ConvertFrom(link.a->GetAddress());
        Simulator::Destroy();
        std::string text = log.text;
        for (size_t at = text.find(from.str()); at != std::string::npos; at = text.find(from.str()))
        {
            text.replace(at, from.str().size(), "A");
        }
        return text;
    }

    void DoRun() override
    {
        const std::string p2p = Run(false);
        const std::string fabric = Run(true);
        NS_TEST_ASSERT_MSG_EQ(std::count(p2p.begin(), p2p.end(), '\n'), 4, "four frames");
        // 1002 bytes (PPP header included) at 10 Gb/s, plus 700 ns of delay.
        const Time first = DataRate("10Gbps").CalculateBytesTxTime(1002) + NanoSeconds(700);
        NS_TEST_EXPECT_MSG_EQ(p2p.substr(0, p2p.find(' ')),
                              std::to_string(first.GetPicoSeconds()),
                              "first arrival");
        NS_TEST_EXPECT_MSG_EQ(fabric, p2p, "the same bytes, times, protocols, senders");
    }
};

/**
 * Bad input is dropped and traced: protocols other than IPv4 and IPv6, a full
 * queue, an unattached device, an unknown PPP protocol on arrival, the error
 * model's losses.
 */
class MtpFabricLinkDropsTestCase : public TestCase
{
  public:
    MtpFabricLinkDropsTestCase()
        : TestCase("a fabric link drops bad frames with a trace, and never asserts")
    {
    }

  private:
    void DoRun() override
    {
        Pair link(true, 1);
        Ptr<MtpFabricNetDevice> a = DynamicCast<MtpFabricNetDevice>(link.a);
        Ptr<MtpFabricNetDevice> b = DynamicCast<MtpFabricNetDevice>(link.b);
        RxLog log;
        b->SetReceiveCallback(MakeCallback(&RxLog::OnRx, &log));
        Count macTxDrop;
        Count phyRxDrop;
        a->TraceConnectWithoutContext("MacTxDrop", MakeCallback(&Count::On, &macTxDrop));
        b->TraceConnectWithoutContext("PhyRxDrop", MakeCallback(&Count::On, &phyRxDrop));
        std::vector<bool> sent;
        Simulator::Schedule(NanoSeconds(0), [&]() {
            sent.push_back(a->Send(Payload(100, 0), a->GetBroadcast(), 0x0806)); // ARP
            sent.push_back(a->Send(Payload(100, 0), a->GetBroadcast(), IPV4));   // on the wire
            sent.push_back(a->Send(Payload(100, 0), a->GetBroadcast(), IPV4));   // queued
            sent.push_back(a->Send(Payload(100, 0), a->GetBroadcast(), IPV4));   // queue full
        });
        // A frame with PPP protocol 0xc021 (LCP) arriving at b.
        Simulator::Schedule(MicroSeconds(5), [&]() {
            Ptr<Packet> frame = Payload(40, 0);
            PppHeader ppp;
            ppp.SetProtocol(0xc021);
            frame->AddHeader(ppp);
            b->Receive(frame);
        });
        Simulator::Stop(MicroSeconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(sent.size(), 4u, "four sends");
        NS_TEST_EXPECT_MSG_EQ(sent[0], false, "ARP: refused");
        NS_TEST_EXPECT_MSG_EQ(sent[1], true, "sent");
        NS_TEST_EXPECT_MSG_EQ(sent[2], true, "queued");
        NS_TEST_EXPECT_MSG_EQ(sent[3], false, "queue full: refused");
        NS_TEST_EXPECT_MSG_EQ(macTxDrop.n, 2u, "ARP and the overflow traced");
        NS_TEST_EXPECT_MSG_EQ(phyRxDrop.n, 1u, "the LCP frame traced");
        NS_TEST_EXPECT_MSG_EQ(std::count(log.text.begin(), log.text.end(), '\n'),
                              2,
                              "the two IPv4 frames arrived, nothing else");

        // The error model loses the next frame.
        b->SetAttribute("ReceiveErrorModel", PointerValue(CreateObject<LoseFirst>()));
        Simulator::Schedule(MicroSeconds(1), [&]() {
            a->Send(Payload(100, 0), a->GetBroadcast(), IPV4);
            a->Send(Payload(100, 0), a->GetBroadcast(), IPV4);
        });
        Simulator::Stop(MicroSeconds(10));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(phyRxDrop.n, 2u, "the error model's loss traced");
        NS_TEST_EXPECT_MSG_EQ(std::count(log.text.begin(), log.text.end(), '\n'),
                              3,
                              "the other frame arrived");

        // A device on no channel refuses to send.
        Ptr<MtpFabricNetDevice> lone = CreateObject<MtpFabricNetDevice>();
        lone->SetQueue(CreateObject<DropTailQueue<Packet>>());
        NS_TEST_EXPECT_MSG_EQ(lone->IsLinkUp(), false, "no channel, no link");
        NS_TEST_EXPECT_MSG_EQ(lone->Send(Payload(10, 0), lone->GetBroadcast(), IPV4),
                              false,
                              "unattached: refused");
        Simulator::Destroy();
    }
};

/** What a receiver with ownership saw: the packets themselves. */
struct OwnedLog
{
    std::vector<Ptr<Packet>> packets; //!< as handed over
    RxLog bytes;                      //!< the same, as text

    /** The owned receive callback. */
    bool OnRx(Ptr<NetDevice> d, Ptr<Packet> p, uint16_t protocol, const Address& from)
    {
        packets.push_back(p);
        return bytes.OnRx(d, p, protocol, from);
    }
};

/**
 * MtpFabricNetDevice::SetOwnedReceiveCallback: the receiver gets the very
 * packet that crossed the link, and only when no listener and no
 * promiscuous receiver got it too; a later SetReceiveCallback turns it off.
 */
class MtpFabricOwnedReceiveTestCase : public TestCase
{
  public:
    MtpFabricOwnedReceiveTestCase()
        : TestCase("a fabric device hands frames over only when nothing else holds them")
    {
    }

  private:
    /** \brief Send one 100-byte IPv4 packet from a to b now; \return it */
    static Ptr<Packet> SendOne(Ptr<NetDevice> a, uint8_t seed)
    {
        Ptr<Packet> p = Payload(100, seed);
        Simulator::Schedule(NanoSeconds(0), [a, p]() { a->Send(p, a->GetBroadcast(), IPV4); });
        Simulator::Stop(MicroSeconds(5));
        Simulator::Run();
        return p;
    }

    void DoRun() override
    {
        Pair link(true, 10);
        Ptr<MtpFabricNetDevice> b = DynamicCast<MtpFabricNetDevice>(link.b);
        RxLog plain;
        OwnedLog owned;
        b->SetReceiveCallback(MakeCallback(&RxLog::OnRx, &plain));
        b->SetOwnedReceiveCallback(MakeCallback(&OwnedLog::OnRx, &owned));

        // Nothing listens: the sent packet itself arrives, header stripped.
        Ptr<Packet> first = SendOne(link.a, 1);
        NS_TEST_ASSERT_MSG_EQ(owned.packets.size(), 1u, "handed over");
        NS_TEST_EXPECT_MSG_EQ(plain.text, "", "not given to the plain callback");
        NS_TEST_EXPECT_MSG_EQ((owned.packets[0] == first), true, "the very packet, no copy");
        RxLog expected;
        expected.OnRx(b, Payload(100, 1), IPV4, link.a->GetAddress());
        // The same protocol, sender and bytes (the time field aside).
        const std::string got = owned.bytes.text.substr(owned.bytes.text.find(' '));
        const std::string want = expected.text.substr(expected.text.find(' '));
        NS_TEST_EXPECT_MSG_EQ(got, want, "protocol, sender and bytes");

        // A listener on the sender: the channel copies, the copy is handed over.
        Count txEnd;
        link.a->TraceConnectWithoutContext("PhyTxEnd", MakeCallback(&Count::On, &txEnd));
        Ptr<Packet> second = SendOne(link.a, 2);
        NS_TEST_ASSERT_MSG_EQ(owned.packets.size(), 2u, "handed over");
        NS_TEST_EXPECT_MSG_EQ((owned.packets[1] == second), false, "a copy, not the sender's");
        NS_TEST_EXPECT_MSG_EQ(txEnd.n, 1u, "the listener got the frame");

        // A listener on the receiver's frames: the plain callback gets it.
        Count sniffed;
        b->TraceConnectWithoutContext("Sniffer", MakeCallback(&Count::On, &sniffed));
        SendOne(link.a, 3);
        NS_TEST_EXPECT_MSG_EQ(owned.packets.size(), 2u, "not handed over");
        NS_TEST_EXPECT_MSG_EQ(std::count(plain.text.begin(), plain.text.end(), '\n'),
                              1,
                              "the plain callback got it");
        NS_TEST_EXPECT_MSG_EQ(sniffed.n, 1u, "sniffed");
        b->TraceDisconnectWithoutContext("Sniffer", MakeCallback(&Count::On, &sniffed));

        // A promiscuous receiver: the plain path too.
        uint32_t promisc = 0;
        b->SetPromiscReceiveCallback([&promisc](Ptr<NetDevice>,
                                                Ptr<const Packet>,
                                                uint16_t,
                                                const Address&,
                                                const Address&,
                                                NetDevice::PacketType) {
            ++promisc;
            return true;
        });
        SendOne(link.a, 4);
        NS_TEST_EXPECT_MSG_EQ(owned.packets.size(), 2u, "not handed over");
        NS_TEST_EXPECT_MSG_EQ(promisc, 1u, "the promiscuous receiver got it");
        NS_TEST_EXPECT_MSG_EQ(std::count(plain.text.begin(), plain.text.end(), '\n'),
                              2,
                              "and the plain callback");
        b->SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback());

        // A new receive callback turns the handing over off.
        SendOne(link.a, 5);
        NS_TEST_EXPECT_MSG_EQ(owned.packets.size(), 3u, "handed over again");
        b->SetReceiveCallback(MakeCallback(&RxLog::OnRx, &plain));
        SendOne(link.a, 6);
        NS_TEST_EXPECT_MSG_EQ(owned.packets.size(), 3u, "not after SetReceiveCallback");
        NS_TEST_EXPECT_MSG_EQ(std::count(plain.text.begin(), plain.text.end(), '\n'),
                              3,
                              "the plain callback got it");
        Simulator::Destroy();
    }
};

/**
 * FlowControl: with it, an overflow stops the device queue (as
 * PointToPointHelper's wiring does) until a frame leaves; without it, the
 * device queue never stops and the transmit queue drops what overflows.
 */
class MtpFabricFlowControlTestCase : public TestCase
{
  public:
    MtpFabricFlowControlTestCase()
        : TestCase("FlowControl: an overflow stops the device queue only when it is on")
    {
    }

  private:
    void DoRun() override
    {
        for (bool flowControl : {true, false})
        {
            Ptr<Node> node = CreateObject<Node>();
            Ptr<MtpFabricNetDevice> a = CreateObject<MtpFabricNetDevice>();
            Ptr<MtpFabricNetDevice> b = CreateObject<MtpFabricNetDevice>();
            Ptr<MtpFabricChannel> ch = CreateObject<MtpFabricChannel>();
            Ptr<NetDeviceQueueInterface> ndqi = CreateObject<NetDeviceQueueInterface>();
            for (Ptr<MtpFabricNetDevice> d : {a, b})
            {
                d->SetAttribute("FlowControl", BooleanValue(flowControl));
                d->SetAddress(Mac48Address::Allocate());
                d->SetDataRate(DataRate("10Gbps"));
                Ptr<DropTailQueue<Packet>> q = CreateObject<DropTailQueue<Packet>>();
                q->SetMaxSize(QueueSize(QueueSizeUnit::PACKETS, 1));
                d->SetQueue(q);
                d->Attach(ch);
            }
            node->AddDevice(a);
            CreateObject<Node>()->AddDevice(b);
            a->AggregateObject(ndqi);
            Count queueDrops;
            a->GetQueue()->TraceConnectWithoutContext("DropBeforeEnqueue",
                                                      MakeCallback(&Count::On, &queueDrops));
            Ptr<NetDeviceQueue> txq = ndqi->GetTxQueue(0);
            std::vector<bool> stopped;
            Simulator::Schedule(NanoSeconds(0), [&]() {
                a->Send(Payload(100, 0), a->GetBroadcast(), IPV4); // on the wire
                a->Send(Payload(100, 0), a->GetBroadcast(), IPV4); // queued
                stopped.push_back(txq->IsStopped());
                a->Send(Payload(100, 0), a->GetBroadcast(), IPV4); // overflow
                stopped.push_back(txq->IsStopped());
            });
            Simulator::Stop(MicroSeconds(5));
            Simulator::Run();
            stopped.push_back(txq->IsStopped());
            // A queue of one packet is full once it holds one: flow control
            // stops the device queue then, and the overflow too.
            NS_TEST_ASSERT_MSG_EQ(stopped.size(), 3u, "three readings");
            NS_TEST_EXPECT_MSG_EQ(stopped[0], flowControl, "full queue: stopped iff flow control");
            NS_TEST_EXPECT_MSG_EQ(stopped[1], flowControl, "overflow: stopped iff flow control");
            NS_TEST_EXPECT_MSG_EQ(stopped[2], false, "woken (or never stopped) once frames left");
            NS_TEST_EXPECT_MSG_EQ(queueDrops.n, 1u, "the queue dropped the overflow");
            Simulator::Destroy();
        }
    }
};

/** The `mtp-fabric-net-device` suite. */
class MtpFabricNetDeviceTestSuite : public TestSuite
{
  public:
    MtpFabricNetDeviceTestSuite()
        : TestSuite("mtp-fabric-net-device", TestSuite::Type::UNIT)
    {
        AddTestCase(new MtpFabricLinkLikeP2pTestCase());
        AddTestCase(new MtpFabricLinkDropsTestCase());
        AddTestCase(new MtpFabricOwnedReceiveTestCase());
        AddTestCase(new MtpFabricFlowControlTestCase());
    }
};

/// The suite's instance.
static MtpFabricNetDeviceTestSuite g_mtpFabricNetDeviceTestSuite;
