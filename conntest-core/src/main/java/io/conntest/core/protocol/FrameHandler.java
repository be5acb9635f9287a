package io.conntest.core.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives what a decoder found. Control frames arrive whole; DATA frames arrive as start, payload pieces (their
 * total equals the declared length; a datagram gives one piece) and end, so megabyte packets are never buffered.
 * The header and buffers are only valid during the call.
 */
public interface FrameHandler
{
    void onFrame(FrameHeader header, DirectBuffer buffer, int bodyOffset, int bodyLength);

    void onDataStart(FrameHeader header);

    void onDataPayload(DirectBuffer buffer, int offset, int length);

    void onDataEnd();

    /** The input is broken; the decoder accepts nothing more. {@code detail} is e.g. the bad magic or length. */
    void onProtocolError(ProtocolError error, long detail);
}
