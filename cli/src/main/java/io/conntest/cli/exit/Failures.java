package io.conntest.cli.exit;

import io.conntest.core.transport.TransportException;
import io.conntest.tap.libc.NativeCallException;
import io.conntest.tap.netns.NamespaceException;

import java.io.IOException;
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
        err.println(usageLine(message));
        err.flush();
        return ExitStatus.USAGE;
    }

    /**
     * The line for a usage error: the message and the hint to see {@code --help}, unless the message brings its own
     * {@code (see ...)} hint: one hint per line, never two.
     */
    public static String usageLine(final String message)
    {
        return "conntest: " + message + (message != null && message.contains("(see ") ? ""
            : " (see conntest --help)");
    }

    /**
     * Why a file operation failed, in strerror's words: the JDK's {@code NoSuchFileException} and
     * {@code AccessDeniedException} carry only the path as their message, so "cannot write x.pcap: x.pcap" would
     * say nothing.
     */
    public static String why(final IOException ex)
    {
        return io.conntest.core.IoErrors.why(ex);
    }
}
