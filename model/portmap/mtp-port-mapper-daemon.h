/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPortMapperDaemon: a node's port-mapper daemon (Linux's iwpmd) as an
 * ns-3 Application.  It owns the pool of mapped ports and the table of
 * mappings, answers the node's MtpPortMapper, and talks to the daemons of
 * other nodes over UDP (port 3935): a QUERY asks a remote daemon which
 * mapped endpoint stands for a real one; its ANSWER completes the
 * asker's AddAndQueryMapping, and tells the answering side's mapper who is
 * connecting (the remote info).  A query unanswered after RequestTimeout is
 * sent again, Retries times; then it fails with TIMEDOUT.
 *
 * Stop() is the daemon dying: its table and pending queries are lost (they
 * fail with SRCH), the mapper maps identically meanwhile.  Start() is a new
 * daemon: the mapper replays its mappings, which keep their mapped ports.
 * StartApplication/StopApplication call them.
 *
 * IPv4 and IPv6: the daemon binds UDP Port on IPv4 if the node has an IPv4
 * stack and on IPv6 if it has an IPv6 one, and asks a remote daemon over
 * the family of the remote endpoint (a family the node lacks: AFNOSUPPORT).
 * A datagram that is no valid MtpPortMapMessage, or an ANSWER matching no
 * query, is dropped, counted per MtpPortMapDropReason and traced.
 *
 * Emulation: with ReservePorts, every mapped port is also reserved on the
 * real host, as iwpmd does, by binding a real TCP socket (not listening) to
 * ReserveAddress:port while the mapping lives; a pool port the host holds
 * already is skipped.  Removal, an interface going down and Stop release it.
 */

#ifndef MTP_PORT_MAPPER_DAEMON_H
#define MTP_PORT_MAPPER_DAEMON_H

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/mtp-port-map-message.h"
#include "ns3/mtp-port-map-table.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

class MtpPortMapper;

/**
 * \ingroup mtp-portmap
 * \brief A node's port-mapper daemon (iwpmd); see the file comment.
 */
class MtpPortMapperDaemon : public Application
{
  public:
    /** The UDP port iwpmd uses. */
    static constexpr uint16_t IWPM_PORT = 3935;

    /** Completion of Query: the error and the remote's mapped endpoint. */
    using AnswerCallback = std::function<void(MtpError, const MtpPortMapEndpoint&)>;

    /** \return the TypeId */
    static TypeId GetTypeId();
    MtpPortMapperDaemon();
    ~MtpPortMapperDaemon() override;

    /** Start the daemon (again): open the UDP port, take the mapper's mappings. */
    void Start();
    /** Stop the daemon: close the port, lose the table, fail pending queries (SRCH). */
    void Stop();
    /** \return true between Start and Stop */
    bool IsRunning() const;

    /**
     * \brief Map a local endpoint (the mapper's AddMapping).
     * \param local endpoint
     * \param flags MtpPortMapFlags
     * \param[out] mapped its mapped endpoint
     * \return MtpPortMapTable::Add's result; SRCH if not running
     */
    MtpError AddLocal(const MtpPortMapEndpoint& local, uint32_t flags, MtpPortMapEndpoint& mapped);

    /**
     * \brief Drop a reference to a mapping (the mapper's RemoveMapping).
     * \param local endpoint
     * \return OK; NOENT; SRCH if not running
     */
    MtpError RemoveLocal(const MtpPortMapEndpoint& local);

    /**
     * \brief Drop a mapping whatever its references (its interface went down).
     * \param local endpoint
     */
    void DropLocal(const MtpPortMapEndpoint& local);

    /**
     * \brief Re-enter a mapping the mapper kept (replay after a restart).
     * \param e the mapping
     * \return MtpPortMapTable::Restore's result
     */
    MtpError Replay(const MtpPortMapTable::Entry& e);

    /**
     * \brief Ask the daemon of `remote`'s host for `remote`'s mapped endpoint.
     * \param local the asker's real endpoint
     * \param mappedLocal the asker's mapped endpoint
     * \param remote the real endpoint to reach
     * \param flags the asker's MtpPortMapFlags
     * \param done called once, later: OK, TIMEDOUT, NOTCONN (no mapping
     *        there), SRCH (this daemon stopped), AFNOSUPPORT (the node has
     *        no stack of `remote`'s address family)
     */
    void Query(const MtpPortMapEndpoint& local,
               const MtpPortMapEndpoint& mappedLocal,
               const MtpPortMapEndpoint& remote,
               uint32_t flags,
               AnswerCallback done);

    /** \return the table of mappings (empty while stopped) */
    const MtpPortMapTable& GetTable() const;

    /** \return the ports reserved on the real host now (ReservePorts), ascending */
    std::vector<uint16_t> GetReservedPorts() const;

    /**
     * \param reason a drop reason
     * \return how many received datagrams were dropped for it (kept across
     *         Stop/Start; reset only with the daemon)
     */
    uint64_t GetDropCount(MtpPortMapDropReason reason) const;

    /** TracedCallback signature: a mapping and its mapped endpoint. */
    typedef void (*MappingTracedCallback)(const MtpPortMapEndpoint& local,
                                          const MtpPortMapEndpoint& mapped);
    /** TracedCallback signature: a query's remote, its mapped endpoint, outcome. */
    typedef void (*QueryTracedCallback)(const MtpPortMapEndpoint& remote,
                                        const MtpPortMapEndpoint& mappedRemote,
                                        MtpError error);
    /** TracedCallback signature: a QUERY datagram sent (sequence, attempt from 1). */
    typedef void (*QuerySentTracedCallback)(const MtpPortMapEndpoint& remote,
                                            uint32_t sequence,
                                            uint32_t attempt);
    /** TracedCallback signature: a received datagram dropped (reason, sender). */
    typedef void (*DropTracedCallback)(MtpPortMapDropReason reason, const Address& from);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /** A query waiting for its answer. */
    struct Pending
    {
        MtpPortMapMessage msg;     //!< the QUERY (resent as is)
        MtpPortMapEndpoint remote; //!< the endpoint asked for
        uint32_t attempts = 0;     //!< QUERY datagrams sent so far
        EventId timer;             //!< RequestTimeout of the last send
        AnswerCallback done;       //!< the asker's completion
    };

    /**
     * \brief Open and bind the UDP socket of one family (Port, any address).
     * \param ipv6 IPv6 (else IPv4)
     * \param[out] socket the bound socket (null on failure)
     * \return false if the bind failed
     */
    bool OpenSocket(bool ipv6, Ptr<Socket>& socket);
    /** \param to a daemon's UDP address \return the socket of its family, or null */
    Ptr<Socket> SocketFor(const Address& to) const;
    /** \param host a remote host \return the UDP address of its daemon */
    Address DaemonAddress(const MtpAddress& host) const;
    /** \param socket the UDP socket with datagrams to read */
    void HandleRead(Ptr<Socket> socket);
    /** \param msg a QUERY \param from its sender: answer it */
    void HandleQuery(const MtpPortMapMessage& msg, const Address& from);
    /** \param msg an ANSWER \return true if it completed a pending query */
    bool HandleAnswer(const MtpPortMapMessage& msg);
    /** \param reason why \param from sender: count and trace a dropped datagram */
    void Drop(MtpPortMapDropReason reason, const Address& from);
    /** \param sequence a pending query: send (again) and arm its timer */
    void Transmit(uint32_t sequence);
    /** \param sequence a pending query whose timer fired: resend or fail */
    void Expire(uint32_t sequence);
    /**
     * \param sequence a pending query: end it
     * \param error outcome
     * \param mappedRemote result (when OK)
     */
    void Finish(uint32_t sequence, MtpError error, const MtpPortMapEndpoint& mappedRemote);
    /** \param msg send it to `to` \param to a daemon's UDP address */
    void SendMessage(const MtpPortMapMessage& msg, const Address& to);
    /**
     * \param mapped a mapped endpoint about to be used
     * \return true if ReservePorts is off, or its port is now bound by a
     *         real socket of this daemon on the host
     */
    bool Reserve(const MtpPortMapEndpoint& mapped);
    /** \param port close the real socket reserving it, if any */
    void Release(uint16_t port);

    bool m_reservePorts;                //!< Attribute ReservePorts
    Ipv4Address m_reserveAddr;          //!< Attribute ReserveAddress
    std::map<uint16_t, int> m_reserved; //!< real port -> descriptor of the real socket bound to it

    uint16_t m_port;                          //!< Attribute Port
    Time m_timeout;                           //!< Attribute RequestTimeout
    uint32_t m_retries;                       //!< Attribute Retries
    uint16_t m_firstPort;                     //!< Attribute FirstPort
    uint16_t m_lastPort;                      //!< Attribute LastPort
    bool m_running;                           //!< between Start and Stop
    Ptr<Socket> m_socket4;                    //!< the IPv4 UDP socket while running (IPv4 node)
    Ptr<Socket> m_socket6;                    //!< the IPv6 UDP socket while running (IPv6 node)
    Ptr<MtpPortMapper> m_mapper;              //!< the node's mapper (may be null)
    std::unique_ptr<MtpPortMapTable> m_table; //!< mappings (lost on Stop)
    std::map<uint32_t, Pending> m_pending;    //!< queries by sequence number
    uint32_t m_nextSequence;                  //!< next query's sequence number

    TracedCallback<const MtpPortMapEndpoint&, const MtpPortMapEndpoint&> m_mappingAdded; //!< trace
    TracedCallback<const MtpPortMapEndpoint&, const MtpPortMapEndpoint&>
        m_mappingRemoved; //!< trace
    TracedCallback<const MtpPortMapEndpoint&, const MtpPortMapEndpoint&, MtpError>
        m_mappingQueried; //!< trace: a query of ours ended
    TracedCallback<const MtpPortMapEndpoint&, const MtpPortMapEndpoint&, MtpError>
        m_queryAnswered; //!< trace: we answered a remote daemon's query
    TracedCallback<const MtpPortMapEndpoint&, uint32_t, uint32_t> m_querySent; //!< trace
    TracedCallback<MtpPortMapDropReason, const Address&> m_dropped; //!< trace MessageDropped
    /// datagrams dropped, per MtpPortMapDropReason
    uint64_t m_drops[static_cast<std::size_t>(MtpPortMapDropReason::COUNT)] = {};
};

} // namespace ns3

#endif /* MTP_PORT_MAPPER_DAEMON_H */
