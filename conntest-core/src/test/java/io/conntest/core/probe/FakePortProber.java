package io.conntest.core.probe;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * A {@link PortProber} with scripted answers and no sockets: each probe finishes {@code delayNs} after its start
 * with the state the script gives its port. Records what the runner asked of it.
 */
final class FakePortProber implements PortProber
{
    /** A scripted answer. */
    record Answer(PortState state, ProbeReason reason, long delayNs)
    {
    }

    private final int capacity;
    private final IntFunction<Answer> script;
    private final List<Pending> pending = new ArrayList<>();
    final List<Long> startTimesNs = new ArrayList<>();
    int peakInFlight;
    int cancelled;
    private volatile Thread owner;

    FakePortProber(final int capacity, final IntFunction<Answer> script)
    {
        this.capacity = capacity;
        this.script = script;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public int inFlight()
    {
        return pending.size();
    }

    @Override
    public void start(final ProbeProtocol protocol, final InetAddress host, final int port, final long timeoutNs,
        final int attempts, final long nowNs, final ProbeCallback callback)
    {
        if (pending.size() >= capacity)
        {
            throw new IllegalStateException("over capacity");
        }
        owner = Thread.currentThread();
        startTimesNs.add(nowNs);
        final Answer answer = script.apply(port);
        pending.add(new Pending(new ProbeResult(protocol, host, port, answer.state(), answer.reason(),
            answer.delayNs(), 1, null), nowNs + answer.delayNs(), callback));
        peakInFlight = Math.max(peakInFlight, pending.size());
    }

    @Override
    public int poll(final long nowNs)
    {
        int delivered = 0;
        for (int i = 0; i < pending.size(); )
        {
            final Pending probe = pending.get(i);
            if (probe.dueNs <= nowNs)
            {
                pending.remove(i);
                delivered++;
                probe.callback.onProbeResult(probe.result);
            }
            else
            {
                i++;
            }
        }
        return delivered;
    }

    @Override
    public long nextDeadlineNs()
    {
        long next = Long.MAX_VALUE;
        for (final Pending probe : pending)
        {
            next = Math.min(next, probe.dueNs);
        }
        return next;
    }

    @Override
    public void awaitWork(final long maxWaitNs)
    {
        if (maxWaitNs > 0)
        {
            LockSupport.parkNanos(Math.min(maxWaitNs, nextDeadlineNs() - System.nanoTime()));
        }
    }

    @Override
    public void wakeup()
    {
        final Thread thread = owner;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public int cancelAll()
    {
        final int n = pending.size();
        cancelled += n;
        pending.clear();
        return n;
    }

    @Override
    public void close()
    {
        cancelAll();
    }

    private record Pending(ProbeResult result, long dueNs, ProbeCallback callback)
    {
    }
}
