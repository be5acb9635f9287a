package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Deterministic message sizes and contents by message index, so the receiver can check order and every byte. */
final class Pattern
{
    private Pattern()
    {
    }

    static long mix(final long k)
    {
        long z = k * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E5FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Mostly MTU-sized and smaller, some larger, a few up to the maximum. */
    static int length(final long index, final int maxLength)
    {
        final long h = mix(index) >>> 1;
        final int bucket = (int)(h % 100);
        final long r = h / 100;
        final int len;
        if (bucket < 70)
        {
            len = (int)(r % 1401);
        }
        else if (bucket < 95)
        {
            len = 1400 + (int)(r % 8000);
        }
        else
        {
            len = (int)(r % (ReliableUdpChannel.maxMessageLength() + 1));
        }
        return Math.min(len, maxLength);
    }

    static byte at(final long index, final int i)
    {
        return (byte)(index * 31 + i * 7 + (i >>> 8));
    }

    static void fill(final MutableDirectBuffer buf, final long index, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buf.putByte(i, at(index, i));
        }
    }

    /** @return -1 when matching, else the first differing byte index (or -2 for a wrong length). */
    static int check(final DirectBuffer buf, final int offset, final int length, final long index, final int maxLength)
    {
        if (length != length(index, maxLength))
        {
            return -2;
        }
        for (int i = 0; i < length; i++)
        {
            if (buf.getByte(offset + i) != at(index, i))
            {
                return i;
            }
        }
        return -1;
    }
}
