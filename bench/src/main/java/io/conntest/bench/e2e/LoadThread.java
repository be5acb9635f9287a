package io.conntest.bench.e2e;

import io.conntest.tap.netns.NetworkNamespace;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One thread of a scenario (a sender, a receiver, a stack, an echo server) that publishes how much it moved, so
 * the runner can sample it with its CPU time over a measurement window. Every loop is bounded: by
 * {@link #stop()}, by a deadline given at start, and by a count where one applies.
 *
 * <p>Single writer: only the load thread writes {@link #units} and {@link #bytes}; other threads read them.
 */
public abstract class LoadThread
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String name;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile Throwable failure;
    /** Messages (datagrams, frames, round trips) moved so far. */
    protected volatile long units;
    /** Payload bytes moved so far. */
    protected volatile long bytes;
    private long deadlineNs;
    private Thread thread;

    protected LoadThread(final String name)
    {
        this.name = name;
    }

    /**
     * Starts the thread inside {@code namespace} (null: wherever the JVM is) and waits until it is ready (its
     * socket bound, its device open) or failed.
     */
    public final LoadThread start(final NetworkNamespace namespace, final long maxDurationNs)
    {
        deadlineNs = System.nanoTime() + maxDurationNs;
        final Runnable body = () ->
        {
            try
            {
                run();
            }
            catch (final Throwable t)
            {
                if (!stopped)
                {
                    failure = t;
                }
            }
            finally
            {
                ready.countDown();
                onExit();
            }
        };
        thread = namespace != null ? namespace.newThread(name, body) : new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        try
        {
            if (!ready.await(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(name + " did not get ready within 10 s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, ex);
        }
        checkFailure();
        return this;
    }

    /** The load loop; calls {@link #ready()} once set up. Returns when {@link #running()} turns false. */
    protected abstract void run() throws Exception;

    /** Frees what the thread holds; runs on the thread when it ends. */
    protected void onExit()
    {
    }

    /** Unblocks a thread blocked in a system call (close its socket); called by {@link #stop()}. */
    protected void wakeUp()
    {
    }

    protected final void ready()
    {
        ready.countDown();
    }

    /** Whether the loop should go on: not stopped and before the deadline. */
    protected final boolean running()
    {
        return !stopped && System.nanoTime() < deadlineNs;
    }

    protected final long deadlineNs()
    {
        return deadlineNs;
    }

    /** Asks the loop to end and waits for it (at most 5 s). */
    public final void stop()
    {
        stopped = true;
        wakeUp();
        join(5_000);
    }

    /** Waits for the thread to end by itself (at most {@code millis}). */
    public final void join(final long millis)
    {
        try
        {
            thread.join(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    public final boolean isAlive()
    {
        return thread.isAlive();
    }

    /** Throws what the thread failed with, if it did. */
    public final void checkFailure()
    {
        final Throwable t = failure;
        if (t != null)
        {
            throw new IllegalStateException(name + " failed: " + t, t);
        }
    }

    public final long units()
    {
        return units;
    }

    public final long bytes()
    {
        return bytes;
    }

    /** CPU time (user + system) the thread used so far, in ns; -1 when it is gone. */
    public final long cpuNs()
    {
        return THREADS.getThreadCpuTime(thread.getId());
    }

    /** A sample of the counters now. */
    public final Sample sample()
    {
        return new Sample(System.nanoTime(), units, bytes, cpuNs());
    }

    /** The counters of a load thread at one instant. */
    public record Sample(long atNs, long units, long bytes, long cpuNs)
    {
        /** What happened between {@code earlier} and this sample. */
        public Sample minus(final Sample earlier)
        {
            return new Sample(atNs - earlier.atNs, units - earlier.units, bytes - earlier.bytes,
                cpuNs - earlier.cpuNs);
        }

        public double seconds()
        {
            return atNs / 1e9;
        }

        /** CPU seconds per gigabyte (10^9 bytes) of {@code movedBytes}; NaN when nothing moved. */
        public double cpuSecondsPerGigabyte(final long movedBytes)
        {
            return movedBytes <= 0 || cpuNs < 0 ? Double.NaN : (cpuNs / 1e9) / (movedBytes / 1e9);
        }
    }
}
