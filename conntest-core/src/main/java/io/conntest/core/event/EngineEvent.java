package io.conntest.core.event;

import io.conntest.core.nat.NatTestResult;
import io.conntest.core.nat.PathMtuResult;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.DhcpStep;
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
 * @param direction       BANDWIDTH_RESULT: "up" (this side sent) or "down" (this side received), else null
 * @param bytes           BANDWIDTH_RESULT: payload bytes the receiver counted, else -1
 * @param durationNs      BANDWIDTH_RESULT: the receiver's duration of the test, else -1
 * @param bitsPerSecond   BANDWIDTH_RESULT: bytes × 8 / duration, else -1
 * @param natTest         NAT_TEST: the verdicts, else null
 * @param pathMtu         PATH_MTU: the result, else null
 * @param dhcp            DHCP: the client's step, else null
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
    String message,
    String direction,
    long bytes,
    long durationNs,
    long bitsPerSecond,
    NatTestResult natTest,
    PathMtuResult pathMtu,
    DhcpStep dhcp)
{
    /** An event with bandwidth figures and maybe a NAT test, no path MTU test and no DHCP step. */
    public EngineEvent(final long timeNs, final long epochMillis, final EventType type, final long connectionKey,
        final Side side, final TransportProtocol protocol, final String host, final int port, final String peerName,
        final FailureReason reason, final String message, final String direction, final long bytes,
        final long durationNs, final long bitsPerSecond, final NatTestResult natTest)
    {
        this(timeNs, epochMillis, type, connectionKey, side, protocol, host, port, peerName, reason, message, direction,
            bytes, durationNs, bitsPerSecond, natTest, null, null);
    }

    /** A {@link EventType#PATH_MTU} event about the peer {@code host:port}. */
    public static EngineEvent pathMtu(final long timeNs, final long epochMillis, final Side side,
        final TransportProtocol protocol, final String host, final int port, final PathMtuResult result)
    {
        return new EngineEvent(timeNs, epochMillis, EventType.PATH_MTU, 0, side, protocol, host, port, null, null,
            result.describe(), null, -1, -1, -1, null, result, null);
    }

    /** A {@link EventType#DHCP} event. */
    public static EngineEvent dhcp(final long timeNs, final long epochMillis, final DhcpStep step)
    {
        return new EngineEvent(timeNs, epochMillis, EventType.DHCP, 0, null, null, null, 0, null, null,
            step.describe(), null, -1, -1, -1, null, null, step);
    }

    /** An event with bandwidth figures (or none: -1) and no NAT test. */
    public EngineEvent(final long timeNs, final long epochMillis, final EventType type, final long connectionKey,
        final Side side, final TransportProtocol protocol, final String host, final int port, final String peerName,
        final FailureReason reason, final String message, final String direction, final long bytes,
        final long durationNs, final long bitsPerSecond)
    {
        this(timeNs, epochMillis, type, connectionKey, side, protocol, host, port, peerName, reason, message, direction,
            bytes, durationNs, bitsPerSecond, null, null, null);
    }

    /** An event without bandwidth figures. */
    public EngineEvent(final long timeNs, final long epochMillis, final EventType type, final long connectionKey,
        final Side side, final TransportProtocol protocol, final String host, final int port, final String peerName,
        final FailureReason reason, final String message)
    {
        this(timeNs, epochMillis, type, connectionKey, side, protocol, host, port, peerName, reason, message, null, -1,
            -1, -1, null, null, null);
    }
}
