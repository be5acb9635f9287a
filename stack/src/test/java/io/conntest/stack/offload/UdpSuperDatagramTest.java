package io.conntest.stack.offload;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.phy.SoftwareOffload;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.socket.UdpSockets;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.UdpPacket;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP super-datagrams ({@code GSO_UDP_L4}: what a kernel with USO negotiated hands a TAP for a {@code UDP_SEGMENT}
 * sender) are split by the interface before any socket sees them (issue 9): the socket receives exactly the datagrams
 * that were sent, each of {@code gso_size} bytes but the last; a super-datagram whose headers do not fit its metadata
 * is counted and dropped. The software segmenter cuts them with valid UDP and IPv4 checksums.
 */
class UdpSuperDatagramTest
{
    private static final int A = OffloadLink.A;
    private static final int B = OffloadLink.B;
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final int PORT = 9;

    /** An Ethernet/IPv4/UDP super-frame of {@code payload} bytes (position pattern) with a partial UDP checksum. */
    private static int superFrame(final MutableDirectBuffer b, final long dstMac, final int payload, final int protocol)
    {
        b.putShort(0, (short)(dstMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(2, (int)dstMac, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)(MAC_A >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(8, (int)MAC_A, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int total = 20 + 8 + payload;
        b.putByte(14, (byte)0x45);
        b.putByte(15, (byte)0);
        b.putShort(16, (short)total, ByteOrder.BIG_ENDIAN);
        b.putInt(18, 0x0100_4000, ByteOrder.BIG_ENDIAN);
        b.putByte(22, (byte)64);
        b.putByte(23, (byte)protocol);
        b.putShort(24, (short)0);
        b.putInt(26, A, ByteOrder.BIG_ENDIAN);
        b.putInt(30, B, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)Checksum.compute(b, 14, 20), ByteOrder.BIG_ENDIAN);
        b.putShort(34, (short)40_000, ByteOrder.BIG_ENDIAN);
        b.putShort(36, (short)PORT, ByteOrder.BIG_ENDIAN);
        b.putShort(38, (short)(8 + payload), ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < payload; i++)
        {
            b.putByte(42 + i, OffloadLink.pattern(i));
        }
        // NEEDS_CSUM: the pseudo-header sum, folded, not complemented (Linux's CHECKSUM_PARTIAL).
        final long sum = Checksum.addPseudoHeader(0, A, B, 17, 8 + payload);
        b.putShort(40, (short)(~Checksum.finish(sum) & 0xFFFF), ByteOrder.BIG_ENDIAN);
        return 14 + total;
    }

    /** Adds {@code udp} to {@code iface} and opens a socket on it with 1 MB queues. */
    private static UdpSocket openSocket(final Interface iface, final UdpSockets udp)
    {
        iface.addProtocol(udp);
        return udp.open(new UdpSocketListener()
        {
        }, 1 << 20, 1 << 20);
    }

    private static FrameMetadata uso(final int gsoSize)
    {
        return new FrameMetadata().set(FrameMetadata.NEEDS_CSUM, FrameMetadata.GSO_UDP_L4, 42, gsoSize, 34, 6);
    }

    @Test
    void theSocketSeesTheDatagramsThatWereSentNotTheSuperDatagram()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 64, InMemoryDevicePair.LinkOffload.SUPER_FRAMES);
        final Interface b = new Interface(pair.b(), InterfaceConfig.builder(B, 24).seed(2).build());
        final UdpSockets udp = new UdpSockets();
        final UdpSocket socket = openSocket(b, udp);
        assertEquals(PORT, socket.bind(PORT));
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[FrameMetadata.MAX_SUPER_FRAME]);
        final int gsoSize = 1_000;
        final int payload = 43 * gsoSize + 317;
        final int length = superFrame(scratch, b.mac(), payload, 17);
        final MutableDirectBuffer out = pair.a().claim(length);
        out.putBytes(0, scratch, 0, length);
        pair.a().commit(length, uso(gsoSize));
        b.poll(1_000_000_000L);

        final List<byte[]> datagrams = new ArrayList<>();
        socket.receive((srcAddr, srcPort, buffer, offset, len) ->
        {
            final byte[] bytes = new byte[len];
            buffer.getBytes(offset, bytes);
            datagrams.add(bytes);
        }, 1_000);
        assertEquals(44, datagrams.size());
        assertEquals(1, b.counters().get(InterfaceCounter.RX_UDP_SUPER_FRAMES));
        int position = 0;
        for (int i = 0; i < datagrams.size(); i++)
        {
            final byte[] d = datagrams.get(i);
            assertEquals(i < 43 ? gsoSize : 317, d.length, "datagram " + i);
            final byte[] expected = new byte[d.length];
            for (int j = 0; j < d.length; j++)
            {
                expected[j] = OffloadLink.pattern(position + j);
            }
            assertArrayEquals(expected, d, "datagram " + i);
            position += d.length;
        }
        assertEquals(payload, position);
        assertEquals(0, udp.badChecksum());

        // Headers that do not match GSO_UDP_L4 (a TCP protocol number): counted and dropped, nothing delivered.
        final int bad = superFrame(scratch, b.mac(), 5_000, 6);
        final MutableDirectBuffer again = pair.a().claim(bad);
        again.putBytes(0, scratch, 0, bad);
        pair.a().commit(bad, uso(gsoSize));
        b.poll(1_001_000_000L);
        assertEquals(1, b.counters().get(InterfaceCounter.RX_UDP_SUPER_FRAME_MALFORMED));
        assertEquals(0, socket.receive((srcAddr, srcPort, buffer, offset, len) -> { }, 1_000));
    }

    /** A handler that only counts, so the measured loop allocates nothing of its own. */
    private static final class Counter implements io.conntest.stack.socket.UdpDatagramHandler
    {
        long datagrams;

        @Override
        public void onDatagram(final int srcAddr, final int srcPort, final org.agrona.DirectBuffer buffer,
            final int offset, final int length)
        {
            datagrams++;
        }
    }

    @Test
    void splittingAllocatesNothingPerSuperDatagram()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 64, InMemoryDevicePair.LinkOffload.SUPER_FRAMES);
        final Interface b = new Interface(pair.b(), InterfaceConfig.builder(B, 24).seed(2).build());
        final UdpSockets udp = new UdpSockets();
        final UdpSocket socket = openSocket(b, udp);
        socket.bind(PORT);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FrameMetadata.MAX_SUPER_FRAME]);
        final int length = superFrame(frame, b.mac(), 44 * 1_472, 17);
        final FrameMetadata metadata = uso(1_472);
        final Counter counter = new Counter();
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long before = 0;
        long now = 1_000_000_000L;
        for (int round = 0; round < 6_000; round++)
        {
            if (round == 2_000)
            {
                before = mx.getThreadAllocatedBytes(threadId);
            }
            final MutableDirectBuffer out = pair.a().claim(length);
            out.putBytes(0, frame, 0, length);
            pair.a().commit(length, metadata);
            b.poll(now);
            socket.receive(counter, 100);
            now += 10_000;
        }
        final long allocated = mx.getThreadAllocatedBytes(threadId) - before;
        System.out.println("udp split allocation: " + allocated + " B over 4000 super-datagrams");
        assertEquals(6_000L * 44, counter.datagrams);
        assertTrue(allocated < 4_000, "allocated " + allocated + " B over 4000 super-datagrams");
    }

    /**
     * USO on send: one {@code sendSegmented} of 10,317 bytes in 1,000-byte datagrams leaves as one super-frame
     * ({@code GSO_UDP_L4}, partial checksum) that the device cuts; the peer's socket gets the 11 datagrams, every
     * byte and checksum right, whether the link hands it the cut datagrams (as a TAP to the kernel's socket) or the
     * super-frame itself (which the peer's interface splits).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = InMemoryDevicePair.LinkOffload.class,
        names = {"SEGMENTED", "SUPER_FRAMES"})
    void aSegmentedSendArrivesAsTheDatagramsItCarries(final InMemoryDevicePair.LinkOffload link)
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 64, link);
        final Interface a = new Interface(pair.a(), InterfaceConfig.builder(A, 24).seed(1).build());
        final Interface b = new Interface(pair.b(), InterfaceConfig.builder(B, 24).seed(2).build());
        final UdpSockets udpA = new UdpSockets();
        final UdpSockets udpB = new UdpSockets();
        final UdpSocket sender = openSocket(a, udpA);
        final UdpSocket receiver = openSocket(b, udpB);
        receiver.bind(PORT);
        final int payload = 10 * 1_000 + 317;
        final UnsafeBuffer data = new UnsafeBuffer(new byte[payload]);
        for (int i = 0; i < payload; i++)
        {
            data.putByte(i, OffloadLink.pattern(i));
        }
        long now = 1_000_000_000L;
        // Before the interface has polled and resolved the next hop nothing leaves: the caller sends plainly.
        assertTrue(!sender.sendSegmented(B, PORT, data, 0, payload, 1_000));
        sender.sendTo(B, PORT, data, 0, 1); // resolves B (ARP), then this datagram leaves
        for (int i = 0; i < 10; i++)
        {
            a.poll(now);
            b.poll(now);
            now += 10_000;
        }
        final List<byte[]> datagrams = new ArrayList<>();
        final io.conntest.stack.socket.UdpDatagramHandler collect = (srcAddr, srcPort, buffer, offset, len) ->
        {
            final byte[] bytes = new byte[len];
            buffer.getBytes(offset, bytes);
            datagrams.add(bytes);
        };
        receiver.receive(collect, 1_000);
        assertEquals(1, datagrams.size(), "the resolving datagram");
        assertTrue(sender.canSendSegmented(), "known once the interface has polled");
        datagrams.clear();

        assertTrue(sender.sendSegmented(B, PORT, data, 0, payload, 1_000));
        assertEquals(1, udpA.segmentedSends());
        assertEquals(12, sender.datagramsSent(), "counted per datagram, as sent");
        for (int i = 0; i < 4; i++)
        {
            a.poll(now);
            b.poll(now);
            now += 10_000;
        }
        receiver.receive(collect, 1_000);
        assertEquals(11, datagrams.size());
        int position = 0;
        for (int i = 0; i < datagrams.size(); i++)
        {
            final byte[] d = datagrams.get(i);
            assertEquals(i < 10 ? 1_000 : 317, d.length, "datagram " + i);
            for (int j = 0; j < d.length; j++)
            {
                assertEquals(OffloadLink.pattern(position + j), d[j], "byte " + (position + j));
            }
            position += d.length;
        }
        assertEquals(0, udpB.badChecksum());
    }

    /**
     * The super-frame a segmented send hands the device honours the NEEDS_CSUM contract: {@code GSO_UDP_L4} with
     * {@code gso_size} = the datagram size, checksum start at the UDP header, offset 6, and in the checksum field
     * the pseudo-header sum for the whole length, so that a device summing from the UDP header on and complementing
     * produces the right checksum (and Linux's {@code __udp_gso_segment}, which swaps the length in that sum per
     * datagram, the right one for each).
     */
    @Test
    void theSuperFrameCarriesThePseudoHeaderSumDevicesComplete()
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 64, InMemoryDevicePair.LinkOffload.SUPER_FRAMES);
        final Interface a = new Interface(pair.a(), InterfaceConfig.builder(A, 24).seed(1).build());
        final UdpSockets udpA = new UdpSockets();
        final UdpSocket sender = openSocket(a, udpA);
        final long macB = 0x02_00_00_00_00_0BL;
        a.poll(1_000_000_000L);
        // answer the ARP request for B by hand, from B's MAC
        final UnsafeBuffer arp = new UnsafeBuffer(new byte[42]);
        arp.putShort(0, (short)(a.mac() >>> 32), ByteOrder.BIG_ENDIAN);
        arp.putInt(2, (int)a.mac(), ByteOrder.BIG_ENDIAN);
        arp.putShort(6, (short)(macB >>> 32), ByteOrder.BIG_ENDIAN);
        arp.putInt(8, (int)macB, ByteOrder.BIG_ENDIAN);
        arp.putShort(12, (short)0x0806, ByteOrder.BIG_ENDIAN);
        arp.putLong(14, 0x0001_0800_0604_0002L, ByteOrder.BIG_ENDIAN);
        arp.putShort(22, (short)(macB >>> 32), ByteOrder.BIG_ENDIAN);
        arp.putInt(24, (int)macB, ByteOrder.BIG_ENDIAN);
        arp.putInt(28, B, ByteOrder.BIG_ENDIAN);
        arp.putShort(32, (short)(a.mac() >>> 32), ByteOrder.BIG_ENDIAN);
        arp.putInt(34, (int)a.mac(), ByteOrder.BIG_ENDIAN);
        arp.putInt(38, A, ByteOrder.BIG_ENDIAN);
        sender.sendTo(B, PORT, arp, 0, 1); // makes A ask for B
        a.poll(1_000_010_000L);
        pair.b().receive((buffer, offset, length) -> { }, 64); // A's ARP request and nothing else yet
        final MutableDirectBuffer reply = pair.b().claim(42);
        reply.putBytes(0, arp, 0, 42);
        pair.b().commit(42);
        a.poll(1_000_020_000L);
        pair.b().receive((buffer, offset, length) -> { }, 64); // the 1-byte datagram, now resolved

        final int payload = 5 * 1_200 + 7;
        final UnsafeBuffer data = new UnsafeBuffer(new byte[payload]);
        for (int i = 0; i < payload; i++)
        {
            data.putByte(i, OffloadLink.pattern(i));
        }
        assertTrue(sender.sendSegmented(B, PORT, data, 0, payload, 1_200));
        a.poll(1_000_030_000L);
        final int[] frames = {0};
        pair.b().receive(new io.conntest.stack.phy.FrameHandler()
        {
            @Override
            public void onFrame(final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                throw new AssertionError("a super-frame comes with metadata");
            }

            @Override
            public void onFrame(final org.agrona.DirectBuffer buffer, final int offset, final int length,
                final FrameMetadata metadata)
            {
                frames[0]++;
                assertEquals(FrameMetadata.GSO_UDP_L4, metadata.gsoType());
                assertEquals(1_200, metadata.gsoSize());
                assertEquals(34, metadata.csumStart());
                assertEquals(6, metadata.csumOffset());
                assertEquals(34 + 8 + payload, length);
                final int udpLength = 8 + payload;
                assertEquals(udpLength, buffer.getShort(offset + 38, ByteOrder.BIG_ENDIAN) & 0xFFFF);
                // what a device does: sum from csum_start (the field holds the pseudo-header sum), complement
                final int completed = Checksum.finish(Checksum.add(0, buffer, offset + 34, udpLength));
                final UnsafeBuffer copy = new UnsafeBuffer(new byte[udpLength]);
                copy.putBytes(0, buffer, offset + 34, udpLength);
                copy.putShort(6, (short)completed, ByteOrder.BIG_ENDIAN);
                assertTrue(Checksum.verifies(Checksum.add(Checksum.addPseudoHeader(0, A, B, 17, udpLength), copy, 0,
                    udpLength)), "the completed UDP checksum verifies");
            }
        }, 64);
        assertEquals(1, frames[0]);
    }

    @Test
    void theSoftwareSegmenterCutsUdpWithValidChecksums()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FrameMetadata.MAX_SUPER_FRAME]);
        final int length = superFrame(frame, 0x02_00_00_00_00_0BL, 3 * 1_472 + 1, 17);
        final List<Integer> sizes = new ArrayList<>();
        final int n = new SoftwareOffload(1514).resolve(frame, 0, length, uso(1_472), (buffer, offset, len) ->
        {
            sizes.add(len);
            final UdpPacket udp = new UdpPacket();
            assertTrue(udp.wrapChecked(buffer, offset + 34, len - 34));
            assertEquals(len - 34, buffer.getShort(offset + 38, ByteOrder.BIG_ENDIAN) & 0xFFFF, "UDP length");
            assertEquals(0, Checksum.compute(buffer, offset + 14, 20), "IPv4 header checksum");
            final long sum = Checksum.add(Checksum.addPseudoHeader(0, A, B, 17, len - 34), buffer, offset + 34,
                len - 34);
            assertTrue(Checksum.verifies(sum), "UDP checksum");
        });
        assertEquals(4, n);
        assertEquals(List.of(1_514, 1_514, 1_514, 43), sizes);
    }
}
