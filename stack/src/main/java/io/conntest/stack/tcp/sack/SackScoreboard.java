package io.conntest.stack.tcp.sack;

import io.conntest.stack.tcp.seq.SeqNum;

/**
 * The sender's record of which data above SND.UNA the receiver has selectively acknowledged (RFC 2018), and the
 * loss-recovery rules of RFC 6675 §4 built on it: {@link #isLost(int, int)}, {@link #pipe(int, int, int, int)}
 * and {@link #nextSeg(int, int, int, int, boolean)}.
 *
 * <p>Ranges are kept sorted, disjoint and non-adjacent in two {@code int} arrays of sequence numbers, bounded by
 * {@code maxRanges}. When a new range would exceed the bound, the highest range is forgotten: treating SACKed data
 * as not SACKed is safe (at worst a needless retransmission, and the receiver repeats its SACK blocks), while the
 * opposite would hide a hole until the RTO. Every operation is O(ranges) with no allocation.
 *
 * <p>Sequence numbers are compared as offsets from SND.UNA, so the scoreboard works across the 2^32 wrap. Blocks
 * longer than {@link #MAX_BLOCK} (the largest possible window) are rejected as invalid.
 */
public final class SackScoreboard
{
    /** RFC 6675 §2: DupThresh = 3. */
    public static final int DUP_THRESH = 3;
    /** The default bound on ranges. */
    public static final int DEFAULT_MAX_RANGES = 32;
    /** No block can cover more than the largest window, 2^30 bytes (RFC 7323 §2.3). */
    public static final int MAX_BLOCK = 1 << 30;
    /** {@link #nextSeg(int, int, int, int, boolean)} found nothing to send. */
    public static final long NO_SEGMENT = -1L;

    private final int[] starts;
    private final int[] ends;
    private int count;
    private int sndUna;
    private boolean hasUna;
    private long sackedBytes;
    private long overflows;
    private int nextSegLength;

    public SackScoreboard()
    {
        this(DEFAULT_MAX_RANGES);
    }

    public SackScoreboard(final int maxRanges)
    {
        if (maxRanges < 1)
        {
            throw new IllegalArgumentException("maxRanges " + maxRanges);
        }
        starts = new int[maxRanges];
        ends = new int[maxRanges];
    }

    /** Empties the scoreboard and sets SND.UNA (at connection start, e.g. ISS + 1). */
    public void reset(final int sndUna)
    {
        this.sndUna = sndUna;
        hasUna = true;
        clear();
    }

    /**
     * Forgets every SACKed range, keeping SND.UNA. RFC 6675 §5.1: after a retransmission timeout the SACK
     * information SHOULD NOT be used to skip data (RFC 2018 §8: the receiver may renege), so a sender clears it.
     */
    public void clear()
    {
        count = 0;
        sackedBytes = 0;
    }

    /**
     * The cumulative ACK advanced SND.UNA: ranges at or below it are dropped. An ACK older than the current
     * SND.UNA is ignored.
     */
    public void onAck(final int sndUna)
    {
        if (hasUna && SeqNum.lt(sndUna, this.sndUna))
        {
            return;
        }
        this.sndUna = sndUna;
        hasUna = true;
        int drop = 0;
        while (drop < count && SeqNum.le(ends[drop], sndUna))
        {
            sackedBytes -= SeqNum.sub(ends[drop], starts[drop]);
            drop++;
        }
        if (drop > 0)
        {
            System.arraycopy(starts, drop, starts, 0, count - drop);
            System.arraycopy(ends, drop, ends, 0, count - drop);
            count -= drop;
        }
        // RFC 2018 §8 allows a SACK to reach below a later cumulative ACK only for data now acknowledged anyway.
        if (count > 0 && SeqNum.lt(starts[0], sndUna))
        {
            sackedBytes -= SeqNum.sub(sndUna, starts[0]);
            starts[0] = sndUna;
        }
    }

    /**
     * Records one SACK block {@code [start, end)} (RFC 2018 §3: left edge, right edge one past the last byte).
     * Blocks that are empty, inverted, longer than {@link #MAX_BLOCK} or wholly at or below SND.UNA are ignored:
     * the last case includes D-SACK blocks reporting duplicates (RFC 2883 §4), as does a block inside an already
     * SACKed range. A block reaching below SND.UNA is trimmed to it. The caller drops blocks beyond SND.NXT (or
     * uses {@link #addSackBlock(int, int, int)}). Nothing is recorded before SND.UNA is known
     * ({@link #reset(int)} or {@link #onAck(int)}).
     *
     * @return the number of bytes newly marked SACKed, 0 if the block carried no new information (RFC 6675 §2
     *     counts an ACK with new SACK information as a duplicate ACK)
     */
    public int addSackBlock(final int start, final int end)
    {
        final int length = SeqNum.sub(end, start);
        if (!hasUna || length <= 0 || length > MAX_BLOCK || SeqNum.le(end, sndUna))
        {
            return 0;
        }
        final int s = Math.max(0, SeqNum.sub(start, sndUna));
        final int e = SeqNum.sub(end, sndUna);
        if (e <= 0)
        {
            return 0; // an end more than 2^31 beyond SND.UNA: nonsense
        }
        // First range that ends at or after s (overlapping or adjacent), first range that starts beyond e.
        int i = 0;
        while (i < count && SeqNum.sub(ends[i], sndUna) < s)
        {
            i++;
        }
        int j = i;
        while (j < count && SeqNum.sub(starts[j], sndUna) <= e)
        {
            j++;
        }
        if (i == j)
        {
            return insert(i, SeqNum.add(sndUna, s), end, e - s);
        }
        final int mergedStart = Math.min(s, SeqNum.sub(starts[i], sndUna));
        final int mergedEnd = Math.max(e, SeqNum.sub(ends[j - 1], sndUna));
        long covered = 0;
        for (int k = i; k < j; k++)
        {
            covered += SeqNum.sub(ends[k], starts[k]);
        }
        starts[i] = SeqNum.add(sndUna, mergedStart);
        ends[i] = SeqNum.add(sndUna, mergedEnd);
        final int removed = j - i - 1;
        if (removed > 0)
        {
            System.arraycopy(starts, j, starts, i + 1, count - j);
            System.arraycopy(ends, j, ends, i + 1, count - j);
            count -= removed;
        }
        final int added = (int) (mergedEnd - mergedStart - covered);
        sackedBytes += added;
        return added;
    }

    /** {@link #addSackBlock(int, int)} that also ignores a block reaching beyond SND.NXT (RFC 2018 §3: invalid). */
    public int addSackBlock(final int start, final int end, final int sndNxt)
    {
        if (SeqNum.gt(end, sndNxt))
        {
            return 0;
        }
        return addSackBlock(start, end);
    }

    private int insert(final int index, final int start, final int end, final int length)
    {
        if (count == starts.length)
        {
            overflows++;
            if (index == count)
            {
                return 0; // the new range would be the highest: it is the one to forget
            }
            count--;
            sackedBytes -= SeqNum.sub(ends[count], starts[count]);
        }
        System.arraycopy(starts, index, starts, index + 1, count - index);
        System.arraycopy(ends, index, ends, index + 1, count - index);
        starts[index] = start;
        ends[index] = end;
        count++;
        sackedBytes += length;
        return length;
    }

    /** Whether the byte {@code seq} has been SACKed (and is above SND.UNA). */
    public boolean isSacked(final int seq)
    {
        for (int i = 0; i < count; i++)
        {
            if (SeqNum.inRange(seq, starts[i], ends[i]))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 6675 §4 IsLost(SeqNum): true when DupThresh discontiguous SACKed ranges lie above {@code seq}, or more
     * than (DupThresh - 1) * SMSS SACKed bytes do. A SACKed byte is not lost.
     */
    public boolean isLost(final int seq, final int mss)
    {
        final int off = SeqNum.sub(seq, sndUna);
        if (off < 0)
        {
            return false; // cumulatively acknowledged
        }
        long bytesAbove = 0;
        int rangesAbove = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            final int startOff = SeqNum.sub(starts[i], sndUna);
            if (startOff <= off)
            {
                if (off < SeqNum.sub(ends[i], sndUna))
                {
                    return false; // SACKed
                }
                break;
            }
            rangesAbove++;
            bytesAbove += SeqNum.sub(ends[i], starts[i]);
        }
        return lostBy(rangesAbove, bytesAbove, mss);
    }

    private static boolean lostBy(final int rangesAbove, final long bytesAbove, final int mss)
    {
        return rangesAbove >= DUP_THRESH || bytesAbove > (long) (DUP_THRESH - 1) * mss;
    }

    /**
     * RFC 6675 §4 SetPipe(): the bytes in flight. For every unSACKed byte S1 in [SND.UNA, SND.NXT): one if
     * IsLost(S1) is false (the original may still be in the network), plus one if S1 is below {@code highRxt}
     * (its retransmission may be). Computed per hole, since IsLost is the same for every byte of one hole.
     *
     * @param highRxt one past the highest byte retransmitted in this recovery (SND.UNA if none): RFC 6675
     *                HighRxt + 1
     */
    public int pipe(final int sndUna, final int sndNxt, final int highRxt, final int mss)
    {
        onAck(sndUna);
        final int nxt = off(sndNxt);
        if (nxt <= 0)
        {
            return 0;
        }
        final int rxt = clamp(off(highRxt), 0, nxt);
        long pipe = 0;
        int rangesAbove = 0;
        long bytesAbove = 0;
        // Hole i lies below range i (hole 'count' is the unSACKed tail up to SND.NXT); walking down, the ranges
        // above each hole accumulate, and IsLost() is the same for every byte of the hole.
        for (int i = count; i >= 0; i--)
        {
            if (i < count)
            {
                final int rangeStart = off(starts[i]);
                if (rangeStart < nxt)
                {
                    rangesAbove++;
                    bytesAbove += Math.min(off(ends[i]), nxt) - rangeStart;
                }
            }
            final int holeStart = i == 0 ? 0 : off(ends[i - 1]);
            final int holeEnd = Math.min(nxt, i == count ? nxt : off(starts[i]));
            if (holeEnd > holeStart)
            {
                if (!lostBy(rangesAbove, bytesAbove, mss))
                {
                    pipe += holeEnd - holeStart; // (a) IsLost(S1) is false
                }
                pipe += Math.max(0, Math.min(holeEnd, rxt) - holeStart); // (b) S1 <= HighRxt
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, pipe);
    }

    /**
     * RFC 6675 §4 NextSeg(), rules (1) to (3): the sequence number of the next segment to send during recovery,
     * with its length in {@link #nextSegLength()}.
     * <ol>
     *   <li>the first unSACKed byte at or above {@code highRxt} and below the highest SACKed byte that IsLost()
     *       says is lost: a retransmission of up to one MSS, not crossing into SACKed data;</li>
     *   <li>otherwise, if {@code canSendNew} (unsent data and the peer's window allow), {@code sndNxt}: new data,
     *       length one MSS (the caller limits it by what it has);</li>
     *   <li>otherwise the same first unSACKed byte as in (1) even if not yet deemed lost.</li>
     * </ol>
     * Rule (4), one extra retransmission per recovery, is left to the caller.
     *
     * @param highRxt one past the highest byte retransmitted in this recovery (SND.UNA if none)
     * @return the sequence number as an unsigned value, or {@link #NO_SEGMENT}
     */
    public long nextSeg(final int sndUna, final int sndNxt, final int highRxt, final int mss,
        final boolean canSendNew)
    {
        onAck(sndUna);
        nextSegLength = 0;
        final int nxt = Math.max(0, off(sndNxt));
        // The candidate S2 (rules 1.a and 1.b): the first unSACKed byte at or above HighRxt + 1 and below the
        // highest SACKed byte. IsLost() only weakens going up, so the first candidate is the only one to test.
        int candidate = clamp(off(highRxt), 0, nxt);
        int candidateEnd = -1;
        int rangesAbove = 0;
        long bytesAbove = 0;
        for (int i = 0; i < count; i++)
        {
            final int rangeStart = off(starts[i]);
            final int rangeEnd = off(ends[i]);
            if (candidateEnd < 0)
            {
                if (rangeEnd <= candidate)
                {
                    continue;
                }
                if (rangeStart <= candidate)
                {
                    candidate = rangeEnd; // SACKed: the next unSACKed byte is past this range
                    continue;
                }
                candidateEnd = Math.min(rangeStart, nxt);
            }
            rangesAbove++;
            bytesAbove += rangeEnd - rangeStart;
        }
        final boolean haveCandidate = candidateEnd > candidate;
        if (haveCandidate && lostBy(rangesAbove, bytesAbove, mss))
        {
            return segment(candidate, candidateEnd, mss); // rule (1)
        }
        if (canSendNew)
        {
            nextSegLength = mss; // rule (2)
            return SeqNum.toUnsigned(sndNxt);
        }
        if (haveCandidate)
        {
            return segment(candidate, candidateEnd, mss); // rule (3)
        }
        return NO_SEGMENT;
    }

    private long segment(final int from, final int holeEnd, final int mss)
    {
        nextSegLength = Math.min(mss, holeEnd - from);
        return SeqNum.toUnsigned(SeqNum.add(sndUna, from));
    }

    /** The length chosen by the last {@link #nextSeg(int, int, int, int, boolean)} (0 when it found nothing). */
    public int nextSegLength()
    {
        return nextSegLength;
    }

    /** Total SACKed bytes above SND.UNA. */
    public int sackedBytes()
    {
        return (int) sackedBytes;
    }

    /** Whether anything above SND.UNA has been SACKed. */
    public boolean isEmpty()
    {
        return count == 0;
    }

    /** One past the highest SACKed byte, or SND.UNA when nothing is SACKed. */
    public int highestSacked()
    {
        return count == 0 ? sndUna : ends[count - 1];
    }

    /** The SND.UNA the scoreboard is relative to. */
    public int sndUna()
    {
        return sndUna;
    }

    public int rangeCount()
    {
        return count;
    }

    public int rangeStart(final int index)
    {
        checkIndex(index);
        return starts[index];
    }

    public int rangeEnd(final int index)
    {
        checkIndex(index);
        return ends[index];
    }

    /** How many ranges were forgotten because the bound was reached. */
    public long overflows()
    {
        return overflows;
    }

    private void checkIndex(final int index)
    {
        if (index < 0 || index >= count)
        {
            throw new IndexOutOfBoundsException(index);
        }
    }

    private int off(final int seq)
    {
        return SeqNum.sub(seq, sndUna);
    }

    private static int clamp(final int value, final int low, final int high)
    {
        return Math.max(low, Math.min(high, value));
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("SackScoreboard{una=").append(SeqNum.toUnsigned(sndUna));
        for (int i = 0; i < count; i++)
        {
            sb.append(i == 0 ? ", " : " ").append('[').append(SeqNum.toUnsigned(starts[i])).append(',')
                .append(SeqNum.toUnsigned(ends[i])).append(')');
        }
        return sb.append('}').toString();
    }
}
