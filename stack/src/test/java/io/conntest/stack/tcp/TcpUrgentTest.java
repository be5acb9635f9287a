package io.conntest.stack.tcp;

import io.conntest.stack.tcp.TcpHarness.Seg;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.conntest.stack.tcp.TcpPacketFlags.ACK;
import static io.conntest.stack.tcp.TcpPacketFlags.FIN;
import static io.conntest.stack.tcp.TcpPacketFlags.PSH;
import static io.conntest.stack.tcp.TcpPacketFlags.URG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The urgent mechanism (RFC 9293 §3.8.5, §3.10.7.4 sixth; RFC 6093), urgent bytes inline: MUST-30..33 and MUST-62.
 */
class TcpUrgentTest
{
    private final TcpHarness h = new TcpHarness();
    private final UnsafeBuffer buf = new UnsafeBuffer(new byte[1 << 18]);

    /** Records the callbacks in order: "urgent:N" and "readable". */
    private static final class Recorder implements TcpSocketListener
    {
        final List<String> calls = new ArrayList<>();
        int urgentCalls;
        int lastPending = -1;

        @Override
        public void onUrgent(final TcpSocket socket, final int urgentBytesPending)
        {
            urgentCalls++;
            lastPending = urgentBytesPending;
            calls.add("urgent:" + urgentBytesPending);
        }

        @Override
        public void onReadable(final TcpSocket socket)
        {
            calls.add("readable");
        }
    }

    private Recorder listen(final TcpHarness.Established e)
    {
        final Recorder r = new Recorder();
        e.socket.setListener(r);
        return r;
    }

    /** The peer sends {@code data} at its next sequence number with URG and SEG.UP = {@code up}. */
    private void peerSendsUrgent(final TcpHarness.Established e, final byte[] data, final int up)
    {
        final TcpRepr r = e.peer(ACK | URG);
        r.urgentPointer = up;
        h.send(r, data);
        e.peerNxt += data.length;
    }

    private int read(final TcpHarness.Established e, final int n)
    {
        return e.socket.read(buf, 0, n);
    }

    @Test
    void must32_urgentPointerArrivalNotifiesOnceForTheSameUrgentData()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        final Recorder r = listen(e);
        // The urgent data ends 20 bytes on, beyond this 5-byte segment.
        peerSendsUrgent(e, new byte[5], 20);
        h.poll();
        assertEquals(List.of("urgent:20", "readable"), r.calls, "urgent before readable, once");
        // The next segments repeat the same pointer (SEG.SEQ + SEG.UP unchanged): no new signal.
        peerSendsUrgent(e, new byte[5], 15);
        peerSendsUrgent(e, new byte[5], 10);
        h.poll();
        assertEquals(1, r.urgentCalls);
        assertEquals(20, e.socket.urgentBytesPending());
        // Data without URG does not signal either.
        e.peerSends(new byte[100], PSH);
        h.poll();
        assertEquals(1, r.urgentCalls);
    }

    @Test
    void must32_advancingUrgentPointerNotifiesAgain()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        final Recorder r = listen(e);
        peerSendsUrgent(e, new byte[100], 10);
        h.poll();
        assertEquals(1, r.urgentCalls);
        assertEquals(10, r.lastPending);
        // SEG.SEQ + SEG.UP = start + 150: the pointer advances.
        peerSendsUrgent(e, new byte[100], 50);
        h.poll();
        assertEquals(2, r.urgentCalls);
        assertEquals(150, r.lastPending);
        assertEquals(150, e.socket.urgentBytesPending());
    }

    @Test
    void must32_newUrgentDataAfterTheOldWasReadNotifies()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        final Recorder r = listen(e);
        peerSendsUrgent(e, new byte[10], 10);
        h.poll();
        assertEquals(10, read(e, 10));
        assertEquals(0, e.socket.urgentBytesPending());
        peerSendsUrgent(e, new byte[10], 3);
        h.poll();
        assertEquals(2, r.urgentCalls);
        assertEquals(3, r.lastPending);
    }

    @Test
    void must33_pendingUrgentCountFallsAsTheApplicationReadsAndBytesStayInline()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        listen(e);
        assertEquals(0, e.socket.urgentBytesPending());
        final byte[] data = TcpHarness.bytes(200, 7);
        peerSendsUrgent(e, data, 100);
        h.poll();
        assertEquals(100, e.socket.urgentBytesPending());
        assertEquals(30, read(e, 30));
        assertEquals(70, e.socket.urgentBytesPending());
        assertEquals(80, read(e, 80));
        assertEquals(0, e.socket.urgentBytesPending());
        assertEquals(90, read(e, 200));
        assertEquals(0, e.socket.urgentBytesPending());
    }

    @Test
    void rfc6093_5_urgentBytesAreReadInlineInOrder()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        final byte[] data = TcpHarness.bytes(50, 11);
        peerSendsUrgent(e, data, 20);
        h.poll();
        final byte[] got = new byte[50];
        final UnsafeBuffer b = new UnsafeBuffer(got);
        assertEquals(50, e.socket.read(b, 0, 50));
        assertArrayEquals(data, got);
    }

    @Test
    void must31_receivesUrgentDataOfMoreThanOneSegmentAndMoreThan64KiB()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        final Recorder r = listen(e);
        final int total = 100_000;
        final int end = e.peerNxt + total;
        final byte[] chunk = new byte[1400];
        int sent = 0;
        int segments = 0;
        while (sent < total)
        {
            final int n = Math.min(chunk.length, total - sent);
            final byte[] data = n == chunk.length ? chunk : new byte[n];
            // A sender as RFC 9293 §3.8.5 describes: SEG.UP = SND.UP - SEG.SEQ, at most 65535.
            peerSendsUrgent(e, data, Math.min(end - e.peerNxt, 0xFFFF));
            sent += n;
            segments++;
            h.poll();
            if (segments == 1)
            {
                assertEquals(65535, e.socket.urgentBytesPending(), "the pointer as far as 16 bits reach");
            }
        }
        assertTrue(segments > 1);
        assertEquals(total, e.socket.urgentBytesPending(), "RCV.UP reached the real end of the urgent data");
        assertTrue(r.urgentCalls > 1, "the pointer advanced while it was clamped");
        assertEquals(total, r.lastPending);
        int left = total;
        while (left > 1)
        {
            final int n = read(e, Math.min(left - 1, buf.capacity()));
            assertTrue(n > 0);
            left -= n;
            assertEquals(left, e.socket.urgentBytesPending());
        }
        assertEquals(1, read(e, 10));
        assertEquals(0, e.socket.urgentBytesPending());
    }

    @Test
    void rfc9293_3_10_7_4_urgOutsideEstablishedAndFinWaitIsIgnored()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        final Recorder r = listen(e);
        e.peerSends(new byte[0], FIN);
        h.poll();
        assertEquals(TcpState.CLOSE_WAIT, e.socket.state());
        final TcpRepr urg = e.peer(ACK | URG);
        urg.urgentPointer = 5;
        h.send(urg);
        h.poll();
        assertEquals(0, r.urgentCalls);
        assertEquals(0, e.socket.urgentBytesPending());
    }

    @Test
    void rfc9293_3_10_7_4_urgWithoutTextInEstablishedIsSignalled()
    {
        // The control case of the test above: the same segment in ESTABLISHED is processed.
        final TcpHarness.Established e = h.establishPassive(false);
        final Recorder r = listen(e);
        final TcpRepr urg = e.peer(ACK | URG);
        urg.urgentPointer = 5;
        h.send(urg);
        h.poll();
        assertEquals(1, r.urgentCalls);
        assertEquals(5, e.socket.urgentBytesPending());
    }

    @Test
    void must62_sentUrgentPointerPointsToTheOctetAfterTheUrgentData()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        buf.putBytes(0, TcpHarness.bytes(15, 1));
        assertEquals(10, e.socket.write(buf, 0, 10));
        assertEquals(5, e.socket.writeUrgent(buf, 10, 5));
        final Seg s = h.expectOne();
        assertEquals(15, s.payload.length);
        assertTrue((s.repr.flags & URG) != 0);
        assertEquals(15, s.repr.urgentPointer, "SEG.SEQ + SEG.UP = the octet after the last urgent octet");
        // Once the urgent data is acknowledged, segments carry no URG.
        e.ourNxt += 15;
        e.peerSends(new byte[0], 0);
        h.poll();
        assertEquals(3, e.socket.write(buf, 0, 3));
        final Seg plain = h.expectOne();
        assertEquals(0, plain.repr.flags & URG);
        assertEquals(0, plain.repr.urgentPointer);
    }

    @Test
    void must62_markUrgentAfterAWriteMarksEverythingWritten()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        e.socket.markUrgent(); // nothing queued: no effect
        assertEquals(7, e.socket.write(buf, 0, 7));
        e.socket.markUrgent();
        final Seg s = h.expectOne();
        assertTrue((s.repr.flags & URG) != 0);
        assertEquals(7, s.repr.urgentPointer);
    }

    @Test
    void rfc896_nagleDoesNotHoldBackUrgentData()
    {
        final TcpHarness.Established e = h.establishPassive(false);
        assertEquals(10, e.socket.write(buf, 0, 10));
        assertEquals(10, h.expectOne().payload.length);
        // Unacknowledged data in flight: a plain small write would wait (TcpDataTransferTest), urgent data does not.
        assertEquals(3, e.socket.writeUrgent(buf, 0, 3));
        final Seg s = h.expectOne();
        assertEquals(3, s.payload.length);
        assertEquals(e.ourNxt + 10, s.repr.seq);
        assertTrue((s.repr.flags & URG) != 0);
        assertEquals(3, s.repr.urgentPointer);
    }

    @Test
    void must31_sendsUrgentDataOfMoreThan64KiBWithAPointerThatKeepsAdvancing()
    {
        final TcpHarness.Established e = h.establishPassive(true);
        final int total = 100_000;
        buf.putBytes(0, TcpHarness.bytes(total, 5));
        assertEquals(total, e.socket.writeUrgent(buf, 0, total));
        final int end = e.ourNxt + total;
        int segments = 0;
        int rounds = 0;
        boolean sawClamped = false;
        while (e.ourNxt != end && rounds++ < 1000)
        {
            final List<Seg> out = h.poll();
            for (final Seg s : out)
            {
                if (s.payload.length == 0)
                {
                    continue;
                }
                segments++;
                assertTrue((s.repr.flags & URG) != 0, "every segment before SND.UP carries URG");
                final int expected = Math.min(end - s.repr.seq, 0xFFFF);
                assertEquals(expected, s.repr.urgentPointer);
                sawClamped |= expected == 0xFFFF;
                if (SeqNum.gt(s.repr.seq + s.payload.length, e.ourNxt))
                {
                    e.ourNxt = s.repr.seq + s.payload.length;
                }
            }
            if (e.ourNxt == end)
            {
                final Seg last = out.get(out.size() - 1);
                assertEquals(end, last.repr.seq + last.repr.urgentPointer, "MUST-62 at the end of the data");
            }
            e.peerSends(new byte[0], 0); // acknowledge everything sent
        }
        assertEquals(end, e.ourNxt);
        assertTrue(segments > 45);
        assertTrue(sawClamped);
        h.poll();
        assertEquals(0, e.socket.unacknowledgedBytes());
        assertFalse(e.socket.writableBytes() == 0);
    }
}
