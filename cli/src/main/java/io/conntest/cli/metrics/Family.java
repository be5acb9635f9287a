package io.conntest.cli.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.List;

/**
 * One gauge or counter family being filled during a scrape: points with unknown values (the snapshot's -1) are
 * left out, and a family without points is not exposed at all.
 */
final class Family
{
    private final boolean counter;
    private final GaugeSnapshot.Builder gauge;
    private final CounterSnapshot.Builder count;
    private boolean any;

    private Family(final boolean counter, final String name, final String help)
    {
        this.counter = counter;
        this.gauge = counter ? null : GaugeSnapshot.builder().name(name).help(help);
        this.count = counter ? CounterSnapshot.builder().name(name).help(help) : null;
    }

    /** A gauge; {@code name} as exposed. */
    static Family gauge(final String name, final String help)
    {
        return new Family(false, name, help);
    }

    /** A counter; {@code name} without the {@code _total} the exposition adds. */
    static Family counter(final String name, final String help)
    {
        return new Family(true, name, help);
    }

    /** Adds a point when {@code value} is known (not negative). */
    void add(final double value, final Labels labels)
    {
        if (!(value >= 0))
        {
            return;
        }
        any = true;
        if (counter)
        {
            count.dataPoint(CounterDataPointSnapshot.builder().value(value).labels(labels).build());
        }
        else
        {
            gauge.dataPoint(GaugeDataPointSnapshot.builder().value(value).labels(labels).build());
        }
    }

    /** Adds the family to {@code out} when it has a point. */
    void addTo(final List<MetricSnapshot> out)
    {
        if (any)
        {
            out.add(counter ? count.build() : gauge.build());
        }
    }
}
