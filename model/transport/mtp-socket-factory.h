/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * MtpSocketFactory: how applications get MTP sockets, the ns-3 way:
 * Socket::CreateSocket(node, MtpSocketFactory::GetTypeId()).  MtpL4Protocol
 * aggregates one to its node when it is installed.
 */

#ifndef MTP_SOCKET_FACTORY_H
#define MTP_SOCKET_FACTORY_H

#include "ns3/ptr.h"
#include "ns3/socket-factory.h"

namespace ns3
{

class MtpL4Protocol;
class Socket;

/**
 * \ingroup mtp-transport
 * \brief Creates MtpSocket objects for the node's MtpL4Protocol.
 */
class MtpSocketFactory : public SocketFactory
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId();

    MtpSocketFactory();
    ~MtpSocketFactory() override;

    /** \param mtp the protocol whose sockets this factory makes */
    void SetMtp(Ptr<MtpL4Protocol> mtp);

    /**
     * \brief Create a socket with a fresh default port.
     * \return the socket, or nullptr if every default port is taken
     */
    Ptr<Socket> CreateSocket() override;

  protected:
    void DoDispose() override;

  private:
    Ptr<MtpL4Protocol> m_mtp; //!< the node's MTP
};

} // namespace ns3

#endif /* MTP_SOCKET_FACTORY_H */
