package io.conntest.cli.ui;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.stats.EngineSnapshot;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Beside the TUI: keeps the final snapshots and the notes, and prints them as plain text once the TUI has given the
 * terminal back (on {@link #close()}, after the TUI's), so the figures stay visible after the run.
 */
public final class AfterTuiSummary extends Output
{
    private final TextOutput text;
    private final PrintStream err;
    private final List<String> notes = new ArrayList<>();
    private List<EngineSnapshot> finals;
    private long durationNs;

    public AfterTuiSummary(final PrintStream out, final PrintStream err)
    {
        this.text = new TextOutput(out, err, Long.MAX_VALUE);
        this.err = err;
    }

    @Override
    public void onStart(final List<InstanceInfo> instances)
    {
    }

    @Override
    public void onEvent(final String instance, final EngineEvent event)
    {
    }

    @Override
    public void onSnapshot(final EngineSnapshot snapshot)
    {
    }

    @Override
    public synchronized void onStop(final List<EngineSnapshot> list, final long duration)
    {
        finals = List.copyOf(list);
        durationNs = duration;
    }

    @Override
    public synchronized void note(final String message)
    {
        notes.add(message);
    }

    @Override
    public synchronized void close()
    {
        if (finals != null)
        {
            text.onStop(finals, durationNs);
        }
        for (final String note : notes)
        {
            err.println("conntest: " + note);
        }
        err.flush();
    }
}
