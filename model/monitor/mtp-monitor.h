/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMonitor: a passive monitor socket in the sense of mOS, installed on any
 * node (host or switch).  It listens to the node's IP layer (the trace
 * sources Ipv4FlowProbe uses: send, forward, local deliver, drop; IPv4 and
 * IPv6), and either reports every packet (RAW kind: L2/L3 view) or rebuilds a
 * shadow state per MTP RPC and per TCP connection from the headers it sees
 * (STREAM kind) and raises mOS-style events: packet in, flow start, new data,
 * state change, orphan, retransmission, flow end, idle timeout, plus events
 * the user defines as a filter over a base event.
 *
 * It only observes: every packet is copied before it is parsed, callbacks get
 * copies of the flow records, and nothing it does reaches a packet, a queue
 * or a random stream, so a run with a monitor has the same outcome as one
 * without.  Malformed packets are counted, never trusted.
 *
 * What it hides: the trace plumbing per family and hook point, header
 * parsing, the flow table (active and finished), the idle timer and the
 * dispatch of events to callbacks at the chosen hook point.
 */

#ifndef MTP_MONITOR_H
#define MTP_MONITOR_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/mtp-error.h"
#include "ns3/mtp-monitor-buffer.h"
#include "ns3/mtp-monitor-flow.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <tuple>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-monitor
 * \brief The two kinds of monitor socket, as mOS has them.
 */
enum MtpMonitorKind
{
    MTP_MONITOR_STREAM, //!< keeps a shadow state per MTP RPC and TCP connection
                        //!< (MOS_SOCK_MONITOR_STREAM)
    MTP_MONITOR_RAW,    //!< sees every packet, L2/L3 view only (MOS_SOCK_MONITOR_RAW)
};

/**
 * \ingroup mtp-monitor
 * \brief When a callback runs relative to the node's own handling of the packet.
 */
enum class MtpMonitorHook : uint8_t
{
    BEFORE, //!< inside the IP trace: before the node forwards, delivers or sends the packet
    AFTER,  //!< scheduled for the same instant: after the node has handled the packet
};

/**
 * \ingroup mtp-monitor
 * \brief Where in the node the IP layer reported a packet.
 */
enum class MtpMonitorPoint : uint8_t
{
    SEND,    //!< sent by this node (SendOutgoing)
    FORWARD, //!< forwarded by this node (UnicastForward)
    DELIVER, //!< delivered to this node's transport (LocalDeliver)
    DROP,    //!< dropped by this node's IP layer (Drop)
};

/**
 * \ingroup mtp-monitor
 * \brief One side of a monitored flow, for reading its bytes: a message of an MTP RPC,
 *        or a direction of a TCP connection (the client is the side that sent the SYN).
 */
enum class MtpMonitorSide : uint8_t
{
    REQUEST = 0,  //!< MTP: the client's message; TCP: the client -> server stream
    RESPONSE = 1, //!< MTP: the server's message; TCP: the server -> client stream
};

/**
 * \brief Name of a point ("SEND" ...).
 * \param p the point
 * \return the name
 */
std::string MtpMonitorPointName(MtpMonitorPoint p);

/**
 * \ingroup mtp-monitor
 * \brief The L2/L3 view of one packet (all a RAW monitor gives), plus the transport
 *        ports when the packet holds them.
 */
struct MtpMonitorPacket
{
    Time time;                                     //!< when the monitor saw it
    MtpMonitorPoint point = MtpMonitorPoint::SEND; //!< where in the node
    uint32_t interface = 0;                        //!< IP interface index
    bool ipv6 = false;                             //!< address family
    Ipv6Address src;                               //!< source (IPv4-mapped for IPv4)
    Ipv6Address dst;                               //!< destination (IPv4-mapped for IPv4)
    uint8_t protocol = 0;                          //!< IP protocol / next header
    uint8_t tos = 0;                               //!< IPv4 TOS or IPv6 traffic class
    uint8_t ttl = 0;                               //!< IPv4 TTL or IPv6 hop limit
    uint32_t ipPayload = 0;                        //!< bytes after the IP header
    bool hasPorts = false;                         //!< ports below are valid (TCP, UDP, MTP)
    uint16_t srcPort = 0;                          //!< transport source port
    uint16_t dstPort = 0;                          //!< transport destination port
};

/**
 * \ingroup mtp-monitor
 * \brief What a monitor knows of one flow: the key, when it was seen, how it ended, and
 *        the shadow record of its protocol (rpc for MTP, tcp for TCP).
 */
struct MtpMonitorFlowRecord
{
    MtpFlowKey key;                      //!< the flow
    bool ipv6 = false;                   //!< address family
    Time firstSeen;                      //!< first packet
    Time lastSeen;                       //!< last packet
    bool ended = false;                  //!< FLOW_END was raised
    bool timedOut = false;               //!< TIMEOUT was raised (idle for IdleTimeout)
    bool stopped = false;                //!< the user stopped monitoring it (StopFlow)
    uint64_t bufferOverflow[2] = {0, 0}; //!< bytes per side (MTP message, TCP direction)
                                         //!< that did not fit BufferSize
    MtpRpcRecord rpc;                    //!< MTP shadow (key.protocol is MTP's)
    MtpTcpRecord tcp;                    //!< TCP shadow (key.protocol 6)
};

/**
 * \ingroup mtp-monitor
 * \brief One event as a callback gets it: the event bit, the packet that raised it (for
 *        TIMEOUT: only the time is set) and a copy of the flow's record if it has one.
 */
struct MtpMonitorEventInfo
{
    MtpEventMask event = 0;               //!< exactly one bit: the event being reported
    MtpMonitorPacket packet;              //!< the packet (L2/L3 view and ports)
    std::optional<MtpPacketType> mtpType; //!< MTP packet type, when it is a parsed MTP packet
    uint32_t mtpOffset = 0;    //!< MTP DATA: segment offset; GRANT: granted offset; RESEND: offset
    uint32_t mtpLength = 0;    //!< MTP DATA: payload bytes; RESEND: length asked; else 0
    uint8_t tcpFlags = 0;      //!< TCP flags, when it is a parsed TCP segment
    bool hasFlow = false;      //!< flow below is valid
    MtpMonitorFlowRecord flow; //!< the flow's record after this packet
};

/**
 * \ingroup mtp-monitor
 * \brief A monitor's packet filter (mOS' mtcp_bind_monitor_filter): packets that fail it
 *        are not seen at all.  Unset fields match everything.
 */
struct MtpMonitorFilter
{
    uint8_t protocol = 0;           //!< IP protocol; 0: any
    std::optional<Ipv6Address> src; //!< source address (IPv4: MapIpv4)
    std::optional<Ipv6Address> dst; //!< destination address (IPv4: MapIpv4)
    uint16_t srcPort = 0;           //!< source port; 0: any
    uint16_t dstPort = 0;           //!< destination port; 0: any
    bool bothDirections = true;     //!< also pass packets matching with src/dst swapped
    /** First-packet filter: whether a new flow is tracked (null: all are). */
    Callback<bool, const MtpMonitorPacket&> firstPacket;
    /** Orphan filter: whether an orphan packet is reported (null: all are). */
    Callback<bool, const MtpMonitorPacket&> orphan;
    /** Flow-property filter: whether an event of a flow is reported (null: all are). */
    Callback<bool, const MtpMonitorFlowRecord&> flow;

    /**
     * \brief An IPv4 address as filters and keys hold it (IPv4-mapped IPv6).
     * \param a the address
     * \return the mapped address
     */
    static Ipv6Address MapIpv4(Ipv4Address a);
    /**
     * \brief Whether a packet passes the address, port and protocol fields.
     * \param p the packet
     * \return true if it does
     */
    bool Matches(const MtpMonitorPacket& p) const;
};

/**
 * \ingroup mtp-monitor
 * \brief Counters of what a monitor saw.
 */
struct MtpMonitorStats
{
    uint64_t packets = 0;   //!< packets reported by the IP layer (before the filter)
    uint64_t filtered = 0;  //!< packets the filter removed
    uint64_t mtp = 0;       //!< MTP packets parsed
    uint64_t tcp = 0;       //!< TCP segments parsed
    uint64_t other = 0;     //!< packets of other protocols
    uint64_t malformed = 0; //!< MTP or TCP packets that could not be parsed
    uint64_t orphans = 0;   //!< packets of no known flow
    uint64_t drops = 0;     //!< packets the IP layer dropped (not fed to shadows)
    uint64_t flows = 0;     //!< flows started
    uint64_t timeouts = 0;  //!< flows ended by the idle timer
};

/**
 * \ingroup mtp-monitor
 * \brief A passive monitor socket on one node (see the file comment).
 *
 * Use: MtpMonitorHelper::Install (or CreateObject, SetAttribute, Attach), optionally
 * SetFilter and DefineEvent, then Register callbacks for events.  Calls that can fail
 * return -1 / 0 / false and leave the reason in GetErrno(), as mOS' calls set errno.
 */
class MtpMonitor : public Object
{
  public:
    /** A callback for events. */
    typedef Callback<void, const MtpMonitorEventInfo&> EventCallback;
    /** A filter defining a user event over a base event (mOS' filter function). */
    typedef Callback<bool, const MtpMonitorEventInfo&> EventFilter;
    /**
     * TracedCallback signature for events.
     * \param info the event
     */
    typedef void (*EventTracedCallback)(const MtpMonitorEventInfo& info);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    MtpMonitor();
    ~MtpMonitor() override;

    /**
     * \brief Hook to a node's IP layer (IPv4 and/or IPv6, whichever it has).
     * \param node the node
     * \return false (errno INVAL) if the node has no IP stack or the monitor is attached
     *         or closed already
     */
    bool Attach(Ptr<Node> node);
    /**
     * \brief Stop monitoring: disconnect from the IP layer, cancel the idle timer and
     *        drop every callback.  Flows are not ended; their records stay readable.
     *        May be called from a callback (the monitor sees no further packet; it
     *        unhooks once the current trace is done).  Simulator::Destroy closes every
     *        attached monitor, which is kept alive until then.
     */
    void Close();
    /**
     * \brief Whether the monitor is attached and not closed.
     * \return true if it sees packets
     */
    bool IsActive() const;

    /**
     * \brief Set the packet filter (replaces the previous one).
     * \param filter the filter
     */
    void SetFilter(const MtpMonitorFilter& filter);
    /**
     * \brief Register a callback for a set of events (mtcp_register_callback).
     * \param events built-in and/or user-defined event bits
     * \param hook when the callback runs
     * \param cb the callback
     * \return a registration id (>= 0); -1 with errno BADF (closed), INVAL (empty mask,
     *         null callback, an undefined user bit, or a flow event on a RAW monitor)
     */
    int Register(MtpEventMask events, MtpMonitorHook hook, EventCallback cb);
    /**
     * \brief Remove a registration.
     * \param id what Register returned
     * \return false (errno NOENT) if there is no such registration
     */
    bool Unregister(int id);
    /**
     * \brief Define an event that fires when `base` fires and `filter` says so
     *        (mtcp_define_event); a user event may serve as the base of another.
     * \param base exactly one built-in or already defined user event bit
     * \param filter the filter
     * \return the new event's bit; 0 with errno INVAL (bad base or null filter), BUSY (all
     *         32 user bits taken) or BADF (closed)
     */
    MtpEventMask DefineEvent(MtpEventMask base, EventFilter filter);
    /**
     * \brief Stop monitoring one flow: it raises no more events and its packets are no
     *        orphans; its record stays, marked stopped.
     * \param key the flow
     * \return false (errno NOENT) if the flow is not active
     */
    bool StopFlow(const MtpFlowKey& key);
    /**
     * \brief Read and consume the next in-order bytes of one side of an active MTP RPC
     *        or TCP connection (mtcp_peek); needs BufferSize > 0.  TCP bytes are placed by
     *        sequence number relative to the initial sequence number of the side's SYN.
     * \param key the flow \param side which message or direction \param out where to copy
     * \param len at most this many bytes
     * \return bytes copied (0: the next byte has not been seen); -1 with errno NOENT (no
     *         active flow: never seen, ended, or a TCP connection whose client SYN the
     *         monitor missed, which it treats as orphan packets), INVAL (BufferSize 0),
     *         NOTCONN (TCP: the monitor did not see that side's SYN, so its bytes have no
     *         stream offsets), BADF (closed)
     */
    int Peek(const MtpFlowKey& key, MtpMonitorSide side, uint8_t* out, uint32_t len);
    /**
     * \brief Read bytes at an offset of one side of an active MTP RPC or TCP connection
     *        without consuming them (mtcp_ppeek); needs BufferSize > 0.
     * \param key the flow \param side which message or direction \param out where to copy
     * \param len how many bytes \param offset message offset (TCP: stream offset, 0 being
     *        the byte after the side's SYN) of the first
     * \return len; -1 with errno NOENT (no active flow, as for Peek), INVAL (BufferSize 0,
     *         or the range was consumed or lies beyond the buffer), NOTCONN (TCP: that
     *         side's SYN was not seen), AGAIN (a byte of the range has not been seen), BADF
     *         (closed)
     */
    int PositionedPeek(const MtpFlowKey& key,
                       MtpMonitorSide side,
                       uint8_t* out,
                       uint32_t len,
                       uint64_t offset);
    /**
     * \brief The error of the last failed call (OK if none failed).
     * \return the error
     */
    MtpError GetErrno() const;

    /**
     * \brief Counters.
     * \return them
     */
    const MtpMonitorStats& GetStats() const;
    /**
     * \brief Every flow's record: finished flows in the order they ended, then active
     *        flows in key order.
     * \return the records
     */
    std::vector<MtpMonitorFlowRecord> GetFlowRecords() const;
    /**
     * \brief The record of one flow (the active one if any, else the last finished).
     * \param key the flow
     * \param out filled when found
     * \return false if the monitor never saw the flow
     */
    bool GetFlowRecord(const MtpFlowKey& key, MtpMonitorFlowRecord& out) const;
    /**
     * \brief Write every flow's record as CSV, one line per flow with a header line.
     * \param os the stream
     */
    void WriteCsv(std::ostream& os) const;
    /**
     * \brief Write every flow's record as XML (in the manner of FlowMonitor's
     *        SerializeToXmlStream): one Flow element per flow with a Message element per
     *        side (MTP) or a Stream element per direction (TCP), inside an MtpMonitor
     *        element.
     * \param os the stream
     * \param indent spaces before the MtpMonitor element
     * \param nodeId the node attribute of the MtpMonitor element
     */
    void WriteXml(std::ostream& os, uint16_t indent, uint32_t nodeId) const;
    /**
     * \brief Number of flows being tracked now.
     * \return the count
     */
    size_t GetActiveFlowCount() const;

  protected:
    void DoDispose() override;

  private:
    /** A tracked flow: its shadow and timestamps. */
    struct Flow
    {
        MtpMonitorFlowRecord record;               //!< record (rpc/tcp copied from the shadow)
        std::unique_ptr<MtpRpcShadow> rpc;         //!< MTP shadow, or null
        std::unique_ptr<MtpTcpShadow> tcp;         //!< TCP shadow, or null
        std::unique_ptr<MtpMonitorBuffer> data[2]; //!< bytes per side or direction (BufferSize > 0)
    };

    /** A registered callback. */
    struct Registration
    {
        MtpEventMask events; //!< events it wants
        MtpMonitorHook hook; //!< when it runs
        EventCallback cb;    //!< what runs
    };

    /** A user-defined event. */
    struct UserEvent
    {
        MtpEventMask base;  //!< the event it refines
        EventFilter filter; //!< when it fires
    };

    /// \name IP trace sinks, one per family and point
    /// \{
    void V4Send(const Ipv4Header& h, Ptr<const Packet> p, uint32_t i);    //!< SendOutgoing
    void V4Forward(const Ipv4Header& h, Ptr<const Packet> p, uint32_t i); //!< UnicastForward
    void V4Deliver(const Ipv4Header& h, Ptr<const Packet> p, uint32_t i); //!< LocalDeliver
    void V4Drop(const Ipv4Header& h,
                Ptr<const Packet> p,
                Ipv4L3Protocol::DropReason r,
                Ptr<Ipv4> ip,
                uint32_t i);                                              //!< Drop
    void V6Send(const Ipv6Header& h, Ptr<const Packet> p, uint32_t i);    //!< SendOutgoing
    void V6Forward(const Ipv6Header& h, Ptr<const Packet> p, uint32_t i); //!< UnicastForward
    void V6Deliver(const Ipv6Header& h, Ptr<const Packet> p, uint32_t i); //!< LocalDeliver
    void V6Drop(const Ipv6Header& h,
                Ptr<const Packet> p,
                Ipv6L3Protocol::DropReason r,
                Ptr<Ipv6> ip,
                uint32_t i); //!< Drop
    /// \}

    /**
     * \brief Connect or disconnect every trace sink.
     * \param connect true to connect
     */
    void Wire(bool connect);
    /**
     * \brief The L3 view of an IPv4 packet.
     * \param point where \param h header \param p packet (no IP header) \param i interface
     * \return the view
     */
    MtpMonitorPacket View4(MtpMonitorPoint point,
                           const Ipv4Header& h,
                           Ptr<const Packet> p,
                           uint32_t i) const;
    /**
     * \brief The L3 view of an IPv6 packet.
     * \param point where \param h header \param p packet (no IP header) \param i interface
     * \return the view
     */
    MtpMonitorPacket View6(MtpMonitorPoint point,
                           const Ipv6Header& h,
                           Ptr<const Packet> p,
                           uint32_t i) const;
    /**
     * \brief Everything after the view: filter, then raw report or shadow update.
     * \param view the packet's view \param p the packet (not modified)
     */
    void Handle(MtpMonitorPacket& view, Ptr<const Packet> p);
    /**
     * \brief Handle's work while it runs (m_depth counted around it).
     * \param view the packet's view \param p the packet (not modified)
     */
    void HandleOpen(MtpMonitorPacket& view, Ptr<const Packet> p);
    /**
     * \brief Feed an MTP packet to its RPC's shadow.
     * \param view the view \param p the packet
     */
    void HandleMtp(const MtpMonitorPacket& view, Ptr<const Packet> p);
    /**
     * \brief Feed the acks an MTP packet carries, whatever its role: an ack
     *        rides on any DATA or ACK its sender sends to that host.  An even
     *        id is Homa's ack (the packet's sender is the client; the ack
     *        names the server port), an odd id MTP's one-way ack (the
     *        packet's sender received the one-way message; the ack names the
     *        message sender's port and the receiver's id, the client's id
     *        with bit 0 set).  The other port is not in the ack, so the flow
     *        is found by hosts and id (FindAcked).
     * \param view the view \param acks the acks (clientId 0 skipped) \param base the
     *        event info template \return true if one named a known flow
     */
    bool HandleAcks(const MtpMonitorPacket& view,
                    const std::vector<MtpAck>& acks,
                    const MtpMonitorEventInfo& base);
    /**
     * \brief The active MTP flow an ack names.
     * \param view the packet that carried the ack
     * \param ack the ack
     * \return the flow's key, or nothing if no active flow matches
     */
    std::optional<MtpFlowKey> FindAcked(const MtpMonitorPacket& view, const MtpAck& ack) const;
    /**
     * \brief Feed a TCP segment to its connection's shadow.
     * \param view the view \param p the packet
     */
    void HandleTcp(const MtpMonitorPacket& view, Ptr<const Packet> p);
    /**
     * \brief Keep the message bytes of a DATA packet in the flow's buffer.
     * \param flow the flow \param seg the packet's summary \param payload the bytes
     *        after the DATA header
     */
    void Capture(Flow& flow, const MtpSegmentInfo& seg, Ptr<Packet> payload);
    /**
     * \brief Keep the payload of a TCP segment in the flow's buffer at its stream offset
     *        (nothing when the side's SYN was not seen).
     * \param flow the flow \param seg the segment's summary \param payload the bytes
     *        after the TCP header
     */
    void CaptureTcp(Flow& flow, const MtpTcpSegmentInfo& seg, Ptr<Packet> payload);
    /**
     * \brief Write the first len bytes of a packet into one side's buffer (made on first
     *        use) and copy its overflow count into the record.
     * \param flow the flow \param side 0 or 1 \param offset offset of the first byte
     * \param bytes the packet \param len how many of its bytes
     */
    void Store(Flow& flow, int side, uint64_t offset, Ptr<Packet> bytes, uint32_t len);
    /**
     * \brief The buffer of one side of an active MTP or TCP flow, or null with errno set.
     * \param key the flow \param side the side
     * \return the buffer
     */
    MtpMonitorBuffer* BufferOf(const MtpFlowKey& key, MtpMonitorSide side);
    /**
     * \brief Report an orphan (if the orphan filter lets it through).
     * \param info the event info template (PACKET_IN already sent)
     */
    void Orphan(MtpMonitorEventInfo info);
    /**
     * \brief Start tracking a flow if the first-packet filter lets it.
     * \param key the flow \param view its first packet
     * \return the flow, or null when filtered
     */
    Flow* StartFlow(const MtpFlowKey& key, const MtpMonitorPacket& view);
    /**
     * \brief Copy the shadow's record into the flow record, raise the events, and
     *        retire the flow if it ended.
     * \param key the flow \param flow it \param ev the events \param info the template
     */
    void Settle(const MtpFlowKey& key, Flow& flow, MtpEventMask ev, MtpMonitorEventInfo info);
    /**
     * \brief Move a flow from the active table to the finished records.
     * \param key the flow
     */
    void Retire(const MtpFlowKey& key);
    /**
     * \brief Raise the events in a mask, lowest bit first, with user events after their
     *        base.
     * \param ev the events \param info the template (event is set per bit)
     */
    void Raise(MtpEventMask ev, MtpMonitorEventInfo info);
    /**
     * \brief Deliver one event (and the user events defined over it).
     * \param info the event
     */
    void Deliver(MtpMonitorEventInfo& info);
    /**
     * \brief Run an AFTER callback, unless it was unregistered meanwhile.
     * \param id the registration \param info the event
     */
    void RunAfter(int id, MtpMonitorEventInfo info);
    /** \brief Arm the idle timer if a timeout is set, flows exist and it is not armed. */
    void ArmTimer();
    /** \brief Raise TIMEOUT for idle flows and re-arm. */
    void CheckIdle();
    /**
     * \brief Record a failure.
     * \param e the error
     */
    void Fail(MtpError e);

    MtpMonitorKind m_kind;                //!< RAW or STREAM (Attribute Kind)
    uint8_t m_mtpProtocol;                //!< MTP's IP protocol number (Attribute)
    Time m_idleTimeout;                   //!< idle time before TIMEOUT; 0: never
    uint32_t m_bufferSize;                //!< bytes kept per side for Peek; 0: none
    MtpOverlapPolicy m_overlap;           //!< which copy of repeated bytes is kept
    Ptr<Node> m_node;                     //!< the node attached to (null: none)
    Ptr<Ipv4L3Protocol> m_ipv4;           //!< its IPv4 layer, if any
    Ptr<Ipv6L3Protocol> m_ipv6;           //!< its IPv6 layer, if any
    bool m_closed;                        //!< Close was called
    MtpError m_errno;                     //!< last failure
    MtpMonitorFilter m_filter;            //!< the packet filter
    std::map<int, Registration> m_regs;   //!< callbacks by id
    int m_nextReg;                        //!< next registration id
    int m_depth;                          //!< Handle calls under way (Close defers unhooking)
    std::map<unsigned, UserEvent> m_user; //!< user events by bit
    std::map<MtpFlowKey, Flow> m_flows;   //!< active flows
    /// Active flows by (protocol, client, server, RPC id), what an ack names
    /// besides one port (ids are per client host, so this is nearly always
    /// one flow)
    std::multimap<std::tuple<uint8_t, Ipv6Address, Ipv6Address, uint64_t>, MtpFlowKey> m_byRpc;
    std::set<MtpFlowKey> m_stopped; //!< flows StopFlow removed (their packets ignored)
    std::vector<MtpMonitorFlowRecord> m_finished;            //!< finished flows, in order
    std::map<MtpFlowKey, size_t> m_finishedIndex;            //!< key -> last index in m_finished
    MtpMonitorStats m_stats;                                 //!< counters
    EventId m_timer;                                         //!< the idle timer
    TracedCallback<const MtpMonitorEventInfo&> m_eventTrace; //!< every event raised
};

} // namespace ns3

#endif /* MTP_MONITOR_H */
