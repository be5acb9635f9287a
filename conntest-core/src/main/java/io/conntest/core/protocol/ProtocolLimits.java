package io.conntest.core.protocol;

/** Bounds every length on the wire is checked against before anything is allocated or copied. */
public final class ProtocolLimits
{
    /** Protocol version this implementation speaks (header byte 4). */
    public static final int VERSION = 1;
    /** Largest DATA payload (packet size) accepted over a stream: 64 MiB. */
    public static final int MAX_DATA_PAYLOAD = 64 * 1024 * 1024;
    /**
     * Largest payload of one DATA frame a sender emits: a packet above it is cut into frames of at most this size
     * (flag {@link FrameHeader#FLAG_MORE} on all but the last), so a control frame queued behind DATA waits for
     * at most one such frame. A receiver accepts frames up to {@link #MAX_DATA_PAYLOAD}.
     */
    public static final int MAX_DATA_FRAME_PAYLOAD = 64 * 1024;
    /** Largest body of any frame other than DATA; the stream decoder buffers at most this much. */
    public static final int MAX_CONTROL_BODY = 1024;
    /** Longest instance name in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    private ProtocolLimits()
    {
    }
}
