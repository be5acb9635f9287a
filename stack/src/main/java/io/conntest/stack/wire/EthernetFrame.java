package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight view of an Ethernet II frame (IEEE 802.3 with an EtherType, RFC 894): destination, source, EtherType,
 * payload. No FCS, no 802.1Q tag. Offsets returned by the accessors are relative to {@link #buffer()}.
 */
public final class EthernetFrame
{
    public static final int HEADER_LENGTH = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;

    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int ETHERTYPE = 12;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /**
     * Wraps a frame that is known to hold at least a header, e.g. room claimed for writing one.
     *
     * @throws IllegalArgumentException when the region is shorter than a header or outside the buffer.
     */
    public EthernetFrame wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (!wrapChecked(src, offset, length))
        {
            throw new IllegalArgumentException("Ethernet frame region too short or out of bounds: " + length);
        }
        return this;
    }

    /** Wraps received bytes; false (and nothing read) when they cannot hold an Ethernet header. */
    public boolean wrapChecked(final DirectBuffer src, final int offset, final int length)
    {
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            this.length = 0;
            return false;
        }
        buffer.wrap(src, offset, length);
        this.length = length;
        return true;
    }

    /** The wrapped frame; offset 0 is the first byte of the destination address. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int length()
    {
        return length;
    }

    public long destination()
    {
        return MacAddress.get(buffer, DESTINATION);
    }

    public EthernetFrame destination(final long mac)
    {
        MacAddress.put(buffer, DESTINATION, mac);
        return this;
    }

    public long source()
    {
        return MacAddress.get(buffer, SOURCE);
    }

    public EthernetFrame source(final long mac)
    {
        MacAddress.put(buffer, SOURCE, mac);
        return this;
    }

    public int etherType()
    {
        return buffer.getShort(ETHERTYPE, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public EthernetFrame etherType(final int etherType)
    {
        buffer.putShort(ETHERTYPE, (short)etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int payloadOffset()
    {
        return HEADER_LENGTH;
    }

    /** Payload bytes, including any padding to the 60-byte minimum frame (IEEE 802.3). */
    public int payloadLength()
    {
        return length - HEADER_LENGTH;
    }
}
