package io.conntest.core.transport;

import org.agrona.DirectBuffer;

/**
 * A plain UDP socket bound to a port, without conntest's reliability layer: what a foreign protocol on UDP needs
 * (iperf3's UDP streams). Datagrams arrive at its {@link DatagramHandler} from inside the transport's poll; used only
 * on the transport's thread. Addresses are IPv4 as an int (network order in the int's bits, as the stack keeps them).
 */
public interface DatagramPort
{
    /** The bound port. */
    int localPort();

    /**
     * Sends one datagram (queued on the stack); false when it cannot be taken now (a full queue or a kernel
     * {@code send} that would block) — the caller may try again on a later cycle.
     */
    boolean send(int dstAddr, int dstPort, DirectBuffer buffer, int offset, int length);

    /** Datagrams the socket dropped on receive because its queue was full (0 when the transport cannot tell). */
    long receiveDrops();

    void close();
}
