package io.conntest.core.rudp;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No allocation per datagram in steady state, including loss, reordering, duplication and retransmission. */
class AllocationFreeTest
{
    @Test
    void steadyStateTransferAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final Sim sim = new Sim(ReliableUdpConfig.defaults(), 41, 1024);
        for (final SimulatedLink link : new SimulatedLink[] {sim.clientToServer, sim.serverToClient})
        {
            link.lossRate = 0.02;
            link.reorderRate = 0.02;
            link.duplicateRate = 0.01;
        }
        sim.clientStream.maxLength = 4000;
        sim.serverStream.maxLength = 4000;
        long allocated = 0;
        for (int round = 0; round < 4; round++)
        {
            sim.clientStream.toSend += 3000;
            sim.serverStream.toSend += 3000;
            final long before = threads.getThreadAllocatedBytes(thread);
            final boolean done = sim.runTransfer(600_000_000_000L);
            allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(done);
        }
        assertEquals(0, sim.clientStream.errors);
        assertEquals(0, sim.serverStream.errors);
        assertTrue(sim.client.stats().retransmitted() > 0 && sim.server.stats().duplicate() > 0);
        // the measuring call itself may allocate a little; a datagram allocating anything would show thousands
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 6000 messages");
        System.out.println("allocation-free steady state: " + allocated + " bytes allocated over the last round; " +
            sim.client.stats());
    }
}
