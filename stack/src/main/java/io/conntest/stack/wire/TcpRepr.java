package io.conntest.stack.wire;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A parsed TCP header with its options (RFC 9293 §3.1, §3.2): a reusable value, filled by {@link #parse} and
 * written by {@link #emit}. Options understood: MSS (RFC 9293 §3.2, RFC 6691), window scale and timestamps
 * (RFC 7323), SACK-permitted and SACK blocks (RFC 2018). Unknown options with a sane length are skipped
 * (RFC 9293 §3.2, MUST-6/MUST-7); an option whose length is zero, one, or runs past the header, or a known option
 * with the wrong length, makes the segment malformed (MUST-64: be prepared for illegal option lengths).
 *
 * <p>Fields are public so the hot path reads them without calls; {@link #clear()} resets every option.
 */
public final class TcpRepr
{
    public static final int OPT_END = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    public static final int OPT_WSCALE = 3;
    public static final int OPT_SACK_PERMITTED = 4;
    public static final int OPT_SACK = 5;
    public static final int OPT_TIMESTAMPS = 8;

    /** RFC 2018 §3: at most four blocks fit in 40 option bytes. */
    public static final int MAX_SACK_BLOCKS = 4;
    /** RFC 7323 §2.3: the largest shift. */
    public static final int MAX_WINDOW_SCALE = 14;

    /** Result of {@link #parse}. */
    public enum ParseResult
    {
        OK, TOO_SHORT, BAD_CHECKSUM, BAD_OPTION
    }

    public int srcPort;
    public int dstPort;
    public int seq;
    public int ack;
    public int flags;
    /** The window field as on the wire (not scaled). */
    public int window;
    public int urgentPointer;

    /** MSS option value, 0 when absent. */
    public int mss;
    /** Window scale shift (capped at 14), -1 when absent. */
    public int windowScale = -1;
    public boolean sackPermitted;
    public boolean hasTimestamps;
    public int tsVal;
    public int tsEcr;
    public int sackBlockCount;
    public final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    public final int[] sackRight = new int[MAX_SACK_BLOCKS];

    /** Absolute offset of the payload in the parsed buffer, and its length. */
    public int payloadOffset;
    public int payloadLength;

    /** Resets the options and payload, leaving header fields as they are. */
    public TcpRepr clear()
    {
        srcPort = 0;
        dstPort = 0;
        seq = 0;
        ack = 0;
        flags = 0;
        window = 0;
        urgentPointer = 0;
        mss = 0;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlockCount = 0;
        payloadOffset = 0;
        payloadLength = 0;
        return this;
    }

    public boolean hasFlag(final int flag)
    {
        return (flags & flag) != 0;
    }

    /** Sequence space the segment occupies: payload plus one each for SYN and FIN (RFC 9293 §3.4). */
    public int segmentLength()
    {
        return payloadLength + ((flags & TcpPacket.FLAG_SYN) != 0 ? 1 : 0) + ((flags & TcpPacket.FLAG_FIN) != 0 ? 1 : 0);
    }

    /**
     * Fills this repr from a wrapped view; verifies the checksum over the pseudo-header when {@code verifyChecksum}.
     */
    public ParseResult parse(final TcpPacket view, final int srcAddr, final int dstAddr, final boolean verifyChecksum)
    {
        return parse(view, Checksum.ipv4AddressSum(srcAddr, dstAddr), verifyChecksum);
    }

    /**
     * As {@link #parse(TcpPacket, int, int, boolean)} with the pseudo-header's addresses already summed
     * ({@link Checksum#ipv4AddressSum}, {@link Checksum#ipv6AddressSum}): either family.
     */
    public ParseResult parse(final TcpPacket view, final long addressSum, final boolean verifyChecksum)
    {
        clear();
        if (view.length() < TcpPacket.HEADER_LENGTH)
        {
            return ParseResult.TOO_SHORT;
        }
        if (verifyChecksum && !view.checksumValid(addressSum))
        {
            return ParseResult.BAD_CHECKSUM;
        }
        srcPort = view.srcPort();
        dstPort = view.dstPort();
        seq = view.seq();
        ack = view.ack();
        flags = view.flags();
        window = view.window();
        urgentPointer = view.urgentPointer();
        payloadOffset = view.payloadOffset();
        payloadLength = view.payloadLength();
        return parseOptions(view) ? ParseResult.OK : ParseResult.BAD_OPTION;
    }

    private boolean parseOptions(final TcpPacket view)
    {
        final var buffer = view.buffer();
        int i = view.optionsOffset();
        final int end = i + view.optionsLength();
        while (i < end)
        {
            final int kind = buffer.getByte(i) & 0xFF;
            if (kind == OPT_END)
            {
                break;
            }
            if (kind == OPT_NOP)
            {
                i++;
                continue;
            }
            if (i + 1 >= end)
            {
                return false;
            }
            final int len = buffer.getByte(i + 1) & 0xFF;
            if (len < 2 || i + len > end)
            {
                return false;
            }
            switch (kind)
            {
                case OPT_MSS:
                    if (len != 4)
                    {
                        return false;
                    }
                    mss = buffer.getShort(i + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                    break;
                case OPT_WSCALE:
                    if (len != 3)
                    {
                        return false;
                    }
                    // RFC 7323 §2.3: a shift above 14 is used as 14.
                    windowScale = Math.min(buffer.getByte(i + 2) & 0xFF, MAX_WINDOW_SCALE);
                    break;
                case OPT_SACK_PERMITTED:
                    if (len != 2)
                    {
                        return false;
                    }
                    sackPermitted = true;
                    break;
                case OPT_SACK:
                {
                    final int n = (len - 2) / 8;
                    if ((len - 2) % 8 != 0 || n < 1 || n > MAX_SACK_BLOCKS)
                    {
                        return false;
                    }
                    for (int b = 0; b < n; b++)
                    {
                        sackLeft[b] = buffer.getInt(i + 2 + b * 8, ByteOrder.BIG_ENDIAN);
                        sackRight[b] = buffer.getInt(i + 6 + b * 8, ByteOrder.BIG_ENDIAN);
                    }
                    sackBlockCount = n;
                    break;
                }
                case OPT_TIMESTAMPS:
                    if (len != 10)
                    {
                        return false;
                    }
                    hasTimestamps = true;
                    tsVal = buffer.getInt(i + 2, ByteOrder.BIG_ENDIAN);
                    tsEcr = buffer.getInt(i + 6, ByteOrder.BIG_ENDIAN);
                    break;
                default:
                    // RFC 9293 §3.2 (MUST-6): unknown options are skipped by their length.
                    break;
            }
            i += len;
        }
        return true;
    }

    /** Bytes the options will take when emitted, padded to a multiple of four. */
    public int optionsLength()
    {
        int n = 0;
        if (mss != 0)
        {
            n += 4;
        }
        if (hasTimestamps)
        {
            n += 12; // NOP NOP TS, or SACK-permitted TS on a SYN
        }
        else if (sackPermitted)
        {
            n += 4; // NOP NOP SACK-permitted
        }
        if (windowScale >= 0)
        {
            n += 4; // NOP WSCALE
        }
        if (sackBlockCount > 0)
        {
            n += 4 + 8 * sackBlockCount; // NOP NOP SACK
        }
        return n;
    }

    public int headerLength()
    {
        return TcpPacket.HEADER_LENGTH + optionsLength();
    }

    /**
     * The number of SACK blocks that still fit in 40 option bytes beside the other options (RFC 2018 §3: three
     * with timestamps, four without).
     */
    public int sackBlocksThatFit()
    {
        final int used = optionsLength() - (sackBlockCount > 0 ? 4 + 8 * sackBlockCount : 0);
        return Math.max(0, Math.min(MAX_SACK_BLOCKS, (40 - used - 4) / 8));
    }

    /**
     * Writes the header and options at {@code offset} of {@code buffer}, then the checksum over the pseudo-header
     * and {@code segmentLength} bytes (header plus payload, which the caller has already placed after the header).
     *
     * @return the header length written.
     */
    public int emit(
        final TcpPacket view, final MutableDirectBuffer buffer, final int offset, final int segmentLength,
        final int srcAddr, final int dstAddr)
    {
        return emit(view, buffer, offset, segmentLength, srcAddr, dstAddr, false);
    }

    /**
     * As {@link #emit(TcpPacket, MutableDirectBuffer, int, int, int, int)}; with {@code partialChecksum} only the
     * pseudo-header sum goes into the checksum field, for a device with checksum offload to complete (the payload
     * is then never summed in Java).
     */
    public int emit(
        final TcpPacket view, final MutableDirectBuffer buffer, final int offset, final int segmentLength,
        final int srcAddr, final int dstAddr, final boolean partialChecksum)
    {
        return emit(view, buffer, offset, segmentLength, Checksum.ipv4AddressSum(srcAddr, dstAddr), partialChecksum);
    }

    /**
     * As {@link #emit(TcpPacket, MutableDirectBuffer, int, int, int, int, boolean)} with the pseudo-header's
     * addresses already summed ({@link Checksum#ipv4AddressSum}, {@link Checksum#ipv6AddressSum}): either family.
     */
    public int emit(
        final TcpPacket view, final MutableDirectBuffer buffer, final int offset, final int segmentLength,
        final long addressSum, final boolean partialChecksum)
    {
        final int headerLength = headerLength();
        if (headerLength > TcpPacket.MAX_HEADER_LENGTH || segmentLength < headerLength)
        {
            throw new IllegalStateException("TCP header of " + headerLength + " bytes does not fit");
        }
        view.wrapForWrite(buffer, offset, segmentLength);
        view.srcPort(srcPort);
        view.dstPort(dstPort);
        view.seq(seq);
        view.ack(ack);
        view.headerLength(headerLength);
        view.flags(flags);
        view.window(window);
        view.urgentPointer(urgentPointer);
        int i = offset + TcpPacket.HEADER_LENGTH;
        if (mss != 0)
        {
            buffer.putByte(i, (byte)OPT_MSS);
            buffer.putByte(i + 1, (byte)4);
            buffer.putShort(i + 2, (short)mss, ByteOrder.BIG_ENDIAN);
            i += 4;
        }
        if (hasTimestamps)
        {
            if (sackPermitted)
            {
                buffer.putByte(i, (byte)OPT_SACK_PERMITTED);
                buffer.putByte(i + 1, (byte)2);
            }
            else
            {
                buffer.putByte(i, (byte)OPT_NOP);
                buffer.putByte(i + 1, (byte)OPT_NOP);
            }
            buffer.putByte(i + 2, (byte)OPT_TIMESTAMPS);
            buffer.putByte(i + 3, (byte)10);
            buffer.putInt(i + 4, tsVal, ByteOrder.BIG_ENDIAN);
            buffer.putInt(i + 8, tsEcr, ByteOrder.BIG_ENDIAN);
            i += 12;
        }
        else if (sackPermitted)
        {
            buffer.putByte(i, (byte)OPT_NOP);
            buffer.putByte(i + 1, (byte)OPT_NOP);
            buffer.putByte(i + 2, (byte)OPT_SACK_PERMITTED);
            buffer.putByte(i + 3, (byte)2);
            i += 4;
        }
        if (windowScale >= 0)
        {
            buffer.putByte(i, (byte)OPT_NOP);
            buffer.putByte(i + 1, (byte)OPT_WSCALE);
            buffer.putByte(i + 2, (byte)3);
            buffer.putByte(i + 3, (byte)windowScale);
            i += 4;
        }
        if (sackBlockCount > 0)
        {
            buffer.putByte(i, (byte)OPT_NOP);
            buffer.putByte(i + 1, (byte)OPT_NOP);
            buffer.putByte(i + 2, (byte)OPT_SACK);
            buffer.putByte(i + 3, (byte)(2 + 8 * sackBlockCount));
            i += 4;
            for (int b = 0; b < sackBlockCount; b++)
            {
                buffer.putInt(i, sackLeft[b], ByteOrder.BIG_ENDIAN);
                buffer.putInt(i + 4, sackRight[b], ByteOrder.BIG_ENDIAN);
                i += 8;
            }
        }
        if (partialChecksum)
        {
            view.fillPseudoHeaderChecksum(addressSum);
        }
        else
        {
            view.fillChecksum(addressSum);
        }
        return headerLength;
    }
}
