/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The MTP common header: the 28 bytes every MTP packet starts with
 * (MtpHeader), the packet types and their codes, the ack slot that DATA and
 * ACK packets carry, and Homa's checksum over a TCP pseudo-header.  The
 * per-type headers derive from MtpHeader: mtp-data-header.h (DATA) and
 * mtp-control-headers.h (the eight control packets); mtp-header.h includes
 * all three and describes the wire format as a whole.
 *
 * What these classes hide: byte order, the field offsets of the common
 * header, the unused bytes that must be written as zero, the checksum
 * arithmetic, and the checks that keep a short or malformed packet from
 * being parsed past its end (MtpHeader::Peek).
 */

#ifndef MTP_COMMON_HEADER_H
#define MTP_COMMON_HEADER_H

#include "ns3/buffer.h"
#include "ns3/header.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/mtp-error.h"
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
 * \brief Write an ack slot (client_id 8, server_port 2), as DATA and ACK
 *        packets carry it, and advance the iterator.
 * \param i the iterator
 * \param ack the ack
 */
void MtpWriteAck(Buffer::Iterator& i, const MtpAck& ack);

/**
 * \brief Read an ack slot (client_id 8, server_port 2) and advance the iterator.
 * \param i the iterator
 * \return the ack
 */
MtpAck MtpReadAck(Buffer::Iterator& i);

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

} // namespace ns3

#endif /* MTP_COMMON_HEADER_H */
