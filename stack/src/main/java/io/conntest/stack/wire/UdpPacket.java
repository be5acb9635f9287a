package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight view of a UDP datagram (RFC 768). {@link #wrapChecked} accepts it only when the length field is at
 * least 8 and fits in the bytes given; the view is then trimmed to that length.
 */
public final class UdpPacket
{
    public static final int HEADER_LENGTH = 8;
    /** Largest payload over IPv4: 65,535 - 20 (IPv4 header) - 8 (UDP header). */
    public static final int MAX_PAYLOAD_LENGTH = 65_507;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /** Wraps room for writing; @throws IllegalArgumentException when shorter than a header or out of bounds. */
    public UdpPacket wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            throw new IllegalArgumentException("UDP region too short or out of bounds: " + length);
        }
        buffer.wrap(src, offset, length);
        this.length = length;
        return this;
    }

    /** Wraps a received datagram; false when its length field is below 8 or beyond the bytes given. */
    public boolean wrapChecked(final DirectBuffer src, final int offset, final int length)
    {
        this.length = 0;
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > src.capacity())
        {
            return false;
        }
        final int udpLength = src.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (udpLength < HEADER_LENGTH || udpLength > length)
        {
            return false;
        }
        buffer.wrap(src, offset, udpLength);
        this.length = udpLength;
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

    public int sourcePort()
    {
        return buffer.getShort(0, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpPacket sourcePort(final int port)
    {
        buffer.putShort(0, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int destinationPort()
    {
        return buffer.getShort(2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpPacket destinationPort(final int port)
    {
        buffer.putShort(2, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The length field: header plus payload. */
    public int udpLength()
    {
        return buffer.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpPacket udpLength(final int value)
    {
        buffer.putShort(4, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpPacket checksum(final int value)
    {
        buffer.putShort(6, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int payloadOffset()
    {
        return HEADER_LENGTH;
    }

    public int payloadLength()
    {
        return length - HEADER_LENGTH;
    }

    /**
     * Whether the checksum verifies over the pseudo-header (RFC 768); a zero checksum means the sender computed
     * none, which RFC 1122 §4.1.3.4 lets a host accept.
     */
    public boolean verifyChecksum(final int srcAddr, final int dstAddr)
    {
        if (checksum() == 0)
        {
            return true;
        }
        long sum = Checksum.addPseudoHeader(0, srcAddr, dstAddr, Ipv4Packet.PROTOCOL_UDP, length);
        sum = Checksum.add(sum, buffer, 0, length);
        return Checksum.verifies(sum);
    }

    /**
     * Puts the pseudo-header sum (RFC 768) for the datagram's length, folded and not complemented, in the checksum
     * field: what a device with checksum offload completes (Linux's CHECKSUM_PARTIAL, virtio NEEDS_CSUM), and, for a
     * super-datagram it cuts (USO), adjusts per datagram for its own length.
     */
    public UdpPacket fillPseudoHeaderChecksum(final int srcAddr, final int dstAddr)
    {
        final long sum = Checksum.addPseudoHeader(0, srcAddr, dstAddr, Ipv4Packet.PROTOCOL_UDP, length);
        checksum(~Checksum.finish(sum) & 0xFFFF);
        return this;
    }

    /** Computes and stores the checksum over header and payload as they stand; 0 is sent as 0xFFFF (RFC 768). */
    public UdpPacket fillChecksum(final int srcAddr, final int dstAddr)
    {
        checksum(0);
        long sum = Checksum.addPseudoHeader(0, srcAddr, dstAddr, Ipv4Packet.PROTOCOL_UDP, length);
        sum = Checksum.add(sum, buffer, 0, length);
        final int value = Checksum.finish(sum);
        checksum(value == 0 ? 0xFFFF : value);
        return this;
    }

    /**
     * Whether the checksum verifies over the IPv6 pseudo-header (RFC 8200 §8.1). A zero checksum does not: over IPv6
     * the checksum is mandatory and a receiver discards a datagram whose field is zero (RFC 8200 §8.1; callers count
     * that case apart, see {@link #checksum()}).
     */
    public boolean verifyChecksumIpv6(final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        if (checksum() == 0)
        {
            return false;
        }
        long sum = Checksum.addIpv6PseudoHeader(0, srcHi, srcLo, dstHi, dstLo, length, Ipv6Packet.NEXT_HEADER_UDP);
        sum = Checksum.add(sum, buffer, 0, length);
        return Checksum.verifies(sum);
    }

    /**
     * Computes and stores the checksum over the IPv6 pseudo-header (RFC 8200 §8.1), header and payload as they
     * stand; a computed 0 is sent as 0xFFFF (RFC 8200 §8.1: zero is not allowed over IPv6).
     */
    public UdpPacket fillChecksumIpv6(final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        checksum(0);
        long sum = Checksum.addIpv6PseudoHeader(0, srcHi, srcLo, dstHi, dstLo, length, Ipv6Packet.NEXT_HEADER_UDP);
        sum = Checksum.add(sum, buffer, 0, length);
        final int value = Checksum.finish(sum);
        checksum(value == 0 ? 0xFFFF : value);
        return this;
    }
}
