package io.conntest.cli.options;

import io.conntest.stack.wire.Ipv6Address;

/**
 * The {@code --ipv6-gateway} address: a router's unicast address, link-local or global.
 *
 * @param hi the first 8 bytes, in network order
 * @param lo the last 8 bytes
 */
public record Ipv6Gateway(long hi, long lo)
{
    /** Parses a unicast IPv6 literal. */
    public static Ipv6Gateway parse(final String text)
    {
        final long[] a = Ipv6Cidr.parseAddress(text);
        if (Ipv6Address.isMulticast(a[0]) || Ipv6Address.isUnspecified(a[0], a[1])
            || Ipv6Address.isLoopback(a[0], a[1]))
        {
            throw new IllegalArgumentException("'" + text + "' is not a router's address (a unicast one, e.g. fe80::1 "
                + "or fd00:c0::1)");
        }
        return new Ipv6Gateway(a[0], a[1]);
    }

    @Override
    public String toString()
    {
        return Ipv6Address.format(hi, lo);
    }
}
