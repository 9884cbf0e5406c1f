/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpRpcTable: the RPCs of one socket, and the way their messages reach its
 * application.
 *
 * Design notes
 * ------------
 * A socket is what an application holds; its RPCs are the transport's
 * business.  This table is their one owner: the socket creates its client
 * RPCs here (SendRequest), the stacks create server RPCs here when a
 * request's first packet arrives, and both find, list and remove them here.
 * Every RPC entering or leaving the table is announced to the socket's
 * current stack (MtpStack::RpcAdded / RpcRemoved), so a stack always knows
 * what it runs.  The stacks and MtpL4Protocol reach the table through
 * MtpSocket::Rpcs(); applications never need it.
 *
 * Order: client RPCs are kept by id and server RPCs by (client address, id),
 * and every listing gives clients by id, then servers by key.  The timer and
 * ICMP aborts walk RPCs in this order, so it is part of what makes a run a
 * function of its seed: do not change it.
 *
 * Delivery: Deliver and DeliverError turn a finished message or a failed RPC
 * into what RecvMessage will report (id, peer, kind, error, start time; a
 * MtpMessageTag on the message) and hand it to the sink the socket installs,
 * which queues it for the application through the host path.  Once the
 * table is shut down (Homa's shutdown: the socket was shut down or closed)
 * it holds no RPC and delivers nothing.
 *
 * Lingering ids: a server that completed a one-way message with an ack
 * (OneWayAnswer=Ack) frees the RPC at once but must still recognise its id
 * for a while, so that a late retransmission is not delivered again and a
 * client whose ack was lost gets the ack again instead of RPC_UNKNOWN (which
 * would make it send the message once more).  Linger keeps (client, id)
 * until a deadline, like TCP's TIME_WAIT; expired ids are forgotten lazily
 * (by the next Linger, or a lookup that meets one), so no timer runs for
 * them and memory is the ids of the last OneWayLinger's worth of one-way
 * messages (plus, until the next Linger, the expired ones).
 *
 * What it hides: the two maps and their keys, the stack notifications, and
 * the shape of a receive entry.
 */

#ifndef MTP_RPC_TABLE_H
#define MTP_RPC_TABLE_H

#include "ns3/mtp-error.h"
#include "ns3/mtp-peer.h"
#include "ns3/mtp-rpc.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <utility>
#include <vector>

namespace ns3
{

class MtpSocket;
struct MtpRecvInfo;
enum class MtpMessageKind : uint8_t;

/**
 * \ingroup mtp-transport
 * \brief Owner of one socket's client and server RPCs, and their delivery to
 *        the socket's receive queue.
 */
class MtpRpcTable
{
  public:
    /**
     * Where delivered entries go (installed by the socket).
     * \param message the message (with its MtpMessageTag), or nullptr for a failed RPC
     * \param info what RecvMessage will report for it
     */
    using DeliverySink = std::function<void(Ptr<Packet> message, const MtpRecvInfo& info)>;

    /**
     * \param owner the socket whose RPCs these are; every RPC points back to
     *        it, and its current stack is told of RPCs added and removed
     */
    explicit MtpRpcTable(MtpSocket* owner);

    /** \param sink where Deliver and DeliverError hand their entries */
    void SetDeliverySink(DeliverySink sink);

    /**
     * \brief Create a client RPC (SendRequest, one-way send) in state OUTGOING.
     * \param peer the server host
     * \param peerPort the server port
     * \param localPort our port in its packets (the socket's default port)
     * \param id a fresh client id (even)
     * \param oneWay true for a one-way message
     * \return the RPC, already announced to the stack
     */
    Ptr<MtpRpc> NewClient(Ptr<MtpPeer> peer,
                          uint16_t peerPort,
                          uint16_t localPort,
                          uint64_t id,
                          bool oneWay);

    /**
     * \brief Create a server RPC for a request's first packet, in state INCOMING.
     * \param peer the client host
     * \param peerPort the client's port
     * \param localPort the port the request came to
     * \param id the server's id for the RPC (odd)
     * \return the RPC, already announced to the stack
     */
    Ptr<MtpRpc> NewServer(Ptr<MtpPeer> peer, uint16_t peerPort, uint16_t localPort, uint64_t id);

    /**
     * \param id a client RPC id
     * \return the client RPC with this id, or nullptr
     */
    Ptr<MtpRpc> FindClient(uint64_t id) const;

    /**
     * \param client the client host
     * \param id the server's id for the RPC (odd)
     * \return the server RPC, or nullptr
     */
    Ptr<MtpRpc> FindServer(const MtpAddress& client, uint64_t id) const;

    /**
     * \brief Take an RPC out of the table and tell the stack (which marks it
     *        DEAD).  An RPC already DEAD is left alone.
     * \param rpc the RPC
     */
    void Remove(Ptr<MtpRpc> rpc);

    /** \return every RPC: clients by id, then servers by (client address, id) */
    std::vector<Ptr<MtpRpc>> GetAll() const;

    /** \return the client RPCs, by id */
    std::vector<Ptr<MtpRpc>> GetClients() const;

    /** \return number of RPCs held */
    std::size_t GetCount() const;

    /**
     * \brief Hand a whole message to the application (nothing once shut down).
     * \param rpc the RPC it belongs to
     * \param message the bytes; tagged with the RPC's id and the kind
     * \param kind REQUEST, RESPONSE or ONE_WAY
     */
    void Deliver(Ptr<MtpRpc> rpc, Ptr<Packet> message, MtpMessageKind kind);

    /**
     * \brief Report a failed RPC to the application (nothing once shut down).
     * \param rpc the RPC
     * \param error why it failed
     */
    void DeliverError(Ptr<MtpRpc> rpc, MtpError error);

    /**
     * \brief Homa's shutdown: remove every RPC (in GetAll order) and deliver
     *        nothing from now on.  A second call does nothing.
     */
    void Shutdown();

    /** \return true once Shutdown ran (the socket was shut down or closed) */
    bool IsShutdown() const;

    /**
     * \brief Remember a server id that is no longer in the table (a one-way
     *        message completed with an ack) until `until`.  Nothing once shut down.
     * \param client the client host
     * \param id the server's id for the RPC (odd)
     * \param until when the id may be forgotten
     */
    void Linger(const MtpAddress& client, uint64_t id, Time until);

    /**
     * \param client the client host
     * \param id the server's id for the RPC (odd)
     * \return true if the id lingers (Linger, deadline not passed yet)
     */
    bool IsLingering(const MtpAddress& client, uint64_t id);

    /** \return ids lingering now (expired ones forgotten first) */
    std::size_t GetLingerCount();

  private:
    /// Key of a server RPC: the client host and the server's id.
    using ServerKey = std::pair<MtpAddress, uint64_t>;

    MtpSocket* m_owner;                         //!< the socket the RPCs belong to
    DeliverySink m_sink;                        //!< the socket's receive path
    bool m_shutdown = false;                    //!< Shutdown ran: hold and deliver nothing
    std::map<uint64_t, Ptr<MtpRpc>> m_clients;  //!< client RPCs by id
    std::map<ServerKey, Ptr<MtpRpc>> m_servers; //!< server RPCs by (client, id)
    std::map<ServerKey, Time> m_linger;         //!< lingering ids -> deadline
    /// Lingering ids in the order they were added, with their deadlines: expiry
    /// pops the front (a re-added id leaves a stale entry, skipped by deadline).
    std::deque<std::pair<Time, ServerKey>> m_lingerOrder;

    /** Forget the lingering ids whose deadline has passed. */
    void ExpireLinger();
};

} // namespace ns3

#endif /* MTP_RPC_TABLE_H */
