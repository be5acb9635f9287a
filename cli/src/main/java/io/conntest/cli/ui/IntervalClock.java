package io.conntest.cli.ui;

import java.util.HashMap;
import java.util.Map;

/** Decides, per instance, when a snapshot starts a new reporting interval. Not thread-safe: callers synchronise. */
final class IntervalClock
{
    private final long intervalNs;
    private final Map<String, Long> lastNs = new HashMap<>();

    IntervalClock(final long intervalNs)
    {
        this.intervalNs = intervalNs;
    }

    /** Whether no snapshot of {@code instance} has been seen yet (the next one starts its clock). */
    boolean isNew(final String instance)
    {
        return !lastNs.containsKey(instance);
    }

    /**
     * Whether {@code timeNs} closes an interval of {@code instance} (the first snapshot only starts the clock).
     *
     * @return the interval's length in ns, or -1 when it is not over yet.
     */
    long due(final String instance, final long timeNs)
    {
        final Long last = lastNs.get(instance);
        if (last == null)
        {
            lastNs.put(instance, timeNs);
            return -1;
        }
        // Snapshots come every publish interval; allow a little jitter so a 1 s interval is not skipped at 0.99 s.
        if (timeNs - last >= intervalNs - intervalNs / 20)
        {
            lastNs.put(instance, timeNs);
            return timeNs - last;
        }
        return -1;
    }
}
