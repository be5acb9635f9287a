package io.conntest.cli.options;

/**
 * An IPv4 address with a prefix length, as given to {@code --ipv4}: {@code 10.0.0.2/24}.
 *
 * @param address      the address, big-endian in an int (10.0.0.2 is 0x0A000002).
 * @param prefixLength 0 to 32.
 */
public record Ipv4Cidr(int address, int prefixLength)
{
    /** Parses {@code A.B.C.D/N}. */
    public static Ipv4Cidr parse(final String text)
    {
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
        return new Ipv4Cidr(address, prefix);
    }

    /** Parses a dotted-quad IPv4 address into a big-endian int. */
    public static int parseAddress(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (e.g. 10.0.0.2)");
        }
        int address = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit))
            {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (e.g. 10.0.0.2)");
            }
            final int octet = Integer.parseInt(part);
            if (octet > 255)
            {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet " + octet
                    + " > 255)");
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    /** Dotted-quad text of {@code address}. */
    public static String format(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
            + (address & 0xFF);
    }

    /** Whether {@code other} is in this address's subnet. */
    public boolean contains(final int other)
    {
        if (prefixLength == 0)
        {
            return true;
        }
        final int mask = -1 << (32 - prefixLength);
        return (address & mask) == (other & mask);
    }

    @Override
    public String toString()
    {
        return format(address) + "/" + prefixLength;
    }
}
