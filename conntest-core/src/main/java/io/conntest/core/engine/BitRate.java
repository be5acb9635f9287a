package io.conntest.core.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a bit rate as people write it for {@code rate=}: a number, whole or decimal, with an optional SI multiple
 * k, M, G or T of bits per second (decimal, as iperf's {@code -b}: {@code 100M} = 100,000,000 bit/s) and an optional
 * {@code bit/s}, {@code bps} or {@code b/s}; case-insensitive; a bare number is bit/s. Bad input throws
 * {@link IllegalArgumentException} naming the value.
 */
public final class BitRate
{
    private static final Pattern RATE =
        Pattern.compile("(\\d{1,12}(?:\\.\\d{1,6})?)\\s*([kmgt])?(bit/s|bps|b/s|bit|b)?");

    private BitRate()
    {
    }

    /** The rate in bit/s. */
    public static long parse(final String text)
    {
        final Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches())
        {
            throw new IllegalArgumentException(
                "bad rate '" + text + "' (expected a number of bit/s with an optional unit k, M, G or T, e.g. 100M)");
        }
        final double value = Double.parseDouble(m.group(1));
        final double multiplier;
        switch (m.group(2) == null ? ' ' : m.group(2).charAt(0))
        {
            case 'k':
                multiplier = 1e3;
                break;
            case 'm':
                multiplier = 1e6;
                break;
            case 'g':
                multiplier = 1e9;
                break;
            case 't':
                multiplier = 1e12;
                break;
            default:
                multiplier = 1;
        }
        return Math.round(value * multiplier);
    }
}
