package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.FaultInjectingDevice;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.wire.Ipv6Address;

/**
 * Two autoconfigured stacks on one in-memory link with seeded faults on one end (both directions): 4,000-byte pings
 * from one to the other's link-local address, each request and reply in three fragments. Reordered fragments are
 * reassembled every time; with loss as well, the neighbours still resolve each other (solicitations retransmitted,
 * probes) and what is lost times out in the reassembler instead of piling up.
 */
class TwoIpv6StacksTest
{
    private static final int PINGS = 200;

    /** Pings {@code PINGS} times over a link with {@code faults}; returns A's counters. */
    private static Ipv6Counters run(final FaultConfig faults, final long seed)
    {
        final ManualClock clock = new ManualClock(1_000_000_000L);
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 256);
        final FaultInjectingDevice faulty = FaultInjectingDevice.symmetric(pair.a(), faults, seed, clock::nowNs);
        final Interface a = new Interface(faulty, InterfaceConfig.builder("10.0.0.1/24").mac(0x0200_0000_0001L)
            .seed(seed).build());
        final Interface b = new Interface(pair.b(), InterfaceConfig.builder("10.0.0.2/24").mac(0x0200_0000_0002L)
            .seed(seed + 1).build());
        a.ipv6().autoconfigure();
        b.ipv6().autoconfigure();
        for (int i = 0; i < 3_000 && !(a.ipv6().linkLocalReady() && b.ipv6().linkLocalReady()); i++)
        {
            a.poll(clock.nowNs());
            b.poll(clock.nowNs());
            clock.advanceNs(1_000_000L);
        }
        assertTrue(a.ipv6().linkLocalReady() && b.ipv6().linkLocalReady(), "both passed DAD");
        final long[] target = Ipv6Address.parse(b.ipv6().linkLocal());
        final UnsafeBuffer data = new UnsafeBuffer(new byte[4000]);
        for (int ping = 0; ping < PINGS; ping++)
        {
            a.ipv6().sendEchoRequest(target[0], target[1], 7, ping, data, 0, data.capacity(), clock.nowNs());
            for (int step = 0; step < 20; step++)
            {
                a.poll(clock.nowNs());
                b.poll(clock.nowNs());
                clock.advanceNs(1_000_000L);
            }
        }
        for (int step = 0; step < 70_000; step++) // past the reassembly timeout
        {
            a.poll(clock.nowNs());
            b.poll(clock.nowNs());
            clock.advanceNs(1_000_000L);
        }
        System.out.println("two stacks, " + faults + ": A " + a.ipv6().counters() + " | B " + b.ipv6().counters());
        return a.ipv6().counters();
    }

    @Test
    void rfc8200_4_5_reorderedFragmentsAreReassembledEveryTime()
    {
        final Ipv6Counters a = run(FaultConfig.none().reorder(0.3, 2, 5_000_000L), 31);
        // the first ping finds B unresolved: a 4,000-byte packet is not held (IPV6_FRAGMENTED_UNRESOLVED)
        assertEquals(PINGS - 1, a.get(Ipv6Counter.ICMPV6_ECHO_REQUESTS_SENT));
        assertEquals(1, a.get(Ipv6Counter.IPV6_FRAGMENTED_UNRESOLVED));
        assertEquals(PINGS - 1, a.get(Ipv6Counter.ICMPV6_ECHO_REPLIES_RECEIVED), "every reply that was sent came");
        assertEquals(0, a.get(Ipv6Counter.IPV6_REASSEMBLY_TIMEOUT));
    }

    @Test
    void withLossTheNeighboursStillResolveAndLostFragmentsTimeOut()
    {
        final Ipv6Counters a = run(FaultConfig.none().drop(0.05).reorder(0.2, 2, 5_000_000L), 32);
        final long replies = a.get(Ipv6Counter.ICMPV6_ECHO_REPLIES_RECEIVED);
        assertTrue(replies > PINGS / 2 && replies < PINGS, "some pings lost, most answered: " + replies);
        assertTrue(a.get(Ipv6Counter.IPV6_REASSEMBLY_TIMEOUT) + a.get(Ipv6Counter.IPV6_REASSEMBLY_OVERFLOW) > 0,
            "lost fragments left reassemblies to time out or be evicted: " + a);
        assertEquals(0, a.get(Ipv6Counter.IPV6_REASSEMBLY_OVERLAP));
    }
}
