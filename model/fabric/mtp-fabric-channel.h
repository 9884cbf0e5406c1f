/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpFabricChannel: the wire between two MtpFabricNetDevices, a full-duplex
 * point-to-point link with a propagation delay, as PointToPointChannel.
 */

#ifndef MTP_FABRIC_CHANNEL_H
#define MTP_FABRIC_CHANNEL_H

#include "ns3/channel.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <array>
#include <cstdint>

namespace ns3
{

class MtpFabricNetDevice;
class NetDevice;
class Packet;

/**
 * \ingroup mtp-fabric
 * \brief Two MtpFabricNetDevices and the delay between them.
 */
class MtpFabricChannel : public Channel
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpFabricChannel();

    /**
     * \brief Connect a device (the first two calls succeed).
     * \param device the device
     * \return false if the channel already has two devices
     */
    bool Attach(Ptr<MtpFabricNetDevice> device);

    /**
     * \brief A frame starts on the wire: it arrives at the other device
     *        txTime + Delay later, in the other device's node's context (as
     *        PointToPointChannel::TransmitStart schedules it).
     * \param frame the frame
     * \param src the sending device
     * \param txTime its transmission time
     * \return false if src is not attached or has no peer
     */
    bool TransmitStart(Ptr<Packet> frame, Ptr<MtpFabricNetDevice> src, Time txTime);

    /**
     * \param device one of the devices
     * \return the other one (null if none)
     */
    Ptr<MtpFabricNetDevice> GetPeer(Ptr<const MtpFabricNetDevice> device) const;

    /** \return the propagation delay */
    Time GetDelay() const;

    // Channel
    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    Time m_delay;                                     //!< propagation delay
    std::array<Ptr<MtpFabricNetDevice>, 2> m_devices; //!< the two ends
    std::size_t m_nDevices = 0;                       //!< ends attached
};

} // namespace ns3

#endif /* MTP_FABRIC_CHANNEL_H */
