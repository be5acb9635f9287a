package io.conntest.cli.ui;

import io.conntest.core.transport.HostText;
import io.conntest.core.transport.DhcpStep;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.nat.NatTestResult;
import io.conntest.core.nat.PathMtuResult;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionStats;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.ListenerSnapshot;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON lines (as iperf3's {@code --json-stream}): one object per line, flushed per line, shaped
 * {@code {"event": ..., "time": ..., "data": {...}}}. Events: {@code start} per instance, every engine event
 * (failed attempts included, with their reason), {@code interval} per connection per interval, {@code matrix} per
 * instance per interval once its peers have told it their views (the whole mesh as it sees it), {@code summary}
 * per instance at exit (with the last matrix). Base units (bytes, bits/s, ns); unknown figures are null, never NaN. Diagnostics never
 * come here (they go to stderr). Every field is in docs/output-formats.md.
 */
public final class JsonOutput extends Output
{
    private final PrintStream out;
    private final PrintStream err;
    private final IntervalClock clock;
    private final long intervalNs;
    /** Per instance and connection key: bytes sent and received at the last interval. */
    private final Map<String, long[]> lastBytes = new HashMap<>();

    public JsonOutput(final PrintStream out, final PrintStream err, final long intervalNs)
    {
        this.out = out;
        this.err = err;
        this.intervalNs = intervalNs;
        this.clock = new IntervalClock(intervalNs);
    }

    private void emit(final String event, final long epochMillis, final Json data)
    {
        out.println(new Json().put("event", event).putEpochSeconds("time", epochMillis).put("data", data));
        out.flush();
    }

    @Override
    public synchronized void onStart(final List<InstanceInfo> instances)
    {
        for (final InstanceInfo i : instances)
        {
            emit("start", System.currentTimeMillis(), new Json().put("instance", i.name()).put("stack", i.stack())
                .putStrings("addresses", i.addresses()).putStrings("listens", i.listens())
                .putStrings("connects", i.connects()).put("interval_ns", intervalNs));
        }
    }

    @Override
    public synchronized void onEvent(final String instance, final EngineEvent e)
    {
        final Json data = new Json().put("instance", instance)
            .put("connection", e.connectionKey() == 0 ? null : Long.toString(e.connectionKey()))
            .put("direction", e.side() == null ? null : Describe.direction(e.side()))
            .put("protocol", e.protocol() == null ? null : e.protocol().lowerName())
            .put("host", e.host())
            .putKnown("port", e.host() == null ? -1 : e.port())
            .put("peer_name", e.peerName())
            .put("reason", e.reason() == null ? null : e.reason().name().toLowerCase(Locale.ROOT))
            .put("message", e.message())
            .put("engine_time_ns", e.timeNs());
        if ((e.type() == EventType.BANDWIDTH_RESULT || e.type() == EventType.IPERF3) && e.bytes() >= 0)
        {
            // the figures as numbers: "up" = this side sent, "down" = this side received (the receiver measured)
            data.put("test_direction", e.direction())
                .put("bytes", e.bytes())
                .put("duration_ns", e.durationNs())
                .putKnown("bits_per_second", e.bitsPerSecond());
        }
        if (e.natTest() != null)
        {
            natTest(data, e.natTest());
        }
        if (e.pathMtu() != null)
        {
            pathMtu(data, e.pathMtu());
        }
        if (e.dhcp() != null)
        {
            dhcp(data, e.dhcp());
        }
        emit(e.type().name().toLowerCase(Locale.ROOT), e.epochMillis(), data);
    }

    /** The DHCP client's step ({@code --ipv4 dhcp}); unknown figures are null. */
    private static void dhcp(final Json data, final DhcpStep d)
    {
        data.put("step", d.step())
            .put("address", d.address())
            .putKnown("prefix_length", d.prefixLength())
            .put("router", d.gateway())
            .putStrings("dns", d.dns())
            .putKnown("mtu", d.mtu() == 0 ? -1 : d.mtu())
            .putKnown("lease_s", d.leaseSecs())
            .putKnown("t1_s", d.t1Secs())
            .putKnown("t2_s", d.t2Secs())
            .put("server", d.server())
            .put("conflict_mac", d.conflictMac());
    }

    @Override
    public synchronized void onSnapshot(final EngineSnapshot snapshot)
    {
        if (clock.isNew(snapshot.instanceName()))
        {
            // The first snapshot starts the clock: the first interval counts bytes from here.
            for (final ConnectionSnapshot c : snapshot.connections())
            {
                lastBytes.put(snapshot.instanceName() + "/" + c.key(), new long[] {c.bytesSent(), c.bytesReceived()});
            }
        }
        final long elapsedNs = clock.due(snapshot.instanceName(), snapshot.timeNs());
        if (elapsedNs < 0)
        {
            return;
        }
        final long now = System.currentTimeMillis();
        for (final ConnectionSnapshot c : snapshot.connections())
        {
            final String id = snapshot.instanceName() + "/" + c.key();
            final long[] last = lastBytes.getOrDefault(id, new long[2]);
            final long sent = Math.max(0, c.bytesSent() - last[0]);
            final long received = Math.max(0, c.bytesReceived() - last[1]);
            lastBytes.put(id, new long[] {c.bytesSent(), c.bytesReceived()});
            final Json data = connection(snapshot.instanceName(), c)
                .put("interval_ns", elapsedNs)
                .put("interval_bytes_sent", sent)
                .put("interval_bytes_received", received)
                // in floating point: bytes x 8e9 overflows a long above about 1.15 GB per interval
                .put("interval_send_bps", ConnectionStats.bitsPerSecond(sent, Math.max(1, elapsedNs)))
                .put("interval_receive_bps", ConnectionStats.bitsPerSecond(received, Math.max(1, elapsedNs)));
            emit("interval", now, data);
        }
        if (snapshot.mesh().hasPeerViews())
        {
            // the whole mesh as this instance sees it, once per interval, once its peers have told it theirs
            emit("matrix", now, MeshJson.of(snapshot.mesh()));
        }
    }

    @Override
    public synchronized void onStop(final List<EngineSnapshot> finals, final long durationNs)
    {
        for (final EngineSnapshot s : finals)
        {
            final List<Json> connections = new ArrayList<>();
            for (final ConnectionSnapshot c : s.connections())
            {
                connections.add(connection(null, c));
            }
            final List<Json> listeners = new ArrayList<>();
            for (final ListenerSnapshot l : s.listeners())
            {
                listeners.add(new Json().put("protocol", l.protocol().lowerName()).put("host", l.host())
                    .put("port", l.port()).put("listening", l.listening()).put("sessions", l.sessions())
                    .put("error", l.error()));
            }
            final Json summary = new Json().put("instance", s.instanceName())
                .put("stack", s.transportName()).put("duration_ns", durationNs)
                .put("dropped_events", s.droppedEvents()).putObjects("listeners", listeners)
                .putObjects("connections", connections).put("mesh", MeshJson.of(s.mesh()));
            if (!s.natTests().isEmpty())
            {
                final List<Json> tests = new ArrayList<>();
                for (final NatTestResult r : s.natTests())
                {
                    tests.add(natTest(new Json(), r));
                }
                summary.putObjects("nat_tests", tests);
            }
            if (!s.pathMtus().isEmpty())
            {
                final List<Json> tests = new ArrayList<>();
                for (final PathMtuResult r : s.pathMtus())
                {
                    tests.add(pathMtu(new Json(), r));
                }
                summary.putObjects("path_mtus", tests);
            }
            emit("summary", System.currentTimeMillis(), summary);
        }
    }

    /** The verdicts of one NAT test (docs/output-formats.md, "nat_test"). */
    static Json natTest(final Json j, final NatTestResult r)
    {
        return j.put("peer", r.peer())
            .put("seen_as", r.seenAs())
            .putKnown("local_port", r.seenAs() == null ? -1 : r.localPort())
            .put("mapping", r.mapping())
            .put("port_preserved", r.portPreserved())
            .put("filtering", r.filtering())
            .put("binding_lifetime_min_s", r.lifetimeMinS())
            .put("binding_lifetime_max_s", r.lifetimeMaxS())
            .put("keepalive_s", r.keepaliveS())
            .put("binding_lifetime_limit_s", r.lifetimeLimitS())
            .put("hairpinning", r.hairpinning())
            .put("hairpin_source", r.hairpinSource())
            .put("error", r.error());
    }

    /** One path MTU test (docs/output-formats.md, "path_mtu"); sizes are IPv4 packets, headers included. */
    static Json pathMtu(final Json j, final PathMtuResult r)
    {
        return j.put("peer", r.peer())
            .putKnown("path_mtu", r.pathMtu() > 0 ? r.pathMtu() : -1)
            .put("at_least", r.atLeast())
            .putKnown("local_mtu", r.localMtu() > 0 ? r.localMtu() : -1)
            .putKnown("icmp_mtu", r.icmpMtu() > 0 ? r.icmpMtu() : -1)
            .put("icmp_from", r.icmpFrom())
            .putKnown("icmp_based_mtu", r.icmpBasedMtu() > 0 ? r.icmpBasedMtu() : -1)
            .put("black_hole", r.blackHole())
            .put("local_above_path", r.localAbovePath())
            .put("probes", r.probes())
            .put("lost", r.lost())
            .put("duration_ms", r.durationMs())
            .put("error", r.error());
    }

    /** The fields of one connection; {@code instance} is left out when null. */
    static Json connection(final String instance, final ConnectionSnapshot c)
    {
        final Json j = new Json();
        if (instance != null)
        {
            j.put("instance", instance);
        }
        return j.put("connection", Long.toString(c.key()))
            .put("direction", Describe.direction(c.side()))
            .put("protocol", c.protocol().lowerName())
            .put("local_host", c.localHost())
            .putKnown("local_port", c.localHost() == null ? -1 : c.localPort())
            .put("peer_host", c.peerHost())
            .put("peer_port", c.peerPort())
            .put("family", HostText.family(c.peerHost()))
            .put("peer_name", c.peerName())
            .put("state", Describe.state(c))
            .put("uptime_ns", c.uptimeNs())
            .put("retries", c.retries())
            .put("connect_failures", c.connectFailures())
            .put("packets_sent", c.packetsSent())
            .put("packets_received", c.packetsReceived())
            .put("bytes_sent", c.bytesSent())
            .put("bytes_received", c.bytesReceived())
            .put("packet_size_bytes", c.packetSize())
            .put("monitor_bandwidth", c.monitorBandwidth())
            .putKnown("latency_last_ns", c.latencyLastNs())
            .putKnown("latency_min_ns", c.latencyMinNs())
            .putKnown("latency_p50_ns", c.latencyP50Ns())
            .putKnown("latency_p90_ns", c.latencyP90Ns())
            .putKnown("latency_p99_ns", c.latencyP99Ns())
            .putKnown("latency_max_ns", c.latencyMaxNs())
            .put("latency_samples", c.latencySamples())
            .putKnown("latency_loaded_p50_ns", c.latencyLoadedP50Ns())
            .putKnown("latency_loaded_p90_ns", c.latencyLoadedP90Ns())
            .putKnown("latency_loaded_p99_ns", c.latencyLoadedP99Ns())
            .putKnown("latency_loaded_max_ns", c.latencyLoadedMaxNs())
            .put("latency_loaded_samples", c.latencyLoadedSamples())
            .put("latency_probes_answered", c.probesAnswered())
            .putKnown("throughput_send_bps", c.intervalSentBps())
            .putKnown("throughput_receive_bps", c.intervalReceivedBps())
            .put("throughput_window_ns", c.intervalNs())
            .put("stale", c.stale())
            .putKnown("bandwidth_up_last_bps", c.bandwidthUpLastBps())
            .putKnown("bandwidth_up_avg_bps", c.bandwidthUpAvgBps())
            .putKnown("bandwidth_down_last_bps", c.bandwidthDownLastBps())
            .putKnown("bandwidth_down_avg_bps", c.bandwidthDownAvgBps())
            .put("bandwidth_tests", c.bandwidthTests())
            .put("verification_errors", c.verificationErrors())
            .putKnown("udp_lost", c.udpLost())
            .putKnown("udp_out_of_order", c.udpOutOfOrder())
            .putKnown("udp_reorder_max", c.udpReorderMax())
            .putKnown("udp_duplicate", c.udpDuplicate())
            .putKnown("udp_retransmitted", c.udpRetransmitted())
            .putKnown("udp_jitter_ns", c.udpJitterNs())
            .putKnown("udp_lost_incoming", c.udpLostIncoming())
            .putKnown("tcp_retransmissions", c.tcpRetransmissions())
            .putKnown("tcp_srtt_ns", c.tcpSrttNs())
            .putKnown("tcp_cwnd_bytes", c.tcpCwndBytes())
            .putKnown("tcp_rttvar_ns", c.tcpRttVarNs())
            .putKnown("tcp_pmtu_bytes", c.tcpPmtuBytes())
            .put("last_failure", c.lastFailure() == null ? null : c.lastFailure().name().toLowerCase(Locale.ROOT))
            .put("last_error", c.lastError())
            .putKnown("next_retry_in_ns", c.nextRetryInNs())
            .put("seen_as", c.path().seenAsHost() == null ? null : HostText.withPort(c.path().seenAsHost(), c.path().seenAsPort()))
            .put("translated", c.path().translated())
            .putKnown("hops", c.path().hops())
            .putKnown("dscp_sent", c.path().dscpSent())
            .putKnown("dscp_seen", c.path().dscpSeen())
            .putKnown("ecn_seen", c.path().ecnSeen());
    }

    @Override
    public void note(final String message)
    {
        err.println("conntest: " + message);
        err.flush();
    }
}
