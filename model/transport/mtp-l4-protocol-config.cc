/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpL4Protocol, configuration: the TypeId with every tunable as an
 * Attribute and every event as a TraceSource, the parsing of the cutoff
 * list, the configuration derived from the Attributes (cutoffs by priority,
 * scheduled levels, the pacer's settings) and the getters the stacks read
 * it through.
 */

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/mtp-l4-protocol.h"
#include "ns3/mtp-ns3-compat.h"
#include "ns3/node.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace ns3
{

TypeId
MtpL4Protocol::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpL4Protocol")
            .SetParent<IpL4Protocol>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpL4Protocol>()
            .AddAttribute("IpProtocolNumber",
                          "IP protocol number of MTP packets (146 is Homa's IANA number; the "
                          "inherited read-only ProtocolNumber reports it). "
                          "Set before the protocol is aggregated to a node.",
                          UintegerValue(DEFAULT_PROT_NUMBER),
                          MakeUintegerAccessor(&MtpL4Protocol::m_protocolNumber),
                          MakeUintegerChecker<uint8_t>(1, 254))
            .AddAttribute("ForceChecksum",
                          "Compute the checksum in every packet sent and drop received "
                          "packets whose checksum is wrong (counted as bad_checksum), even when "
                          "ns-3's GlobalValue ChecksumEnabled is false.  When false, checksums "
                          "follow ChecksumEnabled.  Emulation sets it: real hosts see MTP's "
                          "packets.  The checksum is Homa's: over a TCP pseudo-header "
                          "(protocol byte 6), the MTP header and the payload.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&MtpL4Protocol::m_forceChecksum),
                          MakeBooleanChecker())
            .AddAttribute("UnschedBytes",
                          "Bytes of a message sent before any grant: about one RTT of bytes "
                          "(Homa's unsched_bytes / rtt_bytes).",
                          UintegerValue(10000),
                          MakeUintegerAccessor(&MtpL4Protocol::m_unschedBytes),
                          MakeUintegerChecker<uint32_t>(1, MAX_MESSAGE_LENGTH))
            .AddAttribute(
                "Window",
                "Grant window: a receiver grants up to this many bytes beyond what "
                "it has received of a message (Homa's window).",
                UintegerValue(10000),
                MakeUintegerAccessor(&MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_window>,
                                     &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_window>),
                MakeUintegerChecker<uint32_t>(1, MAX_MESSAGE_LENGTH))
            .AddAttribute("MaxOvercommit",
                          "Inbound messages that may hold outstanding grants at once "
                          "(Homa's max_overcommit).",
                          UintegerValue(8),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_maxOvercommit>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_maxOvercommit>),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("MaxIncoming",
                          "Cap on the bytes granted but not yet received over all inbound "
                          "messages (Homa's max_incoming).",
                          UintegerValue(400000),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_maxIncoming>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_maxIncoming>),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("GrantFifoFraction",
                          "Per mille of granted bytes given to the oldest inbound message "
                          "rather than the shortest (Homa's grant_fifo_fraction); 0 disables.",
                          UintegerValue(50),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_fifoFraction>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_fifoFraction>),
                          MakeUintegerChecker<uint32_t>(0, 500))
            .AddAttribute("FifoGrantIncrement",
                          "Bytes granted by one FIFO grant (Homa's fifo_grant_increment).",
                          UintegerValue(10000),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_fifoIncrement>,
                              &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_fifoIncrement>),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ResendTicks",
                          "Silent ticks before a receiver asks for missing data with RESEND "
                          "(Homa's resend_ticks).",
                          UintegerValue(5),
                          MakeUintegerAccessor(&MtpL4Protocol::m_resendTicks),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ResendInterval",
                          "Ticks between successive RESENDs for one RPC (Homa's "
                          "resend_interval).",
                          UintegerValue(5),
                          MakeUintegerAccessor(&MtpL4Protocol::m_resendInterval),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("TimeoutResends",
                          "Unanswered RESENDs (or NEED_ACK probes) after which the RPC is "
                          "aborted with ETIMEDOUT: at silent tick ResendTicks + "
                          "TimeoutResends * ResendInterval.  The default, 19, gives 100 "
                          "silent ticks with the default ResendTicks and ResendInterval, as "
                          "Homa's timeout_ticks (100) does.",
                          UintegerValue(19),
                          MakeUintegerAccessor(&MtpL4Protocol::m_timeoutResends),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("TickInterval",
                          "Period of the timer that drives loss recovery; it runs only while "
                          "the node has live RPCs.",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&MtpL4Protocol::m_tickInterval),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute(
                "MaxNicQueue",
                "Pacer: the most transmit time the NIC queue may hold before paced "
                "DATA waits (Homa's max_nic_queue_ns).",
                TimeValue(MicroSeconds(2)),
                MakeTimeAccessor(&MtpL4Protocol::SetLive<Time, &MtpL4Protocol::m_maxNicQueue>,
                                 &MtpL4Protocol::GetLive<Time, &MtpL4Protocol::m_maxNicQueue>),
                MakeTimeChecker(Time(0)))
            .AddAttribute(
                "ThrottleMinBytes",
                "Messages shorter than this bypass the pacer (Homa's "
                "throttle_min_bytes).",
                UintegerValue(1000),
                MakeUintegerAccessor(
                    &MtpL4Protocol::SetLive<uint32_t, &MtpL4Protocol::m_throttleMinBytes>,
                    &MtpL4Protocol::GetLive<uint32_t, &MtpL4Protocol::m_throttleMinBytes>),
                MakeUintegerChecker<uint32_t>())
            .AddAttribute(
                "LinkRate",
                "NIC rate for the pacer when the output device has no DataRate "
                "attribute (a PointToPointNetDevice has one and it is used).",
                DataRateValue(DataRate("10Gbps")),
                MakeDataRateAccessor(&MtpL4Protocol::SetLive<DataRate, &MtpL4Protocol::m_linkRate>,
                                     &MtpL4Protocol::GetLive<DataRate, &MtpL4Protocol::m_linkRate>),
                MakeDataRateChecker())
            .AddAttribute("LinkHeaderBytes",
                          "Per-packet link-layer bytes the pacer adds to the IP packet size "
                          "(2 for point-to-point PPP; 42 for Ethernet with preamble and gap).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&MtpL4Protocol::m_linkHeaderBytes),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            // Applies live: a packet's level is clamped to NumPriorities wherever
            // it is chosen, so live RPCs move to the new levels; the cutoffs change
            // version and are advertised again.
            .AddAttribute("NumPriorities",
                          "Priority levels in use (1..8); levels map to DSCP class selectors "
                          "CS0..CS7 (IPv6: the same bits of the traffic class).",
                          UintegerValue(8),
                          MakeUintegerAccessor(
                              &MtpL4Protocol::SetLive<uint8_t, &MtpL4Protocol::m_numPriorities>,
                              &MtpL4Protocol::GetNumPriorities),
                          MakeUintegerChecker<uint8_t>(1, MtpHeader::MAX_PRIORITIES))
            .AddAttribute("UnschedCutoffs",
                          "Comma-separated, strictly increasing message lengths: messages up "
                          "to the first use the highest priority for unscheduled bytes, up to "
                          "the second the next, ... (Homa's unsched_cutoffs).  The remaining "
                          "lower levels are scheduled priorities.",
                          StringValue("200,2800,15000,1000000"),
                          MakeStringAccessor(&MtpL4Protocol::SetCutoffsString,
                                             &MtpL4Protocol::GetCutoffsString),
                          MakeStringChecker())
            .AddAttribute("MaxMessageLength",
                          "Largest message a socket may send or receive.  The default is "
                          "Linux Homa's 1000000, what real hosts accept; a simulation may "
                          "raise it up to 2^30 (the Homa paper's W5 reaches 30 MB).  Both "
                          "ends must agree: a longer message is refused (EMSGSIZE) by its "
                          "sender and dropped as bad_length by a receiver with a lower limit.",
                          UintegerValue(MAX_MESSAGE_LENGTH),
                          MakeUintegerAccessor(&MtpL4Protocol::m_maxMessageLength),
                          MakeUintegerChecker<uint32_t>(1, MAX_MESSAGE_LENGTH_LIMIT))
            .AddAttribute("DefaultStack",
                          "Name of the transport stack new sockets use (FreeBSD's "
                          "functions_default); a socket may pick another with "
                          "MtpSocket::SetStack.  Stacks that ship: homa, unsched, phost.",
                          StringValue("homa"),
                          MakeStringAccessor(&MtpL4Protocol::m_defaultStack),
                          MakeStringChecker())
            .AddAttribute(
                "OneWayAnswer",
                "How this node's one-way messages (Socket::SendTo) are answered.  Response "
                "(default, as Linux Homa RPCs): the receiver answers each with an empty "
                "response, which ends the sender's RPC; the usual ack then frees the "
                "receiver.  Ack (an experiment-fidelity option, as the Homa paper's "
                "simulator has no responses): the DATA packets carry FLAG_ACK_ONLY and the "
                "receiver sends no response; it delivers the message and owes the sender "
                "an ack, piggybacked on its next DATA to that host or sent in an ACK when "
                "the sender, silent for ResendTicks, asks with NEED_ACK; the sender keeps "
                "the message (to send again after RPC_UNKNOWN) until then.  Every node "
                "understands both; the sender's setting decides.",
                EnumValue(MtpL4Protocol::ONE_WAY_RESPONSE),
                MtpMakeEnumAccessor<OneWayAnswer>(&MtpL4Protocol::m_oneWayAnswer),
                MakeEnumChecker(MtpL4Protocol::ONE_WAY_RESPONSE,
                                "Response",
                                MtpL4Protocol::ONE_WAY_ACK,
                                "Ack"))
            .AddAttribute(
                "OneWayLinger",
                "How long a receiver keeps the id of a one-way message it completed with "
                "an ack (OneWayAnswer=Ack), like TCP's TIME_WAIT: while it lingers, a "
                "retransmission is not delivered again and a NEED_ACK is answered with the "
                "ack again.  After it, a NEED_ACK for the id draws RPC_UNKNOWN and the "
                "sender sends the message again, so it must outlast the senders' "
                "give-up time, (ResendTicks + TimeoutResends x ResendInterval) ticks. "
                "0 (default): derived from this node's timer Attributes, "
                "(ResendTicks + (TimeoutResends + 1) x ResendInterval) x TickInterval, "
                "105 ms with the defaults.",
                TimeValue(Time(0)),
                MakeTimeAccessor(&MtpL4Protocol::m_oneWayLinger),
                MakeTimeChecker(Time(0)))
            .AddTraceSource("Tx",
                            "An MTP packet was handed to IP.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_txTrace),
                            "ns3::MtpL4Protocol::PacketTracedCallback")
            .AddTraceSource("Rx",
                            "An MTP packet passed validation.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_rxTrace),
                            "ns3::MtpL4Protocol::PacketTracedCallback")
            .AddTraceSource("Drop",
                            "An incoming packet was dropped, with the reason.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_dropTrace),
                            "ns3::MtpL4Protocol::DropTracedCallback")
            .AddTraceSource("MessageBegin",
                            "A message started: sent by this host or first packet received.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_msgBeginTrace),
                            "ns3::MtpL4Protocol::MessageTracedCallback")
            .AddTraceSource("MessageEnd",
                            "A message finished arriving at this host.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_msgEndTrace),
                            "ns3::MtpL4Protocol::MessageTracedCallback")
            .AddTraceSource("Grant",
                            "A GRANT was sent.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_grantTrace),
                            "ns3::MtpL4Protocol::RangeTracedCallback")
            .AddTraceSource("Resend",
                            "A RESEND was sent.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_resendTrace),
                            "ns3::MtpL4Protocol::RangeTracedCallback")
            .AddTraceSource("Abort",
                            "An RPC ended with an error.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_abortTrace),
                            "ns3::MtpL4Protocol::AbortTracedCallback")
            .AddTraceSource("NicQueue",
                            "The pacer's estimate of the transmit time queued in the NIC, "
                            "after each packet handed to IP.",
                            MakeTraceSourceAccessor(&MtpL4Protocol::m_nicQueue),
                            "ns3::TracedValueCallback::Time");
    return tid;
}

void
MtpL4Protocol::SetCutoffsString(std::string s)
{
    std::vector<uint32_t> list;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        char* end = nullptr;
        unsigned long v = std::strtoul(item.c_str(), &end, 10);
        if (item.empty() || end == item.c_str() || *end != '\0' || v == 0 ||
            v > MAX_MESSAGE_LENGTH_LIMIT)
        {
            NS_FATAL_ERROR("MtpL4Protocol::UnschedCutoffs: '"
                           << s << "' is not a comma-separated list of lengths in 1.."
                           << MAX_MESSAGE_LENGTH_LIMIT);
        }
        if (!list.empty() && v <= list.back())
        {
            NS_FATAL_ERROR("MtpL4Protocol::UnschedCutoffs: '" << s
                                                              << "' must be strictly increasing");
        }
        list.push_back(static_cast<uint32_t>(v));
    }
    if (list.empty() || list.size() > MtpHeader::MAX_PRIORITIES)
    {
        NS_FATAL_ERROR("MtpL4Protocol::UnschedCutoffs: '"
                       << s << "' must list 1 to " << int(MtpHeader::MAX_PRIORITIES) << " lengths");
    }
    m_unschedCutoffList = list;
    ConfigChanged();
}

std::string
MtpL4Protocol::GetCutoffsString() const
{
    std::ostringstream os;
    for (std::size_t i = 0; i < m_unschedCutoffList.size(); ++i)
    {
        os << (i ? "," : "") << m_unschedCutoffList[i];
    }
    return os.str();
}

void
MtpL4Protocol::ApplyConfig()
{
    // Cutoffs by priority: the first listed length gets the top level.  With
    // more than one level, at least the lowest one stays scheduled.
    uint8_t n = m_numPriorities;
    std::size_t nUnsched = m_unschedCutoffList.size();
    if (n > 1)
    {
        nUnsched = std::min<std::size_t>(nUnsched, n - 1);
    }
    else
    {
        nUnsched = 1;
    }
    std::array<uint32_t, MtpHeader::MAX_PRIORITIES> cutoffs{};
    for (std::size_t k = 0; k < nUnsched; ++k)
    {
        cutoffs[n - 1 - k] = m_unschedCutoffList[k];
    }
    // The lowest unscheduled level admits every length, so no message falls
    // into a scheduled level for its unscheduled bytes.
    cutoffs[n - nUnsched] = std::max(cutoffs[n - nUnsched], MAX_MESSAGE_LENGTH);
    if (cutoffs != m_cutoffs)
    {
        m_cutoffs = cutoffs;
        ++m_cutoffVersion;
        if (m_cutoffVersion == 0)
        {
            m_cutoffVersion = 1;
        }
    }
    m_maxSchedPriority = n > nUnsched ? static_cast<uint8_t>(n - 1 - nUnsched) : 0;

    MtpPacer::Config p = m_pacer.GetConfig();
    if (!m_linkRateFromDevice)
    {
        p.linkBitsPerSecond = m_linkRate.GetBitRate();
    }
    p.maxNicQueue = m_maxNicQueue;
    p.throttleMinBytes = m_throttleMinBytes;
    m_pacer.SetConfig(p);
}

void
MtpL4Protocol::ConfigChanged()
{
    if (!m_node)
    {
        return;
    }
    ApplyConfig();
    for (auto& s : m_stacks.GetAll())
    {
        s->ConfigChanged();
    }
}

uint32_t
MtpL4Protocol::GetMaxMessageLength() const
{
    return m_maxMessageLength;
}

const std::array<uint32_t, MtpHeader::MAX_PRIORITIES>&
MtpL4Protocol::GetCutoffs() const
{
    return m_cutoffs;
}

uint8_t
MtpL4Protocol::GetNumPriorities() const
{
    return m_numPriorities;
}

uint32_t
MtpL4Protocol::GetUnschedBytes() const
{
    return m_unschedBytes;
}

MtpGrantScheduler::Config
MtpL4Protocol::GetGrantConfig() const
{
    MtpGrantScheduler::Config g;
    g.window = m_window;
    g.maxOvercommit = m_maxOvercommit;
    g.maxIncoming = m_maxIncoming;
    g.maxSchedPriority = m_maxSchedPriority;
    g.fifoFractionPerMille = m_fifoFraction;
    g.fifoGrantIncrement = m_fifoIncrement;
    return g;
}

uint32_t
MtpL4Protocol::GetResendTicks() const
{
    return m_resendTicks;
}

uint32_t
MtpL4Protocol::GetResendInterval() const
{
    return m_resendInterval;
}

uint32_t
MtpL4Protocol::GetTimeoutResends() const
{
    return m_timeoutResends;
}

Time
MtpL4Protocol::GetTickInterval() const
{
    return m_tickInterval;
}

uint8_t
MtpL4Protocol::GetMaxSchedPriority() const
{
    return m_maxSchedPriority;
}

uint16_t
MtpL4Protocol::GetCutoffVersion() const
{
    return m_cutoffVersion;
}

MtpL4Protocol::OneWayAnswer
MtpL4Protocol::GetOneWayAnswer() const
{
    return m_oneWayAnswer;
}

Time
MtpL4Protocol::GetOneWayLinger() const
{
    if (m_oneWayLinger > Time(0))
    {
        return m_oneWayLinger;
    }
    uint64_t ticks = uint64_t(m_resendTicks) + (uint64_t(m_timeoutResends) + 1) * m_resendInterval;
    return m_tickInterval * static_cast<int64_t>(ticks);
}

bool
MtpL4Protocol::IsChecksumEnabled() const
{
    return m_forceChecksum || Node::ChecksumEnabled();
}

} // namespace ns3
