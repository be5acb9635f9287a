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
}
