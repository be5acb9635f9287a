package io.conntest.core.rudp;

import org.agrona.concurrent.UnsafeBuffer;
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

    private static final MessageHandler IGNORE = (buf, offset, length) -> { };

    private static Sim openedSim(final ReliableUdpConfig config, final long seed)
    {
        final Sim sim = new Sim(config, seed, 256);
        sim.runFor(10_000_000L);
        assertTrue(sim.client.isOpen() && sim.server.isPeerValidated());
        return sim;
    }

    @Test
    void dropExactlyTheThirdOfFiveMessages()
    {
        final Sim sim = openedSim(CONFIG, 3);
        sim.clientToServer.dropDataOnce(2);
        sim.clientStream.maxLength = 100;
        sim.clientStream.toSend = 5;
        assertTrue(sim.runTransfer(5_000_000_000L), sim.client::toString);
        final ReliableUdpStats c = sim.client.stats();
        final ReliableUdpStats s = sim.server.stats();
        assertEquals(5, s.messagesReceived());
        assertEquals(0, sim.clientStream.errors);
        assertEquals(1, c.retransmitted(), c::toString);
        assertEquals(1, c.lost(), c::toString);
        // only two later messages, too few for the SACK rule; RACK declares it lost an RTT and a quarter after it
        // was sent, since later-sent messages were delivered: no timeout needed
        assertEquals(0, c.timeouts(), c::toString);
        assertEquals(1, c.fastRetransmits(), c::toString);
        assertEquals(0, c.tailLossProbes(), c::toString);
        assertEquals(1, s.outOfOrder(), s::toString);
        // the resent third message came after the fourth and fifth: two sequence numbers past it (RFC 4737 §4.2)
        assertEquals(2, s.reorderMax(), s::toString);
        assertEquals(0, s.duplicate(), s::toString);
        assertEquals(0, s.malformed(), s::toString);
    }

    @Test
    void withoutTailLossProbesALostAckWaitsForTheTimeout()
    {
        final Sim sim = openedSim(CONFIG.toBuilder().tailLossProbes(false).build(), 5);
        final long acksBefore = sim.server.stats().acksSent();
        sim.serverToClient.dropNextAcks = 1;
        sim.clientStream.maxLength = 100;
        sim.clientStream.toSend = 2;
        assertTrue(sim.runTransfer(5_000_000_000L), sim.client::toString);
        final ReliableUdpStats c = sim.client.stats();
        final ReliableUdpStats s = sim.server.stats();
        // RTO: the window collapses to one message, the oldest goes again, arrives as a duplicate and is
        // re-acknowledged at once; that cumulative ACK covers both messages
        assertEquals(1, c.timeouts(), c::toString);
        assertEquals(0, c.tailLossProbes(), c::toString);
        assertEquals(1, c.retransmitted(), c::toString);
        assertEquals(1, s.duplicate(), s::toString);
        assertEquals(2, s.acksSent() - acksBefore, s::toString);
    }

    @Test
    void aLostLastMessageIsRecoveredByATailLossProbe()
    {
        final Sim sim = openedSim(CONFIG, 15);
        sim.clientToServer.dropDataOnce(4);
        sim.clientStream.maxLength = 100;
        sim.clientStream.toSend = 5;
        assertTrue(sim.runTransfer(5_000_000_000L), sim.client::toString);
        final ReliableUdpStats c = sim.client.stats();
        final ReliableUdpStats s = sim.server.stats();
        assertEquals(5, s.messagesReceived());
        assertEquals(1, c.tailLossProbes(), c::toString);
        assertEquals(1, c.retransmitted(), c::toString);
        assertEquals(1, c.lost(), c::toString);
        assertEquals(0, c.timeouts(), c::toString);
        assertEquals(0, s.outOfOrder(), s::toString); // nothing later overtook it
        assertEquals(0, s.reorderMax(), s::toString);
        assertEquals(0, s.duplicate(), s::toString);
    }

    @Test
    void aLostRetransmissionIsDetectedWithoutATimeout()
    {
        final Sim sim = openedSim(CONFIG, 16);
        sim.clientToServer.dropDataOnce(2).dropDataOnce(2); // the first transmission and the first retransmission
        sim.clientStream.maxLength = 100;
        sim.clientStream.toSend = 400;
        assertTrue(sim.runTransfer(5_000_000_000L), sim.client::toString);
        final ReliableUdpStats c = sim.client.stats();
        final ReliableUdpStats s = sim.server.stats();
        assertEquals(400, s.messagesReceived());
        assertEquals(0, sim.clientStream.errors);
        assertEquals(2, c.retransmitted(), c::toString);
        assertEquals(1, c.lost(), c::toString);
        assertEquals(0, c.timeouts(), c::toString);
        assertEquals(1, s.outOfOrder(), s::toString);
        assertEquals(0, s.duplicate(), s::toString);
    }

    @Test
    void threeLaterAcknowledgedMessagesTriggerAFastRetransmit()
    {
        final Sim sim = openedSim(CONFIG, 4);
        sim.clientToServer.dropDataOnce(2);
        sim.clientStream.maxLength = 100;
        sim.clientStream.toSend = 10;
        assertTrue(sim.runTransfer(5_000_000_000L), sim.client::toString);
        final ReliableUdpStats c = sim.client.stats();
        final ReliableUdpStats s = sim.server.stats();
        assertEquals(10, s.messagesReceived());
        assertEquals(1, c.retransmitted(), c::toString);
        assertEquals(1, c.lost(), c::toString);
        assertEquals(1, c.fastRetransmits(), c::toString);
        assertEquals(0, c.timeouts(), c::toString);
        assertEquals(1, s.outOfOrder(), s::toString);
        assertEquals(0, s.duplicate(), s::toString);
        // slow start took the window from 10 to 15 on the acks and SACKs before the loss, then AIMD halved it
        assertEquals(7, c.cwndPackets(), c::toString);
    }

    @Test
    void aLostAckIsRepairedByTheRetransmissionBeingReacknowledged()
    {
        final Sim sim = openedSim(CONFIG, 5);
        final long acksBefore = sim.server.stats().acksSent();
        sim.serverToClient.dropNextAcks = 1;
        sim.clientStream.maxLength = 100;
        sim.clientStream.toSend = 2; // ackEveryPackets = 2: exactly one ACK, which is lost
        assertTrue(sim.runTransfer(5_000_000_000L), sim.client::toString);
        final ReliableUdpStats c = sim.client.stats();
        final ReliableUdpStats s = sim.server.stats();
        assertEquals(2, s.messagesReceived());
        // no acknowledgement for 2 SRTT: a tail loss probe resends the last message, which arrives as a duplicate
        // and is re-acknowledged at once; that cumulative ACK covers both messages. No timeout.
        assertEquals(0, c.timeouts(), c::toString);
        assertEquals(1, c.tailLossProbes(), c::toString);
        assertEquals(1, c.retransmitted(), c::toString);
        assertEquals(1, c.lost(), c::toString);
        assertEquals(1, s.duplicate(), s::toString);
        assertEquals(0, s.outOfOrder(), s::toString);
        assertEquals(2, s.acksSent() - acksBefore, s::toString);
    }

    @Test
    void offerReturnsFalseWhenTheWindowIsFullAndTrueAfterAcks()
    {
        final ReliableUdpConfig config = CONFIG.withSendWindow(4, ReliableUdpChannel.maxMessageLength());
        final Sim sim = openedSim(config, 6);
        final UnsafeBuffer msg = new UnsafeBuffer(new byte[40_000]);
        final long now = sim.clock.nowNs();
        for (int i = 0; i < 3; i++)
        {
            assertTrue(sim.client.offer(msg, 0, 10, now));
        }
        assertTrue(sim.client.offer(msg, 0, 40_000, now));
        assertFalse(sim.client.offer(msg, 0, 1, now), "packet window full");
        assertFalse(sim.client.canOffer(0));
        sim.runFor(20_000_000L);
        assertTrue(sim.client.isSendIdle());
        assertTrue(sim.client.offer(msg, 0, 40_000, sim.clock.nowNs()));
        assertFalse(sim.client.offer(msg, 0, 30_000, sim.clock.nowNs()), "byte window full");
        assertTrue(sim.client.offer(msg, 0, 25_000, sim.clock.nowNs()));
        sim.runFor(20_000_000L);
        assertTrue(sim.client.offer(msg, 0, 30_000, sim.clock.nowNs()));
        assertEquals(6, sim.server.stats().messagesReceived());
    }

    @Test
    void amplificationGuardLimitsTheServerToThreeTimesWhatItReceivedUntilTheTokenIsEchoed()
    {
        final long now = 1_000_000_000L;
        final ReliableUdpChannel client = new ReliableUdpChannel(CONFIG, Role.CLIENT, now);
        final ReliableUdpChannel server = new ReliableUdpChannel(CONFIG, Role.SERVER, now);
        final Capture toServer = new Capture();
        final Capture toClient = new Capture();
        client.poll(now, toServer);
        assertEquals(1, toServer.datagrams.size());
        assertEquals(CONFIG.handshakePaddingBytes(), toServer.last().capacity());
        toServer.deliverAll(server, now, IGNORE);
        assertTrue(server.isOpen());
        assertFalse(server.isPeerValidated());
        final UnsafeBuffer msg = new UnsafeBuffer(new byte[1000]);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(server.offer(msg, 0, 1000, now));
        }
        server.poll(now, toClient);
        server.poll(now, toClient);
        // REPLY (52 bytes) + 3 DATA (1036 bytes each) = 3160 <= 3 * 1200; a fourth DATA would exceed 3600
        assertEquals(4, toClient.datagrams.size());
        assertEquals(RudpHeader.TYPE_HANDSHAKE_REPLY, toClient.type(0));
        assertTrue(toClient.totalBytes() <= 3L * CONFIG.handshakePaddingBytes());
        assertEquals(1036, server.stats().amplificationBlockedBytes());
        assertEquals(server.pollAtNs() > now, true, "blocked: no busy polling");

        toClient.deliverAll(client, now, IGNORE);
        assertTrue(client.isOpen());
        assertEquals(3, client.stats().messagesReceived());
        client.poll(now, toServer); // echoes the token at once
        assertEquals(1, toServer.datagrams.size());
        assertEquals(RudpHeader.TYPE_ACK, toServer.type(0));
        toServer.deliverAll(server, now, IGNORE);
        assertTrue(server.isPeerValidated());
        server.poll(now, toClient);
        assertEquals(7, toClient.datagrams.size());
    }

    @Test
    void malformedDatagramsAreCountedAndDroppedNeverThrown()
    {
        final Sim sim = openedSim(CONFIG, 7);
        final ReliableUdpChannel server = sim.server;
        final long now = sim.clock.nowNs();
        final java.util.Random random = new java.util.Random(77);
        final UnsafeBuffer junk = new UnsafeBuffer(new byte[70_000]);
        int malformed = 0;
        for (int i = 0; i < 2000; i++)
        {
            final int length = random.nextInt(i % 10 == 0 ? 70_000 : 200);
            for (int j = 0; j < length; j++)
            {
                junk.putByte(j, (byte)random.nextInt());
            }
            if (i % 3 == 0 && length >= 4)
            {
                junk.putShort(0, (short)RudpHeader.MAGIC, java.nio.ByteOrder.BIG_ENDIAN); // get past the magic
                junk.putByte(2, (byte)RudpHeader.VERSION);
            }
            if (server.onDatagram(junk, 0, length, now, IGNORE) < 0)
            {
                malformed++;
            }
        }
        assertEquals(malformed, server.stats().malformed());
        assertTrue(malformed >= 1990, "nearly all random datagrams are malformed: " + malformed);

        // A real DATA datagram, then damaged copies of it
        final Capture capture = new Capture();
        final UnsafeBuffer msg = new UnsafeBuffer(new byte[500]);
        assertTrue(sim.client.offer(msg, 0, 500, now));
        sim.client.poll(now, capture);
        final UnsafeBuffer data = capture.last();
        assertEquals(RudpHeader.TYPE_DATA, data.getByte(3));
        final long before = server.stats().malformed();
        final UnsafeBuffer bad = new UnsafeBuffer(new byte[data.capacity()]);
        final int[] results = new int[8];
        bad.putBytes(0, data, 0, data.capacity());
        results[0] = server.onDatagram(bad, 0, 20, now, IGNORE);                      // truncated header
        results[1] = server.onDatagram(bad, 0, data.capacity() - 1, now, IGNORE);     // truncated payload
        bad.putShort(0, (short)0xBEEF);
        results[2] = server.onDatagram(bad, 0, data.capacity(), now, IGNORE);         // wrong magic
        bad.putBytes(0, data, 0, data.capacity());
        bad.putShort(RudpHeader.PAYLOAD_LENGTH_OFFSET, (short)0xFFFF);
        results[3] = server.onDatagram(bad, 0, data.capacity(), now, IGNORE);         // giant length
        bad.putBytes(0, data, 0, data.capacity());
        bad.putByte(RudpHeader.SACK_COUNT_OFFSET, (byte)200);
        results[4] = server.onDatagram(bad, 0, data.capacity(), now, IGNORE);         // absurd SACK count
        bad.putBytes(0, data, 0, data.capacity());
        bad.putLong(RudpHeader.TOKEN_OFFSET, 12345L);
        results[5] = server.onDatagram(bad, 0, data.capacity(), now, IGNORE);         // wrong token
        bad.putBytes(0, data, 0, data.capacity());
        bad.putInt(RudpHeader.ACK_OFFSET, 1_000_000, java.nio.ByteOrder.BIG_ENDIAN);
        results[6] = server.onDatagram(bad, 0, data.capacity(), now, IGNORE);         // acks data never sent
        bad.putBytes(0, data, 0, data.capacity());
        bad.putByte(RudpHeader.TYPE_OFFSET, (byte)RudpHeader.TYPE_HANDSHAKE_REPLY);
        results[7] = server.onDatagram(bad, 0, data.capacity(), now, IGNORE);         // a reply sent to a server
        for (int i = 0; i < results.length; i++)
        {
            assertEquals(ReliableUdpChannel.MALFORMED, results[i], "case " + i);
        }
        assertEquals(before + results.length, server.stats().malformed());
        assertEquals(0, server.stats().messagesReceived());
        assertEquals(1, server.onDatagram(data, 0, data.capacity(), now, IGNORE)); // the intact one still works
        assertEquals(1, server.stats().messagesReceived());
    }

    @Test
    void idleTimeoutAfterFiveSecondsOfSilence()
    {
        final Sim sim = openedSim(CONFIG, 8);
        final long quietFrom = sim.clock.nowNs();
        sim.clientToServer.cut = true;
        sim.serverToClient.cut = true;
        sim.runFor(4_900_000_000L);
        assertFalse(sim.client.isIdleTimedOut(sim.clock.nowNs()));
        sim.runFor(200_000_000L);
        assertTrue(sim.client.isIdleTimedOut(sim.clock.nowNs()));
        assertTrue(sim.server.isIdleTimedOut(sim.clock.nowNs()));
        assertTrue(sim.clock.nowNs() - quietFrom < 5_200_000_000L);
    }

    @Test
    void peerDeclaredDeadAfterMaxRetransmissions()
    {
        final Sim sim = openedSim(CONFIG, 9);
        sim.clientToServer.cut = true;
        sim.clientStream.toSend = 1;
        sim.runFor(30_000_000_000L);
        assertFalse(sim.client.isOpen());
        assertEquals(CloseReason.PEER_DEAD, sim.client.closeReason());
        assertEquals(CONFIG.maxRetransmissions(), sim.client.stats().timeouts());
    }

    @Test
    void handshakeRetriedWithBackoffThenGivenUp()
    {
        final long start = 1_000_000_000L;
        final ReliableUdpChannel client = new ReliableUdpChannel(CONFIG, Role.CLIENT, start);
        final Capture capture = new Capture();
        long now = start;
        for (int i = 0; i < 100 && client.pollAtNs() != Long.MAX_VALUE && !client.isClosed(); i++)
        {
            now = Math.max(now, client.pollAtNs());
            client.poll(now, capture);
        }
        assertEquals(CONFIG.maxRetransmissions() + 1, capture.datagrams.size());
        assertEquals(CloseReason.PEER_DEAD, client.closeReason());
        // 500 ms, 1 s, then the 2 s cap
        assertEquals(start + 500_000_000L + 1_000_000_000L + 2_000_000_000L * (CONFIG.maxRetransmissions() - 1), now);
    }

    @Test
    void closeIsSentAndSeenByThePeer()
    {
        final Sim sim = openedSim(CONFIG, 10);
        sim.client.close(sim.clock.nowNs());
        sim.runFor(10_000_000L);
        assertTrue(sim.client.isClosed());
        assertEquals(CloseReason.LOCAL, sim.client.closeReason());
        assertTrue(sim.server.isClosed());
        assertEquals(CloseReason.PEER_CLOSED, sim.server.closeReason());
        assertFalse(sim.client.offer(new UnsafeBuffer(new byte[1]), 0, 1, sim.clock.nowNs()));
    }

    @Test
    void aRestartedClientIsReported()
    {
        final Sim sim = openedSim(CONFIG, 11);
        final ReliableUdpChannel fresh = new ReliableUdpChannel(CONFIG, Role.CLIENT, sim.clock.nowNs());
        final Capture capture = new Capture();
        fresh.poll(sim.clock.nowNs(), capture);
        assertFalse(sim.server.isPeerRestarted());
        capture.deliverAll(sim.server, sim.clock.nowNs(), IGNORE);
        assertTrue(sim.server.isPeerRestarted());
    }

    @Test
    void aRefusingSinkLosesNothing()
    {
        final Sim sim = openedSim(CONFIG, 12);
        final Capture refusing = new Capture();
        refusing.refuse = true;
        final UnsafeBuffer msg = new UnsafeBuffer(new byte[100]);
        assertTrue(sim.client.offer(msg, 0, 100, sim.clock.nowNs()));
        sim.client.poll(sim.clock.nowNs(), refusing);
        assertEquals(0, sim.client.stats().messagesSent());
        assertEquals(sim.clock.nowNs(), sim.client.pollAtNs());
        sim.runFor(10_000_000L);
        assertEquals(1, sim.server.stats().messagesReceived());
        assertEquals(0, sim.client.stats().retransmitted());
    }

    @Test
    void maxMessageLengthIsTheUdpLimitMinusTheHeader()
    {
        assertEquals(65_507 - 36, ReliableUdpChannel.maxMessageLength());
        final Sim sim = openedSim(CONFIG, 13);
        final UnsafeBuffer msg = new UnsafeBuffer(new byte[ReliableUdpChannel.maxMessageLength() + 1]);
        assertTrue(sim.client.offer(msg, 0, ReliableUdpChannel.maxMessageLength(), sim.clock.nowNs()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> sim.client.offer(msg, 0, ReliableUdpChannel.maxMessageLength() + 1, sim.clock.nowNs()));
        sim.runFor(10_000_000L);
        assertEquals(1, sim.server.stats().messagesReceived());
        assertEquals(ReliableUdpChannel.maxMessageLength(), sim.server.stats().bytesReceived());
    }

    @Test
    void aClientOfARestartedServerIsClosedAtOnceByAStatelessClose()
    {
        final Sim sim = openedSim(CONFIG, 14);
        final long now = sim.clock.nowNs();
        final Capture capture = new Capture();
        assertTrue(sim.client.offer(new UnsafeBuffer(new byte[10]), 0, 10, now));
        sim.client.poll(now, capture);
        final UnsafeBuffer data = capture.last();
        assertFalse(ReliableUdpChannel.isHandshakeInit(data, 0, data.capacity()));
        // the server restarted: it has no channel for this address, so it answers with a stateless CLOSE
        final UnsafeBuffer out = new UnsafeBuffer(new byte[100]);
        final int length = ReliableUdpChannel.writeStatelessClose(data, 0, data.capacity(), out, 0);
        assertEquals(36, length);
        assertEquals(0, sim.client.onDatagram(out, 0, length, now, IGNORE));
        assertTrue(sim.client.isClosed());
        assertEquals(CloseReason.PEER_CLOSED, sim.client.closeReason());
        // never answered: INIT, CLOSE, junk
        assertEquals(-1, ReliableUdpChannel.writeStatelessClose(out, 0, length, out, 50));
        final ReliableUdpChannel fresh = new ReliableUdpChannel(CONFIG, Role.CLIENT, now);
        capture.datagrams.clear();
        fresh.poll(now, capture);
        final UnsafeBuffer init = capture.last();
        assertTrue(ReliableUdpChannel.isHandshakeInit(init, 0, init.capacity()));
        assertEquals(-1, ReliableUdpChannel.writeStatelessClose(init, 0, init.capacity(), out, 0));
        assertEquals(-1, ReliableUdpChannel.writeStatelessClose(out, 0, 7, out, 0));
        // a CLOSE with a token that is not ours is malformed
        RudpHeader.writeClose(out, 0, 42L);
        assertEquals(ReliableUdpChannel.MALFORMED, sim.server.onDatagram(out, 0, 36, now, IGNORE));
        assertTrue(sim.server.isOpen());
    }

    @Test
    void aLostHandshakeReplyIsRepairedByTheRetriedInit()
    {
        final Sim sim = new Sim(CONFIG, 17, 256);
        sim.serverToClient.dropNextReplies = 1;
        sim.clientStream.toSend = 3;
        sim.clientStream.maxLength = 100;
        sim.serverStream.toSend = 3; // the server sends at once, before the client has the token: dropped there
        sim.serverStream.maxLength = 100;
        sim.runFor(400_000_000L);
        assertFalse(sim.client.isOpen());
        assertTrue(sim.server.isOpen());
        assertEquals(3, sim.client.stats().dropped(), sim.client::toString);
        assertTrue(sim.runTransfer(5_000_000_000L), sim.client::toString);
        assertEquals(1, sim.client.stats().timeouts(), sim.client::toString); // one INIT retry, 500 ms later
        assertEquals(3, sim.server.stats().messagesReceived());
        assertEquals(3, sim.client.stats().messagesReceived());
        assertEquals(0, sim.serverStream.errors);
        assertTrue(sim.server.isPeerValidated());
    }

    @Test
    void keepAlivesHoldAnIdleConnectionOpen()
    {
        final ReliableUdpConfig config = CONFIG.toBuilder().keepAliveNs(1_000_000_000L).build();
        final Sim sim = openedSim(config, 18);
        sim.runFor(20_000_000_000L);
        assertFalse(sim.client.isIdleTimedOut(sim.clock.nowNs()));
        assertFalse(sim.server.isIdleTimedOut(sim.clock.nowNs()));
        assertTrue(sim.client.stats().acksSent() >= 19, sim.client::toString);
        assertTrue(sim.client.stats().acksSent() <= 22, sim.client::toString);
        final Sim quiet = openedSim(CONFIG, 18);
        quiet.runFor(20_000_000_000L);
        assertTrue(quiet.client.isIdleTimedOut(quiet.clock.nowNs()), "no keep-alives by default");
    }
}
