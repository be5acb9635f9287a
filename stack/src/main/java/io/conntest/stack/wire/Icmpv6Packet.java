package io.conntest.stack.wire;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Flyweight view of an ICMPv6 message (RFC 4443 §2.1): type, code, checksum and the message body. The checksum
 * covers the IPv6 pseudo-header (§2.3, RFC 8200 §8.1), so verifying and filling it take the packet's addresses.
 * Types of RFC 4443 and of Neighbor Discovery (RFC 4861 §4) are named here; NDP bodies are read by
 * {@link NdpMessage}.
 */
public final class Icmpv6Packet
{
    public static final int HEADER_LENGTH = 4;
    /** Errors (RFC 4443 §3): types below 128. */
    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    /** Informational (RFC 4443 §4). */
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    /** MLDv2 report (RFC 3810 §5.2). */
    public static final int TYPE_MLDV2_REPORT = 143;
    /** Neighbor Discovery (RFC 4861 §4). */
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    public static final int TYPE_REDIRECT = 137;
    /** Destination unreachable codes (RFC 4443 §3.1). */
    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMINISTRATIVELY_PROHIBITED = 1;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /** Wraps a received message; false when it is shorter than the 4-byte header or out of bounds. */
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

    /** Wraps room for writing a message of {@code length} bytes. */
    public Icmpv6Packet wrap(final DirectBuffer src, final int offset, final int length)
    {
        if (!wrapChecked(src, offset, length))
        {
            throw new IllegalArgumentException("ICMPv6 region too short or out of bounds: " + length);
        }
        return this;
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

    public int code()
    {
        return buffer.getByte(1) & 0xFF;
    }

    public int checksum()
    {
        return buffer.getShort(2, BE) & 0xFFFF;
    }

    /** An error message (RFC 4443 §2.1: the high bit of the type clear). */
    public static boolean isError(final int type)
    {
        return type < 128;
    }

    /** Whether the checksum verifies over the pseudo-header of this packet's addresses and the whole message. */
    public boolean verifyChecksum(final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        return Checksum.verifies(Checksum.add(Checksum.addIpv6PseudoHeader(0, srcHi, srcLo, dstHi, dstLo, length,
            Ipv6Packet.NEXT_HEADER_ICMPV6), buffer, 0, length));
    }

    /** Writes type and code, then the checksum over the message as it stands (the body written first). */
    public Icmpv6Packet finish(final int type, final int code, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo)
    {
        buffer.putByte(0, (byte)type);
        buffer.putByte(1, (byte)code);
        buffer.putShort(2, (short)0, BE);
        buffer.putShort(2, (short)Checksum.finish(Checksum.add(Checksum.addIpv6PseudoHeader(0, srcHi, srcLo, dstHi,
            dstLo, length, Ipv6Packet.NEXT_HEADER_ICMPV6), buffer, 0, length)), BE);
        return this;
    }
}
