package io.conntest.cli.options;

/**
 * One {@code --ipv6} value: {@code auto} (SLAAC, RFC 4862), {@code off}, or an address to configure
 * ({@code fd00:c0::2/64}). The option is repeatable; {@link Ipv6Settings#of} checks how the values combine.
 *
 * @param auto    {@code auto}
 * @param off     {@code off}
 * @param address the address, or null for a keyword
 */
public record Ipv6Choice(boolean auto, boolean off, Ipv6Cidr address)
{
    public static final Ipv6Choice AUTO = new Ipv6Choice(true, false, null);
    public static final Ipv6Choice OFF = new Ipv6Choice(false, true, null);

    /** Parses {@code auto}, {@code off} or {@code ADDR/PREFIX}. */
    public static Ipv6Choice parse(final String text)
    {
        if ("auto".equalsIgnoreCase(text))
        {
            return AUTO;
        }
        if ("off".equalsIgnoreCase(text))
        {
            return OFF;
        }
        if (text.indexOf(':') < 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not auto, off or an IPv6 ADDR/PREFIX "
                + "(e.g. fd00:c0::2/64)");
        }
        return new Ipv6Choice(false, false, Ipv6Cidr.parse(text));
    }

    @Override
    public String toString()
    {
        return auto ? "auto" : off ? "off" : address.toString();
    }
}
