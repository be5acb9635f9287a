package io.conntest.bench.report;

/**
 * A measured quantity: its JSON key (base units, named in the key) and how it is shown to people (scaled, with
 * the unit). Higher-is-better tells how to read a ratio.
 */
public enum Metric
{
    GOODPUT_BPS("goodput_bits_per_s", "Gbit/s", 1e-9, true),
    FRAMES_PER_S("frames_per_s", "kframe/s", 1e-3, true),
    ROUND_TRIPS_PER_S("round_trips_per_s", "krt/s", 1e-3, true),
    LATENCY_P50_NS("latency_rtt_half_p50_ns", "µs p50", 1e-3, false),
    LATENCY_P99_NS("latency_rtt_half_p99_ns", "µs p99", 1e-3, false),
    LATENCY_P999_NS("latency_rtt_half_p999_ns", "µs p99.9", 1e-3, false),
    LOST("lost", "lost", 1, false),
    CPU_S_PER_GB_OURS("cpu_s_per_gb_ours", "CPU s/GB ours", 1, false),
    CPU_S_PER_GB_PEER("cpu_s_per_gb_peer", "CPU s/GB peer", 1, false),
    CPU_PERCENT_IDLE("idle_cpu_percent", "% CPU idle", 1, false),
    /** Frames the kernel dropped on the way out to the TAP (its queue full: the reader behind it was late). */
    TAP_DROPS_PER_S("tap_tx_dropped_per_s", "dropped/s at TAP", 1, false),
    RETRANSMISSIONS("retransmissions", "retransmits", 1, false),
    /**
     * The stack's TCP sender: payload bytes per send to the device over the run (a TSO super-segment counts once;
     * with offloads, the few plain segments are left out of the count).
     */
    SEGMENT_BYTES("bytes_per_device_send", "B/send", 1, true),
    /** The stack's TCP sender: its congestion window when the run ended. */
    CWND_BYTES("cwnd_bytes_at_end", "B cwnd", 1, true);

    private final String key;
    private final String unit;
    private final double scale;
    private final boolean higherIsBetter;

    Metric(final String key, final String unit, final double scale, final boolean higherIsBetter)
    {
        this.key = key;
        this.unit = unit;
        this.scale = scale;
        this.higherIsBetter = higherIsBetter;
    }

    /** The JSON key, in base units (bits/s, ns, s). */
    public String key()
    {
        return key;
    }

    /** The unit as printed for people. */
    public String unit()
    {
        return unit;
    }

    /** From base units to the printed unit. */
    public double scale()
    {
        return scale;
    }

    public boolean higherIsBetter()
    {
        return higherIsBetter;
    }
}
