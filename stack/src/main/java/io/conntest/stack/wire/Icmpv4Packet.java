package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight view of an ICMPv4 message (RFC 792): type, code, checksum, a 4-byte rest-of-header whose meaning
 * depends on the type (identifier and sequence for echo, next-hop MTU for "fragmentation needed" (RFC 1191),
 * pointer for parameter problem), then data (echo payload, or the quoted IP header + 8 bytes for errors).
 */
public final class Icmpv4Packet
{
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /** @throws IllegalArgumentException when the region is shorter than 8 bytes or out of bounds. */
    public Icmpv4Packet wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (!wrapChecked(src, offset, length))
        {
            throw new IllegalArgumentException("ICMP region too short or out of bounds: " + length);
        }
        return this;
    }

    /** Wraps a received message; false when it is shorter than the 8-byte header. */
    public boolean wrapChecked(final DirectBuffer src, final int offset, final int length)
    {
        this.length = 0;
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            return false;
        }
        buffer.wrap(src, offset, length);
        this.length = length;
        return true;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int length()
    {
        return length;
    }

    public int type()
    {
        return buffer.getByte(0) & 0xFF;
    }

    public Icmpv4Packet type(final int value)
    {
        buffer.putByte(0, (byte)value);
        return this;
    }

    public int code()
    {
        return buffer.getByte(1) & 0xFF;
    }

    public Icmpv4Packet code(final int value)
    {
        buffer.putByte(1, (byte)value);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv4Packet checksum(final int value)
    {
        buffer.putShort(2, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The 4 bytes after the checksum, as one unsigned big-endian word in an int. */
    public int restOfHeader()
    {
        return buffer.getInt(4, ByteOrder.BIG_ENDIAN);
    }

    public Icmpv4Packet restOfHeader(final int value)
    {
        buffer.putInt(4, value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Echo identifier (RFC 792). */
    public int identifier()
    {
        return buffer.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Echo sequence number (RFC 792). */
    public int sequence()
    {
        return buffer.getShort(6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Next-hop MTU of "fragmentation needed" (RFC 1191 §4), 0 from routers that predate it. */
    public int nextHopMtu()
    {
        return buffer.getShort(6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int dataOffset()
    {
        return HEADER_LENGTH;
    }

    public int dataLength()
    {
        return length - HEADER_LENGTH;
    }

    /** Whether the checksum over the whole message verifies. */
    public boolean verifyChecksum()
    {
        return Checksum.verifies(Checksum.add(0, buffer, 0, length));
    }

    /** Computes and stores the checksum over the whole message as it stands. */
    public Icmpv4Packet fillChecksum()
    {
        checksum(0);
        checksum(Checksum.compute(buffer, 0, length));
        return this;
    }

    /** Whether the type is an error message (RFC 1122 §3.2.2: never answer one with another error). */
    public static boolean isError(final int type)
    {
        return type == TYPE_DESTINATION_UNREACHABLE || type == TYPE_SOURCE_QUENCH || type == TYPE_REDIRECT
            || type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }
}
