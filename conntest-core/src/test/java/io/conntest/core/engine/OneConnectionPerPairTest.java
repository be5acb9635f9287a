package io.conntest.core.engine;

import static io.conntest.core.engine.SimHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.TransportProtocol;

/**
 * Each pair of instances shares exactly one connection: two instances that dial each other end up with one
 * connection, whichever is established first, and the covered outgoing peer dials again only when the shared
 * connection is lost. "alpha" sorts before "beta", so alpha's connection is always the one that survives.
 */
class OneConnectionPerPairTest
{
    private static final String ALPHA = "10.0.0.1";
    private static final String BETA = "10.0.0.2";

    private final SimHarness sim = new SimHarness();

    private static EngineConfig config(final String name, final TransportProtocol protocol, final String peerHost,
        final boolean bandwidth)
    {
        final ConnectSpec spec = ConnectSpec.of(protocol, peerHost, 1234);
        return EngineConfig.builder(name).listen(new ListenSpec(protocol, 1234))
            .connect(bandwidth ? spec.withBandwidth(1000, 20_000, 0).withVerify(true) : spec)
            .latency(50 * MS, 3).build();
    }

    private long now()
    {
        return sim.clock.nowNs();
    }

    private static List<ConnectionSnapshot> rows(final SimHarness.Node node, final long nowNs)
    {
        return node.core.snapshot(nowNs).connections();
    }

    private static List<ConnectionSnapshot> connected(final SimHarness.Node node, final long nowNs)
    {
        return rows(node, nowNs).stream().filter(c -> c.state() == ConnectionState.CONNECTED)
            .collect(Collectors.toList());
    }

    /** The pair shares one connection: the one {@code keeper} opened; {@code covered}'s outgoing peer waits. */
    private boolean sharesKeepersConnection(final SimHarness.Node keeper, final SimHarness.Node covered)
    {
        final long nowNs = now();
        final List<ConnectionSnapshot> k = connected(keeper, nowNs);
        final List<ConnectionSnapshot> c = connected(covered, nowNs);
        return k.size() == 1 && k.get(0).side() == Side.CLIENT && keeper.servers(nowNs).isEmpty() &&
            c.size() == 1 && c.get(0).side() == Side.SERVER &&
            covered.client(nowNs).state() == ConnectionState.COVERED;
    }

    private void assertShared(final SimHarness.Node keeper, final String keeperName, final SimHarness.Node covered,
        final String coveredName)
    {
        final long nowNs = now();
        final ConnectionSnapshot kept = keeper.client(nowNs);
        assertEquals(coveredName, kept.peerName());
        assertEquals(ConnectionState.CONNECTED, kept.state());
        final ConnectionSnapshot waiting = covered.client(nowNs);
        assertEquals(ConnectionState.COVERED, waiting.state());
        assertEquals(FailureReason.CLOSED, waiting.lastFailure());
        assertTrue(waiting.lastError().startsWith("duplicate connection: sharing the one from " + keeperName),
            waiting.lastError());
        assertEquals(-1, waiting.nextRetryInNs());
        // the covered row shows the figures of the connection that carries the pair (issue 12 item 3)
        final ConnectionSnapshot carrier = covered.servers(nowNs).get(0);
        assertEquals(keeperName, carrier.peerName());
        assertEquals(carrier.uptimeNs(), waiting.uptimeNs());
        assertEquals(carrier.packetsSent(), waiting.packetsSent());
        assertEquals(carrier.bytesReceived(), waiting.bytesReceived());
        assertEquals(carrier.latencySamples(), waiting.latencySamples());
        assertEquals(carrier.latencyP50Ns(), waiting.latencyP50Ns());
        assertEquals(keeperName, waiting.peerName());
        final EngineEvent event = covered.events(EventType.COVERED).get(covered.events(EventType.COVERED).size() - 1);
        assertTrue(event.message().contains("sharing the one from " + keeperName), event.message());
        assertEquals(waiting.key(), event.connectionKey());
        assertTrue(keeper.events(EventType.COVERED).isEmpty());
        assertTrue(keeper.events(EventType.ERROR).isEmpty(), keeper.events(EventType.ERROR).toString());
        assertTrue(covered.events(EventType.ERROR).isEmpty(), covered.events(EventType.ERROR).toString());
    }

    /** The duplicate connection is closed in an orderly way on both ends, with the reason on both. */
    private static void assertDuplicateClosed(final SimHarness.Node keeper, final SimHarness.Node covered)
    {
        final EngineEvent closedByCovered = covered.events(EventType.CLOSED).stream()
            .filter(e -> e.side() == Side.CLIENT).findFirst().orElseThrow();
        assertEquals(FailureReason.CLOSED, closedByCovered.reason());
        assertTrue(closedByCovered.message().startsWith("duplicate connection"), closedByCovered.message());
        final EngineEvent seenByKeeper = keeper.events(EventType.CLOSED).stream()
            .filter(e -> e.side() == Side.SERVER).findFirst().orElseThrow();
        assertEquals(FailureReason.CLOSED, seenByKeeper.reason());
        assertTrue(seenByKeeper.message().contains("duplicate connection"), seenByKeeper.message());
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void theOlderConnectionIsTheDuplicateWhenTheHigherNameDialledFirst(final TransportProtocol protocol)
    {
        // alpha starts alone: its first attempt fails and waits a second. beta dials at once, so beta's connection
        // is established first; alpha's retry brings the second one, and beta closes its own (the older) one.
        final SimHarness.Node alpha = sim.start(ALPHA, config("alpha", protocol, BETA, true));
        sim.runFor(100);
        final SimHarness.Node beta = sim.start(BETA, config("beta", protocol, ALPHA, false));
        sim.runUntil(() -> beta.client(now()).latencySamples() > 0, 1_000, "beta's connection first");
        assertEquals(ConnectionState.RETRYING, alpha.client(now()).state());
        sim.runUntil(() -> sharesKeepersConnection(alpha, beta), 3_000, "one connection");
        assertShared(alpha, "alpha", beta, "beta");
        assertDuplicateClosed(alpha, beta);

        // The survivor carries the tests (alpha asked for bandwidth monitoring) and the figures of both sides.
        sim.runUntil(() -> alpha.client(now()).bandwidthTests() >= 4, 10_000, "bandwidth on the shared connection");
        final ConnectionSnapshot served = beta.servers(now()).get(0);
        assertTrue(served.bandwidthTests() >= 3 && served.latencySamples() > 0, served.toString());
        assertEquals(0, alpha.client(now()).verificationErrors());
        final ConnectionSnapshot waiting = beta.client(now());
        sim.runFor(1_000);
        final ConnectionSnapshot stillWaiting = beta.client(now());
        assertEquals(ConnectionState.COVERED, stillWaiting.state());
        assertEquals(beta.servers(now()).get(0).packetsSent(), stillWaiting.packetsSent(),
            "the covered row counts the carrier's packets");
        assertTrue(stillWaiting.latencySamples() > waiting.latencySamples(), "and its latency probes, not 0");
        assertEquals(waiting.retries(), stillWaiting.retries(), "the covered peer does not dial");
        assertEquals(1, beta.events(EventType.COVERED).size());
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void theNewerConnectionIsTheDuplicateWhenTheLowerNameDialledFirst(final TransportProtocol protocol)
    {
        final SimHarness.Node beta = sim.start(BETA, config("beta", protocol, ALPHA, false));
        sim.runFor(100);
        final SimHarness.Node alpha = sim.start(ALPHA, config("alpha", protocol, BETA, false));
        sim.runUntil(() -> alpha.client(now()).latencySamples() > 0, 1_000, "alpha's connection first");
        final long aliveSince = alpha.client(now()).uptimeNs();
        sim.runUntil(() -> sharesKeepersConnection(alpha, beta), 3_000, "one connection");
        assertShared(alpha, "alpha", beta, "beta");
        assertDuplicateClosed(alpha, beta);
        assertTrue(alpha.client(now()).uptimeNs() > aliveSince, "alpha's connection was never interrupted");
        assertEquals(0, alpha.client(now()).retries());
        assertTrue(alpha.events(EventType.RECONNECTING).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void simultaneousDiallingKeepsOne(final TransportProtocol protocol)
    {
        final SimHarness.Node beta = sim.start(BETA, config("beta", protocol, ALPHA, false));
        final SimHarness.Node alpha = sim.start(ALPHA, config("alpha", protocol, BETA, false));
        sim.runUntil(() -> sharesKeepersConnection(alpha, beta), 3_000, "one connection");
        assertShared(alpha, "alpha", beta, "beta");
        sim.runFor(2_000);
        assertTrue(sharesKeepersConnection(alpha, beta));
        assertEquals(1, beta.events(EventType.COVERED).size());
        assertEquals(1, alpha.events(EventType.CLOSED).size(), "only the duplicate was ever closed");
    }

    @Test
    void equalNamesAreSettledBySessionIdAndBothSidesAgree()
    {
        final SimHarness.Node one = sim.start(ALPHA, config("twin", TransportProtocol.TCP, BETA, false));
        final SimHarness.Node two = sim.start(BETA, config("twin", TransportProtocol.TCP, ALPHA, false));
        sim.runUntil(() -> sharesKeepersConnection(one, two) || sharesKeepersConnection(two, one), 3_000,
            "one connection");
        final boolean oneKeeps = sharesKeepersConnection(one, two);
        final SimHarness.Node keeper = oneKeeps ? one : two;
        final SimHarness.Node covered = oneKeeps ? two : one;
        assertShared(keeper, "twin", covered, "twin");
        sim.runFor(2_000);
        assertTrue(sharesKeepersConnection(keeper, covered), "stable");
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void restartOfTheCoveredSideSettlesAgain(final TransportProtocol protocol)
    {
        final SimHarness.Node alpha = sim.start(ALPHA, config("alpha", protocol, BETA, false));
        final SimHarness.Node beta = sim.start(BETA, config("beta", protocol, ALPHA, false));
        sim.runUntil(() -> sharesKeepersConnection(alpha, beta), 3_000, "one connection");
        final long samples = alpha.client(now()).latencySamples();

        sim.kill(beta);
        sim.runUntil(() -> alpha.client(now()).state() == ConnectionState.RETRYING, 2_000, "alpha lost it");
        final SimHarness.Node reborn = sim.start(BETA, config("beta", protocol, ALPHA, false));
        sim.runUntil(() -> sharesKeepersConnection(alpha, reborn), 3_000, "one connection again");
        assertShared(alpha, "alpha", reborn, "beta");
        assertEquals(1, alpha.client(now()).retries());
        sim.runFor(500);
        assertTrue(alpha.client(now()).latencySamples() > samples, "alpha's counters go on");
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void restartOfTheKeepingSideUncoversThenSettlesAgain(final TransportProtocol protocol)
    {
        final SimHarness.Node alpha = sim.start(ALPHA, config("alpha", protocol, BETA, false));
        final SimHarness.Node beta = sim.start(BETA, config("beta", protocol, ALPHA, false));
        sim.runUntil(() -> sharesKeepersConnection(alpha, beta), 3_000, "one connection");

        sim.kill(alpha);
        sim.runUntil(() -> beta.client(now()).state() != ConnectionState.COVERED, 2_000, "beta uncovered");
        final EngineEvent resumed = beta.events(EventType.RECONNECTING).get(0);
        assertTrue(resumed.message().startsWith("the shared connection from alpha ended"), resumed.message());
        assertEquals(beta.client(now()).key(), resumed.connectionKey());
        // beta dials by itself again (alpha is down: it fails and backs off like any other peer)
        sim.runUntil(() -> beta.events(EventType.CONNECT_FAILED).size() >= 1, 2_000, "beta dials again");

        final SimHarness.Node reborn = sim.start(ALPHA, config("alpha", protocol, BETA, false));
        sim.runUntil(() -> sharesKeepersConnection(reborn, beta), 5_000, "one connection again");
        assertShared(reborn, "alpha", beta, "beta");
        assertEquals(2, beta.events(EventType.COVERED).size());
    }

    @Test
    void connectionsOverDifferentProtocolsAreNotDuplicates()
    {
        final SimHarness.Node alpha = sim.start(ALPHA, EngineConfig.builder("alpha")
            .listen(new ListenSpec(TransportProtocol.UDP, 1234))
            .connect(ConnectSpec.of(TransportProtocol.TCP, BETA, 1234)).build());
        final SimHarness.Node beta = sim.start(BETA, EngineConfig.builder("beta")
            .listen(new ListenSpec(TransportProtocol.TCP, 1234))
            .connect(ConnectSpec.of(TransportProtocol.UDP, ALPHA, 1234)).build());
        sim.runUntil(() -> connected(alpha, now()).size() == 2 && connected(beta, now()).size() == 2, 2_000, "both");
        sim.runFor(1_000);
        assertEquals(2, connected(alpha, now()).size());
        assertEquals(2, connected(beta, now()).size());
        assertTrue(beta.events(EventType.COVERED).isEmpty());
    }

    @Test
    void anInstanceDiallingItselfKeepsItsLoop()
    {
        final SimHarness.Node self = sim.start(ALPHA, config("alpha", TransportProtocol.TCP, ALPHA, false));
        sim.runUntil(() -> self.client(now()).latencySamples() > 3, 2_000, "talking to itself");
        assertEquals(2, connected(self, now()).size(), "both ends of the one connection");
        assertFalse(self.events.stream().anyMatch(e -> e.type() == EventType.COVERED));
    }
}
