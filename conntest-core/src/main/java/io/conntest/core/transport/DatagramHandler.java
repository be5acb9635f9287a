package io.conntest.core.transport;

import org.agrona.DirectBuffer;

/** Datagrams of a {@link DatagramPort}, from inside the transport's poll; the bytes are valid only during the call. */
@FunctionalInterface
public interface DatagramHandler
{
    void onDatagram(DatagramPort port, int srcAddr, int srcPort, DirectBuffer buffer, int offset, int length,
        long nowNs);
}
