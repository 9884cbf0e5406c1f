/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The clock-free bookkeeping of the port mapper (Linux iwpm semantics):
 *   - MtpPortMapEndpoint: an (address, port) pair, IPv4 or IPv6;
 *   - MtpPortMapTable: local endpoint -> mapped endpoint, with the mapped
 *     ports allocated from a pool, reference counts (a local endpoint mapped
 *     twice keeps one mapped port until removed twice), the "no port map"
 *     flag (mapped port = local port) and the replay of known mappings;
 *   - MtpRemoteInfoTable: what the passive side learned about connecting
 *     peers (mapped local, mapped remote) -> the remote's real endpoint,
 *     consumed when read (iwpm_get_remote_info).
 * No simulator, no node: MtpPortMapper and MtpPortMapperDaemon hold these,
 * and the GoogleTest unit tests drive them directly.
 */

#ifndef MTP_PORT_MAP_TABLE_H
#define MTP_PORT_MAP_TABLE_H

#include "ns3/address.h"
#include "ns3/mtp-error.h"
#include "ns3/mtp-peer.h"

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-portmap
 * \brief Flags of a mapping request (iwpm's pm_msg flags).
 */
enum MtpPortMapFlags : uint32_t
{
    MTP_PORTMAP_NONE = 0,        //!< map the port
    MTP_PORTMAP_NO_PORT_MAP = 1, //!< keep the local port (iwpm's IWPM_FLAGS_NO_PORT_MAP)
};

/**
 * \ingroup mtp-portmap
 * \brief An (address, port) pair, the unit the port mapper maps.
 */
struct MtpPortMapEndpoint
{
    MtpAddress addr;   //!< host address (IPv4 stored mapped, as MtpAddress does)
    uint16_t port = 0; //!< port

    /** The unspecified endpoint (:: port 0). */
    MtpPortMapEndpoint() = default;
    /**
     * \param a host address
     * \param p port
     */
    MtpPortMapEndpoint(const MtpAddress& a, uint16_t p);

    /**
     * \brief Parse an ns-3 socket address.
     * \param from InetSocketAddress or Inet6SocketAddress
     * \param[out] ep the endpoint
     * \return false if `from` is neither
     */
    static bool FromSocketAddress(const Address& from, MtpPortMapEndpoint& ep);
    /** \return the endpoint as InetSocketAddress or Inet6SocketAddress */
    Address ToSocketAddress() const;
    /** \return true if the address is the unspecified one (0.0.0.0 or ::) */
    bool IsAnyAddress() const;

    /** \param o other \return ordering (address, then port) for maps */
    bool operator<(const MtpPortMapEndpoint& o) const;
    /** \param o other \return equality of address and port */
    bool operator==(const MtpPortMapEndpoint& o) const;
    /** \param o other \return inequality */
    bool operator!=(const MtpPortMapEndpoint& o) const;
};

/**
 * \param os stream
 * \param ep endpoint
 * \return the stream, with "10.0.0.1:100" or "[2001:db8::1]:100"
 */
std::ostream& operator<<(std::ostream& os, const MtpPortMapEndpoint& ep);

/**
 * \ingroup mtp-portmap
 * \brief Local -> mapped endpoints, with a pool of mapped ports.
 *
 * A mapped endpoint keeps the local address and gets a port from
 * [firstPort, lastPort] that no other mapping of that address uses (the
 * pool is walked round-robin, as ephemeral ports are).  With
 * MTP_PORTMAP_NO_PORT_MAP the mapped port is the local port.
 */
class MtpPortMapTable
{
  public:
    /** One mapping. */
    struct Entry
    {
        MtpPortMapEndpoint local;  //!< what the transport bound
        MtpPortMapEndpoint mapped; //!< what the outside world sees
        uint32_t flags = 0;        //!< MtpPortMapFlags of the first Add
        uint32_t refs = 0;         //!< Adds not yet matched by a Remove
    };

    /**
     * \param firstPort lowest mapped port of the pool
     * \param lastPort highest mapped port of the pool (>= firstPort, > 0)
     */
    MtpPortMapTable(uint16_t firstPort, uint16_t lastPort);

    /**
     * \brief Map `local` (iwpm add mapping).  An endpoint mapped already
     *        keeps its mapped endpoint and gains a reference.
     * \param local the local endpoint (port > 0)
     * \param flags MtpPortMapFlags
     * \param[out] mapped its mapped endpoint
     * \param accept if set, asked about each candidate mapped endpoint of a
     *        new mapping; one it refuses is skipped (the daemon reserves the
     *        port on the real host there, and refuses what the host holds)
     * \return OK; INVAL for port 0; ADDRINUSE when the pool is exhausted or,
     *         with NO_PORT_MAP, the local port is another mapping's mapped
     *         port or `accept` refuses it
     */
    MtpError Add(const MtpPortMapEndpoint& local,
                 uint32_t flags,
                 MtpPortMapEndpoint& mapped,
                 const std::function<bool(const MtpPortMapEndpoint&)>& accept = nullptr);

    /**
     * \brief Re-enter a mapping known from before (a restarted daemon
     *        replaying the kernel side's mappings).
     * \param e the mapping (refs 0 is taken as 1)
     * \return OK; ALREADY if `e.local` is mapped already (to the same
     *         endpoint: nothing changes; to another: refused); ADDRINUSE
     *         if another local endpoint holds `e.mapped`
     */
    MtpError Restore(const Entry& e);

    /**
     * \brief Drop one reference to the mapping of `local` (iwpm remove
     *        mapping); the mapping goes with its last reference.
     * \param local the local endpoint
     * \param[out] gone true if the mapping is gone now
     * \return OK; NOENT if `local` is not mapped
     */
    MtpError Remove(const MtpPortMapEndpoint& local, bool& gone);

    /**
     * \param local a local endpoint
     * \return its mapping, or nullptr
     */
    const Entry* Find(const MtpPortMapEndpoint& local) const;

    /**
     * \brief The mapping whose local endpoint is `local`, or else the one
     *        whose local endpoint is the unspecified address with that port
     *        (a transport bound to any address).
     * \param local a local endpoint
     * \return its mapping, or nullptr
     */
    const Entry* FindLocalOrAny(const MtpPortMapEndpoint& local) const;

    /**
     * \param mapped a mapped endpoint
     * \return the mapping that owns it, or nullptr
     */
    const Entry* FindMapped(const MtpPortMapEndpoint& mapped) const;

    /** \return every mapping, ordered by local endpoint */
    std::vector<Entry> Entries() const;
    /** \return the number of mappings */
    std::size_t Size() const;
    /** Forget every mapping. */
    void Clear();

  private:
    /**
     * \param addr a local address
     * \param[out] port a free pool port for it
     * \param accept as in Add
     * \return false if the pool is exhausted for that address
     */
    bool AllocatePort(const MtpAddress& addr,
                      uint16_t& port,
                      const std::function<bool(const MtpPortMapEndpoint&)>& accept);

    uint16_t m_first;                                            //!< pool start
    uint16_t m_last;                                             //!< pool end
    uint16_t m_next;                                             //!< next pool port to try
    std::map<MtpPortMapEndpoint, Entry> m_byLocal;               //!< the mappings
    std::map<MtpPortMapEndpoint, MtpPortMapEndpoint> m_byMapped; //!< mapped -> local
};

/**
 * \ingroup mtp-portmap
 * \brief What the passive side learned about connecting peers: (its mapped
 *        endpoint, the peer's mapped endpoint) -> the peer's real endpoint.
 *        Reading an entry consumes it, as iwpm_get_remote_info does.
 */
class MtpRemoteInfoTable
{
  public:
    /**
     * \brief Record (or replace) what a remote daemon told.
     * \param mappedLocal this side's mapped endpoint the peer connects to
     * \param mappedRemote the peer's mapped endpoint (seen on the wire)
     * \param remote the peer's real endpoint
     */
    void Put(const MtpPortMapEndpoint& mappedLocal,
             const MtpPortMapEndpoint& mappedRemote,
             const MtpPortMapEndpoint& remote);

    /**
     * \brief Read and forget the real endpoint of a peer.
     * \param mappedLocal this side's mapped endpoint
     * \param mappedRemote the peer's mapped endpoint
     * \param[out] remote the peer's real endpoint
     * \return OK; NOENT if nothing is known (or it was read already)
     */
    MtpError Take(const MtpPortMapEndpoint& mappedLocal,
                  const MtpPortMapEndpoint& mappedRemote,
                  MtpPortMapEndpoint& remote);

    /** \return the number of entries */
    std::size_t Size() const;
    /** Forget everything. */
    void Clear();

  private:
    /// (mapped local, mapped remote) -> real remote
    std::map<std::pair<MtpPortMapEndpoint, MtpPortMapEndpoint>, MtpPortMapEndpoint> m_info;
};

} // namespace ns3

#endif /* MTP_PORT_MAP_TABLE_H */
