package io.conntest.stack.phy;

import org.agrona.DirectBuffer;

/**
 * Receives one Ethernet frame from a {@link FrameDevice}. The bytes are valid only for the duration of the call:
 * an implementation that needs them later copies them.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * @param buffer holding the frame, starting with the Ethernet destination address (no FCS, no preamble).
     * @param offset of the first byte of the frame in {@code buffer}.
     * @param length of the frame in bytes.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);

    /**
     * One frame with its offload metadata (see {@link FrameDevice#offloads()}); {@code metadata} is lent like the
     * bytes. A handler that ignores offloads keeps the default, which drops the metadata: only devices without
     * offloads should feed such a handler.
     */
    default void onFrame(DirectBuffer buffer, int offset, int length, FrameMetadata metadata)
    {
        onFrame(buffer, offset, length);
    }
}
