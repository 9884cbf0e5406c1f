/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-error.h"

namespace ns3
{

std::string
MtpErrorName(MtpError e)
{
    switch (e)
    {
    case MtpError::OK:
        return "OK";
    case MtpError::INVAL:
        return "EINVAL";
    case MtpError::ADDRINUSE:
        return "EADDRINUSE";
    case MtpError::MSGSIZE:
        return "EMSGSIZE";
    case MtpError::NOENT:
        return "ENOENT";
    case MtpError::BADF:
        return "EBADF";
    case MtpError::SHUTDOWN:
        return "ESHUTDOWN";
    case MtpError::NOTCONN:
        return "ENOTCONN";
    case MtpError::HOSTUNREACH:
        return "EHOSTUNREACH";
    case MtpError::PROTONOSUPPORT:
        return "EPROTONOSUPPORT";
    case MtpError::TIMEDOUT:
        return "ETIMEDOUT";
    case MtpError::CANCELED:
        return "ECANCELED";
    case MtpError::AGAIN:
        return "EAGAIN";
    case MtpError::AFNOSUPPORT:
        return "EAFNOSUPPORT";
    case MtpError::ALREADY:
        return "EALREADY";
    case MtpError::PERM:
        return "EPERM";
    case MtpError::BUSY:
        return "EBUSY";
    case MtpError::SRCH:
        return "ESRCH";
    }
    return "E?";
}

std::string
MtpErrorString(MtpError e)
{
    switch (e)
    {
    case MtpError::OK:
        return "no error";
    case MtpError::INVAL:
        return "invalid argument";
    case MtpError::ADDRINUSE:
        return "port already bound by another socket";
    case MtpError::MSGSIZE:
        return "message longer than the maximum message length";
    case MtpError::NOENT:
        return "no request with that id awaits a response";
    case MtpError::BADF:
        return "socket is closed";
    case MtpError::SHUTDOWN:
        return "socket is shut down";
    case MtpError::NOTCONN:
        return "peer port is not open (ICMP port unreachable)";
    case MtpError::HOSTUNREACH:
        return "peer host is unreachable";
    case MtpError::PROTONOSUPPORT:
        return "peer does not run MTP (ICMP protocol unreachable)";
    case MtpError::TIMEDOUT:
        return "peer stopped answering";
    case MtpError::CANCELED:
        return "RPC aborted by the application";
    case MtpError::AGAIN:
        return "nothing to receive";
    case MtpError::AFNOSUPPORT:
        return "address is neither IPv4 nor IPv6";
    case MtpError::ALREADY:
        return "a stack of that name is registered already";
    case MtpError::PERM:
        return "the default stack cannot be removed";
    case MtpError::BUSY:
        return "the stack is in use";
    case MtpError::SRCH:
        return "no port-mapper daemon runs on the node";
    }
    return "unknown error";
}

Socket::SocketErrno
MtpErrorToSocketErrno(MtpError e)
{
    switch (e)
    {
    case MtpError::OK:
        return Socket::ERROR_NOTERROR;
    case MtpError::INVAL:
    case MtpError::NOENT:
        return Socket::ERROR_INVAL;
    case MtpError::ADDRINUSE:
        return Socket::ERROR_ADDRINUSE;
    case MtpError::MSGSIZE:
        return Socket::ERROR_MSGSIZE;
    case MtpError::BADF:
        return Socket::ERROR_BADF;
    case MtpError::SHUTDOWN:
        return Socket::ERROR_SHUTDOWN;
    case MtpError::NOTCONN:
        return Socket::ERROR_NOTCONN;
    case MtpError::HOSTUNREACH:
    case MtpError::TIMEDOUT:
        return Socket::ERROR_NOROUTETOHOST;
    case MtpError::PROTONOSUPPORT:
        return Socket::ERROR_OPNOTSUPP;
    case MtpError::CANCELED:
        return Socket::ERROR_NOTERROR;
    case MtpError::AGAIN:
        return Socket::ERROR_AGAIN;
    case MtpError::AFNOSUPPORT:
        return Socket::ERROR_AFNOSUPPORT;
    case MtpError::ALREADY:
    case MtpError::BUSY:
        return Socket::ERROR_AGAIN;
    case MtpError::PERM:
        return Socket::ERROR_OPNOTSUPP;
    case MtpError::SRCH:
        return Socket::ERROR_NOTCONN;
    }
    return Socket::ERROR_INVAL;
}

std::string
MtpDropReasonName(MtpDropReason r)
{
    switch (r)
    {
    case MtpDropReason::NONE:
        return "none";
    case MtpDropReason::TRUNCATED:
        return "truncated";
    case MtpDropReason::UNKNOWN_TYPE:
        return "unknown_type";
    case MtpDropReason::BAD_LENGTH:
        return "bad_length";
    case MtpDropReason::BAD_OFFSET:
        return "bad_offset";
    case MtpDropReason::BAD_ACK_COUNT:
        return "bad_ack_count";
    case MtpDropReason::LENGTH_MISMATCH:
        return "length_mismatch";
    case MtpDropReason::NO_SOCKET:
        return "no_socket";
    case MtpDropReason::NO_RPC:
        return "no_rpc";
    case MtpDropReason::SOCKET_SHUTDOWN:
        return "socket_shutdown";
    case MtpDropReason::BAD_ID:
        return "bad_id";
    case MtpDropReason::BAD_CHECKSUM:
        return "bad_checksum";
    case MtpDropReason::COUNT:
        break;
    }
    return "unknown";
}

std::ostream&
operator<<(std::ostream& os, MtpError e)
{
    return os << MtpErrorName(e);
}

std::ostream&
operator<<(std::ostream& os, MtpDropReason r)
{
    return os << MtpDropReasonName(r);
}

} // namespace ns3
