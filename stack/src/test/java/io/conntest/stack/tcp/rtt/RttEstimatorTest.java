package io.conntest.stack.tcp.rtt;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RttEstimatorTest
{
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void rfc6298_2_1_initialRtoIsOneSecond()
    {
        final RttEstimator rtt = new RttEstimator();
        assertFalse(rtt.hasSample());
        assertEquals(S, rtt.rtoNs());
        assertEquals(0, rtt.srttNs());
        assertEquals(0, rtt.rttvarNs());
    }

    @Test
    void rfc6298_2_2_firstSampleSetsSrttToRAndRttvarToHalfR()
    {
        final RttEstimator rtt = new RttEstimator(1);
        assertTrue(rtt.sample(100 * MS));
        assertTrue(rtt.hasSample());
        assertEquals(100 * MS, rtt.srttNs());
        assertEquals(50 * MS, rtt.rttvarNs());
        // RTO = SRTT + max(G, K * RTTVAR) = 100 + 4 * 50 ms
        assertEquals(300 * MS, rtt.rtoNs());
    }

    @Test
    void rfc6298_2_3_subsequentSamplesUseAlphaEighthAndBetaQuarter()
    {
        final RttEstimator rtt = new RttEstimator(1);
        rtt.sample(100 * MS);
        rtt.sample(140 * MS);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 140| = 47.5 ms (old SRTT used); SRTT = 7/8 * 100 + 1/8 * 140 = 105 ms
        assertEquals(47_500_000L, rtt.rttvarNs());
        assertEquals(105 * MS, rtt.srttNs());
        assertEquals(105 * MS + 4 * 47_500_000L, rtt.rtoNs());
        rtt.sample(65 * MS);
        // RTTVAR = 3/4 * 47.5 + 1/4 * |105 - 65| = 45.625 ms; SRTT = 7/8 * 105 + 1/8 * 65 = 100 ms
        assertEquals(45_625_000L, rtt.rttvarNs());
        assertEquals(100 * MS, rtt.srttNs());
        assertEquals(100 * MS + 4 * 45_625_000L, rtt.rtoNs());
    }

    @Test
    void gainsAreNotLostToIntegerDivision()
    {
        // The bug seen in two Java stacks: alpha written as 1/8 is 0 and SRTT never moves from the first sample.
        final RttEstimator rtt = new RttEstimator(1);
        rtt.sample(100 * MS);
        for (int i = 0; i < 100; i++)
        {
            rtt.sample(200 * MS);
        }
        assertTrue(Math.abs(rtt.srttNs() - 200 * MS) < MS, "SRTT converges on the samples: " + rtt);
        assertTrue(rtt.rttvarNs() < MS, "RTTVAR decays when samples agree: " + rtt);
        // Even a 1 ns difference moves SRTT on the nanosecond scale.
        final RttEstimator small = new RttEstimator(1);
        small.sample(0);
        small.sample(80);
        assertEquals(10, small.srttNs());
    }

    @Test
    void rfc6298_2_granularityBoundsTheVarianceTerm()
    {
        final RttEstimator rtt = new RttEstimator(1, 60 * S, S, 10 * MS);
        for (int i = 0; i < 200; i++)
        {
            rtt.sample(50 * MS);
        }
        // RTTVAR has decayed to ~0, so RTO = SRTT + G.
        assertEquals(0, rtt.rttvarNs());
        assertEquals(60 * MS, rtt.rtoNs());
    }

    @Test
    void rfc6298_2_4_rtoIsRoundedUpToTheFloor()
    {
        final RttEstimator rfc = new RttEstimator();
        rfc.sample(10 * MS);
        assertEquals(S, rfc.rtoNs());
        final RttEstimator linux = new RttEstimator(RttEstimator.LINUX_MIN_RTO_NS);
        linux.sample(10 * MS);
        assertEquals(200 * MS, linux.rtoNs());
        linux.sample(10 * MS);
        assertEquals(200 * MS, linux.rtoNs());
        // Above the floor the estimate rules.
        linux.sample(400 * MS);
        assertTrue(linux.rtoNs() > 200 * MS);
    }

    @Test
    void rfc6298_2_5_rtoIsCappedAtTheMaximum()
    {
        final RttEstimator rtt = new RttEstimator();
        rtt.sample(50 * S);
        assertEquals(RttEstimator.DEFAULT_MAX_RTO_NS, rtt.rtoNs());
    }

    @Test
    void rfc6298_5_5_backoffDoublesUpToTheCap()
    {
        final RttEstimator rtt = new RttEstimator();
        final long[] expected = {2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 60 * S, 60 * S, 60 * S};
        for (int i = 0; i < expected.length; i++)
        {
            rtt.backoff();
            assertEquals(expected[i], rtt.rtoNs(), "after backoff " + (i + 1));
            assertEquals(i + 1, rtt.backoffCount());
        }
        for (int i = 0; i < 1000; i++)
        {
            rtt.backoff();
        }
        assertEquals(60 * S, rtt.rtoNs());
        rtt.resetBackoff();
        assertEquals(S, rtt.rtoNs());
        assertEquals(0, rtt.backoffCount());
    }

    @Test
    void rfc6298_5_7_newSampleRecomputesTheRtoAfterBackoff()
    {
        final RttEstimator rtt = new RttEstimator(RttEstimator.LINUX_MIN_RTO_NS);
        rtt.sample(100 * MS);
        rtt.backoff();
        rtt.backoff();
        assertEquals(1200 * MS, rtt.rtoNs());
        rtt.sample(100 * MS);
        assertEquals(0, rtt.backoffCount());
        // RTTVAR = 3/4 * 50 + 0 = 37.5 ms, SRTT 100 ms
        assertEquals(250 * MS, rtt.rtoNs());
    }

    @Test
    void rfc6298_5_7_lostSynMeansThreeSecondsWhenDataBegins()
    {
        final RttEstimator rtt = new RttEstimator();
        rtt.backoff();
        rtt.onSynLost();
        assertEquals(2 * S, rtt.rtoNs(), "the SYN's own backoff is kept");
        rtt.resetBackoff();
        assertEquals(3 * S, rtt.rtoNs());
        rtt.sample(100 * MS);
        assertEquals(S, rtt.rtoNs(), "a sample replaces the 3 s");
        rtt.onSynLost();
        rtt.resetBackoff();
        assertEquals(S, rtt.rtoNs(), "no effect once a sample exists");
    }

    @Test
    void rfc6298_5_resetForgetsBogusEstimates()
    {
        final RttEstimator rtt = new RttEstimator(1);
        rtt.sample(100 * MS);
        rtt.backoff();
        rtt.reset();
        assertFalse(rtt.hasSample());
        assertEquals(S, rtt.rtoNs());
        rtt.sample(40 * MS);
        assertEquals(40 * MS, rtt.srttNs(), "the next sample initialises by §2.2");
        assertEquals(20 * MS, rtt.rttvarNs());
    }

    @Test
    void negativeSamplesAreIgnored()
    {
        final RttEstimator rtt = new RttEstimator(1);
        assertFalse(rtt.sample(-1));
        assertFalse(rtt.hasSample());
        rtt.sample(30 * MS);
        assertFalse(rtt.sample(-5 * MS));
        assertEquals(30 * MS, rtt.srttNs());
        assertEquals(30 * MS, rtt.latestRttNs());
    }

    @Test
    void minRttTracksTheSmallestSample()
    {
        final RttEstimator rtt = new RttEstimator();
        assertEquals(Long.MAX_VALUE, rtt.minRttNs());
        rtt.sample(30 * MS);
        rtt.sample(10 * MS);
        rtt.sample(20 * MS);
        assertEquals(10 * MS, rtt.minRttNs());
        assertEquals(20 * MS, rtt.latestRttNs());
    }

    @Test
    void rfc6298_2_randomizedAgainstAFloatingPointReference()
    {
        // The RFC's formulas in doubles; the integer version may differ by rounding only (under 1 ns per step,
        // and the smoothing keeps the accumulated error bounded).
        final Random random = new Random(6298);
        for (int trial = 0; trial < 100; trial++)
        {
            final long floor = random.nextBoolean() ? RttEstimator.DEFAULT_MIN_RTO_NS : 1;
            final long granularity = 1 + random.nextInt(10_000_000);
            final RttEstimator rtt = new RttEstimator(floor, 60 * S, S, granularity);
            double srtt = 0;
            double rttvar = 0;
            for (int i = 0; i < 500; i++)
            {
                final long r = (long) (random.nextDouble() * (random.nextBoolean() ? 5 * MS : 2 * S));
                if (i == 0)
                {
                    srtt = r;
                    rttvar = r / 2.0;
                }
                else
                {
                    rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
                    srtt = 0.875 * srtt + 0.125 * r;
                }
                rtt.sample(r);
                assertEquals(srtt, rtt.srttNs(), 8, "SRTT after " + i);
                assertEquals(rttvar, rtt.rttvarNs(), 8, "RTTVAR after " + i);
                final double rto = Math.min(60 * S, Math.max(floor, srtt + Math.max(granularity, 4 * rttvar)));
                assertEquals(rto, rtt.rtoNs(), 40, "RTO after " + i);
            }
        }
    }

    @Test
    void badBoundsAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(0));
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(2 * S, S, S, MS));
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(S, 60 * S, S, 0));
    }
}
