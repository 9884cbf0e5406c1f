/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpEmuFdNetDevice: an FdNetDevice (a simulated NIC whose "wire" is a file
 * descriptor: a raw packet socket on a real interface, or a tap device) that
 * can lose received frames on purpose.
 *
 * Emulation tests need losses on the real path to exercise MTP's loss
 * recovery, but kernels without the netem qdisc cannot drop frames on a veth
 * or tap.  ns-3's FdNetDevice has no error model (unlike CsmaNetDevice or
 * PointToPointNetDevice), so this subclass adds the same ReceiveErrorModel
 * Attribute and PhyRxDrop trace those devices have: every frame the file
 * descriptor delivers is offered to the error model before the node sees
 * it, and a frame the model marks corrupt is dropped and traced.
 *
 * Only the node's ordinary receive path is filtered; frames go to pcap (the
 * Sniffer traces) before the error model, so a capture shows what crossed
 * the real wire, dropped frames included.
 */

#ifndef MTP_EMU_FD_NET_DEVICE_H
#define MTP_EMU_FD_NET_DEVICE_H

#include "ns3/error-model.h"
#include "ns3/fd-net-device.h"
#include "ns3/traced-callback.h"

namespace ns3
{

/**
 * \ingroup mtp-emu
 * \brief FdNetDevice with a receive error model, for loss injection on real
 *        interfaces.
 *
 * Attributes (besides FdNetDevice's):
 *  - ReceiveErrorModel: the ErrorModel every received frame is offered to
 *    (none by default: nothing is dropped).
 *
 * TraceSources (besides FdNetDevice's):
 *  - PhyRxDrop: a received frame the error model dropped.
 */
class MtpEmuFdNetDevice : public FdNetDevice
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpEmuFdNetDevice();

    /**
     * \brief Set the error model received frames are offered to.
     * \param em the model (nullptr: drop nothing)
     */
    void SetReceiveErrorModel(Ptr<ErrorModel> em);

    /** \return frames dropped by the receive error model so far */
    uint64_t GetReceiveDrops() const;

    /**
     * \brief Keep the node's receive callback and give FdNetDevice one
     *        that first offers each frame to the error model.
     * \param cb the node's callback
     */
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Between FdNetDevice and the node: drop what the error model
     *        marks corrupt, hand the rest on.
     * \param device this device
     * \param packet the frame's payload (link header removed)
     * \param protocol the EtherType
     * \param from the source MAC address
     * \return what the node's callback returns (true for a dropped frame)
     */
    bool FilterReceive(Ptr<NetDevice> device,
                       Ptr<const Packet> packet,
                       uint16_t protocol,
                       const Address& from);

    NetDevice::ReceiveCallback m_nodeRxCallback;        //!< the node's receive callback
    Ptr<ErrorModel> m_receiveErrorModel;                //!< decides which frames are lost
    uint64_t m_receiveDrops;                            //!< frames it dropped
    TracedCallback<Ptr<const Packet>> m_phyRxDropTrace; //!< fired for each dropped frame
};

} // namespace ns3

#endif /* MTP_EMU_FD_NET_DEVICE_H */
