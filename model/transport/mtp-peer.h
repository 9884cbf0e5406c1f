/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPeer: what one host knows about another host it talks MTP with.
 *
 * A peer is identified by its IP address; IPv4 addresses are kept in their
 * IPv4-mapped IPv6 form (::ffff:a.b.c.d), as Linux Homa does, so one table
 * serves both families.  The peer holds the unscheduled-priority cutoffs the
 * other host asked us to use (CUTOFFS packets), the acknowledgements this
 * host owes it (client side of NEED_ACK/ACK), a cached route, and rate
 * limits for the control packets that must not be sent on every packet.
 */

#ifndef MTP_PEER_H
#define MTP_PEER_H

#include "ns3/address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv6-address.h"
#include "ns3/ipv6-route.h"
#include "ns3/mtp-header.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/simple-ref-count.h"

#include <array>
#include <cstring>
#include <deque>
#include <functional>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief Canonical peer address: an IPv6 address, IPv4 mapped.
 */
class MtpAddress
{
  public:
    /** \return the unspecified address (::) */
    MtpAddress() = default;
    /** \param v4 an IPv4 address, stored mapped */
    explicit MtpAddress(Ipv4Address v4);
    /** \param v6 an IPv6 address, stored as is */
    explicit MtpAddress(Ipv6Address v6);

    /** \return true if this is an IPv4 address (mapped) */
    bool IsIpv4() const;
    /** \return the IPv4 address (valid only if IsIpv4()) */
    Ipv4Address GetIpv4() const;
    /** \return the address in IPv6 form (mapped for IPv4) */
    Ipv6Address GetIpv6() const;
    /**
     * \param port a port
     * \return an ns-3 socket address: InetSocketAddress or Inet6SocketAddress
     */
    Address ToSocketAddress(uint16_t port) const;

    /**
     * \brief Parse an ns-3 socket address.
     * \param from InetSocketAddress or Inet6SocketAddress
     * \param[out] addr the host address
     * \param[out] port the port
     * \return false if `from` is neither
     */
    static bool FromSocketAddress(const Address& from, MtpAddress& addr, uint16_t& port);

    /** \return ordering for maps */
    bool operator<(const MtpAddress& o) const
    {
        return m_addr < o.m_addr;
    }

    /** \return equality */
    bool operator==(const MtpAddress& o) const
    {
        return m_addr == o.m_addr;
    }

  private:
    Ipv6Address m_addr; //!< the address, IPv4 mapped when IPv4
};

/**
 * \ingroup mtp-transport
 * \brief Hash of a peer address, for unordered maps of peers.
 */
struct MtpAddressHash
{
    /**
     * \param a an address
     * \return its hash
     */
    size_t operator()(const MtpAddress& a) const
    {
        uint8_t b[16];
        a.GetIpv6().GetBytes(b);
        uint64_t hi;
        uint64_t lo;
        std::memcpy(&hi, b, 8);
        std::memcpy(&lo, b + 8, 8);
        return std::hash<uint64_t>()((hi * 0x9E3779B97F4A7C15ULL) ^ lo);
    }
};

/** \return stream output of a peer address ("10.0.0.1" or "2001:db8::1") */
std::ostream& operator<<(std::ostream& os, const MtpAddress& a);

/**
 * \ingroup mtp-transport
 * \brief Per-destination state of one host.
 */
class MtpPeer : public SimpleRefCount<MtpPeer>
{
  public:
    /** \param addr the peer's address */
    explicit MtpPeer(const MtpAddress& addr);

    /** \return the peer's address */
    const MtpAddress& GetAddress() const;

    /**
     * \brief The priority the peer wants for the unscheduled bytes of a
     *        message of `length` bytes: the highest level whose cutoff is at
     *        least the length (Homa's rule).
     * \param length message length
     * \param numPriorities levels in use (priorities above are clamped)
     * \return the priority
     */
    uint8_t UnschedPriority(uint32_t length, uint8_t numPriorities) const;

    /// Cutoffs the peer asked for (index = priority, value = longest message using it).
    std::array<uint32_t, MtpHeader::MAX_PRIORITIES> cutoffs{};
    /// Version of `cutoffs` (0 until the peer sent CUTOFFS); echoed in DATA packets.
    uint16_t cutoffVersion = 0;
    /// When this host last sent CUTOFFS to the peer (rate limit: one per tick).
    Time lastCutoffsSent = Time(-1);

    /// Acks this host owes the peer (client side), piggybacked on DATA or sent in ACK.
    std::deque<MtpAck> pendingAcks;

    /// Cached IPv4 route to the peer (null until looked up, cleared on trouble).
    Ptr<Ipv4Route> route4;
    /// Cached IPv6 route to the peer.
    Ptr<Ipv6Route> route6;

  private:
    MtpAddress m_address; //!< the peer's address
};

} // namespace ns3

#endif /* MTP_PEER_H */
