package io.conntest.core.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes ({@code 1400}, {@code 128KB}, {@code 5mb}, {@code 1MiB}; case-insensitive; K = 1024 as in iperf3)
 * and durations ({@code 500ms}, {@code 10s}, {@code 2m}; a bare number is seconds). Bad input throws
 * {@link IllegalArgumentException} with a message that names the value.
 */
public final class Units
{
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)\\s*(ns|us|ms|s|min|m|h)?");

    private Units()
    {
    }

    public static long parseSize(final String text)
    {
        final Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches())
        {
            throw new IllegalArgumentException(
                "bad size '" + text + "' (expected a whole number with an optional unit B, KB, MB or GB)");
        }
        final long value = Long.parseLong(m.group(1));
        final String unit = m.group(2) == null ? "b" : m.group(2);
        final long multiplier;
        switch (unit.charAt(0))
        {
            case 'k':
                multiplier = 1024L;
                break;
            case 'm':
                multiplier = 1024L * 1024;
                break;
            case 'g':
                multiplier = 1024L * 1024 * 1024;
                break;
            default:
                multiplier = 1;
        }
        return value * multiplier;
    }

    /**
     * Parses a duration as people write it, the one duration grammar of the project (option values and URI
     * options alike): a number, whole or decimal, with an optional case-insensitive unit ns, us, ms, s, m (or min)
     * or h; a bare number is seconds. {@code 10s}, {@code 500ms}, {@code 1.5s}, {@code 2m}.
     *
     * @throws IllegalArgumentException naming the text when it is not such a duration.
     */
    public static long parseDurationNs(final String text)
    {
        final Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches())
        {
            throw new IllegalArgumentException(
                "bad duration '" + text + "' (expected a number with an optional unit ms, s, m or h, e.g. 10s)");
        }
        final double value = Double.parseDouble(m.group(1));
        final String unit = m.group(2) == null ? "s" : m.group(2);
        final double scaleNs;
        switch (unit)
        {
            case "ns":
                scaleNs = 1;
                break;
            case "us":
                scaleNs = 1e3;
                break;
            case "ms":
                scaleNs = 1e6;
                break;
            case "m":
            case "min":
                scaleNs = 60e9;
                break;
            case "h":
                scaleNs = 3600e9;
                break;
            default:
                scaleNs = 1e9;
        }
        final double ns = value * scaleNs;
        if (ns > Long.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("bad duration '" + text + "' (too long)");
        }
        return Math.round(ns);
    }
}
