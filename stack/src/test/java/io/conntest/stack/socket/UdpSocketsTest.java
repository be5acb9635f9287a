package io.conntest.stack.socket;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.iface.RawLink;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Icmpv4Repr;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.UdpPacket;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UDP sockets: binding, bounded queues, readiness, errors. */
class UdpSocketsTest
{
    private final RawLink link = new RawLink();
    private final List<String> events = new ArrayList<>();
    private final UdpSocketListener recorder = new UdpSocketListener()
    {
        @Override
        public void onReadable(final UdpSocket socket)
        {
            events.add("readable");
        }

        @Override
        public void onWritable(final UdpSocket socket)
        {
            events.add("writable");
        }

        @Override
        public void onError(final UdpSocket socket, final int errno, final int remoteAddr, final int remotePort)
        {
            events.add(Errno.name(errno) + " " + Ipv4Address.toString(remoteAddr) + ":" + remotePort);
        }
    };

    @Test
    void portsAreExclusiveEphemeralOnesComeFromTheDynamicRangeAndSocketsAreBounded()
    {
        final UdpSocket a = link.udp.open(recorder);
        assertEquals(5000, a.bind(5000));
        assertThrows(IllegalStateException.class, () -> link.udp.open(recorder).bind(5000));
        assertThrows(IllegalStateException.class, () -> a.bind(5001));
        final int e1 = link.udp.open(recorder).bind(0);
        final int e2 = link.udp.open(recorder).bind(0);
        assertTrue(e1 >= UdpSockets.EPHEMERAL_FIRST && e2 >= UdpSockets.EPHEMERAL_FIRST);
        assertNotEquals(e1, e2);
        a.close();
        assertEquals(5000, link.udp.open(recorder).bind(5000));
        while (link.udp.openSockets() < 16)
        {
            link.udp.open(recorder);
        }
        assertThrows(IllegalStateException.class, () -> link.udp.open(recorder));
    }

    @Test
    void receiveQueueIsBoundedAndOverflowIsCounted()
    {
        final UdpSocket socket = link.udp.open(recorder, 4096, 1024);
        socket.bind(5000);
        final byte[] payload = new byte[100];
        for (int i = 0; i < 20; i++)
        {
            payload[0] = (byte)i;
            final byte[] datagram = RawLink.udpDatagram(4000 + i, 5000, payload);
            link.inject(RawLink.ipv4Frame(RawLink.ADDR, Ipv4Packet.PROTOCOL_UDP, i, false, 0, datagram, 0,
                datagram.length));
        }
        // Each 100-byte datagram takes 128 bytes of the 1024-byte queue.
        assertEquals(8, socket.receiveQueueDatagrams());
        assertEquals(12, socket.receiveDrops());
        assertEquals(8, events.size());
        final List<Integer> ports = new ArrayList<>();
        assertEquals(8, socket.receive((src, port, buffer, offset, length) ->
        {
            assertEquals(RawLink.PEER, src);
            assertEquals(100, length);
            assertEquals(port - 4000, buffer.getByte(offset));
            ports.add(port);
        }, 100));
        assertEquals(List.of(4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007), ports);
        assertEquals(0, socket.receive((src, port, buffer, offset, length) -> { }, 100));
    }

    @Test
    void closingFromTheReceiveHandlerStopsDeliverySafely()
    {
        final UdpSocket socket = link.udp.open(recorder);
        socket.bind(5000);
        for (int i = 0; i < 3; i++)
        {
            final byte[] datagram = RawLink.udpDatagram(4000, 5000, new byte[10]);
            link.inject(RawLink.ipv4Frame(RawLink.ADDR, Ipv4Packet.PROTOCOL_UDP, i, false, 0, datagram, 0,
                datagram.length));
        }
        assertEquals(1, socket.receive((src, port, buffer, offset, length) -> socket.close(), 10));
        assertFalse(socket.isOpen());
        assertEquals(0, socket.receive((src, port, buffer, offset, length) -> { }, 10));
        assertEquals(0, link.udp.openSockets());
    }

    @Test
    void sendQueueIsBoundedAndWritableIsToldWhenItDrains()
    {
        link.introduce();
        link.sent();
        final UdpSocket socket = link.udp.open(recorder, 1024, 1024);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[100]);
        int accepted = 0;
        while (socket.sendTo(RawLink.PEER, 7, data, 0, 100))
        {
            accepted++;
        }
        // the first datagrams go straight into frames of the device (its queue holds 256), then the socket's
        // bounded send queue (1,024 bytes) takes 8 more and refuses the next
        assertEquals(256 + 8, accepted);
        assertTrue(events.isEmpty());
        final List<byte[]> direct = link.sent();
        assertEquals(256, direct.size(), "sent by sendTo itself");
        link.poll();
        assertEquals(List.of("writable"), events);
        final List<byte[]> sent = link.sent();
        assertEquals(8, sent.size(), "the queued ones, by the poll");
        sent.addAll(direct);
        final UdpPacket udp = new UdpPacket();
        final Ipv4Packet ip = new Ipv4Packet();
        for (final byte[] frame : sent)
        {
            assertTrue(ip.wrapChecked(new UnsafeBuffer(frame), EthernetFrame.HEADER_LENGTH,
                frame.length - EthernetFrame.HEADER_LENGTH));
            assertTrue(udp.wrapChecked(ip.buffer(), ip.payloadOffset(), ip.payloadLength()));
            assertTrue(udp.verifyChecksum(RawLink.ADDR, RawLink.PEER));
            assertEquals(socket.localPort(), udp.sourcePort());
            assertEquals(7, udp.destinationPort());
        }
        assertEquals(256 + 8, socket.datagramsSent());
        assertThrows(IllegalArgumentException.class, () -> socket.sendTo(RawLink.PEER, 7, data, 0, 2000),
            "larger than the whole send queue");
        final UdpSocket big = link.udp.open(recorder);
        assertThrows(IllegalArgumentException.class,
            () -> big.sendTo(RawLink.PEER, 7, new UnsafeBuffer(new byte[65_508]), 0, 65_508));
        assertTrue(big.sendTo(RawLink.PEER, 7, new UnsafeBuffer(new byte[65_507]), 0, 65_507));
        link.poll();
        assertEquals(45, link.sent().size(), "65,515 bytes of IP payload in 1,480-byte fragments");
    }

    @Test
    void icmpErrorsReachTheSocketThatSentTheDatagram()
    {
        link.introduce();
        link.sent();
        final UdpSocket socket = link.udp.open(recorder);
        socket.bind(40000);
        final UdpSocket other = link.udp.open(recorder);
        other.bind(40001);
        assertTrue(socket.sendTo(RawLink.PEER, 9, new UnsafeBuffer(new byte[10]), 0, 10));
        link.poll();
        final byte[] original = link.sent().get(0);
        // The peer answers with port unreachable quoting our datagram's IP header and first 8 bytes.
        final byte[] quote = java.util.Arrays.copyOfRange(original, 14, 14 + 28);
        final byte[] icmp = new byte[8 + quote.length];
        final Icmpv4Repr repr = new Icmpv4Repr().error(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE,
            Icmpv4Packet.CODE_PORT_UNREACHABLE, 0, new UnsafeBuffer(quote), 0, quote.length);
        repr.emit(new Icmpv4Packet().wrap(new UnsafeBuffer(icmp), 0, icmp.length));
        link.inject(RawLink.ipv4Frame(RawLink.ADDR, Ipv4Packet.PROTOCOL_ICMP, 99, false, 0, icmp, 0, icmp.length));
        assertEquals(List.of("ECONNREFUSED 10.0.0.1:9"), events);
        assertEquals(Errno.ECONNREFUSED, socket.takeError());
        assertEquals(0, other.takeError());
        assertEquals(1, link.count(InterfaceCounter.ICMP_ERRORS_RECEIVED));
    }

    @Test
    void broadcastToAClosedPortIsNotAnswered()
    {
        link.introduce();
        link.sent();
        final byte[] datagram = RawLink.udpDatagram(4000, 5555, new byte[4]);
        // Checksummed for 10.0.0.2; the broadcast copy fails its checksum, so make one for 255.255.255.255.
        datagram[6] = 0;
        datagram[7] = 0;
        link.inject(RawLink.ipv4Frame(Ipv4Address.BROADCAST, Ipv4Packet.PROTOCOL_UDP, 1, false, 0, datagram, 0,
            datagram.length));
        assertEquals(1, link.udp.noSocket());
        assertTrue(link.sent().isEmpty(), "RFC 1122 §3.2.2: no ICMP error about a broadcast");
        assertFalse(link.count(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT) > 0);
    }
}
