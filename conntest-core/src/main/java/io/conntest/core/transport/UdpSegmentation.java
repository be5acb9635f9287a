package io.conntest.core.transport;

import java.nio.channels.DatagramChannel;

/**
 * UDP segmentation offload for the {@code kernel} transport's reliable UDP: one system call sends up to
 * {@link #maxSegments()} same-sized datagrams ({@code UDP_SEGMENT}) and one receives the kernel's coalesced
 * datagrams of a flow ({@code UDP_GRO}), where a plain socket takes one call per datagram. core binds no native
 * code: the command line supplies an implementation (jnr-ffi {@code sendmsg}/{@code recvmsg} in the {@code tap}
 * module) through {@link KernelTransport#udpSegmentation(UdpSegmentation)}; without one every datagram is its own
 * call. Used on the transport's thread only.
 */
public interface UdpSegmentation
{
    /**
     * Turns the offloads on for a channel and returns its file descriptor, or -1 when the channel cannot use them
     * (the kernel refuses an option, the descriptor is out of reach): that channel then works plainly.
     */
    int attach(DatagramChannel channel);

    /** Datagrams one {@link #send} may carry. */
    int maxSegments();

    /**
     * Sends {@code length} bytes at native {@code address} as datagrams of {@code segmentSize} (the last may be
     * shorter) to {@code dstAddress:dstPort} (IPv4, most significant byte first) or, with {@code dstPort < 0}, to
     * the connected peer.
     *
     * @return the bytes sent (all or nothing), 0 when the socket would block, or {@code -errno}.
     */
    long send(int fd, long address, int length, int segmentSize, int dstAddress, int dstPort);

    /**
     * Receives into {@code capacity} bytes at native {@code address}.
     *
     * @return the bytes received (one datagram, or several of {@link #segmentSize()}), 0 when none waits, or
     *         {@code -errno}.
     */
    long receive(int fd, long address, int capacity);

    /** The size of the coalesced datagrams of the last {@link #receive}; 0 when it was one datagram. */
    int segmentSize();

    /** The TTL the last {@link #receive}'s datagrams arrived with, -1 when unknown. */
    default int ttl()
    {
        return -1;
    }

    /** The TOS byte (DSCP and ECN) the last {@link #receive}'s datagrams arrived with, -1 when unknown. */
    default int tos()
    {
        return -1;
    }

    /** The IPv4 source address of the last {@link #receive}, most significant byte first. */
    int sourceAddress();

    /** The source port of the last {@link #receive}. */
    int sourcePort();

    /** A text for a negative result's errno. */
    String describe(int errno);
}
