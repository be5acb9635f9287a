package io.conntest.core.engine;

import io.conntest.core.stats.Side;

import io.conntest.core.stats.EngineSnapshot;

import static io.conntest.core.engine.SimHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

class EngineSimulationTest
{
    private final SimHarness sim = new SimHarness();

    private static EngineConfig server(final TransportProtocol protocol)
    {
        return EngineConfig.builder("srv").listen(new ListenSpec(protocol, 1234)).build();
    }

    private static EngineConfig client(final ConnectSpec spec)
    {
        return EngineConfig.builder("cli").connect(spec).build();
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void wholeCycleHelloLatencyBandwidthUpAndDown(final TransportProtocol protocol)
    {
        final SimHarness.Node srv = sim.start("10.0.0.2", server(protocol));
        final ConnectSpec spec = ConnectSpec.of(protocol, "10.0.0.2", 1234)
            .withBandwidth(1000, 200_000, 0).withVerify(true);
        final SimHarness.Node cli = sim.start("10.0.0.1", client(spec));

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 4, 20_000, "two bandwidth rounds");

        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final List<ConnectionSnapshot> servers = srv.servers(now);
        assertEquals(1, servers.size());
        final ConnectionSnapshot s = servers.get(0);
        assertEquals("srv", c.peerName());
        assertEquals("cli", s.peerName());
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertEquals(protocol, c.protocol());
        assertTrue(c.latencySamples() >= 10, "client latency samples " + c.latencySamples());
        assertTrue(s.latencySamples() >= 10, "server latency samples " + s.latencySamples());
        assertTrue(c.latencyMinNs() >= 1 && c.latencyMinNs() <= c.latencyP50Ns() &&
            c.latencyP50Ns() <= c.latencyP99Ns() && c.latencyP99Ns() <= c.latencyMaxNs());
        assertTrue(c.bandwidthUpLastBps() > 0 && c.bandwidthDownLastBps() > 0);
        assertTrue(s.bandwidthUpLastBps() > 0 && s.bandwidthDownLastBps() > 0);
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertEquals(1000, s.packetSize());
        // 200,000 bytes each way in 1000-byte packets, twice over: at least 400 DATA frames each way.
        assertTrue(c.packetsSent() > 400 && c.packetsReceived() > 400);
        assertTrue(c.bytesSent() > 400_000 && s.bytesReceived() > 400_000);
        assertEquals(c.bytesSent(), s.bytesReceived());
        assertEquals(0, c.retries());
        for (final EventType t : List.of(EventType.CONNECTING, EventType.CONNECTED, EventType.HELLO,
            EventType.BANDWIDTH_RESULT))
        {
            assertTrue(!cli.events(t).isEmpty(), "client event " + t);
        }
        assertEquals(1, srv.events(EventType.LISTENING).size());
        assertEquals("cli", srv.events(EventType.HELLO).get(0).peerName());
        assertTrue(cli.events(EventType.ERROR).isEmpty(), cli.events(EventType.ERROR).toString());
    }

    @Test
    void bigPacketsOverTcpAreStreamedNotBuffered()
    {
        final SimHarness.Node srv = sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final ConnectSpec spec = ConnectSpec.parse("tcp://10.0.0.2:1234?monitor-bandwidth&packet-size=5mb" +
            "&bandwidth-bytes=12mb&verify");
        final SimHarness.Node cli = sim.start("10.0.0.1", client(spec));
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 2, 60_000, "5 MB packets both ways");
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        assertEquals(0, c.verificationErrors());
        assertEquals(5 * 1024 * 1024, srv.servers(sim.clock.nowNs()).get(0).packetSize());
        assertTrue(c.bytesReceived() >= 12L * 1024 * 1024);
    }

    @Test
    void latencyIntervalSetsTheProbeRate()
    {
        sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final SimHarness.Node slow = sim.start("10.0.0.1", client(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2",
            1234)));
        final SimHarness.Node fast = sim.start("10.0.0.3", client(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2",
            1234).withLatencyInterval(10 * MS)));
        sim.runUntil(() -> slow.client(sim.clock.nowNs()).latencySamples() >= 5, 10_000, "five default probes");
        final long slowSamples = slow.client(sim.clock.nowNs()).latencySamples();
        final long fastSamples = fast.client(sim.clock.nowNs()).latencySamples();
        // the default is 200 ms between probes, 10 ms here: many times as many probes in the same simulated time
        assertTrue(fastSamples >= 8 * slowSamples, "fast " + fastSamples + " vs default " + slowSamples);
    }

    @Test
    void aLinkThatGoesDownAndUpIsReportedOnceEach()
    {
        final SimHarness.Node node = sim.start("10.0.0.2", server(TransportProtocol.TCP));
        sim.runFor(3_000);
        assertTrue(node.events(EventType.LINK_DOWN).isEmpty(), "an up link is no news");
        node.transport.linkWarning("link of tap0 is down, waiting (bring it up: ip link set tap0 up)");
        sim.runFor(3_000);
        final List<EngineEvent> down = node.events(EventType.LINK_DOWN);
        assertEquals(1, down.size(), "once per change, not once a second");
        assertTrue(down.get(0).message().contains("ip link set tap0 up"), down.get(0).message());
        node.transport.linkWarning(null);
        sim.runFor(1_500);
        assertEquals(1, node.events(EventType.LINK_UP).size());
        assertEquals(1, node.events(EventType.LINK_DOWN).size());
    }

    @Test
    void aHostilePeerNameReachesNoScreenRaw()
    {
        final SimHarness.Node srv = sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final SimHarness.Node cli = sim.start("10.0.0.1", EngineConfig.builder("ev\nil\u001b[31mRED\u0007")
            .connect(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234)).build());
        sim.runUntil(() -> !srv.servers(sim.clock.nowNs()).isEmpty() &&
            srv.servers(sim.clock.nowNs()).get(0).peerName() != null, 5_000, "hello from the hostile name");
        assertEquals("ev\\nil\\x1b[31mRED\\x07", srv.servers(sim.clock.nowNs()).get(0).peerName());
        assertEquals("srv", cli.client(sim.clock.nowNs()).peerName());
    }

    @Test
    void anAcceptingInstanceKeepsItsIncomingSessionsInTheFinalSnapshot()
    {
        final SimHarness.Node srv = sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final SimHarness.Node cli = sim.start("10.0.0.1", client(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2",
            1234)));
        sim.runUntil(() -> !srv.servers(sim.clock.nowNs()).isEmpty() &&
            srv.servers(sim.clock.nowNs()).get(0).latencySamples() >= 2, 10_000, "server-side figures");
        srv.core.stop(sim.clock.nowNs());
        final EngineSnapshot last = srv.core.snapshot(sim.clock.nowNs());
        // the summary of a receiver used to be empty: its accepted sessions were gone before the final snapshot
        assertEquals(1, last.connections().size(), last.toString());
        assertEquals(Side.SERVER, last.connections().get(0).side());
        assertEquals("cli", last.connections().get(0).peerName());
        assertTrue(last.connections().get(0).latencySamples() >= 2);
        assertTrue(cli.client(sim.clock.nowNs()).latencySamples() >= 1);
    }

    @Test
    void durationLimitedTestEndsOnTime()
    {
        sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final ConnectSpec spec = ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234)
            .withBandwidth(100, 0, 300 * MS);
        final SimHarness.Node cli = sim.start("10.0.0.1", client(spec));
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 2, 10_000, "timed tests");
        final List<EngineEvent> results = cli.events(EventType.BANDWIDTH_RESULT);
        assertTrue(results.get(0).message().startsWith("up "), results.get(0).message());
        assertTrue(results.get(1).message().startsWith("down "), results.get(1).message());
    }

    @Test
    void refusedThenRetriedWithBackoffThenConnected()
    {
        final ConnectSpec spec = ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234);
        final SimHarness.Node cli = sim.start("10.0.0.1", client(spec));
        sim.network.newTransport("10.0.0.2"); // host up, nothing listening
        sim.runUntil(() -> cli.events(EventType.CONNECT_FAILED).size() >= 3, 10_000, "three refusals");
        final List<EngineEvent> failed = cli.events(EventType.CONNECT_FAILED);
        assertEquals(FailureReason.REFUSED, failed.get(0).reason());
        final List<EngineEvent> retries = cli.events(EventType.RECONNECTING);
        assertTrue(retries.get(0).message().contains("1000 ms"), retries.get(0).message());
        assertTrue(retries.get(1).message().contains("2000 ms"), retries.get(1).message());
        assertTrue(retries.get(2).message().contains("4000 ms"), retries.get(2).message());
        assertEquals(ConnectionState.RETRYING, cli.client(sim.clock.nowNs()).state());
        assertEquals(2, cli.client(sim.clock.nowNs()).retries());

        sim.start("10.0.0.2", server(TransportProtocol.TCP));
        sim.runUntil(() -> "srv".equals(cli.client(sim.clock.nowNs()).peerName()), 5_000, "connected after retry");
        assertEquals(3, cli.client(sim.clock.nowNs()).retries());
        assertEquals(3, cli.client(sim.clock.nowNs()).connectFailures());
    }

    @Test
    void unreachableAndTimeoutAreClassified()
    {
        final EngineConfig config = EngineConfig.builder("cli")
            .connect(ConnectSpec.of(TransportProtocol.TCP, "10.9.9.9", 1))
            .connect(ConnectSpec.of(TransportProtocol.UDP, "10.6.6.6", 1))
            .timeoutNs(2_000 * MS).build();
        sim.network.addBlackHole("10.6.6.6");
        final SimHarness.Node cli = sim.start("10.0.0.1", config);
        sim.runUntil(() -> cli.events(EventType.CONNECT_FAILED).stream().anyMatch(e -> e.host().equals("10.6.6.6")),
            5_000, "black hole timed out");
        final List<EngineEvent> failed = cli.events(EventType.CONNECT_FAILED);
        assertEquals(FailureReason.UNREACHABLE, failed.get(0).reason());
        assertEquals("10.9.9.9", failed.get(0).host());
        final EngineEvent timeout = failed.stream().filter(e -> e.host().equals("10.6.6.6")).findFirst().orElseThrow();
        assertEquals(FailureReason.TIMEOUT, timeout.reason());
        assertTrue(timeout.timeNs() - failed.get(0).timeNs() >= 1_990 * MS);
    }

    @Test
    void killedServerRestartedIsReconnectedAndCountersGoOn()
    {
        final SimHarness.Node srv = sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final SimHarness.Node cli = sim.start("10.0.0.1",
            client(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234)));
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).latencySamples() >= 5, 5_000, "latency");
        final ConnectionSnapshot before = cli.client(sim.clock.nowNs());

        sim.kill(srv);
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).state() == ConnectionState.RETRYING, 100, "lost");
        assertEquals(FailureReason.RESET, cli.events(EventType.CLOSED).get(0).reason());
        final SimHarness.Node srv2 = sim.start("10.0.0.2",
            EngineConfig.builder("srv-reborn").listen(new ListenSpec(TransportProtocol.TCP, 1234)).build());
        final long took = sim.runUntil(() -> "srv-reborn".equals(cli.client(sim.clock.nowNs()).peerName()),
            2_000, "reconnected within 2 s");
        assertTrue(took <= 2_000 * MS);
        sim.runFor(1_000);
        final ConnectionSnapshot after = cli.client(sim.clock.nowNs());
        assertEquals(1, after.retries());
        assertTrue(after.packetsSent() > before.packetsSent());
        assertTrue(after.latencySamples() > before.latencySamples());
        assertEquals(1, srv2.servers(sim.clock.nowNs()).size());
    }

    @Test
    void packetTraceDescribesEveryControlFrame()
    {
        sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final SimHarness.Node cli = sim.start("10.0.0.1", EngineConfig.builder("cli").tracePackets(true)
            .connect(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234).withBandwidth(1000, 10_000, 0)).build());
        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 2, 5_000, "a round");
        final List<String> lines = cli.events(EventType.PACKET).stream().map(EngineEvent::message)
            .collect(java.util.stream.Collectors.toList());
        assertEquals("sent HELLO seq=1 bytes=43", lines.get(0));
        assertTrue(lines.get(1).startsWith("received HELLO seq=1 bytes=43"), lines.get(1));
        // right after the HELLOs each end tells the other how it sees it (PEER_SEEN), then the probes begin
        assertTrue(lines.contains("sent PEER_SEEN seq=2 bytes=48"), lines.toString());
        assertTrue(lines.contains("sent LATENCY_PING seq=3 bytes=32"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("sent DATA") && l.endsWith("(first of test)")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("received DATA") && l.endsWith("(last of test)")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("received BANDWIDTH_RESULT")));
        assertTrue(lines.size() < 60, "DATA frames in the middle of a test are not traced: " + lines.size());
    }

    @Test
    void oneListenerServesManyClientsAndOneInstanceDialsManyPeers()
    {
        final SimHarness.Node hub = sim.start("10.0.0.2", EngineConfig.builder("hub")
            .listen(new ListenSpec(TransportProtocol.TCP, 1234)).listen(new ListenSpec(TransportProtocol.UDP, 1234))
            .build());
        final SimHarness.Node other = sim.start("10.0.0.3", EngineConfig.builder("other")
            .listen(new ListenSpec(TransportProtocol.TCP, 80)).build());
        final SimHarness.Node a = sim.start("10.0.0.10", EngineConfig.builder("a")
            .connect(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234).withBandwidth(500, 5_000, 0))
            .connect(ConnectSpec.of(TransportProtocol.UDP, "10.0.0.2", 1234))
            .connect(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.3", 80)).build());
        final SimHarness.Node b = sim.start("10.0.0.11", EngineConfig.builder("b")
            .connect(ConnectSpec.of(TransportProtocol.UDP, "10.0.0.2", 1234).withBandwidth(500, 5_000, 0)).build());
        sim.runUntil(() -> hub.servers(sim.clock.nowNs()).stream().filter(c -> c.bandwidthTests() >= 2).count() == 2,
            10_000, "both bandwidth clients served");

        final long now = sim.clock.nowNs();
        final List<ConnectionSnapshot> served = hub.servers(now);
        assertEquals(3, served.size());
        assertEquals(List.of("a", "a", "b"), served.stream().map(ConnectionSnapshot::peerName).sorted()
            .collect(java.util.stream.Collectors.toList()));
        assertEquals(1, hub.core.snapshot(now).listeners().get(0).sessions(), "tcp listener: a");
        assertEquals(2, hub.core.snapshot(now).listeners().get(1).sessions(), "udp listener: a and b");
        final List<ConnectionSnapshot> dialled = a.core.snapshot(now).connections();
        assertEquals(List.of("hub", "hub", "other"), dialled.stream().map(ConnectionSnapshot::peerName)
            .collect(java.util.stream.Collectors.toList()));
        assertTrue(dialled.stream().allMatch(c -> c.latencySamples() > 0));
        assertEquals("a", other.servers(now).get(0).peerName());
        assertTrue(b.client(now).bandwidthTests() >= 2);
    }

    @Test
    void clientStoppingGracefullyIsSeenAsGoodbye()
    {
        final SimHarness.Node srv = sim.start("10.0.0.2", server(TransportProtocol.TCP));
        final SimHarness.Node cli = sim.start("10.0.0.1",
            client(ConnectSpec.of(TransportProtocol.TCP, "10.0.0.2", 1234)));
        sim.runUntil(() -> !srv.events(EventType.HELLO).isEmpty(), 1_000, "hello");
        cli.core.stop(sim.clock.nowNs());
        cli.alive = false;
        sim.runUntil(() -> !srv.events(EventType.CLOSED).isEmpty(), 1_000, "closed");
        final EngineEvent closed = srv.events(EventType.CLOSED).get(0);
        assertEquals(FailureReason.CLOSED, closed.reason());
        assertTrue(closed.message().contains("goodbye"), closed.message());
        assertTrue(srv.servers(sim.clock.nowNs()).isEmpty());
        assertEquals(EventType.STOPPED, cli.events.get(cli.events.size() - 1).type());
    }
}
