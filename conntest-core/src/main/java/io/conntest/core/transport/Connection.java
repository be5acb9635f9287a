package io.conntest.core.transport;

import org.agrona.DirectBuffer;

/**
 * One connection (TCP stream, or a reliable UDP message channel to one peer). Used only on the transport's
 * thread. {@link #write} never blocks: what it does not accept is the caller's to keep, and
 * {@link ConnectionHandler#onWritable} follows when there is room again.
 */
public interface Connection
{
    long id();

    TransportProtocol protocol();

    /** True for a byte stream (TCP): writes may be partial. False: each write is one whole message. */
    boolean isStream();

    /** Largest message {@link #write} accepts on a message connection; {@link Integer#MAX_VALUE} for a stream. */
    int maxMessageLength();

    String localHost();

    int localPort();

    String remoteHost();

    int remotePort();

    /**
     * Stream: accepts 0..length bytes and returns how many. Message: returns length (sent or queued in the
     * send window) or 0 when the window is full. Returns 0 once the connection is closing.
     */
    int write(DirectBuffer buffer, int offset, int length);

    /** Graceful close; no callbacks follow for this connection. */
    void close();

    boolean isOpen();

    /** Counters the transport keeps for this connection (UDP reliability, the stack's TCP figures). */
    TransportStats stats();

    /** The TTL (hop limit) the last packet from the peer arrived with, -1 when the transport cannot tell. */
    default int lastReceivedTtl()
    {
        return -1;
    }

    /** The TOS byte (DSCP << 2 | ECN) the last packet from the peer arrived with, -1 when it cannot tell. */
    default int lastReceivedTos()
    {
        return -1;
    }

    /** The TTL this end's packets leave with, -1 when unknown. */
    default int sentTtl()
    {
        return -1;
    }

    /** The TOS byte this end's packets leave with, -1 when unknown. */
    default int sentTos()
    {
        return -1;
    }
}
