package io.conntest.stack.tcp;

/**
 * The FIFO bookkeeping of a bounded queue whose entries live in parallel arrays (the reply queues: RSTs and cookie
 * SYN,ACKs waiting for the next dispatch): which slot is the oldest, which one a new entry takes. No allocation.
 */
final class SlotRing
{
    private final int capacity;
    private int head;
    private int size;

    SlotRing(final int capacity)
    {
        this.capacity = capacity;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /** The slot a new entry takes (now counted), or -1 when the ring is full. */
    int claimTail()
    {
        if (size == capacity)
        {
            return -1;
        }
        int i = head + size;
        if (i >= capacity)
        {
            i -= capacity;
        }
        size++;
        return i;
    }

    /** The oldest entry's slot; only when not empty. */
    int head()
    {
        return head;
    }

    /** Forgets the oldest entry. */
    void dropHead()
    {
        head = head + 1 == capacity ? 0 : head + 1;
        size--;
    }
}
