package io.conntest.cli.ui;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.stats.EngineSnapshot;

import java.util.List;

/**
 * Where a run's figures go: told the instances at start, then every engine event and periodic snapshot (from the
 * engines' dispatcher threads, never the I/O threads, so writing here never blocks an engine), then the final
 * snapshots. Several engines (the lab) may call at once: implementations synchronise.
 */
public abstract class Output implements AutoCloseable
{
    /** The run begins with these instances. */
    public abstract void onStart(List<InstanceInfo> instances);

    /** One engine event of {@code instance}. */
    public abstract void onEvent(String instance, EngineEvent event);

    /** A fresh snapshot (a few times a second per instance). */
    public abstract void onSnapshot(EngineSnapshot snapshot);

    /** The run is over: the last snapshot of every instance, and how long the run took. */
    public abstract void onStop(List<EngineSnapshot> finals, long durationNs);

    /** A diagnostic line for people (stderr, or the TUI's event area); never written into machine output. */
    public abstract void note(String message);

    /** Whether the output shows the whole mesh as a matrix rather than per-connection tables (the TUI's view). */
    public void showMesh(final boolean mesh)
    {
    }

    /** The engine listener that feeds this output with {@code instance}'s events. */
    public final EngineListener listener(final String instance)
    {
        return new EngineListener()
        {
            @Override
            public void onEvent(final EngineEvent event)
            {
                Output.this.onEvent(instance, event);
            }

            @Override
            public void onSnapshot(final EngineSnapshot snapshot)
            {
                Output.this.onSnapshot(snapshot);
            }
        };
    }

    /** Releases the terminal or flushes the file. */
    @Override
    public void close()
    {
    }
}
