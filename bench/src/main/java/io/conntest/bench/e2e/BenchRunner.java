package io.conntest.bench.e2e;

import io.conntest.bench.report.JsonWriter;
import io.conntest.bench.report.Machine;
import io.conntest.bench.report.Metric;
import io.conntest.bench.report.Ratio;
import io.conntest.bench.report.ReportWriter;
import io.conntest.bench.report.Results;
import io.conntest.bench.report.ResultsPlot;
import io.conntest.bench.report.ScenarioResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end-to-end comparison: {@code scripts/bench.sh [--quick|--full] [--out DIR] [--only id,id]}. Builds the
 * {@link Lab}, runs every scenario the mode's number of times, prints the table with the ratios, writes
 * {@code DIR/<date>-<mode>.md} and {@code .json}, and removes the lab (also when interrupted: the namespaces'
 * shutdown hook). Needs root (namespaces, TAPs). Exit codes: 0 done, 1 failed, 2 usage.
 */
public final class BenchRunner
{
    private static final DateTimeFormatter FILE_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private BenchRunner()
    {
    }

    public static void main(final String[] args)
    {
        // the plot is drawn with AWT's 2D API into SVG: no display is needed nor wanted
        System.setProperty("java.awt.headless", "true");
        BenchMode mode = BenchMode.QUICK;
        Path out = Path.of("bench", "results");
        Set<String> only = null;
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--quick", "--full" -> mode = BenchMode.parse(args[i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--only" -> only = new HashSet<>(Arrays.asList(args[++i].split(",")));
                    case "-h", "--help" ->
                    {
                        System.out.println("usage: bench.sh [--quick|--full] [--out DIR] [--only ID,ID]\n"
                            + "scenarios: " + scenarios().stream().map(Scenarios.Scenario::id).toList());
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            System.err.println("bench: " + ex.getMessage() + " (try --help)");
            System.exit(2);
        }
        try
        {
            final Results results = run(mode, only);
            System.out.print(ReportWriter.text(results));
            final Path[] written = write(results, out);
            System.out.println("\nwrote " + written[0] + ", " + written[1] + " and " + written[2]);
        }
        catch (final Exception ex)
        {
            System.err.println("bench: error - " + ex);
            System.exit(1);
        }
    }

    /** Runs the scenarios (all, or those named in {@code only}) in a new lab. */
    public static Results run(final BenchMode mode, final Set<String> only)
    {
        final Instant started = Instant.now();
        final Results results = new Results(mode.label(), started, Machine.current());
        final long budgetNs = (mode == BenchMode.QUICK ? 120 : 840) * 1_000_000_000L;
        final long startNs = System.nanoTime();
        try (Lab lab = Lab.create())
        {
            System.err.println("bench: lab " + lab.lab().name() + " + " + lab.peer().name() + ", " + mode.label()
                + " mode, " + mode.runs() + " run(s) per scenario");
            final List<Scenarios.Scenario> chosen = new ArrayList<>();
            final Map<String, String> lastErrors = new HashMap<>();
            for (final Scenarios.Scenario scenario : scenarios())
            {
                if (only != null && !selected(only, scenario.id()))
                {
                    continue;
                }
                final ScenarioResult result = results.add(new ScenarioResult(scenario.id(), scenario.title()));
                if (scenario.id().startsWith("iperf3") && !Iperf3.available())
                {
                    result.skip("iperf3 not installed (scripts/install-test-tools.sh)");
                    continue;
                }
                chosen.add(scenario);
            }
            // Round robin (run 1 of every scenario, then run 2, ...): a change in the machine's load over time then
            // spreads over every scenario instead of biasing the ones that happened to run during it.
            for (int run = 1; run <= mode.runs(); run++)
            {
                for (final Scenarios.Scenario scenario : chosen)
                {
                    final ScenarioResult result = results.scenario(scenario.id());
                    if (System.nanoTime() - startNs > budgetNs)
                    {
                        result.note("time budget spent before run " + run);
                        continue;
                    }
                    System.err.printf("bench: %s run %d/%d%n", scenario.id(), run, mode.runs());
                    try
                    {
                        result.addRun(scenario.run().run(lab, mode));
                    }
                    catch (final Exception ex)
                    {
                        lastErrors.put(scenario.id(), String.valueOf(ex.getMessage()));
                        result.note("run " + run + " failed: " + ex.getMessage());
                    }
                }
            }
            for (final Scenarios.Scenario scenario : chosen)
            {
                final ScenarioResult result = results.scenario(scenario.id());
                if (result.runs().isEmpty())
                {
                    final String error = lastErrors.get(scenario.id());
                    result.skip(error != null ? "every run failed: " + error : "not run (time budget)");
                }
            }
        }
        results.elapsed(Duration.ofNanos(System.nanoTime() - startNs));
        ratios().forEach(results::addRatio);
        LatencyScenarios.ratios().forEach(results::addRatio);
        return results;
    }

    /** Every scenario: the stack's and conntest's throughput and latency, then the latency comparisons. */
    private static List<Scenarios.Scenario> scenarios()
    {
        final List<Scenarios.Scenario> all = new ArrayList<>(Scenarios.all());
        all.addAll(LatencyScenarios.all());
        return all;
    }

    /** {@code --only} names scenarios, or groups of them with a trailing {@code *} ({@code lat-*}). */
    private static boolean selected(final Set<String> only, final String id)
    {
        for (final String name : only)
        {
            if (name.equals(id) || name.endsWith("*") && id.startsWith(name.substring(0, name.length() - 1)))
            {
                return true;
            }
        }
        return false;
    }

    /** The comparisons the report makes, with the targets where it sets one. */
    public static List<Ratio> ratios()
    {
        return List.of(
            // Issue 9's targets with offloads (the vnet-header TAP): against the kernel talking to itself over the
            // veth, and against the vnet pump in the same direction.
            new Ratio("offload: TCP stack→kernel ÷ iperf3 kernel→kernel", "tcp-stack-tx-vnet", "iperf3-veth",
                Metric.GOODPUT_BPS, 1.0),
            new Ratio("offload: TCP kernel→stack ÷ iperf3 kernel→kernel", "tcp-stack-rx-vnet", "iperf3-veth",
                Metric.GOODPUT_BPS, 0.7),
            new Ratio("offload: conntest TCP tap→tap ÷ conntest TCP kernel→kernel", "conntest-tcp-tap-tap-vnet",
                "conntest-tcp-kernel", Metric.GOODPUT_BPS, 0.8),
            new Ratio("offload: TCP stack→kernel ÷ vnet pump→kernel", "tcp-stack-tx-vnet", "vnet-pump-tx",
                Metric.GOODPUT_BPS, 0.90),
            new Ratio("offload: TCP kernel→stack ÷ kernel→vnet pump", "tcp-stack-rx-vnet", "vnet-pump-rx",
                Metric.GOODPUT_BPS, 0.90),
            new Ratio("offload: vnet pump→kernel ÷ iperf3 kernel→kernel", "vnet-pump-tx", "iperf3-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: kernel→vnet pump ÷ iperf3 kernel→kernel", "vnet-pump-rx", "iperf3-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: TCP stack→kernel, offloads ÷ plain", "tcp-stack-tx-vnet", "tcp-stack-tx",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: TCP kernel→stack, offloads ÷ plain", "tcp-stack-rx-vnet", "tcp-stack-rx",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: CPU/GB stack TCP sending ÷ vnet pump sending", "tcp-stack-tx-vnet", "vnet-pump-tx",
                Metric.CPU_S_PER_GB_OURS, Double.NaN),
            new Ratio("offload: CPU/GB stack TCP receiving ÷ vnet pump receiving", "tcp-stack-rx-vnet",
                "vnet-pump-rx", Metric.CPU_S_PER_GB_OURS, Double.NaN),
            new Ratio("offload: UDP kernel→stack, offloads (USO) ÷ plain", "udp-stack-rx-vnet", "udp-stack-rx",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: UDP kernel→stack (USO) ÷ kernel→kernel veth", "udp-stack-rx-vnet", "udp-kernel-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: conntest TCP tap→kernel ÷ conntest kernel→kernel", "conntest-tcp-tap-vnet",
                "conntest-tcp-kernel", Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: conntest reliable UDP kernel→kernel, GSO/GRO ÷ plain UDP kernel→kernel",
                "conntest-udp-kernel-gso", "udp-kernel-veth", Metric.GOODPUT_BPS, 0.5),
            new Ratio("offload: conntest reliable UDP kernel→kernel, GSO/GRO ÷ one datagram per call",
                "conntest-udp-kernel-gso", "conntest-udp-kernel", Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: conntest reliable UDP tap→kernel ÷ kernel→kernel, both with offloads",
                "conntest-udp-tap-vnet", "conntest-udp-kernel-gso", Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: conntest reliable UDP tap→tap ÷ kernel→kernel, both with offloads",
                "conntest-udp-tap-tap-vnet", "conntest-udp-kernel-gso", Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("offload: conntest reliable UDP tap→kernel, offloads ÷ plain", "conntest-udp-tap-vnet",
                "conntest-udp-tap", Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("plain: conntest TCP tap→tap ÷ conntest TCP kernel→kernel", "conntest-tcp-tap-tap",
                "conntest-tcp-kernel", Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("plain: conntest reliable UDP tap→tap ÷ kernel→kernel", "conntest-udp-tap-tap",
                "conntest-udp-kernel", Metric.GOODPUT_BPS, Double.NaN),
            // Plain mode against the plain pumps of its own protocol: the TCP-shaped pump for TCP (the kernel's side
            // then does a TCP connection's work for both), the UDP pump for UDP.
            new Ratio("plain: TCP stack→kernel ÷ TCP pump→kernel (goodput)", "tcp-stack-tx", "tcp-pump-tx",
                Metric.GOODPUT_BPS, 0.90),
            new Ratio("plain: TCP kernel→stack ÷ kernel→TCP pump (goodput)", "tcp-stack-rx", "tcp-pump-rx",
                Metric.GOODPUT_BPS, 0.90),
            new Ratio("plain: UDP stack→kernel ÷ pump→kernel (goodput)", "udp-stack-tx", "pump-tx", Metric.GOODPUT_BPS,
                0.90),
            new Ratio("plain: UDP kernel→stack ÷ kernel→pump (goodput)", "udp-stack-rx", "pump-rx", Metric.GOODPUT_BPS,
                0.90),
            new Ratio("plain: CPU/GB stack TCP sending ÷ TCP pump sending", "tcp-stack-tx", "tcp-pump-tx",
                Metric.CPU_S_PER_GB_OURS, Double.NaN),
            new Ratio("plain: CPU/GB stack TCP receiving ÷ TCP pump receiving", "tcp-stack-rx", "tcp-pump-rx",
                Metric.CPU_S_PER_GB_OURS, Double.NaN),
            new Ratio("TCP pump→kernel ÷ UDP pump→kernel (the kernel's TCP work per frame)", "tcp-pump-tx", "pump-tx",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("TCP stack→kernel ÷ UDP pump→kernel (goodput)", "tcp-stack-tx", "pump-tx", Metric.GOODPUT_BPS,
                Double.NaN),
            new Ratio("TCP kernel→stack ÷ kernel→UDP pump (goodput)", "tcp-stack-rx", "pump-rx", Metric.GOODPUT_BPS,
                Double.NaN),
            new Ratio("TCP stack→kernel ÷ pump→kernel IP, no socket", "tcp-stack-tx", "pump-tx-ip",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("TCP stack→kernel ÷ kernel→kernel veth", "tcp-stack-tx", "tcp-kernel-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("TCP kernel→stack ÷ kernel→kernel veth", "tcp-stack-rx", "tcp-kernel-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("conntest TCP kernel→kernel ÷ iperf3", "conntest-tcp-kernel", "iperf3-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("conntest reliable UDP kernel→kernel ÷ plain UDP kernel→kernel", "conntest-udp-kernel",
                "udp-kernel-veth", Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("conntest TCP tap→kernel ÷ kernel→kernel", "conntest-tcp-tap", "conntest-tcp-kernel",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("conntest TCP tap→kernel ÷ pump→kernel", "conntest-tcp-tap", "pump-tx",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("conntest reliable UDP tap→kernel ÷ kernel→kernel", "conntest-udp-tap", "conntest-udp-kernel",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("TCP kernel→kernel: Java sockets ÷ iperf3", "tcp-kernel-veth", "iperf3-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("CPU/GB stack TCP sending ÷ pump sending", "tcp-stack-tx", "pump-tx",
                Metric.CPU_S_PER_GB_OURS, Double.NaN),
            new Ratio("CPU/GB stack TCP receiving ÷ pump receiving", "tcp-stack-rx", "pump-rx",
                Metric.CPU_S_PER_GB_OURS, Double.NaN),
            // Issue 13: the stack's IPv6 against its IPv4, same services, same TAP, same run
            new Ratio("IPv6 ÷ IPv4: TCP stack→kernel (goodput)", "tcp6-stack-tx", "tcp-stack-tx", Metric.GOODPUT_BPS,
                Double.NaN),
            new Ratio("IPv6 ÷ IPv4: TCP kernel→stack (goodput)", "tcp6-stack-rx", "tcp-stack-rx", Metric.GOODPUT_BPS,
                Double.NaN),
            new Ratio("IPv6 ÷ IPv4: TCP request/response p50, kernel → stack", "tcp6-rr-stack", "tcp-rr-stack",
                Metric.LATENCY_P50_NS, Double.NaN),
            new Ratio("IPv6 ÷ IPv4: ping p50, kernel → stack", "ping6-stack", "ping-stack", Metric.LATENCY_P50_NS,
                Double.NaN),
            new Ratio("TCP request/response p50 stack ÷ kernel", "tcp-rr-stack", "tcp-rr-kernel",
                Metric.LATENCY_P50_NS, 1.2),
            new Ratio("TCP request/response p99 stack ÷ kernel", "tcp-rr-stack", "tcp-rr-kernel",
                Metric.LATENCY_P99_NS, 1.5),
            new Ratio("TCP request/response p99.9 stack ÷ kernel", "tcp-rr-stack", "tcp-rr-kernel",
                Metric.LATENCY_P999_NS, Double.NaN),
            new Ratio("UDP stack→kernel ÷ kernel→kernel veth (goodput)", "udp-stack-tx", "udp-kernel-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("UDP kernel→stack ÷ kernel→kernel veth (goodput)", "udp-stack-rx", "udp-kernel-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("pump→kernel ÷ iperf3 veth (TAP ceiling vs kernel TCP)", "pump-tx", "iperf3-veth",
                Metric.GOODPUT_BPS, Double.NaN),
            new Ratio("CPU/GB stack sending ÷ pump sending", "udp-stack-tx", "pump-tx", Metric.CPU_S_PER_GB_OURS,
                Double.NaN),
            new Ratio("CPU/GB stack receiving ÷ pump receiving", "udp-stack-rx", "pump-rx",
                Metric.CPU_S_PER_GB_OURS, Double.NaN),
            new Ratio("UDP echo p50 stack ÷ kernel", "udp-echo-stack", "udp-echo-kernel", Metric.LATENCY_P50_NS, 1.2),
            new Ratio("UDP echo p99 stack ÷ kernel", "udp-echo-stack", "udp-echo-kernel", Metric.LATENCY_P99_NS, 1.5),
            new Ratio("UDP echo p99.9 stack ÷ kernel", "udp-echo-stack", "udp-echo-kernel", Metric.LATENCY_P999_NS,
                Double.NaN),
            new Ratio("UDP echo round trips/s stack ÷ kernel", "udp-echo-stack", "udp-echo-kernel",
                Metric.ROUND_TRIPS_PER_S, Double.NaN));
    }

    /**
     * Writes {@code <date>-<mode>.md}, {@code .json} and the plot {@code .svg} (linked from the Markdown) into
     * {@code dir}; returns the three paths.
     */
    public static Path[] write(final Results results, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        final String base = FILE_TIME.format(results.started()) + "-" + results.mode();
        final Path md = dir.resolve(base + ".md");
        final Path json = dir.resolve(base + ".json");
        final Path svg = dir.resolve(base + ".svg");
        Files.writeString(md, ReportWriter.markdown(results, svg.getFileName().toString()), StandardCharsets.UTF_8);
        Files.writeString(json, JsonWriter.json(results), StandardCharsets.UTF_8);
        Files.writeString(svg, ResultsPlot.svg(results), StandardCharsets.UTF_8);
        return new Path[] {md, json, svg};
    }
}
