package io.conntest.stack.tcp;

import org.agrona.DirectBuffer;

/** Takes in-order stream bytes where they lie in a socket's receive buffer ({@link TcpSocket#readInPlace}). */
@FunctionalInterface
public interface TcpReadHandler
{
    /** {@code length} bytes at {@code offset} of {@code buffer}, valid only during the call. */
    void onBytes(DirectBuffer buffer, int offset, int length);
}
