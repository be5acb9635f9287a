package io.conntest.cli.probe;

import io.conntest.cli.ui.Json;
import io.conntest.core.probe.PortSpec;
import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeListener;
import io.conntest.core.probe.ProbeOptions;
import io.conntest.core.probe.ProbeReport;
import io.conntest.core.probe.ProbeResult;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * How probe results are written: as nmap's port table ({@link #text}) or as JSON lines ({@link #json}), one line
 * per port as it is found (failed probes included), then the summary.
 */
public abstract class ProbeOutput implements ProbeListener
{
    /**
     * Before the first probe.
     *
     * @param stack     {@code kernel} or {@code tap}, the word an instance's JSON uses
     * @param addresses the own stack's address, MAC and TAP (empty for kernel sockets)
     */
    public abstract void onStart(InetAddress host, PortSpec ports, ProbeOptions options, String stack,
        List<String> addresses);

    /**
     * The result of the host discovery ping before a scan from the own stack (not called for kernel sockets).
     *
     * @param rttNs the echo reply's RTT, or -1 when none came
     */
    public abstract void onPing(long rttNs);

    /**
     * nmap's report: the start line, then at the end the sorted {@link ProbeTable} and the summary. Results are
     * held until the scan ends, since the table is sorted and crowded states are collapsed.
     */
    public static ProbeOutput text(final PrintStream out, final ProbeTable table)
    {
        return new ProbeOutput()
        {
            @Override
            public void onStart(final InetAddress host, final PortSpec ports, final ProbeOptions options,
                final String stack, final List<String> addresses)
            {
                out.println("conntest probe " + io.conntest.core.transport.HostText.of(host) + ": " + ports.count()
                    + (ports.count() == 1 ? " port" : " ports") + " (" + ports + ") from "
                    + (addresses.isEmpty() ? "kernel sockets" : "the own stack " + String.join(" ", addresses))
                    + ", rate "
                    + (options.ratePerSecond() == 0 ? "unlimited" : options.ratePerSecond() + "/s") + ", "
                    + options.maxInFlight() + " in flight, timeout "
                    + options.timeoutNs() / 1_000_000 + " ms");
                out.flush();
            }

            @Override
            public void onPing(final long rttNs)
            {
                // nmap: "Host is up (0.00030s latency)."
                out.println(rttNs >= 0 ? String.format(Locale.ROOT, "Host is up (%.3f ms latency).", rttNs / 1e6)
                    : "No echo reply from the host (ICMP may be filtered); probing anyway.");
                out.flush();
            }

            @Override
            public void onResult(final ProbeResult r)
            {
                table.add(r);
            }

            @Override
            public void onDone(final ProbeReport report)
            {
                for (final String line : table.lines(io.conntest.core.transport.HostText.of(report.host())))
                {
                    out.println(line);
                }
                out.println(report);
                out.flush();
            }
        };
    }

    /** JSON lines: {@code probe_start}, one {@code port} per result, {@code probe_summary}. */
    public static ProbeOutput json(final PrintStream out)
    {
        return new ProbeOutput()
        {
            private void emit(final String event, final Json data)
            {
                out.println(new Json().put("event", event).putEpochSeconds("time", System.currentTimeMillis())
                    .put("data", data));
                out.flush();
            }

            @Override
            public void onStart(final InetAddress host, final PortSpec ports, final ProbeOptions options,
                final String stack, final List<String> addresses)
            {
                emit("probe_start", new Json().put("host", io.conntest.core.transport.HostText.of(host)).put("ports", ports.toString())
                    .put("count", ports.count()).put("stack", stack).putStrings("addresses", addresses)
                    .put("rate_per_second", options.ratePerSecond())
                    .put("max_in_flight", options.maxInFlight()).put("timeout_ns", options.timeoutNs()));
            }

            @Override
            public void onPing(final long rttNs)
            {
                emit("probe_ping", new Json().putKnown("rtt_ns", rttNs));
            }

            @Override
            public void onResult(final ProbeResult r)
            {
                emit("port", new Json().put("host", io.conntest.core.transport.HostText.of(r.host())).put("port", r.port())
                    .put("protocol", r.protocol().wireName()).put("state", r.state().wireName())
                    .put("reason", r.reason().wireName()).putKnown("rtt_ns", r.rttNs())
                    .put("attempts", r.attempts()).put("detail", r.detail())
                    .put("peer_saw", r.peerArrival() == null ? null : r.peerArrival().word()));
            }

            @Override
            public void onDone(final ProbeReport report)
            {
                emit("probe_summary", new Json().put("host", io.conntest.core.transport.HostText.of(report.host()))
                    .put("probed", report.probed()).put("not_probed", report.notProbed())
                    .put("elapsed_ns", report.elapsedNs())
                    .put("completion", report.completion().name().toLowerCase(Locale.ROOT))
                    .put("open", report.count(PortState.OPEN)).put("closed", report.count(PortState.CLOSED))
                    .put("filtered", report.count(PortState.FILTERED))
                    .put("open_filtered", report.count(PortState.OPEN_FILTERED))
                    .put("unknown", report.count(PortState.UNKNOWN))
                    .put("exit_code", report.exitCode()));
            }
        };
    }
}
