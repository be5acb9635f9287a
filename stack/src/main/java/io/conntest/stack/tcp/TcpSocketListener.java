package io.conntest.stack.tcp;

/**
 * Readiness callbacks of a {@link TcpSocket}, called on the interface thread after a poll has processed segments
 * (never from inside segment processing, so a callback may read, write or close freely). Default methods do nothing.
 */
public interface TcpSocketListener
{
    /** The three-way handshake completed (active open) or the socket was accepted and is established. */
    default void onConnected(TcpSocket socket)
    {
    }

    /** Bytes (or the end of the stream) can be read. */
    default void onReadable(TcpSocket socket)
    {
    }

    /** Room appeared in the send buffer after a write returned less than asked. */
    default void onWritable(TcpSocket socket)
    {
    }

    /** The connection is closed for this side (both FINs exchanged, or after a reset or error). */
    default void onClosed(TcpSocket socket)
    {
    }

    /** The connection failed; {@link TcpSocket#error()} says why. {@link #onClosed} follows. */
    default void onError(TcpSocket socket, TcpError error)
    {
    }
}
