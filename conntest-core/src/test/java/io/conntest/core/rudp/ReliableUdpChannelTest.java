package io.conntest.core.rudp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scripted cases on a simulated link with exact expected counters. */
class ReliableUdpChannelTest
{
    private static final ReliableUdpConfig CONFIG = ReliableUdpConfig.defaults();

    @Test
    void handshakeOpensBothSidesAndValidatesTheClient()
    {
        final Sim sim = new Sim(CONFIG, 1, 64);
        assertFalse(sim.client.isOpen());
        assertFalse(sim.server.isOpen());
        sim.runFor(10_000_000L);
        assertTrue(sim.client.isOpen());
        assertTrue(sim.server.isOpen());
        assertTrue(sim.server.isPeerValidated());
        // INIT, REPLY, the client's token-echoing ACK
        assertEquals(2, sim.clientToServer.sent);
        assertEquals(1, sim.client.stats().acksSent());
        assertEquals(1, sim.serverToClient.sent);
        assertTrue(sim.client.stats().srttNs() > 0);
    }

    @Test
    void losslessTransferBothWaysInOrder()
    {
        final Sim sim = new Sim(CONFIG, 2, 4096);
        sim.clientStream.toSend = 2000;
        sim.serverStream.toSend = 1500;
        assertTrue(sim.runTransfer(60_000_000_000L), () -> "stalled: " + sim.client + " / " + sim.server);
        assertEquals(0, sim.clientStream.errors);
        assertEquals(0, sim.serverStream.errors);
        assertEquals(2000, sim.server.stats().messagesReceived());
        assertEquals(2000, sim.client.stats().messagesSent());
        assertEquals(1500, sim.client.stats().messagesReceived());
        assertEquals(sim.clientStream.receivedBytes, sim.client.stats().bytesSent());
        assertEquals(sim.clientStream.receivedBytes, sim.server.stats().bytesReceived());
        for (final ReliableUdpChannel c : new ReliableUdpChannel[] {sim.client, sim.server})
        {
            final ReliableUdpStats s = c.stats();
            assertEquals(0, s.retransmitted(), c::toString);
            assertEquals(0, s.lost(), c::toString);
            assertEquals(0, s.outOfOrder(), c::toString);
            assertEquals(0, s.duplicate(), c::toString);
            assertEquals(0, s.malformed(), c::toString);
        }
    }
}
