package io.conntest.core.engine;

import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.ProtocolLimits;

/**
 * The sending side of one bandwidth test: how much is left, when time is up, when pacing lets the next frame go,
 * and what the next DATA frame is. The test ends at whichever limit comes first; a test ended by time closes with
 * an empty END frame.
 *
 * <p>A packet ({@code packet-size}) larger than {@link ProtocolLimits#MAX_DATA_FRAME_PAYLOAD} goes out as several
 * DATA frames, all but the last flagged {@link FrameHeader#FLAG_MORE}, so a control frame (a latency probe) queued
 * behind the data waits for at most one frame of this side's queue, as a request of a production service would
 * wait behind the response being written.
 *
 * <p>Pacing ({@code rate=}): the frame that brings the payload sent to {@code B} bytes may start at
 * {@code start + (B - frame) * 8 / rate}, so after any frame the bytes sent are at most one frame ahead of the
 * target line. Payload bytes are paced (what the receiver counts), not frame headers.
 */
final class SendTest
{
    boolean active;
    boolean endSent;
    int direction;
    int packetSize;
    boolean verify;
    long totalBytes;
    long deadlineNs;
    long bytes;
    int seed;
    /** Target rate in bit/s; 0 = as fast as the connection takes it. */
    long rateBps;
    long startNs;
    /** Largest payload of one DATA frame (at most {@link ProtocolLimits#MAX_DATA_FRAME_PAYLOAD}). */
    private int frameLimit = ProtocolLimits.MAX_DATA_FRAME_PAYLOAD;
    /** Bytes still to send of the packet in progress; 0 = the next frame starts a packet. */
    private long packetLeft;
    private boolean nextEnd;
    private boolean nextMore;

    void start(final int direction, final long testId, final int packetSize, final boolean verify,
        final long totalBytes, final long durationNs, final long rateBps, final int frameLimit, final long nowNs)
    {
        this.frameLimit = Math.max(1, Math.min(frameLimit, ProtocolLimits.MAX_DATA_FRAME_PAYLOAD));
        this.active = true;
        this.endSent = false;
        this.direction = direction;
        this.packetSize = packetSize;
        this.verify = verify;
        this.totalBytes = totalBytes;
        this.deadlineNs = durationNs > 0 ? nowNs + durationNs : 0;
        this.rateBps = rateBps;
        this.startNs = nowNs;
        this.bytes = 0;
        this.packetLeft = 0;
        this.seed = (int)testId;
    }

    /** Still has frames to send. */
    boolean isSending()
    {
        return active && !endSent;
    }

    /** When pacing lets the next frame start ({@code nowNs} or earlier when it may start at once). */
    long nextFrameAtNs(final long nowNs)
    {
        if (rateBps <= 0 || (deadlineNs > 0 && nowNs >= deadlineNs))
        {
            return nowNs;
        }
        final long at = startNs + (long)(bytes * 8.0 * 1e9 / rateBps);
        return deadlineNs > 0 ? Math.min(at, deadlineNs) : at;
    }

    /** Payload length of the next frame; {@link #nextFlags()} then tells whether it is the last. */
    int nextPayload(final long nowNs)
    {
        final long remaining = totalBytes > 0 ? totalBytes - bytes : Long.MAX_VALUE;
        if (deadlineNs > 0 && nowNs >= deadlineNs)
        {
            nextEnd = true;
            nextMore = false;
            return 0;
        }
        if (packetLeft == 0)
        {
            packetLeft = Math.min(packetSize, remaining);
        }
        final int frame = (int)Math.min(packetLeft, frameLimit);
        nextMore = frame < packetLeft;
        nextEnd = remaining <= frame;
        return frame;
    }

    int nextFlags()
    {
        return (nextEnd ? FrameHeader.FLAG_END : 0) | (nextMore ? FrameHeader.FLAG_MORE : 0) |
            (verify ? FrameHeader.FLAG_VERIFY : 0);
    }

    /** The frame from {@link #nextPayload} was handed to the output. */
    void onFrameStarted(final int payload)
    {
        bytes += payload;
        packetLeft = Math.max(0, packetLeft - payload);
        endSent = nextEnd;
    }
}
