package io.conntest.core.iperf3;

import org.agrona.DirectBuffer;

/**
 * Collects the next {@code n} bytes of a control connection from chunks of any size: a state byte, a 4-byte
 * length, or a JSON text of at most {@link Iperf3Protocol#MAX_JSON} bytes. Bounded: the buffer is the largest
 * message, allocated once.
 */
final class ControlReader
{
    private final byte[] buffer = new byte[Iperf3Protocol.MAX_JSON];
    private int need;
    private int have;

    /** Waits for {@code n} bytes (1..{@link Iperf3Protocol#MAX_JSON}). */
    void expect(final int n)
    {
        if (n < 1 || n > buffer.length)
        {
            throw new IllegalArgumentException("cannot wait for " + n + " bytes");
        }
        need = n;
        have = 0;
    }

    /** Takes bytes from a chunk; returns how many it took (it stops when the expected bytes are complete). */
    int take(final DirectBuffer src, final int offset, final int length)
    {
        final int n = Math.min(length, need - have);
        if (n > 0)
        {
            src.getBytes(offset, buffer, have, n);
            have += n;
        }
        return Math.max(n, 0);
    }

    boolean complete()
    {
        return need > 0 && have == need;
    }

    /** Whether nothing was expected or a message was begun and not finished. */
    boolean midMessage()
    {
        return have > 0 && have < need;
    }

    /** The complete message's first byte, signed (a state). */
    byte stateByte()
    {
        return buffer[0];
    }

    /** The complete message as a big-endian 32-bit length (unsigned, as iperf3's {@code ntohl}). */
    long length()
    {
        return ((buffer[0] & 0xFFL) << 24) | ((buffer[1] & 0xFFL) << 16) | ((buffer[2] & 0xFFL) << 8)
            | (buffer[3] & 0xFFL);
    }

    /** The complete message as text (JSON is UTF-8). */
    String text()
    {
        return new String(buffer, 0, have, java.nio.charset.StandardCharsets.UTF_8);
    }
}
