package io.conntest.cli.options;

import java.util.Locale;

/**
 * A {@code --listen} value: {@code tcp:1234}, {@code udp:1234}, {@code tcp:127.0.0.1:1234} (a conntest listener,
 * as in the seed), or {@code udp:PORT?service=echo|discard} (a plain UDP service on the own stack).
 *
 * @param protocol "tcp" or "udp".
 * @param port     1 to 65535.
 * @param service  what the listener does with what it gets.
 * @param host     the address to bind ({@code 0.0.0.0} unless given).
 */
public record ListenSpec(String protocol, int port, Service service, String host)
{
    /** The address a listener binds when none is given. */
    public static final String ANY_HOST = "0.0.0.0";

    /** What a listener does. */
    public enum Service
    {
        /** Speaks the conntest protocol (the engine). On the stack-only instance a plain UDP port is an echo. */
        CONNTEST,
        /** Sends every datagram back to its sender (RFC 862). */
        ECHO,
        /** Drops every datagram (RFC 863). */
        DISCARD
    }

    /** Parses {@code PROTO:[HOST:]PORT[?service=NAME]}; the service defaults to conntest. */
    public static ListenSpec parse(final String text)
    {
        final int query = text.indexOf('?');
        final String main = query < 0 ? text : text.substring(0, query);
        final String[] parts = main.split(":", -1);
        if (parts.length != 2 && parts.length != 3)
        {
            throw new IllegalArgumentException("'" + text + "' is not PROTO:PORT (e.g. tcp:1234 or udp:7?service=echo)");
        }
        final String protocol = parts[0].toLowerCase(Locale.ROOT);
        if (!protocol.equals("udp") && !protocol.equals("tcp"))
        {
            throw new IllegalArgumentException("'" + text + "': protocol '" + parts[0] + "' is not tcp or udp");
        }
        final String host = parts.length == 3 ? parts[1] : ANY_HOST;
        if (parts.length == 3)
        {
            try
            {
                Ipv4Cidr.parseAddress(host);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("'" + text + "': " + ex.getMessage());
            }
        }
        final String portText = parts[parts.length - 1];
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
        Service service = Service.CONNTEST;
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
                    case "conntest":
                        service = Service.CONNTEST;
                        break;
                    case "echo":
                        service = Service.ECHO;
                        break;
                    case "discard":
                        service = Service.DISCARD;
                        break;
                    default:
                        throw new IllegalArgumentException("'" + text + "': unknown service '" + value
                            + "' (known: conntest, echo, discard)");
                }
            }
            if (service != Service.CONNTEST && !protocol.equals("udp"))
            {
                throw new IllegalArgumentException("'" + text + "': service " + value(service) + " is UDP only");
            }
        }
        return new ListenSpec(protocol, port, service, host);
    }

    private static String value(final Service service)
    {
        return service.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString()
    {
        return protocol + ":" + (ANY_HOST.equals(host) ? "" : host + ":") + port
            + (service == Service.CONNTEST ? "" : "?service=" + value(service));
    }
}
