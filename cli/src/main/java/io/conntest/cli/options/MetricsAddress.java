package io.conntest.cli.options;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where {@code --metrics} serves: an IP literal and a port, {@code 127.0.0.1:9464}, {@code 0.0.0.0:9464} or
 * {@code [::1]:9464}. Only literals: a name would be looked up at start and could bind somewhere the user did not
 * mean, and the endpoint binds exactly what is given.
 *
 * @param host the address as given (without brackets), an IPv4 or IPv6 literal
 * @param port 1 to 65535
 */
public record MetricsAddress(String host, int port)
{
    private static final String EXAMPLE = " (e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464)";

    /** Parses {@code ADDR:PORT}; a bad value throws {@link IllegalArgumentException} with a message for people. */
    public static MetricsAddress parse(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("'" + text + "' is not ADDR:PORT" + EXAMPLE);
        }
        String host = text.substring(0, colon);
        final String portText = text.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "': bad port '" + portText + "' (expected 1-65535)");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("'" + text + "': bad port " + port + " (expected 1-65535)");
        }
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
            if (!isIpv6Literal(host))
            {
                throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IPv6 address" + EXAMPLE);
            }
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("'" + text + "': an IPv6 address goes in brackets" + EXAMPLE);
        }
        else
        {
            try
            {
                Ipv4Cidr.parseAddress(host);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IP address" + EXAMPLE);
            }
        }
        return new MetricsAddress(host, port);
    }

    /** Whether {@code host} is an IPv6 literal; a text with a colon is never looked up by name. */
    private static boolean isIpv6Literal(final String host)
    {
        if (host.indexOf(':') < 0 || !host.matches("[0-9A-Fa-f:.]+"))
        {
            return false;
        }
        try
        {
            InetAddress.getByName(host);
            return true;
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    @Override
    public String toString()
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
