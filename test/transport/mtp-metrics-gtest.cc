/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of MtpMetrics: the per-type slot of every packet type, zeroed
 * counters and their reset, TotalDrops, and the homa_metrics-style
 * printout (line set, order, alignment and prefix), byte for byte.
 */

#include "ns3/mtp-metrics.h"

#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// The nine packet types in code order.
const std::vector<MtpPacketType> kTypes = {MtpPacketType::DATA,
                                           MtpPacketType::GRANT,
                                           MtpPacketType::RESEND,
                                           MtpPacketType::RPC_UNKNOWN,
                                           MtpPacketType::BUSY,
                                           MtpPacketType::CUTOFFS,
                                           MtpPacketType::FREEZE,
                                           MtpPacketType::NEED_ACK,
                                           MtpPacketType::ACK};

/// \return the printout's lines
std::vector<std::string>
Lines(const MtpMetrics& m, const std::string& prefix = "")
{
    std::ostringstream os;
    m.Print(os, prefix);
    std::vector<std::string> lines;
    std::istringstream is(os.str());
    for (std::string line; std::getline(is, line);)
    {
        lines.push_back(line);
    }
    return lines;
}

/// \return the printed line whose name is `name`, or "" if none
std::string
LineNamed(const std::vector<std::string>& lines, const std::string& name)
{
    for (const auto& l : lines)
    {
        if (l.compare(0, name.size() + 1, name + " ") == 0)
        {
            return l;
        }
    }
    return "";
}

/// \return `s` followed by spaces up to `width` characters
std::string
PadRight(const std::string& s, std::size_t width)
{
    return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
}

/// \return spaces then `s`, `width` characters in all
std::string
PadLeft(const std::string& s, std::size_t width)
{
    return std::string(width > s.size() ? width - s.size() : 0, ' ') + s;
}

} // namespace

TEST(MtpMetrics, TypeIndexOfEveryType)
{
    ASSERT_EQ(kTypes.size(), static_cast<std::size_t>(MtpMetrics::NUM_TYPES));
    for (std::size_t k = 0; k < kTypes.size(); ++k)
    {
        EXPECT_EQ(MtpMetrics::TypeIndex(kTypes[k]), static_cast<int>(k))
            << MtpPacketTypeName(kTypes[k]);
    }
}

TEST(MtpMetrics, StartsAtZero)
{
    MtpMetrics m;
    for (int i = 0; i < MtpMetrics::NUM_TYPES; ++i)
    {
        EXPECT_EQ(m.packetsSent[i], 0u);
        EXPECT_EQ(m.packetsReceived[i], 0u);
    }
    for (int p = 0; p < MtpHeader::MAX_PRIORITIES; ++p)
    {
        EXPECT_EQ(m.packetsSentPrio[p], 0u);
        EXPECT_EQ(m.bytesSentPrio[p], 0u);
    }
    EXPECT_EQ(m.TotalDrops(), 0u);
    EXPECT_EQ(m.requestsStarted, 0u);
    EXPECT_EQ(m.routeFailures, 0u);
    for (const auto& line : Lines(m))
    {
        // Every value column reads 0.
        EXPECT_EQ(line.substr(28, 15), PadLeft("0", 15)) << line;
    }
}

TEST(MtpMetrics, TotalDropsSumsEveryReason)
{
    MtpMetrics m;
    uint64_t sum = 0;
    for (int r = 0; r < static_cast<int>(MtpDropReason::COUNT); ++r)
    {
        m.drops[r] = 10 * r + 1;
        sum += 10 * r + 1;
    }
    EXPECT_EQ(m.TotalDrops(), sum);
}

TEST(MtpMetrics, ResetByAssigningAFreshValue)
{
    MtpMetrics m;
    m.packetsSent[MtpMetrics::TypeIndex(MtpPacketType::ACK)] = 5;
    m.bytesSentPrio[7] = 1000;
    m.drops[static_cast<int>(MtpDropReason::NO_RPC)] = 2;
    m.ticks = 9;
    m = MtpMetrics();
    EXPECT_EQ(m.packetsSent[MtpMetrics::TypeIndex(MtpPacketType::ACK)], 0u);
    EXPECT_EQ(m.bytesSentPrio[7], 0u);
    EXPECT_EQ(m.TotalDrops(), 0u);
    EXPECT_EQ(m.ticks, 0u);
}

TEST(MtpMetrics, PrintListsEveryCounterInOrder)
{
    std::vector<std::string> lines = Lines(MtpMetrics());
    // 9 types x (sent, received), 8 priorities x (packets, bytes), 27 scalar
    // counters, and one line per drop reason except NONE.
    const std::size_t drops = static_cast<std::size_t>(MtpDropReason::COUNT) - 1;
    ASSERT_EQ(lines.size(), 18u + 16u + 27u + drops);
    EXPECT_EQ(lines[0].substr(0, 28), PadRight("packets_sent_data", 28));
    EXPECT_EQ(lines[1].substr(0, 28), PadRight("packets_rcvd_data", 28));
    EXPECT_EQ(lines[16].substr(0, 28), PadRight("packets_sent_ack", 28));
    EXPECT_EQ(lines[17].substr(0, 28), PadRight("packets_rcvd_ack", 28));
    EXPECT_EQ(lines[18].substr(0, 28), PadRight("prio0_packets", 28));
    EXPECT_EQ(lines[33].substr(0, 28), PadRight("prio7_bytes", 28));
    EXPECT_EQ(lines[34].substr(0, 28), PadRight("data_bytes_sent", 28));
    EXPECT_EQ(lines[57].substr(0, 28), PadRight("one_way_acked", 28));
    EXPECT_EQ(lines[58].substr(0, 28), PadRight("one_way_linger_hits", 28));
    EXPECT_EQ(lines[60].substr(0, 28), PadRight("route_failures", 28));
    EXPECT_EQ(lines[61].substr(0, 28), PadRight("drop_truncated", 28));
    EXPECT_EQ(lines.back().substr(0, 28), PadRight("drop_bad_checksum", 28));
    EXPECT_EQ(LineNamed(lines, "drop_none"), "");
}

TEST(MtpMetrics, PrintLineLayout)
{
    MtpMetrics m;
    m.packetsSent[MtpMetrics::TypeIndex(MtpPacketType::GRANT)] = 7;
    m.packetsReceived[MtpMetrics::TypeIndex(MtpPacketType::RPC_UNKNOWN)] = 12;
    m.bytesSentPrio[3] = 123456789;
    m.serverRpcsDiscarded = 4;
    m.oneWayAcked = 6;
    m.drops[static_cast<int>(MtpDropReason::BAD_CHECKSUM)] = 3;
    std::vector<std::string> lines = Lines(m);
    // Name left in 28 columns, value right in 15, two spaces, comment.
    EXPECT_EQ(LineNamed(lines, "packets_sent_grant"),
              PadRight("packets_sent_grant", 28) + PadLeft("7", 15) + "  grant packets sent");
    EXPECT_EQ(LineNamed(lines, "packets_rcvd_rpc_unknown"),
              PadRight("packets_rcvd_rpc_unknown", 28) + PadLeft("12", 15) +
                  "  rpc_unknown packets received and accepted");
    EXPECT_EQ(LineNamed(lines, "prio3_bytes"),
              PadRight("prio3_bytes", 28) + PadLeft("123456789", 15) +
                  "  MTP bytes sent at priority 3");
    EXPECT_EQ(LineNamed(lines, "server_rpcs_discarded"),
              PadRight("server_rpcs_discarded", 28) + PadLeft("4", 15) +
                  "  server RPCs freed because the client went silent");
    EXPECT_EQ(LineNamed(lines, "one_way_acked"),
              PadRight("one_way_acked", 28) + PadLeft("6", 15) +
                  "  one-way messages sent and acked without a response (OneWayAnswer=Ack)");
    EXPECT_EQ(LineNamed(lines, "drop_bad_checksum"),
              PadRight("drop_bad_checksum", 28) + PadLeft("3", 15) +
                  "  packets dropped: bad_checksum");
}

TEST(MtpMetrics, PrintPrefixesEveryName)
{
    MtpMetrics m;
    m.ticks = 42;
    std::vector<std::string> plain = Lines(m);
    std::vector<std::string> prefixed = Lines(m, "node3.");
    ASSERT_EQ(plain.size(), prefixed.size());
    for (const auto& line : prefixed)
    {
        EXPECT_EQ(line.compare(0, 6, "node3."), 0) << line;
    }
    EXPECT_EQ(LineNamed(prefixed, "node3.ticks"),
              PadRight("node3.ticks", 28) + PadLeft("42", 15) + "  timer ticks run");
}

TEST(MtpMetrics, LongValueWidensTheLine)
{
    MtpMetrics m;
    m.dataBytesSent = 12345678901234567890ULL;
    EXPECT_EQ(LineNamed(Lines(m), "data_bytes_sent"),
              PadRight("data_bytes_sent", 28) + "12345678901234567890" +
                  "  message bytes sent, retransmissions included");
}
