package io.conntest.stack.ipv6;

/**
 * The IPv6 side's counters, one {@code long} per {@link Ipv6Counter}; written by the interface's thread only (other
 * threads read plain longs, as for the interface's counters).
 */
public final class Ipv6Counters
{
    private static final Ipv6Counter[] ALL = Ipv6Counter.values();

    private final long[] values = new long[ALL.length];

    public long get(final Ipv6Counter counter)
    {
        return values[counter.ordinal()];
    }

    /** Sum of every counter that counts a drop. */
    public long totalDrops()
    {
        long sum = 0;
        for (final Ipv6Counter counter : ALL)
        {
            if (counter.isDrop())
            {
                sum += values[counter.ordinal()];
            }
        }
        return sum;
    }

    void increment(final Ipv6Counter counter)
    {
        values[counter.ordinal()]++;
    }

    void add(final Ipv6Counter counter, final long delta)
    {
        values[counter.ordinal()] += delta;
    }

    /** The non-zero counters, for logs and test failure messages. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("Ipv6Counters{");
        boolean first = true;
        for (final Ipv6Counter counter : ALL)
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
