package io.conntest.core.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.transport.Transport;

/**
 * The engine running on its own thread: an Agrona agent whose duty cycle reads the clock once, polls the
 * transport, runs the sessions' timers, publishes a snapshot every {@link EngineConfig#publishIntervalNs()}, and
 * when idle waits in the transport (selector) until the next deadline. Events and snapshots reach the
 * {@link EngineListener} through a bounded queue drained by a second, dispatcher thread, so a slow UI never
 * blocks the engine (when the queue is full, events are dropped and counted).
 */
public final class Engine implements AutoCloseable
{
    private static final int EVENT_QUEUE_CAPACITY = 8 * 1024;
    private static final long MAX_IDLE_NS = 100_000_000L;

    private final EngineCore core;
    private final Transport transport;
    private final AtomicReference<EngineSnapshot> latest;
    private final OneToOneConcurrentArrayQueue<Object> queue = new OneToOneConcurrentArrayQueue<>(EVENT_QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AgentRunner engineRunner;
    private final AgentRunner dispatchRunner;
    private volatile boolean stopping;
    private volatile boolean crash;

    private Engine(final EngineConfig config, final Transport transport, final EngineListener listener)
    {
        this.transport = transport;
        this.latest = new AtomicReference<>(EngineSnapshot.empty(config.instanceName(), transport.name()));
        this.core = new EngineCore(config, transport, this::enqueue);
        // The duty cycle's clock is System.nanoTime(); latency probes read it afresh (see useLatencyClock).
        this.core.useLatencyClock(System::nanoTime);
        this.engineRunner = new AgentRunner(NoOpIdleStrategy.INSTANCE, this::onAgentError, null, new EngineAgent());
        this.dispatchRunner = new AgentRunner(new SleepingMillisIdleStrategy(10), Throwable::printStackTrace, null,
            new DispatchAgent(listener));
    }

    /**
     * Starts an engine on its own thread (named {@code conntest-engine}); listeners are bound and peers dialled
     * at once.
     */
    public static Engine start(final EngineConfig config, final Transport transport, final EngineListener listener)
    {
        final Engine engine = new Engine(config, transport, listener);
        AgentRunner.startOnThread(engine.dispatchRunner);
        AgentRunner.startOnThread(engine.engineRunner);
        return engine;
    }

    /** The latest published snapshot (never null). Safe from any thread. */
    public EngineSnapshot snapshot()
    {
        return latest.get();
    }

    /** Says goodbye to every peer, closes everything and waits for both threads to end. Idempotent. */
    public void stop()
    {
        stopping = true;
        if (!engineRunner.isClosed())
        {
            transport.wakeup();
            engineRunner.close();
        }
        if (!dispatchRunner.isClosed())
        {
            dispatchRunner.close();
        }
    }

    @Override
    public void close()
    {
        stop();
    }

    /** Stops without saying goodbye or closing connections gracefully, as a crash would (tests only). */
    void crash()
    {
        crash = true;
        stop();
    }

    private void enqueue(final EngineEvent event)
    {
        if (!queue.offer(event))
        {
            dropped.incrementAndGet();
        }
    }

    private void onAgentError(final Throwable t)
    {
        enqueue(new EngineEvent(System.nanoTime(), System.currentTimeMillis(), EventType.ERROR, 0, null, null, null,
            0, null, null, "internal error: " + t));
    }

    private void publish(final long nowNs)
    {
        core.setDroppedEvents(dropped.get());
        final EngineSnapshot snapshot = core.snapshot(nowNs);
        latest.set(snapshot);
        queue.offer(snapshot);
    }

    /** The I/O thread. */
    private final class EngineAgent implements Agent
    {
        private long nextPublishNs;

        @Override
        public void onStart()
        {
            final long nowNs = System.nanoTime();
            core.start(nowNs);
            nextPublishNs = nowNs;
        }

        @Override
        public int doWork()
        {
            long nowNs = System.nanoTime();
            int work = core.doWork(nowNs);
            if (nowNs >= nextPublishNs)
            {
                publish(nowNs);
                nextPublishNs = nowNs + core.config().publishIntervalNs();
            }
            // --busy-poll: never hand the thread to the kernel, so a packet is seen the moment it lands (benchmarks)
            if (work == 0 && !stopping && !core.config().busyPoll())
            {
                nowNs = System.nanoTime();
                final long deadline = Math.min(Math.min(core.nextDeadlineNs(), nextPublishNs), nowNs + MAX_IDLE_NS);
                if (deadline > nowNs)
                {
                    transport.idle(nowNs, deadline);
                }
            }
            return work;
        }

        @Override
        public void onClose()
        {
            final long nowNs = System.nanoTime();
            if (crash)
            {
                core.abort(nowNs);
            }
            else
            {
                core.stop(nowNs);
            }
            publish(nowNs);
        }

        @Override
        public String roleName()
        {
            return "conntest-engine";
        }
    }

    /** The thread that calls the listener. */
    private final class DispatchAgent implements Agent
    {
        private final EngineListener listener;

        DispatchAgent(final EngineListener listener)
        {
            this.listener = listener;
        }

        @Override
        public int doWork()
        {
            return drain();
        }

        @Override
        public void onClose()
        {
            drain();
        }

        private int drain()
        {
            int count = 0;
            Object item;
            while ((item = queue.poll()) != null)
            {
                count++;
                try
                {
                    if (item instanceof EngineEvent)
                    {
                        listener.onEvent((EngineEvent)item);
                    }
                    else
                    {
                        listener.onSnapshot((EngineSnapshot)item);
                    }
                }
                catch (final RuntimeException ex)
                {
                    ex.printStackTrace();
                }
            }
            return count;
        }

        @Override
        public String roleName()
        {
            return "conntest-dispatch";
        }
    }
}
