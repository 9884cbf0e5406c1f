/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * IpnAddress: the address of an IPN network, as AF_IPN names one with a
 * file-system path (sockaddr_un.sun_path), plus an optional port number.
 *
 * It converts to and from ns3::Address so that IpnSocket fits the generic
 * Socket API (Bind/Connect/RecvFrom take an Address).  ns3::Address holds at
 * most 20 bytes, too few for a path, so the conversion interns the path in a
 * process-wide table and stores its 4-byte index and the port (8 bytes in
 * all).  Paths are never removed from the table; a simulation names few
 * networks, so this costs nothing in practice.
 */

#ifndef IPN_ADDRESS_H
#define IPN_ADDRESS_H

#include "ns3/address.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup mtp-ipn
 * \brief An IPN network path with an optional port number.
 *
 * The port is IPN's "port of the network" (0 .. number of ports - 1);
 * IpnAddress::ANY_PORT (-1, the patch's IPN_PORTNO_ANY) means "any".
 */
class IpnAddress
{
  public:
    /** The patch's IPN_PORTNO_ANY. */
    static constexpr int32_t ANY_PORT = -1;

    /** An empty path (the "NULL address" that Connect accepts on a bound socket). */
    IpnAddress();

    /**
     * \param path the network's name (any string; "/tmp/ipn0" by convention)
     * \param port a port number or ANY_PORT
     */
    explicit IpnAddress(const std::string& path, int32_t port = ANY_PORT);

    /** \return the path ("" for the NULL address) */
    const std::string& GetPath() const;
    /** \param path the path */
    void SetPath(const std::string& path);
    /** \return the port or ANY_PORT */
    int32_t GetPort() const;
    /** \param port the port or ANY_PORT */
    void SetPort(int32_t port);
    /** \return true for the NULL address (empty path) */
    bool IsNull() const;

    /** \return this address as an ns3::Address */
    Address ConvertTo() const;
    /** \return an ns3::Address (implicit conversion, as InetSocketAddress has) */
    operator Address() const;

    /**
     * \param address an ns3::Address
     * \return the IpnAddress it holds (fatal error if it holds another kind)
     */
    static IpnAddress ConvertFrom(const Address& address);
    /**
     * \param address an ns3::Address
     * \return true if it holds an IpnAddress
     */
    static bool IsMatchingType(const Address& address);

  private:
    /** \return the Address type id, registered on first use */
    static uint8_t GetType();

    std::string m_path; //!< network name
    int32_t m_port;     //!< port number or ANY_PORT
};

/** Equal if path and port are equal. */
bool operator==(const IpnAddress& a, const IpnAddress& b);
/** Not equal. */
bool operator!=(const IpnAddress& a, const IpnAddress& b);
/** Prints "path" or "path:port". */
std::ostream& operator<<(std::ostream& os, const IpnAddress& a);

} // namespace ns3

#endif /* IPN_ADDRESS_H */
