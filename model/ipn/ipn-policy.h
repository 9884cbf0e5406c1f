/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnPolicy: the delivery policy of an IPN network (the patch's
 * struct ipn_protocol), a strategy object, and the registry that maps policy
 * numbers to policy types.
 *
 * The patch registers one table of function pointers per protocol number and
 * keeps per-network state in ipn_network->proto_private.  Here each network
 * gets its own policy instance (created from the registered TypeId), so a
 * policy keeps its per-network state in its own members; the hooks are
 * otherwise the patch's, one virtual function each:
 *
 *   NewPort        mandatory  choose a port number for a joining port
 *   HandleMessage  mandatory  dispatch a message: IpnNetwork::SendTo per destination
 *   DeletePort                a port has gone (after its number is freed)
 *   PostNewPort               a port is connected (after NewPort succeeded)
 *   PreDeletePort             a port is about to go (its number still taken)
 *   NewNetwork                the network was created; an error cancels the creation
 *   ResizeNetwork             the number of ports changed; an error rolls it back
 *   DeleteNetwork             the network is being deleted
 *   SetOption / GetOption     policy-level socket options (level = policy number)
 *
 * The base class supplies the patch's null defaults for all but the two
 * mandatory hooks (options answer OPNOTSUPP).
 *
 * The patch declares handlemsg with a `depth` argument in its header text and
 * calls it without one in the code; this model has no depth argument (see
 * doc/ipn.rst).
 */

#ifndef IPN_POLICY_H
#define IPN_POLICY_H

#include "ns3/ipn-network.h"
#include "ns3/object.h"
#include "ns3/type-id.h"

#include <map>

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief Base class of IPN delivery policies.
 */
class IpnPolicy : public Object
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    IpnPolicy();
    ~IpnPolicy() override;

    /**
     * \brief Choose the port number of a joining port (mandatory).
     * \param net the network
     * \param port the port (GetRequestedPort() may ask for a number)
     * \return a free port number, or -1 if none is free
     */
    virtual int32_t NewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port) = 0;

    /**
     * \brief Dispatch a message (mandatory): call net->SendTo for each port
     *        that should receive it.
     * \param net the network
     * \param from the sending port
     * \param msg the message
     */
    virtual void HandleMessage(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg) = 0;

    /**
     * \brief A port has gone; its number is already free.
     * \param net the network
     * \param port the port (GetPortNumber() is the number it had)
     */
    virtual void DeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port);
    /**
     * \brief A port has been connected.
     * \param net the network
     * \param port the port
     */
    virtual void PostNewPort(Ptr<IpnNetwork> net, Ptr<IpnPort> port);
    /**
     * \brief A port is about to go; its number is still taken.
     * \param net the network
     * \param port the port
     */
    virtual void PreDeletePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port);
    /**
     * \brief The network was created.
     * \param net the network
     * \return OK, or an error that cancels the creation
     */
    virtual IpnError NewNetwork(Ptr<IpnNetwork> net);
    /**
     * \brief The number of ports changed.
     * \param net the network
     * \param oldSize the old number
     * \param newSize the new number
     * \return OK, or an error that rolls the change back
     */
    virtual IpnError ResizeNetwork(Ptr<IpnNetwork> net, uint32_t oldSize, uint32_t newSize);
    /**
     * \brief The network is being deleted.
     * \param net the network
     */
    virtual void DeleteNetwork(Ptr<IpnNetwork> net);
    /**
     * \brief A policy-level option (setsockopt with level = policy number).
     * \param net the network
     * \param port the port of the calling socket
     * \param name the option
     * \param value its value
     * \return OK or an error (the default: OPNOTSUPP)
     */
    virtual IpnError SetOption(Ptr<IpnNetwork> net,
                               Ptr<IpnPort> port,
                               uint32_t name,
                               int32_t value);
    /**
     * \brief Read a policy-level option.
     * \param net the network
     * \param port the port of the calling socket
     * \param name the option
     * \param[out] value its value
     * \return OK or an error (the default: OPNOTSUPP)
     */
    virtual IpnError GetOption(Ptr<IpnNetwork> net,
                               Ptr<IpnPort> port,
                               uint32_t name,
                               int32_t& value) const;

  protected:
    /**
     * \brief The usual NewPort: the requested number if it is free and in
     *        range, otherwise (for "any") the lowest free number.
     * \param net the network
     * \param port the joining port
     * \return the number, or -1
     */
    static int32_t FirstFreePort(Ptr<IpnNetwork> net, Ptr<IpnPort> port);
    /**
     * \brief Send to every connected port but `from` (the hub's rule).
     * \param net the network
     * \param from the sender
     * \param msg the message
     */
    static void Flood(Ptr<IpnNetwork> net, Ptr<IpnPort> from, Ptr<IpnMessage> msg);
};

/**
 * \ingroup mtp-ipn
 * \brief Policy numbers -> policy TypeIds (the patch's ipn_proto_register).
 *
 * Numbers 1 .. MAX_POLICY are valid.  The hub (1), the learning switch (2)
 * and the L3 switch (3) are registered when first needed; the hub cannot be
 * deregistered (it is built in, as in the patch).
 */
class IpnPolicyRegistry
{
  public:
    /** Highest policy number (the patch has 4; more leaves room for user policies). */
    static constexpr uint32_t MAX_POLICY = 16;

    /**
     * \brief Register a policy type under a number.
     * \param number 2 .. MAX_POLICY (1 is the built-in hub)
     * \param tid a TypeId of an IpnPolicy subclass with a constructor
     * \return OK, INVAL (bad number) or EXIST (taken)
     */
    static IpnError Register(uint32_t number, TypeId tid);
    /**
     * \brief Remove a registration.
     * \param number the number
     * \return OK, INVAL, NOENT (not registered) or ADDRINUSE (networks use it)
     */
    static IpnError Deregister(uint32_t number);
    /**
     * \param number a number
     * \return true if a policy is registered under it
     */
    static bool IsRegistered(uint32_t number);
    /**
     * \brief Make a policy instance for a new network.
     * \param number the number
     * \return the instance, or nullptr if none is registered
     */
    static Ptr<IpnPolicy> Create(uint32_t number);
    /**
     * \brief Count networks using a policy (deregistration is refused while
     *        the count is not zero).
     * \param number the number
     * \param delta +1 or -1
     */
    static void Use(uint32_t number, int32_t delta);

  private:
    /// One registration.
    struct Entry
    {
        TypeId tid;        //!< the policy type
        uint32_t uses = 0; //!< networks that use it
    };

    /** \return the table, with the built-in policies in it */
    static std::map<uint32_t, Entry>& Table();
};

} // namespace ns3

#endif /* IPN_POLICY_H */
