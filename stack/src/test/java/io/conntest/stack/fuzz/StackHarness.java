package io.conntest.stack.fuzz;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameHandler;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.service.UdpDiscardService;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.socket.UdpSockets;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.service.EchoService;
import io.conntest.stack.wire.ArpPacket;
import io.conntest.stack.wire.ArpRepr;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Icmpv4Repr;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import io.conntest.stack.wire.MacAddress;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import io.conntest.stack.wire.UdpPacket;
import io.conntest.stack.wire.UdpRepr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One stack under test (10.9.0.2, the address of the captured frames) on one end of an {@link InMemoryDevicePair},
 * with the UDP echo service on port 5000 (as in the captures), discard on port 9, up to four client sockets, and
 * TCP with the echo service on port 7;
 * the harness plays every other host on the other end. It injects frames, polls on a manual clock, reads what the
 * stack sends and checks each frame (well-formed, checksums right, from our addresses, no ICMP error about an ICMP
 * error), checks the bounds of the stack's memory-bearing structures after every poll, and finally checks that the
 * stack still answers ARP, ping and UDP echo.
 */
final class StackHarness
{
    static final int OUR_IP = Ipv4Address.parse("10.9.0.2");
    static final long OUR_MAC = 0x0200_0000_0A02L;
    static final int PEER_IP = Ipv4Address.parse("10.9.0.1");
    static final long PEER_MAC = 0x0200_0000_0A01L;
    static final int GATEWAY = Ipv4Address.parse("10.9.0.254");
    static final int DIRECTED_BROADCAST = Ipv4Address.parse("10.9.0.255");
    static final int ECHO_PORT = 5000;
    static final int CLOSED_PORT = 5001;
    static final int MTU = 1500;
    static final int MAX_FRAME = MTU + EthernetFrame.HEADER_LENGTH;
    static final int CLIENTS = 4;
    static final int CLIENT_QUEUE = 16 * 1024;
    static final int TCP_ECHO_PORT = 7;
    static final int TCP_MAX_CONNECTIONS = 8;
    static final long START_NS = 1_000_000_000L;

    /** Addresses the fuzz input picks from: the peer, other on-link hosts, off-link, broadcasts and bogus ones. */
    static final int[] ADDRESSES = {
        PEER_IP,
        Ipv4Address.parse("10.9.0.3"),
        Ipv4Address.parse("10.9.0.4"),
        Ipv4Address.parse("10.9.0.5"),
        Ipv4Address.parse("10.9.0.6"),
        Ipv4Address.parse("10.9.0.7"),
        GATEWAY,
        Ipv4Address.parse("192.0.2.1"),
        Ipv4Address.parse("10.9.0.255"),
        Ipv4Address.BROADCAST,
        Ipv4Address.parse("224.0.0.1"),
        0,
        Ipv4Address.parse("127.0.0.1"),
        OUR_IP,
    };

    private static final int ECHO_QUEUE = UdpSockets.DEFAULT_QUEUE_BYTES;

    final InterfaceConfig config;
    final InMemoryDevicePair pair;
    final FrameDevice peer;
    final NetworkStack stack;
    final Interface iface;
    final UdpEchoService echo;
    final UdpDiscardService discard;
    final UdpSocket[] clients = new UdpSocket[CLIENTS];
    final TcpProtocol tcp;
    final EchoService tcpEcho;
    private final UdpSocketListener clientListener = new UdpSocketListener()
    {
    };
    /** The echo and discard services plus the fuzzed client sockets. */
    static final int MAX_UDP_SOCKETS = CLIENTS + 2;
    private int openSockets;
    long nowNs = START_NS;
    /** Whether the harness answers the stack's ARP requests (for any address) while reading its frames. */
    boolean answerArp;

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_FRAME]);
    private final FrameHandler egressHandler = this::onEgressFrame;
    private final IntArrayList arpToAnswer = new IntArrayList();
    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final ArpRepr arpRepr = new ArpRepr();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv4Repr ipRepr = new Ipv4Repr();
    private final UdpPacket udp = new UdpPacket();
    private final UdpRepr udpRepr = new UdpRepr();
    private final Icmpv4Packet icmp = new Icmpv4Packet();
    private final Icmpv4Repr icmpRepr = new Icmpv4Repr();
    private final TcpPacket tcpView = new TcpPacket();
    private final TcpRepr tcpRepr = new TcpRepr();

    /** The last TCP segment the stack sent, so the input can answer it with matching ports and numbers. */
    int lastTcpSrcPort;
    int lastTcpDstPort;
    int lastTcpSeq;
    int lastTcpAck;
    int lastTcpLength;

    private boolean sawArpReplyToPeer;
    private int expectedPingSequence = -1;
    private boolean sawPingReply;
    private byte[] expectedUdpEcho;
    private boolean sawUdpEcho;
    long framesChecked;

    /**
     * @param small  tight bounds (4 neighbours, 4 held datagrams, 3 reassemblies, short timers) so that eviction,
     *               overflow and timeouts happen within a short input; else the defaults.
     * @param withGateway a default gateway (10.9.0.254), so off-link destinations are routed.
     */
    StackHarness(final boolean small, final boolean withGateway)
    {
        final InterfaceConfig.Builder builder = InterfaceConfig.builder(OUR_IP, 24).mac(OUR_MAC).seed(7);
        if (small)
        {
            builder.neighbourCacheSize(4).heldDatagrams(4).heldPerNeighbour(2).maxReassemblies(3)
                .reassemblyTimeoutNs(2_000_000_000L).neighbourTtlNs(10_000_000_000L)
                .arpRetryIntervalNs(100_000_000L).arpMaxRequests(2).ingressBatch(8);
        }
        if (withGateway)
        {
            builder.gateway(GATEWAY);
        }
        config = builder.build();
        pair = new InMemoryDevicePair(MTU, 32);
        peer = pair.b();
        stack = new NetworkStack(pair.a(), config, MAX_UDP_SOCKETS);
        iface = stack.iface();
        echo = new UdpEchoService(stack.udp(), ECHO_PORT);
        discard = new UdpDiscardService(stack.udp(), UdpDiscardService.PORT);
        openSockets = 2;
        tcp = new TcpProtocol(new TcpConfig().maxConnections(TCP_MAX_CONNECTIONS).sendBufferBytes(16 * 1024)
            .receiveBufferBytes(16 * 1024), OUR_IP, 11, 22);
        tcp.mtu(MTU);
        stack.addProtocol(tcp);
        tcpEcho = new EchoService(tcp, TCP_ECHO_PORT, 4);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Driving the stack
    // ---------------------------------------------------------------------------------------------------------

    /** Polls once at the current time and checks the bounds. */
    void poll()
    {
        stack.poll(nowNs);
        checkBounds();
    }

    void advanceNs(final long deltaNs)
    {
        nowNs += deltaNs;
    }

    /** Puts a frame on the wire towards the stack (cut to the MTU); polls first if the stack's queue is full. */
    void inject(final DirectBuffer frame, final int offset, final int length)
    {
        final int n = Math.min(length, MAX_FRAME);
        for (int attempt = 0; attempt < 8; attempt++)
        {
            final MutableDirectBuffer out = peer.claim(n);
            if (out != null)
            {
                out.putBytes(0, frame, offset, n);
                peer.commit(n);
                return;
            }
            poll();
        }
        fail("the interface stopped taking frames from its device");
    }

    void inject(final byte[] frame)
    {
        inject(new UnsafeBuffer(frame), 0, frame.length);
    }

    /** Reads and checks every frame the stack sent; answers ARP requests if {@link #answerArp}. */
    void drain()
    {
        while (peer.receive(egressHandler, 64) > 0)
        {
            answerPendingArp();
        }
        answerPendingArp();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Client sockets (only calls the API allows: the harness keeps track of what is open and bound)
    // ---------------------------------------------------------------------------------------------------------

    UdpSocket client(final int index)
    {
        return clients[index];
    }

    void openClient(final int index, final int port)
    {
        if (clients[index] != null)
        {
            return;
        }
        if (stack.udp().openSockets() >= MAX_UDP_SOCKETS)
        {
            // The documented EMFILE case: a socket closed since the last poll still holds its place in the send
            // list until dispatch drops it, so open() would refuse (UdpSockets.open throws IllegalStateException).
            return;
        }
        final UdpSocket socket = stack.udp().open(clientListener, CLIENT_QUEUE, CLIENT_QUEUE);
        openSockets++;
        clients[index] = socket;
        if (port != 0 && !portInUse(port))
        {
            socket.bind(port);
        }
    }

    void closeClient(final int index)
    {
        if (clients[index] != null)
        {
            clients[index].close();
            clients[index] = null;
            openSockets--;
        }
    }

    boolean portInUse(final int port)
    {
        if (port == ECHO_PORT || port == UdpDiscardService.PORT)
        {
            return true;
        }
        for (final UdpSocket socket : clients)
        {
            if (socket != null && socket.localPort() == port)
            {
                return true;
            }
        }
        return false;
    }

    int clientPort(final int index)
    {
        return clients[index] == null ? 0 : clients[index].localPort();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks
    // ---------------------------------------------------------------------------------------------------------

    /** The bounds of everything that holds memory and can be observed from outside the stack. */
    void checkBounds()
    {
        assertTrue(iface.reassembliesInProgress() <= config.maxReassemblies(), "reassemblies within bound");
        int known = 0;
        for (final int address : ADDRESSES)
        {
            known += iface.hasNeighbour(address) ? 1 : 0;
        }
        assertTrue(known <= config.neighbourCacheSize(), "neighbour cache within bound");
        assertEquals(openSockets, stack.udp().openSockets(), "open UDP sockets");
        assertTrue(tcp.connectionCount() <= TCP_MAX_CONNECTIONS, "TCP connections within bound");
        checkSocket(echo.socket(), ECHO_QUEUE);
        for (final UdpSocket socket : clients)
        {
            if (socket != null)
            {
                checkSocket(socket, CLIENT_QUEUE);
            }
        }
    }

    private static void checkSocket(final UdpSocket socket, final int queueBytes)
    {
        assertTrue(socket.sendQueueBytes() >= 0 && socket.sendQueueBytes() <= queueBytes, "send queue within bound");
        // Every queued datagram takes a 16-byte record header at least.
        assertTrue(socket.receiveQueueDatagrams() >= 0 && socket.receiveQueueDatagrams() <= queueBytes / 16,
            "receive queue within bound");
    }

    /**
     * Drains everything, lets two minutes pass (every neighbour, hold-down and reassembly expires) while answering
     * ARP, then requires an answer to an ARP request, a ping and a UDP echo datagram from the peer, each resent
     * a few times in case the stack was legitimately busy when it arrived.
     */
    void checkStillAnswers()
    {
        answerArp = true;
        drain();
        for (int i = 0; i < 12; i++)
        {
            advanceNs(10_000_000_000L);
            poll();
            drain();
            poll();
            drain();
        }
        expectedPingSequence = 0x5EED;
        expectedUdpEcho = "still answering?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int round = 0; round < 10 && !(sawArpReplyToPeer && sawPingReply && sawUdpEcho); round++)
        {
            if (!sawArpReplyToPeer)
            {
                final int n = PeerFrames.arp(scratch, ArpPacket.OPERATION_REQUEST, MacAddress.BROADCAST,
                    PEER_MAC, PEER_IP, 0, OUR_IP);
                inject(scratch, 0, n);
            }
            if (!sawPingReply)
            {
                final int n = PeerFrames.echoRequest(scratch, PEER_MAC, PEER_IP, OUR_IP, 0x4C56,
                    expectedPingSequence, expectedUdpEcho);
                inject(scratch, 0, n);
            }
            if (!sawUdpEcho)
            {
                final int n = PeerFrames.udp(scratch, PEER_MAC, PEER_IP, OUR_IP, 40_000, ECHO_PORT, expectedUdpEcho);
                inject(scratch, 0, n);
            }
            for (int i = 0; i < 20 && !(sawArpReplyToPeer && sawPingReply && sawUdpEcho); i++)
            {
                advanceNs(1_000_000L);
                poll();
                drain();
            }
        }
        assertTrue(sawArpReplyToPeer, () -> "no ARP reply to the peer any more; " + iface.counters());
        assertTrue(sawPingReply, () -> "no echo reply to the peer any more; " + iface.counters());
        assertTrue(sawUdpEcho, () -> "no UDP echo to the peer any more; echo dropped " + echo.dropped() + "; "
            + iface.counters());
    }

    private void onEgressFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        framesChecked++;
        assertTrue(length >= EthernetFrame.HEADER_LENGTH && length <= MAX_FRAME, "frame length " + length);
        assertTrue(eth.wrapChecked(buffer, offset, length));
        assertEquals(OUR_MAC, eth.source(), "frames leave with our MAC");
        final int payload = offset + EthernetFrame.HEADER_LENGTH;
        final int payloadLength = length - EthernetFrame.HEADER_LENGTH;
        switch (eth.etherType())
        {
            case EthernetFrame.ETHERTYPE_ARP:
                checkArp(buffer, payload, payloadLength);
                break;
            case EthernetFrame.ETHERTYPE_IPV4:
                checkIpv4(buffer, payload, payloadLength);
                break;
            default:
                fail("the stack sent EtherType 0x" + Integer.toHexString(eth.etherType()));
        }
    }

    private void checkArp(final DirectBuffer buffer, final int offset, final int length)
    {
        assertEquals(ArpPacket.LENGTH, length, "ARP frames carry exactly one Ethernet/IPv4 ARP packet");
        assertTrue(arp.wrapChecked(buffer, offset, length) && arpRepr.parse(arp), "ARP the stack sent parses");
        assertEquals(OUR_MAC, arpRepr.senderMac());
        assertEquals(OUR_IP, arpRepr.senderIp());
        if (arpRepr.operation() == ArpPacket.OPERATION_REPLY)
        {
            assertEquals(eth.destination(), arpRepr.targetMac(), "an ARP reply goes to the asker");
            if (arpRepr.targetIp() == PEER_IP && arpRepr.targetMac() == PEER_MAC)
            {
                sawArpReplyToPeer = true;
            }
        }
        else if (answerArp && arpRepr.targetIp() != OUR_IP)
        {
            arpToAnswer.addInt(arpRepr.targetIp());
        }
    }

    private void checkIpv4(final DirectBuffer buffer, final int offset, final int length)
    {
        assertTrue(ip.wrapChecked(buffer, offset, length), "IPv4 the stack sent is structurally sound");
        assertTrue(ipRepr.parse(ip), "IPv4 the stack sent has a good checksum");
        assertEquals(length, ip.totalLength(), "no bytes after the datagram");
        assertTrue(ip.totalLength() <= MTU, "datagram within the MTU");
        assertEquals(OUR_IP, ipRepr.sourceAddress(), "datagrams leave from our address");
        assertTrue(ipRepr.ttl() > 0, "TTL");
        if (ipRepr.isFragment())
        {
            assertTrue(!ipRepr.moreFragments() || (ipRepr.payloadLength() & 7) == 0, "fragment length multiple of 8");
            return;
        }
        final int dst = ipRepr.destinationAddress();
        final int at = ip.payloadOffset();
        final int n = ip.payloadLength();
        if (ipRepr.protocol() == Ipv4Packet.PROTOCOL_UDP)
        {
            assertTrue(udp.wrapChecked(ip.buffer(), at, n) && udpRepr.parse(udp, OUR_IP, dst), "UDP checksum");
            assertEquals(n, udp.length(), "UDP length matches the datagram");
            if (expectedUdpEcho != null && dst == PEER_IP && udpRepr.sourcePort() == ECHO_PORT
                && udpRepr.destinationPort() == 40_000 && sameBytes(udp.buffer(), udp.payloadOffset(),
                udp.payloadLength(), expectedUdpEcho))
            {
                sawUdpEcho = true;
            }
        }
        else if (ipRepr.protocol() == Ipv4Packet.PROTOCOL_TCP)
        {
            assertTrue(tcpView.wrap(ip.buffer(), at, n), "TCP the stack sent wraps");
            assertEquals(TcpRepr.ParseResult.OK, tcpRepr.parse(tcpView, OUR_IP, dst, true),
                "TCP the stack sent has a good checksum and options");
            lastTcpSrcPort = tcpRepr.srcPort;
            lastTcpDstPort = tcpRepr.dstPort;
            lastTcpSeq = tcpRepr.seq;
            lastTcpAck = tcpRepr.ack;
            lastTcpLength = tcpRepr.segmentLength();
        }
        else if (ipRepr.protocol() == Ipv4Packet.PROTOCOL_ICMP)
        {
            assertTrue(icmp.wrapChecked(ip.buffer(), at, n) && icmpRepr.parse(icmp), "ICMP checksum");
            if (Icmpv4Packet.isError(icmpRepr.type()))
            {
                checkIcmpError(dst);
            }
            else if (icmpRepr.type() == Icmpv4Packet.TYPE_ECHO_REPLY && dst == PEER_IP
                && icmpRepr.identifier() == 0x4C56 && icmpRepr.sequence() == expectedPingSequence
                && sameBytes(icmpRepr.data(), icmpRepr.dataOffset(), icmpRepr.dataLength(), expectedUdpEcho))
            {
                sawPingReply = true;
            }
        }
    }

    /** RFC 792 / RFC 1122 §3.2.2: an error quotes the offender's header and 8 bytes, and goes to its source. */
    private void checkIcmpError(final int dst)
    {
        final DirectBuffer quote = icmpRepr.data();
        final int at = icmpRepr.dataOffset();
        final int n = icmpRepr.dataLength();
        assertTrue(n >= Ipv4Packet.MIN_HEADER_LENGTH, "an ICMP error quotes at least an IPv4 header");
        final int headerLength = (quote.getByte(at) & 0x0F) * 4;
        assertEquals(4, (quote.getByte(at) & 0xFF) >>> 4, "quoted IPv4 version");
        assertTrue(headerLength >= Ipv4Packet.MIN_HEADER_LENGTH && headerLength <= n, "quoted header length");
        assertTrue(n <= headerLength + 8, "the quote is the header plus at most 8 bytes");
        assertEquals(dst, quote.getInt(at + 12, ByteOrder.BIG_ENDIAN), "the error goes to the offender's source");
        // RFC 1122 §3.2.2: never about a datagram to a broadcast or multicast address, from an address that is not
        // one host's, or about a non-initial fragment (a reassembled datagram is quoted as a whole, offset 0).
        final int quotedSrc = quote.getInt(at + 12, ByteOrder.BIG_ENDIAN);
        final int quotedDst = quote.getInt(at + 16, ByteOrder.BIG_ENDIAN);
        assertTrue(quotedDst != Ipv4Address.BROADCAST && quotedDst != DIRECTED_BROADCAST
            && !Ipv4Address.isMulticast(quotedDst), "RFC 1122 §3.2.2: no ICMP error about a broadcast/multicast");
        assertTrue(quotedSrc != 0 && quotedSrc != Ipv4Address.BROADCAST && quotedSrc != DIRECTED_BROADCAST
            && !Ipv4Address.isMulticast(quotedSrc) && !Ipv4Address.isLoopback(quotedSrc),
            "RFC 1122 §3.2.2: no ICMP error to a source that is not one host");
        assertEquals(0, quote.getShort(at + 6, ByteOrder.BIG_ENDIAN) & 0x1FFF,
            "RFC 1122 §3.2.2: no ICMP error about a non-initial fragment");
        final int quotedProtocol = quote.getByte(at + 9) & 0xFF;
        if (quotedProtocol == Ipv4Packet.PROTOCOL_ICMP && n > headerLength)
        {
            final int quotedType = quote.getByte(at + headerLength) & 0xFF;
            assertTrue(!Icmpv4Packet.isError(quotedType),
                "RFC 1122 §3.2.2: no ICMP error about an ICMP error (type " + quotedType + ")");
        }
    }

    private void answerPendingArp()
    {
        for (int i = 0; i < arpToAnswer.size(); i++)
        {
            final int target = arpToAnswer.getInt(i);
            final long mac = target == PEER_IP ? PEER_MAC : PeerFrames.macOf(target);
            final int n = PeerFrames.arp(scratch, ArpPacket.OPERATION_REPLY, OUR_MAC, mac, target, OUR_MAC, OUR_IP);
            inject(scratch, 0, n);
        }
        arpToAnswer.clear();
    }

    private static boolean sameBytes(final DirectBuffer buffer, final int offset, final int length, final byte[] bytes)
    {
        assertNotNull(bytes);
        if (length != bytes.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != bytes[i])
            {
                return false;
            }
        }
        return true;
    }
}
