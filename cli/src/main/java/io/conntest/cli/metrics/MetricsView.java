package io.conntest.cli.metrics;

import io.conntest.core.stats.EngineSnapshot;

/**
 * One published snapshot with what the metrics add to it, row by row in the order of
 * {@link EngineSnapshot#connections()}. Immutable once published (the arrays are never written after).
 *
 * @param snapshot   the engine's snapshot, as the other outputs got it
 * @param connects   connections established per row (CONNECTED events seen), -1 = none seen
 * @param downtimeNs time per row spent neither connected nor covered, summed over the published snapshots
 */
public record MetricsView(EngineSnapshot snapshot, long[] connects, long[] downtimeNs)
{
    /** The view before the engine published anything. */
    public static MetricsView empty(final String instanceName, final String stack)
    {
        return new MetricsView(EngineSnapshot.empty(instanceName, stack), new long[0], new long[0]);
    }
}
