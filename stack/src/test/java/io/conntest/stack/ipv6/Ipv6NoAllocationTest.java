package io.conntest.stack.ipv6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.InMemoryDevicePair;
import io.conntest.stack.wire.Ipv6Address;

/**
 * The IPv6 path allocates nothing per packet: two interfaces on an in-memory cable, autoconfigured (DAD, MLD, router
 * solicitations during the warm-up), ping each other's link-local address for 200 s of clock time, so the neighbour
 * entries go round REACHABLE, STALE, DELAY, PROBE and back while echo requests, replies, solicitations and
 * advertisements flow, also with 4,000-byte pings (fragmented, reassembled, answered in fragments); measured with the
 * thread's allocated-bytes counter after the warm-up.
 */
class Ipv6NoAllocationTest
{
    @Test
    void steadyPing6AcrossNeighbourStateChangesAllocatesNothingPerPacket()
    {
        measure(56, 20_000);
    }

    @Test
    void fragmentedPing6ReassemblyAndFragmentationAllocateNothing()
    {
        measure(4000, 5_000);
    }

    /** {@code rounds} pings of {@code size} data bytes after a warm-up, allocating less than 16 KiB in all. */
    private static void measure(final int size, final int rounds)
    {
        final InMemoryDevicePair pair = new InMemoryDevicePair(1500, 256);
        final Interface a = new Interface(pair.a(), InterfaceConfig.builder("10.0.0.1/24").mac(0x0200_0000_0001L)
            .seed(1).build());
        final Interface b = new Interface(pair.b(), InterfaceConfig.builder("10.0.0.2/24").mac(0x0200_0000_0002L)
            .seed(2).build());
        a.ipv6().autoconfigure();
        b.ipv6().autoconfigure();
        final long[] target = Ipv6Address.parse(b.ipv6().linkLocal());
        final UnsafeBuffer data = new UnsafeBuffer(new byte[size]);
        final long[] now = {1_000_000_000L};
        final Runnable round = () ->
        {
            a.ipv6().sendEchoRequest(target[0], target[1], 1, (int)(now[0] & 0xFFFF), data, 0, size, now[0]);
            for (int i = 0; i < 3; i++)
            {
                a.poll(now[0]);
                b.poll(now[0]);
            }
            now[0] += 10_000_000L;
        };
        for (int i = 0; i < 4_000; i++)
        {
            round.run();
        }
        final Ipv6Counters counters = a.ipv6().counters();
        final long repliesBefore = counters.get(Ipv6Counter.ICMPV6_ECHO_REPLIES_RECEIVED);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < rounds; i++)
        {
            round.run();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        final long replies = counters.get(Ipv6Counter.ICMPV6_ECHO_REPLIES_RECEIVED) - repliesBefore;
        assertEquals(rounds, replies, counters.toString());
        assertTrue(counters.get(Ipv6Counter.NDP_NEIGHBOR_SOLICITATIONS_SENT) > 3,
            "the neighbour was probed again on the way: " + counters);
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + replies + " pings");
    }
}
