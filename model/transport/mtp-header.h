/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The MTP wire format: the 28-byte common header every MTP packet starts
 * with, and one Header class per packet type (DATA, GRANT, RESEND,
 * RPC_UNKNOWN, BUSY, CUTOFFS, FREEZE, NEED_ACK, ACK).
 *
 * The byte layout is the one Linux Homa puts on the wire (homa_wire.h), field
 * for field, every multi-byte field in network byte order and no padding, so
 * MTP pcaps decode with Homa's tools and an emulated MTP host could talk to a
 * real Homa host.  The first four bytes are the source and destination ports,
 * as in TCP and UDP, so the 8 bytes of L4 header that an ICMP error quotes are
 * enough to find the socket.
 *
 * The fields are also filled as current Linux Homa fills them (HomaModule,
 * homa_outgoing.c and homa_hijack.h): every packet carries the TCP-style flags
 * 6 and urgent 0xb97d, doff 0x50 (control packets) or 0xe0 (DATA), and, when
 * enabled, the Internet checksum over a TCP pseudo-header, the header and the
 * payload; a DATA packet sent for the first time carries its offset in
 * `sequence` and 0xffffffff in seg.offset, a retransmitted one has the offset
 * in both.  doc/mtp.rst ("Wire format") lists what Homa does, function by
 * function.
 *
 * This header gathers the three that define it: mtp-common-header.h (the
 * common header, packet types, acks, checksum), mtp-data-header.h (DATA)
 * and mtp-control-headers.h (GRANT, RESEND, RPC_UNKNOWN, BUSY, FREEZE,
 * NEED_ACK, CUTOFFS, ACK).  Include it to use any MTP header.
 */

#ifndef MTP_HEADER_H
#define MTP_HEADER_H

#include "ns3/mtp-common-header.h"
#include "ns3/mtp-control-headers.h"
#include "ns3/mtp-data-header.h"

#endif /* MTP_HEADER_H */
