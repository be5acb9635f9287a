package io.conntest.core.protocol;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HELLO body: {@code capabilities u32, protocol version u8, role u8, name length u16, name UTF-8}.
 * The name length is checked against the body length and {@link ProtocolLimits#MAX_NAME_BYTES}.
 */
public final class HelloBody
{
    public static final int CAPABILITIES_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int ROLE_OFFSET = 5;
    public static final int NAME_LENGTH_OFFSET = 6;
    public static final int NAME_OFFSET = 8;
    public static final int MAX_LENGTH = NAME_OFFSET + ProtocolLimits.MAX_NAME_BYTES;

    public static final int CAPABILITY_BANDWIDTH = 0x1;
    public static final int CAPABILITY_VERIFY = 0x2;
    /** The sender understands PEER_VIEW frames (an older peer would close the connection on an unknown type). */
    public static final int CAPABILITY_PEER_VIEW = 0x4;
    /** The sender understands PEER_SEEN frames. */
    public static final int CAPABILITY_PEER_SEEN = 0x8;
    public static final int ROLE_CLIENT = 0;
    public static final int ROLE_SERVER = 1;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    /** Wraps and validates; false when the body is too short or the name overruns it. */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = null;
        if (length < NAME_OFFSET || length > MAX_LENGTH)
        {
            return false;
        }
        final int nameLength = buffer.getShort(offset + NAME_LENGTH_OFFSET, BE) & 0xFFFF;
        if (nameLength > ProtocolLimits.MAX_NAME_BYTES || NAME_OFFSET + nameLength != length)
        {
            return false;
        }
        final int role = buffer.getByte(offset + ROLE_OFFSET) & 0xFF;
        if (role != ROLE_CLIENT && role != ROLE_SERVER)
        {
            return false;
        }
        this.buffer = buffer;
        this.offset = offset;
        return true;
    }

    public int capabilities()
    {
        return buffer.getInt(offset + CAPABILITIES_OFFSET, BE);
    }

    public int protocolVersion()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    public int role()
    {
        return buffer.getByte(offset + ROLE_OFFSET) & 0xFF;
    }

    public int nameLength()
    {
        return buffer.getShort(offset + NAME_LENGTH_OFFSET, BE) & 0xFFFF;
    }

    /** Allocates a String: called once per connection, not per packet. */
    public String name()
    {
        final byte[] bytes = new byte[nameLength()];
        buffer.getBytes(offset + NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes a body; the name must already be UTF-8 of at most {@link ProtocolLimits#MAX_NAME_BYTES}. */
    public static int write(
        final MutableDirectBuffer buffer, final int offset, final int capabilities, final int role, final byte[] name)
    {
        if (name.length > ProtocolLimits.MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException("name longer than " + ProtocolLimits.MAX_NAME_BYTES + " bytes");
        }
        buffer.putInt(offset + CAPABILITIES_OFFSET, capabilities, BE);
        buffer.putByte(offset + VERSION_OFFSET, (byte)ProtocolLimits.VERSION);
        buffer.putByte(offset + ROLE_OFFSET, (byte)role);
        buffer.putShort(offset + NAME_LENGTH_OFFSET, (short)name.length, BE);
        buffer.putBytes(offset + NAME_OFFSET, name);
        return NAME_OFFSET + name.length;
    }
}
