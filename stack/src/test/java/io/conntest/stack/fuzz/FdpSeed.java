package io.conntest.stack.fuzz;

import java.io.ByteArrayOutputStream;

/**
 * Writes the bytes that make a {@code FuzzedDataProvider} return chosen values, for hand-made seed inputs. It
 * mirrors libFuzzer's layout, which Jazzer keeps: byte arrays ({@code consumeBytes}, {@code consumeRemainingAsBytes})
 * are taken from the front of the input in order, integers from the back, most significant byte first, as
 * {@code min + raw % (max - min + 1)} over just enough bytes to cover the range. {@code FdpSeedTest} checks this
 * against Jazzer's own provider.
 */
final class FdpSeed
{
    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    /** Back bytes in the order they are consumed (the last byte of the input first). */
    private final ByteArrayOutputStream back = new ByteArrayOutputStream();

    /** The value {@code consumeInt(min, max)} (or {@code consumeLong}) is to return. */
    FdpSeed intInRange(final long min, final long max, final long value)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(value + " not in [" + min + ", " + max + "]");
        }
        final long range = max - min;
        final long raw = value - min;
        int bytes = 0;
        while (bytes < 8 && (range >>> (8 * bytes)) != 0)
        {
            bytes++;
        }
        for (int i = bytes - 1; i >= 0; i--)
        {
            back.write((int)(raw >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** The value {@code consumeInt()} is to return (its four bytes as they are, no offset from a minimum). */
    FdpSeed anyInt(final int value)
    {
        for (int i = 3; i >= 0; i--)
        {
            back.write((value >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** The value {@code consumeBoolean()} is to return. */
    FdpSeed bool(final boolean value)
    {
        back.write(value ? 1 : 0);
        return this;
    }

    /** What {@code consumeBytes(n)} with {@code n >= bytes.length} or {@code consumeRemainingAsBytes()} returns. */
    FdpSeed bytes(final byte[] bytes)
    {
        front.write(bytes, 0, bytes.length);
        return this;
    }

    byte[] toBytes()
    {
        final byte[] f = front.toByteArray();
        final byte[] b = back.toByteArray();
        final byte[] out = new byte[f.length + b.length];
        System.arraycopy(f, 0, out, 0, f.length);
        for (int i = 0; i < b.length; i++)
        {
            out[out.length - 1 - i] = b[i];
        }
        return out;
    }
}
