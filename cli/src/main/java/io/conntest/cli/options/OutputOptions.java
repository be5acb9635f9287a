package io.conntest.cli.options;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The output options: which UI, its emphasis colour, the reporting interval and a log file. */
public final class OutputOptions
{
    @Option(names = "--ui", paramLabel = "tui|log|text|json|csv", converter = Converters.UiConverter.class,
        description = "Output: tui (live table; 'notty' too), log (a line per event and packet), text (a line per "
            + "connection per interval), json (JSON lines), csv (a header, then a row per connection per "
            + "interval). Default: tui on a terminal, else text.")
    UiMode ui;

    @Option(names = "--ui-emphasis", paramLabel = "COLOUR", converter = Converters.EmphasisConverter.class,
        description = "Colour of the TUI's headings: one of the 16 ANSI colours (red, bright-red, ...) or none "
            + "(default: cyan). NO_COLOR in the environment turns colour off.")
    Emphasis emphasis;

    @Option(names = "--interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Reporting interval of the text and json outputs (default: 1s).")
    Duration interval;

    @Option(names = "--logfile", paramLabel = "FILE",
        description = "Write the output to FILE (appending) instead of stdout; with the TUI, its events go there "
            + "as log lines.")
    Path logfile;

    /** The UI asked for, or null for the default. */
    public UiMode ui()
    {
        return ui;
    }

    /** The TUI's emphasis colour, or null for the default. */
    public Emphasis emphasis()
    {
        return emphasis;
    }

    /** The reporting interval, or null for the default. */
    public Duration interval()
    {
        return interval;
    }

    /** The log file, or null for stdout. */
    public Path logfile()
    {
        return logfile;
    }
}
