/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpWireRecorder: a text record of every MTP packet that nodes hand to their
 * network devices, as the module's own header classes parse it.
 *
 * What it is for: checking a packet decoder (the Wireshark dissector in
 * tools/wireshark/mtp.lua, test/wireshark/check-dissector.py) against what the
 * simulation says it sent, packet by packet and field by field, without
 * re-implementing the wire format a second time in the test.
 *
 * Where it listens: the "Tx" trace of Ipv4L3Protocol and Ipv6L3Protocol, which
 * fires with the finished IP packet (IP header added, MTP header final,
 * checksum included) just before it goes to the device.  Packets are recorded
 * in the order each node hands them to a device; a point-to-point device sends
 * them (and its pcap shows them) in that order.  Packets that are not MTP
 * (another IP protocol number) are skipped; a packet that claims to be MTP but
 * does not parse is recorded with mtp.type only and a note.
 *
 * Format: tab-separated, one header line, then one line per packet.  The
 * columns "node", "device", "time", "family", "src", "dst" say where and when;
 * every other column is named after the dissector field that must show the
 * same value (mtp.sport, mtp.data.message_length, ...).  Integers are decimal;
 * a field with several values (CUTOFFS' eight cutoffs, an ACK's acks) lists
 * them separated by commas; a DATA packet's payload (mtp.data.payload) is
 * lower-case hex; a field the packet type does not have is empty.
 * mtp.data.offset is the offset the segment really has: the segment header's
 * offset field, or, when that field is 0xFFFFFFFF (Linux Homa's single-segment
 * DATA packet), the sequence field.
 */

#ifndef MTP_WIRE_RECORDER_H
#define MTP_WIRE_RECORDER_H

#include "ns3/ipv4.h"
#include "ns3/ipv6.h"
#include "ns3/node-container.h"
#include "ns3/packet.h"
#include "ns3/simple-ref-count.h"

#include <fstream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup mtp-transport
 * \brief Writes one tab-separated line per MTP packet sent by the nodes it is installed
 *        on (see the file comment for the format).
 */
class MtpWireRecorder : public SimpleRefCount<MtpWireRecorder>
{
  public:
    /**
     * \brief A recorder writing to `path` (truncated); the header line is written at once.
     * \param path the output file
     */
    explicit MtpWireRecorder(const std::string& path);

    /**
     * \brief Whether the output file could be opened.
     * \return true if lines can be written
     */
    bool IsOpen() const;

    /**
     * \brief Record the MTP packets `node` sends (IPv4 and IPv6, whichever it has).  The
     *        IP protocol number is read from the node's MtpL4Protocol (its
     *        IpProtocolNumber Attribute), 146 if the node has none.
     * \param node the node
     */
    void Install(Ptr<Node> node);

    /**
     * \brief Install on every node of a container.
     * \param nodes the nodes
     */
    void Install(const NodeContainer& nodes);

    /**
     * \brief The column names, in order (the header line).
     * \return the names
     */
    static std::vector<std::string> GetColumns();

    /**
     * \brief Describe one MTP header and payload as the record's MTP columns.
     * \param mtpBytes the MTP packet (header and payload, no IP header)
     * \return the values of the columns named "mtp.*" by GetColumns(), in order;
     *         empty strings for fields the packet type lacks
     */
    static std::vector<std::string> DescribeMtp(Ptr<const Packet> mtpBytes);

  private:
    /**
     * \brief Ipv4L3Protocol "Tx" sink.
     * \param p the packet with its IPv4 header
     * \param ipv4 the sending node's IPv4
     * \param interface the outgoing interface
     */
    void Ipv4Tx(Ptr<const Packet> p, Ptr<Ipv4> ipv4, uint32_t interface);
    /**
     * \brief Ipv6L3Protocol "Tx" sink.
     * \param p the packet with its IPv6 header
     * \param ipv6 the sending node's IPv6
     * \param interface the outgoing interface
     */
    void Ipv6Tx(Ptr<const Packet> p, Ptr<Ipv6> ipv6, uint32_t interface);
    /**
     * \brief Write one line.
     * \param node the sending node's id
     * \param device the sending device's index on the node
     * \param family "ipv4" or "ipv6"
     * \param src the source address, printed
     * \param dst the destination address, printed
     * \param mtpBytes the MTP packet
     */
    void Write(uint32_t node,
               uint32_t device,
               const std::string& family,
               const std::string& src,
               const std::string& dst,
               Ptr<const Packet> mtpBytes);

    std::ofstream m_out;             //!< the record file
    std::vector<uint8_t> m_protocol; //!< MTP's IP protocol number, indexed by node id
};

} // namespace ns3

#endif /* MTP_WIRE_RECORDER_H */
