package io.conntest.stack.iface;

import io.conntest.stack.time.Deadline;
import org.agrona.collections.Int2IntHashMap;

/**
 * The ARP table (RFC 826): IPv4 address to MAC, bounded in size, with expiry. An entry is INCOMPLETE while
 * requests are outstanding, REACHABLE once answered (until its lifetime ends, after which it is resolved anew),
 * FAILED after the last request went unanswered (until a hold-down ends, so a dead neighbour costs one round of
 * requests per hold-down, not one per datagram). Arrays indexed by slot plus an address-to-slot map: no
 * allocation after construction.
 */
final class NeighbourCache
{
    static final int FREE = 0;
    static final int INCOMPLETE = 1;
    static final int REACHABLE = 2;
    static final int FAILED = 3;

    private final int capacity;
    private final int[] address;
    private final long[] mac;
    private final int[] state;
    /** REACHABLE: when the entry expires; FAILED: when the hold-down ends; INCOMPLETE: when to request next. */
    private final long[] deadlineNs;
    private final int[] requestsSent;
    private final Int2IntHashMap slotByAddress;
    private int used;

    NeighbourCache(final int capacity)
    {
        this.capacity = capacity;
        this.address = new int[capacity];
        this.mac = new long[capacity];
        this.state = new int[capacity];
        this.deadlineNs = new long[capacity];
        this.requestsSent = new int[capacity];
        this.slotByAddress = new Int2IntHashMap(capacity * 2, 0.65f, -1);
    }

    int capacity()
    {
        return capacity;
    }

    /** The slot of {@code ip}, or -1. */
    int find(final int ip)
    {
        return slotByAddress.get(ip);
    }

    int state(final int slot)
    {
        return state[slot];
    }

    int address(final int slot)
    {
        return address[slot];
    }

    long mac(final int slot)
    {
        return mac[slot];
    }

    long deadlineNs(final int slot)
    {
        return deadlineNs[slot];
    }

    int requestsSent(final int slot)
    {
        return requestsSent[slot];
    }

    /**
     * Adds an INCOMPLETE entry for {@code ip} whose first request is due at once. When the table is full the
     * caller must first {@link #remove} a victim chosen with {@link #victim()}.
     */
    int addIncomplete(final int ip, final long nowNs)
    {
        final int slot = freeSlot();
        address[slot] = ip;
        state[slot] = INCOMPLETE;
        mac[slot] = 0;
        deadlineNs[slot] = nowNs;
        requestsSent[slot] = 0;
        slotByAddress.put(ip, slot);
        used++;
        return slot;
    }

    /** Adds or overwrites a REACHABLE entry; the caller makes room first when the table is full. */
    int addReachable(final int ip, final long hwAddress, final long expiresNs)
    {
        int slot = find(ip);
        if (slot < 0)
        {
            slot = freeSlot();
            address[slot] = ip;
            slotByAddress.put(ip, slot);
            used++;
        }
        mac[slot] = hwAddress;
        state[slot] = REACHABLE;
        deadlineNs[slot] = expiresNs;
        requestsSent[slot] = 0;
        return slot;
    }

    /** Turns an entry back into INCOMPLETE with its first request due at once. */
    void restart(final int slot, final long nowNs)
    {
        state[slot] = INCOMPLETE;
        deadlineNs[slot] = nowNs;
        requestsSent[slot] = 0;
    }

    void requestSent(final int slot, final long nextRequestNs)
    {
        requestsSent[slot]++;
        deadlineNs[slot] = nextRequestNs;
    }

    void fail(final int slot, final long holdUntilNs)
    {
        state[slot] = FAILED;
        deadlineNs[slot] = holdUntilNs;
    }

    void remove(final int slot)
    {
        if (state[slot] != FREE)
        {
            slotByAddress.remove(address[slot]);
            state[slot] = FREE;
            used--;
        }
    }

    boolean isFull()
    {
        return used >= capacity;
    }

    /**
     * The slot to evict to make room: a FAILED entry if any, else the REACHABLE one that expires first, else the
     * INCOMPLETE one asked about longest ago.
     */
    int victim()
    {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        long bestDeadline = Deadline.NEVER;
        for (int i = 0; i < capacity; i++)
        {
            final int rank = state[i] == FAILED ? 0 : state[i] == REACHABLE ? 1 : 2;
            if (state[i] != FREE &&
                (rank < bestRank || (rank == bestRank && Deadline.isBefore(deadlineNs[i], bestDeadline))))
            {
                best = i;
                bestRank = rank;
                bestDeadline = deadlineNs[i];
            }
        }
        return best;
    }

    private int freeSlot()
    {
        for (int i = 0; i < capacity; i++)
        {
            if (state[i] == FREE)
            {
                return i;
            }
        }
        throw new IllegalStateException("neighbour cache full: evict first");
    }
}
