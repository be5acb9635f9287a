package io.conntest.cli.options;

/** Parsing and printing of 48-bit MAC addresses held in a {@code long}, as given to {@code --mac}. */
public final class MacAddress
{
    private MacAddress()
    {
    }

    /** Parses {@code 02:00:5e:10:00:01} (or with '-' separators) into the low 48 bits of a long. */
    public static long parse(final String text)
    {
        final String[] parts = text.split("[:-]", -1);
        if (parts.length != 6)
        {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (e.g. 02:00:00:00:00:01)");
        }
        long mac = 0;
        for (final String part : parts)
        {
            if (part.length() < 1 || part.length() > 2)
            {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (e.g. 02:00:00:00:00:01)");
            }
            final int octet;
            try
            {
                octet = Integer.parseInt(part, 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (e.g. 02:00:00:00:00:01)");
            }
            mac = (mac << 8) | octet;
        }
        if ((mac >>> 40 & 1) != 0)
        {
            throw new IllegalArgumentException("'" + text + "' is a multicast MAC address; an interface needs a "
                + "unicast one (first octet even, e.g. 02:...)");
        }
        return mac;
    }

    /** {@code 02:00:00:00:00:01} text of {@code mac}. */
    public static String format(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)(mac >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0)
            {
                text.append(':');
            }
        }
        return text.toString();
    }
}
