package io.conntest.stack.dhcp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight view of a DHCP message (RFC 2131 §2, figure 1): the fixed BOOTP part (236 bytes), the magic cookie and
 * the options after it. Reads for parsing replies, writes for building the client's messages; holds no state of
 * its own and allocates nothing.
 */
public final class DhcpMessage
{
    /** op: BOOTREQUEST (client to server). */
    public static final int OP_REQUEST = 1;
    /** op: BOOTREPLY (server to client). */
    public static final int OP_REPLY = 2;
    /** htype for Ethernet (RFC 1700 "Hardware Type"). */
    public static final int HTYPE_ETHERNET = 1;
    /** Bytes before the magic cookie: op .. file. */
    public static final int FIXED_LENGTH = 236;
    /** RFC 2131 §3: 99.130.83.99, the first four octets of the options field. */
    public static final int MAGIC_COOKIE = 0x6382_5363;
    /** Where the options start, after the cookie. */
    public static final int OPTIONS_OFFSET = FIXED_LENGTH + 4;
    /** The flags bit asking the server to broadcast its replies (RFC 2131 §2, figure 2). */
    public static final int FLAG_BROADCAST = 0x8000;
    /** RFC 1542 §3.2.1: a BOOTP message is at least 300 bytes; shorter ones are padded (some relays drop them). */
    public static final int MIN_BOOTP_LENGTH = 300;
    /** RFC 2131 §2: every DHCP participant takes messages of up to 576 bytes of IP datagram (548 of DHCP). */
    public static final int MIN_MAX_MESSAGE = 548;

    private static final int OP = 0;
    private static final int HTYPE = 1;
    private static final int HLEN = 2;
    private static final int HOPS = 3;
    private static final int XID = 4;
    private static final int SECS = 8;
    private static final int FLAGS = 10;
    private static final int CIADDR = 12;
    private static final int YIADDR = 16;
    private static final int SIADDR = 20;
    private static final int GIADDR = 24;
    private static final int CHADDR = 28;
    private static final int COOKIE = FIXED_LENGTH;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int length;

    /**
     * Wraps received bytes; false when they cannot hold the fixed part and the cookie (the cookie's value is not
     * checked here: see {@link #hasMagicCookie()}).
     */
    public boolean wrapChecked(final DirectBuffer src, final int offset, final int length)
    {
        this.length = 0;
        if (offset < 0 || length < OPTIONS_OFFSET || (long)offset + length > src.capacity())
        {
            return false;
        }
        buffer.wrap(src, offset, length);
        this.length = length;
        return true;
    }

    /**
     * Wraps room for writing a message of up to {@code length} bytes.
     *
     * @throws IllegalArgumentException when it cannot hold the fixed part and cookie.
     */
    public DhcpMessage wrap(final MutableDirectBuffer dst, final int offset, final int length)
    {
        if (offset < 0 || length < OPTIONS_OFFSET || (long)offset + length > dst.capacity())
        {
            throw new IllegalArgumentException("DHCP region too short or out of bounds: " + length);
        }
        buffer.wrap(dst, offset, length);
        this.length = length;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int length()
    {
        return length;
    }

    public int op()
    {
        return buffer.getByte(OP) & 0xFF;
    }

    public int htype()
    {
        return buffer.getByte(HTYPE) & 0xFF;
    }

    public int hlen()
    {
        return buffer.getByte(HLEN) & 0xFF;
    }

    public int xid()
    {
        return buffer.getInt(XID, ByteOrder.BIG_ENDIAN);
    }

    public int flags()
    {
        return buffer.getShort(FLAGS, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int ciaddr()
    {
        return buffer.getInt(CIADDR, ByteOrder.BIG_ENDIAN);
    }

    /** "your" address: what the server offers or acknowledges. */
    public int yiaddr()
    {
        return buffer.getInt(YIADDR, ByteOrder.BIG_ENDIAN);
    }

    public int siaddr()
    {
        return buffer.getInt(SIADDR, ByteOrder.BIG_ENDIAN);
    }

    public int giaddr()
    {
        return buffer.getInt(GIADDR, ByteOrder.BIG_ENDIAN);
    }

    /** The first six bytes of chaddr: the client's MAC for htype 1, hlen 6. */
    public long chaddrMac()
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (buffer.getByte(CHADDR + i) & 0xFF);
        }
        return mac;
    }

    public boolean hasMagicCookie()
    {
        return buffer.getInt(COOKIE, ByteOrder.BIG_ENDIAN) == MAGIC_COOKIE;
    }

    /** The option byte at {@code index} (0-based from {@link #OPTIONS_OFFSET}). */
    int optionByte(final int index)
    {
        return buffer.getByte(OPTIONS_OFFSET + index) & 0xFF;
    }

    int optionInt(final int index)
    {
        return buffer.getInt(OPTIONS_OFFSET + index, ByteOrder.BIG_ENDIAN);
    }

    int optionShort(final int index)
    {
        return buffer.getShort(OPTIONS_OFFSET + index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Bytes after the cookie. */
    public int optionsLength()
    {
        return length - OPTIONS_OFFSET;
    }

    // ---- writing ------------------------------------------------------------------------------------------

    /**
     * Writes the fixed part of a client message (BOOTREQUEST, Ethernet, hops 0, sname and file empty) and the
     * cookie: everything else zero.
     */
    public DhcpMessage writeRequestHeader(final int xid, final int secs, final int flags, final int ciaddr,
        final long mac)
    {
        buffer.setMemory(0, OPTIONS_OFFSET, (byte)0);
        buffer.putByte(OP, (byte)OP_REQUEST);
        buffer.putByte(HTYPE, (byte)HTYPE_ETHERNET);
        buffer.putByte(HLEN, (byte)6);
        buffer.putByte(HOPS, (byte)0);
        buffer.putInt(XID, xid, ByteOrder.BIG_ENDIAN);
        buffer.putShort(SECS, (short)Math.min(secs, 0xFFFF), ByteOrder.BIG_ENDIAN);
        buffer.putShort(FLAGS, (short)flags, ByteOrder.BIG_ENDIAN);
        buffer.putInt(CIADDR, ciaddr, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 6; i++)
        {
            buffer.putByte(CHADDR + i, (byte)(mac >>> (40 - 8 * i)));
        }
        buffer.putInt(COOKIE, MAGIC_COOKIE, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Writes the fixed part of a server reply: for tests' scripted servers. */
    public DhcpMessage writeReplyHeader(final int xid, final int flags, final int yiaddr, final int siaddr,
        final long mac)
    {
        writeRequestHeader(xid, 0, flags, 0, mac);
        buffer.putByte(OP, (byte)OP_REPLY);
        buffer.putInt(YIADDR, yiaddr, ByteOrder.BIG_ENDIAN);
        buffer.putInt(SIADDR, siaddr, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Writes option {@code code} with a 1-byte value at option index {@code at}; returns the next index. */
    public int putOptionByte(final int at, final int code, final int value)
    {
        buffer.putByte(OPTIONS_OFFSET + at, (byte)code);
        buffer.putByte(OPTIONS_OFFSET + at + 1, (byte)1);
        buffer.putByte(OPTIONS_OFFSET + at + 2, (byte)value);
        return at + 3;
    }

    /** Writes option {@code code} with a 2-byte value; returns the next index. */
    public int putOptionShort(final int at, final int code, final int value)
    {
        buffer.putByte(OPTIONS_OFFSET + at, (byte)code);
        buffer.putByte(OPTIONS_OFFSET + at + 1, (byte)2);
        buffer.putShort(OPTIONS_OFFSET + at + 2, (short)value, ByteOrder.BIG_ENDIAN);
        return at + 4;
    }

    /** Writes option {@code code} with a 4-byte value (an address or a time); returns the next index. */
    public int putOptionInt(final int at, final int code, final int value)
    {
        buffer.putByte(OPTIONS_OFFSET + at, (byte)code);
        buffer.putByte(OPTIONS_OFFSET + at + 1, (byte)4);
        buffer.putInt(OPTIONS_OFFSET + at + 2, value, ByteOrder.BIG_ENDIAN);
        return at + 6;
    }

    /** Writes option {@code code} with {@code length} bytes from {@code value}; returns the next index. */
    public int putOptionBytes(final int at, final int code, final byte[] value, final int length)
    {
        buffer.putByte(OPTIONS_OFFSET + at, (byte)code);
        buffer.putByte(OPTIONS_OFFSET + at + 1, (byte)length);
        buffer.putBytes(OPTIONS_OFFSET + at + 2, value, 0, length);
        return at + 2 + length;
    }

    /** Writes raw bytes at option index {@code at} (the end option, pad); returns the next index. */
    public int putRaw(final int at, final int value)
    {
        buffer.putByte(OPTIONS_OFFSET + at, (byte)value);
        return at + 1;
    }

    /**
     * Ends the options at {@code at} with the end option (255) and pads with zeros to
     * {@link #MIN_BOOTP_LENGTH}; returns the message's length.
     */
    public int finish(final int at)
    {
        int end = putRaw(at, DhcpOption.END);
        final int total = Math.max(OPTIONS_OFFSET + end, MIN_BOOTP_LENGTH);
        buffer.setMemory(OPTIONS_OFFSET + end, total - OPTIONS_OFFSET - end, (byte)0);
        return total;
    }
}
