package io.conntest.cli.ui;

import io.conntest.cli.exit.Failures;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A {@code --logfile} that does not lose its write errors: a {@link PrintStream} swallows them (it only sets a flag),
 * so a log on a full disk or {@code /dev/full} would end with exit 0 and nothing written. This one remembers the
 * first error, tells stderr once at once, and {@link #close()} throws it, so the run ends with exit 1 and the
 * errno's words.
 */
public final class LogFile implements Closeable
{
    private final Path path;
    private final PrintStream err;
    private final PrintStream stream;
    private volatile IOException failure;

    private LogFile(final Path path, final OutputStream file, final PrintStream err)
    {
        this.path = path;
        this.err = err;
        this.stream = new PrintStream(new FilterOutputStream(file)
        {
            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException
            {
                try
                {
                    out.write(b, off, len);
                }
                catch (final IOException ex)
                {
                    failed(ex);
                    throw ex;
                }
            }

            @Override
            public void write(final int b) throws IOException
            {
                write(new byte[] {(byte)b}, 0, 1);
            }

            @Override
            public void flush() throws IOException
            {
                try
                {
                    out.flush();
                }
                catch (final IOException ex)
                {
                    failed(ex);
                    throw ex;
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /**
     * Opens {@code path} for appending.
     *
     * @throws UncheckedIOException when it cannot be opened, saying why
     */
    public static LogFile open(final Path path, final PrintStream err)
    {
        try
        {
            return new LogFile(path, new FileOutputStream(path.toFile(), true), err);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open log file " + path + ": " + ex.getMessage()
                + " (check the directory exists and is writable)", ex);
        }
    }

    /** Where the output goes. */
    public PrintStream stream()
    {
        return stream;
    }

    private void failed(final IOException ex)
    {
        if (failure == null)
        {
            failure = ex;
            err.println(AsciiLine.of("conntest: " + message() + " (the run goes on and will end with exit 1)"));
            err.flush();
        }
    }

    private String message()
    {
        return "cannot write log file " + path + ": " + Failures.why(failure).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Closes the file.
     *
     * @throws UncheckedIOException when a write failed: the first error, in words
     */
    @Override
    public void close()
    {
        stream.close();
        if (failure != null || stream.checkError())
        {
            throw new UncheckedIOException(failure != null ? message() : "cannot write log file " + path,
                failure != null ? failure : new IOException("write error"));
        }
    }
}
