package io.conntest.cli.metrics;

import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeListener;
import io.conntest.core.probe.ProbeReport;
import io.conntest.core.probe.ProbeResult;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The results of {@code conntest probe --metrics}: told every result and report of each scan (on the scan's
 * thread), it exposes the last complete scan, swapped in whole when the scan ends, so a scrape never sees half a
 * scan and never waits for one. Per-port series only for scans of at most {@link #MAX_PORT_SERIES} ports (a
 * {@code -p-} scan would otherwise make 65,535 series per scrape); the counts per state are always there.
 */
public final class ProbeMetrics implements MultiCollector, ProbeListener
{
    /** Most ports a scan may have for per-port series. */
    public static final int MAX_PORT_SERIES = 1024;

    private static final PortState[] STATES = PortState.values();

    /** The last complete scan, immutable. */
    private record Scan(List<ProbeResult> results, ProbeReport report, long number)
    {
    }

    private final Labels target;
    private final boolean perPort;
    private final List<ProbeResult> current = new ArrayList<>();
    private final AtomicReference<Scan> latest = new AtomicReference<>();
    private long scans;

    /**
     * @param target  the host as the user gave it
     * @param address its address as probed
     * @param perPort whether the scans are small enough for per-port series
     */
    public ProbeMetrics(final String target, final String address, final boolean perPort)
    {
        this.target = Labels.of("target", RowLabels.clean(target), "address", RowLabels.clean(address));
        this.perPort = perPort;
    }

    @Override
    public void onResult(final ProbeResult result)
    {
        if (perPort && current.size() < MAX_PORT_SERIES)
        {
            current.add(result);
        }
    }

    @Override
    public void onDone(final ProbeReport report)
    {
        scans++;
        latest.set(new Scan(List.copyOf(current), report, scans));
        current.clear();
    }

    @Override
    public MetricSnapshots collect()
    {
        final Scan scan = latest.get();
        final List<MetricSnapshot> out = new ArrayList<>();
        final Family count = Family.counter("conntest_probe_scans", "Scans completed (or ended by their deadline).");
        count.add(scan == null ? 0 : scan.number(), target);
        count.addTo(out);
        if (scan == null)
        {
            return new MetricSnapshots(out);
        }
        final ProbeReport report = scan.report();
        final Family duration = Family.gauge("conntest_probe_last_scan_duration_seconds",
            "Wall time of the last scan.");
        duration.add(ConnectionCollector.seconds(report.elapsedNs()), target);
        duration.addTo(out);
        final Family complete = Family.gauge("conntest_probe_last_scan_complete",
            "1 when the last scan probed every selected port, 0 when its deadline (--max-duration) cut it short.");
        complete.add(report.completion() == ProbeReport.Completion.COMPLETE ? 1 : 0, target);
        complete.addTo(out);
        final Family ports = Family.gauge("conntest_probe_ports",
            "Ports of the last scan per state (open, closed, filtered, open|filtered, unknown, not_probed).");
        for (final PortState state : STATES)
        {
            ports.add(report.count(state), target.add("state", state.wireName()));
        }
        ports.add(report.notProbed(), target.add("state", "not_probed"));
        ports.addTo(out);
        if (!scan.results().isEmpty())
        {
            perPort(scan.results(), out);
        }
        return new MetricSnapshots(out);
    }

    private void perPort(final List<ProbeResult> results, final List<MetricSnapshot> out)
    {
        final StateSetSnapshot.Builder state = StateSetSnapshot.builder().name("conntest_probe_port_state")
            .help("Each port's state in the last scan (nmap's states), with the reason in conntest_probe_port_info.");
        final Family rtt = Family.gauge("conntest_probe_rtt_seconds",
            "Time from the last attempt to the answer that decided the port's state; absent when nothing answered.");
        final Family attempts = Family.gauge("conntest_probe_attempts", "Probes sent for the port (connects or "
            + "datagrams).");
        final Family info = Family.gauge("conntest_probe_port_info",
            "1, labelled with the evidence for the port's state (syn-ack, conn-refused, no-response, port-unreach, "
                + "...).");
        for (final ProbeResult r : results)
        {
            final Labels port = target.add("protocol", r.protocol().wireName()).add("port", Integer.toString(r.port()));
            final StateSetDataPointSnapshot.Builder point = StateSetDataPointSnapshot.builder().labels(port);
            for (final PortState s : STATES)
            {
                point.state(s.wireName(), r.state() == s);
            }
            state.dataPoint(point.build());
            rtt.add(ConnectionCollector.seconds(r.rttNs()), port);
            attempts.add(r.attempts(), port);
            info.add(1, port.add("reason", r.reason().wireName()));
        }
        out.add(state.build());
        rtt.addTo(out);
        attempts.addTo(out);
        info.addTo(out);
    }
}
