/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Suite mtp-portmap: the port mapper (MtpPortMapper, MtpPortMapperDaemon)
 * with Linux iwpm's semantics, one test per seed operation and per error,
 * on client -- router -- server (10.1.1.1, 10.1.2.1):
 *   init/exit per interface; register (and the no-daemon answer); add
 *   mapping; add-and-query (asynchronous, remote info learned by the
 *   passive side, read once); remove (and remove of an unknown mapping);
 *   the no-port-map flag; identity mapping without a daemon; a remote
 *   daemon that never answers (exact retry count and times); a remote with
 *   no mapping; a daemon stopped with a query pending; replay of mappings
 *   after a daemon restart; MTP RPCs through mapped ports, with the mapped
 *   port checked on the wire; a TCP transfer between mapped ports; the real
 *   port reservation of emulation (real sockets on 127.0.0.1 only).
 */

#include "../mtp-test-util.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace ns3;
using namespace ns3::mtptest;

namespace
{

/// The client's and server's host addresses in mtptest::Network (IPv4, 1 client).
const char* CLIENT_IP = "10.1.1.1";
const char* SERVER_IP = "10.1.2.1"; //!< see CLIENT_IP

/// \return ip:port as an InetSocketAddress
Address
A(const char* ip, uint16_t port)
{
    return InetSocketAddress(Ipv4Address(ip), port);
}

/// \return ip:port as an endpoint
MtpPortMapEndpoint
E(const char* ip, uint16_t port)
{
    return MtpPortMapEndpoint(MtpAddress(Ipv4Address(ip)), port);
}

/// \return the port of an InetSocketAddress
uint16_t
PortOf(const Address& a)
{
    return InetSocketAddress::ConvertFrom(a).GetPort();
}

/// \return the IPv4 address of an InetSocketAddress
Ipv4Address
IpOf(const Address& a)
{
    return InetSocketAddress::ConvertFrom(a).GetIpv4();
}

/**
 * The network, with mappers on client and server; daemons on both unless
 * told otherwise (not started before Start()).
 */
struct Sites
{
    Network net;                           //!< client -- router -- server
    Ptr<MtpPortMapper> clientMapper;       //!< client's mapper
    Ptr<MtpPortMapper> serverMapper;       //!< server's mapper
    Ptr<MtpPortMapperDaemon> clientDaemon; //!< client's daemon (or null)
    Ptr<MtpPortMapperDaemon> serverDaemon; //!< server's daemon (or null)

    /**
     * \param daemons put a daemon on client, server
     * \param helper the helper (Attributes set by the test)
     */
    void Build(bool clientD, bool serverD, MtpPortMapperHelper helper = MtpPortMapperHelper())
    {
        net.Build();
        Ptr<Node> client = net.clients.Get(0);
        clientMapper = helper.InstallMapper(client);
        serverMapper = helper.InstallMapper(net.server);
        if (clientD)
        {
            clientDaemon = helper.Install(client);
            clientDaemon->SetStartTime(Seconds(0));
        }
        if (serverD)
        {
            serverDaemon = helper.Install(net.server);
            serverDaemon->SetStartTime(Seconds(0));
        }
    }
};

/// One AddAndQueryMapping completion as seen by the test.
struct QueryResult
{
    bool called = false;           //!< the callback ran
    uint32_t calls = 0;            //!< how often
    MtpError error = MtpError::OK; //!< its error
    MtpPortMapInfo info;           //!< its mapping
    Time when;                     //!< when it ran

    /** \return a callback recording into this */
    MtpPortMapQueryCallback Callback()
    {
        return MakeCallback(&QueryResult::Done, this);
    }

    /** \param e error \param i mapping */
    void Done(MtpError e, const MtpPortMapInfo& i)
    {
        called = true;
        ++calls;
        error = e;
        info = i;
        when = Simulator::Now();
    }
};

/** init/exit per interface. */
class InitExitTest : public TestCase
{
  public:
    InitExitTest()
        : TestCase("init and exit: per interface; mappings of an interface go with it; last exit "
                   "frees all")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(false, false);
        Ptr<MtpPortMapper> m = s.clientMapper;
        // The helper Init'ed the loopback (0) and the link (1).
        NS_TEST_ASSERT_MSG_EQ(m->IsInitialized(0), true, "loopback up");
        NS_TEST_ASSERT_MSG_EQ(m->IsInitialized(1), true, "link up");
        NS_TEST_EXPECT_MSG_EQ(m->Init(1), MtpError::ALREADY, "init twice");
        Address mapped;
        NS_TEST_EXPECT_MSG_EQ(m->AddMapping(A(CLIENT_IP, 100), 0, mapped), MtpError::OK, "");
        NS_TEST_EXPECT_MSG_EQ(m->AddMapping(A("0.0.0.0", 101), 0, mapped), MtpError::OK, "");
        NS_TEST_EXPECT_MSG_EQ(m->AddMapping(A("10.9.9.9", 102), 0, mapped),
                              MtpError::INVAL,
                              "not an address of the node");
        NS_TEST_EXPECT_MSG_EQ(m->Exit(1), MtpError::OK, "link down");
        NS_TEST_EXPECT_MSG_EQ(m->Exit(1), MtpError::INVAL, "link down twice");
        NS_TEST_EXPECT_MSG_EQ(m->GetMapping(A(CLIENT_IP, 100), mapped), false, "went with if 1");
        NS_TEST_EXPECT_MSG_EQ(m->GetMapping(A("0.0.0.0", 101), mapped), true, "any stays");
        NS_TEST_EXPECT_MSG_EQ(m->AddMapping(A(CLIENT_IP, 100), 0, mapped),
                              MtpError::INVAL,
                              "interface down");
        NS_TEST_EXPECT_MSG_EQ(m->Exit(0), MtpError::OK, "last interface down");
        NS_TEST_EXPECT_MSG_EQ(m->GetMappings().size(), 0u, "tables freed");
        NS_TEST_EXPECT_MSG_EQ(m->AddMapping(A("0.0.0.0", 101), 0, mapped),
                              MtpError::INVAL,
                              "nothing up");
        NS_TEST_EXPECT_MSG_EQ(m->Init(1), MtpError::OK, "link up again");
        NS_TEST_EXPECT_MSG_EQ(m->AddMapping(A(CLIENT_IP, 100), 0, mapped), MtpError::OK, "");
        Simulator::Destroy();
    }
};

/** register: the no-daemon answer, registration, a daemon that stops. */
class RegisterTest : public TestCase
{
  public:
    RegisterTest()
        : TestCase("register: ESRCH without a daemon, OK with one; unregistered mapping EINVAL")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(false, true);
        NS_TEST_EXPECT_MSG_EQ(s.serverMapper->Register(), MtpError::SRCH, "not started yet");
        NS_TEST_EXPECT_MSG_EQ(s.serverMapper->IsDaemonAvailable(), false, "");
        std::vector<MtpError> seen;
        Simulator::Schedule(Seconds(1), [&]() {
            Address mapped;
            seen.push_back(s.serverMapper->AddMapping(A(SERVER_IP, 100), 0, mapped));
            seen.push_back(s.serverMapper->Register());
            seen.push_back(s.serverMapper->AddMapping(A(SERVER_IP, 100), 0, mapped));
            s.serverDaemon->Stop();
            seen.push_back(s.serverMapper->Register());
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        std::vector<MtpError> want = {MtpError::INVAL, MtpError::OK, MtpError::OK, MtpError::SRCH};
        NS_TEST_ASSERT_MSG_EQ(seen.size(), want.size(), "");
        for (std::size_t i = 0; i < want.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(seen[i], want[i], "step " << i);
        }
        Simulator::Destroy();
    }
};

/** identity mapping without a daemon, both operations. */
class IdentityTest : public TestCase
{
  public:
    IdentityTest()
        : TestCase("no daemon: add and add-and-query map identically, callback later")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(false, false);
        Address mapped;
        NS_TEST_EXPECT_MSG_EQ(s.clientMapper->AddMapping(A(CLIENT_IP, 100), 0, mapped),
                              MtpError::OK,
                              "");
        NS_TEST_EXPECT_MSG_EQ(IpOf(mapped), Ipv4Address(CLIENT_IP), "same address");
        NS_TEST_EXPECT_MSG_EQ(PortOf(mapped), 100, "same port");
        QueryResult q;
        Simulator::Schedule(Seconds(1), [&]() {
            NS_TEST_EXPECT_MSG_EQ(s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 200),
                                                                     A(SERVER_IP, 300),
                                                                     0,
                                                                     q.Callback()),
                                  MtpError::OK,
                                  "");
            NS_TEST_EXPECT_MSG_EQ(q.called, false, "asynchronous");
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "called once");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::OK, "");
        NS_TEST_EXPECT_MSG_EQ(q.when, Seconds(1), "at once");
        NS_TEST_EXPECT_MSG_EQ((q.info.mappedLocal == E(CLIENT_IP, 200)), true, "identity");
        NS_TEST_EXPECT_MSG_EQ((q.info.mappedRemote == E(SERVER_IP, 300)), true, "identity");
        Simulator::Destroy();
    }
};

/** add mapping / remove mapping with a daemon; traces; unknown remove. */
class AddRemoveTest : public TestCase
{
  public:
    AddRemoveTest()
        : TestCase("add and remove: pool ports, references, traces; remove of unknown is ENOENT")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        MtpPortMapperHelper h;
        h.SetDaemonAttribute("FirstPort", UintegerValue(5000));
        s.Build(false, true, h);
        std::vector<std::pair<MtpPortMapEndpoint, MtpPortMapEndpoint>> added;
        std::vector<std::pair<MtpPortMapEndpoint, MtpPortMapEndpoint>> removed;
        s.serverDaemon->TraceConnectWithoutContext("MappingAdded",
                                                   MakeCallback(+[](decltype(added)* v,
                                                                    const MtpPortMapEndpoint& l,
                                                                    const MtpPortMapEndpoint& m) {
                                                       v->emplace_back(l, m);
                                                   }).Bind(&added));
        s.serverDaemon->TraceConnectWithoutContext("MappingRemoved",
                                                   MakeCallback(+[](decltype(added)* v,
                                                                    const MtpPortMapEndpoint& l,
                                                                    const MtpPortMapEndpoint& m) {
                                                       v->emplace_back(l, m);
                                                   }).Bind(&removed));
        std::vector<MtpError> errs;
        std::vector<Address> maps(3);
        Simulator::Schedule(Seconds(1), [&]() {
            Ptr<MtpPortMapper> m = s.serverMapper;
            errs.push_back(m->Register());
            errs.push_back(m->AddMapping(A(SERVER_IP, 100), 0, maps[0]));
            errs.push_back(m->AddMapping(A(SERVER_IP, 101), 0, maps[1]));
            errs.push_back(m->AddMapping(A(SERVER_IP, 100), 0, maps[2]));
            errs.push_back(m->RemoveMapping(A(SERVER_IP, 100)));
            errs.push_back(m->RemoveMapping(A(SERVER_IP, 100)));
            errs.push_back(m->RemoveMapping(A(SERVER_IP, 100)));
            errs.push_back(m->RemoveMapping(A(SERVER_IP, 999)));
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        std::vector<MtpError> want = {MtpError::OK,
                                      MtpError::OK,
                                      MtpError::OK,
                                      MtpError::OK,
                                      MtpError::OK,
                                      MtpError::OK,
                                      MtpError::NOENT,
                                      MtpError::NOENT};
        NS_TEST_ASSERT_MSG_EQ(errs.size(), want.size(), "");
        for (std::size_t i = 0; i < want.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(errs[i], want[i], "step " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(IpOf(maps[0]), Ipv4Address(SERVER_IP), "address kept");
        NS_TEST_EXPECT_MSG_EQ(PortOf(maps[0]), 5000, "first pool port");
        NS_TEST_EXPECT_MSG_EQ(PortOf(maps[1]), 5001, "next pool port");
        NS_TEST_EXPECT_MSG_EQ(PortOf(maps[2]), 5000, "same local, same mapping");
        NS_TEST_ASSERT_MSG_EQ(added.size(), 2u, "two mappings added");
        NS_TEST_EXPECT_MSG_EQ((added[0].first == E(SERVER_IP, 100)), true, "");
        NS_TEST_EXPECT_MSG_EQ((added[0].second == E(SERVER_IP, 5000)), true, "");
        NS_TEST_ASSERT_MSG_EQ(removed.size(), 1u, "removed with its last reference only");
        NS_TEST_EXPECT_MSG_EQ((removed[0].second == E(SERVER_IP, 5000)), true, "");
        NS_TEST_EXPECT_MSG_EQ(s.serverDaemon->GetTable().Size(), 1u, "101 stays");
        Simulator::Destroy();
    }
};

/** add-and-query, remote info, no-port-map. */
class QueryTest : public TestCase
{
  public:
    /**
     * \param noPortMap use the no-port-map flag on both sides
     */
    explicit QueryTest(bool noPortMap)
        : TestCase(std::string("add-and-query: remote daemon answers; remote info read once") +
                   (noPortMap ? " (no port map flag)" : "")),
          m_flags(noPortMap ? MTP_PORTMAP_NO_PORT_MAP : MTP_PORTMAP_NONE)
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(true, true);
        QueryResult q;
        Address serverMapped;
        uint32_t answered = 0;
        s.serverDaemon->TraceConnectWithoutContext("QueryAnswered",
                                                   MakeCallback(+[](uint32_t* n,
                                                                    const MtpPortMapEndpoint&,
                                                                    const MtpPortMapEndpoint&,
                                                                    MtpError) {
                                                       ++*n;
                                                   }).Bind(&answered));
        Simulator::Schedule(Seconds(1), [&]() {
            s.serverMapper->Register();
            s.clientMapper->Register();
            s.serverMapper->AddMapping(A(SERVER_IP, 100), m_flags, serverMapped);
            s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 200),
                                               A(SERVER_IP, 100),
                                               m_flags,
                                               q.Callback());
        });
        Simulator::Run();
        uint16_t want = m_flags ? 100 : 0x4000;
        NS_TEST_EXPECT_MSG_EQ(PortOf(serverMapped), want, "server's mapped port");
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "called once");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::OK, "");
        NS_TEST_EXPECT_MSG_EQ((q.info.mappedRemote == E(SERVER_IP, want)), true, "mapped remote");
        uint16_t clientWant = m_flags ? 200 : 0x4000;
        NS_TEST_EXPECT_MSG_EQ((q.info.mappedLocal == E(CLIENT_IP, clientWant)), true, "");
        NS_TEST_EXPECT_MSG_EQ((q.when > Seconds(1)), true, "after a round trip");
        NS_TEST_EXPECT_MSG_EQ((q.when < Seconds(1.001)), true, "one round trip");
        NS_TEST_EXPECT_MSG_EQ(answered, 1u, "server's daemon answered once");
        Address real;
        NS_TEST_EXPECT_MSG_EQ(
            s.serverMapper->GetRemoteInfo(A(SERVER_IP, want), A(CLIENT_IP, clientWant), real),
            MtpError::OK,
            "remote info");
        NS_TEST_EXPECT_MSG_EQ(IpOf(real), Ipv4Address(CLIENT_IP), "");
        NS_TEST_EXPECT_MSG_EQ(PortOf(real), 200, "the client's real port");
        NS_TEST_EXPECT_MSG_EQ(
            s.serverMapper->GetRemoteInfo(A(SERVER_IP, want), A(CLIENT_IP, clientWant), real),
            MtpError::NOENT,
            "second read");
        MtpPortMapEndpoint learned;
        NS_TEST_EXPECT_MSG_EQ(s.clientMapper->GetQueriedMapping(E(SERVER_IP, 100), learned),
                              true,
                              "");
        NS_TEST_EXPECT_MSG_EQ((learned == E(SERVER_IP, want)), true, "");
        Simulator::Destroy();
    }

    uint32_t m_flags; //!< MtpPortMapFlags of both sides
};

/** the remote daemon runs but has no mapping for the endpoint. */
class NoRemoteMappingTest : public TestCase
{
  public:
    NoRemoteMappingTest()
        : TestCase("add-and-query: remote has no mapping -> ENOTCONN, local mapping undone")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(true, true);
        QueryResult q;
        Simulator::Schedule(Seconds(1), [&]() {
            s.clientMapper->Register();
            s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 200),
                                               A(SERVER_IP, 100),
                                               0,
                                               q.Callback());
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::NOTCONN, "");
        NS_TEST_EXPECT_MSG_EQ(s.clientMapper->GetMappings().size(), 0u, "undone");
        NS_TEST_EXPECT_MSG_EQ(s.clientDaemon->GetTable().Size(), 0u, "undone in the daemon");
        Simulator::Destroy();
    }
};

/** a remote daemon that never answers. */
class TimeoutTest : public TestCase
{
  public:
    /**
     * \param timeout RequestTimeout
     * \param retries Retries
     */
    TimeoutTest(Time timeout, uint32_t retries)
        : TestCase("add-and-query: silent remote -> ETIMEDOUT after " + std::to_string(retries) +
                   " retries of " + std::to_string(timeout.GetSeconds()) + " s"),
          m_timeout(timeout),
          m_retries(retries)
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        MtpPortMapperHelper h;
        h.SetDaemonAttribute("RequestTimeout", TimeValue(m_timeout));
        h.SetDaemonAttribute("Retries", UintegerValue(m_retries));
        s.Build(true, false, h); // no daemon on the server
        std::vector<std::pair<Time, uint32_t>> sent;
        s.clientDaemon->TraceConnectWithoutContext(
            "QuerySent",
            MakeCallback(+[](decltype(sent)* v, const MtpPortMapEndpoint&, uint32_t, uint32_t a) {
                v->emplace_back(Simulator::Now(), a);
            }).Bind(&sent));
        QueryResult q;
        Simulator::Schedule(Seconds(1), [&]() {
            s.clientMapper->Register();
            s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 200),
                                               A(SERVER_IP, 100),
                                               0,
                                               q.Callback());
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(sent.size(), m_retries + 1, "first query and the retries");
        for (uint32_t i = 0; i < sent.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(sent[i].first, Seconds(1) + m_timeout * i, "send " << i);
            NS_TEST_EXPECT_MSG_EQ(sent[i].second, i + 1, "attempt number");
        }
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::TIMEDOUT, "");
        NS_TEST_EXPECT_MSG_EQ(q.when, Seconds(1) + m_timeout * (m_retries + 1), "fails then");
        NS_TEST_EXPECT_MSG_EQ(s.clientMapper->GetMappings().size(), 0u, "undone");
        Simulator::Destroy();
    }

    Time m_timeout;     //!< RequestTimeout
    uint32_t m_retries; //!< Retries
};

/** a daemon stopped with a query pending. */
class StopPendingTest : public TestCase
{
  public:
    StopPendingTest()
        : TestCase("a daemon stopped with a query pending fails it with ESRCH")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(true, false);
        QueryResult q;
        Simulator::Schedule(Seconds(1), [&]() {
            s.clientMapper->Register();
            s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 200),
                                               A(SERVER_IP, 100),
                                               0,
                                               q.Callback());
        });
        Simulator::Schedule(Seconds(5), [&]() { s.clientDaemon->Stop(); });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::SRCH, "");
        NS_TEST_EXPECT_MSG_EQ(q.when, Seconds(5), "");
        NS_TEST_EXPECT_MSG_EQ(s.clientMapper->GetMappings().size(), 0u, "undone");
        Simulator::Destroy();
    }
};

/** replay after a restart. */
class ReplayTest : public TestCase
{
  public:
    ReplayTest()
        : TestCase("restart: the mapper's mappings are replayed with their mapped ports")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(true, true);
        Address m100;
        Address m101;
        Address during;
        uint32_t replayed = 0;
        size_t tableWhileStopped = 99;
        QueryResult q;
        QueryResult qDuring;
        Simulator::Schedule(Seconds(1), [&]() {
            s.serverMapper->Register();
            s.clientMapper->Register();
            s.serverMapper->AddMapping(A(SERVER_IP, 100), 0, m100);
            s.serverMapper->AddMapping(A(SERVER_IP, 101), 0, m101);
        });
        Simulator::Schedule(Seconds(2), [&]() {
            s.serverDaemon->Stop();
            tableWhileStopped = s.serverDaemon->GetTable().Size();
            // While it is down: identity mapping, and queries go unanswered.
            s.serverMapper->AddMapping(A(SERVER_IP, 102), 0, during);
            s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 200),
                                               A(SERVER_IP, 100),
                                               0,
                                               qDuring.Callback());
        });
        Simulator::Schedule(Seconds(3), [&]() {
            s.serverDaemon->TraceConnectWithoutContext("MappingAdded",
                                                       MakeCallback(+[](uint32_t* n,
                                                                        const MtpPortMapEndpoint&,
                                                                        const MtpPortMapEndpoint&) {
                                                           ++*n;
                                                       }).Bind(&replayed));
            s.serverDaemon->Start();
        });
        Simulator::Schedule(Seconds(4), [&]() {
            s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 201),
                                               A(SERVER_IP, 101),
                                               0,
                                               q.Callback());
        });
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(tableWhileStopped, 0u, "a stopped daemon lost its table");
        NS_TEST_EXPECT_MSG_EQ(PortOf(during), 102, "identity while down");
        NS_TEST_EXPECT_MSG_EQ(replayed, 3u, "three mappings replayed");
        const MtpPortMapTable& t = s.serverDaemon->GetTable();
        NS_TEST_ASSERT_MSG_EQ(t.Size(), 3u, "");
        NS_TEST_EXPECT_MSG_EQ(t.Find(E(SERVER_IP, 100))->mapped.port, PortOf(m100), "kept");
        NS_TEST_EXPECT_MSG_EQ(t.Find(E(SERVER_IP, 101))->mapped.port, PortOf(m101), "kept");
        NS_TEST_EXPECT_MSG_EQ(t.Find(E(SERVER_IP, 102))->mapped.port, 102, "identity kept");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::OK, "answered after the restart");
        NS_TEST_EXPECT_MSG_EQ(q.info.mappedRemote.port, PortOf(m101), "the replayed port");
        // The query sent while the server's daemon was down was resent after
        // 10 s, when the daemon ran again, and answered.
        NS_TEST_EXPECT_MSG_EQ(qDuring.error, MtpError::OK, "a retry reached the new daemon");
        NS_TEST_EXPECT_MSG_EQ((qDuring.when > Seconds(12)), true, "");
        NS_TEST_EXPECT_MSG_EQ(qDuring.info.mappedRemote.port, PortOf(m100), "");
        Simulator::Destroy();
    }
};

/**
 * \param p a packet as sent by a p2p device
 * \param[out] protocol its IPv4 protocol / IPv6 next header
 * \param[out] ipv6 if set: whether it is an IPv6 packet
 * \return the IP payload (IPv4 or IPv6, by the PPP protocol)
 */
Ptr<Packet>
IpPayload(Ptr<const Packet> p, uint8_t& protocol, bool* ipv6 = nullptr)
{
    Ptr<Packet> copy = p->Copy();
    PppHeader ppp;
    copy->RemoveHeader(ppp);
    bool v6 = ppp.GetProtocol() == 0x0057;
    if (ipv6)
    {
        *ipv6 = v6;
    }
    if (v6)
    {
        Ipv6Header ip6;
        copy->RemoveHeader(ip6);
        protocol = ip6.GetNextHeader();
        return copy;
    }
    Ipv4Header ip;
    copy->RemoveHeader(ip);
    protocol = ip.GetProtocol();
    return copy;
}

/** The payloads of the UDP/IPv6 datagrams between daemons (port 3935) a p2p device sends. */
void
RecordDaemonDatagrams6(std::vector<std::vector<uint8_t>>* out, Ptr<const Packet> p)
{
    uint8_t protocol = 0;
    bool ipv6 = false;
    Ptr<Packet> copy = IpPayload(p, protocol, &ipv6);
    if (!ipv6 || protocol != UdpL4Protocol::PROT_NUMBER)
    {
        return;
    }
    UdpHeader udp;
    copy->RemoveHeader(udp);
    if (udp.GetSourcePort() == MtpPortMapperDaemon::IWPM_PORT &&
        udp.GetDestinationPort() == MtpPortMapperDaemon::IWPM_PORT)
    {
        std::vector<uint8_t> bytes(copy->GetSize());
        copy->CopyData(bytes.data(), bytes.size());
        out->push_back(bytes);
    }
}

/** Bytes 0..3 of the MTP header of an IPv4 or IPv6 packet as sent by a p2p device. */
void
RecordPorts(std::vector<std::pair<uint16_t, uint16_t>>* out, Ptr<const Packet> p)
{
    uint8_t protocol = 0;
    Ptr<Packet> copy = IpPayload(p, protocol);
    if (protocol != 146 || copy->GetSize() < 4)
    {
        return;
    }
    uint8_t b[4];
    copy->CopyData(b, 4);
    out->emplace_back(uint16_t((b[0] << 8) | b[1]), uint16_t((b[2] << 8) | b[3]));
}

/** MTP RPCs through mapped ports. */
class MtpThroughMapperTest : public TestCase
{
  public:
    /** \param ipv6 the sites and their daemons talk IPv6 (else IPv4) */
    explicit MtpThroughMapperTest(bool ipv6)
        : TestCase(std::string("MTP") + (ipv6 ? " over IPv6" : "") +
                   ": bind maps the server port, requests go to the queried mapped port, "
                   "RPCs complete; the wire shows only mapped ports; close releases"),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.net.ipv6 = m_ipv6;
        MtpPortMapperHelper h;
        h.SetDaemonAttribute("FirstPort", UintegerValue(0x5000));
        s.Build(true, true, h);
        std::vector<std::pair<uint16_t, uint16_t>> clientTx;
        std::vector<std::pair<uint16_t, uint16_t>> serverTx;
        s.net.clientLinks[0].Get(0)->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeBoundCallback(&RecordPorts, &clientTx));
        s.net.serverLink.Get(0)->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeBoundCallback(&RecordPorts, &serverTx));
        Ptr<MtpSocket> server = Network::Socket(s.net.server);
        Ptr<MtpSocket> client = Network::Socket(s.net.clients.Get(0));
        MtpPortMapEndpoint serverHost;
        MtpPortMapEndpoint clientHost;
        MtpPortMapEndpoint::FromSocketAddress(s.net.serverHost, serverHost);
        MtpPortMapEndpoint::FromSocketAddress(s.net.clientAddrs[0], clientHost);
        uint32_t echoed = 0;
        Address clientReal;
        MtpError remoteInfo = MtpError::INVAL;
        server->SetRecvCallback(
            MakeCallback(+[](Ptr<MtpSocket> srv,
                             Ptr<MtpPortMapper> mapper,
                             MtpPortMapEndpoint* host,
                             uint32_t* n,
                             Address* real,
                             MtpError* err,
                             Ptr<Socket>) {
                MtpRecvInfo info;
                while (Ptr<Packet> p = srv->RecvMessage(info))
                {
                    if (info.kind != MtpMessageKind::REQUEST)
                    {
                        continue;
                    }
                    if (*n == 0)
                    {
                        Address local;
                        srv->GetSockName(local);
                        *err = mapper->GetRemoteInfo(
                            MtpPortMapEndpoint(host->addr, PortOf(local)).ToSocketAddress(),
                            info.peer,
                            *real);
                    }
                    ++*n;
                    srv->SendResponse(p, info.id, info.peer);
                }
            }).Bind(server, s.serverMapper, &serverHost, &echoed, &clientReal, &remoteInfo));
        std::vector<uint32_t> responses;
        client->SetRecvCallback(
            MakeCallback(+[](Ptr<MtpSocket> c, std::vector<uint32_t>* v, Ptr<Socket>) {
                MtpRecvInfo info;
                while (Ptr<Packet> p = c->RecvMessage(info))
                {
                    if (info.kind == MtpMessageKind::RESPONSE &&
                        IsPattern(p, SeedOf(p), p->GetSize()))
                    {
                        v->push_back(SeedOf(p));
                    }
                }
            }).Bind(client, &responses));
        int bound = -1;
        Address serverName;
        QueryResult q;
        Simulator::Schedule(Seconds(1), [&]() {
            bound = server->Bind(m_ipv6 ? Address(Inet6SocketAddress(Ipv6Address::GetAny(), 100))
                                        : Address(InetSocketAddress(Ipv4Address::GetAny(), 100)));
            server->GetSockName(serverName);
            Address local =
                MtpPortMapEndpoint(clientHost.addr, client->GetDefaultPort()).ToSocketAddress();
            s.clientMapper->Register();
            s.clientMapper->AddAndQueryMapping(local,
                                               s.net.ServerAddress(100),
                                               MTP_PORTMAP_NO_PORT_MAP,
                                               q.Callback());
        });
        Simulator::Schedule(Seconds(2), [&]() {
            for (uint32_t i = 1; i <= 5; ++i)
            {
                client->SendRequest(MakePattern(i, 1000 * i * i), s.net.ServerAddress(100));
            }
        });
        Simulator::Schedule(Seconds(3), [&]() { server->Close(); });
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(bound, 0, "bind succeeded");
        NS_TEST_EXPECT_MSG_EQ(PortOf(serverName), 0x5000, "the socket holds the mapped port");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::OK, "query answered");
        NS_TEST_EXPECT_MSG_EQ(echoed, 5u, "five requests served");
        NS_TEST_ASSERT_MSG_EQ(responses.size(), 5u, "five responses, content intact");
        NS_TEST_EXPECT_MSG_EQ(remoteInfo, MtpError::OK, "server learned the client");
        MtpPortMapEndpoint real;
        NS_TEST_EXPECT_MSG_EQ(MtpPortMapEndpoint::FromSocketAddress(clientReal, real), true, "");
        NS_TEST_EXPECT_MSG_EQ((real.addr == clientHost.addr), true, "the client's real address");
        NS_TEST_EXPECT_MSG_EQ(real.addr.IsIpv4(), !m_ipv6, "of the sites' family");
        NS_TEST_EXPECT_MSG_EQ(real.port, client->GetDefaultPort(), "the client's real port");
        NS_TEST_ASSERT_MSG_EQ(clientTx.empty(), false, "client sent MTP packets");
        NS_TEST_ASSERT_MSG_EQ(serverTx.empty(), false, "server sent MTP packets");
        for (const auto& ports : clientTx)
        {
            NS_TEST_EXPECT_MSG_EQ(ports.second, 0x5000, "client -> server: mapped dport");
        }
        for (const auto& ports : serverTx)
        {
            NS_TEST_EXPECT_MSG_EQ(ports.first, 0x5000, "server -> client: mapped sport");
        }
        NS_TEST_EXPECT_MSG_EQ(s.serverMapper->GetMappings().size(), 0u, "close released it");
        NS_TEST_EXPECT_MSG_EQ(s.serverDaemon->GetTable().Size(), 0u, "in the daemon too");
        // The receive callbacks hold their own socket: drop them, or a closed
        // socket (no longer owned by MTP) and its node stay alive as a cycle.
        server->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        client->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        Simulator::Destroy();
    }

    bool m_ipv6; //!< IPv6 sites
};

/** TCP through mapped ports, mapped by the application (TCP has no hook). */
class TcpThroughMapperTest : public TestCase
{
  public:
    TcpThroughMapperTest()
        : TestCase("TCP: both ends bind their mapped ports, the transfer completes byte for "
                   "byte, the wire shows only mapped ports, the server learns the real client")
    {
    }

  private:
    /** The bytes the client sends. \param i offset \return its byte */
    static uint8_t Byte(uint32_t i)
    {
        return uint8_t(i * 13 + (i >> 8));
    }

    void DoRun() override
    {
        Sites s;
        s.Build(true, true);
        const uint32_t total = 200000;
        std::vector<std::pair<uint16_t, uint16_t>> clientTx;
        s.net.clientLinks[0].Get(0)->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeCallback(+[](decltype(clientTx)* v, Ptr<const Packet> p) {
                Ptr<Packet> copy = p->Copy();
                PppHeader ppp;
                copy->RemoveHeader(ppp);
                Ipv4Header ip;
                copy->RemoveHeader(ip);
                if (ip.GetProtocol() == TcpL4Protocol::PROT_NUMBER)
                {
                    TcpHeader tcp;
                    copy->RemoveHeader(tcp);
                    v->emplace_back(tcp.GetSourcePort(), tcp.GetDestinationPort());
                }
            }).Bind(&clientTx));
        std::vector<uint8_t> received;
        Address serverMapped;
        Ptr<Socket> listener;
        QueryResult q;
        Ptr<Socket> client;
        uint32_t sent = 0;
        std::function<void(Ptr<Socket>, uint32_t)> push = [&](Ptr<Socket> sock, uint32_t) {
            while (sent < total && sock->GetTxAvailable() > 0)
            {
                uint32_t n = std::min({total - sent, sock->GetTxAvailable(), 1400u});
                std::vector<uint8_t> b(n);
                for (uint32_t i = 0; i < n; ++i)
                {
                    b[i] = Byte(sent + i);
                }
                int r = sock->Send(Create<Packet>(b.data(), n));
                if (r <= 0)
                {
                    break;
                }
                sent += r;
            }
        };
        Simulator::Schedule(Seconds(1), [&]() {
            s.serverMapper->Register();
            s.serverMapper->AddMapping(A("0.0.0.0", 9), 0, serverMapped);
            listener = Socket::CreateSocket(s.net.server, TcpSocketFactory::GetTypeId());
            listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), PortOf(serverMapped)));
            listener->Listen();
            listener->SetAcceptCallback(
                MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                MakeCallback(+[](std::vector<uint8_t>* v, Ptr<Socket> sock, const Address&) {
                    sock->SetRecvCallback(
                        MakeCallback(+[](std::vector<uint8_t>* v, Ptr<Socket> sk) {
                            while (Ptr<Packet> p = sk->Recv())
                            {
                                std::size_t at = v->size();
                                v->resize(at + p->GetSize());
                                p->CopyData(v->data() + at, p->GetSize());
                            }
                        }).Bind(v));
                }).Bind(&received));
            s.clientMapper->Register();
            s.clientMapper->AddAndQueryMapping(A(CLIENT_IP, 7000),
                                               A(SERVER_IP, 9),
                                               0,
                                               q.Callback());
        });
        Simulator::Schedule(Seconds(2), [&]() {
            // The query is answered: bind the mapped local port, connect to the mapped remote.
            client = Socket::CreateSocket(s.net.clients.Get(0), TcpSocketFactory::GetTypeId());
            client->Bind(q.info.mappedLocal.ToSocketAddress());
            client->SetSendCallback(Callback<void, Ptr<Socket>, uint32_t>(push));
            client->Connect(q.info.mappedRemote.ToSocketAddress());
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(q.error, MtpError::OK, "query answered");
        uint16_t mappedServer = PortOf(serverMapped);
        NS_TEST_EXPECT_MSG_EQ(mappedServer, 0x4000, "server port mapped");
        NS_TEST_EXPECT_MSG_EQ(q.info.mappedLocal.port, 0x4000, "client port mapped");
        NS_TEST_EXPECT_MSG_EQ(q.info.mappedRemote.port, mappedServer, "");
        NS_TEST_ASSERT_MSG_EQ(received.size(), total, "every byte arrived");
        bool same = true;
        for (uint32_t i = 0; i < total && same; ++i)
        {
            same = received[i] == Byte(i);
        }
        NS_TEST_EXPECT_MSG_EQ(same, true, "byte for byte");
        NS_TEST_ASSERT_MSG_EQ(clientTx.empty(), false, "TCP segments seen");
        for (const auto& ports : clientTx)
        {
            NS_TEST_EXPECT_MSG_EQ(ports.first, 0x4000, "mapped source port");
            NS_TEST_EXPECT_MSG_EQ(ports.second, mappedServer, "mapped destination port");
        }
        Address real;
        NS_TEST_EXPECT_MSG_EQ(
            s.serverMapper->GetRemoteInfo(A(SERVER_IP, mappedServer), A(CLIENT_IP, 0x4000), real),
            MtpError::OK,
            "");
        NS_TEST_EXPECT_MSG_EQ(PortOf(real), 7000, "the client's real port");
        Simulator::Destroy();
    }
};

/**
 * A real TCP socket bound to 127.0.0.1:port (0: any free port).
 * \param port the port
 * \param[out] bound the port bound
 * \return its descriptor, or -1 (errno set)
 */
int
RealBind(uint16_t port, uint16_t& bound)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
    {
        return -1;
    }
    sockaddr_in sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sa);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0)
    {
        int saved = errno;
        ::close(fd);
        errno = saved;
        return -1;
    }
    bound = ntohs(sa.sin_port);
    return fd;
}

/** \param port a real port \return the errno of binding 127.0.0.1:port (0 if it could) */
int
ProbeBind(uint16_t port)
{
    uint16_t bound = 0;
    int fd = RealBind(port, bound);
    if (fd < 0)
    {
        return errno;
    }
    ::close(fd);
    return 0;
}

/** Emulation: mapped ports reserved on the real host. */
class ReservePortsTest : public TestCase
{
  public:
    ReservePortsTest()
        : TestCase("emulation: ReservePorts binds a real socket to each mapped port while the "
                   "mapping lives, skips ports the host holds, releases on remove and stop")
    {
    }

  private:
    void DoRun() override
    {
        uint16_t held = 0;
        int blocker = RealBind(0, held); // a port the real host holds
        if (blocker < 0 || held > 65000)
        {
            std::clog << "skipped: cannot bind a real loopback socket here ("
                      << std::strerror(errno) << ")" << std::endl;
            if (blocker >= 0)
            {
                ::close(blocker);
            }
            return;
        }
        Sites s;
        MtpPortMapperHelper h;
        h.SetDaemonAttribute("ReservePorts", BooleanValue(true));
        h.SetDaemonAttribute("ReserveAddress", Ipv4AddressValue("127.0.0.1"));
        h.SetDaemonAttribute("FirstPort", UintegerValue(held));
        h.SetDaemonAttribute("LastPort", UintegerValue(held + 50));
        s.Build(false, true, h);
        Address m1;
        Address m2;
        int whileMapped = 0;
        int afterRemove = -1;
        std::vector<uint16_t> reservedThen;
        std::vector<uint16_t> reservedAfterStop;
        int afterStop = -1;
        Simulator::Schedule(Seconds(1), [&]() {
            s.serverMapper->Register();
            s.serverMapper->AddMapping(A(SERVER_IP, 100), 0, m1);
            whileMapped = ProbeBind(PortOf(m1));
            reservedThen = s.serverDaemon->GetReservedPorts();
            s.serverMapper->RemoveMapping(A(SERVER_IP, 100));
            afterRemove = ProbeBind(PortOf(m1));
            s.serverMapper->AddMapping(A(SERVER_IP, 101), 0, m2);
            s.serverDaemon->Stop();
            reservedAfterStop = s.serverDaemon->GetReservedPorts();
            afterStop = ProbeBind(PortOf(m2));
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        Simulator::Destroy();
        ::close(blocker);
        NS_TEST_EXPECT_MSG_NE(PortOf(m1), held, "a port the host holds is skipped");
        NS_TEST_EXPECT_MSG_EQ((PortOf(m1) > held && PortOf(m1) <= held + 50),
                              true,
                              "from the pool");
        NS_TEST_EXPECT_MSG_EQ(whileMapped, EADDRINUSE, "really bound while mapped");
        NS_TEST_ASSERT_MSG_EQ(reservedThen.size(), 1u, "");
        NS_TEST_EXPECT_MSG_EQ(reservedThen[0], PortOf(m1), "");
        NS_TEST_EXPECT_MSG_EQ(afterRemove, 0, "released on remove");
        NS_TEST_EXPECT_MSG_EQ(reservedAfterStop.size(), 0u, "released on stop");
        NS_TEST_EXPECT_MSG_EQ(afterStop, 0, "the port is free after stop");
    }
};

/** add-and-query between two IPv6 sites: the daemons talk UDP over IPv6. */
class Ipv6QueryTest : public TestCase
{
  public:
    Ipv6QueryTest()
        : TestCase("IPv6: add-and-query across two IPv6 sites, QUERY and ANSWER over UDP on IPv6 "
                   "byte for byte; remote info read once")
    {
    }

  private:
    /** \return the 20 bytes of an IPv6 endpoint in a daemon message */
    static std::vector<uint8_t> Endpoint6(const MtpPortMapEndpoint& ep)
    {
        std::vector<uint8_t> e = {6, 0, uint8_t(ep.port >> 8), uint8_t(ep.port & 0xff)};
        uint8_t a[16];
        ep.addr.GetIpv6().Serialize(a);
        e.insert(e.end(), a, a + 16);
        return e;
    }

    void DoRun() override
    {
        Sites s;
        s.net.ipv6 = true;
        s.Build(true, true);
        MtpPortMapEndpoint client;
        MtpPortMapEndpoint server;
        MtpPortMapEndpoint::FromSocketAddress(s.net.clientAddrs[0], client);
        MtpPortMapEndpoint::FromSocketAddress(s.net.serverHost, server);
        std::vector<std::vector<uint8_t>> clientSent;
        std::vector<std::vector<uint8_t>> serverSent;
        s.net.clientLinks[0].Get(0)->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeBoundCallback(&RecordDaemonDatagrams6, &clientSent));
        s.net.serverLink.Get(0)->TraceConnectWithoutContext(
            "PhyTxBegin",
            MakeBoundCallback(&RecordDaemonDatagrams6, &serverSent));
        QueryResult q;
        Address serverMapped;
        MtpError added = MtpError::INVAL;
        Simulator::Schedule(Seconds(1), [&]() {
            s.serverMapper->Register();
            s.clientMapper->Register();
            added =
                s.serverMapper->AddMapping(MtpPortMapEndpoint(server.addr, 100).ToSocketAddress(),
                                           0,
                                           serverMapped);
            s.clientMapper->AddAndQueryMapping(
                MtpPortMapEndpoint(client.addr, 200).ToSocketAddress(),
                MtpPortMapEndpoint(server.addr, 100).ToSocketAddress(),
                0,
                q.Callback());
        });
        Simulator::Run();
        MtpPortMapEndpoint serverMappedEp;
        NS_TEST_EXPECT_MSG_EQ(added, MtpError::OK, "server's mapping");
        NS_TEST_ASSERT_MSG_EQ(Inet6SocketAddress::IsMatchingType(serverMapped), true, "IPv6");
        MtpPortMapEndpoint::FromSocketAddress(serverMapped, serverMappedEp);
        NS_TEST_EXPECT_MSG_EQ((serverMappedEp == MtpPortMapEndpoint(server.addr, 0x4000)),
                              true,
                              "server's mapped endpoint");
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "called once");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::OK, "query answered over IPv6");
        NS_TEST_EXPECT_MSG_EQ((q.info.mappedRemote == MtpPortMapEndpoint(server.addr, 0x4000)),
                              true,
                              "mapped remote");
        NS_TEST_EXPECT_MSG_EQ((q.info.mappedLocal == MtpPortMapEndpoint(client.addr, 0x4000)),
                              true,
                              "mapped local");
        NS_TEST_EXPECT_MSG_EQ((q.when > Seconds(1) && q.when < Seconds(1.001)), true, "one RTT");
        // The datagrams on the wire, byte for byte.
        NS_TEST_ASSERT_MSG_EQ(clientSent.size(), 1u, "one QUERY left the client over IPv6");
        NS_TEST_ASSERT_MSG_EQ(serverSent.size(), 1u, "one ANSWER left the server over IPv6");
        std::vector<uint8_t> query = {2, 1, 0, 0, 0, 0, 0, 1};
        for (const auto& ep : {MtpPortMapEndpoint(client.addr, 200),
                               MtpPortMapEndpoint(client.addr, 0x4000),
                               MtpPortMapEndpoint(server.addr, 100)})
        {
            std::vector<uint8_t> e = Endpoint6(ep);
            query.insert(query.end(), e.begin(), e.end());
        }
        NS_TEST_EXPECT_MSG_EQ((clientSent[0] == query), true, "the QUERY's bytes");
        std::vector<uint8_t> answer = {2, 2, 0, 0, 0, 0, 0, 1};
        for (const auto& ep : {MtpPortMapEndpoint(server.addr, 100),
                               MtpPortMapEndpoint(server.addr, 0x4000),
                               MtpPortMapEndpoint()})
        {
            std::vector<uint8_t> e = Endpoint6(ep);
            answer.insert(answer.end(), e.begin(), e.end());
        }
        NS_TEST_EXPECT_MSG_EQ((serverSent[0] == answer), true, "the ANSWER's bytes");
        Address real;
        Address mappedLocal = MtpPortMapEndpoint(server.addr, 0x4000).ToSocketAddress();
        Address mappedRemote = MtpPortMapEndpoint(client.addr, 0x4000).ToSocketAddress();
        NS_TEST_EXPECT_MSG_EQ(s.serverMapper->GetRemoteInfo(mappedLocal, mappedRemote, real),
                              MtpError::OK,
                              "remote info");
        MtpPortMapEndpoint realEp;
        MtpPortMapEndpoint::FromSocketAddress(real, realEp);
        NS_TEST_EXPECT_MSG_EQ((realEp == MtpPortMapEndpoint(client.addr, 200)), true, "real");
        NS_TEST_EXPECT_MSG_EQ(s.serverMapper->GetRemoteInfo(mappedLocal, mappedRemote, real),
                              MtpError::NOENT,
                              "second read");
        for (uint32_t r = 1; r < static_cast<uint32_t>(MtpPortMapDropReason::COUNT); ++r)
        {
            auto reason = static_cast<MtpPortMapDropReason>(r);
            NS_TEST_EXPECT_MSG_EQ(s.clientDaemon->GetDropCount(reason), 0u, "nothing dropped");
            NS_TEST_EXPECT_MSG_EQ(s.serverDaemon->GetDropCount(reason), 0u, "nothing dropped");
        }
        Simulator::Destroy();
    }
};

/** A query for a remote of a family the node has no stack for. */
class FamilyNotSupportedTest : public TestCase
{
  public:
    FamilyNotSupportedTest()
        : TestCase("add-and-query from an IPv4-only node to an IPv6 remote -> EAFNOSUPPORT, "
                   "nothing sent, local mapping undone")
    {
    }

  private:
    void DoRun() override
    {
        Sites s;
        s.Build(true, true);
        QueryResult q;
        uint32_t sent = 0;
        s.clientDaemon->TraceConnectWithoutContext(
            "QuerySent",
            MakeCallback(+[](uint32_t* n, const MtpPortMapEndpoint&, uint32_t, uint32_t) {
                ++*n;
            }).Bind(&sent));
        MtpError accepted = MtpError::INVAL;
        Simulator::Schedule(Seconds(1), [&]() {
            s.clientMapper->Register();
            accepted = s.clientMapper->AddAndQueryMapping(
                A(CLIENT_IP, 200),
                Inet6SocketAddress(Ipv6Address("2001:db8::1"), 100),
                0,
                q.Callback());
        });
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(accepted, MtpError::OK, "the callback will tell");
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::AFNOSUPPORT, "no IPv6 stack on the node");
        NS_TEST_EXPECT_MSG_EQ(q.when, Seconds(1), "at once");
        NS_TEST_EXPECT_MSG_EQ(sent, 0u, "no QUERY sent");
        NS_TEST_EXPECT_MSG_EQ(s.clientMapper->GetMappings().size(), 0u, "undone");
        Simulator::Destroy();
    }
};

/** Malformed datagrams reaching a daemon over IPv6: dropped, counted per reason, unanswered. */
class MalformedMessagesTest : public TestCase
{
  public:
    MalformedMessagesTest()
        : TestCase("IPv6 daemon: malformed datagrams dropped and counted per reason, never "
                   "answered; a valid query right after is answered")
    {
    }

  private:
    /** A dropped datagram as traced. */
    struct Dropped
    {
        MtpPortMapDropReason reason; //!< why
        Address from;                //!< sender
    };

    void DoRun() override
    {
        Sites s;
        s.net.ipv6 = true;
        s.Build(true, true);
        MtpPortMapEndpoint client;
        MtpPortMapEndpoint server;
        MtpPortMapEndpoint::FromSocketAddress(s.net.clientAddrs[0], client);
        MtpPortMapEndpoint::FromSocketAddress(s.net.serverHost, server);
        std::vector<Dropped> dropped;
        s.serverDaemon->TraceConnectWithoutContext(
            "MessageDropped",
            MakeCallback(+[](std::vector<Dropped>* v, MtpPortMapDropReason r, const Address& f) {
                v->push_back(Dropped{r, f});
            }).Bind(&dropped));
        // A stranger on the client node sends the garbage from UDP port 5000.
        Ptr<Socket> raw = Socket::CreateSocket(s.net.clients.Get(0), UdpSocketFactory::GetTypeId());
        raw->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), 5000));
        uint32_t replies = 0;
        raw->SetRecvCallback(MakeCallback(+[](uint32_t* n, Ptr<Socket> sock) {
                                 while (sock->Recv())
                                 {
                                     ++*n;
                                 }
                             }).Bind(&replies));
        MtpPortMapMessage good;
        good.a = MtpPortMapEndpoint(client.addr, 5000);
        good.b = good.a;
        good.c = MtpPortMapEndpoint(server.addr, 100);
        const std::vector<uint8_t> query = good.Serialize();
        auto with = [&query](uint32_t at, std::vector<uint8_t> v) {
            std::vector<uint8_t> b = query;
            std::copy(v.begin(), v.end(), b.begin() + at);
            return b;
        };
        MtpPortMapMessage unmatched;
        unmatched.type = MtpPortMapMessage::ANSWER;
        unmatched.sequence = 777;
        unmatched.a = good.c;
        unmatched.b = MtpPortMapEndpoint(server.addr, 0x4000);
        // An OK ANSWER whose B (the mapped endpoint) has port 0.
        std::vector<uint8_t> noPort = with(1, {MtpPortMapMessage::ANSWER});
        noPort[30] = 0;
        noPort[31] = 0;
        std::vector<std::pair<std::vector<uint8_t>, MtpPortMapDropReason>> cases = {
            {std::vector<uint8_t>(10, 2), MtpPortMapDropReason::BAD_SIZE},
            {std::vector<uint8_t>(), MtpPortMapDropReason::BAD_SIZE},
            {with(0, {1}), MtpPortMapDropReason::BAD_VERSION},
            {with(1, {9}), MtpPortMapDropReason::BAD_TYPE},
            {with(2, {200}), MtpPortMapDropReason::BAD_STATUS},
            {with(48, {10}), MtpPortMapDropReason::BAD_FAMILY},
            {with(29, {1}), MtpPortMapDropReason::BAD_RESERVED},
            {with(52, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 1}),
             MtpPortMapDropReason::BAD_ADDRESS},
            {noPort, MtpPortMapDropReason::BAD_ANSWER},
            {unmatched.Serialize(), MtpPortMapDropReason::UNMATCHED_ANSWER},
        };
        Address to =
            MtpPortMapEndpoint(server.addr, MtpPortMapperDaemon::IWPM_PORT).ToSocketAddress();
        Simulator::Schedule(Seconds(1), [&]() {
            s.serverMapper->Register();
            Address mapped;
            s.serverMapper->AddMapping(MtpPortMapEndpoint(server.addr, 100).ToSocketAddress(),
                                       0,
                                       mapped);
            for (const auto& c : cases)
            {
                raw->SendTo(Create<Packet>(c.first.data(), c.first.size()), 0, to);
            }
        });
        QueryResult q;
        Simulator::Schedule(Seconds(2), [&]() {
            s.clientMapper->Register();
            s.clientMapper->AddAndQueryMapping(
                MtpPortMapEndpoint(client.addr, 200).ToSocketAddress(),
                MtpPortMapEndpoint(server.addr, 100).ToSocketAddress(),
                0,
                q.Callback());
        });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(dropped.size(), cases.size(), "every malformed datagram dropped");
        for (std::size_t i = 0; i < cases.size(); ++i)
        {
            std::ostringstream want;
            std::ostringstream got;
            want << cases[i].second;
            got << dropped[i].reason;
            NS_TEST_EXPECT_MSG_EQ(got.str(), want.str(), "reason of datagram " << i);
            MtpPortMapEndpoint from;
            MtpPortMapEndpoint::FromSocketAddress(dropped[i].from, from);
            NS_TEST_EXPECT_MSG_EQ((from == MtpPortMapEndpoint(client.addr, 5000)), true, "sender");
        }
        NS_TEST_EXPECT_MSG_EQ(s.serverDaemon->GetDropCount(MtpPortMapDropReason::BAD_SIZE),
                              2u,
                              "two short ones");
        for (auto r : {MtpPortMapDropReason::BAD_VERSION,
                       MtpPortMapDropReason::BAD_TYPE,
                       MtpPortMapDropReason::BAD_STATUS,
                       MtpPortMapDropReason::BAD_FAMILY,
                       MtpPortMapDropReason::BAD_RESERVED,
                       MtpPortMapDropReason::BAD_ADDRESS,
                       MtpPortMapDropReason::BAD_ANSWER,
                       MtpPortMapDropReason::UNMATCHED_ANSWER})
        {
            NS_TEST_EXPECT_MSG_EQ(s.serverDaemon->GetDropCount(r), 1u, "one of each");
        }
        NS_TEST_EXPECT_MSG_EQ(replies, 0u, "no malformed datagram was answered");
        NS_TEST_ASSERT_MSG_EQ(q.calls, 1u, "");
        NS_TEST_EXPECT_MSG_EQ(q.error, MtpError::OK, "the daemon still answers");
        NS_TEST_EXPECT_MSG_EQ(q.info.mappedRemote.port, 0x4000, "");
        NS_TEST_EXPECT_MSG_EQ(s.serverMapper->GetMappings().size(), 1u, "no mapping from garbage");
        raw->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        Simulator::Destroy();
    }
};

/** One daemon per dual-stack node answers over IPv4 and over IPv6. */
class DualStackTest : public TestCase
{
  public:
    DualStackTest()
        : TestCase("dual-stack nodes: the daemon binds UDP 3935 on IPv4 and IPv6; queries of "
                   "each family go over that family and are answered")
    {
    }

  private:
    /** Count daemon datagrams (UDP 3935) a p2p device sends, per IP version. */
    static void Count(uint32_t* v4, uint32_t* v6, Ptr<const Packet> p)
    {
        uint8_t protocol = 0;
        bool ipv6 = false;
        Ptr<Packet> copy = IpPayload(p, protocol, &ipv6);
        if (protocol != UdpL4Protocol::PROT_NUMBER)
        {
            return;
        }
        UdpHeader udp;
        copy->RemoveHeader(udp);
        if (udp.GetDestinationPort() == MtpPortMapperDaemon::IWPM_PORT)
        {
            ++*(ipv6 ? v6 : v4);
        }
    }

    void DoRun() override
    {
        Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));
        NodeContainer nodes;
        nodes.Create(2);
        InternetStackHelper().Install(nodes);
        NetDeviceContainer link = PointToPointHelper().Install(nodes);
        Ipv4AddressHelper v4;
        v4.SetBase("10.9.0.0", "255.255.255.0");
        Ipv4InterfaceContainer if4 = v4.Assign(link);
        Ipv6AddressHelper v6;
        v6.SetBase(Ipv6Address("2001:9::"), Ipv6Prefix(64));
        Ipv6InterfaceContainer if6 = v6.Assign(link);
        MtpPortMapperHelper pm;
        Ptr<MtpPortMapperDaemon> clientDaemon = pm.Install(nodes.Get(0));
        Ptr<MtpPortMapperDaemon> serverDaemon = pm.Install(nodes.Get(1));
        Ptr<MtpPortMapper> clientMapper = nodes.Get(0)->GetObject<MtpPortMapper>();
        Ptr<MtpPortMapper> serverMapper = nodes.Get(1)->GetObject<MtpPortMapper>();
        uint32_t sent4 = 0;
        uint32_t sent6 = 0;
        link.Get(0)->TraceConnectWithoutContext("PhyTxBegin",
                                                MakeBoundCallback(&Count, &sent4, &sent6));
        MtpAddress client[2] = {MtpAddress(if4.GetAddress(0)), MtpAddress(if6.GetAddress(0, 1))};
        MtpAddress server[2] = {MtpAddress(if4.GetAddress(1)), MtpAddress(if6.GetAddress(1, 1))};
        QueryResult q[2];
        Address mapped[2];
        MtpError added[2] = {MtpError::INVAL, MtpError::INVAL};
        Simulator::Schedule(Seconds(1), [&]() {
            serverMapper->Register();
            clientMapper->Register();
            for (uint32_t f = 0; f < 2; ++f)
            {
                added[f] =
                    serverMapper->AddMapping(MtpPortMapEndpoint(server[f], 100).ToSocketAddress(),
                                             0,
                                             mapped[f]);
                clientMapper->AddAndQueryMapping(
                    MtpPortMapEndpoint(client[f], 200).ToSocketAddress(),
                    MtpPortMapEndpoint(server[f], 100).ToSocketAddress(),
                    0,
                    q[f].Callback());
            }
        });
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(clientDaemon->IsRunning(), true, "client daemon started");
        NS_TEST_EXPECT_MSG_EQ(serverDaemon->IsRunning(), true, "server daemon started");
        for (uint32_t f = 0; f < 2; ++f)
        {
            const char* family = f ? "IPv6" : "IPv4";
            NS_TEST_EXPECT_MSG_EQ(added[f], MtpError::OK, family);
            NS_TEST_ASSERT_MSG_EQ(q[f].calls, 1u, family);
            NS_TEST_EXPECT_MSG_EQ(q[f].error, MtpError::OK, family);
            MtpPortMapEndpoint want;
            MtpPortMapEndpoint::FromSocketAddress(mapped[f], want);
            NS_TEST_EXPECT_MSG_EQ((q[f].info.mappedRemote == want), true, family);
            NS_TEST_EXPECT_MSG_EQ(q[f].info.mappedRemote.addr.IsIpv4(), (f == 0), family);
            NS_TEST_EXPECT_MSG_EQ((want.port != 100), true, family);
        }
        NS_TEST_EXPECT_MSG_EQ(sent4, 1u, "the IPv4 query went over IPv4");
        NS_TEST_EXPECT_MSG_EQ(sent6, 1u, "the IPv6 query went over IPv6");
        Simulator::Destroy();
    }
};

/** The suite. */
class MtpPortMapperTestSuite : public TestSuite
{
  public:
    MtpPortMapperTestSuite()
        : TestSuite("mtp-portmap", TestSuite::Type::UNIT)
    {
        AddTestCase(new InitExitTest());
        AddTestCase(new RegisterTest());
        AddTestCase(new IdentityTest());
        AddTestCase(new AddRemoveTest());
        AddTestCase(new QueryTest(false));
        AddTestCase(new QueryTest(true));
        AddTestCase(new NoRemoteMappingTest());
        AddTestCase(new TimeoutTest(Seconds(10), 3));
        AddTestCase(new TimeoutTest(Seconds(2), 1));
        AddTestCase(new StopPendingTest());
        AddTestCase(new ReplayTest());
        AddTestCase(new MtpThroughMapperTest(false));
        AddTestCase(new MtpThroughMapperTest(true));
        AddTestCase(new Ipv6QueryTest());
        AddTestCase(new FamilyNotSupportedTest());
        AddTestCase(new DualStackTest());
        AddTestCase(new MalformedMessagesTest());
        AddTestCase(new TcpThroughMapperTest());
        AddTestCase(new ReservePortsTest());
    }
};

/// The instance.
MtpPortMapperTestSuite g_mtpPortMapperTestSuite;

} // namespace
