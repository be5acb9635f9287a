package io.conntest.core.event;

import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

/**
 * One engine event. Immutable.
 *
 * @param timeNs          engine clock (monotonic, ns)
 * @param epochMillis     wall clock when the event was made
 * @param type            what happened
 * @param connectionKey   the {@link io.conntest.core.stats.ConnectionSnapshot#key()} it concerns, or 0
 * @param side            client (outgoing) or server (accepted), null for engine-wide events
 * @param protocol        tcp/udp, or null
 * @param host            peer host (for listener events the bound host), or null
 * @param port            peer port (for listener events the bound port), or 0
 * @param peerName        the peer's instance name once known, else null
 * @param reason          the classified failure for CONNECT_FAILED, CLOSED, ERROR, else null
 * @param message         a human-readable line
 */
public record EngineEvent(
    long timeNs,
    long epochMillis,
    EventType type,
    long connectionKey,
    Side side,
    TransportProtocol protocol,
    String host,
    int port,
    String peerName,
    FailureReason reason,
    String message)
{
}
