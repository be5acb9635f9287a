package io.conntest.core.engine;

import java.util.Locale;

import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.wire.Ipv4Address;

/**
 * A {@code --listen} value: a conntest listener as in the seed's {@code --listen tcp:1234} ({@code tcp:1234},
 * {@code udp:1234}, {@code tcp:127.0.0.1:1234}), or a plain service of the own stack,
 * {@code udp:PORT?service=echo|discard} or {@code tcp:PORT?service=echo|discard|source} (RFC 862, RFC 863 and
 * endless bytes), so kernel tools (nc, socat, ping) can test the stack with nothing of ours on the other side, or
 * {@code tcp:PORT?service=iperf3}, an iperf3 server the engine runs on its transport (kernel sockets or the stack).
 * The one listen value of the project: the command line parses into it and the engine takes it.
 *
 * @param protocol tcp or udp
 * @param host     address to bind ({@code 0.0.0.0} by default)
 * @param port     port (0 = any, for tests; {@link #parse} takes 1..65535)
 * @param service  what the listener does with what it gets
 */
public record ListenSpec(TransportProtocol protocol, String host, int port, Service service)
{
    public static final String ANY_HOST = "0.0.0.0";

    /** What a listener does. */
    public enum Service
    {
        /** Speaks the conntest protocol (the engine). */
        CONNTEST,
        /** Sends every datagram or byte back to its sender (RFC 862). */
        ECHO,
        /** Drops everything it gets (RFC 863). */
        DISCARD,
        /** TCP only: sends endless bytes to whoever connects (a character-generator-like source). */
        SOURCE,
        /** TCP only: an iperf3 server (iperf3 3.x clients measure against it), run by the engine on its transport. */
        IPERF3;

        /** The name in {@code ?service=NAME}. */
        public String lowerName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ListenSpec
    {
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("bad port " + port + " (expected 0-65535)");
        }
        if ((service == Service.SOURCE || service == Service.IPERF3) && protocol != TransportProtocol.TCP)
        {
            throw new IllegalArgumentException("service " + service.lowerName() + " is TCP only");
        }
    }

    /** A conntest listener. */
    public ListenSpec(final TransportProtocol protocol, final String host, final int port)
    {
        this(protocol, host, port, Service.CONNTEST);
    }

    /** A conntest listener on every address. */
    public ListenSpec(final TransportProtocol protocol, final int port)
    {
        this(protocol, ANY_HOST, port, Service.CONNTEST);
    }

    /** Whether this listener speaks conntest (else it is a plain service of the own stack, or iperf3). */
    public boolean isConntest()
    {
        return service == Service.CONNTEST;
    }

    /** Whether the engine runs this listener on its transport (conntest or iperf3), on kernel sockets or a TAP. */
    public boolean isEngineService()
    {
        return service == Service.CONNTEST || service == Service.IPERF3;
    }

    /**
     * Parses {@code PROTO:[HOST:]PORT[?service=NAME]}; the service defaults to conntest. HOST is an IPv4 address or
     * an IPv6 literal in brackets ({@code tcp:[::]:1234}, {@code udp:[::1]:1234}, RFC 3986 style).
     */
    public static ListenSpec parse(final String text)
    {
        final int query = text.indexOf('?');
        final String main = (query < 0 ? text : text.substring(0, query)).trim();
        final int firstColon = main.indexOf(':');
        final String[] parts;
        if (firstColon > 0 && main.length() > firstColon + 1 && main.charAt(firstColon + 1) == '[')
        {
            final int close = main.indexOf(']', firstColon);
            if (close < 0 || close + 1 >= main.length() || main.charAt(close + 1) != ':')
            {
                throw new IllegalArgumentException("'" + text + "' is not PROTO:[IPV6]:PORT (e.g. tcp:[::]:1234)");
            }
            parts = new String[] {main.substring(0, firstColon), main.substring(firstColon + 2, close),
                main.substring(close + 2)};
        }
        else
        {
            parts = main.split(":", -1);
        }
        if (parts.length != 2 && parts.length != 3)
        {
            throw new IllegalArgumentException("'" + text + "' is not PROTO:PORT (e.g. tcp:1234 or udp:7?service=echo)");
        }
        final TransportProtocol protocol;
        try
        {
            protocol = TransportProtocol.parse(parts[0]);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("'" + text + "': protocol '" + parts[0] + "' is not tcp or udp");
        }
        final String host = parts.length == 3 ? canonicalHost(text, parts[1]) : ANY_HOST;
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
        final Service service = query < 0 ? Service.CONNTEST : parseService(text, text.substring(query + 1));
        if ((service == Service.SOURCE || service == Service.IPERF3) && protocol != TransportProtocol.TCP)
        {
            throw new IllegalArgumentException("'" + text + "': service " + service.lowerName() + " is TCP only");
        }
        return new ListenSpec(protocol, host, port, service);
    }

    /** An IPv4 address as it is, an IPv6 literal in its RFC 5952 form; anything else is refused (no names here). */
    private static String canonicalHost(final String text, final String host)
    {
        if (host.indexOf(':') < 0)
        {
            try
            {
                Ipv4Address.parse(host);
                return host;
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IPv4 address (an IPv6 "
                    + "address goes in brackets: tcp:[::1]:1234)");
            }
        }
        if (!host.matches("[0-9A-Fa-f:.]+") || host.indexOf(':') == host.lastIndexOf(':'))
        {
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IPv6 address");
        }
        try
        {
            return io.conntest.core.transport.HostText.of(java.net.InetAddress.getByName(host));
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IPv6 address");
        }
    }

    private static Service parseService(final String text, final String query)
    {
        Service service = Service.CONNTEST;
        for (final String pair : query.split("&"))
        {
            final int eq = pair.indexOf('=');
            final String key = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            final String value = eq < 0 ? "" : pair.substring(eq + 1).toLowerCase(Locale.ROOT);
            if (!key.equals("service"))
            {
                throw new IllegalArgumentException("'" + text + "': unknown option '" + key + "' (known: service)");
            }
            service = null;
            for (final Service s : Service.values())
            {
                if (s.lowerName().equals(value))
                {
                    service = s;
                }
            }
            if (service == null)
            {
                throw new IllegalArgumentException("'" + text + "': unknown service '" + value
                    + "' (known: conntest, echo, discard, source, iperf3)");
            }
        }
        return service;
    }

    @Override
    public String toString()
    {
        return protocol.lowerName() + ":" + (ANY_HOST.equals(host) ? "" : host.indexOf(':') >= 0 ? "[" + host + "]:"
            : host + ":") + port
            + (service == Service.CONNTEST ? "" : "?service=" + service.lowerName());
    }
}
