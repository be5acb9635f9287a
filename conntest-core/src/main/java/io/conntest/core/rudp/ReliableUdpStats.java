package io.conntest.core.rudp;

/**
 * Counters of one {@link ReliableUdpChannel}, updated in place on its thread (read them on that thread, or accept
 * slightly torn snapshots). Messages count each message once; datagram counters count every transmission.
 */
public final class ReliableUdpStats
{
    long messagesSent;
    long messagesReceived;
    long bytesSent;
    long bytesReceived;
    long datagramsSent;
    long datagramsReceived;
    long retransmitted;
    long lost;
    long outOfOrder;
    long reorderMax;
    long duplicate;
    long dropped;
    long acksSent;
    long acksReceived;
    long malformed;
    long amplificationBlockedBytes;
    long timeouts;
    long fastRetransmits;
    long tailLossProbes;
    long srttNs;
    long rtoNs;
    long cwndPackets;

    /** Messages sent for the first time (retransmissions not counted). */
    public long messagesSent()
    {
        return messagesSent;
    }

    /** Messages delivered to the handler, in order. */
    public long messagesReceived()
    {
        return messagesReceived;
    }

    /** Payload bytes of {@link #messagesSent()}. */
    public long bytesSent()
    {
        return bytesSent;
    }

    /** Payload bytes of {@link #messagesReceived()}. */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    /** Datagrams of every type handed to the sink. */
    public long datagramsSent()
    {
        return datagramsSent;
    }

    /** Well-formed datagrams received (malformed ones are in {@link #malformed()}). */
    public long datagramsReceived()
    {
        return datagramsReceived;
    }

    /** DATA retransmissions (every one). */
    public long retransmitted()
    {
        return retransmitted;
    }

    /** Messages declared lost: distinct sequence numbers retransmitted at least once. */
    public long lost()
    {
        return lost;
    }

    /** New messages that arrived after a message with a higher sequence number. */
    public long outOfOrder()
    {
        return outOfOrder;
    }

    /**
     * The largest reorder distance seen: for a message that arrived after later ones, how many sequence numbers
     * past it had arrived already (the highest received minus its own; RFC 4737 §4.2's reordering extent counted
     * in messages). 0 when nothing arrived out of order.
     */
    public long reorderMax()
    {
        return reorderMax;
    }

    /** DATA for a message already received (re-acknowledged each time). */
    public long duplicate()
    {
        return duplicate;
    }

    /** DATA outside the receive window, or datagrams not meant for the channel's state (e.g. before the handshake). */
    public long dropped()
    {
        return dropped;
    }

    /** ACK datagrams sent (acknowledgements piggybacked on DATA not counted). */
    public long acksSent()
    {
        return acksSent;
    }

    public long acksReceived()
    {
        return acksReceived;
    }

    /** Datagrams dropped as malformed: bad magic/version/type/lengths, wrong token, impossible acknowledgement. */
    public long malformed()
    {
        return malformed;
    }

    /** Bytes of datagrams the server held back because of the amplification limit (counted once per block). */
    public long amplificationBlockedBytes()
    {
        return amplificationBlockedBytes;
    }

    /** Retransmission timeouts (and handshake retries). */
    public long timeouts()
    {
        return timeouts;
    }

    /**
     * Messages declared lost from acknowledgements rather than a timeout: 3 later messages selectively acknowledged
     * (RFC 6675), or a later-sent message acknowledged more than an RTT and a quarter ago (RACK, RFC 8985).
     */
    public long fastRetransmits()
    {
        return fastRetransmits;
    }

    /** Tail loss probes: the last message in flight resent after 2 SRTT without acknowledgement (RFC 8985 &sect;7). */
    public long tailLossProbes()
    {
        return tailLossProbes;
    }

    /** Smoothed RTT (RFC 6298), 0 before the first sample. */
    public long srttNs()
    {
        return srttNs;
    }

    public long rtoNs()
    {
        return rtoNs;
    }

    /** Congestion window in messages. */
    public long cwndPackets()
    {
        return cwndPackets;
    }

    @Override
    public String toString()
    {
        return "ReliableUdpStats{msgSent=" + messagesSent + ", msgRecv=" + messagesReceived + ", bytesSent=" +
            bytesSent + ", bytesRecv=" + bytesReceived + ", dgSent=" + datagramsSent + ", dgRecv=" +
            datagramsReceived + ", retx=" + retransmitted + ", lost=" + lost + ", ooo=" + outOfOrder + ", dup=" +
            duplicate + ", dropped=" + dropped + ", acksSent=" + acksSent + ", acksRecv=" + acksReceived +
            ", malformed=" + malformed + ", ampBlocked=" + amplificationBlockedBytes + ", timeouts=" + timeouts +
            ", fastRetx=" + fastRetransmits + ", tlp=" + tailLossProbes + ", srttNs=" + srttNs + ", rtoNs=" + rtoNs + ", cwnd=" + cwndPackets + "}";
    }
}
