/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpStackRegistry: the transport stacks registered on one node (FreeBSD's
 * list of tcp_function_blocks).
 *
 * Design notes
 * ------------
 * MtpL4Protocol owns one registry and offers its operations as its own
 * public API (RegisterStack, DeregisterStack, GetStackNames, GetStack,
 * GetDefaultStack).  The registry keeps the stacks in registration order and
 * the names of those being removed: a stack that sockets still use cannot
 * go at once (deregister_tcp_functions answers EBUSY), but no socket may
 * select it any more, and a later call removes it once the last socket left.
 *
 * What it hides: the name rules (1 to 32 characters of [a-z0-9_-]), the
 * binding of a stack to its node, and the bookkeeping of pending removals.
 */

#ifndef MTP_STACK_REGISTRY_H
#define MTP_STACK_REGISTRY_H

#include "ns3/mtp-error.h"
#include "ns3/ptr.h"

#include <cstddef>
#include <string>
#include <vector>

namespace ns3
{

class MtpL4Protocol;
class MtpStack;

/**
 * \ingroup mtp-transport
 * \brief The stacks of one node, by name, in registration order.
 */
class MtpStackRegistry
{
  public:
    /// Longest stack name (FreeBSD's TCP_FUNCTION_NAME_LEN_MAX).
    static constexpr std::size_t MAX_NAME = 32;

    /**
     * \brief Bind a stack to the node's transport and add it.
     * \param stack a stack object not yet bound to a node
     * \param l4 the node's transport, which the stack is bound to
     * \return OK; INVAL for a null stack, one already bound, or a name that
     *         is empty, longer than MAX_NAME or not [a-z0-9_-]; ALREADY when
     *         the name is taken
     */
    MtpError Add(Ptr<MtpStack> stack, Ptr<MtpL4Protocol> l4);

    /**
     * \brief Remove a stack, or mark it as being removed while sockets use it.
     * \param name the stack's name
     * \param defaultName the stack new sockets get, which may not be removed
     * \return OK (removed and disposed); NOENT when unknown; PERM for "homa"
     *         and for defaultName; BUSY while a socket uses it
     */
    MtpError Remove(const std::string& name, const std::string& defaultName);

    /** \return the names of the stacks sockets may select, in registration order */
    std::vector<std::string> GetNames() const;

    /**
     * \param name a stack's name
     * \return the stack, or null when unknown or being removed
     */
    Ptr<MtpStack> Find(const std::string& name) const;

    /** \return every registered stack (those being removed included), in registration order */
    const std::vector<Ptr<MtpStack>>& GetAll() const;

    /** \brief Dispose of every stack and forget them (the node's transport is disposed). */
    void DisposeAll();

  private:
    /** \return true if `name` is marked as being removed */
    bool IsRemoving(const std::string& name) const;

    std::vector<Ptr<MtpStack>> m_stacks; //!< registered stacks, registration order
    std::vector<std::string> m_removing; //!< stacks being removed (still in use)
};

} // namespace ns3

#endif /* MTP_STACK_REGISTRY_H */
