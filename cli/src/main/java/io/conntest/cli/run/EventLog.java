package io.conntest.cli.run;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One line per event on a stream, prefixed with the local time and the instance name; flushed per line. */
public final class EventLog
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;
    private final String name;

    public EventLog(final PrintStream out, final String name)
    {
        this.out = out;
        this.name = name;
    }

    public void log(final String message)
    {
        synchronized (out)
        {
            out.println(TIME.format(LocalTime.now()) + " " + name + ": " + message);
            out.flush();
        }
    }
}
