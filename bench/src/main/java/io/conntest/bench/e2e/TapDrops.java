package io.conntest.bench.e2e;

import io.conntest.bench.report.Metric;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Frames the kernel dropped on their way out to one of the lab's TAPs during the measurement window: the TAP's
 * {@code tx_dropped}, which grows when the process behind the TAP does not read fast enough and the device's queue
 * overflows. A ceiling that leaves frames to be dropped there (a pump that reads the kernel's ACKs only now and then)
 * does less I/O than a stack, which has to read every frame, so each TAP scenario reports it beside its figures.
 */
final class TapDrops
{
    /** {@code ip -j -s link}: the transmit statistics object and its dropped count. */
    private static final Pattern TX_DROPPED = Pattern.compile("\"tx\":\\{[^}]*\"dropped\":(\\d+)");

    private final Lab lab;
    private final String tap;
    private long atOpen = -1;
    private long dropped = -1;
    private double seconds;

    private TapDrops(final Lab lab, final String tap)
    {
        this.lab = lab;
        this.tap = tap;
    }

    /** Watches {@code tap} in the lab's namespace. */
    static TapDrops of(final Lab lab, final String tap)
    {
        return new TapDrops(lab, tap);
    }

    /** The window opens. */
    void open()
    {
        atOpen = read();
    }

    /** The window closed after {@code seconds}. */
    void close(final double seconds)
    {
        this.seconds = seconds;
        dropped = atOpen < 0 ? -1 : read() - atOpen;
    }

    /** Adds the drop rate to {@code metrics} when it was measured. */
    Map<Metric, Double> addTo(final Map<Metric, Double> metrics)
    {
        if (dropped >= 0 && seconds > 0)
        {
            metrics.put(Metric.TAP_DROPS_PER_S, dropped / seconds);
        }
        return metrics;
    }

    private long read()
    {
        final String json = lab.lab().ip("-j", "-s", "link", "show", "dev", tap).output();
        final Matcher m = TX_DROPPED.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
