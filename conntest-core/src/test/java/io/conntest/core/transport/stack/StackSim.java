package io.conntest.core.transport.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.RecordingEngine;
import io.conntest.core.engine.EngineCore;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.testing.ManualClock;

/**
 * Two userspace stacks joined by an in-memory cable (optionally through a seeded fault injector on the client's
 * side, impairing both directions), on a manual clock stepped 100 µs at a time; engines or raw transports on top.
 */
final class StackSim
{
    static final long STEP_NS = 100_000L;
    static final String SERVER_IP = "10.0.0.2";
    static final String CLIENT_IP = "10.0.0.1";

    final ManualClock clock = new ManualClock(1_000_000_000L);
    final InMemoryDevicePair pair;
    final FaultInjectingDevice faulty;
    final StackHost clientHost;
    final StackHost serverHost;
    final List<Node> nodes = new ArrayList<>();
    final List<Runnable> pollers = new ArrayList<>();

    StackSim(final FaultConfig faults, final long seed)
    {
        this(faults, seed, InMemoryDevicePair.LinkOffload.NONE);
    }

    /** With {@code offload} other than NONE both devices offer CSUM, TSO4 and USO4. */
    StackSim(final FaultConfig faults, final long seed, final InMemoryDevicePair.LinkOffload offload)
    {
        // SUPER_FRAMES: a slot holds a 64 KB super-frame, so fewer slots; SEGMENTED: a super-frame becomes up to 64
        // frames in the peer's ring, as many as the plain cable holds
        pair = new InMemoryDevicePair(1500, offload == InMemoryDevicePair.LinkOffload.SUPER_FRAMES ? 256 : 4096,
            offload);
        FrameDevice clientDevice = pair.a();
        faulty = faults.isNone() ? null : FaultInjectingDevice.symmetric(pair.a(), faults, seed, clock::nowNs);
        if (faulty != null)
        {
            clientDevice = faulty;
        }
        final TcpConfig tcp = new TcpConfig().minRtoNs(200_000_000L).initialRtoNs(1_000_000_000L);
        clientHost = new StackHost(clientDevice, InterfaceConfig.builder(CLIENT_IP + "/24").seed(seed).build(), tcp);
        serverHost = new StackHost(pair.b(), InterfaceConfig.builder(SERVER_IP + "/24").seed(seed + 1).build(), tcp);
    }

    StackTransport transport(final StackHost host)
    {
        return new StackTransport(host, false, ReliableUdpConfig.defaults());
    }

    /** One engine with its transport and the events it emitted. */
    static final class Node extends RecordingEngine
    {
        final StackTransport transport;

        Node(final StackTransport transport, final EngineConfig config)
        {
            super(transport, config);
            this.transport = transport;
        }
    }

    Node start(final StackHost host, final EngineConfig config)
    {
        final Node node = new Node(transport(host), config);
        nodes.add(node);
        node.core.start(clock.nowNs());
        return node;
    }

    void step()
    {
        clock.advanceNs(STEP_NS);
        for (int i = 0; i < 3; i++)
        {
            for (int n = 0; n < nodes.size(); n++)
            {
                nodes.get(n).core.doWork(clock.nowNs());
            }
            for (int r = 0; r < pollers.size(); r++)
            {
                pollers.get(r).run();
            }
        }
    }

    /** Steps until the condition holds; returns the simulated time it took. Fails after {@code maxMs}. */
    long runUntil(final BooleanSupplier condition, final long maxMs, final String what)
    {
        final long start = clock.nowNs();
        while (!condition.getAsBoolean())
        {
            if (clock.nowNs() - start > maxMs * 1_000_000L)
            {
                throw new AssertionError("not reached within " + maxMs + " simulated ms: " + what);
            }
            step();
        }
        return clock.nowNs() - start;
    }

    void runFor(final long ms)
    {
        final long end = clock.nowNs() + ms * 1_000_000L;
        while (clock.nowNs() < end)
        {
            step();
        }
    }
}
