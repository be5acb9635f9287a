package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sender's half: messages offered and not yet cumulatively acknowledged, in sequence order, with their
 * transmission state. Sequence numbers are 64-bit here (32-bit on the wire).
 *
 * <pre>
 *   una            nxt                end
 *    | in flight    | queued, unsent   |
 * </pre>
 *
 * <p>Payload storage is one pre-allocated ring of {@code windowBytes + maxMessage} bytes addressed by stream byte
 * offset modulo {@code windowBytes}: a message starting near the end runs on past it into the spare tail, so each
 * message is contiguous and nothing is ever copied twice. Two live messages never overlap because together they span
 * less than {@code windowBytes} of stream (see docs/reliable-udp.md).
 */
final class SendBuffer
{
    static final byte SACKED = 1;
    static final byte LOST = 2;

    /** A message is declared lost once this many later messages are selectively acknowledged (RFC 6675 DupThresh). */
    static final int DUP_THRESHOLD = 3;

    final int windowPackets;
    final int windowBytes;
    final UnsafeBuffer storage;
    private final long[] streamOffset;
    private final int[] length;
    private final int[] txCount;
    private final long[] lastSentNs;
    private final byte[] flags;

    long una;
    long nxt;
    long end;
    long endOffset;
    /** Messages sent, not acked, not sacked and not marked lost: RFC 6675's "pipe". */
    int pipe;
    int lostPending;
    private long lostCursor;
    private long highestSacked = -1;
    /** RACK (RFC 8985): send time and sequence number of the most recently sent message known delivered. */
    private long rackXmitNs = Long.MIN_VALUE;
    private long rackSeq = -1;
    /** Messages {@link #detectLossesByTime} marked lost on its last run. */
    int rackMarked;

    SendBuffer(final int windowPackets, final int windowBytes)
    {
        this.windowPackets = windowPackets;
        this.windowBytes = windowBytes;
        this.storage = new UnsafeBuffer(new byte[windowBytes + RudpHeader.MAX_MESSAGE]);
        this.streamOffset = new long[windowPackets];
        this.length = new int[windowPackets];
        this.txCount = new int[windowPackets];
        this.lastSentNs = new long[windowPackets];
        this.flags = new byte[windowPackets];
    }

    /** Test hook: start numbering at {@code seq} and the byte stream at {@code offset} (to exercise 32-bit wrap). */
    void start(final long seq, final long offset)
    {
        una = seq;
        nxt = seq;
        end = seq;
        endOffset = offset;
        lostCursor = seq;
        highestSacked = seq - 1;
        rackSeq = seq - 1;
    }

    int index(final long seq)
    {
        return (int)(seq % windowPackets);
    }

    long unaOffset()
    {
        return una == end ? endOffset : streamOffset[index(una)];
    }

    boolean offer(final DirectBuffer src, final int offset, final int len)
    {
        if (end - una >= windowPackets || endOffset + len - unaOffset() > windowBytes)
        {
            return false;
        }
        final int i = index(end);
        streamOffset[i] = endOffset;
        length[i] = len;
        txCount[i] = 0;
        flags[i] = 0;
        storage.putBytes(position(endOffset), src, offset, len);
        end++;
        endOffset += len;
        return true;
    }

    int position(final long offset)
    {
        return (int)(offset % windowBytes);
    }

    long streamOffset(final long seq)
    {
        return streamOffset[index(seq)];
    }

    int length(final long seq)
    {
        return length[index(seq)];
    }

    int txCount(final long seq)
    {
        return txCount[index(seq)];
    }

    /** Whether the next queued message fits the peer's receive window and ours. */
    boolean nextFits(final long peerPackets, final long peerBytes)
    {
        if (nxt >= end || nxt - una >= peerPackets)
        {
            return false;
        }
        final int i = index(nxt);
        return streamOffset[i] + length[i] - unaOffset() <= peerBytes;
    }

    void onSent(final long seq, final long nowNs)
    {
        final int i = index(seq);
        txCount[i]++;
        lastSentNs[i] = nowNs;
        pipe++;
        if ((flags[i] & LOST) != 0)
        {
            flags[i] &= ~LOST;
            lostPending--;
        }
        if (seq == nxt)
        {
            nxt++;
        }
    }

    /** Lowest sequence number marked lost, or -1. */
    long nextLost()
    {
        if (lostPending == 0)
        {
            return -1;
        }
        for (long s = Math.max(lostCursor, una); s < nxt; s++)
        {
            if ((flags[index(s)] & LOST) != 0)
            {
                lostCursor = s;
                return s;
            }
        }
        throw new IllegalStateException("lostPending=" + lostPending + " but no message marked lost");
    }

    /**
     * Cumulative acknowledgement of every message below {@code ack} (una &lt; ack &lt;= nxt, checked by the caller).
     *
     * @return messages newly acknowledged (not counting those already selectively acknowledged).
     */
    int acknowledge(final long ack)
    {
        int newly = 0;
        for (long s = una; s < ack; s++)
        {
            final int i = index(s);
            final byte f = flags[i];
            if ((f & SACKED) == 0)
            {
                newly++;
                if ((f & LOST) != 0)
                {
                    lostPending--;
                }
                else
                {
                    pipe--;
                }
                onDelivered(s, i);
            }
            flags[i] = 0;
        }
        una = ack;
        return newly;
    }

    /** Selective acknowledgement of [start, end), clamped to [una, nxt). @return messages newly acknowledged. */
    int selectiveAck(final long start, final long endExclusive)
    {
        final long from = Math.max(start, una);
        final long to = Math.min(endExclusive, nxt);
        int newly = 0;
        for (long s = from; s < to; s++)
        {
            final int i = index(s);
            final byte f = flags[i];
            if ((f & SACKED) == 0)
            {
                newly++;
                if ((f & LOST) != 0)
                {
                    lostPending--;
                }
                else
                {
                    pipe--;
                }
                flags[i] = SACKED;
                onDelivered(s, i);
                if (s > highestSacked)
                {
                    highestSacked = s;
                }
            }
        }
        return newly;
    }

    /**
     * SACK-based loss detection (RFC 6675 &sect;4, IsLost): a message sent once, not acknowledged, with at least
     * {@link #DUP_THRESHOLD} later messages selectively acknowledged, is marked lost.
     *
     * @return messages newly marked lost.
     */
    int detectLosses()
    {
        int sackedAbove = 0;
        int marked = 0;
        for (long s = Math.min(highestSacked, nxt - 1); s >= una; s--)
        {
            final int i = index(s);
            final byte f = flags[i];
            if ((f & SACKED) != 0)
            {
                sackedAbove++;
            }
            else if (sackedAbove >= DUP_THRESHOLD && (f & LOST) == 0 && txCount[i] == 1)
            {
                markLost(s, i);
                marked++;
            }
        }
        return marked;
    }

    /** RACK's delivery record: only first transmissions, whose acknowledgement is unambiguous. */
    private void onDelivered(final long seq, final int i)
    {
        if (txCount[i] == 1 && (lastSentNs[i] > rackXmitNs || (lastSentNs[i] == rackXmitNs && seq > rackSeq)))
        {
            rackXmitNs = lastSentNs[i];
            rackSeq = seq;
        }
    }

    /**
     * Time-based loss detection (RACK, RFC 8985 &sect;6.2): a message not acknowledged, last sent before the most
     * recently sent message that was delivered, and sent at least {@code thresholdNs} (RTT plus a reordering window)
     * ago is lost. This also catches lost retransmissions and losses with fewer than three later messages, which
     * {@link #detectLosses()} cannot. Sets {@link #rackMarked}.
     *
     * @return when the next candidate would expire, or {@link Long#MAX_VALUE}.
     */
    long detectLossesByTime(final long nowNs, final long thresholdNs)
    {
        rackMarked = 0;
        long next = Long.MAX_VALUE;
        final long upTo = Math.min(rackSeq, nxt - 1);
        for (long s = una; s <= upTo; s++)
        {
            final int i = index(s);
            if ((flags[i] & (SACKED | LOST)) != 0 || lastSentNs[i] > rackXmitNs) // same time: lower seq went first
            {
                continue;
            }
            final long deadline = lastSentNs[i] + thresholdNs;
            if (deadline <= nowNs)
            {
                markLost(s, i);
                rackMarked++;
            }
            else if (deadline < next)
            {
                next = deadline;
            }
        }
        return next;
    }

    /**
     * Tail loss probe (RFC 8985 &sect;7.3): marks the highest message in flight (not acknowledged, not selectively
     * acknowledged, not already lost) for retransmission, so that its acknowledgement reveals losses before it.
     *
     * @return whether a message was marked.
     */
    boolean markTailForProbe()
    {
        for (long s = nxt - 1; s >= una; s--)
        {
            final int i = index(s);
            if ((flags[i] & (SACKED | LOST)) == 0)
            {
                markLost(s, i);
                return true;
            }
        }
        return false;
    }

    /** Retransmission timeout: everything in flight and not selectively acknowledged goes out again. */
    int markAllLost()
    {
        int marked = 0;
        for (long s = una; s < nxt; s++)
        {
            final int i = index(s);
            if ((flags[i] & (SACKED | LOST)) == 0)
            {
                markLost(s, i);
                marked++;
            }
        }
        return marked;
    }

    private void markLost(final long seq, final int i)
    {
        flags[i] |= LOST;
        pipe--;
        lostPending++;
        if (seq < lostCursor)
        {
            lostCursor = seq;
        }
    }

    boolean hasUnsackedInFlight()
    {
        return pipe > 0;
    }

    boolean allAcknowledged()
    {
        return una == end;
    }
}
