package io.conntest.stack.wire;

/**
 * IPv6 addresses (RFC 4291) as two {@code long}s in network order, {@code hi} the first 8 bytes and {@code lo} the
 * last 8, so the hot path never allocates; {@link #parse} and {@link #format} (configuration, logs) allocate. Text is
 * written in the RFC 5952 form: lower case, the longest run of two or more zero groups as {@code ::} (the first of
 * equal runs), an IPv4-mapped address with its dotted quad ({@code ::ffff:192.0.2.1}).
 */
public final class Ipv6Address
{
    /** The first half of {@code ff02::1}, all nodes on the link (RFC 4291 §2.7.1); its second half is 1. */
    public static final long ALL_NODES_HI = 0xFF02_0000_0000_0000L;
    /** The first half of {@code ff02::1:ff00:0/104}, the solicited-node multicast prefix (RFC 4291 §2.7.1). */
    public static final long SOLICITED_NODE_HI = 0xFF02_0000_0000_0000L;
    private static final long SOLICITED_NODE_LO = 0x0000_0001_FF00_0000L;

    private Ipv6Address()
    {
    }

    /** Multicast: {@code ff00::/8} (RFC 4291 §2.7). */
    public static boolean isMulticast(final long hi)
    {
        return (hi >>> 56) == 0xFF;
    }

    /** Link-local unicast: {@code fe80::/10} (RFC 4291 §2.5.6). */
    public static boolean isLinkLocal(final long hi)
    {
        return (hi >>> 54) == (0xFE80L >>> 6);
    }

    /** The unspecified address {@code ::} (RFC 4291 §2.5.2). */
    public static boolean isUnspecified(final long hi, final long lo)
    {
        return hi == 0 && lo == 0;
    }

    /** The loopback address {@code ::1} (RFC 4291 §2.5.3). */
    public static boolean isLoopback(final long hi, final long lo)
    {
        return hi == 0 && lo == 1;
    }

    /** The second half of the solicited-node multicast address of {@code lo}: {@code ff02::1:ffXX:XXXX}. */
    public static long solicitedNodeLo(final long lo)
    {
        return SOLICITED_NODE_LO | (lo & 0xFF_FFFFL);
    }

    /** The Ethernet multicast MAC of a multicast address: {@code 33:33} and its last 32 bits (RFC 2464 §7). */
    public static long multicastMac(final long lo)
    {
        return 0x3333_0000_0000L | (lo & 0xFFFF_FFFFL);
    }

    /**
     * Parses an IPv6 literal ({@code 2001:db8::1}, {@code ::}, {@code ::ffff:192.0.2.1}); returns {hi, lo}.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static long[] parse(final String text)
    {
        final int[] groups = new int[8];
        final String bad = "not an IPv6 address: '" + text + "'";
        if (text == null || text.isEmpty() || text.length() > 45)
        {
            throw new IllegalArgumentException(bad);
        }
        final int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0)
        {
            throw new IllegalArgumentException(bad);
        }
        final String head = gap < 0 ? text : text.substring(0, gap);
        final String tail = gap < 0 ? "" : text.substring(gap + 2);
        final int[] front = groups(head, bad, gap < 0);
        final int[] back = groups(tail, bad, true);
        if (gap < 0 ? front.length != 8 : front.length + back.length > 7)
        {
            throw new IllegalArgumentException(bad);
        }
        System.arraycopy(front, 0, groups, 0, front.length);
        System.arraycopy(back, 0, groups, 8 - back.length, back.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++)
        {
            hi = hi << 16 | groups[i];
            lo = lo << 16 | groups[i + 4];
        }
        return new long[] {hi, lo};
    }

    /** The 16-bit groups of one side of {@code ::}; the last may be a dotted quad (two groups) when allowed. */
    private static int[] groups(final String part, final String bad, final boolean quadAllowed)
    {
        if (part.isEmpty())
        {
            return new int[0];
        }
        final String[] fields = part.split(":", -1);
        final boolean quad = quadAllowed && fields[fields.length - 1].indexOf('.') >= 0;
        final int[] out = new int[fields.length + (quad ? 1 : 0)];
        for (int i = 0; i < fields.length; i++)
        {
            final String f = fields[i];
            if (quad && i == fields.length - 1)
            {
                final int v4;
                try
                {
                    v4 = Ipv4Address.parse(f);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException(bad, ex);
                }
                out[i] = v4 >>> 16;
                out[i + 1] = v4 & 0xFFFF;
                continue;
            }
            if (f.isEmpty() || f.length() > 4)
            {
                throw new IllegalArgumentException(bad);
            }
            try
            {
                out[i] = Integer.parseInt(f, 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(bad, ex);
            }
            if (f.charAt(0) == '+' || f.charAt(0) == '-')
            {
                throw new IllegalArgumentException(bad);
            }
        }
        return out;
    }

    /** RFC 5952 text of {@code hi}, {@code lo}. */
    public static String format(final long hi, final long lo)
    {
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(hi >>> (56 - 8 * i));
            bytes[i + 8] = (byte)(lo >>> (56 - 8 * i));
        }
        return format(bytes);
    }

    /** RFC 5952 §4 (and §5 for an IPv4-mapped address) text of 16 bytes. */
    public static String format(final byte[] a)
    {
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++)
        {
            groups[i] = (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
            && groups[5] == 0xFFFF)
        {
            return "::ffff:" + (a[12] & 0xFF) + "." + (a[13] & 0xFF) + "." + (a[14] & 0xFF) + "." + (a[15] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // §4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; )
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }
            if (j - i > bestLength) // §4.2.3: the longest run, the first when equal
            {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':')
            {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
