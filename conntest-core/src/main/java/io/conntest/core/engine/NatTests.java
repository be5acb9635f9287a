package io.conntest.core.engine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import io.conntest.core.nat.NatProber;
import io.conntest.core.nat.NatTestResult;
import io.conntest.core.transport.Transport;

/**
 * The engine's NAT tests: one {@link NatProber} per {@code ?nat-test} peer, started with the engine, driven from its
 * duty cycle on the transport's plain datagram sockets, each run once; a finished one is handed to the engine (an
 * event) and kept for the snapshots.
 */
final class NatTests
{
    private final List<ConnectSpec> specs = new ArrayList<>();
    private final List<NatProber> running = new ArrayList<>();
    private final List<NatTestResult> results = new ArrayList<>();
    private final BiConsumer<ConnectSpec, NatTestResult> onFinished;
    private final List<ConnectSpec> runningSpecs = new ArrayList<>();

    NatTests(final List<ConnectSpec> connects, final BiConsumer<ConnectSpec, NatTestResult> onFinished)
    {
        for (final ConnectSpec spec : connects)
        {
            if (spec.natTest())
            {
                specs.add(spec);
            }
        }
        this.onFinished = onFinished;
    }

    /** Starts every test (a peer whose name does not resolve to IPv4 finishes at once, saying so). */
    void start(final Transport transport, final long seed)
    {
        long tokens = seed;
        for (final ConnectSpec spec : specs)
        {
            final String peer = spec.host() + ":" + spec.port();
            final int addr;
            try
            {
                // the test runs once: a look-up at start is fine (the peer's connection resolves its own)
                final InetAddress address = InetAddress.getByName(spec.host());
                if (!(address instanceof Inet4Address))
                {
                    finished(spec, NatTestResult.failed(peer, "the nat test runs over IPv4 only"));
                    continue;
                }
                addr = address.hashCode(); // an Inet4Address's hash code is its address
            }
            catch (final UnknownHostException ex)
            {
                finished(spec, NatTestResult.failed(peer, "unknown host " + spec.host()));
                continue;
            }
            running.add(new NatProber(h -> transport.openSmallDatagram("0.0.0.0", 0, h), addr, spec.port(), peer,
                spec.natTestMaxNs() / 1_000_000, tokens));
            runningSpecs.add(spec);
            tokens += 1L << 32;
        }
        specs.clear();
    }

    int doWork(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < running.size(); i++)
        {
            final NatProber prober = running.get(i);
            if (prober.pollAtNs() <= nowNs) // not a difference: MIN_VALUE means at once
            {
                work += prober.poll(nowNs);
            }
            if (prober.isDone())
            {
                running.remove(i);
                finished(runningSpecs.remove(i--), prober.result());
            }
        }
        return work;
    }

    long nextDeadlineNs()
    {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < running.size(); i++)
        {
            at = Math.min(at, running.get(i).pollAtNs());
        }
        return at;
    }

    private void finished(final ConnectSpec spec, final NatTestResult result)
    {
        results.add(result);
        onFinished.accept(spec, result);
    }

    /** Stops the tests still running (their sockets closed), without results. */
    void close()
    {
        for (final NatProber prober : running)
        {
            prober.close();
        }
        running.clear();
        runningSpecs.clear();
    }

    List<NatTestResult> results()
    {
        return List.copyOf(results);
    }
}
