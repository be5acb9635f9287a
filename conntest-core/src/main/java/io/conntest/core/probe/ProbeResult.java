package io.conntest.core.probe;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of probing one port. {@link #toString()} reads like an nmap port line:
 * {@code 80/tcp open syn-ack 0.123ms 1 attempt}.
 *
 * @param protocol the transport probed
 * @param host     the address probed
 * @param port     1 to 65535
 * @param state    what was found
 * @param reason   the evidence for {@code state}
 * @param rttNs    time from the last attempt's send to the answer, or -1 when nothing answered
 * @param attempts how many times the probe was sent (connects or datagrams), at least 0
 * @param detail   a human explanation (e.g. the local exception's message), or null
 * @param peerArrival what a conntest peer on the host said of the probe's arrival (asked for ports that gave no
 *                 answer, with {@code --confirm-with}), or null when not asked
 */
public record ProbeResult(ProbeProtocol protocol, InetAddress host, int port, PortState state, ProbeReason reason,
    long rttNs, int attempts, String detail, PeerArrival peerArrival)
{
    /** A result the peer was not asked about. */
    public ProbeResult(final ProbeProtocol protocol, final InetAddress host, final int port, final PortState state,
        final ProbeReason reason, final long rttNs, final int attempts, final String detail)
    {
        this(protocol, host, port, state, reason, rttNs, attempts, detail, null);
    }

    /** The same with the peer's word on its arrival. */
    public ProbeResult withPeerArrival(final PeerArrival arrival)
    {
        return new ProbeResult(protocol, host, port, state, reason, rttNs, attempts, detail, arrival);
    }

    /** Validates the fields. */
    public ProbeResult
    {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
        if (rttNs < -1)
        {
            throw new IllegalArgumentException("rttNs " + rttNs + " < -1");
        }
        if (attempts < 0)
        {
            throw new IllegalArgumentException("attempts " + attempts + " < 0");
        }
    }

    /** The detail, if any. */
    public Optional<String> detailText()
    {
        return Optional.ofNullable(detail);
    }

    /** True when something answered, so {@link #rttNs()} is meaningful. */
    public boolean hasRtt()
    {
        return rttNs >= 0;
    }

    @Override
    public String toString()
    {
        final StringBuilder line = new StringBuilder(64);
        line.append(port).append('/').append(protocol).append(' ').append(state).append(' ').append(reason);
        if (rttNs >= 0)
        {
            line.append(' ').append(String.format(java.util.Locale.ROOT, "%.3fms", rttNs / 1e6));
        }
        line.append(' ').append(attempts).append(attempts == 1 ? " attempt" : " attempts");
        if (detail != null)
        {
            line.append(" (").append(detail).append(')');
        }
        if (peerArrival != null)
        {
            line.append(" [peer: ").append(peerArrival.describe()).append(']');
        }
        return line.toString();
    }
}
