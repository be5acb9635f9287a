package io.conntest.stack.tcp;

import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.conntest.stack.time.Deadline.NEVER;

/**
 * The receiving half of a connection (RFC 9293 §3.8.6, §3.10.7.4 "seventh, process the segment text"): the
 * receive buffer with room for out-of-order bytes, RCV.NXT, the window we offer (never shrunk, without silly
 * window syndrome, RFC 9293 §3.8.6.2.2), delayed ACKs (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2), SACK blocks
 * (RFC 2018) and a FIN that arrived ahead of a gap.
 *
 * <p>It owns RCV.*: its fields are private; other classes read them through accessors and ask for what they need
 * ({@link #requestAck()}, {@link #setWindowScale(int)}, {@link #stopDelayedAck()}).
 */
final class TcpReceiver
{
    /** Room past the buffer for window rounding with window scaling (RFC 7323 §2.3): at most 2^14 bytes. */
    private static final int SCALE_SLACK = 1 << TcpRepr.MAX_WINDOW_SCALE;

    private final TcpConnection c;
    private ByteRing ring;
    private TcpReassembly ooo;

    private int nxt;
    /** RCV.NXT + RCV.WND as last advertised: the right edge never moves left (RFC 9293 §3.8.6, MUST-35? SHLD-14). */
    private int advEdge;
    /** Our window shift (RFC 7323), 0 when not negotiated. */
    private int scale;
    private int lastAckSent;

    private boolean ackNow;
    private long delAckDeadlineNs = NEVER;
    private int unackedBytes;

    private boolean finReceived;
    private boolean finPending;
    private int finPendingSeq;

    /**
     * RCV.UP (RFC 9293 §3.8.5, §3.10.7.4 sixth): the sequence number of the octet after the peer's urgent data
     * (MUST-62); meaningful only while {@link #urgentBytesPending()} is above 0. Urgent bytes stay inline in the
     * stream (RFC 6093 §5 recommends inline delivery): the pointer only marks where the urgent data ends.
     */
    private int up;
    private boolean upValid;

    TcpReceiver(final TcpConnection c)
    {
        this.c = c;
    }

    /** RCV.NXT. */
    int nxt()
    {
        return nxt;
    }

    /** The RCV.NXT our last ACK carried (RFC 7323 §4.3 Last.ACK.sent). */
    int lastAckSent()
    {
        return lastAckSent;
    }

    /** An ACK must go out on the next dispatch. */
    boolean ackNow()
    {
        return ackNow;
    }

    /** Asks for an ACK on the next dispatch (RFC 9293 §3.10.7.4: duplicates, challenges, window probes). */
    void requestAck()
    {
        ackNow = true;
    }

    boolean finReceived()
    {
        return finReceived;
    }

    /** Our window shift (RFC 7323 §2.3), 0 when window scaling is not in use. */
    void setWindowScale(final int shift)
    {
        scale = shift;
    }

    /** The delayed-ACK deadline, {@link Deadline#NEVER} when no ACK is being delayed. */
    long delayedAckDeadlineNs()
    {
        return delAckDeadlineNs;
    }

    /** The connection closed: no ACK is delayed any more. */
    void stopDelayedAck()
    {
        delAckDeadlineNs = NEVER;
    }

    /** RFC 1122 §4.2.3.2: the delayed ACK is due now. */
    void onTimers(final long nowNs)
    {
        if (Deadline.isDue(delAckDeadlineNs, nowNs))
        {
            delAckDeadlineNs = NEVER;
            ackNow = true;
        }
    }

    int bufferBytes()
    {
        return c.socket.receiveBufferBytes;
    }

    /** RFC 7323 §2.3: the smallest shift that lets the 16-bit field express the whole buffer. */
    int chooseScale()
    {
        return scaleFor(bufferBytes());
    }

    static int scaleFor(final int bufferBytes)
    {
        int s = 0;
        while ((bufferBytes >> s) > 0xFFFF && s < TcpRepr.MAX_WINDOW_SCALE)
        {
            s++;
        }
        return s;
    }

    void onSyn(final int seq)
    {
        c.irs = seq;
        nxt = seq + 1;
        advEdge = nxt;
        lastAckSent = nxt;
    }

    void onEstablished()
    {
        if (ring == null)
        {
            ring = new ByteRing(bufferBytes() + SCALE_SLACK);
            ooo = new TcpReassembly();
        }
    }

    int readable()
    {
        return ring == null ? 0 : ring.size();
    }

    /** Sequence number of the next byte the application will read. */
    int readSeq()
    {
        return nxt - readable() - (finReceived ? 1 : 0);
    }

    /**
     * MUST-33: bytes between the application's read position and RCV.UP (including urgent bytes not yet arrived),
     * 0 when no urgent data is pending. Falls as the application reads.
     */
    int urgentBytesPending()
    {
        if (!upValid)
        {
            return 0;
        }
        final int pending = up - readSeq();
        return pending > 0 ? pending : 0;
    }

    /**
     * RFC 9293 §3.10.7.4 sixth: RCV.UP = max(RCV.UP, SEG.SEQ + SEG.UP); signal the application (MUST-32) when
     * urgent data was not pending before or the pointer advanced. Once nothing is pending the old pointer is
     * forgotten, so the wrap-safe comparison never spans more than the urgent data still unread.
     */
    void processUrgent(final int segSeq, final int segUp)
    {
        final int pointer = segSeq + segUp;
        final int before = urgentBytesPending();
        if (before == 0)
        {
            up = pointer;
            upValid = true;
        }
        else if (SeqNum.gt(pointer, up))
        {
            up = pointer;
        }
        else
        {
            return; // same or older pointer for urgent data already signalled
        }
        if (urgentBytesPending() > 0)
        {
            c.raise(TcpConnection.EV_URGENT);
        }
    }

    /** RCV.WND: what the peer may still send beyond RCV.NXT according to our last advertisement. */
    int window()
    {
        return Math.max(0, advEdge - nxt);
    }

    private int freeSpace()
    {
        return Math.max(0, bufferBytes() - readable());
    }

    /**
     * The window field for an outgoing segment, and the new right edge. RFC 9293 §3.8.6.2.2: the right edge moves
     * only when it can move by at least min(buffer/2, MSS); it never moves left (SHLD-14, MUST-35 no shrinking).
     */
    int windowField(final boolean syn)
    {
        if (syn)
        {
            // RFC 7323 §2.2: the window in a SYN is never scaled.
            final int w = Math.min(freeSpace(), 0xFFFF);
            advEdge = nxt + w;
            return w;
        }
        final int current = window();
        final int free = freeSpace();
        int offer = current;
        if (free - current >= Math.min(bufferBytes() / 2, c.snd.mss()))
        {
            offer = free;
        }
        int field = offer >>> scale;
        if ((field << scale) < current)
        {
            field++;
        }
        field = Math.min(field, 0xFFFF);
        final int edge = nxt + (field << scale);
        if (SeqNum.gt(edge, advEdge))
        {
            advEdge = edge;
        }
        return field;
    }

    /** Whether reading freed enough room that the peer should hear of it now (RFC 9293 §3.8.6.2.2). */
    boolean windowUpdateWorthSending()
    {
        final int current = window();
        final int free = freeSpace();
        return free - current >= Math.min(bufferBytes() / 2, c.snd.mss()) && current < free / 2;
    }

    /** Called for every segment we send: it carries the ACK, so pending ACKs are done. */
    void onAckSent()
    {
        ackNow = false;
        delAckDeadlineNs = NEVER;
        unackedBytes = 0;
        lastAckSent = nxt;
    }

    /**
     * Accepts payload that starts at {@code seq}, already trimmed to the window (RFC 9293 §3.10.7.4 first and
     * seventh). In-order bytes become readable at once, filling any gap from the assembler; out-of-order bytes are
     * stored at their place and acknowledged at once with SACK blocks.
     */
    void processData(final DirectBuffer buffer, final int offset, final int length, final int seq, final long nowNs)
    {
        final int at = seq - nxt;
        if (at < 0 || length <= 0 || ring == null || at + length > ring.free())
        {
            return;
        }
        if (at == 0)
        {
            ring.writeAt(0, buffer, offset, length);
            final boolean hadGap = !ooo.isEmpty();
            final int available = ooo.add(nxt, 0, length);
            ring.commit(available);
            nxt += available;
            c.counters.bytesIn += length;
            if (c.userClosed)
            {
                ring.discard(ring.size());
            }
            c.raise(TcpConnection.EV_READABLE);
            unackedBytes += length;
            // RFC 5681 §4.2: an ACK at once when a gap is filled; RFC 1122 §4.2.3.2 at least every second
            // full-sized segment; otherwise delayed, at most 500 ms.
            if (hadGap || unackedBytes >= 2 * c.snd.mss())
            {
                ackNow = true;
            }
            else if (delAckDeadlineNs == NEVER)
            {
                delAckDeadlineNs = nowNs + c.config.delayedAckNs;
            }
            checkPendingFin(nowNs);
        }
        else
        {
            ring.writeAt(at, buffer, offset, length);
            ooo.add(nxt, at, length);
            c.counters.outOfOrderSegmentsIn++;
            c.counters.bytesIn += length;
            // RFC 5681 §4.2: an out-of-order segment is acknowledged at once (the duplicate ACK drives fast
            // retransmit), with SACK blocks (RFC 2018 §4).
            ackNow = true;
        }
    }

    /** A FIN at {@code finSeq} (RFC 9293 §3.10.7.4 eighth); returns true when it is in order and consumed now. */
    boolean onFin(final int finSeq, final long nowNs)
    {
        if (finSeq == nxt)
        {
            nxt++;
            finReceived = true;
            finPending = false;
            ackNow = true;
            c.raise(TcpConnection.EV_READABLE);
            return true;
        }
        if (SeqNum.gt(finSeq, nxt))
        {
            finPending = true;
            finPendingSeq = finSeq;
            ackNow = true;
        }
        return false;
    }

    private void checkPendingFin(final long nowNs)
    {
        if (finPending && finPendingSeq == nxt)
        {
            if (onFin(finPendingSeq, nowNs))
            {
                TcpInput.onFinConsumed(c, nowNs);
            }
        }
    }

    /** RFC 9293 §3.10.3 RECEIVE: reads in-order bytes; -1 once the FIN was received and everything read. */
    int read(final MutableDirectBuffer dst, final int offset, final int length)
    {
        final int n = ring == null ? 0 : ring.read(dst, offset, length);
        if (n == 0)
        {
            return finReceived || c.state == TcpState.CLOSED ? -1 : 0;
        }
        if (windowUpdateWorthSending())
        {
            ackNow = true;
            c.protocol.markOutput(c);
        }
        return n;
    }

    /**
     * RFC 9293 §3.10.3 RECEIVE without a copy: hands up to {@code maxBytes} in-order bytes to {@code reader} where
     * they lie in the receive ring (one window, two where the ring wraps); the bytes are consumed before the
     * reader sees them (the ring is only written by ingress, never during a callback).
     *
     * @return bytes handed over, or -1 once the FIN was received and everything read.
     */
    int readInPlace(final TcpReadHandler reader, final int maxBytes)
    {
        if (ring == null || ring.size() == 0)
        {
            return finReceived || c.state == TcpState.CLOSED ? -1 : 0;
        }
        final ByteRing r = ring;
        int total = 0;
        while (total < maxBytes && r.size() > 0)
        {
            final int n = Math.min(r.contiguousReadable(), maxBytes - total);
            final int at = r.headIndex();
            r.discard(n);
            total += n;
            reader.onBytes(r.buffer(), at, n);
            if (ring != r)
            {
                break; // the reader closed the connection
            }
        }
        if (windowUpdateWorthSending())
        {
            ackNow = true;
            c.protocol.markOutput(c);
        }
        return total;
    }

    /** Fills the SACK blocks of an outgoing segment, the most recent first (RFC 2018 §4). */
    void fillSackBlocks(final TcpRepr repr)
    {
        if (c.sackEnabled && ooo != null && !ooo.isEmpty())
        {
            repr.sackBlockCount = ooo.sackBlocks(nxt, repr.sackLeft, repr.sackRight, repr.sackBlocksThatFit());
        }
    }
}
