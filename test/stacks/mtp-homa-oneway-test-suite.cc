/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of one-way messages answered by an ack instead of an empty
 * response (MtpL4Protocol::OneWayAnswer=Ack; model/stacks/mtp-homa-oneway.cc
 * and the sender's side in the Homa stack and MtpL4Protocol::ProcessAck):
 * no response packet ever leaves the receiver; the sender keeps its RPC
 * until the ack, which comes piggybacked on DATA or in an ACK answering its
 * NEED_ACK; a lost message is sent again after RPC_UNKNOWN, a lost part is
 * asked for with RESEND, a lost ACK is answered again from the lingering
 * id, and a late copy of a delivered message is absorbed: every message is
 * delivered exactly once, byte for byte.  The default (Response) keeps
 * Linux Homa's empty response.
 */

#include "../mtp-test-faults.h"

#include "ns3/enum.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"

#include <cstdlib>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/** Set OneWayAnswer on a node. */
void
SetAnswer(Ptr<Node> node, MtpL4Protocol::OneWayAnswer answer)
{
    MtpOf(node)->SetAttribute("OneWayAnswer", EnumValue(answer));
}

/** What one node's MTP handed to IP: packets per type, and DATA's extension flags. */
struct TxLog
{
    std::map<MtpPacketType, uint32_t> types; //!< packets sent per type
    std::vector<uint8_t> dataExt;            //!< ext flags of every DATA sent, in order
    std::vector<uint32_t> dataLength;        //!< message_length of every DATA sent

    /** Connect to the node's Tx trace. */
    void Connect(Ptr<Node> node)
    {
        MtpOf(node)->TraceConnectWithoutContext("Tx", MakeCallback(&TxLog::OnTx, this));
    }

    /** Tx trace sink. */
    void OnTx(Ptr<const Packet> p, const Address&, uint8_t)
    {
        MtpHeader h;
        MtpHeader::Peek(p, h);
        ++types[h.GetType()];
        if (h.GetType() == MtpPacketType::DATA)
        {
            MtpDataHeader d;
            p->PeekHeader(d);
            dataExt.push_back(d.GetExtFlags());
            dataLength.push_back(d.GetMessageLength());
        }
    }

    /** \return packets of type `t` sent */
    uint32_t Count(MtpPacketType t) const
    {
        auto it = types.find(t);
        return it == types.end() ? 0 : it->second;
    }
};

/** A socket that keeps every one-way message it receives. */
struct OneWaySink
{
    Ptr<MtpSocket> socket;             //!< the socket
    std::vector<Ptr<Packet>> messages; //!< messages received, in order
    std::vector<MtpRecvInfo> infos;    //!< what RecvMessage said of each

    /** Open the socket on `node`, bound to `port` (0: default port only). */
    void Start(Ptr<Node> node, uint16_t port)
    {
        socket = Network::Socket(node);
        if (port != 0)
        {
            socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        }
        socket->SetRecvCallback(MakeCallback(&OneWaySink::OnRecv, this));
    }

    /** Receive callback. */
    void OnRecv(Ptr<ns3::Socket>)
    {
        MtpRecvInfo info;
        while (Ptr<Packet> p = socket->RecvMessage(info))
        {
            messages.push_back(p);
            infos.push_back(info);
        }
    }
};

/** A client's socket address on a Network (host address, port). */
Address
ClientAddress(const Network& net, uint32_t i, uint16_t port)
{
    return InetSocketAddress(InetSocketAddress::ConvertFrom(net.clientAddrs[i]).GetIpv4(), port);
}

// ---------------------------------------------------------------------------
// 1. Wire behaviour: which end decides, what is sent
// ---------------------------------------------------------------------------

/**
 * One 100-byte one-way message, for every pairing of the sender's and the
 * receiver's OneWayAnswer.  The sender's setting decides: its DATA carries
 * FLAG_ACK_ONLY in Ack mode, and then the receiver sends no DATA at all
 * (no response), frees its RPC at delivery, keeps the id lingering, and
 * the sender, silent for ResendTicks, gets the ack by NEED_ACK / ACK.  In
 * Response mode the receiver answers with one empty response, as before.
 */
class MtpOneWayAnswerTestCase : public TestCase
{
  public:
    /**
     * \param sender the sender's OneWayAnswer
     * \param receiver the receiver's OneWayAnswer
     */
    MtpOneWayAnswerTestCase(MtpL4Protocol::OneWayAnswer sender,
                            MtpL4Protocol::OneWayAnswer receiver)
        : TestCase(Name(sender, receiver)),
          m_sender(sender),
          m_receiver(receiver)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(MtpL4Protocol::OneWayAnswer sender,
                            MtpL4Protocol::OneWayAnswer receiver)
    {
        auto name = [](MtpL4Protocol::OneWayAnswer a) {
            return a == MtpL4Protocol::ONE_WAY_ACK ? "Ack" : "Response";
        };
        std::ostringstream os;
        os << "one-way message, sender OneWayAnswer=" << name(sender)
           << ", receiver OneWayAnswer=" << name(receiver) << ": the sender decides";
        return os.str();
    }

    void DoRun() override
    {
        const bool ack = m_sender == MtpL4Protocol::ONE_WAY_ACK;
        Network net;
        net.Build();
        SetAnswer(net.clients.Get(0), m_sender);
        SetAnswer(net.server, m_receiver);
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        TxLog ctx;
        TxLog stx;
        ctx.Connect(net.clients.Get(0));
        stx.Connect(net.server);
        OneWaySink server;
        server.Start(net.server, 100);
        Ptr<MtpSocket> tx = Network::Socket(net.clients.Get(0));
        Simulator::Schedule(MicroSeconds(1), [&]() {
            NS_TEST_EXPECT_MSG_EQ(tx->SendTo(MakePattern(7, 100), 0, net.ServerAddress(100)),
                                  100,
                                  "SendTo accepted the message");
        });
        // Delivered long ago, before the sender's first NEED_ACK (5th tick).
        Simulator::Schedule(MilliSeconds(2), [&]() {
            NS_TEST_EXPECT_MSG_EQ(server.messages.size(), 1, "delivered");
            if (ack)
            {
                NS_TEST_EXPECT_MSG_EQ(tx->GetRpcCount(), 1, "the sender keeps it until acked");
                NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "receiver RPC freed");
                NS_TEST_EXPECT_MSG_EQ(server.socket->Rpcs().GetLingerCount(), 1, "its id lingers");
            }
            else
            {
                NS_TEST_EXPECT_MSG_EQ(tx->GetRpcCount(), 0, "the response ended the RPC");
                NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(),
                                      1,
                                      "receiver holds it until the client's ack");
            }
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        NS_TEST_ASSERT_MSG_EQ(server.messages.size(), 1, "delivered once");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(server.messages[0], 7, 100), true, "byte for byte");
        NS_TEST_EXPECT_MSG_EQ(server.infos[0].kind, MtpMessageKind::ONE_WAY, "kind ONE_WAY");
        NS_TEST_ASSERT_MSG_EQ(ctx.dataExt.size(), 1, "one DATA packet from the sender");
        const uint8_t flags = ack ? MtpDataHeader::FLAG_ONE_WAY | MtpDataHeader::FLAG_ACK_ONLY
                                  : MtpDataHeader::FLAG_ONE_WAY;
        NS_TEST_EXPECT_MSG_EQ(+ctx.dataExt[0], +flags, "extension flags of the sender's DATA");
        if (ack)
        {
            NS_TEST_EXPECT_MSG_EQ(stx.Count(MtpPacketType::DATA), 0, "no response packet at all");
            NS_TEST_EXPECT_MSG_EQ(ctx.Count(MtpPacketType::NEED_ACK), 1, "the sender asked once");
            NS_TEST_EXPECT_MSG_EQ(stx.Count(MtpPacketType::ACK), 1, "the receiver acked once");
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().oneWayAcked, 1, "freed by the ack");
            NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().oneWayLingerHits,
                                  1,
                                  "the NEED_ACK was answered from the lingering id");
            NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsFreed, 0, "no Homa ack involved");
        }
        else
        {
            NS_TEST_ASSERT_MSG_EQ(stx.dataLength.size(), 1, "one response packet");
            NS_TEST_EXPECT_MSG_EQ(stx.dataLength[0], 0, "an empty response");
            NS_TEST_EXPECT_MSG_EQ(+stx.dataExt[0], 0, "a response carries no flag");
            NS_TEST_EXPECT_MSG_EQ(stx.Count(MtpPacketType::NEED_ACK), 1, "Homa's NEED_ACK");
            NS_TEST_EXPECT_MSG_EQ(ctx.Count(MtpPacketType::ACK), 1, "Homa's ACK");
            NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().oneWayAcked, 0, "no one-way ack");
            NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().serverRpcsFreed, 1, "freed by the ack");
        }
        NS_TEST_EXPECT_MSG_EQ(stx.Count(MtpPacketType::RPC_UNKNOWN), 0, "no RPC_UNKNOWN");
        NS_TEST_EXPECT_MSG_EQ(cm->GetMetrics().restarts, 0, "no restart");
        NS_TEST_EXPECT_MSG_EQ(tx->GetRpcCount(), 0, "sender RPC freed");
        NS_TEST_EXPECT_MSG_EQ(tx->GetRecvQueueLength(), 0, "nothing queued for the sender app");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    MtpL4Protocol::OneWayAnswer m_sender;   //!< the sender's setting
    MtpL4Protocol::OneWayAnswer m_receiver; //!< the receiver's setting
};

/**
 * Ack mode both ways: host A sends a one-way message to B; 1 ms later B
 * sends one to A, and its DATA carries B's ack of A's message, which frees
 * A's RPC at once (no NEED_ACK from A).  A has nothing more to send, so B's
 * own message is acked by NEED_ACK / ACK.
 */
class MtpOneWayPiggybackTestCase : public TestCase
{
  public:
    MtpOneWayPiggybackTestCase()
        : TestCase("Ack mode: the ack rides on the receiver's next DATA to the sender")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        SetAnswer(net.clients.Get(0), MtpL4Protocol::ONE_WAY_ACK);
        SetAnswer(net.server, MtpL4Protocol::ONE_WAY_ACK);
        Ptr<MtpL4Protocol> am = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> bm = MtpOf(net.server);
        OneWaySink a;
        OneWaySink b;
        a.Start(net.clients.Get(0), 200);
        b.Start(net.server, 100);
        Simulator::Schedule(MicroSeconds(1), [&]() {
            a.socket->SendTo(MakePattern(1, 300), 0, net.ServerAddress(100));
        });
        Simulator::Schedule(MilliSeconds(1), [&]() {
            NS_TEST_EXPECT_MSG_EQ(a.socket->GetRpcCount(), 1, "A's message awaits its ack");
            b.socket->SendTo(MakePattern(2, 400), 0, ClientAddress(net, 0, 200));
        });
        Simulator::Schedule(MilliSeconds(1) + MicroSeconds(50), [&]() {
            NS_TEST_EXPECT_MSG_EQ(a.messages.size(), 1, "B's message arrived");
            NS_TEST_EXPECT_MSG_EQ(am->GetMetrics().oneWayAcked, 1, "A's RPC freed by the ack");
            NS_TEST_EXPECT_MSG_EQ(a.socket->GetRpcCount(), 0, "A holds no RPC");
            NS_TEST_EXPECT_MSG_EQ(bm->GetMetrics().acksPiggybacked, 1, "B piggybacked it");
            NS_TEST_EXPECT_MSG_EQ(am->GetMetrics().packetsSent[Ix(MtpPacketType::NEED_ACK)],
                                  0,
                                  "without a NEED_ACK");
        });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));

        NS_TEST_ASSERT_MSG_EQ(b.messages.size(), 1, "B got A's message once");
        NS_TEST_ASSERT_MSG_EQ(a.messages.size(), 1, "A got B's message once");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(b.messages[0], 1, 300), true, "A's bytes");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(a.messages[0], 2, 400), true, "B's bytes");
        NS_TEST_EXPECT_MSG_EQ(am->GetMetrics().packetsSent[Ix(MtpPacketType::NEED_ACK)],
                              0,
                              "A never asked");
        NS_TEST_EXPECT_MSG_EQ(bm->GetMetrics().packetsSent[Ix(MtpPacketType::NEED_ACK)],
                              1,
                              "B asked for the ack of its message");
        NS_TEST_EXPECT_MSG_EQ(am->GetMetrics().packetsSent[Ix(MtpPacketType::ACK)], 1, "A acked");
        NS_TEST_EXPECT_MSG_EQ(bm->GetMetrics().oneWayAcked, 1, "B's RPC freed by the ACK");
        NS_TEST_EXPECT_MSG_EQ(am->GetMetrics().packetsSent[Ix(MtpPacketType::DATA)] +
                                  bm->GetMetrics().packetsSent[Ix(MtpPacketType::DATA)],
                              2,
                              "two DATA packets in all: no response");
        NS_TEST_EXPECT_MSG_EQ(a.socket->GetRpcCount() + b.socket->GetRpcCount(), 0, "all freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }
};

// ---------------------------------------------------------------------------
// 2. Loss recovery in Ack mode
// ---------------------------------------------------------------------------

/// What a loss test drops.
enum class Loss
{
    ONLY_DATA,  //!< the single DATA packet of a one-packet message
    MIDDLE,     //!< the second of four DATA packets
    ACK,        //!< the receiver's first ACK
    ACK_LINGER, //!< the first ACK, with a linger shorter than the sender's asking
};

/**
 * One one-way message in Ack mode with one packet lost; the message must be
 * delivered exactly once, byte for byte, by the documented path:
 *  - ONLY_DATA: the receiver never hears of it; the sender's NEED_ACK draws
 *    RPC_UNKNOWN and the sender sends it again;
 *  - MIDDLE: the receiver asks for the gap with RESEND;
 *  - ACK: the sender asks again and the lingering id answers with the ack
 *    again (no RPC_UNKNOWN, no second delivery);
 *  - ACK_LINGER: the same with OneWayLinger (7 ms) shorter than the time to
 *    the sender's second NEED_ACK: the id is forgotten, the NEED_ACK draws
 *    RPC_UNKNOWN and the message is delivered a second time, which is what
 *    the linger exists to prevent.
 */
class MtpOneWayLossTestCase : public TestCase
{
  public:
    /** \param loss what is dropped */
    explicit MtpOneWayLossTestCase(Loss loss)
        : TestCase(Name(loss)),
          m_loss(loss)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(Loss loss)
    {
        switch (loss)
        {
        case Loss::ONLY_DATA:
            return "Ack mode, the only DATA lost: RPC_UNKNOWN, sent again, delivered once";
        case Loss::MIDDLE:
            return "Ack mode, one of four DATA lost: RESEND, delivered once";
        case Loss::ACK:
            return "Ack mode, the ACK lost: the lingering id acks again, delivered once";
        case Loss::ACK_LINGER:
            return "Ack mode, the ACK lost after a too short linger: delivered twice";
        }
        return "";
    }

    void DoRun() override
    {
        Network net;
        net.Build();
        SetAnswer(net.clients.Get(0), MtpL4Protocol::ONE_WAY_ACK);
        SetAnswer(net.server, MtpL4Protocol::ONE_WAY_ACK);
        Ptr<MtpL4Protocol> cm = MtpOf(net.clients.Get(0));
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        if (m_loss == Loss::ACK_LINGER)
        {
            // Past the first NEED_ACK (5 ms), short of the second (10 ms).
            sm->SetAttribute("OneWayLinger", TimeValue(MilliSeconds(7)));
        }
        const bool toServer = m_loss == Loss::ONLY_DATA || m_loss == Loss::MIDDLE;
        const uint32_t size = m_loss == Loss::MIDDLE ? 5000 : 100;
        Ptr<MtpFilterModel> filter = CreateObject<MtpFilterModel>();
        auto seen = std::make_shared<uint32_t>(0);
        const Loss loss = m_loss;
        filter->select = [filter, seen, loss](const MtpHeader& h, Ptr<const Packet>) {
            if (filter->dropped > 0)
            {
                return false;
            }
            if (loss == Loss::ACK || loss == Loss::ACK_LINGER)
            {
                return h.GetType() == MtpPacketType::ACK;
            }
            if (h.GetType() != MtpPacketType::DATA)
            {
                return false;
            }
            uint32_t index = (*seen)++;
            return loss == Loss::ONLY_DATA || index == 1;
        };
        // serverLink[0] receives what goes to the server, [1] what leaves it.
        net.serverLink.Get(toServer ? 0 : 1)
            ->SetAttribute("ReceiveErrorModel", PointerValue(filter));
        OneWaySink server;
        server.Start(net.server, 100);
        Ptr<MtpSocket> tx = Network::Socket(net.clients.Get(0));
        Simulator::Schedule(MicroSeconds(1),
                            [&]() { tx->SendTo(MakePattern(9, size), 0, net.ServerAddress(100)); });
        bool quiet = RunUntilQuiet(AllMtp(net), Seconds(1));
        filter->select = nullptr; // break the model <-> lambda cycle

        const MtpMetrics& c = cm->GetMetrics();
        const MtpMetrics& s = sm->GetMetrics();
        NS_TEST_EXPECT_MSG_EQ(filter->dropped, 1, "one packet lost");
        const uint32_t deliveries = m_loss == Loss::ACK_LINGER ? 2 : 1;
        NS_TEST_ASSERT_MSG_EQ(server.messages.size(), deliveries, "deliveries");
        for (const auto& m : server.messages)
        {
            NS_TEST_EXPECT_MSG_EQ(IsPattern(m, 9, size), true, "byte for byte");
        }
        NS_TEST_EXPECT_MSG_EQ(s.packetsSent[Ix(MtpPacketType::DATA)], 0, "never a response");
        const bool unknown = m_loss == Loss::ONLY_DATA || m_loss == Loss::ACK_LINGER;
        NS_TEST_EXPECT_MSG_EQ(s.packetsSent[Ix(MtpPacketType::RPC_UNKNOWN)],
                              (unknown ? 1 : 0),
                              "RPC_UNKNOWN answers");
        NS_TEST_EXPECT_MSG_EQ(c.restarts, (unknown ? 1 : 0), "restarts");
        if (m_loss == Loss::MIDDLE)
        {
            // The receiver's tick asks for the gap and so does its answer to
            // the sender's NEED_ACK, due at the same tick (as Homa's
            // homa_need_ack_pkt does); the second copy arrives after
            // delivery and is absorbed by the lingering id.  The sender, told
            // nothing but RESENDs, asks again and is acked from the linger.
            NS_TEST_EXPECT_MSG_EQ(s.resendsSent, 2, "RESENDs");
            NS_TEST_EXPECT_MSG_EQ(c.packetsRetransmitted, 2, "retransmissions");
            NS_TEST_EXPECT_MSG_EQ(s.duplicateBytes, 1424, "one packet's bytes duplicate");
            NS_TEST_EXPECT_MSG_EQ(c.packetsSent[Ix(MtpPacketType::NEED_ACK)], 2, "asked twice");
            NS_TEST_EXPECT_MSG_EQ(s.packetsSent[Ix(MtpPacketType::ACK)], 1, "acked once");
            NS_TEST_EXPECT_MSG_EQ(s.oneWayLingerHits, 2, "the late copy and the NEED_ACK");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(s.resendsSent, 0, "no RESEND");
        }
        if (m_loss == Loss::ACK)
        {
            NS_TEST_EXPECT_MSG_EQ(c.packetsSent[Ix(MtpPacketType::NEED_ACK)], 2, "asked twice");
            NS_TEST_EXPECT_MSG_EQ(s.packetsSent[Ix(MtpPacketType::ACK)], 2, "acked twice");
            NS_TEST_EXPECT_MSG_EQ(s.oneWayLingerHits, 2, "both answered from the linger");
        }
        NS_TEST_EXPECT_MSG_EQ(c.oneWayAcked, 1, "the sender's RPC ended with the ack");
        NS_TEST_EXPECT_MSG_EQ(c.rpcsAborted, 0, "no failure");
        NS_TEST_EXPECT_MSG_EQ(tx->GetRecvQueueLength(), 0, "nothing queued for the sender app");
        NS_TEST_EXPECT_MSG_EQ(tx->GetRpcCount() + server.socket->GetRpcCount(), 0, "all freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
    }

    Loss m_loss; //!< what is dropped
};

/**
 * A copy of a delivered message's DATA arrives after delivery (as a
 * retransmission that crossed the original would): the lingering id
 * absorbs it, it is counted as duplicate bytes and never delivered again;
 * once OneWayLinger has passed the id is forgotten.
 */
class MtpOneWayLateCopyTestCase : public TestCase
{
  public:
    MtpOneWayLateCopyTestCase()
        : TestCase("Ack mode: a late copy of a delivered message is absorbed while its id lingers")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        SetAnswer(net.clients.Get(0), MtpL4Protocol::ONE_WAY_ACK);
        Ptr<MtpL4Protocol> sm = MtpOf(net.server);
        sm->SetAttribute("OneWayLinger", TimeValue(MilliSeconds(20)));
        Ptr<Packet> copy;
        MtpOf(net.clients.Get(0))
            ->TraceConnectWithoutContext("Tx",
                                         Callback<void, Ptr<const Packet>, const Address&, uint8_t>(
                                             [&copy](Ptr<const Packet> p, const Address&, uint8_t) {
                                                 if (!copy)
                                                 {
                                                     copy = p->Copy();
                                                 }
                                             }));
        OneWaySink server;
        server.Start(net.server, 100);
        Ptr<MtpSocket> tx = Network::Socket(net.clients.Get(0));
        Injector in{sm, HostOf(net.clientAddrs[0]), HostOf(net.serverHost)};
        Simulator::Schedule(MicroSeconds(1),
                            [&]() { tx->SendTo(MakePattern(3, 200), 0, net.ServerAddress(100)); });
        Simulator::Schedule(MilliSeconds(10), [&]() {
            NS_TEST_ASSERT_MSG_EQ((copy != nullptr), true, "the DATA was captured");
            // The sender's NEED_ACK (5 ms) was answered from the linger already.
            NS_TEST_EXPECT_MSG_EQ(tx->GetRpcCount(), 0, "the sender was acked");
            const uint64_t hits = sm->GetMetrics().oneWayLingerHits;
            in.Inject(copy->Copy());
            NS_TEST_EXPECT_MSG_EQ(server.messages.size(), 1, "not delivered again");
            NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().oneWayLingerHits - hits,
                                  1,
                                  "absorbed by the linger");
            NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().duplicateBytes, 200, "counted as duplicate");
            NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "no RPC created");
        });
        Simulator::Schedule(MilliSeconds(30), [&]() {
            NS_TEST_EXPECT_MSG_EQ(server.socket->Rpcs().GetLingerCount(), 0, "forgotten at 21 ms");
        });
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(server.messages.size(), 1, "delivered once");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(server.messages[0], 3, 200), true, "byte for byte");
        NS_TEST_EXPECT_MSG_EQ(tx->GetRpcCount(), 0, "sender freed");
        Simulator::Destroy();
    }
};

/**
 * Ack mode under random loss: 5 clients send 20 one-way messages each (100 B
 * to 200 KB) to the server and the server sends 10 to each client, over a
 * server link losing `rate` of the packets both ways.  Every message is
 * delivered exactly once, byte for byte, no sender fails or times out,
 * every sender RPC is freed by an ack, and no response is ever sent.
 */
class MtpOneWayRandomLossTestCase : public TestCase
{
  public:
    /** \param rate packet loss rate */
    explicit MtpOneWayRandomLossTestCase(double rate)
        : TestCase(Name(rate)),
          m_rate(rate)
    {
    }

  private:
    /** \return the test name */
    static std::string Name(double rate)
    {
        std::ostringstream os;
        os << "Ack mode, 150 one-way messages both ways at " << rate * 100
           << " percent loss: each delivered once";
        return os.str();
    }

    void DoRun() override
    {
        uint32_t seed = RngSeedManager::GetSeed();
        uint64_t run = RngSeedManager::GetRun();
        // MTP_SEED picks another loss pattern (as in mtp-homa-timer).
        RngSeedManager::SetSeed(getenv("MTP_SEED") ? std::stoul(getenv("MTP_SEED")) : 7);
        RngSeedManager::SetRun(1);
        const uint32_t nClients = 5;
        Network net;
        net.nClients = nClients;
        net.Build();
        std::vector<Ptr<RateErrorModel>> models;
        for (int k = 0; k < 2; ++k)
        {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(m_rate);
            em->AssignStreams(100 + k);
            models.push_back(em);
        }
        SetServerLinkErrorModel(net, models[0], models[1]);
        std::vector<Ptr<MtpL4Protocol>> mtps = AllMtp(net);
        for (auto& m : mtps)
        {
            m->SetAttribute("OneWayAnswer", EnumValue(MtpL4Protocol::ONE_WAY_ACK));
        }
        OneWaySink server;
        server.Start(net.server, 100);
        std::vector<OneWaySink> clients(nClients);
        std::map<uint32_t, uint32_t> sizeOf; // seed -> size
        const std::vector<uint32_t> sizes = {100,   200000, 1400,   5000,   12000, 100,   60000,
                                             2800,  30000,  150000, 700,    9000,  20000, 1500,
                                             80000, 300,    11000,  200000, 4000,  45000};
        for (uint32_t c = 0; c < nClients; ++c)
        {
            clients[c].Start(net.clients.Get(c), 200);
            for (uint32_t r = 0; r < 20; ++r)
            {
                uint32_t id = 1000 * c + r;
                uint32_t size = sizes[(r + 3 * c) % sizes.size()];
                sizeOf[id] = size;
                Simulator::Schedule(MicroSeconds(7 * c + 150 * r), [&, c, id, size]() {
                    clients[c].socket->SendTo(MakePattern(id, size), 0, net.ServerAddress(100));
                });
            }
            for (uint32_t r = 0; r < 10; ++r)
            {
                uint32_t id = 100000 + 1000 * c + r;
                uint32_t size = sizes[(2 * r + c) % sizes.size()];
                sizeOf[id] = size;
                Simulator::Schedule(MicroSeconds(3 * c + 290 * r), [&, c, id, size]() {
                    server.socket->SendTo(MakePattern(id, size), 0, ClientAddress(net, c, 200));
                });
            }
        }
        bool quiet = RunUntilQuiet(mtps, Seconds(10));

        std::map<uint32_t, uint32_t> deliveries; // seed -> times delivered intact
        std::vector<const OneWaySink*> sinks{&server};
        for (const auto& c : clients)
        {
            sinks.push_back(&c);
        }
        for (const OneWaySink* sink : sinks)
        {
            for (const auto& m : sink->messages)
            {
                uint32_t id = SeedOf(m);
                auto it = sizeOf.find(id);
                if (it != sizeOf.end() && IsPattern(m, id, it->second))
                {
                    ++deliveries[id];
                }
            }
        }
        uint32_t once = 0;
        for (const auto& kv : sizeOf)
        {
            once += deliveries[kv.first] == 1 ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_EQ(once, sizeOf.size(), "every message delivered once, intact");
        uint64_t total = server.messages.size();
        uint64_t acked = 0;
        uint64_t responses = 0;
        for (const auto& c : clients)
        {
            total += c.messages.size();
            NS_TEST_EXPECT_MSG_EQ(c.socket->GetRpcCount(), 0, "client RPCs freed");
        }
        NS_TEST_EXPECT_MSG_EQ(total, sizeOf.size(), "nothing delivered twice");
        uint64_t retransmitted = 0;
        for (auto& m : mtps)
        {
            const MtpMetrics& k = m->GetMetrics();
            acked += k.oneWayAcked;
            responses += k.responsesSent;
            retransmitted += k.packetsRetransmitted;
            NS_TEST_EXPECT_MSG_EQ(k.rpcsAborted, 0, "no RPC failed");
            NS_TEST_EXPECT_MSG_EQ(m->GetLiveRpcCount(), 0, "no live RPC left");
        }
        NS_TEST_EXPECT_MSG_EQ(acked, sizeOf.size(), "every sender freed by an ack");
        NS_TEST_EXPECT_MSG_EQ(responses, 0, "no response");
        NS_TEST_EXPECT_MSG_GT(retransmitted, 0, "loss was recovered");
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server RPCs freed");
        NS_TEST_EXPECT_MSG_EQ(quiet, true, "simulation ends by itself");
        Simulator::Destroy();
        RngSeedManager::SetSeed(seed);
        RngSeedManager::SetRun(run);
    }

    double m_rate; //!< loss rate
};

/** The suite. */
class MtpHomaOneWayTestSuite : public TestSuite
{
  public:
    MtpHomaOneWayTestSuite()
        : TestSuite("mtp-homa-oneway", TestSuite::Type::SYSTEM)
    {
        const auto response = MtpL4Protocol::ONE_WAY_RESPONSE;
        const auto ack = MtpL4Protocol::ONE_WAY_ACK;
        AddTestCase(new MtpOneWayAnswerTestCase(response, response));
        AddTestCase(new MtpOneWayAnswerTestCase(ack, ack));
        AddTestCase(new MtpOneWayAnswerTestCase(ack, response));
        AddTestCase(new MtpOneWayAnswerTestCase(response, ack));
        AddTestCase(new MtpOneWayPiggybackTestCase());
        AddTestCase(new MtpOneWayLossTestCase(Loss::ONLY_DATA));
        AddTestCase(new MtpOneWayLossTestCase(Loss::MIDDLE));
        AddTestCase(new MtpOneWayLossTestCase(Loss::ACK));
        AddTestCase(new MtpOneWayLossTestCase(Loss::ACK_LINGER));
        AddTestCase(new MtpOneWayLateCopyTestCase());
        AddTestCase(new MtpOneWayRandomLossTestCase(0.05));
        AddTestCase(new MtpOneWayRandomLossTestCase(0.10));
    }
};

/// The one instance.
MtpHomaOneWayTestSuite g_mtpHomaOneWayTestSuite;

} // namespace
