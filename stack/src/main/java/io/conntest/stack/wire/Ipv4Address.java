package io.conntest.stack.wire;

/**
 * IPv4 addresses as {@code int}s in network order ({@code 10.0.0.1} is {@code 0x0A00_0001}), so the hot path
 * never allocates; parsing and formatting (configuration, logs) allocate and are not for the hot path.
 */
public final class Ipv4Address
{
    /** 0.0.0.0, "this host" / unspecified (RFC 1122 §3.2.1.3). */
    public static final int ANY = 0;
    /** 255.255.255.255, the limited broadcast (RFC 919, RFC 1122 §3.2.1.3). */
    public static final int BROADCAST = 0xFFFF_FFFF;

    private Ipv4Address()
    {
    }

    /** The network mask of a prefix length 0..32, e.g. 24 gives 255.255.255.0. */
    public static int netmask(final int prefixLength)
    {
        if (prefixLength < 0 || prefixLength > 32)
        {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
        }
        return prefixLength == 0 ? 0 : (int)(0xFFFF_FFFFL << (32 - prefixLength));
    }

    /** Whether {@code a} and {@code b} are in the same network of the given prefix length. */
    public static boolean sameNetwork(final int a, final int b, final int prefixLength)
    {
        final int mask = netmask(prefixLength);
        return (a & mask) == (b & mask);
    }

    /** The directed broadcast address of the network of {@code address} (RFC 919), e.g. 10.0.0.255 for /24. */
    public static int directedBroadcast(final int address, final int prefixLength)
    {
        return address | ~netmask(prefixLength);
    }

    /** Class D, 224.0.0.0/4 (RFC 1112). */
    public static boolean isMulticast(final int address)
    {
        return (address & 0xF000_0000) == 0xE000_0000;
    }

    /** 127.0.0.0/8. */
    public static boolean isLoopback(final int address)
    {
        return (address >>> 24) == 127;
    }

    /**
     * Parses dotted-quad text such as {@code 10.0.0.1}.
     *
     * @throws IllegalArgumentException when the text is not such an address.
     */
    public static int parse(final CharSequence text)
    {
        int address = 0;
        int octet = -1;
        int dots = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c >= '0' && c <= '9')
            {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255)
                {
                    throw new IllegalArgumentException("not an IPv4 address: " + text);
                }
            }
            else if (c == '.' && octet >= 0 && dots < 3)
            {
                address = (address << 8) | octet;
                octet = -1;
                dots++;
            }
            else
            {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
        }
        if (dots != 3 || octet < 0)
        {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        return (address << 8) | octet;
    }

    public static StringBuilder appendTo(final StringBuilder sb, final int address)
    {
        return sb.append(address >>> 24).append('.')
            .append((address >>> 16) & 0xFF).append('.')
            .append((address >>> 8) & 0xFF).append('.')
            .append(address & 0xFF);
    }

    public static String toString(final int address)
    {
        return appendTo(new StringBuilder(15), address).toString();
    }
}
