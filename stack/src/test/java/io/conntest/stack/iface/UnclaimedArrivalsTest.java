package io.conntest.stack.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The log of arrivals that found no socket: counted per source, protocol and port, bounded, and forgetting. */
class UnclaimedArrivalsTest
{
    private static final int A = 0x0A000001;
    private static final int B = 0x0A000002;

    @Test
    void arrivalsAreCountedPerSourceProtocolAndPort()
    {
        final UnclaimedArrivals log = new UnclaimedArrivals();
        log.record(A, 6, 80, 1);
        log.record(A, 6, 80, 2);
        log.record(A, 17, 80, 3);
        assertEquals(2, log.arrivals(A, 6, 80, 10));
        assertEquals(1, log.arrivals(A, 17, 80, 10));
        assertEquals(0, log.arrivals(B, 6, 80, 10), "another source learns nothing of A's probes");
        assertEquals(0, log.arrivals(A, 6, 81, 10));
        assertEquals(3, log.recorded());
    }

    @Test
    void anEntryOlderThanAMinuteIsGone()
    {
        final UnclaimedArrivals log = new UnclaimedArrivals();
        log.record(A, 6, 22, 0);
        assertEquals(1, log.arrivals(A, 6, 22, UnclaimedArrivals.MAX_AGE_NS));
        assertEquals(0, log.arrivals(A, 6, 22, UnclaimedArrivals.MAX_AGE_NS + 1));
    }

    @Test
    void aFullTableReplacesItsOldestEntry()
    {
        final UnclaimedArrivals log = new UnclaimedArrivals();
        for (int port = 1; port <= UnclaimedArrivals.CAPACITY; port++)
        {
            log.record(A, 6, port, port);
        }
        log.record(A, 6, 1, 1_000); // refreshed: port 2 is now the oldest
        log.record(B, 17, 53, 1_001);
        assertEquals(1, log.replaced());
        assertEquals(0, log.arrivals(A, 6, 2, 2_000), "the oldest went");
        assertEquals(2, log.arrivals(A, 6, 1, 2_000));
        assertEquals(1, log.arrivals(B, 17, 53, 2_000));
        assertEquals(1, log.arrivals(A, 6, UnclaimedArrivals.CAPACITY, 2_000));
    }
}
