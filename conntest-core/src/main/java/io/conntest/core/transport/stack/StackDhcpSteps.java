package io.conntest.core.transport.stack;

import io.conntest.core.transport.DhcpStep;
import io.conntest.stack.dhcp.DhcpLease;
import io.conntest.stack.dhcp.DhcpListener;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.MacAddress;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The stack's DHCP client's steps as {@link DhcpStep}s, kept until the engine takes them
 * ({@link io.conntest.core.transport.Transport#drainDhcpSteps}). Bounded: a client that took more than
 * {@link #CAPACITY} steps between two drains keeps the newest. Synchronised: the client reports on the stack's
 * thread, the waiting for a lease may read from another.
 */
final class StackDhcpSteps implements DhcpListener
{
    static final int CAPACITY = 64;

    private final ArrayDeque<DhcpStep> steps = new ArrayDeque<>();
    private final Consumer<DhcpStep> echo;

    /** @param echo also told every step at once (a log line), or null. */
    StackDhcpSteps(final Consumer<DhcpStep> echo)
    {
        this.echo = echo;
    }

    synchronized void drain(final Consumer<DhcpStep> sink)
    {
        DhcpStep step;
        while ((step = steps.poll()) != null)
        {
            sink.accept(step);
        }
    }

    private void add(final DhcpStep step)
    {
        synchronized (this)
        {
            if (steps.size() == CAPACITY)
            {
                steps.poll();
            }
            steps.add(step);
        }
        if (echo != null)
        {
            echo.accept(step);
        }
    }

    private static DhcpStep lease(final String step, final DhcpLease l)
    {
        return new DhcpStep(step, Ipv4Address.toString(l.address()), l.prefixLength(),
            l.gateway() == 0 ? null : Ipv4Address.toString(l.gateway()), List.of(l.dnsText()), l.mtu(), l.leaseSecs(),
            l.t1Secs(), l.t2Secs(), Ipv4Address.toString(l.server()), null);
    }

    @Override
    public void onOffer(final int address, final int server, final long nowNs)
    {
        add(new DhcpStep("offer", Ipv4Address.toString(address), -1, null, List.of(), 0, -1, -1, -1,
            Ipv4Address.toString(server), null));
    }

    @Override
    public void onBound(final DhcpLease lease, final long nowNs)
    {
        add(lease("bound", lease));
    }

    @Override
    public void onRenewing(final DhcpLease lease, final long nowNs)
    {
        add(lease("renewing", lease));
    }

    @Override
    public void onRenewed(final DhcpLease lease, final long nowNs)
    {
        add(lease("renewed", lease));
    }

    @Override
    public void onRebinding(final DhcpLease lease, final long nowNs)
    {
        add(lease("rebinding", lease));
    }

    @Override
    public void onExpired(final DhcpLease lease, final long nowNs)
    {
        add(lease("expired", lease));
    }

    @Override
    public void onNak(final int server, final long nowNs)
    {
        add(new DhcpStep("nak", null, -1, null, List.of(), 0, -1, -1, -1, Ipv4Address.toString(server), null));
    }

    @Override
    public void onDeclined(final int address, final long conflictMac, final long nowNs)
    {
        add(new DhcpStep("declined", Ipv4Address.toString(address), -1, null, List.of(), 0, -1, -1, -1, null,
            MacAddress.toString(conflictMac)));
    }
}
