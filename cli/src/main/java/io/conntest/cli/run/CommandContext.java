package io.conntest.cli.run;

import io.conntest.cli.options.OutputOptions;
import io.conntest.cli.ui.Output;
import io.conntest.cli.ui.Outputs;

import java.io.PrintStream;

/**
 * What every command of a run shares, handed down by the command root ({@code cli.Main}) so that subcommands
 * never import it: the output and diagnostics streams, and whether the run owns the process's signals.
 */
public interface CommandContext
{
    /** Where results go (stdout unless a test says otherwise). */
    PrintStream out();

    /** Where diagnostics go. */
    PrintStream err();

    /** Whether Ctrl-C/SIGTERM stop the run (false in tests that run commands inside their own JVM). */
    boolean signals();

    /** A run control for this run: with signal handlers unless run from a test. */
    default RunControl control()
    {
        return signals() ? RunControl.withSignals() : RunControl.withoutSignals();
    }

    /** Opens the output the options ask for; the TUI's {@code q} stops {@code control}. */
    default Output openOutput(final OutputOptions options, final RunControl control)
    {
        return Outputs.create(options, out(), err(), () -> control.requestStop("q"));
    }

    /** The process's own streams and signals, for a subcommand constructed without its parent. */
    static CommandContext system()
    {
        return new CommandContext()
        {
            @Override
            public PrintStream out()
            {
                return System.out;
            }

            @Override
            public PrintStream err()
            {
                return System.err;
            }

            @Override
            public boolean signals()
            {
                return true;
            }
        };
    }
}
