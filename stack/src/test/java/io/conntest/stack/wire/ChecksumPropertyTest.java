package io.conntest.stack.wire;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The word-at-a-time checksum ({@link Checksum#add}: native-order 8-byte loads, swapped back at the end) against the
 * implementation it replaced (big-endian 8-byte loads, kept here verbatim as the oracle) and against the plain
 * RFC 1071 §4.1 loop over 16-bit words: the same checksum for every length, offset, starting sum, chained run and
 * kind of buffer (heap, direct, 64-byte aligned), on seeded random data and on the edge values (all zero, all
 * 0xFF, the one's complement zero).
 */
class ChecksumPropertyTest
{
    /** The implementation before the 8-byte native-order rewrite (issue 9), unchanged. */
    static long previousAdd(final long sum, final DirectBuffer buffer, final int offset, final int length)
    {
        long acc = sum;
        int i = offset;
        final int end = offset + length;
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

    /** RFC 1071 §4.1, a byte pair at a time. */
    static long wordLoopAdd(final long sum, final DirectBuffer buffer, final int offset, final int length)
    {
        long acc = sum;
        for (int i = 0; i < length; i += 2)
        {
            final int hi = buffer.getByte(offset + i) & 0xFF;
            final int lo = i + 1 < length ? buffer.getByte(offset + i + 1) & 0xFF : 0;
            acc += (hi << 8) | lo;
        }
        return acc;
    }

    private static UnsafeBuffer[] buffers(final byte[] bytes)
    {
        final UnsafeBuffer heap = new UnsafeBuffer(bytes.clone());
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        direct.putBytes(0, bytes);
        final UnsafeBuffer aligned = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes.length + 64, 64));
        aligned.putBytes(0, bytes);
        // A view that starts at an odd address inside a larger array.
        final byte[] shifted = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, shifted, 1, bytes.length);
        final UnsafeBuffer view = new UnsafeBuffer(shifted, 1, bytes.length);
        return new UnsafeBuffer[] {heap, direct, aligned, view};
    }

    @Test
    void sameChecksumAsThePreviousImplementationForRandomRuns()
    {
        final SplittableRandom random = new SplittableRandom(20261205L);
        final byte[] bytes = new byte[70_000];
        random.nextBytes(bytes);
        for (final UnsafeBuffer b : buffers(bytes))
        {
            for (int n = 0; n < 3_000; n++)
            {
                final int length = n < 200 ? n : random.nextInt(n % 10 == 0 ? 65_536 : 2_000);
                final int offset = random.nextInt(bytes.length - length + 1);
                final long start = n % 3 == 0 ? 0 : random.nextLong(1L << 40);
                final long expected = previousAdd(start, b, offset, length);
                final long actual = Checksum.add(start, b, offset, length);
                assertEquals(Checksum.finish(expected), Checksum.finish(actual),
                    () -> "length " + length + " offset " + offset + " start " + start);
                assertEquals(Checksum.finish(wordLoopAdd(start, b, offset, length)), Checksum.finish(actual));
            }
        }
    }

    @Test
    void chainedRunsOfEvenLengthThenAnOddLastOneMatch()
    {
        final SplittableRandom random = new SplittableRandom(7L);
        final byte[] bytes = new byte[4_096];
        random.nextBytes(bytes);
        for (final UnsafeBuffer b : buffers(bytes))
        {
            for (int n = 0; n < 2_000; n++)
            {
                long expected = Checksum.addPseudoHeader(0, random.nextInt(), random.nextInt(), 6, 1_000);
                long actual = expected;
                int at = random.nextInt(64);
                final int runs = 1 + random.nextInt(5);
                for (int r = 0; r < runs; r++)
                {
                    final boolean last = r == runs - 1;
                    int length = random.nextInt(600);
                    if (!last)
                    {
                        length &= ~1;
                    }
                    expected = previousAdd(expected, b, at, length);
                    actual = Checksum.add(actual, b, at, length);
                    at += length;
                }
                assertEquals(Checksum.finish(expected), Checksum.finish(actual));
            }
        }
    }

    @Test
    void edgeValues()
    {
        for (final int fill : new int[] {0x00, 0xFF, 0x80, 0x01})
        {
            final byte[] bytes = new byte[1_500];
            java.util.Arrays.fill(bytes, (byte)fill);
            for (final UnsafeBuffer b : buffers(bytes))
            {
                for (int length = 0; length <= 130; length++)
                {
                    for (final long start : new long[] {0, 0xFFFF, 0xFFFF_FFFFL, 1})
                    {
                        assertEquals(Checksum.finish(previousAdd(start, b, 3, length)),
                            Checksum.finish(Checksum.add(start, b, 3, length)), "fill " + fill + " length " + length);
                    }
                }
                assertEquals(Checksum.finish(previousAdd(0, b, 0, 1_500)), Checksum.compute(b, 0, 1_500));
            }
        }
    }

    @Test
    void aRangeOutsideTheBufferIsABrokenInvariant()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        assertThrows(IndexOutOfBoundsException.class, () -> Checksum.add(0, b, 60, 8));
        assertEquals(5, Checksum.add(5, b, 70, 0), "an empty run adds nothing wherever it is");
    }
}
