/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of MtpMonitor (suite mtp-monitor), on test/mtp-test-util.h's
 * network (clients -- router -- server) with the monitor on the router:
 *  - the shadow state of every RPC equals what the endpoints saw (message
 *    lengths, bytes, completion), IPv4 and IPv6, with and without a lost
 *    packet (whose retransmission the monitor must catch, and nothing else);
 *  - each event fires exactly when it should (one table row per event);
 *  - the idle timeout, the hook points, user-defined events, filters;
 *  - a RAW monitor, the error returns, StopFlow, Close, malformed packets;
 *  - peek and positioned peek of MTP messages and of TCP streams (real,
 *    distinct bytes both ways), across a retransmission whose bytes differ
 *    from the first copy, under both overlap policies; buffer overflow;
 *  - a monitor changes no result: the same run with and without one gives a
 *    byte-identical record of every frame sent and every RPC outcome.
 */

#include "../mtp-test-util.h"

#include "ns3/bulk-send-helper.h"
#include "ns3/error-model.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/mtp-monitor-helper.h"
#include "ns3/node-list.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/pointer.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <array>
#include <functional>
#include <sstream>
#include <utility>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

namespace E = ns3::MtpMonitorEvent;

/** MTP's IP protocol number (the module's default). */
constexpr uint8_t MTP = 146;
/** The server port of every scenario. */
constexpr uint16_t SERVER_PORT = 99;

/**
 * Drops the n-th frame longer than 1000 bytes that a device receives (a DATA
 * packet), once: the injected loss.
 */
class DropNthBigFrame : public ErrorModel
{
  public:
    /** \param n which big frame to drop (1-based) */
    explicit DropNthBigFrame(uint32_t n)
        : m_n(n)
    {
    }

    uint32_t dropped = 0; //!< frames dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (p->GetSize() <= 1000)
        {
            return false;
        }
        if (++m_seen == m_n)
        {
            ++dropped;
            return true;
        }
        return false;
    }

    void DoReset() override
    {
    }

    uint32_t m_n;        //!< which big frame to drop
    uint32_t m_seen = 0; //!< big frames seen
};

/** One RPC a client started: its id and request size. */
struct SentRpc
{
    uint32_t client; //!< client index
    uint64_t id;     //!< the client's RPC id
    uint32_t size;   //!< request bytes
    uint32_t seed;   //!< MakePattern seed of the request
};

/**
 * A small RPC workload: each client sends requests of several sizes to one
 * server that answers each with responseSize bytes.
 */
struct Scenario
{
    bool ipv6 = false;                                              //!< address family
    uint32_t clients = 2;                                           //!< client hosts
    std::vector<uint32_t> sizes = {100, 1400, 5000, 30000, 120000}; //!< request sizes
    uint32_t responseSize = 2345;                                   //!< response bytes
    uint32_t dropBigFrame = 0; //!< drop the n-th big frame at the server (0: none)
    bool answer = true;        //!< the server answers requests

    Network net;               //!< the network
    PatternServer server;      //!< the server
    Ptr<MtpSocket> silent;     //!< the server socket when answer is false
    std::vector<Client> cl;    //!< the clients
    std::vector<SentRpc> sent; //!< every RPC started
    Ptr<DropNthBigFrame> loss; //!< the loss model, if any

    /** Build the network and sockets (before a monitor is installed). */
    void Build()
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        net.nClients = clients;
        net.ipv6 = ipv6;
        net.Build();
        // Fixed streams for the stack's random timers (IPv6 router solicitations ...):
        // automatic stream numbers run on across the runs of one process.
        InternetStackHelper().AssignStreams(NodeContainer::GetGlobal(), 100);
        if (answer)
        {
            server.responseSize = responseSize;
            server.Start(net.server, SERVER_PORT);
        }
        else
        {
            silent = Network::Socket(net.server);
            silent->Bind(InetSocketAddress(Ipv4Address::GetAny(), SERVER_PORT));
        }
        if (dropBigFrame)
        {
            loss = CreateObject<DropNthBigFrame>(dropBigFrame);
            net.serverLink.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
        }
        cl.resize(clients);
        for (uint32_t c = 0; c < clients; ++c)
        {
            cl[c].Start(net.clients.Get(c));
            for (size_t k = 0; k < sizes.size(); ++k)
            {
                Simulator::Schedule(MicroSeconds(5 * k + c), &Scenario::Send, this, c, sizes[k]);
            }
        }
    }

    /** Start one RPC. */
    void Send(uint32_t c, uint32_t size)
    {
        uint32_t seed = 1000 * (c + 1) + size;
        uint64_t id =
            cl[c].socket->SendRequest(MakePattern(seed, size), net.ServerAddress(SERVER_PORT));
        sent.push_back({c, id, size, seed});
    }

    /** \return the monitor key of an RPC */
    MtpFlowKey Key(const SentRpc& r) const
    {
        MtpFlowKey k;
        k.protocol = MTP;
        k.client = Addr(net.clientAddrs[r.client]);
        k.clientPort = cl[r.client].socket->GetDefaultPort();
        k.server = Addr(net.serverHost);
        k.serverPort = SERVER_PORT;
        k.rpcId = r.id;
        return k;
    }

    /** \return a host address as keys hold it */
    static Ipv6Address Addr(const Address& a)
    {
        if (InetSocketAddress::IsMatchingType(a))
        {
            return MtpMonitorFilter::MapIpv4(InetSocketAddress::ConvertFrom(a).GetIpv4());
        }
        return Inet6SocketAddress::ConvertFrom(a).GetIpv6();
    }
};

/** Every event a monitor raised, in order (BEFORE hook). */
struct EventLog
{
    std::vector<MtpMonitorEventInfo> events; //!< in order

    /** The callback. */
    void Add(const MtpMonitorEventInfo& e)
    {
        events.push_back(e);
    }

    /** \return how many events have the bit `ev` */
    size_t Count(MtpEventMask ev) const
    {
        size_t n = 0;
        for (const auto& e : events)
        {
            n += e.event == ev;
        }
        return n;
    }

    /** \return the events of bit `ev` */
    std::vector<MtpMonitorEventInfo> Of(MtpEventMask ev) const
    {
        std::vector<MtpMonitorEventInfo> out;
        for (const auto& e : events)
        {
            if (e.event == ev)
            {
                out.push_back(e);
            }
        }
        return out;
    }
};

/**
 * The shadow state of every RPC equals the endpoints' view; with a lost
 * packet the monitor reports the retransmission and only it.
 */
class MtpMonitorShadowTestCase : public TestCase
{
  public:
    /** \param ipv6 family \param loss drop one DATA packet after the router */
    MtpMonitorShadowTestCase(bool ipv6, bool loss)
        : TestCase(std::string("shadow state equals the endpoints' view, ") +
                   (ipv6 ? "IPv6" : "IPv4") + (loss ? ", one DATA packet lost" : "")),
          m_ipv6(ipv6),
          m_loss(loss)
    {
    }

  private:
    void DoRun() override
    {
        Scenario s;
        s.ipv6 = m_ipv6;
        s.dropBigFrame = m_loss ? 7 : 0;
        s.Build();
        MtpMonitorHelper helper;
        Ptr<MtpMonitor> mon = helper.Install(s.net.router);
        EventLog log;
        mon->Register(E::ALL_BUILTIN, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &log));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(s.sent.size(), s.clients * s.sizes.size(), "all RPCs started");
        size_t done = 0;
        for (const SentRpc& r : s.sent)
        {
            auto resp = s.cl[r.client].responses.find(r.id);
            NS_TEST_ASSERT_MSG_EQ((resp != s.cl[r.client].responses.end()), true, "RPC done");
            if (resp == s.cl[r.client].responses.end())
            {
                continue; // the runner may continue on failure
            }
            ++done;
            MtpMonitorFlowRecord rec;
            NS_TEST_ASSERT_MSG_EQ(mon->GetFlowRecord(s.Key(r), rec), true, "monitor saw RPC");
            NS_TEST_EXPECT_MSG_EQ(rec.ipv6, m_ipv6, "family");
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.request.length, r.size, "request length");
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.request.bytesSeen, r.size, "request bytes");
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.request.complete, true, "request complete");
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.request.lengthMismatch, false, "one length");
            uint32_t respLen = resp->second->GetSize();
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.response.length, respLen, "response length");
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.response.bytesSeen, respLen, "response bytes");
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.response.complete, true, "response complete");
            NS_TEST_EXPECT_MSG_EQ(MtpRpcShadowStateName(rec.rpc.state),
                                  "ENDED",
                                  "acked in the end");
            NS_TEST_EXPECT_MSG_EQ(rec.rpc.acked, true, "ack seen");
            NS_TEST_EXPECT_MSG_EQ(rec.ended, true, "flow ended");
            // Grants never exceed the message; a message above the unscheduled
            // bytes needed grants to finish.
            NS_TEST_EXPECT_MSG_EQ((rec.rpc.request.grantedOffset <= r.size), true, "grant");
            if (r.size > 20000)
            {
                NS_TEST_EXPECT_MSG_EQ(rec.rpc.request.grantedOffset, r.size, "granted all");
            }
        }
        NS_TEST_EXPECT_MSG_EQ(done, s.sent.size(), "every RPC checked");
        // The events carry each packet's offsets: DATA payloads add up to the bytes on
        // the wire, the largest GRANT offset is the record's granted offset.
        std::map<MtpFlowKey, uint64_t> wire;
        std::map<MtpFlowKey, uint32_t> granted;
        for (const auto& e : log.Of(E::PACKET_IN))
        {
            bool fromClient = e.hasFlow && e.packet.src == e.flow.key.client;
            if (fromClient && e.mtpType == MtpPacketType::DATA)
            {
                wire[e.flow.key] += e.mtpLength;
            }
            if (e.hasFlow && !fromClient && e.mtpType == MtpPacketType::GRANT)
            {
                granted[e.flow.key] = std::max(granted[e.flow.key], e.mtpOffset);
            }
        }
        for (const SentRpc& r : s.sent)
        {
            MtpMonitorFlowRecord rec;
            mon->GetFlowRecord(s.Key(r), rec);
            NS_TEST_EXPECT_MSG_EQ(wire[s.Key(r)], rec.rpc.request.bytesOnWire, "DATA lengths");
            NS_TEST_EXPECT_MSG_EQ(granted[s.Key(r)], rec.rpc.request.grantedOffset, "GRANTs");
        }
        NS_TEST_EXPECT_MSG_EQ(mon->GetStats().flows, s.sent.size(), "one flow per RPC");
        NS_TEST_EXPECT_MSG_EQ(mon->GetStats().malformed, 0, "nothing malformed");
        NS_TEST_EXPECT_MSG_EQ(mon->GetActiveFlowCount(), 0, "every flow ended");
        CheckOutput(s, mon);
        CheckRetransmissions(s, log);
        Simulator::Destroy();
    }

    /** CSV and XML hold one entry per RPC, with the record's numbers. */
    void CheckOutput(const Scenario& s, Ptr<MtpMonitor> mon)
    {
        std::ostringstream csv;
        std::ostringstream xml;
        mon->WriteCsv(csv);
        mon->WriteXml(xml, 0, 7);
        auto count = [](const std::string& text, const std::string& what) {
            size_t n = 0;
            for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
            {
                ++n;
            }
            return n;
        };
        NS_TEST_EXPECT_MSG_EQ(count(csv.str(), "\n"), s.sent.size() + 1, "CSV: header + RPCs");
        NS_TEST_EXPECT_MSG_EQ(count(xml.str(), "<Flow "), s.sent.size(), "XML: one Flow each");
        NS_TEST_EXPECT_MSG_EQ(count(xml.str(), "<MtpMonitor node=\"7\">"), 1, "XML root");
        for (const SentRpc& r : s.sent)
        {
            MtpFlowKey k = s.Key(r);
            std::ostringstream line;
            line << "146," << MtpMonitorAddressString(k.client) << "," << k.clientPort << ","
                 << MtpMonitorAddressString(k.server) << "," << k.serverPort << "," << k.rpcId
                 << ",";
            NS_TEST_EXPECT_MSG_EQ(count(csv.str(), line.str()), 1, "CSV line of " << r.id);
            std::ostringstream req;
            req << "<Message side=\"request\" length=\"" << r.size << "\" bytesSeen=\"" << r.size
                << "\"";
            NS_TEST_EXPECT_MSG_GT(count(xml.str(), req.str()), 0, "XML request " << r.size);
        }
    }

    /** Without loss no retransmission; with one loss, only copies of lost bytes. */
    void CheckRetransmissions(const Scenario& s, const EventLog& log)
    {
        auto rex = log.Of(E::RETRANSMISSION);
        if (!m_loss)
        {
            NS_TEST_EXPECT_MSG_EQ(rex.size(), 0, "no retransmission without loss");
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(s.loss->dropped, 1, "one packet lost");
        NS_TEST_ASSERT_MSG_GT(rex.size(), 0, "the retransmission is caught");
        if (rex.empty())
        {
            return; // the runner may continue on failure
        }
        // All retransmissions belong to one RPC, are DATA, and the RPC's own
        // counters say so too.
        for (const auto& e : rex)
        {
            NS_TEST_EXPECT_MSG_EQ((e.flow.key == rex[0].flow.key), true, "one RPC retransmits");
            NS_TEST_EXPECT_MSG_EQ((e.mtpType == MtpPacketType::DATA), true, "DATA only");
        }
        const MtpRpcRecord& r = rex.back().flow.rpc;
        NS_TEST_EXPECT_MSG_EQ(r.request.retransmits + r.response.retransmits,
                              rex.size(),
                              "counted in the record");
        NS_TEST_EXPECT_MSG_GT(r.request.resends + r.response.resends, 0, "RESEND seen");
    }

    bool m_ipv6; //!< family
    bool m_loss; //!< inject a loss
};

/**
 * One-way messages answered by acks (OneWayAnswer=Ack): the message's
 * receiver acks it with its own odd id and the sender's port, on the next
 * DATA it sends to that host from any socket, or in an ACK packet when the
 * sender asks (NEED_ACK).  The monitor ends each such flow when it sees the
 * ack, whichever way it travels: client 0's acks ride on a message the
 * server host sends back from another socket (ports that are not the
 * flow's), client 1's come in ACK packets, and so do client 0's for that
 * message.  A monitor that looked acks up only on client packets, or by the
 * carrying packet's ports, would leave them all waiting for a response.
 */
class MtpMonitorOneWayAckTestCase : public TestCase
{
  public:
    /** \param ipv6 family */
    explicit MtpMonitorOneWayAckTestCase(bool ipv6)
        : TestCase(std::string("one-way acks end their flows, on DATA or ACK, ") +
                   (ipv6 ? "IPv6" : "IPv4")),
          m_ipv6(ipv6)
    {
    }

  private:
    /**
     * \param node a host
     * \param port the port to bind
     * \return an MTP socket bound to it
     */
    Ptr<MtpSocket> Bound(Ptr<Node> node, uint16_t port) const
    {
        Ptr<MtpSocket> s = Network::Socket(node);
        if (m_ipv6)
        {
            s->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), port));
        }
        else
        {
            s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        }
        return s;
    }

    void DoRun() override
    {
        constexpr uint16_t BACK_PORT = 77;   // the server host's second socket
        constexpr uint16_t CLIENT_PORT = 88; // where client 0 receives it
        const std::vector<uint32_t> sizes = {100, 5000, 30000};
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        Network net;
        net.ipv6 = m_ipv6;
        net.nClients = 2;
        net.Build();
        for (Ptr<Node> n : {net.clients.Get(0), net.clients.Get(1), net.server})
        {
            n->GetObject<MtpL4Protocol>()->SetAttribute("OneWayAnswer",
                                                        EnumValue(MtpL4Protocol::ONE_WAY_ACK));
        }
        Ptr<MtpSocket> server = Bound(net.server, SERVER_PORT);
        Ptr<MtpSocket> back = Bound(net.server, BACK_PORT);
        std::vector<Ptr<MtpSocket>> tx = {Bound(net.clients.Get(0), CLIENT_PORT),
                                          Bound(net.clients.Get(1), CLIENT_PORT)};
        for (uint32_t c = 0; c < 2; ++c)
        {
            for (size_t k = 0; k < sizes.size(); ++k)
            {
                Simulator::Schedule(MicroSeconds(5 * k + c), [&, c, k]() {
                    tx[c]->SendTo(MakePattern(100 * c + k, sizes[k]),
                                  0,
                                  net.ServerAddress(SERVER_PORT));
                });
            }
        }
        // After the clients' messages arrived: the acks owed to client 0 ride
        // on this message's DATA.
        Simulator::Schedule(MilliSeconds(1), [&]() {
            back->SendTo(MakePattern(7, 20000),
                         0,
                         net.HostAddress(net.clientAddrs[0], CLIENT_PORT));
        });
        MtpMonitorHelper helper;
        Ptr<MtpMonitor> mon = helper.Install(net.router);
        EventLog log;
        mon->Register(E::ALL_BUILTIN, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &log));
        Simulator::Run();

        const Ipv6Address server6 = Scenario::Addr(net.serverHost);
        const Ipv6Address client0 = Scenario::Addr(net.clientAddrs[0]);
        const Ipv6Address client1 = Scenario::Addr(net.clientAddrs[1]);
        std::vector<MtpMonitorFlowRecord> recs = mon->GetFlowRecords();
        NS_TEST_ASSERT_MSG_EQ(recs.size(), 2 * sizes.size() + 1, "a flow per one-way message");
        for (const MtpMonitorFlowRecord& r : recs)
        {
            NS_TEST_EXPECT_MSG_EQ(r.rpc.request.complete, true, r.key << ": message seen whole");
            NS_TEST_EXPECT_MSG_EQ(r.rpc.response.dataPackets, 0, r.key << ": no response");
            NS_TEST_EXPECT_MSG_EQ(r.rpc.acked, true, r.key << ": ack seen");
            NS_TEST_EXPECT_MSG_EQ(MtpRpcShadowStateName(r.rpc.state), "ENDED", r.key);
            NS_TEST_EXPECT_MSG_EQ(r.ended, true, r.key << ": flow ended");
            NS_TEST_EXPECT_MSG_EQ(r.timedOut, false, r.key << ": not by the idle timer");
        }
        NS_TEST_EXPECT_MSG_EQ(mon->GetActiveFlowCount(), 0, "every flow ended");
        // What carried each flow's ack: the packet of its FLOW_END event.
        size_t onData = 0;
        size_t onAck = 0;
        for (const auto& e : log.Of(E::FLOW_END))
        {
            const MtpFlowKey& k = e.flow.key;
            const bool toClient0 = k.client == client0 && k.server == server6;
            const bool toClient1 = k.client == client1 && k.server == server6;
            const bool back0 = k.client == server6 && k.server == client0;
            NS_TEST_EXPECT_MSG_EQ((toClient0 || toClient1 || back0), true, k << ": a flow sent");
            const MtpPacketType expected = toClient0 ? MtpPacketType::DATA : MtpPacketType::ACK;
            NS_TEST_EXPECT_MSG_EQ((e.mtpType == expected),
                                  true,
                                  k << ": ended by the expected packet type");
            NS_TEST_EXPECT_MSG_EQ((e.packet.src == k.server && e.packet.dst == k.client),
                                  true,
                                  k << ": acked by the receiver");
            onData += e.mtpType == MtpPacketType::DATA;
            onAck += e.mtpType == MtpPacketType::ACK;
        }
        NS_TEST_EXPECT_MSG_EQ(onData, sizes.size(), "client 0's acks rode on DATA");
        NS_TEST_EXPECT_MSG_EQ(onAck, sizes.size() + 1, "the others came in ACK packets");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< family
};

/** One row of the event table: an event and the check of when it fired. */
struct EventRow
{
    MtpEventMask event;                                //!< the event
    const char* rule;                                  //!< when it must fire
    std::function<std::string(const EventLog&)> check; //!< "" if it held, else why not
};

/**
 * Each built-in event fires exactly when it should, in a lossless run with
 * every RPC tracked (one table row per event).
 */
class MtpMonitorEventTableTestCase : public TestCase
{
  public:
    MtpMonitorEventTableTestCase()
        : TestCase("each event fires exactly when it should (table)")
    {
    }

  private:
    /** Count frames the router forwards, independently of the monitor. */
    void OnForward(const Ipv4Header&, Ptr<const Packet>, uint32_t)
    {
        ++m_forwarded;
    }

    void DoRun() override
    {
        Scenario s;
        s.Build();
        Ptr<MtpMonitor> mon = MtpMonitorHelper().Install(s.net.router);
        mon->SetAttribute("IdleTimeout", TimeValue(Seconds(1)));
        EventLog log;
        mon->Register(E::ALL_BUILTIN, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &log));
        s.net.router->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            MakeCallback(&MtpMonitorEventTableTestCase::OnForward, this));
        Simulator::Run();
        size_t rpcs = s.sent.size();
        std::vector<EventRow> table = Table(rpcs);
        for (const EventRow& row : table)
        {
            std::string why = row.check(log);
            NS_TEST_EXPECT_MSG_EQ(why, "", MtpEventMaskToString(row.event) << ": " << row.rule);
        }
        Simulator::Destroy();
    }

    /** \return the table */
    std::vector<EventRow> Table(size_t rpcs)
    {
        auto count = [](const EventLog& l, MtpEventMask ev, size_t want) -> std::string {
            size_t n = l.Count(ev);
            return n == want ? "" : "fired " + std::to_string(n) + ", want " + std::to_string(want);
        };
        auto typed = [](const EventLog& l, MtpEventMask ev, MtpPacketType t) {
            size_t n = 0;
            for (const auto& e : l.Of(ev))
            {
                n += e.mtpType == t;
            }
            return n;
        };
        uint64_t forwarded = m_forwarded;
        return {
            {E::PACKET_IN,
             "once per packet the router forwards",
             [=](const EventLog& l) { return count(l, E::PACKET_IN, forwarded); }},
            {E::FLOW_START,
             "once per RPC, at its first packet",
             [=](const EventLog& l) {
                 std::set<MtpFlowKey> seen;
                 for (const auto& e : l.events)
                 {
                     bool start = e.event == E::FLOW_START;
                     if (e.hasFlow && !start && !seen.count(e.flow.key) && e.event != E::PACKET_IN)
                     {
                         return std::string("an event before FLOW_START");
                     }
                     if (start && !seen.insert(e.flow.key).second)
                     {
                         return std::string("started twice");
                     }
                 }
                 return count(l, E::FLOW_START, rpcs);
             }},
            {E::NEW_DATA,
             "once per DATA packet when nothing is lost",
             [=](const EventLog& l) {
                 return count(l, E::NEW_DATA, typed(l, E::PACKET_IN, MtpPacketType::DATA));
             }},
            {E::STATE_CHANGE,
             "REQUEST->RESPONSE->COMPLETED->ENDED, once each per RPC",
             [=](const EventLog& l) {
                 std::map<MtpFlowKey, std::string> path;
                 for (const auto& e : l.Of(E::STATE_CHANGE))
                 {
                     path[e.flow.key] += MtpRpcShadowStateName(e.flow.rpc.state) + " ";
                 }
                 for (const auto& [k, p] : path)
                 {
                     if (p != "RESPONSE COMPLETED ENDED ")
                     {
                         return "path " + p;
                     }
                 }
                 return count(l, E::STATE_CHANGE, 3 * rpcs);
             }},
            {E::ORPHAN,
             "for CUTOFFS/FREEZE (no RPC) and nothing else when all RPCs are known",
             [=](const EventLog& l) {
                 size_t peer = typed(l, E::PACKET_IN, MtpPacketType::CUTOFFS) +
                               typed(l, E::PACKET_IN, MtpPacketType::FREEZE);
                 return count(l, E::ORPHAN, peer);
             }},
            {E::RETRANSMISSION,
             "never without loss",
             [=](const EventLog& l) { return count(l, E::RETRANSMISSION, 0); }},
            {E::FLOW_END,
             "once per RPC, when the client's ACK crosses",
             [=](const EventLog& l) {
                 for (const auto& e : l.Of(E::FLOW_END))
                 {
                     bool ackPacket =
                         e.mtpType == MtpPacketType::ACK || e.mtpType == MtpPacketType::DATA;
                     if (!e.flow.rpc.acked || !e.flow.rpc.response.complete || !ackPacket)
                     {
                         return std::string("ended without ACK or response");
                     }
                 }
                 return count(l, E::FLOW_END, rpcs);
             }},
            {E::TIMEOUT,
             "never while no flow is idle for IdleTimeout (1 s)",
             [=](const EventLog& l) { return count(l, E::TIMEOUT, 0); }},
        };
    }

    uint64_t m_forwarded = 0; //!< frames the router forwarded
};

/**
 * TIMEOUT: a server that never answers leaves the RPC idle (until the
 * client's RESEND timer); the monitor raises TIMEOUT once, exactly
 * IdleTimeout after the flow's last packet, and the flow's later packets are
 * orphans.
 */
class MtpMonitorTimeoutTestCase : public TestCase
{
  public:
    MtpMonitorTimeoutTestCase()
        : TestCase("TIMEOUT fires once, IdleTimeout after the last packet")
    {
    }

  private:
    void DoRun() override
    {
        Scenario s;
        s.clients = 1;
        s.sizes = {3000};
        s.answer = false;
        s.Build();
        Ptr<MtpMonitor> mon = MtpMonitorHelper().Install(s.net.router);
        Time idle = MicroSeconds(300);
        mon->SetAttribute("IdleTimeout", TimeValue(idle));
        EventLog log;
        mon->Register(E::ALL_BUILTIN, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &log));
        Simulator::Stop(MilliSeconds(4));
        Simulator::Run();
        auto t = log.Of(E::TIMEOUT);
        NS_TEST_ASSERT_MSG_EQ(t.size(), 1, "one TIMEOUT");
        if (t.size() != 1)
        {
            Simulator::Destroy();
            return;
        }
        NS_TEST_EXPECT_MSG_EQ(t[0].packet.time, t[0].flow.lastSeen + idle, "on time");
        NS_TEST_EXPECT_MSG_EQ(t[0].flow.timedOut, true, "marked");
        NS_TEST_EXPECT_MSG_EQ(t[0].flow.rpc.request.complete, true, "request was seen");
        NS_TEST_EXPECT_MSG_EQ(MtpRpcShadowStateName(t[0].flow.rpc.state), "RESPONSE", "awaiting");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_END), 0, "no end");
        NS_TEST_EXPECT_MSG_EQ(mon->GetActiveFlowCount(), 0, "dropped from the table");
        NS_TEST_EXPECT_MSG_EQ(mon->GetStats().timeouts, 1, "counted");
        Simulator::Destroy();
    }
};

/**
 * Hook points: on the server host, the NEW_DATA event that completes a
 * request runs BEFORE the server application got it, and AFTER it did.
 */
class MtpMonitorHookTestCase : public TestCase
{
  public:
    MtpMonitorHookTestCase()
        : TestCase("BEFORE runs before the node handles the packet, AFTER after")
    {
    }

  private:
    /** NEW_DATA callback: note how many requests the server had. */
    void OnData(bool after, const MtpMonitorEventInfo& e)
    {
        const MtpMessageShadow& m = e.flow.rpc.request;
        bool completes = m.complete && e.packet.point == MtpMonitorPoint::DELIVER &&
                         e.mtpType == MtpPacketType::DATA && e.flow.rpc.response.dataPackets == 0;
        if (completes)
        {
            (after ? m_after : m_before).push_back(m_server->requests);
            (after ? m_afterTime : m_beforeTime).push_back(Simulator::Now());
        }
    }

    void DoRun() override
    {
        Scenario s;
        s.sizes = {100, 20000};
        s.Build();
        m_server = &s.server;
        Ptr<MtpMonitor> mon = MtpMonitorHelper().Install(s.net.server);
        mon->Register(E::NEW_DATA,
                      MtpMonitorHook::BEFORE,
                      MakeCallback(&MtpMonitorHookTestCase::OnData, this).Bind(false));
        mon->Register(E::NEW_DATA,
                      MtpMonitorHook::AFTER,
                      MakeCallback(&MtpMonitorHookTestCase::OnData, this).Bind(true));
        Simulator::Run();
        size_t n = s.sent.size();
        NS_TEST_ASSERT_MSG_EQ(m_before.size(), n, "one completing packet per request");
        NS_TEST_ASSERT_MSG_EQ(m_after.size(), n, "AFTER sees each too");
        for (size_t i = 0; i < n && i < m_before.size() && i < m_after.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(m_before[i], i, "BEFORE: the server has not got it yet");
            NS_TEST_EXPECT_MSG_EQ(m_after[i], i + 1, "AFTER: the server has it");
            NS_TEST_EXPECT_MSG_EQ(m_afterTime[i], m_beforeTime[i], "same instant");
        }
        Simulator::Destroy();
    }

    PatternServer* m_server = nullptr; //!< the server of the run
    std::vector<uint32_t> m_before;    //!< server requests at BEFORE callbacks
    std::vector<uint32_t> m_after;     //!< server requests at AFTER callbacks
    std::vector<Time> m_beforeTime;    //!< when
    std::vector<Time> m_afterTime;     //!< when
};

/**
 * User-defined events (DefineEvent, nested) and filters on addresses, ports,
 * protocol, the first packet, orphans and flow properties.
 */
class MtpMonitorFilterTestCase : public TestCase
{
  public:
    MtpMonitorFilterTestCase()
        : TestCase("user-defined events and filters")
    {
    }

  private:
    /** Run the scenario with a monitor set up by `setup`; return its log. */
    EventLog Run(std::function<void(Scenario&, Ptr<MtpMonitor>)> setup, Scenario* out = nullptr)
    {
        Scenario s;
        s.Build();
        Ptr<MtpMonitor> mon = MtpMonitorHelper().Install(s.net.router);
        EventLog log;
        setup(s, mon);
        mon->Register(E::ALL_BUILTIN, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &log));
        Simulator::Run();
        m_stats = mon->GetStats();
        if (out)
        {
            out->sent = s.sent;
        }
        Simulator::Destroy();
        return log;
    }

    /** NEW_DATA that completes a request. */
    static bool RequestDone(const MtpMonitorEventInfo& e)
    {
        return e.flow.rpc.request.complete && e.flow.rpc.response.dataPackets == 0 &&
               e.mtpType == MtpPacketType::DATA;
    }

    /** ... of a request above 10000 bytes. */
    static bool Big(const MtpMonitorEventInfo& e)
    {
        return e.flow.rpc.request.length > 10000;
    }

    void DoRun() override
    {
        UserEvents();
        AddressAndPort();
        FirstPacketAndOrphans();
        FlowProperty();
    }

    /** A user event over NEW_DATA fires once per request, a nested one per big request. */
    void UserEvents()
    {
        EventLog user;
        Scenario s;
        Run(
            [&](Scenario&, Ptr<MtpMonitor> mon) {
                MtpEventMask done = mon->DefineEvent(E::NEW_DATA, MakeCallback(&RequestDone));
                MtpEventMask big = mon->DefineEvent(done, MakeCallback(&Big));
                NS_TEST_EXPECT_MSG_EQ(done, MtpEventMask(1) << 32, "first user bit");
                NS_TEST_EXPECT_MSG_EQ(big, MtpEventMask(1) << 33, "second user bit");
                mon->Register(done | big,
                              MtpMonitorHook::BEFORE,
                              MakeCallback(&EventLog::Add, &user));
                NS_TEST_EXPECT_MSG_EQ(
                    mon->DefineEvent(E::NEW_DATA | E::FLOW_END, MakeCallback(&Big)),
                    0,
                    "two bits: no base");
                NS_TEST_EXPECT_MSG_EQ(mon->GetErrno(), MtpError::INVAL, "EINVAL");
                NS_TEST_EXPECT_MSG_EQ(mon->DefineEvent(MtpEventMask(1) << 40, MakeCallback(&Big)),
                                      0,
                                      "undefined user base");
            },
            &s);
        NS_TEST_EXPECT_MSG_EQ(user.Count(MtpEventMask(1) << 32), s.sent.size(), "one per RPC");
        size_t bigs = 0;
        for (const SentRpc& r : s.sent)
        {
            bigs += r.size > 10000;
        }
        NS_TEST_EXPECT_MSG_EQ(user.Count(MtpEventMask(1) << 33), bigs, "one per big RPC");
    }

    /** Address and port filters keep one client's flows (both directions). */
    void AddressAndPort()
    {
        Scenario s;
        Ipv6Address client0;
        EventLog log = Run(
            [&](Scenario& sc, Ptr<MtpMonitor> mon) {
                MtpMonitorFilter f;
                client0 = Scenario::Addr(sc.net.clientAddrs[0]);
                f.src = client0;
                f.dstPort = SERVER_PORT;
                mon->SetFilter(f);
            },
            &s);
        auto starts = log.Of(E::FLOW_START);
        NS_TEST_EXPECT_MSG_EQ(starts.size(), s.sizes.size(), "client 0's RPCs only");
        for (const auto& e : log.Of(E::FLOW_END))
        {
            NS_TEST_EXPECT_MSG_EQ(e.flow.key.client, client0, "client 0");
        }
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_END), s.sizes.size(), "responses seen too");
        NS_TEST_EXPECT_MSG_GT(m_stats.filtered, 0, "client 1 filtered");
        // Protocol filter: TCP only sees no MTP packet at all.
        EventLog tcp = Run([](Scenario&, Ptr<MtpMonitor> mon) {
            MtpMonitorFilter f;
            f.protocol = 6;
            mon->SetFilter(f);
        });
        NS_TEST_EXPECT_MSG_EQ(tcp.events.size(), 0, "no event");
        NS_TEST_EXPECT_MSG_EQ(m_stats.filtered, m_stats.packets, "all filtered");
    }

    /** A first-packet filter that tracks nothing makes every MTP packet an orphan;
        an orphan filter then silences them. */
    void FirstPacketAndOrphans()
    {
        auto none = [](const MtpMonitorPacket&) { return false; };
        EventLog log = Run([&](Scenario&, Ptr<MtpMonitor> mon) {
            MtpMonitorFilter f;
            f.firstPacket = Callback<bool, const MtpMonitorPacket&>(none);
            mon->SetFilter(f);
        });
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_START), 0, "no flow");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::ORPHAN), m_stats.mtp, "every packet an orphan");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::PACKET_IN), m_stats.mtp, "and a packet in");
        EventLog quiet = Run([&](Scenario&, Ptr<MtpMonitor> mon) {
            MtpMonitorFilter f;
            f.firstPacket = Callback<bool, const MtpMonitorPacket&>(none);
            f.orphan = Callback<bool, const MtpMonitorPacket&>(none);
            mon->SetFilter(f);
        });
        NS_TEST_EXPECT_MSG_EQ(quiet.Count(E::ORPHAN), 0, "orphans filtered");
        NS_TEST_EXPECT_MSG_EQ(quiet.Count(E::PACKET_IN), m_stats.mtp, "packets still in");
    }

    /** A flow-property filter reports only flows of big requests. */
    void FlowProperty()
    {
        Scenario s;
        EventLog log = Run(
            [](Scenario&, Ptr<MtpMonitor> mon) {
                MtpMonitorFilter f;
                f.flow = Callback<bool, const MtpMonitorFlowRecord&>(
                    [](const MtpMonitorFlowRecord& r) { return r.rpc.request.length > 10000; });
                mon->SetFilter(f);
            },
            &s);
        size_t bigs = 0;
        for (const SentRpc& r : s.sent)
        {
            bigs += r.size > 10000;
        }
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_END), bigs, "big RPCs only");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_START), bigs, "big RPCs only");
        NS_TEST_EXPECT_MSG_EQ(m_stats.flows, s.sent.size(), "all tracked");
    }

    MtpMonitorStats m_stats; //!< stats of the last run
};

/**
 * A RAW monitor sees every packet and refuses flow events; errors as mOS
 * gives them; StopFlow; Close unregisters; malformed packets are counted.
 */
class MtpMonitorRawAndErrorsTestCase : public TestCase
{
  public:
    MtpMonitorRawAndErrorsTestCase()
        : TestCase("RAW monitor, errors, StopFlow, Close, malformed packets")
    {
    }

  private:
    /** Send raw bytes as IP protocol 146 from the first client to the server. */
    static void SendRaw(Scenario* s, std::vector<uint8_t> bytes)
    {
        Ptr<Socket> raw =
            Socket::CreateSocket(s->net.clients.Get(0), Ipv4RawSocketFactory::GetTypeId());
        raw->SetAttribute("Protocol", UintegerValue(MTP));
        Ipv4Address dst = InetSocketAddress::ConvertFrom(s->net.serverHost).GetIpv4();
        raw->SendTo(Create<Packet>(bytes.data(), bytes.size()), 0, InetSocketAddress(dst, 0));
        raw->Close();
    }

    void DoRun() override
    {
        Scenario s;
        s.Build();
        MtpMonitorHelper rawHelper;
        rawHelper.SetMonitorAttribute("Kind", EnumValue(MTP_MONITOR_RAW));
        Ptr<MtpMonitor> raw = rawHelper.Install(s.net.router);
        EventLog rawLog;
        NS_TEST_EXPECT_MSG_EQ(raw->Register(E::FLOW_START,
                                            MtpMonitorHook::BEFORE,
                                            MakeCallback(&EventLog::Add, &rawLog)),
                              -1,
                              "RAW has no flow events");
        NS_TEST_EXPECT_MSG_EQ(raw->GetErrno(), MtpError::INVAL, "EINVAL");
        raw->Register(E::PACKET_IN, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &rawLog));

        // A monitor that closes itself from its first callback, and one nobody holds
        // (Simulator::Destroy closes it).
        Ptr<MtpMonitor> closer = MtpMonitorHelper().Install(s.net.router);
        EventLog closerLog;
        Ptr<MtpMonitor> cp = closer;
        auto closeNow = [cp, &closerLog](const MtpMonitorEventInfo& e) {
            closerLog.Add(e);
            cp->Close();
        };
        closer->Register(E::PACKET_IN,
                         MtpMonitorHook::BEFORE,
                         Callback<void, const MtpMonitorEventInfo&>(closeNow));
        MtpMonitorHelper().Install(s.net.router);
        Ptr<MtpMonitor> stream = MtpMonitorHelper().Install(s.net.router);
        EventLog log;
        int id = stream->Register(E::ALL_BUILTIN,
                                  MtpMonitorHook::BEFORE,
                                  MakeCallback(&EventLog::Add, &log));
        NS_TEST_EXPECT_MSG_EQ(
            stream->Register(0, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &log)),
            -1,
            "empty mask");
        NS_TEST_EXPECT_MSG_EQ(stream->Unregister(id + 100), false, "no such id");
        NS_TEST_EXPECT_MSG_EQ(stream->GetErrno(), MtpError::NOENT, "ENOENT");
        NS_TEST_EXPECT_MSG_EQ(stream->StopFlow(MtpFlowKey()), false, "no such flow");
        NS_TEST_EXPECT_MSG_EQ(stream->Attach(s.net.router), false, "attached already");

        // Stop the first RPC's flow as soon as it starts; it raises nothing more.
        MtpFlowKey stopped;
        Ptr<MtpMonitor> sp = stream;
        auto stopFirst = [&stopped, sp](const MtpMonitorEventInfo& e) {
            if (stopped.protocol == 0)
            {
                stopped = e.flow.key;
                sp->StopFlow(e.flow.key);
            }
        };
        stream->Register(E::FLOW_START,
                         MtpMonitorHook::BEFORE,
                         Callback<void, const MtpMonitorEventInfo&>(stopFirst));
        // Malformed: too short, unknown type, DATA whose segment overruns its message.
        std::vector<uint8_t> unknown(40, 0);
        unknown[11] = 0x99;
        std::vector<uint8_t> overrun(56 + 100, 0);
        overrun[11] = 0x10; // DATA
        overrun[31] = 50;   // message_length 50 (bytes 28-31)
        std::fill(overrun.begin() + 52, overrun.begin() + 56, 0xFF); // offset in sequence
        Simulator::Schedule(MicroSeconds(1), &SendRaw, &s, std::vector<uint8_t>(10, 0));
        Simulator::Schedule(MicroSeconds(2), &SendRaw, &s, unknown);
        Simulator::Schedule(MicroSeconds(3), &SendRaw, &s, overrun);
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(rawLog.events.size(), raw->GetStats().packets, "RAW: all");
        NS_TEST_EXPECT_MSG_EQ(raw->GetStats().packets, stream->GetStats().packets, "same view");
        NS_TEST_EXPECT_MSG_EQ(stream->GetStats().malformed, 3, "three malformed counted");
        NS_TEST_EXPECT_MSG_EQ(closerLog.events.size(), 1, "closed by its first callback");
        NS_TEST_EXPECT_MSG_EQ(closer->GetStats().packets, 1, "and saw nothing more");
        MtpMonitorFlowRecord rec;
        NS_TEST_EXPECT_MSG_EQ(stream->GetFlowRecord(stopped, rec), true, "record kept");
        NS_TEST_EXPECT_MSG_EQ(rec.stopped, true, "marked stopped");
        size_t after = 0;
        bool started = false;
        for (const auto& e : log.events)
        {
            bool mine = e.hasFlow && e.flow.key == stopped;
            after += mine && started;
            started = started || (mine && e.event == E::FLOW_START);
        }
        NS_TEST_EXPECT_MSG_EQ(started, true, "the stopped flow had started");
        NS_TEST_EXPECT_MSG_EQ(after, 0, "no event after StopFlow");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_END), s.sent.size() - 1, "others end");
        // Close: no more callbacks, registration refused with EBADF, records kept.
        stream->Close();
        NS_TEST_EXPECT_MSG_EQ(stream->IsActive(), false, "closed");
        NS_TEST_EXPECT_MSG_EQ(stream->Register(E::PACKET_IN,
                                               MtpMonitorHook::BEFORE,
                                               MakeCallback(&EventLog::Add, &log)),
                              -1,
                              "closed");
        NS_TEST_EXPECT_MSG_EQ(stream->GetErrno(), MtpError::BADF, "EBADF");
        size_t before = log.events.size();
        uint64_t packets = stream->GetStats().packets;
        s.Send(0, 2000);
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(log.events.size(), before, "no callback after Close");
        NS_TEST_EXPECT_MSG_EQ(stream->GetStats().packets, packets, "unhooked");
        NS_TEST_EXPECT_MSG_GT(raw->GetStats().packets, packets, "the other monitor still sees");
        NS_TEST_EXPECT_MSG_EQ(stream->GetFlowRecords().size(), s.sent.size() - 1, "records kept");
        Simulator::Destroy();
    }
};

/**
 * A monitor changes no result: the same run (seeded, one loss) with and
 * without a monitor (every event, both hooks, idle timer, byte buffers) gives the same
 * record of every frame sent and every RPC outcome, byte for byte.
 */
class MtpMonitorNoChangeTestCase : public TestCase
{
  public:
    /** \param ipv6 family */
    explicit MtpMonitorNoChangeTestCase(bool ipv6)
        : TestCase(std::string("a monitor changes no result, ") + (ipv6 ? "IPv6" : "IPv4")),
          m_ipv6(ipv6)
    {
    }

  private:
    /** Record a frame a device sends. */
    static void OnTx(std::ostringstream* os, uint32_t node, Ptr<const Packet> p)
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        uint64_t h = 1469598103934665603ull;
        for (uint8_t x : b)
        {
            h = (h ^ x) * 1099511628211ull;
        }
        *os << Simulator::Now().GetNanoSeconds() << " " << node << " " << b.size() << " " << h
            << "\n";
    }

    /** Run once; return the record. */
    std::string Run(bool monitored)
    {
        Scenario s;
        s.ipv6 = m_ipv6;
        s.dropBigFrame = 5;
        s.Build();
        std::ostringstream trace;
        for (uint32_t n = 0; n < NodeList::GetNNodes(); ++n)
        {
            Ptr<Node> node = NodeList::GetNode(n);
            for (uint32_t d = 0; d < node->GetNDevices(); ++d)
            {
                node->GetDevice(d)->TraceConnectWithoutContext(
                    "MacTx",
                    MakeBoundCallback(&OnTx, &trace, node->GetId()));
            }
        }
        MtpMonitorHelper helper;
        helper.SetMonitorAttribute("IdleTimeout", TimeValue(MicroSeconds(50)));
        helper.SetMonitorAttribute("BufferSize", UintegerValue(1 << 16));
        size_t events = 0;
        auto count = [&events](const MtpMonitorEventInfo&) { ++events; };
        if (monitored)
        {
            for (Ptr<Node> n : {s.net.router, s.net.server, s.net.clients.Get(0)})
            {
                Ptr<MtpMonitor> m = helper.Install(n);
                for (MtpMonitorHook hook : {MtpMonitorHook::BEFORE, MtpMonitorHook::AFTER})
                {
                    m->Register(E::ALL_BUILTIN,
                                hook,
                                Callback<void, const MtpMonitorEventInfo&>(count));
                }
            }
        }
        Simulator::Stop(MilliSeconds(50));
        Simulator::Run();
        for (const SentRpc& r : s.sent)
        {
            auto it = s.cl[r.client].responses.find(r.id);
            trace << "rpc " << r.client << " " << r.id << " "
                  << (it == s.cl[r.client].responses.end() ? 0 : it->second->GetSize()) << " "
                  << s.cl[r.client].latency[r.id].GetNanoSeconds() << "\n";
        }
        NS_TEST_EXPECT_MSG_EQ((events > 0), monitored, "the monitor was busy");
        Simulator::Destroy();
        return trace.str();
    }

    void DoRun() override
    {
        std::string without = Run(false);
        std::string with = Run(true);
        NS_TEST_EXPECT_MSG_GT(without.size(), 1000, "a real run");
        NS_TEST_EXPECT_MSG_EQ((with == without), true, "byte-identical record");
    }

    bool m_ipv6; //!< family
};

/**
 * The TCP shadow against the endpoints: a bulk transfer across the router
 * (IPv4 and IPv6, with and without one lost segment) is seen as one
 * connection whose handshake, byte count and close match what the sender
 * sent and the sink received; a lost segment shows as a retransmission.
 */
class MtpMonitorTcpTestCase : public TestCase
{
  public:
    /** \param ipv6 family \param loss drop one data segment after the router */
    MtpMonitorTcpTestCase(bool ipv6, bool loss)
        : TestCase(std::string("TCP connection shadow equals the endpoints' view, ") +
                   (ipv6 ? "IPv6" : "IPv4") + (loss ? ", one segment lost" : "")),
          m_ipv6(ipv6),
          m_loss(loss)
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t bytes = 200000;
        const uint16_t port = 5000;
        // Full-size segments, so DropNthBigFrame's loss hits a data segment.
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1400));
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        InternetStackHelper().AssignStreams(NodeContainer::GetGlobal(), 100);
        Ptr<DropNthBigFrame> loss = CreateObject<DropNthBigFrame>(m_loss ? 10 : 0);
        net.serverLink.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
        Address any = m_ipv6 ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), port))
                             : Address(InetSocketAddress(Ipv4Address::GetAny(), port));
        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory", any);
        ApplicationContainer sink = sinkHelper.Install(net.server);
        Address to = m_ipv6 ? Address(Inet6SocketAddress(
                                  Inet6SocketAddress::ConvertFrom(net.serverHost).GetIpv6(),
                                  port))
                            : Address(InetSocketAddress(
                                  InetSocketAddress::ConvertFrom(net.serverHost).GetIpv4(),
                                  port));
        BulkSendHelper bulk("ns3::TcpSocketFactory", to);
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.Install(net.clients.Get(0));
        Ptr<MtpMonitor> mon = MtpMonitorHelper().Install(net.router);
        EventLog log;
        mon->Register(E::ALL_BUILTIN, MtpMonitorHook::BEFORE, MakeCallback(&EventLog::Add, &log));
        Simulator::Stop(Seconds(2));
        Simulator::Run();

        std::vector<MtpMonitorFlowRecord> recs = mon->GetFlowRecords();
        NS_TEST_ASSERT_MSG_EQ(recs.size(), 1, "one connection");
        const MtpMonitorFlowRecord& r = recs[0];
        uint64_t received = DynamicCast<PacketSink>(sink.Get(0))->GetTotalRx();
        NS_TEST_EXPECT_MSG_EQ(received, bytes, "the sink got everything");
        NS_TEST_EXPECT_MSG_EQ(r.key.protocol, 6, "TCP");
        NS_TEST_EXPECT_MSG_EQ(r.key.server, Scenario::Addr(net.serverHost), "server");
        NS_TEST_EXPECT_MSG_EQ(r.key.serverPort, port, "server port");
        NS_TEST_EXPECT_MSG_EQ(r.tcp.bytes[0], received, "client->server bytes");
        NS_TEST_EXPECT_MSG_EQ(r.tcp.bytes[1], 0, "nothing back");
        std::string path;
        for (const auto& e : log.Of(E::STATE_CHANGE))
        {
            path += MtpTcpShadowStateName(e.flow.tcp.state) + " ";
        }
        // The sender closes after the last byte; ns-3's TCP closes the sink's side
        // in turn, and the sender's last ACK ends the connection.
        NS_TEST_EXPECT_MSG_EQ(path, "SYN_RCVD ESTABLISHED CLOSING LAST_ACK CLOSED ", "state path");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_END), 1, "one end");
        NS_TEST_EXPECT_MSG_EQ(r.ended, true, "ended");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::FLOW_START), 1, "one start");
        NS_TEST_EXPECT_MSG_EQ(log.Count(E::ORPHAN), 0, "no orphan");
        NS_TEST_EXPECT_MSG_EQ((log.Count(E::RETRANSMISSION) > 0), m_loss, "retransmission");
        NS_TEST_EXPECT_MSG_EQ(r.tcp.retransmits[0], log.Count(E::RETRANSMISSION), "counted");
        NS_TEST_EXPECT_MSG_EQ(mon->GetStats().malformed, 0, "nothing malformed");
        Simulator::Destroy();
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(536));
    }

    bool m_ipv6; //!< family
    bool m_loss; //!< drop a segment
};

/**
 * Data access: with a buffer per side, a callback at each NEW_DATA consumes
 * the message bytes (Peek) after a positioned peek of the next byte (which
 * must not consume); the bytes read equal every request and response byte
 * for byte, across a lost and retransmitted packet.  With a small buffer and
 * no reader, what does not fit is counted exactly.
 */
class MtpMonitorPeekTestCase : public TestCase
{
  public:
    /** \param loss drop one DATA packet after the router */
    explicit MtpMonitorPeekTestCase(bool loss)
        : TestCase(std::string("peek and positioned peek read every message byte") +
                   (loss ? ", across a retransmission" : "")),
          m_loss(loss)
    {
    }

  private:
    /** NEW_DATA callback: read what is new on the packet's side. */
    void OnData(const MtpMonitorEventInfo& e)
    {
        int side = e.packet.src == e.flow.key.client ? 0 : 1;
        MtpMonitorSide which = side == 0 ? MtpMonitorSide::REQUEST : MtpMonitorSide::RESPONSE;
        std::vector<uint8_t>& got = m_read[e.flow.key][side];
        uint8_t next = 0;
        bool ahead = m_mon->PositionedPeek(e.flow.key, which, &next, 1, got.size()) == 1;
        std::vector<uint8_t> buf(1 << 16);
        int n = m_mon->Peek(e.flow.key, which, buf.data(), buf.size());
        if (n < 0)
        {
            ++m_errors;
            return;
        }
        if (ahead)
        {
            ++m_ppeeks;
            m_ppeekMismatch += n == 0 || buf[0] != next;
        }
        got.insert(got.end(), buf.begin(), buf.begin() + n);
    }

    void DoRun() override
    {
        ReadEverything();
        if (!m_loss)
        {
            CountOverflow();
        }
    }

    /** Read every byte through Peek and compare. */
    void ReadEverything()
    {
        Scenario s;
        s.dropBigFrame = m_loss ? 7 : 0;
        s.Build();
        MtpMonitorHelper helper;
        helper.SetMonitorAttribute("BufferSize", UintegerValue(1 << 20));
        m_mon = helper.Install(s.net.router);
        uint8_t b;
        NS_TEST_EXPECT_MSG_EQ(m_mon->Peek(MtpFlowKey(), MtpMonitorSide::REQUEST, &b, 1),
                              -1,
                              "no such flow");
        NS_TEST_EXPECT_MSG_EQ(m_mon->GetErrno(), MtpError::NOENT, "ENOENT");
        m_mon->Register(E::NEW_DATA,
                        MtpMonitorHook::BEFORE,
                        MakeCallback(&MtpMonitorPeekTestCase::OnData, this));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(m_errors, 0, "every Peek succeeded");
        NS_TEST_EXPECT_MSG_GT(m_ppeeks, 0, "positioned peeks ran");
        NS_TEST_EXPECT_MSG_EQ(m_ppeekMismatch, 0, "positioned peek consumed nothing");
        if (m_loss)
        {
            NS_TEST_EXPECT_MSG_EQ(s.loss->dropped, 1, "one packet lost");
        }
        for (const SentRpc& r : s.sent)
        {
            auto& got = m_read[s.Key(r)];
            NS_TEST_EXPECT_MSG_EQ((got[0] == Bytes(MakePattern(r.seed, r.size))),
                                  true,
                                  "request bytes of " << r.id);
            auto resp = s.cl[r.client].responses.find(r.id);
            bool same = resp != s.cl[r.client].responses.end() && got[1] == Bytes(resp->second);
            NS_TEST_EXPECT_MSG_EQ(same, true, "response bytes of " << r.id);
        }
        m_mon = nullptr;
        Simulator::Destroy();
    }

    /** A 4000-byte buffer nobody reads: everything beyond is counted. */
    void CountOverflow()
    {
        Scenario s;
        s.Build();
        MtpMonitorHelper helper;
        helper.SetMonitorAttribute("BufferSize", UintegerValue(4000));
        Ptr<MtpMonitor> mon = helper.Install(s.net.router);
        Simulator::Run();
        for (const SentRpc& r : s.sent)
        {
            MtpMonitorFlowRecord rec;
            mon->GetFlowRecord(s.Key(r), rec);
            uint64_t want = r.size > 4000 ? r.size - 4000 : 0;
            NS_TEST_EXPECT_MSG_EQ(rec.bufferOverflow[0], want, "request overflow " << r.size);
            NS_TEST_EXPECT_MSG_EQ(rec.bufferOverflow[1], 0, "the response fits");
        }
        Simulator::Destroy();
    }

    bool m_loss;                                                      //!< inject a loss
    Ptr<MtpMonitor> m_mon;                                            //!< the monitor
    std::map<MtpFlowKey, std::array<std::vector<uint8_t>, 2>> m_read; //!< bytes read per side
    uint32_t m_errors = 0;                                            //!< failed Peeks
    uint32_t m_ppeeks = 0;                                            //!< positioned peeks OK
    uint32_t m_ppeekMismatch = 0; //!< positioned peeks whose byte Peek did not return next
};

/**
 * Rewrites the last `len` bytes of the n-th frame longer than 1000 bytes that
 * a device receives (a full TCP segment) to their complement, once, and keeps
 * the altered bytes.  With DropAltered at the next hop dropping that frame,
 * only a monitor in between sees the altered copy; the sender then
 * retransmits the true bytes: two copies of the same stream bytes that differ.
 */
class MangleNthBigFrame : public ErrorModel
{
  public:
    /** \param n which big frame to alter (1-based) \param len how many tail bytes */
    MangleNthBigFrame(uint32_t n, uint32_t len)
        : m_n(n),
          m_len(len)
    {
    }

    std::vector<uint8_t> tail; //!< the altered bytes (empty until a frame was altered)

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (p->GetSize() <= 1000 || ++m_seen != m_n)
        {
            return false;
        }
        tail = Bytes(p->CreateFragment(p->GetSize() - m_len, m_len));
        for (uint8_t& b : tail)
        {
            b = static_cast<uint8_t>(~b);
        }
        p->RemoveAtEnd(m_len);
        p->AddAtEnd(Create<Packet>(tail.data(), m_len));
        return false; // delivered, altered
    }

    void DoReset() override
    {
    }

    uint32_t m_n;        //!< which big frame
    uint32_t m_len;      //!< tail bytes altered
    uint32_t m_seen = 0; //!< big frames seen
};

/**
 * Drops the frame a MangleNthBigFrame altered, known by its altered tail (a
 * retransmission is a copy of the sender's packet: same uid, true bytes).
 */
class DropAltered : public ErrorModel
{
  public:
    /** \param m the model that altered the frame */
    explicit DropAltered(Ptr<MangleNthBigFrame> m)
        : m_mangle(m)
    {
    }

    uint32_t dropped = 0; //!< frames dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        const std::vector<uint8_t>& t = m_mangle->tail;
        bool hit = !t.empty() && p->GetSize() >= t.size() &&
                   Bytes(p->CreateFragment(p->GetSize() - t.size(), t.size())) == t;
        dropped += hit;
        return hit;
    }

    void DoReset() override
    {
    }

    Ptr<MangleNthBigFrame> m_mangle; //!< who altered it
};

/**
 * One end of a TCP connection carrying real bytes: it sends `total` bytes of
 * PatternByte(seed, offset) as fast as the send buffer takes them, keeps every
 * byte it receives, and closes once it has sent all and received `expect`.
 */
struct TcpPatternEnd
{
    uint32_t seed = 0;             //!< pattern of the bytes sent
    uint32_t total = 0;            //!< bytes to send
    uint32_t expect = 0;           //!< bytes to receive before closing
    uint32_t sent = 0;             //!< bytes handed to the socket
    bool closed = false;           //!< Close was called
    Ptr<Socket> sock;              //!< the connected socket
    std::vector<uint8_t> received; //!< every byte received, in order

    /** Use a connected socket: hook its callbacks and start sending. */
    void Attach(Ptr<Socket> s)
    {
        sock = s;
        s->SetRecvCallback(MakeCallback(&TcpPatternEnd::OnRecv, this));
        s->SetSendCallback(MakeCallback(&TcpPatternEnd::OnSend, this));
        Push();
    }

    /** Connect callback of the client socket. */
    void OnConnected(Ptr<Socket> s)
    {
        Attach(s);
    }

    /** Accept callback of the server's listening socket. */
    void OnAccept(Ptr<Socket> s, const Address&)
    {
        Attach(s);
    }

    /** Send callback: room in the send buffer. */
    void OnSend(Ptr<Socket>, uint32_t)
    {
        Push();
    }

    /** Hand the socket as many pattern bytes as it takes; close when done. */
    void Push()
    {
        while (sent < total && sock->GetTxAvailable() > 0)
        {
            uint32_t n = std::min({total - sent, sock->GetTxAvailable(), 4096u});
            std::vector<uint8_t> buf(n);
            for (uint32_t i = 0; i < n; ++i)
            {
                buf[i] = PatternByte(seed, sent + i);
            }
            int took = sock->Send(Create<Packet>(buf.data(), n));
            if (took <= 0)
            {
                break;
            }
            sent += static_cast<uint32_t>(took);
        }
        MaybeClose();
    }

    /** Receive callback: keep the bytes. */
    void OnRecv(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            std::vector<uint8_t> b = Bytes(p);
            received.insert(received.end(), b.begin(), b.end());
        }
        MaybeClose();
    }

    /** Close once everything is sent and received (no unread bytes: no RST). */
    void MaybeClose()
    {
        if (!closed && sent == total && received.size() >= expect)
        {
            closed = true;
            sock->Close();
        }
    }

    /** \return the bytes this end sends */
    std::vector<uint8_t> Expected() const
    {
        std::vector<uint8_t> v(total);
        for (uint32_t i = 0; i < total; ++i)
        {
            v[i] = PatternByte(seed, i);
        }
        return v;
    }
};

/**
 * Data access on a TCP connection that carries distinct bytes both ways.
 * One full client segment is altered between the client and the router and
 * dropped after it, so the monitor on the router sees a wrong first copy and
 * then the sender's true retransmission.  Four monitors watch the run:
 *  - a reader that, at each NEW_DATA, positioned-peeks the next byte (which
 *    must not consume) then consumes everything in order (Peek): it reads the
 *    altered copy under both policies, because it consumed those bytes before
 *    the retransmission came;
 *  - a reader that reads nothing until FLOW_END: then FIRST gives the altered
 *    bytes and LAST the true ones, byte for byte, by positioned peek and Peek;
 *  - a monitor that sees only the client's direction (so not the server's
 *    SYN+ACK): the client's stream reads whole, the server's is NOTCONN;
 *  - a monitor attached after the handshake: the connection is an orphan to
 *    it, and Peek says NOENT.
 * Without alteration, a 4000-byte buffer nobody reads counts exactly the bytes
 * beyond it per direction.
 */
class MtpMonitorTcpPeekTestCase : public TestCase
{
  public:
    /** \param ipv6 family \param policy overlap policy of the monitors */
    MtpMonitorTcpPeekTestCase(bool ipv6, MtpOverlapPolicy policy)
        : TestCase(std::string("TCP peek and positioned peek, ") + (ipv6 ? "IPv6" : "IPv4") +
                   ", a retransmission that differs, overlap policy " +
                   (policy == MTP_OVERLAP_FIRST ? "FIRST" : "LAST")),
          m_ipv6(ipv6),
          m_policy(policy)
    {
    }

  private:
    static constexpr uint32_t UP = 60000;    //!< client -> server bytes
    static constexpr uint32_t DOWN = 30000;  //!< server -> client bytes
    static constexpr uint32_t ALTERED = 300; //!< tail bytes of the altered segment
    static constexpr uint16_t PORT = 5001;   //!< server port

    /** The client and server ends and the network of one run. */
    struct Run
    {
        Network net;          //!< clients -- router -- server
        TcpPatternEnd client; //!< the client end
        TcpPatternEnd server; //!< the server end
        Ptr<Socket> listener; //!< the server's listening socket
    };

    /** Build the network and the connection (before monitors). */
    void Start(Run& r)
    {
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1400));
        r.net.ipv6 = m_ipv6;
        r.net.Build();
        InternetStackHelper().AssignStreams(NodeContainer::GetGlobal(), 100);
        r.client.seed = 11;
        r.client.total = UP;
        r.client.expect = DOWN;
        r.server.seed = 22;
        r.server.total = DOWN;
        r.server.expect = UP;
        Address any = m_ipv6 ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), PORT))
                             : Address(InetSocketAddress(Ipv4Address::GetAny(), PORT));
        r.listener = Socket::CreateSocket(r.net.server, TcpSocketFactory::GetTypeId());
        r.listener->Bind(any);
        r.listener->Listen();
        r.listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                      MakeCallback(&TcpPatternEnd::OnAccept, &r.server));
        Ptr<Socket> c = Socket::CreateSocket(r.net.clients.Get(0), TcpSocketFactory::GetTypeId());
        c->Bind(m_ipv6 ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), 0))
                       : Address(InetSocketAddress(Ipv4Address::GetAny(), 0)));
        c->SetConnectCallback(MakeCallback(&TcpPatternEnd::OnConnected, &r.client),
                              MakeNullCallback<void, Ptr<Socket>>());
        // Connect once the simulation runs (the stack is initialized then).
        Address to = r.net.ServerAddress(PORT);
        Simulator::Schedule(MicroSeconds(1), [c, to]() { c->Connect(to); });
    }

    /** Monitor with this case's policy and a buffer for everything. */
    Ptr<MtpMonitor> Monitor(Run& r, uint32_t bufferSize) const
    {
        MtpMonitorHelper helper;
        helper.SetMonitorAttribute("BufferSize", UintegerValue(bufferSize));
        helper.SetMonitorAttribute("OverlapPolicy", EnumValue(m_policy));
        return helper.Install(r.net.router);
    }

    /** NEW_DATA of the eager reader: positioned peek of the next byte, then Peek. */
    void OnData(const MtpMonitorEventInfo& e)
    {
        m_key = e.flow.key;
        int side = e.packet.src == e.flow.key.client ? 0 : 1;
        MtpMonitorSide which = side == 0 ? MtpMonitorSide::REQUEST : MtpMonitorSide::RESPONSE;
        std::vector<uint8_t>& got = m_eagerRead[side];
        uint8_t next = 0;
        bool ahead = m_eager->PositionedPeek(m_key, which, &next, 1, got.size()) == 1;
        std::vector<uint8_t> buf(1 << 17);
        int n = m_eager->Peek(m_key, which, buf.data(), buf.size());
        if (n < 0)
        {
            ++m_errors;
            return;
        }
        if (ahead)
        {
            ++m_ppeeks;
            m_ppeekMismatch += n == 0 || buf[0] != next;
        }
        got.insert(got.end(), buf.begin(), buf.begin() + n);
        if (!m_lateAttached && m_eagerRead[0].size() >= UP / 3)
        {
            m_lateAttached = true; // well after the handshake: attach outside this trace
            Simulator::ScheduleNow(&MtpMonitorTcpPeekTestCase::AttachLate, this);
        }
    }

    /** Attach the late monitor. */
    void AttachLate()
    {
        m_late = MtpMonitorHelper().Install(m_router);
        m_late->SetAttribute("BufferSize", UintegerValue(1 << 20));
    }

    /** FLOW_END of the lazy reader: read each direction whole, then check the reads. */
    void OnEnd(const MtpMonitorEventInfo& e)
    {
        for (int side = 0; side < 2; ++side)
        {
            MtpMonitorSide which = side == 0 ? MtpMonitorSide::REQUEST : MtpMonitorSide::RESPONSE;
            uint32_t total = side == 0 ? UP : DOWN;
            std::vector<uint8_t> at(total);
            m_lazyPositioned[side] =
                m_lazy->PositionedPeek(e.flow.key, which, at.data(), total, 0) == int(total)
                    ? at
                    : std::vector<uint8_t>();
            std::vector<uint8_t> all(total + 100);
            int n = m_lazy->Peek(e.flow.key, which, all.data(), all.size());
            all.resize(n < 0 ? 0 : n);
            m_lazyRead[side] = all;
            uint8_t b;
            m_lazyAfter[side] = m_lazy->Peek(e.flow.key, which, &b, 1);
            m_lazyConsumed[side] = m_lazy->PositionedPeek(e.flow.key, which, &b, 1, 0) == -1 &&
                                   m_lazy->GetErrno() == MtpError::INVAL;
        }
    }

    /**
     * \param got bytes read \param sent bytes sent
     * \return where `got` differs from `sent` as [first, end), checking that every
     *         differing byte is the complement of the sent one; {0, 0} if none
     */
    static std::pair<size_t, size_t> AlteredRun(const std::vector<uint8_t>& got,
                                                const std::vector<uint8_t>& sent)
    {
        size_t first = got.size();
        size_t end = 0;
        size_t count = 0;
        for (size_t i = 0; i < got.size() && i < sent.size(); ++i)
        {
            if (got[i] != sent[i])
            {
                first = std::min(first, i);
                end = i + 1;
                count += got[i] == static_cast<uint8_t>(~sent[i]);
            }
        }
        if (end == 0)
        {
            return {0, 0};
        }
        // A run only if every byte in [first, end) differs and is complemented.
        return count == end - first ? std::make_pair(first, end)
                                    : std::make_pair(size_t(1), size_t(0));
    }

    void DoRun() override
    {
        ReadAcrossAlteredRetransmission();
        if (m_policy == MTP_OVERLAP_FIRST)
        {
            CountOverflow();
        }
        Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(536));
    }

    /** The run with four monitors (see the class comment). */
    void ReadAcrossAlteredRetransmission()
    {
        Run r;
        Start(r);
        m_router = r.net.router;
        Ptr<MangleNthBigFrame> mangle = CreateObject<MangleNthBigFrame>(12, ALTERED);
        r.net.clientLinks[0].Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(mangle));
        Ptr<DropAltered> drop = CreateObject<DropAltered>(mangle);
        r.net.serverLink.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(drop));
        m_eager = Monitor(r, 1 << 20);
        m_eager->Register(E::NEW_DATA,
                          MtpMonitorHook::BEFORE,
                          MakeCallback(&MtpMonitorTcpPeekTestCase::OnData, this));
        m_lazy = Monitor(r, 1 << 20);
        m_lazy->Register(E::FLOW_END,
                         MtpMonitorHook::BEFORE,
                         MakeCallback(&MtpMonitorTcpPeekTestCase::OnEnd, this));
        EventLog lazyLog;
        m_lazy->Register(E::ALL_BUILTIN,
                         MtpMonitorHook::BEFORE,
                         MakeCallback(&EventLog::Add, &lazyLog));
        Ptr<MtpMonitor> oneWay = Monitor(r, 1 << 20);
        MtpMonitorFilter f;
        f.src = Scenario::Addr(r.net.clientAddrs[0]);
        f.bothDirections = false;
        oneWay->SetFilter(f);
        Simulator::Stop(Seconds(2));
        Simulator::Run();

        const std::vector<uint8_t> up = r.client.Expected();
        const std::vector<uint8_t> down = r.server.Expected();
        NS_TEST_ASSERT_MSG_EQ(drop->dropped, 1, "the altered segment was dropped after the router");
        NS_TEST_EXPECT_MSG_EQ((r.server.received == up), true, "the server got the true bytes");
        NS_TEST_EXPECT_MSG_EQ((r.client.received == down), true, "the client got the true bytes");
        NS_TEST_EXPECT_MSG_GT(lazyLog.Count(E::RETRANSMISSION), 0, "the retransmission was seen");
        NS_TEST_EXPECT_MSG_EQ(lazyLog.Count(E::FLOW_END), 1, "the connection ended");

        // Eager reader: in-order consumption read the altered copy first.
        NS_TEST_EXPECT_MSG_EQ(m_errors, 0, "every Peek succeeded");
        NS_TEST_EXPECT_MSG_GT(m_ppeeks, 0, "positioned peeks ran");
        NS_TEST_EXPECT_MSG_EQ(m_ppeekMismatch, 0, "positioned peek consumed nothing");
        NS_TEST_ASSERT_MSG_EQ(m_eagerRead[0].size(), UP, "eager: every client byte");
        std::pair<size_t, size_t> run = AlteredRun(m_eagerRead[0], up);
        NS_TEST_EXPECT_MSG_EQ(run.second - run.first, ALTERED, "eager: the altered copy, whole");
        NS_TEST_EXPECT_MSG_EQ((m_eagerRead[1] == down), true, "eager: server bytes");

        // Lazy reader: the policy decides.
        NS_TEST_ASSERT_MSG_EQ(m_lazyRead[0].size(), UP, "lazy: every client byte");
        std::pair<size_t, size_t> lazyRun = AlteredRun(m_lazyRead[0], up);
        if (m_policy == MTP_OVERLAP_FIRST)
        {
            NS_TEST_EXPECT_MSG_EQ((lazyRun == run), true, "FIRST: the altered copy stays");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ((m_lazyRead[0] == up), true, "LAST: the true copy replaced it");
        }
        NS_TEST_EXPECT_MSG_EQ((m_lazyPositioned[0] == m_lazyRead[0]),
                              true,
                              "positioned peek = peek, client side");
        NS_TEST_EXPECT_MSG_EQ((m_lazyRead[1] == down), true, "lazy: server bytes");
        NS_TEST_EXPECT_MSG_EQ((m_lazyPositioned[1] == down), true, "lazy: positioned, server");
        NS_TEST_EXPECT_MSG_EQ(m_lazyAfter[0], 0, "nothing after the last byte");
        NS_TEST_EXPECT_MSG_EQ(m_lazyAfter[1], 0, "nothing after the last byte");
        NS_TEST_EXPECT_MSG_EQ(m_lazyConsumed[0], true, "Peek advanced the read point");
        NS_TEST_EXPECT_MSG_EQ(m_lazyConsumed[1], true, "Peek advanced the read point");

        // One direction seen: its bytes read; the other has no offsets (NOTCONN).
        std::vector<uint8_t> buf(UP + 100);
        int n = oneWay->Peek(m_key, MtpMonitorSide::REQUEST, buf.data(), buf.size());
        NS_TEST_ASSERT_MSG_EQ(n, int(UP), "one-way: every client byte");
        buf.resize(n);
        NS_TEST_EXPECT_MSG_EQ((buf == m_lazyRead[0]), true, "one-way: as the lazy reader");
        uint8_t b;
        NS_TEST_EXPECT_MSG_EQ(oneWay->Peek(m_key, MtpMonitorSide::RESPONSE, &b, 1),
                              -1,
                              "server's SYN not seen");
        NS_TEST_EXPECT_MSG_EQ(oneWay->GetErrno(), MtpError::NOTCONN, "NOTCONN");
        NS_TEST_EXPECT_MSG_EQ(oneWay->PositionedPeek(m_key, MtpMonitorSide::RESPONSE, &b, 1, 0),
                              -1,
                              "server's SYN not seen (positioned)");
        NS_TEST_EXPECT_MSG_EQ(oneWay->GetErrno(), MtpError::NOTCONN, "NOTCONN");

        // Attached after the handshake: no flow, only orphans.
        NS_TEST_ASSERT_MSG_EQ((m_late ? true : false), true, "late monitor attached");
        NS_TEST_EXPECT_MSG_EQ(m_late->Peek(m_key, MtpMonitorSide::REQUEST, &b, 1), -1, "late");
        NS_TEST_EXPECT_MSG_EQ(m_late->GetErrno(), MtpError::NOENT, "NOENT");
        NS_TEST_EXPECT_MSG_GT(m_late->GetStats().orphans, 0, "its packets were orphans");
        NS_TEST_EXPECT_MSG_EQ(m_late->GetStats().flows, 0, "and started no flow");
        m_eager = nullptr;
        m_lazy = nullptr;
        m_late = nullptr;
        m_router = nullptr;
        Simulator::Destroy();
    }

    /** A 4000-byte buffer nobody reads: everything beyond is counted per direction. */
    void CountOverflow()
    {
        Run r;
        Start(r);
        Ptr<MtpMonitor> mon = Monitor(r, 4000);
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        std::vector<MtpMonitorFlowRecord> recs = mon->GetFlowRecords();
        NS_TEST_ASSERT_MSG_EQ(recs.size(), 1, "one connection");
        NS_TEST_EXPECT_MSG_EQ(recs[0].tcp.retransmits[0], 0, "no loss, no repeated bytes");
        NS_TEST_EXPECT_MSG_EQ(recs[0].bufferOverflow[0], UP - 4000, "client direction");
        NS_TEST_EXPECT_MSG_EQ(recs[0].bufferOverflow[1], DOWN - 4000, "server direction");
        Simulator::Destroy();
    }

    bool m_ipv6;                                          //!< family
    MtpOverlapPolicy m_policy;                            //!< overlap policy of the monitors
    Ptr<Node> m_router;                                   //!< where monitors go
    Ptr<MtpMonitor> m_eager;                              //!< reads at every NEW_DATA
    Ptr<MtpMonitor> m_lazy;                               //!< reads at FLOW_END
    Ptr<MtpMonitor> m_late;                               //!< attached after the handshake
    bool m_lateAttached = false;                          //!< the late attach is scheduled
    MtpFlowKey m_key;                                     //!< the connection
    std::array<std::vector<uint8_t>, 2> m_eagerRead;      //!< eager reader's bytes per side
    std::array<std::vector<uint8_t>, 2> m_lazyRead;       //!< lazy reader's Peek per side
    std::array<std::vector<uint8_t>, 2> m_lazyPositioned; //!< lazy reader's positioned peek
    std::array<int, 2> m_lazyAfter = {-2, -2};            //!< Peek after everything was read
    std::array<bool, 2> m_lazyConsumed = {false, false};  //!< offset 0 consumed after Peek
    uint32_t m_errors = 0;                                //!< failed eager Peeks
    uint32_t m_ppeeks = 0;                                //!< eager positioned peeks that succeeded
    uint32_t m_ppeekMismatch = 0; //!< positioned peeks whose byte Peek did not return next
};

/** The suite. */
class MtpMonitorTestSuite : public TestSuite
{
  public:
    MtpMonitorTestSuite()
        : TestSuite("mtp-monitor", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpMonitorShadowTestCase(false, false));
        AddTestCase(new MtpMonitorShadowTestCase(true, false));
        AddTestCase(new MtpMonitorShadowTestCase(false, true));
        AddTestCase(new MtpMonitorShadowTestCase(true, true));
        AddTestCase(new MtpMonitorOneWayAckTestCase(false));
        AddTestCase(new MtpMonitorOneWayAckTestCase(true));
        AddTestCase(new MtpMonitorEventTableTestCase());
        AddTestCase(new MtpMonitorTimeoutTestCase());
        AddTestCase(new MtpMonitorHookTestCase());
        AddTestCase(new MtpMonitorFilterTestCase());
        AddTestCase(new MtpMonitorRawAndErrorsTestCase());
        AddTestCase(new MtpMonitorTcpTestCase(false, false));
        AddTestCase(new MtpMonitorTcpTestCase(true, false));
        AddTestCase(new MtpMonitorTcpTestCase(false, true));
        AddTestCase(new MtpMonitorTcpTestCase(true, true));
        AddTestCase(new MtpMonitorPeekTestCase(false));
        AddTestCase(new MtpMonitorPeekTestCase(true));
        AddTestCase(new MtpMonitorTcpPeekTestCase(false, MTP_OVERLAP_FIRST));
        AddTestCase(new MtpMonitorTcpPeekTestCase(false, MTP_OVERLAP_LAST));
        AddTestCase(new MtpMonitorTcpPeekTestCase(true, MTP_OVERLAP_FIRST));
        AddTestCase(new MtpMonitorTcpPeekTestCase(true, MTP_OVERLAP_LAST));
        AddTestCase(new MtpMonitorNoChangeTestCase(false));
        AddTestCase(new MtpMonitorNoChangeTestCase(true));
    }
};

/** Static instance registering the suite. */
MtpMonitorTestSuite g_mtpMonitorTestSuite;

} // namespace
