package io.conntest.stack.testing;

import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one "wait for a condition, with a deadline" of the test suites (tests never sleep a fixed time to wait for
 * something): polls every few milliseconds and fails with what it waited for when the deadline passes.
 */
public final class Await
{
    private static final long POLL_NS = 2_000_000L;

    private Await()
    {
    }

    /** Waits until {@code condition} holds, at most {@code timeoutMs}; fails naming {@code what} otherwise. */
    public static void until(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        value(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeoutMs, () -> what);
    }

    /** As {@link #until(BooleanSupplier, long, String)}, with a message made when it fails (e.g. the output so far). */
    public static void until(final BooleanSupplier condition, final long timeoutMs, final Supplier<String> what)
    {
        value(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeoutMs, what);
    }

    /** Waits until {@code probe} gives a value and returns it, at most {@code timeoutMs}. */
    public static <T> T value(final Supplier<Optional<T>> probe, final long timeoutMs, final String what)
    {
        return value(probe, timeoutMs, () -> what);
    }

    private static <T> T value(final Supplier<Optional<T>> probe, final long timeoutMs, final Supplier<String> what)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true)
        {
            final Optional<T> value = probe.get();
            if (value.isPresent())
            {
                return value.get();
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("not within " + timeoutMs + " ms: " + what.get());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
