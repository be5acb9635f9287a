package io.conntest.core.engine;

import io.conntest.core.transport.TransportProtocol;

/**
 * A port to listen on, as in the seed's {@code --listen tcp:1234}.
 *
 * @param protocol tcp or udp
 * @param host     address to bind ({@code 0.0.0.0} by default)
 * @param port     port (0 = any, for tests)
 */
public record ListenSpec(TransportProtocol protocol, String host, int port)
{
    public static final String ANY_HOST = "0.0.0.0";

    public ListenSpec
    {
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("bad port " + port + " (expected 0-65535)");
        }
    }

    public ListenSpec(final TransportProtocol protocol, final int port)
    {
        this(protocol, ANY_HOST, port);
    }

    /** Parses {@code PROTO:PORT} or {@code PROTO:HOST:PORT}. */
    public static ListenSpec parse(final String text)
    {
        final String[] parts = text.trim().split(":");
        if (parts.length != 2 && parts.length != 3)
        {
            throw new IllegalArgumentException("bad listen spec '" + text + "' (expected PROTO:PORT, e.g. tcp:1234)");
        }
        final TransportProtocol protocol = TransportProtocol.parse(parts[0]);
        final String host = parts.length == 3 ? parts[1] : ANY_HOST;
        return new ListenSpec(protocol, host, ConnectSpec.parsePort(parts[parts.length - 1], text));
    }

    @Override
    public String toString()
    {
        return protocol.lowerName() + ":" + (ANY_HOST.equals(host) ? "" : host + ":") + port;
    }
}
