package io.conntest.core.rudp;

import org.agrona.DirectBuffer;

/**
 * Receives the messages a {@link ReliableUdpChannel} delivers, in order, each exactly once. The bytes are only valid
 * during the call (they are lent from the received datagram or the reorder buffer). The handler may call
 * {@link ReliableUdpChannel#offer} but not {@code onDatagram} or {@code poll} of the same channel.
 */
@FunctionalInterface
public interface MessageHandler
{
    void onMessage(DirectBuffer buf, int offset, int length);
}
