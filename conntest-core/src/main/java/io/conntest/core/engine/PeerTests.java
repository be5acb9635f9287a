package io.conntest.core.engine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import io.conntest.core.nat.NatProber;
import io.conntest.core.nat.NatTestResult;
import io.conntest.core.nat.PathMtuProber;
import io.conntest.core.nat.PathMtuResult;
import io.conntest.core.nat.PeerProbe;
import io.conntest.core.transport.Transport;

/**
 * The engine's one-shot tests towards cooperating peers: a {@link NatProber} per {@code ?nat-test} peer and a
 * {@link PathMtuProber} per {@code ?pmtu} peer, started with the engine, driven from its duty cycle on the
 * transport's plain datagram sockets, each run once; a finished one is handed to the engine (an event) and kept for
 * the snapshots.
 */
final class PeerTests
{
    private final List<ConnectSpec> specs = new ArrayList<>();
    private final List<Running> running = new ArrayList<>();
    private final List<NatTestResult> natResults = new ArrayList<>();
    private final List<PathMtuResult> pathMtuResults = new ArrayList<>();
    private final BiConsumer<ConnectSpec, NatTestResult> onNatTest;
    private final BiConsumer<ConnectSpec, PathMtuResult> onPathMtu;

    /** A test under way and what to do with its result. */
    private record Running(ConnectSpec spec, PeerProbe probe, Runnable onDone)
    {
    }

    PeerTests(final List<ConnectSpec> connects, final BiConsumer<ConnectSpec, NatTestResult> onNatTest,
        final BiConsumer<ConnectSpec, PathMtuResult> onPathMtu)
    {
        for (final ConnectSpec spec : connects)
        {
            if (spec.natTest() || spec.pmtuTest())
            {
                specs.add(spec);
            }
        }
        this.onNatTest = onNatTest;
        this.onPathMtu = onPathMtu;
    }

    /** Starts every test (a peer whose name does not resolve to IPv4 finishes at once, saying so). */
    void start(final Transport transport, final long seed)
    {
        long tokens = seed;
        for (final ConnectSpec spec : specs)
        {
            final String peer = spec.host() + ":" + spec.port();
            final String unreachable;
            int addr = 0;
            try
            {
                // a test runs once: a look-up at start is fine (the peer's connection resolves its own)
                final InetAddress address = InetAddress.getByName(spec.host());
                addr = address.hashCode(); // an Inet4Address's hash code is its address
                unreachable = address instanceof Inet4Address ? null : "runs over IPv4 only";
            }
            catch (final UnknownHostException ex)
            {
                startOrFail(spec, peer, "unknown host " + spec.host(), 0, transport, tokens);
                continue;
            }
            startOrFail(spec, peer, unreachable, addr, transport, tokens);
            tokens += 1L << 33;
        }
        specs.clear();
    }

    private void startOrFail(final ConnectSpec spec, final String peer, final String error, final int addr,
        final Transport transport, final long tokens)
    {
        final NatProber.Sockets sockets = h -> transport.openSmallDatagram("0.0.0.0", 0, h);
        if (spec.natTest())
        {
            if (error != null)
            {
                natFinished(spec, NatTestResult.failed(peer, "the nat test " + error));
            }
            else
            {
                final NatProber prober = new NatProber(sockets, addr, spec.port(), peer,
                    spec.natTestMaxNs() / 1_000_000, tokens);
                running.add(new Running(spec, prober, () -> natFinished(spec, prober.result())));
            }
        }
        if (spec.pmtuTest())
        {
            if (error != null)
            {
                pathMtuFinished(spec, PathMtuResult.failed(peer, "the path mtu test " + error));
                return;
            }
            try
            {
                final PathMtuProber prober = new PathMtuProber(sockets, addr, spec.port(), peer, tokens + (1L << 32));
                running.add(new Running(spec, prober, () -> pathMtuFinished(spec, prober.result())));
            }
            catch (final RuntimeException ex)
            {
                pathMtuFinished(spec, PathMtuResult.failed(peer, "cannot run: " + ex.getMessage()));
            }
        }
    }

    int doWork(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < running.size(); i++)
        {
            final Running test = running.get(i);
            if (test.probe().pollAtNs() <= nowNs) // not a difference: MIN_VALUE means at once
            {
                work += test.probe().poll(nowNs);
            }
            if (test.probe().isDone())
            {
                running.remove(i--);
                test.onDone().run();
            }
        }
        return work;
    }

    long nextDeadlineNs()
    {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < running.size(); i++)
        {
            at = Math.min(at, running.get(i).probe().pollAtNs());
        }
        return at;
    }

    private void natFinished(final ConnectSpec spec, final NatTestResult result)
    {
        natResults.add(result);
        onNatTest.accept(spec, result);
    }

    private void pathMtuFinished(final ConnectSpec spec, final PathMtuResult result)
    {
        pathMtuResults.add(result);
        onPathMtu.accept(spec, result);
    }

    /** Stops the tests still running (their sockets closed), without results. */
    void close()
    {
        for (final Running test : running)
        {
            test.probe().close();
        }
        running.clear();
    }

    List<NatTestResult> natResults()
    {
        return List.copyOf(natResults);
    }

    List<PathMtuResult> pathMtuResults()
    {
        return List.copyOf(pathMtuResults);
    }
}
