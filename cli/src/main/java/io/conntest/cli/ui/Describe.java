package io.conntest.cli.ui;

import io.conntest.core.transport.HostText;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.Side;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The plain-text wording shared by the log, text and TUI outputs. */
public final class Describe
{
    static final DateTimeFormatter CLOCK_MS = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Describe()
    {
    }

    /** {@code connect-failed}, the word for an event type. */
    public static String type(final EventType type)
    {
        return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code out} for a connection this instance made, {@code in} for one it accepted. */
    public static String direction(final Side side)
    {
        return side == null ? "" : side == Side.CLIENT ? "out" : "in";
    }

    /** One log line: {@code 12:00:00.123 sender: connect-failed out tcp 127.0.0.1:1234: refused: Connection refused}. */
    public static String eventLine(final String instance, final EngineEvent e)
    {
        final StringBuilder line = new StringBuilder(128);
        line.append(CLOCK_MS.format(Instant.ofEpochMilli(e.epochMillis()))).append(' ').append(instance).append(": ")
            .append(type(e.type()));
        if (e.side() != null)
        {
            line.append(' ').append(direction(e.side()));
        }
        if (e.protocol() != null)
        {
            line.append(' ').append(e.protocol().lowerName());
        }
        if (e.host() != null)
        {
            line.append(' ').append(HostText.withPort(e.host(), e.port()));
        }
        if (e.peerName() != null)
        {
            line.append(" (").append(e.peerName()).append(')');
        }
        line.append(": ");
        if (e.reason() != null && e.type() != EventType.LISTEN_FAILED)
        {
            line.append(e.reason().name().toLowerCase(Locale.ROOT)).append(": ");
        }
        line.append(e.message());
        return line.toString();
    }

    /** Why a connection is not up: {@code refused (Connection refused), next try in 2s}; null when it is up. */
    public static String trouble(final ConnectionSnapshot c)
    {
        if (c.state() == ConnectionState.CONNECTED || c.lastFailure() == null && c.state() != ConnectionState.RETRYING)
        {
            return null;
        }
        final StringBuilder why = new StringBuilder();
        if (c.lastFailure() != null)
        {
            why.append(c.lastFailure().name().toLowerCase(Locale.ROOT));
            if (c.lastError() != null && !c.lastError().isEmpty())
            {
                why.append(" (").append(c.lastError()).append(')');
            }
        }
        if (c.nextRetryInNs() >= 0)
        {
            why.append(why.length() == 0 ? "" : ", ").append("next try in ").append(Human.duration(c.nextRetryInNs()));
        }
        return why.toString();
    }

    /**
     * A connection's figures at the end of a run, as the text and log outputs print them: {@code latency
     * min/p50/p99/max 30.0 us / 45.0 us / 90.0 us / 120 us (42 probes) up avg 1.10 Gbit/s down avg 990 Mbit/s tests 4
     * bytes 2250000/2000000 retries 0 failures 0}, then for UDP {@code lost N out-of-order N duplicate N
     * retransmitted N}.
     */
    public static String summaryFigures(final ConnectionSnapshot c)
    {
        return "RTT/2 idle min/p50/p99/max " + Human.latency(c.latencyMinNs()) + " / "
            + Human.latency(c.latencyP50Ns()) + " / " + Human.latency(c.latencyP99Ns()) + " / "
            + Human.latency(c.latencyMaxNs()) + " (" + c.latencySamples() + " probes)"
            + " loaded p50/p99/max " + Human.latency(c.latencyLoadedP50Ns()) + " / "
            + Human.latency(c.latencyLoadedP99Ns()) + " / " + Human.latency(c.latencyLoadedMaxNs())
            + " (" + c.latencyLoadedSamples() + " probes) answered " + c.probesAnswered()
            + " up avg " + Human.bitRate(c.bandwidthUpAvgBps()) + " down avg "
            + Human.bitRate(c.bandwidthDownAvgBps()) + " tests " + c.bandwidthTests()
            + " bytes " + c.bytesSent() + "/" + c.bytesReceived() + " retries " + c.retries()
            + " failures " + c.connectFailures()
            + (c.udpLost() >= 0 ? " lost " + c.udpLost() + " out-of-order " + c.udpOutOfOrder()
                + " duplicate " + c.udpDuplicate() + " retransmitted " + c.udpRetransmitted()
                + (c.udpJitterNs() >= 0 ? " jitter " + Human.latency(c.udpJitterNs()) : "")
                + (c.udpLostIncoming() >= 0 ? " lost-by-peer " + c.udpLostIncoming() : "") : "");
    }

    /** The peer's name, or {@code ?} until its hello. */
    public static String peer(final ConnectionSnapshot c)
    {
        return c.peerName() == null ? "?" : c.peerName();
    }

    /** The state word: {@code connected}, {@code retrying}, ... */
    public static String state(final ConnectionSnapshot c)
    {
        return c.state().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a row's figures are stale: not connected now, but it has figures of an earlier connection (they are
     * shown, marked, never as if current).
     */
    public static boolean stale(final ConnectionSnapshot c)
    {
        return c.stale() && (c.latencySamples() + c.latencyLoadedSamples() + c.bandwidthTests() > 0);
    }

    /**
     * One text line for a connection: {@code sender out tcp 127.0.0.1:1234 receiver connected RTT/2 45.2 us loaded
     * 700 us now up 1.15 Gbit/s down 3.00 Mbit/s last test up 1.21 Gbit/s down 980 Mbit/s uptime 3s retries 0
     * packets 123/120 size 64.0 KiB}: RTT/2 is the last probe's, loaded the median of probes behind a bandwidth
     * test, "now" what moved in the last second each way, "last test" the result of the last bandwidth test. A row
     * that is not connected says {@code stale} before figures of its earlier connection.
     */
    public static String connectionLine(final String instance, final ConnectionSnapshot c)
    {
        return connectionLine(instance, c, peer(c));
    }

    /** As {@link #connectionLine(String, ConnectionSnapshot)}, with the peer's name shown as {@code peerShown}. */
    public static String connectionLine(final String instance, final ConnectionSnapshot c, final String peerShown)
    {
        final StringBuilder line = new StringBuilder(160);
        line.append(instance).append(' ').append(direction(c.side())).append(' ').append(c.protocol().lowerName())
            .append(' ').append(HostText.withPort(c.peerHost(), c.peerPort())).append(' ').append(peerShown)
            .append(' ').append(state(c))
            .append(stale(c) ? " stale" : "")
            .append(" RTT/2 ").append(Human.latency(c.latencyLastNs()))
            .append(" loaded ").append(Human.latency(c.latencyLoadedP50Ns()))
            .append(" now up ").append(Human.bitRate(c.intervalSentBps()))
            .append(" down ").append(Human.bitRate(c.intervalReceivedBps()))
            .append(" last test up ").append(Human.bitRate(c.bandwidthUpLastBps()))
            .append(" down ").append(Human.bitRate(c.bandwidthDownLastBps()))
            .append(" uptime ").append(Human.duration(c.uptimeNs()))
            .append(" retries ").append(c.retries())
            .append(" packets ").append(c.packetsSent()).append('/').append(c.packetsReceived())
            .append(" size ").append((c.packetSize() > 0 ? Human.bytes(c.packetSize()) : "-"));
        if (c.udpLost() >= 0)
        {
            line.append(" lost ").append(c.udpLost()).append(" out-of-order ").append(c.udpOutOfOrder());
            if (c.udpReorderMax() > 0)
            {
                line.append(" reorder-max ").append(c.udpReorderMax());
            }
            if (c.udpJitterNs() >= 0)
            {
                line.append(" jitter ").append(Human.latency(c.udpJitterNs()));
            }
        }
        if (c.tcpSrttNs() >= 0)
        {
            // the transport's own view of the connection: the stack's figures, or the kernel's TCP_INFO
            line.append(" tcp srtt ").append(Human.latency(c.tcpSrttNs()))
                .append(" rttvar ").append(Human.latency(c.tcpRttVarNs()))
                .append(" cwnd ").append(Human.bytes(c.tcpCwndBytes()))
                .append(" retransmits ").append(c.tcpRetransmissions())
                .append(" pmtu ").append(c.tcpPmtuBytes());
        }
        if (c.verificationErrors() > 0)
        {
            line.append(" corrupted ").append(c.verificationErrors());
        }
        path(line, c.path());
        final String trouble = trouble(c);
        if (trouble != null)
        {
            line.append(" (").append(trouble).append(')');
        }
        return line.toString();
    }

    /**
     * What the peer saw of this end's packets, in the line's key-value style: {@code seen-as 10.9.0.1:40312
     * translated hops 1 dscp 0->8 rewritten ecn 0}; nothing until the peer told.
     */
    static void path(final StringBuilder line, final io.conntest.core.stats.PathView p)
    {
        if (p.seenAsHost() == null)
        {
            return;
        }
        line.append(" seen-as ").append(HostText.withPort(p.seenAsHost(), p.seenAsPort()));
        if (p.translated() != null)
        {
            line.append(p.translated() ? " translated" : " direct");
        }
        if (p.hops() >= 0)
        {
            line.append(" hops ").append(p.hops());
        }
        if (p.dscpSeen() >= 0)
        {
            line.append(" dscp ").append(p.dscpSent() < 0 ? "?" : Integer.toString(p.dscpSent())).append("->")
                .append(p.dscpSeen()).append(p.dscpRewritten() ? " rewritten" : "").append(" ecn ").append(p.ecnSeen());
        }
    }

    /**
     * The path line of the TUI's detail, only when it is news to someone validating a bridge or NAT: the address
     * was translated, the DSCP rewritten, or congestion marked (ECN CE); null otherwise.
     */
    public static String notablePath(final ConnectionSnapshot c)
    {
        final io.conntest.core.stats.PathView p = c.path();
        if (p.seenAsHost() == null || !(Boolean.TRUE.equals(p.translated()) || p.dscpRewritten() || p.ecnSeen() == 3))
        {
            return null;
        }
        return p.describe();
    }
}
