package io.conntest.stack.tcp;

import io.conntest.stack.tcp.TcpHarness.Seg;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.conntest.stack.tcp.TcpHarness.seg;
import static io.conntest.stack.tcp.TcpPacketFlags.ACK;
import static io.conntest.stack.tcp.TcpPacketFlags.PSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segment-level scripted tests of the sender and the receiver (RFC 9293 §3.8, RFC 5681, RFC 6298, RFC 1122). */
class TcpDataTransferTest
{
    private final TcpHarness h = new TcpHarness();
    private final UnsafeBuffer buf = new UnsafeBuffer(new byte[1 << 20]);

    private int write(final TcpHarness.Established e, final int n)
    {
        buf.putBytes(0, TcpHarness.bytes(n, 3));
        return e.socket.write(buf, 0, n);
    }

    @Test
    void rfc1122_4_2_3_2_delayedAckIsSentWithinTheDelay()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.peerSends(new byte[100], PSH);
        h.expectNothing();
        h.clock.advanceMs(39);
        h.expectNothing();
        h.clock.advanceMs(1);
        final Seg ack = h.expectOne();
        assertEquals(e.peerNxt, ack.repr.ack);
    }

    @Test
    void rfc1122_4_2_3_2_everySecondFullSegmentIsAckedAtOnce()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.peerSends(new byte[1460], 0);
        h.expectNothing();
        e.peerSends(new byte[1460], 0);
        assertEquals(e.peerNxt, h.expectOne().repr.ack);
    }

    @Test
    void rfc9293_3_10_7_4_dataIsDeliveredInOrderAndCounted()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        final byte[] data = TcpHarness.bytes(3000, 9);
        e.peerSends(data, PSH);
        final byte[] got = new byte[3000];
        final UnsafeBuffer b = new UnsafeBuffer(got);
        assertEquals(3000, e.socket.read(b, 0, 3000));
        assertArrayEquals(data, got);
        final TcpStats stats = e.socket.stats(new TcpStats());
        assertEquals(3000, stats.bytesIn);
        assertTrue(stats.segmentsIn >= 2);
    }

    @Test
    void rfc5681_4_2_outOfOrderSegmentIsAckedAtOnceWithSackBlock()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        final TcpRepr ahead = e.peer(ACK);
        ahead.seq = e.peerNxt + 1000;
        h.send(ahead, new byte[500]);
        final Seg dup = h.expectOne();
        assertEquals(e.peerNxt, dup.repr.ack);
        assertEquals(1, dup.repr.sackBlockCount, "RFC 2018 §4");
        assertEquals(e.peerNxt + 1000, dup.repr.sackLeft[0]);
        assertEquals(e.peerNxt + 1500, dup.repr.sackRight[0]);
        // The gap fills: everything is readable and acknowledged at once.
        e.peerSends(new byte[1000], 0);
        final Seg ack = h.expectOne();
        assertEquals(e.peerNxt + 500, ack.repr.ack);
        assertEquals(0, ack.repr.sackBlockCount);
        assertEquals(1500, e.socket.readableBytes());
    }

    @Test
    void rfc896_nagleHoldsASmallSegmentWhileDataIsUnacknowledged()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        assertEquals(10, write(e, 10));
        assertEquals(10, h.expectOne().payload.length);
        assertEquals(10, write(e, 10));
        h.expectNothing();
        e.ourNxt += 10;
        e.peerSends(new byte[0], 0);
        final Seg next = h.expectOne();
        assertEquals(10, next.payload.length);
        assertEquals(e.ourNxt, next.repr.seq);
    }

    @Test
    void rfc9293_3_7_4_noDelaySendsSmallSegmentsAtOnce()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.setNoDelay(true);
        write(e, 10);
        h.expectOne();
        write(e, 10);
        assertEquals(10, h.expectOne().payload.length);
    }

    @Test
    void rfc6928_initialWindowIsTenSegments()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        assertEquals(100_000, write(e, 100_000));
        final List<Seg> out = h.poll();
        assertEquals(10, out.size());
        for (final Seg s : out)
        {
            assertEquals(1460, s.payload.length, "RFC 6691: MSS 1460 without timestamps");
        }
    }

    @Test
    void rfc6691_timestampsReduceThePayloadPerSegment()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        write(e, 10_000);
        final List<Seg> out = h.poll();
        assertEquals(1448, out.get(0).payload.length);
        assertTrue(out.get(0).repr.hasTimestamps);
    }

    @Test
    void rfc6298_5_retransmitsOnTimeoutWithExponentialBackoff()
    {
        h.config.tailLossProbe = false;
        final TcpHarness.Established e = h.establishPassive(false);
        write(e, 100);
        final Seg first = h.expectOne();
        final long t0 = h.clock.nowNs();
        List<Seg> again = h.advanceToDeadline();
        assertEquals(first.repr.seq, again.get(0).repr.seq);
        assertArrayEquals(first.payload, again.get(0).payload);
        final long rto1 = h.clock.nowNs() - t0;
        again = h.advanceToDeadline();
        assertEquals(first.repr.seq, again.get(0).repr.seq);
        assertEquals(3 * rto1, h.clock.nowNs() - t0, "RFC 6298 §5.5: the RTO doubles");
        final TcpStats stats = e.socket.stats(new TcpStats());
        assertEquals(2, stats.retransmissions);
        assertEquals(2, stats.rtoExpirations);
    }

    @Test
    void rfc6298_5_timersKeepTheirOrderAcrossTheWrapOfTheClock()
    {
        // System.nanoTime() may be anywhere: start 1.5 s before the long wraps, with the keep-alive timer 2 h ahead
        // (past the wrap, a negative number) and the RTO 1 s ahead (before it). Compared as plain numbers the
        // keep-alive would look due at once; compared by their difference, the RTO comes first, then doubles.
        final TcpConfig config = new TcpConfig();
        config.tailLossProbe = false;
        config.keepAlive = true;
        final TcpHarness w = new TcpHarness(config, Long.MAX_VALUE - 1_500_000_000L);
        final TcpHarness.Established e = w.establishPassive(false);
        write(e, 100);
        final Seg first = w.expectOne();
        final long t0 = w.clock.nowNs();
        List<Seg> again = w.advanceToDeadline();
        assertEquals(1, again.size());
        assertEquals(first.repr.seq, again.get(0).repr.seq);
        assertArrayEquals(first.payload, again.get(0).payload);
        final long rto1 = w.clock.nowNs() - t0;
        assertEquals(1_000_000_000L, rto1);
        again = w.advanceToDeadline();
        assertTrue(w.clock.nowNs() < 0, "the clock wrapped");
        assertEquals(1, again.size());
        assertEquals(first.repr.seq, again.get(0).repr.seq);
        assertEquals(3 * rto1, w.clock.nowNs() - t0, "RFC 6298 §5.5: the RTO doubles");
        final TcpStats stats = e.socket.stats(new TcpStats());
        assertEquals(2, stats.retransmissions);
        assertEquals(2, stats.rtoExpirations);
    }

    @Test
    void rfc8985_7_tailLossProbeResendsTheLastSegmentBeforeTheRto()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        // An RTT sample first (the handshake gave 0): 10 ms.
        write(e, 100);
        h.poll();
        h.clock.advanceMs(10);
        e.ourNxt += 100;
        e.peerSends(new byte[0], 0);
        write(e, 3 * 1460);
        final List<Seg> flight = h.poll();
        assertEquals(3, flight.size());
        final long t0 = h.clock.nowNs();
        final List<Seg> probe = h.advanceToDeadline();
        assertEquals(1, probe.size());
        assertEquals(flight.get(2).repr.seq, probe.get(0).repr.seq, "the last segment");
        assertTrue(h.clock.nowNs() - t0 < 1_000_000_000L, "before the 1 s RTO");
        assertEquals(1, e.socket.stats(new TcpStats()).retransmissions);
    }

    @Test
    void rfc9293_3_8_3_givesUpAfterR2Retransmissions()
    {
        h.config.tailLossProbe = false;
        h.config.maxRetransmissions = 3;
        final TcpHarness.Established e = h.establishPassive(false);
        write(e, 100);
        h.poll();
        for (int i = 0; i < 4; i++)
        {
            h.advanceToDeadline();
        }
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(TcpError.TIMEOUT, e.socket.error());
    }

    @Test
    void rfc6298_3_rttIsMeasuredFromAcknowledgedSegments()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        write(e, 100);
        h.poll();
        h.clock.advanceMs(20);
        e.ourNxt += 100;
        e.peerSends(new byte[0], 0);
        final TcpStats stats = e.socket.stats(new TcpStats());
        // RFC 6298 §2.3: the handshake gave a first sample of 0, so SRTT = 7/8 * 0 + 1/8 * 20 ms.
        assertEquals(2_500_000L, stats.srttNs);
    }

    @Test
    void rfc5681_3_2_threeDuplicateAcksTriggerFastRetransmit()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        write(e, 10 * 1460);
        assertEquals(10, h.poll().size());
        final int base = e.ourNxt;
        e.ourNxt = base + 1460; // the first segment arrived, the second was lost
        e.peerSends(new byte[0], 0);
        h.poll();
        for (int i = 0; i < 3; i++)
        {
            e.peerSends(new byte[0], 0);
        }
        final List<Seg> out = h.poll();
        assertTrue(!out.isEmpty());
        assertEquals(base + 1460, out.get(0).repr.seq, "the lost segment is sent again without waiting for the RTO");
        assertEquals(1, e.socket.stats(new TcpStats()).fastRetransmits);
    }

    @Test
    void rfc9293_3_8_6_1_zeroWindowIsProbedByThePersistTimer()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        h.send(seg(ACK, e.peerNxt, e.ourNxt, 0));
        write(e, 100);
        h.expectNothing();
        final List<Seg> probe = h.advanceToDeadline();
        assertEquals(1, probe.size());
        assertEquals(e.ourNxt - 1, probe.get(0).repr.seq);
        // The window opens: the data goes.
        h.send(seg(ACK, e.peerNxt, e.ourNxt, 65535));
        final Seg data = h.expectOne();
        assertEquals(100, data.payload.length);
    }

    @Test
    void rfc7323_2_3_peerWindowIsScaled()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        e.socket.setNoDelay(true);
        final TcpRepr w = e.peer(ACK);
        w.window = 2; // 2 << 7 = 256 bytes
        h.send(w);
        write(e, 1000);
        final List<Seg> out = h.poll();
        // 256 bytes fit, but a short segment of less than half the largest window waits (RFC 9293 §3.8.6.2.1)
        assertEquals(0, out.size());
        final TcpRepr wider = e.peer(ACK);
        wider.window = 300; // 38,400 bytes: more than half the largest window seen (65,536)
        h.send(wider);
        final List<Seg> out2 = h.poll();
        assertEquals(1, out2.size());
        assertEquals(1000, out2.get(0).payload.length);
    }

    @Test
    void rfc9293_3_8_6_2_1_swsOverrideTimerSendsWhatASmallWindowHoldsBack()
    {
        final TcpHarness.Established e = h.establishPassive(false); // the peer offered 65,535 bytes once
        final TcpRepr small = e.peer(ACK);
        small.window = 1000;
        h.send(small);
        write(e, 4000);
        final long t0 = h.clock.nowNs();
        assertEquals(0, h.poll().size(), "1,000 B is short of an MSS and of half the largest window: SWS waits");
        final List<Seg> out = h.advanceToDeadline();
        final long waited = h.clock.nowNs() - t0;
        assertEquals(1, out.size(), out.toString());
        assertEquals(1000, out.get(0).payload.length, "the whole usable window");
        assertTrue(waited >= 100_000_000L && waited <= 1_000_000_000L, "RFC 1122 §4.2.3.4: 0.1 - 1 s, was " + waited);
        // The peer acknowledges and keeps offering 1,000 bytes: the next short segment follows after the timeout again.
        e.ourNxt += 1000;
        final TcpRepr again = e.peer(ACK);
        again.window = 1000;
        h.send(again);
        assertEquals(0, h.poll().size());
        final List<Seg> next = h.advanceToDeadline();
        assertEquals(1, next.size(), next.toString());
        assertEquals(1000, next.get(0).payload.length);
        assertEquals(e.ourNxt, next.get(0).repr.seq);
    }

    @Test
    void rfc9293_3_10_7_4_zeroWindowStillProcessesAcks()
    {
        h.config.receiveBufferBytes = 2048;
        final TcpHarness.Established e = h.establishPassive(false);
        e.peerSends(new byte[2048], 0);
        h.clock.advanceMs(40);
        assertEquals(0, h.expectOne().repr.window, "window closed");
        write(e, 100);
        h.poll();
        // Data at RCV.NXT with a closed window: the text is dropped, its ACK still counts.
        h.send(seg(ACK, e.peerNxt, e.ourNxt + 100, 65535), new byte[10]);
        assertEquals(0, e.socket.unacknowledgedBytes());
        assertEquals(2048, e.socket.readableBytes());
    }

    @Test
    void rfc9293_3_8_6_2_2_windowUpdateOnlyWhenItGrowsByAnMssOrHalfTheBuffer()
    {
        h.config.receiveBufferBytes = 8192;
        final TcpHarness.Established e = h.establishPassive(false);
        e.peerSends(new byte[8192 - 100], 0);
        e.peerSends(new byte[100], 0);
        final List<Seg> acks = h.poll();
        assertEquals(0, acks.get(acks.size() - 1).repr.window);
        final UnsafeBuffer small = new UnsafeBuffer(new byte[8192]);
        e.socket.read(small, 0, 100);
        h.expectNothing(); // 100 bytes of room: silly window, no update
        e.socket.read(small, 0, 4000);
        final Seg update = h.expectOne();
        assertEquals(4100, update.repr.window);
    }

    @Test
    void rfc9293_3_8_6_receiveWindowNeverShrinks()
    {
        h.config.receiveBufferBytes = 8192;
        final TcpHarness.Established e = h.establishPassive(false);
        int lastEdge = e.peerNxt + 8192;
        for (int i = 0; i < 5; i++)
        {
            e.peerSends(new byte[1000], 0);
            for (final Seg s : h.poll())
            {
                final int edge = s.repr.ack + s.repr.window;
                assertTrue(edge - lastEdge >= 0, "right edge moved left");
                lastEdge = edge;
            }
            h.clock.advanceMs(50);
        }
    }

    @Test
    void sendBufferFullGivesBackpressureThenOnWritable()
    {
        h.config.sendBufferBytes = 4096;
        final TcpHarness.Established e = h.establishPassive(false);
        final int[] writable = new int[1];
        e.socket.setListener(new TcpSocketListener()
        {
            @Override
            public void onWritable(final TcpSocket socket)
            {
                writable[0]++;
            }
        });
        assertEquals(4096, write(e, 10_000));
        assertEquals(0, write(e, 10));
        final List<Seg> out = h.poll();
        int sent = 0;
        for (final Seg s : out)
        {
            sent += s.payload.length;
        }
        e.ourNxt += sent;
        e.peerSends(new byte[0], 0);
        assertEquals(1, writable[0]);
        assertEquals(sent, e.socket.writableBytes());
    }

    @Test
    void rfc1122_4_2_3_6_keepAliveProbesThenTimesOut()
    {
        h.config.keepAlive(true, 10_000_000_000L, 1_000_000_000L, 2);
        final TcpHarness.Established e = h.establishPassive(false);
        final List<Seg> probe = h.advanceToDeadline();
        assertEquals(1, probe.size());
        assertEquals(e.ourNxt - 1, probe.get(0).repr.seq);
        h.advanceToDeadline();
        h.advanceToDeadline();
        assertEquals(TcpState.CLOSED, e.socket.state());
        assertEquals(TcpError.TIMEOUT, e.socket.error());
    }

    @Test
    void rfc9293_3_7_1_sendMssIs536WithoutMssOption()
    {
        final TcpListener l = h.tcp.listen(80, 4);
        h.send(seg(io.conntest.stack.tcp.TcpPacketFlags.SYN, 1000, 0, 65535));
        final Seg synAck = h.expectOne();
        h.send(seg(ACK, 1001, synAck.repr.seq + 1, 65535));
        final TcpSocket s = l.accept();
        buf.putBytes(0, new byte[5000]);
        s.write(buf, 0, 5000);
        final List<Seg> out = h.poll();
        assertEquals(536, out.get(0).payload.length, "MUST-15");
    }

    @Test
    void rfc6298_3_karnNoRttSampleFromARetransmittedSegment()
    {
        h.config.tailLossProbe = false;
        final TcpHarness.Established e = h.establishPassive(false);
        final long srttBefore = e.socket.stats(new TcpStats()).srttNs;
        write(e, 100);
        h.poll();
        h.advanceToDeadline(); // RTO: the segment is sent again
        h.clock.advanceMs(5);
        e.ourNxt += 100;
        e.peerSends(new byte[0], 0);
        assertEquals(srttBefore, e.socket.stats(new TcpStats()).srttNs, "MUST-18: ambiguous ACK gives no sample");
    }

    @Test
    void rfc9293_3_8_6_robustAgainstAShrinkingWindow()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        write(e, 4 * 1460);
        assertEquals(4, h.poll().size());
        // The peer acknowledges nothing and shrinks its window below what is in flight (MUST-34).
        h.send(seg(ACK, e.peerNxt, e.ourNxt, 1000));
        write(e, 1460);
        h.expectNothing();
        e.ourNxt += 4 * 1460;
        h.send(seg(ACK, e.peerNxt, e.ourNxt, 65535));
        assertEquals(1, h.poll().size());
    }

    @Test
    void rfc6675_2_ackWithNewSackInformationCountsAsDuplicateEvenIfTheWindowMoved()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        write(e, 10 * 1448);
        assertEquals(10, h.poll().size());
        final int base = e.ourNxt;
        e.ourNxt = base + 1448; // segment 1 arrived, segment 2 was lost
        e.peerSends(new byte[0], 0);
        h.poll();
        for (int i = 0; i < 3; i++)
        {
            // Each ACK SACKs one more segment and, like Linux's autotuning receiver, announces a different window.
            final TcpRepr dup = e.peer(ACK);
            dup.window = 600 + i;
            dup.sackBlockCount = 1;
            dup.sackLeft[0] = base + 2 * 1448;
            dup.sackRight[0] = base + (3 + i) * 1448;
            h.send(dup);
        }
        final List<Seg> out = h.poll();
        assertTrue(!out.isEmpty());
        assertEquals(base + 1448, out.get(0).repr.seq, "fast retransmit of the hole");
        assertEquals(1, e.socket.stats(new TcpStats()).fastRetransmits);
    }
}
