package io.conntest.bench.e2e;

import io.conntest.core.transport.stack.StackHost;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.tap.TapDevice;

/**
 * The userspace stack on a TAP, run as the conntest {@code tap} instance runs it: a {@link StackHost} (the one way a
 * stack is built) on one thread, poll, and when nothing happened wait in {@link StackHost#idle} until the next
 * deadline (at most 100 ms here, so a stop is prompt). A {@link Workload} sets up services or sockets and may add
 * work on every turn of the loop.
 */
public final class StackLoadThread extends LoadThread
{
    /** The stack's fixed MAC, so the kernel's neighbour entry stays valid from one run to the next. */
    public static final long MAC = 0x02_00_00_77_00_02L;
    /** The longest sleep between two checks of the stop flag. */
    private static final long MAX_WAIT_NS = 100_000_000L;

    /** What the stack does in a scenario. Runs on the stack's thread. */
    public interface Workload
    {
        /** Opens sockets or services on the new stack. */
        void start(StackHost host);

        /**
         * Called before every poll; may queue data.
         *
         * @return whether it has more to do at once (then the loop does not sleep).
         */
        boolean onLoop(long nowNs);

        /** Messages moved so far (datagrams, round trips). */
        long units();

        /** Payload bytes moved so far. */
        long bytes();
    }

    private final TapDevice tap;
    private final Workload workload;
    private StackHost host;

    public StackLoadThread(final TapDevice tap, final Workload workload)
    {
        super("stack");
        this.tap = tap;
        this.workload = workload;
    }

    /** The interface configuration every bench scenario's stack has. */
    static InterfaceConfig interfaceConfig()
    {
        return InterfaceConfig.builder(Lab.STACK_ADDRESS, Lab.PREFIX).mac(MAC).seed(7).build();
    }

    @Override
    protected void run()
    {
        // Linux's RTO floor (200 ms) rather than RFC 6298's 1 s, as the interop tests run it; Nagle off as latency
        // probes use it.
        host = StackHost.builder(tap, interfaceConfig())
            .tcpConfig(new TcpConfig().minRtoNs(200_000_000L).noDelay(true))
            .build();
        workload.start(host);
        ready();
        int turns = 0;
        while (running())
        {
            final long nowNs = System.nanoTime();
            final boolean more = workload.onLoop(nowNs);
            final boolean worked = host.poll(nowNs);
            if ((++turns & 15) == 0 || !worked)
            {
                units = workload.units();
                bytes = workload.bytes();
            }
            if (!worked && !more)
            {
                host.idle(nowNs, Math.min(host.pollAtNs(nowNs), nowNs + MAX_WAIT_NS));
            }
        }
        units = workload.units();
        bytes = workload.bytes();
    }

    /** The stack host, for reading its counters after the thread ended. */
    public StackHost host()
    {
        return host;
    }
}
