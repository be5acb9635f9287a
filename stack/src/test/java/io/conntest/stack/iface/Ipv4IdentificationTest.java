package io.conntest.stack.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** RFC 6864 §4.1 and RFC 7739 §5.3: IPv4 IDs unique per destination, and no global counter to observe. */
class Ipv4IdentificationTest
{
    private static final int TCP = 6;
    private static final int PROBER = 0x0A000063;

    @Test
    void rfc6864_idsToOneDestinationDoNotRepeatWithinTheCounterPeriod()
    {
        final Ipv4Identification ids = new Ipv4Identification(42);
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 0x10000; i++)
        {
            assertTrue(seen.add(ids.next(PROBER, TCP)), "repeated after " + i);
        }
    }

    @Test
    void rfc7739_trafficToOthersDoesNotMoveTheIdsAProberSees()
    {
        final Ipv4Identification ids = new Ipv4Identification(42);
        final int before = ids.next(PROBER, TCP);
        // the idle-scan zombie's tell: RSTs it sends to a third host between two probes
        int third = 0x0A000100;
        for (int sent = 0; sent < 100; third++)
        {
            if (ids.bucket(third, TCP) != ids.bucket(PROBER, TCP))
            {
                ids.next(third, TCP);
                sent++;
            }
        }
        assertEquals((before + 1) & 0xFFFF, ids.next(PROBER, TCP), "the prober's sequence moved by its own datagram only");
    }

    @Test
    void destinationsStartAtUnrelatedValuesAndTheSecretDiffersBySeed()
    {
        final Ipv4Identification ids = new Ipv4Identification(42);
        final Set<Integer> firsts = new HashSet<>();
        for (int host = 1; host <= 64; host++)
        {
            firsts.add(ids.next(0x0A000000 | host, TCP));
        }
        assertTrue(firsts.size() >= 60, "first IDs of 64 hosts nearly all distinct: " + firsts.size());
        final Ipv4Identification one = new Ipv4Identification(1);
        final Ipv4Identification two = new Ipv4Identification(2);
        assertNotEquals(one.next(PROBER, TCP), two.next(PROBER, TCP), "another secret, another start");
    }
}
