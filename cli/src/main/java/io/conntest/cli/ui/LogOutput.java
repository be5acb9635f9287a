package io.conntest.cli.ui;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.stats.EngineSnapshot;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * The original's {@code log} UI: one line per event, and per packet the engine traces (the run enables
 * {@code EngineConfig.tracePackets} for this output), each with the time in milliseconds and the instance name.
 */
public final class LogOutput extends Output
{
    private final PrintStream out;

    public LogOutput(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public synchronized void onStart(final List<InstanceInfo> instances)
    {
        for (final InstanceInfo i : instances)
        {
            out.println(Describe.CLOCK_MS.format(Instant.now()) + " " + i.name() + ": start: stack " + i.stack()
                + ", addresses " + String.join(" ", i.addresses()) + ", listening " + i.listens()
                + ", connecting " + i.connects());
        }
        out.flush();
    }

    @Override
    public synchronized void onEvent(final String instance, final EngineEvent event)
    {
        out.println(Describe.eventLine(instance, event));
        out.flush();
    }

    @Override
    public void onSnapshot(final EngineSnapshot snapshot)
    {
        // The log shows happenings, not figures.
    }

    @Override
    public synchronized void onStop(final List<EngineSnapshot> finals, final long durationNs)
    {
        for (final EngineSnapshot s : finals)
        {
            out.println(Describe.CLOCK_MS.format(Instant.now()) + " " + s.instanceName() + ": stopped after "
                + Human.duration(durationNs) + ", " + s.connections().size() + " connection rows");
        }
        out.flush();
    }

    @Override
    public synchronized void note(final String message)
    {
        out.println(Describe.CLOCK_MS.format(Instant.now()) + " conntest: " + message);
        out.flush();
    }
}
