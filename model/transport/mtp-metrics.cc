/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-metrics.h"

#include <iomanip>

namespace ns3
{

namespace
{

/** Print one "name value comment" line, aligned as homa_metrics does. */
void
Line(std::ostream& os,
     const std::string& prefix,
     const std::string& name,
     uint64_t value,
     const std::string& comment)
{
    os << std::left << std::setw(28) << (prefix + name) << std::right << std::setw(15) << value
       << "  " << comment << "\n";
}

} // namespace

uint64_t
MtpMetrics::TotalDrops() const
{
    uint64_t n = 0;
    for (auto d : drops)
    {
        n += d;
    }
    return n;
}

void
MtpMetrics::Print(std::ostream& os, const std::string& prefix) const
{
    for (int i = 0; i < NUM_TYPES; ++i)
    {
        auto t = static_cast<MtpPacketType>(static_cast<int>(MtpPacketType::DATA) + i);
        std::string name = MtpPacketTypeName(t);
        for (auto& c : name)
        {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        Line(os, prefix, "packets_sent_" + name, packetsSent[i], name + " packets sent");
        Line(os,
             prefix,
             "packets_rcvd_" + name,
             packetsReceived[i],
             name + " packets received and accepted");
    }
    for (int p = 0; p < MtpHeader::MAX_PRIORITIES; ++p)
    {
        Line(os,
             prefix,
             "prio" + std::to_string(p) + "_packets",
             packetsSentPrio[p],
             "packets sent at priority " + std::to_string(p));
        Line(os,
             prefix,
             "prio" + std::to_string(p) + "_bytes",
             bytesSentPrio[p],
             "MTP bytes sent at priority " + std::to_string(p));
    }
    Line(os,
         prefix,
         "data_bytes_sent",
         dataBytesSent,
         "message bytes sent, retransmissions included");
    Line(os,
         prefix,
         "data_bytes_rcvd",
         dataBytesReceived,
         "message bytes received, duplicates included");
    Line(os, prefix, "duplicate_bytes", duplicateBytes, "message bytes received twice");
    Line(os, prefix, "requests_started", requestsStarted, "client RPCs started");
    Line(os, prefix, "requests_rcvd", requestsReceived, "requests delivered to servers");
    Line(os, prefix, "responses_sent", responsesSent, "responses started by servers");
    Line(os, prefix, "responses_rcvd", responsesReceived, "responses delivered to clients");
    Line(os, prefix, "one_way_rcvd", oneWayReceived, "one-way messages delivered");
    Line(os, prefix, "rpcs_completed", rpcsCompleted, "client RPCs that got their response");
    Line(os, prefix, "rpcs_aborted", rpcsAborted, "RPCs ended with an error");
    Line(os, prefix, "timeouts", timeouts, "RPCs ended with ETIMEDOUT");
    Line(os, prefix, "icmp_aborts", icmpAborts, "RPCs ended by an ICMP error");
    Line(os, prefix, "restarts", restarts, "requests restarted after RPC_UNKNOWN");
    Line(os, prefix, "resends_sent", resendsSent, "RESEND packets sent");
    Line(os, prefix, "resends_rcvd", resendsReceived, "RESEND packets received");
    Line(os, prefix, "packets_retransmitted", packetsRetransmitted, "DATA packets sent again");
    Line(os, prefix, "grants_sent", grantsSent, "GRANT packets sent");
    Line(os, prefix, "fifo_grants", fifoGrants, "grants given to the oldest message");
    Line(os, prefix, "pacer_stalls", pacerStalls, "times the pacer waited for the NIC");
    Line(os, prefix, "pacer_bypass", pacerBypass, "DATA packets of short messages not paced");
    Line(os, prefix, "server_rpcs_freed", serverRpcsFreed, "server RPCs freed by an ACK");
    Line(os,
         prefix,
         "server_rpcs_discarded",
         serverRpcsDiscarded,
         "server RPCs freed because the client went silent");
    Line(os, prefix, "acks_piggybacked", acksPiggybacked, "acks carried in DATA packets");
    Line(os,
         prefix,
         "one_way_acked",
         oneWayAcked,
         "one-way messages sent and acked without a response (OneWayAnswer=Ack)");
    Line(os,
         prefix,
         "one_way_linger_hits",
         oneWayLingerHits,
         "packets naming a completed one-way message's lingering id");
    Line(os, prefix, "ticks", ticks, "timer ticks run");
    Line(os, prefix, "route_failures", routeFailures, "sends that found no route");
    for (int r = 1; r < static_cast<int>(MtpDropReason::COUNT); ++r)
    {
        Line(os,
             prefix,
             "drop_" + MtpDropReasonName(static_cast<MtpDropReason>(r)),
             drops[r],
             "packets dropped: " + MtpDropReasonName(static_cast<MtpDropReason>(r)));
    }
}

} // namespace ns3
