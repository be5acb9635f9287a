package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * BANDWIDTH_RESULT body, what the receiving side measured: {@code direction u8, reserved u24,
 * verification errors u32, bytes u64, packets u64, duration ns u64}.
 */
public final class BandwidthResultBody
{
    public static final int DIRECTION_OFFSET = 0;
    public static final int ERRORS_OFFSET = 4;
    public static final int BYTES_OFFSET = 8;
    public static final int PACKETS_OFFSET = 16;
    public static final int DURATION_OFFSET = 24;
    public static final int LENGTH = 32;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = null;
        if (length != LENGTH)
        {
            return false;
        }
        final int direction = buffer.getByte(offset + DIRECTION_OFFSET) & 0xFF;
        if ((direction != BandwidthRequestBody.UP && direction != BandwidthRequestBody.DOWN) ||
            buffer.getLong(offset + BYTES_OFFSET, BE) < 0 || buffer.getLong(offset + PACKETS_OFFSET, BE) < 0 ||
            buffer.getLong(offset + DURATION_OFFSET, BE) < 0)
        {
            return false;
        }
        this.buffer = buffer;
        this.offset = offset;
        return true;
    }

    public int direction()
    {
        return buffer.getByte(offset + DIRECTION_OFFSET) & 0xFF;
    }

    public long verificationErrors()
    {
        return buffer.getInt(offset + ERRORS_OFFSET, BE) & 0xFFFF_FFFFL;
    }

    public long bytes()
    {
        return buffer.getLong(offset + BYTES_OFFSET, BE);
    }

    public long packets()
    {
        return buffer.getLong(offset + PACKETS_OFFSET, BE);
    }

    public long durationNs()
    {
        return buffer.getLong(offset + DURATION_OFFSET, BE);
    }

    public static int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int direction,
        final long verificationErrors,
        final long bytes,
        final long packets,
        final long durationNs)
    {
        buffer.putByte(offset + DIRECTION_OFFSET, (byte)direction);
        buffer.putByte(offset + 1, (byte)0);
        buffer.putShort(offset + 2, (short)0, BE);
        buffer.putInt(offset + ERRORS_OFFSET, (int)Math.min(verificationErrors, 0xFFFF_FFFFL), BE);
        buffer.putLong(offset + BYTES_OFFSET, bytes, BE);
        buffer.putLong(offset + PACKETS_OFFSET, packets, BE);
        buffer.putLong(offset + DURATION_OFFSET, durationNs, BE);
        return LENGTH;
    }
}
