package io.conntest.stack.offload;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.InMemoryDevicePair.LinkOffload;
import io.conntest.stack.tcp.TcpStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stacks over an in-memory link with offloads (issue 9): super-frames carried whole to the peer, super-frames
 * segmented in software as the kernel would, and no offload; clean and with seeded loss, reordering, duplication
 * and corruption. Every byte echoed back is checked.
 */
class OffloadSimulationTest
{
    private static final long BYTES = 8L << 20;

    @ParameterizedTest
    @EnumSource(LinkOffload.class)
    void echoIsByteExactOnACleanLink(final LinkOffload offload)
    {
        final OffloadLink link = new OffloadLink(offload, FaultConfig.none(), 1);
        assertTrue(link.echo(BYTES, 60_000_000_000L), "echoed " + link.received + " mismatch at " + link.mismatchAt);
        final TcpStats stats = link.client.stats(new TcpStats());
        final long superFrames = link.a.counters().get(InterfaceCounter.TX_SUPER_FRAMES) +
            link.b.counters().get(InterfaceCounter.TX_SUPER_FRAMES);
        if (offload == LinkOffload.NONE)
        {
            assertEquals(0, superFrames);
            assertEquals(0, link.a.counters().get(InterfaceCounter.TX_OFFLOADED));
            assertEquals(0, stats.superSegmentsOut);
        }
        else
        {
            assertTrue(stats.superSegmentsOut > 0, stats.toString());
            assertTrue(superFrames > 0);
            assertEquals(superFrames, link.pair.superFramesSent());
            // Every segment and ACK leaves with a partial checksum; none is refused by the peer.
            assertTrue(link.a.counters().get(InterfaceCounter.TX_OFFLOADED) > 0);
            // The data went from the send buffers to the device without a copy into the frame (the link gathers).
            final long gathered = link.a.counters().get(InterfaceCounter.TX_GATHERED) +
                link.b.counters().get(InterfaceCounter.TX_GATHERED);
            assertTrue(gathered >= stats.superSegmentsOut, gathered + " gathered, " + stats);
        }
        if (offload == LinkOffload.SUPER_FRAMES)
        {
            assertTrue(stats.superSegmentsIn > 0, "the echo came back in super-segments too: " + stats);
        }
        else
        {
            assertEquals(0, stats.superSegmentsIn, stats.toString());
        }
        assertEquals(0, link.tcpA.counters().badChecksum);
        assertEquals(0, link.tcpB.counters().badChecksum);
        assertEquals(0, link.pair.droppedFrames());
        assertEquals(0, stats.retransmissions, stats.toString());
    }

    @ParameterizedTest
    @EnumSource(LinkOffload.class)
    void echoIsByteExactUnderLossReorderDuplicationAndCorruption(final LinkOffload offload)
    {
        final FaultConfig faults = FaultConfig.none().drop(0.01).duplicate(0.005).corrupt(0.002).reorder(0.02, 3)
            .delayMs(1, 0);
        for (long seed = 1; seed <= 3; seed++)
        {
            final OffloadLink link = new OffloadLink(offload, faults, seed);
            assertTrue(link.echo(2L << 20, 600_000_000_000L),
                offload + " seed " + seed + ": echoed " + link.received + " mismatch at " + link.mismatchAt);
            final TcpStats stats = link.client.stats(new TcpStats());
            assertTrue(stats.retransmissions > 0, stats.toString());
            if (offload != LinkOffload.NONE)
            {
                assertTrue(stats.superSegmentsOut > 0, stats.toString());
                // The fault injector cut A's super-frames into plain frames; corrupted ones failed their checksum.
                assertEquals(0, link.faults.txCounters().badOffload());
            }
        }
    }
}
