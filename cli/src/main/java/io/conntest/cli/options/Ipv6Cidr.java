package io.conntest.cli.options;

import io.conntest.stack.wire.Ipv6Address;

/**
 * An IPv6 address with a prefix length, as given to {@code --ipv6}: {@code fd00:c0::2/64}. Only an address a node
 * may configure on its interface: unicast, global or unique-local (RFC 4291 §2.5; the link-local one the stack forms
 * itself from its MAC), not IPv4-mapped.
 *
 * @param hi           the first 8 bytes of the address, in network order.
 * @param lo           the last 8 bytes.
 * @param prefixLength 1 to 128; the prefix is on-link (RFC 4861 §5.2).
 */
public record Ipv6Cidr(long hi, long lo, int prefixLength)
{
    /** Parses {@code ADDR/N}. */
    public static Ipv6Cidr parse(final String text)
    {
        final int slash = text.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("'" + text + "' has no prefix length (e.g. fd00:c0::2/64)");
        }
        final long[] a;
        try
        {
            a = parseAddress(text.substring(0, slash));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("'" + text + "': " + ex.getMessage());
        }
        final int prefix;
        try
        {
            prefix = Integer.parseInt(text.substring(slash + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "' has a bad prefix length (1 to 128)");
        }
        if (prefix < 1 || prefix > 128)
        {
            throw new IllegalArgumentException("'" + text + "' has a bad prefix length (1 to 128)");
        }
        final String notUnicast = notConfigurable(a[0], a[1]);
        if (notUnicast != null)
        {
            throw new IllegalArgumentException("'" + text + "' is " + notUnicast);
        }
        return new Ipv6Cidr(a[0], a[1], prefix);
    }

    /**
     * Parses an IPv6 literal ({@link Ipv6Address#parse}, with a message for people): {hi, lo}.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static long[] parseAddress(final String text)
    {
        if (text.indexOf('%') >= 0)
        {
            throw new IllegalArgumentException("'" + text + "' has a zone index (the stack has one interface: leave "
                + "it out)");
        }
        try
        {
            return Ipv6Address.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (e.g. fd00:c0::2)");
        }
    }

    /** Why {@code hi, lo} cannot be an interface's configured address, or null when it can. */
    static String notConfigurable(final long hi, final long lo)
    {
        if (Ipv6Address.isMulticast(hi))
        {
            return "a multicast address (an interface needs a unicast one)";
        }
        if (Ipv6Address.isUnspecified(hi, lo) || Ipv6Address.isLoopback(hi, lo))
        {
            return "not an interface's address (:: and ::1 are reserved)";
        }
        if (Ipv6Address.isLinkLocal(hi))
        {
            return "link-local (the stack forms its own fe80:: address from its MAC; give a global or unique-local "
                + "one, e.g. fd00:c0::2/64)";
        }
        if (hi == 0 && (lo >>> 32) == 0xFFFFL)
        {
            return "an IPv4-mapped address (give the IPv4 one to --ipv4)";
        }
        return null;
    }

    /** RFC 5952 text of an address. */
    public static String format(final long hi, final long lo)
    {
        return Ipv6Address.format(hi, lo);
    }

    /** Whether {@code otherHi, otherLo} is in this address's prefix (on-link). */
    public boolean contains(final long otherHi, final long otherLo)
    {
        final long maskHi = prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
        final long maskLo = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        return ((hi ^ otherHi) & maskHi) == 0 && ((lo ^ otherLo) & maskLo) == 0;
    }

    /** Whether it is the same address as {@code other} (whatever the prefix lengths). */
    public boolean sameAddress(final Ipv6Cidr other)
    {
        return hi == other.hi && lo == other.lo;
    }

    @Override
    public String toString()
    {
        return format(hi, lo) + "/" + prefixLength;
    }
}
