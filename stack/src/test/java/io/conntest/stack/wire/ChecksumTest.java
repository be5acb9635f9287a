package io.conntest.stack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumTest
{
    /** The worked example of RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, checksum 220d. */
    @Test
    void rfc1071_3_numericalExample()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[] {0x00, 0x01, (byte)0xf2, 0x03, (byte)0xf4, (byte)0xf5, (byte)0xf6, (byte)0xf7});
        assertEquals(0x220d, Checksum.compute(b, 0, 8));
    }

    /** A real IPv4 header (from a capture): its checksum field 0xb861 verifies, and recomputing it gives the same. */
    @Test
    void rfc791_realIpv4HeaderVerifies()
    {
        final byte[] header = hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        final UnsafeBuffer b = new UnsafeBuffer(header);
        assertTrue(Checksum.verifies(Checksum.add(0, b, 0, 20)));
        b.putShort(10, (short)0);
        assertEquals(0xb861, Checksum.compute(b, 0, 20));
    }

    /** RFC 1071 §4.1: an odd trailing byte is padded with a zero byte. */
    @Test
    void rfc1071_4_1_oddLengthPadsWithZero()
    {
        final UnsafeBuffer odd = new UnsafeBuffer(new byte[] {0x12, 0x34, 0x56});
        final UnsafeBuffer padded = new UnsafeBuffer(new byte[] {0x12, 0x34, 0x56, 0x00});
        assertEquals(Checksum.compute(padded, 0, 4), Checksum.compute(odd, 0, 3));
    }

    /** The eight-bytes-at-a-time path agrees with a plain 16-bit reference for every length and alignment. */
    @Test
    void wideSumMatchesReferenceForEveryLengthAndOffset()
    {
        final byte[] bytes = new byte[600];
        new SplittableRandom(7).nextBytes(bytes);
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        for (int offset = 0; offset < 8; offset++)
        {
            for (int length = 0; length < 590; length++)
            {
                assertEquals(reference(bytes, offset, length), Checksum.compute(b, offset, length),
                    "offset " + offset + " length " + length);
            }
        }
    }

    /** RFC 1624 eqn. 3: an incremental update equals a full recomputation (TTL decrement, e.g.). */
    @Test
    void rfc1624_incrementalUpdateEqualsRecompute()
    {
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++)
        {
            final byte[] bytes = new byte[20];
            random.nextBytes(bytes);
            final UnsafeBuffer b = new UnsafeBuffer(bytes);
            b.putShort(10, (short)0);
            final int before = Checksum.compute(b, 0, 20);
            final int oldWord = b.getShort(8, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int newWord = random.nextInt(0x10000);
            b.putShort(8, (short)newWord, java.nio.ByteOrder.BIG_ENDIAN);
            final int after = Checksum.compute(b, 0, 20);
            // RFC 1624 §3: both 0x0000 and 0xFFFF represent zero in one's complement.
            final int updated = Checksum.update(before, oldWord, newWord);
            assertTrue(updated == after || (updated ^ after) == 0xFFFF && (after == 0 || after == 0xFFFF),
                "update " + Integer.toHexString(updated) + " vs " + Integer.toHexString(after));
        }
    }

    private static int reference(final byte[] bytes, final int offset, final int length)
    {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2)
        {
            sum += ((bytes[offset + i] & 0xFF) << 8) | (bytes[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0)
        {
            sum += (bytes[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    private static byte[] hex(final String s)
    {
        final String clean = s.replace(" ", "");
        final byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = (byte)Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
