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

    /**
     * Turns this socket into a path MTU prober's (RFC 8899 &sect;3): DF on every datagram it sends from now on, none
     * fragmented on this host and none held back by a path MTU learnt earlier (Linux's {@code IP_PMTUDISC_PROBE});
     * a datagram larger than the interface's MTU fails ({@link #send} false). False when the transport cannot.
     */
    default boolean enablePathMtuProbing()
    {
        return false;
    }

    /**
     * The largest IPv4 packet this host sends whole towards {@code dstAddr:dstPort} without probing: the interface's
     * MTU (the stack) or the kernel's route MTU, which holds what ICMP "fragmentation needed" taught it (RFC 1191);
     * 0 when the transport cannot tell. Asked before probing, it is what the host believes; asked after, it is what
     * ICMP-based discovery concluded.
     */
    default int routeMtu(final int dstAddr, final int dstPort)
    {
        return 0;
    }

    /**
     * The smallest next-hop MTU of the ICMP "fragmentation needed" messages this socket heard (RFC 1191 &sect;4), 0
     * when none (or the transport cannot tell: the kernel keeps them in its route MTU, see {@link #routeMtu}).
     */
    default int icmpNextHopMtu()
    {
        return 0;
    }

    /** The router that sent the {@link #icmpNextHopMtu()} message, IPv4 as an int; 0 when unknown. */
    default int icmpNextHopMtuFrom()
    {
        return 0;
    }

    /** Datagrams the socket dropped on receive because its queue was full (0 when the transport cannot tell). */
    long receiveDrops();

    void close();
}
