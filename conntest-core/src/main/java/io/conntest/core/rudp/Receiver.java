package io.conntest.core.rudp;

/**
 * The receiving half's control: the reorder buffer, the statistics of what arrives, and when to acknowledge it
 * (delayed for in-order data, at once for a gap, a filled gap or a duplicate, RFC 5681 &sect;4.2) with which
 * timestamp echo (RFC 7323 &sect;4.3).
 */
final class Receiver
{
    final ReceiveBuffer buffer;
    private final int ackEveryPackets;
    private final long ackDelayNs;
    long ackDueNs = Long.MAX_VALUE;
    private int ackPendingCount;
    int tsRecent;
    boolean tsRecentValid;

    Receiver(final ReliableUdpConfig config)
    {
        buffer = new ReceiveBuffer(config.recvWindowPackets(), config.recvWindowBytes());
        ackEveryPackets = config.ackEveryPackets();
        ackDelayNs = config.ackDelayNs();
    }

    /** Takes one DATA datagram (already validated). @return the number of messages delivered. */
    int onData(final RudpHeader rx, final long nowNs, final MessageHandler handler, final ReliableUdpStats stats)
    {
        final ReceiveBuffer receive = buffer;
        final long seq = receive.next + (rx.seq() - (int)receive.next);
        final long offset = receive.deliveredOffset + (rx.streamOffset() - (int)receive.deliveredOffset);
        final int length = rx.payloadLength();
        final int verdict = receive.classify(seq, offset, length);
        if (verdict == ReceiveBuffer.DUPLICATE || verdict == ReceiveBuffer.OUT_OF_WINDOW)
        {
            if (verdict == ReceiveBuffer.DUPLICATE)
            {
                stats.duplicate++;
                updateTsRecent(rx.tsVal()); // a retransmission: its timestamp is the one the sender can use
            }
            else
            {
                stats.dropped++;
            }
            ackNow(nowNs); // our earlier ack may have been lost: re-acknowledge at once
            return 0;
        }
        if (seq < receive.highest)
        {
            stats.outOfOrder++;
            // reorder distance: how far past it the sequence had gone when it arrived (RFC 4737 §4.2)
            stats.reorderMax = Math.max(stats.reorderMax, receive.highest - seq);
        }
        final boolean hadGap = receive.hasGap();
        if (verdict == ReceiveBuffer.BUFFERED)
        {
            receive.store(seq, offset, rx.buffer(), rx.payloadOffset(), length);
            ackNow(nowNs); // a gap: tell the sender at once
            return 0;
        }
        if (ackPendingCount == 0 || hadGap)
        {
            updateTsRecent(rx.tsVal()); // echo the oldest unacknowledged in-order timestamp
        }
        receive.onDeliveredInOrder(offset, length);
        stats.messagesReceived++;
        stats.bytesReceived += length;
        handler.onMessage(rx.buffer(), rx.payloadOffset(), length);
        final int delivered = 1 + receive.drain(handler, stats);
        if (hadGap || ++ackPendingCount >= ackEveryPackets)
        {
            ackNow(nowNs);
        }
        else if (ackDueNs == Long.MAX_VALUE)
        {
            ackDueNs = nowNs + ackDelayNs;
        }
        return delivered;
    }

    /** A pure ACK from the peer: its timestamp may be echoed when nothing of ours is waiting for an ack. */
    void onPeerAck(final RudpHeader rx)
    {
        if (ackPendingCount == 0)
        {
            updateTsRecent(rx.tsVal());
        }
    }

    void ackNow(final long nowNs)
    {
        ackDueNs = Math.min(ackDueNs, nowNs);
    }

    /** RFC 7323 &sect;4.3: remember the peer's timestamp to echo, never moving it backwards. */
    void updateTsRecent(final int tsVal)
    {
        if (!tsRecentValid || tsVal - tsRecent > 0)
        {
            tsRecent = tsVal;
            tsRecentValid = true;
        }
    }

    /** The cumulative ack went out (on an ACK, or on DATA when there is no gap to describe). */
    void onAckSent()
    {
        ackPendingCount = 0;
        ackDueNs = Long.MAX_VALUE;
    }
}
