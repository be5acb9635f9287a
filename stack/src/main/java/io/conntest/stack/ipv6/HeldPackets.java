package io.conntest.stack.ipv6;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Packets waiting for a neighbour's link-layer address (RFC 4861 §7.2.2: queue while INCOMPLETE, bounded): whole
 * frames, their destination MAC written when the neighbour answers. At most {@code perNeighbour} per neighbour and
 * {@code slots} in all, each slot one frame of the link MTU, in one buffer allocated at construction.
 */
final class HeldPackets
{
    private final int slotSize;
    private final int perNeighbour;
    private final UnsafeBuffer[] frames;
    private final int[] lengths;
    /** The neighbour-cache slot each frame waits for; -1 when the slot is free. */
    private final int[] neighbour;
    private int count;

    HeldPackets(final int slots, final int perNeighbour, final int slotSize)
    {
        this.slotSize = slotSize;
        this.perNeighbour = perNeighbour;
        this.frames = new UnsafeBuffer[slots];
        this.lengths = new int[slots];
        this.neighbour = new int[slots];
        final ByteBuffer all = ByteBuffer.allocateDirect(slots * slotSize);
        for (int i = 0; i < slots; i++)
        {
            frames[i] = new UnsafeBuffer(all, i * slotSize, slotSize);
            neighbour[i] = -1;
        }
    }

    int slotSize()
    {
        return slotSize;
    }

    int slots()
    {
        return frames.length;
    }

    int count()
    {
        return count;
    }

    /** A free slot for a frame waiting for {@code neighbourSlot}, or -1 when its queue or the pool is full. */
    int claim(final int neighbourSlot)
    {
        int mine = 0;
        int free = -1;
        for (int i = 0; i < frames.length; i++)
        {
            if (neighbour[i] == neighbourSlot)
            {
                mine++;
            }
            else if (neighbour[i] < 0 && free < 0)
            {
                free = i;
            }
        }
        return mine >= perNeighbour ? -1 : free;
    }

    UnsafeBuffer frame(final int slot)
    {
        return frames[slot];
    }

    void hold(final int slot, final int neighbourSlot, final int length)
    {
        neighbour[slot] = neighbourSlot;
        lengths[slot] = length;
        count++;
    }

    int neighbour(final int slot)
    {
        return neighbour[slot];
    }

    int length(final int slot)
    {
        return lengths[slot];
    }

    void release(final int slot)
    {
        if (neighbour[slot] >= 0)
        {
            neighbour[slot] = -1;
            count--;
        }
    }

    /** Drops every frame waiting for {@code neighbourSlot}; returns how many. */
    int dropFor(final int neighbourSlot)
    {
        int dropped = 0;
        for (int i = 0; i < frames.length; i++)
        {
            if (neighbour[i] == neighbourSlot)
            {
                release(i);
                dropped++;
            }
        }
        return dropped;
    }
}
