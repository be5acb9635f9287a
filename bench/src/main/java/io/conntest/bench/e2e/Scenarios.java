package io.conntest.bench.e2e;

import io.conntest.bench.report.Metric;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios of the end-to-end bench. Each run builds its threads, lets them warm up, samples their counters
 * and CPU time over the measurement window, stops them and returns its metrics. Throughput is UDP or TCP payload
 * (goodput); CPU is the thread time of each side per 10^9 payload bytes.
 */
public final class Scenarios
{
    /** The UDP port of every sink (kernel socket, pump counter, stack discard service). */
    public static final int SINK_PORT = 9_000;
    static final int ECHO_PORT = 7;
    /** A UDP port no socket is bound to in the lab. */
    static final int NO_SOCKET_PORT = 9_009;
    /** The TCP port the vnet-header pump answers on. */
    static final int VNET_PUMP_PORT = 9_010;
    static final int PING_PAYLOAD = 32;
    private static final long MAX_DATAGRAMS = 100_000_000L;

    /** One scenario: an id, a title, and how to run it once. */
    public record Scenario(String id, String title, Run run)
    {
    }

    /** Runs a scenario once in the lab. */
    @FunctionalInterface
    public interface Run
    {
        Map<Metric, Double> run(Lab lab, BenchMode mode) throws Exception;
    }

    private Scenarios()
    {
    }

    /**
     * Every scenario, ceilings and references first, then what the issues' targets compare (TCP both modes, conntest
     * TCP), then UDP, latency and the rest: when the time budget runs out on a loaded machine, the last are skipped.
     */
    public static List<Scenario> all()
    {
        final List<Scenario> all = new java.util.ArrayList<>(List.of(
            new Scenario("pump-tx", "raw TAP pump → kernel UDP socket (ceiling)", Scenarios::pumpTx),
            new Scenario("pump-rx", "kernel UDP socket → raw TAP pump (ceiling)", Scenarios::pumpRx),
            new Scenario("vnet-pump-tx", "vnet-header pump, 64 KB TSO frames → kernel TCP socket (ceiling)",
                Scenarios::vnetPumpTx),
            new Scenario("vnet-pump-rx", "kernel TCP socket → vnet-header pump, coalesced segments (ceiling)",
                Scenarios::vnetPumpRx),
            new Scenario("tcp-pump-tx", "TCP-shaped pump, plain TAP, MTU frames → kernel TCP socket (ceiling)",
                (lab, mode) -> tcpPumpTx(lab, mode, OffloadMode.NONE)),
            new Scenario("tcp-pump-rx", "kernel TCP socket → TCP-shaped pump, plain TAP, MTU frames (ceiling)",
                (lab, mode) -> tcpPumpRx(lab, mode, OffloadMode.NONE)),
            new Scenario("iperf3-veth", "iperf3 TCP kernel → kernel over veth", (lab, mode) ->
                Iperf3.run(lab, mode.iperfSeconds(), false)),
            new Scenario("tcp-kernel-veth", "TCP kernel → kernel over veth (Java sockets)",
                TcpScenarios::kernelVeth),
            new Scenario("tcp-stack-tx", "TCP stack source → kernel socket over TAP", TcpScenarios::stackTx),
            new Scenario("tcp-stack-rx", "TCP kernel socket → stack discard over TAP", TcpScenarios::stackRx),
            new Scenario("tcp-stack-tx-vnet", "TCP stack source → kernel socket, TAP with offloads",
                (lab, mode) -> TcpScenarios.stackTx(lab, mode, OffloadMode.AUTO)),
            new Scenario("tcp-stack-rx-vnet", "TCP kernel socket → stack discard, TAP with offloads",
                (lab, mode) -> TcpScenarios.stackRx(lab, mode, OffloadMode.AUTO)),
            new Scenario("conntest-tcp-kernel", "conntest TCP kernel → kernel over veth (64 KB packets)",
                ConntestScenarios::kernelTcp),
            new Scenario("conntest-tcp-tap-tap-vnet", "conntest TCP tap → tap over the bridge with offloads",
                (lab, mode) -> ConntestScenarios.tapTapTcp(lab, mode, OffloadMode.AUTO)),
            new Scenario("conntest-tcp-tap", "conntest TCP tap → kernel over TAP (64 KB packets)",
                ConntestScenarios::tapTcp),
            new Scenario("conntest-tcp-tap-vnet", "conntest TCP tap → kernel over TAP with offloads",
                (lab, mode) -> ConntestScenarios.tapTcp(lab, mode, OffloadMode.AUTO)),
            new Scenario("conntest-tcp-tap-tap", "conntest TCP tap → tap over the bridge (64 KB packets)",
                (lab, mode) -> ConntestScenarios.tapTapTcp(lab, mode, OffloadMode.NONE)),
            new Scenario("udp-kernel-veth", "UDP 1472 B kernel → kernel over veth", Scenarios::udpKernelVeth),
            new Scenario("udp-stack-tx", "UDP 1472 B stack → kernel over TAP", Scenarios::udpStackTx),
            new Scenario("udp-stack-rx", "UDP 1472 B kernel → stack over TAP", Scenarios::udpStackRx),
            new Scenario("udp-stack-rx-vnet", "UDP 1472 B kernel → stack, TAP with offloads (USO)",
                (lab, mode) -> udpStackRx(lab, mode, OffloadMode.AUTO)),
            new Scenario("conntest-udp-kernel", "conntest reliable UDP, 1472 B datagrams, kernel → kernel over veth",
                ConntestScenarios::kernelUdp),
            new Scenario("conntest-udp-kernel-gso", "conntest reliable UDP, 1472 B datagrams, kernel → kernel, UDP GSO/GRO",
                (lab, mode) -> ConntestScenarios.kernelUdp(lab, mode, OffloadMode.AUTO)),
            new Scenario("conntest-udp-tap", "conntest reliable UDP, 1472 B datagrams, tap → kernel over TAP",
                ConntestScenarios::tapUdp),
            new Scenario("conntest-udp-tap-vnet", "conntest reliable UDP, 1472 B datagrams, tap → kernel, TAP with offloads",
                (lab, mode) -> ConntestScenarios.tapUdp(lab, mode, OffloadMode.AUTO)),
            new Scenario("conntest-udp-tap-tap", "conntest reliable UDP, 1472 B datagrams, tap → tap over the bridge",
                (lab, mode) -> ConntestScenarios.tapTapUdp(lab, mode, OffloadMode.NONE)),
            new Scenario("conntest-udp-tap-tap-vnet", "conntest reliable UDP, 1472 B datagrams, tap → tap, offloads",
                (lab, mode) -> ConntestScenarios.tapTapUdp(lab, mode, OffloadMode.AUTO)),
            new Scenario("tcp-rr-kernel", "TCP request/response 32 B kernel ↔ kernel over veth",
                TcpScenarios::rrKernel),
            new Scenario("tcp-rr-stack", "TCP request/response 32 B kernel → stack echo over TAP",
                TcpScenarios::rrStack),
            new Scenario("udp-echo-kernel", "UDP echo 32 B kernel ↔ kernel over veth", Scenarios::udpEchoKernel),
            new Scenario("udp-echo-stack", "UDP echo 32 B kernel → stack over TAP", Scenarios::udpEchoStack),
            new Scenario("pump-tx-ip", "raw TAP pump → kernel IP/UDP, no socket (ceiling)", Scenarios::pumpTxIp),
            new Scenario("idle-stack", "stack with echo service, no traffic", Scenarios::idleStack)));
        all.addAll(Ipv6Scenarios.all());
        return List.copyOf(all);
    }

    static Map<Metric, Double> pumpTx(final Lab lab, final BenchMode mode)
    {
        final TapDevice tap = lab.openTap(Lab.PUMP_TAP);
        final KernelUdp.Sink sink = new KernelUdp.Sink(Ipv4Address.toString(Lab.KERNEL_ADDRESS), SINK_PORT,
            Ipv4Address.toString(Lab.PUMP_ADDRESS));
        final FramePump.Transmitter pump = new FramePump.Transmitter(tap, lab.bridgeMac(), SINK_PORT,
            MAX_DATAGRAMS);
        try
        {
            sink.start(lab.lab(), mode.maxLoadNs());
            pump.start(null, mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.PUMP_TAP);
            final LoadThread.Sample[] d = window(mode, drops, pump, sink);
            return drops.addTo(throughput(d[1], d[0], d[1]));
        }
        finally
        {
            pump.stop();
            sink.stop();
            tap.close();
        }
    }

    /**
     * The pump towards a port with no socket: the kernel still bridges, checks the IP header and the UDP checksum
     * and looks the port up, then counts the datagram in Udp NoPorts (ICMP answers are rate-limited) — the
     * device's ceiling without the per-datagram socket delivery and read of {@link #pumpTx}. The kernel's work
     * runs in the pump's write(2), so "ours" CPU here is the whole cost.
     */
    static Map<Metric, Double> pumpTxIp(final Lab lab, final BenchMode mode)
    {
        final TapDevice tap = lab.openTap(Lab.PUMP_TAP);
        final FramePump.Transmitter pump = new FramePump.Transmitter(tap, lab.bridgeMac(), NO_SOCKET_PORT,
            MAX_DATAGRAMS);
        try
        {
            pump.start(null, mode.maxLoadNs());
            sleep(mode.warmupMs());
            final long before = udpNoPorts(lab);
            final LoadThread.Sample start = pump.sample();
            sleep(mode.measureMs());
            final long after = udpNoPorts(lab);
            final LoadThread.Sample d = pump.sample().minus(start);
            pump.checkFailure();
            final long delivered = after - before;
            final Map<Metric, Double> m = new EnumMap<>(Metric.class);
            m.put(Metric.GOODPUT_BPS, delivered * (double)FramePump.PAYLOAD * 8 / d.seconds());
            m.put(Metric.FRAMES_PER_S, delivered / d.seconds());
            m.put(Metric.CPU_S_PER_GB_OURS, d.cpuSecondsPerGigabyte(delivered * FramePump.PAYLOAD));
            return m;
        }
        finally
        {
            pump.stop();
            tap.close();
        }
    }

    /** The lab namespace's Udp NoPorts counter (/proc/net/snmp as seen from inside it). */
    static long udpNoPorts(final Lab lab)
    {
        final List<String> lines = lab.lab().call(() ->
            java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/net/snmp")));
        for (int i = 0; i + 1 < lines.size(); i++)
        {
            if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:"))
            {
                final List<String> names = List.of(lines.get(i).split("\\s+"));
                final String[] values = lines.get(i + 1).split("\\s+");
                return Long.parseLong(values[names.indexOf("NoPorts")]);
            }
        }
        throw new IllegalStateException("no Udp counters in /proc/net/snmp");
    }

    static Map<Metric, Double> pumpRx(final Lab lab, final BenchMode mode)
    {
        final TapDevice tap = lab.openTap(Lab.PUMP_TAP);
        final FramePump.Receiver pump = new FramePump.Receiver(tap);
        final GsoUdpSource source = new GsoUdpSource(Lab.KERNEL_ADDRESS, Lab.PUMP_ADDRESS, SINK_PORT,
            FramePump.PAYLOAD, MAX_DATAGRAMS);
        try
        {
            pump.start(null, mode.maxLoadNs());
            source.start(lab.lab(), mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.PUMP_TAP);
            final LoadThread.Sample[] d = window(mode, drops, pump, source);
            return drops.addTo(throughput(d[0], d[0], d[1]));
        }
        finally
        {
            source.stop();
            pump.stop();
            tap.close();
        }
    }

    /** The vnet-header pump sending 64 KB TSO frames to a kernel TCP socket that connected to it. */
    static Map<Metric, Double> vnetPumpTx(final Lab lab, final BenchMode mode)
    {
        return tcpPumpTx(lab, mode, OffloadMode.AUTO);
    }

    /** The TCP-shaped pump sending to a kernel TCP socket: 64 KB TSO frames with offloads, MTU frames without. */
    static Map<Metric, Double> tcpPumpTx(final Lab lab, final BenchMode mode, final OffloadMode offload)
    {
        final TapDevice tap = lab.openTap(Lab.PUMP_TAP, offload);
        if (offload != OffloadMode.NONE)
        {
            requireTso(tap);
        }
        final TcpPump.Transmitter pump = new TcpPump.Transmitter(tap, lab.bridgeMac(), VNET_PUMP_PORT);
        final KernelTcp.Reader reader = new KernelTcp.Reader(null, Ipv4Address.toString(Lab.PUMP_ADDRESS),
            VNET_PUMP_PORT);
        try
        {
            pump.start(null, mode.maxLoadNs());
            reader.start(lab.lab(), mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.PUMP_TAP);
            final LoadThread.Sample[] d = window(mode, drops, pump, reader);
            final Map<Metric, Double> m = throughput(d[1], d[0], d[1]);
            m.remove(Metric.FRAMES_PER_S); // the reader's reads, not frames
            return drops.addTo(m);
        }
        finally
        {
            reader.stop();
            pump.stop();
            tap.close();
        }
    }

    /** A kernel TCP socket sending to the vnet-header pump, which counts the kernel's 64 KB segments. */
    static Map<Metric, Double> vnetPumpRx(final Lab lab, final BenchMode mode)
    {
        return tcpPumpRx(lab, mode, OffloadMode.AUTO);
    }

    /** A kernel TCP socket sending to the TCP-shaped pump: the kernel's 64 KB segments with offloads, MTU without. */
    static Map<Metric, Double> tcpPumpRx(final Lab lab, final BenchMode mode, final OffloadMode offload)
    {
        final TapDevice tap = lab.openTap(Lab.PUMP_TAP, offload);
        if (offload != OffloadMode.NONE)
        {
            requireTso(tap);
        }
        final TcpPump.Receiver pump = new TcpPump.Receiver(tap, lab.bridgeMac(), VNET_PUMP_PORT);
        final KernelTcp.Writer writer = new KernelTcp.Writer(null, Ipv4Address.toString(Lab.PUMP_ADDRESS),
            VNET_PUMP_PORT);
        try
        {
            pump.start(null, mode.maxLoadNs());
            writer.start(lab.lab(), mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.PUMP_TAP);
            final LoadThread.Sample[] d = window(mode, drops, pump, writer);
            // kframe/s here counts super-frames (the kernel's coalesced segments), not wire frames.
            return drops.addTo(throughput(d[0], d[0], d[1]));
        }
        finally
        {
            writer.stop();
            pump.stop();
            tap.close();
        }
    }

    /** A vnet scenario on a kernel that refused TSO would measure the plain path under the vnet name. */
    static void requireTso(final TapDevice tap)
    {
        if (!io.conntest.stack.phy.Offloads.tcpSegmentation(tap.offloads()))
        {
            tap.close();
            throw new IllegalStateException("the kernel did not accept TSO on the TAP (offloads "
                + io.conntest.stack.phy.Offloads.describe(tap.offloads()) + ")");
        }
    }

    static Map<Metric, Double> udpKernelVeth(final Lab lab, final BenchMode mode)
    {
        final KernelUdp.Sink sink = new KernelUdp.Sink(Lab.VETH_PEER_ADDRESS, SINK_PORT, Lab.VETH_LAB_ADDRESS);
        final GsoUdpSource source = new GsoUdpSource(Lab.VETH_LAB_ADDRESS, Lab.VETH_PEER_ADDRESS, SINK_PORT,
            FramePump.PAYLOAD, MAX_DATAGRAMS);
        try
        {
            sink.start(lab.peer(), mode.maxLoadNs());
            source.start(lab.lab(), mode.maxLoadNs());
            final LoadThread.Sample[] d = window(mode, source, sink);
            return throughput(d[1], d[0], d[1]);
        }
        finally
        {
            source.stop();
            sink.stop();
        }
    }

    static Map<Metric, Double> udpStackTx(final Lab lab, final BenchMode mode)
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP);
        final KernelUdp.Sink sink = new KernelUdp.Sink(Ipv4Address.toString(Lab.KERNEL_ADDRESS), SINK_PORT,
            Ipv4Address.toString(Lab.STACK_ADDRESS));
        final StackLoadThread stack = new StackLoadThread(tap,
            new Workloads.UdpBlast(Lab.KERNEL_ADDRESS, SINK_PORT, FramePump.PAYLOAD));
        try
        {
            sink.start(lab.lab(), mode.maxLoadNs());
            stack.start(null, mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.STACK_TAP);
            final LoadThread.Sample[] d = window(mode, drops, stack, sink);
            return drops.addTo(throughput(d[1], d[0], d[1]));
        }
        finally
        {
            stack.stop();
            sink.stop();
            tap.close();
        }
    }

    static Map<Metric, Double> udpStackRx(final Lab lab, final BenchMode mode)
    {
        return udpStackRx(lab, mode, OffloadMode.NONE);
    }

    /**
     * The kernel's GSO sender to the stack's discard service; with offloads and USO negotiated each 64 KB write
     * reaches the stack as one super-datagram, split by its interface.
     */
    static Map<Metric, Double> udpStackRx(final Lab lab, final BenchMode mode, final OffloadMode offload)
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP, offload);
        final StackLoadThread stack = new StackLoadThread(tap, new Workloads.Discard(SINK_PORT));
        final GsoUdpSource source = new GsoUdpSource(Lab.KERNEL_ADDRESS, Lab.STACK_ADDRESS, SINK_PORT,
            FramePump.PAYLOAD, MAX_DATAGRAMS);
        try
        {
            stack.start(null, mode.maxLoadNs());
            source.start(lab.lab(), mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.STACK_TAP);
            final LoadThread.Sample[] d = window(mode, drops, stack, source);
            return drops.addTo(throughput(d[0], d[0], d[1]));
        }
        finally
        {
            source.stop();
            stack.stop();
            tap.close();
        }
    }

    static Map<Metric, Double> udpEchoKernel(final Lab lab, final BenchMode mode)
    {
        final KernelUdp.EchoServer server = new KernelUdp.EchoServer(Lab.VETH_PEER_ADDRESS, ECHO_PORT);
        try
        {
            server.start(lab.peer(), mode.maxLoadNs());
            return ping(lab, mode, Lab.VETH_PEER_ADDRESS, server);
        }
        finally
        {
            server.stop();
        }
    }

    static Map<Metric, Double> udpEchoStack(final Lab lab, final BenchMode mode)
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP);
        final StackLoadThread stack = new StackLoadThread(tap, new Workloads.Echo(ECHO_PORT));
        try
        {
            stack.start(null, mode.maxLoadNs());
            return ping(lab, mode, Ipv4Address.toString(Lab.STACK_ADDRESS), stack);
        }
        finally
        {
            stack.stop();
            tap.close();
        }
    }

    /** CPU use of an instance that has nothing to do: it should sleep in ppoll, not spin. */
    static Map<Metric, Double> idleStack(final Lab lab, final BenchMode mode) throws InterruptedException
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP);
        final StackLoadThread stack = new StackLoadThread(tap, new Workloads.Echo(ECHO_PORT));
        try
        {
            stack.start(null, mode.maxLoadNs());
            Thread.sleep(200);
            final LoadThread.Sample before = stack.sample();
            Thread.sleep(mode.measureMs());
            final LoadThread.Sample d = stack.sample().minus(before);
            stack.checkFailure();
            final Map<Metric, Double> m = new EnumMap<>(Metric.class);
            m.put(Metric.CPU_PERCENT_IDLE, 100.0 * d.cpuNs() / d.atNs());
            return m;
        }
        finally
        {
            stack.stop();
            tap.close();
        }
    }

    private static Map<Metric, Double> ping(final Lab lab, final BenchMode mode, final String address,
        final LoadThread server)
    {
        final KernelUdp.PingClient client = new KernelUdp.PingClient(address, ECHO_PORT, PING_PAYLOAD,
            mode.warmupMs() * 1_000_000L, mode.measureMs() * 1_000_000L, 10_000_000L);
        client.start(lab.lab(), mode.maxLoadNs());
        client.join(mode.maxLoadNs() / 1_000_000L);
        client.stop();
        client.checkFailure();
        server.checkFailure();
        return latency(client.rttNs(), client.measuredNs(), client.lost());
    }

    /** Round trips per second and latency as sockperf reports it (half the round trip); NaN lost: not counted. */
    static Map<Metric, Double> latency(final Histogram rtt, final long measuredNs, final double lost)
    {
        if (rtt.getTotalCount() == 0)
        {
            throw new IllegalStateException("no echo came back (" + lost + " lost)");
        }
        final Map<Metric, Double> m = new EnumMap<>(Metric.class);
        m.put(Metric.ROUND_TRIPS_PER_S, rtt.getTotalCount() / (measuredNs / 1e9));
        m.put(Metric.LATENCY_P50_NS, rtt.getValueAtPercentile(50) / 2.0);
        m.put(Metric.LATENCY_P99_NS, rtt.getValueAtPercentile(99) / 2.0);
        m.put(Metric.LATENCY_P999_NS, rtt.getValueAtPercentile(99.9) / 2.0);
        if (!Double.isNaN(lost))
        {
            m.put(Metric.LOST, lost);
        }
        return m;
    }

    /**
     * Lets {@code threads} warm up, then samples them over the measurement window; returns each one's delta.
     * Fails when any of them failed.
     */
    static LoadThread.Sample[] window(final BenchMode mode, final LoadThread... threads)
    {
        return window(mode, null, threads);
    }

    /** As {@link #window(BenchMode, LoadThread...)}, counting what the kernel dropped towards a TAP meanwhile. */
    static LoadThread.Sample[] window(final BenchMode mode, final TapDrops drops, final LoadThread... threads)
    {
        sleep(mode.warmupMs());
        if (drops != null)
        {
            drops.open();
        }
        final LoadThread.Sample[] before = new LoadThread.Sample[threads.length];
        for (int i = 0; i < threads.length; i++)
        {
            before[i] = threads[i].sample();
        }
        sleep(mode.measureMs());
        final LoadThread.Sample[] delta = new LoadThread.Sample[threads.length];
        for (int i = 0; i < threads.length; i++)
        {
            delta[i] = threads[i].sample().minus(before[i]);
        }
        if (drops != null)
        {
            drops.close(delta[0].seconds());
        }
        for (final LoadThread t : threads)
        {
            t.checkFailure();
            if (!t.isAlive())
            {
                throw new IllegalStateException("a load thread ended before the window closed");
            }
        }
        return delta;
    }

    /**
     * Goodput and frame rate as {@code receiver} counted them; CPU per GB of what the receiver got, for "ours"
     * (the stack or pump) and "peer" (the kernel-side thread).
     */
    static Map<Metric, Double> throughput(final LoadThread.Sample receiver, final LoadThread.Sample ours,
        final LoadThread.Sample peer)
    {
        final double seconds = receiver.seconds();
        final Map<Metric, Double> m = new EnumMap<>(Metric.class);
        m.put(Metric.GOODPUT_BPS, receiver.bytes() * 8 / seconds);
        m.put(Metric.FRAMES_PER_S, receiver.units() / seconds);
        m.put(Metric.CPU_S_PER_GB_OURS, ours.cpuSecondsPerGigabyte(receiver.bytes()));
        m.put(Metric.CPU_S_PER_GB_PEER, peer.cpuSecondsPerGigabyte(receiver.bytes()));
        return m;
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
