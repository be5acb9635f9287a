package io.conntest.cli.ui;

import io.conntest.core.transport.HostText;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
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
            final String time = Describe.CLOCK_MS.format(Instant.now());
            // the figures of every connection, then the final line: the log ends with what the run measured
            for (final ConnectionSnapshot c : s.connections())
            {
                out.println(time + " " + s.instanceName() + ": summary " + Describe.direction(c.side()) + " "
                    + c.protocol().lowerName() + " " + HostText.withPort(c.peerHost(), c.peerPort()) + " (" + Describe.peer(c)
                    + ")" + (c.state() == ConnectionState.COVERED ? " covered" : "") + ": "
                    + Describe.summaryFigures(c));
            }
            for (final io.conntest.core.nat.NatTestResult r : s.natTests())
            {
                out.println(time + " " + s.instanceName() + ": summary " + r.describe());
            }
            for (final io.conntest.core.nat.PathMtuResult r : s.pathMtus())
            {
                out.println(time + " " + s.instanceName() + ": summary " + r.describe());
            }
            out.println(time + " " + s.instanceName() + ": stopped after " + Human.duration(durationNs) + ", "
                + s.connections().size() + (s.connections().size() == 1 ? " connection" : " connections")
                + summaryTotals(s));
        }
        out.flush();
    }

    /** {@code : latency p50 45.0 us (42 probes), bytes 2250000/2000000, failures 0} over all rows, or empty. */
    private static String summaryTotals(final EngineSnapshot s)
    {
        long sent = 0;
        long received = 0;
        long failures = 0;
        long probes = 0;
        for (final ConnectionSnapshot c : s.connections())
        {
            sent += c.bytesSent();
            received += c.bytesReceived();
            failures += c.connectFailures();
            probes += c.latencySamples();
        }
        return s.connections().isEmpty() ? "" : ": " + probes + " latency probes, bytes " + sent + "/" + received
            + ", failures " + failures;
    }

    @Override
    public synchronized void note(final String message)
    {
        out.println(Describe.CLOCK_MS.format(Instant.now()) + " conntest: " + message);
        out.flush();
    }
}
