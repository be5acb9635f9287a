package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** LATENCY_PONG body: {@code echoed timestamp ns u64, echoed sequence u64} copied from the frame answered. */
public final class LatencyPongBody
{
    public static final int ECHO_TIMESTAMP_OFFSET = 0;
    public static final int ECHO_SEQUENCE_OFFSET = 8;
    public static final int LENGTH = 16;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = length == LENGTH ? buffer : null;
        this.offset = offset;
        return length == LENGTH;
    }

    public long echoTimestampNs()
    {
        return buffer.getLong(offset + ECHO_TIMESTAMP_OFFSET, BE);
    }

    public long echoSequence()
    {
        return buffer.getLong(offset + ECHO_SEQUENCE_OFFSET, BE);
    }

    public static int write(
        final MutableDirectBuffer buffer, final int offset, final long echoTimestampNs, final long echoSequence)
    {
        buffer.putLong(offset + ECHO_TIMESTAMP_OFFSET, echoTimestampNs, BE);
        buffer.putLong(offset + ECHO_SEQUENCE_OFFSET, echoSequence, BE);
        return LENGTH;
    }
}
