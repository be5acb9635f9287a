package io.conntest.core.engine;

import java.util.Locale;

/**
 * What one bandwidth test of a connection moves ({@code bandwidth=} in a connect URI): {@link #TURN} up then down
 * (the default), {@link #UP} the connecting side sends only, {@link #DOWN} the accepting side sends only,
 * {@link #DUPLEX} both send at once on the one connection (as iperf2's {@code --full-duplex}).
 */
public enum BandwidthShape
{
    TURN,
    UP,
    DOWN,
    DUPLEX;

    /** The option value, lower case. */
    public String optionValue()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an option value (case-insensitive); throws {@link IllegalArgumentException} naming it. */
    public static BandwidthShape parse(final String text)
    {
        for (final BandwidthShape shape : values())
        {
            if (shape.name().equalsIgnoreCase(text.trim()))
            {
                return shape;
            }
        }
        throw new IllegalArgumentException("bad bandwidth shape '" + text + "' (expected turn, up, down or duplex)");
    }
}
