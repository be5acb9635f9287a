package io.conntest.cli.metrics;

import io.conntest.cli.ui.AsciiLine;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.iface.InterfaceCounters;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static io.conntest.cli.metrics.Rows.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exposition of known snapshots, written by the Prometheus client's own text format writer and read back. */
class ConnectionCollectorTest
{
    static String text(final MultiCollector... collectors) throws IOException
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        for (final MultiCollector c : collectors)
        {
            registry.register(c);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Exposition scrape(final EngineSnapshot snapshot) throws IOException
    {
        final MetricsFeed feed = new MetricsFeed("alpha", "kernel");
        feed.onSnapshot(snapshot);
        return Exposition.parse(text(new ConnectionCollector(feed::latest)));
    }

    @Test
    void everyFigureOfAConnectedTcpPeerIsASeriesWithTheRowsLabels() throws IOException
    {
        final Exposition e = scrape(Rows.snapshot(1_000 * MS, List.of(Rows.tcpUp(1, "beta", "10.0.0.2"))));
        final String[] row = {"instance_name", "alpha", "direction", "out", "protocol", "tcp", "peer_name", "beta",
            "peer_address", "10.0.0.2:1234", "stack", "kernel"};
        assertEquals(1, e.value("conntest_connection_state", with(row, "conntest_connection_state", "connected")));
        assertEquals(0, e.value("conntest_connection_state", with(row, "conntest_connection_state", "retrying")));
        assertEquals(5, e.find("conntest_connection_state", row).size(), "one point per state");
        assertEquals(1, e.value("conntest_connection_up", row));
        assertEquals(2, e.value("conntest_connection_reconnects_total", row));
        assertEquals(3, e.value("conntest_connection_failures_total", row));
        assertEquals(0, e.value("conntest_connection_downtime_seconds_total", row));
        assertEquals(3.0, e.value("conntest_connection_uptime_seconds", row), 1e-9);
        assertEquals(40e-6, e.value("conntest_latency_seconds", with(row, "load", "idle", "quantile", "0.5")), 1e-12);
        assertEquals(60e-6, e.value("conntest_latency_seconds", with(row, "load", "idle", "quantile", "0.9")), 1e-12);
        assertEquals(90e-6, e.value("conntest_latency_seconds", with(row, "load", "idle", "quantile", "0.99")), 1e-12);
        assertEquals(42, e.value("conntest_latency_seconds_count", with(row, "load", "idle")));
        assertEquals(260e-6, e.value("conntest_latency_seconds", with(row, "load", "loaded", "quantile", "0.5")),
            1e-12);
        assertEquals(700e-6, e.value("conntest_latency_seconds", with(row, "load", "loaded", "quantile", "0.99")),
            1e-12);
        assertEquals(37, e.value("conntest_latency_seconds_count", with(row, "load", "loaded")));
        assertEquals(900e-6, e.value("conntest_latency_max_seconds", with(row, "load", "loaded")), 1e-12);
        assertEquals(30e-6, e.value("conntest_latency_min_seconds", row), 1e-12);
        assertEquals(summaryType(e), "summary");
        assertEquals(5_000_000, e.value("conntest_sent_bytes_total", row));
        assertEquals(2_000_000, e.value("conntest_received_bytes_total", row));
        assertEquals(1.21e9, e.value("conntest_bandwidth_last_bits_per_second", with(row, "way", "up")));
        assertEquals(9.8e8, e.value("conntest_bandwidth_last_bits_per_second", with(row, "way", "down")));
        assertEquals(1.15e9, e.value("conntest_throughput_bits_per_second", with(row, "way", "up")));
        assertEquals(4, e.value("conntest_bandwidth_tests_total", row));
        assertEquals(7, e.value("conntest_tcp_retransmissions_total", row));
        assertEquals(250e-6, e.value("conntest_tcp_srtt_seconds", row), 1e-12);
        assertEquals(14_480, e.value("conntest_tcp_cwnd_bytes", row));
        assertEquals(0, e.find("conntest_udp_lost_total").size(), "no UDP figures on TCP");
        assertEquals(5, e.value("conntest_dropped_events_total", "instance_name", "alpha"));
        assertEquals(1, e.value("conntest_listener_up", "listen_address", "0.0.0.0:1234", "protocol", "udp"));
        assertEquals("counter", e.types.get("conntest_connection_reconnects_total"));
        assertTrue(e.helps.get("conntest_latency_seconds").contains("RTT/2"), "HELP says what latency is");
    }

    private static String summaryType(final Exposition e)
    {
        return e.types.get("conntest_latency_seconds");
    }

    @Test
    void udpFiguresOfAnAcceptedConnectionAndNothingUnknownOfARetryingPeer() throws IOException
    {
        final Exposition e = scrape(Rows.snapshot(1_000 * MS, List.of(Rows.udpIn(2), Rows.udpRetrying(3))));
        final String[] in = {"direction", "in", "protocol", "udp", "peer_name", "sender", "peer_address",
            "10.0.0.3:50000"};
        assertEquals(3, e.value("conntest_udp_lost_total", with(in, "way", "up")));
        assertEquals(4, e.value("conntest_udp_lost_total", with(in, "way", "down")));
        assertEquals(1, e.value("conntest_udp_out_of_order_total", in));
        assertEquals(5, e.value("conntest_udp_duplicate_total", in));
        assertEquals(6, e.value("conntest_udp_retransmitted_total", in));
        assertEquals(2, e.value("conntest_udp_reorder_max", in));
        assertEquals(35e-6, e.value("conntest_udp_jitter_seconds", in), 1e-12);
        assertEquals(0, e.find("conntest_latency_seconds", with(in, "load", "loaded")).size(), "no loaded probe");

        final String[] out = {"direction", "out", "peer_address", "10.0.0.9:7000", "peer_name", ""};
        assertEquals(1, e.value("conntest_connection_state", with(out, "conntest_connection_state", "retrying")));
        assertEquals(0, e.value("conntest_connection_up", out));
        assertEquals(0, e.find("conntest_latency_seconds", out).size(), "no latency before the first probe");
        assertEquals(0, e.find("conntest_bandwidth_last_bits_per_second", out).size(), "no test yet");
        assertEquals(0, e.find("conntest_throughput_bits_per_second", out).size(), "not connected");
    }

    @Test
    void downtimeAndConnectsComeFromThePublishedSnapshotsAndEvents() throws IOException
    {
        final MetricsFeed feed = new MetricsFeed("alpha", "kernel");
        final ConnectionSnapshot down = Rows.udpRetrying(1);
        feed.onSnapshot(Rows.snapshot(0, List.of(down)));
        feed.onSnapshot(Rows.snapshot(1_000 * MS, List.of(down)));
        feed.onEvent(new EngineEvent(1_300 * MS, 0, EventType.CONNECTED, 1, Side.CLIENT, TransportProtocol.TCP,
            "10.0.0.2", 1234, "beta", null, "connected"));
        feed.onSnapshot(Rows.snapshot(1_500 * MS, List.of(Rows.tcpUp(1, "beta", "10.0.0.2", 200 * MS))));
        feed.onSnapshot(Rows.snapshot(3_000 * MS, List.of(Rows.tcpUp(1, "beta", "10.0.0.2", 1_700 * MS))));
        feed.onSnapshot(Rows.snapshot(3_250 * MS, List.of(down)));
        feed.onSnapshot(Rows.snapshot(3_500 * MS, List.of(down)));
        final Exposition e = Exposition.parse(text(new ConnectionCollector(feed::latest)));
        // down from 0 until it came up at 1.3 s (its uptime at 1.5 s says so: exact), then lost after 3 s and seen
        // down at 3.25 s (known to the publish interval): 0.25 s more by 3.5 s
        assertEquals(1.3 + 0.25, e.value("conntest_connection_downtime_seconds_total", "peer_address",
            "10.0.0.9:7000"), 1e-9);
        assertEquals(1, e.value("conntest_connection_connects_total", "peer_address", "10.0.0.9:7000"));
    }

    @Test
    void aPeersNameReachesTheLabelAsBoundedPrintableAsciiAndCannotForgeASeries() throws IOException
    {
        final String evil = "x\"} conntest_connection_up{peer_name=\"forged\"} 1\n\u202e\u0007\\" + "y".repeat(300);
        final Exposition e = scrape(Rows.snapshot(1_000 * MS, List.of(Rows.tcpUp(1, evil, "10.0.0.2"))));
        final String label = e.find("conntest_connection_up").get(0).labels().get("peer_name");
        assertEquals(AsciiLine.of(evil, RowLabels.MAX_VALUE_CHARS), label);
        assertTrue(label.length() <= RowLabels.MAX_VALUE_CHARS && label.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f),
            label);
        assertEquals(1, e.find("conntest_connection_up").size(), "no forged series");
        assertEquals(0, e.find("conntest_connection_up", "peer_name", "forged").size());
    }

    @Test
    void twoRowsWithTheSameLabelsExposeTheFirstInsteadOfFailingTheScrape() throws IOException
    {
        final Exposition e = scrape(Rows.snapshot(1_000 * MS, List.of(Rows.tcpUp(1, "beta", "10.0.0.2"),
            Rows.tcpUp(2, "beta", "10.0.0.2"))));
        assertEquals(1, e.find("conntest_connection_up").size());
    }

    @Test
    void everyInterfaceCounterIsExposedDropsByReason() throws IOException
    {
        final Exposition e = Exposition.parse(text(new InterfaceCollector(new InterfaceCounters(),
            new io.conntest.stack.ipv6.Ipv6Counters(), "alpha")));
        for (final InterfaceCounter c : InterfaceCounter.values())
        {
            final String name = c.name().toLowerCase(Locale.ROOT);
            assertEquals(0, c.isDrop() ? e.value("conntest_interface_drops_total", "reason", name, "stack", "tap")
                : e.value("conntest_interface_counted_total", "counter", name, "instance_name", "alpha"), name);
        }
        for (final io.conntest.stack.ipv6.Ipv6Counter c : io.conntest.stack.ipv6.Ipv6Counter.values())
        {
            final String name = c.name().toLowerCase(Locale.ROOT);
            assertEquals(0, c.isDrop() ? e.value("conntest_interface_drops_total", "reason", name, "stack", "tap")
                : e.value("conntest_interface_counted_total", "counter", name, "instance_name", "alpha"), name);
        }
    }

    /** {@code row}'s label pairs followed by {@code more}. */
    private static String[] with(final String[] row, final String... more)
    {
        final String[] all = new String[row.length + more.length];
        System.arraycopy(row, 0, all, 0, row.length);
        System.arraycopy(more, 0, all, row.length, more.length);
        return all;
    }
}
