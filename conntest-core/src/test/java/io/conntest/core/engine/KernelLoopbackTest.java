package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;

/** Two engines on kernel sockets over 127.0.0.1, each on its own thread, as a user would run them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelLoopbackTest
{
    private final List<Engine> engines = new ArrayList<>();

    /** Collects events from the dispatcher thread. */
    static final class Events implements EngineListener
    {
        final ConcurrentLinkedQueue<EngineEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        public void onEvent(final EngineEvent event)
        {
            events.add(event);
        }

        boolean has(final EventType type)
        {
            return events.stream().anyMatch(e -> e.type() == type);
        }
    }

    @AfterEach
    void stopAll()
    {
        for (final Engine engine : engines)
        {
            engine.stop();
        }
    }

    private Engine start(final EngineConfig config, final Events events)
    {
        final Engine engine = Engine.start(config, new KernelTransport(), events);
        engines.add(engine);
        return engine;
    }

    private static EngineConfig.Builder fast(final String name)
    {
        return EngineConfig.builder(name).latency(20_000_000L, 3).publishIntervalNs(20_000_000L);
    }

    private static <T> T await(final Supplier<Optional<T>> probe, final long timeoutMs, final String what)
    {
        return io.conntest.stack.testing.Await.value(probe, timeoutMs, what);
    }

    private static int boundPort(final Engine engine)
    {
        return await(() -> engine.snapshot().listeners().stream().filter(l -> l.listening())
            .map(l -> l.port()).findFirst(), 5_000, "listener bound");
    }

    private static Optional<ConnectionSnapshot> client(final Engine engine)
    {
        return engine.snapshot().connections().stream().filter(c -> c.side() == Side.CLIENT).findFirst();
    }

    private static Optional<ConnectionSnapshot> server(final Engine engine)
    {
        return engine.snapshot().connections().stream().filter(c -> c.side() == Side.SERVER).findFirst();
    }

    private static ConnectSpec spec(final TransportProtocol protocol, final int port)
    {
        return protocol == TransportProtocol.TCP ?
            ConnectSpec.parse("tcp://127.0.0.1:" + port +
                "?monitor-bandwidth&packet-size=64kb&bandwidth-bytes=8mb&verify") :
            ConnectSpec.parse("udp://127.0.0.1:" + port +
                "?monitor-bandwidth&packet-size=1400&bandwidth-bytes=2mb&verify");
    }

    /**
     * Latency under load on kernel sockets: probes go on during the tests (5 MB packets over TCP, cut into 64 KiB
     * frames), both ends keep loaded samples apart, and the server answers the client's probes. No timing
     * is asserted, only that the figures exist and are sane.
     */
    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void loadedLatencyOnBothEnds(final TransportProtocol protocol)
    {
        final Engine server = start(fast("receiver").listen(new ListenSpec(protocol, "127.0.0.1", 0)).build(),
            new Events());
        final int port = boundPort(server);
        final String options = protocol == TransportProtocol.TCP ? "packet-size=5mb" : "packet-size=1400&rate=200M";
        final Engine client = start(fast("sender").connect(ConnectSpec.parse(protocol.lowerName() + "://127.0.0.1:" +
            port + "?monitor-bandwidth&bandwidth-duration=300ms&latency-interval=2ms&" + options)).build(),
            new Events());
        final ConnectionSnapshot c = await(() -> client(client).filter(x -> x.bandwidthTests() >= 2 &&
            x.latencyLoadedSamples() >= 10 && x.latencySamples() >= 5), 20_000, "loaded probes on the client");
        final ConnectionSnapshot s = await(() -> server(server).filter(x -> x.latencyLoadedSamples() >= 10), 5_000,
            "loaded probes on the server");
        assertTrue(c.latencyLoadedP50Ns() > 0 && c.latencyLoadedP50Ns() <= c.latencyLoadedMaxNs());
        assertTrue(s.latencyLoadedP50Ns() > 0 && s.latencyLoadedP50Ns() <= s.latencyLoadedMaxNs());
        // (each engine publishes its own snapshots, so the two counts are not from the same instant)
        assertTrue(s.probesAnswered() >= 15, "server answered " + s.probesAnswered());
        System.out.printf("%s kernel loopback: RTT/2 idle p50 %d us, loaded p50 %d us (client); idle p50 %d us, "
            + "loaded p50 %d us (server)%n", protocol, c.latencyP50Ns() / 1000, c.latencyLoadedP50Ns() / 1000,
            s.latencyP50Ns() / 1000, s.latencyLoadedP50Ns() / 1000);
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void busyPollingEnginesMeasureLatencyAndStop(final TransportProtocol protocol)
    {
        final Engine server = start(fast("receiver").busyPoll(true).listen(new ListenSpec(protocol, "127.0.0.1", 0))
            .build(), new Events());
        final int port = boundPort(server);
        final Engine client = start(fast("sender").busyPoll(true)
            .connect(ConnectSpec.parse(protocol.lowerName() + "://127.0.0.1:" + port + "?latency-interval=1ms"))
            .build(), new Events());
        final ConnectionSnapshot c = await(() -> client(client).filter(x -> x.latencySamples() >= 50), 20_000,
            "50 probes, 1 ms apart, with both engines spinning");
        assertEquals("receiver", c.peerName());
        assertTrue(c.latencyP50Ns() > 0, "latency " + c.latencyP50Ns());
        // a spinning engine still stops at once (it never waits in the selector)
        client.stop();
        server.stop();
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void helloLatencyAndBandwidthBothWaysThenKillAndRestart(final TransportProtocol protocol)
    {
        final Events serverEvents = new Events();
        final Engine server = start(fast("receiver").listen(new ListenSpec(protocol, "127.0.0.1", 0)).build(),
            serverEvents);
        final int port = boundPort(server);
        final Events clientEvents = new Events();
        final Engine client = start(fast("sender").connect(spec(protocol, port)).build(), clientEvents);

        final ConnectionSnapshot c = await(() -> client(client).filter(s -> s.bandwidthTests() >= 4 &&
            s.latencySamples() >= 6), 20_000, "two bandwidth rounds");
        final ConnectionSnapshot s = await(() -> server(server).filter(x -> x.bandwidthTests() >= 3), 5_000,
            "server figures");
        assertEquals("receiver", c.peerName());
        assertEquals("sender", s.peerName());
        assertEquals("127.0.0.1", c.peerHost());
        assertEquals(port, c.peerPort());
        assertEquals(ConnectionState.CONNECTED, c.state());
        assertTrue(c.latencyP50Ns() > 0 && c.latencyP50Ns() < 50_000_000L, "latency " + c.latencyP50Ns());
        assertTrue(s.latencySamples() > 0);
        assertTrue(c.bandwidthUpLastBps() > 0 && c.bandwidthDownLastBps() > 0);
        assertTrue(s.bandwidthUpLastBps() > 0 && s.bandwidthDownLastBps() > 0);
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        if (protocol == TransportProtocol.UDP)
        {
            assertTrue(c.udpLost() >= 0 && c.udpRetransmitted() >= 0, "udp figures present");
        }
        else
        {
            assertEquals(-1, c.udpLost());
        }
        System.out.printf("%s loopback: latency p50 %d us, up %.1f Mbit/s, down %.1f Mbit/s, retransmitted %d%n",
            protocol, c.latencyP50Ns() / 1000, c.bandwidthUpAvgBps() / 1e6, c.bandwidthDownAvgBps() / 1e6,
            c.udpRetransmitted());

        // Kill the server and start it again on the same port: the client reconnects within 2 s, counters go on.
        final long packetsBefore = client(client).orElseThrow().packetsSent();
        server.stop();
        await(() -> client(client).filter(x -> x.state() == ConnectionState.RETRYING), 5_000, "client noticed");
        final Events rebornEvents = new Events();
        final long restartNs = System.nanoTime();
        final Engine reborn = start(fast("receiver-2").listen(new ListenSpec(protocol, "127.0.0.1", port)).build(),
            rebornEvents);
        final ConnectionSnapshot again = await(() -> client(client).filter(x -> "receiver-2".equals(x.peerName())),
            5_000, "reconnected");
        final long tookMs = (System.nanoTime() - restartNs) / 1_000_000;
        assertTrue(tookMs <= 2_000, "reconnected after " + tookMs + " ms");
        assertEquals(1, again.retries());
        assertTrue(again.packetsSent() >= packetsBefore);
        await(() -> client(client).filter(x -> x.packetsSent() > packetsBefore + 10), 5_000, "counters go on");
        assertTrue(clientEvents.has(EventType.RECONNECTING));
        final EngineEvent closed = clientEvents.events.stream().filter(e -> e.type() == EventType.CLOSED).findFirst()
            .orElseThrow();
        assertNotNull(closed.reason());
        assertTrue(serverEvents.has(EventType.STOPPED));
        assertTrue(rebornEvents.has(EventType.HELLO));
        final EngineSnapshot snap = reborn.snapshot();
        assertEquals("kernel", snap.transportName());
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void crashedServerRestartedIsNoticedAndReconnectedWithinTwoSeconds(final TransportProtocol protocol)
    {
        final Engine server = start(fast("first").listen(new ListenSpec(protocol, "127.0.0.1", 0)).build(),
            new Events());
        final int port = boundPort(server);
        final Events clientEvents = new Events();
        final Engine client = start(fast("watcher").connect(ConnectSpec.of(protocol, "127.0.0.1", port)).build(),
            clientEvents);
        await(() -> client(client).filter(s -> "first".equals(s.peerName())), 5_000, "connected");

        // No goodbye, no close: the new instance on the same port gets the old connection's packets.
        server.crash();
        final long restartNs = System.nanoTime();
        start(fast("second").listen(new ListenSpec(protocol, "127.0.0.1", port)).build(), new Events());
        await(() -> client(client).filter(s -> "second".equals(s.peerName())), 5_000, "reconnected");
        final long tookMs = (System.nanoTime() - restartNs) / 1_000_000;
        assertTrue(tookMs <= 2_000, "reconnected after " + tookMs + " ms");
        final EngineEvent closed = clientEvents.events.stream().filter(e -> e.type() == EventType.CLOSED)
            .findFirst().orElseThrow();
        // TCP: the kernel closes (FIN, or RST with unread data) the dead process's socket. UDP: nobody closed it,
        // but a packet in the gap draws ICMP port unreachable (REFUSED) and one after the restart a stateless CLOSE
        // from the new listener (CLOSED). Never the slow way, a timeout.
        assertTrue(closed.reason() == FailureReason.CLOSED || closed.reason() == FailureReason.RESET ||
            protocol == TransportProtocol.UDP && closed.reason() == FailureReason.REFUSED, closed.toString());
    }

    /** A port free on 127.0.0.1 right now (bound and released), so two engines can be told each other's port. */
    private static int freePort(final TransportProtocol protocol) throws java.io.IOException
    {
        final java.net.InetSocketAddress any = new java.net.InetSocketAddress("127.0.0.1", 0);
        if (protocol == TransportProtocol.TCP)
        {
            try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open())
            {
                probe.bind(any);
                return ((java.net.InetSocketAddress)probe.getLocalAddress()).getPort();
            }
        }
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open())
        {
            probe.bind(any);
            return ((java.net.InetSocketAddress)probe.getLocalAddress()).getPort();
        }
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void twoInstancesDiallingEachOtherShareOneConnection(final TransportProtocol protocol) throws Exception
    {
        final int alphaPort = freePort(protocol);
        final int betaPort = freePort(protocol);
        final Events alphaEvents = new Events();
        final Events betaEvents = new Events();
        final Engine alpha = start(fast("alpha").listen(new ListenSpec(protocol, "127.0.0.1", alphaPort))
            .connect(spec(protocol, betaPort)).build(), alphaEvents);
        final Engine beta = start(fast("beta").listen(new ListenSpec(protocol, "127.0.0.1", betaPort))
            .connect(ConnectSpec.of(protocol, "127.0.0.1", alphaPort)).build(), betaEvents);

        // "alpha" sorts first: its connection survives, beta's outgoing peer is covered by it.
        await(() -> client(beta).filter(c -> c.state() == ConnectionState.COVERED), 10_000, "beta covered");
        final ConnectionSnapshot kept = await(() -> client(alpha).filter(c -> c.bandwidthTests() >= 2 &&
            c.state() == ConnectionState.CONNECTED), 20_000, "tests on the shared connection");
        assertEquals("beta", kept.peerName());
        // The duplicate alpha accepted is closed as soon as the hellos cross; a loaded machine may publish one
        // snapshot that still holds it, so the check waits for it to go rather than reading one snapshot.
        await(() -> server(alpha).isEmpty() && alpha.snapshot().listeners().get(0).sessions() == 0
            ? Optional.of(true) : Optional.empty(), 5_000, "alpha keeps no accepted connection");
        final ConnectionSnapshot served = await(() -> server(beta).filter(s -> s.bandwidthTests() >= 2), 5_000,
            "beta's figures on the shared connection");
        assertEquals("alpha", served.peerName());
        assertEquals(1, beta.snapshot().listeners().get(0).sessions());
        assertEquals(2, beta.snapshot().connections().size(), "the covered row and the shared connection");
        final ConnectionSnapshot covered = client(beta).orElseThrow();
        assertEquals(ConnectionState.COVERED, covered.state());
        assertTrue(covered.lastError().startsWith("duplicate connection: sharing the one from alpha"),
            covered.lastError());
        assertTrue(betaEvents.has(EventType.COVERED));
        assertTrue(alphaEvents.events.stream().anyMatch(e -> e.type() == EventType.CLOSED &&
            e.message().contains("duplicate connection")), "alpha saw the duplicate closed: " + alphaEvents.events);
        assertTrue(!alphaEvents.has(EventType.ERROR) && !betaEvents.has(EventType.ERROR));

        // The shared connection is lost: beta dials by itself again.
        alpha.stop();
        await(() -> client(beta).filter(c -> c.state() != ConnectionState.COVERED), 5_000, "beta uncovered");
        await(() -> betaEvents.events.stream().filter(e -> e.type() == EventType.CONNECT_FAILED).findFirst(), 5_000,
            "beta dialled alpha again");
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void nobodyListeningIsRefused(final TransportProtocol protocol)
    {
        final Events events = new Events();
        final Engine idle = start(fast("probe").listen(new ListenSpec(protocol, "127.0.0.1", 0)).build(),
            new Events());
        final int port = boundPort(idle);
        idle.stop();
        start(fast("lonely").connect(ConnectSpec.of(protocol, "127.0.0.1", port)).build(), events);
        final EngineEvent failed = await(() -> events.events.stream()
            .filter(e -> e.type() == EventType.CONNECT_FAILED).findFirst(), 5_000, "connect failed");
        assertEquals(FailureReason.REFUSED, failed.reason(), failed.message());
    }
}
