package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The DATA payload pattern: byte {@code k} of a test's payload stream (counting across packets) is
 * {@code (k + seed) mod 251}. 251 is prime, so a shifted, dropped or duplicated block never lines up by chance
 * with the expected bytes. One pre-filled buffer serves every offset: the bytes for stream offset {@code k}
 * start at {@link #offsetFor(long, int)} in {@link #buffer()}.
 */
public final class VerificationPattern
{
    public static final int PERIOD = 251;
    /** Longest slice {@link #buffer()} serves from one offset. */
    public static final int MAX_CHUNK = 64 * 1024;

    private final UnsafeBuffer buffer;

    public VerificationPattern()
    {
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_CHUNK + 2 * PERIOD, 64));
        for (int i = 0; i < buffer.capacity(); i++)
        {
            buffer.putByte(i, (byte)(i % PERIOD));
        }
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Offset in {@link #buffer()} where the pattern for stream offset {@code k} of a test with {@code seed} begins. */
    public static int offsetFor(final long k, final int seed)
    {
        return (int)((k + (seed & 0x7FFF_FFFF)) % PERIOD);
    }

    /**
     * Counts bytes of {@code src} that differ from the pattern at stream offset {@code k}.
     * Compares eight bytes at a time and only looks closer at words that differ.
     */
    public long countErrors(final DirectBuffer src, final int offset, final int length, final long k, final int seed)
    {
        long errors = 0;
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(length - done, MAX_CHUNK);
            final int patternOffset = offsetFor(k + done, seed);
            int i = 0;
            for (; i + 8 <= chunk; i += 8)
            {
                final long a = src.getLong(offset + done + i, ByteOrder.LITTLE_ENDIAN);
                final long b = buffer.getLong(patternOffset + i, ByteOrder.LITTLE_ENDIAN);
                if (a != b)
                {
                    final long diff = a ^ b;
                    for (int j = 0; j < 8; j++)
                    {
                        if (((diff >>> (j * 8)) & 0xFF) != 0)
                        {
                            errors++;
                        }
                    }
                }
            }
            for (; i < chunk; i++)
            {
                if (src.getByte(offset + done + i) != buffer.getByte(patternOffset + i))
                {
                    errors++;
                }
            }
            done += chunk;
        }
        return errors;
    }
}
