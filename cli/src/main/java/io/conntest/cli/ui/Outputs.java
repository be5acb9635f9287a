package io.conntest.cli.ui;

import io.conntest.cli.options.Emphasis;
import io.conntest.cli.options.OutputOptions;
import io.conntest.cli.options.UiMode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Builds the output the options ask for. */
public final class Outputs
{
    public static final long DEFAULT_INTERVAL_NS = 1_000_000_000L;

    private Outputs()
    {
    }

    /** Whether stdout is a terminal (and {@code out} is stdout), so the TUI is the default. */
    public static boolean interactive(final PrintStream out)
    {
        return out == System.out && System.console() != null;
    }

    /** The UI to use: the one asked for, else tui on a terminal and text elsewhere. */
    public static UiMode mode(final OutputOptions options, final PrintStream out)
    {
        if (options.ui() != null)
        {
            return options.ui();
        }
        return interactive(out) && options.logfile() == null ? UiMode.TUI : UiMode.TEXT;
    }

    public static long intervalNs(final OutputOptions options)
    {
        return options.interval() == null ? DEFAULT_INTERVAL_NS : options.interval().toNanos();
    }

    /**
     * Opens the output.
     *
     * @param quit what the TUI's {@code q} does
     * @throws UncheckedIOException when the log file cannot be opened
     */
    public static Output create(final OutputOptions options, final PrintStream out, final PrintStream err,
        final Runnable quit)
    {
        UiMode mode = mode(options, out);
        final long intervalNs = intervalNs(options);
        // A write error (a full disk, /dev/full) ends the run with exit 1 when the output closes: LogFile.
        final LogFile logFile = options.logfile() == null ? null : LogFile.open(options.logfile(), err);
        final PrintStream file = logFile == null ? null : logFile.stream();
        if (mode == UiMode.TUI && !interactive(out))
        {
            err.println("conntest: stdout is not a terminal; using --ui text instead of tui");
            mode = UiMode.TEXT;
        }
        final PrintStream target = file != null && mode != UiMode.TUI ? file : out;
        final Output main;
        switch (mode)
        {
            case TUI:
                main = tui(options, out, quit);
                break;
            case LOG:
                main = new LogOutput(target);
                break;
            case JSON:
                main = new JsonOutput(target, err, intervalNs);
                break;
            case CSV:
                main = new CsvOutput(target, err, intervalNs);
                break;
            default:
                main = new TextOutput(target, err, intervalNs);
        }
        if (mode == UiMode.TUI)
        {
            // The TUI is closed first (terminal restored), then the summary is printed on the normal screen.
            final AfterTuiSummary after = new AfterTuiSummary(out, err);
            return file == null ? new CombinedOutput(List.of(main, after), List.of())
                : new CombinedOutput(List.of(main, after, new LogOutput(file)), List.of(logFile));
        }
        return file == null ? main : new CombinedOutput(List.of(main), List.of(logFile));
    }

    private static Output tui(final OutputOptions options, final PrintStream out, final Runnable quit)
    {
        final String noColor = System.getenv("NO_COLOR");
        final boolean colour = noColor == null || noColor.isEmpty();
        final Emphasis emphasis = options.emphasis() == null ? Emphasis.CYAN : options.emphasis();
        try
        {
            return new TuiOutput(TuiOutput.terminalScreen(out), emphasis, colour, quit);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the terminal for the TUI: " + ex.getMessage()
                + " (use --ui text)", ex);
        }
    }
}
