package io.conntest.cli.options;

import java.time.Duration;
import java.util.Locale;

/** Parses durations as people write them: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, a bare number = s. */
public final class Durations
{
    private Durations()
    {
    }

    public static Duration parse(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == '.'))
        {
            end++;
        }
        if (end == 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 10s, 500ms, 2m)");
        }
        final double value;
        try
        {
            value = Double.parseDouble(t.substring(0, end));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 10s, 500ms, 2m)");
        }
        final double scaleNs;
        switch (t.substring(end).trim())
        {
            case "":
            case "s":
                scaleNs = 1e9;
                break;
            case "ms":
                scaleNs = 1e6;
                break;
            case "us":
                scaleNs = 1e3;
                break;
            case "m":
            case "min":
                scaleNs = 60e9;
                break;
            case "h":
                scaleNs = 3600e9;
                break;
            default:
                throw new IllegalArgumentException("'" + text + "' has an unknown unit (ms, s, m, h)");
        }
        return Duration.ofNanos(Math.round(value * scaleNs));
    }
}
