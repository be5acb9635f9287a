package io.conntest.stack.wire;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Flyweight view of an IPv6 packet's fixed header (RFC 8200 §3). {@link #wrapChecked} accepts only version 6 with
 * the payload length within the bytes given, and trims the view to header plus payload (dropping Ethernet padding).
 * A payload length of 0 is taken as an empty payload: a jumbogram (RFC 2675) cannot come over Ethernet. Extension
 * headers are walked by {@link Ipv6ExtensionWalker}. Addresses are read as two longs, never allocated.
 */
public final class Ipv6Packet
{
    public static final int HEADER_LENGTH = 40;
    public static final int MAX_PAYLOAD = 65_535;
    public static final int MIN_MTU = 1280; // RFC 8200 §5
    public static final int NEXT_HEADER_HOP_BY_HOP = 0;
    public static final int NEXT_HEADER_TCP = 6;
    public static final int NEXT_HEADER_UDP = 17;
    public static final int NEXT_HEADER_ROUTING = 43;
    public static final int NEXT_HEADER_FRAGMENT = 44;
    public static final int NEXT_HEADER_ICMPV6 = 58;
    public static final int NEXT_HEADER_NONE = 59;
    public static final int NEXT_HEADER_DESTINATION_OPTIONS = 60;
    /** The offset of the next-header field, for a Parameter Problem's pointer. */
    public static final int NEXT_HEADER_OFFSET = 6;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /** Wraps received bytes; false (and the view is empty) when the header is not sound. */
    public boolean wrapChecked(final DirectBuffer src, final int offset, final int length)
    {
        this.length = 0;
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            return false;
        }
        if ((src.getByte(offset) & 0xF0) != 0x60)
        {
            return false;
        }
        final int payloadLength = src.getShort(offset + 4, BE) & 0xFFFF;
        if (HEADER_LENGTH + payloadLength > length)
        {
            return false;
        }
        buffer.wrap(src, offset, HEADER_LENGTH + payloadLength);
        this.length = HEADER_LENGTH + payloadLength;
        return true;
    }

    /** Wraps room for writing a packet of {@code length} bytes, header included. */
    public Ipv6Packet wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            throw new IllegalArgumentException("IPv6 region too short or out of bounds: " + length);
        }
        buffer.wrap(src, offset, length);
        this.length = length;
        return this;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Header plus payload, as trimmed by {@link #wrapChecked}. */
    public int length()
    {
        return length;
    }

    public int trafficClass()
    {
        return (buffer.getShort(0, BE) >>> 4) & 0xFF;
    }

    public int flowLabel()
    {
        return buffer.getInt(0, BE) & 0xF_FFFF;
    }

    public int payloadLength()
    {
        return buffer.getShort(4, BE) & 0xFFFF;
    }

    public int nextHeader()
    {
        return buffer.getByte(NEXT_HEADER_OFFSET) & 0xFF;
    }

    public int hopLimit()
    {
        return buffer.getByte(7) & 0xFF;
    }

    public long sourceHi()
    {
        return buffer.getLong(8, BE);
    }

    public long sourceLo()
    {
        return buffer.getLong(16, BE);
    }

    public long destinationHi()
    {
        return buffer.getLong(24, BE);
    }

    public long destinationLo()
    {
        return buffer.getLong(32, BE);
    }

    /** Writes the fixed header. */
    public Ipv6Packet header(final int trafficClass, final int flowLabel, final int payloadLength,
        final int nextHeader, final int hopLimit, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo)
    {
        buffer.putInt(0, 6 << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & 0xF_FFFF), BE);
        buffer.putShort(4, (short)payloadLength, BE);
        buffer.putByte(NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(7, (byte)hopLimit);
        buffer.putLong(8, srcHi, BE);
        buffer.putLong(16, srcLo, BE);
        buffer.putLong(24, dstHi, BE);
        buffer.putLong(32, dstLo, BE);
        return this;
    }
}
