package io.conntest.core.engine;

import org.agrona.DirectBuffer;

import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.VerificationPattern;

/** The receiving side of one bandwidth test: what arrived, how long it took, and how much was corrupted. */
final class ReceiveTest
{
    boolean active;
    int direction;
    int packetSize;
    boolean verify;
    int seed;
    long bytes;
    /** Packets completed (a packet may span several frames, see {@link FrameHeader#FLAG_MORE}). */
    long packets;
    /** DATA frames received. */
    long frames;
    long errors;
    long startNs;
    private int currentFlags;

    void start(final int direction, final long testId, final int packetSize, final boolean verify, final long nowNs)
    {
        this.active = true;
        this.direction = direction;
        this.packetSize = packetSize;
        this.verify = verify;
        this.seed = (int)testId;
        this.bytes = 0;
        this.packets = 0;
        this.frames = 0;
        this.errors = 0;
        this.startNs = nowNs;
    }

    /** Checks a DATA header against the test; returns why it is not acceptable, or null (and counts it). */
    String admit(final FrameHeader header, final int sessionId)
    {
        if (!active)
        {
            return "DATA outside a bandwidth test";
        }
        if (header.sessionId() != sessionId)
        {
            return "DATA for session " + header.sessionId();
        }
        if (header.bodyLength() > packetSize)
        {
            return "DATA of " + header.bodyLength() + " bytes, packet size is " + packetSize;
        }
        currentFlags = header.flags();
        if ((currentFlags & FrameHeader.FLAG_MORE) == 0)
        {
            // a packet cut into frames counts once, at its last frame
            packets++;
        }
        frames++;
        return null;
    }

    void onPayload(final VerificationPattern pattern, final DirectBuffer buffer, final int offset, final int length)
    {
        if (verify)
        {
            errors += pattern.countErrors(buffer, offset, length, bytes, seed);
        }
        bytes += length;
    }

    /** The packet just completed was the test's last. */
    boolean isCurrentLast()
    {
        return (currentFlags & FrameHeader.FLAG_END) != 0;
    }
}
