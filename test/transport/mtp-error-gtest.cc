/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Unit tests of mtp-error.h: the errno-style name, description and ns-3
 * SocketErrno of every MtpError, the name of every MtpDropReason, the
 * stream operators, and what out-of-range values print.
 */

#include "ns3/mtp-error.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// What one MtpError must look like to an application.
struct ErrorRow
{
    MtpError error;             //!< the value
    const char* name;           //!< MtpErrorName
    Socket::SocketErrno socket; //!< MtpErrorToSocketErrno
};

/// Every MtpError, in declaration order, with its name and ns-3 errno.
const std::vector<ErrorRow>&
ErrorTable()
{
    static const std::vector<ErrorRow> rows = {
        {MtpError::OK, "OK", Socket::ERROR_NOTERROR},
        {MtpError::INVAL, "EINVAL", Socket::ERROR_INVAL},
        {MtpError::ADDRINUSE, "EADDRINUSE", Socket::ERROR_ADDRINUSE},
        {MtpError::MSGSIZE, "EMSGSIZE", Socket::ERROR_MSGSIZE},
        {MtpError::NOENT, "ENOENT", Socket::ERROR_INVAL},
        {MtpError::BADF, "EBADF", Socket::ERROR_BADF},
        {MtpError::SHUTDOWN, "ESHUTDOWN", Socket::ERROR_SHUTDOWN},
        {MtpError::NOTCONN, "ENOTCONN", Socket::ERROR_NOTCONN},
        {MtpError::HOSTUNREACH, "EHOSTUNREACH", Socket::ERROR_NOROUTETOHOST},
        {MtpError::PROTONOSUPPORT, "EPROTONOSUPPORT", Socket::ERROR_OPNOTSUPP},
        {MtpError::TIMEDOUT, "ETIMEDOUT", Socket::ERROR_NOROUTETOHOST},
        {MtpError::CANCELED, "ECANCELED", Socket::ERROR_NOTERROR},
        {MtpError::AGAIN, "EAGAIN", Socket::ERROR_AGAIN},
        {MtpError::AFNOSUPPORT, "EAFNOSUPPORT", Socket::ERROR_AFNOSUPPORT},
        {MtpError::ALREADY, "EALREADY", Socket::ERROR_AGAIN},
        {MtpError::PERM, "EPERM", Socket::ERROR_OPNOTSUPP},
        {MtpError::BUSY, "EBUSY", Socket::ERROR_AGAIN},
        {MtpError::SRCH, "ESRCH", Socket::ERROR_NOTCONN},
    };
    return rows;
}

} // namespace

TEST(MtpError, TableCoversEveryValue)
{
    // The table lists the enum in order, so a new value breaks this test
    // until it gets a row (and a name, and an ns-3 errno).
    const auto& rows = ErrorTable();
    for (std::size_t k = 0; k < rows.size(); ++k)
    {
        EXPECT_EQ(static_cast<std::size_t>(rows[k].error), k) << rows[k].name;
    }
    EXPECT_EQ(MtpErrorName(static_cast<MtpError>(rows.size())), "E?");
}

TEST(MtpError, NameOfEveryValue)
{
    for (const auto& row : ErrorTable())
    {
        EXPECT_EQ(MtpErrorName(row.error), row.name);
    }
}

TEST(MtpError, NamesAreDistinct)
{
    std::set<std::string> names;
    for (const auto& row : ErrorTable())
    {
        EXPECT_TRUE(names.insert(MtpErrorName(row.error)).second) << row.name;
    }
}

TEST(MtpError, SocketErrnoOfEveryValue)
{
    for (const auto& row : ErrorTable())
    {
        EXPECT_EQ(MtpErrorToSocketErrno(row.error), row.socket) << row.name;
    }
}

TEST(MtpError, DescriptionOfEveryValue)
{
    EXPECT_EQ(MtpErrorString(MtpError::OK), "no error");
    EXPECT_EQ(MtpErrorString(MtpError::TIMEDOUT), "peer stopped answering");
    EXPECT_EQ(MtpErrorString(MtpError::NOTCONN), "peer port is not open (ICMP port unreachable)");
    EXPECT_EQ(MtpErrorString(MtpError::BUSY), "the stack is in use");
    EXPECT_EQ(MtpErrorString(MtpError::SRCH), "no port-mapper daemon runs on the node");
    std::set<std::string> texts;
    for (const auto& row : ErrorTable())
    {
        std::string text = MtpErrorString(row.error);
        EXPECT_NE(text, "unknown error") << row.name;
        EXPECT_TRUE(texts.insert(text).second) << row.name << ": " << text;
    }
}

TEST(MtpError, OutOfRangeValue)
{
    auto bogus = static_cast<MtpError>(200);
    EXPECT_EQ(MtpErrorName(bogus), "E?");
    EXPECT_EQ(MtpErrorString(bogus), "unknown error");
    EXPECT_EQ(MtpErrorToSocketErrno(bogus), Socket::ERROR_INVAL);
}

TEST(MtpError, StreamPrintsName)
{
    std::ostringstream os;
    os << MtpError::HOSTUNREACH << "," << MtpError::OK << "," << static_cast<MtpError>(99);
    EXPECT_EQ(os.str(), "EHOSTUNREACH,OK,E?");
}

TEST(MtpDropReason, NameOfEveryReason)
{
    const std::vector<std::pair<MtpDropReason, const char*>> rows = {
        {MtpDropReason::NONE, "none"},
        {MtpDropReason::TRUNCATED, "truncated"},
        {MtpDropReason::UNKNOWN_TYPE, "unknown_type"},
        {MtpDropReason::BAD_LENGTH, "bad_length"},
        {MtpDropReason::BAD_OFFSET, "bad_offset"},
        {MtpDropReason::BAD_ACK_COUNT, "bad_ack_count"},
        {MtpDropReason::LENGTH_MISMATCH, "length_mismatch"},
        {MtpDropReason::NO_SOCKET, "no_socket"},
        {MtpDropReason::NO_RPC, "no_rpc"},
        {MtpDropReason::SOCKET_SHUTDOWN, "socket_shutdown"},
        {MtpDropReason::BAD_ID, "bad_id"},
        {MtpDropReason::BAD_CHECKSUM, "bad_checksum"},
    };
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(MtpDropReason::COUNT));
    for (std::size_t k = 0; k < rows.size(); ++k)
    {
        EXPECT_EQ(static_cast<std::size_t>(rows[k].first), k);
        EXPECT_EQ(MtpDropReasonName(rows[k].first), rows[k].second);
    }
    EXPECT_EQ(MtpDropReasonName(MtpDropReason::COUNT), "unknown");
    EXPECT_EQ(MtpDropReasonName(static_cast<MtpDropReason>(77)), "unknown");
}

TEST(MtpDropReason, StreamPrintsName)
{
    std::ostringstream os;
    os << MtpDropReason::BAD_CHECKSUM << " " << MtpDropReason::NONE;
    EXPECT_EQ(os.str(), "bad_checksum none");
}
