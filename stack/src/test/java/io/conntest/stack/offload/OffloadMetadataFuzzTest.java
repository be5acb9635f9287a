package io.conntest.stack.offload;

import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.FrameMetadata;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.phy.InMemoryDevicePair.LinkOffload;
import io.conntest.stack.phy.SoftwareOffload;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.TcpPacket;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames with arbitrary offload metadata (issue 9: bad GSO types, gso_size 0, checksum offsets past the frame, lying
 * lengths) reach a whole stack, the software segmenter and the fault injector: nothing throws, what cannot be
 * resolved is counted and dropped, and the stack still echoes byte for byte afterwards. Seeded.
 */
class OffloadMetadataFuzzTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;

    /** A TCP/IPv4 frame to B's echo port with {@code payload} bytes, then mutated at random. */
    private static int frame(final MutableDirectBuffer b, final long dstMac, final int payload,
        final SplittableRandom random)
    {
        b.putShort(0, (short)(dstMac >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(2, (int)dstMac, ByteOrder.BIG_ENDIAN);
        b.putShort(6, (short)(MAC_A >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(8, (int)MAC_A, ByteOrder.BIG_ENDIAN);
        b.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int total = 20 + 20 + payload;
        b.putByte(14, (byte)0x45);
        b.putByte(15, (byte)0);
        b.putShort(16, (short)total, ByteOrder.BIG_ENDIAN);
        b.putInt(18, 0x0001_4000, ByteOrder.BIG_ENDIAN);
        b.putByte(22, (byte)64);
        b.putByte(23, (byte)6);
        b.putShort(24, (short)0);
        b.putInt(26, OffloadLink.A, ByteOrder.BIG_ENDIAN);
        b.putInt(30, OffloadLink.B, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)Checksum.compute(b, 14, 20), ByteOrder.BIG_ENDIAN);
        b.putShort(34, (short)(40000 + random.nextInt(4)), ByteOrder.BIG_ENDIAN);
        b.putShort(36, (short)7, ByteOrder.BIG_ENDIAN);
        b.putInt(38, random.nextInt(), ByteOrder.BIG_ENDIAN);
        b.putInt(42, random.nextInt(), ByteOrder.BIG_ENDIAN);
        b.putByte(46, (byte)(5 << 4));
        b.putByte(47, (byte)random.nextInt(256));
        b.putShort(48, (short)random.nextInt(65536), ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < payload; i += 8)
        {
            b.putLong(54 + i, random.nextLong());
        }
        final TcpPacket tcp = new TcpPacket();
        tcp.wrapForWrite(b, 34, 20 + payload);
        if (random.nextBoolean())
        {
            tcp.fillChecksum(OffloadLink.A, OffloadLink.B);
        }
        else
        {
            tcp.fillPseudoHeaderChecksum(OffloadLink.A, OffloadLink.B);
        }
        int length = 14 + total;
        for (int flips = random.nextInt(4); flips > 0; flips--)
        {
            final int at = random.nextInt(Math.min(length, 80));
            b.putByte(at, (byte)(b.getByte(at) ^ (1 << random.nextInt(8))));
        }
        if (random.nextInt(8) == 0)
        {
            length = random.nextInt(length + 1); // cut short: the IPv4 length now lies
        }
        return length;
    }

    private static void randomMetadata(final FrameMetadata m, final SplittableRandom random, final int length)
    {
        final int[] types = {0, 1, 3, 4, 5, 0x81, 0x80, 2, 0x7F, 0xFF};
        m.set(random.nextInt(8), types[random.nextInt(types.length)], random.nextInt(200),
            random.nextInt(4) == 0 ? 0 : random.nextInt(1, 70_000), random.nextInt(4) == 0 ? 34 :
                random.nextInt(length + 100), random.nextInt(4) == 0 ? 16 : random.nextInt(70_000));
    }

    @Test
    void arbitraryMetadataIsDroppedOrHandledNeverThrown()
    {
        final OffloadLink link = new OffloadLink(LinkOffload.SUPER_FRAMES, FaultConfig.none(), 3);
        final FrameDevice peer = link.pair.a();
        final SplittableRandom random = new SplittableRandom(0x0FF1);
        final FrameMetadata metadata = new FrameMetadata();
        final SoftwareOffload software = new SoftwareOffload(1514);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[FrameMetadata.MAX_SUPER_FRAME + 8]);
        final long[] segments = {0};
        long resolved = 0;
        long refused = 0;
        // The stack needs A's MAC to answer: announce it first by one echo exchange.
        assertTrue(link.echo(10_000, 10_000_000_000L));
        final long macB = link.b.mac();
        for (int i = 0; i < 20_000; i++)
        {
            final int payload = random.nextInt(4) == 0 ? random.nextInt(1, 65_000) : random.nextInt(0, 1500);
            final int length = frame(scratch, macB, payload, random);
            randomMetadata(metadata, random, length);
            final int n = software.resolve(scratch, 0, length, metadata, (buffer, offset, len) -> segments[0]++);
            if (n < 0)
            {
                refused++;
            }
            else
            {
                resolved++;
            }
            final MutableDirectBuffer out = peer.claim(FrameMetadata.MAX_SUPER_FRAME);
            if (out != null)
            {
                out.putBytes(0, scratch, 0, length);
                peer.commit(length, metadata);
            }
            if (i % 16 == 0)
            {
                link.step();
            }
        }
        assertTrue(resolved > 0 && refused > 0, "both kinds: " + resolved + " resolved, " + refused + " refused");

        // A fault injector on B's side fed the same kind of frames counts what it cannot resolve.
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 64, LinkOffload.SUPER_FRAMES);
        final long[] now = {0};
        final FaultInjectingDevice faulty = FaultInjectingDevice.symmetric(pair.b(), FaultConfig.none().drop(0.01),
            5, () -> now[0]);
        for (int i = 0; i < 5_000; i++)
        {
            final int length = frame(scratch, macB, random.nextInt(0, 20_000), random);
            randomMetadata(metadata, random, length);
            final MutableDirectBuffer out = pair.a().claim(FrameMetadata.MAX_SUPER_FRAME);
            if (out != null)
            {
                out.putBytes(0, scratch, 0, length);
                pair.a().commit(length, metadata);
            }
            now[0] += 1_000;
            faulty.receive((buffer, offset, len) -> { }, 64);
        }
        assertTrue(faulty.rxCounters().badOffload() > 0, faulty.rxCounters().toString());

        // The stack survived: a fresh echo is still byte-exact.
        link.received = 0;
        link.written = 0;
        assertTrue(link.echo(200_000, 60_000_000_000L), "echo after the fuzzing: " + link.received);
    }
}
