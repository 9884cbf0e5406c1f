/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Tests of the MTP wire format (mtp-header): every packet type is checked
 * byte for byte against a golden image written out by hand from Linux Homa's
 * homa_wire.h (field offsets and widths, network byte order) and filled as
 * Homa fills it (doff, flags 6, urgent 0xb97d, DATA offset in sequence with
 * seg.offset -1), then peeked and parsed back field by field; the checksum
 * against hand-computed IPv4 and IPv6 packets and an independent routine;
 * reading of older MTP and Homa GSO forms; Peek and Validate are fed short,
 * unknown and malformed packets, and random bytes.
 */

#include "ns3/mtp-header.h"
#include "ns3/packet.h"
#include "ns3/test.h"

#include <array>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * \ingroup mtp-test
 * \brief Name of a drop reason, so that NS_TEST macros (which stream both sides) can
 *        compare reasons and print them on failure.
 * \param r the reason
 * \return its name
 */
std::string
R(MtpDropReason r)
{
    return MtpDropReasonName(r);
}

/** The largest message MTP accepts by default (Homa's HOMA_MAX_MESSAGE_LENGTH). */
constexpr uint32_t MAX_MESSAGE = 1000000;

} // namespace

/**
 * \ingroup mtp-test
 * \brief Common helpers of the header test cases: build a packet from raw bytes, compare
 *        a packet's bytes with an expected image, compare common headers.
 */
class MtpHeaderTestCaseBase : public TestCase
{
  protected:
    /**
     * \brief Constructor.
     * \param name the test case name
     */
    explicit MtpHeaderTestCaseBase(std::string name)
        : TestCase(name)
    {
    }

    /**
     * \brief A packet holding exactly these bytes.
     * \param bytes the bytes
     * \return the packet
     */
    static Ptr<Packet> FromBytes(const std::vector<uint8_t>& bytes)
    {
        if (bytes.empty())
        {
            return Create<Packet>();
        }
        return Create<Packet>(bytes.data(), static_cast<uint32_t>(bytes.size()));
    }

    /**
     * \brief Check that the first expected.size() bytes of `p` are `expected`.
     * \param p the packet
     * \param expected the expected bytes, in wire order
     * \param what a label for failure messages
     */
    void CheckBytes(Ptr<const Packet> p,
                    const std::vector<uint8_t>& expected,
                    const std::string& what)
    {
        NS_TEST_ASSERT_MSG_GT_OR_EQ(p->GetSize(), expected.size(), what << ": packet too short");
        std::vector<uint8_t> got(expected.size());
        p->CopyData(got.data(), static_cast<uint32_t>(got.size()));
        for (std::size_t k = 0; k < expected.size(); ++k)
        {
            NS_TEST_EXPECT_MSG_EQ(static_cast<unsigned>(got[k]),
                                  static_cast<unsigned>(expected[k]),
                                  what << ": byte " << k << " differs");
        }
    }

    /**
     * \brief Check that every common-header field of `got` equals that of `want`.
     * \param got the parsed header
     * \param want the header that was serialized
     * \param what a label for failure messages
     */
    void CheckCommon(const MtpHeader& got, const MtpHeader& want, const std::string& what)
    {
        NS_TEST_EXPECT_MSG_EQ(got.GetSourcePort(), want.GetSourcePort(), what << ": sport");
        NS_TEST_EXPECT_MSG_EQ(got.GetDestinationPort(),
                              want.GetDestinationPort(),
                              what << ": dport");
        NS_TEST_EXPECT_MSG_EQ(got.GetSequence(), want.GetSequence(), what << ": sequence");
        NS_TEST_EXPECT_MSG_EQ(got.GetType(), want.GetType(), what << ": type");
        NS_TEST_EXPECT_MSG_EQ(+got.GetTypeCode(), +want.GetTypeCode(), what << ": type code");
        NS_TEST_EXPECT_MSG_EQ(+got.GetDoff(), +want.GetDoff(), what << ": doff");
        NS_TEST_EXPECT_MSG_EQ(+got.GetFlags(), +want.GetFlags(), what << ": flags");
        NS_TEST_EXPECT_MSG_EQ(got.GetWindow(), want.GetWindow(), what << ": window");
        NS_TEST_EXPECT_MSG_EQ(got.GetChecksum(), want.GetChecksum(), what << ": checksum");
        NS_TEST_EXPECT_MSG_EQ(got.GetUrgent(), want.GetUrgent(), what << ": urgent");
        NS_TEST_EXPECT_MSG_EQ(got.GetSenderId(), want.GetSenderId(), what << ": sender id");
    }

    /**
     * \brief Serialize `h` in front of `payloadBytes` zero bytes, check the header bytes
     *        against `expected`, then Peek (must pass and match the common fields) and
     *        RemoveHeader into `out` (must consume exactly `expected.size()` bytes).
     * \tparam H the header class
     * \param h the header to send
     * \param expected its expected wire image
     * \param payloadBytes bytes of payload after the header
     * \param out receives the parsed header
     */
    template <class H>
    void RoundTrip(const H& h, const std::vector<uint8_t>& expected, uint32_t payloadBytes, H& out)
    {
        const std::string what = MtpPacketTypeName(h.GetType());
        NS_TEST_ASSERT_MSG_EQ(h.GetSerializedSize(), expected.size(), what << ": size");
        NS_TEST_ASSERT_MSG_EQ(h.GetSerializedSize(),
                              MtpHeaderSizeForType(h.GetType()),
                              what << ": size vs table");

        Ptr<Packet> p = Create<Packet>(payloadBytes);
        p->AddHeader(h);
        NS_TEST_ASSERT_MSG_EQ(p->GetSize(), expected.size() + payloadBytes, what << ": length");
        CheckBytes(p, expected, what);

        MtpHeader common;
        NS_TEST_ASSERT_MSG_EQ(R(MtpHeader::Peek(p, common)), R(MtpDropReason::NONE), what);
        NS_TEST_EXPECT_MSG_EQ(p->GetSize(), expected.size() + payloadBytes, "Peek removed bytes");
        CheckCommon(common, h, what + " (peeked)");

        const uint32_t consumed = p->RemoveHeader(out);
        NS_TEST_EXPECT_MSG_EQ(consumed, expected.size(), what << ": RemoveHeader consumed");
        NS_TEST_EXPECT_MSG_EQ(p->GetSize(), payloadBytes, what << ": payload left");
        CheckCommon(out, h, what + " (removed)");

        std::ostringstream oss;
        out.Print(oss);
        NS_TEST_EXPECT_MSG_EQ(oss.str().rfind(what + " ", 0),
                              0,
                              "Print starts with the type name: " << oss.str());
        NS_TEST_EXPECT_MSG_EQ(oss.str().find('\n'), std::string::npos, "Print is one line");
    }
};

/**
 * \ingroup mtp-test
 * \brief Type codes, names, sizes: MtpPacketTypeName, MtpIsKnownPacketType,
 *        MtpHeaderSizeForType and each class's GetSerializedSize against the wire table.
 */
class MtpHeaderSizesTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpHeaderSizesTestCase()
        : MtpHeaderTestCaseBase("type codes, names and header sizes")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::COMMON_SIZE, 28, "common");
        NS_TEST_EXPECT_MSG_EQ(MtpHeader().GetSerializedSize(), 28, "MtpHeader");
        NS_TEST_EXPECT_MSG_EQ(MtpDataHeader().GetSerializedSize(), 56, "DATA");
        NS_TEST_EXPECT_MSG_EQ(MtpGrantHeader().GetSerializedSize(), 33, "GRANT");
        NS_TEST_EXPECT_MSG_EQ(MtpResendHeader().GetSerializedSize(), 37, "RESEND");
        NS_TEST_EXPECT_MSG_EQ(MtpUnknownHeader().GetSerializedSize(), 28, "RPC_UNKNOWN");
        NS_TEST_EXPECT_MSG_EQ(MtpBusyHeader().GetSerializedSize(), 28, "BUSY");
        NS_TEST_EXPECT_MSG_EQ(MtpCutoffsHeader().GetSerializedSize(), 62, "CUTOFFS");
        NS_TEST_EXPECT_MSG_EQ(MtpFreezeHeader().GetSerializedSize(), 28, "FREEZE");
        NS_TEST_EXPECT_MSG_EQ(MtpNeedAckHeader().GetSerializedSize(), 28, "NEED_ACK");
        NS_TEST_EXPECT_MSG_EQ(MtpAckHeader().GetSerializedSize(), 80, "ACK");

        struct Row
        {
            uint8_t code;
            const char* name;
            uint32_t size;
        };

        const std::array<Row, 9> table{{{0x10, "DATA", 56},
                                        {0x11, "GRANT", 33},
                                        {0x12, "RESEND", 37},
                                        {0x13, "RPC_UNKNOWN", 28},
                                        {0x14, "BUSY", 28},
                                        {0x15, "CUTOFFS", 62},
                                        {0x16, "FREEZE", 28},
                                        {0x17, "NEED_ACK", 28},
                                        {0x18, "ACK", 80}}};
        for (const Row& row : table)
        {
            const auto t = static_cast<MtpPacketType>(row.code);
            NS_TEST_EXPECT_MSG_EQ(MtpIsKnownPacketType(row.code), true, row.name);
            NS_TEST_EXPECT_MSG_EQ(MtpPacketTypeName(t), row.name, "name");
            NS_TEST_EXPECT_MSG_EQ(MtpHeaderSizeForType(t), row.size, row.name);
        }
        for (unsigned code : {0x00u, 0x0Fu, 0x19u, 0x80u, 0xFFu})
        {
            const auto c = static_cast<uint8_t>(code);
            NS_TEST_EXPECT_MSG_EQ(MtpIsKnownPacketType(c), false, "code " << code);
            NS_TEST_EXPECT_MSG_EQ(MtpHeaderSizeForType(static_cast<MtpPacketType>(c)),
                                  0,
                                  "code " << code);
        }
        NS_TEST_EXPECT_MSG_EQ(MtpPacketTypeName(static_cast<MtpPacketType>(0x19)),
                              "UNKNOWN(0x19)",
                              "unknown name");
        NS_TEST_EXPECT_MSG_EQ(MtpPacketTypeName(static_cast<MtpPacketType>(0x00)),
                              "UNKNOWN(0x00)",
                              "unknown name");

        // Presets of the constructors.
        NS_TEST_EXPECT_MSG_EQ(+MtpDataHeader().GetDoff(), 0xE0, "DATA doff = (56 / 4) << 4");
        NS_TEST_EXPECT_MSG_EQ(+MtpGrantHeader().GetDoff(), 0x50, "control doff = (20 / 4) << 4");
        NS_TEST_EXPECT_MSG_EQ(+MtpAckHeader().GetDoff(), 0x50, "control doff");
        NS_TEST_EXPECT_MSG_EQ(+MtpHeader(MtpPacketType::BUSY).GetDoff(), 0x50, "control doff");
        NS_TEST_EXPECT_MSG_EQ(+MtpHeader(MtpPacketType::DATA).GetDoff(), 0xE0, "DATA doff");
        for (uint8_t code = 0x10; code <= 0x18; ++code)
        {
            const MtpHeader h(static_cast<MtpPacketType>(code));
            NS_TEST_EXPECT_MSG_EQ(+h.GetFlags(), 0x06, "Homa's flags in type " << +code);
            NS_TEST_EXPECT_MSG_EQ(h.GetUrgent(), 0xB97D, "Homa's urgent in type " << +code);
            NS_TEST_EXPECT_MSG_EQ(h.GetWindow(), 0, "window");
            NS_TEST_EXPECT_MSG_EQ(h.IsChecksumEnabled(), false, "checksum off until enabled");
        }
        // The empty parse target stays all zero.
        NS_TEST_EXPECT_MSG_EQ(+MtpHeader().GetDoff(), 0, "parse target doff");
        NS_TEST_EXPECT_MSG_EQ(+MtpHeader().GetFlags(), 0, "parse target flags");
        NS_TEST_EXPECT_MSG_EQ(MtpHeader().GetUrgent(), 0, "parse target urgent");
        NS_TEST_EXPECT_MSG_EQ(MtpDataHeader().GetSegOffset(),
                              MtpDataHeader::OFFSET_IN_SEQUENCE,
                              "DATA seg.offset preset");
        NS_TEST_EXPECT_MSG_EQ(MtpUnknownHeader().GetType(), MtpPacketType::RPC_UNKNOWN, "type");
        NS_TEST_EXPECT_MSG_EQ(MtpBusyHeader().GetType(), MtpPacketType::BUSY, "type");
        NS_TEST_EXPECT_MSG_EQ(MtpFreezeHeader().GetType(), MtpPacketType::FREEZE, "type");
        NS_TEST_EXPECT_MSG_EQ(MtpNeedAckHeader().GetType(), MtpPacketType::NEED_ACK, "type");
        NS_TEST_EXPECT_MSG_EQ(MtpCutoffsHeader().GetType(), MtpPacketType::CUTOFFS, "type");
        NS_TEST_EXPECT_MSG_EQ(MtpAckHeader().GetType(), MtpPacketType::ACK, "type");
        NS_TEST_EXPECT_MSG_EQ(MtpResendHeader().GetType(), MtpPacketType::RESEND, "type");

        // TypeIds are registered and distinct.
        NS_TEST_EXPECT_MSG_EQ(MtpDataHeader().GetInstanceTypeId().GetName(),
                              "ns3::MtpDataHeader",
                              "TypeId");
        NS_TEST_EXPECT_MSG_EQ(MtpAckHeader::GetTypeId().GetParent(),
                              MtpHeader::GetTypeId(),
                              "parent TypeId");
    }
};

/**
 * \ingroup mtp-test
 * \brief DATA round trips against hand-written 56-byte images of homa_data_hdr as Homa
 *        fills it: a first transmission (offset in sequence, seg.offset 0xffffffff, as
 *        homa_tx_data_pkt_alloc) and a retransmission (offset in both, retransmit 1, as
 *        homa_resend_data).
 */
class MtpDataHeaderRoundTripTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpDataHeaderRoundTripTestCase()
        : MtpHeaderTestCaseBase("DATA round trip, byte for byte")
    {
    }

  private:
    void DoRun() override
    {
        MtpDataHeader h;
        h.SetSourcePort(40000);
        h.SetDestinationPort(8001);
        h.SetSenderId(0x1122334455667788ULL);
        h.SetMessageLength(100000);
        h.SetIncoming(10000);
        h.SetAck(MtpAck{0x0102030405060708ULL, 0x0063});
        h.SetCutoffVersion(0x0203);
        h.SetExtFlags(MtpDataHeader::FLAG_ONE_WAY);
        h.SetOffset(1400);
        NS_TEST_EXPECT_MSG_EQ(h.GetSequence(), 1400, "SetOffset puts the offset in sequence");
        NS_TEST_EXPECT_MSG_EQ(h.GetSegOffset(), 0xFFFFFFFF, "and -1 in seg.offset");

        // homa_data_hdr: common (0..27), message_length @28, incoming @32, ack @36
        // {client_id 8, server_port 2}, cutoff_version @46, retransmit @48, pad[3] @49,
        // seg.offset @52.
        const std::vector<uint8_t> expected{
            0x9C, 0x40,                                     // @0 sport 40000
            0x1F, 0x41,                                     // @2 dport 8001
            0x00, 0x00, 0x05, 0x78,                         // @4 sequence = offset 1400
            0x00, 0x00, 0x00,                               // @8 ack[3], unused
            0x10,                                           // @11 type DATA
            0xE0,                                           // @12 doff: 14 words << 4
            0x06,                                           // @13 flags: SYN|RST
            0x00, 0x00,                                     // @14 window
            0x00, 0x00,                                     // @16 checksum (not computed)
            0xB9, 0x7D,                                     // @18 urgent
            0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, // @20 sender_id
            0x00, 0x01, 0x86, 0xA0,                         // @28 message_length 100000
            0x00, 0x00, 0x27, 0x10,                         // @32 incoming 10000
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // @36 ack.client_id
            0x00, 0x63,                                     // @44 ack.server_port 99
            0x02, 0x03,                                     // @46 cutoff_version
            0x00,                                           // @48 retransmit
            0x01, 0x00, 0x00,                               // @49 pad: FLAG_ONE_WAY, 0, 0
            0xFF, 0xFF, 0xFF, 0xFF,                         // @52 seg.offset: see sequence
        };

        MtpDataHeader out;
        RoundTrip(h, expected, 1000, out);
        NS_TEST_EXPECT_MSG_EQ(out.GetMessageLength(), 100000, "message_length");
        NS_TEST_EXPECT_MSG_EQ(out.GetIncoming(), 10000, "incoming");
        NS_TEST_EXPECT_MSG_EQ(out.GetAck(), (MtpAck{0x0102030405060708ULL, 0x0063}), "ack");
        NS_TEST_EXPECT_MSG_EQ(out.GetCutoffVersion(), 0x0203, "cutoff_version");
        NS_TEST_EXPECT_MSG_EQ(+out.GetRetransmit(), 0, "retransmit");
        NS_TEST_EXPECT_MSG_EQ(+out.GetExtFlags(), +MtpDataHeader::FLAG_ONE_WAY, "ext flags");
        NS_TEST_EXPECT_MSG_EQ(out.GetOffset(), 1400, "offset, read from sequence");
        NS_TEST_EXPECT_MSG_EQ(out.GetSegOffset(), 0xFFFFFFFF, "raw seg.offset");
        NS_TEST_EXPECT_MSG_EQ(R(out.Validate(1000, MAX_MESSAGE)), R(MtpDropReason::NONE), "ok");

        // The same segment sent again in answer to a RESEND.
        h.SetRetransmit(1);
        h.SetSegOffset(1400);
        std::vector<uint8_t> again = expected;
        again[48] = 0x01; // retransmit
        again[52] = 0x00; // seg.offset 1400
        again[53] = 0x00;
        again[54] = 0x05;
        again[55] = 0x78;
        MtpDataHeader outAgain;
        RoundTrip(h, again, 1000, outAgain);
        NS_TEST_EXPECT_MSG_EQ(+outAgain.GetRetransmit(), 1, "retransmit");
        NS_TEST_EXPECT_MSG_EQ(outAgain.GetOffset(), 1400, "offset");
        NS_TEST_EXPECT_MSG_EQ(outAgain.GetSegOffset(), 1400, "raw seg.offset");

        std::ostringstream oss;
        MtpDataHeader small;
        small.SetSourcePort(40000);
        small.SetDestinationPort(8001);
        small.SetSenderId(4);
        small.SetMessageLength(100000);
        small.SetOffset(1400);
        small.SetIncoming(10000);
        small.Print(oss);
        const std::string prefix = "DATA 40000->8001 id=4 msglen=100000 off=1400 incoming=10000";
        NS_TEST_EXPECT_MSG_EQ(oss.str().substr(0, prefix.size()), prefix, "Print format");
    }
};

/**
 * \ingroup mtp-test
 * \brief GRANT round trip; also exercises every otherwise unused common field (flags,
 *        window, checksum, urgent, sequence) with distinct bytes.
 */
class MtpGrantHeaderRoundTripTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpGrantHeaderRoundTripTestCase()
        : MtpHeaderTestCaseBase("GRANT round trip, byte for byte (all common fields set)")
    {
    }

  private:
    void DoRun() override
    {
        MtpGrantHeader h;
        h.SetSourcePort(0x8001);
        h.SetDestinationPort(0x0102);
        h.SetSequence(0xDEADBEEF);
        h.SetDoff(0x50);
        h.SetFlags(0x06);
        h.SetWindow(0x1234);
        h.SetChecksum(0xABCD);
        h.SetUrgent(0xB97D);
        h.SetSenderId(0x8000000000000001ULL);
        h.SetOffset(0x00C0FFEE);
        h.SetPriority(6);

        const std::vector<uint8_t> expected{
            0x80, 0x01,                                     // sport
            0x01, 0x02,                                     // dport
            0xDE, 0xAD, 0xBE, 0xEF,                         // sequence
            0x00, 0x00, 0x00,                               // ack[3]
            0x11,                                           // type GRANT
            0x50,                                           // doff
            0x06,                                           // flags
            0x12, 0x34,                                     // window
            0xAB, 0xCD,                                     // checksum
            0xB9, 0x7D,                                     // urgent
            0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // sender_id
            0x00, 0xC0, 0xFF, 0xEE,                         // offset
            0x06,                                           // priority
        };

        MtpGrantHeader out;
        RoundTrip(h, expected, 0, out);
        NS_TEST_EXPECT_MSG_EQ(out.GetOffset(), 0x00C0FFEE, "offset");
        NS_TEST_EXPECT_MSG_EQ(+out.GetPriority(), 6, "priority");
    }
};

/**
 * \ingroup mtp-test
 * \brief RESEND round trip, with a finite length and with LENGTH_ALL.
 */
class MtpResendHeaderRoundTripTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpResendHeaderRoundTripTestCase()
        : MtpHeaderTestCaseBase("RESEND round trip, byte for byte")
    {
    }

  private:
    void DoRun() override
    {
        MtpResendHeader h;
        h.SetSourcePort(8001);
        h.SetDestinationPort(40000);
        h.SetSenderId(5);
        h.SetOffset(2800);
        h.SetLength(1400);
        h.SetPriority(7);

        const std::vector<uint8_t> expected{
            0x1F, 0x41,                                     // sport 8001
            0x9C, 0x40,                                     // dport 40000
            0x00, 0x00, 0x00, 0x00,                         // sequence
            0x00, 0x00, 0x00,                               // ack[3]
            0x12,                                           // type RESEND
            0x50,                                           // doff: 5 words << 4
            0x06,                                           // flags: SYN|RST
            0x00, 0x00,                                     // window
            0x00, 0x00,                                     // checksum
            0xB9, 0x7D,                                     // urgent
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, // sender_id 5
            0x00, 0x00, 0x0A, 0xF0,                         // offset 2800
            0x00, 0x00, 0x05, 0x78,                         // length 1400
            0x07,                                           // priority
        };

        MtpResendHeader out;
        RoundTrip(h, expected, 0, out);
        NS_TEST_EXPECT_MSG_EQ(out.GetOffset(), 2800, "offset");
        NS_TEST_EXPECT_MSG_EQ(out.GetLength(), 1400, "length");
        NS_TEST_EXPECT_MSG_EQ(+out.GetPriority(), 7, "priority");

        h.SetOffset(0);
        h.SetLength(MtpResendHeader::LENGTH_ALL);
        h.SetPriority(0);
        const std::vector<uint8_t> expectedAll{
            0x1F, 0x41,                                     // sport 8001
            0x9C, 0x40,                                     // dport 40000
            0x00, 0x00, 0x00, 0x00,                         // sequence
            0x00, 0x00, 0x00,                               // ack[3]
            0x12,                                           // type RESEND
            0x50,                                           // doff: 5 words << 4
            0x06,                                           // flags: SYN|RST
            0x00, 0x00,                                     // window
            0x00, 0x00,                                     // checksum
            0xB9, 0x7D,                                     // urgent
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, // sender_id 5
            0x00, 0x00, 0x00, 0x00,                         // offset 0
            0xFF, 0xFF, 0xFF, 0xFF,                         // length: everything
            0x00,                                           // priority
        };
        MtpResendHeader outAll;
        RoundTrip(h, expectedAll, 0, outAll);
        NS_TEST_EXPECT_MSG_EQ(outAll.GetLength(), MtpResendHeader::LENGTH_ALL, "LENGTH_ALL");
    }
};

/**
 * \ingroup mtp-test
 * \brief Round trips of the four common-header-only types (RPC_UNKNOWN, BUSY, FREEZE,
 *        NEED_ACK), each against its own hand-written 28-byte image.
 */
class MtpControlHeaderRoundTripTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpControlHeaderRoundTripTestCase()
        : MtpHeaderTestCaseBase("RPC_UNKNOWN, BUSY, FREEZE, NEED_ACK round trips")
    {
    }

  private:
    /**
     * \brief Fill the common fields shared by the four cases.
     * \param h the header
     */
    static void Fill(MtpHeader& h)
    {
        h.SetSourcePort(0x8123);
        h.SetDestinationPort(0x0050);
        h.SetSenderId(0x00000000CAFEBABEULL);
    }

    void DoRun() override
    {
        {
            MtpUnknownHeader h;
            Fill(h);
            const std::vector<uint8_t> expected{
                0x81, 0x23, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, // ports, sequence
                0x00, 0x00, 0x00, 0x13, 0x50, 0x06,             // ack[3], type, doff, flags
                0x00, 0x00, 0x00, 0x00, 0xB9, 0x7D,             // window, checksum, urgent
                0x00, 0x00, 0x00, 0x00, 0xCA, 0xFE, 0xBA, 0xBE, // sender_id
            };
            MtpUnknownHeader out;
            RoundTrip(h, expected, 0, out);
        }
        {
            MtpBusyHeader h;
            Fill(h);
            const std::vector<uint8_t> expected{
                0x81, 0x23, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, // ports, sequence
                0x00, 0x00, 0x00, 0x14, 0x50, 0x06,             // ack[3], type, doff, flags
                0x00, 0x00, 0x00, 0x00, 0xB9, 0x7D,             // window, checksum, urgent
                0x00, 0x00, 0x00, 0x00, 0xCA, 0xFE, 0xBA, 0xBE, // sender_id
            };
            MtpBusyHeader out;
            RoundTrip(h, expected, 0, out);
        }
        {
            MtpFreezeHeader h;
            Fill(h);
            const std::vector<uint8_t> expected{
                0x81, 0x23, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, // ports, sequence
                0x00, 0x00, 0x00, 0x16, 0x50, 0x06,             // ack[3], type, doff, flags
                0x00, 0x00, 0x00, 0x00, 0xB9, 0x7D,             // window, checksum, urgent
                0x00, 0x00, 0x00, 0x00, 0xCA, 0xFE, 0xBA, 0xBE, // sender_id
            };
            MtpFreezeHeader out;
            RoundTrip(h, expected, 0, out);
        }
        {
            MtpNeedAckHeader h;
            Fill(h);
            const std::vector<uint8_t> expected{
                0x81, 0x23, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, // ports, sequence
                0x00, 0x00, 0x00, 0x17, 0x50, 0x06,             // ack[3], type, doff, flags
                0x00, 0x00, 0x00, 0x00, 0xB9, 0x7D,             // window, checksum, urgent
                0x00, 0x00, 0x00, 0x00, 0xCA, 0xFE, 0xBA, 0xBE, // sender_id
            };
            MtpNeedAckHeader out;
            RoundTrip(h, expected, 0, out);
        }
        {
            // The plain common header serializes the same 28 bytes as its subclasses.
            MtpHeader h(MtpPacketType::BUSY);
            Fill(h);
            const std::vector<uint8_t> expected{
                0x81, 0x23, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, // ports, sequence
                0x00, 0x00, 0x00, 0x14, 0x50, 0x06,             // ack[3], type, doff, flags
                0x00, 0x00, 0x00, 0x00, 0xB9, 0x7D,             // window, checksum, urgent
                0x00, 0x00, 0x00, 0x00, 0xCA, 0xFE, 0xBA, 0xBE, // sender_id
            };
            MtpHeader out;
            RoundTrip(h, expected, 0, out);
        }
    }
};

/**
 * \ingroup mtp-test
 * \brief CUTOFFS round trip with Homa's default cutoffs; SetCutoff bounds.
 */
class MtpCutoffsHeaderRoundTripTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpCutoffsHeaderRoundTripTestCase()
        : MtpHeaderTestCaseBase("CUTOFFS round trip, byte for byte")
    {
    }

  private:
    void DoRun() override
    {
        MtpCutoffsHeader h;
        h.SetSourcePort(8001);
        h.SetDestinationPort(40001);
        h.SetSenderId(7);
        h.SetCutoffs({1000000, 15000, 2800, 200, 0, 0, 0, 0});
        h.SetCutoff(4, 0x01020304);
        h.SetCutoff(8, 99); // out of range: ignored
        h.SetCutoffVersion(0x0102);
        NS_TEST_EXPECT_MSG_EQ(h.GetCutoff(8), 0, "out-of-range index reads 0");

        const std::vector<uint8_t> expected{
            0x1F, 0x41,                                     // sport 8001
            0x9C, 0x41,                                     // dport 40001
            0x00, 0x00, 0x00, 0x00,                         // sequence
            0x00, 0x00, 0x00,                               // ack[3]
            0x15,                                           // type CUTOFFS
            0x50, 0x06,                                     // doff, flags
            0x00, 0x00,                                     // window
            0x00, 0x00,                                     // checksum
            0xB9, 0x7D,                                     // urgent
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, // sender_id 7
            0x00, 0x0F, 0x42, 0x40,                         // cutoffs[0] 1000000
            0x00, 0x00, 0x3A, 0x98,                         // cutoffs[1] 15000
            0x00, 0x00, 0x0A, 0xF0,                         // cutoffs[2] 2800
            0x00, 0x00, 0x00, 0xC8,                         // cutoffs[3] 200
            0x01, 0x02, 0x03, 0x04,                         // cutoffs[4]
            0x00, 0x00, 0x00, 0x00,                         // cutoffs[5]
            0x00, 0x00, 0x00, 0x00,                         // cutoffs[6]
            0x00, 0x00, 0x00, 0x00,                         // cutoffs[7]
            0x01, 0x02,                                     // cutoff_version
        };

        MtpCutoffsHeader out;
        RoundTrip(h, expected, 0, out);
        const std::array<uint32_t, 8> want{1000000, 15000, 2800, 200, 0x01020304, 0, 0, 0};
        NS_TEST_EXPECT_MSG_EQ((out.GetCutoffs() == want), true, "cutoffs array");
        for (uint8_t p = 0; p < MtpHeader::MAX_PRIORITIES; ++p)
        {
            NS_TEST_EXPECT_MSG_EQ(out.GetCutoff(p), want[p], "cutoff " << +p);
        }
        NS_TEST_EXPECT_MSG_EQ(out.GetCutoffVersion(), 0x0102, "cutoff_version");
    }
};

/**
 * \ingroup mtp-test
 * \brief ACK round trip (two acks, three zero slots on the wire); AddAck refuses a sixth.
 */
class MtpAckHeaderRoundTripTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpAckHeaderRoundTripTestCase()
        : MtpHeaderTestCaseBase("ACK round trip, byte for byte")
    {
    }

  private:
    void DoRun() override
    {
        MtpAckHeader h;
        h.SetSourcePort(40000);
        h.SetDestinationPort(8001);
        h.SetSenderId(0);
        NS_TEST_EXPECT_MSG_EQ(h.AddAck(MtpAck{0x0A0B0C0D0E0F1011ULL, 8001}), true, "ack 1");
        NS_TEST_EXPECT_MSG_EQ(h.AddAck(MtpAck{2, 0x0102}), true, "ack 2");

        const std::vector<uint8_t> expected{
            0x9C, 0x40,                                     // sport 40000
            0x1F, 0x41,                                     // dport 8001
            0x00, 0x00, 0x00, 0x00,                         // sequence
            0x00, 0x00, 0x00,                               // ack[3]
            0x18,                                           // type ACK
            0x50, 0x06,                                     // doff, flags
            0x00, 0x00,                                     // window
            0x00, 0x00,                                     // checksum
            0xB9, 0x7D,                                     // urgent
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // sender_id 0
            0x00, 0x02,                                     // num_acks
            0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, // acks[0].client_id
            0x1F, 0x41,                                     // acks[0].server_port
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // acks[1].client_id
            0x01, 0x02,                                     // acks[1].server_port
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // acks[2] (unused)
            0x00, 0x00,                                     //
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // acks[3] (unused)
            0x00, 0x00,                                     //
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // acks[4] (unused)
            0x00, 0x00,                                     //
        };

        MtpAckHeader out;
        RoundTrip(h, expected, 0, out);
        NS_TEST_EXPECT_MSG_EQ(out.GetNumAcks(), 2, "num_acks");
        NS_TEST_EXPECT_MSG_EQ(out.GetAck(0), (MtpAck{0x0A0B0C0D0E0F1011ULL, 8001}), "ack 0");
        NS_TEST_EXPECT_MSG_EQ(out.GetAck(1), (MtpAck{2, 0x0102}), "ack 1");
        NS_TEST_EXPECT_MSG_EQ(out.GetAck(2), MtpAck(), "slot past num_acks reads empty");
        NS_TEST_EXPECT_MSG_EQ(out.GetAcks().size(), 2, "GetAcks");
        NS_TEST_EXPECT_MSG_EQ(R(out.Validate()), R(MtpDropReason::NONE), "valid");

        MtpAckHeader full;
        for (uint64_t k = 1; k <= MtpAckHeader::MAX_ACKS; ++k)
        {
            NS_TEST_EXPECT_MSG_EQ(full.AddAck(MtpAck{k * 2, 1}), true, "ack " << k);
        }
        NS_TEST_EXPECT_MSG_EQ(full.AddAck(MtpAck{12, 1}), false, "sixth ack refused");
        NS_TEST_EXPECT_MSG_EQ(full.GetNumAcks(), 5, "num_acks stays 5");
        NS_TEST_EXPECT_MSG_EQ(full.GetAck(4), (MtpAck{10, 1}), "last ack");
    }
};

/**
 * \ingroup mtp-test
 * \brief Reading stays tolerant: DATA packets with the offset where older MTP put it (in
 *        both fields, doff/flags/urgent 0) or where Homa's software GSO puts it (true
 *        offset in seg.offset, the first segment's in sequence) parse to the right
 *        offset, and a control packet with doff 0 passes Peek.
 */
class MtpHeaderReadFormsTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpHeaderReadFormsTestCase()
        : MtpHeaderTestCaseBase("reading: older MTP and Homa GSO offset forms, doff 0")
    {
    }

  private:
    /**
     * \brief A DATA image with the given sequence and seg.offset, message of 100000
     *        bytes, and 1000 payload bytes after it.
     * \param sequence the common sequence field
     * \param segOffset the seg.offset field
     * \param homaFields write Homa's doff/flags/urgent (else 0xE0 / 0 / 0 as older MTP)
     * \return the packet
     */
    static Ptr<Packet> Data(uint32_t sequence, uint32_t segOffset, bool homaFields)
    {
        std::vector<uint8_t> b{
            0x9C,
            0x40,
            0x1F,
            0x41, // ports
            0x00,
            0x00,
            0x00,
            0x00, // sequence (patched)
            0x00,
            0x00,
            0x00,
            0x10,
            0xE0,
            0x00, // ack[3], type, doff, flags
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00, // window, checksum, urgent
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x04, // sender_id 4
            0x00,
            0x01,
            0x86,
            0xA0, // message_length 100000
            0x00,
            0x00,
            0x27,
            0x10, // incoming 10000
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00, // ack.client_id
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00,
            0x00, // server_port, cutoff_version,
                  // retransmit, pad[3]
            0x00,
            0x00,
            0x00,
            0x00, // seg.offset (patched)
        };
        for (int k = 0; k < 4; ++k)
        {
            b[4 + k] = static_cast<uint8_t>(sequence >> (24 - 8 * k));
            b[52 + k] = static_cast<uint8_t>(segOffset >> (24 - 8 * k));
        }
        if (homaFields)
        {
            b[13] = 0x06;
            b[18] = 0xB9;
            b[19] = 0x7D;
        }
        b.resize(b.size() + 1000, 0x33);
        return FromBytes(b);
    }

    /**
     * \brief Peek and parse a DATA packet and check the offset it yields.
     * \param p the packet
     * \param offset the expected offset
     * \param what label
     */
    void Expect(Ptr<Packet> p, uint32_t offset, const std::string& what)
    {
        MtpHeader common;
        NS_TEST_ASSERT_MSG_EQ(R(MtpHeader::Peek(p, common)), R(MtpDropReason::NONE), what);
        MtpDataHeader h;
        NS_TEST_EXPECT_MSG_EQ(p->RemoveHeader(h), MtpDataHeader::SIZE, what);
        NS_TEST_EXPECT_MSG_EQ(h.GetOffset(), offset, what << ": offset");
        NS_TEST_EXPECT_MSG_EQ(R(h.Validate(p->GetSize(), MAX_MESSAGE)),
                              R(MtpDropReason::NONE),
                              what << ": valid");
    }

    void DoRun() override
    {
        Expect(Data(2800, 2800, false), 2800, "older MTP: offset in both fields");
        Expect(Data(2800, 0xFFFFFFFF, true), 2800, "Homa, first transmission");
        Expect(Data(2800, 2800, true), 2800, "Homa, retransmission");
        Expect(Data(0, 2800, true), 2800, "Homa software GSO: sequence of the first segment");
        Expect(Data(0, 0xFFFFFFFF, true), 0, "offset 0 in sequence");

        // An offset in sequence that runs past the message is still caught.
        Ptr<Packet> bad = Data(99500, 0xFFFFFFFF, true);
        MtpDataHeader h;
        bad->RemoveHeader(h);
        NS_TEST_EXPECT_MSG_EQ(R(h.Validate(bad->GetSize(), MAX_MESSAGE)),
                              R(MtpDropReason::BAD_OFFSET),
                              "offset from sequence validated");

        // A control packet as older MTP wrote it (doff, flags, urgent 0) still passes.
        const std::vector<uint8_t> grant{
            0x1F, 0x41, 0x9C, 0x40, 0x00, 0x00, 0x00, 0x00, // ports, sequence
            0x00, 0x00, 0x00, 0x11, 0x00, 0x00,             // ack[3], type GRANT, doff, flags
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             // window, checksum, urgent
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, // sender_id
            0x00, 0x00, 0x27, 0x10, 0x03,                   // offset 10000, priority 3
        };
        Ptr<Packet> p = FromBytes(grant);
        MtpHeader common;
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(p, common)), R(MtpDropReason::NONE), "doff 0");
        MtpGrantHeader g;
        NS_TEST_EXPECT_MSG_EQ(p->RemoveHeader(g), MtpGrantHeader::SIZE, "GRANT parsed");
        NS_TEST_EXPECT_MSG_EQ(g.GetOffset(), 10000, "offset");
        NS_TEST_EXPECT_MSG_EQ(+g.GetDoff(), 0, "doff kept as read");
    }
};

/**
 * \ingroup mtp-test
 * \brief The checksum: golden packets whose checksum was computed by hand (IPv4) and with
 *        an independent routine (IPv6), serialized byte for byte by MTP; MTP's arithmetic
 *        against that routine on random packets; single-bit corruption, wrong addresses
 *        and short packets fail; a zero sum is written as 0xffff.
 */
class MtpChecksumTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpChecksumTestCase()
        : MtpHeaderTestCaseBase("checksum: golden IPv4 and IPv6 packets, corruption")
    {
    }

  private:
    /**
     * \brief An Internet checksum computed differently from the model: the bytes at even
     *        positions (high halves) and odd positions (low halves) are summed apart and
     *        combined at the end.
     * \param pseudo the pseudo-header bytes, written out in full
     * \param packet the MTP packet bytes (checksum field as it should count)
     * \return the folded ones'-complement sum
     */
    static uint16_t IndependentSum(const std::vector<uint8_t>& pseudo,
                                   const std::vector<uint8_t>& packet)
    {
        uint64_t high = 0;
        uint64_t low = 0;
        for (const auto* v : {&pseudo, &packet})
        {
            for (std::size_t k = 0; k < v->size(); ++k)
            {
                ((k % 2 == 0) ? high : low) += (*v)[k];
            }
        }
        uint64_t sum = (high << 8) + low;
        while (sum > 0xFFFF)
        {
            sum = (sum >> 16) + (sum & 0xFFFF);
        }
        return static_cast<uint16_t>(sum);
    }

    /**
     * \brief The IPv4 pseudo-header bytes (protocol byte 6, as Homa).
     * \param src source, 4 bytes
     * \param dst destination, 4 bytes
     * \param length MTP packet length
     * \return 12 bytes
     */
    static std::vector<uint8_t> Pseudo4(const std::array<uint8_t, 4>& src,
                                        const std::array<uint8_t, 4>& dst,
                                        uint16_t length)
    {
        std::vector<uint8_t> b(src.begin(), src.end());
        b.insert(b.end(), dst.begin(), dst.end());
        b.insert(
            b.end(),
            {0x00, 0x06, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length & 0xFF)});
        return b;
    }

    /**
     * \brief The IPv6 pseudo-header bytes (next header 6, as Homa).
     * \param src source, 16 bytes
     * \param dst destination, 16 bytes
     * \param length MTP packet length
     * \return 40 bytes
     */
    static std::vector<uint8_t> Pseudo6(const std::array<uint8_t, 16>& src,
                                        const std::array<uint8_t, 16>& dst,
                                        uint32_t length)
    {
        std::vector<uint8_t> b(src.begin(), src.end());
        b.insert(b.end(), dst.begin(), dst.end());
        for (int k = 0; k < 4; ++k)
        {
            b.push_back(static_cast<uint8_t>(length >> (24 - 8 * k)));
        }
        b.insert(b.end(), {0x00, 0x00, 0x00, 0x06});
        return b;
    }

    /**
     * \brief The bytes of a packet.
     * \param p the packet
     * \return its bytes
     */
    static std::vector<uint8_t> Bytes(Ptr<const Packet> p)
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), static_cast<uint32_t>(b.size()));
        return b;
    }

    /**
     * \brief Every single-bit flip of `golden` fails the check.
     * \param golden a packet with a right checksum
     * \param pseudo its pseudo-header
     * \param what label
     */
    void CheckEveryBitFlipFails(const std::vector<uint8_t>& golden,
                                const MtpPseudoHeader& pseudo,
                                const std::string& what)
    {
        uint32_t caught = 0;
        for (std::size_t k = 0; k < golden.size(); ++k)
        {
            for (int bit = 0; bit < 8; ++bit)
            {
                std::vector<uint8_t> b = golden;
                b[k] ^= static_cast<uint8_t>(1u << bit);
                caught += MtpHeader::IsChecksumValid(FromBytes(b), pseudo) ? 0 : 1;
            }
        }
        NS_TEST_EXPECT_MSG_EQ(caught, golden.size() * 8, what << ": every bit flip caught");
    }

    /** \brief IPv4 BUSY, checksum worked out by hand. */
    void GoldenIpv4()
    {
        // 10.1.1.1 -> 10.1.2.1.  The 16-bit words: pseudo-header 0a01 0101 0a01 0201
        // 0006 001c, header 8001 0064 0014 5006 b97d 0003 (all others 0).  Their sum is
        // 0x1a125, folded 0xa126; the checksum is ~0xa126 = 0x5ed9.
        const std::vector<uint8_t> golden{
            0x80, 0x01, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, // sport, dport, sequence
            0x00, 0x00, 0x00, 0x14, 0x50, 0x06,             // ack[3], type BUSY, doff, flags
            0x00, 0x00, 0x5E, 0xD9, 0xB9, 0x7D,             // window, checksum, urgent
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, // sender_id 3
        };
        const MtpPseudoHeader pseudo(Ipv4Address("10.1.1.1"), Ipv4Address("10.1.2.1"));
        MtpBusyHeader h;
        h.SetSourcePort(0x8001);
        h.SetDestinationPort(100);
        h.SetSenderId(3);
        h.SetChecksum(0x1234); // replaced by the computed value
        h.EnableChecksum(pseudo);
        NS_TEST_EXPECT_MSG_EQ(h.IsChecksumEnabled(), true, "enabled");
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        CheckBytes(p, golden, "IPv4 BUSY with checksum");
        NS_TEST_EXPECT_MSG_EQ(p->GetSize(), golden.size(), "no payload");
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::IsChecksumValid(p, pseudo), true, "valid");
        NS_TEST_EXPECT_MSG_EQ(IndependentSum(Pseudo4({10, 1, 1, 1}, {10, 1, 2, 1}, 28), golden),
                              0xFFFF,
                              "independent check of the golden image");
        NS_TEST_EXPECT_MSG_EQ(MtpComputeChecksum(pseudo, golden.data(), 28), 0x5ED9, "value");

        // The same bytes from another address, or with protocol 146 in the pseudo-header
        // (0x5e4d), do not pass: Homa's pseudo-header says TCP.
        const MtpPseudoHeader other(Ipv4Address("10.1.1.2"), Ipv4Address("10.1.2.1"));
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::IsChecksumValid(p, other), false, "wrong source");
        std::vector<uint8_t> proto146 = golden;
        proto146[16] = 0x5E;
        proto146[17] = 0x4D;
        NS_TEST_EXPECT_MSG_EQ(MtpChecksumIsValid(pseudo, proto146.data(), 28),
                              false,
                              "a checksum over protocol 146 is not Homa's");
        CheckEveryBitFlipFails(golden, pseudo, "IPv4 BUSY");

        // Deserialize keeps the field as read.
        MtpBusyHeader out;
        p->RemoveHeader(out);
        NS_TEST_EXPECT_MSG_EQ(out.GetChecksum(), 0x5ED9, "read back");
    }

    /** \brief IPv6 DATA with an odd-length payload. */
    void GoldenIpv6()
    {
        // 2001:1::1 -> 2001:2::1, DATA of the 5-byte message "hello" at offset 0.
        const std::vector<uint8_t> golden{
            0x00, 0x64, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, // sport, dport, sequence 0
            0x00, 0x00, 0x00, 0x10, 0xE0, 0x06,             // ack[3], type DATA, doff, flags
            0x00, 0x00, 0x61, 0xDB, 0xB9, 0x7D,             // window, checksum, urgent
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, // sender_id 3
            0x00, 0x00, 0x00, 0x05,                         // message_length 5
            0x00, 0x00, 0x00, 0x05,                         // incoming 5
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ack.client_id
            0x00, 0x00,                                     // ack.server_port
            0x00, 0x01,                                     // cutoff_version 1
            0x00, 0x00, 0x00, 0x00,                         // retransmit, pad[3]
            0xFF, 0xFF, 0xFF, 0xFF,                         // seg.offset: see sequence
            'h',  'e',  'l',  'l',  'o',                    // payload
        };
        const std::array<uint8_t, 16> src{0x20, 0x01, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        const std::array<uint8_t, 16> dst{0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        NS_TEST_EXPECT_MSG_EQ(IndependentSum(Pseudo6(src, dst, 61), golden),
                              0xFFFF,
                              "independent check of the golden image");

        const MtpPseudoHeader pseudo(Ipv6Address("2001:1::1"), Ipv6Address("2001:2::1"));
        MtpDataHeader h;
        h.SetSourcePort(100);
        h.SetDestinationPort(0x8001);
        h.SetSenderId(3);
        h.SetMessageLength(5);
        h.SetIncoming(5);
        h.SetCutoffVersion(1);
        h.SetOffset(0);
        h.EnableChecksum(pseudo);
        const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
        Ptr<Packet> p = Create<Packet>(hello, 5);
        p->AddHeader(h);
        NS_TEST_EXPECT_MSG_EQ(p->GetSize(), golden.size(), "length");
        CheckBytes(p, golden, "IPv6 DATA with checksum");
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::IsChecksumValid(p, pseudo), true, "valid");
        const MtpPseudoHeader v4(Ipv4Address("10.1.1.1"), Ipv4Address("10.1.2.1"));
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::IsChecksumValid(p, v4), false, "wrong family");
        CheckEveryBitFlipFails(golden, pseudo, "IPv6 DATA");
    }

    /** \brief MTP's arithmetic against the independent routine on random packets. */
    void RandomPackets()
    {
        std::mt19937 rng(146);
        for (uint32_t length : {18u, 19u, 28u, 29u, 56u, 57u, 1000u, 1461u, 8999u})
        {
            std::vector<uint8_t> b(length);
            for (auto& x : b)
            {
                x = static_cast<uint8_t>(rng());
            }
            std::array<uint8_t, 4> s4{};
            std::array<uint8_t, 4> d4{};
            std::array<uint8_t, 16> s6{};
            std::array<uint8_t, 16> d6{};
            for (auto* a : {&s4, &d4})
            {
                for (auto& x : *a)
                {
                    x = static_cast<uint8_t>(rng());
                }
            }
            for (auto* a : {&s6, &d6})
            {
                for (auto& x : *a)
                {
                    x = static_cast<uint8_t>(rng());
                }
            }
            const MtpPseudoHeader p4(Ipv4Address::Deserialize(s4.data()),
                                     Ipv4Address::Deserialize(d4.data()));
            const MtpPseudoHeader p6(Ipv6Address::Deserialize(s6.data()),
                                     Ipv6Address::Deserialize(d6.data()));
            for (bool v6 : {false, true})
            {
                const MtpPseudoHeader& pseudo = v6 ? p6 : p4;
                const uint16_t c = MtpComputeChecksum(pseudo, b.data(), length);
                std::vector<uint8_t> filled = b;
                filled[16] = static_cast<uint8_t>(c >> 8);
                filled[17] = static_cast<uint8_t>(c & 0xFF);
                const std::vector<uint8_t> ph =
                    v6 ? Pseudo6(s6, d6, length) : Pseudo4(s4, d4, static_cast<uint16_t>(length));
                NS_TEST_EXPECT_MSG_EQ(IndependentSum(ph, filled),
                                      0xFFFF,
                                      "length " << length << (v6 ? " IPv6" : " IPv4"));
                NS_TEST_EXPECT_MSG_EQ(MtpChecksumIsValid(pseudo, filled.data(), length),
                                      true,
                                      "valid, length " << length);
            }
        }
    }

    /** \brief A sum of 0xffff gives checksum 0, written as 0xffff; short packets fail. */
    void EdgeCases()
    {
        const MtpPseudoHeader pseudo(Ipv4Address("10.0.0.1"), Ipv4Address("10.0.0.2"));
        std::vector<uint8_t> b(30, 0);
        b[11] = 0x14;
        const uint16_t s0 =
            IndependentSum(Pseudo4({10, 0, 0, 1}, {10, 0, 0, 2}, 30), b); // last word 0
        const auto word = static_cast<uint16_t>(0xFFFF - s0);
        b[28] = static_cast<uint8_t>(word >> 8);
        b[29] = static_cast<uint8_t>(word & 0xFF);
        NS_TEST_EXPECT_MSG_EQ(MtpComputeChecksum(pseudo, b.data(), 30), 0xFFFF, "0 sent as ffff");
        b[16] = 0xFF;
        b[17] = 0xFF;
        NS_TEST_EXPECT_MSG_EQ(MtpChecksumIsValid(pseudo, b.data(), 30), true, "and it checks");

        NS_TEST_EXPECT_MSG_EQ(MtpChecksumIsValid(pseudo, b.data(), 17), false, "no field");
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::IsChecksumValid(Create<Packet>(), pseudo),
                              false,
                              "empty packet");
        NS_TEST_EXPECT_MSG_EQ(MtpHeader::IsChecksumValid(Ptr<const Packet>(), pseudo),
                              false,
                              "no packet");

        // Not enabled: the field carries SetChecksum's value.
        MtpGrantHeader g;
        g.SetChecksum(0xBEEF);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(g);
        const std::vector<uint8_t> bytes = Bytes(p);
        NS_TEST_EXPECT_MSG_EQ((bytes[16] << 8 | bytes[17]), 0xBEEF, "raw checksum field");
    }

    void DoRun() override
    {
        GoldenIpv4();
        GoldenIpv6();
        RandomPackets();
        EdgeCases();
    }
};

/**
 * \ingroup mtp-test
 * \brief Peek rejects what cannot be parsed: no bytes, a partial common header, a type
 *        whose header does not fit, unknown type codes; it never removes bytes.
 */
class MtpHeaderPeekTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpHeaderPeekTestCase()
        : MtpHeaderTestCaseBase("Peek: truncated and unknown packets")
    {
    }

  private:
    /**
     * \brief A packet of `size` bytes whose type byte (offset 11) is `type`, all other
     *        bytes 0x5A.
     * \param size packet length
     * \param type type byte (written only if size > 11)
     * \return the packet
     */
    static Ptr<Packet> Raw(uint32_t size, uint8_t type)
    {
        std::vector<uint8_t> bytes(size, 0x5A);
        if (size > 11)
        {
            bytes[11] = type;
        }
        return FromBytes(bytes);
    }

    void DoRun() override
    {
        MtpHeader common;
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Create<Packet>(), common)),
                              R(MtpDropReason::TRUNCATED),
                              "empty packet");
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Ptr<const Packet>(), common)),
                              R(MtpDropReason::TRUNCATED),
                              "null packet");
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Raw(27, 0x14), common)),
                              R(MtpDropReason::TRUNCATED),
                              "27 bytes");
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Raw(28, 0x14), common)),
                              R(MtpDropReason::NONE),
                              "28-byte BUSY");

        // A real DATA header cut to 40 bytes.
        MtpDataHeader data;
        data.SetMessageLength(100);
        Ptr<Packet> full = Create<Packet>(0);
        full->AddHeader(data);
        Ptr<Packet> cut = full->CreateFragment(0, 40);
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(cut, common)),
                              R(MtpDropReason::TRUNCATED),
                              "DATA of 40 bytes");
        NS_TEST_EXPECT_MSG_EQ(cut->GetSize(), 40, "Peek removes nothing");
        NS_TEST_EXPECT_MSG_EQ(common.GetType(), MtpPacketType::DATA, "common filled");
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(full->CreateFragment(0, 55), common)),
                              R(MtpDropReason::TRUNCATED),
                              "DATA of 55 bytes");
        NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(full, common)), R(MtpDropReason::NONE), "56");

        // Every known type one byte short of its header, and exactly its header.
        for (uint8_t code = 0x10; code <= 0x18; ++code)
        {
            const uint32_t size = MtpHeaderSizeForType(static_cast<MtpPacketType>(code));
            if (size > MtpHeader::COMMON_SIZE)
            {
                NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Raw(size - 1, code), common)),
                                      R(MtpDropReason::TRUNCATED),
                                      "type " << +code << " short by one");
            }
            NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Raw(size, code), common)),
                                  R(MtpDropReason::NONE),
                                  "type " << +code << " exact");
            NS_TEST_EXPECT_MSG_EQ(+common.GetTypeCode(), +code, "type code");
        }

        for (unsigned code : {0x00u, 0x19u, 0xFFu})
        {
            const auto c = static_cast<uint8_t>(code);
            NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Raw(100, c), common)),
                                  R(MtpDropReason::UNKNOWN_TYPE),
                                  "type " << code);
            NS_TEST_EXPECT_MSG_EQ(+common.GetTypeCode(), code, "type byte reported");
            NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(Raw(28, c), common)),
                                  R(MtpDropReason::UNKNOWN_TYPE),
                                  "type " << code << ", 28 bytes");
        }
    }
};

/**
 * \ingroup mtp-test
 * \brief MtpDataHeader::Validate: message length bounds and segment placement, including
 *        sums that would wrap in 32 bits.
 */
class MtpDataHeaderValidateTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpDataHeaderValidateTestCase()
        : MtpHeaderTestCaseBase("DATA Validate: length and offset checks")
    {
    }

  private:
    /**
     * \brief Validate a DATA header with these fields.
     * \param length message_length
     * \param offset segment offset
     * \param payload payload bytes
     * \param max maximum message length
     * \return the reason's name
     */
    static std::string Check(uint32_t length, uint32_t offset, uint32_t payload, uint32_t max)
    {
        MtpDataHeader h;
        h.SetMessageLength(length);
        h.SetOffset(offset);
        return R(h.Validate(payload, max));
    }

    void DoRun() override
    {
        const std::string none = R(MtpDropReason::NONE);
        const std::string badLength = R(MtpDropReason::BAD_LENGTH);
        const std::string badOffset = R(MtpDropReason::BAD_OFFSET);

        NS_TEST_EXPECT_MSG_EQ(Check(0, 0, 0, MAX_MESSAGE), none, "empty message, one empty packet");
        NS_TEST_EXPECT_MSG_EQ(Check(0, 0, 1, MAX_MESSAGE), badOffset, "empty message with payload");
        NS_TEST_EXPECT_MSG_EQ(Check(0, 5, 0, MAX_MESSAGE), badOffset, "empty message at offset 5");
        NS_TEST_EXPECT_MSG_EQ(Check(MAX_MESSAGE + 1, 0, 1, MAX_MESSAGE),
                              badLength,
                              "length above max");
        NS_TEST_EXPECT_MSG_EQ(Check(0xFFFFFFFF, 0, 1, MAX_MESSAGE), badLength, "length 2^32-1");
        NS_TEST_EXPECT_MSG_EQ(Check(MAX_MESSAGE, 0, 1400, MAX_MESSAGE), none, "length = max");
        NS_TEST_EXPECT_MSG_EQ(Check(1, 0, 1, MAX_MESSAGE), none, "one byte message");
        NS_TEST_EXPECT_MSG_EQ(Check(100, 0, 100, MAX_MESSAGE), none, "whole message");
        NS_TEST_EXPECT_MSG_EQ(Check(100, 99, 1, MAX_MESSAGE), none, "last byte");
        NS_TEST_EXPECT_MSG_EQ(Check(100, 0, 101, MAX_MESSAGE), badOffset, "one past the end");
        NS_TEST_EXPECT_MSG_EQ(Check(100, 100, 1, MAX_MESSAGE), badOffset, "offset = length");
        NS_TEST_EXPECT_MSG_EQ(Check(100, 50, 0, MAX_MESSAGE), badOffset, "payload 0");
        NS_TEST_EXPECT_MSG_EQ(Check(100, 0, 0, MAX_MESSAGE), badOffset, "payload 0 at 0");

        // Near 2^32: a 32-bit sum would wrap below message_length.
        const uint32_t big = 0xFFFFFFFF;
        NS_TEST_EXPECT_MSG_EQ(Check(big, 0xFFFFFFF0, 0x20, big), badOffset, "wraps to 0x10");
        NS_TEST_EXPECT_MSG_EQ(Check(big, 0xFFFFFFFF, 1, big), badOffset, "wraps to 0");
        NS_TEST_EXPECT_MSG_EQ(Check(big, 1, 0xFFFFFFFF, big), badOffset, "payload 2^32-1");
        NS_TEST_EXPECT_MSG_EQ(Check(big, 0xFFFFFFFE, 1, big), none, "ends exactly at 2^32-1");
        NS_TEST_EXPECT_MSG_EQ(Check(1000, 0xFFFFFF00, 0x200, MAX_MESSAGE),
                              badOffset,
                              "wrapping offset, small message");
    }
};

/**
 * \ingroup mtp-test
 * \brief An ACK that claims six acks: it parses without reading past its five slots and
 *        Validate reports BAD_ACK_COUNT.
 */
class MtpAckHeaderBadCountTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpAckHeaderBadCountTestCase()
        : MtpHeaderTestCaseBase("ACK with num_acks > 5 on the wire")
    {
    }

  private:
    void DoRun() override
    {
        for (uint16_t count : {uint16_t(6), uint16_t(0xFFFF)})
        {
            std::vector<uint8_t> wire{
                0x9C,
                0x40,
                0x1F,
                0x41,
                0x00,
                0x00,
                0x00,
                0x00, // ports, sequence
                0x00,
                0x00,
                0x00,
                0x18,
                0x00,
                0x00, // ack[3], type ACK, doff 0 (as
                      // older MTP wrote), flags 0
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00, // window, checksum, urgent
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00, // sender_id
                0x00,
                0x06, // num_acks (patched below)
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x02,
                0x00,
                0x01, // acks[0]
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x04,
                0x00,
                0x01, // acks[1]
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x06,
                0x00,
                0x01, // acks[2]
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x08,
                0x00,
                0x01, // acks[3]
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x0A,
                0x00,
                0x01, // acks[4]
            };
            wire[28] = static_cast<uint8_t>(count >> 8);
            wire[29] = static_cast<uint8_t>(count & 0xFF);
            NS_TEST_ASSERT_MSG_EQ(wire.size(), MtpAckHeader::SIZE, "hand-written image size");
            Ptr<Packet> p = FromBytes(wire);

            MtpHeader common;
            NS_TEST_EXPECT_MSG_EQ(R(MtpHeader::Peek(p, common)),
                                  R(MtpDropReason::NONE),
                                  "the header fits, so Peek passes");
            MtpAckHeader ack;
            NS_TEST_EXPECT_MSG_EQ(p->RemoveHeader(ack), 80, "exactly 80 bytes read");
            NS_TEST_EXPECT_MSG_EQ(p->GetSize(), 0, "nothing left");
            NS_TEST_EXPECT_MSG_EQ(ack.GetNumAcks(), count, "raw count kept");
            NS_TEST_EXPECT_MSG_EQ(R(ack.Validate()),
                                  R(MtpDropReason::BAD_ACK_COUNT),
                                  "num_acks " << count);
            NS_TEST_EXPECT_MSG_EQ(ack.GetAcks().size(), 5, "at most five acks returned");
            NS_TEST_EXPECT_MSG_EQ(ack.GetAck(4), (MtpAck{10, 1}), "fifth slot");
            NS_TEST_EXPECT_MSG_EQ(ack.GetAck(5), MtpAck(), "no sixth slot");
            NS_TEST_EXPECT_MSG_EQ(ack.AddAck(MtpAck{12, 1}), false, "cannot add to it");
            std::ostringstream oss;
            ack.Print(oss);
            NS_TEST_EXPECT_MSG_EQ(oss.str().empty(), false, "Print works");
        }
    }
};

/**
 * \ingroup mtp-test
 * \brief Random byte strings through Peek and, when Peek passes, RemoveHeader of the
 *        class its type names: must never crash or read past the packet.
 */
class MtpHeaderFuzzTestCase : public MtpHeaderTestCaseBase
{
  public:
    MtpHeaderFuzzTestCase()
        : MtpHeaderTestCaseBase("random bytes through Peek and RemoveHeader")
    {
    }

  private:
    /**
     * \brief Remove a header of class H from `p` and check what it consumed.
     * \tparam H the header class
     * \param p the packet (Peek has passed)
     * \param h receives the header
     */
    template <class H>
    void Remove(Ptr<Packet> p, H& h)
    {
        const uint32_t before = p->GetSize();
        const uint32_t consumed = p->RemoveHeader(h);
        NS_TEST_EXPECT_MSG_EQ(consumed, H::SIZE, "consumed");
        NS_TEST_EXPECT_MSG_EQ(p->GetSize(), before - H::SIZE, "left");
        std::ostringstream oss;
        h.Print(oss);
    }

    void DoRun() override
    {
        std::mt19937 rng(20240611);
        std::uniform_int_distribution<uint32_t> lengthDist(0, 100);
        std::uniform_int_distribution<uint32_t> byteDist(0, 255);
        std::uniform_int_distribution<uint32_t> typeDist(0x10, 0x18);

        uint32_t passed = 0;
        uint32_t truncated = 0;
        uint32_t unknown = 0;
        for (int iteration = 0; iteration < 2000; ++iteration)
        {
            std::vector<uint8_t> bytes(lengthDist(rng));
            for (uint8_t& b : bytes)
            {
                b = static_cast<uint8_t>(byteDist(rng));
            }
            // Half the time make the type byte a real one, so parsing gets exercised.
            if (bytes.size() > 11 && (iteration % 2) == 0)
            {
                bytes[11] = static_cast<uint8_t>(typeDist(rng));
            }
            Ptr<Packet> p = FromBytes(bytes);

            MtpHeader common;
            const MtpDropReason reason = MtpHeader::Peek(p, common);
            NS_TEST_EXPECT_MSG_EQ(p->GetSize(), bytes.size(), "Peek removes nothing");
            if (reason == MtpDropReason::TRUNCATED)
            {
                ++truncated;
                NS_TEST_EXPECT_MSG_EQ(
                    (bytes.size() < MtpHeader::COMMON_SIZE ||
                     bytes.size() < MtpHeaderSizeForType(static_cast<MtpPacketType>(bytes[11]))),
                    true,
                    "TRUNCATED only when short");
                continue;
            }
            if (reason == MtpDropReason::UNKNOWN_TYPE)
            {
                ++unknown;
                NS_TEST_EXPECT_MSG_EQ(MtpIsKnownPacketType(bytes[11]), false, "unknown type");
                continue;
            }
            NS_TEST_ASSERT_MSG_EQ(R(reason), R(MtpDropReason::NONE), "only three outcomes");
            ++passed;
            NS_TEST_EXPECT_MSG_EQ(+common.GetTypeCode(), +bytes[11], "type byte");

            switch (common.GetType())
            {
            case MtpPacketType::DATA: {
                MtpDataHeader h;
                Remove(p, h);
                h.Validate(p->GetSize(), MAX_MESSAGE); // any outcome, but no crash
                break;
            }
            case MtpPacketType::GRANT: {
                MtpGrantHeader h;
                Remove(p, h);
                break;
            }
            case MtpPacketType::RESEND: {
                MtpResendHeader h;
                Remove(p, h);
                break;
            }
            case MtpPacketType::RPC_UNKNOWN: {
                MtpUnknownHeader h;
                Remove(p, h);
                break;
            }
            case MtpPacketType::BUSY: {
                MtpBusyHeader h;
                Remove(p, h);
                break;
            }
            case MtpPacketType::CUTOFFS: {
                MtpCutoffsHeader h;
                Remove(p, h);
                break;
            }
            case MtpPacketType::FREEZE: {
                MtpFreezeHeader h;
                Remove(p, h);
                break;
            }
            case MtpPacketType::NEED_ACK: {
                MtpNeedAckHeader h;
                Remove(p, h);
                break;
            }
            case MtpPacketType::ACK: {
                MtpAckHeader h;
                Remove(p, h);
                const bool bad = h.GetNumAcks() > MtpAckHeader::MAX_ACKS;
                NS_TEST_EXPECT_MSG_EQ(R(h.Validate()),
                                      R(bad ? MtpDropReason::BAD_ACK_COUNT : MtpDropReason::NONE),
                                      "ACK count check");
                NS_TEST_EXPECT_MSG_LT_OR_EQ(h.GetAcks().size(), 5, "acks");
                break;
            }
            }
        }
        NS_TEST_EXPECT_MSG_EQ(passed + truncated + unknown, 2000, "every string classified");
        NS_TEST_EXPECT_MSG_GT(passed, 0, "some strings parsed");
        NS_TEST_EXPECT_MSG_GT(truncated, 0, "some strings truncated");
        NS_TEST_EXPECT_MSG_GT(unknown, 0, "some strings of unknown type");
    }
};

/**
 * \ingroup mtp-test
 * \brief The "mtp-header" suite: wire format of every MTP packet type.
 *
 * Portability: TestSuite::Type::UNIT names the enumerator on ns-3.37 (unscoped enum
 * Type) and on ns-3.48 (enum class Type).  The duration enum was renamed
 * (TestCase::TestDuration in 3.37, TestCase::Duration in 3.48), so test cases are added
 * with the default duration, which is QUICK in both.
 */
class MtpHeaderTestSuite : public TestSuite
{
  public:
    MtpHeaderTestSuite()
        : TestSuite("mtp-header", TestSuite::Type::UNIT)
    {
        AddTestCase(new MtpHeaderSizesTestCase);
        AddTestCase(new MtpDataHeaderRoundTripTestCase);
        AddTestCase(new MtpGrantHeaderRoundTripTestCase);
        AddTestCase(new MtpResendHeaderRoundTripTestCase);
        AddTestCase(new MtpControlHeaderRoundTripTestCase);
        AddTestCase(new MtpCutoffsHeaderRoundTripTestCase);
        AddTestCase(new MtpAckHeaderRoundTripTestCase);
        AddTestCase(new MtpHeaderReadFormsTestCase);
        AddTestCase(new MtpChecksumTestCase);
        AddTestCase(new MtpHeaderPeekTestCase);
        AddTestCase(new MtpDataHeaderValidateTestCase);
        AddTestCase(new MtpAckHeaderBadCountTestCase);
        AddTestCase(new MtpHeaderFuzzTestCase);
    }
};

static MtpHeaderTestSuite g_mtpHeaderTestSuite; //!< Static variable for test initialization
