package io.conntest.core.engine;

import static io.conntest.core.engine.SimHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.transport.TransportProtocol;

/**
 * Test shapes and figures (issue 10): {@code bandwidth=turn|up|down|duplex}, pacing with {@code rate=}, the numbers
 * of a BANDWIDTH_RESULT event, per-interval throughput, and the stale marking of a retrying connection.
 */
class TestShapesTest
{
    private final SimHarness sim = new SimHarness();

    private SimHarness.Node server(final TransportProtocol protocol)
    {
        return sim.start("10.0.0.2", EngineConfig.builder("srv").listen(new ListenSpec(protocol, 1234)).build());
    }

    private SimHarness.Node client(final String uri)
    {
        return sim.start("10.0.0.1", EngineConfig.builder("cli").connect(ConnectSpec.parse(uri)).build());
    }

    @Test
    void shapesParseValidateAndRoundTrip()
    {
        final ConnectSpec spec = ConnectSpec.parse("tcp://h:1?monitor-bandwidth&bandwidth=DUPLEX&rate=100M");
        assertEquals(BandwidthShape.DUPLEX, spec.bandwidthShape());
        assertEquals(100_000_000L, spec.rateBps());
        assertEquals(spec, ConnectSpec.parse(spec.toUri()));
        assertEquals(BandwidthShape.TURN, ConnectSpec.parse("tcp://h:1").bandwidthShape());
        assertEquals(0, ConnectSpec.parse("tcp://h:1").rateBps());
        assertEquals(2_500_000_000L, ConnectSpec.parse("udp://h:1?rate=2.5Gbit/s").rateBps());
        assertEquals(500_000L, ConnectSpec.parse("udp://h:1?rate=500k").rateBps());
        assertEquals(64_000L, ConnectSpec.parse("udp://h:1?rate=64000").rateBps());
        for (final BandwidthShape shape : BandwidthShape.values())
        {
            final ConnectSpec s = ConnectSpec.parse("udp://h:1?bandwidth=" + shape.optionValue() + "&rate=1M");
            assertEquals(shape, s.bandwidthShape());
            assertEquals(s, ConnectSpec.parse(s.toUri()));
        }
        assertMessage("bad bandwidth shape 'sideways'", "tcp://h:1?bandwidth=sideways");
        assertMessage("bad rate 'fast'", "tcp://h:1?rate=fast");
        assertMessage("bad rate 5 bit/s", "tcp://h:1?rate=5");
        assertMessage("needs a value", "tcp://h:1?rate");
    }

    private static void assertMessage(final String expected, final String uri)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectSpec.parse(uri));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * A paced test, both directions: the receiver's figure is within 5 % of the target, also at a rate so low that
     * one 64 KiB frame would take half a second (a paced stream sends frames of at most 10 ms of its rate).
     */
    @ParameterizedTest
    @CsvSource({"TCP, 20000000, 2000", "UDP, 20000000, 2000", "TCP, 1000000, 2300", "UDP, 1000000, 2300"})
    void pacingHoldsTheTargetRate(final TransportProtocol protocol, final long rate, final long durationMs)
    {
        server(protocol);
        final SimHarness.Node cli = client(protocol.lowerName() + "://10.0.0.2:1234?monitor-bandwidth&rate=" + rate +
            "&bandwidth-duration=" + durationMs + "ms" + (protocol == TransportProtocol.UDP ? "&packet-size=1200" : ""));
        sim.runUntil(() -> cli.events(EventType.BANDWIDTH_RESULT).size() >= 2, 30_000, "a test up and down");
        final List<EngineEvent> results = cli.events(EventType.BANDWIDTH_RESULT);
        assertEquals("up", results.get(0).direction());
        assertEquals("down", results.get(1).direction());
        for (final EngineEvent e : results)
        {
            final double error = Math.abs(e.bitsPerSecond() - (double)rate) / rate;
            assertTrue(error <= 0.05, e.direction() + ": " + e.bitsPerSecond() + " bit/s, " + e.message());
            // the event carries the numbers, consistent with each other
            assertEquals(e.bitsPerSecond(), (long)(e.bytes() * 8.0 * 1e9 / e.durationNs()));
            assertTrue(Math.abs(e.durationNs() - durationMs * MS) <= 100 * MS, "duration " + e.durationNs());
        }
    }

    /** Both directions move at once: in a window in the middle of the test each way carries data. */
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void duplexMovesBothWaysAtOnce(final TransportProtocol protocol)
    {
        final SimHarness.Node srv = server(protocol);
        final SimHarness.Node cli = client(protocol.lowerName() + "://10.0.0.2:1234?monitor-bandwidth" +
            "&bandwidth=duplex&bandwidth-duration=1s&rate=50M&verify" +
            (protocol == TransportProtocol.UDP ? "&packet-size=1200" : ""));
        // into the test: the server receives DATA
        sim.runUntil(() -> !srv.servers(sim.clock.nowNs()).isEmpty() &&
            srv.servers(sim.clock.nowNs()).get(0).bytesReceived() > 1_000_000, 10_000, "the test started");
        final ConnectionSnapshot before = cli.client(sim.clock.nowNs());
        sim.runFor(200);
        final ConnectionSnapshot after = cli.client(sim.clock.nowNs());
        final long up = after.bytesSent() - before.bytesSent();
        final long down = after.bytesReceived() - before.bytesReceived();
        // 200 ms at 50 Mbit/s is 1.25 MB each way
        assertTrue(up > 1_000_000 && down > 1_000_000, "in 200 ms: up " + up + ", down " + down);
        sim.runUntil(() -> cli.events(EventType.BANDWIDTH_RESULT).size() >= 2, 5_000, "both results");
        final List<EngineEvent> results = cli.events(EventType.BANDWIDTH_RESULT);
        assertEquals(List.of("down", "up"), results.stream().map(EngineEvent::direction).sorted().toList());
        assertTrue(Math.abs(results.get(0).timeNs() - results.get(1).timeNs()) <= 50 * MS,
            "both directions ended together");
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        assertEquals(0, c.verificationErrors());
        assertEquals(0, srv.servers(sim.clock.nowNs()).get(0).verificationErrors());
        assertTrue(c.latencyLoadedSamples() > 0, "probes went on during the duplex test");
        assertTrue(cli.events(EventType.ERROR).isEmpty(), cli.events(EventType.ERROR).toString());
        // and the cycle goes on: a second duplex test
        sim.runUntil(() -> cli.events(EventType.BANDWIDTH_RESULT).size() >= 4, 10_000, "a second duplex test");
    }

    @ParameterizedTest
    @EnumSource(value = BandwidthShape.class, names = {"UP", "DOWN"})
    void oneWayShapesMoveOneWay(final BandwidthShape shape)
    {
        server(TransportProtocol.TCP);
        final SimHarness.Node cli = client("tcp://10.0.0.2:1234?monitor-bandwidth&bandwidth-bytes=1mb&bandwidth=" +
            shape.optionValue());
        sim.runUntil(() -> cli.events(EventType.BANDWIDTH_RESULT).size() >= 3, 10_000, "three tests");
        final String direction = shape == BandwidthShape.UP ? "up" : "down";
        for (final EngineEvent e : cli.events(EventType.BANDWIDTH_RESULT))
        {
            assertEquals(direction, e.direction());
            assertEquals(1024 * 1024, e.bytes());
        }
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        assertEquals(shape == BandwidthShape.UP ? -1 : 1, Long.signum(c.bandwidthDownLastBps()));
        assertEquals(shape == BandwidthShape.UP ? 1 : -1, Long.signum(c.bandwidthUpLastBps()));
    }

    /** What moved in the last interval, each way; and a retrying connection's figures are marked stale. */
    @Test
    void intervalThroughputAndStaleMarking()
    {
        final SimHarness.Node srv = server(TransportProtocol.UDP);
        final SimHarness.Node cli = client("udp://10.0.0.2:1234?monitor-bandwidth&bandwidth=up&rate=8M" +
            "&bandwidth-duration=3s&packet-size=1000");
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 1, 10_000, "one test");
        final long firstTest = srv.servers(sim.clock.nowNs()).get(0).bytesReceived();
        sim.runUntil(() -> srv.servers(sim.clock.nowNs()).get(0).bytesReceived() > firstTest + 500_000, 10_000,
            "the second test runs");
        // the window is rolled by the duty cycle, whoever looks and when
        sim.runFor(1_100);
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        assertTrue(!c.stale());
        assertTrue(c.intervalNs() >= 1_000 * MS && c.intervalNs() <= 1_010 * MS, "interval " + c.intervalNs());
        // 8 Mbit/s of payload plus frame headers and probes; next to nothing comes back
        assertTrue(c.intervalSentBps() >= 8_000_000 && c.intervalSentBps() <= 8_800_000,
            "sent " + c.intervalSentBps());
        assertTrue(c.intervalReceivedBps() < 200_000, "received " + c.intervalReceivedBps());
        final ConnectionSnapshot s = srv.servers(sim.clock.nowNs()).get(0);
        assertTrue(s.udpJitterNs() >= 0, "the receiver's RFC 3550 jitter " + s.udpJitterNs());

        sim.kill(srv);
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).state() == ConnectionState.RETRYING, 10_000, "lost");
        final ConnectionSnapshot lost = cli.client(sim.clock.nowNs());
        assertTrue(lost.stale(), "a retrying connection's figures are stale");
        assertEquals(-1, lost.intervalSentBps());
        assertTrue(lost.bandwidthUpLastBps() > 0, "the last test's result is kept (and shown as stale)");
    }
}
