package io.conntest.core.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * PEER_SEEN body: how the sender sees the receiver on this connection, so that each end learns what happened to its
 * packets on the way (docs/protocol.md, "PEER_SEEN"): the address and port they came from (a NAT rewrote them when
 * they differ from what the receiver sent from), and the TTL and TOS byte (DSCP and ECN) they arrived with (the
 * receiver knows the TTL it sent with, so the difference is the path's hop count; a DSCP other than the one it set
 * was rewritten on the way).
 *
 * <pre>
 * version u8 (1), flags u8 (bit 0: TTL known, bit 1: TOS known), port u16,
 * TTL u8, TOS u8, host length u8 (&le; 64), reserved u8, host (ASCII: an address literal)
 * </pre>
 */
public final class PeerSeenBody
{
    public static final int VERSION = 1;
    public static final int FIXED_LENGTH = 8;
    public static final int MAX_HOST_BYTES = 64;
    public static final int MAX_LENGTH = FIXED_LENGTH + MAX_HOST_BYTES;
    public static final int FLAG_TTL = 0x1;
    public static final int FLAG_TOS = 0x2;

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Wraps and validates; false when the lengths do not add up or the host holds a byte that is not printable
     * ASCII. A body of another version is accepted and reads as nothing known ({@link #version()}).
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = null;
        if (length < FIXED_LENGTH || length > MAX_LENGTH)
        {
            return false;
        }
        final int hostLength = buffer.getByte(offset + 6) & 0xFF;
        if (hostLength > MAX_HOST_BYTES || FIXED_LENGTH + hostLength != length)
        {
            return false;
        }
        for (int i = 0; i < hostLength; i++)
        {
            final int c = buffer.getByte(offset + FIXED_LENGTH + i) & 0xFF;
            if (c < 0x21 || c > 0x7E)
            {
                return false;
            }
        }
        this.buffer = buffer;
        this.offset = offset;
        return true;
    }

    public int version()
    {
        return buffer.getByte(offset) & 0xFF;
    }

    /** The TTL (hop limit) the sender's last packet from the receiver arrived with, or -1 when it cannot tell. */
    public int ttl()
    {
        return version() == VERSION && (buffer.getByte(offset + 1) & FLAG_TTL) != 0 ? buffer.getByte(offset + 4) & 0xFF
            : -1;
    }

    /** The TOS byte (DSCP << 2 | ECN) it arrived with, or -1. */
    public int tos()
    {
        return version() == VERSION && (buffer.getByte(offset + 1) & FLAG_TOS) != 0 ? buffer.getByte(offset + 5) & 0xFF
            : -1;
    }

    /** The port the sender sees the receiver at (0 when the body is of another version). */
    public int port()
    {
        return version() == VERSION ? buffer.getShort(offset + 2, BE) & 0xFFFF : 0;
    }

    public int hostLength()
    {
        return version() == VERSION ? buffer.getByte(offset + 6) & 0xFF : 0;
    }

    public int hostOffset()
    {
        return offset + FIXED_LENGTH;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Writes a body: {@code host} is an address literal (printable ASCII, cut to 64); ttl/tos -1 when unknown. */
    public static int write(final MutableDirectBuffer buffer, final int offset, final CharSequence host,
        final int port, final int ttl, final int tos)
    {
        int hostLength = 0;
        if (host != null)
        {
            final int n = Math.min(host.length(), MAX_HOST_BYTES);
            for (int i = 0; i < n; i++)
            {
                final char c = host.charAt(i);
                buffer.putByte(offset + FIXED_LENGTH + i, (byte)(c > 0x20 && c < 0x7F ? c : '?'));
            }
            hostLength = n;
        }
        buffer.putByte(offset, (byte)VERSION);
        buffer.putByte(offset + 1, (byte)((ttl >= 0 ? FLAG_TTL : 0) | (tos >= 0 ? FLAG_TOS : 0)));
        buffer.putShort(offset + 2, (short)port, BE);
        buffer.putByte(offset + 4, (byte)Math.max(0, ttl));
        buffer.putByte(offset + 5, (byte)Math.max(0, tos));
        buffer.putByte(offset + 6, (byte)hostLength);
        buffer.putByte(offset + 7, (byte)0);
        return FIXED_LENGTH + hostLength;
    }
}
