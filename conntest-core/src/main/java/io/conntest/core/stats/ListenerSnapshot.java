package io.conntest.core.stats;

import io.conntest.core.transport.TransportProtocol;

/**
 * A listener as published.
 *
 * @param protocol  tcp/udp
 * @param host      bound host
 * @param port      bound port (the requested one while not bound)
 * @param listening bound and accepting
 * @param sessions  connections currently accepted on it
 * @param error     why binding failed, or null
 */
public record ListenerSnapshot(TransportProtocol protocol, String host, int port, boolean listening, int sessions,
    String error)
{
}
