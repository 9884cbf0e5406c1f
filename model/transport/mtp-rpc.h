/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpRpc: one remote procedure call as one host sees it.
 *
 * Design notes
 * ------------
 * A client RPC has an even id, chosen by the client host; the server knows
 * the same RPC as id | 1.  Both ends keep an MtpRpc; each holds at most one
 * outbound message (client: the request; server: the response) and one
 * inbound message (client: the response; server: the request).
 *
 * Life of a client RPC:   OUTGOING (request being sent) -> INCOMING (response
 *                         arriving) -> freed, after delivery; an ack is
 *                         queued for the server.
 * Life of a server RPC:   INCOMING (request arriving) -> IN_SERVICE (request
 *                         delivered; the application works) -> OUTGOING
 *                         (response being sent, then kept until the client
 *                         acks it) -> freed.
 *
 * A one-way message (MTP extension) is a client RPC whose request needs no
 * answer.  By default (OneWayAnswer=Response) the server answers it itself
 * with an empty response and the life above is unchanged.  With ackOnly
 * (OneWayAnswer=Ack) there is no response: the server delivers the message,
 * owes the client an ack (MtpPeer::pendingAcks, roles reversed) and frees the
 * RPC at once, keeping its id for OneWayLinger (MtpRpcTable::Linger); the
 * client stays OUTGOING until that ack arrives (or probes with NEED_ACK).
 *
 * At-most-once: the server creates an RPC only for an id it does not hold,
 * delivers a request once, and keeps the RPC (answering duplicates and
 * RESENDs from its state) until the client acknowledges the response.  A
 * client restarts a request only when the server answered RPC_UNKNOWN, i.e.
 * never delivered it.
 *
 * Every packet that concerns the RPC resets its silence counters; the
 * protocol's tick counts silent ticks and drives RESEND, NEED_ACK and the
 * ETIMEDOUT abort (see MtpL4Protocol::Tick).
 *
 * The fields are public, as in a kernel struct: the protocol engine
 * (MtpL4Protocol) and the socket (MtpSocket) are the only users and both
 * manipulate them under the invariants documented per field.
 */

#ifndef MTP_RPC_H
#define MTP_RPC_H

#include "ns3/mtp-error.h"
#include "ns3/mtp-grant-scheduler.h"
#include "ns3/mtp-message.h"
#include "ns3/mtp-pacer.h"
#include "ns3/mtp-peer.h"
#include "ns3/nstime.h"
#include "ns3/simple-ref-count.h"

#include <memory>

namespace ns3
{

class MtpSocket;

/**
 * \ingroup mtp-transport
 * \brief State of one RPC on one host.
 */
class MtpRpc : public SimpleRefCount<MtpRpc>
{
  public:
    /// Where the RPC is in its life (see the file comment).
    enum class State : uint8_t
    {
        OUTGOING,   //!< sending our message (client: request; server: response)
        INCOMING,   //!< receiving the peer's message
        IN_SERVICE, //!< server only: request delivered, response not yet given
        DEAD        //!< ended; unlinked from every table
    };

    /**
     * \param socket the socket that owns the RPC
     * \param peer the other host
     * \param peerPort the other end's port (client: server port; server: client port)
     * \param id this host's id for the RPC (even = we are the client)
     */
    MtpRpc(MtpSocket* socket, Ptr<MtpPeer> peer, uint16_t peerPort, uint64_t id);

    /** \return true if this host is the RPC's client */
    bool IsClient() const
    {
        return (id & 1) == 0;
    }

    /** \return the state's name ("OUTGOING") */
    const char* StateName() const;

    /**
     * \return true if this host is waiting for bytes the peer should send
     *         without further action from us: the silence the tick counts.
     */
    bool ExpectsPeer() const;

    /** \brief A packet for this RPC arrived: the peer is alive. */
    void HeardFromPeer()
    {
        silentTicks = 0;
        resendsWithoutReply = 0;
    }

    uint64_t id;         //!< this host's id (client even, server odd)
    MtpSocket* socket;   //!< owner; outlives the RPC's presence in its tables
    Ptr<MtpPeer> peer;   //!< the other host
    uint16_t peerPort;   //!< the other end's port
    uint16_t localPort;  //!< our port used in packets (client: default port; server: the port the
                         //!< request came to)
    State state;         //!< see State
    bool oneWay = false; //!< the request is a one-way message (MTP extension)
    /// One-way message answered by the receiver's ack instead of an empty response
    /// (the sender's OneWayAnswer=Ack; DATA flag FLAG_ACK_ONLY): the client frees the
    /// RPC on that ack, the server delivers, owes the ack and keeps only the id.
    bool ackOnly = false;
    Time startTime; //!< when the RPC began here (send or first packet)

    std::unique_ptr<MtpOutMessage> msgout; //!< our message, once there is one
    std::unique_ptr<MtpInMessage> msgin;   //!< the peer's message, once its first packet arrived

    /// Priority for our unscheduled bytes (from the peer's cutoffs).
    uint8_t unschedPriority = 0;
    /// Priority the receiver asked for our scheduled bytes (latest GRANT).
    uint8_t schedPriority = 0;

    /// Linkage in the receiver's grant scheduler (for msgin).
    MtpGrantScheduler::Entry grantEntry;
    /// Linkage in the sender's pacer queue (for msgout).
    MtpPacer::Entry pacerEntry;

    uint32_t silentTicks = 0;         //!< ticks since the peer last sent anything for this RPC
    uint32_t resendsWithoutReply = 0; //!< RESENDs (or NEED_ACKs) sent since the peer last spoke
    uint32_t restarts = 0;            //!< times a client request was restarted
};

} // namespace ns3

#endif /* MTP_RPC_H */
