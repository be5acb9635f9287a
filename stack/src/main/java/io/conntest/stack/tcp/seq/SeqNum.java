package io.conntest.stack.tcp.seq;

/**
 * Wrap-safe arithmetic on 32-bit TCP sequence numbers held in an {@code int}.
 *
 * <p>Sequence space is a circle of 2^32 numbers (RFC 9293 §3.4): "all arithmetic dealing with sequence numbers
 * must be performed modulo 2**32" and comparisons must tolerate the wrap. As in RFC 1982 serial-number
 * arithmetic with SERIAL_BITS = 32, {@code a} is before {@code b} when the signed 32-bit difference
 * {@code a - b} is negative, which is exact as long as the two numbers are less than 2^31 apart; TCP's
 * windows (at most 2^30 with RFC 7323 window scaling) keep them so. The order of two numbers exactly 2^31
 * apart is undefined in RFC 1982 §3.2; here each is "before" the other ({@link #sub(int, int)} is
 * {@link Integer#MIN_VALUE} both ways), so callers must never rely on such a comparison.
 */
public final class SeqNum
{
    private SeqNum()
    {
    }

    /** {@code a} comes strictly before {@code b} (RFC 9293 §3.4 "=<" family, modulo 2^32). */
    public static boolean lt(final int a, final int b)
    {
        return a - b < 0;
    }

    /** {@code a} comes before or is {@code b}. */
    public static boolean le(final int a, final int b)
    {
        return a - b <= 0;
    }

    /** {@code a} comes strictly after {@code b}. */
    public static boolean gt(final int a, final int b)
    {
        return a - b > 0;
    }

    /** {@code a} comes after or is {@code b}. */
    public static boolean ge(final int a, final int b)
    {
        return a - b >= 0;
    }

    /** {@code a + n} modulo 2^32; {@code n} may be negative. */
    public static int add(final int a, final int n)
    {
        return a + n;
    }

    /**
     * The signed distance {@code a - b}: positive when {@code a} is after {@code b}. The number of bytes from
     * {@code b} up to {@code a} when {@code a} is not before {@code b}.
     */
    public static int sub(final int a, final int b)
    {
        return a - b;
    }

    /** The later of the two sequence numbers. */
    public static int max(final int a, final int b)
    {
        return a - b >= 0 ? a : b;
    }

    /** The earlier of the two sequence numbers. */
    public static int min(final int a, final int b)
    {
        return a - b <= 0 ? a : b;
    }

    /**
     * {@code start =< seq < endExclusive} on the circle (RFC 9293 §3.4, e.g. the receive window test
     * "RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND"). Computed as an unsigned offset from {@code start}, so it is exact
     * for any range shorter than 2^32; an empty range ({@code start == endExclusive}) contains nothing.
     */
    public static boolean inRange(final int seq, final int start, final int endExclusive)
    {
        return Integer.compareUnsigned(seq - start, endExclusive - start) < 0;
    }

    /** {@code start =< seq =< endInclusive} on the circle, e.g. RFC 9293 §3.10.7.4 "SND.UNA =< SEG.ACK =< SND.NXT". */
    public static boolean inRangeInclusive(final int seq, final int start, final int endInclusive)
    {
        return Integer.compareUnsigned(seq - start, endInclusive - start) <= 0;
    }

    /** The sequence number as the unsigned value a person or a capture tool shows. */
    public static long toUnsigned(final int seq)
    {
        return seq & 0xFFFF_FFFFL;
    }
}
