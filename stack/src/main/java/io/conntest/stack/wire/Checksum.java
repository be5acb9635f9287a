package io.conntest.stack.wire;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum, used by IPv4,
 * ICMP, UDP and TCP; the pseudo-header sum of RFC 768 / RFC 9293 §3.1; and the incremental update of
 * RFC 1624 for a field rewritten in place.
 *
 * <p>Sums are carried as {@code long} accumulators and folded once at the end (RFC 1071 §2 (C), "deferred
 * carries"), which is what makes eight bytes per step possible.
 */
public final class Checksum
{
    private Checksum()
    {
    }

    /**
     * Adds the bytes {@code [offset, offset + length)} to a running sum, as big-endian 16-bit words; an odd last
     * byte is padded with zero (RFC 1071 §4.1). The sum must be folded with {@link #finish(long)}.
     * A run with an odd length may only be the last one added.
     */
    public static long add(final long sum, final DirectBuffer buffer, final int offset, final int length)
    {
        long acc = sum;
        int i = offset;
        final int end = offset + length;
        // Eight bytes at a time as two big-endian 32-bit halves; one's complement addition is order independent
        // so adding 32-bit words and folding later gives the same result as 16-bit words.
        while (end - i >= 8)
        {
            final long word = buffer.getLong(i, ByteOrder.BIG_ENDIAN);
            acc += (word >>> 32) + (word & 0xFFFF_FFFFL);
            i += 8;
        }
        while (end - i >= 2)
        {
            acc += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (i < end)
        {
            acc += (buffer.getByte(i) & 0xFF) << 8;
        }
        return acc;
    }

    /** Adds the IPv4 pseudo-header (RFC 768, RFC 9293 §3.1) for a transport segment of {@code length} bytes. */
    public static long addPseudoHeader(
        final long sum, final int srcAddr, final int dstAddr, final int protocol, final int length)
    {
        return sum
            + (srcAddr >>> 16) + (srcAddr & 0xFFFF)
            + (dstAddr >>> 16) + (dstAddr & 0xFFFF)
            + (protocol & 0xFF)
            + (length & 0xFFFF);
    }

    /** Folds a running sum to 16 bits and complements it: the value to put in a checksum field. */
    public static int finish(final long sum)
    {
        long s = sum;
        while ((s >>> 16) != 0)
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)(~s & 0xFFFF);
    }

    /** The checksum of {@code [offset, offset + length)} alone, e.g. an IPv4 header or an ICMP message. */
    public static int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        return finish(add(0, buffer, offset, length));
    }

    /**
     * Whether a region that contains its own checksum field verifies: the folded sum over it must be 0xFFFF,
     * i.e. {@link #finish(long)} of it is 0 (RFC 1071 §1 (3)).
     */
    public static boolean verifies(final long sumIncludingChecksumField)
    {
        return finish(sumIncludingChecksumField) == 0;
    }

    /**
     * RFC 1624 eqn. 3: the new checksum {@code HC' = ~(~HC + ~m + m')} after a 16-bit field changes from
     * {@code oldWord} to {@code newWord}, without summing the data again.
     */
    public static int update(final int oldChecksum, final int oldWord, final int newWord)
    {
        final long sum = (~oldChecksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return finish(sum);
    }
}
