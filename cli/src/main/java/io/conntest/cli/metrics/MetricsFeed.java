package io.conntest.cli.metrics;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.EngineSnapshot;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest published snapshot of one engine for the scrape, with the two figures the snapshot does not carry:
 * connections established per row (counted from the CONNECTED events) and downtime per row (the time between
 * consecutive published snapshots during which the row was neither connected nor covered: the moment a connection
 * came up is exact, from its uptime; the moment one was lost is known to the publish interval, at most 250 ms). Written by the engine's dispatcher thread alone (through
 * {@link MetricsOutput}); the scrape reads {@link #latest()}, one volatile read, and never waits for anything.
 */
public final class MetricsFeed
{
    /** Rows whose CONNECTED event came but that were never in a snapshot (closed in between) are kept this long. */
    private static final int UNSEEN_SNAPSHOTS_KEPT = 8;

    private final AtomicReference<MetricsView> latest;
    /** Per row key; only the dispatcher thread touches it. Bounded by the rows of the last snapshots. */
    private final Map<Long, RowTime> rows = new HashMap<>();
    private long generation;

    public MetricsFeed(final String instanceName, final String stack)
    {
        latest = new AtomicReference<>(MetricsView.empty(instanceName, stack));
    }

    /** The latest view (never null). Safe from any thread; never blocks. */
    public MetricsView latest()
    {
        return latest.get();
    }

    /** An engine event (dispatcher thread): CONNECTED counts a connection established for its row. */
    public synchronized void onEvent(final EngineEvent event)
    {
        if (event.type() == EventType.CONNECTED && event.connectionKey() != 0)
        {
            row(event.connectionKey()).connects++;
        }
    }

    /** A published snapshot (dispatcher thread, or the run's thread with the final one). */
    public synchronized void onSnapshot(final EngineSnapshot snapshot)
    {
        generation++;
        final List<ConnectionSnapshot> connections = snapshot.connections();
        final long[] connects = new long[connections.size()];
        final long[] downtime = new long[connections.size()];
        final long nowNs = snapshot.timeNs();
        for (int i = 0; i < connections.size(); i++)
        {
            final ConnectionSnapshot c = connections.get(i);
            final RowTime row = row(c.key());
            if (row.lastSeenNs != Long.MIN_VALUE && row.down && nowNs > row.lastSeenNs)
            {
                row.downtimeNs += downSince(row.lastSeenNs, nowNs, c);
            }
            row.down = c.state() != ConnectionState.CONNECTED && c.state() != ConnectionState.COVERED;
            row.lastSeenNs = nowNs;
            row.seenGeneration = generation;
            connects[i] = row.connects;
            downtime[i] = row.downtimeNs;
        }
        forgetVanished();
        latest.set(new MetricsView(snapshot, connects, downtime));
    }

    /**
     * How much of the time from {@code lastSeenNs} (the row was down) to {@code nowNs} it stayed down: all of it,
     * unless it is connected now, when its uptime says exactly when the connection came up.
     */
    static long downSince(final long lastSeenNs, final long nowNs, final ConnectionSnapshot c)
    {
        final long whole = nowNs - lastSeenNs;
        if (c.state() != ConnectionState.CONNECTED || c.uptimeNs() <= 0)
        {
            return whole;
        }
        return Math.max(0, Math.min(whole, nowNs - c.uptimeNs() - lastSeenNs));
    }

    /** Rows gone from the snapshot are forgotten (a closed accepted connection does not come back). */
    private void forgetVanished()
    {
        for (final Iterator<RowTime> it = rows.values().iterator(); it.hasNext(); )
        {
            final RowTime row = it.next();
            final boolean seen = row.lastSeenNs != Long.MIN_VALUE;
            if (seen ? row.seenGeneration != generation : generation - row.seenGeneration > UNSEEN_SNAPSHOTS_KEPT)
            {
                it.remove();
            }
        }
    }

    private synchronized RowTime row(final long key)
    {
        RowTime row = rows.get(key);
        if (row == null)
        {
            row = new RowTime();
            row.seenGeneration = generation;
            rows.put(key, row);
        }
        return row;
    }

    /** What the feed keeps of one row between snapshots. */
    private static final class RowTime
    {
        long connects;
        long downtimeNs;
        boolean down;
        long lastSeenNs = Long.MIN_VALUE;
        long seenGeneration;
    }
}
