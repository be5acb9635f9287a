package io.conntest.bench.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything one run of the bench produced: when, where, in which mode, each scenario, and the ratios. */
public final class Results
{
    private final String mode;
    private final Instant started;
    private final Machine machine;
    private final List<ScenarioResult> scenarios = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;

    public Results(final String mode, final Instant started, final Machine machine)
    {
        this.mode = mode;
        this.started = started;
        this.machine = machine;
    }

    public ScenarioResult add(final ScenarioResult scenario)
    {
        scenarios.add(scenario);
        return scenario;
    }

    public void addRatio(final Ratio ratio)
    {
        ratios.add(ratio);
    }

    public void elapsed(final Duration elapsed)
    {
        this.elapsed = elapsed;
    }

    public ScenarioResult scenario(final String id)
    {
        for (final ScenarioResult s : scenarios)
        {
            if (s.id().equals(id))
            {
                return s;
            }
        }
        return null;
    }

    public String mode()
    {
        return mode;
    }

    public Instant started()
    {
        return started;
    }

    public Machine machine()
    {
        return machine;
    }

    public Duration elapsed()
    {
        return elapsed;
    }

    public List<ScenarioResult> scenarios()
    {
        return Collections.unmodifiableList(scenarios);
    }

    public List<Ratio> ratios()
    {
        return Collections.unmodifiableList(ratios);
    }
}
