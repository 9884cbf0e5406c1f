/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of the monitor's clock-free logic: MtpByteRanges, the MTP RPC
 * shadow (which packets raise which events, the state machine, counters) and
 * the TCP connection shadow (handshake, data, retransmission, FIN/ACK close,
 * RST), each step checked against the exact event mask it must raise.
 */

#include "ns3/mtp-monitor-flow.h"
#include "ns3/tcp-header.h"

#include <gtest/gtest.h>

using namespace ns3;
namespace E = ns3::MtpMonitorEvent;

namespace
{

/// \return a DATA segment summary
MtpSegmentInfo
Data(bool fromClient, uint32_t length, uint32_t offset, uint32_t payload, bool rexmit = false)
{
    MtpSegmentInfo s;
    s.type = MtpPacketType::DATA;
    s.fromClient = fromClient;
    s.messageLength = length;
    s.offset = offset;
    s.payload = payload;
    s.retransmitFlag = rexmit;
    return s;
}

/// \return a control segment summary of `type`
MtpSegmentInfo
Control(MtpPacketType type, bool fromClient, uint32_t offset = 0, uint8_t prio = 0)
{
    MtpSegmentInfo s;
    s.type = type;
    s.fromClient = fromClient;
    s.offset = offset;
    s.priority = prio;
    return s;
}

TEST(MtpByteRanges, MergesAndCountsNewBytes)
{
    MtpByteRanges r;
    EXPECT_EQ(r.Add(0, 100), 100u);
    EXPECT_EQ(r.Add(200, 300), 100u);
    EXPECT_EQ(r.Intervals(), 2u);
    EXPECT_FALSE(r.Covers(300));
    EXPECT_EQ(r.Add(50, 250), 100u); // only 100..200 is new
    EXPECT_EQ(r.Intervals(), 1u);
    EXPECT_TRUE(r.Covers(300));
    EXPECT_EQ(r.Add(0, 300), 0u);
    EXPECT_EQ(r.Add(300, 300), 0u); // empty range
    EXPECT_EQ(r.Add(300, 301), 1u); // touching: merged
    EXPECT_EQ(r.Intervals(), 1u);
    EXPECT_EQ(r.Size(), 301u);
    EXPECT_TRUE(r.Covers(0));
}

/** One step of an RPC: a packet (or an ack) and the events and state it must give. */
struct RpcStep
{
    const char* what;        //!< description
    bool ack;                //!< feed OnAck instead of a packet
    MtpSegmentInfo seg;      //!< the packet
    MtpEventMask events;     //!< events expected
    MtpRpcShadowState state; //!< state expected after
};

TEST(MtpRpcShadow, EventsPerPacketTable)
{
    using S = MtpRpcShadowState;
    const MtpEventMask NEW = E::NEW_DATA;
    const MtpEventMask REX = E::RETRANSMISSION;
    const MtpEventMask SC = E::STATE_CHANGE;
    std::vector<RpcStep> steps = {
        {"request bytes 0-1000", false, Data(true, 3000, 0, 1000), NEW, S::REQUEST},
        {"grant to 3000", false, Control(MtpPacketType::GRANT, false, 3000, 5), 0, S::REQUEST},
        {"request 2000-3000 (gap)", false, Data(true, 3000, 2000, 1000), NEW, S::REQUEST},
        {"resend for 1000", false, Control(MtpPacketType::RESEND, false, 1000), 0, S::REQUEST},
        {"repeat 0-1000", false, Data(true, 3000, 0, 1000), REX, S::REQUEST},
        {"gap filled, flagged retransmit",
         false,
         Data(true, 3000, 1000, 1000, true),
         NEW | REX | SC,
         S::RESPONSE},
        {"busy from server", false, Control(MtpPacketType::BUSY, false), 0, S::RESPONSE},
        {"response 0-500 of 600", false, Data(false, 600, 0, 500), NEW, S::RESPONSE},
        {"response 500-600", false, Data(false, 600, 500, 100), NEW | SC, S::COMPLETED},
        {"need ack", false, Control(MtpPacketType::NEED_ACK, false), 0, S::COMPLETED},
        {"ack", true, {}, SC | E::FLOW_END, S::ENDED},
        {"second ack", true, {}, 0, S::ENDED},
    };
    MtpRpcShadow rpc;
    for (const RpcStep& s : steps)
    {
        MtpEventMask ev = s.ack ? rpc.OnAck() : rpc.OnPacket(s.seg);
        EXPECT_EQ(MtpEventMaskToString(ev), MtpEventMaskToString(s.events)) << s.what;
        EXPECT_EQ(rpc.Record().state, s.state) << s.what;
    }
    const MtpRpcRecord& r = rpc.Record();
    EXPECT_EQ(r.request.length, 3000u);
    EXPECT_EQ(r.request.bytesSeen, 3000u);
    EXPECT_EQ(r.request.bytesOnWire, 4000u);
    EXPECT_EQ(r.request.dataPackets, 4u);
    EXPECT_EQ(r.request.retransmits, 2u);
    EXPECT_EQ(r.request.grantedOffset, 3000u);
    EXPECT_EQ(r.request.grantPriority, 5u);
    EXPECT_EQ(r.request.grants, 1u);
    EXPECT_EQ(r.request.resends, 1u);
    EXPECT_TRUE(r.request.complete);
    EXPECT_EQ(r.response.length, 600u);
    EXPECT_EQ(r.response.bytesSeen, 600u);
    EXPECT_EQ(r.response.retransmits, 0u);
    EXPECT_EQ(r.busy, 1u);
    EXPECT_EQ(r.needAcks, 1u);
    EXPECT_TRUE(r.acked);
    EXPECT_EQ(r.packets, 10u);
    EXPECT_TRUE(rpc.Ended());
}

TEST(MtpRpcShadow, EmptyMessagesAndGrantMaximum)
{
    MtpRpcShadow rpc;
    // A one-packet request, then an empty response (a one-way message's answer).
    EXPECT_EQ(rpc.OnPacket(Data(true, 100, 0, 100)), E::NEW_DATA | E::STATE_CHANGE);
    EXPECT_EQ(rpc.OnPacket(Data(false, 0, 0, 0)), E::NEW_DATA | E::STATE_CHANGE);
    EXPECT_EQ(rpc.Record().state, MtpRpcShadowState::COMPLETED);
    // The same empty packet again is a retransmission, not new data.
    EXPECT_EQ(rpc.OnPacket(Data(false, 0, 0, 0)), E::RETRANSMISSION);
    // Grants keep their maximum; a lower one does not move it back.
    rpc.OnPacket(Control(MtpPacketType::GRANT, true, 5000));
    rpc.OnPacket(Control(MtpPacketType::GRANT, true, 4000));
    EXPECT_EQ(rpc.Record().response.grantedOffset, 5000u);
    EXPECT_EQ(rpc.Record().response.grants, 2u);
}

TEST(MtpRpcShadow, MalformedAndUnknown)
{
    MtpRpcShadow rpc;
    rpc.OnPacket(Data(true, 1000, 0, 500));
    // A segment claiming another length is noted; bytes past the first length are ignored.
    EXPECT_EQ(rpc.OnPacket(Data(true, 2000, 900, 600)), E::NEW_DATA);
    EXPECT_TRUE(rpc.Record().request.lengthMismatch);
    EXPECT_EQ(rpc.Record().request.bytesSeen, 600u);
    // RPC_UNKNOWN from the server: counted, the RPC goes on (the client restarts it).
    EXPECT_EQ(rpc.OnPacket(Control(MtpPacketType::RPC_UNKNOWN, false)), 0u);
    EXPECT_FALSE(rpc.Ended());
    // RPC_UNKNOWN from the client: the RPC is over.
    EXPECT_EQ(rpc.OnPacket(Control(MtpPacketType::RPC_UNKNOWN, true)),
              E::STATE_CHANGE | E::FLOW_END);
    EXPECT_EQ(rpc.Record().unknown, 2u);
    EXPECT_TRUE(rpc.Ended());
    // Nothing after the end raises a state change again.
    EXPECT_EQ(rpc.OnPacket(Data(false, 10, 0, 10)) & E::STATE_CHANGE, 0u);
}

/** One TCP segment and what it must give. */
struct TcpStep
{
    const char* what;        //!< description
    MtpTcpSegmentInfo seg;   //!< the segment
    MtpEventMask events;     //!< events expected
    MtpTcpShadowState state; //!< state expected after
};

/// \return a TCP segment summary
MtpTcpSegmentInfo
Seg(bool fromClient, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t payload = 0)
{
    return MtpTcpSegmentInfo{fromClient, flags, seq, ack, payload};
}

TEST(MtpTcpShadow, HandshakeDataCloseTable)
{
    using S = MtpTcpShadowState;
    const uint8_t SYN = TcpHeader::SYN;
    const uint8_t ACK = TcpHeader::ACK;
    const uint8_t FIN = TcpHeader::FIN;
    const MtpEventMask SC = E::STATE_CHANGE;
    // Client ISN 1000 (first byte 1001), server ISN 5000 (first byte 5001); near-wrap
    // sequence numbers are covered by the second run below.
    auto run = [&](uint32_t c, uint32_t s) {
        std::vector<TcpStep> steps = {
            {"SYN", Seg(true, SYN, c, 0), 0, S::SYN_SENT},
            {"SYN again", Seg(true, SYN, c, 0), E::RETRANSMISSION, S::SYN_SENT},
            {"SYN+ACK", Seg(false, SYN | ACK, s, c + 1), SC, S::SYN_RCVD},
            {"ACK", Seg(true, ACK, c + 1, s + 1), SC, S::ESTABLISHED},
            {"data 0-100", Seg(true, ACK, c + 1, s + 1, 100), E::NEW_DATA, S::ESTABLISHED},
            {"data 100-200", Seg(true, ACK, c + 101, s + 1, 100), E::NEW_DATA, S::ESTABLISHED},
            {"data 0-100 again",
             Seg(true, ACK, c + 1, s + 1, 100),
             E::RETRANSMISSION,
             S::ESTABLISHED},
            {"data 150-250 (half new)",
             Seg(true, ACK, c + 151, s + 1, 100),
             E::NEW_DATA | E::RETRANSMISSION,
             S::ESTABLISHED},
            {"server data 0-50", Seg(false, ACK, s + 1, c + 251, 50), E::NEW_DATA, S::ESTABLISHED},
            {"client FIN", Seg(true, FIN | ACK, c + 251, s + 51), SC, S::CLOSING},
            {"client FIN again",
             Seg(true, FIN | ACK, c + 251, s + 51),
             E::RETRANSMISSION,
             S::CLOSING},
            {"server FIN+ACK", Seg(false, FIN | ACK, s + 51, c + 252), SC, S::LAST_ACK},
            {"last ACK", Seg(true, ACK, c + 252, s + 52), SC | E::FLOW_END, S::CLOSED},
            {"after close", Seg(true, ACK, c + 252, s + 52), 0, S::CLOSED},
        };
        MtpTcpShadow tcp;
        for (const TcpStep& st : steps)
        {
            EXPECT_EQ(MtpEventMaskToString(tcp.OnSegment(st.seg)), MtpEventMaskToString(st.events))
                << st.what;
            EXPECT_EQ(tcp.Record().state, st.state) << st.what;
        }
        EXPECT_EQ(tcp.Record().bytes[0], 250u);
        EXPECT_EQ(tcp.Record().bytes[1], 50u);
        EXPECT_EQ(tcp.Record().retransmits[0], 4u); // SYN, data twice, FIN
        EXPECT_TRUE(tcp.Ended());
    };
    run(1000, 5000);
    run(0xFFFFFFC0u, 0xFFFFFFFEu); // sequence numbers wrap during the connection
}

TEST(MtpTcpShadow, ResetEndsAtOnce)
{
    MtpTcpShadow tcp;
    tcp.OnSegment(Seg(true, TcpHeader::SYN, 7, 0));
    EXPECT_EQ(tcp.OnSegment(Seg(false, TcpHeader::RST | TcpHeader::ACK, 0, 8)),
              E::STATE_CHANGE | E::FLOW_END);
    EXPECT_EQ(tcp.Record().state, MtpTcpShadowState::RESET);
    EXPECT_TRUE(tcp.Ended());
}

TEST(MtpTcpShadow, StreamOffsetsNeedTheSynAndUnwrap)
{
    MtpTcpShadow tcp;
    uint64_t off = 99;
    EXPECT_FALSE(tcp.HasIsn(true));
    EXPECT_FALSE(tcp.StreamOffset(true, 1234, off)); // nothing seen: no offset
    EXPECT_EQ(off, 99u);
    const uint32_t c = 0xF0000000u; // client ISN: the stream wraps 2^32 early
    tcp.OnSegment(Seg(true, TcpHeader::SYN, c, 0));
    EXPECT_TRUE(tcp.HasIsn(true));
    EXPECT_FALSE(tcp.HasIsn(false)); // the server's SYN+ACK is not seen
    EXPECT_FALSE(tcp.StreamOffset(false, 1, off));
    EXPECT_FALSE(tcp.StreamOffset(true, c, off)); // the SYN's own number is no data byte
    ASSERT_TRUE(tcp.StreamOffset(true, c + 1, off));
    EXPECT_EQ(off, 0u);
    // Five 1 GiB segments: the stream passes 4 GiB and sequence numbers repeat.
    const uint32_t gib = 1u << 30;
    for (uint32_t k = 0; k < 5; ++k)
    {
        tcp.OnSegment(Seg(true, TcpHeader::ACK, c + 1 + k * gib, 0, gib));
    }
    EXPECT_EQ(tcp.Record().bytes[0], 5ull * gib);
    ASSERT_TRUE(tcp.StreamOffset(true, c + 1 + 5 * gib, off)); // the next byte
    EXPECT_EQ(off, 5ull * gib);
    ASSERT_TRUE(tcp.StreamOffset(true, c + 1 + 4 * gib + 7, off)); // a retransmitted byte
    EXPECT_EQ(off, 4ull * gib + 7);
    // Its sequence number equals that of byte 7 (2^32 back): it counts as repeated.
    EXPECT_EQ(tcp.OnSegment(Seg(true, TcpHeader::ACK, c + 8, 0, 10)), E::RETRANSMISSION);
    EXPECT_EQ(tcp.Record().bytes[0], 5ull * gib);
}

TEST(MtpMonitorEvents, MaskNames)
{
    EXPECT_EQ(MtpEventMaskToString(0), "NONE");
    EXPECT_EQ(MtpEventMaskToString(E::FLOW_START | E::TIMEOUT), "FLOW_START|TIMEOUT");
    EXPECT_EQ(MtpEventMaskToString(MtpEventMask(1) << 33), "USER33");
}

TEST(MtpFlowKey, OrderAndPrint)
{
    MtpFlowKey a;
    a.protocol = 146;
    a.client = Ipv6Address::MakeIpv4MappedAddress(Ipv4Address("10.0.0.1"));
    a.clientPort = 40000;
    a.server = Ipv6Address::MakeIpv4MappedAddress(Ipv4Address("10.0.0.2"));
    a.serverPort = 99;
    a.rpcId = 6;
    MtpFlowKey b = a;
    EXPECT_TRUE(a == b);
    b.rpcId = 8;
    EXPECT_TRUE(a < b);
    EXPECT_FALSE(b < a);
    std::ostringstream os;
    os << a;
    EXPECT_EQ(os.str(), "10.0.0.1:40000->10.0.0.2:99#6");
}

} // namespace
