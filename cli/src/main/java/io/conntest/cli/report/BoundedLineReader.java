package io.conntest.cli.report;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most {@code maxChars} characters: a longer line is skipped to its end (never held whole in
 * memory) and reported as {@link #OVERSIZED}, so a recording with a runaway line costs a bounded amount of memory.
 */
final class BoundedLineReader
{
    /** Returned by {@link #next()} for a line longer than the bound; the line was consumed. */
    static final String OVERSIZED = new String("(oversized)");

    private final Reader in;
    private final int maxChars;
    private final StringBuilder line = new StringBuilder();

    BoundedLineReader(final Reader in, final int maxChars)
    {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its terminator, {@link #OVERSIZED}, or null at the end of the input. */
    String next() throws IOException
    {
        line.setLength(0);
        boolean oversized = false;
        int c;
        while ((c = in.read()) != -1)
        {
            if (c == '\n')
            {
                return oversized ? OVERSIZED : trimmed();
            }
            if (oversized)
            {
                continue;
            }
            if (line.length() < maxChars)
            {
                line.append((char)c);
            }
            else
            {
                oversized = true;
                line.setLength(0);
            }
        }
        if (oversized)
        {
            return OVERSIZED;
        }
        return line.length() == 0 ? null : trimmed();
    }

    private String trimmed()
    {
        final int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1
            : line.length();
        return line.substring(0, end);
    }
}
