package io.conntest.cli;

import io.conntest.cli.lab.LabException;
import io.conntest.tap.libc.NativeCallException;
import io.conntest.tap.netns.NamespaceException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The one place that maps a failure to an exit code and a one-line message: 2 for a usage error (picocli's
 * parameter exceptions), 1 for a runtime failure with its cause and hint, 0 for a clean stop.
 */
public final class Failures
{
    public static final int OK = 0;
    public static final int RUNTIME = 1;
    public static final int USAGE = 2;

    private Failures()
    {
    }

    /** Prints the line for a runtime failure and returns its exit code. */
    static int report(final Throwable failure, final PrintWriter err)
    {
        if (failure instanceof NativeCallException || failure instanceof NamespaceException
            || failure instanceof UncheckedIOException || failure instanceof LabException
            || failure instanceof RuntimeFailure || failure instanceof io.conntest.core.transport.TransportException
            || failure instanceof io.conntest.cli.run.ConfigurationFailure)
        {
            err.println("conntest: " + failure.getMessage());
        }
        else if (failure instanceof IllegalArgumentException)
        {
            // Values that parse but do not fit together (e.g. a gateway off-link) are usage errors.
            err.println("conntest: " + failure.getMessage() + " (see conntest --help)");
            err.flush();
            return USAGE;
        }
        else
        {
            err.println("conntest: internal error: " + failure);
            failure.printStackTrace(err);
        }
        err.flush();
        return RUNTIME;
    }
}
