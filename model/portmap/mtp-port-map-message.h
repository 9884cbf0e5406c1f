/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPortMapMessage: what two port-mapper daemons say to each other over
 * UDP (port 3935, as iwpmd), on IPv4 or IPv6.  The active side's daemon
 * asks the passive side's daemon which mapped endpoint stands for a real
 * one (QUERY); the answer carries it, or an error (ANSWER).  The format is
 * this module's own (iwpmd's is private to it), version 2, 68 bytes,
 * network byte order:
 *
 *   0  version (2)        1  type (1 QUERY, 2 ANSWER)
 *   2  status (MtpError)  3  flags (MtpPortMapFlags of the query)
 *   4  sequence number (4), echoed by the answer
 *   8  endpoint A   28  endpoint B   48  endpoint C
 *
 * An endpoint is 20 bytes:
 *   0  address family (4 IPv4, 6 IPv6)   1  reserved (0)
 *   2  port (2)
 *   4  address (16): IPv6, the 16 bytes (never an IPv4-mapped ::ffff:0:0/96
 *      one: IPv4 has its own family); IPv4, the 4 bytes then 12 zero bytes.
 *   QUERY:  A = the asker's real endpoint, B = its mapped endpoint,
 *           C = the real endpoint it wants to reach.
 *   ANSWER: A = the real endpoint asked for (C of the query), B = its mapped
 *           endpoint (valid, port > 0, when status is OK), C = unused.
 * Unused endpoints are the unspecified IPv6 endpoint ([::]:0).
 * Parse() refuses anything else with the reason (MtpPortMapDropReason); the
 * daemon drops such datagrams and counts them per reason.  Clock-free; the
 * daemon sends and receives it, the gtests check it byte by byte.
 */

#ifndef MTP_PORT_MAP_MESSAGE_H
#define MTP_PORT_MAP_MESSAGE_H

#include "ns3/mtp-port-map-table.h"

#include <cstdint>
#include <ostream>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-portmap
 * \brief Why a port-mapper daemon dropped a datagram it received.  The
 *        message reasons come from MtpPortMapMessage::Parse, the last from
 *        the daemon itself.
 */
enum class MtpPortMapDropReason : uint8_t
{
    NONE = 0,         //!< not dropped
    BAD_SIZE,         //!< not MtpPortMapMessage::SIZE bytes (or no bytes at all)
    BAD_VERSION,      //!< version byte is not MtpPortMapMessage::VERSION
    BAD_TYPE,         //!< type byte is neither QUERY nor ANSWER
    BAD_STATUS,       //!< status byte is no MtpError
    BAD_FAMILY,       //!< an endpoint's family byte is neither 4 nor 6
    BAD_RESERVED,     //!< an endpoint's reserved byte is not 0
    BAD_ADDRESS,      //!< IPv4 endpoint with non-zero padding, or an IPv4-mapped IPv6 one
    BAD_ANSWER,       //!< an OK ANSWER whose mapped endpoint has port 0
    UNMATCHED_ANSWER, //!< (daemon) an ANSWER for no pending query of ours
    COUNT,            //!< number of reasons (not a reason)
};

/**
 * \param os stream
 * \param r reason
 * \return the stream, with the reason's name (e.g. "BAD_FAMILY")
 */
std::ostream& operator<<(std::ostream& os, MtpPortMapDropReason r);

/**
 * \ingroup mtp-portmap
 * \brief A port-mapper daemon message (QUERY or ANSWER), see the file comment.
 */
struct MtpPortMapMessage
{
    /** Message types. */
    enum Type : uint8_t
    {
        QUERY = 1,  //!< which mapped endpoint stands for C?
        ANSWER = 2, //!< B stands for A (or status says why not)
    };

    /** Address family bytes of an endpoint. */
    enum Family : uint8_t
    {
        FAMILY_IPV4 = 4, //!< IPv4: 4 address bytes, 12 zero bytes
        FAMILY_IPV6 = 6, //!< IPv6: 16 address bytes
    };

    static constexpr uint8_t VERSION = 2;         //!< the only version
    static constexpr uint32_t ENDPOINT_SIZE = 20; //!< family, reserved, port, 16-byte address
    static constexpr uint32_t SIZE = 8 + 3 * ENDPOINT_SIZE; //!< bytes on the wire (68)

    uint8_t type = QUERY;           //!< QUERY or ANSWER
    MtpError status = MtpError::OK; //!< ANSWER: OK or why there is no mapping
    uint8_t flags = 0;              //!< QUERY: the asker's MtpPortMapFlags
    uint32_t sequence = 0;          //!< matches an ANSWER to its QUERY
    MtpPortMapEndpoint a;           //!< see the file comment
    MtpPortMapEndpoint b;           //!< see the file comment
    MtpPortMapEndpoint c;           //!< see the file comment

    /** \return the SIZE bytes of the message */
    std::vector<uint8_t> Serialize() const;

    /**
     * \param data bytes received (may be null)
     * \param size their number
     * \param[out] msg the message (untouched unless the result is NONE)
     * \return NONE, or why the bytes are no valid message
     */
    static MtpPortMapDropReason Parse(const uint8_t* data, uint32_t size, MtpPortMapMessage& msg);

    /**
     * \param data bytes received
     * \param size their number
     * \param[out] msg the message
     * \return true if Parse accepts them (msg untouched otherwise)
     */
    static bool Deserialize(const uint8_t* data, uint32_t size, MtpPortMapMessage& msg);
};

} // namespace ns3

#endif /* MTP_PORT_MAP_MESSAGE_H */
