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
 * What these classes hide: byte order, the field offsets, the unused bytes
 * that must be written as zero, the checksum arithmetic, and the checks that
 * keep a short or malformed packet from being parsed past its end
 * (MtpHeader::Peek, Validate).
 */

#ifndef MTP_HEADER_H
#define MTP_HEADER_H

#include "ns3/mtp-error.h"

#include "ns3/buffer.h"
#include "ns3/header.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/type-id.h"

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief The MTP packet types and their one-byte codes on the wire (Homa's codes).
 */
enum class MtpPacketType : uint8_t
{
    DATA = 0x10,        //!< a segment of a message (request or response)
    GRANT = 0x11,       //!< receiver allows the sender to send up to an offset
    RESEND = 0x12,      //!< receiver asks for a byte range again
    RPC_UNKNOWN = 0x13, //!< the sender of this knows nothing of the RPC named
    BUSY = 0x14,        //!< sender is alive but has nothing to send for the RPC now
    CUTOFFS = 0x15,     //!< receiver tells a peer how to pick unscheduled priorities
    FREEZE = 0x16,      //!< debugging aid: ask the peer to freeze its timetrace
    NEED_ACK = 0x17,    //!< server asks the client to ACK a completed RPC
    ACK = 0x18,         //!< client tells the server that RPCs may be freed
};

/**
 * \ingroup mtp-transport
 * \brief The name of a packet type, for logs and Print.
 * \param t the packet type (any byte value may be passed in)
 * \return "DATA", "GRANT", ...; "UNKNOWN(0x..)" for a code that is no MTP type
 */
std::string MtpPacketTypeName(MtpPacketType t);

/**
 * \ingroup mtp-transport
 * \brief Whether a type byte read off the wire is one of the nine MTP packet types.
 * \param code the type byte
 * \return true for 0x10 ... 0x18
 */
bool MtpIsKnownPacketType(uint8_t code);

/**
 * \ingroup mtp-transport
 * \brief The full header size (common header included) of a packet type.
 * \param t the packet type
 * \return 56 for DATA, 33 GRANT, 37 RESEND, 28 RPC_UNKNOWN / BUSY / FREEZE / NEED_ACK,
 *         62 CUTOFFS, 80 ACK; 0 for a code that is no MTP type
 */
uint32_t MtpHeaderSizeForType(MtpPacketType t);

/**
 * \ingroup mtp-transport
 * \brief Stream a packet type by its name (MtpPacketTypeName), so that logs and test
 *        macros can print it.
 * \param os the stream
 * \param t the packet type
 * \return os
 */
std::ostream& operator<<(std::ostream& os, MtpPacketType t);

/**
 * \ingroup mtp-transport
 * \brief One acknowledgement: the client tells the server that the RPC `clientId` on
 *        server port `serverPort` is complete, so the server may free its state.
 *
 * Carried one per DATA packet (piggybacked) and up to five per ACK packet.
 * On the wire: client_id (8 bytes) then server_port (2 bytes).
 */
struct MtpAck
{
    /** The client's id of the acknowledged RPC; 0 means "no ack in this slot". */
    uint64_t clientId = 0;
    /** The server port the acknowledged RPC was sent to (RPC ids are unique per port). */
    uint16_t serverPort = 0;
};

/**
 * \brief Two acks are equal when both fields are.
 * \param a one ack
 * \param b another ack
 * \return true if equal
 */
bool operator==(const MtpAck& a, const MtpAck& b);

/**
 * \brief Negation of operator==.
 * \param a one ack
 * \param b another ack
 * \return true if they differ
 */
bool operator!=(const MtpAck& a, const MtpAck& b);

/**
 * \brief Stream an ack as "client_id@server_port".
 * \param os the stream
 * \param a the ack
 * \return os
 */
std::ostream& operator<<(std::ostream& os, const MtpAck& a);

/**
 * \ingroup mtp-transport
 * \brief The pseudo-header that, with the whole MTP packet, is covered by the checksum:
 *        source and destination address, a zero byte, the protocol byte and the length
 *        of the MTP packet, as for a TCP checksum (RFC 9293 for IPv4, RFC 8200 8.1 for
 *        IPv6).
 *
 * The protocol byte is always 6 (TCP), whatever IP protocol number the packet travels
 * with (MtpL4Protocol's IpProtocolNumber, 146 by default).  That is what Linux Homa
 * does: homa_hijack_set_hdr seeds the checksum with the kernel's tcp_v4_check /
 * tcp_v6_check, which put IPPROTO_TCP in the pseudo-header, so that the packet is a
 * valid TCP segment when Homa sends it as TCP ("TCP hijacking") and has the same bytes
 * when it does not.  A checksum over protocol 146 would differ from Homa's.
 */
class MtpPseudoHeader
{
  public:
    /** The protocol byte of the pseudo-header: IPPROTO_TCP, as Homa uses. */
    static constexpr uint8_t PROTOCOL = 6;

    /** \brief A pseudo-header with all-zero addresses (the state before one is set). */
    MtpPseudoHeader();
    /**
     * \brief The IPv4 pseudo-header (12 bytes: source, destination, 0, protocol, length).
     * \param src the IPv4 source address of the packet
     * \param dst the IPv4 destination address of the packet
     */
    MtpPseudoHeader(Ipv4Address src, Ipv4Address dst);
    /**
     * \brief The IPv6 pseudo-header (40 bytes: source, destination, 32-bit length, three
     *        zero bytes, next header).
     * \param src the IPv6 source address of the packet
     * \param dst the IPv6 destination address of the packet
     */
    MtpPseudoHeader(Ipv6Address src, Ipv6Address dst);

    /**
     * \brief The ones'-complement sum of the pseudo-header's 16-bit words, not yet
     *        folded to 16 bits.  The length is the same 16-bit words in IPv4 (16-bit
     *        field) and IPv6 (32-bit field), so one formula serves both.
     * \param length bytes of the MTP packet (header and payload)
     * \return the partial sum
     */
    uint64_t Sum(uint32_t length) const;

  private:
    uint64_t m_addressSum; //!< sum of the 16-bit words of both addresses
};

/**
 * \ingroup mtp-transport
 * \brief The checksum Homa writes for an MTP packet: the Internet checksum (RFC 1071,
 *        the ones' complement of the ones'-complement sum of 16-bit words) over the
 *        pseudo-header and the packet, with the checksum field counted as zero.
 * \param pseudo the pseudo-header of the packet's path
 * \param bytes the MTP packet, header first (its bytes 16 and 17 are ignored)
 * \param length number of bytes
 * \return the value for the checksum field; 0xffff when the sum gives 0 (as Linux's
 *         skb_checksum_help writes it; both mean zero in ones' complement)
 */
uint16_t MtpComputeChecksum(const MtpPseudoHeader& pseudo, const uint8_t* bytes, uint32_t length);

/**
 * \ingroup mtp-transport
 * \brief Whether a received MTP packet's checksum field is right.
 * \param pseudo the pseudo-header of the path it came by
 * \param bytes the MTP packet, header first, checksum field as received
 * \param length number of bytes
 * \return true if the ones'-complement sum of pseudo-header and packet is 0xffff;
 *         false otherwise, and for a packet too short to hold the checksum field
 */
bool MtpChecksumIsValid(const MtpPseudoHeader& pseudo, const uint8_t* bytes, uint32_t length);

/**
 * \ingroup mtp-transport
 * \brief The 28-byte common header that starts every MTP packet, and the base class of
 *        the header of each packet type.
 *
 * Layout (network byte order): sport 2, dport 2, sequence 4, ack 3 (unused, written as
 * zero, ignored on read), type 1, doff 1, flags 1, window 2, checksum 2, urgent 2,
 * sender_id 8.  The fields sit where a TCP header has them (ports, sequence, doff,
 * flags, checksum, urgent), so that NICs and tools that know TCP find them.
 *
 * A header made for a packet type (MtpHeader(type) and every subclass) starts with
 * Homa's values: flags HOMA_FLAGS, urgent HOMA_URGENT, doff CONTROL_DOFF (DATA:
 * MtpDataHeader::DOFF).  The checksum is computed while serializing once
 * EnableChecksum has given the pseudo-header (MtpL4Protocol does so when checksums
 * are on); otherwise the checksum field holds SetChecksum's value (0 by default).
 * Deserialize keeps every byte as read and checks none of them: receivers check the
 * checksum with IsChecksumValid and the values they rely on with Peek and Validate.
 *
 * Used on its own, MtpHeader is the thing to Peek at when a packet arrives: it says
 * which type-specific header to remove next.  Serialize writes the common part, then
 * the subclass's own fields (SerializeBody), then the checksum.
 */
class MtpHeader : public Header
{
  public:
    /** Size of the common header on the wire, in bytes. */
    static constexpr uint32_t COMMON_SIZE = 28;
    /** Number of priority levels the wire format can express (CUTOFFS has 8 slots). */
    static constexpr uint8_t MAX_PRIORITIES = 8;
    /** Byte offset of the checksum field in the common header (as in TCP). */
    static constexpr uint32_t CHECKSUM_OFFSET = 16;
    /**
     * The flags byte Homa writes in every packet (HOMA_HIJACK_FLAGS: SYN and RST, which
     * real TCP never sets together, so a receiver can tell Homa from TCP).
     */
    static constexpr uint8_t HOMA_FLAGS = 0x06;
    /** The urgent field Homa writes in every packet (HOMA_HIJACK_URGENT), for the same reason. */
    static constexpr uint16_t HOMA_URGENT = 0xB97D;
    /** The doff byte Homa writes in control packets: a 20-byte TCP header, (20 / 4) << 4. */
    static constexpr uint8_t CONTROL_DOFF = 0x50;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /**
     * \brief An all-zero common header (type code 0, which is no MTP type): the empty
     *        target for Peek or Deserialize.
     */
    MtpHeader();

    /**
     * \brief A common header of the given type with Homa's constant fields set: flags
     *        HOMA_FLAGS, urgent HOMA_URGENT, doff MtpDataHeader::DOFF for DATA and
     *        CONTROL_DOFF for the other types; every other field 0.
     * \param type the packet type
     */
    explicit MtpHeader(MtpPacketType type);

    /**
     * \brief Set the source port (the sending socket's port).
     * \param port the port
     */
    void SetSourcePort(uint16_t port);
    /**
     * \brief Get the source port.
     * \return the port
     */
    uint16_t GetSourcePort() const;

    /**
     * \brief Set the destination port (the receiving socket's port).
     * \param port the port
     */
    void SetDestinationPort(uint16_t port);
    /**
     * \brief Get the destination port.
     * \return the port
     */
    uint16_t GetDestinationPort() const;

    /**
     * \brief Set the TCP-style sequence field.  DATA packets carry their offset here
     *        (MtpDataHeader::SetOffset sets it); other types leave it 0, as Homa does.
     * \param sequence the value
     */
    void SetSequence(uint32_t sequence);
    /**
     * \brief Get the sequence field.
     * \return the value
     */
    uint32_t GetSequence() const;

    /**
     * \brief Set the packet type.
     * \param type the type
     */
    void SetType(MtpPacketType type);
    /**
     * \brief Get the packet type.  After Deserialize of a malformed packet this may be a
     *        value that is none of the enumerators; check with MtpIsKnownPacketType.
     * \return the type
     */
    MtpPacketType GetType() const;
    /**
     * \brief Get the raw type byte as it is (or was) on the wire.
     * \return the type code
     */
    uint8_t GetTypeCode() const;

    /**
     * \brief Set doff: TCP-style data offset, header length in 4-byte words in the high
     *        nibble.  Homa writes (56 / 4) << 4 in DATA packets and CONTROL_DOFF (a plain
     *        20-byte TCP header) in all others; the constructors preset those values.
     *        MTP does not rely on it when reading (older MTP wrote 0 in control packets).
     * \param doff the raw byte
     */
    void SetDoff(uint8_t doff);
    /**
     * \brief Get the raw doff byte.
     * \return the value
     */
    uint8_t GetDoff() const;

    /**
     * \brief Set the TCP-style flags byte.  Homa writes HOMA_FLAGS in every packet (its
     *        receiver uses it to recognize Homa packets sent as TCP); the constructors
     *        preset it.  MTP does not rely on it when reading.
     * \param flags the raw byte
     */
    void SetFlags(uint8_t flags);
    /**
     * \brief Get the flags byte.
     * \return the value
     */
    uint8_t GetFlags() const;

    /**
     * \brief Set the TCP-style window field (unused by Homa and MTP, written as 0).
     * \param window the value
     */
    void SetWindow(uint16_t window);
    /**
     * \brief Get the window field.
     * \return the value
     */
    uint16_t GetWindow() const;

    /**
     * \brief Set the value the checksum field gets when the checksum is not computed
     *        (EnableChecksum not called); a computed checksum replaces it on the wire.
     * \param checksum the value
     */
    void SetChecksum(uint16_t checksum);
    /**
     * \brief Get the checksum field: as read by Deserialize, or as set by SetChecksum.
     * \return the value
     */
    uint16_t GetChecksum() const;

    /**
     * \brief Set the TCP-style urgent field.  Homa writes HOMA_URGENT in every packet
     *        (with flags, its mark of a Homa packet sent as TCP); the constructors preset
     *        it.  MTP does not rely on it when reading.
     * \param urgent the value
     */
    void SetUrgent(uint16_t urgent);
    /**
     * \brief Get the urgent field.
     * \return the value
     */
    uint16_t GetUrgent() const;

    /**
     * \brief Set the RPC id as the sender of this packet knows it (client ids are even;
     *        the server's id for the same RPC is the client's id | 1, so the receiver's
     *        id is sender_id ^ 1).
     * \param id the id
     */
    void SetSenderId(uint64_t id);
    /**
     * \brief Get the sender's RPC id.
     * \return the id
     */
    uint64_t GetSenderId() const;

    /**
     * \brief Compute the checksum when serializing, over `pseudo`, this header and every
     *        byte that follows it in the packet's buffer (the payload), as Homa fills it.
     *        Add the header to a packet that holds exactly the payload.
     * \param pseudo the pseudo-header of the path the packet will take
     */
    void EnableChecksum(const MtpPseudoHeader& pseudo);
    /**
     * \brief Whether Serialize computes the checksum (EnableChecksum was called).
     * \return true if it does
     */
    bool IsChecksumEnabled() const;

    /**
     * \brief Check the checksum of a received packet (MTP header first, payload after,
     *        IP header already removed).  Safe on any bytes: a packet too short to hold
     *        the checksum field fails.
     * \param p the packet
     * \param pseudo the pseudo-header of the path it came by
     * \return true if the checksum is right
     */
    static bool IsChecksumValid(Ptr<const Packet> p, const MtpPseudoHeader& pseudo);

    /**
     * \brief Size on the wire.
     * \return COMMON_SIZE for MtpHeader itself; each packet-type header returns its size
     */
    uint32_t GetSerializedSize() const override;
    /**
     * \brief Write the common header, the type's own fields (SerializeBody) and, if
     *        enabled, the checksum.
     * \param start where the header begins; the payload follows it in the buffer
     */
    void Serialize(Buffer::Iterator start) const final;
    /**
     * \brief Read the common header and the type's own fields (DeserializeBody), every
     *        byte as it is (no check: see Peek, Validate, IsChecksumValid).
     * \param start where the header begins
     * \return GetSerializedSize()
     */
    uint32_t Deserialize(Buffer::Iterator start) final;
    void Print(std::ostream& os) const override;

    /**
     * \brief Validating peek at an incoming packet.
     *
     * Checks that `p` holds a full common header, that its type byte is a known MTP type
     * and that `p` holds the whole header of that type.  Never removes anything, never
     * reads past the end of the packet and never asserts, in optimized builds too, so it
     * is safe on any bytes a network may deliver.  After it returns NONE, RemoveHeader of
     * the header class for GetType() is safe.
     *
     * \param p the packet, starting with the MTP header
     * \param common filled with the common header whenever `p` holds at least
     *        COMMON_SIZE bytes (so a drop can be logged with its ports and type);
     *        left untouched otherwise
     * \return MtpDropReason::NONE if the packet may be parsed; TRUNCATED if it is shorter
     *         than the common header or than the header of its type; UNKNOWN_TYPE if the
     *         type byte is none of the nine types
     */
    static MtpDropReason Peek(Ptr<const Packet> p, MtpHeader& common);

  protected:
    /**
     * \brief Write the 28 common bytes and advance the iterator past them.
     * \param i the iterator
     */
    void SerializeCommon(Buffer::Iterator& i) const;
    /**
     * \brief Read the 28 common bytes and advance the iterator past them.
     * \param i the iterator
     */
    void DeserializeCommon(Buffer::Iterator& i);
    /**
     * \brief Print the common part as "TYPE sport->dport id=N" (no newline).
     * \param os the stream
     */
    void PrintCommon(std::ostream& os) const;
    /**
     * \brief Write the fields that follow the common header (none in MtpHeader itself).
     * \param i the iterator, just past the common header; advanced past the fields
     */
    virtual void SerializeBody(Buffer::Iterator& i) const;
    /**
     * \brief Read the fields that follow the common header (none in MtpHeader itself).
     * \param i the iterator, just past the common header; advanced past the fields
     */
    virtual void DeserializeBody(Buffer::Iterator& i);

  private:
    /**
     * \brief Compute the checksum over the serialized header and what follows it in the
     *        buffer, and write it into the checksum field.
     * \param start where the header begins
     */
    void WriteChecksum(Buffer::Iterator start) const;

    uint16_t m_sport;         //!< source port: the sending socket
    uint16_t m_dport;         //!< destination port: the receiving socket
    uint32_t m_sequence;      //!< TCP-style sequence; the segment offset in DATA packets
    uint8_t m_type;           //!< raw type byte (an MtpPacketType code, unless malformed)
    uint8_t m_doff;           //!< TCP-style data offset byte (header words << 4)
    uint8_t m_flags;          //!< TCP-style flags byte (Homa: HOMA_FLAGS), not relied on
    uint16_t m_window;        //!< TCP-style window field, unused by Homa and MTP (0)
    uint16_t m_checksum;      //!< checksum as read, or the value written when not computed
    uint16_t m_urgent;        //!< TCP-style urgent field (Homa: HOMA_URGENT), not relied on
    uint64_t m_senderId;      //!< RPC id as the sender of the packet knows it
    bool m_checksumOn;        //!< whether Serialize computes the checksum
    MtpPseudoHeader m_pseudo; //!< pseudo-header for the computed checksum
};

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
     * \brief Set the MTP extension flags carried in pad[0] (FLAG_ONE_WAY ...).
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

/**
 * \ingroup mtp-transport
 * \brief Header of a GRANT packet (33 bytes): the receiver lets the sender transmit the
 *        message up to `offset` (exclusive), at `priority`.
 */
class MtpGrantHeader : public MtpHeader
{
  public:
    /** Size of the GRANT header on the wire, common header included. */
    static constexpr uint32_t SIZE = 33;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief A GRANT header with Homa's doff, flags and urgent, every other field 0. */
    MtpGrantHeader();

    /**
     * \brief Set the offset the sender may now send up to (exclusive).
     * \param offset the offset
     */
    void SetOffset(uint32_t offset);
    /**
     * \brief Get the granted offset.
     * \return the offset
     */
    uint32_t GetOffset() const;

    /**
     * \brief Set the priority the sender should use for the granted bytes (higher
     *        number, higher priority, as Homa).
     * \param priority the priority level
     */
    void SetPriority(uint8_t priority);
    /**
     * \brief Get the priority.
     * \return the priority level
     */
    uint8_t GetPriority() const;

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;

  protected:
    void SerializeBody(Buffer::Iterator& i) const override;
    void DeserializeBody(Buffer::Iterator& i) override;

  private:
    uint32_t m_offset;  //!< grant up to this offset (exclusive)
    uint8_t m_priority; //!< priority for the granted bytes
};

/**
 * \ingroup mtp-transport
 * \brief Header of a RESEND packet (37 bytes): the receiver asks for `length` bytes
 *        from `offset` again (LENGTH_ALL: everything from offset), at `priority`.
 */
class MtpResendHeader : public MtpHeader
{
  public:
    /** Size of the RESEND header on the wire, common header included. */
    static constexpr uint32_t SIZE = 37;
    /** Length value meaning "everything from offset" (Homa's -1). */
    static constexpr uint32_t LENGTH_ALL = 0xFFFFFFFF;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief A RESEND header with Homa's doff, flags and urgent, every other field 0. */
    MtpResendHeader();

    /**
     * \brief Set the offset of the first byte to send again.
     * \param offset the offset
     */
    void SetOffset(uint32_t offset);
    /**
     * \brief Get the offset.
     * \return the offset
     */
    uint32_t GetOffset() const;

    /**
     * \brief Set how many bytes to send again (LENGTH_ALL: all from offset).
     * \param length the byte count
     */
    void SetLength(uint32_t length);
    /**
     * \brief Get the byte count.
     * \return the length (LENGTH_ALL: all from offset)
     */
    uint32_t GetLength() const;

    /**
     * \brief Set the priority for the resent bytes.
     * \param priority the priority level
     */
    void SetPriority(uint8_t priority);
    /**
     * \brief Get the priority.
     * \return the priority level
     */
    uint8_t GetPriority() const;

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;

  protected:
    void SerializeBody(Buffer::Iterator& i) const override;
    void DeserializeBody(Buffer::Iterator& i) override;

  private:
    uint32_t m_offset;  //!< first byte to send again
    uint32_t m_length;  //!< bytes to send again, LENGTH_ALL for all
    uint8_t m_priority; //!< priority for the resent bytes
};

/**
 * \ingroup mtp-transport
 * \brief Header of an RPC_UNKNOWN packet (28 bytes, common header only): the sender of
 *        it has no state for the RPC named by sender_id (a client restarts the RPC, a
 *        server forgets it).
 */
class MtpUnknownHeader : public MtpHeader
{
  public:
    /** Size on the wire. */
    static constexpr uint32_t SIZE = COMMON_SIZE;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief An RPC_UNKNOWN header with Homa's doff, flags and urgent, every other field 0. */
    MtpUnknownHeader();

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;
};

/**
 * \ingroup mtp-transport
 * \brief Header of a BUSY packet (28 bytes, common header only): the sender is alive
 *        but has nothing to send for the RPC right now (answers a RESEND).
 */
class MtpBusyHeader : public MtpHeader
{
  public:
    /** Size on the wire. */
    static constexpr uint32_t SIZE = COMMON_SIZE;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief A BUSY header with Homa's doff, flags and urgent, every other field 0. */
    MtpBusyHeader();

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;
};

/**
 * \ingroup mtp-transport
 * \brief Header of a FREEZE packet (28 bytes, common header only): Homa's debugging aid
 *        asking the peer to freeze its timetrace; MTP only counts and traces it.
 */
class MtpFreezeHeader : public MtpHeader
{
  public:
    /** Size on the wire. */
    static constexpr uint32_t SIZE = COMMON_SIZE;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief A FREEZE header with Homa's doff, flags and urgent, every other field 0. */
    MtpFreezeHeader();

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;
};

/**
 * \ingroup mtp-transport
 * \brief Header of a NEED_ACK packet (28 bytes, common header only): a server that holds
 *        a completed RPC asks the client to acknowledge it.
 */
class MtpNeedAckHeader : public MtpHeader
{
  public:
    /** Size on the wire. */
    static constexpr uint32_t SIZE = COMMON_SIZE;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief A NEED_ACK header with Homa's doff, flags and urgent, every other field 0. */
    MtpNeedAckHeader();

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;
};

/**
 * \ingroup mtp-transport
 * \brief Header of a CUTOFFS packet (62 bytes): the receiver tells a peer how to choose
 *        the priority of unscheduled packets by message length.
 *
 * A message of length L goes at the highest priority p whose unsched_cutoffs[p] >= L
 * (Homa's rule); cutoff_version lets DATA packets say which cutoffs they used.
 */
class MtpCutoffsHeader : public MtpHeader
{
  public:
    /** Size of the CUTOFFS header on the wire, common header included. */
    static constexpr uint32_t SIZE = 62;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief A CUTOFFS header with Homa's doff, flags and urgent, every other field 0. */
    MtpCutoffsHeader();

    /**
     * \brief Set the cutoff of one priority level.
     * \param index the priority level, below MAX_PRIORITIES (a larger index is ignored)
     * \param cutoff the largest message length sent unscheduled at that level
     */
    void SetCutoff(uint8_t index, uint32_t cutoff);
    /**
     * \brief Get the cutoff of one priority level.
     * \param index the priority level
     * \return the cutoff; 0 if index is not below MAX_PRIORITIES
     */
    uint32_t GetCutoff(uint8_t index) const;

    /**
     * \brief Get all eight cutoffs.
     * \return the cutoffs, indexed by priority level
     */
    std::array<uint32_t, MAX_PRIORITIES> GetCutoffs() const;
    /**
     * \brief Set all eight cutoffs.
     * \param cutoffs the cutoffs, indexed by priority level
     */
    void SetCutoffs(const std::array<uint32_t, MAX_PRIORITIES>& cutoffs);

    /**
     * \brief Set the version of these cutoffs (the receiver bumps it when they change).
     * \param version the version
     */
    void SetCutoffVersion(uint16_t version);
    /**
     * \brief Get the version of these cutoffs.
     * \return the version
     */
    uint16_t GetCutoffVersion() const;

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;

  protected:
    void SerializeBody(Buffer::Iterator& i) const override;
    void DeserializeBody(Buffer::Iterator& i) override;

  private:
    std::array<uint32_t, MAX_PRIORITIES> m_cutoffs; //!< unsched_cutoffs, per priority level
    uint16_t m_cutoffVersion;                       //!< version of these cutoffs
};

/**
 * \ingroup mtp-transport
 * \brief Header of an ACK packet (80 bytes): a client acknowledges up to five completed
 *        RPCs to a server, which may then free them.
 *
 * The wire always holds five ack slots; the first num_acks are meaningful and the rest
 * are written as zero.  A malformed packet may claim more than five: Deserialize keeps
 * that raw count (for Validate) and reads exactly five slots.
 */
class MtpAckHeader : public MtpHeader
{
  public:
    /** Size of the ACK header on the wire, common header included. */
    static constexpr uint32_t SIZE = 80;
    /** Number of ack slots in the packet. */
    static constexpr uint16_t MAX_ACKS = 5;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    /** \brief An ACK header with no acks and Homa's doff, flags and urgent. */
    MtpAckHeader();

    /**
     * \brief Append an ack.
     * \param ack the ack
     * \return false (and nothing added) if the header already holds MAX_ACKS acks (or
     *         claims more, after Deserialize of a malformed packet)
     */
    bool AddAck(MtpAck ack);
    /**
     * \brief Get num_acks as on the wire; may exceed MAX_ACKS after Deserialize of a
     *        malformed packet (Validate reports that).
     * \return the count
     */
    uint16_t GetNumAcks() const;
    /**
     * \brief Get one ack.
     * \param i the slot, below GetNumAcks() and MAX_ACKS
     * \return the ack; an empty MtpAck (clientId 0) if i is out of range
     */
    MtpAck GetAck(uint16_t i) const;
    /**
     * \brief Get the valid acks.
     * \return the first min(num_acks, MAX_ACKS) slots
     */
    std::vector<MtpAck> GetAcks() const;

    /**
     * \brief Semantic check, once the header has been removed from the packet.
     * \return BAD_ACK_COUNT if num_acks exceeds MAX_ACKS (a malformed packet can say
     *         so); NONE otherwise
     */
    MtpDropReason Validate() const;

    uint32_t GetSerializedSize() const override;
    void Print(std::ostream& os) const override;

  protected:
    void SerializeBody(Buffer::Iterator& i) const override;
    void DeserializeBody(Buffer::Iterator& i) override;

  private:
    uint16_t m_numAcks;                  //!< num_acks as on the wire (may exceed MAX_ACKS)
    std::array<MtpAck, MAX_ACKS> m_acks; //!< the five slots; unused slots are zero
};

} // namespace ns3

#endif /* MTP_HEADER_H */
