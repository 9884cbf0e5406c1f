/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The clock-free part of the passive monitor: the event bits (mOS' set), the
 * flow key, and the shadow state machines a stream monitor keeps per MTP RPC
 * and per TCP connection, rebuilt only from the headers that cross a node.
 *
 * What these classes hide: how an MTP RPC is recognized from either
 * direction (the sender_id parity says who sent a packet), which bytes of a
 * message were already seen (an interval set, so retransmitted bytes are told
 * from new ones), and the TCP connection state as a middlebox infers it from
 * flags, sequence and acknowledgement numbers.  They know nothing of ns-3's
 * clock, nodes or traces, so GoogleTest drives them directly
 * (test/monitor/mtp-monitor-flow-gtest.cc); MtpMonitor feeds them.
 */

#ifndef MTP_MONITOR_FLOW_H
#define MTP_MONITOR_FLOW_H

#include "ns3/ipv6-address.h"
#include "ns3/mtp-header.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup mtp-monitor
 * \brief A set of monitor events, one bit each (mOS' event mask).  Bits 0-7 are the
 *        built-in events (MtpMonitorEvent); MtpMonitor::DefineEvent hands out bits
 *        32-63 for user-defined events.
 */
using MtpEventMask = uint64_t;

/**
 * \ingroup mtp-monitor
 * \brief The built-in monitor events, with mOS' meanings (MOS_ON_*).
 */
namespace MtpMonitorEvent
{
/** Every packet the monitor sees (raw and stream monitors; MOS_ON_PKT_IN). */
constexpr MtpEventMask PACKET_IN = 1u << 0;
/** First packet of a flow the monitor did not know (MOS_ON_CONN_START). */
constexpr MtpEventMask FLOW_START = 1u << 1;
/** A packet carried message or stream bytes not seen before (MOS_ON_CONN_NEW_DATA). */
constexpr MtpEventMask NEW_DATA = 1u << 2;
/** The flow's shadow state changed (MOS_ON_TCP_STATE_CHANGE). */
constexpr MtpEventMask STATE_CHANGE = 1u << 3;
/** A packet that belongs to no flow the monitor knows (MOS_ON_ORPHAN). */
constexpr MtpEventMask ORPHAN = 1u << 4;
/** A packet carried bytes seen before, or says it is a retransmission (MOS_ON_REXMIT). */
constexpr MtpEventMask RETRANSMISSION = 1u << 5;
/** The flow ended: RPC acknowledged or forgotten, TCP closed or reset (MOS_ON_CONN_END). */
constexpr MtpEventMask FLOW_END = 1u << 6;
/** The flow was idle for MtpMonitor's IdleTimeout and is dropped (MOS_ON_TIMEOUT). */
constexpr MtpEventMask TIMEOUT = 1u << 7;
/** Every built-in event. */
constexpr MtpEventMask ALL_BUILTIN = 0xFF;
/** The first bit DefineEvent hands out for a user-defined event. */
constexpr unsigned FIRST_USER_BIT = 32;
} // namespace MtpMonitorEvent

/**
 * \ingroup mtp-monitor
 * \brief The names of the events in a mask, joined by '|' ("FLOW_START|NEW_DATA"); user
 *        events print as "USER<bit>".
 * \param mask the events
 * \return the names; "NONE" for an empty mask
 */
std::string MtpEventMaskToString(MtpEventMask mask);

/**
 * \ingroup mtp-monitor
 * \brief The identity of a monitored flow.  Addresses are IPv6 (an IPv4 address is held
 *        IPv4-mapped), so one key type serves both families.  For MTP the client is the
 *        side whose RPC ids are even and `rpcId` is the client's (even) id; for TCP the
 *        client is the side that sent the first SYN and rpcId is 0.
 */
struct MtpFlowKey
{
    uint8_t protocol = 0;    //!< IP protocol number (MTP's or 6 for TCP)
    Ipv6Address client;      //!< client address (IPv4-mapped for IPv4)
    uint16_t clientPort = 0; //!< client port
    Ipv6Address server;      //!< server address (IPv4-mapped for IPv4)
    uint16_t serverPort = 0; //!< server port
    uint64_t rpcId = 0;      //!< MTP: the client's RPC id; TCP: 0
};

/**
 * \brief Strict order on keys, so they can index a std::map.
 * \param a one key
 * \param b another key
 * \return true if a sorts before b
 */
bool operator<(const MtpFlowKey& a, const MtpFlowKey& b);
/**
 * \brief Equality of every field.
 * \param a one key
 * \param b another key
 * \return true if equal
 */
bool operator==(const MtpFlowKey& a, const MtpFlowKey& b);
/**
 * \brief Print "client:port->server:port#id" with IPv4 addresses in dotted form.
 * \param os the stream
 * \param k the key
 * \return os
 */
std::ostream& operator<<(std::ostream& os, const MtpFlowKey& k);
/**
 * \ingroup mtp-monitor
 * \brief An address as a key holds it, printed in its own family (dotted IPv4 when
 *        IPv4-mapped).
 * \param a the address
 * \return the text
 */
std::string MtpMonitorAddressString(const Ipv6Address& a);

/**
 * \ingroup mtp-monitor
 * \brief The bytes of a message (or stream direction) seen so far, as disjoint
 *        half-open intervals, so that new bytes can be told from retransmitted ones.
 */
class MtpByteRanges
{
  public:
    /**
     * \brief Add [begin, end).
     * \param begin first byte
     * \param end one past the last byte
     * \return how many of those bytes were not in the set before
     */
    uint64_t Add(uint64_t begin, uint64_t end);
    /**
     * \brief Total bytes in the set.
     * \return the count
     */
    uint64_t Size() const;
    /**
     * \brief Whether [0, length) is all in the set.
     * \param length the message length
     * \return true if every byte below length was seen
     */
    bool Covers(uint64_t length) const;
    /**
     * \brief How many disjoint intervals the set holds (a gap shows as two).
     * \return the count
     */
    size_t Intervals() const;

  private:
    std::map<uint64_t, uint64_t> m_ranges; //!< begin -> end, disjoint and not touching
    uint64_t m_size = 0;                   //!< total bytes, kept with every Add
};

/**
 * \ingroup mtp-monitor
 * \brief What one MTP packet tells a shadow: the fields of its headers that matter, in
 *        a form that needs no ns-3 packet (MtpMonitor fills it; tests build it).
 */
struct MtpSegmentInfo
{
    MtpPacketType type = MtpPacketType::DATA; //!< packet type
    bool fromClient = true;                   //!< sender_id even: the client sent it
    uint32_t messageLength = 0;               //!< DATA: message_length
    uint32_t offset = 0;                      //!< DATA, GRANT, RESEND: offset
    uint32_t payload = 0;                     //!< DATA: bytes of message data carried
    bool retransmitFlag = false;              //!< DATA: retransmit byte set
    uint32_t resendLength = 0;                //!< RESEND: length (LENGTH_ALL: all)
    uint8_t priority = 0;                     //!< GRANT/RESEND: priority field; else IP's
};

/**
 * \ingroup mtp-monitor
 * \brief The state of an MTP RPC as a monitor infers it.
 */
enum class MtpRpcShadowState : uint8_t
{
    REQUEST,   //!< request bytes are under way, not all seen
    RESPONSE,  //!< the request was seen whole (or the response began): awaiting response
    COMPLETED, //!< the response was seen whole: the server holds the RPC until an ACK
    ENDED,     //!< acknowledged by the client or forgotten (RPC_UNKNOWN from the client)
};

/**
 * \brief Name of a shadow RPC state ("REQUEST" ...).
 * \param s the state
 * \return the name
 */
std::string MtpRpcShadowStateName(MtpRpcShadowState s);

/**
 * \ingroup mtp-monitor
 * \brief One direction of an RPC (request or response) as seen by the monitor.
 */
struct MtpMessageShadow
{
    bool lengthKnown = false;    //!< a DATA packet of this message was seen
    uint32_t length = 0;         //!< message_length from the first DATA packet seen
    uint64_t bytesSeen = 0;      //!< distinct message bytes seen
    uint64_t bytesOnWire = 0;    //!< message bytes seen, duplicates included
    uint32_t dataPackets = 0;    //!< DATA packets seen
    uint32_t retransmits = 0;    //!< DATA packets that repeated bytes or had retransmit set
    uint32_t grantedOffset = 0;  //!< highest GRANT offset seen for this message
    uint32_t grants = 0;         //!< GRANT packets seen for this message
    uint32_t resends = 0;        //!< RESEND packets seen asking for this message's bytes
    uint8_t lastPriority = 0;    //!< priority of the last DATA packet (from IP DSCP)
    uint8_t grantPriority = 0;   //!< priority field of the last GRANT
    bool lengthMismatch = false; //!< a later DATA packet named another message_length
    bool complete = false;       //!< every byte of [0, length) was seen
};

/**
 * \ingroup mtp-monitor
 * \brief The per-RPC record: what a monitor knows of one MTP RPC (copied into events
 *        and written as CSV).
 */
struct MtpRpcRecord
{
    MtpRpcShadowState state = MtpRpcShadowState::REQUEST; //!< current state
    MtpMessageShadow request;                             //!< client -> server message
    MtpMessageShadow response;                            //!< server -> client message
    uint32_t packets = 0;                                 //!< packets of this RPC seen (all types)
    uint32_t busy = 0;                                    //!< BUSY packets seen
    uint32_t unknown = 0;                                 //!< RPC_UNKNOWN packets seen
    uint32_t needAcks = 0;                                //!< NEED_ACK packets seen
    bool acked = false; //!< an ACK (packet or piggybacked) named this RPC
};

/**
 * \ingroup mtp-monitor
 * \brief The shadow of one MTP RPC: feeds packets into an MtpRpcRecord and says which
 *        events each one raises.
 */
class MtpRpcShadow
{
  public:
    /**
     * \brief Account one packet of this RPC (not ACK packets: see OnAck).
     * \param seg what the packet says
     * \return the events it raises among NEW_DATA, RETRANSMISSION, STATE_CHANGE,
     *         FLOW_END (PACKET_IN and FLOW_START are the monitor's to add)
     */
    MtpEventMask OnPacket(const MtpSegmentInfo& seg);
    /**
     * \brief The client acknowledged the RPC (ACK packet or piggybacked ack).
     * \return STATE_CHANGE | FLOW_END the first time, 0 after
     */
    MtpEventMask OnAck();
    /**
     * \brief The record.
     * \return it
     */
    const MtpRpcRecord& Record() const;
    /**
     * \brief Whether the RPC has ended (no more events but TIMEOUT can follow).
     * \return true once ENDED
     */
    bool Ended() const;

  private:
    /**
     * \brief Account a DATA packet in the message it belongs to.
     * \param m the message
     * \param ranges its seen bytes
     * \param seg the packet
     * \return NEW_DATA and/or RETRANSMISSION
     */
    static MtpEventMask OnData(MtpMessageShadow& m,
                               MtpByteRanges& ranges,
                               const MtpSegmentInfo& seg);
    /**
     * \brief Move to the state the record now implies.
     * \return STATE_CHANGE if the state moved (plus FLOW_END on ENDED), else 0
     */
    MtpEventMask Advance();
    /**
     * \brief Set the state.
     * \param s the new state
     * \return STATE_CHANGE (and FLOW_END for ENDED) if it differs, else 0
     */
    MtpEventMask SetState(MtpRpcShadowState s);

    MtpRpcRecord m_rec;            //!< what is known of the RPC
    MtpByteRanges m_requestBytes;  //!< request bytes seen
    MtpByteRanges m_responseBytes; //!< response bytes seen
};

/**
 * \ingroup mtp-monitor
 * \brief The TCP connection states a middlebox can infer from both directions.
 */
enum class MtpTcpShadowState : uint8_t
{
    SYN_SENT,    //!< the client's SYN was seen
    SYN_RCVD,    //!< the server's SYN+ACK was seen
    ESTABLISHED, //!< the client acknowledged the SYN+ACK
    CLOSING,     //!< one side sent FIN
    LAST_ACK,    //!< both sides sent FIN; awaiting the last ACK
    CLOSED,      //!< both FINs acknowledged
    RESET,       //!< an RST was seen
};

/**
 * \brief Name of a TCP shadow state ("ESTABLISHED" ...).
 * \param s the state
 * \return the name
 */
std::string MtpTcpShadowStateName(MtpTcpShadowState s);

/**
 * \ingroup mtp-monitor
 * \brief What one TCP segment tells a shadow.
 */
struct MtpTcpSegmentInfo
{
    bool fromClient = true; //!< sent by the side that sent the first SYN
    uint8_t flags = 0;      //!< TCP flags (TcpHeader::SYN, ACK, FIN, RST ...)
    uint32_t seq = 0;       //!< sequence number
    uint32_t ack = 0;       //!< acknowledgement number (valid with ACK)
    uint32_t payload = 0;   //!< payload bytes
};

/**
 * \ingroup mtp-monitor
 * \brief The per-connection record of a TCP shadow.
 */
struct MtpTcpRecord
{
    MtpTcpShadowState state = MtpTcpShadowState::SYN_SENT; //!< current state
    uint64_t bytes[2] = {0, 0};       //!< distinct payload bytes [client->server, server->client]
    uint32_t retransmits[2] = {0, 0}; //!< segments repeating bytes (or a SYN/FIN) per side
    uint32_t packets = 0;             //!< segments seen
};

/**
 * \ingroup mtp-monitor
 * \brief The shadow of one TCP connection: the state machine from flags and sequence
 *        numbers, and which stream bytes were seen.
 */
class MtpTcpShadow
{
  public:
    /** \brief A connection of which nothing is seen yet: feed it the client's SYN first. */
    MtpTcpShadow();
    /**
     * \brief Account one segment, the client's first SYN included (that one raises
     *        nothing: FLOW_START is the monitor's to add).
     * \param seg what it says
     * \return events among NEW_DATA, RETRANSMISSION, STATE_CHANGE, FLOW_END
     */
    MtpEventMask OnSegment(const MtpTcpSegmentInfo& seg);
    /**
     * \brief The record.
     * \return it
     */
    const MtpTcpRecord& Record() const;
    /**
     * \brief Whether the connection is closed or reset.
     * \return true if so
     */
    bool Ended() const;
    /**
     * \brief Whether a direction's SYN was seen, so its bytes have stream offsets.
     * \param fromClient the direction (true: client->server)
     * \return true if that side's initial sequence number is known
     */
    bool HasIsn(bool fromClient) const;
    /**
     * \brief The stream offset of a sequence number in one direction: 0 is the byte
     *        after the side's SYN.  32-bit sequence numbers are unwrapped to the 64-bit
     *        offset nearest the highest byte seen so far, so streams past 4 GiB keep
     *        their place.
     * \param fromClient the direction (true: client->server)
     * \param seq a sequence number of a data byte of that direction
     * \param offset set to the stream offset on success
     * \return false if the side's SYN was not seen, or seq lies before the stream
     */
    bool StreamOffset(bool fromClient, uint32_t seq, uint64_t& offset) const;

  private:
    /**
     * \brief Account the payload of a segment in its direction.
     * \param side 0 client->server, 1 server->client
     * \param seg the segment
     * \return NEW_DATA and/or RETRANSMISSION
     */
    MtpEventMask OnPayload(int side, const MtpTcpSegmentInfo& seg);
    /**
     * \brief Move the state machine on the segment's flags.
     * \param side 0 client->server, 1 server->client
     * \param seg the segment
     * \return STATE_CHANGE / FLOW_END as the state moves; RETRANSMISSION for a
     *         repeated SYN or FIN
     */
    MtpEventMask OnFlags(int side, const MtpTcpSegmentInfo& seg);
    /**
     * \brief Set the state.
     * \param s the new state
     * \return STATE_CHANGE (and FLOW_END for CLOSED/RESET) if it differs, else 0
     */
    MtpEventMask SetState(MtpTcpShadowState s);

    MtpTcpRecord m_rec;      //!< what is known of the connection
    bool m_isnKnown[2];      //!< the side's SYN was seen
    uint32_t m_isn[2];       //!< each side's initial sequence number
    bool m_finSeen[2];       //!< the side sent FIN
    uint32_t m_finSeq[2];    //!< sequence number of that FIN
    bool m_finAcked[2];      //!< the other side acknowledged the side's FIN
    MtpByteRanges m_seen[2]; //!< stream bytes seen per side (relative to isn + 1)
    uint64_t m_highest[2];   //!< per side, one past the highest stream byte seen (unwrapping)
};

} // namespace ns3

#endif /* MTP_MONITOR_FLOW_H */
