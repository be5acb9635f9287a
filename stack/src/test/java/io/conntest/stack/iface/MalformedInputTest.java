package io.conntest.stack.iface;

import io.conntest.stack.wire.Icmpv4Packet;

import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Fixtures;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated, corrupted and random frames are counted and dropped by the interface; nothing throws. */
class MalformedInputTest
{
    private RawLink link;

    @BeforeEach
    void setUp()
    {
        link = new RawLink(InterfaceConfig.builder(Fixtures.KERNEL_B, 24).mac(Fixtures.KERNEL_B_MAC).seed(5).build());
        new UdpEchoService(link.udp, 5000);
        link.poll();
        link.inject(Fixtures.frame(1));
        link.sent();
    }

    @Test
    void everyTruncationOfEveryCapturedFrameIsOneCountedDrop()
    {
        for (final byte[] frame : Fixtures.frames())
        {
            for (int length = 0; length < frame.length; length++)
            {
                final long drops = link.iface.counters().totalDrops();
                final long rx = link.count(InterfaceCounter.RX_FRAMES);
                link.inject(new UnsafeBuffer(frame), 0, length);
                assertEquals(rx + 1, link.count(InterfaceCounter.RX_FRAMES));
                assertEquals(drops + 1, link.iface.counters().totalDrops(),
                    "frame truncated to " + length + ": " + link.iface.counters());
            }
        }
        assertTrue(link.sent().isEmpty(), "nothing answers a truncated frame");
    }

    @Test
    void corruptedHeadersAreCountedByReason()
    {
        final byte[] badIpChecksum = Fixtures.frame(3);
        badIpChecksum[24] ^= 0x01;
        expectDrop(badIpChecksum, InterfaceCounter.IPV4_BAD_CHECKSUM);

        final byte[] badIhl = Fixtures.frame(3);
        badIhl[14] = 0x44;
        expectDrop(badIhl, InterfaceCounter.IPV4_MALFORMED);

        final byte[] badVersion = Fixtures.frame(3);
        badVersion[14] = 0x65;
        expectDrop(badVersion, InterfaceCounter.IPV4_MALFORMED);

        final byte[] badTotalLength = Fixtures.frame(3);
        badTotalLength[17] = (byte)0xFF;
        fixIpChecksum(badTotalLength);
        expectDrop(badTotalLength, InterfaceCounter.IPV4_MALFORMED);

        final byte[] bigIhl = Fixtures.frame(3);
        // 40 bytes of the ICMP message read as options: they are not well-formed options (RFC 791 §3.1), so the
        // datagram is dropped as such (and answered with Parameter Problem) before the ICMP checksum is looked at
        bigIhl[14] = 0x4F;
        fixIpChecksum(bigIhl);
        expectDrop(bigIhl, InterfaceCounter.IPV4_BAD_OPTIONS);
        final List<byte[]> problem = link.sent();
        assertEquals(1, problem.size(), "bad options: one Parameter Problem, the only answer to corrupt input");
        assertEquals(Icmpv4Packet.TYPE_PARAMETER_PROBLEM, problem.get(0)[14 + 20] & 0xFF);

        final byte[] badIcmp = Fixtures.frame(3);
        badIcmp[badIcmp.length - 1] ^= 0x20;
        expectDrop(badIcmp, InterfaceCounter.ICMP_BAD_CHECKSUM);

        final byte[] notForUs = Fixtures.frame(3);
        notForUs[33] = 99;
        fixIpChecksum(notForUs);
        expectDrop(notForUs, InterfaceCounter.IPV4_NOT_FOR_US);

        final byte[] badArp = Fixtures.frame(1);
        badArp[21] = 9; // operation 9
        expectDrop(badArp, InterfaceCounter.ARP_MALFORMED);

        final byte[] badUdp = Fixtures.frame(13);
        badUdp[badUdp.length - 1] ^= 0x01;
        final long badChecksum = link.udp.badChecksum();
        link.inject(badUdp);
        assertEquals(badChecksum + 1, link.udp.badChecksum());

        final byte[] badUdpLength = Fixtures.frame(13);
        badUdpLength[39] = (byte)0xF0;
        final long malformed = link.udp.malformed();
        link.inject(badUdpLength);
        assertEquals(malformed + 1, link.udp.malformed());
        assertTrue(link.sent().isEmpty(), "corrupt input is never answered: " + link.iface.counters());

        // Still healthy: a good ping is answered.
        link.inject(Fixtures.frame(3));
        assertEquals(1, link.sent().size());
    }

    @Test
    void randomAndMutatedFramesNeverThrow()
    {
        final Random random = new Random(20261124);
        final List<byte[]> fixtures = Fixtures.frames();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1514]);
        final int count = 100_000;
        for (int i = 0; i < count; i++)
        {
            final int length;
            if ((i & 1) == 0)
            {
                length = random.nextInt(1515);
                random.nextBytes(buffer.byteArray());
                if (random.nextBoolean() && length >= 14)
                {
                    // Addressed to us with a known EtherType, so the bytes get past the Ethernet layer.
                    buffer.putLong(0, Fixtures.KERNEL_B_MAC << 16, ByteOrder.BIG_ENDIAN);
                    buffer.putShort(12, (short)(random.nextBoolean() ? 0x0800 : 0x0806), ByteOrder.BIG_ENDIAN);
                }
            }
            else
            {
                final byte[] frame = fixtures.get(random.nextInt(fixtures.size()));
                length = frame.length;
                buffer.putBytes(0, frame);
                for (int m = random.nextInt(8) + 1; m > 0; m--)
                {
                    buffer.putByte(14 + random.nextInt(length - 14), (byte)random.nextInt(256));
                }
                if (random.nextBoolean() && length >= 34 && buffer.getShort(12) == 0x0008)
                {
                    fixIpChecksum(buffer.byteArray());
                }
            }
            link.inject(buffer, 0, length);
            if ((i & 1023) == 0)
            {
                link.clock.advanceMs(random.nextInt(5000));
                link.poll();
                link.sent();
            }
        }
        assertEquals(count + 1, link.count(InterfaceCounter.RX_FRAMES), "every frame was received");
        assertTrue(link.iface.counters().totalDrops() > count / 2, link.iface.counters().toString());
        link.sent();
        link.inject(Fixtures.frame(3));
        final List<byte[]> sent = link.sent();
        assertTrue(!sent.isEmpty(), "the interface still answers a good ping: " + link.iface.counters());
    }

    /**
     * RFC 1122 §3.2.2: no ICMP error about a non-initial fragment, so a fragment at a non-zero offset with malformed
     * options is dropped and counted without the Parameter Problem an unfragmented datagram gets (found by the fuzz
     * campaign of issue 14: crash-77b5e72a... in NetworkStackFuzzTest's inputs).
     */
    @Test
    void rfc1122_3_2_2_malformedOptionsOnANonInitialFragmentGetNoParameterProblem()
    {
        final byte[] fragment = Fixtures.frame(3);
        fragment[14] = 0x4F;                 // 40 bytes of the ICMP message read as (malformed) options
        fragment[20] = 0x00;
        fragment[21] = (byte)0x64;           // fragment offset 100 x 8 bytes, no MF: a last, non-initial fragment
        fixIpChecksum(fragment);
        expectDrop(fragment, InterfaceCounter.IPV4_BAD_OPTIONS);
        assertTrue(link.sent().isEmpty(), "no ICMP error about a non-initial fragment");

        final byte[] first = Fixtures.frame(3);
        first[14] = 0x4F;
        first[20] = 0x20;                    // MF, offset 0: the initial fragment still gets its Parameter Problem
        first[21] = 0x00;
        fixIpChecksum(first);
        expectDrop(first, InterfaceCounter.IPV4_BAD_OPTIONS);
        final List<byte[]> problem = link.sent();
        assertEquals(1, problem.size());
        assertEquals(Icmpv4Packet.TYPE_PARAMETER_PROBLEM, problem.get(0)[14 + 20] & 0xFF);
    }

    private void expectDrop(final byte[] frame, final InterfaceCounter counter)
    {
        final long before = link.count(counter);
        link.inject(frame);
        assertEquals(before + 1, link.count(counter), counter + ": " + link.iface.counters());
    }

    private static void fixIpChecksum(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int headerLength = Math.min((frame[14] & 0x0F) * 4, frame.length - 14) & ~1;
        buffer.putShort(24, (short)0);
        buffer.putShort(24, (short)Checksum.compute(buffer, 14, headerLength), ByteOrder.BIG_ENDIAN);
    }
}
