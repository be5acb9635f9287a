package io.conntest.stack.tcp.sack;

import io.conntest.stack.tcp.seq.SeqNum;

/**
 * The receiver's record of out-of-order data: which byte ranges above RCV.NXT have arrived. The bytes themselves
 * live in the receiver's ring buffer at their offset from RCV.NXT; this class only tracks ranges, tells how much
 * became contiguous, and produces the SACK blocks of RFC 2018 §4.
 *
 * <p>Offsets are relative to RCV.NXT: 0 is the next byte the application is owed. Ranges are kept sorted,
 * disjoint and non-adjacent, at most {@code maxRanges} of them (the bound smoltcp's assembler also has: each range
 * costs a SACK block and a slot). A segment that would need one more range is rejected and counted; the sender
 * retransmits it later, once the holes below it have filled. Every operation is O(ranges) with no allocation.
 */
public final class ReceiveAssembler
{
    /** The default bound on out-of-order ranges. */
    public static final int DEFAULT_MAX_RANGES = 32;

    private final int[] starts;
    private final int[] ends;
    /** When each range was last touched by a segment, for the RFC 2018 §4 block order. */
    private final long[] stamps;
    private int count;
    private long clock;
    private long rejected;
    private long bufferedBytes;

    public ReceiveAssembler()
    {
        this(DEFAULT_MAX_RANGES);
    }

    public ReceiveAssembler(final int maxRanges)
    {
        if (maxRanges < 1)
        {
            throw new IllegalArgumentException("maxRanges " + maxRanges);
        }
        starts = new int[maxRanges];
        ends = new int[maxRanges];
        stamps = new long[maxRanges];
    }

    /**
     * Records that {@code length} bytes at {@code offset} from RCV.NXT have arrived (already trimmed to the
     * receive window by the caller, RFC 9293 §3.10.7.4). Bytes before offset 0 are duplicates and ignored.
     *
     * @return how many bytes are now contiguous from offset 0 (the segment itself plus any out-of-order ranges it
     *     joined): the caller advances RCV.NXT by this much and the remaining ranges shift down with it. 0 when
     *     the segment lies beyond a hole, was a duplicate, or was rejected because the range bound was reached
     *     (see {@link #rejected()}).
     */
    public int add(final int offset, final int length)
    {
        if (length <= 0)
        {
            return 0;
        }
        final long endLong = (long) offset + length;
        if (endLong <= 0)
        {
            return 0; // entirely old data (a retransmission of what was delivered)
        }
        if (endLong > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("segment beyond 2^31 bytes: offset " + offset + " length " + length);
        }
        final int start = Math.max(0, offset);
        final int end = (int) endLong;
        final long stamp = ++clock;

        // First range ending at or after start (overlapping or adjacent), first range starting beyond end.
        int i = 0;
        while (i < count && ends[i] < start)
        {
            i++;
        }
        int j = i;
        while (j < count && starts[j] <= end)
        {
            j++;
        }
        if (i == j)
        {
            if (start == 0)
            {
                return deliver(end);
            }
            if (count == starts.length)
            {
                rejected++;
                return 0;
            }
            System.arraycopy(starts, i, starts, i + 1, count - i);
            System.arraycopy(ends, i, ends, i + 1, count - i);
            System.arraycopy(stamps, i, stamps, i + 1, count - i);
            starts[i] = start;
            ends[i] = end;
            stamps[i] = stamp;
            count++;
            bufferedBytes += end - start;
            return 0;
        }
        // Merge ranges i..j-1 with the segment into slot i.
        final int mergedStart = Math.min(start, starts[i]);
        final int mergedEnd = Math.max(end, ends[j - 1]);
        for (int k = i; k < j; k++)
        {
            bufferedBytes -= ends[k] - starts[k];
        }
        final int removed = j - i - 1;
        if (removed > 0)
        {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            System.arraycopy(stamps, j, stamps, i + 1, count - j);
            count -= removed;
        }
        if (mergedStart == 0)
        {
            // Slot i is range 0 and now starts at RCV.NXT: remove it and deliver.
            System.arraycopy(starts, 1, starts, 0, count - 1);
            System.arraycopy(ends, 1, ends, 0, count - 1);
            System.arraycopy(stamps, 1, stamps, 0, count - 1);
            count--;
            return deliver(mergedEnd);
        }
        starts[i] = mergedStart;
        ends[i] = mergedEnd;
        stamps[i] = stamp;
        bufferedBytes += mergedEnd - mergedStart;
        return 0;
    }

    /** {@code contiguous} bytes from offset 0 are complete: shift every remaining range down by it. */
    private int deliver(final int contiguous)
    {
        for (int k = 0; k < count; k++)
        {
            starts[k] -= contiguous;
            ends[k] -= contiguous;
        }
        return contiguous;
    }

    /** No out-of-order data is held. */
    public boolean isEmpty()
    {
        return count == 0;
    }

    /** Forgets all out-of-order data (e.g. when the connection is reset or the buffer is dropped). */
    public void clear()
    {
        count = 0;
        bufferedBytes = 0;
    }

    /**
     * Writes the SACK blocks (RFC 2018 §3) as pairs of sequence numbers {@code out[2k] = left edge,
     * out[2k + 1] = right edge} for at most {@code max} blocks, in the order RFC 2018 §4 asks: first the block
     * holding the most recently received segment, then the others by how recently they changed, so that every
     * block is repeated in several ACKs before it is dropped.
     *
     * @param rcvNxt the current RCV.NXT, which the offsets are relative to
     * @param out    at least {@code 2 * max} ints
     * @return the number of blocks written
     */
    public int sackBlocks(final int rcvNxt, final int[] out, final int max)
    {
        final int n = Math.min(Math.min(max, count), out.length / 2);
        long below = Long.MAX_VALUE;
        for (int b = 0; b < n; b++)
        {
            final int best = latestBelow(below);
            below = stamps[best];
            out[2 * b] = SeqNum.add(rcvNxt, starts[best]);
            out[2 * b + 1] = SeqNum.add(rcvNxt, ends[best]);
        }
        return n;
    }

    /**
     * {@link #sackBlocks(int, int[], int)} into two arrays: left edges in {@code left}, right edges in
     * {@code right}.
     */
    public int sackBlocks(final int rcvNxt, final int[] left, final int[] right, final int max)
    {
        final int n = Math.min(Math.min(max, count), Math.min(left.length, right.length));
        long below = Long.MAX_VALUE;
        for (int b = 0; b < n; b++)
        {
            final int best = latestBelow(below);
            below = stamps[best];
            left[b] = SeqNum.add(rcvNxt, starts[best]);
            right[b] = SeqNum.add(rcvNxt, ends[best]);
        }
        return n;
    }

    /** The range touched most recently before {@code stamp} (stamps are unique). */
    private int latestBelow(final long stamp)
    {
        int best = -1;
        for (int k = 0; k < count; k++)
        {
            if (stamps[k] < stamp && (best < 0 || stamps[k] > stamps[best]))
            {
                best = k;
            }
        }
        return best;
    }

    /** Number of out-of-order ranges held. */
    public int rangeCount()
    {
        return count;
    }

    /** Offset from RCV.NXT of the first byte of range {@code index} (ranges ascend). */
    public int rangeStart(final int index)
    {
        checkIndex(index);
        return starts[index];
    }

    /** Offset from RCV.NXT one past the last byte of range {@code index}. */
    public int rangeEnd(final int index)
    {
        checkIndex(index);
        return ends[index];
    }

    /** Offset one past the highest out-of-order byte held, 0 when empty: how far into the window data reaches. */
    public int highestOffset()
    {
        return count == 0 ? 0 : ends[count - 1];
    }

    /** Out-of-order bytes held. */
    public long bufferedBytes()
    {
        return bufferedBytes;
    }

    /** Segments rejected because the range bound was reached. */
    public long rejected()
    {
        return rejected;
    }

    private void checkIndex(final int index)
    {
        if (index < 0 || index >= count)
        {
            throw new IndexOutOfBoundsException(index);
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("ReceiveAssembler{");
        for (int i = 0; i < count; i++)
        {
            sb.append(i == 0 ? "" : " ").append('[').append(starts[i]).append(',').append(ends[i]).append(')');
        }
        return sb.append('}').toString();
    }
}
