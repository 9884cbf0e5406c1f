/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpDataHeader: the header of MTP's DATA packets, which carry the bytes of
 * requests and responses (Linux Homa's data_header).
 *
 * What it hides: where a segment's offset is written (sequence or
 * seg.offset, as Homa does), the piggybacked ack's layout, and the checks a
 * receiver runs before trusting a segment (Validate).
 */

#ifndef MTP_DATA_HEADER_H
#define MTP_DATA_HEADER_H

#include "ns3/mtp-common-header.h"

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief Header of a DATA packet (56 bytes): one segment of a request or response.
 *
 * After the common header: message_length 4, incoming 4, ack {client_id 8,
 * server_port 2}, cutoff_version 2, retransmit 1, pad 3, seg.offset 4.  The segment's
 * payload follows the header.  The constructor presets type DATA, doff DOFF
 * ((56 / 4) << 4) and Homa's flags and urgent.
 *
 * Where the offset goes, as in Homa: a packet sent for the first time has the offset in
 * the common `sequence` field and OFFSET_IN_SEQUENCE (0xffffffff) in seg.offset
 * (SetOffset); a retransmitted one has it in both (SetOffset, then SetSegOffset).  A
 * reader takes seg.offset unless it is OFFSET_IN_SEQUENCE, then `sequence` (GetOffset,
 * Homa's homa_get_offset), so it also reads Homa's software-GSO segments (the real
 * offset in seg.offset, the first segment's in `sequence`) and older MTP packets (the
 * offset in both).
 */
class MtpDataHeader : public MtpHeader
{
  public:
    /** Size of the DATA header on the wire, common header included. */
    static constexpr uint32_t SIZE = 56;
    /** The doff byte Homa writes in DATA packets: header length in words, high nibble. */
    static constexpr uint8_t DOFF = (SIZE / 4) << 4;
    /** seg.offset value meaning "the offset is in the common sequence field" (Homa's -1). */
    static constexpr uint32_t OFFSET_IN_SEQUENCE = 0xFFFFFFFF;
    /**
     * Bit in pad[0] (the extension flags): MTP extension, the message is one-way (the
     * receiver answers it with an empty response itself and does not surface it to the
     * application as a request needing an answer).  A Homa peer ignores pad.
     */
    static constexpr uint8_t FLAG_ONE_WAY = 0x01;
    /**
     * Bit in pad[0], meaningful with FLAG_ONE_WAY: MTP extension, the sender asks the
     * receiver to acknowledge the one-way message (an ack piggybacked on DATA or in an
     * ACK packet) instead of answering it with an empty response: MtpL4Protocol's
     * OneWayAnswer=Ack.  A receiver that ignores the bit answers with a response, which
     * also ends the sender's RPC.
     */
    static constexpr uint8_t FLAG_ACK_ONLY = 0x02;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief A DATA header with every field 0 except type, doff, flags and urgent. */
    MtpDataHeader();

    /**
     * \brief Set the total length of the message this segment belongs to.
     * \param length bytes in the whole message
     */
    void SetMessageLength(uint32_t length);
    /**
     * \brief Get the total message length.
     * \return bytes in the whole message
     */
    uint32_t GetMessageLength() const;

    /**
     * \brief Set incoming: the sender will send at least up to this offset (exclusive)
     *        without further grants (unscheduled bytes plus bytes granted so far).
     * \param incoming the offset
     */
    void SetIncoming(uint32_t incoming);
    /**
     * \brief Get incoming.
     * \return the offset
     */
    uint32_t GetIncoming() const;

    /**
     * \brief Set the piggybacked ack (clientId 0: none).
     * \param ack the ack
     */
    void SetAck(MtpAck ack);
    /**
     * \brief Get the piggybacked ack.
     * \return the ack (clientId 0 if none)
     */
    MtpAck GetAck() const;

    /**
     * \brief Set the version of the receiver's CUTOFFS the sender used to pick the
     *        priority (0: it has none yet), so the receiver can tell a stale peer.
     * \param version the version
     */
    void SetCutoffVersion(uint16_t version);
    /**
     * \brief Get the cutoff version.
     * \return the version
     */
    uint16_t GetCutoffVersion() const;

    /**
     * \brief Set retransmit: 1 when this segment is sent in answer to a RESEND.
     * \param retransmit 0 or 1
     */
    void SetRetransmit(uint8_t retransmit);
    /**
     * \brief Get the retransmit byte.
     * \return the value
     */
    uint8_t GetRetransmit() const;

    /**
     * \brief Set the MTP extension flags carried in pad[0] (FLAG_ONE_WAY, FLAG_ACK_ONLY).
     *        pad[1] and pad[2] are always written as zero.
     * \param flags the flag bits
     */
    void SetExtFlags(uint8_t flags);
    /**
     * \brief Get the MTP extension flags (pad[0]).
     * \return the flag bits
     */
    uint8_t GetExtFlags() const;

    /**
     * \brief Set the offset of this segment's first byte in the message the way Homa
     *        sends a packet for the first time (homa_tx_data_pkt_alloc): `sequence` =
     *        offset, seg.offset = OFFSET_IN_SEQUENCE.
     * \param offset the offset
     */
    void SetOffset(uint32_t offset);
    /**
     * \brief Get the segment offset as Homa's homa_get_offset reads it: seg.offset,
     *        or `sequence` when seg.offset is OFFSET_IN_SEQUENCE.
     * \return the offset
     */
    uint32_t GetOffset() const;
    /**
     * \brief Set the raw seg.offset field.  Homa's homa_resend_data writes the offset
     *        here as well as in `sequence` when it retransmits a segment.
     * \param segOffset the value (OFFSET_IN_SEQUENCE: see `sequence`)
     */
    void SetSegOffset(uint32_t segOffset);
    /**
     * \brief Get the raw seg.offset field, as on the wire.
     * \return the value
     */
    uint32_t GetSegOffset() const;

    /**
     * \brief Semantic checks, once the header has been removed from the packet.
     * \param payloadBytes bytes of message data left in the packet after the header
     * \param maxMessageLength the largest message the receiver accepts
     * An empty message (message_length 0) is valid only as one packet with no payload
     * at offset 0.
     * \return BAD_LENGTH if message_length is above maxMessageLength; BAD_OFFSET if
     *         payloadBytes is 0 (for a non-empty message), offset + payloadBytes exceeds
     *         message_length (computed in 64 bits, so it cannot wrap), or an empty message
     *         carries payload or a non-zero offset; NONE otherwise
     */
    MtpDropReason Validate(uint32_t payloadBytes, uint32_t maxMessageLength) const;

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;

  protected:
    void SerializeBody(Buffer::Iterator& i) const override;
    void DeserializeBody(Buffer::Iterator& i) override;

  private:
    uint32_t m_messageLength; //!< total bytes in the message
    uint32_t m_incoming;      //!< offset the sender will reach without more grants
    MtpAck m_ack;             //!< piggybacked ack (clientId 0: none)
    uint16_t m_cutoffVersion; //!< version of the receiver's cutoffs the sender used
    uint8_t m_retransmit;     //!< 1 if sent in answer to a RESEND
    uint8_t m_extFlags;       //!< MTP extension flags in pad[0]
    uint32_t m_segOffset;     //!< raw seg.offset (OFFSET_IN_SEQUENCE: offset in sequence)
};

} // namespace ns3

#endif /* MTP_DATA_HEADER_H */
