package io.conntest.cli;

import io.conntest.cli.lab.LabException;
import io.conntest.tap.libc.NativeCallException;
import io.conntest.tap.netns.NamespaceException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof FileSystemException && ((FileSystemException)ex).getReason() != null)
        {
            return ((FileSystemException)ex).getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return ex.getMessage() == null ? "i/o error" : ex.getMessage();
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
            err.println(usageLine(failure.getMessage()));
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
