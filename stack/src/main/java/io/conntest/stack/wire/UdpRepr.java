package io.conntest.stack.wire;

import org.agrona.DirectBuffer;

/**
 * A UDP header (RFC 768) as a reusable value. {@link #parse} verifies the checksum against the pseudo-header;
 * {@link #emit} writes the header and fills the checksum over the payload, which must already be in place (or be
 * given to {@link #emit(UdpPacket, int, int, DirectBuffer, int)} to copy).
 */
public final class UdpRepr
{
    private int sourcePort;
    private int destinationPort;
    private int payloadLength;

    /** False when the checksum fails (a zero checksum is accepted as "none", RFC 1122 §4.1.3.4). */
    public boolean parse(final UdpPacket packet, final int srcAddr, final int dstAddr)
    {
        return parse(packet, srcAddr, dstAddr, true);
    }

    /** As {@link #parse(UdpPacket, int, int)}; the checksum is checked only when {@code verifyChecksum}. */
    public boolean parse(final UdpPacket packet, final int srcAddr, final int dstAddr, final boolean verifyChecksum)
    {
        if (packet.length() < UdpPacket.HEADER_LENGTH || verifyChecksum && !packet.verifyChecksum(srcAddr, dstAddr))
        {
            return false;
        }
        sourcePort = packet.sourcePort();
        destinationPort = packet.destinationPort();
        payloadLength = packet.payloadLength();
        return true;
    }

    /**
     * As {@link #parse(UdpPacket, int, int)} over IPv6: false when the checksum fails or is zero (RFC 8200 §8.1).
     */
    public boolean parseIpv6(final UdpPacket packet, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo)
    {
        return parseIpv6(packet, srcHi, srcLo, dstHi, dstLo, true);
    }

    /** As above; without {@code verifyChecksum} (a device vouched for it or left it partial) it is not checked. */
    public boolean parseIpv6(final UdpPacket packet, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo, final boolean verifyChecksum)
    {
        if (packet.length() < UdpPacket.HEADER_LENGTH
            || verifyChecksum && !packet.verifyChecksumIpv6(srcHi, srcLo, dstHi, dstLo))
        {
            return false;
        }
        sourcePort = packet.sourcePort();
        destinationPort = packet.destinationPort();
        payloadLength = packet.payloadLength();
        return true;
    }

    /**
     * Copies {@link #payloadLength()} bytes of {@code payload} after the header, writes the header and fills the
     * checksum over the IPv6 pseudo-header (RFC 8200 §8.1).
     */
    public void emitIpv6(final UdpPacket packet, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo, final DirectBuffer payload, final int offset)
    {
        packet.buffer().putBytes(UdpPacket.HEADER_LENGTH, payload, offset, payloadLength);
        packet.sourcePort(sourcePort).destinationPort(destinationPort)
            .udpLength(UdpPacket.HEADER_LENGTH + payloadLength)
            .fillChecksumIpv6(srcHi, srcLo, dstHi, dstLo);
    }

    /** Writes the header of a view of {@link #bufferLength()} bytes and fills the checksum over its payload. */
    public void emit(final UdpPacket packet, final int srcAddr, final int dstAddr)
    {
        packet.sourcePort(sourcePort).destinationPort(destinationPort)
            .udpLength(UdpPacket.HEADER_LENGTH + payloadLength)
            .fillChecksum(srcAddr, dstAddr);
    }

    /** Copies {@link #payloadLength()} bytes of {@code payload} after the header, then emits as above. */
    public void emit(
        final UdpPacket packet, final int srcAddr, final int dstAddr, final DirectBuffer payload, final int offset)
    {
        packet.buffer().putBytes(UdpPacket.HEADER_LENGTH, payload, offset, payloadLength);
        emit(packet, srcAddr, dstAddr);
    }

    public UdpRepr set(final int sourcePort, final int destinationPort, final int payloadLength)
    {
        this.sourcePort = sourcePort & 0xFFFF;
        this.destinationPort = destinationPort & 0xFFFF;
        this.payloadLength = payloadLength;
        return this;
    }

    public int bufferLength()
    {
        return UdpPacket.HEADER_LENGTH + payloadLength;
    }

    public int sourcePort()
    {
        return sourcePort;
    }

    public int destinationPort()
    {
        return destinationPort;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    @Override
    public String toString()
    {
        return "UdpRepr{" + sourcePort + " > " + destinationPort + ", len=" + payloadLength + '}';
    }
}
