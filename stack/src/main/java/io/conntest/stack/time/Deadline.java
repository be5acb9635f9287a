package io.conntest.stack.time;

/**
 * Deadlines on the stack's nanosecond clock, compared wrap-safe. The clock ({@link System#nanoTime()} or a test's
 * manual one) may start anywhere, negative values included, and only differences between two readings mean
 * anything, so two times are compared by the sign of their difference ({@code a - b < 0}), never by {@code a < b},
 * which is wrong across the wrap of a {@code long}. A timer that is not running holds {@link #NEVER}, the one
 * "no deadline" value of the stack; it is never subtracted from, only tested for.
 */
public final class Deadline
{
    /** No deadline: the timer is not running (later than every other deadline for {@link #earliest}). */
    public static final long NEVER = Long.MAX_VALUE;

    private Deadline()
    {
    }

    /** Whether a deadline is set. */
    public static boolean isSet(final long deadlineNs)
    {
        return deadlineNs != NEVER;
    }

    /** Whether {@code deadlineNs} has come at {@code nowNs}: set, and {@code nowNs - deadlineNs >= 0}. */
    public static boolean isDue(final long deadlineNs, final long nowNs)
    {
        return deadlineNs != NEVER && nowNs - deadlineNs >= 0;
    }

    /** {@code a} comes strictly before {@code b} on the clock (both set): {@code a - b < 0}. */
    public static boolean isBefore(final long a, final long b)
    {
        return a - b < 0;
    }

    /** The earlier of two deadlines, wrap-safe; {@link #NEVER} only when both are. */
    public static long earliest(final long a, final long b)
    {
        if (a == NEVER)
        {
            return b;
        }
        if (b == NEVER)
        {
            return a;
        }
        return a - b <= 0 ? a : b;
    }
}
