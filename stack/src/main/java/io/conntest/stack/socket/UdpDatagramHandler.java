package io.conntest.stack.socket;

import org.agrona.DirectBuffer;

/** Receives one datagram from {@link UdpSocket#receive}; the bytes are valid only during the call. */
@FunctionalInterface
public interface UdpDatagramHandler
{
    void onDatagram(int srcAddr, int srcPort, DirectBuffer buffer, int offset, int length);
}
