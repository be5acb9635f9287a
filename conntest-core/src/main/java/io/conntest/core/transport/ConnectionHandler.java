package io.conntest.core.transport;

import org.agrona.DirectBuffer;

/** Readiness callbacks for one connection, all on the transport's thread from inside {@code poll}. */
public interface ConnectionHandler
{
    /** The connection is established (for UDP: the reliability handshake completed). */
    void onConnected(Connection connection, long nowNs);

    /** A connect attempt failed; no further callbacks follow. */
    void onConnectFailed(Connection connection, FailureReason reason, String detail, long nowNs);

    /** Stream bytes (TCP) or exactly one message (UDP), in order. Valid only during the call. */
    void onData(Connection connection, DirectBuffer buffer, int offset, int length, long nowNs);

    /**
     * As {@link #onData(Connection, DirectBuffer, int, int, long)}, with the time the bytes were read from the
     * system: {@code receivedAtNs} on the {@link System#nanoTime()} clock, taken next to the read system call (on
     * the userspace stack: when the frame that carried them was read from the device). Latency probes are measured
     * against it, so the time between the read and the handling is not counted. A transport that knows it calls
     * this one; the default forgets the timestamp.
     */
    default void onData(final Connection connection, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final long receivedAtNs)
    {
        onData(connection, buffer, offset, length, nowNs);
    }

    /** A write that was refused or partial may now make progress. */
    void onWritable(Connection connection, long nowNs);

    /** The established connection ended; no further callbacks follow. */
    void onClosed(Connection connection, FailureReason reason, String detail, long nowNs);
}
