package io.conntest.cli;

import io.conntest.stack.testing.Await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** One {@code conntest} command line run in this JVM (no signal handlers), with its stdout and stderr captured. */
public final class CliRun
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final String[] args;

    public CliRun(final String... args)
    {
        this.args = args;
    }

    /** Runs on the calling thread and returns the exit code. */
    public int run()
    {
        final int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, args);
        exitCode.set(code);
        return code;
    }

    public int exitCode()
    {
        return exitCode.get();
    }

    public String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    public List<String> lines()
    {
        return out().lines().toList();
    }

    /** Waits until a line of stdout matches, up to {@code timeoutMs}. */
    public void awaitLine(final Predicate<String> match, final long timeoutMs)
    {
        Await.until(() -> lines().stream().anyMatch(match), timeoutMs, () -> "a matching line in:\n" + out() + err());
    }
}
