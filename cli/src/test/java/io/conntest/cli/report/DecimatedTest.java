package io.conntest.cli.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimatedTest
{
    @Test
    void keepsAllWhileBelowTheBound()
    {
        final Decimated<Integer> d = new Decimated<>(10);
        for (int i = 0; i < 10; i++)
        {
            d.add(i);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), d.list());
    }

    @Test
    void staysBoundedAndEvenlySpacedOverTheWholeRun()
    {
        final Decimated<Integer> d = new Decimated<>(100);
        for (int i = 0; i < 100_000; i++)
        {
            d.add(i);
            assertTrue(d.list().size() <= 100);
        }
        final List<Integer> kept = d.list();
        assertTrue(kept.size() >= 50, "at least half the bound: " + kept.size());
        assertEquals(0, kept.get(0));
        final int stride = kept.get(1) - kept.get(0);
        for (int i = 1; i < kept.size(); i++)
        {
            assertEquals(stride, kept.get(i) - kept.get(i - 1), "even spacing");
        }
        assertTrue(kept.get(kept.size() - 1) >= 100_000 - stride, "reaches the end of the run");
        assertEquals(100_000, d.offered());
    }
}
