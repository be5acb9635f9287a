package io.conntest.cli.metrics;

import io.conntest.cli.ui.InstanceInfo;
import io.conntest.cli.ui.Output;
import io.conntest.core.event.EngineEvent;
import io.conntest.core.stats.EngineSnapshot;

import java.util.List;

/**
 * The output that feeds a {@link MetricsFeed}: it receives the same events and published snapshots as the TUI or
 * the JSON lines (on the dispatcher thread), and the final snapshot at the end of the run.
 */
public final class MetricsOutput extends Output
{
    private final MetricsFeed feed;
    private final String instanceName;

    /** Feeds {@code feed} with the snapshots of {@code instanceName} (other instances' are ignored). */
    public MetricsOutput(final MetricsFeed feed, final String instanceName)
    {
        this.feed = feed;
        this.instanceName = instanceName;
    }

    @Override
    public void onStart(final List<InstanceInfo> instances)
    {
    }

    @Override
    public void onEvent(final String instance, final EngineEvent event)
    {
        if (instanceName.equals(instance))
        {
            feed.onEvent(event);
        }
    }

    @Override
    public void onSnapshot(final EngineSnapshot snapshot)
    {
        if (instanceName.equals(snapshot.instanceName()))
        {
            feed.onSnapshot(snapshot);
        }
    }

    @Override
    public void onStop(final List<EngineSnapshot> finals, final long durationNs)
    {
        finals.forEach(this::onSnapshot);
    }

    @Override
    public void note(final String message)
    {
    }
}
