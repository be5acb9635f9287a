package io.conntest.stack.tcp.sack;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiveAssemblerTest
{
    @Test
    void inOrderSegmentIsContiguousAtOnce()
    {
        final ReceiveAssembler a = new ReceiveAssembler();
        assertTrue(a.isEmpty());
        assertEquals(100, a.add(0, 100));
        assertTrue(a.isEmpty());
        assertEquals(0, a.add(0, 0));
        assertEquals(0, a.add(0, -5));
    }

    @Test
    void outOfOrderSegmentWaitsForTheHole()
    {
        final ReceiveAssembler a = new ReceiveAssembler();
        assertEquals(0, a.add(100, 100));
        assertFalse(a.isEmpty());
        assertEquals(100, a.bufferedBytes());
        assertEquals(200, a.highestOffset());
        // The hole is filled: 0..200 delivered at once.
        assertEquals(200, a.add(0, 100));
        assertTrue(a.isEmpty());
        assertEquals(0, a.bufferedBytes());
    }

    @Test
    void remainingRangesShiftWithRcvNxt()
    {
        final ReceiveAssembler a = new ReceiveAssembler();
        a.add(100, 50);
        a.add(300, 50);
        assertEquals(150, a.add(0, 100));
        // RCV.NXT moved by 150: the range at 300 is now at 150.
        assertEquals(1, a.rangeCount());
        assertEquals(150, a.rangeStart(0));
        assertEquals(200, a.rangeEnd(0));
    }

    @Test
    void adjacentSegmentsMergeIntoOneRange()
    {
        final ReceiveAssembler a = new ReceiveAssembler();
        a.add(100, 100);
        a.add(300, 100);
        a.add(200, 100); // touches both
        assertEquals(1, a.rangeCount());
        assertEquals(100, a.rangeStart(0));
        assertEquals(400, a.rangeEnd(0));
        assertEquals(300, a.bufferedBytes());
    }

    @Test
    void overlapsAndDuplicatesAreCountedOnce()
    {
        final ReceiveAssembler a = new ReceiveAssembler();
        a.add(100, 100);
        a.add(150, 100); // overlaps the right end
        a.add(50, 100);  // overlaps the left end
        a.add(120, 10);  // inside
        a.add(100, 100); // exact duplicate
        assertEquals(1, a.rangeCount());
        assertEquals(50, a.rangeStart(0));
        assertEquals(250, a.rangeEnd(0));
        assertEquals(200, a.bufferedBytes());
        // A segment covering several ranges and holes.
        a.add(300, 10);
        a.add(400, 10);
        a.add(40, 400);
        assertEquals(1, a.rangeCount());
        assertEquals(40, a.rangeStart(0));
        assertEquals(440, a.rangeEnd(0));
    }

    @Test
    void rfc9293_3_10_7_4_dataBeforeRcvNxtIsTrimmed()
    {
        final ReceiveAssembler a = new ReceiveAssembler();
        assertEquals(0, a.add(-100, 50), "entirely old");
        assertEquals(0, a.add(-100, 100), "ends exactly at RCV.NXT");
        assertEquals(50, a.add(-100, 150), "only the new 50 bytes count");
        a.add(100, 10);
        assertEquals(10, a.add(-10, 20), "old part dropped, the new [0,10) delivered");
        assertEquals(90, a.rangeStart(0), "the range beyond the hole moved down by 10");
    }

    @Test
    void boundRejectsSegmentsNeedingAnotherRange()
    {
        final ReceiveAssembler a = new ReceiveAssembler(2);
        a.add(100, 10);
        a.add(200, 10);
        assertEquals(0, a.add(300, 10));
        assertEquals(1, a.rejected());
        assertEquals(2, a.rangeCount());
        assertEquals(20, a.bufferedBytes());
        // Growing an existing range or filling from RCV.NXT is always possible.
        a.add(110, 10);
        assertEquals(1, a.rejected());
        assertEquals(50, a.add(0, 50));
        assertEquals(1, a.rejected());
        assertThrows(IllegalArgumentException.class, () -> new ReceiveAssembler(0));
    }

    @Test
    void hugeSegmentsAreABrokenInvariant()
    {
        assertThrows(IllegalArgumentException.class, () -> new ReceiveAssembler().add(Integer.MAX_VALUE, 10));
    }

    @Test
    void rfc2018_4_firstBlockHoldsTheLatestSegmentThenTheMostRecent()
    {
        final int rcvNxt = 0xFFFF_FF00; // the blocks cross the 2^32 wrap
        final ReceiveAssembler a = new ReceiveAssembler();
        a.add(100, 10); // A
        a.add(300, 10); // B
        a.add(500, 10); // C
        a.add(700, 10); // D
        final int[] out = new int[8];
        assertEquals(3, a.sackBlocks(rcvNxt, out, 3));
        assertArrayEquals(new int[] {rcvNxt + 700, rcvNxt + 710, rcvNxt + 500, rcvNxt + 510, rcvNxt + 300, rcvNxt + 310,
            0, 0}, out);
        // A segment extending A makes A first; the oldest other block drops out of a 3-block option.
        a.add(110, 10);
        assertEquals(3, a.sackBlocks(rcvNxt, out, 3));
        assertEquals(rcvNxt + 100, out[0]);
        assertEquals(rcvNxt + 120, out[1]);
        assertEquals(rcvNxt + 700, out[2]);
        assertEquals(rcvNxt + 500, out[4]);
        // A duplicate inside B counts as the latest too (it triggered the ACK).
        a.add(302, 2);
        a.sackBlocks(rcvNxt, out, 1);
        assertEquals(rcvNxt + 300, out[0]);
        assertEquals(4, a.sackBlocks(rcvNxt, out, 4));
        assertEquals(4, a.sackBlocks(rcvNxt, new int[100], 50), "no more blocks than ranges");
        assertEquals(2, a.sackBlocks(rcvNxt, new int[4], 50), "no more blocks than the array holds");
        assertEquals(0, new ReceiveAssembler().sackBlocks(rcvNxt, out, 4));
        // The two-array form gives the same blocks.
        final int[] left = new int[4];
        final int[] right = new int[4];
        assertEquals(4, a.sackBlocks(rcvNxt, left, right, 4));
        a.sackBlocks(rcvNxt, out, 4);
        for (int b = 0; b < 4; b++)
        {
            assertEquals(out[2 * b], left[b]);
            assertEquals(out[2 * b + 1], right[b]);
        }
        assertEquals(2, a.sackBlocks(rcvNxt, new int[2], new int[3], 4));
    }

    @Test
    void clearForgetsEverything()
    {
        final ReceiveAssembler a = new ReceiveAssembler();
        a.add(100, 10);
        a.clear();
        assertTrue(a.isEmpty());
        assertEquals(0, a.bufferedBytes());
        assertEquals(10, a.add(0, 10));
    }

    // ---- randomized comparison with a BitSet model ----

    @Test
    void randomizedAgainstBitSetModel()
    {
        final Random random = new Random(2018_4);
        for (int trial = 0; trial < 300; trial++)
        {
            final int max = 1 + random.nextInt(trial % 2 == 0 ? 8 : 64);
            final ReceiveAssembler a = new ReceiveAssembler(max);
            final BitSet received = new BitSet();
            int rcvNxt = 0;
            long rejected = 0;
            final int[] blocks = new int[2 * max];
            final int seqBase = random.nextInt();
            for (int step = 0; step < 300; step++)
            {
                // Segments land within a 2000-byte window above RCV.NXT, some partly or wholly old.
                final int position = rcvNxt - 100 + random.nextInt(2100);
                final int length = 1 + random.nextInt(200);
                final int start = Math.max(position, rcvNxt);
                final int end = position + length;
                boolean reject = false;
                if (end > rcvNxt && start > rcvNxt)
                {
                    // A new range is needed when nothing in [start - 1, end] has arrived already.
                    final int runs = runs(received, rcvNxt);
                    final int touching = received.nextSetBit(start - 1);
                    reject = runs == max && (touching < 0 || touching > end);
                }
                if (reject)
                {
                    rejected++;
                }
                else if (end > rcvNxt)
                {
                    received.set(start, end);
                }
                final int expected = received.nextClearBit(rcvNxt) - rcvNxt;
                assertEquals(expected, a.add(position - rcvNxt, length), "contiguous bytes");
                rcvNxt += expected;
                assertEquals(rejected, a.rejected());
                // The ranges are exactly the runs above RCV.NXT.
                int k = 0;
                long buffered = 0;
                for (int bit = received.nextSetBit(rcvNxt); bit >= 0; bit = received.nextSetBit(bit))
                {
                    final int runEnd = received.nextClearBit(bit);
                    assertEquals(bit - rcvNxt, a.rangeStart(k), "range start");
                    assertEquals(runEnd - rcvNxt, a.rangeEnd(k), "range end");
                    buffered += runEnd - bit;
                    k++;
                    bit = runEnd;
                }
                assertEquals(k, a.rangeCount());
                assertEquals(buffered, a.bufferedBytes());
                assertTrue(k <= max);
                // SACK blocks: distinct ranges, and the first holds this segment unless it advanced RCV.NXT.
                final int n = a.sackBlocks(seqBase + rcvNxt, blocks, max);
                assertEquals(k, n);
                for (int b = 0; b < n; b++)
                {
                    final int left = blocks[2 * b] - seqBase;
                    final int right = blocks[2 * b + 1] - seqBase;
                    assertTrue(received.get(left) && received.get(right - 1) && !received.get(right));
                    assertTrue(left == rcvNxt || !received.get(left - 1), "a whole range");
                    for (int c = 0; c < b; c++)
                    {
                        assertTrue(blocks[2 * c] != blocks[2 * b], "each range once");
                    }
                }
                if (expected == 0 && !reject && end > rcvNxt)
                {
                    final int left = blocks[0] - seqBase;
                    final int right = blocks[1] - seqBase;
                    assertTrue(left <= Math.max(position, rcvNxt) && end <= right, "first block holds the segment");
                }
            }
        }
    }

    private static int runs(final BitSet bits, final int from)
    {
        int runs = 0;
        for (int bit = bits.nextSetBit(from); bit >= 0; bit = bits.nextSetBit(bits.nextClearBit(bit)))
        {
            runs++;
        }
        return runs;
    }
}
