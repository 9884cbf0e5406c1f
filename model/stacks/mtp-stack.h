/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpStack: one transport engine behind MTP's sockets, FreeBSD tcp_functions style.
 *
 * Design notes
 * ------------
 * FreeBSD lets whole TCP engines ("function blocks") register by name and
 * lets each socket pick one (TCP_FUNCTION_BLK).  MTP does the same for
 * receiver-driven engines: MtpL4Protocol keeps the IP plumbing (ports,
 * validation of the common header, ICMP, the NIC-queue pacer estimate) and a
 * registry of stacks; each MtpSocket names the stack that runs its RPCs, and
 * every packet addressed to the socket is handed to that stack.
 *
 * One object of a stack class runs on each node (registered with that
 * node's MtpL4Protocol): it owns the engine's node-wide state, such as
 * Homa's grant scheduler and timer, because Homa's SRPT decisions span all
 * of a host's sockets.  Fork() makes a fresh engine with the same Attributes
 * (ns-3's TcpCongestionOps idiom), so a helper can register one configured
 * prototype on many nodes.
 *
 * The function-block hooks keep tcp_functions' meaning:
 *  - Init(socket)             a socket starts using this stack (its RPCs, if
 *                             any, are adopted);                tfb_tcp_fb_init
 *  - Fini(socket, switching)  it stops (switching: to another stack, which
 *                             adopts the RPCs; otherwise the socket closes)
 *                                                               tfb_tcp_fb_fini
 *  - HandoffOk(socket)        may this stack take the socket over while it
 *                             has live RPCs?                    tfb_tcp_handoff_ok
 * All stacks speak the same wire format (Homa's packet types), so a client
 * on one stack can talk to a server on another.
 */

#ifndef MTP_STACK_H
#define MTP_STACK_H

#include "ns3/mtp-error.h"
#include "ns3/mtp-header.h"
#include "ns3/mtp-rpc.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <string>
#include <vector>

namespace ns3
{

class MtpL4Protocol;
class MtpSocket;

/**
 * \ingroup mtp-stacks
 * \brief Where a received packet came from, as IP told the transport.
 */
struct MtpRxContext
{
    MtpAddress src;         //!< source host
    MtpAddress dst;         //!< destination (local) address
    uint8_t priority;       //!< priority read from the IP header (DSCP / traffic class)
    MtpPseudoHeader pseudo; //!< checksum pseudo-header of the packet's path
};

/**
 * \ingroup mtp-stacks
 * \brief A transport engine that runs the RPCs of the sockets that select it.
 *
 * Subclasses implement the packet handling and timers of one design (Homa,
 * unscheduled-only, ...).  The base class keeps the bookkeeping every stack
 * needs: the node's transport it is bound to, the sockets and live RPCs it
 * serves, and the common way to end an RPC with an error.
 */
class MtpStack : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpStack();
    ~MtpStack() override;

    /** \return the name sockets select this stack by ("homa") */
    virtual std::string GetName() const = 0;

    /**
     * \brief A fresh engine of the same class with the same Attribute values
     *        and no state (ns-3's TcpCongestionOps::Fork idiom).  The default
     *        builds one through the TypeId and copies every Attribute.
     * \return the copy, not bound to any node
     */
    virtual Ptr<MtpStack> Fork() const;

    /**
     * \brief Bind the engine to a node's transport; done once by
     *        MtpL4Protocol::RegisterStack.
     * \param l4 the node's transport
     */
    void Bind(Ptr<MtpL4Protocol> l4);

    /** \return the transport this engine is bound to (null before Bind) */
    Ptr<MtpL4Protocol> GetL4() const;

    // ---- tcp_functions hooks ----

    /**
     * \brief May this stack take over `socket`, which has live RPCs, from
     *        its current stack?  Called only when the socket has RPCs.
     * \param socket the socket
     * \return OK, or the error the switch fails with (EINVAL, EBUSY)
     */
    virtual MtpError HandoffOk(const MtpSocket& socket) const;

    /**
     * \brief `socket` starts using this stack; its RPCs (after a handoff)
     *        become this engine's.
     * \param socket the socket
     */
    virtual void Init(MtpSocket& socket);

    /**
     * \brief `socket` stops using this stack.
     * \param socket the socket
     * \param switching true when another stack takes its RPCs over; false
     *        when the socket is closing (its RPCs are being dropped)
     */
    virtual void Fini(MtpSocket& socket, bool switching);

    /**
     * \brief A node-wide Attribute of MtpL4Protocol changed while the stack
     *        is registered: re-read whatever the stack caches from it.
     *        The default caches nothing.
     */
    virtual void ConfigChanged();

    /** \return sockets currently using this stack */
    uint32_t GetSocketCount() const;

    // ---- Data path, called by MtpSocket and MtpL4Protocol ----

    /**
     * \brief Start sending an RPC's outbound message (request or response).
     * \param rpc the RPC, already in its socket's table
     * \param message the bytes
     * \return OK, or EHOSTUNREACH when there is no route
     */
    virtual MtpError StartMessage(Ptr<MtpRpc> rpc, Ptr<const Packet> message) = 0;

    /**
     * \brief Handle a packet for one of the socket's ports.  The common
     *        header was validated and the socket is open.
     * \param p the packet, MTP header first
     * \param ctx where it came from
     * \param socket the socket that holds the destination port
     */
    virtual void Receive(Ptr<Packet> p, const MtpRxContext& ctx, MtpSocket& socket) = 0;

    /**
     * \brief Send one DATA segment of the RPC's outbound message (the pacer
     *        releases paced segments through this).
     * \param rpc the RPC
     * \param seg the segment
     * \param retransmit true for a retransmission
     * \param priority the priority, or -1 for the one the stack chooses
     */
    virtual void SendDataSegment(Ptr<MtpRpc> rpc,
                                 const MtpSegment& seg,
                                 bool retransmit,
                                 int priority) = 0;

    /**
     * \brief A client acknowledged a response (piggybacked or in an ACK):
     *        free the server RPC if it is done.
     * \param rpc the server RPC the ack names
     */
    virtual void ProcessAck(Ptr<MtpRpc> rpc);

    /**
     * \brief The receiver of a one-way message acknowledged it instead of
     *        answering (OneWayAnswer=Ack): free the client RPC.  An RPC that
     *        did not ask for an ack (it waits for a response) is left alone.
     * \param rpc the client RPC the ack names (its peer sent the ack)
     */
    virtual void ProcessOneWayAck(Ptr<MtpRpc> rpc);

    /** \param rpc an RPC that entered its socket's tables: Adopt it */
    void RpcAdded(Ptr<MtpRpc> rpc);

    /** \param rpc an RPC that left its socket's tables: Release it, mark it DEAD */
    void RpcRemoved(Ptr<MtpRpc> rpc);

    /**
     * \brief End an RPC with an error: a client RPC reports it to the
     *        application, a server RPC is discarded.
     * \param rpc the RPC
     * \param error why
     */
    void AbortRpc(Ptr<MtpRpc> rpc, MtpError error);

    /** \return RPCs alive in this engine's sockets */
    uint32_t GetLiveRpcCount() const;

    /** \return the node's open sockets that use this stack, in creation order */
    std::vector<Ptr<MtpSocket>> Sockets() const;

  protected:
    void DoDispose() override;

    /** \brief Called once after Bind: read the node's configuration. */
    virtual void DoBind();

    /**
     * \brief Take charge of a live RPC: a new one, or one handed over by
     *        another stack (it may have messages in progress).
     * \param rpc the RPC
     */
    virtual void Adopt(Ptr<MtpRpc> rpc);

    /**
     * \brief Let go of an RPC: unlink it from every structure of the engine.
     *        Its state is left alone (it may live on in another stack).
     * \param rpc the RPC
     */
    virtual void Release(Ptr<MtpRpc> rpc);

    Ptr<MtpL4Protocol> m_l4; //!< the node's transport
    uint32_t m_sockets = 0;  //!< sockets using this stack
    uint32_t m_liveRpcs = 0; //!< RPCs in those sockets' tables
};

} // namespace ns3

#endif /* MTP_STACK_H */
