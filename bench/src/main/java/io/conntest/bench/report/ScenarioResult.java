package io.conntest.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one scenario measured: one map of metrics per run, or the reason it was skipped. Metrics are listed in
 * the order they were first recorded.
 */
public final class ScenarioResult
{
    private final String id;
    private final String title;
    private final List<Map<Metric, Double>> runs = new ArrayList<>();
    private final Set<Metric> metrics = new LinkedHashSet<>();
    private String skipped;
    private String note;

    public ScenarioResult(final String id, final String title)
    {
        this.id = id;
        this.title = title;
    }

    public String id()
    {
        return id;
    }

    public String title()
    {
        return title;
    }

    /** Adds the metrics of one run. */
    public ScenarioResult addRun(final Map<Metric, Double> run)
    {
        final Map<Metric, Double> copy = new EnumMap<>(Metric.class);
        copy.putAll(run);
        runs.add(copy);
        metrics.addAll(run.keySet());
        return this;
    }

    /** Marks the scenario as not measured, with why (a tool missing, a run that failed). */
    public ScenarioResult skip(final String reason)
    {
        this.skipped = reason;
        return this;
    }

    /** A remark printed with the results (e.g. failed runs, drops seen). */
    public ScenarioResult note(final String note)
    {
        this.note = this.note == null ? note : this.note + "; " + note;
        return this;
    }

    public String skipped()
    {
        return skipped;
    }

    public String note()
    {
        return note;
    }

    public List<Map<Metric, Double>> runs()
    {
        return Collections.unmodifiableList(runs);
    }

    public Set<Metric> metrics()
    {
        return Collections.unmodifiableSet(metrics);
    }

    public boolean has(final Metric metric)
    {
        return metrics.contains(metric);
    }

    /** Median and spread of {@code metric} over the runs. */
    public Stats stats(final Metric metric)
    {
        final double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = runs.get(i).getOrDefault(metric, Double.NaN);
        }
        return Stats.of(values);
    }
}
