/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpMetrics: the per-node counters of MTP, printed in the style of Linux
 * Homa's /proc/net/homa_metrics (one "name value comment" line each).
 *
 * Counters only ever grow; experiments read them at the end of a run or
 * diff two snapshots.  Packet and byte counts are kept per packet type and
 * per priority so that a run can show how much traffic each level carried.
 */

#ifndef MTP_METRICS_H
#define MTP_METRICS_H

#include "ns3/mtp-error.h"
#include "ns3/mtp-header.h"

#include <array>
#include <cstdint>
#include <ostream>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief Counters of one node's MTP instance.
 */
struct MtpMetrics
{
    /// Number of packet type slots (codes 0x10..0x18).
    static constexpr int NUM_TYPES = 9;

    /// Index of a packet type in the per-type arrays.
    static int TypeIndex(MtpPacketType t)
    {
        return static_cast<int>(t) - static_cast<int>(MtpPacketType::DATA);
    }

    std::array<uint64_t, NUM_TYPES> packetsSent{};     //!< packets sent, by type
    std::array<uint64_t, NUM_TYPES> packetsReceived{}; //!< packets received and accepted, by type
    std::array<uint64_t, MtpHeader::MAX_PRIORITIES>
        packetsSentPrio{}; //!< packets sent, by priority
    std::array<uint64_t, MtpHeader::MAX_PRIORITIES>
        bytesSentPrio{}; //!< MTP bytes (header+payload) sent, by priority
    std::array<uint64_t, static_cast<int>(MtpDropReason::COUNT)> drops{}; //!< drops, by reason

    uint64_t dataBytesSent = 0;        //!< message payload bytes sent (retransmissions included)
    uint64_t dataBytesReceived = 0;    //!< message payload bytes received (duplicates included)
    uint64_t duplicateBytes = 0;       //!< payload bytes received that were already held
    uint64_t requestsStarted = 0;      //!< client RPCs started (SendRequest or one-way sends)
    uint64_t requestsReceived = 0;     //!< requests delivered to server applications
    uint64_t responsesSent = 0;        //!< responses started by server applications
    uint64_t responsesReceived = 0;    //!< responses delivered to client applications
    uint64_t oneWayReceived = 0;       //!< one-way messages delivered
    uint64_t rpcsCompleted = 0;        //!< client RPCs that ended with a response
    uint64_t rpcsAborted = 0;          //!< RPCs ended with an error (any reason)
    uint64_t timeouts = 0;             //!< RPCs ended with ETIMEDOUT
    uint64_t icmpAborts = 0;           //!< RPCs ended by an ICMP error
    uint64_t restarts = 0;             //!< client requests restarted after RPC_UNKNOWN
    uint64_t resendsSent = 0;          //!< RESEND packets sent
    uint64_t resendsReceived = 0;      //!< RESEND packets received
    uint64_t packetsRetransmitted = 0; //!< DATA packets sent again because of a RESEND
    uint64_t grantsSent = 0;           //!< GRANT packets sent
    uint64_t fifoGrants = 0;           //!< GRANTs given to the oldest message (not SRPT)
    uint64_t pacerStalls = 0;          //!< times the pacer had to wait for the NIC queue to drain
    uint64_t pacerBypass = 0;          //!< DATA packets of short messages that skipped the pacer
    uint64_t serverRpcsFreed = 0;      //!< server RPCs freed after the client's ACK
    uint64_t serverRpcsDiscarded = 0;  //!< server RPCs freed because the client stopped answering
    uint64_t acksPiggybacked = 0;      //!< acks carried in DATA packets
    uint64_t oneWayAcked = 0;          //!< one-way messages sent and freed by the receiver's ack
    uint64_t oneWayLingerHits = 0;     //!< packets for a completed one-way id (OneWayLinger)
    uint64_t ticks = 0;                //!< timer ticks run
    uint64_t routeFailures = 0;        //!< sends that found no route

    /**
     * \brief Print every counter, one per line: name, value, comment.
     * \param os the stream
     * \param prefix put before each name (e.g. the node id)
     */
    void Print(std::ostream& os, const std::string& prefix = "") const;

    /** \return total drops over all reasons */
    uint64_t TotalDrops() const;
};

} // namespace ns3

#endif /* MTP_METRICS_H */
