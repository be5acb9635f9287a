package io.conntest.core.transport;

/**
 * Figures a transport keeps per connection. Values not known for a transport are -1 (for example, kernel TCP
 * without a {@link TcpInfoSource}). The TCP figures are the userspace stack's own, or the kernel's TCP_INFO.
 */
public interface TransportStats
{
    TransportStats NONE = new TransportStats()
    {
    };

    default long udpLost()
    {
        return -1;
    }

    default long udpOutOfOrder()
    {
        return -1;
    }

    /** The largest reorder distance of a received message, in sequence numbers (see ReliableUdpStats). */
    default long udpReorderMax()
    {
        return -1;
    }

    default long udpDuplicate()
    {
        return -1;
    }

    default long udpRetransmitted()
    {
        return -1;
    }

    default long tcpRetransmissions()
    {
        return -1;
    }

    default long tcpSrttNs()
    {
        return -1;
    }

    default long tcpCwndBytes()
    {
        return -1;
    }

    /** TCP RTT variation, ns. */
    default long tcpRttVarNs()
    {
        return -1;
    }

    /** TCP path MTU (kernel sockets: the kernel's; the stack: its interface MTU), bytes. */
    default long tcpPmtuBytes()
    {
        return -1;
    }
}
