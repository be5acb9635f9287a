package io.conntest.stack.wire;

import org.agrona.DirectBuffer;

/**
 * An ICMPv4 message (RFC 792) as a reusable value: type, code, the 4-byte rest of header, and a reference to the
 * data (not a copy: the repr points into the buffer it was parsed from or the caller gave it, which must stay
 * valid until {@link #emit}). {@link #parse} verifies the checksum; {@link #emit} copies the data and fills it.
 */
public final class Icmpv4Repr
{
    private int type;
    private int code;
    private int restOfHeader;
    private DirectBuffer data;
    private int dataOffset;
    private int dataLength;

    /** False when the message is shorter than its header or the checksum fails. */
    public boolean parse(final Icmpv4Packet packet)
    {
        if (packet.length() < Icmpv4Packet.HEADER_LENGTH || !packet.verifyChecksum())
        {
            return false;
        }
        type = packet.type();
        code = packet.code();
        restOfHeader = packet.restOfHeader();
        data = packet.buffer();
        dataOffset = packet.dataOffset();
        dataLength = packet.dataLength();
        return true;
    }

    /**
     * Writes the message into a view of at least {@link #bufferLength()} bytes, copying the data unless it is
     * already in place, and fills the checksum.
     */
    public void emit(final Icmpv4Packet packet)
    {
        packet.type(type).code(code).restOfHeader(restOfHeader);
        if (dataLength > 0)
        {
            // Nothing to copy when the data already sits where it belongs (a reply built in place).
            final boolean inPlace = data.byteArray() == packet.buffer().byteArray()
                && data.addressOffset() + dataOffset == packet.buffer().addressOffset() + Icmpv4Packet.HEADER_LENGTH;
            if (!inPlace)
            {
                packet.buffer().putBytes(Icmpv4Packet.HEADER_LENGTH, data, dataOffset, dataLength);
            }
        }
        packet.fillChecksum();
    }

    /** An echo request or reply (RFC 792) carrying {@code length} bytes of {@code data}. */
    public Icmpv4Repr echo(
        final boolean request, final int identifier, final int sequence,
        final DirectBuffer data, final int offset, final int length)
    {
        type = request ? Icmpv4Packet.TYPE_ECHO_REQUEST : Icmpv4Packet.TYPE_ECHO_REPLY;
        code = 0;
        restOfHeader = ((identifier & 0xFFFF) << 16) | (sequence & 0xFFFF);
        return data(data, offset, length);
    }

    /**
     * An error message (destination unreachable, time exceeded, ...) quoting the offending datagram's IP header
     * and the first 8 bytes of its data (RFC 792, RFC 1122 §3.2.2). {@code restOfHeader} carries the next-hop
     * MTU for "fragmentation needed" (RFC 1191) and is otherwise 0.
     */
    public Icmpv4Repr error(
        final int type, final int code, final int restOfHeader,
        final DirectBuffer quoted, final int offset, final int length)
    {
        this.type = type;
        this.code = code;
        this.restOfHeader = restOfHeader;
        return data(quoted, offset, length);
    }

    public Icmpv4Repr data(final DirectBuffer data, final int offset, final int length)
    {
        this.data = data;
        this.dataOffset = offset;
        this.dataLength = length;
        return this;
    }

    public int bufferLength()
    {
        return Icmpv4Packet.HEADER_LENGTH + dataLength;
    }

    public int type()
    {
        return type;
    }

    public int code()
    {
        return code;
    }

    public int restOfHeader()
    {
        return restOfHeader;
    }

    public int identifier()
    {
        return restOfHeader >>> 16;
    }

    public int sequence()
    {
        return restOfHeader & 0xFFFF;
    }

    /** Next-hop MTU of "fragmentation needed" (RFC 1191). */
    public int nextHopMtu()
    {
        return restOfHeader & 0xFFFF;
    }

    public DirectBuffer data()
    {
        return data;
    }

    public int dataOffset()
    {
        return dataOffset;
    }

    public int dataLength()
    {
        return dataLength;
    }

    @Override
    public String toString()
    {
        return "Icmpv4Repr{type=" + type + ", code=" + code + ", rest=0x" + Integer.toHexString(restOfHeader)
            + ", dataLength=" + dataLength + '}';
    }
}
