package io.conntest.core.engine;

import java.nio.ByteOrder;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.protocol.VerificationPattern;
import io.conntest.core.stats.ConnectionStats;
import io.conntest.core.transport.Connection;

/**
 * A session's outgoing frames. Control frames wait in a bounded outbox (records of length + frame); at most one
 * DATA frame is in progress, and its payload is never copied on a stream: the pattern buffer is written straight
 * to the transport in slices. A DATA frame starts only when the outbox is empty, and the outbox waits while a
 * DATA frame is unfinished, so frames never interleave on the stream. On a message connection every frame is
 * one write, all or nothing.
 *
 * <p>The bound a latency probe sees: a control frame enqueued while DATA flows goes out right after the DATA frame
 * in progress, before the next one starts, so it waits behind at most one DATA frame of this queue, and a DATA frame
 * carries at most {@link io.conntest.core.protocol.ProtocolLimits#MAX_DATA_FRAME_PAYLOAD} (a bigger packet is cut
 * into frames by {@link SendTest}). Checked by {@code LoadedLatencyTest.aProbeWaitsBehindAtMostOneDataFrame}.
 */
final class FrameOutput
{
    static final int OUTBOX_CAPACITY = 16 * 1024;

    private final UnsafeBuffer outbox = new UnsafeBuffer(BufferUtil.allocateDirectAligned(OUTBOX_CAPACITY, 64));
    private final UnsafeBuffer dataFrame;
    private final VerificationPattern pattern;
    private final ConnectionStats stats;
    private Connection connection;
    private boolean stream;
    private int outboxHead;
    private int outboxTail;
    private int headRecordSent;
    private boolean dataActive;
    private int dataFrameLength;
    private int dataFrameSent;
    private long payloadRemaining;
    private long payloadStreamOffset;
    private int payloadSeed;

    FrameOutput(final boolean stream, final int maxMessageLength, final VerificationPattern pattern,
        final ConnectionStats stats)
    {
        this.stream = stream;
        this.pattern = pattern;
        this.stats = stats;
        this.dataFrame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            org.agrona.BitUtil.align(stream ? FrameHeader.LENGTH : Math.min(maxMessageLength, 1 << 17), 64), 64));
    }

    void attach(final Connection connection)
    {
        this.connection = connection;
        this.stream = connection.isStream();
    }

    /** Room for a frame of {@code length} bytes in the outbox. */
    boolean canEnqueue(final int length)
    {
        return outboxTail + 4 + length <= OUTBOX_CAPACITY || (outboxTail - outboxHead) + 4 + length <= OUTBOX_CAPACITY;
    }

    /** Appends one complete frame; false when the outbox is full (the caller treats that as a stalled peer). */
    boolean enqueue(final DirectBuffer frame, final int offset, final int length)
    {
        if (outboxTail + 4 + length > OUTBOX_CAPACITY)
        {
            compact();
            if (outboxTail + 4 + length > OUTBOX_CAPACITY)
            {
                return false;
            }
        }
        outbox.putInt(outboxTail, length, ByteOrder.nativeOrder());
        outbox.putBytes(outboxTail + 4, frame, offset, length);
        outboxTail += 4 + length;
        stats.packetsSent++;
        return true;
    }

    /** Whether a record of {@code length} bytes fits and leaves at least {@code spare} bytes of the outbox free. */
    boolean hasRoomFor(final int length, final int spare)
    {
        return (outboxTail - outboxHead) + 4 + length + spare <= OUTBOX_CAPACITY && canEnqueue(length);
    }

    boolean canStartData()
    {
        return !dataActive && outboxHead == outboxTail;
    }

    boolean isIdle()
    {
        return canStartData();
    }

    /**
     * Starts one DATA frame whose payload is bytes {@code streamOffset ..} of the pattern with {@code seed}.
     * Call only when {@link #canStartData()}.
     */
    void startData(final int flags, final int sessionId, final long sequence, final long nowNs, final int payloadLength,
        final long streamOffset, final int seed)
    {
        FrameHeader.write(dataFrame, 0, MessageType.DATA, flags, payloadLength, sessionId, sequence, nowNs);
        if (stream)
        {
            dataFrameLength = FrameHeader.LENGTH;
            payloadRemaining = payloadLength;
            payloadStreamOffset = streamOffset;
            payloadSeed = seed;
        }
        else
        {
            dataFrame.putBytes(FrameHeader.LENGTH, pattern.buffer(),
                VerificationPattern.offsetFor(streamOffset, seed), payloadLength);
            dataFrameLength = FrameHeader.LENGTH + payloadLength;
            payloadRemaining = 0;
        }
        dataFrameSent = 0;
        dataActive = true;
        stats.packetsSent++;
    }

    /** Writes as much as the transport takes; returns bytes written. */
    long flush()
    {
        if (connection == null || !connection.isOpen())
        {
            return 0;
        }
        long written = 0;
        if (dataActive)
        {
            if (dataFrameSent < dataFrameLength)
            {
                final int n = connection.write(dataFrame, dataFrameSent, dataFrameLength - dataFrameSent);
                written += n;
                dataFrameSent += n;
                if (dataFrameSent < dataFrameLength)
                {
                    return account(written);
                }
            }
            while (payloadRemaining > 0)
            {
                final int chunk = (int)Math.min(payloadRemaining, VerificationPattern.MAX_CHUNK);
                final int n = connection.write(
                    pattern.buffer(), VerificationPattern.offsetFor(payloadStreamOffset, payloadSeed), chunk);
                written += n;
                payloadRemaining -= n;
                payloadStreamOffset += n;
                if (n < chunk)
                {
                    return account(written);
                }
            }
            dataActive = false;
        }
        while (outboxHead < outboxTail)
        {
            final int length = outbox.getInt(outboxHead, ByteOrder.nativeOrder());
            final int start = outboxHead + 4 + headRecordSent;
            final int n = connection.write(outbox, start, length - headRecordSent);
            written += n;
            headRecordSent += n;
            if (headRecordSent < length)
            {
                break;
            }
            outboxHead += 4 + length;
            headRecordSent = 0;
        }
        if (outboxHead == outboxTail)
        {
            outboxHead = 0;
            outboxTail = 0;
        }
        return account(written);
    }

    private long account(final long written)
    {
        stats.bytesSent += written;
        return written;
    }

    private void compact()
    {
        if (outboxHead > 0)
        {
            outbox.putBytes(0, outbox, outboxHead, outboxTail - outboxHead);
            outboxTail -= outboxHead;
            outboxHead = 0;
        }
    }
}
