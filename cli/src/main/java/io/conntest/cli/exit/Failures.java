package io.conntest.cli.exit;

import io.conntest.core.transport.TransportException;
import io.conntest.tap.libc.NativeCallException;
import io.conntest.tap.netns.NamespaceException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The one place that maps a failure to an exit status and a one-line message: a {@link CliFailure} carries its
 * own status (2 for usage, 1 for runtime failures); the lower modules' typed failures (a system call with its
 * errno, a namespace, an I/O error, a transport) are runtime failures (1); anything else is an internal error,
 * printed with its stack trace (1). picocli's own parameter errors are usage errors (2) and printed by the same
 * {@link #usage} line.
 */
public final class Failures
{
    private Failures()
    {
    }

    /** Prints the line for a failure and returns its exit status. */
    public static int report(final Throwable failure, final PrintWriter err)
    {
        if (failure instanceof CliFailure cli)
        {
            if (cli.exitStatus() == ExitStatus.USAGE)
            {
                return usage(cli.getMessage(), err);
            }
            err.println("conntest: " + failure.getMessage());
            err.flush();
            return cli.exitStatus();
        }
        if (failure instanceof NativeCallException || failure instanceof NamespaceException
            || failure instanceof UncheckedIOException || failure instanceof TransportException)
        {
            err.println("conntest: " + failure.getMessage());
        }
        else
        {
            err.println("conntest: internal error: " + failure);
            failure.printStackTrace(err);
        }
        err.flush();
        return ExitStatus.FAILURE;
    }

    /** Prints a usage error's line and returns {@link ExitStatus#USAGE}. */
    public static int usage(final String message, final PrintWriter err)
    {
        err.println("conntest: " + message + " (see conntest --help)");
        err.flush();
        return ExitStatus.USAGE;
    }
}
