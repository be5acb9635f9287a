package io.conntest.bench.report;

import java.util.Arrays;

/** Median, minimum and maximum of one metric over the runs of a scenario. */
public final class Stats
{
    private final double median;
    private final double min;
    private final double max;
    private final int count;

    private Stats(final double median, final double min, final double max, final int count)
    {
        this.median = median;
        this.min = min;
        this.max = max;
        this.count = count;
    }

    /** Of the given values; NaN values (a run that could not measure this) are left out. */
    public static Stats of(final double... values)
    {
        final double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0)
        {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        final int n = sorted.length;
        final double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], n);
    }

    public double median()
    {
        return median;
    }

    public double min()
    {
        return min;
    }

    public double max()
    {
        return max;
    }

    /** How many runs measured it. */
    public int count()
    {
        return count;
    }

    /** (max - min) / median, 0 for a single run; NaN when nothing was measured. */
    public double relativeSpread()
    {
        return median == 0 ? Double.NaN : (max - min) / Math.abs(median);
    }
}
