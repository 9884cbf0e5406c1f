/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpL4Protocol, receive side: packets from IPv4 and IPv6 (checksum and
 * common-header validation, socket lookup by destination port, the host
 * path, then the socket's stack), acks naming server RPCs, drops, and the
 * ICMP errors that abort RPCs to an unreachable port, host or protocol.
 */

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-interface.h"
#include "ns3/log.h"
#include "ns3/mtp-host-path.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-socket.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpL4ProtocolRx");

namespace
{

// ICMP codes by number: the enumerators' spelling differs between ns-3 releases.
constexpr uint8_t ICMPV4_DEST_UNREACH = 3;
constexpr uint8_t ICMPV4_NET_UNREACH = 0;
constexpr uint8_t ICMPV4_HOST_UNREACH = 1;
constexpr uint8_t ICMPV4_PROTO_UNREACH = 2;
constexpr uint8_t ICMPV4_PORT_UNREACH = 3;
constexpr uint8_t ICMPV6_DEST_UNREACH = 1;
constexpr uint8_t ICMPV6_NO_ROUTE = 0;
constexpr uint8_t ICMPV6_ADDR_UNREACH = 3;
constexpr uint8_t ICMPV6_PORT_UNREACH = 4;
constexpr uint8_t ICMPV6_PARAM_PROBLEM = 4;
constexpr uint8_t ICMPV6_UNKNOWN_NEXT_HEADER = 1;

} // namespace

IpL4Protocol::RxStatus
MtpL4Protocol::Receive(Ptr<Packet> p,
                       const Ipv4Header& header,
                       Ptr<Ipv4Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header);
    MtpRxContext ctx{MtpAddress(header.GetSource()),
                     MtpAddress(header.GetDestination()),
                     static_cast<uint8_t>(header.GetTos() >> 5),
                     MtpPseudoHeader(header.GetSource(), header.GetDestination())};
    return ReceiveViaHost(p, ctx);
}

IpL4Protocol::RxStatus
MtpL4Protocol::Receive(Ptr<Packet> p,
                       const Ipv6Header& header,
                       Ptr<Ipv6Interface> incomingInterface)
{
    NS_LOG_FUNCTION(this << p << header);
    MtpRxContext ctx{MtpAddress(header.GetSource()),
                     MtpAddress(header.GetDestination()),
                     static_cast<uint8_t>(header.GetTrafficClass() >> 5),
                     MtpPseudoHeader(header.GetSource(), header.GetDestination())};
    return ReceiveViaHost(p, ctx);
}

IpL4Protocol::RxStatus
MtpL4Protocol::ReceiveViaHost(Ptr<Packet> p, const MtpRxContext& ctx)
{
    // First, so that no byte of a corrupted packet is believed (not even its port), and
    // at no host cost, as a NIC that checks checksums drops it.
    if (IsChecksumEnabled() && !MtpHeader::IsChecksumValid(p, ctx.pseudo))
    {
        Drop(p, MtpDropReason::BAD_CHECKSUM);
        return IpL4Protocol::RX_OK;
    }
    MtpHeader common;
    MtpDropReason reason = MtpHeader::Peek(p, common);
    if (reason != MtpDropReason::NONE)
    {
        Drop(p, reason);
        return IpL4Protocol::RX_OK;
    }
    // A packet for a port no open socket holds is refused now, whatever the
    // host: IP answers it with ICMP port unreachable.
    MtpSocket* socket = FindSocket(common.GetDestinationPort());
    if (!socket || socket->Rpcs().IsShutdown())
    {
        Drop(p, socket ? MtpDropReason::SOCKET_SHUTDOWN : MtpDropReason::NO_SOCKET);
        return IpL4Protocol::RX_ENDPOINT_UNREACH;
    }
    MtpHostRxPacket info;
    info.src = ctx.src;
    info.dst = ctx.dst;
    info.sport = common.GetSourcePort();
    info.dport = common.GetDestinationPort();
    info.senderId = common.GetSenderId();
    info.type = common.GetType();
    // The closure holds the ports, not the header: copying a Header object per
    // packet costs more than the rest of the closure.
    Ptr<MtpL4Protocol> self(this);
    m_hostPath->Receive(info, p, [self, p, ctx, sport = info.sport, dport = info.dport]() {
        self->ReceiveCommon(p, ctx, sport, dport);
    });
    return IpL4Protocol::RX_OK;
}

void
MtpL4Protocol::Drop(Ptr<const Packet> p, MtpDropReason reason)
{
    NS_LOG_LOGIC("drop " << MtpDropReasonName(reason));
    ++m_metrics.drops[static_cast<int>(reason)];
    m_dropTrace(p, reason);
}

void
MtpL4Protocol::ReceiveCommon(Ptr<Packet> p, const MtpRxContext& ctx, uint16_t sport, uint16_t dport)
{
    // Checked again: the socket may have closed while the host worked.
    MtpSocket* socket = FindSocket(dport);
    if (!socket || socket->Rpcs().IsShutdown())
    {
        Drop(p, socket ? MtpDropReason::SOCKET_SHUTDOWN : MtpDropReason::NO_SOCKET);
        return;
    }
    if (!m_rxTrace.IsEmpty()) // the address is built only for a listener
    {
        m_rxTrace(p, ctx.src.ToSocketAddress(sport), ctx.priority);
    }
    socket->GetStack()->Receive(p, ctx, *socket);
}

void
MtpL4Protocol::ProcessAck(const MtpAddress& from, const MtpAck& ack)
{
    if (ack.clientId == 0)
    {
        return;
    }
    MtpSocket* socket = FindSocket(ack.serverPort);
    if (!socket)
    {
        return;
    }
    if ((ack.clientId & 1) != 0)
    {
        // A one-way ack: the receiver names its own (odd) id; ours is even.
        Ptr<MtpRpc> rpc = socket->Rpcs().FindClient(ack.clientId ^ 1);
        if (rpc && rpc->peer->GetAddress() == from)
        {
            socket->GetStack()->ProcessOneWayAck(rpc);
        }
        return;
    }
    Ptr<MtpRpc> rpc = socket->Rpcs().FindServer(from, ack.clientId | 1);
    if (rpc)
    {
        socket->GetStack()->ProcessAck(rpc);
    }
}

// ---------------------------------------------------------------------------
// ICMP
// ---------------------------------------------------------------------------

void
MtpL4Protocol::ReceiveIcmp(Ipv4Address icmpSource,
                           uint8_t icmpTtl,
                           uint8_t icmpType,
                           uint8_t icmpCode,
                           uint32_t icmpInfo,
                           Ipv4Address payloadSource,
                           Ipv4Address payloadDestination,
                           const uint8_t payload[8])
{
    NS_LOG_FUNCTION(this << icmpSource << int(icmpType) << int(icmpCode) << payloadDestination);
    if (icmpType != ICMPV4_DEST_UNREACH)
    {
        return;
    }
    MtpAddress dst(payloadDestination);
    switch (icmpCode)
    {
    case ICMPV4_PORT_UNREACH:
        HandleIcmpError(dst, payload, MtpError::NOTCONN, true);
        break;
    case ICMPV4_PROTO_UNREACH:
        HandleIcmpError(dst, payload, MtpError::PROTONOSUPPORT, false);
        break;
    case ICMPV4_NET_UNREACH:
    case ICMPV4_HOST_UNREACH:
        HandleIcmpError(dst, payload, MtpError::HOSTUNREACH, false);
        break;
    default:
        break;
    }
}

void
MtpL4Protocol::ReceiveIcmp(Ipv6Address icmpSource,
                           uint8_t icmpTtl,
                           uint8_t icmpType,
                           uint8_t icmpCode,
                           uint32_t icmpInfo,
                           Ipv6Address payloadSource,
                           Ipv6Address payloadDestination,
                           const uint8_t payload[8])
{
    NS_LOG_FUNCTION(this << icmpSource << int(icmpType) << int(icmpCode) << payloadDestination);
    MtpAddress dst(payloadDestination);
    if (icmpType == ICMPV6_DEST_UNREACH)
    {
        if (icmpCode == ICMPV6_PORT_UNREACH)
        {
            HandleIcmpError(dst, payload, MtpError::NOTCONN, true);
        }
        else if (icmpCode == ICMPV6_NO_ROUTE || icmpCode == ICMPV6_ADDR_UNREACH)
        {
            HandleIcmpError(dst, payload, MtpError::HOSTUNREACH, false);
        }
    }
    else if (icmpType == ICMPV6_PARAM_PROBLEM && icmpCode == ICMPV6_UNKNOWN_NEXT_HEADER)
    {
        HandleIcmpError(dst, payload, MtpError::PROTONOSUPPORT, false);
    }
}

void
MtpL4Protocol::HandleIcmpError(const MtpAddress& dst,
                               const uint8_t payload[8],
                               MtpError error,
                               bool portOnly)
{
    // The quoted MTP header starts with the source and destination ports.
    uint16_t dport = static_cast<uint16_t>((payload[2] << 8) | payload[3]);
    AbortPeerRpcs(dst, portOnly ? dport : 0, error);
}

void
MtpL4Protocol::AbortPeerRpcs(const MtpAddress& host, uint16_t port, MtpError error)
{
    std::vector<Ptr<MtpSocket>> sockets = m_sockets;
    for (auto& s : sockets)
    {
        for (auto& rpc : s->Rpcs().GetAll())
        {
            if (rpc->state == MtpRpc::State::DEAD || !(rpc->peer->GetAddress() == host))
            {
                continue;
            }
            if (port != 0 && rpc->peerPort != port)
            {
                continue;
            }
            ++m_metrics.icmpAborts;
            s->GetStack()->AbortRpc(rpc, error);
        }
    }
    auto it = m_peers.find(host);
    if (it != m_peers.end())
    {
        it->second->route4 = nullptr;
        it->second->route6 = nullptr;
    }
}

} // namespace ns3
