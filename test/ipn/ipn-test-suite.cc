/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the IPN model: one test case per behaviour of issue 5 (hub
 * delivery, learning switch, VLANs, LOSSY and LOSSLESS buffering, each
 * error of the patch, membership notices, resize) and two system tests in
 * which a ping and an MTP RPC cross a learning switch built from IPN TAP
 * devices on two nodes joined by a cable.
 */

#include "ns3/data-rate.h"
#include "ns3/icmpv4.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipn-address.h"
#include "ns3/ipn-helper.h"
#include "ns3/ipn-l3-switch-policy.h"
#include "ns3/ipn-net-device.h"
#include "ns3/ipn-network.h"
#include "ns3/ipn-socket.h"
#include "ns3/ipn-switch-policy.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/mtp-socket-factory.h"
#include "ns3/mtp-socket.h"
#include "ns3/mtp-stack-helper.h"
#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/simple-net-device-helper.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/** A message holding a string. */
Ptr<Packet>
Msg(const std::string& s)
{
    return Create<Packet>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

/** The string in a message. */
std::string
Str(Ptr<const Packet> p)
{
    std::string s(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(&s[0]), s.size());
    return s;
}

/** The bytes of a message. */
std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

/** \return true if every message of `got` equals the one of `want` at the same place, byte for byte
 */
bool
SameMessages(const std::vector<Ptr<Packet>>& got, const std::vector<Ptr<Packet>>& want)
{
    if (got.size() != want.size())
    {
        return false;
    }
    for (std::size_t i = 0; i < got.size(); ++i)
    {
        if (Bytes(got[i]) != Bytes(want[i]))
        {
            return false;
        }
    }
    return true;
}

/** MAC address bytes 02:00:00:00:00:<n>. */
std::vector<uint8_t>
Mac(uint8_t n)
{
    return {0x02, 0, 0, 0, 0, n};
}

/** An Ethernet frame: dst, src, type 0x88b5, then `tag`. */
Ptr<Packet>
Frame(const std::vector<uint8_t>& dst, const std::vector<uint8_t>& src, const std::string& tag)
{
    std::vector<uint8_t> b(dst);
    b.insert(b.end(), src.begin(), src.end());
    b.push_back(0x88);
    b.push_back(0xb5);
    b.insert(b.end(), tag.begin(), tag.end());
    return Create<Packet>(b.data(), b.size());
}

/** The tag of a Frame. */
std::string
FrameTag(Ptr<const Packet> p)
{
    std::string s = Str(p);
    return s.size() >= 14 ? s.substr(14) : "";
}

/** An Ethernet + minimal IPv4 frame from `srcIp` to `dstIp` (for the L3 switch). */
Ptr<Packet>
Ipv4Frame(uint8_t srcMac, uint32_t srcIp, uint32_t dstIp, const std::string& tag)
{
    std::vector<uint8_t> b = Mac(0x99); // the L3 switch ignores the destination MAC
    std::vector<uint8_t> s = Mac(srcMac);
    b.insert(b.end(), s.begin(), s.end());
    b.push_back(0x08);
    b.push_back(0x00);
    std::vector<uint8_t> ip(20, 0);
    ip[0] = 0x45;
    for (int i = 0; i < 4; ++i)
    {
        ip[12 + i] = static_cast<uint8_t>(srcIp >> (24 - 8 * i));
        ip[16 + i] = static_cast<uint8_t>(dstIp >> (24 - 8 * i));
    }
    b.insert(b.end(), ip.begin(), ip.end());
    b.insert(b.end(), tag.begin(), tag.end());
    return Create<Packet>(b.data(), b.size());
}

/** Collects what a socket receives (normal and out of band). */
struct Sink
{
    Ptr<IpnSocket> socket;             //!< the socket
    std::vector<Ptr<Packet>> messages; //!< normal messages, in order
    std::vector<Ptr<Packet>> oob;      //!< out-of-band messages, in order
    bool reading = true;               //!< drain on each callback

    /** Start collecting from `s`. */
    void Attach(Ptr<IpnSocket> s)
    {
        socket = s;
        s->SetRecvCallback(MakeCallback(&Sink::OnRecv, this));
    }

    /** Receive callback. */
    void OnRecv(Ptr<Socket>)
    {
        if (reading)
        {
            Drain();
        }
    }

    /** Read everything queued. */
    void Drain()
    {
        bool isOob;
        while (Ptr<Packet> p = socket->RecvMessage(isOob))
        {
            (isOob ? oob : messages).push_back(p);
        }
    }

    /** \return the tags of the frames received */
    std::vector<std::string> Tags() const
    {
        std::vector<std::string> v;
        for (auto& p : messages)
        {
            v.push_back(FrameTag(p));
        }
        return v;
    }
};

/** A node with IPN installed. */
Ptr<Node>
IpnNode()
{
    Ptr<Node> n = CreateObject<Node>();
    IpnHelper().Install(n);
    return n;
}

/** A socket of `policy` bound and connected to `path`, with options `o`. */
Ptr<IpnSocket>
Join(Ptr<Node> n,
     const std::string& path,
     uint32_t policy = IPN_ANY,
     const IpnNetworkOptions* o = nullptr)
{
    Ptr<IpnSocket> s = IpnHelper::CreateSocket(n, policy);
    if (o)
    {
        s->SetSockOpt(IPN_SO_NUMNODES, o->numPorts);
        s->SetSockOpt(IPN_SO_MSGPOOLSIZE, o->poolSize);
        s->SetSockOpt(IPN_SO_MTU, o->mtu);
        s->SetSockOpt(IPN_SO_FLAGS, o->lossless ? IPN_FLAG_LOSSLESS : 0);
        s->SetSockOpt(IPN_SO_MODE, o->mode);
    }
    if (s->Bind(IpnAddress(path)) != 0 || s->Connect(IpnAddress()) != 0)
    {
        return nullptr;
    }
    return s;
}

// ======================================================================

/** Address conversion keeps path and port. */
class IpnAddressTestCase : public TestCase
{
  public:
    IpnAddressTestCase()
        : TestCase("IpnAddress converts to ns3 Address and back")
    {
    }

  private:
    void DoRun() override
    {
        IpnAddress a("/tmp/some-rather-long-ipn-network-name", 7);
        Address generic = a;
        NS_TEST_ASSERT_MSG_EQ(IpnAddress::IsMatchingType(generic), true, "type registered");
        IpnAddress b = IpnAddress::ConvertFrom(generic);
        NS_TEST_EXPECT_MSG_EQ(b.GetPath(), a.GetPath(), "path kept");
        NS_TEST_EXPECT_MSG_EQ(b.GetPort(), 7, "port kept");
        IpnAddress c = IpnAddress::ConvertFrom(IpnAddress("/x").ConvertTo());
        NS_TEST_EXPECT_MSG_EQ(c.GetPort(), IpnAddress::ANY_PORT, "any port kept");
        NS_TEST_EXPECT_MSG_EQ(
            IpnAddress::IsMatchingType(InetSocketAddress(Ipv4Address("1.2.3.4"), 5)),
            false,
            "an Inet address is not an IpnAddress");
    }
};

/** Hub: with N connected sockets each message reaches exactly the N-1 others, in order. */
class IpnHubTestCase : public TestCase
{
  public:
    IpnHubTestCase()
        : TestCase("hub delivers each message to exactly the N-1 others in order")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t n = 5;
        const uint32_t perSender = 4;
        Ptr<Node> node = IpnNode();
        std::vector<Sink> sinks(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            Ptr<IpnSocket> s = IpnHelper::CreateSocket(node, IPN_BROADCAST);
            // The first Bind creates the hub; the others only Connect (data, no management).
            int rc = i == 0 ? s->Bind(IpnAddress("/tmp/hub")) : 0;
            NS_TEST_ASSERT_MSG_EQ(rc, 0, "bind");
            NS_TEST_ASSERT_MSG_EQ(s->Connect(IpnAddress(i == 0 ? "" : "/tmp/hub")),
                                  0,
                                  "connect " << i);
            sinks[i].Attach(s);
        }
        std::vector<std::string> sent;
        for (uint32_t k = 0; k < perSender; ++k)
        {
            for (uint32_t i = 0; i < n; ++i)
            {
                std::string text = "from " + std::to_string(i) + " #" + std::to_string(k);
                sent.push_back(text);
                Simulator::Schedule(MicroSeconds(10 * sent.size()),
                                    [&sinks, i, text]() { sinks[i].socket->Send(Msg(text), 0); });
            }
        }
        Simulator::Run();
        for (uint32_t i = 0; i < n; ++i)
        {
            std::vector<std::string> expected;
            for (auto& t : sent)
            {
                if (t.rfind("from " + std::to_string(i) + " ", 0) != 0)
                {
                    expected.push_back(t);
                }
            }
            std::vector<std::string> got;
            for (auto& p : sinks[i].messages)
            {
                got.push_back(Str(p));
            }
            NS_TEST_EXPECT_MSG_EQ(got.size(), (n - 1) * perSender, "receiver " << i << " count");
            NS_TEST_EXPECT_MSG_EQ((got == expected), true, "receiver " << i << " order");
        }
        NS_TEST_EXPECT_MSG_EQ(sinks[0].socket->GetNetwork()->GetDropCount(), 0, "no drops");
        Simulator::Destroy();
    }
};

/** Switch: unknown destinations flood; after learning, unicast reaches only its destination. */
class IpnSwitchLearningTestCase : public TestCase
{
  public:
    IpnSwitchLearningTestCase()
        : TestCase("switch floods unknown and broadcast, then unicasts learned addresses")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        Sink a;
        Sink b;
        Sink c;
        a.Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
        b.Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
        c.Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
        NS_TEST_ASSERT_MSG_EQ((a.socket && b.socket && c.socket), true, "joined");
        std::vector<uint8_t> bcast(6, 0xff);
        Ptr<Packet> aBcast = Frame(bcast, Mac(1), "A-bcast");
        Ptr<Packet> bToA = Frame(Mac(1), Mac(2), "B-to-A");
        Ptr<Packet> cToUnknown = Frame(Mac(9), Mac(3), "C-to-unknown");
        Ptr<Packet> aToC = Frame(Mac(3), Mac(1), "A-to-C");
        Simulator::Schedule(MicroSeconds(1), [&]() { a.socket->Send(aBcast->Copy(), 0); });
        Simulator::Schedule(MicroSeconds(2), [&]() { b.socket->Send(bToA->Copy(), 0); });
        Simulator::Schedule(MicroSeconds(3), [&]() { c.socket->Send(cToUnknown->Copy(), 0); });
        Simulator::Schedule(MicroSeconds(4), [&]() { a.socket->Send(aToC->Copy(), 0); });
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(SameMessages(a.messages, {bToA, cToUnknown}),
                              true,
                              "A got the unicast to it and the flood, byte for byte");
        NS_TEST_EXPECT_MSG_EQ(SameMessages(b.messages, {aBcast, cToUnknown}),
                              true,
                              "B got broadcast and unknown, no unicast");
        NS_TEST_EXPECT_MSG_EQ(SameMessages(c.messages, {aBcast, aToC}),
                              true,
                              "C got broadcast and its unicast only");
        // A runt (shorter than an Ethernet header) is dropped, not forwarded.
        NS_TEST_EXPECT_MSG_EQ(a.socket->Send(Msg("short"), 0), 5, "a runt is accepted by send");
        auto sw = DynamicCast<IpnSwitchPolicy>(a.socket->GetNetwork()->GetPolicy());
        NS_TEST_ASSERT_MSG_NE(sw, nullptr, "policy is the switch");
        NS_TEST_EXPECT_MSG_EQ(sw->GetTableSize(), 3, "three addresses learned");
        NS_TEST_EXPECT_MSG_EQ(sw->Lookup(Mac48Address("02:00:00:00:00:02")),
                              b.socket->GetPort()->GetPortNumber(),
                              "B learned on B's port");
        NS_TEST_EXPECT_MSG_EQ(sw->Lookup(Mac48Address("02:00:00:00:00:09")), -1, "never a source");
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(b.messages.size() + c.messages.size(), 4, "the runt went nowhere");
        NS_TEST_EXPECT_MSG_EQ(sw->GetMalformedCount(), 1, "and was counted");
        Simulator::Destroy();
    }
};

/** Switch: a port that leaves is forgotten. */
class IpnSwitchForgetTestCase : public TestCase
{
  public:
    IpnSwitchForgetTestCase()
        : TestCase("switch forgets the addresses of a port that leaves")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        Sink a;
        Sink b;
        Sink c;
        Sink d;
        a.Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
        b.Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
        c.Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
        int32_t portA = a.socket->GetPort()->GetPortNumber();
        auto sw = DynamicCast<IpnSwitchPolicy>(a.socket->GetNetwork()->GetPolicy());
        Simulator::Schedule(MicroSeconds(1), [&]() {
            a.socket->Send(Frame(std::vector<uint8_t>(6, 0xff), Mac(1), "hello"), 0);
        });
        Simulator::Schedule(MicroSeconds(2), [&]() {
            NS_TEST_EXPECT_MSG_EQ(sw->Lookup(Mac48Address("02:00:00:00:00:01")), portA, "learned");
            a.socket->Close();
            NS_TEST_EXPECT_MSG_EQ(sw->Lookup(Mac48Address("02:00:00:00:00:01")), -1, "forgotten");
            // A newcomer takes A's port number: a stale entry would send it A's frames.
            d.Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
            NS_TEST_EXPECT_MSG_EQ(d.socket->GetPort()->GetPortNumber(), portA, "port reused");
        });
        Simulator::Schedule(MicroSeconds(3),
                            [&]() { b.socket->Send(Frame(Mac(1), Mac(2), "B-to-A"), 0); });
        Simulator::Run();
        std::vector<std::string> flood = {"B-to-A"};
        std::vector<std::string> ec = {"hello", "B-to-A"};
        NS_TEST_EXPECT_MSG_EQ((c.Tags() == ec),
                              true,
                              "the frame for the departed address floods to C");
        NS_TEST_EXPECT_MSG_EQ((d.Tags() == flood), true, "and to the newcomer");
        Simulator::Destroy();
    }
};

/** Switch: VLANs isolate. */
class IpnSwitchVlanTestCase : public TestCase
{
  public:
    IpnSwitchVlanTestCase()
        : TestCase("switch VLANs isolate ports")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        std::vector<Sink> s(4);
        for (uint32_t i = 0; i < 4; ++i)
        {
            s[i].Attach(Join(node, "/tmp/sw", IPN_VDESWITCH));
            NS_TEST_ASSERT_MSG_EQ(
                s[i].socket->SetPolicyOption(IpnSwitchPolicy::OPT_VLAN, i < 2 ? 10 : 20),
                0,
                "set VLAN");
        }
        int32_t v = 0;
        s[3].socket->GetPolicyOption(IpnSwitchPolicy::OPT_VLAN, v);
        NS_TEST_EXPECT_MSG_EQ(v, 20, "VLAN read back");
        NS_TEST_EXPECT_MSG_EQ(s[0].socket->SetPolicyOption(IpnSwitchPolicy::OPT_VLAN, 5000),
                              -1,
                              "bad VLAN");
        NS_TEST_EXPECT_MSG_EQ(s[0].socket->GetIpnErrno(), IpnError::INVAL, "INVAL");
        std::vector<uint8_t> bcast(6, 0xff);
        Simulator::Schedule(MicroSeconds(1),
                            [&]() { s[0].socket->Send(Frame(bcast, Mac(1), "v10"), 0); });
        Simulator::Schedule(MicroSeconds(2),
                            [&]() { s[2].socket->Send(Frame(bcast, Mac(3), "v20"), 0); });
        // C's address is known, but only in VLAN 20: A's frame floods VLAN 10 only.
        Simulator::Schedule(MicroSeconds(3),
                            [&]() { s[0].socket->Send(Frame(Mac(3), Mac(1), "A-to-C"), 0); });
        Simulator::Run();
        std::vector<std::string> e0 = {};
        std::vector<std::string> e1 = {"v10", "A-to-C"};
        std::vector<std::string> e2 = {};
        std::vector<std::string> e3 = {"v20"};
        NS_TEST_EXPECT_MSG_EQ((s[0].Tags() == e0), true, "port 0");
        NS_TEST_EXPECT_MSG_EQ((s[1].Tags() == e1), true, "port 1 (VLAN 10)");
        NS_TEST_EXPECT_MSG_EQ((s[2].Tags() == e2), true, "port 2 (VLAN 20) never sees VLAN 10");
        NS_TEST_EXPECT_MSG_EQ((s[3].Tags() == e3), true, "port 3 (VLAN 20)");
        Simulator::Destroy();
    }
};

/** L3 switch: forwards by IPv4 destination once the address was seen as a source. */
class IpnL3SwitchTestCase : public TestCase
{
  public:
    IpnL3SwitchTestCase()
        : TestCase("L3 switch forwards by learned IPv4 destination, floods otherwise")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        Sink a;
        Sink b;
        Sink c;
        a.Attach(Join(node, "/tmp/l3", IPN_VDESWITCH_L3));
        b.Attach(Join(node, "/tmp/l3", IPN_VDESWITCH_L3));
        c.Attach(Join(node, "/tmp/l3", IPN_VDESWITCH_L3));
        uint32_t ipA = 0x0a000001;
        uint32_t ipB = 0x0a000002;
        uint32_t ipC = 0x0a000003;
        // An ARP request from C (sender protocol address ipC at bytes 28..31).
        std::vector<uint8_t> arp = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0,
                                    3,    0x08, 0x06, 0,    1,    0x08, 0,    6, 4, 0, 1,
                                    0x02, 0,    0,    0,    0,    3,    0x0a, 0, 0, 3, 0,
                                    0,    0,    0,    0,    0,    0x0a, 0,    0, 1};
        Ptr<Packet> cArp = Create<Packet>(arp.data(), arp.size());
        Ptr<Packet> aUnknown = Ipv4Frame(1, ipA, 0x0a000009, "A-unknown");
        Ptr<Packet> bToA = Ipv4Frame(2, ipB, ipA, "B-to-A");
        Ptr<Packet> aToC = Ipv4Frame(1, ipA, ipC, "A-to-C");
        Ptr<Packet> cToB = Ipv4Frame(3, ipC, ipB, "C-to-B");
        Simulator::Schedule(MicroSeconds(1), [&]() { a.socket->Send(aUnknown->Copy(), 0); });
        Simulator::Schedule(MicroSeconds(2), [&]() { b.socket->Send(bToA->Copy(), 0); });
        Simulator::Schedule(MicroSeconds(3), [&]() { c.socket->Send(cArp->Copy(), 0); });
        Simulator::Schedule(MicroSeconds(4), [&]() { a.socket->Send(aToC->Copy(), 0); });
        Simulator::Schedule(MicroSeconds(5), [&]() { c.socket->Send(cToB->Copy(), 0); });
        Simulator::Run();
        // A: the unicast from B (A learned from its first packet) and C's ARP flood.
        NS_TEST_EXPECT_MSG_EQ(SameMessages(a.messages, {bToA, cArp}), true, "A, byte for byte");
        // B: A's flood to an unknown address, C's ARP flood, C's unicast to B.
        NS_TEST_EXPECT_MSG_EQ(SameMessages(b.messages, {aUnknown, cArp, cToB}), true, "B");
        // C: A's flood, then A's packet to C (C learned from its ARP), not B's unicast to A.
        NS_TEST_EXPECT_MSG_EQ(SameMessages(c.messages, {aUnknown, aToC}), true, "C");
        auto l3 = DynamicCast<IpnL3SwitchPolicy>(a.socket->GetNetwork()->GetPolicy());
        NS_TEST_ASSERT_MSG_NE(l3, nullptr, "policy is the L3 switch");
        NS_TEST_EXPECT_MSG_EQ(l3->Lookup(Ipv4Address(ipA)),
                              a.socket->GetPort()->GetPortNumber(),
                              "learned A");
        NS_TEST_EXPECT_MSG_EQ(l3->Lookup(Ipv4Address(ipC)),
                              c.socket->GetPort()->GetPortNumber(),
                              "learned C from ARP");
        // A port that leaves is forgotten; then a packet to its address floods.
        int32_t portC = c.socket->GetPort()->GetPortNumber();
        c.socket->Close();
        NS_TEST_EXPECT_MSG_EQ(l3->Lookup(Ipv4Address(ipC)),
                              -1,
                              "C forgotten (was port " << portC << ")");
        Ptr<Packet> bToC = Ipv4Frame(2, ipB, ipC, "B-to-C");
        b.socket->Send(bToC->Copy(), 0);
        // A runt is dropped and counted, not flooded.
        b.socket->Send(Msg("runt"), 0);
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(SameMessages(a.messages, {bToA, cArp, bToC}), true, "flooded to A");
        NS_TEST_EXPECT_MSG_EQ(l3->GetMalformedCount(), 1, "runt counted");
        Simulator::Destroy();
    }
};

/** LOSSY: a receiver queue holds PoolSize messages; the overflow is dropped and counted. */
class IpnLossyTestCase : public TestCase
{
  public:
    IpnLossyTestCase()
        : TestCase("LOSSY drops exactly the overflow of a receiver queue and counts it")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        IpnNetworkOptions o; // pool 8, LOSSY
        Ptr<IpnSocket> tx = Join(node, "/tmp/lossy", IPN_BROADCAST, &o);
        Sink rx;
        rx.reading = false; // a reader that does not read
        rx.Attach(Join(node, "/tmp/lossy"));
        Sink fast; // a reader that keeps up loses nothing
        fast.Attach(Join(node, "/tmp/lossy"));
        uint32_t traced = 0;
        tx->GetNetwork()->TraceConnectWithoutContext(
            "Drop",
            MakeBoundCallback(
                +[](uint32_t* n, Ptr<const Packet>, int32_t) { ++*n; },
                &traced));
        // One message per microsecond: the fast reader drains in between,
        // the idle reader's queue fills at 8.
        for (uint32_t i = 0; i < 13; ++i)
        {
            Simulator::Schedule(MicroSeconds(i + 1), [this, tx, i]() {
                NS_TEST_EXPECT_MSG_EQ(tx->Send(Msg("m" + std::to_string(i)), 0),
                                      2 + (i >= 10),
                                      "send " << i << " never blocks in LOSSY");
            });
        }
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(rx.socket->GetPort()->GetQueueLength(),
                              8,
                              "queue holds the pool size");
        NS_TEST_EXPECT_MSG_EQ(rx.socket->GetPort()->GetDropCount(), 5, "port counted 5 drops");
        NS_TEST_EXPECT_MSG_EQ(tx->GetNetwork()->GetDropCount(), 5, "network counted 5 drops");
        NS_TEST_EXPECT_MSG_EQ(traced, 5, "Drop trace fired 5 times");
        NS_TEST_EXPECT_MSG_EQ(fast.messages.size(), 13, "the other reader lost nothing");
        rx.Drain();
        NS_TEST_ASSERT_MSG_EQ(rx.messages.size(), 8, "the first 8 were kept");
        for (uint32_t i = 0; i < 8; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(Str(rx.messages[i]), "m" + std::to_string(i), "kept in order");
        }
        Simulator::Destroy();
    }
};

/** LOSSLESS: one pool for the network; a message sent to many counts once. */
class IpnLosslessPoolTestCase : public TestCase
{
  public:
    IpnLosslessPoolTestCase()
        : TestCase("LOSSLESS pool is shared and a message to many receivers counts once")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        IpnNetworkOptions o;
        o.lossless = true;
        o.poolSize = 2;
        Ptr<IpnSocket> tx = Join(node, "/tmp/ll", IPN_BROADCAST, &o);
        std::vector<Sink> r(3);
        for (auto& s : r)
        {
            s.reading = false;
            s.Attach(Join(node, "/tmp/ll"));
        }
        NS_TEST_EXPECT_MSG_EQ(tx->Send(Msg("one"), 0), 3, "first send");
        NS_TEST_EXPECT_MSG_EQ(tx->GetNetwork()->GetPoolUsed(), 1, "three receivers, one pool slot");
        NS_TEST_EXPECT_MSG_EQ(tx->Send(Msg("two"), 0), 3, "second send");
        NS_TEST_EXPECT_MSG_EQ(tx->Send(Msg("three"), 0), -1, "pool full: the sender blocks");
        NS_TEST_EXPECT_MSG_EQ(tx->GetIpnErrno(), IpnError::AGAIN, "AGAIN");
        NS_TEST_EXPECT_MSG_EQ(tx->GetErrno(), Socket::ERROR_AGAIN, "ERROR_AGAIN");
        NS_TEST_EXPECT_MSG_EQ(tx->GetTxAvailable(), 0, "no room");
        // Two readers take "one": still held by the third.
        r[0].Drain();
        r[1].Drain();
        NS_TEST_EXPECT_MSG_EQ(tx->GetNetwork()->GetPoolUsed(), 2, "held until the last reader");
        r[2].Drain();
        NS_TEST_EXPECT_MSG_EQ(tx->GetNetwork()->GetPoolUsed(), 0, "freed");
        NS_TEST_EXPECT_MSG_EQ(tx->GetNetwork()->GetDropCount(), 0, "LOSSLESS drops nothing");
        Simulator::Destroy();
    }
};

/** LOSSLESS: a fast sender and a slow reader; nothing is lost and the sender resumes. */
class IpnLosslessFlowTestCase : public TestCase
{
  public:
    IpnLosslessFlowTestCase()
        : TestCase("LOSSLESS loses nothing under a fast sender and resumes it as the reader drains")
    {
    }

  private:
    Ptr<IpnSocket> m_tx;                   //!< sender
    Sink m_rx;                             //!< slow reader
    uint32_t m_next = 0;                   //!< next message to send
    uint32_t m_blocked = 0;                //!< EAGAINs
    uint32_t m_resumed = 0;                //!< send callbacks
    std::vector<Time> m_resumeTimes;       //!< when the send callback fired
    std::vector<Time> m_readTimes;         //!< when the reader read
    static constexpr uint32_t kTotal = 50; //!< messages

    void Pump()
    {
        while (m_next < kTotal)
        {
            if (m_tx->Send(Msg("m" + std::to_string(m_next)), 0) < 0)
            {
                NS_TEST_EXPECT_MSG_EQ(m_tx->GetIpnErrno(), IpnError::AGAIN, "blocked with AGAIN");
                ++m_blocked;
                return; // wait for the send callback
            }
            ++m_next;
        }
    }

    void OnSend(Ptr<Socket>, uint32_t)
    {
        ++m_resumed;
        m_resumeTimes.push_back(Simulator::Now());
        Pump();
    }

    void ReadOne()
    {
        bool oob;
        if (Ptr<Packet> p = m_rx.socket->RecvMessage(oob))
        {
            m_rx.messages.push_back(p);
            m_readTimes.push_back(Simulator::Now());
        }
        if (m_rx.messages.size() < kTotal)
        {
            Simulator::Schedule(MilliSeconds(1), &IpnLosslessFlowTestCase::ReadOne, this);
        }
    }

    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        IpnNetworkOptions o;
        o.lossless = true;
        o.poolSize = 4;
        m_tx = Join(node, "/tmp/flow", IPN_BROADCAST, &o);
        m_rx.reading = false;
        m_rx.Attach(Join(node, "/tmp/flow"));
        m_tx->SetSendCallback(MakeCallback(&IpnLosslessFlowTestCase::OnSend, this));
        Simulator::Schedule(MicroSeconds(1), &IpnLosslessFlowTestCase::Pump, this);
        Simulator::Schedule(MilliSeconds(1), &IpnLosslessFlowTestCase::ReadOne, this);
        // The reader needs 50 ms; a sender that is never resumed must fail
        // the test, not make it run forever.
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(m_rx.messages.size(), kTotal, "every message arrived");
        for (uint32_t i = 0; i < kTotal; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(Str(m_rx.messages[i]), "m" + std::to_string(i), "in order");
        }
        NS_TEST_EXPECT_MSG_GT(m_blocked, 0, "the sender was blocked");
        NS_TEST_EXPECT_MSG_GT(m_resumed, 0, "and resumed by the send callback");
        NS_TEST_EXPECT_MSG_EQ(m_tx->GetNetwork()->GetDropCount(), 0, "nothing dropped");
        // Each resume happens at a read (the reader freed a pool slot).
        for (auto t : m_resumeTimes)
        {
            bool atRead = false;
            for (auto r : m_readTimes)
            {
                atRead = atRead || r == t;
            }
            NS_TEST_EXPECT_MSG_EQ(atRead, true, "resumed at " << t << " when the reader read");
        }
        Simulator::Destroy();
    }
};

/** Membership notices: reader/writer counts as out-of-band messages. */
class IpnMembershipTestCase : public TestCase
{
  public:
    IpnMembershipTestCase()
        : TestCase("membership notices report readers and writers to sockets that ask")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        Sink watcher;
        Ptr<IpnSocket> w = IpnHelper::CreateSocket(node);
        w->SetSockOpt(IPN_SO_HANDLE_OOB, 1);
        w->SetSockOpt(IPN_SO_WANT_OOB_NUMNODES, 1);
        w->Bind(IpnAddress("/tmp/m"));
        w->Connect(IpnAddress());
        watcher.Attach(w);
        Sink quiet; // did not ask: gets no notices
        quiet.Attach(Join(node, "/tmp/m"));
        Ptr<IpnSocket> other;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            other = IpnHelper::CreateSocket(node);
            other->Connect(IpnAddress("/tmp/m"));
        });
        Simulator::Schedule(MicroSeconds(2), [&]() { other->ShutdownSend(); });
        Simulator::Schedule(MicroSeconds(3), [&]() { other->Close(); });
        Simulator::Run();
        std::vector<std::pair<uint32_t, uint32_t>> expected = {{1, 1},
                                                               {2, 2},
                                                               {3, 3},
                                                               {3, 2},
                                                               {2, 2}};
        std::vector<std::pair<uint32_t, uint32_t>> got;
        for (auto& p : watcher.oob)
        {
            IpnNumNodesNotice n;
            NS_TEST_EXPECT_MSG_EQ(IpnNumNodesNotice::Parse(p, n), true, "a notice");
            got.emplace_back(n.readers, n.writers);
        }
        NS_TEST_EXPECT_MSG_EQ(got.size(), expected.size(), "one notice per change");
        NS_TEST_EXPECT_MSG_EQ((got == expected), true, "readers and writers counted");
        NS_TEST_EXPECT_MSG_EQ(quiet.oob.size(), 0, "no notice without asking");
        NS_TEST_EXPECT_MSG_EQ(watcher.messages.size(), 0, "notices are out of band only");
        Simulator::Destroy();
    }
};

/** Resize: growing works; shrinking away a port in use fails and rolls back. */
class IpnResizeTestCase : public TestCase
{
  public:
    IpnResizeTestCase()
        : TestCase("resize grows, and shrinking away a port in use fails with ADDRINUSE")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        IpnNetworkOptions o;
        o.numPorts = 4;
        Ptr<IpnSocket> mgr = IpnHelper::CreateSocket(node);
        mgr->SetSockOpt(IPN_SO_NUMNODES, 4);
        NS_TEST_ASSERT_MSG_EQ(mgr->Bind(IpnAddress("/tmp/r")), 0, "bind creates");
        Ptr<IpnSocket> user = IpnHelper::CreateSocket(node);
        user->SetSockOpt(IPN_SO_PORT, 3);
        NS_TEST_ASSERT_MSG_EQ(user->Connect(IpnAddress("/tmp/r")), 0, "connect to port 3");
        NS_TEST_EXPECT_MSG_EQ(user->GetPort()->GetPortNumber(), 3, "got port 3");
        NS_TEST_EXPECT_MSG_EQ(mgr->Resize(2), -1, "cannot shrink away port 3");
        NS_TEST_EXPECT_MSG_EQ(mgr->GetIpnErrno(), IpnError::ADDRINUSE, "ADDRINUSE");
        NS_TEST_EXPECT_MSG_EQ(mgr->GetNetwork()->GetNumPorts(), 4, "rolled back");
        NS_TEST_EXPECT_MSG_EQ(mgr->GetNetwork()->GetPort(3), user->GetPort(), "port 3 intact");
        NS_TEST_EXPECT_MSG_EQ(mgr->Resize(40), 0, "grow");
        NS_TEST_EXPECT_MSG_EQ(mgr->GetNetwork()->GetNumPorts(), 40, "grown");
        NS_TEST_EXPECT_MSG_EQ(user->GetPort()->GetPortNumber(), 3, "port kept");
        NS_TEST_EXPECT_MSG_EQ(mgr->Resize(0), -1, "zero ports");
        NS_TEST_EXPECT_MSG_EQ(mgr->GetIpnErrno(), IpnError::INVAL, "INVAL");
        NS_TEST_EXPECT_MSG_EQ(user->Resize(8),
                              -1,
                              "an unbound (connect-only) socket cannot manage");
        NS_TEST_EXPECT_MSG_EQ(user->GetIpnErrno(), IpnError::NOTCONN, "NOTCONN");
        int32_t v = 0;
        mgr->GetSockOpt(IPN_SO_NUMNODES, v);
        NS_TEST_EXPECT_MSG_EQ(v, 40, "IPN_SO_NUMNODES reads the current size");
        Simulator::Destroy();
    }
};

// ---------------------------------------------------------------- errors

/** What an error test case does: returns the call's result, the socket that failed. */
using ErrorScenario = std::function<int(Ptr<Node>, Ptr<IpnSocket>&)>;

/** One error of the patch, provoked once, checked exactly. */
class IpnErrorTestCase : public TestCase
{
  public:
    /**
     * \param name what is provoked
     * \param scenario does it
     * \param expected the IpnError
     * \param expectedErrno the SocketErrno
     */
    IpnErrorTestCase(const std::string& name,
                     ErrorScenario scenario,
                     IpnError expected,
                     Socket::SocketErrno expectedErrno)
        : TestCase("error " + std::string(IpnErrorName(expected)) + ": " + name),
          m_scenario(scenario),
          m_expected(expected),
          m_expectedErrno(expectedErrno)
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        Ptr<IpnSocket> s;
        int rc = m_scenario(node, s);
        NS_TEST_EXPECT_MSG_EQ(rc, -1, "the call fails");
        NS_TEST_ASSERT_MSG_NE(s, nullptr, "socket");
        NS_TEST_EXPECT_MSG_EQ(s->GetIpnErrno(), m_expected, "exact error");
        NS_TEST_EXPECT_MSG_EQ(s->GetErrno(), m_expectedErrno, "ns-3 errno");
        Simulator::Destroy();
    }

    ErrorScenario m_scenario;            //!< provokes the error
    IpnError m_expected;                 //!< expected IpnError
    Socket::SocketErrno m_expectedErrno; //!< expected SocketErrno
};

/** Socket creation errors (no socket results). */
class IpnCreateErrorTestCase : public TestCase
{
  public:
    /**
     * \param type socket type asked for
     * \param policy policy asked for
     * \param expected the error
     */
    IpnCreateErrorTestCase(Socket::SocketType type, uint32_t policy, IpnError expected)
        : TestCase(std::string("error ") + IpnErrorName(expected) +
                   (expected == IpnError::PROTOTYPE ? ": socket type is not raw"
                                                    : ": no policy with that number")),
          m_type(type),
          m_policy(policy),
          m_expected(expected)
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        IpnError e = IpnError::OK;
        Ptr<IpnSocket> s =
            node->GetObject<IpnSocketFactory>()->CreateIpnSocket(m_type, m_policy, e);
        NS_TEST_EXPECT_MSG_EQ(s, nullptr, "no socket");
        NS_TEST_EXPECT_MSG_EQ(e, m_expected, "exact error");
        Simulator::Destroy();
    }

    Socket::SocketType m_type; //!< type
    uint32_t m_policy;         //!< policy
    IpnError m_expected;       //!< error
};

/**
 * A network "/tmp/priv" with `mode`, owned by uid 0 / gid 0 and kept alive by
 * the helper; \return a socket of uid 2 in group `gid`.
 */
Ptr<IpnSocket>
Stranger(Ptr<Node> node, uint32_t mode, uint32_t gid)
{
    IpnHelper h;
    IpnNetworkOptions o;
    o.mode = mode;
    h.SetNetworkOptions(o);
    h.CreateNetwork(node, "/tmp/priv");
    Ptr<IpnSocket> s = IpnHelper::CreateSocket(node);
    s->SetAttribute("Uid", UintegerValue(2));
    s->SetAttribute("Gid", UintegerValue(gid));
    return s;
}

// ---------------------------------------------------------------- options, rights, plug-ins, GRAB

/** A message of `n` bytes whose byte i is (i * 7 + seed) mod 256. */
Ptr<Packet>
Pattern(uint32_t n, uint8_t seed)
{
    std::vector<uint8_t> b(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        b[i] = static_cast<uint8_t>(i * 7 + seed);
    }
    return Create<Packet>(b.data(), b.size());
}

/** Defaults (the doc's choice of 32 ports) and the MTU boundary. */
class IpnDefaultsAndMtuTestCase : public TestCase
{
  public:
    IpnDefaultsAndMtuTestCase()
        : TestCase(
              "defaults are MTU 1514, 32 ports, pool 8, LOSSY, mode 0777; the MTU is a hard limit")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        Ptr<IpnSocket> s = IpnHelper::CreateSocket(node);
        int32_t v = 0;
        s->GetSockOpt(IPN_SO_MODE, v);
        NS_TEST_EXPECT_MSG_EQ(v, 0777, "mode before bind");
        NS_TEST_ASSERT_MSG_EQ(s->Bind(IpnAddress("/tmp/d")), 0, "bind creates");
        NS_TEST_ASSERT_MSG_EQ(s->Connect(IpnAddress()), 0, "connect");
        s->GetSockOpt(IPN_SO_MTU, v);
        NS_TEST_EXPECT_MSG_EQ(v, 1514, "MTU");
        s->GetSockOpt(IPN_SO_NUMNODES, v);
        NS_TEST_EXPECT_MSG_EQ(v, 32, "number of ports (see doc/ipn.rst: 32, not 64)");
        s->GetSockOpt(IPN_SO_MSGPOOLSIZE, v);
        NS_TEST_EXPECT_MSG_EQ(v, 8, "pool size");
        s->GetSockOpt(IPN_SO_FLAGS, v);
        NS_TEST_EXPECT_MSG_EQ(v, 0, "LOSSY");
        s->GetSockOpt(IPN_SO_MODE, v);
        NS_TEST_EXPECT_MSG_EQ(v, -1, "the mode of an existing network is not reported");
        NS_TEST_EXPECT_MSG_EQ(s->GetNetwork()->GetMode(), 0777, "mode 0777");

        // 32 ports: the socket has port 0, 31 more fit, the 33rd member does not.
        std::vector<Ptr<IpnSocket>> members;
        for (uint32_t i = 1; i < 32; ++i)
        {
            Ptr<IpnSocket> m = IpnHelper::CreateSocket(node);
            NS_TEST_ASSERT_MSG_EQ(m->Connect(IpnAddress("/tmp/d")), 0, "member " << i);
            NS_TEST_EXPECT_MSG_EQ(m->GetPort()->GetPortNumber(), int32_t(i), "lowest free port");
            members.push_back(m);
        }
        Ptr<IpnSocket> extra = IpnHelper::CreateSocket(node);
        NS_TEST_EXPECT_MSG_EQ(extra->Connect(IpnAddress("/tmp/d")), -1, "33rd member");
        NS_TEST_EXPECT_MSG_EQ(extra->GetIpnErrno(), IpnError::ADDRNOTAVAIL, "ADDRNOTAVAIL");
        for (auto& m : members)
        {
            m->Close();
        }

        // Exactly the MTU passes unchanged; one byte more does not.
        Sink rx;
        rx.reading = false;
        rx.Attach(IpnHelper::CreateSocket(node));
        NS_TEST_ASSERT_MSG_EQ(rx.socket->Connect(IpnAddress("/tmp/d")), 0, "receiver");
        Ptr<Packet> full = Pattern(1514, 3);
        NS_TEST_EXPECT_MSG_EQ(s->Send(full->Copy(), 0), 1514, "MTU-sized send");
        NS_TEST_EXPECT_MSG_EQ(s->Send(Pattern(1515, 4), 0), -1, "MTU + 1");
        NS_TEST_EXPECT_MSG_EQ(s->GetIpnErrno(), IpnError::OVERFLOW, "OVERFLOW");
        NS_TEST_EXPECT_MSG_EQ(s->GetNetwork()->GetInjectCount(),
                              1,
                              "the oversized one never entered");
        rx.Drain();
        NS_TEST_EXPECT_MSG_EQ(SameMessages(rx.messages, {full}), true, "byte for byte");

        // Recv truncates to maxSize: the first bytes, the rest of the message is gone.
        Ptr<Packet> m2 = Pattern(40, 9);
        s->Send(m2->Copy(), 0);
        s->Send(Msg("next"), 0);
        Ptr<Packet> head = rx.socket->Recv(10, 0);
        NS_TEST_ASSERT_MSG_NE(head, nullptr, "received");
        std::vector<uint8_t> whole = Bytes(m2);
        std::vector<uint8_t> first10(whole.begin(), whole.begin() + 10);
        NS_TEST_EXPECT_MSG_EQ((Bytes(head) == first10), true, "first 10 bytes");
        Ptr<Packet> next = rx.socket->Recv(100, 0);
        NS_TEST_EXPECT_MSG_EQ((next ? Str(next) : std::string()), "next", "the message after it");

        // A network with a small MTU enforces it.
        IpnNetworkOptions o;
        o.mtu = 100;
        Ptr<IpnSocket> small = Join(node, "/tmp/small-mtu", IPN_ANY, &o);
        NS_TEST_ASSERT_MSG_NE(small, nullptr, "small-MTU network");
        NS_TEST_EXPECT_MSG_EQ(small->Send(Pattern(100, 0), 0), 100, "100 bytes fit");
        NS_TEST_EXPECT_MSG_EQ(small->Send(Pattern(101, 0), 0), -1, "101 do not");
        NS_TEST_EXPECT_MSG_EQ(small->GetIpnErrno(), IpnError::OVERFLOW, "OVERFLOW");
        Simulator::Destroy();
    }
};

/** Read and write rights decide what a connected socket may do. */
class IpnRightsTestCase : public TestCase
{
  public:
    IpnRightsTestCase()
        : TestCase(
              "without the write right a socket only reads, without the read right only writes")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<Node> node = IpnNode();
        IpnNetworkOptions o;
        o.mode = 0742; // owner rwx, group r--, others -w-
        IpnHelper h;
        h.SetNetworkOptions(o);
        Ptr<IpnNetwork> net = h.CreateNetwork(node, "/tmp/rights");
        Sink owner;
        Sink reader;
        Sink writer;
        owner.Attach(IpnHelper::CreateSocket(node));
        reader.Attach(IpnHelper::CreateSocket(node));
        writer.Attach(IpnHelper::CreateSocket(node));
        reader.socket->SetAttribute("Uid", UintegerValue(2)); // group 0: r--
        writer.socket->SetAttribute("Uid", UintegerValue(3));
        writer.socket->SetAttribute("Gid", UintegerValue(9)); // others: -w-
        NS_TEST_ASSERT_MSG_EQ(owner.socket->Connect(IpnAddress("/tmp/rights")), 0, "owner");
        NS_TEST_ASSERT_MSG_EQ(reader.socket->Connect(IpnAddress("/tmp/rights")), 0, "reader");
        NS_TEST_ASSERT_MSG_EQ(writer.socket->Connect(IpnAddress("/tmp/rights")), 0, "writer");
        NS_TEST_EXPECT_MSG_EQ(net->GetNumReaders(), 2, "owner and reader read");
        NS_TEST_EXPECT_MSG_EQ(net->GetNumWriters(), 2, "owner and writer write");

        Ptr<Packet> fromWriter = Msg("from the writer");
        Ptr<Packet> fromOwner = Msg("from the owner");
        NS_TEST_EXPECT_MSG_EQ(writer.socket->Send(fromWriter->Copy(), 0), 15, "the writer sends");
        NS_TEST_EXPECT_MSG_EQ(reader.socket->Send(Msg("x"), 0), -1, "the reader cannot send");
        NS_TEST_EXPECT_MSG_EQ(reader.socket->GetIpnErrno(), IpnError::PIPE, "PIPE");
        NS_TEST_EXPECT_MSG_EQ(owner.socket->Send(fromOwner->Copy(), 0), 14, "the owner sends");
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(SameMessages(owner.messages, {fromWriter}),
                              true,
                              "owner got the writer's");
        NS_TEST_EXPECT_MSG_EQ(SameMessages(reader.messages, {fromWriter, fromOwner}),
                              true,
                              "reader got both");
        NS_TEST_EXPECT_MSG_EQ(writer.messages.size(), 0, "the writer gets nothing");
        NS_TEST_EXPECT_MSG_EQ(writer.socket->GetRxAvailable(), 0, "nothing queued for it");
        NS_TEST_EXPECT_MSG_EQ(writer.socket->Recv(100, 0), nullptr, "the writer cannot receive");
        NS_TEST_EXPECT_MSG_EQ(writer.socket->GetIpnErrno(), IpnError::PIPE, "PIPE");
        Simulator::Destroy();
    }
};

/** A policy plug-in that records its hooks (registered as number 7 by the test). */
class IpnRecordingPolicy : public IpnPolicy
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::IpnTestRecordingPolicy")
                                .SetParent<IpnPolicy>()
                                .SetGroupName("Mtp")
                                .AddConstructor<IpnRecordingPolicy>();
        return tid;
    }

    static std::vector<std::string> s_log; //!< hooks called, in order, with arguments
    static bool s_failNewNetwork;          //!< NewNetwork refuses (PERM)
    static uint32_t s_maxPorts;            //!< ResizeNetwork refuses more ports (NOMEM)

    int32_t NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override
    {
        int32_t n = FirstFreePort(net, port);
        s_log.push_back("newport " + std::to_string(n));
        return n;
    }

    void HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg) override
    {
        s_log.push_back("handle " + std::to_string(from->GetPortNumber()));
        Flood(net, from, msg);
    }

    void PostNewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override
    {
        s_log.push_back("postnewport " + std::to_string(port->GetPortNumber()));
    }

    void PreDeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override
    {
        // The number is still taken while this hook runs.
        s_log.push_back("predelport " + std::to_string(port->GetPortNumber()) +
                        (net->GetPort(port->GetPortNumber()) == port ? " taken" : " free"));
    }

    void DeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) override
    {
        s_log.push_back("delport " + std::to_string(port->GetPortNumber()) +
                        (net->GetPort(port->GetPortNumber()) ? " taken" : " free"));
    }

    IpnError NewNetwork(Ptr<IpnNetwork> net) override
    {
        s_log.push_back("newnet " + net->GetPath());
        return s_failNewNetwork ? IpnError::PERM : IpnError::OK;
    }

    IpnError ResizeNetwork(Ptr<IpnNetwork> net, uint32_t oldSize, uint32_t newSize) override
    {
        s_log.push_back("resize " + std::to_string(oldSize) + "->" + std::to_string(newSize));
        return newSize > s_maxPorts ? IpnError::NOMEM : IpnError::OK;
    }

    void DeleteNetwork(Ptr<IpnNetwork> net) override
    {
        s_log.push_back("delnet " + net->GetPath());
    }
};

std::vector<std::string> IpnRecordingPolicy::s_log;
bool IpnRecordingPolicy::s_failNewNetwork = false;
uint32_t IpnRecordingPolicy::s_maxPorts = 64;

/** Policies are plug-ins registered by number; their hooks run in the patch's order. */
class IpnPolicyPluginTestCase : public TestCase
{
  public:
    IpnPolicyPluginTestCase()
        : TestCase("a registered policy plug-in gets every hook in order; its errors cancel or "
                   "roll back")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t num = 7;
        TypeId tid = IpnRecordingPolicy::GetTypeId();
        auto& log = IpnRecordingPolicy::s_log;
        log.clear();
        IpnRecordingPolicy::s_failNewNetwork = false;
        IpnRecordingPolicy::s_maxPorts = 40;
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Register(1, tid), IpnError::INVAL, "1 is the hub");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Register(IpnPolicyRegistry::MAX_POLICY + 1, tid),
                              IpnError::INVAL,
                              "out of range");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Register(num, TypeId::LookupByName("ns3::Node")),
                              IpnError::INVAL,
                              "not a policy");
        NS_TEST_ASSERT_MSG_EQ(IpnPolicyRegistry::Register(num, tid), IpnError::OK, "register");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Register(num, tid), IpnError::EXIST, "taken");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Register(IPN_VDESWITCH, tid),
                              IpnError::EXIST,
                              "the switch's number is taken");

        Ptr<Node> node = IpnNode();
        Ptr<IpnSocket> mgr = IpnHelper::CreateSocket(node, num);
        NS_TEST_ASSERT_MSG_EQ(mgr->Bind(IpnAddress("/tmp/plug")), 0, "bind creates");
        NS_TEST_ASSERT_MSG_EQ(mgr->Connect(IpnAddress()), 0, "connect");
        Sink other;
        other.Attach(IpnHelper::CreateSocket(node)); // IPN_ANY adopts policy 7
        NS_TEST_ASSERT_MSG_EQ(other.socket->Connect(IpnAddress("/tmp/plug")), 0, "join");
        NS_TEST_EXPECT_MSG_EQ(other.socket->GetPolicyNumber(), num, "adopted the network's policy");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Deregister(num), IpnError::ADDRINUSE, "in use");
        Ptr<Packet> m = Msg("through the plug-in");
        mgr->Send(m->Copy(), 0);
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(SameMessages(other.messages, {m}), true, "the plug-in delivered it");

        // Resize: the hook refuses more than 40 ports -> rolled back.
        Ptr<IpnNetwork> net = mgr->GetNetwork();
        NS_TEST_EXPECT_MSG_EQ(mgr->Resize(50), -1, "the policy refuses");
        NS_TEST_EXPECT_MSG_EQ(mgr->GetIpnErrno(), IpnError::NOMEM, "the policy's error");
        NS_TEST_EXPECT_MSG_EQ(net->GetNumPorts(), 32, "rolled back");
        NS_TEST_EXPECT_MSG_EQ(net->GetPort(1), other.socket->GetPort(), "ports intact");
        NS_TEST_EXPECT_MSG_EQ(mgr->Resize(16), 0, "the policy accepts");
        NS_TEST_EXPECT_MSG_EQ(net->GetNumPorts(), 16, "resized");

        other.socket->Close();
        mgr->Close();
        std::vector<std::string> expected = {"newnet /tmp/plug",
                                             "newport 0",
                                             "postnewport 0",
                                             "newport 1",
                                             "postnewport 1",
                                             "handle 0",
                                             "resize 32->50",
                                             "resize 32->16",
                                             "predelport 1 taken",
                                             "delport 1 free",
                                             "predelport 0 taken",
                                             "delport 0 free",
                                             "delnet /tmp/plug"};
        std::string got;
        for (auto& e : log)
        {
            got += e + "; ";
        }
        NS_TEST_EXPECT_MSG_EQ((log == expected), true, "hooks in order: " << got);
        NS_TEST_EXPECT_MSG_EQ(IpnNetworkRegistry::Get(node)->Find("/tmp/plug"),
                              nullptr,
                              "name freed");

        // A failing NewNetwork cancels the creation.
        IpnRecordingPolicy::s_failNewNetwork = true;
        Ptr<IpnSocket> again = IpnHelper::CreateSocket(node, num);
        NS_TEST_EXPECT_MSG_EQ(again->Bind(IpnAddress("/tmp/plug2")), -1, "creation refused");
        NS_TEST_EXPECT_MSG_EQ(again->GetIpnErrno(), IpnError::PERM, "the hook's error");
        NS_TEST_EXPECT_MSG_EQ(IpnNetworkRegistry::Get(node)->Find("/tmp/plug2"),
                              nullptr,
                              "no network");
        IpnRecordingPolicy::s_failNewNetwork = false;

        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Deregister(num), IpnError::OK, "no longer used");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::IsRegistered(num), false, "gone");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Deregister(num), IpnError::NOENT, "twice");
        NS_TEST_EXPECT_MSG_EQ(IpnPolicyRegistry::Deregister(IPN_BROADCAST),
                              IpnError::INVAL,
                              "built in");
        IpnError lateError = IpnError::OK;
        Ptr<IpnSocket> late =
            node->GetObject<IpnSocketFactory>()->CreateIpnSocket(Socket::NS3_SOCK_RAW,
                                                                 num,
                                                                 lateError);
        NS_TEST_EXPECT_MSG_EQ(late, nullptr, "no socket of a deregistered policy");
        NS_TEST_EXPECT_MSG_EQ(lateError, IpnError::PROTONOSUPPORT, "PROTONOSUPPORT");
        Simulator::Destroy();
    }
};

/** Receives what a plain device on another node gets (protocol, source, bytes). */
struct DeviceSink
{
    std::vector<Ptr<Packet>> packets; //!< payloads received
    std::vector<uint16_t> protocols;  //!< their EtherTypes
    std::vector<Address> sources;     //!< their source MACs

    /** Protocol handler. */
    void Receive(Ptr<NetDevice>,
                 Ptr<const Packet> p,
                 uint16_t protocol,
                 const Address& from,
                 const Address&,
                 NetDevice::PacketType)
    {
        packets.push_back(p->Copy());
        protocols.push_back(protocol);
        sources.push_back(from);
    }
};

/** GRAB: an existing device becomes a port; frames cross in both directions. */
class IpnGrabTestCase : public TestCase
{
  public:
    IpnGrabTestCase()
        : TestCase(
              "a grabbed device's frames enter the network and network frames leave through it")
    {
    }

  private:
    void DoRun() override
    {
        NodeContainer nodes;
        nodes.Create(2);
        IpnHelper ipn;
        ipn.Install(nodes.Get(0));
        SimpleNetDeviceHelper wire;
        wire.SetChannelAttribute("Delay", TimeValue(MicroSeconds(3)));
        NetDeviceContainer devs = wire.Install(nodes);
        Ptr<IpnNetwork> hub = ipn.CreateNetwork(nodes.Get(0), "/tmp/grab");
        Sink app;
        app.Attach(IpnHelper::CreateSocket(nodes.Get(0)));
        NS_TEST_ASSERT_MSG_EQ(app.socket->Connect(IpnAddress("/tmp/grab")), 0, "socket");
        IpnError e = IpnError::OK;
        Ptr<IpnGrab> grab = IpnGrab::Attach(devs.Get(0), hub, e);
        NS_TEST_ASSERT_MSG_NE(grab, nullptr, "grabbed: " << e);
        NS_TEST_EXPECT_MSG_EQ(grab->GetPort()->GetKind(), IpnPort::GRAB, "a GRAB port");
        NS_TEST_EXPECT_MSG_EQ(hub->GetConnectedPorts().size(), 2, "socket and device");
        NS_TEST_EXPECT_MSG_EQ(IpnGrab::Attach(devs.Get(0), hub, e), nullptr, "grab twice");
        NS_TEST_EXPECT_MSG_EQ(e, IpnError::BUSY, "BUSY");
        NS_TEST_EXPECT_MSG_EQ(IpnGrab::Attach(devs.Get(1), hub, e),
                              nullptr,
                              "a device of another node");
        NS_TEST_EXPECT_MSG_EQ(e, IpnError::INVAL, "INVAL");

        DeviceSink far;
        nodes.Get(1)->RegisterProtocolHandler(MakeCallback(&DeviceSink::Receive, &far),
                                              0x88b5,
                                              devs.Get(1));
        Mac48Address mac0 = Mac48Address::ConvertFrom(devs.Get(0)->GetAddress());
        Mac48Address mac1 = Mac48Address::ConvertFrom(devs.Get(1)->GetAddress());
        uint8_t m0[6];
        uint8_t m1[6];
        mac0.CopyTo(m0);
        mac1.CopyTo(m1);
        // In: the far node sends to the grabbed device; the frame enters the hub.
        Ptr<Packet> payloadIn = Pattern(200, 1);
        Simulator::Schedule(MicroSeconds(1),
                            [&]() { devs.Get(1)->Send(payloadIn->Copy(), mac0, 0x88b5); });
        // Out: the application sends a frame; it leaves through the device.
        Ptr<Packet> payloadOut = Pattern(300, 2);
        std::vector<uint8_t> src = Mac(0x42);
        std::vector<uint8_t> h(m1, m1 + 6);
        h.insert(h.end(), src.begin(), src.end());
        h.push_back(0x88);
        h.push_back(0xb5);
        Ptr<Packet> frameOut = Create<Packet>(h.data(), h.size());
        frameOut->AddAtEnd(payloadOut);
        Simulator::Schedule(MicroSeconds(10), [&]() { app.socket->Send(frameOut->Copy(), 0); });
        Simulator::Run();

        std::vector<uint8_t> wantIn(m0, m0 + 6);
        wantIn.insert(wantIn.end(), m1, m1 + 6);
        wantIn.push_back(0x88);
        wantIn.push_back(0xb5);
        std::vector<uint8_t> pin = Bytes(payloadIn);
        wantIn.insert(wantIn.end(), pin.begin(), pin.end());
        NS_TEST_ASSERT_MSG_EQ(app.messages.size(), 1, "the device's frame reached the socket");
        NS_TEST_EXPECT_MSG_EQ((Bytes(app.messages[0]) == wantIn),
                              true,
                              "as an Ethernet frame, byte for byte");
        NS_TEST_ASSERT_MSG_EQ(far.packets.size(), 1, "the socket's frame left through the device");
        NS_TEST_EXPECT_MSG_EQ((Bytes(far.packets[0]) == Bytes(payloadOut)),
                              true,
                              "payload byte for byte");
        NS_TEST_EXPECT_MSG_EQ(far.protocols[0], 0x88b5, "EtherType kept");
        NS_TEST_EXPECT_MSG_EQ(Mac48Address::ConvertFrom(far.sources[0]),
                              Mac48Address("02:00:00:00:00:42"),
                              "source MAC of the frame kept (SendFrom)");

        // Detached: frames no longer cross.
        grab->Detach();
        NS_TEST_EXPECT_MSG_EQ(hub->GetConnectedPorts().size(), 1, "port gone");
        devs.Get(1)->Send(payloadIn->Copy(), mac0, 0x88b5);
        app.socket->Send(frameOut->Copy(), 0);
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(app.messages.size(), 1, "nothing more came in");
        NS_TEST_EXPECT_MSG_EQ(far.packets.size(), 1, "nothing more went out");
        Simulator::Destroy();
    }
};

// ---------------------------------------------------------------- system

/**
 * Two nodes, each with a learning-switch IPN network and a TAP device on it;
 * the two switches are joined by a 10 us cable.  IPv4 on the TAPs.
 */
struct VdeLan
{
    NodeContainer nodes;                 //!< the two hosts
    std::vector<Ptr<IpnNetwork>> nets;   //!< their switches
    std::vector<Ptr<IpnNetDevice>> taps; //!< their TAP devices
    std::vector<Ipv4Address> addrs;      //!< TAP addresses
    Ptr<IpnCable> cable;                 //!< the cable

    /** Build it. */
    void Build()
    {
        nodes.Create(2);
        InternetStackHelper internet;
        internet.SetIpv6StackInstall(false);
        internet.Install(nodes);
        IpnHelper ipn;
        ipn.SetPolicy(IPN_VDESWITCH);
        ipn.Install(nodes);
        NetDeviceContainer devs;
        for (uint32_t i = 0; i < 2; ++i)
        {
            nets.push_back(ipn.CreateNetwork(nodes.Get(i), "/tmp/vde"));
            taps.push_back(ipn.AddTap(nets[i]));
            devs.Add(taps[i]);
        }
        cable = ipn.Cable(nets[0], nets[1], MicroSeconds(10));
        Ipv4AddressHelper v4;
        v4.SetBase("10.9.0.0", "255.255.255.0");
        Ipv4InterfaceContainer ifs = v4.Assign(devs);
        addrs = {ifs.GetAddress(0), ifs.GetAddress(1)};
    }
};

/** A minimal ICMP echo client on a raw IPv4 socket (V4Ping/Ping differ across ns-3 releases). */
struct TinyPing
{
    Ptr<Socket> socket;            //!< raw ICMP socket
    std::vector<Time> rtts;        //!< round-trip times
    std::map<uint16_t, Time> sent; //!< seq -> send time

    /** Open on `node`. */
    void Start(Ptr<Node> node)
    {
        socket = Socket::CreateSocket(node, Ipv4RawSocketFactory::GetTypeId());
        socket->SetAttribute("Protocol", UintegerValue(1));
        socket->SetRecvCallback(MakeCallback(&TinyPing::OnRecv, this));
    }

    /** Send echo request `seq` to `dst`. */
    void Ping(Ipv4Address dst, uint16_t seq)
    {
        Icmpv4Echo echo;
        echo.SetIdentifier(0x4950);
        echo.SetSequenceNumber(seq);
        echo.SetData(Create<Packet>(56));
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(echo);
        Icmpv4Header h;
        h.SetType(Icmpv4Header::ICMPV4_ECHO);
        h.SetCode(0);
        h.EnableChecksum();
        p->AddHeader(h);
        sent[seq] = Simulator::Now();
        socket->SendTo(p, 0, InetSocketAddress(dst, 0));
    }

    /** Receive callback: replies only. */
    void OnRecv(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            Ipv4Header ip;
            p->RemoveHeader(ip);
            Icmpv4Header h;
            p->RemoveHeader(h);
            if (h.GetType() != Icmpv4Header::ICMPV4_ECHO_REPLY)
            {
                continue;
            }
            Icmpv4Echo echo;
            p->RemoveHeader(echo);
            auto it = sent.find(echo.GetSequenceNumber());
            if (echo.GetIdentifier() == 0x4950 && it != sent.end())
            {
                rtts.push_back(Simulator::Now() - it->second);
                sent.erase(it);
            }
        }
    }
};

/** A ping crosses the learning switch; the switches learn both hosts. */
class IpnPingAcrossSwitchTestCase : public TestCase
{
  public:
    IpnPingAcrossSwitchTestCase()
        : TestCase("ping crosses an IPN learning switch between two nodes")
    {
    }

  private:
    void DoRun() override
    {
        VdeLan lan;
        lan.Build();
        TinyPing ping;
        ping.Start(lan.nodes.Get(0));
        // The first ping waits for ARP (ns-3 jitters ARP requests by up to
        // 10 ms); the later ones cross the cable twice: 20 us.
        for (uint16_t i = 0; i < 4; ++i)
        {
            Simulator::Schedule(MilliSeconds(i == 0 ? 1 : 100 + i),
                                &TinyPing::Ping,
                                &ping,
                                lan.addrs[1],
                                i);
        }
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(ping.rtts.size(), 4, "four replies");
        for (uint32_t i = 1; i < 4; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(ping.rtts[i], MicroSeconds(20), "RTT is two cable crossings");
        }
        auto sw0 = DynamicCast<IpnSwitchPolicy>(lan.nets[0]->GetPolicy());
        auto sw1 = DynamicCast<IpnSwitchPolicy>(lan.nets[1]->GetPolicy());
        Mac48Address mac0 = Mac48Address::ConvertFrom(lan.taps[0]->GetAddress());
        Mac48Address mac1 = Mac48Address::ConvertFrom(lan.taps[1]->GetAddress());
        int32_t tap0 = lan.taps[0]->GetPort()->GetPortNumber();
        NS_TEST_EXPECT_MSG_EQ(sw0->Lookup(mac0), tap0, "local host learned");
        NS_TEST_EXPECT_MSG_NE(sw0->Lookup(mac1), -1, "remote host learned");
        NS_TEST_EXPECT_MSG_NE(sw0->Lookup(mac1), tap0, "on the cable port");
        NS_TEST_EXPECT_MSG_EQ(sw1->Lookup(mac1),
                              lan.taps[1]->GetPort()->GetPortNumber(),
                              "learned at 1");
        Simulator::Destroy();
    }
};

/** Server side of the MTP test: echo every request. */
void
EchoRequests(uint32_t* served, Ptr<Socket> s)
{
    Ptr<MtpSocket> m = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> req = m->RecvMessage(info))
    {
        ++*served;
        Ptr<Packet> resp = req->Copy();
        resp->RemoveAllPacketTags();
        m->SendResponse(resp, info.id, info.peer);
    }
}

/** Client side of the MTP test: record responses by RPC id. */
void
CollectResponses(std::map<uint64_t, Ptr<Packet>>* responses, Ptr<Socket> s)
{
    Ptr<MtpSocket> m = DynamicCast<MtpSocket>(s);
    MtpRecvInfo info;
    while (Ptr<Packet> p = m->RecvMessage(info))
    {
        (*responses)[info.id] = p;
    }
}

/** MTP RPCs cross the learning switch. */
class IpnMtpAcrossSwitchTestCase : public TestCase
{
  public:
    IpnMtpAcrossSwitchTestCase()
        : TestCase("MTP RPCs cross an IPN learning switch between two nodes")
    {
    }

  private:
    void DoRun() override
    {
        VdeLan lan;
        lan.Build();
        MtpStackHelper mtp;
        mtp.Install(lan.nodes);
        Ptr<MtpSocket> server = DynamicCast<MtpSocket>(
            Socket::CreateSocket(lan.nodes.Get(1), MtpSocketFactory::GetTypeId()));
        Ptr<MtpSocket> client = DynamicCast<MtpSocket>(
            Socket::CreateSocket(lan.nodes.Get(0), MtpSocketFactory::GetTypeId()));
        NS_TEST_ASSERT_MSG_EQ(server->Bind(InetSocketAddress(Ipv4Address::GetAny(), 99)),
                              0,
                              "bind");
        uint32_t served = 0;
        server->SetRecvCallback(MakeBoundCallback(&EchoRequests, &served));
        std::map<uint64_t, Ptr<Packet>> responses;
        client->SetRecvCallback(MakeBoundCallback(&CollectResponses, &responses));
        std::vector<uint32_t> sizes = {100, 5000, 40000};
        std::map<uint64_t, Ptr<Packet>> requestOf;
        Simulator::Schedule(MilliSeconds(1), [&]() {
            uint8_t seed = 0;
            for (uint32_t s : sizes)
            {
                // Patterned bytes, so a lost, duplicated or misplaced
                // segment shows in the echoed response.
                Ptr<Packet> req = Pattern(s, ++seed);
                uint64_t id = client->SendRequest(req->Copy(), InetSocketAddress(lan.addrs[1], 99));
                NS_TEST_EXPECT_MSG_NE(id, 0, "SendRequest");
                requestOf[id] = req;
            }
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(served, sizes.size(), "server executed each request");
        NS_TEST_ASSERT_MSG_EQ(responses.size(), sizes.size(), "every RPC completed");
        for (auto& kv : requestOf)
        {
            Ptr<Packet> resp = responses[kv.first];
            NS_TEST_ASSERT_MSG_NE(resp, nullptr, "response to RPC " << kv.first);
            NS_TEST_EXPECT_MSG_EQ(resp->GetSize(), kv.second->GetSize(), "echoed length");
            NS_TEST_EXPECT_MSG_EQ((Bytes(resp) == Bytes(kv.second)), true, "echoed byte for byte");
        }
        // The frames crossed as unicast once learned: each switch knows both hosts.
        auto sw0 = DynamicCast<IpnSwitchPolicy>(lan.nets[0]->GetPolicy());
        Mac48Address mac1 = Mac48Address::ConvertFrom(lan.taps[1]->GetAddress());
        NS_TEST_EXPECT_MSG_NE(sw0->Lookup(mac1), -1, "switch 0 learned host 1");
        Simulator::Destroy();
    }
};

} // namespace

/**
 * \ingroup mtp
 * The "ipn" test suite.
 */
class IpnTestSuite : public TestSuite
{
  public:
    IpnTestSuite();
};

IpnTestSuite::IpnTestSuite()
    : TestSuite("ipn", TestSuite::Type::UNIT)
{
    AddTestCase(new IpnAddressTestCase);
    AddTestCase(new IpnHubTestCase);
    AddTestCase(new IpnSwitchLearningTestCase);
    AddTestCase(new IpnSwitchForgetTestCase);
    AddTestCase(new IpnSwitchVlanTestCase);
    AddTestCase(new IpnL3SwitchTestCase);
    AddTestCase(new IpnLossyTestCase);
    AddTestCase(new IpnLosslessPoolTestCase);
    AddTestCase(new IpnLosslessFlowTestCase);
    AddTestCase(new IpnMembershipTestCase);
    AddTestCase(new IpnResizeTestCase);
    AddTestCase(new IpnDefaultsAndMtuTestCase);
    AddTestCase(new IpnRightsTestCase);
    AddTestCase(new IpnPolicyPluginTestCase);
    AddTestCase(new IpnGrabTestCase);
    AddTestCase(new IpnPingAcrossSwitchTestCase);
    AddTestCase(new IpnMtpAcrossSwitchTestCase);

    AddTestCase(
        new IpnCreateErrorTestCase(Socket::NS3_SOCK_DGRAM, IPN_BROADCAST, IpnError::PROTOTYPE));
    AddTestCase(new IpnCreateErrorTestCase(Socket::NS3_SOCK_RAW, 9, IpnError::PROTONOSUPPORT));

    AddTestCase(new IpnErrorTestCase(
        "socket policy differs from the network's",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            Join(n, "/tmp/hub", IPN_BROADCAST);
            s = IpnHelper::CreateSocket(n, IPN_VDESWITCH);
            return s->Connect(IpnAddress("/tmp/hub"));
        },
        IpnError::PROTO,
        Socket::ERROR_OPNOTSUPP));
    AddTestCase(new IpnErrorTestCase(
        "no free port",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            IpnNetworkOptions o;
            o.numPorts = 2;
            Join(n, "/tmp/small", IPN_BROADCAST, &o);
            Join(n, "/tmp/small");
            s = IpnHelper::CreateSocket(n);
            return s->Connect(IpnAddress("/tmp/small"));
        },
        IpnError::ADDRNOTAVAIL,
        Socket::ERROR_ADDRNOTAVAIL));
    AddTestCase(new IpnErrorTestCase(
        "requested port is taken",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            Join(n, "/tmp/p"); // takes port 0
            s = IpnHelper::CreateSocket(n);
            return s->Connect(IpnAddress("/tmp/p", 0));
        },
        IpnError::ADDRNOTAVAIL,
        Socket::ERROR_ADDRNOTAVAIL));
    AddTestCase(new IpnErrorTestCase(
        "bind to join needs the execute right",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Stranger(n, 0776, 7);
            return s->Bind(IpnAddress("/tmp/priv"));
        },
        IpnError::ACCES,
        Socket::ERROR_INVAL));
    AddTestCase(new IpnErrorTestCase(
        "connect without read and write rights",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Stranger(n, 0771, 7);
            return s->Connect(IpnAddress("/tmp/priv"));
        },
        IpnError::ACCES,
        Socket::ERROR_INVAL));
    AddTestCase(new IpnErrorTestCase(
        "connect without the write right makes a read-only socket",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Stranger(n, 0740, 0); // group may read only
            if (s->Connect(IpnAddress("/tmp/priv")) != 0)
            {
                return 0;
            }
            return s->Send(Msg("x"), 0);
        },
        IpnError::PIPE,
        Socket::ERROR_SHUTDOWN));
    AddTestCase(new IpnErrorTestCase(
        "connect without the read right makes a write-only socket",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Stranger(n, 0720, 0); // group may write only
            if (s->Connect(IpnAddress("/tmp/priv")) != 0)
            {
                return 0;
            }
            return s->Recv(100, 0) ? 0 : -1;
        },
        IpnError::PIPE,
        Socket::ERROR_SHUTDOWN));
    AddTestCase(new IpnErrorTestCase(
        "connect twice",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Join(n, "/tmp/c");
            return s->Connect(IpnAddress("/tmp/c"));
        },
        IpnError::ISCONN,
        Socket::ERROR_ISCONN));
    AddTestCase(new IpnErrorTestCase(
        "bind twice",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = IpnHelper::CreateSocket(n);
            s->Bind(IpnAddress("/tmp/b"));
            return s->Bind(IpnAddress("/tmp/b2"));
        },
        IpnError::ISCONN,
        Socket::ERROR_ISCONN));
    AddTestCase(new IpnErrorTestCase(
        "pre-bind option after bind",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = IpnHelper::CreateSocket(n);
            s->Bind(IpnAddress("/tmp/b"));
            return s->SetSockOpt(IPN_SO_MTU, 9000);
        },
        IpnError::ISCONN,
        Socket::ERROR_ISCONN));
    AddTestCase(new IpnErrorTestCase(
        "send larger than the MTU",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Join(n, "/tmp/mtu");
            return s->Send(Create<Packet>(1515), 0);
        },
        IpnError::OVERFLOW,
        Socket::ERROR_MSGSIZE));
    AddTestCase(new IpnErrorTestCase(
        "send after shutdown of sending",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Join(n, "/tmp/sh");
            s->ShutdownSend();
            return s->Send(Msg("x"), 0);
        },
        IpnError::PIPE,
        Socket::ERROR_SHUTDOWN));
    AddTestCase(new IpnErrorTestCase(
        "receive after shutdown of receiving",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Join(n, "/tmp/sh");
            s->ShutdownRecv();
            return s->Recv(100, 0) ? 0 : -1;
        },
        IpnError::PIPE,
        Socket::ERROR_SHUTDOWN));
    AddTestCase(new IpnErrorTestCase(
        "end of network - send with both directions shut down",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Join(n, "/tmp/eon");
            s->ShutdownRecv();
            s->ShutdownSend();
            return s->Send(Msg("x"), 0);
        },
        IpnError::CONNRESET,
        Socket::ERROR_SHUTDOWN));
    AddTestCase(new IpnErrorTestCase(
        "end of network - receive returns end of file",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Join(n, "/tmp/eon");
            s->ShutdownRecv();
            s->ShutdownSend();
            return s->Recv(100, 0) ? 0 : -1;
        },
        IpnError::OK,
        Socket::ERROR_SHUTDOWN));
    AddTestCase(new IpnErrorTestCase(
        "send while not connected",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = IpnHelper::CreateSocket(n);
            s->Bind(IpnAddress("/tmp/nc"));
            return s->Send(Msg("x"), 0);
        },
        IpnError::NOTCONN,
        Socket::ERROR_NOTCONN));
    AddTestCase(new IpnErrorTestCase(
        "connect to a network that does not exist",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = IpnHelper::CreateSocket(n);
            return s->Connect(IpnAddress("/tmp/nowhere"));
        },
        IpnError::NOENT,
        Socket::ERROR_NOROUTETOHOST));
    AddTestCase(new IpnErrorTestCase(
        "description too long",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = IpnHelper::CreateSocket(n);
            return s->SetDescription(std::string(IPN_DESCRLEN, 'x'));
        },
        IpnError::INVAL,
        Socket::ERROR_INVAL));
    AddTestCase(new IpnErrorTestCase(
        "listen",
        [](Ptr<Node> n, Ptr<IpnSocket>& s) {
            s = Join(n, "/tmp/l");
            return s->Listen();
        },
        IpnError::OPNOTSUPP,
        Socket::ERROR_OPNOTSUPP));
}

static IpnTestSuite g_ipnTestSuite; //!< the suite
