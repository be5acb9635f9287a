package io.conntest.stack.dhcp;

/**
 * The DHCP client's counters, one {@code long} per {@link DhcpCounter}. Written only by the interface's thread;
 * other threads may read them as plain longs (a value can be slightly stale).
 */
public final class DhcpCounters
{
    private static final DhcpCounter[] ALL = DhcpCounter.values();

    private final long[] values = new long[ALL.length];

    public long get(final DhcpCounter counter)
    {
        return values[counter.ordinal()];
    }

    /** Sum of every counter that counts a drop. */
    public long totalDrops()
    {
        long sum = 0;
        for (final DhcpCounter counter : ALL)
        {
            if (counter.isDrop())
            {
                sum += values[counter.ordinal()];
            }
        }
        return sum;
    }

    void increment(final DhcpCounter counter)
    {
        values[counter.ordinal()]++;
    }

    /** The non-zero counters, for logs and test failure messages. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("DhcpCounters{");
        boolean first = true;
        for (final DhcpCounter counter : ALL)
        {
            final long value = values[counter.ordinal()];
            if (value != 0)
            {
                sb.append(first ? "" : ", ").append(counter.name()).append('=').append(value);
                first = false;
            }
        }
        return sb.append('}').toString();
    }
}
