/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/mtp-fabric-net-device.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/error-model.h"
#include "ns3/log.h"
#include "ns3/mtp-fabric-channel.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/ppp-header.h"
#include "ns3/queue.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <map>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MtpFabricNetDevice");

NS_OBJECT_ENSURE_REGISTERED(MtpFabricNetDevice);

namespace
{
constexpr uint16_t ETHER_IPV4 = 0x0800; //!< EtherType of IPv4
constexpr uint16_t ETHER_IPV6 = 0x86DD; //!< EtherType of IPv6
constexpr uint16_t PPP_IPV4 = 0x0021;   //!< PPP protocol of IPv4
constexpr uint16_t PPP_IPV6 = 0x0057;   //!< PPP protocol of IPv6
} // namespace

TypeId
MtpFabricNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MtpFabricNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("Mtp")
            .AddConstructor<MtpFabricNetDevice>()
            .AddAttribute(
                "Mtu",
                "The MAC-level Maximum Transmission Unit",
                UintegerValue(1500),
                MakeUintegerAccessor(&MtpFabricNetDevice::SetMtu, &MtpFabricNetDevice::GetMtu),
                MakeUintegerChecker<uint16_t>())
            .AddAttribute("DataRate",
                          "The link rate (as PointToPointNetDevice's)",
                          DataRateValue(DataRate("32768b/s")),
                          MakeDataRateAccessor(&MtpFabricNetDevice::SetDataRate,
                                               &MtpFabricNetDevice::GetDataRate),
                          MakeDataRateChecker())
            .AddAttribute("ReceiveErrorModel",
                          "Loses arriving frames (none by default)",
                          PointerValue(),
                          MakePointerAccessor(&MtpFabricNetDevice::m_receiveErrorModel),
                          MakePointerChecker<ErrorModel>())
            .AddAttribute("InterframeGap",
                          "The time to wait between frames",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&MtpFabricNetDevice::m_interframeGap),
                          MakeTimeChecker())
            .AddAttribute("FlowControl",
                          "Connect the transmit queue's Enqueue, Dequeue and DropBeforeEnqueue "
                          "traces to the device queue of an aggregated NetDeviceQueueInterface, "
                          "as PointToPointHelper does, so that a full transmit queue stops a "
                          "queue disc above it.  Without it the device queue is never stopped: "
                          "the transmit queue drops, and counts, what it cannot take (set it "
                          "before the interface is aggregated)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&MtpFabricNetDevice::m_flowControl),
                          MakeBooleanChecker())
            .AddAttribute("TxQueue",
                          "The transmit queue",
                          PointerValue(),
                          MakePointerAccessor(&MtpFabricNetDevice::m_queue),
                          MakePointerChecker<Queue<Packet>>())
            .AddTraceSource("MacTx",
                            "A packet arrived for transmission (PPP header added)",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacTxDrop",
                            "A packet dropped before transmission (link down, queue "
                            "full, protocol neither IPv4 nor IPv6)",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_macTxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacPromiscRx",
                            "A frame received and passed to the promiscuous callback",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_macPromiscRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A frame received and passed up the stack",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxBegin",
                            "A frame starts on the wire",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_phyTxBeginTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxEnd",
                            "A frame is completely on the wire",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_phyTxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyTxDrop",
                            "A frame the channel did not take (no peer)",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_phyTxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyRxEnd",
                            "A frame has arrived",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_phyRxEndTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PhyRxDrop",
                            "An arriving frame lost (error model, unknown PPP protocol)",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_phyRxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Sniffer",
                            "Frames sent and received, for pcap (non-promiscuous)",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_snifferTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("PromiscSniffer",
                            "Frames sent and received, for pcap (promiscuous)",
                            MakeTraceSourceAccessor(&MtpFabricNetDevice::m_promiscSnifferTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

MtpFabricNetDevice::MtpFabricNetDevice() = default;

MtpFabricNetDevice::~MtpFabricNetDevice() = default;

void
MtpFabricNetDevice::DoDispose()
{
    m_node = nullptr;
    m_channel = nullptr;
    m_queue = nullptr;
    m_receiveErrorModel = nullptr;
    m_currentPkt = nullptr;
    m_rxCallback = NetDevice::ReceiveCallback();
    m_ownedRxCallback = OwnedReceiveCallback();
    m_promiscCallback = NetDevice::PromiscReceiveCallback();
    NetDevice::DoDispose();
}

void
MtpFabricNetDevice::NotifyNewAggregate()
{
    // Flow control, as PointToPointHelper wires it: the queue's traces tell
    // the device queue when to stop and wake.
    if (m_flowControl && !m_queueTracesConnected && m_queue)
    {
        if (Ptr<NetDeviceQueueInterface> ndqi = GetObject<NetDeviceQueueInterface>())
        {
            ndqi->GetTxQueue(0)->ConnectQueueTraces(m_queue);
            m_queueTracesConnected = true;
        }
    }
    NetDevice::NotifyNewAggregate();
}

bool
MtpFabricNetDevice::Attach(Ptr<MtpFabricChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    NS_ABORT_MSG_IF(!channel || !channel->Attach(this),
                    "MtpFabricNetDevice::Attach: the channel has two devices already");
    m_channel = channel;
    m_linkUp = true;
    m_linkChangeCallbacks();
    return true;
}

void
MtpFabricNetDevice::SetQueue(Ptr<Queue<Packet>> queue)
{
    NS_ABORT_MSG_IF(m_queueTracesConnected,
                    "MtpFabricNetDevice::SetQueue: set the queue before aggregating "
                    "a NetDeviceQueueInterface");
    m_queue = queue;
}

Ptr<Queue<Packet>>
MtpFabricNetDevice::GetQueue() const
{
    return m_queue;
}

void
MtpFabricNetDevice::SetDataRate(DataRate rate)
{
    m_bps = rate;
    // One table per rate and time resolution, shared by every device of
    // that rate (a fabric has two or three rates and thousands of ports).
    static std::map<std::pair<uint64_t, int>, std::shared_ptr<std::vector<int64_t>>> tables;
    std::shared_ptr<std::vector<int64_t>>& table =
        tables[{rate.GetBitRate(), static_cast<int>(Time::GetResolution())}];
    if (!table)
    {
        table = std::make_shared<std::vector<int64_t>>();
    }
    m_txTimes = table;
}

DataRate
MtpFabricNetDevice::GetDataRate() const
{
    return m_bps;
}

bool
MtpFabricNetDevice::HasTransmitListeners() const
{
    return !m_phyTxBeginTrace.IsEmpty() || !m_phyTxEndTrace.IsEmpty() ||
           !m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty();
}

Time
MtpFabricNetDevice::TxTime(uint32_t bytes)
{
    if (!m_txTimes)
    {
        SetDataRate(m_bps);
    }
    std::vector<int64_t>& table = *m_txTimes;
    if (bytes >= table.size())
    {
        table.resize(bytes + 1, -1);
    }
    if (table[bytes] < 0)
    {
        table[bytes] = m_bps.CalculateBytesTxTime(bytes).GetTimeStep();
    }
    return TimeStep(table[bytes]);
}

bool
MtpFabricNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocol)
{
    NS_LOG_FUNCTION(this << packet << dest << protocol);
    const uint16_t ppp = protocol == ETHER_IPV4 ? PPP_IPV4 : protocol == ETHER_IPV6 ? PPP_IPV6 : 0;
    if (!m_linkUp || ppp == 0 || !m_queue)
    {
        m_macTxDropTrace(packet);
        return false;
    }
    PppHeader header;
    header.SetProtocol(ppp);
    packet->AddHeader(header);
    if (!m_macTxTrace.IsEmpty())
    {
        m_macTxTrace(packet);
    }
    if (!m_queue->Enqueue(packet))
    {
        m_macTxDropTrace(packet);
        return false;
    }
    if (!m_busy)
    {
        Ptr<Packet> frame = m_queue->Dequeue();
        if (!m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty())
        {
            m_snifferTrace(frame);
            m_promiscSnifferTrace(frame);
        }
        TransmitStart(frame);
    }
    return true;
}

void
MtpFabricNetDevice::TransmitStart(Ptr<Packet> frame)
{
    m_busy = true;
    m_currentPkt = frame;
    if (!m_phyTxBeginTrace.IsEmpty())
    {
        m_phyTxBeginTrace(frame);
    }
    const Time txTime = TxTime(frame->GetSize());
    Simulator::Schedule(txTime + m_interframeGap, &MtpFabricNetDevice::TransmitComplete, this);
    if (!m_channel->TransmitStart(frame, this, txTime))
    {
        m_phyTxDropTrace(frame);
    }
}

void
MtpFabricNetDevice::TransmitComplete()
{
    m_busy = false;
    if (!m_phyTxEndTrace.IsEmpty())
    {
        m_phyTxEndTrace(m_currentPkt);
    }
    m_currentPkt = nullptr;
    Ptr<Packet> frame = m_queue->Dequeue();
    if (!frame)
    {
        return;
    }
    if (!m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty())
    {
        m_snifferTrace(frame);
        m_promiscSnifferTrace(frame);
    }
    TransmitStart(frame);
}

void
MtpFabricNetDevice::Receive(Ptr<Packet> frame)
{
    if (m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(frame))
    {
        m_phyRxDropTrace(frame);
        return;
    }
    // Listeners that get the frame itself, and so may keep it.
    const bool frameListeners =
        !m_snifferTrace.IsEmpty() || !m_promiscSnifferTrace.IsEmpty() || !m_phyRxEndTrace.IsEmpty();
    if (frameListeners)
    {
        m_snifferTrace(frame);
        m_promiscSnifferTrace(frame);
        m_phyRxEndTrace(frame);
    }
    const bool macListeners =
        !m_macRxTrace.IsEmpty() || (!m_promiscCallback.IsNull() && !m_macPromiscRxTrace.IsEmpty());
    Ptr<Packet> original = macListeners ? frame->Copy() : nullptr;
    PppHeader header;
    frame->RemoveHeader(header);
    const uint16_t ppp = header.GetProtocol();
    if (ppp != PPP_IPV4 && ppp != PPP_IPV6)
    {
        m_phyRxDropTrace(original ? original : frame);
        return;
    }
    const uint16_t protocol = ppp == PPP_IPV4 ? ETHER_IPV4 : ETHER_IPV6;
    if (!m_promiscCallback.IsNull())
    {
        if (original)
        {
            m_macPromiscRxTrace(original);
        }
        m_promiscCallback(this, frame, protocol, Remote(), GetAddress(), NetDevice::PACKET_HOST);
    }
    if (original)
    {
        m_macRxTrace(original);
    }
    if (m_promiscCallback.IsNull() && !m_ownedRxCallback.IsNull() && !frameListeners)
    {
        // Nothing else holds this packet: the receiver may change it.
        m_ownedRxCallback(this, frame, protocol, Remote());
        return;
    }
    m_rxCallback(this, frame, protocol, Remote());
}

const Address&
MtpFabricNetDevice::Remote()
{
    if (m_remote.IsInvalid() && m_channel)
    {
        if (Ptr<MtpFabricNetDevice> peer = m_channel->GetPeer(this))
        {
            m_remote = peer->GetAddress();
        }
    }
    return m_remote;
}

void
MtpFabricNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
MtpFabricNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
MtpFabricNetDevice::GetChannel() const
{
    return m_channel;
}

void
MtpFabricNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
MtpFabricNetDevice::GetAddress() const
{
    return m_address;
}

bool
MtpFabricNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
MtpFabricNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
MtpFabricNetDevice::IsLinkUp() const
{
    return m_linkUp;
}

void
MtpFabricNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.ConnectWithoutContext(callback);
}

bool
MtpFabricNetDevice::IsBroadcast() const
{
    return true;
}

Address
MtpFabricNetDevice::GetBroadcast() const
{
    return Mac48Address("ff:ff:ff:ff:ff:ff");
}

bool
MtpFabricNetDevice::IsMulticast() const
{
    return true;
}

Address
MtpFabricNetDevice::GetMulticast(Ipv4Address) const
{
    return Mac48Address("01:00:5e:00:00:00");
}

Address
MtpFabricNetDevice::GetMulticast(Ipv6Address) const
{
    return Mac48Address("33:33:00:00:00:00");
}

bool
MtpFabricNetDevice::IsPointToPoint() const
{
    return true;
}

bool
MtpFabricNetDevice::IsBridge() const
{
    return false;
}

bool
MtpFabricNetDevice::SendFrom(Ptr<Packet>, const Address&, const Address&, uint16_t)
{
    return false; // as PointToPointNetDevice: no source addresses on a point-to-point link
}

Ptr<Node>
MtpFabricNetDevice::GetNode() const
{
    return m_node;
}

void
MtpFabricNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
MtpFabricNetDevice::NeedsArp() const
{
    return false;
}

void
MtpFabricNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
    m_ownedRxCallback = OwnedReceiveCallback(); // a new receiver: it gets them as usual
}

void
MtpFabricNetDevice::SetOwnedReceiveCallback(OwnedReceiveCallback cb)
{
    m_ownedRxCallback = cb;
}

void
MtpFabricNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
MtpFabricNetDevice::SupportsSendFrom() const
{
    return false;
}

} // namespace ns3
