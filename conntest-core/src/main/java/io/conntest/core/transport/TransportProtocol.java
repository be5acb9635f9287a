package io.conntest.core.transport;

import java.util.Locale;

/** The IP transport a listener or connection uses. */
public enum TransportProtocol
{
    TCP,
    UDP;

    /** Case-insensitive; throws {@link IllegalArgumentException} naming the bad value. */
    public static TransportProtocol parse(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "tcp":
                return TCP;
            case "udp":
                return UDP;
            default:
                throw new IllegalArgumentException("unknown protocol '" + text + "' (expected tcp or udp)");
        }
    }

    public String lowerName()
    {
        return this == TCP ? "tcp" : "udp";
    }
}
