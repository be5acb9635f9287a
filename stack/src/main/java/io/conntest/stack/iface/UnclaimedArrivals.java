package io.conntest.stack.iface;

/**
 * The recent segments and datagrams that found no socket (a TCP segment for no connection on a closed port, answered
 * with a reset; a UDP datagram for no socket, answered with ICMP port unreachable), by source address, protocol and
 * destination port: what a conntest peer tells a prober that asks which of its probes arrived, so the prober can
 * tell a probe dropped on the way from an answer dropped on the way back. A userspace stack sees every frame for its
 * address, which a kernel socket cannot.
 *
 * <p>Bounded: {@link #CAPACITY} entries, the oldest replaced when full; an entry older than {@link #MAX_AGE_NS}
 * counts as gone. Single-threaded (the interface's); allocates nothing.
 */
public final class UnclaimedArrivals
{
    public static final int CAPACITY = 256;
    public static final long MAX_AGE_NS = 60_000_000_000L;

    private final int[] srcAddr = new int[CAPACITY];
    /** Protocol number (6, 17) in the high 16 bits, port in the low 16; 0 for a free entry. */
    private final int[] protocolPort = new int[CAPACITY];
    private final long[] lastNs = new long[CAPACITY];
    private final int[] count = new int[CAPACITY];
    private long recorded;
    private long replaced;

    /** Notes one arrival from {@code src} for {@code protocol} port {@code port} that no socket took. */
    public void record(final int src, final int protocol, final int port, final long nowNs)
    {
        recorded++;
        final int key = (protocol << 16) | (port & 0xFFFF);
        int oldest = 0;
        for (int i = 0; i < CAPACITY; i++)
        {
            if (protocolPort[i] == key && srcAddr[i] == src)
            {
                lastNs[i] = nowNs;
                count[i]++;
                return;
            }
            if (protocolPort[i] == 0)
            {
                oldest = i;
                lastNs[i] = Long.MIN_VALUE;
            }
            else if (protocolPort[oldest] != 0 && lastNs[i] - lastNs[oldest] < 0)
            {
                oldest = i;
            }
        }
        if (protocolPort[oldest] != 0)
        {
            replaced++;
        }
        srcAddr[oldest] = src;
        protocolPort[oldest] = key;
        lastNs[oldest] = nowNs;
        count[oldest] = 1;
    }

    /**
     * How many times {@code src}'s segments or datagrams for {@code protocol} port {@code port} found no socket in the
     * last {@link #MAX_AGE_NS}; 0 when none (or the entry was replaced).
     */
    public int arrivals(final int src, final int protocol, final int port, final long nowNs)
    {
        final int key = (protocol << 16) | (port & 0xFFFF);
        for (int i = 0; i < CAPACITY; i++)
        {
            if (protocolPort[i] == key && srcAddr[i] == src)
            {
                return nowNs - lastNs[i] <= MAX_AGE_NS ? count[i] : 0;
            }
        }
        return 0;
    }

    /** Arrivals recorded so far. */
    public long recorded()
    {
        return recorded;
    }

    /** Entries replaced while still fresh because the table was full: answers about those ports say "not seen". */
    public long replaced()
    {
        return replaced;
    }
}
