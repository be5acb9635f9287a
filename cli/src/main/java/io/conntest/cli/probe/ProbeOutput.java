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
import java.util.Locale;

/**
 * How probe results are written: as nmap's port table ({@link #text}) or as JSON lines ({@link #json}), one line
 * per port as it is found (failed probes included), then the summary.
 */
public abstract class ProbeOutput implements ProbeListener
{
    /** Before the first probe. */
    public abstract void onStart(InetAddress host, PortSpec ports, ProbeOptions options, String stack);

    /** nmap's table: {@code 22/tcp  open  syn-ack  0.081ms}. */
    public static ProbeOutput text(final PrintStream out)
    {
        return new ProbeOutput()
        {
            @Override
            public void onStart(final InetAddress host, final PortSpec ports, final ProbeOptions options,
                final String stack)
            {
                out.println("conntest probe " + host.getHostAddress() + ": " + ports.count()
                    + (ports.count() == 1 ? " port" : " ports") + " (" + ports + ") from " + stack + ", rate "
                    + (options.ratePerSecond() == 0 ? "unlimited" : options.ratePerSecond() + "/s") + ", "
                    + options.maxInFlight() + " in flight, timeout "
                    + options.timeoutNs() / 1_000_000 + " ms");
                out.println(String.format(Locale.ROOT, "%-11s %-14s %-17s %10s  %s", "PORT", "STATE", "REASON",
                    "RTT", "ATTEMPTS"));
                out.flush();
            }

            @Override
            public void onResult(final ProbeResult r)
            {
                out.println(String.format(Locale.ROOT, "%-11s %-14s %-17s %10s  %d%s",
                    r.port() + "/" + r.protocol(), r.state(), r.reason(),
                    r.hasRtt() ? String.format(Locale.ROOT, "%.3fms", r.rttNs() / 1e6) : "-", r.attempts(),
                    r.detail() == null ? "" : "  (" + r.detail() + ")"));
                out.flush();
            }

            @Override
            public void onDone(final ProbeReport report)
            {
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
                final String stack)
            {
                emit("probe_start", new Json().put("host", host.getHostAddress()).put("ports", ports.toString())
                    .put("count", ports.count()).put("stack", stack).put("rate_per_second", options.ratePerSecond())
                    .put("max_in_flight", options.maxInFlight()).put("timeout_ns", options.timeoutNs()));
            }

            @Override
            public void onResult(final ProbeResult r)
            {
                emit("port", new Json().put("host", r.host().getHostAddress()).put("port", r.port())
                    .put("protocol", r.protocol().wireName()).put("state", r.state().wireName())
                    .put("reason", r.reason().wireName()).putKnown("rtt_ns", r.rttNs())
                    .put("attempts", r.attempts()).put("detail", r.detail()));
            }

            @Override
            public void onDone(final ProbeReport report)
            {
                emit("probe_summary", new Json().put("host", report.host().getHostAddress())
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
