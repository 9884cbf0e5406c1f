/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ipn-hub-chat: several applications on one node chat over an IPN hub.
 *
 *      chat 0 --+
 *      chat 1 --+-- IPN hub "/tmp/chat" --+-- monitor (TAP device, pcap)
 *      chat 2 --+
 *
 * The first chat application Bind()s the network (creating it with the
 * options given on the command line) and every application Connect()s.
 * Each application sends `--lines` lines, one every `--interval`; the hub
 * gives each line to every other member.  Lines are Ethernet frames
 * (broadcast, EtherType 0x88B5, the local experimental type) so that the
 * monitor TAP's pcap (`--pcap`: ipn-hub-chat-0-0.pcap) shows them.  Chat 0
 * asks for membership notices and prints the reader/writer counts as
 * members join and leave.  `--lossless` with a small `--pool` shows senders
 * blocking; the default LOSSY network with a `--slow` reader shows drops.
 *
 *   ./ns3 run "ipn-hub-chat --apps=4 --lines=3 --pcap"
 */

#include "ns3/core-module.h"
#include "ns3/mtp-module.h"
#include "ns3/network-module.h"

#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("IpnHubChat");

namespace
{

/** A chat member: an application with one IPN socket on the hub. */
class ChatApp : public Application
{
  public:
    /** \return the TypeId */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::IpnChatApp").SetParent<Application>().SetGroupName("Mtp");
        return tid;
    }

    /**
     * \param id member number (0 creates the network)
     * \param lines lines to send
     * \param interval time between lines
     * \param options network options (member 0)
     * \param slow read one line per `slow` (0 = read at once)
     */
    void Configure(uint32_t id,
                   uint32_t lines,
                   Time interval,
                   const IpnNetworkOptions& options,
                   Time slow)
    {
        m_id = id;
        m_lines = lines;
        m_interval = interval;
        m_options = options;
        m_slow = slow;
    }

    uint32_t m_received = 0; //!< lines received
    uint32_t m_blocked = 0;  //!< sends refused (LOSSLESS pool full)

  private:
    void StartApplication() override
    {
        m_socket = IpnHelper::CreateSocket(GetNode(), IPN_HUB);
        m_socket->SetDescription("chat " + std::to_string(m_id));
        if (m_id == 0)
        {
            m_socket->SetSockOpt(IPN_SO_MSGPOOLSIZE, m_options.poolSize);
            m_socket->SetSockOpt(IPN_SO_FLAGS, m_options.lossless ? IPN_FLAG_LOSSLESS : 0);
            m_socket->SetSockOpt(IPN_SO_HANDLE_OOB, 1);
            m_socket->SetSockOpt(IPN_SO_WANT_OOB_NUMNODES, 1);
            m_socket->Bind(IpnAddress("/tmp/chat"));
            m_socket->Connect(IpnAddress());
        }
        else if (m_socket->Connect(IpnAddress("/tmp/chat")) != 0)
        {
            std::cout << "chat " << m_id << ": connect failed: " << m_socket->GetIpnErrno() << "\n";
            return;
        }
        m_socket->SetRecvCallback(MakeCallback(&ChatApp::OnRecv, this));
        m_socket->SetSendCallback(MakeCallback(&ChatApp::OnSendable, this));
        m_next = Simulator::Schedule(m_interval, &ChatApp::SendLine, this);
        if (!m_slow.IsZero())
        {
            m_read = Simulator::Schedule(m_slow, &ChatApp::ReadSlowly, this);
        }
    }

    void StopApplication() override
    {
        // Both periodic events end with the application, or Simulator::Run()
        // (which has no stop time here) would never return.
        m_next.Cancel();
        m_read.Cancel();
        if (m_socket)
        {
            m_socket->Close();
        }
    }

    void SendLine()
    {
        if (m_sent >= m_lines)
        {
            return;
        }
        std::string text = "chat " + std::to_string(m_id) + " says line " + std::to_string(m_sent);
        std::vector<uint8_t> frame = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0};
        frame.push_back(static_cast<uint8_t>(m_id + 1));
        frame.push_back(0x88);
        frame.push_back(0xb5);
        frame.insert(frame.end(), text.begin(), text.end());
        if (m_socket->Send(Create<Packet>(frame.data(), frame.size()), 0) < 0)
        {
            ++m_blocked; // LOSSLESS and full: OnSendable retries
            m_waiting = true;
            return;
        }
        ++m_sent;
        m_next = Simulator::Schedule(m_interval, &ChatApp::SendLine, this);
    }

    void OnSendable(Ptr<Socket>, uint32_t)
    {
        if (m_waiting)
        {
            m_waiting = false;
            SendLine();
        }
    }

    void OnRecv(Ptr<Socket>)
    {
        if (m_slow.IsZero())
        {
            while (ReadOne())
            {
            }
        }
    }

    void ReadSlowly()
    {
        ReadOne();
        m_read = Simulator::Schedule(m_slow, &ChatApp::ReadSlowly, this);
    }

    bool ReadOne()
    {
        bool oob;
        Ptr<Packet> p = m_socket->RecvMessage(oob);
        if (!p)
        {
            return false;
        }
        IpnNumNodesNotice n;
        if (oob && IpnNumNodesNotice::Parse(p, n))
        {
            std::cout << Simulator::Now().As(Time::US) << " chat " << m_id << ": " << n.readers
                      << " readers, " << n.writers << " writers\n";
            return true;
        }
        std::string s(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&s[0]), s.size());
        ++m_received;
        std::cout << Simulator::Now().As(Time::US) << " chat " << m_id << " hears \""
                  << s.substr(14) << "\"\n";
        return true;
    }

    uint32_t m_id = 0;           //!< member number
    uint32_t m_lines = 0;        //!< lines to send
    uint32_t m_sent = 0;         //!< lines sent
    Time m_interval;             //!< time between lines
    Time m_slow;                 //!< slow reading period
    IpnNetworkOptions m_options; //!< network options
    Ptr<IpnSocket> m_socket;     //!< our socket
    EventId m_next;              //!< next line
    EventId m_read;              //!< next slow read (slow reader only)
    bool m_waiting = false;      //!< blocked, waiting for the send callback
};

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t apps = 3;
    uint32_t lines = 3;
    Time interval = MicroSeconds(100);
    uint32_t pool = 8;
    bool lossless = false;
    Time slow = Seconds(0);
    bool pcap = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("apps", "number of chat applications", apps);
    cmd.AddValue("lines", "lines each application sends", lines);
    cmd.AddValue("interval", "time between lines", interval);
    cmd.AddValue("pool", "message pool size", pool);
    cmd.AddValue("lossless", "LOSSLESS network (senders block) instead of LOSSY", lossless);
    cmd.AddValue("slow", "chat 1 reads one line per this period (0 = at once)", slow);
    cmd.AddValue("pcap", "write a pcap of the monitor TAP device", pcap);
    cmd.Parse(argc, argv);

    Ptr<Node> node = CreateObject<Node>();
    IpnHelper ipn;
    ipn.Install(node);

    IpnNetworkOptions options;
    options.poolSize = pool;
    options.lossless = lossless;
    std::vector<Ptr<ChatApp>> chats;
    for (uint32_t i = 0; i < apps; ++i)
    {
        Ptr<ChatApp> app = CreateObject<ChatApp>();
        app->Configure(i, lines, interval, options, i == 1 ? slow : Seconds(0));
        node->AddApplication(app);
        // Members join one by one, so chat 0 sees the counts grow.
        app->SetStartTime(MicroSeconds(10 * i));
        app->SetStopTime(MilliSeconds(10) + MicroSeconds(10 * (apps - i)));
        chats.push_back(app);
    }
    Ptr<IpnNetDevice> monitor;
    Simulator::Schedule(MicroSeconds(5), [&]() {
        Ptr<IpnNetwork> net = IpnNetworkRegistry::Get(node)->Find("/tmp/chat");
        monitor = ipn.AddTap(net);
        if (pcap)
        {
            IpnHelper::EnablePcap("ipn-hub-chat", monitor);
        }
    });
    Simulator::Run();

    uint32_t heard = 0;
    for (uint32_t i = 0; i < apps; ++i)
    {
        std::cout << "chat " << i << " heard " << chats[i]->m_received << " lines, was blocked "
                  << chats[i]->m_blocked << " times\n";
        heard += chats[i]->m_received;
    }
    Simulator::Destroy();
    // Everyone hears everyone else unless a LOSSY slow reader dropped lines.
    bool ok = heard == apps * (apps - 1) * lines || (!lossless && !slow.IsZero());
    return ok ? 0 : 1;
}
