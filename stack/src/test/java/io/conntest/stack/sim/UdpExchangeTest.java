package io.conntest.stack.sim;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.FaultConfig;
import org.agrona.collections.IntArrayList;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP datagrams of every size class from 1 to 65,507 bytes through two stacks, echoed and verified byte for byte:
 * on a clean link, with seeded reordering and duplication of fragments, and with seeded loss.
 */
class UdpExchangeTest
{
    private static final long SECOND = 1_000_000_000L;
    /** UDP payload that fills a 1500-byte MTU fragment exactly: 1480 bytes of IP payload minus the UDP header. */
    private static final int FRAGMENT_PAYLOAD = 1480;

    /**
     * Every size from 1 to 65,507 (the largest UDP payload over IPv4), about 12 s here. With
     * {@code -Dconntest.udp.quickSizes=true}: every size up to 4,000, a dense stride above, every size within 3
     * bytes of a fragment boundary, and the sizes at the top (under 1 s).
     */
    static int[] sizes()
    {
        if (!Boolean.getBoolean("conntest.udp.quickSizes"))
        {
            final int[] all = new int[65_507];
            Arrays.setAll(all, i -> i + 1);
            return all;
        }
        final IntArrayList list = new IntArrayList();
        for (int n = 1; n <= 4000; n++)
        {
            list.addInt(n);
        }
        for (int n = 4001; n <= 65_507; n += 97)
        {
            list.addInt(n);
        }
        for (int k = 1; k * FRAGMENT_PAYLOAD <= 65_515 + 8; k++)
        {
            for (int d = -3; d <= 3; d++)
            {
                final int n = k * FRAGMENT_PAYLOAD - 8 + d;
                if (n > 4000 && n <= 65_507)
                {
                    list.addInt(n);
                }
            }
        }
        for (int n = 65_500; n <= 65_507; n++)
        {
            list.addInt(n);
        }
        final int[] sizes = list.toIntArray();
        Arrays.sort(sizes);
        return Arrays.stream(sizes).distinct().toArray();
    }

    @Test
    void everySizeIsEchoedByteForByteOnACleanLink()
    {
        final TwoStacks sim = new TwoStacks();
        final int[] sizes = sizes();
        final UdpEchoExchange exchange = new UdpEchoExchange(sim, sizes, 42, SECOND);
        exchange.run(600 * SECOND);
        assertEquals(sizes.length, exchange.completed());
        assertEquals(0, exchange.retransmissions(), "a clean link loses nothing");
        assertEquals(0, sim.a.iface().counters().totalDrops(), sim.a.iface().counters().toString());
        assertEquals(0, sim.b.iface().counters().totalDrops(), sim.b.iface().counters().toString());
        assertTrue(sim.b.iface().counters().get(InterfaceCounter.DATAGRAMS_REASSEMBLED) > 1000);
        assertEquals(sim.a.iface().counters().get(InterfaceCounter.DATAGRAMS_REASSEMBLED),
            sim.b.iface().counters().get(InterfaceCounter.DATAGRAMS_REASSEMBLED));
        assertEquals(0, sim.a.iface().reassembliesInProgress());
    }

    @Test
    void reorderedAndDuplicatedFragmentsAreReassembled()
    {
        final TwoStacks sim = new TwoStacks(FaultConfig.none().reorder(0.2, 3, 2_000_000L).duplicate(0.02), 7);
        final int[] sizes = sparse();
        final UdpEchoExchange exchange = new UdpEchoExchange(sim, sizes, 43, SECOND);
        exchange.run(600 * SECOND);
        assertEquals(sizes.length, exchange.completed());
        assertEquals(0, exchange.retransmissions(), "reordering and duplication lose nothing");
        assertTrue(sim.faults.txCounters().reordered() + sim.faults.rxCounters().reordered() > 100);
        final long duplicates = sim.a.iface().counters().get(InterfaceCounter.FRAGMENT_DUPLICATE)
            + sim.b.iface().counters().get(InterfaceCounter.FRAGMENT_DUPLICATE);
        assertTrue(duplicates > 10, "duplicated fragments are recognised: " + duplicates);
    }

    @Test
    void lossyLinkLosesWholeDatagramsButNeverCorruptsOne()
    {
        final TwoStacks sim = new TwoStacks(FaultConfig.none().drop(0.01).reorder(0.05, 2, 1_000_000L), 11);
        final int[] sizes = sparse();
        final UdpEchoExchange exchange = new UdpEchoExchange(sim, sizes, 44, 50_000_000L);
        exchange.run(3600 * SECOND);
        assertEquals(sizes.length, exchange.completed());
        assertTrue(exchange.retransmissions() > 0, "1% loss over thousands of fragments loses some datagrams");
        assertTrue(sim.faults.txCounters().dropped() + sim.faults.rxCounters().dropped() > 0);
        // Incomplete reassemblies were evicted or timed out; none is left over beyond the bound.
        assertTrue(sim.b.iface().reassembliesInProgress() <= 8);
    }

    /** A few hundred sizes across the whole range, for the impaired runs. */
    private static int[] sparse()
    {
        final IntArrayList list = new IntArrayList();
        for (int n = 1; n <= 3000; n += 13)
        {
            list.addInt(n);
        }
        for (int n = 3001; n <= 65_507; n += 1009)
        {
            list.addInt(n);
        }
        list.addInt(FRAGMENT_PAYLOAD - 8);
        list.addInt(FRAGMENT_PAYLOAD - 7);
        list.addInt(65_507);
        return list.toIntArray();
    }
}
