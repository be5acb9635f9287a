package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight view of an ARP packet (RFC 826). Only the Ethernet/IPv4 form (28 bytes) has named address accessors;
 * {@link ArpRepr#parse} rejects others.
 */
public final class ArpPacket
{
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;
    /** Bytes before the variable-length addresses. */
    public static final int FIXED_LENGTH = 8;
    public static final int HARDWARE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /**
     * Wraps room for writing an Ethernet/IPv4 ARP packet (28 bytes); nothing in it is read.
     *
     * @throws IllegalArgumentException when the region cannot hold one.
     */
    public ArpPacket wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (offset < 0 || length < LENGTH || (long)offset + length > src.capacity())
        {
            throw new IllegalArgumentException("ARP region too short or out of bounds: " + length);
        }
        buffer.wrap(src, offset, LENGTH);
        this.length = LENGTH;
        return this;
    }

    /**
     * Wraps received bytes; false when they are too short for the 8 fixed bytes plus the addresses whose lengths
     * those bytes declare. Trailing bytes (Ethernet padding) are excluded from the view.
     */
    public boolean wrapChecked(final DirectBuffer src, final int offset, final int length)
    {
        this.length = 0;
        if (offset < 0 || length < FIXED_LENGTH || (long)offset + length > src.capacity())
        {
            return false;
        }
        final int hlen = src.getByte(offset + 4) & 0xFF;
        final int plen = src.getByte(offset + 5) & 0xFF;
        final int needed = FIXED_LENGTH + 2 * (hlen + plen);
        if (length < needed)
        {
            return false;
        }
        buffer.wrap(src, offset, needed);
        this.length = needed;
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

    public int hardwareType()
    {
        return buffer.getShort(0, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public ArpPacket hardwareType(final int value)
    {
        buffer.putShort(0, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int protocolType()
    {
        return buffer.getShort(2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public ArpPacket protocolType(final int value)
    {
        buffer.putShort(2, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int hardwareLength()
    {
        return buffer.getByte(4) & 0xFF;
    }

    public ArpPacket hardwareLength(final int value)
    {
        buffer.putByte(4, (byte)value);
        return this;
    }

    public int protocolLength()
    {
        return buffer.getByte(5) & 0xFF;
    }

    public ArpPacket protocolLength(final int value)
    {
        buffer.putByte(5, (byte)value);
        return this;
    }

    public int operation()
    {
        return buffer.getShort(6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public ArpPacket operation(final int value)
    {
        buffer.putShort(6, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Whether this is the Ethernet/IPv4 form, the only one whose address accessors may be used. */
    public boolean isEthernetIpv4()
    {
        return length >= LENGTH && hardwareType() == HARDWARE_ETHERNET
            && protocolType() == EthernetFrame.ETHERTYPE_IPV4 && hardwareLength() == 6 && protocolLength() == 4;
    }

    public long senderHardwareAddress()
    {
        return MacAddress.get(buffer, 8);
    }

    public ArpPacket senderHardwareAddress(final long mac)
    {
        MacAddress.put(buffer, 8, mac);
        return this;
    }

    public int senderProtocolAddress()
    {
        return buffer.getInt(14, ByteOrder.BIG_ENDIAN);
    }

    public ArpPacket senderProtocolAddress(final int address)
    {
        buffer.putInt(14, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long targetHardwareAddress()
    {
        return MacAddress.get(buffer, 18);
    }

    public ArpPacket targetHardwareAddress(final long mac)
    {
        MacAddress.put(buffer, 18, mac);
        return this;
    }

    public int targetProtocolAddress()
    {
        return buffer.getInt(24, ByteOrder.BIG_ENDIAN);
    }

    public ArpPacket targetProtocolAddress(final int address)
    {
        buffer.putInt(24, address, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
