package io.conntest.core.transport;

import io.conntest.core.rudp.ReliableUdpStats;

/** A reliable-UDP channel's counters as {@link TransportStats}. */
public final class ReliableUdpStatsView implements TransportStats
{
    private final ReliableUdpStats stats;

    public ReliableUdpStatsView(final ReliableUdpStats stats)
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
    public long udpReorderMax()
    {
        return stats.reorderMax();
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
