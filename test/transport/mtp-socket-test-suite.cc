/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * System tests of MtpSocket: messages end to end across a router over IPv4
 * and IPv6, many concurrent RPCs, the generic ns-3 Socket API, and every
 * error an application can provoke.
 */

#include "../mtp-test-util.h"

#include "ns3/test.h"

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/**
 * Requests of awkward sizes (1 B, one segment +-1, 100 KB, 1 MB) are echoed
 * across a router; request and response must arrive byte for byte.
 */
class MtpMessageSizesTestCase : public TestCase
{
  public:
    /** \param ipv6 run over IPv6 instead of IPv4 */
    explicit MtpMessageSizesTestCase(bool ipv6)
        : TestCase(ipv6 ? "message sizes over IPv6 across a router"
                        : "message sizes over IPv4 across a router"),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.ipv6 = m_ipv6;
        net.Build();
        PatternServer server;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));

        // Payload per DATA packet on a 1500-byte MTU: 1500 - IP - 56.
        uint32_t seg = 1500 - (m_ipv6 ? 40 : 20) - 56;
        std::vector<uint32_t> sizes = {1, seg - 1, seg, seg + 1, 2 * seg + 1, 100000, 1000000};
        std::map<uint64_t, uint32_t> sizeOf;
        for (uint32_t i = 0; i < sizes.size(); ++i)
        {
            uint32_t size = sizes[i];
            Simulator::Schedule(MicroSeconds(10 * (i + 1)), [&, size, i]() {
                uint64_t id =
                    client.socket->SendRequest(MakePattern(1000 + i, size), net.ServerAddress(100));
                NS_TEST_EXPECT_MSG_NE(id, 0, "SendRequest failed for size " << size);
                NS_TEST_EXPECT_MSG_EQ(id % 2, 0, "client ids are even");
                sizeOf[id] = size;
            });
        }
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(client.responses.size(), sizes.size(), "every RPC completed");
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 0, "no RPC failed");
        uint32_t i = 0;
        for (auto& kv : sizeOf)
        {
            uint32_t size = kv.second;
            Ptr<Packet> resp = client.responses[kv.first];
            NS_TEST_EXPECT_MSG_EQ(resp->GetSize(), size, "response length");
            // The echo proves the request arrived intact too.
            NS_TEST_EXPECT_MSG_EQ(IsPattern(resp, 1000 + i, size),
                                  true,
                                  "response of " << size << " bytes is byte-identical");
            ++i;
        }
        NS_TEST_EXPECT_MSG_EQ(server.requests, sizes.size(), "server saw each request once");
        // Acks freed every server RPC; the tick stopped by itself.
        NS_TEST_EXPECT_MSG_EQ(server.socket->GetRpcCount(), 0, "server state freed by acks");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "client state freed");
        Simulator::Destroy();
    }

    bool m_ipv6; //!< address family
};

/**
 * 10 clients each start 10 RPCs at once to one server; all 100 complete and
 * each response is the one derived from its own request.
 */
class MtpConcurrentRpcsTestCase : public TestCase
{
  public:
    MtpConcurrentRpcsTestCase()
        : TestCase("100 concurrent RPCs from 10 clients to one server")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.nClients = 10;
        net.Build();
        PatternServer server;
        server.responseSize = 3000;
        server.Start(net.server, 200);
        std::vector<Client> clients(10);
        std::map<std::pair<uint32_t, uint64_t>, uint32_t> seedOf;
        for (uint32_t c = 0; c < 10; ++c)
        {
            clients[c].Start(net.clients.Get(c));
            for (uint32_t r = 0; r < 10; ++r)
            {
                uint32_t seed = c * 100 + r;
                uint32_t size = 500 + 2000 * r; // short and multi-packet requests
                Simulator::Schedule(MicroSeconds(5), [&, c, seed, size]() {
                    uint64_t id = clients[c].socket->SendRequest(MakePattern(seed, size),
                                                                 net.ServerAddress(200));
                    NS_TEST_EXPECT_MSG_NE(id, 0, "SendRequest");
                    seedOf[{c, id}] = seed;
                });
            }
        }
        Simulator::Run();
        uint32_t good = 0;
        for (auto& kv : seedOf)
        {
            auto& responses = clients[kv.first.first].responses;
            auto it = responses.find(kv.first.second);
            if (it != responses.end() && IsPattern(it->second, kv.second + 1, 3000))
            {
                ++good;
            }
        }
        NS_TEST_EXPECT_MSG_EQ(seedOf.size(), 100, "100 RPCs started");
        NS_TEST_EXPECT_MSG_EQ(good, 100, "every RPC got its own response, intact");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 100, "server executed 100 requests");
        for (auto& kv : server.executions)
        {
            NS_TEST_EXPECT_MSG_EQ(kv.second, 1, "request executed once");
        }
        Simulator::Destroy();
    }
};

/**
 * The generic ns-3 Socket API: SendTo sends one-way messages, RecvFrom
 * returns them whole with the sender's address and an MtpMessageTag; the
 * sender's RPC ends without the application seeing a response.
 */
class MtpGenericApiTestCase : public TestCase
{
  public:
    MtpGenericApiTestCase()
        : TestCase("generic Socket API: SendTo and RecvFrom of one-way messages")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpSocket> rx = Network::Socket(net.server);
        NS_TEST_ASSERT_MSG_EQ(rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9)), 0, "bind");
        std::vector<Ptr<Packet>> got;
        std::vector<Address> from;
        rx->SetRecvCallback(MakeCallback(+[](std::vector<Ptr<Packet>>* got,
                                             std::vector<Address>* from,
                                             Ptr<Socket> s) {
                                Address a;
                                while (Ptr<Packet> p = s->RecvFrom(a))
                                {
                                    got->push_back(p);
                                    from->push_back(a);
                                }
                            }).Bind(&got, &from));
        Ptr<MtpSocket> tx = Network::Socket(net.clients.Get(0));
        NS_TEST_ASSERT_MSG_EQ(tx->Connect(net.ServerAddress(9)), 0, "connect");
        Simulator::Schedule(MicroSeconds(1), [&]() {
            NS_TEST_EXPECT_MSG_EQ(tx->Send(MakePattern(7, 5000), 0), 5000, "Send returns size");
            NS_TEST_EXPECT_MSG_EQ(tx->SendTo(MakePattern(8, 10), 0, net.ServerAddress(9)),
                                  10,
                                  "SendTo returns size");
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(got.size(), 2, "two messages");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(got[0], 7, 5000) || IsPattern(got[1], 7, 5000),
                              true,
                              "5000-byte message intact");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(got[0], 8, 10) || IsPattern(got[1], 8, 10),
                              true,
                              "10-byte message intact");
        MtpMessageTag tag;
        NS_TEST_EXPECT_MSG_EQ(got[0]->PeekPacketTag(tag), true, "tag present");
        NS_TEST_EXPECT_MSG_EQ(tag.kind, MtpMessageKind::ONE_WAY, "kind ONE_WAY");
        NS_TEST_EXPECT_MSG_EQ(InetSocketAddress::ConvertFrom(from[0]).GetIpv4(),
                              InetSocketAddress::ConvertFrom(net.clientAddrs[0]).GetIpv4(),
                              "RecvFrom gives the sender's address");
        NS_TEST_EXPECT_MSG_EQ(InetSocketAddress::ConvertFrom(from[0]).GetPort(),
                              tx->GetDefaultPort(),
                              "and its default port");
        NS_TEST_EXPECT_MSG_EQ(tx->GetRecvQueueLength(), 0, "sender sees no response");
        NS_TEST_EXPECT_MSG_EQ(tx->GetRpcCount(), 0, "sender RPCs ended");
        NS_TEST_EXPECT_MSG_EQ(rx->GetRpcCount(), 0, "receiver state freed by acks");
        // The receiver's empty answer went out at once: no RESEND was needed.
        NS_TEST_EXPECT_MSG_EQ(MtpStackHelper::GetMtp(net.clients.Get(0))->GetMetrics().resendsSent,
                              0,
                              "no loss recovery on a clean path");
        Simulator::Destroy();
    }
};

/** Every API misuse gives its own clear error and changes nothing else. */
class MtpSocketErrorsTestCase : public TestCase
{
  public:
    MtpSocketErrorsTestCase()
        : TestCase("API errors: unknown id, too long, port in use, bad port, closed, shut down")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpSocket> a = Network::Socket(net.server);
        Ptr<MtpSocket> b = Network::Socket(net.server);
        Address to = net.ServerAddress(50);

        NS_TEST_EXPECT_MSG_GT(a->GetDefaultPort(), 0x7FFF, "default port >= 0x8000");
        NS_TEST_EXPECT_MSG_NE(a->GetDefaultPort(), b->GetDefaultPort(), "default ports differ");

        NS_TEST_EXPECT_MSG_EQ(a->Bind(InetSocketAddress(Ipv4Address::GetAny(), 50)), 0, "bind 50");
        NS_TEST_EXPECT_MSG_EQ(b->Bind(InetSocketAddress(Ipv4Address::GetAny(), 50)),
                              -1,
                              "bind again");
        NS_TEST_EXPECT_MSG_EQ(b->GetMtpErrno(), MtpError::ADDRINUSE, "EADDRINUSE");
        NS_TEST_EXPECT_MSG_EQ(b->GetErrno(), Socket::ERROR_ADDRINUSE, "ns-3 errno too");
        NS_TEST_EXPECT_MSG_EQ(b->Bind(InetSocketAddress(Ipv4Address::GetAny(), 0x8000)),
                              -1,
                              "bind to a default-range port");
        NS_TEST_EXPECT_MSG_EQ(b->GetMtpErrno(), MtpError::INVAL, "EINVAL");
        NS_TEST_EXPECT_MSG_EQ(
            b->Bind(InetSocketAddress(Ipv4Address::GetAny(), a->GetDefaultPort())),
            -1,
            "bind to another socket's default port");
        NS_TEST_EXPECT_MSG_EQ(b->Bind(InetSocketAddress(Ipv4Address::GetAny(), 0)), 0, "port 0 ok");

        NS_TEST_EXPECT_MSG_EQ(a->SendResponse(MakePattern(1, 10), 3, to), -1, "unknown id");
        NS_TEST_EXPECT_MSG_EQ(a->GetMtpErrno(), MtpError::NOENT, "ENOENT");
        NS_TEST_EXPECT_MSG_EQ(a->SendResponse(MakePattern(1, 10), 4, to), -1, "client id");
        NS_TEST_EXPECT_MSG_EQ(a->GetMtpErrno(), MtpError::NOENT, "ENOENT for even id");

        NS_TEST_EXPECT_MSG_EQ(a->SendRequest(Create<Packet>(1000001), to), 0, "1 MB + 1");
        NS_TEST_EXPECT_MSG_EQ(a->GetMtpErrno(), MtpError::MSGSIZE, "EMSGSIZE");
        NS_TEST_EXPECT_MSG_EQ(a->GetErrno(), Socket::ERROR_MSGSIZE, "ns-3 ERROR_MSGSIZE");
        NS_TEST_EXPECT_MSG_EQ(a->GetRpcCount(), 0, "nothing started");
        NS_TEST_EXPECT_MSG_EQ(
            a->SendRequest(Create<Packet>(10), InetSocketAddress(Ipv4Address("10.1.2.1"), 0)),
            0,
            "port 0");
        NS_TEST_EXPECT_MSG_EQ(a->GetMtpErrno(), MtpError::INVAL, "EINVAL for port 0");

        MtpRecvInfo info;
        NS_TEST_EXPECT_MSG_EQ(a->RecvMessage(info), nullptr, "nothing to receive");
        NS_TEST_EXPECT_MSG_EQ(info.error, MtpError::AGAIN, "EAGAIN");
        NS_TEST_EXPECT_MSG_EQ(a->Abort(42), -1, "abort unknown id");
        NS_TEST_EXPECT_MSG_EQ(a->GetMtpErrno(), MtpError::NOENT, "ENOENT from Abort");

        NS_TEST_EXPECT_MSG_EQ(b->ShutdownSend(), 0, "shutdown");
        NS_TEST_EXPECT_MSG_EQ(b->SendRequest(Create<Packet>(10), to), 0, "send after shutdown");
        NS_TEST_EXPECT_MSG_EQ(b->GetMtpErrno(), MtpError::SHUTDOWN, "ESHUTDOWN");

        NS_TEST_EXPECT_MSG_EQ(a->Close(), 0, "close");
        NS_TEST_EXPECT_MSG_EQ(a->SendRequest(Create<Packet>(10), to), 0, "send on closed");
        NS_TEST_EXPECT_MSG_EQ(a->GetMtpErrno(), MtpError::BADF, "EBADF");
        NS_TEST_EXPECT_MSG_EQ(a->SendTo(Create<Packet>(10), 0, to), -1, "SendTo on closed");
        NS_TEST_EXPECT_MSG_EQ(a->GetErrno(), Socket::ERROR_BADF, "ns-3 ERROR_BADF");
        NS_TEST_EXPECT_MSG_EQ(a->Close(), -1, "close twice");

        // The closed socket's server port is free again.
        Ptr<MtpSocket> c = Network::Socket(net.server);
        NS_TEST_EXPECT_MSG_EQ(c->Bind(InetSocketAddress(Ipv4Address::GetAny(), 50)),
                              0,
                              "port 50 reusable after close");
        Simulator::Destroy();
    }
};

/**
 * MaxMessageLength raised for a simulation (the Homa paper's W5 reaches
 * 30 MB): with 30,000,000 on both ends a 30 MB request and a 20 MB response
 * cross byte for byte and one byte more is refused with EMSGSIZE; the
 * Attribute refuses a value above the 2^30 limit.
 */
class MtpLargeMessageTestCase : public TestCase
{
  public:
    MtpLargeMessageTestCase()
        : TestCase("MaxMessageLength raised to 30 MB: 30 MB RPCs cross intact; limits hold")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        Ptr<MtpL4Protocol> cm = net.clients.Get(0)->GetObject<MtpL4Protocol>();
        Ptr<MtpL4Protocol> sm = net.server->GetObject<MtpL4Protocol>();
        NS_TEST_EXPECT_MSG_EQ(
            cm->SetAttributeFailSafe("MaxMessageLength",
                                     UintegerValue(MtpL4Protocol::MAX_MESSAGE_LENGTH_LIMIT + 1)),
            false,
            "above 2^30 refused");
        NS_TEST_EXPECT_MSG_EQ(cm->SetAttributeFailSafe("MaxMessageLength", UintegerValue(30000000)),
                              true,
                              "30 MB accepted");
        sm->SetAttribute("MaxMessageLength", UintegerValue(30000000));
        PatternServer server;
        server.responseSize = 20000000;
        server.Start(net.server, 100);
        Client client;
        client.Start(net.clients.Get(0));
        uint64_t id = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id = client.socket->SendRequest(MakePattern(3, 30000000), net.ServerAddress(100));
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_NE(id, 0, "started");
        NS_TEST_EXPECT_MSG_EQ(server.requests, 1, "request delivered");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(server.received.at(0), 3, 30000000),
                              true,
                              "request intact");
        NS_TEST_EXPECT_MSG_EQ(client.responses.count(id), 1u, "response delivered");
        NS_TEST_EXPECT_MSG_EQ(IsPattern(client.responses[id], 4, 20000000),
                              true,
                              "response intact");
        NS_TEST_EXPECT_MSG_EQ(sm->GetMetrics().drops[static_cast<int>(MtpDropReason::BAD_LENGTH)],
                              0,
                              "nothing refused");
        NS_TEST_EXPECT_MSG_EQ(
            client.socket->SendRequest(Create<Packet>(30000001), net.ServerAddress(100)),
            0,
            "30 MB + 1 refused");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetMtpErrno(), MtpError::MSGSIZE, "EMSGSIZE");
        Simulator::Destroy();
    }
};

/** A client aborts an RPC; it is reported (or not) as asked and nothing else leaks. */
class MtpAbortTestCase : public TestCase
{
  public:
    MtpAbortTestCase()
        : TestCase("Abort: one RPC with an error, all RPCs silently")
    {
    }

  private:
    void DoRun() override
    {
        Network net;
        net.Build();
        // A server that never answers keeps RPCs in service.
        Ptr<MtpSocket> srv = Network::Socket(net.server);
        srv->Bind(InetSocketAddress(Ipv4Address::GetAny(), 60));
        Client client;
        client.Start(net.clients.Get(0));
        uint64_t id1 = 0;
        uint64_t id2 = 0;
        uint64_t id3 = 0;
        Simulator::Schedule(MicroSeconds(1), [&]() {
            id1 = client.socket->SendRequest(MakePattern(1, 100), net.ServerAddress(60));
            id2 = client.socket->SendRequest(MakePattern(2, 100), net.ServerAddress(60));
            id3 = client.socket->SendRequest(MakePattern(3, 100), net.ServerAddress(60));
        });
        Simulator::Schedule(MicroSeconds(100), [&]() {
            NS_TEST_EXPECT_MSG_EQ(client.socket->Abort(id1, MtpError::CANCELED), 0, "abort one");
            NS_TEST_EXPECT_MSG_EQ(client.socket->Abort(0), 0, "abort all");
            srv->Close();
        });
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(client.failures.size(), 1, "only the first abort is reported");
        NS_TEST_EXPECT_MSG_EQ(client.failures[id1], MtpError::CANCELED, "as ECANCELED");
        NS_TEST_EXPECT_MSG_EQ(client.failures.count(id2) + client.failures.count(id3),
                              0,
                              "silent aborts");
        NS_TEST_EXPECT_MSG_EQ(client.socket->GetRpcCount(), 0, "no RPC left");
        Simulator::Destroy();
    }
};

/** The suite. */
class MtpSocketTestSuite : public TestSuite
{
  public:
    MtpSocketTestSuite()
        : TestSuite("mtp-socket", TestSuite::Type::SYSTEM)
    {
        AddTestCase(new MtpMessageSizesTestCase(false));
        AddTestCase(new MtpMessageSizesTestCase(true));
        AddTestCase(new MtpConcurrentRpcsTestCase());
        AddTestCase(new MtpGenericApiTestCase());
        AddTestCase(new MtpSocketErrorsTestCase());
        AddTestCase(new MtpLargeMessageTestCase());
        AddTestCase(new MtpAbortTestCase());
    }
};

/** Static instance registering the suite. */
MtpSocketTestSuite g_mtpSocketTestSuite;

} // namespace
