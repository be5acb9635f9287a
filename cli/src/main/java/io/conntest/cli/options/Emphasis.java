package io.conntest.cli.options;

import java.util.Locale;

/**
 * The {@code --ui-emphasis} colour: one of the 16 ANSI colours ({@code red}, {@code bright-red}, ...) or
 * {@code none}. {@code bright_red} and {@code brightred} are accepted too.
 */
public enum Emphasis
{
    NONE, BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE,
    BRIGHT_BLACK, BRIGHT_RED, BRIGHT_GREEN, BRIGHT_YELLOW, BRIGHT_BLUE, BRIGHT_MAGENTA, BRIGHT_CYAN, BRIGHT_WHITE;

    /** Parses a colour name, case-insensitively. */
    public static Emphasis parse(final String text)
    {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (t.startsWith("bright") && !t.startsWith("bright_"))
        {
            t = "bright_" + t.substring("bright".length());
        }
        if (t.equals("grey") || t.equals("gray"))
        {
            t = "bright_black";
        }
        for (final Emphasis e : values())
        {
            if (e.name().toLowerCase(Locale.ROOT).equals(t))
            {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a colour (black, red, green, yellow, blue, magenta, "
            + "cyan, white, bright-<colour>, none)");
    }

    /** Whether this is a bright colour. */
    public boolean bright()
    {
        return name().startsWith("BRIGHT_");
    }

    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
