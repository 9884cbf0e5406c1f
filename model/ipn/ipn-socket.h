/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnSocket: an application's handle on an IPN network (AF_IPN, SOCK_RAW),
 * with the patch's semantics:
 *
 *   - Bind(IpnAddress(path)) creates the network if no network has that name
 *     (with the options set beforehand: MTU, number of ports, pool size,
 *     LOSSY/LOSSLESS, mode) or joins it (needs the execute right).  A bound
 *     socket may manage the network (resize it) but sends and receives
 *     nothing until it connects.
 *   - Connect(IpnAddress(path)) joins for data; on a bound socket the address
 *     is ignored (the patch accepts NULL).  Without the read right the
 *     socket is shut for receiving, without the write right for sending;
 *     with neither (and no out-of-band handling) Connect fails with ACCES.
 *   - Send/Recv are message preserving: each Send is one message of at most
 *     the MTU; each Recv returns one whole message (truncated to maxSize).
 *   - Out-of-band messages (membership notices) come first; RecvMessage says
 *     whether a message is out of band.
 *   - LOSSLESS networks: when the pool is full Send fails with ERROR_AGAIN
 *     (IpnError::AGAIN) and the send callback (SetSendCallback) fires when a
 *     message leaves the pool, which is when the sender may try again.
 *
 * "Rights" in a simulator: every socket carries a credential (Uid and Gid
 * attributes, default 0/0); a network records its creator's credential and
 * its mode bits; the owner's, group's or others' rwx bits apply as in a file
 * system (no superuser bypass).  r = receive, w = send, x = bind (manage).
 *
 * Errors: calls return -1 (or nullptr) and set GetIpnErrno() (the patch's
 * exact errno, as IpnError) and GetErrno() (ns-3's nearest SocketErrno).
 */

#ifndef IPN_SOCKET_H
#define IPN_SOCKET_H

#include "ns3/ipn-address.h"
#include "ns3/ipn-network.h"
#include "ns3/socket-factory.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <string>

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief IPN socket options (the patch's IPN_SO_*); values marked pre-bind
 *        only take effect when Bind creates the network (ISCONN afterwards).
 */
enum IpnSocketOption : uint32_t
{
    IPN_SO_PORT = 0,              //!< port number to ask for on connect (-1 = any)
    IPN_SO_DESCR = 1,             //!< description (use SetDescription)
    IPN_SO_CHANGE_NUMNODES = 2,   //!< resize the network (bound sockets)
    IPN_SO_HANDLE_OOB = 3,        //!< 1: receive out-of-band messages
    IPN_SO_WANT_OOB_NUMNODES = 4, //!< 1: receive membership notices
    IPN_SO_MTU = 0x80,            //!< pre-bind: MTU
    IPN_SO_NUMNODES = 0x81,       //!< pre-bind: number of ports
    IPN_SO_MSGPOOLSIZE = 0x82,    //!< pre-bind: message pool size
    IPN_SO_FLAGS = 0x83,          //!< pre-bind: IPN_FLAG_LOSSLESS (1) or 0
    IPN_SO_MODE = 0x84            //!< pre-bind: mode bits (e.g. 0770)
};

/** The patch's IPN_FLAG_LOSSLESS. */
constexpr int32_t IPN_FLAG_LOSSLESS = 1;
/** The patch's IPN_DESCRLEN: longest description, including the final NUL. */
constexpr uint32_t IPN_DESCRLEN = 128;

/**
 * \ingroup mtp-ipn
 * \brief A membership notice (out-of-band message), decoded.
 */
struct IpnNumNodesNotice
{
    uint32_t readers = 0; //!< connected ports that receive
    uint32_t writers = 0; //!< connected ports that send

    /**
     * \param p an out-of-band message
     * \param[out] n the notice
     * \return true if p is a membership notice
     */
    static bool Parse(Ptr<const Packet> p, IpnNumNodesNotice& n);
};

/**
 * \ingroup mtp-ipn
 * \brief A raw, message-preserving socket on an IPN network.
 */
class IpnSocket : public Socket
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    IpnSocket();
    ~IpnSocket() override;

    /**
     * \brief Set node, socket type and policy (the patch's socket(2) call).
     * \param node the node (must have an IpnNetworkRegistry)
     * \param type must be NS3_SOCK_RAW
     * \param policy IPN_ANY or a registered policy number
     * \return OK, PROTOTYPE (not raw) or PROTONOSUPPORT (no such policy)
     */
    IpnError Setup(Ptr<Node> node, SocketType type, uint32_t policy);

    /**
     * \brief setsockopt(level 0) for integer options.
     * \param name the option
     * \param value its value
     * \return 0, or -1 (ISCONN for pre-bind options once bound, INVAL for
     *         bad values, NOTCONN to resize an unbound network, ADDRINUSE
     *         when shrinking away a port in use, OPNOTSUPP unknown)
     */
    int SetSockOpt(uint32_t name, int32_t value);
    /**
     * \brief getsockopt(level 0) for integer options.
     * \param name the option
     * \param[out] value its value
     * \return 0 or -1 (INVAL for unknown options)
     */
    int GetSockOpt(uint32_t name, int32_t& value) const;
    /**
     * \brief IPN_SO_DESCR.
     * \param descr the description (at most IPN_DESCRLEN - 1 characters)
     * \return 0, or -1 with INVAL if too long
     */
    int SetDescription(const std::string& descr);
    /** \return the description */
    std::string GetDescription() const;
    /**
     * \brief setsockopt at the policy's level (e.g. the switch's VLAN).
     * \param name the policy's option
     * \param value its value
     * \return 0 or -1 (NOTCONN if not bound, the policy's error)
     */
    int SetPolicyOption(uint32_t name, int32_t value);
    /**
     * \brief getsockopt at the policy's level.
     * \param name the option
     * \param[out] value its value
     * \return 0 or -1
     */
    int GetPolicyOption(uint32_t name, int32_t& value) const;
    /**
     * \brief Resize the network (IPN_SO_CHANGE_NUMNODES).
     * \param numPorts the new number of ports
     * \return 0 or -1
     */
    int Resize(uint32_t numPorts);

    /**
     * \brief Receive one message, saying whether it is out of band.
     * \param[out] oob true for an out-of-band message
     * \return the message, or nullptr (see GetIpnErrno: AGAIN = nothing
     *         queued, OK = end of network)
     */
    Ptr<Packet> RecvMessage(bool& oob);

    /** \return the exact error of the last failed call */
    IpnError GetIpnErrno() const;
    /** \return the port (the patch's ipn_node) */
    Ptr<IpnPort> GetPort() const;
    /** \return the network bound or connected to, or nullptr */
    Ptr<IpnNetwork> GetNetwork() const;
    /** \return the policy number (IPN_ANY until connected to a network) */
    uint32_t GetPolicyNumber() const;
    /** \return true once bound */
    bool IsBound() const;
    /** \return true once connected */
    bool IsConnected() const;

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

  protected:
    void DoDispose() override;

  private:
    /** Set the error; \return -1 */
    int Fail(IpnError e) const;
    /** The port has a message: tell the application. */
    void OnReceive();
    /** A LOSSLESS pool slot freed: tell the application. */
    void OnPoolFree();
    /** Apply newly set shutdown bits (counts, flush). */
    void ApplyShutdown(uint8_t oldBits);
    /**
     * Add shutdown bits (IpnPort::SHUT_SEND / SHUT_RCV) to our port.
     * \param how the bits to add
     * \return 0, or -1 with BADF on a closed socket
     */
    int Shutdown(uint8_t how);

    Ptr<Node> m_node;                        //!< the node
    SocketType m_type = NS3_SOCK_RAW;        //!< socket type
    uint32_t m_policy = IPN_ANY;             //!< policy number
    Ptr<IpnPort> m_port;                     //!< our endpoint
    IpnNetworkOptions m_options;             //!< pre-bind options
    bool m_bound = false;                    //!< Bind succeeded
    bool m_closed = false;                   //!< Close was called
    bool m_waitingForPool = false;           //!< registered with WaitForPool
    bool m_eof = false;                      //!< last Recv hit the end of network
    uint32_t m_uid = 0;                      //!< credential: user
    uint32_t m_gid = 0;                      //!< credential: group
    mutable IpnError m_errno = IpnError::OK; //!< last error

    TracedCallback<Ptr<const Packet>> m_txTrace; //!< message sent
    TracedCallback<Ptr<const Packet>> m_rxTrace; //!< message received by the application
};

/**
 * \ingroup mtp-ipn
 * \brief Creates IpnSockets; aggregated to nodes by IpnHelper::Install.
 */
class IpnSocketFactory : public SocketFactory
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();
    IpnSocketFactory();
    ~IpnSocketFactory() override;

    /** \return a raw IpnSocket with policy IPN_ANY (the generic ns-3 entry point) */
    Ptr<Socket> CreateSocket() override;
    /**
     * \brief The patch's socket(AF_IPN, type, protocol).
     * \param type socket type (only NS3_SOCK_RAW is accepted)
     * \param policy policy number
     * \param[out] error OK, PROTOTYPE or PROTONOSUPPORT
     * \return the socket, or nullptr
     */
    Ptr<IpnSocket> CreateIpnSocket(Socket::SocketType type, uint32_t policy, IpnError& error);

  protected:
    void NotifyNewAggregate() override;
    void DoDispose() override;

  private:
    Ptr<Node> m_node; //!< the node
};

} // namespace ns3

#endif /* IPN_SOCKET_H */
