/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpUnschedStack: the "unsched" stack, a basic engine that sends every
 * byte unscheduled.
 *
 * Design notes
 * ------------
 * A sender on this stack announces its whole message as `incoming` in every
 * DATA packet, so the receiver never schedules it: no GRANTs, no SRPT
 * admission at the receiver, no scheduled priorities.  What is left is
 * what every receiver-driven design keeps as its floor: the priority the
 * receiver's cutoffs give by message length, the sender's pacer (SRPT over
 * its own outbound messages, NIC queue at most MaxNicQueue), and the
 * tick-based loss recovery (RESEND after ResendTicks silent ticks,
 * ETIMEDOUT after TimeoutResends unanswered RESENDs).  It is Homa's engine
 * with UnschedBytes taken as infinite, which is why it derives from
 * MtpHomaStack: as a receiver it still grants a Homa sender's scheduled
 * bytes, so the two stacks interoperate on one network.
 *
 * It is the baseline that shows what receiver scheduling buys: with many
 * senders to one receiver, every message competes for the downlink at once.
 */

#ifndef MTP_UNSCHED_STACK_H
#define MTP_UNSCHED_STACK_H

#include "ns3/mtp-homa-stack.h"

namespace ns3
{

/**
 * \ingroup mtp-stacks
 * \brief Every byte unscheduled; retransmission and timeouts only.
 */
class MtpUnschedStack : public MtpHomaStack
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    std::string GetName() const override;

  protected:
    /** \return `length`: the whole message goes without grants */
    uint32_t UnscheduledBytes(uint32_t length) const override;
};

} // namespace ns3

#endif /* MTP_UNSCHED_STACK_H */
