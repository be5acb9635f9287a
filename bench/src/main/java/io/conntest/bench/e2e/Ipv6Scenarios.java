package io.conntest.bench.e2e;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

import io.conntest.bench.report.Metric;
import io.conntest.core.transport.stack.StackHost;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.CommandResult;

/**
 * The stack's IPv6 beside its IPv4 in the same run (issue 13): the same TCP source, discard and echo services reached
 * by the kernel at {@link #STACK6} instead of {@link Lab#STACK_ADDRESS} (the bridge has {@link #KERNEL6}, without
 * DAD), and the kernel's {@code ping} and {@code ping -6} to the stack. Plain TAP (no offloads: the stack's IPv6 sends
 * plain frames). The stack's address is configured and passes DAD (up to 2 s) before the load starts.
 */
final class Ipv6Scenarios
{
    static final String KERNEL6 = "fd00:77::1";
    static final String STACK6 = "fd00:77::2";
    static final int PREFIX6 = 64;
    /** Echo requests per ping run, one every 2 ms. */
    private static final int PINGS = 500;
    private static final Pattern TIME = Pattern.compile("time=([0-9.]+) ms");

    private Ipv6Scenarios()
    {
    }

    static List<Scenarios.Scenario> all()
    {
        return List.of(
            new Scenarios.Scenario("tcp6-stack-tx", "TCP over IPv6: stack source → kernel socket over TAP",
                (lab, mode) -> TcpScenarios.stackTx(lab, mode, OffloadMode.NONE, true)),
            new Scenarios.Scenario("tcp6-stack-rx", "TCP over IPv6: kernel socket → stack discard over TAP",
                (lab, mode) -> TcpScenarios.stackRx(lab, mode, OffloadMode.NONE, true)),
            new Scenarios.Scenario("tcp6-rr-stack", "TCP over IPv6: request/response 32 B kernel → stack echo",
                (lab, mode) -> TcpScenarios.rrStack(lab, mode, true)),
            new Scenarios.Scenario("ping-stack", "ping (ICMP echo, 56 B) kernel → stack over TAP",
                (lab, mode) -> ping(lab, false)),
            new Scenarios.Scenario("ping6-stack", "ping -6 (ICMPv6 echo, 56 B) kernel → stack over TAP",
                (lab, mode) -> ping(lab, true)));
    }

    /**
     * A workload reached over IPv6: the stack's address is added before its first poll, and {@link #ready()} says
     * when DAD has passed (read from the scenario's thread).
     */
    static final class OverIpv6 implements StackLoadThread.Workload
    {
        private final StackLoadThread.Workload inner;
        private StackHost host;
        private volatile boolean ready;

        OverIpv6(final StackLoadThread.Workload inner)
        {
            this.inner = inner;
        }

        @Override
        public void start(final StackHost host)
        {
            this.host = host;
            final long[] address = Ipv6Address.parse(STACK6);
            host.stack().iface().ipv6().addStaticAddress(address[0], address[1], PREFIX6);
            inner.start(host);
        }

        @Override
        public boolean onLoop(final long nowNs)
        {
            if (!ready && host.stack().iface().ipv6().globalAddress() != null)
            {
                ready = true;
            }
            return inner.onLoop(nowNs);
        }

        @Override
        public long units()
        {
            return inner.units();
        }

        @Override
        public long bytes()
        {
            return inner.bytes();
        }

        /** Waits (at most 5 s) for DAD to pass. */
        void awaitReady()
        {
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (!ready)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("the stack's " + STACK6 + " did not pass DAD in 5 s");
                }
                Scenarios.sleep(10);
            }
        }
    }

    /** The kernel's address for the stack in one family, as text. */
    static String stackAddress(final boolean ipv6)
    {
        return ipv6 ? STACK6 : Ipv4Address.toString(Lab.STACK_ADDRESS);
    }

    /** Wraps {@code workload} for IPv6, or returns it as it is. */
    static StackLoadThread.Workload family(final StackLoadThread.Workload workload, final boolean ipv6)
    {
        return ipv6 ? new OverIpv6(workload) : workload;
    }

    /** After the stack's thread started: waits for its IPv6 address when the workload is reached over IPv6. */
    static void awaitAddress(final StackLoadThread.Workload workload)
    {
        if (workload instanceof OverIpv6 v6)
        {
            v6.awaitReady();
        }
    }

    /**
     * The kernel's {@code ping} (iputils) to the stack, {@link #PINGS} requests 2 ms apart: each reply's time, as
     * RTT/2 percentiles like the other latency rows (ping prints microseconds below 1 ms); lost ones counted.
     */
    static Map<Metric, Double> ping(final Lab lab, final boolean ipv6)
    {
        final TapDevice tap = lab.openTap(Lab.STACK_TAP);
        final StackLoadThread.Workload workload = family(new Workloads.Tcp("echo", TcpScenarios.ECHO_PORT), ipv6);
        final StackLoadThread stack = new StackLoadThread(tap, workload);
        try
        {
            stack.start(null, 60_000_000_000L);
            awaitAddress(workload);
            lab.lab().exec("ping", ipv6 ? "-6" : "-4", "-n", "-q", "-c", "5", "-i", "0.01", stackAddress(ipv6));
            final long t0 = System.nanoTime();
            final CommandResult result = lab.lab().execWithTimeout(30_000, "ping", ipv6 ? "-6" : "-4", "-n", "-c",
                String.valueOf(PINGS), "-i", "0.002", "-W", "1", stackAddress(ipv6));
            final long measuredNs = System.nanoTime() - t0;
            final Histogram rtt = new Histogram(3);
            final Matcher m = TIME.matcher(result.output());
            while (m.find())
            {
                rtt.recordValue(Math.round(Double.parseDouble(m.group(1)) * 1_000_000));
            }
            stack.checkFailure();
            final Map<Metric, Double> metrics = new EnumMap<>(Scenarios.latency(rtt, measuredNs,
                PINGS - rtt.getTotalCount()));
            return metrics;
        }
        finally
        {
            stack.stop();
            tap.close();
        }
    }
}
