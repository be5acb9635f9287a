package io.conntest.stack.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.service.UdpDiscardService;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv6Packet;

/**
 * UDP over IPv6 (RFC 8200 §8) on the stack's sockets: two stacks on an in-memory cable with static addresses
 * ({@code fd00:c0:6::1/64}, {@code ::2/64}, each through DAD) exchange datagrams through the echo service, every byte
 * verified, sizes from empty to 65,000 bytes (above the MTU: sent in fragments, reassembled, echoed in fragments);
 * one socket talks to both families; a closed port answers with ICMPv6 port unreachable, which the sender's socket
 * takes as ECONNREFUSED; and the receive checks of RFC 8200 §8.1 on a socket table alone (checksum over the IPv6
 * pseudo-header, zero checksum dropped and counted), with Packet Too Big lowering the socket's next-hop MTU.
 */
class UdpIpv6Test
{
    static final long[] A = Ipv6Address.parse("fd00:c0:6::1");
    static final long[] B = Ipv6Address.parse("fd00:c0:6::2");

    /** Two stacks on one cable, both addressed and past DAD. */
    static final class Pair
    {
        final ManualClock clock = new ManualClock(1_000_000_000L);
        final InMemoryDevicePair link = new InMemoryDevicePair(1500, 256);
        final NetworkStack a = new NetworkStack(link.a(), InterfaceConfig.builder("10.0.0.1/24")
            .mac(0x0200_0000_0001L).seed(1).build());
        final NetworkStack b = new NetworkStack(link.b(), InterfaceConfig.builder("10.0.0.2/24")
            .mac(0x0200_0000_0002L).seed(2).build());

        Pair()
        {
            a.iface().ipv6().addStaticAddress(A[0], A[1], 64);
            b.iface().ipv6().addStaticAddress(B[0], B[1], 64);
            for (int i = 0; i < 5_000 && !(a.iface().ipv6().isOwnAddress(A[0], A[1])
                && b.iface().ipv6().isOwnAddress(B[0], B[1])); i++)
            {
                step();
            }
            assertTrue(a.iface().ipv6().isOwnAddress(A[0], A[1]) && b.iface().ipv6().isOwnAddress(B[0], B[1]),
                "both addresses passed DAD");
        }

        void step()
        {
            a.poll(clock.nowNs());
            b.poll(clock.nowNs());
            clock.advanceNs(1_000_000L);
        }

        void steps(final int n)
        {
            for (int i = 0; i < n; i++)
            {
                step();
            }
        }
    }

    /** What a socket's handler saw: family, source and a copy of each payload. */
    static final class Received implements UdpDatagramHandler, UdpSocketListener
    {
        final List<String> sources = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        public void onReadable(final UdpSocket socket)
        {
            socket.receive(this, Integer.MAX_VALUE);
        }

        @Override
        public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            sources.add("v4 " + io.conntest.stack.wire.Ipv4Address.toString(srcAddr) + " " + srcPort);
            payloads.add(copy(buffer, offset, length));
        }

        @Override
        public void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
            final int offset, final int length)
        {
            sources.add("v6 " + Ipv6Address.format(srcHi, srcLo) + " " + srcPort);
            payloads.add(copy(buffer, offset, length));
        }

        @Override
        public void onIcmpv6Error(final UdpSocket socket, final int errno, final int icmpType, final int icmpCode,
            final long remoteHi, final long remoteLo, final int remotePort)
        {
            errors.add(Errno.name(errno) + " " + icmpType + "/" + icmpCode + " " + Ipv6Address.format(remoteHi,
                remoteLo) + " " + remotePort);
        }

        @Override
        public void onError6(final UdpSocket socket, final int errno, final long remoteHi, final long remoteLo,
            final int remotePort)
        {
            errors.add(Errno.name(errno) + " " + Ipv6Address.format(remoteHi, remoteLo) + " " + remotePort);
        }

        private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return bytes;
        }
    }

    @Test
    void rfc8200_8_datagramsOfEverySizeAreEchoedOverIpv6ByteForByte()
    {
        final Pair pair = new Pair();
        final UdpEchoService echo = new UdpEchoService(pair.b.udp(), 7);
        final Received received = new Received();
        final UdpSocket socket = pair.a.udp().open(received);
        final int port = socket.bind(40_000);
        final int[] sizes = {0, 1, 100, 1452, 1453, 4000, 9000, 65_000};
        final Random random = new Random(8200);
        final List<byte[]> sent = new ArrayList<>();
        for (final int size : sizes)
        {
            final byte[] data = new byte[size];
            random.nextBytes(data);
            sent.add(data);
            assertTrue(socket.sendTo6(B[0], B[1], 7, new UnsafeBuffer(data), 0, size));
            pair.steps(20);
        }
        pair.steps(100);
        assertEquals(sizes.length, received.payloads.size(), "every datagram echoed: " + received.sources + " "
            + pair.a.iface().ipv6().counters() + " | " + pair.b.iface().ipv6().counters());
        for (int i = 0; i < sizes.length; i++)
        {
            assertArrayEquals(sent.get(i), received.payloads.get(i), "datagram of " + sizes[i] + " bytes");
            assertEquals("v6 fd00:c0:6::2 7", received.sources.get(i));
        }
        assertEquals(sizes.length, echo.echoed());
        assertEquals(0, pair.b.udp().badChecksum() + pair.a.udp().badChecksum());
        assertTrue(pair.a.iface().ipv6().counters().get(io.conntest.stack.ipv6.Ipv6Counter.IPV6_FRAGMENTS_SENT) > 40,
            "the large ones left in fragments");
        assertEquals(port, socket.localPort());
        assertEquals(sizes.length, socket.datagramsReceived());
    }

    @Test
    void oneSocketTalksToBothFamilies()
    {
        final Pair pair = new Pair();
        new UdpEchoService(pair.b.udp(), 7);
        final UdpDiscardService discard = new UdpDiscardService(pair.b.udp(), 9);
        final Received received = new Received();
        final UdpSocket socket = pair.a.udp().open(received);
        final UnsafeBuffer four = new UnsafeBuffer("four".getBytes());
        final UnsafeBuffer six = new UnsafeBuffer("six".getBytes());
        assertTrue(socket.sendTo(io.conntest.stack.wire.Ipv4Address.parse("10.0.0.2"), 7, four, 0, 4));
        assertTrue(socket.sendTo6(B[0], B[1], 7, six, 0, 3));
        assertTrue(socket.sendTo6(B[0], B[1], 9, six, 0, 3));
        pair.steps(50);
        assertEquals(List.of("v4 10.0.0.2 7", "v6 fd00:c0:6::2 7"), received.sources);
        assertEquals("four", new String(received.payloads.get(0)));
        assertEquals("six", new String(received.payloads.get(1)));
        assertEquals(1, discard.datagrams(), "the discard service takes IPv6 too");
    }

    @Test
    void rfc4443_3_1_aClosedPortAnswersPortUnreachableAndTheSenderGetsEconnrefused()
    {
        final Pair pair = new Pair();
        final Received received = new Received();
        final UdpSocket socket = pair.a.udp().open(received);
        socket.bind(40_001);
        assertTrue(socket.sendTo6(B[0], B[1], 4444, new UnsafeBuffer(new byte[20]), 0, 20));
        pair.steps(50);
        assertEquals(List.of("ECONNREFUSED 1/4 fd00:c0:6::2 4444"), received.errors);
        assertEquals(Errno.ECONNREFUSED, socket.takeError());
        assertTrue(socket.icmpErrorFromIpv6());
        assertEquals(B[0], socket.icmpErrorFromHi());
        assertEquals(B[1], socket.icmpErrorFromLo());
        assertEquals(1, pair.b.udp().noSocket());
    }

    @Test
    void withoutASourceAddressOfThatScopeTheDatagramFailsWithEaddrnotavail()
    {
        final Pair pair = new Pair();
        final Received received = new Received();
        final UdpSocket socket = pair.a.udp().open(received);
        final long[] elsewhere = Ipv6Address.parse("2001:db8::1");
        assertTrue(socket.sendTo6(elsewhere[0], elsewhere[1], 7, new UnsafeBuffer(new byte[4]), 0, 4));
        pair.steps(3);
        assertEquals(1, received.errors.size(), received.errors.toString());
        assertTrue(received.errors.get(0).endsWith(" 2001:db8::1 7"), received.errors.toString());
    }

    /**
     * RFC 4861 §7.3.3: a neighbour that never answers. A datagram that needs fragments is not held by the host while
     * its next hop is resolved; after resolution has had its three solicitations (and a margin) it fails with
     * EHOSTUNREACH, and the datagrams queued behind it go on.
     */
    @Test
    void aFragmentedDatagramToANeighbourThatNeverAnswersFailsWithEhostunreachAndTheQueueGoesOn()
    {
        final Pair pair = new Pair();
        new UdpEchoService(pair.b.udp(), 7);
        final Received received = new Received();
        final UdpSocket socket = pair.a.udp().open(received);
        final long[] nobody = Ipv6Address.parse("fd00:c0:6::9");
        assertTrue(socket.sendTo6(nobody[0], nobody[1], 7, new UnsafeBuffer(new byte[4000]), 0, 4000));
        assertTrue(socket.sendTo6(B[0], B[1], 7, new UnsafeBuffer("behind".getBytes()), 0, 6));
        pair.steps(3_000);
        assertTrue(received.errors.isEmpty() && received.payloads.isEmpty(), "still resolving after 3 s");
        pair.steps(1_000);
        assertEquals(List.of("EHOSTUNREACH fd00:c0:6::9 7"), received.errors);
        assertEquals(1, pair.a.udp().ipv6NeighbourGiveUps());
        assertEquals(List.of("v6 fd00:c0:6::2 7"), received.sources, "the datagram behind it went on");
    }

    @Test
    void dontFragmentRefusesWhatWouldLeaveInFragments()
    {
        final Pair pair = new Pair();
        final Received received = new Received();
        final UdpSocket socket = pair.a.udp().open(received);
        socket.dontFragment(true);
        assertTrue(socket.sendTo6(B[0], B[1], 7, new UnsafeBuffer(new byte[1453]), 0, 1453));
        pair.steps(3);
        assertEquals(List.of("EMSGSIZE fd00:c0:6::2 7"), received.errors);
    }

    // -------------------------------------------------------------------------------------------------------------
    // The receive checks, on a socket table alone
    // -------------------------------------------------------------------------------------------------------------

    /** A UDP datagram from A:5000 to B:{@code port} with {@code payload}, its checksum over the pseudo-header. */
    private static UnsafeBuffer datagram(final int port, final byte[] payload)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8 + payload.length]);
        b.putShort(0, (short)5000, ByteOrder.BIG_ENDIAN);
        b.putShort(2, (short)port, ByteOrder.BIG_ENDIAN);
        b.putShort(4, (short)(8 + payload.length), ByteOrder.BIG_ENDIAN);
        b.putBytes(8, payload);
        long sum = Checksum.addIpv6PseudoHeader(0, A[0], A[1], B[0], B[1], 8 + payload.length,
            Ipv6Packet.NEXT_HEADER_UDP);
        sum = Checksum.add(sum, b, 0, 8 + payload.length);
        final int value = Checksum.finish(sum);
        b.putShort(6, (short)(value == 0 ? 0xFFFF : value), ByteOrder.BIG_ENDIAN);
        return b;
    }

    @Test
    void rfc8200_8_1_theChecksumCoversTheIpv6PseudoHeaderAndAZeroOneIsDropped()
    {
        final UdpSockets udp = new UdpSockets(8, 1);
        final Received received = new Received();
        udp.open(received).bind(7);
        final UnsafeBuffer good = datagram(7, "hello".getBytes());
        assertTrue(udp.processIpv6Datagram(A[0], A[1], B[0], B[1], good, 0, good.capacity(), 0));
        udp.deliver(0);
        assertEquals(List.of("v6 fd00:c0:6::1 5000"), received.sources);
        assertEquals("hello", new String(received.payloads.get(0)));

        // the same bytes from another source: the pseudo-header differs, the checksum fails
        final long[] other = Ipv6Address.parse("fd00:c0:6::3");
        assertTrue(udp.processIpv6Datagram(other[0], other[1], B[0], B[1], good, 0, good.capacity(), 0));
        assertEquals(1, udp.badChecksum());

        // a zero checksum is no checksum: allowed over IPv4 (RFC 768), dropped over IPv6 (RFC 8200 §8.1)
        final UnsafeBuffer zero = datagram(7, "hello".getBytes());
        zero.putShort(6, (short)0);
        assertTrue(udp.processIpv6Datagram(A[0], A[1], B[0], B[1], zero, 0, zero.capacity(), 0));
        assertEquals(1, udp.zeroChecksumIpv6());
        assertEquals(1, udp.badChecksum());

        final UnsafeBuffer shortOne = datagram(7, new byte[0]);
        assertTrue(udp.processIpv6Datagram(A[0], A[1], B[0], B[1], shortOne, 0, 6, 0));
        assertEquals(1, udp.malformed());

        final UnsafeBuffer closed = datagram(8, new byte[3]);
        assertFalse(udp.processIpv6Datagram(A[0], A[1], B[0], B[1], closed, 0, closed.capacity(), 0),
            "no socket: the host answers port unreachable");
        assertEquals(1, udp.noSocket());
        udp.deliver(0);
        assertEquals(1, received.payloads.size(), "only the good one was delivered");
    }

    @Test
    void rfc8201_packetTooBigLowersTheSocketsNextHopMtu()
    {
        final UdpSockets udp = new UdpSockets(8, 1);
        final Received received = new Received();
        final UdpSocket socket = udp.open(received);
        socket.bind(5000);
        final UnsafeBuffer quoted = datagram(7, new byte[0]);
        udp.onIcmpv6Error(2, 0, B[0], B[1], B[0], B[1], quoted, 0, 8, 1400, 0);
        udp.onIcmpv6Error(2, 0, B[0], B[1], B[0], B[1], quoted, 0, 8, 1280, 0);
        udp.onIcmpv6Error(2, 0, B[0], B[1], B[0], B[1], quoted, 0, 8, 1350, 0);
        assertEquals(3, socket.packetTooBig());
        assertEquals(1280, socket.smallestNextHopMtu());
        assertEquals(Errno.EMSGSIZE, socket.takeError());
        assertEquals(3, received.errors.size());
        assertEquals("EMSGSIZE 2/0 fd00:c0:6::2 7", received.errors.get(0));
        // administratively prohibited: Linux's EACCES
        udp.onIcmpv6Error(1, 1, B[0], B[1], B[0], B[1], quoted, 0, 8, 0, 0);
        assertEquals(Errno.EACCES, socket.takeError());
        // a quote too short to hold the ports is ignored
        udp.onIcmpv6Error(1, 4, B[0], B[1], B[0], B[1], quoted, 0, 7, 0, 0);
        assertEquals(0, socket.takeError());
    }
}
