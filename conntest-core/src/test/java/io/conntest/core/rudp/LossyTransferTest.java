package io.conntest.core.rudp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thousands of messages of varied sizes through seeded loss, reordering, duplication and delay, both ways. */
class LossyTransferTest
{
    private static final ReliableUdpConfig CONFIG = ReliableUdpConfig.defaults();

    @ParameterizedTest(name = "seed={0} loss={1} dup={2} reorder={3} filter={4}")
    @CsvSource({
        "11, 0.00, 0.00, 0.00, ALL",
        "12, 0.01, 0.00, 0.00, ALL",
        "13, 0.05, 0.02, 0.05, ALL",
        "14, 0.10, 0.05, 0.10, ALL",
        "15, 0.20, 0.05, 0.20, ALL",
        "16, 0.00, 0.10, 0.30, ALL",
        "17, 0.15, 0.00, 0.00, DATA_ONLY",
        "18, 0.30, 0.00, 0.00, ACKS_ONLY",
    })
    void transfersEverythingInOrderByteForByte(
        final long seed, final double loss, final double dup, final double reorder,
        final SimulatedLink.LossFilter filter)
    {
        transfer(seed, loss, dup, reorder, filter, 3000, 2000);
    }

    @ParameterizedTest(name = "one way: seed={0} loss={1} dup={2} reorder={3} filter={4}")
    @CsvSource({
        "31, 0.00, 0.00, 0.00, ALL",
        "32, 0.05, 0.00, 0.05, ALL",
        "33, 0.20, 0.00, 0.00, DATA_ONLY",
        "34, 0.30, 0.00, 0.00, ACKS_ONLY",
        "35, 0.20, 0.00, 0.20, ACKS_ONLY",
    })
    void transfersOneWay(
        final long seed, final double loss, final double dup, final double reorder,
        final SimulatedLink.LossFilter filter)
    {
        transfer(seed, loss, dup, reorder, filter, 4000, 0);
    }

    private static void transfer(
        final long seed, final double loss, final double dup, final double reorder,
        final SimulatedLink.LossFilter filter,
        final long clientMessages, final long serverMessages)
    {
        final Sim sim = new Sim(CONFIG, seed, 2048);
        for (final SimulatedLink link : new SimulatedLink[] {sim.clientToServer, sim.serverToClient})
        {
            link.lossRate = loss;
            link.duplicateRate = dup;
            link.reorderRate = reorder;
            link.lossFilter = filter;
        }
        sim.clientStream.toSend = clientMessages;
        sim.serverStream.toSend = serverMessages;
        final boolean done = sim.runTransfer(600_000_000_000L);
        final String state = sim.client + "\n" + sim.server;
        assertTrue(done, () -> "stalled: " + state);
        assertEquals(0, sim.clientStream.errors, state);
        assertEquals(0, sim.serverStream.errors, state);
        assertEquals(clientMessages, sim.server.stats().messagesReceived(), state);
        assertEquals(serverMessages, sim.client.stats().messagesReceived(), state);
        assertEquals(sim.clientStream.receivedBytes, sim.client.stats().bytesSent(), state);
        assertTrue(sim.client.isOpen() && sim.server.isOpen(), state);
        if (dup == 0 && reorder == 0 && (loss == 0 || filter == SimulatedLink.LossFilter.ACKS_ONLY))
        {
            // Data always arrives, first time and in order: every retransmission is a duplicate at the receiver
            assertEquals(sim.client.stats().retransmitted(), sim.server.stats().duplicate(), state);
            assertEquals(sim.server.stats().retransmitted(), sim.client.stats().duplicate(), state);
            assertEquals(0, sim.server.stats().outOfOrder(), state);
        }
        if (loss > 0 && filter != SimulatedLink.LossFilter.ACKS_ONLY)
        {
            assertTrue(sim.client.stats().retransmitted() > 0, state);
            assertTrue(sim.client.stats().lost() > 0, state);
        }
        if (dup > 0)
        {
            assertTrue(sim.server.stats().duplicate() > 0, state);
        }
        System.out.printf(
            "seed=%d loss=%.2f dup=%.2f reorder=%.2f %s: simulated %.3f s, %d steps%n  client %s%n  server %s%n",
            seed, loss, dup, reorder, filter, (sim.clock.nowNs() - 1_000_000_000L) / 1e9, sim.steps,
            sim.client.stats(), sim.server.stats());
    }

    @Test
    void sequenceNumbersAndStreamOffsetsWrapAround32Bits()
    {
        // both directions start 1,000 messages and ~3 MB before 2^32: numbers and offsets wrap mid-transfer
        final long start = (1L << 32) - 1000;
        final Sim sim = new Sim(CONFIG, 71, 2048, start, (1L << 32) - 3_000_000L);
        for (final SimulatedLink link : new SimulatedLink[] {sim.clientToServer, sim.serverToClient})
        {
            link.lossRate = 0.05;
            link.reorderRate = 0.05;
            link.duplicateRate = 0.02;
        }
        sim.clientStream.toSend = 3000;
        sim.serverStream.toSend = 3000;
        assertTrue(sim.runTransfer(600_000_000_000L), () -> sim.client + "\n" + sim.server);
        assertEquals(0, sim.clientStream.errors);
        assertEquals(0, sim.serverStream.errors);
        assertEquals(3000, sim.server.stats().messagesReceived());
        assertEquals(3000, sim.client.stats().messagesReceived());
        assertTrue(sim.client.stats().retransmitted() > 0 && sim.server.stats().duplicate() > 0);
        assertEquals(0, sim.server.stats().malformed());
        assertEquals(0, sim.client.stats().malformed());
    }

    @Test
    void survivesALongCutWithBackoffThenRecovers()
    {
        final Sim sim = new Sim(CONFIG, 21, 1024);
        sim.clientStream.toSend = 5000;
        sim.clientStream.maxLength = 1000;
        sim.runFor(10_000_000L);
        sim.clientToServer.cut = true;
        sim.serverToClient.cut = true;
        sim.runFor(2_000_000_000L);
        assertTrue(sim.client.stats().timeouts() >= 3, sim.client::toString);
        sim.clientToServer.cut = false;
        sim.serverToClient.cut = false;
        assertTrue(sim.runTransfer(60_000_000_000L), sim.client::toString);
        assertEquals(0, sim.clientStream.errors);
        assertEquals(5000, sim.server.stats().messagesReceived());
    }
}
