package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A flyweight view of a TCP segment (RFC 9293 §3.1) over an Agrona buffer: fixed header, options region and
 * payload. {@link #wrap} checks the lengths (at least 20 bytes, a data offset between 5 and 15 words that fits)
 * before any field is read; the accessors then read big-endian fields with unsigned values masked.
 */
public final class TcpPacket
{
    /** Length of the fixed header without options. */
    public static final int HEADER_LENGTH = 20;
    /** Longest header: data offset 15 words. */
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;
    public static final int FLAG_URG = 0x20;
    public static final int FLAG_ECE = 0x40;
    public static final int FLAG_CWR = 0x80;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int SEQ = 4;
    private static final int ACK = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT = 18;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Views {@code [offset, offset + length)} of {@code buffer} as a TCP segment.
     *
     * @return false when it is too short or its data offset is out of range; the view must then not be read.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < HEADER_LENGTH || offset < 0 || offset + length > buffer.capacity())
        {
            this.length = 0;
            return false;
        }
        final int headerLength = headerLength();
        if (headerLength < HEADER_LENGTH || headerLength > length)
        {
            this.length = 0;
            return false;
        }
        return true;
    }

    /** Views a region to be written (no checks on the current content); used before emitting. */
    public void wrapForWrite(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    public int srcPort()
    {
        return buffer.getShort(offset + SRC_PORT, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int dstPort()
    {
        return buffer.getShort(offset + DST_PORT, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int seq()
    {
        return buffer.getInt(offset + SEQ, ByteOrder.BIG_ENDIAN);
    }

    public int ack()
    {
        return buffer.getInt(offset + ACK, ByteOrder.BIG_ENDIAN);
    }

    /** Header length in bytes: the data offset field times four. */
    public int headerLength()
    {
        return ((buffer.getByte(offset + DATA_OFFSET) & 0xF0) >>> 4) * 4;
    }

    /** The eight flag bits CWR..FIN. */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS) & 0xFF;
    }

    public int window()
    {
        return buffer.getShort(offset + WINDOW, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int urgentPointer()
    {
        return buffer.getShort(offset + URGENT, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Absolute offset of the options region in {@link #buffer()}. */
    public int optionsOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int optionsLength()
    {
        return headerLength() - HEADER_LENGTH;
    }

    /** Absolute offset of the payload in {@link #buffer()}. */
    public int payloadOffset()
    {
        return offset + headerLength();
    }

    public int payloadLength()
    {
        return length - headerLength();
    }

    /** Whether the checksum over the pseudo-header and the whole segment verifies (RFC 9293 §3.1). */
    public boolean checksumValid(final int srcAddr, final int dstAddr)
    {
        return checksumValid(Checksum.ipv4AddressSum(srcAddr, dstAddr));
    }

    /**
     * As {@link #checksumValid(int, int)} with the pseudo-header's addresses already summed
     * ({@link Checksum#ipv4AddressSum}, {@link Checksum#ipv6AddressSum}): either family.
     */
    public boolean checksumValid(final long addressSum)
    {
        long sum = addressSum + 6 + (length & 0xFFFF);
        sum = Checksum.add(sum, buffer, offset, length);
        return Checksum.verifies(sum);
    }

    private MutableDirectBuffer mutable()
    {
        return (MutableDirectBuffer)buffer;
    }

    public void srcPort(final int port)
    {
        mutable().putShort(offset + SRC_PORT, (short)port, ByteOrder.BIG_ENDIAN);
    }

    public void dstPort(final int port)
    {
        mutable().putShort(offset + DST_PORT, (short)port, ByteOrder.BIG_ENDIAN);
    }

    public void seq(final int seq)
    {
        mutable().putInt(offset + SEQ, seq, ByteOrder.BIG_ENDIAN);
    }

    public void ack(final int ack)
    {
        mutable().putInt(offset + ACK, ack, ByteOrder.BIG_ENDIAN);
    }

    /** Sets the data offset from a header length in bytes (a multiple of four, 20 to 60). */
    public void headerLength(final int headerLength)
    {
        mutable().putByte(offset + DATA_OFFSET, (byte)((headerLength / 4) << 4));
    }

    public void flags(final int flags)
    {
        mutable().putByte(offset + FLAGS, (byte)flags);
    }

    public void window(final int window)
    {
        mutable().putShort(offset + WINDOW, (short)window, ByteOrder.BIG_ENDIAN);
    }

    public void checksum(final int checksum)
    {
        mutable().putShort(offset + CHECKSUM, (short)checksum, ByteOrder.BIG_ENDIAN);
    }

    public void urgentPointer(final int urgent)
    {
        mutable().putShort(offset + URGENT, (short)urgent, ByteOrder.BIG_ENDIAN);
    }

    /** Computes and writes the checksum over the pseudo-header and {@code [offset, offset + length)}. */
    /**
     * Puts the pseudo-header sum (RFC 9293 §3.1) for the segment's length, folded and not complemented, in the
     * checksum field: what a device with checksum offload completes (Linux's CHECKSUM_PARTIAL, virtio NEEDS_CSUM).
     */
    public void fillPseudoHeaderChecksum(final int srcAddr, final int dstAddr)
    {
        fillPseudoHeaderChecksum(Checksum.ipv4AddressSum(srcAddr, dstAddr));
    }

    /** As {@link #fillPseudoHeaderChecksum(int, int)} with the addresses already summed (either family). */
    public void fillPseudoHeaderChecksum(final long addressSum)
    {
        final long sum = addressSum + 6 + (length & 0xFFFF);
        checksum(~Checksum.finish(sum) & 0xFFFF);
    }

    public void fillChecksum(final int srcAddr, final int dstAddr)
    {
        fillChecksum(Checksum.ipv4AddressSum(srcAddr, dstAddr));
    }

    /** As {@link #fillChecksum(int, int)} with the addresses already summed (either family). */
    public void fillChecksum(final long addressSum)
    {
        checksum(0);
        long sum = addressSum + 6 + (length & 0xFFFF);
        sum = Checksum.add(sum, buffer, offset, length);
        checksum(Checksum.finish(sum));
    }
}
