package io.conntest.cli.ui;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text and JSON outputs for a known sequence of snapshots and events, line by line. */
class OutputGoldenTest
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private List<String> lines()
    {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Feeds the same story to any output: start, a failed attempt, three snapshots 0.5 s apart, stop. */
    private static void story(final Output o)
    {
        o.onStart(List.of(Snapshots.info()));
        o.onEvent("sender", Snapshots.failed());
        o.onSnapshot(Snapshots.snapshot(10 * Snapshots.SECOND, 1_000_000));
        o.onSnapshot(Snapshots.snapshot(10 * Snapshots.SECOND + Snapshots.SECOND / 2, 1_500_000));
        o.onSnapshot(Snapshots.snapshot(11 * Snapshots.SECOND, 2_250_000));
        o.onEvent("sender", Snapshots.stopped());
        o.onStop(List.of(Snapshots.snapshot(11 * Snapshots.SECOND, 2_250_000)), 4 * Snapshots.SECOND);
    }

    @Test
    void textIsOneLinePerConnectionPerIntervalWithoutEscapes()
    {
        story(new TextOutput(out, err, Snapshots.SECOND));
        final List<String> lines = lines().stream().map(l -> l.substring(9)).toList();
        final List<String> expected = List.of(
            "sender start: stack kernel, addresses 192.0.2.2 127.0.0.1, listening udp:1234, connecting "
                + "tcp://127.0.0.1:1234?packet-size=5242880&monitor-bandwidth",
            "sender: connect-failed out udp 10.0.0.9:7000: refused: Connection refused",
            "sender out tcp 127.0.0.1:1234 receiver connected RTT/2 45.2 us loaded 260 us now up 1.15 Gbit/s "
                + "down 3.00 Mbit/s last test up 1.21 Gbit/s down 980 Mbit/s uptime 3s retries 0 packets 120/118 "
                + "size 5.00 MiB",
            "sender out udp 10.0.0.9:7000 ? retrying RTT/2 - loaded - now up - down - last test up - down - uptime 0s "
                + "retries 3 packets 0/0 size 1.37 KiB lost 0 out-of-order 0 (refused (Connection refused "
                + "\"quoted\"\\ttab), next try in 2s)",
            "sender in udp 127.0.0.1:50000 sender connected RTT/2 80.0 us loaded 150 us now up 40.0 Mbit/s "
                + "down 50.0 Mbit/s last test up 50.0 Mbit/s down 40.0 Mbit/s uptime 1m05s retries 0 packets 500/510 "
                + "size 1.37 KiB lost 3 out-of-order 1 reorder-max 2 jitter 35.0 us",
            "sender: stopped: engine stopped",
            "sender summary out tcp 127.0.0.1:1234 receiver RTT/2 idle min/p50/p99/max 30.0 us / 45.0 us / 90.0 us / "
                + "120 us (42 probes) loaded p50/p99/max 260 us / 700 us / 900 us (37 probes) answered 47 up avg "
                + "1.10 Gbit/s down avg 990 Mbit/s tests 4 bytes 2250000/2000000 retries 0 failures 0",
            "sender summary out udp 10.0.0.9:7000 ? RTT/2 idle min/p50/p99/max - / - / - / - (0 probes) loaded "
                + "p50/p99/max - / - / - (0 probes) answered 0 up avg - down avg - tests 0 bytes 0/0 retries 3 "
                + "failures 4 lost 0 out-of-order 0 duplicate 0 retransmitted 0",
            "sender summary in udp 127.0.0.1:50000 sender RTT/2 idle min/p50/p99/max 70.0 us / 80.0 us / 95.0 us / "
                + "99.0 us (20 probes) loaded p50/p99/max 150 us / 250 us / 260 us (12 probes) answered 32 up avg "
                + "50.0 Mbit/s down avg 40.0 Mbit/s tests 2 bytes 700000/710000 retries 0 failures 0 lost 3 "
                + "out-of-order 1 duplicate 0 retransmitted 2 jitter 35.0 us lost-by-peer 4",
            "sender stopped after 4s");
        assertEquals(expected, lines);
        for (final String line : lines())
        {
            assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d .*"), line);
            assertFalse(line.contains("\u001b"), "no escape codes: " + line);
        }
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    /** The type of every field of an interval line; "number?" and "string?" may be null. */
    private static final Map<String, String> CONNECTION_TYPES = Map.ofEntries(
        Map.entry("instance", "string"), Map.entry("connection", "string"), Map.entry("direction", "string"),
        Map.entry("protocol", "string"), Map.entry("local_host", "string?"), Map.entry("local_port", "number?"),
        Map.entry("peer_host", "string"), Map.entry("peer_port", "number"), Map.entry("peer_name", "string?"),
        Map.entry("state", "string"), Map.entry("uptime_ns", "number"), Map.entry("retries", "number"),
        Map.entry("connect_failures", "number"), Map.entry("packets_sent", "number"),
        Map.entry("packets_received", "number"), Map.entry("bytes_sent", "number"),
        Map.entry("bytes_received", "number"), Map.entry("packet_size_bytes", "number"),
        Map.entry("monitor_bandwidth", "boolean"), Map.entry("latency_last_ns", "number?"),
        Map.entry("latency_min_ns", "number?"), Map.entry("latency_p50_ns", "number?"),
        Map.entry("latency_p90_ns", "number?"), Map.entry("latency_p99_ns", "number?"),
        Map.entry("latency_max_ns", "number?"), Map.entry("latency_samples", "number"),
        Map.entry("latency_loaded_p50_ns", "number?"), Map.entry("latency_loaded_p90_ns", "number?"),
        Map.entry("latency_loaded_p99_ns", "number?"), Map.entry("latency_loaded_max_ns", "number?"),
        Map.entry("latency_loaded_samples", "number"), Map.entry("latency_probes_answered", "number"),
        Map.entry("throughput_send_bps", "number?"), Map.entry("throughput_receive_bps", "number?"),
        Map.entry("throughput_window_ns", "number"), Map.entry("stale", "boolean"),
        Map.entry("udp_jitter_ns", "number?"), Map.entry("udp_lost_incoming", "number?"),
        Map.entry("bandwidth_up_last_bps", "number?"), Map.entry("bandwidth_up_avg_bps", "number?"),
        Map.entry("bandwidth_down_last_bps", "number?"), Map.entry("bandwidth_down_avg_bps", "number?"),
        Map.entry("bandwidth_tests", "number"), Map.entry("verification_errors", "number"),
        Map.entry("udp_lost", "number?"), Map.entry("udp_out_of_order", "number?"),
        Map.entry("udp_reorder_max", "number?"),
        Map.entry("udp_duplicate", "number?"), Map.entry("udp_retransmitted", "number?"),
        Map.entry("tcp_retransmissions", "number?"), Map.entry("tcp_srtt_ns", "number?"),
        Map.entry("tcp_cwnd_bytes", "number?"), Map.entry("tcp_rttvar_ns", "number?"),
        Map.entry("tcp_pmtu_bytes", "number?"), Map.entry("last_failure", "string?"),
        Map.entry("last_error", "string?"), Map.entry("next_retry_in_ns", "number?"),
        Map.entry("seen_as", "string?"), Map.entry("family", "string?"), Map.entry("translated", "boolean?"), Map.entry("hops", "number?"),
        Map.entry("dscp_sent", "number?"), Map.entry("dscp_seen", "number?"), Map.entry("ecn_seen", "number?"),
        Map.entry("interval_ns", "number"), Map.entry("interval_bytes_sent", "number"),
        Map.entry("interval_bytes_received", "number"), Map.entry("interval_send_bps", "number"),
        Map.entry("interval_receive_bps", "number"));

    static void assertTypes(final Map<String, String> types, final Map<String, Object> data)
    {
        assertEquals(types.keySet(), data.keySet());
        for (final Map.Entry<String, String> t : types.entrySet())
        {
            final Object v = data.get(t.getKey());
            final String type = t.getValue();
            if (v == null)
            {
                assertTrue(type.endsWith("?"), t.getKey() + " may not be null");
                continue;
            }
            final String actual = v instanceof String ? "string" : v instanceof Boolean ? "boolean" : "number";
            assertEquals(type.replace("?", ""), actual, t.getKey());
            if (v instanceof Long)
            {
                assertTrue((Long)v >= 0, t.getKey() + " is not negative: " + v);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonLinesParseAndKeepTheirShape()
    {
        story(new JsonOutput(out, err, Snapshots.SECOND));
        final List<String> lines = lines();
        assertEquals(List.of("start", "connect_failed", "interval", "interval", "interval", "stopped", "summary"),
            lines.stream().map(l -> JsonParser.object(l).get("event")).toList());
        for (final String line : lines)
        {
            final Map<String, Object> o = JsonParser.object(line);
            assertEquals(List.of("event", "time", "data"), List.copyOf(o.keySet()), line);
            assertTrue(o.get("time") instanceof Double, line);
            assertTrue(o.get("data") instanceof Map, line);
            assertFalse(line.contains("NaN") || line.contains("Infinity"), line);
        }
        final Map<String, Object> failed = (Map<String, Object>)JsonParser.object(lines.get(1)).get("data");
        assertEquals("refused", failed.get("reason"));
        assertEquals("2", failed.get("connection"));
        assertEquals(1_764_000_000.123, (Double)JsonParser.object(lines.get(1)).get("time"), 1e-6);
        for (int i = 2; i <= 4; i++)
        {
            assertTypes(CONNECTION_TYPES, (Map<String, Object>)JsonParser.object(lines.get(i)).get("data"));
        }
        final Map<String, Object> tcp = (Map<String, Object>)JsonParser.object(lines.get(2)).get("data");
        assertEquals(45_200L, tcp.get("latency_last_ns"));
        assertEquals(1_210_000_000L, tcp.get("bandwidth_up_last_bps"));
        assertEquals(SECOND, tcp.get("interval_ns"));
        assertEquals(1_250_000L, tcp.get("interval_bytes_sent"), "2,250,000 - 1,000,000 over the interval");
        assertEquals(10_000_000L, tcp.get("interval_send_bps"));
        assertEquals(null, tcp.get("udp_lost"));
        assertEquals(260_000L, tcp.get("latency_loaded_p50_ns"));
        assertEquals(37L, tcp.get("latency_loaded_samples"));
        assertEquals(47L, tcp.get("latency_probes_answered"));
        assertEquals(1_150_000_000L, tcp.get("throughput_send_bps"));
        assertEquals(false, tcp.get("stale"));
        assertEquals(null, tcp.get("udp_jitter_ns"));
        final Map<String, Object> udp = (Map<String, Object>)JsonParser.object(lines.get(3)).get("data");
        assertEquals("Connection refused \"quoted\"\ttab", udp.get("last_error"));
        assertEquals(null, udp.get("latency_last_ns"));
        assertEquals(true, udp.get("stale"));
        assertEquals(35_000L, ((Map<String, Object>)JsonParser.object(lines.get(4)).get("data")).get("udp_jitter_ns"));
        final Map<String, Object> summary = (Map<String, Object>)JsonParser.object(lines.get(6)).get("data");
        assertEquals(4 * SECOND, summary.get("duration_ns"));
        assertEquals(3, ((List<Object>)summary.get("connections")).size());
        final String golden = "{\"event\":\"connect_failed\",\"time\":1764000000.123,\"data\":{\"instance\":\"sender\","
            + "\"connection\":\"2\",\"direction\":\"out\",\"protocol\":\"udp\",\"host\":\"10.0.0.9\",\"port\":7000,"
            + "\"peer_name\":null,\"reason\":\"refused\",\"message\":\"Connection refused\",\"engine_time_ns\":5000000000}}";
        assertEquals(golden, lines.get(1));
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8), "nothing on stderr");
    }

    private static final long SECOND = Snapshots.SECOND;

    @Test
    @SuppressWarnings("unchecked")
    void bandwidthResultCarriesItsNumbers()
    {
        final JsonOutput json = new JsonOutput(out, err, SECOND);
        json.onEvent("sender", Snapshots.bandwidthResult());
        final Map<String, Object> data = (Map<String, Object>)JsonParser.object(lines().get(0)).get("data");
        assertEquals("out", data.get("direction"));
        assertEquals("up", data.get("test_direction"));
        assertEquals(8_388_608L, data.get("bytes"));
        assertEquals(500_000_000L, data.get("duration_ns"));
        assertEquals(134_217_728L, data.get("bits_per_second"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void intervalRatesDoNotOverflowAtTensOfGigabits()
    {
        final JsonOutput json = new JsonOutput(out, err, SECOND);
        json.onSnapshot(Snapshots.snapshot(10 * SECOND, 1_000_000));
        json.onSnapshot(Snapshots.snapshot(11 * SECOND, 5_001_000_000L));
        final Map<String, Object> tcp = (Map<String, Object>)JsonParser.object(lines().get(0)).get("data");
        // 5 GB in one second: 40 Gbit/s (bytes x 8e9 would overflow a long)
        assertEquals(40_000_000_000L, tcp.get("interval_send_bps"));
    }

    @Test
    void aRetryingRowSaysItsFiguresAreStale()
    {
        final String line = Describe.connectionLine("sender", Snapshots.tcpStale());
        assertTrue(line.startsWith("sender out tcp 127.0.0.1:1234 receiver retrying stale RTT/2 45.2 us"), line);
        assertTrue(!Describe.connectionLine("sender", Snapshots.udpRetrying()).contains("stale"),
            "no figures, nothing stale");
    }

    @Test
    void jsonEscapesEverythingAndNeverWritesNaN()
    {
        final String nasty = "q\" b\\ n\n r\r t\t nul\u0000 bell\u0007 ls\u2028 emoji\uD83D\uDE00 lone\uD800 end";
        final String line = new Json().put("s", nasty).put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY)
            .put("d", 1.5).putKnown("unknown", -1).putKnown("known", 7).put("nil", (String)null)
            .putEpochSeconds("t", 5).putEpochSeconds("t2", 1_764_000_000_050L).toString();
        final Map<String, Object> o = JsonParser.object(line);
        assertEquals(nasty.replace("\uD800", "\uD800"), o.get("s"));
        assertEquals(null, o.get("nan"));
        assertEquals(null, o.get("inf"));
        assertEquals(1.5, o.get("d"));
        assertEquals(null, o.get("unknown"));
        assertEquals(7L, o.get("known"));
        assertTrue(line.contains("\"t\":0.005"), line);
        assertTrue(line.contains("\"t2\":1764000000.050"), line);
        assertFalse(line.contains("\n") || line.contains("\u2028"), line);
    }

    @Test
    void logHasOneLinePerEvent()
    {
        final LogOutput log = new LogOutput(out);
        story(log);
        final List<String> lines = lines();
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} sender: connect-failed out udp 10.0.0.9:7000: "
            + "refused: Connection refused"), lines.get(1));
        // the end: one summary line per connection with its figures, then the final line with the totals
        assertTrue(lines.get(3).endsWith(" sender: summary out tcp 127.0.0.1:1234 (receiver): RTT/2 idle "
            + "min/p50/p99/max 30.0 us / 45.0 us / 90.0 us / 120 us (42 probes) loaded p50/p99/max 260 us / 700 us / "
            + "900 us (37 probes) answered 47 up avg 1.10 Gbit/s down avg 990 Mbit/s tests 4 bytes "
            + "2250000/2000000 retries 0 failures 0"), lines.get(3));
        assertTrue(lines.get(6).endsWith(" sender: stopped after 4s, 3 connections: 62 latency probes, bytes "
            + "2950000/2710000, failures 4"), lines.get(6));
    }
}
