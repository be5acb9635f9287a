package io.conntest.stack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.Random;

/**
 * Ethernet MAC addresses as {@code long}s holding the 48 bits in transmission order in the low bits
 * ({@code 02:00:00:00:00:01} is {@code 0x0200_0000_0001L}), so the hot path never allocates. Parsing and
 * formatting (for configuration and logs) allocate and are not for the hot path.
 */
public final class MacAddress
{
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** 00:00:00:00:00:00, used as "unknown" (e.g. the target of an ARP request). */
    public static final long ZERO = 0L;
    public static final int LENGTH = 6;

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    private MacAddress()
    {
    }

    /** Reads six bytes at {@code offset}. */
    public static long get(final DirectBuffer buffer, final int offset)
    {
        return ((buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 16)
            | (buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFFL);
    }

    /** Writes six bytes at {@code offset}. */
    public static void put(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putInt(offset, (int)(mac >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)mac, ByteOrder.BIG_ENDIAN);
    }

    /** Whether the I/G bit (least significant bit of the first octet) is set: multicast or broadcast. */
    public static boolean isGroup(final long mac)
    {
        return ((mac >>> 40) & 1L) != 0;
    }

    public static boolean isBroadcast(final long mac)
    {
        return (mac & MASK) == BROADCAST;
    }

    /** Whether the U/L bit is set: an address not assigned by a vendor (IEEE 802, locally administered). */
    public static boolean isLocallyAdministered(final long mac)
    {
        return ((mac >>> 41) & 1L) != 0;
    }

    /** A random unicast, locally administered address (U/L bit set, I/G bit clear), as a VM or TAP would get. */
    public static long randomLocallyAdministered(final Random random)
    {
        long mac = random.nextLong() & MASK;
        mac |= 1L << 41;
        mac &= ~(1L << 40);
        return mac;
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with {@code -} separators), case-insensitively.
     *
     * @throws IllegalArgumentException when the text is not such an address.
     */
    public static long parse(final CharSequence text)
    {
        if (text.length() != 17)
        {
            throw new IllegalArgumentException("not a MAC address (aa:bb:cc:dd:ee:ff): " + text);
        }
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            final int hi = Character.digit(text.charAt(i * 3), 16);
            final int lo = Character.digit(text.charAt(i * 3 + 1), 16);
            if (hi < 0 || lo < 0 || (i < 5 && text.charAt(i * 3 + 2) != ':' && text.charAt(i * 3 + 2) != '-'))
            {
                throw new IllegalArgumentException("not a MAC address (aa:bb:cc:dd:ee:ff): " + text);
            }
            mac = (mac << 8) | (hi << 4) | lo;
        }
        return mac;
    }

    /** Appends {@code aa:bb:cc:dd:ee:ff} in lower case. */
    public static StringBuilder appendTo(final StringBuilder sb, final long mac)
    {
        for (int i = 5; i >= 0; i--)
        {
            final int octet = (int)(mac >>> (i * 8)) & 0xFF;
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (i > 0)
            {
                sb.append(':');
            }
        }
        return sb;
    }

    public static String toString(final long mac)
    {
        return appendTo(new StringBuilder(17), mac).toString();
    }
}
