package io.conntest.stack.iface;

/**
 * The interface's counters, one {@code long} per {@link InterfaceCounter}. Written only by the interface's thread;
 * other threads may read them as plain longs (a value can be slightly stale, never torn on a 64-bit JVM in
 * practice, and monitoring tolerates that).
 */
public final class InterfaceCounters
{
    private static final InterfaceCounter[] ALL = InterfaceCounter.values();

    private final long[] values = new long[ALL.length];

    public long get(final InterfaceCounter counter)
    {
        return values[counter.ordinal()];
    }

    /** Sum of every counter that counts a drop. */
    public long totalDrops()
    {
        long sum = 0;
        for (final InterfaceCounter counter : ALL)
        {
            if (counter.isDrop())
            {
                sum += values[counter.ordinal()];
            }
        }
        return sum;
    }

    void increment(final InterfaceCounter counter)
    {
        values[counter.ordinal()]++;
    }

    void add(final InterfaceCounter counter, final long delta)
    {
        values[counter.ordinal()] += delta;
    }

    /** The non-zero counters, for logs and test failure messages. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("InterfaceCounters{");
        boolean first = true;
        for (final InterfaceCounter counter : ALL)
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
