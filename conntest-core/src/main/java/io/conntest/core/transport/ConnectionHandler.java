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

    /** A write that was refused or partial may now make progress. */
    void onWritable(Connection connection, long nowNs);

    /** The established connection ended; no further callbacks follow. */
    void onClosed(Connection connection, FailureReason reason, String detail, long nowNs);
}
