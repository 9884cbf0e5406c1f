/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpFabricNetDevice: the link of a datacenter fabric, a point-to-point
 * device that behaves as ns-3's PointToPointNetDevice does, at a fraction of
 * its per-packet cost.
 *
 * Design notes
 * ------------
 * In a datacenter run every packet crosses three or four links, and each
 * crossing is two events (transmission complete, arrival) and the device's
 * bookkeeping.  PointToPointNetDevice's bookkeeping is general: eleven trace
 * sources fired on every packet whether or not anyone listens, two packet
 * copies per hop (the channel's, and the receiver's copy kept for its MAC
 * traces), the transmission time recomputed through floating point for
 * every packet, and the peer's address looked up through the channel on
 * every arrival.  Together that was about a tenth of a W5 run.
 *
 * This device keeps PointToPointNetDevice's behaviour, bit for bit, and
 * drops that overhead:
 *  - the same frame: the 2-byte PPP header in front (so MtpPrioQueue and
 *    the transmission time see the same bytes), the same MTU and addresses;
 *  - the same events, scheduled in the same order at the same times (the
 *    transmission-complete event first, then the arrival at the peer, with
 *    the peer's node as context), so a simulation with these links gives
 *    byte-identical results to one with PointToPointNetDevice (the
 *    mtp-fabric-net-device suite compares the two, message record by record
 *    and frame by frame);
 *  - the same trace sources by name and signature, each fired only when it
 *    has a listener, and a copy of the packet made only when one could keep
 *    it (a MAC receive listener, or a listener on the sender's transmit
 *    side);
 *  - the transmission time of each frame size computed once, by DataRate::
 *    CalculateBytesTxTime itself (so it is the same Time), and cached;
 *  - the same transmit queue (any Queue<Packet>, TxQueue) and the same
 *    flow control (a NetDeviceQueueInterface aggregated to the device gets
 *    the queue's traces, as PointToPointHelper connects them).  A port
 *    with no queue disc above it needs no flow control: FlowControl=false
 *    leaves the traces unconnected (three callbacks per packet fewer), and
 *    the transmit queue drops what it cannot take.  MtpDatacenterHelper
 *    does that for its MtpPrioQueue ports: a packet that arrives at a
 *    full queue is dropped either way, only counted by the queue instead
 *    of at the stopped device queue.
 *
 *
 * A fabric switch or host may also take arriving frames with ownership
 * (SetOwnedReceiveCallback): when nothing else can hold the frame (no
 * promiscuous receiver, no listener on Sniffer, PromiscSniffer or PhyRxEnd,
 * and the sender's listeners already got their own copy), the device hands
 * over its packet, and the receiver changes its headers in place instead of
 * copying it.  With ns-3's copy-on-write buffers, a packet that no other
 * Packet shares gets a new IPv4 and PPP header without a reallocation.
 *
 * What it does not do: it has no MPI remote channel (MtpDatacenterHelper
 * keeps PointToPointNetDevice for links whose ends are on other ranks), and
 * no pcap through PointToPointHelper::EnablePcap (connect a PcapFileWrapper
 * to the Sniffer trace, which has the same frames).  A frame whose protocol
 * is neither IPv4 nor IPv6 is dropped with MacTxDrop, and an arriving frame
 * with another PPP protocol with PhyRxDrop (PointToPointNetDevice asserts on
 * both).
 */

#ifndef MTP_FABRIC_NET_DEVICE_H
#define MTP_FABRIC_NET_DEVICE_H

#include "ns3/data-rate.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/queue-fwd.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{

class ErrorModel;
class MtpFabricChannel;
class Node;
class Packet;

/**
 * \ingroup mtp-fabric
 * \brief A point-to-point device with PointToPointNetDevice's behaviour and
 *        a cheaper packet path (see the file comment).
 */
class MtpFabricNetDevice : public NetDevice
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpFabricNetDevice();
    ~MtpFabricNetDevice() override;

    /**
     * \brief Attach the device to a channel (the device is up from then on).
     * \param channel the channel (at most two devices)
     * \return true
     */
    bool Attach(Ptr<MtpFabricChannel> channel);

    /** \param queue the transmit queue (as PointToPointNetDevice::SetQueue) */
    void SetQueue(Ptr<Queue<Packet>> queue);
    /** \return the transmit queue */
    Ptr<Queue<Packet>> GetQueue() const;
    /** \param rate the link rate */
    void SetDataRate(DataRate rate);
    /** \return the link rate */
    DataRate GetDataRate() const;

    /**
     * \brief A frame arrives from the channel (scheduled by MtpFabricChannel).
     * \param frame the frame, PPP header first
     */
    void Receive(Ptr<Packet> frame);

    /**
     * \return whether something listens on the transmit side (PhyTxBegin,
     *         PhyTxEnd, Sniffer or PromiscSniffer): then the channel hands
     *         the peer a copy, so that what the listener holds cannot change
     */
    bool HasTransmitListeners() const;

    /**
     * The receive callback of a receiver that takes the packet over: it may
     * change it (strip and re-add headers) because nothing else holds it.
     * Same arguments as NetDevice::ReceiveCallback otherwise.
     */
    using OwnedReceiveCallback =
        Callback<bool, Ptr<NetDevice>, Ptr<Packet>, uint16_t, const Address&>;

    /**
     * \brief Hand arriving packets over to `cb` when nothing else can hold
     *        them (see the design notes); otherwise, and after any later
     *        SetReceiveCallback (which clears it), the receive callback gets
     *        them as usual.
     * \param cb the receiver (a null callback turns this off)
     */
    void SetOwnedReceiveCallback(OwnedReceiveCallback cb);

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address group) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsPointToPoint() const override;
    bool IsBridge() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocol) override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocol) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    /**
     * \brief Put a frame on the wire: the transmission-complete event, then
     *        the channel's arrival event.
     * \param frame the frame
     */
    void TransmitStart(Ptr<Packet> frame);
    /** \brief The frame is out: start the next one, if any. */
    void TransmitComplete();
    /**
     * \param bytes a frame size
     * \return its transmission time at the link rate (cached)
     */
    Time TxTime(uint32_t bytes);
    /** \return the peer device's address (looked up once) */
    const Address& Remote();

    Ptr<Node> m_node;                    //!< the node
    Ptr<MtpFabricChannel> m_channel;     //!< the link (null: not attached)
    Ptr<Queue<Packet>> m_queue;          //!< the transmit queue
    Ptr<ErrorModel> m_receiveErrorModel; //!< loses arriving frames (optional)
    Mac48Address m_address;              //!< this device's address
    Address m_remote;                    //!< the peer's address (once known)
    DataRate m_bps;                      //!< the link rate
    Time m_interframeGap;                //!< idle time after each frame
    /// Transmission time (time steps) by frame size, -1 until computed;
    /// shared by the devices of one rate (SetDataRate).
    std::shared_ptr<std::vector<int64_t>> m_txTimes;
    uint32_t m_ifIndex = 0;                                //!< index on the node
    uint16_t m_mtu = 1500;                                 //!< IP MTU
    bool m_linkUp = false;                                 //!< attached to a channel
    bool m_busy = false;                                   //!< a frame is on the wire
    bool m_queueTracesConnected = false;                   //!< flow control hooked to the queue
    bool m_flowControl = true;                             //!< FlowControl attribute
    Ptr<Packet> m_currentPkt;                              //!< the frame on the wire (for PhyTxEnd)
    NetDevice::ReceiveCallback m_rxCallback;               //!< the stack's receive
    OwnedReceiveCallback m_ownedRxCallback;                //!< receive with ownership (or null)
    NetDevice::PromiscReceiveCallback m_promiscCallback;   //!< promiscuous receive
    TracedCallback<> m_linkChangeCallbacks;                //!< link up notifications
    TracedCallback<Ptr<const Packet>> m_macTxTrace;        //!< MacTx
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace;    //!< MacTxDrop
    TracedCallback<Ptr<const Packet>> m_macPromiscRxTrace; //!< MacPromiscRx
    TracedCallback<Ptr<const Packet>> m_macRxTrace;        //!< MacRx
    TracedCallback<Ptr<const Packet>> m_phyTxBeginTrace;   //!< PhyTxBegin
    TracedCallback<Ptr<const Packet>> m_phyTxEndTrace;     //!< PhyTxEnd
    TracedCallback<Ptr<const Packet>> m_phyTxDropTrace;    //!< PhyTxDrop
    TracedCallback<Ptr<const Packet>> m_phyRxEndTrace;     //!< PhyRxEnd
    TracedCallback<Ptr<const Packet>> m_phyRxDropTrace;    //!< PhyRxDrop
    TracedCallback<Ptr<const Packet>> m_snifferTrace;      //!< Sniffer
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace; //!< PromiscSniffer
};

} // namespace ns3

#endif /* MTP_FABRIC_NET_DEVICE_H */
