/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpHeadroom: room in front of a packet for the headers it is about to
 * get, made with one allocation.
 *
 * Design notes
 * ------------
 * An ns-3 Buffer grows toward its front in place only while it has unused
 * bytes there and no other Packet shares them; otherwise AddAtStart
 * allocates a new buffer of exactly the needed size, with no room left in
 * front.  A packet MTP sends gets its MTP header, then IPv4's (or IPv6's),
 * then the link's, so each of the three reallocated and copied it: a third
 * of the allocations of a datacenter run.  Reserve() adds and removes a
 * placeholder header as large as all of them: one allocation, after which
 * every header is written in the room left in front (IPv4 adds its header
 * to a copy that shares the bytes, which is allowed once per position).
 *
 * The placeholder is a Header so that packet metadata, when enabled, stays
 * consistent: it is recorded by AddHeader and forgotten by RemoveAtStart.
 * Its bytes are never part of the packet.
 */

#ifndef MTP_HEADROOM_H
#define MTP_HEADROOM_H

#include "ns3/header.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup mtp
 * \brief A placeholder header that leaves room in front of a packet.
 *
 * Use Reserve(); the class itself is a Header only for Packet::AddHeader.
 */
class MtpHeadroom : public Header
{
  public:
    /**
     * \brief Make room for `bytes` bytes of headers in front of `p`.
     *
     * The packet's bytes do not change.  Headers added afterwards, up to
     * `bytes` in all, are written in place instead of reallocating.
     * \param p the packet
     * \param bytes the room to make (at most MAX_BYTES; 0 does nothing)
     */
    static void Reserve(Ptr<Packet> p, uint32_t bytes);

    /// The most room Reserve makes.
    static constexpr uint32_t MAX_BYTES = 256;

    /**
     * \param bytes its size on the wire
     */
    explicit MtpHeadroom(uint32_t bytes = 0);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

  private:
    uint32_t m_bytes; //!< its size (zeros when written)
};

} // namespace ns3

#endif // MTP_HEADROOM_H
