package io.conntest.core.transport.stack;

import io.conntest.core.rudp.ReliableUdpStats;
import io.conntest.core.transport.TransportStats;

/** A reliable-UDP channel's counters as {@link TransportStats}. */
final class UdpStatsView implements TransportStats
{
    private final ReliableUdpStats stats;

    UdpStatsView(final ReliableUdpStats stats)
    {
        this.stats = stats;
    }

    @Override
    public long udpLost()
    {
        return stats.lost();
    }

    @Override
    public long udpOutOfOrder()
    {
        return stats.outOfOrder();
    }

    @Override
    public long udpDuplicate()
    {
        return stats.duplicate();
    }

    @Override
    public long udpRetransmitted()
    {
        return stats.retransmitted();
    }
}
