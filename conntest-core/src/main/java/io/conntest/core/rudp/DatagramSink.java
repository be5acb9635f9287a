package io.conntest.core.rudp;

import org.agrona.DirectBuffer;

/**
 * Where a {@link ReliableUdpChannel} sends its datagrams: a UDP socket connected to (or addressed at) the peer. The
 * bytes are only valid during the call.
 */
@FunctionalInterface
public interface DatagramSink
{
    /**
     * @return true when the datagram was sent (or deliberately dropped); false when the socket would block, in which
     *         case the channel keeps the datagram's content and tries again on the next poll.
     */
    boolean send(DirectBuffer buf, int offset, int length);
}
