package io.conntest.cli.ui;

import java.util.Locale;

/**
 * Numbers for people: bit rates in SI units ({@code 12.3 Mbit/s}, as iperf3), byte sizes in binary units
 * ({@code 5.0 MiB}, matching the options' {@code 5mb} = 5 x 1024 x 1024), times with their unit. Unknown values
 * (negative) print as {@code -}. ASCII only, so plain consoles show them as they are.
 */
public final class Human
{
    private Human()
    {
    }

    /** {@code 940 Mbit/s}, {@code 1.21 Gbit/s}; {@code -} when unknown. */
    public static String bitRate(final long bps)
    {
        if (bps < 0)
        {
            return "-";
        }
        if (bps < 1_000)
        {
            return bps + " bit/s";
        }
        final String[] units = {"kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
        double value = bps / 1_000.0;
        int unit = 0;
        while (value >= 1_000 && unit < units.length - 1)
        {
            value /= 1_000;
            unit++;
        }
        return threeDigits(value) + " " + units[unit];
    }

    /** {@code 512 B}, {@code 64.0 KiB}, {@code 5.0 MiB}; {@code -} when unknown. */
    public static String bytes(final long bytes)
    {
        if (bytes < 0)
        {
            return "-";
        }
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return threeDigits(value) + " " + units[unit];
    }

    /** A latency: {@code 850 ns}, {@code 45.2 us}, {@code 1.25 ms}, {@code 2.00 s}; {@code -} when unknown. */
    public static String latency(final long ns)
    {
        if (ns < 0)
        {
            return "-";
        }
        if (ns < 1_000)
        {
            return ns + " ns";
        }
        if (ns < 1_000_000)
        {
            return threeDigits(ns / 1e3) + " us";
        }
        if (ns < 1_000_000_000)
        {
            return threeDigits(ns / 1e6) + " ms";
        }
        return threeDigits(ns / 1e9) + " s";
    }

    /** An uptime or a wait: {@code 7s}, {@code 3m05s}, {@code 2h01m}; {@code -} when unknown. */
    public static String duration(final long ns)
    {
        if (ns < 0)
        {
            return "-";
        }
        final long s = ns / 1_000_000_000L;
        if (s < 60)
        {
            return s + "s";
        }
        if (s < 3600)
        {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** A count, {@code -} when unknown. */
    public static String count(final long value)
    {
        return value < 0 ? "-" : Long.toString(value);
    }

    private static String threeDigits(final double value)
    {
        if (value >= 100)
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Seconds with a fraction only when it has one: {@code 3 s}, {@code 4.5 s}. */
    public static String seconds(final double s)
    {
        return (s == Math.rint(s) ? String.format(java.util.Locale.ROOT, "%.0f", s)
            : String.format(java.util.Locale.ROOT, "%.1f", s)) + " s";
    }
}
