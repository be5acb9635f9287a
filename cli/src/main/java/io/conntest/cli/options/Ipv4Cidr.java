package io.conntest.cli.options;

import io.conntest.stack.wire.Ipv4Address;

/**
 * An IPv4 address with a prefix length, as given to {@code --ipv4}: {@code 10.0.0.2/24}.
 *
 * @param address      the address, big-endian in an int (10.0.0.2 is 0x0A000002).
 * @param prefixLength 0 to 32.
 */
public record Ipv4Cidr(int address, int prefixLength)
{
    /** {@code --ipv4 dhcp}: no address until the stack's DHCP client binds a lease (0.0.0.0/0 stands for it). */
    public static final Ipv4Cidr DHCP = new Ipv4Cidr(0, 0);

    /** Whether this is {@link #DHCP}: the address comes from a DHCP server. */
    public boolean isDhcp()
    {
        return address == 0;
    }

    /** Parses {@code A.B.C.D/N}, or {@code dhcp}. */
    public static Ipv4Cidr parse(final String text)
    {
        if ("dhcp".equalsIgnoreCase(text))
        {
            return DHCP;
        }
        final int slash = text.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("'" + text + "' has no prefix length (e.g. 10.0.0.2/24)");
        }
        final int address;
        try
        {
            address = parseAddress(text.substring(0, slash));
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
            throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0 to 32)");
        }
        if (prefix < 0 || prefix > 32)
        {
            throw new IllegalArgumentException("'" + text + "' has a bad prefix length (0 to 32)");
        }
        if (address == 0)
        {
            throw new IllegalArgumentException("'" + text + "': 0.0.0.0 is no address (for one from DHCP: dhcp)");
        }
        return new Ipv4Cidr(address, prefix);
    }

    /** Parses a dotted-quad IPv4 address into a big-endian int ({@link Ipv4Address#parse}, with a message for people). */
    public static int parseAddress(final String text)
    {
        try
        {
            return Ipv4Address.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (e.g. 10.0.0.2)");
        }
    }

    /** Dotted-quad text of {@code address}. */
    public static String format(final int address)
    {
        return Ipv4Address.toString(address);
    }

    /** Whether {@code other} is in this address's subnet. */
    public boolean contains(final int other)
    {
        return Ipv4Address.sameNetwork(address, other, prefixLength);
    }

    @Override
    public String toString()
    {
        if (isDhcp())
        {
            return "dhcp";
        }
        return format(address) + "/" + prefixLength;
    }
}
