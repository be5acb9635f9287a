package io.conntest.cli.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a run ends: on Ctrl-C or SIGTERM (handlers installed for the run's lifetime and then put back), when the
 * TUI's {@code q} asks, or when the duration is over. A shutdown hook covers other ways out of the JVM: it asks the
 * run to stop and gives it two seconds to say goodbye and restore the terminal.
 */
public final class RunControl implements AutoCloseable
{
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final sun.misc.SignalHandler previousInt;
    private final sun.misc.SignalHandler previousTerm;
    private final Thread hook;
    private volatile String stopReason;

    private RunControl(final boolean signals)
    {
        final sun.misc.SignalHandler handler = signal -> requestStop("signal " + signal.getName());
        previousInt = signals ? install("INT", handler) : null;
        previousTerm = signals ? install("TERM", handler) : null;
        hook = new Thread(() ->
        {
            requestStop("shutdown");
            try
            {
                finished.await(2, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "conntest-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A control that also listens to Ctrl-C and SIGTERM. */
    public static RunControl withSignals()
    {
        return new RunControl(true);
    }

    /** A control without signal handlers (tests, where the JVM's handlers must stay). */
    public static RunControl withoutSignals()
    {
        return new RunControl(false);
    }

    /** Ends the run soon; any thread. */
    public void requestStop(final String why)
    {
        if (stopReason == null)
        {
            stopReason = why;
        }
        stop.countDown();
    }

    /** Why the run stopped, or null while it runs (or when it ran out of time). */
    public String stopReason()
    {
        return stopReason;
    }

    /** Waits until a stop is requested or {@code System.nanoTime()} reaches {@code endNs}. */
    public void await(final long endNs)
    {
        try
        {
            while (stop.getCount() > 0)
            {
                final long leftNs = endNs - System.nanoTime();
                if (leftNs <= 0)
                {
                    return;
                }
                stop.await(Math.min(leftNs, 1_000_000_000L), TimeUnit.NANOSECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The run has cleaned up: restores the signal handlers and releases a waiting shutdown hook. */
    @Override
    public void close()
    {
        finished.countDown();
        if (previousInt != null)
        {
            install("INT", previousInt);
        }
        if (previousTerm != null)
        {
            install("TERM", previousTerm);
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignored)
        {
            // Already shutting down: the hook is running and has just been released.
        }
    }

    private static sun.misc.SignalHandler install(final String name, final sun.misc.SignalHandler handler)
    {
        try
        {
            return sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
        }
        catch (final IllegalArgumentException ex)
        {
            // Not available here: the shutdown hook still stops the run.
            return null;
        }
    }
}
