package io.conntest.stack.time;

import org.junit.jupiter.api.Test;

import static io.conntest.stack.time.Deadline.NEVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineTest
{
    /** Just below the wrap of a long: 10 ns later the clock reads a large negative number. */
    private static final long NEAR_WRAP = Long.MAX_VALUE - 10;

    @Test
    void aDeadlineIsDueFromItsTimeOn()
    {
        assertFalse(Deadline.isDue(100, 99));
        assertTrue(Deadline.isDue(100, 100));
        assertTrue(Deadline.isDue(100, 101));
        assertTrue(Deadline.isDue(-5, -5)); // System.nanoTime() may be negative
    }

    @Test
    void neverIsNeverDueAtAnyTime()
    {
        assertFalse(Deadline.isSet(NEVER));
        for (final long now : new long[] {Long.MIN_VALUE, -1, 0, 1, NEAR_WRAP, Long.MAX_VALUE})
        {
            assertFalse(Deadline.isDue(NEVER, now), "at " + now);
        }
    }

    @Test
    void comparisonsHoldAcrossTheWrapOfTheClock()
    {
        final long before = NEAR_WRAP;
        final long after = NEAR_WRAP + 20; // wrapped: negative
        assertTrue(after < before, "the plain comparison is wrong here");
        assertTrue(Deadline.isBefore(before, after));
        assertFalse(Deadline.isBefore(after, before));
        assertTrue(Deadline.isDue(before, after));
        assertFalse(Deadline.isDue(after, before));
        assertEquals(before, Deadline.earliest(before, after));
        assertEquals(before, Deadline.earliest(after, before));
    }

    @Test
    void earliestTreatsNeverAsLaterThanEverything()
    {
        assertEquals(NEVER, Deadline.earliest(NEVER, NEVER));
        assertEquals(-7, Deadline.earliest(NEVER, -7));
        assertEquals(-7, Deadline.earliest(-7, NEVER));
        assertEquals(NEAR_WRAP + 20, Deadline.earliest(NEAR_WRAP + 20, NEVER));
        assertEquals(3, Deadline.earliest(3, 4));
    }
}
