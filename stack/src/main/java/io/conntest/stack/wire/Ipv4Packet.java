package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight view of an IPv4 datagram (RFC 791). {@link #wrapChecked} accepts only a structurally sound header:
 * version 4, IHL of at least 5 words, header within the total length and the total length within the bytes
 * given; the view is then trimmed to the total length (dropping Ethernet padding). Options are not interpreted,
 * only skipped through the IHL. Offsets are relative to {@link #buffer()}.
 */
public final class Ipv4Packet
{
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MAX_LENGTH = 65_535;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int OFFSET_MASK = 0x1FFF;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /**
     * Wraps room for writing a datagram of {@code length} bytes (header included), e.g. in a claimed frame.
     *
     * @throws IllegalArgumentException when the region is shorter than a minimal header or out of bounds.
     */
    public Ipv4Packet wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (offset < 0 || length < MIN_HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            throw new IllegalArgumentException("IPv4 region too short or out of bounds: " + length);
        }
        buffer.wrap(src, offset, length);
        this.length = length;
        return this;
    }

    /** Wraps received bytes; false (and the view is empty) when the header is not structurally sound. */
    public boolean wrapChecked(final DirectBuffer src, final int offset, final int length)
    {
        this.length = 0;
        if (offset < 0 || length < MIN_HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            return false;
        }
        final int versionIhl = src.getByte(offset) & 0xFF;
        final int headerLength = (versionIhl & 0x0F) * 4;
        final int totalLength = src.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((versionIhl >>> 4) != 4 || headerLength < MIN_HEADER_LENGTH || totalLength < headerLength
            || totalLength > length)
        {
            return false;
        }
        buffer.wrap(src, offset, totalLength);
        this.length = totalLength;
        return true;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Bytes in the view: the total length once wrapped checked. */
    public int length()
    {
        return length;
    }

    public int version()
    {
        return (buffer.getByte(0) & 0xFF) >>> 4;
    }

    /** IHL in bytes. */
    public int headerLength()
    {
        return (buffer.getByte(0) & 0x0F) * 4;
    }

    /** Sets version 4 and the IHL from a header length in bytes (a multiple of 4). */
    public Ipv4Packet versionAndHeaderLength(final int headerLength)
    {
        buffer.putByte(0, (byte)(0x40 | (headerLength / 4)));
        return this;
    }

    public int dscpEcn()
    {
        return buffer.getByte(1) & 0xFF;
    }

    public Ipv4Packet dscpEcn(final int value)
    {
        buffer.putByte(1, (byte)value);
        return this;
    }

    public int totalLength()
    {
        return buffer.getShort(2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Packet totalLength(final int value)
    {
        buffer.putShort(2, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int identification()
    {
        return buffer.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Packet identification(final int value)
    {
        buffer.putShort(4, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The flags and fragment offset word as on the wire. */
    public int flagsAndFragmentOffset()
    {
        return buffer.getShort(6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public boolean reservedFlag()
    {
        return (flagsAndFragmentOffset() & 0x8000) != 0;
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffset()
    {
        return (flagsAndFragmentOffset() & OFFSET_MASK) * 8;
    }

    /** Whether this is a fragment rather than a whole datagram (MF set or a non-zero offset). */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & (FLAG_MF | OFFSET_MASK)) != 0;
    }

    /** Sets DF, MF and the fragment offset (bytes, a multiple of 8). */
    public Ipv4Packet fragmentation(final boolean dontFragment, final boolean moreFragments, final int offsetBytes)
    {
        final int value = (dontFragment ? FLAG_DF : 0) | (moreFragments ? FLAG_MF : 0) | ((offsetBytes / 8) & OFFSET_MASK);
        buffer.putShort(6, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int ttl()
    {
        return buffer.getByte(8) & 0xFF;
    }

    public Ipv4Packet ttl(final int value)
    {
        buffer.putByte(8, (byte)value);
        return this;
    }

    public int protocol()
    {
        return buffer.getByte(9) & 0xFF;
    }

    public Ipv4Packet protocol(final int value)
    {
        buffer.putByte(9, (byte)value);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(10, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Packet checksum(final int value)
    {
        buffer.putShort(10, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int sourceAddress()
    {
        return buffer.getInt(12, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Packet sourceAddress(final int address)
    {
        buffer.putInt(12, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int destinationAddress()
    {
        return buffer.getInt(16, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Packet destinationAddress(final int address)
    {
        buffer.putInt(16, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Whether the header checksum verifies (RFC 791, RFC 1071). */
    public boolean verifyChecksum()
    {
        return Checksum.verifies(Checksum.add(0, buffer, 0, headerLength()));
    }

    /** Computes and stores the header checksum over the header as it stands. */
    public Ipv4Packet fillChecksum()
    {
        checksum(0);
        checksum(Checksum.compute(buffer, 0, headerLength()));
        return this;
    }

    public int payloadOffset()
    {
        return headerLength();
    }

    public int payloadLength()
    {
        return length - headerLength();
    }
}
