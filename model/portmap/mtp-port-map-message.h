/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPortMapMessage: what two port-mapper daemons say to each other over
 * UDP (port 3935, as iwpmd).  The active side's daemon asks the passive
 * side's daemon which mapped endpoint stands for a real one (QUERY); the
 * answer carries it, or an error (ANSWER).  The format is this module's own
 * (iwpmd's is private to it), 62 bytes, network byte order:
 *
 *   0  version (1)        1  type (1 QUERY, 2 ANSWER)
 *   2  status (MtpError)  3  flags (MtpPortMapFlags of the query)
 *   4  sequence number (4), echoed by the answer
 *   8  endpoint A   26  endpoint B   44  endpoint C
 *
 * An endpoint is 16 bytes of IPv6 address (IPv4 mapped, ::ffff:a.b.c.d)
 * then a 2-byte port.
 *   QUERY:  A = the asker's real endpoint, B = its mapped endpoint,
 *           C = the real endpoint it wants to reach.
 *   ANSWER: A = the real endpoint asked for (C of the query), B = its mapped
 *           endpoint (valid when status is OK), C = unused (zero).
 * Clock-free; the daemon sends and receives it, the gtests check it byte by
 * byte.
 */

#ifndef MTP_PORT_MAP_MESSAGE_H
#define MTP_PORT_MAP_MESSAGE_H

#include "ns3/mtp-port-map-table.h"

#include <cstdint>
#include <vector>

namespace ns3
{

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

    static constexpr uint8_t VERSION = 1;         //!< the only version
    static constexpr uint32_t ENDPOINT_SIZE = 18; //!< 16-byte address + port
    static constexpr uint32_t SIZE = 8 + 3 * 18;  //!< bytes on the wire (62)

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
     * \param data bytes received
     * \param size their number
     * \param[out] msg the message
     * \return false (msg untouched) if the size is not SIZE, the version is
     *         not VERSION or the type is unknown
     */
    static bool Deserialize(const uint8_t* data, uint32_t size, MtpPortMapMessage& msg);
};

} // namespace ns3

#endif /* MTP_PORT_MAP_MESSAGE_H */
