/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IPN networks: the core of the IPN model (the 2007 Linux AF_IPN patch of
 * Virtual Square / VDE).
 *
 * Design notes
 * ------------
 * The patch has three objects, and so does this model:
 *   - ipn_network  -> IpnNetwork: a named many-to-many network on one node,
 *     with options fixed at creation (MTU, number of ports, message pool
 *     size, LOSSY/LOSSLESS, mode bits) and a delivery policy;
 *   - ipn_node     -> IpnPort: one endpoint of a network (a socket, a TAP
 *     device or a grabbed device).  As in the patch it is separate from the
 *     socket, so a device port can outlive any socket;
 *   - msgpool_item -> IpnMessage: one copy of a message, shared by every
 *     receiver queue it was put on and counted once in the network's pool.
 * Networks live in an IpnNetworkRegistry aggregated to the ns3::Node, which
 * maps path names to networks (the patch uses the file system for this).
 *
 * Files: ipn-network.h (errors, options, IpnNetwork), ipn-port.h (IpnPort,
 * IpnMessage), ipn-network-registry.h (IpnNetworkRegistry).
 *
 * Buffering follows the patch: in a LOSSY network every receiver queue holds
 * at most PoolSize messages and a message for a full queue is dropped (and
 * counted); in a LOSSLESS network the pool of PoolSize messages is shared by
 * the whole network, receiver queues are unbounded, and a sender that finds
 * the pool full cannot send (the socket returns ERROR_AGAIN and wakes its
 * send callback when a message leaves the pool).
 *
 * Delivery is immediate (as in the kernel, where it is a memcpy): a message
 * is on every receiver queue when Send returns; the receivers' callbacks run
 * in a separate event at the same simulated time, so that an application
 * that replies from its receive callback never re-enters the network.
 */

#ifndef IPN_NETWORK_H
#define IPN_NETWORK_H

#include "ns3/callback.h"
#include "ns3/ipn-port.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/simple-ref-count.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
class IpnNetwork;
class IpnPolicy;

/**
 * \ingroup mtp-ipn
 * \brief The errors of IPN, named as Linux's errno values without the E
 *        prefix (errno.h's EINVAL etc. are macros), with Linux's numbers.
 */
enum class IpnError : int
{
    OK = 0,              //!< no error
    PERM = 1,            //!< operation not permitted
    BADF = 9,            //!< the socket is closed
    NOENT = 2,           //!< no network of that name (connect)
    AGAIN = 11,          //!< LOSSLESS pool full, try again / nothing to receive
    NOMEM = 12,          //!< out of memory (unused in the model)
    ACCES = 13,          //!< missing read/write/execute right
    BUSY = 16,           //!< device already grabbed
    EXIST = 17,          //!< policy number already registered
    NODEV = 19,          //!< not a device port (persistence)
    INVAL = 22,          //!< invalid argument
    PIPE = 32,           //!< send or receive after shutdown of that direction
    PROTO = 71,          //!< socket policy differs from the network's
    OVERFLOW = 75,       //!< message larger than the MTU
    PROTOTYPE = 91,      //!< socket type is not raw
    PROTONOSUPPORT = 93, //!< no policy registered with that number
    OPNOTSUPP = 95,      //!< operation not supported (listen, unknown option)
    ADDRINUSE = 98,      //!< port taken, or shrinking away a port in use
    ADDRNOTAVAIL = 99,   //!< no free port
    CONNRESET = 104,     //!< end of network: both directions shut down
    ISCONN = 106,        //!< already bound/connected
    NOTCONN = 107,       //!< not connected (send/recv) or not bound
    CONNREFUSED = 111    //!< the path names a network that has terminated
};

/** \return the error's name ("ADDRNOTAVAIL"; "OK" for no error) */
const char* IpnErrorName(IpnError e);
/** \return os, after printing the error's name */
std::ostream& operator<<(std::ostream& os, IpnError e);
/**
 * \return ns-3's nearest Socket::SocketErrno for an IpnError (see doc/ipn.rst
 *         for the table)
 */
Socket::SocketErrno IpnErrorToSocketErrno(IpnError e);

/**
 * \ingroup mtp-ipn
 * \brief Well-known policy numbers (the patch's protocol argument of socket()).
 */
enum IpnPolicyNumber : uint32_t
{
    IPN_ANY = 0,         //!< a socket adopts the network's policy; a new network is a hub
    IPN_BROADCAST = 1,   //!< hub: every message to every port but the sender
    IPN_HUB = 1,         //!< alias of IPN_BROADCAST
    IPN_VDESWITCH = 2,   //!< learning Ethernet switch (kvde_switch)
    IPN_VDESWITCH_L3 = 3 //!< forwards by IPv4 destination
};

/**
 * \ingroup mtp-ipn
 * \brief Options of a network, fixed when the first Bind creates it (the
 *        patch's pre-bind socket options).
 */
struct IpnNetworkOptions
{
    uint32_t mtu = 1514;    //!< largest message (IPN_SO_MTU): an Ethernet frame
    uint32_t numPorts = 32; //!< number of ports (IPN_SO_NUMNODES); see doc/ipn.rst
    uint32_t poolSize = 8;  //!< message pool size (IPN_SO_MSGPOOLSIZE)
    bool lossless = false;  //!< IPN_FLAG_LOSSLESS (IPN_SO_FLAGS)
    uint32_t mode = 0777;   //!< rwx bits for owner, group, others (IPN_SO_MODE)
};

/**
 * \ingroup mtp-ipn
 * \brief A named many-to-many IPN network on one node.
 *
 * Created by IpnNetworkRegistry::Create (the first Bind to a path); joined
 * by later Binds (management) and Connects (data).  Its policy decides, for
 * each message, which ports receive it (IpnPolicy::HandleMessage calls
 * SendTo for each).  The network lives while a socket is bound or connected
 * to it or a device port is attached; then its policy's DeleteNetwork runs
 * and its name is free again.
 */
class IpnNetwork : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    /**
     * TracedCallback signature of Inject, Deliver and Drop.
     * \param packet the message
     * \param portno the sender's (Inject) or receiver's port number
     */
    typedef void (*PortPacketCallback)(Ptr<const Packet> packet, int32_t portno);
    /**
     * TracedCallback signature of PortAdded and PortRemoved.
     * \param portno the port number
     */
    typedef void (*PortCallback)(int32_t portno);

    IpnNetwork();
    ~IpnNetwork() override;

    /**
     * \brief Set everything fixed at creation; called by the registry.
     * \param node the node
     * \param path the name
     * \param options the options
     * \param policyNumber the policy's number
     * \param policy the policy instance (owned by this network)
     * \param ownerUid creator's user id
     * \param ownerGid creator's group id
     * \return OK, or the error of the policy's NewNetwork hook
     */
    IpnError Setup(Ptr<Node> node,
                   const std::string& path,
                   const IpnNetworkOptions& options,
                   uint32_t policyNumber,
                   Ptr<IpnPolicy> policy,
                   uint32_t ownerUid,
                   uint32_t ownerGid);

    /** \return the node */
    Ptr<Node> GetNode() const;
    /** \return the path */
    const std::string& GetPath() const;
    /** \return the MTU */
    uint32_t GetMtu() const;
    /** \return the current number of ports */
    uint32_t GetNumPorts() const;
    /** \return the message pool size */
    uint32_t GetPoolSize() const;
    /** \return true for LOSSLESS */
    bool IsLossless() const;
    /** \return the mode bits */
    uint32_t GetMode() const;
    /** \return the options as created (numPorts: current) */
    IpnNetworkOptions GetOptions() const;
    /** \return the policy number */
    uint32_t GetPolicyNumber() const;
    /** \return the policy instance */
    Ptr<IpnPolicy> GetPolicy() const;
    /**
     * \param uid user id
     * \param gid group id
     * \return the rwx bits (4 = read, 2 = write, 1 = execute) that apply to
     *         that credential: owner's if uid matches, else group's if gid
     *         matches, else others'
     */
    uint32_t GetRights(uint32_t uid, uint32_t gid) const;

    /**
     * \brief Change the number of ports (IPN_SO_CHANGE_NUMNODES).  Shrinking
     *        away a port in use fails with ADDRINUSE and changes nothing; if
     *        the policy's ResizeNetwork hook fails, the resize is rolled back.
     * \param newSize the new number (> 0)
     * \return OK, INVAL, ADDRINUSE or the policy's error
     */
    IpnError Resize(uint32_t newSize);

    /**
     * \brief Give a port a port number (the policy's NewPort chooses).
     * \param port the port (its network must be this one)
     * \return OK, or ADDRNOTAVAIL if no port is free
     */
    IpnError ConnectPort(Ptr<IpnPort> port);
    /**
     * \brief Take a connected port off the network: PreDeletePort, free its
     *        number, flush its queues, DeletePort, update the counts.
     * \param port the port
     */
    void DisconnectPort(Ptr<IpnPort> port);
    /**
     * \brief Empty a port's queues, giving their messages back to the pool.
     * \param port the port
     * \param oobToo flush the out-of-band queue as well
     */
    void FlushPort(Ptr<IpnPort> port, bool oobToo);
    /** \brief Count one more bound or connected user of the network. */
    void AddUser();
    /** \brief One user fewer; the last one deletes the network. */
    void RemoveUser();
    /** \return true once deleted */
    bool IsTerminated() const;

    /**
     * \brief A message enters the network from a port (the patch's
     *        ipn_proto_injectmsg): it takes a pool slot and the policy
     *        dispatches it.  Checks of the sender's state are the caller's.
     * \param from the sending port
     * \param packet the message
     * \return OK, OVERFLOW (> MTU) or AGAIN (LOSSLESS pool full)
     */
    IpnError Inject(Ptr<IpnPort> from, Ptr<const Packet> packet);
    /**
     * \brief For policies: put a message on one port (the patch's
     *        ipn_proto_sendmsg).  Sockets queue it (LOSSY: dropped and
     *        counted if the queue holds PoolSize already), devices get it.
     * \param to the destination (ignored if nullptr or the sender)
     * \param msg the message
     */
    void SendTo(Ptr<IpnPort> to, Ptr<IpnMessage> msg);
    /**
     * \brief Put an out-of-band message on one socket port (the patch's
     *        ipn_proto_oobsendmsg); only ports that handle OOB get it.
     * \param to the destination
     * \param msg the message
     */
    void SendOob(Ptr<IpnPort> to, Ptr<IpnMessage> msg);

    /** \return the port with that number, or nullptr */
    Ptr<IpnPort> GetPort(uint32_t portno) const;
    /** \return the connected ports, in the order they connected */
    const std::vector<Ptr<IpnPort>>& GetConnectedPorts() const;
    /** \return messages in the pool now */
    uint32_t GetPoolUsed() const;
    /** \return true if a LOSSLESS network has no free pool slot */
    bool IsPoolFull() const;
    /** \return readers (connected ports that receive) */
    uint32_t GetNumReaders() const;
    /** \return writers (connected ports that send) */
    uint32_t GetNumWriters() const;
    /**
     * \brief Change the reader/writer counts and send membership notices.
     * \param dReaders change of readers
     * \param dWriters change of writers
     */
    void UpdateCounters(int32_t dReaders, int32_t dWriters);
    /**
     * \brief Ask to be called (in a new event) when a pool slot frees.
     * \param cb the callback, called once
     */
    void WaitForPool(Callback<void> cb);
    /** \return messages dropped by the network (all ports) */
    uint64_t GetDropCount() const;
    /** \return messages that entered the network */
    uint64_t GetInjectCount() const;

    /** \brief Give a message back to the pool (the patch's ipn_msgpool_put). */
    void Put(Ptr<IpnMessage> msg);

  protected:
    void DoDispose() override;

  private:
    /** \brief Delete the network: DeleteNetwork hook, free the name. */
    void Terminate();
    /** Wake every sender waiting for a pool slot. */
    void WakeSenders();

    Ptr<Node> m_node;                        //!< the node
    std::string m_path;                      //!< the name
    IpnNetworkOptions m_options;             //!< options
    uint32_t m_policyNumber = IPN_BROADCAST; //!< policy number
    Ptr<IpnPolicy> m_policy;                 //!< policy instance
    uint32_t m_ownerUid = 0;                 //!< creator's uid
    uint32_t m_ownerGid = 0;                 //!< creator's gid
    std::vector<Ptr<IpnPort>> m_ports;       //!< port number -> port (connport)
    std::vector<Ptr<IpnPort>> m_connected;   //!< connected ports, in order (connectqueue)
    uint32_t m_refs = 0;                     //!< bound/connected users
    bool m_terminated = false;               //!< deleted
    uint32_t m_poolUsed = 0;                 //!< msgpool_nelem
    uint32_t m_readers = 0;                  //!< numreaders
    uint32_t m_writers = 0;                  //!< numwriters
    std::vector<Callback<void>> m_waiters;   //!< blocked LOSSLESS senders
    uint64_t m_drops = 0;                    //!< dropped messages
    uint64_t m_injected = 0;                 //!< messages entered
    uint64_t m_delivered = 0;                //!< messages put on a port

    TracedCallback<Ptr<const Packet>, int32_t> m_injectTrace;  //!< message entered (from port)
    TracedCallback<Ptr<const Packet>, int32_t> m_deliverTrace; //!< message put on a port (to port)
    TracedCallback<Ptr<const Packet>, int32_t> m_dropTrace;    //!< message dropped (at port)
    TracedCallback<int32_t> m_portAddedTrace;                  //!< port connected
    TracedCallback<int32_t> m_portRemovedTrace;                //!< port disconnected
};

} // namespace ns3

#endif /* IPN_NETWORK_H */
