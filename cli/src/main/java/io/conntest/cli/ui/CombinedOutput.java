package io.conntest.cli.ui;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.stats.EngineSnapshot;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Several outputs fed alike (the TUI on the terminal and a log file), closing extra resources at the end. */
public final class CombinedOutput extends Output
{
    private final List<Output> outputs;
    private final List<Closeable> resources;

    public CombinedOutput(final List<Output> outputs, final List<Closeable> resources)
    {
        this.outputs = List.copyOf(outputs);
        this.resources = List.copyOf(resources);
    }

    @Override
    public void onStart(final List<InstanceInfo> instances)
    {
        outputs.forEach(o -> o.onStart(instances));
    }

    @Override
    public void onEvent(final String instance, final EngineEvent event)
    {
        outputs.forEach(o -> o.onEvent(instance, event));
    }

    @Override
    public void onSnapshot(final EngineSnapshot snapshot)
    {
        outputs.forEach(o -> o.onSnapshot(snapshot));
    }

    @Override
    public void onStop(final List<EngineSnapshot> finals, final long durationNs)
    {
        outputs.forEach(o -> o.onStop(finals, durationNs));
    }

    @Override
    public void note(final String message)
    {
        outputs.forEach(o -> o.note(message));
    }

    @Override
    public void close()
    {
        outputs.forEach(Output::close);
        for (final Closeable c : resources)
        {
            try
            {
                c.close();
            }
            catch (final IOException ignored)
            {
                // The output is finished; a failing close of the log file loses nothing more.
            }
        }
    }

    @Override
    public void showMesh(final boolean mesh)
    {
        outputs.forEach(o -> o.showMesh(mesh));
    }
}
