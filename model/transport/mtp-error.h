/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpError and MtpDropReason: the two vocabularies MTP uses to say what went
 * wrong.  MtpError is what an application sees (a socket call that failed, an
 * RPC that was aborted); MtpDropReason is why the protocol threw a packet
 * away (it is counted in the metrics and reported by the Drop trace).
 *
 * ns-3's Socket::SocketErrno has no ETIMEDOUT, EHOSTUNREACH, ... so MTP keeps
 * its own errno-like enum; MtpSocket reports both (GetErrno() maps each
 * MtpError to the nearest SocketErrno, GetMtpErrno() returns the exact one).
 */

#ifndef MTP_ERROR_H
#define MTP_ERROR_H

#include "ns3/socket.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief Errors an MTP application can see, named after the Linux errno that
 *        Homa returns in the same situation, without the leading E (errno.h
 *        defines the E names as macros); MtpErrorName() gives "EINVAL" etc.
 */
enum class MtpError : uint8_t
{
    OK = 0,         //!< no error
    INVAL,          //!< bad argument (bad port, bad address family, empty id...)
    ADDRINUSE,      //!< Bind to a server port that another socket holds
    MSGSIZE,        //!< message longer than MtpL4Protocol::MaxMessageLength
    NOENT,          //!< SendResponse for an id that names no request awaiting a response
    BADF,           //!< the socket is closed
    SHUTDOWN,       //!< the socket was shut down (Homa's shutdown: no more sends/receives)
    NOTCONN,        //!< the peer port is closed (ICMP port unreachable)
    HOSTUNREACH,    //!< the peer host cannot be reached (ICMP host/net unreachable, no route)
    PROTONOSUPPORT, //!< the peer does not speak MTP (ICMP protocol unreachable)
    TIMEDOUT,       //!< the peer stopped answering (TimeoutResends RESENDs unanswered)
    CANCELED,       //!< the application aborted the RPC
    AGAIN,          //!< nothing to receive now
    AFNOSUPPORT,    //!< the address is neither IPv4 nor IPv6
    ALREADY,        //!< RegisterStack: a stack of that name is registered already
    PERM,           //!< DeregisterStack: the built-in or configured default stack
    BUSY,           //!< DeregisterStack: sockets still use the stack; or a handoff refused
    SRCH,           //!< no port-mapper daemon runs on the node (Linux iwpm's ESRCH)
};

/**
 * \ingroup mtp-transport
 * \brief Why the protocol dropped an incoming packet.  Every drop is counted
 *        per reason in MtpMetrics and fired on MtpL4Protocol's Drop trace.
 */
enum class MtpDropReason : uint8_t
{
    NONE = 0,        //!< not dropped
    TRUNCATED,       //!< shorter than the header its type needs
    UNKNOWN_TYPE,    //!< type byte is not one of the nine MTP packet types
    BAD_LENGTH,      //!< DATA message_length is 0 or above the maximum message length
    BAD_OFFSET,      //!< DATA segment does not fit inside its message
    BAD_ACK_COUNT,   //!< ACK num_acks above the five the packet can hold
    LENGTH_MISMATCH, //!< DATA message_length differs from earlier packets of the same message
    NO_SOCKET,       //!< destination port has no socket (ICMP port unreachable is sent)
    NO_RPC,          //!< control packet for an RPC this host does not know
    SOCKET_SHUTDOWN, //!< destination socket is shut down or closed
    BAD_ID,          //!< RPC id whose parity does not fit the packet's direction
    BAD_CHECKSUM,    //!< checksum wrong while checksums are on (MtpL4Protocol::IsChecksumEnabled)
    COUNT            //!< number of reasons (not a reason)
};

/**
 * \brief The errno-style name of an MtpError ("ETIMEDOUT").
 * \param e the error
 * \return its name
 */
std::string MtpErrorName(MtpError e);

/**
 * \brief A human description of an MtpError ("peer did not answer").
 * \param e the error
 * \return the description
 */
std::string MtpErrorString(MtpError e);

/**
 * \brief The nearest ns-3 Socket::SocketErrno for an MtpError.
 * \param e the error
 * \return the ns-3 error code
 */
Socket::SocketErrno MtpErrorToSocketErrno(MtpError e);

/**
 * \brief The snake-case name of a drop reason ("truncated"), as printed in metrics.
 * \param r the reason
 * \return its name
 */
std::string MtpDropReasonName(MtpDropReason r);

/**
 * \brief Print an MtpError by name ("ETIMEDOUT").
 * \param os the stream
 * \param e the error
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, MtpError e);

/**
 * \brief Print a drop reason by name ("truncated").
 * \param os the stream
 * \param r the reason
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, MtpDropReason r);

} // namespace ns3

#endif /* MTP_ERROR_H */
