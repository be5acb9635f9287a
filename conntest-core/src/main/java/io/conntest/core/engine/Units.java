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
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ns|us|ms|s|m|h)?");

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

    public static long parseDurationNs(final String text)
    {
        final Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches())
        {
            throw new IllegalArgumentException(
                "bad duration '" + text + "' (expected a whole number with an optional unit ms, s, m or h)");
        }
        final long value = Long.parseLong(m.group(1));
        final String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit)
        {
            case "ns":
                return value;
            case "us":
                return value * 1_000L;
            case "ms":
                return value * 1_000_000L;
            case "m":
                return value * 60_000_000_000L;
            case "h":
                return value * 3_600_000_000_000L;
            default:
                return value * 1_000_000_000L;
        }
    }
}
