package io.conntest.bench.e2e;

import io.conntest.bench.report.Metric;
import io.conntest.stack.tcp.TcpStats;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;

import java.util.Map;

/**
 * TCP, one flow: the stack's source/discard/echo services (the issue's {@code tcp:7?service=...}) against plain
 * kernel sockets over the TAP, and the same Java kernel-socket code between the two namespaces over the veth
 * pair as the kernel ↔ kernel reference measured in the same run.
 */
final class TcpScenarios
{
    static final int DISCARD_PORT = 9;
    static final int SOURCE_PORT = 19;
    static final int ECHO_PORT = 7;
    static final int VETH_PORT = 5001;

    private TcpScenarios()
    {
    }

    static Map<Metric, Double> kernelVeth(final Lab lab, final BenchMode mode)
    {
        final KernelTcp.Reader reader = new KernelTcp.Reader(Lab.VETH_PEER_ADDRESS, null, VETH_PORT);
        final KernelTcp.Writer writer = new KernelTcp.Writer(null, Lab.VETH_PEER_ADDRESS, VETH_PORT);
        try
        {
            reader.start(lab.peer(), mode.maxLoadNs());
            writer.start(lab.lab(), mode.maxLoadNs());
            final LoadThread.Sample[] d = Scenarios.window(mode, writer, reader);
            return withoutFrameRate(Scenarios.throughput(d[1], d[0], d[1]));
        }
        finally
        {
            writer.stop();
            reader.stop();
        }
    }

    static Map<Metric, Double> stackTx(final Lab lab, final BenchMode mode)
    {
        return stackTx(lab, mode, OffloadMode.NONE);
    }

    /** The stack's TCP source to a kernel socket, on a TAP opened in {@code offload} mode. */
    static Map<Metric, Double> stackTx(final Lab lab, final BenchMode mode, final OffloadMode offload)
    {
        return stackTx(lab, mode, offload, false);
    }

    /** As above, the kernel reaching the stack over IPv6 when {@code ipv6} ({@link Ipv6Scenarios}). */
    static Map<Metric, Double> stackTx(final Lab lab, final BenchMode mode, final OffloadMode offload,
        final boolean ipv6)
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP, offload);
        if (offload == OffloadMode.AUTO)
        {
            Scenarios.requireTso(tap);
        }
        final Workloads.Tcp source = new Workloads.Tcp("source", SOURCE_PORT);
        final StackLoadThread.Workload workload = Ipv6Scenarios.family(source, ipv6);
        final StackLoadThread stack = new StackLoadThread(tap, workload);
        final KernelTcp.Reader reader = new KernelTcp.Reader(null, Ipv6Scenarios.stackAddress(ipv6), SOURCE_PORT);
        try
        {
            stack.start(null, mode.maxLoadNs());
            Ipv6Scenarios.awaitAddress(workload);
            reader.start(lab.lab(), mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.STACK_TAP);
            final LoadThread.Sample[] d = Scenarios.window(mode, drops, stack, reader);
            final Map<Metric, Double> m = drops.addTo(withoutFrameRate(Scenarios.throughput(d[1], d[0], d[1])));
            stack.stop(); // the sender's figures are read on this thread, after its own has ended
            final TcpStats stats = source.lastConnectionStats();
            if (stats != null && stats.segmentsOut > 0)
            {
                // payload per send to the device over the whole run (with offloads nearly every byte leaves in a
                // super-segment; without, one MSS each): a slow run with small sends is window- or cwnd-bound
                final long sends = stats.superSegmentsOut > 0 ? stats.superSegmentsOut : stats.segmentsOut;
                m.put(Metric.SEGMENT_BYTES, (double)stats.bytesOut / sends);
                m.put(Metric.CWND_BYTES, (double)stats.cwnd);
                m.put(Metric.RETRANSMISSIONS, (double)stats.retransmissions);
            }
            return m;
        }
        finally
        {
            reader.stop();
            stack.stop();
            tap.close();
        }
    }

    static Map<Metric, Double> stackRx(final Lab lab, final BenchMode mode)
    {
        return stackRx(lab, mode, OffloadMode.NONE);
    }

    /** A kernel socket to the stack's TCP discard service, on a TAP opened in {@code offload} mode. */
    static Map<Metric, Double> stackRx(final Lab lab, final BenchMode mode, final OffloadMode offload)
    {
        return stackRx(lab, mode, offload, false);
    }

    /** As above, the kernel reaching the stack over IPv6 when {@code ipv6}. */
    static Map<Metric, Double> stackRx(final Lab lab, final BenchMode mode, final OffloadMode offload,
        final boolean ipv6)
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP, offload);
        if (offload == OffloadMode.AUTO)
        {
            Scenarios.requireTso(tap);
        }
        final StackLoadThread.Workload workload = Ipv6Scenarios.family(new Workloads.Tcp("discard", DISCARD_PORT),
            ipv6);
        final StackLoadThread stack = new StackLoadThread(tap, workload);
        final KernelTcp.Writer writer = new KernelTcp.Writer(null, Ipv6Scenarios.stackAddress(ipv6), DISCARD_PORT);
        try
        {
            stack.start(null, mode.maxLoadNs());
            Ipv6Scenarios.awaitAddress(workload);
            writer.start(lab.lab(), mode.maxLoadNs());
            final TapDrops drops = TapDrops.of(lab, Lab.STACK_TAP);
            final LoadThread.Sample[] d = Scenarios.window(mode, drops, stack, writer);
            return drops.addTo(withoutFrameRate(Scenarios.throughput(d[0], d[0], d[1])));
        }
        finally
        {
            writer.stop();
            stack.stop();
            tap.close();
        }
    }

    static Map<Metric, Double> rrKernel(final Lab lab, final BenchMode mode)
    {
        final KernelTcp.Echo echo = new KernelTcp.Echo(Lab.VETH_PEER_ADDRESS, ECHO_PORT);
        try
        {
            echo.start(lab.peer(), mode.maxLoadNs());
            return ping(lab, mode, Lab.VETH_PEER_ADDRESS, echo);
        }
        finally
        {
            echo.stop();
        }
    }

    static Map<Metric, Double> rrStack(final Lab lab, final BenchMode mode)
    {
        return rrStack(lab, mode, false);
    }

    /** As above, over IPv6 when {@code ipv6}. */
    static Map<Metric, Double> rrStack(final Lab lab, final BenchMode mode, final boolean ipv6)
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP);
        final StackLoadThread.Workload workload = Ipv6Scenarios.family(new Workloads.Tcp("echo", ECHO_PORT), ipv6);
        final StackLoadThread stack = new StackLoadThread(tap, workload);
        try
        {
            stack.start(null, mode.maxLoadNs());
            Ipv6Scenarios.awaitAddress(workload);
            return ping(lab, mode, Ipv6Scenarios.stackAddress(ipv6), stack);
        }
        finally
        {
            stack.stop();
            tap.close();
        }
    }

    /** A TCP stream has no message count the threads see (reads and writes are not segments). */
    private static Map<Metric, Double> withoutFrameRate(final Map<Metric, Double> metrics)
    {
        metrics.remove(Metric.FRAMES_PER_S);
        return metrics;
    }

    private static Map<Metric, Double> ping(final Lab lab, final BenchMode mode, final String address,
        final LoadThread server)
    {
        final KernelTcp.PingClient client = new KernelTcp.PingClient(address, ECHO_PORT, Scenarios.PING_PAYLOAD,
            mode.warmupMs() * 1_000_000L, mode.measureMs() * 1_000_000L, 10_000_000L);
        client.start(lab.lab(), mode.maxLoadNs());
        client.join(mode.maxLoadNs() / 1_000_000L);
        client.stop();
        client.checkFailure();
        server.checkFailure();
        return Scenarios.latency(client.rttNs(), client.measuredNs(), Double.NaN);
    }
}
