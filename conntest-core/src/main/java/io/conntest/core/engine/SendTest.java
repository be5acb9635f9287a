package io.conntest.core.engine;

import io.conntest.core.protocol.FrameHeader;

/**
 * The sending side of one bandwidth test: how much is left, when time is up, and what the next DATA packet is.
 * The test ends at whichever limit comes first; a test ended by time closes with an empty END packet.
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
    private boolean nextEnd;

    void start(final int direction, final long testId, final int packetSize, final boolean verify,
        final long totalBytes, final long durationNs, final long nowNs)
    {
        this.active = true;
        this.endSent = false;
        this.direction = direction;
        this.packetSize = packetSize;
        this.verify = verify;
        this.totalBytes = totalBytes;
        this.deadlineNs = durationNs > 0 ? nowNs + durationNs : 0;
        this.bytes = 0;
        this.seed = (int)testId;
    }

    /** Still has packets to send. */
    boolean isSending()
    {
        return active && !endSent;
    }

    /** Payload length of the next packet; {@link #nextFlags()} then tells whether it is the last. */
    int nextPayload(final long nowNs)
    {
        final long remaining = totalBytes > 0 ? totalBytes - bytes : Long.MAX_VALUE;
        final boolean timeUp = deadlineNs > 0 && nowNs >= deadlineNs;
        nextEnd = timeUp || remaining <= packetSize;
        return timeUp ? 0 : (int)Math.min(packetSize, remaining);
    }

    int nextFlags()
    {
        return (nextEnd ? FrameHeader.FLAG_END : 0) | (verify ? FrameHeader.FLAG_VERIFY : 0);
    }

    /** The packet from {@link #nextPayload} was handed to the output. */
    void onPacketStarted(final int payload)
    {
        bytes += payload;
        endSent = nextEnd;
    }
}
