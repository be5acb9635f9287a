package io.conntest.bench.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import io.conntest.bench.report.Metric;
import io.conntest.bench.report.Ratio;
import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.Engine;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.event.EngineListener;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.stack.StackTransport;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * conntest's latency beside a raw request/response on the same path (issue 10): kernel loopback (inside the lab
 * namespace), the veth pair, and the TAP with the userspace stack. On each path, in the same bench run:
 * <ul>
 * <li>{@code lat-raw-*}: TCP request/response, 32 bytes each way, one outstanding, back to back (the same client
 *     as {@code tcp-rr-*}; on the TAP the stack's TCP echo service answers);</li>
 * <li>{@code lat-paced-*}: the same request/response paced as conntest's probes, one every millisecond, so both
 *     ends sleep between requests as an idle conntest does (what waking a sleeping thread costs on this machine is
 *     in this figure as in conntest's);</li>
 * <li>{@code lat-sockperf-*}: sockperf ping-pong over TCP (loopback and veth; skipped when sockperf is missing);</li>
 * <li>{@code lat-conntest-*}: conntest's idle latency (its probes, RTT/2, one every millisecond) between a client
 *     engine and a server engine, no bandwidth test; {@code -busy}: the same with {@code --busy-poll};</li>
 * <li>{@code lat-loaded-*}: conntest's loaded latency, the probes of the same connection while a bandwidth test
 *     runs each way (64 KB DATA packets, as fast as the path goes).</li>
 * </ul>
 * On the TAP the client engine runs on the stack ({@code tap} transport) and the server on kernel sockets, the
 * path the raw figure crosses the other way round (kernel client, stack echo). The engines' figures include the
 * warm-up (a snapshot's percentiles are over the connection's life); the probes of the first second are few beside
 * the thousands that follow.
 */
final class LatencyScenarios
{
    private static final int PORT = 7_710;
    private static final int SOCKPERF_PORT = 11_111;
    private static final String LOOPBACK = "127.0.0.1";
    private static final long PROBE_INTERVAL_NS = 1_000_000L;
    private static final EngineListener QUIET = event ->
    {
    };

    /** Which path a scenario runs on. */
    private enum Path
    {
        LO, VETH, TAP
    }

    private LatencyScenarios()
    {
    }

    /** The scenarios, in the order they run (raw reference first on each path). */
    static List<Scenarios.Scenario> all()
    {
        final List<Scenarios.Scenario> list = new ArrayList<>();
        list.add(new Scenarios.Scenario("lat-raw-lo", "latency: TCP request/response 32 B over loopback (raw)",
            LatencyScenarios::rawLoopback));
        list.add(new Scenarios.Scenario("lat-paced-lo", "latency: TCP request/response paced 1 ms, loopback (raw)",
            (lab, mode) -> paced(lab, mode, Path.LO)));
        list.add(new Scenarios.Scenario("lat-sockperf-lo", "latency: sockperf TCP ping-pong over loopback",
            (lab, mode) -> sockperf(lab, mode, Path.LO)));
        list.add(new Scenarios.Scenario("lat-conntest-lo", "latency: conntest idle, kernel ↔ kernel over loopback",
            (lab, mode) -> conntest(lab, mode, Path.LO, false, false)));
        list.add(new Scenarios.Scenario("lat-conntest-lo-busy", "latency: conntest idle, --busy-poll, loopback",
            (lab, mode) -> conntest(lab, mode, Path.LO, false, true)));
        list.add(new Scenarios.Scenario("lat-loaded-lo", "latency: conntest during a bandwidth test, loopback",
            (lab, mode) -> conntest(lab, mode, Path.LO, true, false)));
        list.add(new Scenarios.Scenario("lat-raw-veth", "latency: TCP request/response 32 B over veth (raw)",
            TcpScenarios::rrKernel));
        list.add(new Scenarios.Scenario("lat-paced-veth", "latency: TCP request/response paced 1 ms, veth (raw)",
            (lab, mode) -> paced(lab, mode, Path.VETH)));
        list.add(new Scenarios.Scenario("lat-sockperf-veth", "latency: sockperf TCP ping-pong over veth",
            (lab, mode) -> sockperf(lab, mode, Path.VETH)));
        list.add(new Scenarios.Scenario("lat-conntest-veth", "latency: conntest idle, kernel ↔ kernel over veth",
            (lab, mode) -> conntest(lab, mode, Path.VETH, false, false)));
        list.add(new Scenarios.Scenario("lat-conntest-veth-busy", "latency: conntest idle, --busy-poll, veth",
            (lab, mode) -> conntest(lab, mode, Path.VETH, false, true)));
        list.add(new Scenarios.Scenario("lat-loaded-veth", "latency: conntest during a bandwidth test, veth",
            (lab, mode) -> conntest(lab, mode, Path.VETH, true, false)));
        list.add(new Scenarios.Scenario("lat-raw-tap", "latency: TCP request/response 32 B kernel → stack over TAP",
            TcpScenarios::rrStack));
        list.add(new Scenarios.Scenario("lat-paced-tap", "latency: TCP request/response paced 1 ms, TAP (raw)",
            (lab, mode) -> paced(lab, mode, Path.TAP)));
        list.add(new Scenarios.Scenario("lat-conntest-tap", "latency: conntest idle, tap → kernel over TAP",
            (lab, mode) -> conntest(lab, mode, Path.TAP, false, false)));
        list.add(new Scenarios.Scenario("lat-conntest-tap-busy", "latency: conntest idle, --busy-poll, TAP",
            (lab, mode) -> conntest(lab, mode, Path.TAP, false, true)));
        list.add(new Scenarios.Scenario("lat-loaded-tap", "latency: conntest during a bandwidth test, TAP",
            (lab, mode) -> conntest(lab, mode, Path.TAP, true, false)));
        return list;
    }

    /** conntest ÷ raw on each path: the targets on idle latency, the others for information. */
    static List<Ratio> ratios()
    {
        final List<Ratio> list = new ArrayList<>();
        for (final String path : new String[] {"lo", "veth", "tap"})
        {
            final String raw = "lat-raw-" + path;
            list.add(new Ratio("latency p50 conntest idle ÷ raw TCP r/r, " + path, "lat-conntest-" + path, raw,
                Metric.LATENCY_P50_NS, 1.3));
            list.add(new Ratio("latency p99 conntest idle ÷ raw TCP r/r, " + path, "lat-conntest-" + path, raw,
                Metric.LATENCY_P99_NS, 2.0));
            list.add(new Ratio("latency p50 conntest idle ÷ raw r/r paced alike, " + path, "lat-conntest-" + path,
                "lat-paced-" + path, Metric.LATENCY_P50_NS, Double.NaN));
            list.add(new Ratio("latency p99 conntest idle ÷ raw r/r paced alike, " + path, "lat-conntest-" + path,
                "lat-paced-" + path, Metric.LATENCY_P99_NS, Double.NaN));
            list.add(new Ratio("latency p50 conntest idle --busy-poll ÷ raw, " + path, "lat-conntest-" + path +
                "-busy", raw, Metric.LATENCY_P50_NS, Double.NaN));
            list.add(new Ratio("latency p99 conntest idle --busy-poll ÷ raw, " + path, "lat-conntest-" + path +
                "-busy", raw, Metric.LATENCY_P99_NS, Double.NaN));
            list.add(new Ratio("latency p50 conntest loaded ÷ raw, " + path, "lat-loaded-" + path, raw,
                Metric.LATENCY_P50_NS, Double.NaN));
            list.add(new Ratio("latency p99 conntest loaded ÷ raw, " + path, "lat-loaded-" + path, raw,
                Metric.LATENCY_P99_NS, Double.NaN));
            if (!path.equals("tap"))
            {
                list.add(new Ratio("latency p50 raw TCP r/r ÷ sockperf, " + path, raw, "lat-sockperf-" + path,
                    Metric.LATENCY_P50_NS, Double.NaN));
            }
        }
        return list;
    }

    /** The back-to-back TCP request/response inside the lab namespace, over its loopback. */
    static Map<Metric, Double> rawLoopback(final Lab lab, final BenchMode mode)
    {
        lab.lab().linkUp("lo");
        final KernelTcp.Echo echo = new KernelTcp.Echo(LOOPBACK, PORT);
        try
        {
            echo.start(lab.lab(), mode.maxLoadNs());
            final KernelTcp.PingClient client = new KernelTcp.PingClient(LOOPBACK, PORT, Scenarios.PING_PAYLOAD,
                mode.warmupMs() * 1_000_000L, mode.measureMs() * 1_000_000L, 10_000_000L);
            client.start(lab.lab(), mode.maxLoadNs());
            client.join(mode.maxLoadNs() / 1_000_000L);
            client.stop();
            client.checkFailure();
            echo.checkFailure();
            return Scenarios.latency(client.rttNs(), client.measuredNs(), Double.NaN);
        }
        finally
        {
            echo.stop();
        }
    }

    /**
     * The request/response of {@code lat-raw-*} paced one request a millisecond: on loopback and the veth against
     * a kernel echo thread, on the TAP against the stack's TCP echo service (as {@code tcp-rr-stack}).
     */
    private static Map<Metric, Double> paced(final Lab lab, final BenchMode mode, final Path path)
    {
        final String address = path == Path.LO ? LOOPBACK : path == Path.VETH ? Lab.VETH_PEER_ADDRESS :
            Ipv4Address.toString(Lab.STACK_ADDRESS);
        final int port = path == Path.TAP ? TcpScenarios.ECHO_PORT : PORT;
        LoadThread server = null;
        TapDevice tap = null;
        try
        {
            if (path == Path.TAP)
            {
                tap = lab.openTap(Lab.STACK_TAP);
                server = new StackLoadThread(tap, new Workloads.Tcp("echo", port));
                server.start(null, mode.maxLoadNs());
            }
            else
            {
                if (path == Path.LO)
                {
                    lab.lab().linkUp("lo");
                }
                server = new KernelTcp.Echo(address, port);
                server.start(path == Path.LO ? lab.lab() : lab.peer(), mode.maxLoadNs());
            }
            final PacedPingClient client = new PacedPingClient(address, port, mode.warmupMs() * 1_000_000L,
                mode.measureMs() * 1_000_000L, PROBE_INTERVAL_NS);
            client.start(lab.lab(), mode.maxLoadNs());
            client.join(mode.maxLoadNs() / 1_000_000L);
            client.stop();
            client.checkFailure();
            server.checkFailure();
            return Scenarios.latency(client.rtt, client.measuredNs, Double.NaN);
        }
        finally
        {
            if (server != null)
            {
                server.stop();
            }
            if (tap != null)
            {
                tap.close();
            }
        }
    }

    /** One request of {@link Scenarios#PING_PAYLOAD} bytes, its echo, then a pause: blocking socket, TCP_NODELAY. */
    private static final class PacedPingClient extends KernelTcp.Endpoint
    {
        private final long warmupNs;
        private final long measureNs;
        private final long intervalNs;
        private final Histogram rtt = new Histogram(1_000_000_000L, 3);
        private volatile long measuredNs;

        PacedPingClient(final String remote, final int port, final long warmupNs, final long measureNs,
            final long intervalNs)
        {
            super("kernel-tcp-paced-ping", null, remote, port);
            this.warmupNs = warmupNs;
            this.measureNs = measureNs;
            this.intervalNs = intervalNs;
        }

        @Override
        protected void serve(final SocketChannel ch) throws IOException
        {
            final ByteBuffer out = ByteBuffer.allocateDirect(Scenarios.PING_PAYLOAD);
            final ByteBuffer in = ByteBuffer.allocateDirect(Scenarios.PING_PAYLOAD);
            final long measureFrom = System.nanoTime() + warmupNs;
            final long measureUntil = measureFrom + measureNs;
            long measuredFrom = 0;
            // bounded: one request per interval until the window ends (running() also stops it)
            while (running())
            {
                final long sentNs = System.nanoTime();
                if (sentNs >= measureUntil)
                {
                    break;
                }
                out.clear();
                while (out.hasRemaining())
                {
                    ch.write(out);
                }
                in.clear();
                while (in.hasRemaining())
                {
                    if (ch.read(in) < 0)
                    {
                        throw new EOFException("echo server closed the connection");
                    }
                }
                final long doneNs = System.nanoTime();
                if (sentNs >= measureFrom)
                {
                    if (measuredFrom == 0)
                    {
                        measuredFrom = sentNs;
                    }
                    rtt.recordValue(Math.min(doneNs - sentNs, rtt.getHighestTrackableValue()));
                    units = rtt.getTotalCount();
                    measuredNs = doneNs - measuredFrom;
                }
                LockSupport.parkNanos(intervalNs);
            }
        }
    }

    /**
     * sockperf ping-pong over TCP, 32-byte messages: its server ({@code sr}) in the namespace of the far end, killed
     * after the run (bounded by a timeout whatever happens), its client ({@code pp}) in the lab namespace. Its
     * figures are half the round trip, in microseconds.
     */
    private static Map<Metric, Double> sockperf(final Lab lab, final BenchMode mode, final Path path) throws Exception
    {
        final CommandResult probe = lab.lab().exec("sh", "-c", "command -v sockperf");
        if (!probe.ok())
        {
            throw new IllegalStateException("sockperf not installed (apt-get install sockperf)");
        }
        final NetworkNamespace serverNs = path == Path.LO ? lab.lab() : lab.peer();
        final String address = path == Path.LO ? LOOPBACK : Lab.VETH_PEER_ADDRESS;
        if (path == Path.LO)
        {
            lab.lab().linkUp("lo");
        }
        final long seconds = Math.max(1, (mode.warmupMs() + mode.measureMs()) / 1000);
        final long serverMs = seconds * 1000 + 8_000;
        // our own process, ended by its handle (ip netns exec becomes sockperf: one PID) and bounded by its timeout
        final Process server = new ProcessBuilder("timeout", Long.toString(serverMs / 1000), "ip", "netns", "exec",
            serverNs.name(), "sockperf", "sr", "--tcp", "-i", address, "-p", Integer.toString(SOCKPERF_PORT))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            Thread.sleep(500); // the server binds
            final CommandResult result = lab.lab().execWithTimeout(seconds * 1000 + 5_000, "sockperf", "pp",
                "--tcp", "-i", address, "-p", Integer.toString(SOCKPERF_PORT), "-m", "32", "-t",
                Long.toString(seconds));
            final double p50 = percentile(result.output(), "50.000");
            final double p99 = percentile(result.output(), "99.000");
            final double p999 = percentile(result.output(), "99.900");
            if (Double.isNaN(p50))
            {
                throw new IllegalStateException("no sockperf figures: " + tail(result.output()));
            }
            final Map<Metric, Double> m = new EnumMap<>(Metric.class);
            m.put(Metric.LATENCY_P50_NS, p50 * 1000);
            m.put(Metric.LATENCY_P99_NS, p99 * 1000);
            if (!Double.isNaN(p999))
            {
                m.put(Metric.LATENCY_P999_NS, p999 * 1000);
            }
            return m;
        }
        finally
        {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            server.waitFor(serverMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static double percentile(final String output, final String which)
    {
        final Matcher m = Pattern.compile("percentile " + Pattern.quote(which) + " =\\s+([0-9.]+)").matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String tail(final String text)
    {
        return text.length() <= 300 ? text : text.substring(text.length() - 300);
    }

    /**
     * A server engine and a client engine probing every millisecond; idle: no bandwidth test, over the window;
     * loaded: bandwidth tests of half the window each way, the probes during them. A first pair of engines runs the
     * warm-up and is thrown away, so the measured pair runs compiled code from its first probe (a snapshot's
     * percentiles are over the connection's whole life, warm-up included).
     */
    private static Map<Metric, Double> conntest(final Lab lab, final BenchMode mode, final Path path,
        final boolean loaded, final boolean busyPoll) throws Exception
    {
        conntestOnce(lab, mode, path, loaded, busyPoll, mode.warmupMs() * 1_000_000L);
        return conntestOnce(lab, mode, path, loaded, busyPoll, 0);
    }

    /** One pair of engines; {@code warmupNs} > 0: run that long and return nothing. */
    private static Map<Metric, Double> conntestOnce(final Lab lab, final BenchMode mode, final Path path,
        final boolean loaded, final boolean busyPoll, final long warmupNs) throws Exception
    {
        if (path == Path.LO)
        {
            lab.lab().linkUp("lo");
        }
        final String serverHost = path == Path.LO ? LOOPBACK : path == Path.VETH ? Lab.VETH_PEER_ADDRESS :
            Ipv4Address.toString(Lab.KERNEL_ADDRESS);
        final NetworkNamespace serverNs = path == Path.VETH ? lab.peer() : lab.lab();
        final long windowNs = mode.measureMs() * 1_000_000L;
        ConnectSpec spec = ConnectSpec.of(TransportProtocol.TCP, serverHost, PORT)
            .withLatencyInterval(PROBE_INTERVAL_NS);
        if (loaded)
        {
            spec = spec.withBandwidth(ConnectSpec.DEFAULT_TCP_PACKET_SIZE, 0, windowNs / 2);
        }
        final EngineConfig serverConfig = EngineConfig.builder("lat-server")
            .listen(new ListenSpec(TransportProtocol.TCP, serverHost, PORT)).busyPoll(busyPoll).build();
        final EngineConfig clientConfig = EngineConfig.builder("lat-client").connect(spec).busyPoll(busyPoll)
            .build();
        Engine server = null;
        Engine client = null;
        TapDevice device = null;
        try
        {
            server = serverNs.call(() -> Engine.start(serverConfig, new KernelTransport(), QUIET));
            if (path == Path.TAP)
            {
                device = lab.openTap(Lab.STACK_TAP);
                final Transport transport = new StackTransport(device, StackLoadThread.interfaceConfig());
                client = Engine.start(clientConfig, transport, QUIET);
            }
            else
            {
                client = lab.lab().call(() -> Engine.start(clientConfig, new KernelTransport(), QUIET));
            }
            final long startNs = System.nanoTime();
            if (warmupNs > 0)
            {
                Thread.sleep(warmupNs / 1_000_000L);
                return null;
            }
            final long endNs = startNs + windowNs;
            final long deadlineNs = endNs + 2 * windowNs + 15_000_000_000L;
            ConnectionSnapshot c = null;
            while (System.nanoTime() < deadlineNs)
            {
                Thread.sleep(50);
                final List<ConnectionSnapshot> connections = client.snapshot().connections();
                c = connections.isEmpty() ? null : connections.get(0);
                final boolean done = loaded ? c != null && c.bandwidthTests() >= 2 : System.nanoTime() >= endNs;
                if (done)
                {
                    break;
                }
            }
            if (c == null)
            {
                throw new IllegalStateException("no connection");
            }
            final long samples = loaded ? c.latencyLoadedSamples() : c.latencySamples();
            final long p50 = loaded ? c.latencyLoadedP50Ns() : c.latencyP50Ns();
            final long p99 = loaded ? c.latencyLoadedP99Ns() : c.latencyP99Ns();
            if (samples < 10 || p50 <= 0)
            {
                throw new IllegalStateException("too few latency samples (" + samples + "): " + c);
            }
            final Map<Metric, Double> m = new EnumMap<>(Metric.class);
            m.put(Metric.LATENCY_P50_NS, (double)p50);
            m.put(Metric.LATENCY_P99_NS, (double)p99);
            m.put(Metric.ROUND_TRIPS_PER_S, samples / ((System.nanoTime() - startNs) / 1e9));
            if (loaded && c.bandwidthUpAvgBps() > 0)
            {
                m.put(Metric.GOODPUT_BPS, (double)c.bandwidthUpAvgBps());
            }
            return m;
        }
        finally
        {
            if (client != null)
            {
                client.close();
            }
            if (server != null)
            {
                server.close();
            }
            if (device != null)
            {
                device.close();
            }
        }
    }
}
