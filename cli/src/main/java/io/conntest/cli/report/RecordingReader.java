package io.conntest.cli.report;

import io.conntest.core.iperf3.Iperf3Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a JSON-lines recording into a {@link Recording}: every line is parsed on its own with the bounded JSON
 * codec; a line that is not a JSON object of the recording's shape (malformed, truncated by a crash mid-write,
 * longer than {@link #MAX_LINE_CHARS}) is counted, told to {@code warn} (the first few), and skipped.
 */
final class RecordingReader
{
    /** Longest line read: a summary line of 256 connections stays far below. */
    static final int MAX_LINE_CHARS = 1 << 20;
    /** Warnings printed for skipped lines; the rest are only counted. */
    static final int MAX_WARNINGS = 5;

    private final Consumer<String> warn;
    private long skipped;
    private long lineNumber;

    RecordingReader(final Consumer<String> warn)
    {
        this.warn = warn;
    }

    Recording read(final Reader in, final int maxPoints) throws IOException
    {
        final Recording recording = new Recording(maxPoints);
        final BoundedLineReader lines = new BoundedLineReader(new BufferedReader(in, 1 << 16), MAX_LINE_CHARS);
        String line;
        while ((line = lines.next()) != null)
        {
            lineNumber++;
            if (line == BoundedLineReader.OVERSIZED)
            {
                skip("longer than " + MAX_LINE_CHARS + " characters");
                continue;
            }
            if (line.isBlank())
            {
                continue;
            }
            final Map<String, Object> parsed;
            try
            {
                parsed = Iperf3Json.parseObject(line);
            }
            catch (final IllegalArgumentException ex)
            {
                skip("not JSON (" + Recording.text(ex.getMessage()) + ")");
                continue;
            }
            if (!recording.accept(parsed))
            {
                skip("not an event line (event, time, data)");
            }
        }
        if (skipped > MAX_WARNINGS)
        {
            warn.accept((skipped - MAX_WARNINGS) + " more lines skipped");
        }
        return recording;
    }

    private void skip(final String why)
    {
        if (++skipped <= MAX_WARNINGS)
        {
            warn.accept("line " + lineNumber + " skipped: " + why);
        }
    }

    /** Lines skipped as malformed, oversized or of another shape. */
    long skipped()
    {
        return skipped;
    }
}
