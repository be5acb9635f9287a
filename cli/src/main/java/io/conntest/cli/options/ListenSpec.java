package io.conntest.cli.options;

import java.util.Locale;

/**
 * A {@code --listen} value: {@code udp:PORT?service=echo} or {@code udp:PORT?service=discard}.
 *
 * @param protocol "udp" (TCP comes with the TCP stack).
 * @param port     1 to 65535.
 * @param service  what the listener does with what it gets.
 */
public record ListenSpec(String protocol, int port, Service service)
{
    /** What a listener does. */
    public enum Service
    {
        /** Sends every datagram back to its sender (RFC 862). */
        ECHO,
        /** Drops every datagram (RFC 863). */
        DISCARD
    }

    /** Parses {@code PROTO:PORT[?service=NAME]}; the service defaults to echo. */
    public static ListenSpec parse(final String text)
    {
        final int colon = text.indexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not PROTO:PORT (e.g. udp:7?service=echo)");
        }
        final String protocol = text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!protocol.equals("udp"))
        {
            throw new IllegalArgumentException("'" + text + "': protocol '" + protocol
                + "' is not supported yet (only udp)");
        }
        final int query = text.indexOf('?', colon);
        final String portText = query < 0 ? text.substring(colon + 1) : text.substring(colon + 1, query);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "': port '" + portText + "' is not a number");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is not in 1..65535");
        }
        Service service = Service.ECHO;
        if (query >= 0)
        {
            for (final String pair : text.substring(query + 1).split("&"))
            {
                final int eq = pair.indexOf('=');
                final String key = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                final String value = eq < 0 ? "" : pair.substring(eq + 1).toLowerCase(Locale.ROOT);
                if (!key.equals("service"))
                {
                    throw new IllegalArgumentException("'" + text + "': unknown option '" + key
                        + "' (known: service)");
                }
                switch (value)
                {
                    case "echo":
                        service = Service.ECHO;
                        break;
                    case "discard":
                        service = Service.DISCARD;
                        break;
                    default:
                        throw new IllegalArgumentException("'" + text + "': unknown service '" + value
                            + "' (known: echo, discard)");
                }
            }
        }
        return new ListenSpec(protocol, port, service);
    }

    @Override
    public String toString()
    {
        return protocol + ":" + port + "?service=" + service.name().toLowerCase(Locale.ROOT);
    }
}
