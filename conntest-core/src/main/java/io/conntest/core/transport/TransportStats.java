package io.conntest.core.transport;

/**
 * Figures a transport keeps per connection. Values not known for a transport are -1 (for example, kernel TCP
 * exposes no retransmission count here; the userspace stack will).
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
}
