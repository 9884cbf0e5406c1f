/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpSocket: an application's handle on MTP.
 *
 * As in Homa, a socket is client and server at once and has no
 * connections.  It offers two APIs:
 *
 * The RPC API (Homa's):
 *   - SendRequest(message, server) -> id       start a client RPC
 *   - RecvMessage(info) -> message             the next whole request,
 *                                              response, one-way message or
 *                                              failed RPC, with its id, peer
 *                                              and kind
 *   - SendResponse(message, id, client)        answer a request
 *   - Abort(id) / Abort(0)                     end one RPC or all
 *   - ShutdownSend/ShutdownRecv/Close          Homa's shutdown: every RPC
 *                                              is dropped, later calls fail
 *
 * The generic ns-3 Socket API, so that ordinary ns-3 applications (PacketSink,
 * OnOffApplication...) run over MTP: SendTo/Send send a *one-way message*
 * (an MTP extension: by default the receiver answers it itself with an empty
 * response, so the sender's RPC ends and the server's state is freed by the
 * usual ack; with MtpL4Protocol's OneWayAnswer=Ack there is no response and
 * the receiver's ack ends the sender's RPC instead).  Either way the sender's
 * application is told nothing when a one-way message completes (SendTo's
 * return value and NotifyDataSent say it was accepted; GetRpcCount falls when
 * it is done) and gets a FAILED entry when it fails.  Recv/RecvFrom return
 * the next whole message of any kind.  Each received packet carries an
 * MtpMessageTag with its id and kind.
 *
 * Ports: every socket gets a default port >= 0x8000 when it is created, used
 * as the source port of its requests.  Bind to a port below 0x8000 makes the
 * socket a server on that port as well (EADDRINUSE if taken, EINVAL for a
 * port >= 0x8000).  Bind() and Bind to port 0 keep the default port.  The
 * port space is MTP's own; the address in Bind is ignored (MTP sockets
 * receive on every local address, as Homa's do).
 *
 * Errors: calls return -1 (or 0 for ids) and set both GetErrno() (ns-3's
 * nearest SocketErrno) and GetMtpErrno() (the exact MtpError).
 *
 * The socket's RPCs live in its MtpRpcTable (Rpcs()), which the transport
 * stacks and MtpL4Protocol use to create, find and end RPCs and to deliver
 * their messages here; the socket itself only offers the two APIs above.
 */

#ifndef MTP_SOCKET_H
#define MTP_SOCKET_H

#include "ns3/mtp-error.h"
#include "ns3/mtp-rpc-table.h"
#include "ns3/socket.h"
#include "ns3/tag.h"
#include "ns3/traced-callback.h"

#include <deque>

namespace ns3
{

class MtpL4Protocol;
class MtpStack;

/**
 * \ingroup mtp-transport
 * \brief What a received MTP message is.
 */
enum class MtpMessageKind : uint8_t
{
    REQUEST = 0,  //!< a request: answer it with SendResponse(id)
    RESPONSE = 1, //!< the response to one of this socket's requests
    ONE_WAY = 2,  //!< a one-way message (needs no answer)
    FAILED = 3    //!< not a message: one of this socket's RPCs failed (see error)
};

/** \return the kind's name ("REQUEST") */
const char* MtpMessageKindName(MtpMessageKind k);

/** \return os, after printing the kind's name */
std::ostream& operator<<(std::ostream& os, MtpMessageKind k);

/**
 * \ingroup mtp-transport
 * \brief What RecvMessage says about the message it returns.
 */
struct MtpRecvInfo
{
    uint64_t id = 0; //!< this host's RPC id (0 if nothing was received)
    Address peer;    //!< the other end (InetSocketAddress or Inet6SocketAddress)
    MtpMessageKind kind = MtpMessageKind::FAILED; //!< what the message is
    MtpError error = MtpError::OK; //!< for FAILED: why; EAGAIN when nothing was queued
    uint32_t length = 0;           //!< message length in bytes
    Time rpcStart;                 //!< client: when SendRequest was called; server: first packet
};

/**
 * \ingroup mtp-transport
 * \brief Packet tag on every message a socket returns: its id and kind.
 */
class MtpMessageTag : public Tag
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

    uint64_t id = 0;                               //!< this host's RPC id
    MtpMessageKind kind = MtpMessageKind::REQUEST; //!< what the message is
};

/**
 * \ingroup mtp-transport
 * \brief A socket of the MTP transport.
 */
class MtpSocket : public Socket
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpSocket();
    ~MtpSocket() override;

    /**
     * \brief Attach to the protocol; called once by MtpL4Protocol::CreateSocket.
     * \param node the node
     * \param protocol the node's MTP instance
     * \return false if no default port was free
     */
    bool Setup(Ptr<Node> node, Ptr<MtpL4Protocol> protocol);

    // ---- RPC API ----

    /**
     * \brief Start a client RPC.
     * \param message the request bytes (0 .. MaxMessageLength)
     * \param server the server (InetSocketAddress or Inet6SocketAddress)
     * \return the RPC id (even, > 0), or 0 on error (see GetMtpErrno)
     */
    uint64_t SendRequest(Ptr<Packet> message, const Address& server);

    /**
     * \brief Answer a request received with RecvMessage.
     * \param message the response bytes
     * \param id the id RecvMessage gave for the request
     * \param client the peer RecvMessage gave (checked against the RPC)
     * \return 0, or -1 on error (ENOENT if no such request awaits a response)
     */
    int SendResponse(Ptr<Packet> message, uint64_t id, const Address& client);

    /**
     * \brief Take the next received message, or the next failed RPC.
     * \param[out] info what it is
     * \return the message (possibly empty); nullptr for a failed RPC (info.error
     *         says why) or when nothing is queued (info.error == EAGAIN)
     */
    Ptr<Packet> RecvMessage(MtpRecvInfo& info);

    /**
     * \brief End client RPCs.
     * \param id an RPC id, or 0 for every client RPC of the socket
     * \param error OK to drop silently; another error is reported through
     *        RecvMessage as a FAILED entry
     * \return 0, or -1 with ENOENT if `id` names no RPC
     */
    int Abort(uint64_t id, MtpError error = MtpError::OK);

    // ---- Transport stack (FreeBSD's TCP_FUNCTION_BLK) ----

    /**
     * \brief Run this socket's RPCs on another stack of the node.
     *
     * Switching to the current stack does nothing.  With live RPCs the new
     * stack's HandoffOk decides; then the old stack's Fini(switching) and
     * the new one's Init run, and StackSwitch fires.  Server RPCs are the
     * socket's, so they follow it.
     * \param name a stack registered on the node (MtpL4Protocol::GetStackNames)
     * \return 0, or -1 with NOENT (unknown or being removed), BADF (closed),
     *         or the error HandoffOk gave (EINVAL, EBUSY)
     */
    int SetStack(const std::string& name);
    /** \return the stack the socket's RPCs run on */
    const Ptr<MtpStack>& GetStack() const;
    /** \return the name of that stack ("homa") */
    std::string GetStackName() const;

    /**
     * TracedCallback signature for stack switches.
     * \param from the old stack's name
     * \param to the new stack's name
     */
    typedef void (*StackSwitchTracedCallback)(const std::string& from, const std::string& to);

    /** \return the exact error of the last failed call */
    MtpError GetMtpErrno() const;
    /** \return the default (client) port */
    uint16_t GetDefaultPort() const;
    /** \return the server port, or 0 if none is bound */
    uint16_t GetServerPort() const;
    /** \return number of RPCs the socket holds */
    std::size_t GetRpcCount() const;
    /** \return number of entries waiting in the receive queue */
    std::size_t GetRecvQueueLength() const;

    // ---- ns-3 Socket API ----
    enum SocketErrno GetErrno() const override;
    enum SocketType GetSocketType() const override;
    Ptr<Node> GetNode() const override;
    int Bind(const Address& address) override;
    int Bind() override;
    int Bind6() override;
    int Close() override;
    int ShutdownSend() override;
    int ShutdownRecv() override;
    int Connect(const Address& address) override;
    int Listen() override;
    uint32_t GetTxAvailable() const override;
    int Send(Ptr<Packet> p, uint32_t flags) override;
    int SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress) override;
    uint32_t GetRxAvailable() const override;
    Ptr<Packet> Recv(uint32_t maxSize, uint32_t flags) override;
    Ptr<Packet> RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress) override;
    int GetSockName(Address& address) const override;
    int GetPeerName(Address& address) const override;
    bool SetAllowBroadcast(bool allowBroadcast) override;
    bool GetAllowBroadcast() const override;

    // ---- For the transport (MtpL4Protocol and the stacks), not for applications ----

    /**
     * \brief The socket's RPCs: where the stacks create, find and remove
     *        them and deliver their messages to this socket.
     * \return the socket's RPC table
     */
    MtpRpcTable& Rpcs();
    /** \return the socket's RPC table, read-only */
    const MtpRpcTable& Rpcs() const;

  protected:
    void DoDispose() override;

  private:
    /// One entry of the receive queue.
    struct RecvEntry
    {
        Ptr<Packet> message; //!< the bytes (nullptr for FAILED)
        MtpRecvInfo info;    //!< what it is
    };

    /** Set both errnos; \return -1 */
    int Fail(MtpError e) const;
    /** Common send path of SendRequest and one-way SendTo. \return id or 0 */
    uint64_t StartRequest(Ptr<Packet> message, const Address& server, bool oneWay);
    /** Homa's shutdown: drop every RPC and queued message, refuse further calls. */
    void DoShutdown();
    /** Fini on the stack: the socket is closing. */
    void LeaveStack();
    /** The RPC table's delivery sink: queue the entry once the host path has run the
     *  thread's receive (at once on the ideal host). */
    void FromRpcTable(Ptr<Packet> message, const MtpRecvInfo& info);
    /** Queue an entry for the application and notify it (now, or when the host model says). */
    void Enqueue(const RecvEntry& e);

    Ptr<Node> m_node;                        //!< our node
    Ptr<MtpL4Protocol> m_mtp;                //!< the node's MTP
    Ptr<MtpStack> m_stack;                   //!< the engine that runs our RPCs
    uint16_t m_defaultPort = 0;              //!< client port
    uint16_t m_serverPort = 0;               //!< server port (0 = none)
    bool m_closed = false;                   //!< closed: every call fails EBADF
    bool m_connected = false;                //!< Connect was called (generic Send target)
    Address m_defaultPeer;                   //!< Connect's address
    mutable MtpError m_errno = MtpError::OK; //!< last error
    MtpRpcTable m_rpcs;                      //!< our RPCs; shut down: every call fails ESHUTDOWN
    std::deque<RecvEntry> m_recvQueue;       //!< messages and failures for the application
    uint32_t m_recvBytes = 0;                //!< bytes in m_recvQueue

    TracedCallback<Ptr<const Packet>, const MtpRecvInfo&>
        m_deliverTrace; //!< message queued for the app
    TracedCallback<const std::string&, const std::string&>
        m_stackSwitchTrace; //!< SetStack moved us to another stack
};

} // namespace ns3

#endif /* MTP_SOCKET_H */
