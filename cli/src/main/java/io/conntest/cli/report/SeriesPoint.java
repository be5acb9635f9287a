package io.conntest.cli.report;

/**
 * One {@code interval} line of a connection row, as plotted: seconds since the recording began, then the figures
 * (NaN where the line had none). Latencies are RTT/2 in nanoseconds, throughput in bit/s, UDP losses cumulative.
 */
record SeriesPoint(double seconds, double idleP50Ns, double idleP99Ns, double loadedP50Ns, double loadedP99Ns,
    double sendBps, double receiveBps, double udpLost, double udpLostIncoming)
{
}
