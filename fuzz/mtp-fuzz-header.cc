/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * mtp-fuzz-header: libFuzzer harness for MTP's wire-format parsing.
 *
 * Each input is taken as the bytes of one MTP packet (an IP payload: the
 * MTP header, then the payload).  The harness does with them what the
 * receive path does, plus what the send path does with what it parsed, and
 * aborts (a crash for libFuzzer) when a property breaks:
 *
 *  - MtpHeader::Peek accepts exactly the packets that hold a whole header of
 *    one of the nine types, and says TRUNCATED / UNKNOWN_TYPE otherwise;
 *  - a packet Peek accepts parses with its type's header class, and
 *    serializing that header gives back the input bytes, byte for byte,
 *    except the bytes the format ignores (the unused TCP ack bytes, DATA's
 *    two pad bytes and the ACK slots past num_acks), which come out zero;
 *  - parsing that output again and serializing it is stable (same bytes);
 *  - the semantic checks (DATA's and ACK's Validate) never crash, and ACK's
 *    agrees with num_acks;
 *  - a header re-sent with a computed checksum (IPv4 or IPv6 pseudo-header,
 *    chosen by the input) verifies, and fails once any other byte changes.
 *
 * Memory errors and undefined behaviour are caught by ASan/UBSan (the build
 * links -fsanitize=fuzzer,address,undefined).  See doc/testing.rst.
 */

#include "ns3/buffer.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/mtp-error.h"
#include "ns3/mtp-header.h"
#include "ns3/packet.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{

/** Stop the run (libFuzzer saves the input) when a property does not hold. */
void
Require(bool ok, const char* what)
{
    if (!ok)
    {
        std::fprintf(stderr, "mtp-fuzz-header: property violated: %s\n", what);
        std::abort();
    }
}

/** The bytes of a packet. */
std::vector<uint8_t>
BytesOf(Ptr<const Packet> p)
{
    std::vector<uint8_t> v(p->GetSize());
    p->CopyData(v.data(), static_cast<uint32_t>(v.size()));
    return v;
}

/** A new, default header object of the class that parses packet type `t`. */
std::unique_ptr<MtpHeader>
NewHeaderFor(MtpPacketType t)
{
    switch (t)
    {
    case MtpPacketType::DATA:
        return std::make_unique<MtpDataHeader>();
    case MtpPacketType::GRANT:
        return std::make_unique<MtpGrantHeader>();
    case MtpPacketType::RESEND:
        return std::make_unique<MtpResendHeader>();
    case MtpPacketType::RPC_UNKNOWN:
        return std::make_unique<MtpUnknownHeader>();
    case MtpPacketType::BUSY:
        return std::make_unique<MtpBusyHeader>();
    case MtpPacketType::CUTOFFS:
        return std::make_unique<MtpCutoffsHeader>();
    case MtpPacketType::FREEZE:
        return std::make_unique<MtpFreezeHeader>();
    case MtpPacketType::NEED_ACK:
        return std::make_unique<MtpNeedAckHeader>();
    case MtpPacketType::ACK:
        return std::make_unique<MtpAckHeader>();
    }
    return nullptr;
}

/**
 * Whether byte `k` of a header of type `t` is one the format does not keep
 * (written as zero however it was received).  `numAcks` is an ACK's count.
 */
bool
IsIgnoredByte(MtpPacketType t, uint32_t k, uint16_t numAcks)
{
    if (k >= 8 && k < 11)
    {
        return true; // common header: the three unused high bytes of TCP's ack field
    }
    if (t == MtpPacketType::DATA)
    {
        return k == 50 || k == 51; // pad[1..2] after retransmit and the extension flags
    }
    if (t == MtpPacketType::ACK)
    {
        // num_acks at 28..29, then five 10-byte slots; slots past num_acks go out as 0.
        const uint32_t firstUnused = 30 + 10 * std::min<uint32_t>(numAcks, MtpAckHeader::MAX_ACKS);
        return k >= firstUnused;
    }
    return false;
}

/** Semantic checks of the type's header; `payload` bytes follow the header. */
void
CheckValidate(const MtpHeader& h, uint32_t payload)
{
    if (const auto* data = dynamic_cast<const MtpDataHeader*>(&h))
    {
        const MtpDropReason r = data->Validate(payload, 1000000);
        if (r == MtpDropReason::NONE && data->GetMessageLength() > 0)
        {
            Require(static_cast<uint64_t>(data->GetOffset()) + payload <= data->GetMessageLength(),
                    "DATA Validate accepted a segment outside its message");
            Require(payload > 0, "DATA Validate accepted an empty segment of a message");
        }
    }
    else if (const auto* ack = dynamic_cast<const MtpAckHeader*>(&h))
    {
        const bool tooMany = ack->GetNumAcks() > MtpAckHeader::MAX_ACKS;
        Require((ack->Validate() == MtpDropReason::BAD_ACK_COUNT) == tooMany,
                "ACK Validate disagrees with num_acks");
        Require(ack->GetAcks().size() ==
                    std::min<size_t>(ack->GetNumAcks(), MtpAckHeader::MAX_ACKS),
                "ACK GetAcks size is not min(num_acks, 5)");
    }
}

/** A pseudo-header made of input bytes: IPv4 or IPv6 by the first byte's low bit. */
MtpPseudoHeader
PseudoFrom(const uint8_t* data, size_t size)
{
    uint8_t a[32] = {};
    for (size_t k = 0; k < sizeof(a) && k < size; ++k)
    {
        a[k] = data[size - 1 - k]; // from the end, so it varies apart from the header
    }
    if (size > 0 && (data[0] & 1) != 0)
    {
        return MtpPseudoHeader(Ipv6Address(a), Ipv6Address(a + 16));
    }
    return MtpPseudoHeader(Ipv4Address::Deserialize(a), Ipv4Address::Deserialize(a + 4));
}

/** Re-send `h` with a computed checksum over `payload`; check that it verifies. */
void
CheckChecksum(MtpHeader& h, const std::vector<uint8_t>& payload, const MtpPseudoHeader& pseudo)
{
    Ptr<Packet> q = Create<Packet>(payload.data(), static_cast<uint32_t>(payload.size()));
    h.EnableChecksum(pseudo);
    q->AddHeader(h);
    Require(MtpHeader::IsChecksumValid(q, pseudo), "a computed checksum does not verify");

    // Change one byte that is not the checksum itself: it must no longer verify.
    std::vector<uint8_t> bytes = BytesOf(q);
    const size_t k = payload.empty() ? 0 : bytes.size() - 1;
    bytes[k] ^= 0x5a;
    Ptr<Packet> bad = Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()));
    Require(!MtpHeader::IsChecksumValid(bad, pseudo), "a corrupted packet's checksum verifies");
}

/** Peek's verdict must follow from the size and the type byte alone. */
void
CheckPeekVerdict(const uint8_t* data, size_t size, MtpDropReason reason)
{
    if (size < MtpHeader::COMMON_SIZE)
    {
        Require(reason == MtpDropReason::TRUNCATED, "short packet not TRUNCATED");
        return;
    }
    const uint8_t type = data[11];
    if (!MtpIsKnownPacketType(type))
    {
        Require(reason == MtpDropReason::UNKNOWN_TYPE, "unknown type not UNKNOWN_TYPE");
        return;
    }
    const bool whole = size >= MtpHeaderSizeForType(static_cast<MtpPacketType>(type));
    Require(reason == (whole ? MtpDropReason::NONE : MtpDropReason::TRUNCATED),
            "Peek verdict does not match the size of the type's header");
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 65535)
    {
        return -1; // larger than any IP payload: not worth keeping in the corpus
    }
    Ptr<Packet> p = Create<Packet>(data, static_cast<uint32_t>(size));
    // Any bytes, any pseudo-header: the check runs (first thing on receipt) without harm.
    (void)MtpHeader::IsChecksumValid(p, PseudoFrom(data, size));

    MtpHeader common;
    const MtpDropReason reason = MtpHeader::Peek(p, common);
    CheckPeekVerdict(data, size, reason);
    if (reason != MtpDropReason::NONE)
    {
        return 0;
    }

    // Parse as the receive path does.
    std::unique_ptr<MtpHeader> h = NewHeaderFor(common.GetType());
    Require(h != nullptr, "Peek accepted a type no header class parses");
    const uint32_t hsize = p->RemoveHeader(*h);
    Require(hsize == MtpHeaderSizeForType(common.GetType()), "RemoveHeader size");
    Require(hsize == h->GetSerializedSize(), "GetSerializedSize differs from what was read");
    Require(p->GetSize() == size - hsize, "payload size after RemoveHeader");
    Require(h->GetSourcePort() == common.GetSourcePort() &&
                h->GetDestinationPort() == common.GetDestinationPort() &&
                h->GetSenderId() == common.GetSenderId() && h->GetType() == common.GetType(),
            "Peek and RemoveHeader read different common fields");
    std::ostringstream printed;
    h->Print(printed);
    CheckValidate(*h, p->GetSize());

    // Serialize what was parsed: the input bytes again, but for the ignored ones.
    Ptr<Packet> out = Create<Packet>();
    out->AddHeader(*h);
    const std::vector<uint8_t> first = BytesOf(out);
    Require(first.size() == hsize, "serialized size");
    const uint16_t numAcks =
        common.GetType() == MtpPacketType::ACK ? static_cast<MtpAckHeader&>(*h).GetNumAcks() : 0;
    for (uint32_t k = 0; k < hsize; ++k)
    {
        const uint8_t expect = IsIgnoredByte(common.GetType(), k, numAcks) ? 0 : data[k];
        Require(first[k] == expect, "re-serialized header differs from the input");
    }

    // Parse the output again: serializing it must be stable.
    std::unique_ptr<MtpHeader> again = NewHeaderFor(common.GetType());
    out->RemoveHeader(*again);
    Ptr<Packet> out2 = Create<Packet>();
    out2->AddHeader(*again);
    Require(BytesOf(out2) == first, "parse/serialize is not stable");

    CheckChecksum(*h, BytesOf(p), PseudoFrom(data, size));
    return 0;
}
