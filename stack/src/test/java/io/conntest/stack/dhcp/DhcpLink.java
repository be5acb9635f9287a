package io.conntest.stack.dhcp;

import io.conntest.stack.NetworkStack;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A stack with a DHCP client (MAC 02:00:00:00:00:02, no address) and a {@link ScriptedDhcpServer} on the other
 * end of an in-memory cable, stepped on a manual clock that jumps to the client's next deadline when idle. The
 * client's events are recorded as text lines.
 */
final class DhcpLink implements DhcpListener
{
    static final long CLIENT_MAC = 0x0200_0000_0002L;
    static final long SECOND = 1_000_000_000L;
    static final long START_NS = 1_000 * SECOND;

    final ManualClock clock = new ManualClock(START_NS);
    final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 256);
    final ScriptedDhcpServer server = new ScriptedDhcpServer(pair.a(), clock::nowNs);
    final NetworkStack stack;
    final DhcpClient client;
    final List<String> events = new ArrayList<>();
    final List<Long> eventTimes = new ArrayList<>();

    DhcpLink()
    {
        this(DhcpConfig.builder().seed(7));
    }

    DhcpLink(final DhcpConfig.Builder config)
    {
        stack = new NetworkStack(pair.b(), InterfaceConfig.unassigned().mac(CLIENT_MAC).seed(3).build());
        client = stack.startDhcp(config.build(), this);
    }

    /** Polls the client and the server once; moves the clock a little when busy, to the next deadline when idle. */
    void step()
    {
        final long now = clock.nowNs();
        final boolean busy = stack.poll(now);
        final int seenBefore = server.seen.size() + server.arps.size();
        server.poll();
        if (busy || server.seen.size() + server.arps.size() != seenBefore)
        {
            clock.advanceNs(10_000);
            return;
        }
        final long next = stack.pollAtNs(now);
        clock.setNs(Math.max(now + 10_000, next));
    }

    boolean runUntil(final BooleanSupplier done, final long maxSimNs)
    {
        final long end = clock.nowNs() + maxSimNs;
        for (int i = 0; i < 1_000_000 && !done.getAsBoolean(); i++)
        {
            if (clock.nowNs() > end)
            {
                return false;
            }
            step();
        }
        return done.getAsBoolean();
    }

    /** Runs until the simulated time is {@code untilNs}, without stepping past it. */
    void runTo(final long untilNs)
    {
        while (clock.nowNs() < untilNs)
        {
            final long now = clock.nowNs();
            final boolean busy = stack.poll(now);
            server.poll();
            final long next = busy ? now + 10_000 : Math.max(now + 10_000, stack.pollAtNs(now));
            clock.setNs(Math.min(next, untilNs));
        }
        stack.poll(clock.nowNs());
        server.poll();
    }

    long seconds()
    {
        return (clock.nowNs() - START_NS) / SECOND;
    }

    private void event(final String text, final long nowNs)
    {
        events.add(text);
        eventTimes.add(nowNs);
    }

    @Override
    public void onOffer(final int address, final int server, final long nowNs)
    {
        event("offer " + Ipv4Address.toString(address) + " from " + Ipv4Address.toString(server), nowNs);
    }

    @Override
    public void onBound(final DhcpLease lease, final long nowNs)
    {
        event("bound " + lease, nowNs);
    }

    @Override
    public void onRenewing(final DhcpLease lease, final long nowNs)
    {
        event("renewing", nowNs);
    }

    @Override
    public void onRenewed(final DhcpLease lease, final long nowNs)
    {
        event("renewed " + lease, nowNs);
    }

    @Override
    public void onRebinding(final DhcpLease lease, final long nowNs)
    {
        event("rebinding", nowNs);
    }

    @Override
    public void onExpired(final DhcpLease lease, final long nowNs)
    {
        event("expired " + Ipv4Address.toString(lease.address()), nowNs);
    }

    @Override
    public void onNak(final int server, final long nowNs)
    {
        event("nak from " + Ipv4Address.toString(server), nowNs);
    }

    @Override
    public void onDeclined(final int address, final long conflictMac, final long nowNs)
    {
        event("declined " + Ipv4Address.toString(address) + " held by " + MacAddress.toString(conflictMac), nowNs);
    }
}
