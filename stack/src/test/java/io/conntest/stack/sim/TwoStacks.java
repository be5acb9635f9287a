package io.conntest.stack.sim;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.Ipv4Address;

import java.util.function.BooleanSupplier;

/**
 * Two stacks, A (10.0.0.1) and B (10.0.0.2), joined by an in-memory cable, optionally impaired by a seeded
 * {@link FaultInjectingDevice} on A's side (both directions), stepped in turn on a manual clock.
 */
public final class TwoStacks
{
    public static final int ADDR_A = Ipv4Address.parse("10.0.0.1");
    public static final int ADDR_B = Ipv4Address.parse("10.0.0.2");
    public static final long STEP_NS = 10_000;

    public final ManualClock clock = new ManualClock(1_000_000_000L);
    public final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 4096);
    public final FaultInjectingDevice faults;
    public final NetworkStack a;
    public final NetworkStack b;
    private long steps;

    public TwoStacks()
    {
        this(FaultConfig.none(), 1);
    }

    public TwoStacks(final FaultConfig faultConfig, final long seed)
    {
        FrameDevice devA = pair.a();
        if (!faultConfig.isNone())
        {
            faults = FaultInjectingDevice.symmetric(pair.a(), faultConfig, seed, clock::nowNs);
            devA = faults;
        }
        else
        {
            faults = null;
        }
        a = new NetworkStack(devA, InterfaceConfig.builder(ADDR_A, 24).seed(seed).build());
        b = new NetworkStack(pair.b(), InterfaceConfig.builder(ADDR_B, 24).seed(seed + 1).build());
    }

    /** Polls both stacks once, then moves the clock: by one step when busy, to the next deadline when idle. */
    public void step()
    {
        final long now = clock.nowNs();
        final boolean busyA = a.poll(now);
        final boolean busyB = b.poll(now);
        steps++;
        if (busyA || busyB)
        {
            clock.advanceNs(STEP_NS);
            return;
        }
        long next = Math.min(a.pollAtNs(now), b.pollAtNs(now));
        if (faults != null)
        {
            next = Math.min(next, faults.nextDeadlineNs());
        }
        clock.setNs(Math.max(now + STEP_NS, Math.min(next, now + 1_000_000_000L)));
    }

    /** Steps until {@code done} or {@code maxSimNs} of simulated time passed; returns {@code done}'s last answer. */
    public boolean runUntil(final BooleanSupplier done, final long maxSimNs)
    {
        final long end = clock.nowNs() + maxSimNs;
        while (!done.getAsBoolean())
        {
            if (clock.nowNs() > end)
            {
                return false;
            }
            step();
        }
        return true;
    }

    /** Runs for {@code simNs} of simulated time. */
    public void runFor(final long simNs)
    {
        final long end = clock.nowNs() + simNs;
        while (clock.nowNs() < end)
        {
            step();
        }
    }

    public long steps()
    {
        return steps;
    }
}
