package io.conntest.core.transport;

import java.nio.channels.SocketChannel;

/**
 * Reads the kernel's own figures of a TCP socket ({@code TCP_INFO} on Linux) for the {@code kernel} transport, so a
 * kernel connection shows the same transport truth as the userspace stack's. core binds no native code: the command
 * line supplies an implementation (jnr-ffi {@code getsockopt}, in the {@code tap} module) through
 * {@link KernelTransport#tcpInfo(TcpInfoSource)}; without one the figures are unknown (-1).
 */
public interface TcpInfoSource
{
    /**
     * Fills {@code out} with the socket's figures now; false when they cannot be read (then {@code out} is left as
     * it was). Called on the transport's thread.
     */
    boolean read(SocketChannel channel, TcpInfo out);

    /** The figures, in conntest's units. */
    final class TcpInfo
    {
        /** Smoothed RTT, ns. */
        public long srttNs = -1;
        /** RTT variation, ns. */
        public long rttVarNs = -1;
        /** Congestion window, bytes (segments × the sender's MSS). */
        public long cwndBytes = -1;
        /** Retransmitted segments over the connection's life. */
        public long retransmissions = -1;
        /** Path MTU, bytes. */
        public long pmtuBytes = -1;
    }
}
