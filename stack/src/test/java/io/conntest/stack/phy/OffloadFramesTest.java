package io.conntest.stack.phy;

import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.TcpPacket;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offload metadata through the phy layer (issue 9): software segmentation as the kernel does it, and the metadata
 * passing through the pcap writer, the tracer and the fault injector to the peer of an in-memory pair.
 */
class OffloadFramesTest
{
    private static final int SRC = 0x0A000001;
    private static final int DST = 0x0A000002;
    private static final int SEQ = 0x7FFF_FF00;

    /** A TCP/IPv4 super-frame with {@code payload} data bytes, FIN|PSH|ACK|CWR, and a partial checksum. */
    private static int superFrame(final MutableDirectBuffer b, final int payload)
    {
        b.putLong(0, 0x0200_0000_0002_0200L);
        b.putInt(8, 0x0000_0001);
        b.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        b.putByte(14, (byte)0x45);
        b.putShort(16, (short)(20 + 32 + payload), ByteOrder.BIG_ENDIAN);
        b.putShort(18, (short)1000, ByteOrder.BIG_ENDIAN);
        b.putShort(20, (short)0x4000, ByteOrder.BIG_ENDIAN);
        b.putByte(22, (byte)64);
        b.putByte(23, (byte)6);
        b.putInt(26, SRC, ByteOrder.BIG_ENDIAN);
        b.putInt(30, DST, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)Checksum.compute(b, 14, 20), ByteOrder.BIG_ENDIAN);
        final int t = 34;
        b.putShort(t, (short)5001, ByteOrder.BIG_ENDIAN);
        b.putShort(t + 2, (short)80, ByteOrder.BIG_ENDIAN);
        b.putInt(t + 4, SEQ, ByteOrder.BIG_ENDIAN);
        b.putInt(t + 8, 77, ByteOrder.BIG_ENDIAN);
        b.putByte(t + 12, (byte)(8 << 4));
        b.putByte(t + 13, (byte)(0x80 | 0x10 | 0x08 | 0x01));
        b.putShort(t + 14, (short)1000, ByteOrder.BIG_ENDIAN);
        // 12 bytes of options: NOP NOP timestamps.
        b.putInt(t + 20, 0x0101080A, ByteOrder.BIG_ENDIAN);
        b.putInt(t + 24, 1234, ByteOrder.BIG_ENDIAN);
        b.putInt(t + 28, 5678, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < payload; i++)
        {
            b.putByte(t + 32 + i, (byte)(i * 7 + (i >>> 8)));
        }
        final TcpPacket tcp = new TcpPacket();
        tcp.wrapForWrite(b, t, 32 + payload);
        tcp.fillPseudoHeaderChecksum(SRC, DST);
        return 14 + 20 + 32 + payload;
    }

    private static FrameMetadata tso(final int gsoSize)
    {
        return new FrameMetadata().set(FrameMetadata.NEEDS_CSUM, FrameMetadata.GSO_TCPV4, 66, gsoSize, 34, 16);
    }

    private static final class Collect implements SoftwareOffload.Sink
    {
        final List<byte[]> frames = new ArrayList<>();

        @Override
        public void onSegment(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            frames.add(copy);
        }
    }

    @Test
    void aSuperFrameIsCutAsTheKernelCutsIt()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[70_000]);
        final int length = superFrame(frame, 5000);
        final Collect out = new Collect();
        assertEquals(4, new SoftwareOffload(1514).resolve(frame, 0, length, tso(1448), out));
        final TcpPacket tcp = new TcpPacket();
        int done = 0;
        for (int i = 0; i < 4; i++)
        {
            final UnsafeBuffer s = new UnsafeBuffer(out.frames.get(i));
            final int piece = Math.min(1448, 5000 - done);
            assertEquals(14 + 20 + 32 + piece, s.capacity());
            assertEquals(20 + 32 + piece, s.getShort(16, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            assertEquals(1000 + i, s.getShort(18, ByteOrder.BIG_ENDIAN) & 0xFFFF, "IP ID + 1 per segment");
            assertEquals(0xFFFF, ~Checksum.compute(s, 14, 20) & 0xFFFF, "IP header checksum");
            assertTrue(tcp.wrap(s, 34, 32 + piece));
            assertTrue(tcp.checksumValid(SRC, DST), "full TCP checksum on segment " + i);
            assertEquals(SEQ + done, tcp.seq(), "sequence number wraps with the data");
            final int flags = tcp.flags();
            assertEquals(i == 3, (flags & 0x09) == 0x09, "FIN and PSH on the last segment only");
            assertEquals(i == 0, (flags & 0x80) != 0, "CWR on the first segment only");
            assertTrue((flags & 0x10) != 0);
            for (int j = 0; j < piece; j++)
            {
                final int at = done + j;
                assertEquals((byte)(at * 7 + (at >>> 8)), s.getByte(66 + j));
            }
            done += piece;
        }
    }

    /**
     * GSO_TCPV6 (a TAP with TUN_F_TSO6 is handed the kernel's TCP over IPv6 whole): each segment gets its own IPv6
     * payload length, sequence number, flags and a full checksum over the IPv6 pseudo-header (RFC 8200 §8.1).
     */
    @Test
    void anIpv6SuperFrameIsCutAsTheKernelCutsIt()
    {
        final long srcHi = 0xFD00_00C0_0006_0000L;
        final long srcLo = 1;
        final long dstLo = 2;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[70_000]);
        final int payload = 4000;
        b.putLong(0, 0x0200_0000_0002_0200L);
        b.putInt(8, 0x0000_0001);
        b.putShort(12, (short)0x86DD, ByteOrder.BIG_ENDIAN);
        b.putInt(14, 0x6000_0000, ByteOrder.BIG_ENDIAN);
        b.putShort(18, (short)(20 + payload), ByteOrder.BIG_ENDIAN);
        b.putByte(20, (byte)6);
        b.putByte(21, (byte)64);
        b.putLong(22, srcHi, ByteOrder.BIG_ENDIAN);
        b.putLong(30, srcLo, ByteOrder.BIG_ENDIAN);
        b.putLong(38, srcHi, ByteOrder.BIG_ENDIAN);
        b.putLong(46, dstLo, ByteOrder.BIG_ENDIAN);
        final int t = 54;
        b.putShort(t, (short)5001, ByteOrder.BIG_ENDIAN);
        b.putShort(t + 2, (short)80, ByteOrder.BIG_ENDIAN);
        b.putInt(t + 4, SEQ, ByteOrder.BIG_ENDIAN);
        b.putByte(t + 12, (byte)(5 << 4));
        b.putByte(t + 13, (byte)(0x10 | 0x08));
        for (int i = 0; i < payload; i++)
        {
            b.putByte(t + 20 + i, (byte)(i * 3));
        }
        final long addressSum = Checksum.ipv6AddressSum(srcHi, srcLo, srcHi, dstLo);
        final TcpPacket tcp = new TcpPacket();
        tcp.wrapForWrite(b, t, 20 + payload);
        tcp.fillPseudoHeaderChecksum(addressSum);
        final Collect out = new Collect();
        final FrameMetadata tso6 = new FrameMetadata().set(FrameMetadata.NEEDS_CSUM, FrameMetadata.GSO_TCPV6, 74,
            1440, 54, 16);
        assertEquals(3, new SoftwareOffload(1514).resolve(b, 0, t + 20 + payload, tso6, out));
        int done = 0;
        for (int i = 0; i < 3; i++)
        {
            final UnsafeBuffer s = new UnsafeBuffer(out.frames.get(i));
            final int piece = Math.min(1440, payload - done);
            assertEquals(54 + 20 + piece, s.capacity());
            assertEquals(20 + piece, s.getShort(18, ByteOrder.BIG_ENDIAN) & 0xFFFF, "IPv6 payload length");
            assertTrue(tcp.wrap(s, 54, 20 + piece));
            assertTrue(tcp.checksumValid(addressSum), "full TCP checksum over the IPv6 pseudo-header, segment " + i);
            assertEquals(SEQ + done, tcp.seq());
            assertEquals(i == 2, (tcp.flags() & 0x08) != 0, "PSH on the last segment only");
            assertEquals((byte)(done * 3), s.getByte(74));
            done += piece;
        }
    }

    /** USO over IPv6: each datagram its own IPv6 payload length, UDP length and checksum (RFC 8200 §8.1). */
    @Test
    void anIpv6UdpSuperDatagramIsCutIntoDatagrams()
    {
        final long hi = 0xFD00_00C0_0006_0000L;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[70_000]);
        final int payload = 3000;
        b.putShort(12, (short)0x86DD, ByteOrder.BIG_ENDIAN);
        b.putInt(14, 0x6000_0000, ByteOrder.BIG_ENDIAN);
        b.putShort(18, (short)(8 + payload), ByteOrder.BIG_ENDIAN);
        b.putByte(20, (byte)17);
        b.putByte(21, (byte)64);
        b.putLong(22, hi, ByteOrder.BIG_ENDIAN);
        b.putLong(30, 1, ByteOrder.BIG_ENDIAN);
        b.putLong(38, hi, ByteOrder.BIG_ENDIAN);
        b.putLong(46, 2, ByteOrder.BIG_ENDIAN);
        b.putShort(54, (short)4000, ByteOrder.BIG_ENDIAN);
        b.putShort(56, (short)5000, ByteOrder.BIG_ENDIAN);
        b.putShort(58, (short)(8 + payload), ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < payload; i++)
        {
            b.putByte(62 + i, (byte)(i * 5));
        }
        final long addressSum = Checksum.ipv6AddressSum(hi, 1, hi, 2);
        b.putShort(60, (short)~Checksum.finish(addressSum + 17 + 8 + payload), ByteOrder.BIG_ENDIAN);
        final Collect out = new Collect();
        final FrameMetadata uso = new FrameMetadata().set(FrameMetadata.NEEDS_CSUM, FrameMetadata.GSO_UDP_L4, 62,
            1200, 54, 6);
        assertEquals(3, new SoftwareOffload(1514).resolve(b, 0, 62 + payload, uso, out));
        int done = 0;
        for (int i = 0; i < 3; i++)
        {
            final UnsafeBuffer s = new UnsafeBuffer(out.frames.get(i));
            final int piece = Math.min(1200, payload - done);
            assertEquals(62 + piece, s.capacity());
            assertEquals(8 + piece, s.getShort(18, ByteOrder.BIG_ENDIAN) & 0xFFFF, "IPv6 payload length");
            assertEquals(8 + piece, s.getShort(58, ByteOrder.BIG_ENDIAN) & 0xFFFF, "UDP length");
            final long sum = Checksum.add(addressSum + 17 + 8 + piece, s, 54, 8 + piece);
            assertTrue(Checksum.verifies(sum), "UDP checksum over the IPv6 pseudo-header, datagram " + i);
            assertEquals((byte)(done * 5), s.getByte(62));
            done += piece;
        }
    }

    @Test
    void aPartialChecksumIsCompletedAndBadMetadataRefused()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2000]);
        final int length = superFrame(frame, 1000);
        final Collect out = new Collect();
        final SoftwareOffload software = new SoftwareOffload(1514);
        assertEquals(1, software.resolve(frame, 0, length,
            new FrameMetadata().set(FrameMetadata.NEEDS_CSUM, 0, 0, 0, 34, 16), out));
        final TcpPacket tcp = new TcpPacket();
        assertTrue(tcp.wrap(new UnsafeBuffer(out.frames.get(0)), 34, 1032));
        assertTrue(tcp.checksumValid(SRC, DST));
        assertEquals(-1, software.resolve(frame, 0, length, tso(0), out), "gso_size 0");
        assertEquals(-1, software.resolve(frame, 0, length,
            new FrameMetadata().set(FrameMetadata.NEEDS_CSUM, FrameMetadata.GSO_UDP_L4, 42, 1000, 34, 6), out));
        assertEquals(-1, software.resolve(frame, 0, length,
            new FrameMetadata().set(FrameMetadata.NEEDS_CSUM, 0, 0, 0, length, 16), out), "csum past the frame");
        frame.putShort(16, (short)60000, ByteOrder.BIG_ENDIAN);
        assertEquals(-1, software.resolve(frame, 0, length, tso(1448), out), "IP length past the frame");
        assertEquals(1, out.frames.size());
    }

    @Test
    void metadataPassesThroughPcapTracerAndFaultInjectorToThePeer() throws Exception
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 8, InMemoryDevicePair.LinkOffload.SUPER_FRAMES);
        final Path file = Files.createTempFile("offload", ".pcap");
        final List<String> lines = new ArrayList<>();
        try (FrameDevice a = new TracingDevice(new PcapWriterDevice(
            FaultInjectingDevice.symmetric(pair.a(), FaultConfig.none(), 1, () -> 0L), file, () -> 0L), lines::add))
        {
            assertEquals(Offloads.CSUM | Offloads.TSO4 | Offloads.USO4, a.offloads(),
                "decorators report the device's offloads");
            final MutableDirectBuffer claim = a.claim(FrameMetadata.MAX_SUPER_FRAME);
            final int length = superFrame(claim, 20_000);
            final byte[] sent = new byte[length];
            claim.getBytes(0, sent);
            a.commit(length, tso(1448));
            final FrameMetadata[] got = {null};
            final byte[][] bytes = {null};
            assertEquals(1, pair.b().receive(new FrameHandler()
            {
                @Override
                public void onFrame(final DirectBuffer buffer, final int offset, final int len)
                {
                }

                @Override
                public void onFrame(final DirectBuffer buffer, final int offset, final int len,
                    final FrameMetadata metadata)
                {
                    got[0] = new FrameMetadata().copyFrom(metadata);
                    bytes[0] = new byte[len];
                    buffer.getBytes(offset, bytes[0]);
                }
            }, 8));
            assertArrayEquals(sent, bytes[0], "the super-frame arrives whole");
            assertEquals(FrameMetadata.GSO_TCPV4, got[0].gsoType());
            assertEquals(1448, got[0].gsoSize());
            assertTrue(got[0].needsChecksum());
            assertEquals(34, got[0].csumStart());
            assertEquals(16, got[0].csumOffset());
            assertTrue(lines.get(0).contains("tso4 1448 csum-partial"), lines.get(0));
        }
        final byte[] pcap = Files.readAllBytes(file);
        Files.delete(file);
        final UnsafeBuffer p = new UnsafeBuffer(pcap);
        assertEquals(14 + 20 + 32 + 20_000, p.getInt(24 + 8, ByteOrder.LITTLE_ENDIAN), "recorded whole");
        assertEquals(p.getInt(24 + 8, ByteOrder.LITTLE_ENDIAN), p.getInt(24 + 12, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void aPlainDeviceRefusesOffloadWorkAndAFaultyDirectionSegments()
    {
        final InMemoryDevicePair plain = new InMemoryDevicePair();
        assertEquals(Offloads.NONE, plain.a().offloads());
        final MutableDirectBuffer claim = plain.a().claim(1514);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> plain.a().commit(60, tso(1448)));
        assertFalse(claim == null);

        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 64, InMemoryDevicePair.LinkOffload.SUPER_FRAMES);
        final long[] now = {0};
        final FaultInjectingDevice faulty = new FaultInjectingDevice(pair.a(), FaultConfig.none(),
            FaultConfig.none().delayNs(1, 0), 1, () -> now[0]);
        final MutableDirectBuffer c = faulty.claim(FrameMetadata.MAX_SUPER_FRAME);
        final int length = superFrame(c, 5000);
        faulty.commit(length, tso(1448));
        now[0] = 10;
        faulty.receive((buffer, offset, len) -> { }, 8);
        final int[] frames = {0};
        pair.b().receive(new FrameHandler()
        {
            @Override
            public void onFrame(final DirectBuffer buffer, final int offset, final int len)
            {
            }

            @Override
            public void onFrame(final DirectBuffer buffer, final int offset, final int len,
                final FrameMetadata metadata)
            {
                assertTrue(metadata.isPlain(), "a wire carries plain frames");
                assertTrue(len <= 1514);
                frames[0]++;
            }
        }, 64);
        assertEquals(4, frames[0], "cut into four MSS segments before the impairment");
        assertEquals(4, faulty.txCounters().framesOut());
    }
}
