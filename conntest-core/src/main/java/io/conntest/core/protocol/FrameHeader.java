package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the 32-byte frame header. All fields big-endian.
 *
 * <pre>
 *  0      magic  u32 = 0x434E5453 ("CNTS")
 *  4      version u8, 5 type u8, 6 flags u16
 *  8      body length u32
 *  12     session id u32
 *  16     sequence u64
 *  24     sender timestamp ns u64
 * </pre>
 */
public final class FrameHeader
{
    public static final int LENGTH = 32;
    public static final int MAGIC = 0x434E5453;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 5;
    public static final int FLAGS_OFFSET = 6;
    public static final int BODY_LENGTH_OFFSET = 8;
    public static final int SESSION_ID_OFFSET = 12;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int TIMESTAMP_OFFSET = 24;

    /** DATA: last packet of a bandwidth test. */
    public static final int FLAG_END = 0x1;
    /** DATA: payload carries the verification pattern and the receiver checks it. */
    public static final int FLAG_VERIFY = 0x2;
    /** LATENCY_PONG: the receiver answers with a pong of its own so both sides measure the round trip. */
    public static final int FLAG_ECHO_REQUEST = 0x4;
    /**
     * DATA: more frames of the same packet follow. A packet larger than {@link ProtocolLimits#MAX_DATA_FRAME_PAYLOAD}
     * is cut into frames so that a control frame (a latency probe) never waits behind more than one frame.
     */
    public static final int FLAG_MORE = 0x8;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    /** Wraps a header; returns false (and stays unwrapped) when fewer than {@link #LENGTH} bytes are given. */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < LENGTH || offset < 0 || offset + LENGTH > buffer.capacity())
        {
            this.buffer = null;
            return false;
        }
        this.buffer = buffer;
        this.offset = offset;
        return true;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int magic()
    {
        return buffer.getInt(offset + MAGIC_OFFSET, BE);
    }

    public int version()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public int flags()
    {
        return buffer.getShort(offset + FLAGS_OFFSET, BE) & 0xFFFF;
    }

    public long bodyLength()
    {
        return buffer.getInt(offset + BODY_LENGTH_OFFSET, BE) & 0xFFFF_FFFFL;
    }

    public int sessionId()
    {
        return buffer.getInt(offset + SESSION_ID_OFFSET, BE);
    }

    public long sequence()
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, BE);
    }

    public long timestampNs()
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET, BE);
    }

    /** Writes a complete header at {@code offset}; returns {@link #LENGTH}. */
    public static int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final int flags,
        final int bodyLength,
        final int sessionId,
        final long sequence,
        final long timestampNs)
    {
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, BE);
        buffer.putByte(offset + VERSION_OFFSET, (byte)ProtocolLimits.VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putShort(offset + FLAGS_OFFSET, (short)flags, BE);
        buffer.putInt(offset + BODY_LENGTH_OFFSET, bodyLength, BE);
        buffer.putInt(offset + SESSION_ID_OFFSET, sessionId, BE);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, BE);
        buffer.putLong(offset + TIMESTAMP_OFFSET, timestampNs, BE);
        return LENGTH;
    }

    /**
     * Checks magic, version, type and the declared body length against the type's bounds.
     *
     * @return null when valid, else the error
     */
    public ProtocolError validate()
    {
        if (magic() != MAGIC)
        {
            return ProtocolError.BAD_MAGIC;
        }
        if (version() != ProtocolLimits.VERSION)
        {
            return ProtocolError.BAD_VERSION;
        }
        final int type = type();
        if (!MessageType.isKnown(type))
        {
            return ProtocolError.UNKNOWN_TYPE;
        }
        final long length = bodyLength();
        if (length > MessageType.maxBodyLength(type))
        {
            return ProtocolError.LENGTH_TOO_LARGE;
        }
        if (length < MessageType.minBodyLength(type))
        {
            return ProtocolError.BAD_BODY;
        }
        return null;
    }
}
