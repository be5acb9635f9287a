package io.conntest.bench.report;

/**
 * One comparison the report makes: the median of {@code metric} in scenario {@code ours} divided by that in
 * scenario {@code reference}, with the target it is held to (a minimum when higher is better, a maximum
 * otherwise; NaN when there is none).
 */
public record Ratio(String label, String ours, String reference, Metric metric, double target)
{
    /** The ratio from the results, NaN when either side was not measured. */
    public double value(final Results results)
    {
        final ScenarioResult a = results.scenario(ours);
        final ScenarioResult b = results.scenario(reference);
        if (a == null || b == null || !a.has(metric) || !b.has(metric))
        {
            return Double.NaN;
        }
        return a.stats(metric).median() / b.stats(metric).median();
    }

    /** "met", "missed" or "" (no target or not measured). */
    public String verdict(final Results results)
    {
        final double value = value(results);
        if (Double.isNaN(target) || Double.isNaN(value))
        {
            return "";
        }
        final boolean met = metric.higherIsBetter() ? value >= target : value <= target;
        return met ? "met" : "missed";
    }

    /** The target as text, e.g. "≥ 0.90" or "≤ 1.20". */
    public String targetText()
    {
        if (Double.isNaN(target))
        {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "%s %.2f", metric.higherIsBetter() ? "≥" : "≤", target);
    }
}
