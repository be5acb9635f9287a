package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.testing.Await;

/**
 * Restarts (issue 14): a peer is restarted 20 times on the same port (stopped cleanly and crashed in turn) and the
 * other end reconnects 20 times, on kernel sockets in this JVM. Nothing grows beyond a small bound: the process's open
 * file descriptors ({@code /proc/self/fd}), its live threads, and the connections the long-lived end's snapshot
 * holds (one row per outgoing peer, kept across reconnects). {@code scripts/restarts.sh} does 100 restarts of
 * whole processes on both stacks; its figures are in docs/reliability.md.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KernelRestartTest
{
    private static final int RESTARTS = 20;
    /** A few descriptors or threads of slack for what the JVM opens or starts on its own (JIT, GC, jar files). */
    private static final int FD_SLACK = 8;
    private static final int THREAD_SLACK = 3;

    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void stopAll()
    {
        engines.forEach(Engine::stop);
    }

    private Engine start(final EngineConfig config)
    {
        final Engine engine = Engine.start(config, new KernelTransport(), event -> { });
        engines.add(engine);
        return engine;
    }

    private static EngineConfig.Builder fast(final String name)
    {
        // Short retry backoff so 20 restarts take seconds, not the default 1 - 8 s each.
        return EngineConfig.builder(name).latency(20_000_000L, 2).publishIntervalNs(20_000_000L)
            .retry(50_000_000L, 200_000_000L, 2.0);
    }

    private static Optional<ConnectionSnapshot> client(final Engine engine)
    {
        return engine.snapshot().connections().stream().filter(c -> c.side() == Side.CLIENT).findFirst();
    }

    private static long openFds() throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
    }

    private static int liveThreads()
    {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void twentyRestartsTwentyReconnectsNothingGrows(final TransportProtocol protocol) throws IOException
    {
        final Engine first = start(fast("peer-0").listen(new ListenSpec(protocol, "127.0.0.1", 0)).build());
        Engine peer = first;
        final int port = Await.value(() -> first.snapshot().listeners().stream().filter(l -> l.listening())
            .map(l -> l.port()).findFirst(), 5_000, "listener bound");
        final Engine watcher = start(fast("watcher")
            .connect(ConnectSpec.parse(protocol.lowerName() + "://127.0.0.1:" + port + "?latency-interval=10ms"))
            .build());
        Await.value(() -> client(watcher).filter(c -> "peer-0".equals(c.peerName())), 10_000, "first connection");

        long fdsFirst = -1;
        int threadsFirst = -1;
        long fdsMax = 0;
        int threadsMax = 0;
        for (int i = 1; i <= RESTARTS; i++)
        {
            // Even restarts stop cleanly (goodbye, close), odd ones crash (no goodbye).
            if (i % 2 == 0)
            {
                peer.stop();
            }
            else
            {
                peer.crash();
            }
            engines.remove(peer);
            final String name = "peer-" + i;
            peer = start(fast(name).listen(new ListenSpec(protocol, "127.0.0.1", port)).build());
            Await.value(() -> client(watcher).filter(c -> name.equals(c.peerName()) &&
                c.state() == ConnectionState.CONNECTED), 10_000, "reconnection " + i + " to " + name);
            final Engine current = peer;
            Await.until(() -> current.snapshot().connections().size() == 1, 5_000, "the peer sees one connection");
            final long fds = openFds();
            final int threads = liveThreads();
            if (i == 2)
            {
                // The baseline once a restart has happened (the first crash may load classes, start JIT threads).
                fdsFirst = fds;
                threadsFirst = threads;
            }
            fdsMax = Math.max(fdsMax, fds);
            threadsMax = Math.max(threadsMax, threads);
            assertEquals(1, watcher.snapshot().connections().size(), "one row for the one peer after restart " + i);
        }
        final ConnectionSnapshot c = client(watcher).orElseThrow();
        System.out.printf("%s restarts: %d reconnects (retries %d), fds %d at restart 2, %d max, %d at the end; "
            + "threads %d at restart 2, %d max, %d at the end%n", protocol, RESTARTS, c.retries(), fdsFirst, fdsMax,
            openFds(), threadsFirst, threadsMax, liveThreads());
        assertTrue(c.retries() >= RESTARTS, "the watcher reconnected after each restart: retries " + c.retries());
        assertTrue(fdsMax <= fdsFirst + FD_SLACK, "fds grew from " + fdsFirst + " to " + fdsMax);
        assertTrue(threadsMax <= threadsFirst + THREAD_SLACK, "threads grew from " + threadsFirst + " to " + threadsMax);
        assertEquals(1, watcher.snapshot().connections().size());
    }
}
