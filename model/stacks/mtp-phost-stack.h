/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpPhostStack: the "phost" stack, pHost-style receiver tokens.
 *
 * Design notes
 * ------------
 * pHost (Gao et al., CoNEXT 2015) schedules at the receiver with tokens:
 * a sender sends its first BDP of a message at once ("free tokens"), then
 * each further packet needs a token from the receiver, which gives tokens
 * to one sender at a time, the one with the fewest bytes left (SRPT); the
 * network has just two priority classes, high for control and free-token
 * packets, low for scheduled ones.  Homa keeps several senders granted at
 * once (overcommitment) and maps message lengths onto eight levels.
 *
 * What this stack models, on MTP's wire format:
 *  - free tokens: UnschedBytes (one BDP) per message, sent at the top
 *    priority whatever the message length (no cutoffs);
 *  - tokens: GRANTs, each allowing Window bytes beyond what arrived, given
 *    to ActiveSenders messages (default 1: one at a time, SRPT order) at
 *    priority 0, the one scheduled class; GRANTs themselves travel at the
 *    top priority, as pHost's tokens do;
 *  - loss recovery and timeouts as in the homa stack.
 * Not modelled: pHost's RTS packet (the first DATA packet plays its part),
 * token expiry and the downgrading of a sender that leaves its tokens
 * unused (a receiver here waits for the granted sender instead), and the
 * per-packet token clock (a GRANT covers a window of bytes).
 */

#ifndef MTP_PHOST_STACK_H
#define MTP_PHOST_STACK_H

#include "ns3/mtp-homa-stack.h"

namespace ns3
{

/**
 * \ingroup mtp-stacks
 * \brief pHost-style tokens: free first BDP, then SRPT tokens to one sender.
 */
class MtpPhostStack : public MtpHomaStack
{
  public:
    /** \return the TypeId, with ActiveSenders */
    static TypeId GetTypeId();

    MtpPhostStack();

    std::string GetName() const override;

  protected:
    /** \return the top priority: free-token bytes go high, whatever the length */
    uint8_t UnschedPriority(Ptr<MtpRpc> rpc, uint32_t length) const override;
    /** \return SRPT over ActiveSenders messages, scheduled bytes at priority 0 */
    MtpGrantScheduler::Config GrantConfig() const override;

  private:
    uint32_t m_activeSenders; //!< messages that hold tokens at once (pHost: 1)
};

} // namespace ns3

#endif /* MTP_PHOST_STACK_H */
