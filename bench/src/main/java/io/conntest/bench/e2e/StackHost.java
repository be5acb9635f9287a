package io.conntest.bench.e2e;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.tap.TapDevice;

/**
 * The userspace stack on a TAP, run as the conntest {@code tap} instance runs it: one thread, poll, and when
 * nothing happened sleep in {@code ppoll(2)} until the next deadline (at most 100 ms here, so a stop is prompt).
 * A {@link Workload} sets up services or sockets and may add work on every turn of the loop.
 */
public final class StackHost extends LoadThread
{
    /** The stack's fixed MAC, so the kernel's neighbour entry stays valid from one run to the next. */
    public static final long MAC = 0x02_00_00_77_00_02L;
    /** The longest sleep between two checks of the stop flag. */
    private static final long MAX_WAIT_NS = 100_000_000L;

    /** What the stack does in a scenario. Runs on the stack's thread. */
    public interface Workload
    {
        /** Opens sockets or services on the new stack. */
        void start(NetworkStack stack);

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
    private NetworkStack stack;

    public StackHost(final TapDevice tap, final Workload workload)
    {
        super("stack");
        this.tap = tap;
        this.workload = workload;
    }

    @Override
    protected void run()
    {
        stack = new NetworkStack(tap, InterfaceConfig.builder(Lab.STACK_ADDRESS, Lab.PREFIX).mac(MAC).seed(7)
            .build());
        workload.start(stack);
        ready();
        int turns = 0;
        while (running())
        {
            final long nowNs = System.nanoTime();
            final boolean more = workload.onLoop(nowNs);
            final boolean worked = stack.poll(nowNs);
            if ((++turns & 15) == 0 || !worked)
            {
                units = workload.units();
                bytes = workload.bytes();
            }
            if (!worked && !more)
            {
                final long waitNs = Math.min(stack.pollAtNs(nowNs) - nowNs, MAX_WAIT_NS);
                tap.awaitReceive(waitNs);
            }
        }
        units = workload.units();
        bytes = workload.bytes();
    }

    /** The stack, for reading its counters after the thread ended. */
    public NetworkStack stack()
    {
        return stack;
    }
}
