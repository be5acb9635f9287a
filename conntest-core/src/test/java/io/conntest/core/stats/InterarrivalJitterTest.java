package io.conntest.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** RFC 3550 §6.4.1 interarrival jitter, checked against the RFC's formula. */
class InterarrivalJitterTest
{
    /** The RFC's formula in floating point: J += (|D| - J) / 16. */
    private static double rfcFormula(final long[] sendNs, final long[] arrivalNs)
    {
        double j = 0;
        for (int i = 1; i < sendNs.length; i++)
        {
            final double d = Math.abs((arrivalNs[i] - arrivalNs[i - 1]) - (sendNs[i] - sendNs[i - 1]));
            j += (d - j) / 16;
        }
        return j;
    }

    /**
     * A worked example: packets sent every 20 ms at S = 0, 20, 40, 60 ms arrive at R = 100, 125, 140, 165 ms, so
     * their transit times are 100, 105, 100, 105 ms and every |D| is 5 ms. J1 = 5/16 = 0.3125 ms,
     * J2 = 0.3125 + (5 - 0.3125)/16 = 0.60546875 ms, J3 = 0.60546875 + (5 - 0.60546875)/16 = 0.880126953125 ms.
     */
    @Test
    void workedExample()
    {
        final long ms = 1_000_000L;
        final long[] s = {0, 20 * ms, 40 * ms, 60 * ms};
        final long[] r = {100 * ms, 125 * ms, 140 * ms, 165 * ms};
        final InterarrivalJitter jitter = new InterarrivalJitter();
        assertEquals(-1, jitter.jitterNs());
        jitter.onPacket(s[0], r[0]);
        assertEquals(-1, jitter.jitterNs(), "one packet gives no difference yet");
        jitter.onPacket(s[1], r[1]);
        assertEquals(312_500, jitter.jitterNs());
        jitter.onPacket(s[2], r[2]);
        assertEquals(605_468, jitter.jitterNs());
        jitter.onPacket(s[3], r[3]);
        assertEquals(880_126, jitter.jitterNs());
        assertEquals(880_126.953125, rfcFormula(s, r), 1e-6);
        assertEquals(3, jitter.samples());
    }

    @Test
    void constantTransitHasNoJitterWhateverTheClockOffset()
    {
        final InterarrivalJitter jitter = new InterarrivalJitter();
        for (int i = 0; i < 100; i++)
        {
            // the receiver's clock is 1 hour ahead: the offset cancels out in D
            jitter.onPacket(i * 1_000_000L, 3_600_000_000_000L + i * 1_000_000L + 250_000);
        }
        assertEquals(0, jitter.jitterNs());
    }

    @Test
    void integerFormMatchesTheFormulaOnRandomTransits()
    {
        final SplittableRandom random = new SplittableRandom(3550);
        final int n = 10_000;
        final long[] s = new long[n];
        final long[] r = new long[n];
        final InterarrivalJitter jitter = new InterarrivalJitter();
        for (int i = 0; i < n; i++)
        {
            s[i] = i * 100_000L;
            r[i] = s[i] + 2_000_000L + random.nextLong(500_000L);
            jitter.onPacket(s[i], r[i]);
        }
        final double expected = rfcFormula(s, r);
        assertTrue(Math.abs(jitter.jitterNs() - expected) <= 2, jitter.jitterNs() + " vs " + expected);
        // uniform transit on [0, 500 us): E|D| = 500/3 us, the estimate hovers around it
        assertTrue(jitter.jitterNs() > 100_000 && jitter.jitterNs() < 250_000, "jitter " + jitter.jitterNs());
    }

    @Test
    void aNewStreamOnlySetsTheReference()
    {
        final InterarrivalJitter jitter = new InterarrivalJitter();
        jitter.onPacket(0, 100);
        jitter.onPacket(10, 110);
        assertEquals(0, jitter.jitterNs());
        jitter.restartStream();
        // a restarted peer with another clock: a huge transit change, not a jitter sample
        jitter.onPacket(5_000_000_000L, 200);
        jitter.onPacket(5_000_000_010L, 210);
        assertEquals(0, jitter.jitterNs());
        assertEquals(2, jitter.samples());
    }
}
