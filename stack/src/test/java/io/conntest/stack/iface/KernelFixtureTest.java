package io.conntest.stack.iface;

import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Fixtures;
import io.conntest.stack.wire.Icmpv4Packet;
import io.conntest.stack.wire.Ipv4Packet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interface takes the place of the Linux host 10.9.0.2 of the captured fixtures: fed the frames the kernel
 * received there, it must answer with the frames the kernel sent, byte for byte except where hosts may differ
 * (IPv4 identification, DF on UDP, the header checksum that covers them, and how much an ICMP error quotes).
 */
class KernelFixtureTest
{
    private RawLink link;

    @BeforeEach
    void setUp()
    {
        link = new RawLink(InterfaceConfig.builder(Fixtures.KERNEL_B, 24).mac(Fixtures.KERNEL_B_MAC).seed(3).build());
        link.poll();
        assertEquals(1, link.sent().size(), "the gratuitous ARP");
    }

    @Test
    void answersArpExactlyAsTheKernel()
    {
        link.inject(Fixtures.frame(1));
        final List<byte[]> sent = link.sent();
        assertEquals(1, sent.size());
        assertArrayEquals(Fixtures.frame(2), sent.get(0));
    }

    @Test
    void answersPingAsTheKernel()
    {
        link.inject(Fixtures.frame(1));
        link.sent();
        link.inject(Fixtures.frame(3));
        assertSameExceptIdentification(List.of(Fixtures.frame(4)), link.sent());
    }

    @Test
    void answersFragmentedPingWithTheSameFragments()
    {
        link.inject(Fixtures.frame(1));
        link.sent();
        link.inject(Fixtures.frame(5));
        link.inject(Fixtures.frame(6));
        link.inject(Fixtures.frame(7));
        assertSameExceptIdentification(List.of(Fixtures.frame(8), Fixtures.frame(9), Fixtures.frame(10)), link.sent());
    }

    @Test
    void answersPingWithOptionsWithTheSameIcmpMessage()
    {
        link.inject(Fixtures.frame(1));
        link.sent();
        link.inject(Fixtures.frame(11));
        final List<byte[]> sent = link.sent();
        assertEquals(1, sent.size());
        final byte[] kernel = Fixtures.frame(12);
        // Both reflect the record-route option with the replying host added (RFC 1122 §3.2.2.6), twice (as
        // receiver and as sender): the same option bytes and the same ICMP message.
        assertEquals(kernel.length, sent.get(0).length);
        assertArrayEquals(Arrays.copyOfRange(kernel, 14 + 20, 14 + 60),
            Arrays.copyOfRange(sent.get(0), 14 + 20, 14 + 60));
        assertArrayEquals(Arrays.copyOfRange(kernel, 14 + 60, kernel.length),
            Arrays.copyOfRange(sent.get(0), 14 + 60, sent.get(0).length));
    }

    @Test
    void echoesUdpAsTheKernelEchoServerDid()
    {
        new UdpEchoService(link.udp, 5000);
        link.inject(Fixtures.frame(1));
        link.sent();
        link.inject(Fixtures.frame(13));
        link.poll();
        assertSameExceptIdentification(List.of(Fixtures.frame(14)), link.sent());
        link.inject(Fixtures.frame(15));
        link.inject(Fixtures.frame(16));
        link.poll();
        assertSameExceptIdentification(List.of(Fixtures.frame(17), Fixtures.frame(18)), link.sent());
    }

    @Test
    void answersClosedPortWithPortUnreachableQuotingTheDatagram()
    {
        link.inject(Fixtures.frame(1));
        link.sent();
        final byte[] probe = Fixtures.frame(19);
        link.inject(probe);
        final List<byte[]> sent = link.sent();
        assertEquals(1, sent.size());
        final UnsafeBuffer frame = new UnsafeBuffer(sent.get(0));
        final Ipv4Packet ip = new Ipv4Packet();
        assertTrue(ip.wrapChecked(frame, EthernetFrame.HEADER_LENGTH, frame.capacity() - EthernetFrame.HEADER_LENGTH));
        assertEquals(Fixtures.KERNEL_A, ip.destinationAddress());
        final Icmpv4Packet icmp = new Icmpv4Packet();
        assertTrue(icmp.wrapChecked(ip.buffer(), ip.payloadOffset(), ip.payloadLength()));
        assertTrue(icmp.verifyChecksum());
        assertEquals(Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Packet.CODE_PORT_UNREACHABLE, icmp.code());
        // RFC 792: the IP header and the first 64 bits of the datagram (the kernel quotes more, up to 576 bytes).
        final byte[] quote = new byte[icmp.dataLength()];
        icmp.buffer().getBytes(icmp.dataOffset(), quote);
        assertArrayEquals(Arrays.copyOfRange(probe, 14, 14 + 28), quote);
        final byte[] kernel = Fixtures.frame(20);
        assertArrayEquals(Arrays.copyOfRange(kernel, 14 + 20 + 8, 14 + 20 + 8 + 28), quote, "same start as the kernel's");
        assertEquals(1, link.count(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT));
    }

    /** Compares frames, skipping IPv4 identification, flags/offset's DF bit and the header checksum. */
    private static void assertSameExceptIdentification(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size(), "frames sent");
        for (int i = 0; i < expected.size(); i++)
        {
            final byte[] e = expected.get(i);
            final byte[] a = actual.get(i);
            assertEquals(e.length, a.length, "length of frame " + i);
            for (final int skip : new int[] {18, 19, 24, 25})
            {
                e[skip] = 0;
                a[skip] = 0;
            }
            e[20] &= ~0x40;
            a[20] &= ~0x40;
            assertArrayEquals(e, a, "frame " + i);
        }
    }
}
