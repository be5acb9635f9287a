package io.conntest.cli.ui;

import io.conntest.core.transport.HostText;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * Plain lines without escape codes, for consoles that split output on newlines (albatross) and for pipes: one line
 * per connection per interval, a line per connection-level event (failed attempts included), and a summary per
 * connection at the end. Every line starts with the time of day, holds one record, is printable ASCII (anything
 * else escaped) and at most {@link AsciiLine#MAX_CHARS} characters ({@link AsciiLine}); a peer's name is shown to
 * {@link #MAX_NAME} characters so that a long one cannot push the figures off the line.
 */
public final class TextOutput extends Output
{
    private final PrintStream out;
    private final PrintStream err;
    private final IntervalClock clock;

    /** Longest peer name shown on a line, escapes included. */
    static final int MAX_NAME = 48;

    public TextOutput(final PrintStream out, final PrintStream err, final long intervalNs)
    {
        this.out = out;
        this.err = err;
        this.clock = new IntervalClock(intervalNs);
    }

    private void line(final String text)
    {
        out.println(AsciiLine.of(Describe.CLOCK.format(Instant.now()) + " " + text));
        out.flush();
    }

    @Override
    public synchronized void onStart(final List<InstanceInfo> instances)
    {
        for (final InstanceInfo i : instances)
        {
            line(i.name() + " start: stack " + i.stack() + ", addresses " + String.join(" ", i.addresses())
                + ", listening " + (i.listens().isEmpty() ? "-" : String.join(" ", i.listens()))
                + ", connecting " + (i.connects().isEmpty() ? "-" : String.join(" ", i.connects())));
        }
    }

    @Override
    public synchronized void onEvent(final String instance, final EngineEvent event)
    {
        if (event.type() == EventType.PACKET || event.type() == EventType.CONNECTING
            || event.type() == EventType.BANDWIDTH_RESULT)
        {
            return;
        }
        final String full = Describe.eventLine(instance, event);
        // The log line starts with the time in ms; the text output uses its own clock prefix.
        line(full.substring(full.indexOf(' ') + 1));
    }

    @Override
    public synchronized void onSnapshot(final EngineSnapshot snapshot)
    {
        if (clock.due(snapshot.instanceName(), snapshot.timeNs()) < 0)
        {
            return;
        }
        for (final ConnectionSnapshot c : snapshot.connections())
        {
            line(Describe.connectionLine(snapshot.instanceName(), c, peer(c)));
        }
    }

    @Override
    public synchronized void onStop(final List<EngineSnapshot> finals, final long durationNs)
    {
        for (final EngineSnapshot s : finals)
        {
            for (final ConnectionSnapshot c : s.connections())
            {
                line(s.instanceName() + " summary " + Describe.direction(c.side()) + " " + c.protocol().lowerName()
                    + " " + HostText.withPort(c.peerHost(), c.peerPort()) + " " + peer(c)
                    + (c.state() == ConnectionState.COVERED ? " covered (figures of the shared connection in)" : "")
                    + " " + Describe.summaryFigures(c));
            }
            for (final io.conntest.core.nat.NatTestResult r : s.natTests())
            {
                line(s.instanceName() + " summary " + r.describe());
            }
            for (final io.conntest.core.nat.PathMtuResult r : s.pathMtus())
            {
                line(s.instanceName() + " summary " + r.describe());
            }
            line(s.instanceName() + " stopped after " + Human.duration(durationNs)
                + (s.droppedEvents() > 0 ? " (" + s.droppedEvents() + " events dropped by a slow output)" : ""));
        }
    }

    /** The peer's name for a text line: ASCII and bounded. */
    private static String peer(final ConnectionSnapshot c)
    {
        return AsciiLine.of(Describe.peer(c), MAX_NAME);
    }

    @Override
    public void note(final String message)
    {
        err.println(AsciiLine.of("conntest: " + message));
        err.flush();
    }
}
