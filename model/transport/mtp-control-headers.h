/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The headers of MTP's control packets (Linux Homa's homa_wire.h): GRANT,
 * RESEND, RPC_UNKNOWN, BUSY, FREEZE, NEED_ACK, CUTOFFS and ACK.  Each is
 * the common header (MtpHeader) plus its type's fields; four of them carry
 * nothing more.
 *
 * What they hide: each type's field layout and the zero padding Homa
 * leaves, the unused cutoff and ack slots, and the ack count check
 * (MtpAckHeader::Validate).
 */

#ifndef MTP_CONTROL_HEADERS_H
#define MTP_CONTROL_HEADERS_H

#include "ns3/mtp-common-header.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

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

#endif /* MTP_CONTROL_HEADERS_H */
