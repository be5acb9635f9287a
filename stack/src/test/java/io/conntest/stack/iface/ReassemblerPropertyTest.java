package io.conntest.stack.iface;

import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.Ipv4Repr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random datagrams cut at random 8-byte boundaries, shuffled and partly duplicated, always reassemble to the
 * exact bytes; with a forged fragment thrown in, the datagram is dropped whenever the forgery meets real data
 * (partial overlap, or a duplicate range with other bytes), and no byte outside the forged range is ever wrong.
 */
class ReassemblerPropertyTest
{
    private final InterfaceCounters counters = new InterfaceCounters();
    private final Reassembler reassembler = new Reassembler(4, 30_000_000_000L, counters);
    private final Ipv4Packet packet = new Ipv4Packet();
    private final Ipv4Repr repr = new Ipv4Repr();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Ipv4Packet.MAX_LENGTH]);

    @Test
    void shuffledAndDuplicatedFragmentsAlwaysReassembleExactly()
    {
        final Random random = new Random(815);
        for (int round = 0; round < 2000; round++)
        {
            final byte[] data = new byte[9 + random.nextInt(random.nextBoolean() ? 200 : 65_507)];
            random.nextBytes(data);
            final List<int[]> fragments = cut(random, data.length);
            final int duplicates = random.nextInt(3);
            for (int d = 0; d < duplicates; d++)
            {
                fragments.add(fragments.get(random.nextInt(fragments.size())));
            }
            Collections.shuffle(fragments, random);
            final byte[] result = feed(data, round, fragments);
            assertArrayEquals(data, result, "round " + round + " with " + fragments.size() + " fragments");
            // A duplicate that came after completion starts a reassembly that would time out: clear it.
            for (int slot = 0; slot < 4; slot++)
            {
                reassembler.release(slot);
            }
        }
    }

    @Test
    void overlapsNeverProduceWrongBytes()
    {
        final Random random = new Random(5722);
        int dropped = 0;
        for (int round = 0; round < 2000; round++)
        {
            final byte[] data = new byte[64 + random.nextInt(4000)];
            random.nextBytes(data);
            final List<int[]> fragments = cut(random, data.length);
            // A rogue fragment at a random 8-byte offset, of a random multiple of 8 bytes, with other content.
            final int start = random.nextInt(data.length / 8) * 8;
            final int end = Math.min(data.length, start + 8 * (1 + random.nextInt(20)));
            fragments.add(new int[] {start, end, 1});
            Collections.shuffle(fragments, random);
            final long overlapsBefore = counters.get(InterfaceCounter.REASSEMBLY_OVERLAP)
                + counters.get(InterfaceCounter.REASSEMBLY_INCONSISTENT);
            final byte[] result = feed(data, round, fragments);
            if (result == null)
            {
                dropped++;
                assertTrue(counters.get(InterfaceCounter.REASSEMBLY_OVERLAP)
                    + counters.get(InterfaceCounter.REASSEMBLY_INCONSISTENT) > overlapsBefore
                    || reassembler.activeCount() > 0);
            }
            else
            {
                // Delivered: either the rogue fragment came after completion (it starts a reassembly of its
                // own), or it exactly filled a hole before the real fragment did, which no receiver can tell
                // from a legitimate fragmentation. Either way no byte outside its range may be wrong.
                for (int i = 0; i < data.length; i++)
                {
                    if (i < start || i >= end)
                    {
                        assertEquals(data[i], result[i], "round " + round + " byte " + i);
                    }
                }
            }
            for (int slot = 0; slot < 4; slot++)
            {
                reassembler.release(slot);
            }
        }
        assertTrue(dropped > 100, "overlaps were caught: " + dropped);
    }

    /** Cuts {@code [0, length)} into fragments at random multiples of 8: {start, end, rogue=0}. */
    private static List<int[]> cut(final Random random, final int length)
    {
        final List<int[]> fragments = new ArrayList<>();
        int at = 0;
        while (at < length)
        {
            final int size = 8 * (1 + random.nextInt(Math.max(1, Math.min(185, length / 8 + 1))));
            final int end = Math.min(length, at + size);
            fragments.add(new int[] {at, end, 0});
            at = end;
        }
        if (fragments.size() == 1)
        {
            // Make it a real fragmentation: split in two at an 8-byte boundary when possible.
            if (length > 8)
            {
                fragments.set(0, new int[] {0, 8, 0});
                fragments.add(new int[] {8, length, 0});
            }
        }
        return fragments;
    }

    /** Feeds the fragments; returns the reassembled bytes or null when nothing complete came out. */
    private byte[] feed(final byte[] data, final int id, final List<int[]> fragments)
    {
        byte[] result = null;
        for (final int[] f : fragments)
        {
            final int length = f[1] - f[0];
            final boolean more = f[1] < data.length;
            if (!more && f[0] == 0)
            {
                continue; // a single unfragmented piece is not a fragment
            }
            repr.set(0x0A00_0001, 0x0A00_0002, 17, length, id & 0xFFFF, false).fragment(more, f[0], length);
            repr.emit(packet.wrap(frame, 0, Ipv4Packet.MIN_HEADER_LENGTH + length));
            for (int i = 0; i < length; i++)
            {
                frame.putByte(Ipv4Packet.MIN_HEADER_LENGTH + i, f[2] == 1 ? (byte)~data[f[0] + i] : data[f[0] + i]);
            }
            assertTrue(packet.wrapChecked(frame, 0, Ipv4Packet.MIN_HEADER_LENGTH + length));
            final int slot = reassembler.process(packet, 0);
            if (slot >= 0)
            {
                result = new byte[reassembler.length(slot)];
                reassembler.payload(slot).getBytes(0, result);
                reassembler.release(slot);
            }
        }
        return result;
    }
}
