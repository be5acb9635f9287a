package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * BANDWIDTH_REQUEST body: {@code direction u8, flags u8, reserved u16, packet size u32, total bytes u64,
 * duration ns u64[, rate bit/s u64]}. Direction {@link #UP}: the requester sends; {@link #DOWN}: the responder
 * sends; {@link #DUPLEX}: both send at once, each its own limits. The test ends at whichever of total bytes or
 * duration comes first (0 = no limit, but not both 0). The optional rate (0 = as fast as possible) paces every
 * sender of the test; a body of {@link #LENGTH_WITHOUT_RATE} bytes (older peers) means no pacing.
 */
public final class BandwidthRequestBody
{
    public static final int UP = 0;
    public static final int DOWN = 1;
    public static final int DUPLEX = 2;
    public static final int FLAG_VERIFY = 0x1;

    public static final int DIRECTION_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int PACKET_SIZE_OFFSET = 4;
    public static final int TOTAL_BYTES_OFFSET = 8;
    public static final int DURATION_OFFSET = 16;
    public static final int RATE_OFFSET = 24;
    public static final int LENGTH_WITHOUT_RATE = 24;
    public static final int LENGTH = 32;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /** Wraps and validates direction, packet size (1..{@link ProtocolLimits#MAX_DATA_PAYLOAD}) and limits. */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = null;
        if (length != LENGTH && length != LENGTH_WITHOUT_RATE)
        {
            return false;
        }
        final int direction = buffer.getByte(offset + DIRECTION_OFFSET) & 0xFF;
        final long packetSize = buffer.getInt(offset + PACKET_SIZE_OFFSET, BE) & 0xFFFF_FFFFL;
        final long total = buffer.getLong(offset + TOTAL_BYTES_OFFSET, BE);
        final long duration = buffer.getLong(offset + DURATION_OFFSET, BE);
        final long rate = length == LENGTH ? buffer.getLong(offset + RATE_OFFSET, BE) : 0;
        if ((direction != UP && direction != DOWN && direction != DUPLEX) || rate < 0 || packetSize < 1 || packetSize > ProtocolLimits.MAX_DATA_PAYLOAD ||
            total < 0 || duration < 0 || (total == 0 && duration == 0))
        {
            return false;
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return true;
    }

    public int direction()
    {
        return buffer.getByte(offset + DIRECTION_OFFSET) & 0xFF;
    }

    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public int packetSize()
    {
        return buffer.getInt(offset + PACKET_SIZE_OFFSET, BE);
    }

    public long totalBytes()
    {
        return buffer.getLong(offset + TOTAL_BYTES_OFFSET, BE);
    }

    public long durationNs()
    {
        return buffer.getLong(offset + DURATION_OFFSET, BE);
    }

    /** Target rate of every sender in bit/s, 0 = unpaced. */
    public long rateBps()
    {
        return length == LENGTH ? buffer.getLong(offset + RATE_OFFSET, BE) : 0;
    }

    public static int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int direction,
        final int flags,
        final int packetSize,
        final long totalBytes,
        final long durationNs,
        final long rateBps)
    {
        buffer.putByte(offset + DIRECTION_OFFSET, (byte)direction);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putShort(offset + 2, (short)0, BE);
        buffer.putInt(offset + PACKET_SIZE_OFFSET, packetSize, BE);
        buffer.putLong(offset + TOTAL_BYTES_OFFSET, totalBytes, BE);
        buffer.putLong(offset + DURATION_OFFSET, durationNs, BE);
        buffer.putLong(offset + RATE_OFFSET, rateBps, BE);
        return LENGTH;
    }
}
