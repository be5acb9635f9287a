package io.conntest.stack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reply queues' FIFO bookkeeping: bounded, oldest first, slots reused across the wrap. */
class SlotRingTest
{
    @Test
    void fillsToCapacityThenRefusesAndWrapsInOrder()
    {
        final SlotRing ring = new SlotRing(3);
        assertTrue(ring.isEmpty());
        assertEquals(0, ring.claimTail());
        assertEquals(1, ring.claimTail());
        assertEquals(2, ring.claimTail());
        assertEquals(-1, ring.claimTail(), "full");
        assertEquals(0, ring.head());
        ring.dropHead();
        assertEquals(1, ring.head());
        assertEquals(0, ring.claimTail(), "the freed slot, after the wrap");
        ring.dropHead();
        ring.dropHead();
        assertEquals(0, ring.head(), "the wrapped entry is now the oldest");
        ring.dropHead();
        assertTrue(ring.isEmpty());
    }
}
