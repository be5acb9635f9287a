package io.conntest.stack.iface;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Datagrams held while their next hop is being resolved by ARP (RFC 1122 §2.3.2.2), in a fixed number of 64 KiB
 * slots of one direct buffer, at most {@code perNeighbour} for one next hop. A datagram's transport payload is
 * written straight into its slot between claim and commit; it is sent (or dropped) in the order it was held.
 */
final class HeldDatagrams
{
    static final int SLOT_SIZE = 65_536;

    private final int slots;
    private final int perNeighbour;
    private final UnsafeBuffer storage;
    private final UnsafeBuffer[] views;
    private final int[] nextHop;
    private final int[] dstAddr;
    private final int[] protocol;
    private final int[] length;
    private final boolean[] dontFragment;
    private final boolean[] inUse;
    /** Committed slots in the order they were held. */
    private final int[] order;
    private int count;

    HeldDatagrams(final int slots, final int perNeighbour)
    {
        this.slots = slots;
        this.perNeighbour = perNeighbour;
        this.storage = new UnsafeBuffer(ByteBuffer.allocateDirect(slots * SLOT_SIZE));
        this.views = new UnsafeBuffer[slots];
        for (int i = 0; i < slots; i++)
        {
            views[i] = new UnsafeBuffer(storage, i * SLOT_SIZE, SLOT_SIZE);
        }
        this.nextHop = new int[slots];
        this.dstAddr = new int[slots];
        this.protocol = new int[slots];
        this.length = new int[slots];
        this.dontFragment = new boolean[slots];
        this.inUse = new boolean[slots];
        this.order = new int[slots];
    }

    /** A free slot for a datagram to {@code hop}, or -1 when the hop or the whole store is at its bound. */
    int claim(final int hop)
    {
        int forHop = 0;
        for (int i = 0; i < count; i++)
        {
            if (nextHop[order[i]] == hop)
            {
                forHop++;
            }
        }
        if (forHop >= perNeighbour)
        {
            return -1;
        }
        for (int i = 0; i < slots; i++)
        {
            if (!inUse[i])
            {
                inUse[i] = true;
                return i;
            }
        }
        return -1;
    }

    UnsafeBuffer buffer(final int slot)
    {
        return views[slot];
    }

    void commit(final int slot, final int hop, final int dst, final int proto, final int payloadLength, final boolean df)
    {
        nextHop[slot] = hop;
        dstAddr[slot] = dst;
        protocol[slot] = proto;
        length[slot] = payloadLength;
        dontFragment[slot] = df;
        order[count++] = slot;
    }

    /** Frees a slot claimed but not committed. */
    void abort(final int slot)
    {
        inUse[slot] = false;
    }

    int count()
    {
        return count;
    }

    /** The i-th held slot in arrival order. */
    int slotAt(final int index)
    {
        return order[index];
    }

    boolean holdsFor(final int hop)
    {
        for (int i = 0; i < count; i++)
        {
            if (nextHop[order[i]] == hop)
            {
                return true;
            }
        }
        return false;
    }

    int nextHop(final int slot)
    {
        return nextHop[slot];
    }

    int dstAddr(final int slot)
    {
        return dstAddr[slot];
    }

    int protocol(final int slot)
    {
        return protocol[slot];
    }

    int length(final int slot)
    {
        return length[slot];
    }

    boolean dontFragment(final int slot)
    {
        return dontFragment[slot];
    }

    /** Removes the i-th held slot from the order; the slot stays in use until {@link #release(int)}. */
    int removeAt(final int index)
    {
        final int slot = order[index];
        System.arraycopy(order, index + 1, order, index, count - index - 1);
        count--;
        return slot;
    }

    void release(final int slot)
    {
        inUse[slot] = false;
    }

    /** Drops every datagram held for {@code hop}; returns how many. */
    int dropFor(final int hop)
    {
        int dropped = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            if (nextHop[order[i]] == hop)
            {
                release(removeAt(i));
                dropped++;
            }
        }
        return dropped;
    }
}
