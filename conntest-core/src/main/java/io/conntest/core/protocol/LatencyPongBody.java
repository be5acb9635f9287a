package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * LATENCY_PONG body: {@code echoed timestamp ns u64, echoed sequence u64} copied from the frame answered, optionally
 * followed by {@code sender's lost messages u64}: over UDP, the messages the pong's sender has declared lost on this
 * connection so far (its outgoing direction), so each end also learns the loss of the direction towards it. A
 * 16-byte body (no count) is accepted.
 */
public final class LatencyPongBody
{
    public static final int ECHO_TIMESTAMP_OFFSET = 0;
    public static final int ECHO_SEQUENCE_OFFSET = 8;
    public static final int LENGTH = 16;
    public static final int SENDER_LOST_OFFSET = 16;
    /** With the sender's lost-message count. */
    public static final int LENGTH_WITH_LOSS = 24;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean valid = length == LENGTH || length == LENGTH_WITH_LOSS;
        this.buffer = valid ? buffer : null;
        this.offset = offset;
        this.length = length;
        return valid;
    }

    /** The messages the pong's sender declared lost on its way out, or -1 when the pong does not say. */
    public long senderLost()
    {
        if (length != LENGTH_WITH_LOSS)
        {
            return -1;
        }
        final long lost = buffer.getLong(offset + SENDER_LOST_OFFSET, BE);
        return lost < 0 ? -1 : lost;
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

    /** Writes the body with the sender's lost-message count ({@code -1}: unknown, e.g. over TCP). */
    public static int write(final MutableDirectBuffer buffer, final int offset, final long echoTimestampNs,
        final long echoSequence, final long senderLost)
    {
        write(buffer, offset, echoTimestampNs, echoSequence);
        buffer.putLong(offset + SENDER_LOST_OFFSET, senderLost, BE);
        return LENGTH_WITH_LOSS;
    }
}
