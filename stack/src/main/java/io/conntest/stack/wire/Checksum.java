package io.conntest.stack.wire;

import org.agrona.DirectBuffer;

import static org.agrona.UnsafeAccess.UNSAFE;

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
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Checksum()
    {
    }

    /**
     * Adds the bytes {@code [offset, offset + length)} to a running sum, as big-endian 16-bit words; an odd last
     * byte is padded with zero (RFC 1071 §4.1). The sum must be folded with {@link #finish(long)}.
     * A run with an odd length may only be the last one added.
     *
     * <p>How: eight bytes per load in the machine's byte order (agrona's native-order accessors), with no byte swap,
     * added as two 32-bit halves into 64-bit accumulators (four of them, so consecutive adds do not wait for
     * each other; 2^32 halves fit before one could overflow, far beyond any IP datagram). On a little-endian machine
     * that sums byte-swapped 16-bit words, which RFC 1071 §2 (B) allows: one's complement addition commutes with
     * swapping bytes, so the run's sum is folded to 16 bits and swapped back once at the end.
     *
     * @throws IndexOutOfBoundsException when the range is not inside {@code buffer} (a caller's broken invariant).
     */
    public static long add(final long sum, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return sum;
        }
        // One bounds check for the whole run, then raw loads (agrona's accessors would check each one again).
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        long at = buffer.addressOffset() + offset;
        final long end = at + length;
        long acc0 = 0;
        long acc1 = 0;
        long acc2 = 0;
        long acc3 = 0;
        while (end - at >= 32)
        {
            final long w0 = UNSAFE.getLong(array, at);
            final long w1 = UNSAFE.getLong(array, at + 8);
            final long w2 = UNSAFE.getLong(array, at + 16);
            final long w3 = UNSAFE.getLong(array, at + 24);
            acc0 += (w0 >>> 32) + (w0 & 0xFFFF_FFFFL);
            acc1 += (w1 >>> 32) + (w1 & 0xFFFF_FFFFL);
            acc2 += (w2 >>> 32) + (w2 & 0xFFFF_FFFFL);
            acc3 += (w3 >>> 32) + (w3 & 0xFFFF_FFFFL);
            at += 32;
        }
        while (end - at >= 8)
        {
            final long w = UNSAFE.getLong(array, at);
            acc0 += (w >>> 32) + (w & 0xFFFF_FFFFL);
            at += 8;
        }
        if (end - at >= 4)
        {
            acc1 += UNSAFE.getInt(array, at) & 0xFFFF_FFFFL;
            at += 4;
        }
        if (end - at >= 2)
        {
            acc2 += UNSAFE.getShort(array, at) & 0xFFFF;
            at += 2;
        }
        final boolean little = NATIVE_LITTLE_ENDIAN;
        if (at < end)
        {
            // The odd last byte is the high half of a big-endian word padded with zero (RFC 1071 §4.1): the low
            // half of a byte-swapped one.
            final int last = UNSAFE.getByte(array, at) & 0xFF;
            acc3 += little ? last : last << 8;
        }
        acc0 += acc2;
        acc1 += acc3;
        final int folded = fold16(acc0 + acc1);
        return sum + (little ? ((folded & 0xFF) << 8) | (folded >>> 8) : folded);
    }

    /** {@code s} folded to 16 bits with end-around carries; 0 only when {@code s} is 0. */
    private static int fold16(final long s)
    {
        long r = (s & 0xFFFF_FFFFL) + (s >>> 32);
        r = (r & 0xFFFF) + (r >>> 16);
        r = (r & 0xFFFF) + (r >>> 16);
        return (int)((r & 0xFFFF) + (r >>> 16));
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

    /**
     * Adds the IPv6 pseudo-header (RFC 8200 §8.1): source and destination (two longs each), the upper-layer packet
     * length as 32 bits, three zero octets and the next header. ICMPv6 (RFC 4443 §2.3), UDP and TCP over IPv6 cover it.
     */
    public static long addIpv6PseudoHeader(final long sum, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo, final int length, final int nextHeader)
    {
        return sum + words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo)
            + (length >>> 16) + (length & 0xFFFF) + (nextHeader & 0xFF);
    }

    /**
     * The address part of the IPv4 pseudo-header (RFC 9293 §3.1): what {@link #addPseudoHeader} adds for the
     * addresses, so a transport can keep one sum per family and add protocol and length itself.
     */
    public static long ipv4AddressSum(final int srcAddr, final int dstAddr)
    {
        return (srcAddr >>> 16) + (srcAddr & 0xFFFF) + (dstAddr >>> 16) + (dstAddr & 0xFFFF);
    }

    /**
     * The address part of the IPv6 pseudo-header (RFC 8200 §8.1). With it, the rest of the pseudo-header (the
     * upper-layer length, below 65,536 without jumbograms, and the next header) sums exactly as IPv4's protocol and
     * length do, so one code path checksums both families.
     */
    public static long ipv6AddressSum(final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        return words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo);
    }

    /** The four 16-bit words of a long, summed (each below 2^16, so four fit an int-sized total). */
    private static long words(final long v)
    {
        return (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
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
