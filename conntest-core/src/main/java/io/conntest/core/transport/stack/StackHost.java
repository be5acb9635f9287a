package io.conntest.core.transport.stack;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.tcp.TcpConfig;
import io.conntest.stack.tcp.TcpProtocol;

/**
 * One userspace stack on one device: a {@link NetworkStack} (Ethernet/ARP/IPv4/ICMP/UDP) with {@link TcpProtocol}
 * plugged in, shared by a {@link StackTransport} and a {@link StackPortProber} on the same thread.
 *
 * <p>Idle waiting and wake-up: {@link #idle} waits in the device's {@link FrameDevice#awaitReceive(long)} until the
 * next deadline. A TAP polls an eventfd beside its fd ({@link FrameDevice#canWakeUp()}), so {@link #wakeup()} (any
 * thread) ends the wait at once and an idle instance makes no system call until its next deadline. A device that
 * cannot be woken is waited on in slices of at most {@link #WAKEUP_SLICE_NS}, so a wake-up then takes at most one
 * slice.
 */
public final class StackHost implements AutoCloseable
{
    /** Longest single sleep in {@link #idle} on a device that cannot be woken: bounds {@link #wakeup()}'s delay. */
    public static final long WAKEUP_SLICE_NS = 10_000_000L;

    private final FrameDevice device;
    private final NetworkStack stack;
    private final TcpProtocol tcp;
    private final int address;
    private volatile boolean wakeRequested;
    private long lastNowNs;
    private volatile boolean closed;

    /** A stack with the default TCP configuration and a random TCP secret. */
    public StackHost(final FrameDevice device, final InterfaceConfig config)
    {
        this(device, config, new TcpConfig());
    }

    public StackHost(final FrameDevice device, final InterfaceConfig config, final TcpConfig tcpConfig)
    {
        this.device = device;
        this.stack = new NetworkStack(device, config);
        this.address = config.address();
        this.tcp = new TcpProtocol(tcpConfig, config.address(), config.seed() ^ 0x7CF1L, config.seed() * 31 + 7);
        // the interface's effective MTU (the config's 0 means the device's): a SYN that arrives before the first
        // dispatch tells TCP the MTU gets its MSS from this
        tcp.mtu(stack.iface().mtu());
        stack.addProtocol(tcp);
        this.lastNowNs = System.nanoTime();
    }

    public NetworkStack stack()
    {
        return stack;
    }

    public TcpProtocol tcp()
    {
        return tcp;
    }

    public FrameDevice device()
    {
        return device;
    }

    /** This interface's IPv4 address. */
    public int address()
    {
        return address;
    }

    /** The time of the last {@link #poll}. */
    public long nowNs()
    {
        return lastNowNs;
    }

    /** One turn of the stack (ingress, egress of every socket, timers); socket callbacks run inside. */
    public boolean poll(final long nowNs)
    {
        lastNowNs = nowNs;
        return !closed && stack.poll(nowNs);
    }

    /** When the stack needs polling again without a frame arriving. */
    public long pollAtNs(final long nowNs)
    {
        return closed ? Long.MAX_VALUE : stack.pollAtNs(nowNs);
    }

    /**
     * Sleeps until a frame may have arrived, {@code deadlineNs} or a {@link #wakeup()}, whichever comes first (and
     * at most one {@link #WAKEUP_SLICE_NS} slice on a device that cannot be woken).
     */
    public void idle(final long nowNs, final long deadlineNs)
    {
        if (wakeRequested)
        {
            wakeRequested = false;
            return;
        }
        if (closed || deadlineNs <= nowNs)
        {
            return;
        }
        final long waitNs = deadlineNs - nowNs;
        device.awaitReceive(device.canWakeUp() ? waitNs : Math.min(waitNs, WAKEUP_SLICE_NS));
    }

    /** Makes the current or next {@link #idle} return; safe from any thread. */
    public void wakeup()
    {
        wakeRequested = true;
        if (!closed)
        {
            device.wakeup();
        }
    }

    public boolean isClosed()
    {
        return closed;
    }

    /** Closes the device. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            stack.close();
        }
    }
}
