package io.conntest.cli.options;

import java.util.Locale;

/** The {@code --ui} choices; {@code notty} (the original's name for its TUI) is accepted for {@link #TUI}. */
public enum UiMode
{
    /** Live full-screen table (lanterna), the default on a terminal. */
    TUI,
    /** One line per event and per packet, as the original's log UI. */
    LOG,
    /** One plain line per connection per interval, the default when stdout is not a terminal. */
    TEXT,
    /** JSON lines: one object per line. */
    JSON,
    /** Comma-separated values: a header line, then one row per connection per interval. */
    CSV;

    /** Parses a {@code --ui} value, case-insensitively. */
    public static UiMode parse(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t)
        {
            case "tui":
            case "notty":
                return TUI;
            case "log":
                return LOG;
            case "text":
                return TEXT;
            case "json":
                return JSON;
            case "csv":
                return CSV;
            default:
                throw new IllegalArgumentException("'" + text + "' is not an output (tui, log, text, json, csv)");
        }
    }

    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
