package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The receiver's half: the next expected sequence number and a bounded reorder buffer for messages that arrived
 * ahead of it. Slots are indexed by sequence number modulo {@code windowPackets}; payload bytes live in one
 * pre-allocated ring of {@code windowBytes + maxMessage} bytes addressed by the message's stream byte offset modulo
 * {@code windowBytes} (the same scheme as {@link SendBuffer}), so storage is bounded by the window in bytes, not by
 * {@code windowPackets * 64 KiB}.
 */
final class ReceiveBuffer
{
    static final int ACCEPTED_IN_ORDER = 0;
    static final int BUFFERED = 1;
    static final int DUPLICATE = 2;
    static final int OUT_OF_WINDOW = 3;

    final int windowPackets;
    final int windowBytes;
    final UnsafeBuffer storage;
    private final long[] slotSeq;
    private final long[] slotOffset;
    private final int[] slotLength;

    /** Next sequence number to deliver: everything below has been delivered. */
    long next;
    /** Stream offset of the byte after the last delivered message. */
    long deliveredOffset;
    /** Highest sequence number received so far, -1 before any. */
    long highest = -1;
    /** Sequence number of the most recent new arrival (the first SACK block reports its run, RFC 2018 §4). */
    long lastArrival = -1;
    int buffered;

    final long[] sackStart = new long[RudpHeader.MAX_SACK_BLOCKS];
    final long[] sackEnd = new long[RudpHeader.MAX_SACK_BLOCKS];

    ReceiveBuffer(final int windowPackets, final int windowBytes)
    {
        this.windowPackets = windowPackets;
        this.windowBytes = windowBytes;
        this.storage = new UnsafeBuffer(new byte[windowBytes + RudpHeader.MAX_MESSAGE]);
        this.slotSeq = new long[windowPackets];
        this.slotOffset = new long[windowPackets];
        this.slotLength = new int[windowPackets];
        java.util.Arrays.fill(slotSeq, -1L);
    }

    /** Test hook: start at sequence number {@code seq} and stream offset {@code offset} (to exercise 32-bit wrap). */
    void start(final long seq, final long offset)
    {
        next = seq;
        deliveredOffset = offset;
        highest = seq - 1;
        lastArrival = seq - 1;
    }

    private int index(final long seq)
    {
        return (int)(seq % windowPackets);
    }

    /** Where a message with this sequence number and stream range stands, without changing anything. */
    int classify(final long seq, final long offset, final int length)
    {
        if (seq < next || (seq < next + windowPackets && slotSeq[index(seq)] == seq))
        {
            return DUPLICATE;
        }
        if (seq >= next + windowPackets || offset < deliveredOffset || offset + length > deliveredOffset + windowBytes)
        {
            return OUT_OF_WINDOW;
        }
        return seq == next ? ACCEPTED_IN_ORDER : BUFFERED;
    }

    /** Records that the in-order message {@code next} was delivered straight from the datagram. */
    void onDeliveredInOrder(final long offset, final int length)
    {
        noteArrival(next);
        next++;
        deliveredOffset = offset + length;
    }

    /** Copies a message that arrived ahead of {@code next} into the reorder buffer (classify said BUFFERED). */
    void store(final long seq, final long offset, final DirectBuffer src, final int srcOffset, final int length)
    {
        final int i = index(seq);
        slotSeq[i] = seq;
        slotOffset[i] = offset;
        slotLength[i] = length;
        storage.putBytes((int)(offset % windowBytes), src, srcOffset, length);
        buffered++;
        noteArrival(seq);
    }

    private void noteArrival(final long seq)
    {
        lastArrival = seq;
        if (seq > highest)
        {
            highest = seq;
        }
    }

    /** Delivers buffered messages that have become in order. @return the number delivered. */
    int drain(final MessageHandler handler, final ReliableUdpStats stats)
    {
        int delivered = 0;
        while (buffered > 0)
        {
            final int i = index(next);
            if (slotSeq[i] != next)
            {
                break;
            }
            final int length = slotLength[i];
            final long offset = slotOffset[i];
            slotSeq[i] = -1;
            buffered--;
            next++;
            deliveredOffset = offset + length;
            stats.messagesReceived++;
            stats.bytesReceived += length;
            delivered++;
            handler.onMessage(storage, (int)(offset % windowBytes), length);
        }
        return delivered;
    }

    boolean hasGap()
    {
        return highest >= next;
    }

    /**
     * Fills {@link #sackStart}/{@link #sackEnd} with up to four runs of buffered messages above {@code next}: first
     * the run holding the most recent arrival, then the others from the lowest (RFC 2018 &sect;4).
     *
     * @return the number of blocks.
     */
    int computeSackBlocks()
    {
        if (!hasGap())
        {
            return 0;
        }
        int count = 0;
        long recentStart = -1;
        long recentEnd = -1;
        if (lastArrival > next && slotSeq[index(lastArrival)] == lastArrival)
        {
            recentStart = lastArrival;
            while (recentStart - 1 > next && slotSeq[index(recentStart - 1)] == recentStart - 1)
            {
                recentStart--;
            }
            recentEnd = lastArrival + 1;
            while (recentEnd <= highest && slotSeq[index(recentEnd)] == recentEnd)
            {
                recentEnd++;
            }
            sackStart[0] = recentStart;
            sackEnd[0] = recentEnd;
            count = 1;
        }
        long s = next + 1;
        while (s <= highest && count < RudpHeader.MAX_SACK_BLOCKS)
        {
            if (slotSeq[index(s)] != s)
            {
                s++;
                continue;
            }
            final long start = s;
            while (s <= highest && slotSeq[index(s)] == s)
            {
                s++;
            }
            if (start != recentStart)
            {
                sackStart[count] = start;
                sackEnd[count] = s;
                count++;
            }
        }
        return count;
    }
}
