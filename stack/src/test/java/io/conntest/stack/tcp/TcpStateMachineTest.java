package io.conntest.stack.tcp;

import io.conntest.stack.tcp.TcpHarness.Seg;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.conntest.stack.tcp.TcpHarness.seg;
import static io.conntest.stack.tcp.TcpPacketFlags.ACK;
import static io.conntest.stack.tcp.TcpPacketFlags.FIN;
import static io.conntest.stack.tcp.TcpPacketFlags.PSH;
import static io.conntest.stack.tcp.TcpPacketFlags.RST;
import static io.conntest.stack.tcp.TcpPacketFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segment-level scripted tests of connection setup and teardown (RFC 9293 §3.5, §3.6, §3.10.7). */
class TcpStateMachineTest
{
    private final TcpHarness h = new TcpHarness();

    @Test
    void rfc9293_3_10_7_1_synToClosedPortGetsRst()
    {
        h.send(seg(SYN, 1000, 0, 65535));
        final Seg rst = h.expectOne();
        assertEquals(RST | ACK, rst.repr.flags);
        assertEquals(0, rst.repr.seq);
        assertEquals(1001, rst.repr.ack);
        assertEquals(1, h.tcp.counters().resetsForClosedPort);
    }

    @Test
    void rfc9293_3_10_7_1_ackToClosedPortGetsRstWithSeqOfSegAck()
    {
        h.send(seg(ACK, 1000, 777, 65535));
        final Seg rst = h.expectOne();
        assertEquals(RST, rst.repr.flags);
        assertEquals(777, rst.repr.seq);
    }

    @Test
    void rfc9293_3_10_7_1_dataToClosedPortAcksItsLength()
    {
        h.send(seg(PSH, 1000, 0, 65535), new byte[10]);
        final Seg rst = h.expectOne();
        assertEquals(RST | ACK, rst.repr.flags);
        assertEquals(1010, rst.repr.ack);
    }

    @Test
    void rfc9293_3_10_7_1_rstToClosedPortIsDiscarded()
    {
        h.send(seg(RST, 1000, 0, 0));
        h.expectNothing();
    }

    @Test
    void rfc9293_3_10_7_2_ackToListenerGetsRst()
    {
        h.tcp.listen(80, 4);
        h.send(seg(ACK, 5, 99, 65535));
        final Seg rst = h.expectOne();
        assertEquals(RST, rst.repr.flags);
        assertEquals(99, rst.repr.seq);
    }

    @Test
    void rfc9293_3_10_7_2_rstToListenerIsIgnored()
    {
        h.tcp.listen(80, 4);
        h.send(seg(RST, 5, 0, 0));
        h.expectNothing();
    }

    @Test
    void rfc9293_3_10_7_2_synFinToListenerIsDroppedUnanswered()
    {
        h.tcp.listen(80, 4);
        h.send(seg(SYN | FIN, 1000, 0, 65535));
        h.expectNothing();
        assertEquals(1, h.tcp.counters().synFinDropped);
        assertEquals(0, h.tcp.connectionCount());
        // a plain SYN afterwards opens as usual
        h.send(seg(SYN, 2000, 0, 65535));
        assertEquals(SYN | ACK, h.expectOne().repr.flags);
    }

    @Test
    void rfc9293_3_10_7_2_passiveOpenAnswersSynWithSynAckAndNegotiatedOptions()
    {
        h.tcp.listen(80, 4);
        final TcpRepr syn = seg(SYN, 1000, 0, 65535);
        syn.mss = 1400;
        syn.windowScale = 7;
        syn.sackPermitted = true;
        syn.hasTimestamps = true;
        syn.tsVal = 4242;
        h.send(syn);
        final Seg synAck = h.expectOne();
        assertEquals(SYN | ACK, synAck.repr.flags);
        assertEquals(1001, synAck.repr.ack);
        assertEquals(1460, synAck.repr.mss, "RFC 6691: MSS = MTU - 40");
        assertEquals(5, synAck.repr.windowScale, "1 MiB buffer needs shift 5");
        assertTrue(synAck.repr.sackPermitted);
        assertTrue(synAck.repr.hasTimestamps);
        assertEquals(4242, synAck.repr.tsEcr);
        assertEquals(65535, synAck.repr.window, "RFC 7323 §2.2: SYN window not scaled");
    }

    @Test
    void rfc7323_2_2_noWindowScaleOrTimestampsInSynAckUnlessTheSynHadThem()
    {
        h.tcp.listen(80, 4);
        h.send(seg(SYN, 1000, 0, 65535));
        final Seg synAck = h.expectOne();
        assertEquals(-1, synAck.repr.windowScale);
        assertFalse(synAck.repr.hasTimestamps);
        assertFalse(synAck.repr.sackPermitted);
        assertEquals(1460, synAck.repr.mss);
    }

    @Test
    void rfc9293_3_5_passiveHandshakeCompletesAndAcceptReturnsTheSocket()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        assertEquals(TcpState.ESTABLISHED, e.socket.state());
        assertEquals(80, e.socket.localPort());
        assertEquals(TcpHarness.REMOTE, e.socket.remoteAddress());
        assertNull(e.listener.accept());
    }

    @Test
    void rfc9293_3_10_7_4_badAckInSynReceivedGetsRst()
    {
        h.tcp.listen(80, 4);
        h.send(seg(SYN, 1000, 0, 65535));
        final Seg synAck = h.expectOne();
        h.send(seg(ACK, 1001, synAck.repr.seq + 100, 65535));
        final Seg rst = h.expectOne();
        assertEquals(RST, rst.repr.flags);
        assertEquals(synAck.repr.seq + 100, rst.repr.seq);
    }

    @Test
    void rfc9293_3_10_7_4_rstInSynReceivedFromPassiveOpenReturnsToListen()
    {
        final TcpListener l = h.tcp.listen(80, 4);
        h.send(seg(SYN, 1000, 0, 65535));
        h.expectOne();
        h.send(seg(RST, 1001, 0, 0));
        h.poll();
        assertEquals(0, h.tcp.connectionCount());
        assertNull(l.accept());
        // The listener still answers a new SYN.
        h.send(seg(SYN, 5000, 0, 65535));
        assertEquals(SYN | ACK, h.expectOne().repr.flags);
    }

    @Test
    void rfc9293_3_8_1_synAckIsRetransmittedOnTimeout()
    {
        h.tcp.listen(80, 4);
        h.send(seg(SYN, 1000, 0, 65535));
        final Seg first = h.expectOne();
        final List<Seg> again = h.advanceToDeadline();
        assertEquals(1, again.size());
        assertEquals(SYN | ACK, again.get(0).repr.flags);
        assertEquals(first.repr.seq, again.get(0).repr.seq);
    }

    @Test
    void rfc9293_3_10_7_2_synBeyondTheAcceptQueueIsDropped()
    {
        final TcpListener l = h.tcp.listen(80, 1);
        final TcpRepr syn = seg(SYN, 1000, 0, 65535);
        h.send(syn);
        final Seg synAck = h.expectOne();
        h.send(seg(ACK, 1001, synAck.repr.seq + 1, 65535));
        assertEquals(1, l.pending(), "the accept queue is full, nobody accepts");
        final TcpRepr second = seg(SYN, 5000, 0, 65535);
        second.srcPort = 30000;
        h.send(second);
        h.expectNothing();
        assertEquals(1, h.tcp.counters().synDroppedAcceptQueueFull);
        assertEquals(0, l.halfOpen());
    }

    // ---- active open -------------------------------------------------------------------------------

    private Seg activeSyn(final TcpSocket s)
    {
        assertTrue(s.connect(TcpHarness.REMOTE, 80));
        final Seg syn = h.expectOne();
        assertEquals(SYN, syn.repr.flags);
        assertEquals(TcpState.SYN_SENT, s.state());
        return syn;
    }

    private static TcpRepr fromPeer(final Seg ours, final int flags, final int seq, final int ack)
    {
        final TcpRepr r = seg(flags, seq, ack, 65535);
        r.srcPort = ours.repr.dstPort;
        r.dstPort = ours.repr.srcPort;
        return r;
    }

    @Test
    void rfc9293_3_10_7_3_activeOpenEstablishesOnSynAck()
    {
        final TcpSocket s = h.tcp.openSocket();
        final int[] connected = new int[1];
        s.setListener(new TcpSocketListener()
        {
            @Override
            public void onConnected(final TcpSocket socket)
            {
                connected[0]++;
            }
        });
        final Seg syn = activeSyn(s);
        assertEquals(1460, syn.repr.mss);
        assertTrue(syn.repr.sackPermitted && syn.repr.hasTimestamps && syn.repr.windowScale == 5);
        assertTrue(s.localPort() >= 49152, "RFC 6056 ephemeral range");
        final TcpRepr synAck = fromPeer(syn, SYN | ACK, 7000, syn.repr.seq + 1);
        synAck.mss = 1460;
        h.send(synAck);
        assertEquals(TcpState.ESTABLISHED, s.state());
        assertEquals(1, connected[0]);
        final Seg ack = h.expectOne();
        assertEquals(ACK, ack.repr.flags);
        assertEquals(7001, ack.repr.ack);
        assertEquals(syn.repr.seq + 1, ack.repr.seq);
    }

    @Test
    void rfc9293_3_10_7_3_rstWithAcceptableAckInSynSentMeansRefused()
    {
        final TcpSocket s = h.tcp.openSocket();
        final TcpError[] err = new TcpError[1];
        s.setListener(new TcpSocketListener()
        {
            @Override
            public void onError(final TcpSocket socket, final TcpError error)
            {
                err[0] = error;
            }
        });
        final Seg syn = activeSyn(s);
        h.send(fromPeer(syn, RST | ACK, 0, syn.repr.seq + 1));
        assertEquals(TcpState.CLOSED, s.state());
        assertEquals(TcpError.REFUSED, s.error());
        assertEquals(TcpError.REFUSED, err[0]);
    }

    @Test
    void rfc5961_3_2_rstWithoutAckInSynSentIsIgnored()
    {
        final TcpSocket s = h.tcp.openSocket();
        final Seg syn = activeSyn(s);
        h.send(fromPeer(syn, RST, 0, 0));
        assertEquals(TcpState.SYN_SENT, s.state());
    }

    @Test
    void rfc9293_3_10_7_3_unacceptableAckInSynSentGetsRst()
    {
        final TcpSocket s = h.tcp.openSocket();
        final Seg syn = activeSyn(s);
        h.send(fromPeer(syn, SYN | ACK, 7000, syn.repr.seq + 5));
        final Seg rst = h.expectOne();
        assertEquals(RST, rst.repr.flags);
        assertEquals(syn.repr.seq + 5, rst.repr.seq);
        assertEquals(TcpState.SYN_SENT, s.state());
    }

    @Test
    void rfc9293_3_5_simultaneousOpenGoesThroughSynReceived()
    {
        final TcpSocket s = h.tcp.openSocket();
        final Seg syn = activeSyn(s);
        h.send(fromPeer(syn, SYN, 7000, 0));
        assertEquals(TcpState.SYN_RECEIVED, s.state());
        final Seg synAck = h.expectOne();
        assertEquals(SYN | ACK, synAck.repr.flags);
        assertEquals(syn.repr.seq, synAck.repr.seq);
        assertEquals(7001, synAck.repr.ack);
        h.send(fromPeer(syn, SYN | ACK, 7000, syn.repr.seq + 1));
        h.send(fromPeer(syn, ACK, 7001, syn.repr.seq + 1));
        assertEquals(TcpState.ESTABLISHED, s.state());
    }

    @Test
    void rfc6298_5_5_synIsRetransmittedWithBackoffThenTimesOut()
    {
        h.config.maxSynRetransmissions = 2;
        final TcpSocket s = h.tcp.openSocket();
        final Seg syn = activeSyn(s);
        final long t0 = h.clock.nowNs();
        List<Seg> again = h.advanceToDeadline();
        assertEquals(SYN, again.get(0).repr.flags);
        assertEquals(syn.repr.seq, again.get(0).repr.seq);
        assertEquals(1_000_000_000L, h.clock.nowNs() - t0);
        again = h.advanceToDeadline();
        assertEquals(3_000_000_000L, h.clock.nowNs() - t0, "RTO doubled");
        h.advanceToDeadline();
        assertEquals(TcpState.CLOSED, s.state());
        assertEquals(TcpError.TIMEOUT, s.error());
    }

    @Test
    void rfc9293_3_10_1_connectTimeoutGivesTimeout()
    {
        final TcpSocket s = h.tcp.openSocket().setConnectTimeoutNs(1_500_000_000L);
        activeSyn(s);
        h.advanceToDeadline();
        h.advanceToDeadline();
        assertEquals(TcpState.CLOSED, s.state());
        assertEquals(TcpError.TIMEOUT, s.error());
    }

    @Test
    void rfc1122_4_2_3_9_icmpPortUnreachableInSynSentMeansRefused()
    {
        final TcpSocket s = h.tcp.openSocket();
        final Seg syn = activeSyn(s);
        final UnsafeBuffer quoted = new UnsafeBuffer(new byte[8]);
        quoted.putShort(0, (short)s.localPort(), java.nio.ByteOrder.BIG_ENDIAN);
        quoted.putShort(2, (short)80, java.nio.ByteOrder.BIG_ENDIAN);
        quoted.putInt(4, syn.repr.seq, java.nio.ByteOrder.BIG_ENDIAN);
        h.tcp.onIcmpError(3, 3, TcpHarness.REMOTE, TcpHarness.LOCAL, TcpHarness.REMOTE, quoted, 0, 8, 0, h.clock.nowNs());
        assertEquals(TcpState.CLOSED, s.state());
        assertEquals(TcpError.REFUSED, s.error());
    }

    @Test
    void rfc5927_4_1_icmpQuotingAnUnsentSequenceIsIgnored()
    {
        final TcpSocket s = h.tcp.openSocket();
        final Seg syn = activeSyn(s);
        final UnsafeBuffer quoted = new UnsafeBuffer(new byte[8]);
        quoted.putShort(0, (short)s.localPort(), java.nio.ByteOrder.BIG_ENDIAN);
        quoted.putShort(2, (short)80, java.nio.ByteOrder.BIG_ENDIAN);
        quoted.putInt(4, syn.repr.seq + 100_000, java.nio.ByteOrder.BIG_ENDIAN);
        h.tcp.onIcmpError(3, 3, TcpHarness.REMOTE, TcpHarness.LOCAL, TcpHarness.REMOTE, quoted, 0, 8, 0, h.clock.nowNs());
        assertEquals(TcpState.SYN_SENT, s.state());
    }

    // ---- close -------------------------------------------------------------------------------------

    @Test
    void rfc9293_3_6_activeCloseFinWait1FinWait2TimeWaitClosed()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.close();
        final Seg fin = h.expectOne();
        assertEquals(FIN | ACK, fin.repr.flags);
        assertEquals(e.ourNxt, fin.repr.seq);
        assertEquals(TcpState.FIN_WAIT_1, e.socket.state());
        e.ourNxt++;
        e.peerSends(new byte[0], 0);
        assertEquals(TcpState.FIN_WAIT_2, e.socket.state());
        e.peerSends(new byte[0], FIN);
        assertEquals(TcpState.TIME_WAIT, e.socket.state());
        final Seg ack = h.expectOne();
        assertEquals(ACK, ack.repr.flags);
        assertEquals(e.peerNxt, ack.repr.ack);
        final long t = h.clock.nowNs();
        h.advanceToDeadline();
        assertEquals(2 * h.config.mslNs, h.clock.nowNs() - t, "RFC 9293 §3.10.7.4: 2 MSL");
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void rfc9293_3_6_passiveCloseCloseWaitLastAckClosed()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[16]);
        e.peerSends(new byte[0], FIN);
        assertEquals(TcpState.CLOSE_WAIT, e.socket.state());
        assertEquals(-1, e.socket.read(buf, 0, 16), "end of stream");
        assertEquals(e.peerNxt, h.expectOne().repr.ack);
        e.socket.close();
        final Seg fin = h.expectOne();
        assertEquals(FIN | ACK, fin.repr.flags);
        assertEquals(TcpState.LAST_ACK, e.socket.state());
        e.ourNxt++;
        e.peerSends(new byte[0], 0);
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(TcpError.NONE, e.socket.error());
    }

    @Test
    void rfc9293_3_6_simultaneousCloseGoesThroughClosing()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.close();
        h.expectOne();
        // The peer's FIN crosses ours: it does not ack our FIN yet.
        h.send(seg(FIN | ACK, e.peerNxt, e.ourNxt, 65535));
        e.peerNxt++;
        assertEquals(TcpState.CLOSING, e.socket.state());
        h.expectOne();
        e.ourNxt++;
        e.peerSends(new byte[0], 0);
        assertEquals(TcpState.TIME_WAIT, e.socket.state());
    }

    @Test
    void rfc9293_3_6_finWait1WithFinAckGoesStraightToTimeWait()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.close();
        h.expectOne();
        e.ourNxt++;
        e.peerSends(new byte[0], FIN);
        assertEquals(TcpState.TIME_WAIT, e.socket.state());
    }

    @Test
    void rfc9293_3_6_halfCloseKeepsReceiving()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.shutdownOutput();
        assertEquals(FIN | ACK, h.expectOne().repr.flags);
        e.ourNxt++;
        e.peerSends(new byte[0], 0);
        assertEquals(TcpState.FIN_WAIT_2, e.socket.state());
        e.peerSends(TcpHarness.bytes(100, 1), PSH);
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[200]);
        assertEquals(100, e.socket.read(buf, 0, 200));
        assertEquals(TcpHarness.bytes(100, 1)[99], buf.getByte(99));
        assertEquals(-1, e.socket.write(buf, 0, 10), "output is shut down");
    }

    @Test
    void rfc9293_3_10_7_4_retransmittedFinInTimeWaitIsAckedAndRestartsTimer()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.close();
        h.expectOne();
        e.ourNxt++;
        e.peerSends(new byte[0], FIN);
        h.expectOne();
        h.clock.advanceMs(10_000);
        h.send(seg(FIN | ACK, e.peerNxt - 1, e.ourNxt, 65535));
        assertEquals(e.peerNxt, h.expectOne().repr.ack);
        final long t = h.clock.nowNs();
        h.advanceToDeadline();
        assertEquals(2 * h.config.mslNs, h.clock.nowNs() - t);
    }

    @Test
    void rfc1337_timeWaitIgnoresRst()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.close();
        h.expectOne();
        e.ourNxt++;
        e.peerSends(new byte[0], FIN);
        h.expectOne();
        h.send(seg(RST, e.peerNxt, 0, 0));
        assertEquals(TcpState.TIME_WAIT, e.socket.state());
        assertEquals(1, h.tcp.connectionCount());
    }

    @Test
    void rfc9293_3_10_5_abortSendsRst()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.abort();
        final Seg rst = h.expectOne();
        assertEquals(RST, rst.repr.flags);
        assertEquals(e.ourNxt, rst.repr.seq);
        assertEquals(TcpState.CLOSED, e.socket.state());
    }

    @Test
    void rfc2525_2_17_closeWithUnreadDataSendsRst()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.peerSends(new byte[10], PSH);
        e.socket.close();
        final List<Seg> out = h.poll();
        assertTrue(out.stream().anyMatch(s -> s.repr.flags == RST), out.toString());
    }

    @Test
    void rfc1122_4_2_2_13_dataArrivingAfterCloseIsAnsweredWithRst()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.close();
        final Seg fin = h.expectOne();
        assertEquals(FIN | ACK, fin.repr.flags);
        e.ourNxt++;
        e.peerSends(new byte[10], PSH); // acknowledges our FIN and sends data nobody will read
        final List<Seg> out = h.poll();
        assertEquals(1, out.size(), out.toString());
        assertEquals(RST, out.get(0).repr.flags);
        assertEquals(e.ourNxt, out.get(0).repr.seq);
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(1, h.tcp.counters().abortsOnDataAfterClose);
    }

    @Test
    void rfc1122_4_2_2_13_dataAfterShutdownOutputIsStillDelivered()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.shutdownOutput();
        h.expectOne();
        e.ourNxt++;
        e.peerSends(new byte[10], PSH);
        assertEquals(10, e.socket.readableBytes(), "a half close still receives");
        assertEquals(TcpState.FIN_WAIT_2, e.socket.state());
    }

    @Test
    void abortAllResetsEveryOpenConnectionAndCountsTheClosingOnes()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        assertEquals(0, h.tcp.closingConnections());
        e.socket.close();
        h.expectOne(); // FIN
        assertEquals(1, h.tcp.closingConnections(), "FIN-WAIT-1");
        h.tcp.abortAll();
        final Seg rst = h.expectOne();
        assertEquals(RST, rst.repr.flags);
        assertEquals(e.ourNxt + 1, rst.repr.seq);
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(0, h.tcp.closingConnections());
        h.tcp.abortAll();
        h.expectNothing();
    }

    // ---- RFC 5961 ----------------------------------------------------------------------------------

    @Test
    void rfc5961_3_2_exactRstResetsTheConnection()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        h.send(seg(RST, e.peerNxt, 0, 0));
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(TcpError.RESET, e.socket.error());
    }

    @Test
    void rfc5961_3_2_inWindowRstGetsChallengeAck()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        h.send(seg(RST, e.peerNxt + 100, 0, 0));
        assertEquals(TcpState.ESTABLISHED, e.socket.state());
        final Seg ack = h.expectOne();
        assertEquals(ACK, ack.repr.flags);
        assertEquals(e.peerNxt, ack.repr.ack);
        assertEquals(e.ourNxt, ack.repr.seq);
    }

    @Test
    void rfc5961_3_2_outOfWindowRstIsDropped()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        h.send(seg(RST, e.peerNxt + 5_000_000, 0, 0));
        assertEquals(TcpState.ESTABLISHED, e.socket.state());
        h.expectNothing();
    }

    @Test
    void rfc5961_4_2_synInEstablishedGetsChallengeAck()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        h.send(seg(SYN, e.peerNxt + 10, 0, 65535));
        assertEquals(TcpState.ESTABLISHED, e.socket.state());
        final Seg ack = h.expectOne();
        assertEquals(ACK, ack.repr.flags);
        assertEquals(e.peerNxt, ack.repr.ack);
    }

    @Test
    void rfc5961_5_2_ackOfUnsentDataIsAnsweredAndDropped()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        h.send(seg(ACK | PSH, e.peerNxt, e.ourNxt + 1000, 65535), new byte[10]);
        final Seg ack = h.expectOne();
        assertEquals(e.peerNxt, ack.repr.ack, "the data was not accepted");
        assertEquals(0, e.socket.readableBytes());
    }

    @Test
    void rfc5961_7_challengeAcksAreRateLimitedPerConnection()
    {
        h.config.challengeAcks(3, 5_000_000_000L);
        final TcpHarness.Established e = h.establishPassive(false);
        int acks = 0;
        for (int i = 0; i < 10; i++)
        {
            h.send(seg(RST, e.peerNxt + 100 + i, 0, 0));
            acks += h.poll().size();
        }
        assertTrue(acks >= 1 && acks <= 3, "budget between half and all of 3, got " + acks);
        assertEquals(10 - acks, h.tcp.counters().challengeAcksSuppressed);
    }

    @Test
    void rfc5961_7_hundredInWindowRstsGetAtMostTenChallengeAcks()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        int acks = 0;
        for (int i = 0; i < 100; i++)
        {
            h.send(seg(RST, e.peerNxt + 100 + i, 0, 0));
            acks += h.poll().size();
            h.clock.advanceMs(10); // 100 RSTs over 1 s, all inside one 5 s window
        }
        assertTrue(acks >= 5 && acks <= h.config.challengeAcksPerWindow, "got " + acks);
        assertEquals(TcpState.ESTABLISHED, e.socket.state());
    }

    @Test
    void rfc5961_7_budgetRefillsAfterTheWindowAndIsRandomised()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        final java.util.Set<Integer> budgets = new java.util.HashSet<>();
        for (int w = 0; w < 20; w++)
        {
            int acks = 0;
            for (int i = 0; i < 30; i++)
            {
                h.send(seg(RST, e.peerNxt + 100 + i, 0, 0));
                acks += h.poll().size();
            }
            assertTrue(acks >= 5 && acks <= 10, "window " + w + ": " + acks);
            budgets.add(acks);
            h.clock.advanceMs(5_000);
        }
        assertTrue(budgets.size() > 1, "the budget varies from window to window: " + budgets);
    }

    @Test
    void rfc5961_7_cve_2016_5696_rstsOnConnectionADoNotStopTheChallengeAckOfConnectionB()
    {
        final TcpHarness.Established a = h.establishPassive(false);
        // A second connection from another port of the peer.
        final TcpRepr syn = seg(SYN, 7000, 0, 65535);
        syn.srcPort = TcpHarness.REMOTE_PORT + 1;
        h.send(syn);
        final Seg synAck = h.expectOne();
        final TcpRepr ack = seg(ACK, 7001, synAck.repr.seq + 1, 65535);
        ack.srcPort = TcpHarness.REMOTE_PORT + 1;
        h.send(ack);
        final TcpSocket b = a.listener.accept();
        assertEquals(TcpState.ESTABLISHED, b.state());

        int acksOnA = 0;
        for (int i = 0; i < 2_500; i++)
        {
            h.send(seg(RST, a.peerNxt + 100 + (i % 1000), 0, 0));
            acksOnA += h.poll().size();
        }
        assertTrue(acksOnA <= h.config.challengeAcksPerWindow, "A is throttled: " + acksOnA);

        final TcpRepr rstB = seg(RST, 7001 + 100, 0, 0);
        rstB.srcPort = TcpHarness.REMOTE_PORT + 1;
        h.send(rstB);
        final List<Seg> out = h.poll();
        assertEquals(1, out.size(), "B still gets its challenge ACK: " + out);
        assertEquals(ACK, out.get(0).repr.flags);
        assertEquals(TcpHarness.REMOTE_PORT + 1, out.get(0).repr.dstPort);
        assertEquals(7001, out.get(0).repr.ack);
        assertEquals(TcpState.ESTABLISHED, b.state());
    }

    @Test
    void rfc9293_3_10_7_4_outOfWindowSegmentGetsAckWithoutChangingState()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        h.send(seg(ACK | PSH, e.peerNxt - 5000, e.ourNxt, 65535), new byte[10]);
        final Seg ack = h.expectOne();
        assertEquals(e.peerNxt, ack.repr.ack);
        assertEquals(0, e.socket.readableBytes());
    }

    @Test
    void rfc7323_5_3_pawsDropsSegmentWithOldTimestamp()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        final TcpRepr old = e.peer(ACK | PSH);
        old.tsVal = 10; // older than TS.Recent
        h.send(old, new byte[10]);
        assertEquals(0, e.socket.readableBytes());
        final Seg ack = h.expectOne();
        assertEquals(e.peerNxt, ack.repr.ack);
        e.peerSends(new byte[10], PSH);
        assertEquals(10, e.socket.readableBytes());
    }

    @Test
    void rfc6528_isnDependsOnTupleAndClock()
    {
        final TcpSocket a = h.tcp.openSocket();
        final Seg synA = activeSyn(a);
        final TcpSocket b = h.tcp.openSocket();
        final Seg synB = activeSyn(b);
        assertNotEquals(synA.repr.srcPort, synB.repr.srcPort);
        assertNotEquals(synA.repr.seq, synB.repr.seq);
        final TcpHarness other = new TcpHarness();
        final TcpSocket c = other.tcp.openSocket();
        c.connect(TcpHarness.REMOTE, 80);
        other.clock.advanceMs(1);
        final TcpHarness.Seg synC = other.expectOne();
        assertEquals(synA.repr.srcPort, synC.repr.srcPort, "same key, same first port");
        assertEquals(synA.repr.seq, synC.repr.seq, "connect time fixes the ISN");
    }

    @Test
    void rfc9293_3_9_2_2_segmentToBroadcastIsSilentlyDiscarded()
    {
        h.tcp.listen(80, 4);
        h.sendFromTo(seg(SYN, 1000, 0, 65535), new byte[0], TcpHarness.REMOTE, 0xFFFFFFFF);
        h.sendFromTo(seg(SYN, 1000, 0, 65535), new byte[0], TcpHarness.REMOTE, 0x0A0000FF);
        h.expectNothing();
        assertEquals(2, h.tcp.counters().notUnicast);
    }

    @Test
    void rfc1122_4_2_3_10_synFromMulticastSourceIsDiscarded()
    {
        h.tcp.listen(80, 4);
        h.sendFromTo(seg(SYN, 1000, 0, 65535), new byte[0], 0xE0000001, TcpHarness.LOCAL);
        h.expectNothing();
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void rfc9293_3_9_1_1_openToBroadcastIsRejected()
    {
        final TcpSocket s = h.tcp.openSocket();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> s.connect(0xFFFFFFFF, 80));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> s.connect(0xE0000001, 80));
    }

    @Test
    void rfc9293_3_10_7_3_segmentsCarryMssOnlyOnSyn()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        e.socket.setNoDelay(true);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[10]);
        e.socket.write(b, 0, 10);
        final Seg data = h.expectOne();
        assertEquals(0, data.repr.mss, "MUST-65");
        assertEquals(ACK | PSH, data.repr.flags, "MUST-61: PSH on the last segment of the data");
    }

    @Test
    void closedConnectionDoesNotWaitInFinWait2Forever()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.close();
        h.expectOne();
        e.ourNxt++;
        e.peerSends(new byte[0], 0);
        assertEquals(TcpState.FIN_WAIT_2, e.socket.state());
        final long t = h.clock.nowNs();
        h.advanceToDeadline();
        assertEquals(h.config.finWait2TimeoutNs, h.clock.nowNs() - t);
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(0, h.tcp.connectionCount());
    }

    @Test
    void rfc1122_4_2_3_9_unreachableNeighbourInSynSentGivesUnreachable()
    {
        final TcpSocket s = h.tcp.openSocket();
        assertTrue(s.connect(TcpHarness.REMOTE, 80));
        h.sender.refuseAfter = 0;
        h.sender.refusal = io.conntest.stack.iface.Ipv4Sender.Refusal.NEIGHBOUR_UNREACHABLE;
        h.poll();
        assertEquals(TcpState.CLOSED, s.state());
        assertEquals(TcpError.UNREACHABLE, s.error());
    }

    @Test
    void deviceBusyKeepsTheSegmentForTheNextPoll()
    {
        final TcpSocket s = h.tcp.openSocket();
        assertTrue(s.connect(TcpHarness.REMOTE, 80));
        h.sender.refuseAfter = 0;
        h.expectNothing();
        assertEquals(h.clock.nowNs(), h.tcp.pollAtNs(h.clock.nowNs()), "work is still due");
        h.sender.refuseAfter = -1;
        assertEquals(SYN, h.expectOne().repr.flags);
    }
}
