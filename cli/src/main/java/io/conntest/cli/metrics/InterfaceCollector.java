package io.conntest.cli.metrics;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.iface.InterfaceCounters;
import io.conntest.stack.ipv6.Ipv6Counter;
import io.conntest.stack.ipv6.Ipv6Counters;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The own stack's interface counters (with {@code --tap}): every drop reason as {@code conntest_interface_drops_total}
 * and every other count as {@code conntest_interface_counted_total}, one point per {@link InterfaceCounter} and per
 * {@link Ipv6Counter} of its IPv6 side (names apart: {@code ipv6_*}, {@code icmpv6_*}, {@code ndp_*}, {@code dad_*},
 * {@code slaac_*}, {@code mld_*}).
 * The counters are plain longs written by the stack's thread; reading them from the scrape's thread may see a value
 * a moment old, never blocks the stack (InterfaceCounters documents this for monitoring).
 */
public final class InterfaceCollector implements MultiCollector
{
    private static final InterfaceCounter[] ALL = InterfaceCounter.values();
    private static final Ipv6Counter[] ALL6 = Ipv6Counter.values();

    private final InterfaceCounters counters;
    private final Ipv6Counters counters6;
    private final Labels[] labels = new Labels[ALL.length];
    private final Labels[] labels6 = new Labels[ALL6.length];

    /** Exposes {@code counters} of the stack of {@code instanceName} (no IPv6 counters). */
    public InterfaceCollector(final InterfaceCounters counters, final String instanceName)
    {
        this(counters, null, instanceName);
    }

    /** Exposes {@code counters} and the IPv6 side's {@code counters6} (null for none) of {@code instanceName}. */
    public InterfaceCollector(final InterfaceCounters counters, final Ipv6Counters counters6,
        final String instanceName)
    {
        this.counters = counters;
        this.counters6 = counters6;
        final Labels instance = Labels.of("instance_name", RowLabels.clean(instanceName), "stack", "tap");
        for (final InterfaceCounter c : ALL)
        {
            labels[c.ordinal()] = instance.add(c.isDrop() ? "reason" : "counter", c.name().toLowerCase(Locale.ROOT));
        }
        for (final Ipv6Counter c : ALL6)
        {
            labels6[c.ordinal()] = instance.add(c.isDrop() ? "reason" : "counter", c.name().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public MetricSnapshots collect()
    {
        final Family drops = Family.counter("conntest_interface_drops",
            "Frames, datagrams or replies the own stack's interface threw away, per reason (see "
                + "docs/metrics.md and stack InterfaceCounter).");
        final Family counted = Family.counter("conntest_interface_counted",
            "Everything else the own stack's interface counts (frames, bytes, ARP, IPv4, ICMP, IPv6), per counter.");
        for (final InterfaceCounter c : ALL)
        {
            (c.isDrop() ? drops : counted).add(counters.get(c), labels[c.ordinal()]);
        }
        if (counters6 != null)
        {
            for (final Ipv6Counter c : ALL6)
            {
                (c.isDrop() ? drops : counted).add(counters6.get(c), labels6[c.ordinal()]);
            }
        }
        final List<MetricSnapshot> out = new ArrayList<>(2);
        drops.addTo(out);
        counted.addTo(out);
        return new MetricSnapshots(out);
    }
}
