/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fault-injection and inspection scaffolding shared by the MTP system
 * suites that drive MtpL4Protocol directly or through lossy links: error
 * models (a burst of consecutive drops, a drop filter on MTP packet
 * fields), a packet injector that stands in for IP, trace logs, and a run
 * that must end by itself.  Not a test suite itself.
 */

#ifndef MTP_TEST_FAULTS_H
#define MTP_TEST_FAULTS_H

#include "mtp-test-util.h"

#include "ns3/error-model.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-interface.h"
#include "ns3/pointer.h"
#include "ns3/ppp-header.h"

#include <array>
#include <functional>
#include <memory>

namespace ns3
{
namespace mtptest
{

/** \return the MTP instance of a node */
inline Ptr<MtpL4Protocol>
MtpOf(Ptr<Node> node)
{
    return node->GetObject<MtpL4Protocol>();
}

/** \return the sum of a counter array */
template <std::size_t N>
uint64_t
Sum(const std::array<uint64_t, N>& a)
{
    uint64_t s = 0;
    for (uint64_t v : a)
    {
        s += v;
    }
    return s;
}

/** \return the MTP packet type index of a metrics array */
inline int
Ix(MtpPacketType t)
{
    return MtpMetrics::TypeIndex(t);
}

/** \return the drop count of one reason */
inline uint64_t
Drops(Ptr<MtpL4Protocol> mtp, MtpDropReason r)
{
    return mtp->GetMetrics().drops[static_cast<int>(r)];
}

/** \return a header serialized into a packet, followed by `payload` zero bytes */
inline Ptr<Packet>
WithHeader(const Header& h, uint32_t payload = 0)
{
    Ptr<Packet> p = Create<Packet>(payload);
    p->AddHeader(h);
    return p;
}

/** \return the host part of an InetSocketAddress / Inet6SocketAddress */
inline MtpAddress
HostOf(const Address& a)
{
    MtpAddress host;
    uint16_t port;
    MtpAddress::FromSocketAddress(a, host, port);
    return host;
}

/**
 * Everything an MtpL4Protocol reports through its trace sources, with times.
 */
struct TraceLog
{
    std::vector<MtpDropReason> drops;              //!< Drop trace, in order
    std::vector<std::pair<Time, MtpError>> aborts; //!< Abort trace
    std::vector<Time> resends;                     //!< Resend trace
    Time lastLiveRx = Seconds(-1);             //!< last received packet that proves the peer alive
    Time lastDataTx = Seconds(-1);             //!< last DATA packet sent
    std::map<MtpPacketType, uint32_t> rxTypes; //!< received packets per type

    /** Connect to every trace source of `mtp`. */
    void Connect(Ptr<MtpL4Protocol> mtp)
    {
        mtp->TraceConnectWithoutContext("Drop", MakeCallback(&TraceLog::OnDrop, this));
        mtp->TraceConnectWithoutContext("Abort", MakeCallback(&TraceLog::OnAbort, this));
        mtp->TraceConnectWithoutContext("Resend", MakeCallback(&TraceLog::OnResend, this));
        mtp->TraceConnectWithoutContext("Rx", MakeCallback(&TraceLog::OnRx, this));
        mtp->TraceConnectWithoutContext("Tx", MakeCallback(&TraceLog::OnTx, this));
    }

    /** Drop trace sink. */
    void OnDrop(Ptr<const Packet>, MtpDropReason r)
    {
        drops.push_back(r);
    }

    /** Abort trace sink. */
    void OnAbort(uint64_t, MtpError e)
    {
        aborts.emplace_back(Simulator::Now(), e);
    }

    /** Resend trace sink. */
    void OnResend(uint64_t, uint32_t, uint32_t, uint8_t)
    {
        resends.push_back(Simulator::Now());
    }

    /** Rx trace sink. */
    void OnRx(Ptr<const Packet> p, const Address&, uint8_t)
    {
        MtpHeader h;
        MtpHeader::Peek(p, h);
        ++rxTypes[h.GetType()];
        // CUTOFFS and FREEZE name no RPC: they do not reset its silence.
        if (h.GetType() != MtpPacketType::CUTOFFS && h.GetType() != MtpPacketType::FREEZE)
        {
            lastLiveRx = Simulator::Now();
        }
    }

    /** Tx trace sink. */
    void OnTx(Ptr<const Packet> p, const Address&, uint8_t)
    {
        MtpHeader h;
        if (MtpHeader::Peek(p, h) == MtpDropReason::NONE && h.GetType() == MtpPacketType::DATA)
        {
            lastDataTx = Simulator::Now();
        }
    }
};

/** Counts what a socket queued for its application, per RPC id. */
struct DeliveryLog
{
    std::map<uint64_t, uint32_t> count; //!< entries per id (messages and failures)

    /** Connect to the socket's Deliver trace. */
    void Connect(Ptr<MtpSocket> s)
    {
        s->TraceConnectWithoutContext("Deliver", MakeCallback(&DeliveryLog::OnDeliver, this));
    }

    /** Deliver trace sink. */
    void OnDeliver(Ptr<const Packet>, const MtpRecvInfo& info)
    {
        ++count[info.id];
    }
};

/**
 * Runs the simulation and checks that it ends by itself: at `quietAt` every
 * MTP instance must hold no RPC, and its tick must not run any more (checked
 * over 100 ms).  If a tick still runs, the simulation is stopped (so a broken
 * implementation fails the test instead of hanging it).
 * \return true if the ticks had stopped
 */
inline bool
RunUntilQuiet(const std::vector<Ptr<MtpL4Protocol>>& mtps, Time quietAt)
{
    auto ticks = std::make_shared<std::vector<uint64_t>>();
    auto quiet = std::make_shared<bool>(true);
    Simulator::Schedule(quietAt, [mtps, ticks]() {
        for (auto& m : mtps)
        {
            ticks->push_back(m->GetMetrics().ticks);
        }
    });
    Simulator::Schedule(quietAt + MilliSeconds(100), [mtps, ticks, quiet]() {
        for (std::size_t i = 0; i < mtps.size(); ++i)
        {
            if (mtps[i]->GetMetrics().ticks != (*ticks)[i] || mtps[i]->GetLiveRpcCount() != 0)
            {
                *quiet = false;
            }
        }
        if (!*quiet)
        {
            Simulator::Stop();
        }
    });
    Simulator::Run();
    return *quiet;
}

/** Every MTP instance of a Network (clients and server). */
inline std::vector<Ptr<MtpL4Protocol>>
AllMtp(const Network& net)
{
    std::vector<Ptr<MtpL4Protocol>> v;
    for (uint32_t i = 0; i < net.clients.GetN(); ++i)
    {
        v.push_back(MtpOf(net.clients.Get(i)));
    }
    v.push_back(MtpOf(net.server));
    return v;
}

/** Hands hand-made MTP packets to a node's MtpL4Protocol as IP would. */
struct Injector
{
    Ptr<MtpL4Protocol> mtp; //!< the receiver
    MtpAddress src;         //!< IP source
    MtpAddress dst;         //!< IP destination

    /** \return what Receive returned */
    IpL4Protocol::RxStatus Inject(Ptr<Packet> p) const
    {
        if (src.IsIpv4())
        {
            Ipv4Header ip;
            ip.SetSource(src.GetIpv4());
            ip.SetDestination(dst.GetIpv4());
            ip.SetProtocol(MtpL4Protocol::DEFAULT_PROT_NUMBER);
            ip.SetPayloadSize(p->GetSize());
            return mtp->Receive(p, ip, Ptr<Ipv4Interface>());
        }
        Ipv6Header ip;
        ip.SetSource(src.GetIpv6());
        ip.SetDestination(dst.GetIpv6());
        ip.SetNextHeader(MtpL4Protocol::DEFAULT_PROT_NUMBER);
        ip.SetPayloadLength(p->GetSize());
        return mtp->Receive(p, ip, Ptr<Ipv6Interface>());
    }
};

// ---------------------------------------------------------------------------
// Error models
// ---------------------------------------------------------------------------

/**
 * Drops exactly `count` consecutive packets starting at the packet with
 * index `first` (0-based, counted over every packet the model sees while
 * enabled).
 */
class BurstDropModel : public ErrorModel
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::MtpTestBurstDropModel")
                                .SetParent<ErrorModel>()
                                .SetGroupName("Mtp")
                                .AddConstructor<BurstDropModel>();
        return tid;
    }

    uint32_t first = 0;   //!< index of the first packet dropped
    uint32_t count = 0;   //!< packets dropped
    uint32_t seen = 0;    //!< packets seen
    uint32_t dropped = 0; //!< packets dropped so far

  private:
    bool DoCorrupt(Ptr<Packet>) override
    {
        // ErrorModel::IsCorrupt leaves the enabled check to the subclass.
        if (!IsEnabled())
        {
            return false;
        }
        uint32_t i = seen++;
        bool drop = i >= first && i - first < count;
        dropped += drop ? 1 : 0;
        return drop;
    }

    void DoReset() override
    {
        seen = 0;
        dropped = 0;
    }
};

/**
 * Looks inside point-to-point frames and drops the MTP packets a predicate
 * selects (the predicate sees the common header and the MTP packet).
 */
class MtpFilterModel : public ErrorModel
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::MtpTestFilterModel")
                                .SetParent<ErrorModel>()
                                .SetGroupName("Mtp")
                                .AddConstructor<MtpFilterModel>();
        return tid;
    }

    /// Decides whether to drop an MTP packet.
    std::function<bool(const MtpHeader&, Ptr<const Packet>)> select;
    uint32_t dropped = 0; //!< packets dropped

  private:
    bool DoCorrupt(Ptr<Packet> frame) override
    {
        if (!IsEnabled())
        {
            return false;
        }
        Ptr<Packet> p = frame->Copy();
        PppHeader ppp;
        p->RemoveHeader(ppp);
        if (ppp.GetProtocol() == 0x0021)
        {
            Ipv4Header ip;
            p->RemoveHeader(ip);
            if (ip.GetProtocol() != MtpL4Protocol::DEFAULT_PROT_NUMBER)
            {
                return false;
            }
        }
        else if (ppp.GetProtocol() == 0x0057)
        {
            Ipv6Header ip;
            p->RemoveHeader(ip);
            if (ip.GetNextHeader() != MtpL4Protocol::DEFAULT_PROT_NUMBER)
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        MtpHeader h;
        if (MtpHeader::Peek(p, h) != MtpDropReason::NONE || !select || !select(h, p))
        {
            return false;
        }
        ++dropped;
        return true;
    }

    void DoReset() override
    {
        dropped = 0;
    }
};

/** Put `model` on both devices of the server's link (both directions). */
inline void
SetServerLinkErrorModel(Network& net, Ptr<ErrorModel> toServer, Ptr<ErrorModel> fromServer)
{
    // serverLink[0] is the server's device (receives router -> server),
    // serverLink[1] the router's (receives server -> router).
    net.serverLink.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(toServer));
    net.serverLink.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(fromServer));
}

} // namespace mtptest
} // namespace ns3

#endif /* MTP_TEST_FAULTS_H */
