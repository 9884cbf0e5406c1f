/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPortMapper: a node's port mapper, the kernel side of Linux's iWARP
 * port mapper (iwpm) as an ns-3 Object aggregated to the node.
 *
 * A transport asks it which (address, port) the outside world sees for a
 * local one; the node's MtpPortMapperDaemon (the user-space iwpmd) decides,
 * and the daemons of the two ends exchange mappings so that each side learns
 * the other's.  The seed's operations, one method each:
 *   iwpm_init / iwpm_exit           Init(ifIndex) / Exit(ifIndex)
 *   iwpm_register_pid               Register()       (SRCH: no daemon)
 *   iwpm_valid_pid                  IsDaemonAvailable()
 *   iwpm_add_mapping                AddMapping()     (passive side)
 *   iwpm_add_and_query_mapping      AddAndQueryMapping() (active side,
 *                                   asynchronous: the answer of the remote
 *                                   daemon comes to a callback)
 *   iwpm_remove_mapping             RemoveMapping()
 *   iwpm_get_remote_info            GetRemoteInfo()  (consumes what it reads)
 *   IWPM_FLAGS_NO_PORT_MAP          MTP_PORTMAP_NO_PORT_MAP
 * With no daemon running, mappings are the identity (mapped = local), as
 * Linux does when iwpmd is absent.  The mapper keeps its mappings (iwpm's
 * mapinfo) across daemon restarts and replays them to a daemon that starts.
 *
 * MTP sockets consult the mapper of their node through MapServerPort /
 * ReleaseServerPort / MapDestination (the only coupling to the transport).
 */

#ifndef MTP_PORT_MAPPER_H
#define MTP_PORT_MAPPER_H

#include "ns3/callback.h"
#include "ns3/mtp-port-map-table.h"
#include "ns3/node.h"
#include "ns3/object.h"

#include <map>
#include <set>
#include <vector>

namespace ns3
{

class MtpPortMapperDaemon;

/**
 * \ingroup mtp-portmap
 * \brief The result of AddAndQueryMapping (iwpm's iwpm_sa_data).
 */
struct MtpPortMapInfo
{
    MtpPortMapEndpoint local;        //!< the local endpoint asked for
    MtpPortMapEndpoint mappedLocal;  //!< its mapped endpoint
    MtpPortMapEndpoint remote;       //!< the remote endpoint asked for
    MtpPortMapEndpoint mappedRemote; //!< its mapped endpoint (what to send to)
    uint32_t flags = 0;              //!< the request's MtpPortMapFlags
};

/**
 * \ingroup mtp-portmap
 * \brief Completion of AddAndQueryMapping: the error (OK, TIMEDOUT, NOTCONN,
 *        SRCH, ...) and the mapping (mappedRemote valid when OK).
 */
typedef Callback<void, MtpError, const MtpPortMapInfo&> MtpPortMapQueryCallback;

/**
 * \ingroup mtp-portmap
 * \brief A node's port mapper (iwpm's kernel side); see the file comment.
 */
class MtpPortMapper : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    MtpPortMapper();
    ~MtpPortMapper() override;

    /**
     * \brief An interface came up: its addresses may be mapped (iwpm_init).
     * \param ifIndex the IPv4/IPv6 interface index
     * \return OK; ALREADY if it is up already
     */
    MtpError Init(uint32_t ifIndex);

    /**
     * \brief An interface went down: the mappings of its addresses go; the
     *        last interface down frees every table (iwpm_exit).
     * \param ifIndex the interface index
     * \return OK; INVAL if the interface was not up
     */
    MtpError Exit(uint32_t ifIndex);

    /** \param ifIndex an interface index \return true if Init'ed and not Exit'ed */
    bool IsInitialized(uint32_t ifIndex) const;

    /**
     * \brief Register with the node's daemon (iwpm_register_pid).
     * \return OK if a daemon runs (the mapper is registered); SRCH if none
     *         runs: mappings are then the identity
     */
    MtpError Register();

    /** \return true if a daemon runs (iwpm_valid_pid) */
    bool IsDaemonAvailable() const;

    /** \return true once Register() succeeded */
    bool IsRegistered() const;

    /**
     * \brief Map a local endpoint, passive side (iwpm_add_mapping).
     * \param local InetSocketAddress / Inet6SocketAddress (address of an
     *        Init'ed interface or the unspecified address; port > 0)
     * \param flags MtpPortMapFlags
     * \param[out] mapped the mapped endpoint (the identity with no daemon)
     * \return OK; AFNOSUPPORT for another address type; INVAL for port 0,
     *         an address of no Init'ed interface, or a daemon running but
     *         the mapper not registered; ADDRINUSE when no port is free
     */
    MtpError AddMapping(const Address& local, uint32_t flags, Address& mapped);

    /**
     * \brief Map a local endpoint and ask the remote side's daemon for the
     *        remote's mapped endpoint, active side
     *        (iwpm_add_and_query_mapping).  Asynchronous: `done` is called
     *        once, later (also with no daemon, with the identity).
     * \param local the local endpoint (as in AddMapping)
     * \param remote the remote real endpoint to reach
     * \param flags MtpPortMapFlags
     * \param done the completion: OK; TIMEDOUT when the remote daemon did not
     *        answer RequestTimeout x (Retries + 1); NOTCONN when it has no
     *        mapping for `remote`; SRCH when the local daemon stopped
     *        meanwhile; AFNOSUPPORT when the node has no stack of the
     *        remote's address family (the daemons talk IPv4 and IPv6)
     * \return OK if `done` will be called; else the error of AddMapping (and
     *         `done` is not called)
     */
    MtpError AddAndQueryMapping(const Address& local,
                                const Address& remote,
                                uint32_t flags,
                                MtpPortMapQueryCallback done);

    /**
     * \brief Drop a reference to the mapping of `local` (iwpm_remove_mapping).
     * \param local the local endpoint given to AddMapping/AddAndQueryMapping
     * \return OK; AFNOSUPPORT; NOENT if `local` is not mapped
     */
    MtpError RemoveMapping(const Address& local);

    /**
     * \brief The real endpoint of a peer that connected, passive side
     *        (iwpm_get_remote_info).  Reading consumes it.
     * \param mappedLocal this side's mapped endpoint the peer reached
     * \param mappedRemote the peer's endpoint as seen on the wire
     * \param[out] remote the peer's real endpoint
     * \return OK; AFNOSUPPORT; NOENT if unknown or read already
     */
    MtpError GetRemoteInfo(const Address& mappedLocal,
                           const Address& mappedRemote,
                           Address& remote);

    /**
     * \param local a local endpoint
     * \param[out] mapped its mapped endpoint
     * \return true if `local` is mapped
     */
    bool GetMapping(const Address& local, Address& mapped) const;

    /** \return every mapping (iwpm's mapinfo), ordered by local endpoint */
    std::vector<MtpPortMapTable::Entry> GetMappings() const;

    /**
     * \param remote a remote real endpoint
     * \param[out] mappedRemote its mapped endpoint, as a query learned it
     * \return true if a query learned it
     */
    bool GetQueriedMapping(const MtpPortMapEndpoint& remote,
                           MtpPortMapEndpoint& mappedRemote) const;

    /**
     * \brief MTP's Bind hook: the server port a socket of `node` really
     *        binds for `requested` (mapped through the node's mapper, if
     *        any; registers with the daemon first if needed).
     * \param node the socket's node
     * \param requested the address given to Bind
     * \param[out] wirePort the port to bind
     * \return OK (wirePort = the requested port when the node has no mapper)
     *         or AddMapping's error
     */
    static MtpError MapServerPort(Ptr<Node> node, const Address& requested, uint16_t& wirePort);

    /**
     * \brief MTP's Close / failed Bind hook: release the mapping whose mapped
     *        port is `wirePort`, if the node's mapper has one.
     * \param node the socket's node
     * \param wirePort the port the socket bound
     */
    static void ReleaseServerPort(Ptr<Node> node, uint16_t wirePort);

    /**
     * \brief MTP's SendRequest hook: the destination to put on the wire.
     * \param node the sender's node
     * \param host destination host
     * \param port destination port given by the application
     * \return the mapped port a query learned for (host, port), else `port`
     */
    static uint16_t MapDestination(Ptr<Node> node, const MtpAddress& host, uint16_t port);

    /**
     * \brief Called by the node's daemon when it starts: the mapper replays
     *        its mappings to it.
     * \param daemon the daemon
     */
    void DaemonStarted(Ptr<MtpPortMapperDaemon> daemon);

    /**
     * \brief Called by the node's daemon when it stops.
     * \param daemon the daemon
     */
    void DaemonStopped(Ptr<MtpPortMapperDaemon> daemon);

    /**
     * \brief Called by the daemon when a remote daemon told it who connects
     *        (iwpm's remote info message).
     * \param mappedLocal this side's mapped endpoint
     * \param mappedRemote the peer's mapped endpoint
     * \param remote the peer's real endpoint
     */
    void DeliverRemoteInfo(const MtpPortMapEndpoint& mappedLocal,
                           const MtpPortMapEndpoint& mappedRemote,
                           const MtpPortMapEndpoint& remote);

  protected:
    void DoDispose() override;

  private:
    /**
     * \param local an endpoint
     * \return OK if it may be mapped: an Init'ed interface holds its address
     *         (or it is the unspecified address and some interface is up)
     */
    MtpError CheckLocal(const MtpPortMapEndpoint& local) const;
    /**
     * \param local an endpoint
     * \return its interface index, or -1 if no interface of the node holds it
     */
    int32_t InterfaceOf(const MtpPortMapEndpoint& local) const;
    /**
     * \brief Map `local` through the daemon, or identically with none; record it.
     * \param local endpoint
     * \param flags MtpPortMapFlags
     * \param[out] mapped the result
     * \return OK or the error
     */
    MtpError Map(const MtpPortMapEndpoint& local, uint32_t flags, MtpPortMapEndpoint& mapped);
    /**
     * \brief Drop one reference to `local` here and in the daemon.
     * \param local endpoint
     * \return OK or NOENT
     */
    MtpError Unmap(const MtpPortMapEndpoint& local);
    /**
     * \brief A query of AddAndQueryMapping ended.
     * \param info the request (mappedRemote filled when OK)
     * \param done the caller's callback
     * \param error the outcome
     * \param mappedRemote the remote's mapped endpoint (when OK)
     */
    void QueryDone(MtpPortMapInfo info,
                   MtpPortMapQueryCallback done,
                   MtpError error,
                   const MtpPortMapEndpoint& mappedRemote);

    bool m_noPortMap;                  //!< Attribute NoPortMap: MTP's hook maps with NO_PORT_MAP
    std::set<uint32_t> m_interfaces;   //!< interfaces Init'ed and not Exit'ed
    Ptr<MtpPortMapperDaemon> m_daemon; //!< the running daemon, or null
    bool m_registered;                 //!< Register() succeeded
    std::map<MtpPortMapEndpoint, MtpPortMapTable::Entry> m_mapInfo; //!< local -> mapping
    std::map<MtpPortMapEndpoint, MtpPortMapEndpoint> m_queried;     //!< remote -> mapped remote
    MtpRemoteInfoTable m_remoteInfo; //!< what connecting peers' daemons told
};

} // namespace ns3

#endif /* MTP_PORT_MAPPER_H */
