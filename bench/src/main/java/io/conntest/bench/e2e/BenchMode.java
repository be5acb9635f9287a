package io.conntest.bench.e2e;

/**
 * How long and how often: quick (one run of each scenario, under two minutes in all) or full (five runs each,
 * under fifteen minutes).
 */
public enum BenchMode
{
    QUICK("quick", 1, 1_000, 2_000, 3),
    FULL("full", 5, 1_000, 5_000, 5);

    private final String label;
    private final int runs;
    private final long warmupMs;
    private final long measureMs;
    private final int iperfSeconds;

    BenchMode(final String label, final int runs, final long warmupMs, final long measureMs, final int iperfSeconds)
    {
        this.label = label;
        this.runs = runs;
        this.warmupMs = warmupMs;
        this.measureMs = measureMs;
        this.iperfSeconds = iperfSeconds;
    }

    public String label()
    {
        return label;
    }

    /** Runs of each scenario. */
    public int runs()
    {
        return runs;
    }

    /** Load before the measurement window opens (JIT, ARP, queues filling). */
    public long warmupMs()
    {
        return warmupMs;
    }

    /** The measurement window. */
    public long measureMs()
    {
        return measureMs;
    }

    /** Seconds of each iperf3 test (plus one omitted). */
    public int iperfSeconds()
    {
        return iperfSeconds;
    }

    /** Every load thread ends by itself after this, whatever happens. */
    public long maxLoadNs()
    {
        return (warmupMs + measureMs + 10_000) * 1_000_000L;
    }

    public static BenchMode parse(final String text)
    {
        for (final BenchMode mode : values())
        {
            if (mode.label.equals(text) || ("--" + mode.label).equals(text))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode " + text + " (use --quick or --full)");
    }
}
