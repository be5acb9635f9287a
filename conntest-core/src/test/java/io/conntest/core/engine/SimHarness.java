package io.conntest.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.InMemoryNetwork;
import io.conntest.core.transport.InMemoryTransport;
import io.conntest.core.transport.Transport;
import io.conntest.stack.testing.ManualClock;

/** Engines over one in-memory network on a manual clock, stepped 1 ms at a time. */
final class SimHarness
{
    static final long MS = 1_000_000L;

    final ManualClock clock = new ManualClock(1_000_000_000L);
    final InMemoryNetwork network = new InMemoryNetwork();
    final List<Node> nodes = new ArrayList<>();
    final List<Runnable> extraPollers = new ArrayList<>();

    /** One engine with its transport and the events it emitted. */
    static final class Node extends RecordingEngine
    {
        final String host;
        final InMemoryTransport transport;
        boolean alive = true;

        Node(final String host, final InMemoryTransport transport, final EngineConfig config)
        {
            this(host, transport, transport, config);
        }

        Node(final String host, final InMemoryTransport transport, final Transport engineTransport,
            final EngineConfig config)
        {
            super(engineTransport, config);
            this.host = host;
            this.transport = transport;
        }
    }

    Node start(final String host, final EngineConfig config)
    {
        final Node node = new Node(host, network.newTransport(host), config);
        nodes.add(node);
        node.core.start(clock.nowNs());
        return node;
    }

    /** A node whose engine sees its in-memory transport through {@code decorate}. */
    Node start(final String host, final EngineConfig config,
        final java.util.function.Function<InMemoryTransport, Transport> decorate)
    {
        final InMemoryTransport transport = network.newTransport(host);
        final Node node = new Node(host, transport, decorate.apply(transport), config);
        nodes.add(node);
        node.core.start(clock.nowNs());
        return node;
    }

    Transport rawTransport(final String host)
    {
        final InMemoryTransport transport = network.newTransport(host);
        extraPollers.add(() -> transport.poll(clock.nowNs()));
        return transport;
    }

    void kill(final Node node)
    {
        node.alive = false;
        node.transport.kill();
    }

    void step()
    {
        clock.advanceMs(1);
        for (int i = 0; i < 4; i++)
        {
            for (int n = 0; n < nodes.size(); n++)
            {
                final Node node = nodes.get(n);
                if (node.alive)
                {
                    node.core.doWork(clock.nowNs());
                }
            }
            for (int r = 0; r < extraPollers.size(); r++)
            {
                extraPollers.get(r).run();
            }
        }
    }

    /** Steps until the condition holds; returns the simulated time it took. Fails after {@code maxMs}. */
    long runUntil(final BooleanSupplier condition, final long maxMs, final String what)
    {
        final long start = clock.nowNs();
        while (!condition.getAsBoolean())
        {
            if (clock.nowNs() - start > maxMs * MS)
            {
                throw new AssertionError("not reached within " + maxMs + " simulated ms: " + what);
            }
            step();
        }
        return clock.nowNs() - start;
    }

    void runFor(final long ms)
    {
        final long end = clock.nowNs() + ms * MS;
        while (clock.nowNs() < end)
        {
            step();
        }
    }
}
