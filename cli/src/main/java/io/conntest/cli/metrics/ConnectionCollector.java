package io.conntest.cli.metrics;

import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.ListenerSnapshot;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The series of one instance and its connection rows, built at each scrape from the latest {@link MetricsView}
 * (one volatile read; the engine thread is never touched). Values the snapshot does not know (its -1: latency
 * before the first probe, UDP figures on TCP, TCP_INFO figures the kernel did not give) are left out rather than
 * exposed as a number. Every family, its type, labels and meaning are in docs/metrics.md.
 */
public final class ConnectionCollector implements MultiCollector
{
    private static final double SECONDS_PER_NS = 1e-9;
    private static final ConnectionState[] STATES = ConnectionState.values();
    private static final String[] STATE_NAMES = new String[STATES.length];

    static
    {
        for (int i = 0; i < STATES.length; i++)
        {
            STATE_NAMES[i] = STATES[i].name().toLowerCase(Locale.ROOT);
        }
    }

    private final Supplier<MetricsView> views;
    /** Label sets per row key, reused across scrapes; guarded by {@code this} (scrapes may come at once). */
    private final Map<Long, RowLabels> labels = new HashMap<>();
    private long generation;

    /** Reads the view to expose from {@code views} at each scrape ({@link MetricsFeed#latest()}). */
    public ConnectionCollector(final Supplier<MetricsView> views)
    {
        this.views = views;
    }

    @Override
    public MetricSnapshots collect()
    {
        final MetricsView view = views.get();
        final EngineSnapshot s = view.snapshot();
        final List<MetricSnapshot> out = new ArrayList<>(48);
        final Labels instance = Labels.of("instance_name", RowLabels.clean(s.instanceName()),
            "stack", RowLabels.clean(s.transportName()));

        final Family dropped = Family.counter("conntest_dropped_events",
            "Engine events a slow output missed (the event queue was full); counts of connects may then be low.");
        dropped.add(s.droppedEvents(), instance);
        dropped.addTo(out);
        listeners(s, instance, out);

        final Connections f = new Connections();
        final List<ConnectionSnapshot> rows = s.connections();
        final Set<Labels> seen = new HashSet<>(rows.size() * 2);
        synchronized (this)
        {
            generation++;
            for (int i = 0; i < rows.size(); i++)
            {
                final ConnectionSnapshot c = rows.get(i);
                final RowLabels l = labelsOf(s, c);
                // Two rows with the same labels would make the whole family invalid: the first is exposed.
                if (seen.add(l.base))
                {
                    f.add(c, l, i < view.connects().length ? view.connects()[i] : -1,
                        i < view.downtimeNs().length ? view.downtimeNs()[i] : -1);
                }
            }
            labels.values().removeIf(r -> r.generation != generation);
        }
        f.addTo(out);
        return new MetricSnapshots(out);
    }

    private RowLabels labelsOf(final EngineSnapshot s, final ConnectionSnapshot c)
    {
        RowLabels l = labels.get(c.key());
        if (l == null || !l.fits(s.instanceName(), s.transportName(), c))
        {
            l = new RowLabels(s.instanceName(), s.transportName(), c);
            labels.put(c.key(), l);
        }
        l.generation = generation;
        return l;
    }

    private static void listeners(final EngineSnapshot s, final Labels instance, final List<MetricSnapshot> out)
    {
        final Family bound = Family.gauge("conntest_listener_up",
            "1 when the listener is bound and accepting, 0 while binding fails (it is retried).");
        final Family sessions = Family.gauge("conntest_listener_sessions",
            "Connections this listener has accepted that are open now.");
        final Set<Labels> seen = new HashSet<>();
        for (final ListenerSnapshot l : s.listeners())
        {
            final Labels labels = instance.add("protocol", l.protocol().lowerName())
                .add("listen_address", RowLabels.address(l.host() == null ? "0.0.0.0" : l.host(), l.port()));
            if (seen.add(labels))
            {
                bound.add(l.listening() ? 1 : 0, labels);
                sessions.add(l.sessions(), labels);
            }
        }
        bound.addTo(out);
        sessions.addTo(out);
    }

    /** The per-connection families of one scrape. */
    private static final class Connections
    {
        final StateSetSnapshot.Builder state = StateSetSnapshot.builder().name("conntest_connection_state")
            .help("The row's state: connecting, connected, retrying, closed, or covered (an outgoing peer whose "
                + "pair is carried by the peer's own connection to this instance).");
        boolean anyState;
        final Family up = Family.gauge("conntest_connection_up",
            "1 when the pair is connected (this row connected, or covered by the peer's connection), else 0.");
        final Family connects = Family.counter("conntest_connection_connects",
            "Connections established for this row (CONNECTED events seen since the endpoint started).");
        final Family reconnects = Family.counter("conntest_connection_reconnects",
            "Reconnect attempts after the first attempt (outgoing peers).");
        final Family failures = Family.counter("conntest_connection_failures",
            "Failed attempts and lost connections.");
        final Family downtime = Family.counter("conntest_connection_downtime_seconds",
            "Time the row was neither connected nor covered, from the published snapshots: when a connection came "
                + "up is exact (its uptime), when one was lost is known to the publish interval (at most 250 ms).");
        final Family uptime = Family.gauge("conntest_connection_uptime_seconds",
            "Time since the current connection was established; 0 when not connected.");
        final SummarySnapshot.Builder latency = SummarySnapshot.builder().name("conntest_latency_seconds")
            .help("One-way latency as RTT/2 of the conntest latency probes over the whole run (HdrHistogram, 3 "
                + "significant digits); load=idle: no bandwidth test ran while the probe was out, load=loaded: one "
                + "did (the probe queued behind its data). _count is the probes measured; no _sum is published.");
        boolean anyLatency;
        final Family latencyMax = Family.gauge("conntest_latency_max_seconds",
            "Largest one-way latency (RTT/2) measured, per load.");
        final Family latencyMin = Family.gauge("conntest_latency_min_seconds",
            "Smallest one-way latency (RTT/2) of the idle probes.");
        final Family latencyLast = Family.gauge("conntest_latency_last_seconds",
            "One-way latency (RTT/2) of the last probe, idle or loaded.");
        final Family sentBytes = Family.counter("conntest_sent_bytes",
            "Bytes this side handed to the transport on this row (conntest frame headers included).");
        final Family receivedBytes = Family.counter("conntest_received_bytes",
            "Bytes this side received from the transport on this row.");
        final Family sentPackets = Family.counter("conntest_sent_frames", "conntest frames this side sent.");
        final Family receivedPackets = Family.counter("conntest_received_frames",
            "conntest frames this side received.");
        final Family throughput = Family.gauge("conntest_throughput_bits_per_second",
            "Bits moved in the last throughput window (about 1 s); way=up: sent by this side, way=down: received.");
        final Family bandwidthLast = Family.gauge("conntest_bandwidth_last_bits_per_second",
            "Result of the last bandwidth test, as the receiver measured it; way=up: this side to the peer, "
                + "way=down: the peer to this side.");
        final Family bandwidthAvg = Family.gauge("conntest_bandwidth_average_bits_per_second",
            "Bytes over time of every bandwidth test so far, per way.");
        final Family bandwidthTests = Family.counter("conntest_bandwidth_tests",
            "Bandwidth tests completed, both ways.");
        final Family verification = Family.counter("conntest_verification_errors",
            "Corrupted payload bytes found (by this side, plus those the peer reported).");
        final Family udpLost = Family.counter("conntest_udp_lost",
            "UDP messages this side declared lost on their way to the peer (way=up), or the peer declared lost on "
                + "their way here (way=down, as the peer tells it).");
        final Family udpOutOfOrder = Family.counter("conntest_udp_out_of_order",
            "UDP packets this side received out of order.");
        final Family udpDuplicate = Family.counter("conntest_udp_duplicate", "UDP duplicates this side received.");
        final Family udpRetransmitted = Family.counter("conntest_udp_retransmitted",
            "UDP packets this side retransmitted (conntest's reliable UDP).");
        final Family udpReorder = Family.gauge("conntest_udp_reorder_max",
            "Largest reorder distance of a received UDP message, in sequence numbers.");
        final Family udpJitter = Family.gauge("conntest_udp_jitter_seconds",
            "RFC 3550 section 6.4.1 interarrival jitter of the UDP data this side received.");
        final Family tcpRetrans = Family.counter("conntest_tcp_retransmissions",
            "TCP retransmissions of the current connection (the own stack's, or the kernel's TCP_INFO).");
        final Family tcpSrtt = Family.gauge("conntest_tcp_srtt_seconds", "TCP smoothed round-trip time.");
        final Family tcpRttVar = Family.gauge("conntest_tcp_rttvar_seconds", "TCP round-trip time variation.");
        final Family tcpCwnd = Family.gauge("conntest_tcp_cwnd_bytes", "TCP congestion window.");
        final Family tcpPmtu = Family.gauge("conntest_tcp_pmtu_bytes",
            "TCP path MTU (the own stack: its interface MTU).");

        void add(final ConnectionSnapshot c, final RowLabels l, final long connected, final long downtimeNs)
        {
            final Labels b = l.base;
            final StateSetDataPointSnapshot.Builder point = StateSetDataPointSnapshot.builder().labels(b);
            for (int i = 0; i < STATES.length; i++)
            {
                point.state(STATE_NAMES[i], c.state() == STATES[i]);
            }
            state.dataPoint(point.build());
            anyState = true;
            up.add(c.state() == ConnectionState.CONNECTED || c.state() == ConnectionState.COVERED ? 1 : 0, b);
            connects.add(connected, b);
            reconnects.add(c.retries(), b);
            failures.add(c.connectFailures(), b);
            downtime.add(seconds(downtimeNs), b);
            uptime.add(seconds(c.uptimeNs()), b);
            if (c.latencySamples() > 0)
            {
                summary(c.latencySamples(), c.latencyP50Ns(), c.latencyP90Ns(), c.latencyP99Ns(), l.idle);
                latencyMax.add(seconds(c.latencyMaxNs()), l.idle);
                latencyMin.add(seconds(c.latencyMinNs()), b);
            }
            if (c.latencyLoadedSamples() > 0)
            {
                summary(c.latencyLoadedSamples(), c.latencyLoadedP50Ns(), c.latencyLoadedP90Ns(),
                    c.latencyLoadedP99Ns(), l.loaded);
                latencyMax.add(seconds(c.latencyLoadedMaxNs()), l.loaded);
            }
            latencyLast.add(seconds(c.latencyLastNs()), b);
            sentBytes.add(c.bytesSent(), b);
            receivedBytes.add(c.bytesReceived(), b);
            sentPackets.add(c.packetsSent(), b);
            receivedPackets.add(c.packetsReceived(), b);
            throughput.add(c.intervalSentBps(), l.up);
            throughput.add(c.intervalReceivedBps(), l.down);
            bandwidthLast.add(c.bandwidthUpLastBps(), l.up);
            bandwidthLast.add(c.bandwidthDownLastBps(), l.down);
            bandwidthAvg.add(c.bandwidthUpAvgBps(), l.up);
            bandwidthAvg.add(c.bandwidthDownAvgBps(), l.down);
            bandwidthTests.add(c.bandwidthTests(), b);
            verification.add(c.verificationErrors(), b);
            udpLost.add(c.udpLost(), l.up);
            udpLost.add(c.udpLostIncoming(), l.down);
            udpOutOfOrder.add(c.udpOutOfOrder(), b);
            udpDuplicate.add(c.udpDuplicate(), b);
            udpRetransmitted.add(c.udpRetransmitted(), b);
            udpReorder.add(c.udpReorderMax(), b);
            udpJitter.add(seconds(c.udpJitterNs()), b);
            tcpRetrans.add(c.tcpRetransmissions(), b);
            tcpSrtt.add(seconds(c.tcpSrttNs()), b);
            tcpRttVar.add(seconds(c.tcpRttVarNs()), b);
            tcpCwnd.add(c.tcpCwndBytes(), b);
            tcpPmtu.add(c.tcpPmtuBytes(), b);
        }

        private void summary(final long count, final long p50Ns, final long p90Ns, final long p99Ns,
            final Labels labels)
        {
            latency.dataPoint(SummaryDataPointSnapshot.builder().count(count)
                .quantiles(Quantiles.of(new Quantile(0.5, seconds(p50Ns)), new Quantile(0.9, seconds(p90Ns)),
                    new Quantile(0.99, seconds(p99Ns))))
                .labels(labels).build());
            anyLatency = true;
        }

        void addTo(final List<MetricSnapshot> out)
        {
            if (anyState)
            {
                out.add(state.build());
            }
            up.addTo(out);
            connects.addTo(out);
            reconnects.addTo(out);
            failures.addTo(out);
            downtime.addTo(out);
            uptime.addTo(out);
            if (anyLatency)
            {
                out.add(latency.build());
            }
            for (final Family f : List.of(latencyMax, latencyMin, latencyLast, sentBytes, receivedBytes, sentPackets,
                receivedPackets, throughput, bandwidthLast, bandwidthAvg, bandwidthTests, verification, udpLost,
                udpOutOfOrder, udpDuplicate, udpRetransmitted, udpReorder, udpJitter, tcpRetrans, tcpSrtt, tcpRttVar,
                tcpCwnd, tcpPmtu))
            {
                f.addTo(out);
            }
        }
    }

    /** Nanoseconds as seconds; unknown (negative) stays negative so the point is left out. */
    static double seconds(final long ns)
    {
        return ns < 0 ? -1 : ns * SECONDS_PER_NS;
    }
}
