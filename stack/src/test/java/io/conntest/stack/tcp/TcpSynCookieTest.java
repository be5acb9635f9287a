package io.conntest.stack.tcp;

import io.conntest.stack.tcp.TcpHarness.Seg;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.conntest.stack.tcp.TcpHarness.seg;
import static io.conntest.stack.tcp.TcpPacketFlags.ACK;
import static io.conntest.stack.tcp.TcpPacketFlags.PSH;
import static io.conntest.stack.tcp.TcpPacketFlags.RST;
import static io.conntest.stack.tcp.TcpPacketFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SYN cookies (RFC 4987 §3.6) and the separate SYN and accept queue bounds of a listener, segment by segment on the
 * manual clock: a flood of spoofed SYNs fills only the SYN queue, a legitimate client then connects at once through
 * a cookie, and returning ACKs with a wrong, stale or misplaced cookie are reset.
 */
class TcpSynCookieTest
{
    private static final int SYN_BACKLOG = 16;

    private final TcpHarness h = new TcpHarness(new TcpConfig().synBacklog(SYN_BACKLOG));

    /** {@code count} SYNs from random (spoofed) sources in 172.16.0.0/12; what the stack answers goes nowhere. */
    private void spoofedSynFlood(final int count, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++)
        {
            final TcpRepr syn = seg(SYN, random.nextInt(), 0, 65535);
            syn.srcPort = 1024 + random.nextInt(60000);
            syn.mss = 1460;
            final int src = 0xAC100000 | random.nextInt(1 << 20);
            h.sendFromTo(syn, new byte[0], src == 0xAC100000 ? src + 1 : src, TcpHarness.LOCAL);
            if (i % 64 == 63)
            {
                drainToNowhere();
            }
        }
        drainToNowhere();
    }

    private void drainToNowhere()
    {
        h.tcp.dispatch(h.sender, h.clock.nowNs());
        h.sender.sent.clear();
    }

    private static TcpRepr clientSyn(final int seq)
    {
        final TcpRepr syn = seg(SYN, seq, 0, 65535);
        syn.mss = 1460;
        syn.windowScale = 7;
        syn.sackPermitted = true;
        syn.hasTimestamps = true;
        syn.tsVal = 777_000;
        return syn;
    }

    private static TcpRepr cookieAck(final Seg synAck, final int seq)
    {
        final TcpRepr ack = seg(ACK, seq + 1, synAck.repr.seq + 1, 512);
        if (synAck.repr.hasTimestamps)
        {
            ack.hasTimestamps = true;
            ack.tsVal = 777_001;
            ack.tsEcr = synAck.repr.tsVal;
        }
        return ack;
    }

    /** Fills the SYN queue with half-open connections so the next SYN gets a cookie. */
    private TcpListener listenerWithFullSynQueue()
    {
        final TcpListener l = h.tcp.listen(80, 8);
        spoofedSynFlood(SYN_BACKLOG, 1);
        assertEquals(SYN_BACKLOG, l.halfOpen());
        return l;
    }

    @Test
    void rfc4987_3_6_synBeyondTheSynQueueIsAnsweredWithACookieAndKeepsNoState()
    {
        final TcpListener l = listenerWithFullSynQueue();
        final int before = h.tcp.connectionCount();
        h.send(clientSyn(1000));
        final Seg synAck = h.expectOne();
        assertEquals(SYN | ACK, synAck.repr.flags);
        assertEquals(1001, synAck.repr.ack);
        assertEquals(before, h.tcp.connectionCount(), "no state for a cookie");
        assertEquals(SYN_BACKLOG, l.halfOpen());
        assertEquals(1, h.tcp.counters().synCookiesSent);
    }

    @Test
    void rfc4987_3_6_legitimateClientConnectsAtOnceAfterASpoofedFlood()
    {
        final TcpListener l = h.tcp.listen(80, 8);
        spoofedSynFlood(20_000, 42);
        assertEquals(SYN_BACKLOG, l.halfOpen(), "the flood fills only the SYN queue");
        assertTrue(h.tcp.counters().synCookiesSent >= 20_000 - SYN_BACKLOG - h.tcp.counters().synDroppedSynQueueFull);
        assertEquals(0, h.tcp.counters().synDroppedSynQueueFull, "the reply queue kept up");

        h.send(clientSyn(1000));
        final Seg synAck = h.expectOne();
        assertEquals(SYN | ACK, synAck.repr.flags);
        assertEquals(1460, synAck.repr.mss);
        assertEquals(5, synAck.repr.windowScale, "ours, for a 1 MiB buffer");
        assertTrue(synAck.repr.sackPermitted);
        assertTrue(synAck.repr.hasTimestamps);
        assertEquals(777_000, synAck.repr.tsEcr);
        assertEquals(65535, synAck.repr.window);

        h.send(cookieAck(synAck, 1000));
        final TcpSocket s = l.accept();
        assertNotNull(s, "accepted at once, without waiting for the flood's half-open connections to expire");
        assertEquals(TcpState.ESTABLISHED, s.state());
        assertEquals(1, h.tcp.counters().synCookiesAccepted);
        assertEquals(TcpHarness.REMOTE_PORT, s.remotePort());
        final TcpStats stats = s.stats(new TcpStats());
        assertEquals(1460 - 12, stats.mss, "the MSS index came back in the cookie, less the timestamps");
        assertEquals(512L << 7, stats.sendWindow, "the peer's window shift came back in TSecr");

        // Data both ways with the negotiated options: SACK on, timestamps on, windows scaled.
        h.send(withTs(seg(ACK | PSH, 1001, synAck.repr.seq + 1, 512), 777_002), new byte[100]);
        assertEquals(100, s.readableBytes());
        s.setNoDelay(true);
        s.write(new UnsafeBuffer(new byte[10]), 0, 10);
        final List<Seg> out = h.poll();
        final Seg data = out.get(out.size() - 1);
        assertEquals(10, data.payload.length);
        assertTrue(data.repr.hasTimestamps);
        assertEquals(777_002, data.repr.tsEcr);
        assertEquals(synAck.repr.seq + 1, data.repr.seq);
        assertTrue(data.repr.tsVal - synAck.repr.tsVal >= 0, "TSval does not go back behind the cookie's");
        assertEquals((1 << 20) - 100 >> 5, data.repr.window, "our window is scaled by the shift the SYN,ACK offered");
    }

    private static TcpRepr withTs(final TcpRepr r, final int tsVal)
    {
        r.hasTimestamps = true;
        r.tsVal = tsVal;
        return r;
    }

    @Test
    void rfc4987_3_6_withoutTimestampsTheCookieCarriesOnlyTheMssRoundedDown()
    {
        final TcpListener l = listenerWithFullSynQueue();
        final TcpRepr syn = seg(SYN, 1000, 0, 65535);
        syn.mss = 1400;
        syn.windowScale = 7;
        syn.sackPermitted = true;
        h.send(syn);
        final Seg synAck = h.expectOne();
        assertEquals(-1, synAck.repr.windowScale);
        assertFalse(synAck.repr.sackPermitted);
        assertFalse(synAck.repr.hasTimestamps);
        assertEquals(1460, synAck.repr.mss, "our MSS");
        h.send(cookieAck(synAck, 1000));
        final TcpSocket s = l.accept();
        assertNotNull(s);
        final TcpStats stats = s.stats(new TcpStats());
        assertEquals(1300, stats.mss, "the largest cookie MSS not above the peer's 1400");
        assertEquals(512, stats.sendWindow, "no window scaling");
    }

    @Test
    void rfc4987_3_6_ackCarryingDataCompletesTheCookieHandshakeAndDeliversIt()
    {
        final TcpListener l = listenerWithFullSynQueue();
        h.send(clientSyn(1000));
        final Seg synAck = h.expectOne();
        final TcpRepr ack = cookieAck(synAck, 1000);
        ack.flags |= PSH;
        h.send(ack, TcpHarness.bytes(300, 3));
        final TcpSocket s = l.accept();
        assertNotNull(s);
        assertEquals(300, s.readableBytes());
    }

    @Test
    void rfc4987_3_6_wrongCookieIsResetAndMakesNoConnection()
    {
        final TcpListener l = listenerWithFullSynQueue();
        h.send(clientSyn(1000));
        final Seg synAck = h.expectOne();
        final int before = h.tcp.connectionCount();
        final TcpRepr ack = cookieAck(synAck, 1000);
        ack.ack += 1 << 24; // another counter period's cookie bits
        h.send(ack);
        final Seg rst = h.expectOne();
        assertEquals(RST, rst.repr.flags);
        assertEquals(ack.ack, rst.repr.seq);
        final TcpRepr ack2 = cookieAck(synAck, 1000);
        ack2.ack += 1;
        h.send(ack2);
        assertEquals(RST, h.expectOne().repr.flags);
        final TcpRepr ack3 = cookieAck(synAck, 6000); // the peer's ISN does not match the cookie
        h.send(ack3);
        assertEquals(RST, h.expectOne().repr.flags);
        assertEquals(3, h.tcp.counters().synCookiesRejected);
        assertEquals(before, h.tcp.connectionCount());
        assertNull(l.accept());
    }

    @Test
    void rfc4987_3_6_cookieFromThePreviousPeriodIsValidButAStaleOneIsReset()
    {
        final TcpListener l = listenerWithFullSynQueue();
        h.send(clientSyn(1000));
        final Seg fresh = h.expectOne();
        h.clock.advanceNs(TcpSynCookies.PERIOD_NS);
        drainToNowhere(); // the flood's half-open connections retransmit their SYN,ACKs
        h.send(cookieAck(fresh, 1000));
        assertNotNull(l.accept(), "one period later the cookie still works");

        final TcpRepr syn = clientSyn(9000);
        syn.srcPort = TcpHarness.REMOTE_PORT + 1;
        h.send(syn);
        final Seg old = h.expectOne();
        h.clock.advanceNs(2 * TcpSynCookies.PERIOD_NS);
        drainToNowhere(); // the flood's half-open connections retransmit their SYN,ACKs
        final TcpRepr ack = cookieAck(old, 9000);
        ack.srcPort = TcpHarness.REMOTE_PORT + 1;
        h.send(ack);
        assertEquals(RST, h.expectOne().repr.flags, "two periods later it is stale");
        assertEquals(1, h.tcp.counters().synCookiesRejected);
        assertNull(l.accept());
    }

    @Test
    void rfc4987_3_6_cookieReturnedFromAnotherFourTupleIsReset()
    {
        final TcpListener l = listenerWithFullSynQueue();
        h.send(clientSyn(1000));
        final Seg synAck = h.expectOne();
        final TcpRepr otherPort = cookieAck(synAck, 1000);
        otherPort.srcPort = TcpHarness.REMOTE_PORT + 7;
        h.send(otherPort);
        assertEquals(RST, h.expectOne().repr.flags);
        final int before = h.tcp.connectionCount();
        h.sendFromTo(cookieAck(synAck, 1000), new byte[0], TcpHarness.REMOTE + 1, TcpHarness.LOCAL);
        drainToNowhere();
        assertEquals(2, h.tcp.counters().synCookiesRejected);
        assertEquals(before, h.tcp.connectionCount());
        assertNull(l.accept());
        h.send(cookieAck(synAck, 1000));
        assertNotNull(l.accept(), "the right 4-tuple still connects");
    }

    @Test
    void rfc4987_3_6_ackToAListenerThatSentNoCookieIsResetWithoutChecking()
    {
        h.tcp.listen(80, 8);
        h.send(seg(ACK, 1001, 12345, 65535));
        assertEquals(RST, h.expectOne().repr.flags);
        assertEquals(0, h.tcp.counters().synCookiesRejected);
    }

    @Test
    void withoutSynCookiesASynBeyondTheSynQueueIsDropped()
    {
        final TcpHarness plain = new TcpHarness(new TcpConfig().synBacklog(2).synCookies(false));
        final TcpListener l = plain.tcp.listen(80, 8);
        for (int i = 0; i < 3; i++)
        {
            final TcpRepr syn = seg(SYN, 1000, 0, 65535);
            syn.srcPort = 30000 + i;
            plain.send(syn);
        }
        assertEquals(2, plain.poll().size());
        assertEquals(2, l.halfOpen());
        assertEquals(1, plain.tcp.counters().synDroppedSynQueueFull);
    }

    @Test
    void aCookieSynAckToAnUnroutableAddressIsDroppedAndHoldsNothingUp()
    {
        listenerWithFullSynQueue();
        h.send(clientSyn(1000));
        h.sender.refuseAfter = 0;
        h.sender.refusal = io.conntest.stack.iface.Ipv4Sender.Refusal.NO_ROUTE;
        h.expectNothing();
        assertEquals(1, h.tcp.counters().repliesUnsendable);
        h.sender.refuseAfter = -1;
        h.expectNothing(); // not retried
        h.send(clientSyn(2000));
        assertEquals(SYN | ACK, h.expectOne().repr.flags, "the next reply goes out");
    }

    @Test
    void aHalfOpenConnectionToAnUnroutableAddressGivesItsSynQueueSlotBack()
    {
        final TcpListener l = h.tcp.listen(80, 8);
        h.sender.refuseAfter = 0;
        h.sender.refusal = io.conntest.stack.iface.Ipv4Sender.Refusal.NO_ROUTE;
        h.send(clientSyn(1000));
        h.expectNothing();
        assertEquals(0, l.halfOpen());
        h.poll();
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void cookieEncodingRoundTripsEveryMssIndexAndTimestampOption()
    {
        final TcpSynCookies cookies = new TcpSynCookies(new TcpKeyedHash(5, 6));
        final long now = 1_000_000_000_000L;
        for (int i = 0; i < TcpSynCookies.MSS_TABLE.length; i++)
        {
            final int c = cookies.encode(0x0A000002, 40000, 80, 123456, i, now);
            assertEquals(i, cookies.decode(0x0A000002, 40000, 80, 123456, c, now));
            assertEquals(i, cookies.decode(0x0A000002, 40000, 80, 123456, c, now + TcpSynCookies.PERIOD_NS));
            assertEquals(-1, cookies.decode(0x0A000002, 40000, 80, 123456, c, now + 2 * TcpSynCookies.PERIOD_NS));
        }
        for (int ws = -1; ws <= 14; ws++)
        {
            final int ts = TcpSynCookies.encodeTimestamp(1_000_000 + ws, ws, ws % 2 == 0);
            assertTrue(ts - (1_000_000 + ws) <= 0, "never ahead of the clock");
            assertEquals(ws, TcpSynCookies.windowScaleOf(ts));
            assertEquals(ws % 2 == 0, TcpSynCookies.sackPermittedOf(ts));
        }
        assertEquals(0, TcpSynCookies.mssIndex(0));
        assertEquals(0, TcpSynCookies.mssIndex(1000));
        assertEquals(2, TcpSynCookies.mssIndex(1452));
        assertEquals(3, TcpSynCookies.mssIndex(9000));
    }
}
