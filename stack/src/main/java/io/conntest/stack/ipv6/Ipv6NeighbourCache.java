package io.conntest.stack.ipv6;

import io.conntest.stack.time.Deadline;

/**
 * The neighbour cache of RFC 4861 §5.1: neighbour address to link-layer address, with the reachability state of §7.3.2
 * per entry: INCOMPLETE (solicitations outstanding, no link-layer address yet), REACHABLE (confirmed within
 * ReachableTime), STALE (usable, unconfirmed), DELAY (used while STALE; a probe follows unless confirmed), PROBE
 * (unicast solicitations outstanding), plus the IsRouter flag. Bounded; addresses are two longs each and looked up by
 * a scan of the slots (a link has few neighbours; the bound keeps the scan short). No allocation after construction.
 * The rules that move entries between states live in {@link NeighbourDiscovery}.
 */
final class Ipv6NeighbourCache
{
    static final int FREE = 0;
    static final int INCOMPLETE = 1;
    static final int REACHABLE = 2;
    static final int STALE = 3;
    static final int DELAY = 4;
    static final int PROBE = 5;

    private final int capacity;
    private final long[] hi;
    private final long[] lo;
    private final long[] mac;
    private final int[] state;
    private final boolean[] router;
    /** INCOMPLETE/PROBE: next solicitation; REACHABLE: when it turns STALE; DELAY: when to probe; STALE: expiry. */
    private final long[] deadlineNs;
    private final int[] solicitations;
    private int used;
    private int lastHit;

    Ipv6NeighbourCache(final int capacity)
    {
        this.capacity = capacity;
        this.hi = new long[capacity];
        this.lo = new long[capacity];
        this.mac = new long[capacity];
        this.state = new int[capacity];
        this.router = new boolean[capacity];
        this.deadlineNs = new long[capacity];
        this.solicitations = new int[capacity];
    }

    int capacity()
    {
        return capacity;
    }

    /** The slot of the address, or -1. */
    int find(final long addressHi, final long addressLo)
    {
        final int last = lastHit;
        if (state[last] != FREE && lo[last] == addressLo && hi[last] == addressHi)
        {
            return last;
        }
        for (int i = 0; i < capacity; i++)
        {
            if (state[i] != FREE && lo[i] == addressLo && hi[i] == addressHi)
            {
                lastHit = i;
                return i;
            }
        }
        return -1;
    }

    /** Adds an entry in {@code newState}; the caller makes room first when {@link #isFull()}. */
    int add(final long addressHi, final long addressLo, final int newState, final long linkLayer,
        final long deadline)
    {
        for (int i = 0; i < capacity; i++)
        {
            if (state[i] == FREE)
            {
                hi[i] = addressHi;
                lo[i] = addressLo;
                state[i] = newState;
                mac[i] = linkLayer;
                router[i] = false;
                deadlineNs[i] = deadline;
                solicitations[i] = 0;
                used++;
                lastHit = i;
                return i;
            }
        }
        throw new IllegalStateException("neighbour cache full: evict first");
    }

    void set(final int slot, final int newState, final long deadline)
    {
        state[slot] = newState;
        deadlineNs[slot] = deadline;
        solicitations[slot] = 0;
    }

    void mac(final int slot, final long linkLayer)
    {
        mac[slot] = linkLayer;
    }

    void router(final int slot, final boolean isRouter)
    {
        router[slot] = isRouter;
    }

    void solicited(final int slot, final long nextAtNs)
    {
        solicitations[slot]++;
        deadlineNs[slot] = nextAtNs;
    }

    void remove(final int slot)
    {
        if (state[slot] != FREE)
        {
            state[slot] = FREE;
            used--;
        }
    }

    boolean isFull()
    {
        return used >= capacity;
    }

    int state(final int slot)
    {
        return state[slot];
    }

    long hi(final int slot)
    {
        return hi[slot];
    }

    long lo(final int slot)
    {
        return lo[slot];
    }

    long mac(final int slot)
    {
        return mac[slot];
    }

    boolean isRouter(final int slot)
    {
        return router[slot];
    }

    long deadlineNs(final int slot)
    {
        return deadlineNs[slot];
    }

    int solicitations(final int slot)
    {
        return solicitations[slot];
    }

    /** The slot to evict: a STALE entry expiring first, else any REACHABLE one, else the oldest other. */
    int victim()
    {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        long bestDeadline = Deadline.NEVER;
        for (int i = 0; i < capacity; i++)
        {
            if (state[i] == FREE)
            {
                continue;
            }
            final int rank = state[i] == STALE ? 0 : state[i] == REACHABLE ? 1 : 2;
            if (rank < bestRank || (rank == bestRank && Deadline.isBefore(deadlineNs[i], bestDeadline)))
            {
                best = i;
                bestRank = rank;
                bestDeadline = deadlineNs[i];
            }
        }
        return best;
    }

    long nextDeadlineNs()
    {
        long at = Deadline.NEVER;
        for (int i = 0; i < capacity; i++)
        {
            if (state[i] != FREE)
            {
                at = Deadline.earliest(at, deadlineNs[i]);
            }
        }
        return at;
    }
}
