package io.conntest.stack.socket;

import org.agrona.DirectBuffer;

/**
 * Receives one datagram from {@link UdpSocket#receive}; the bytes are valid only during the call. IPv4 datagrams
 * come to {@link #onDatagram}, IPv6 ones to {@link #onDatagram6}, which by default drops them: a handler that
 * answers (a service, a reliable-UDP peer) overrides it to speak IPv6 too.
 */
@FunctionalInterface
public interface UdpDatagramHandler
{
    void onDatagram(int srcAddr, int srcPort, DirectBuffer buffer, int offset, int length);

    /**
     * An IPv6 datagram from {@code srcHi, srcLo} (the address's high and low 64 bits) and {@code srcPort}. The
     * default ignores it.
     */
    default void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
        final int offset, final int length)
    {
    }
}
