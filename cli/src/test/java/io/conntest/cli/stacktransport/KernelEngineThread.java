package io.conntest.cli.stacktransport;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.EngineCore;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.transport.KernelTransport;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * A {@code kernel} instance inside a namespace: {@code Engine.start} runs on a thread of its own choosing, but
 * kernel sockets belong to the namespace of the thread that creates them, so this runs the engine's public
 * single-threaded core ({@link EngineCore}) on a thread that entered the namespace, publishing snapshots for the
 * test thread.
 */
final class KernelEngineThread implements AutoCloseable
{
    private final Thread thread;
    private final AtomicReference<EngineSnapshot> latest = new AtomicReference<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile KernelTransport transport;

    KernelEngineThread(final NetworkNamespace ns, final EngineConfig config)
    {
        thread = ns.newThread("kernel-engine", () -> run(config));
        thread.start();
    }

    private void run(final EngineConfig config)
    {
        try
        {
            transport = new KernelTransport();
            final EngineCore core = new EngineCore(config, transport, new EngineListener()
            {
                @Override
                public void onEvent(final EngineEvent event)
                {
                    if (event.type() == EventType.CONNECT_FAILED || event.type() == EventType.ERROR ||
                        event.type() == EventType.CLOSED)
                    {
                        System.out.println("KERNEL " + event);
                    }
                }
            });
            long nowNs = System.nanoTime();
            core.start(nowNs);
            started.countDown();
            long nextPublishNs = nowNs;
            while (!stopping)
            {
                nowNs = System.nanoTime();
                final int work = core.doWork(nowNs);
                if (nowNs >= nextPublishNs)
                {
                    latest.set(core.snapshot(nowNs));
                    nextPublishNs = nowNs + 100_000_000L;
                }
                if (work == 0)
                {
                    transport.idle(nowNs, Math.min(core.nextDeadlineNs(), Math.min(nextPublishNs, nowNs + 10_000_000L)));
                }
            }
            core.stop(System.nanoTime());
        }
        catch (final Throwable t)
        {
            failure.set(t);
            started.countDown();
        }
    }

    void awaitStarted() throws InterruptedException
    {
        if (!started.await(10, TimeUnit.SECONDS) || failure.get() != null)
        {
            throw new AssertionError("kernel engine did not start", failure.get());
        }
    }

    EngineSnapshot snapshot()
    {
        final Throwable t = failure.get();
        if (t != null)
        {
            throw new AssertionError("kernel engine failed", t);
        }
        return latest.get();
    }

    @Override
    public void close() throws InterruptedException
    {
        stopping = true;
        final KernelTransport t = transport;
        if (t != null)
        {
            t.wakeup();
        }
        thread.join(10_000);
        if (thread.isAlive())
        {
            throw new AssertionError("kernel engine thread did not stop");
        }
    }
}
