package io.conntest.stack.tcp.cc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyStartPlusPlusTest
{
    private static final int MSS = 1000;
    private static final long MS = 1_000_000L;

    /**
     * One round of a cwnd-limited sender: the whole window is acknowledged, one segment per ACK, every ACK with
     * the given RTT sample. The sender refills the window after each ACK, so what is in flight once an ACK is
     * processed is cwnd minus the acknowledged segment.
     */
    private static long round(final AbstractCongestionControl cc, final long startNs, final long rttNs)
    {
        final int window = cc.cwnd();
        final int acks = window / MSS;
        long now = startNs;
        for (int i = 0; i < acks; i++)
        {
            now += rttNs / acks;
            cc.onAck(MSS, cc.cwnd() - MSS, rttNs, now);
        }
        return now;
    }

    @Test
    void rfc9406_4_3_rttThresholdIsAnEighthOfTheMinRttClampedTo4And16Ms()
    {
        assertEquals(4 * MS, HyStartPlusPlus.rttThresholdNs(10 * MS));
        assertEquals(10 * MS, HyStartPlusPlus.rttThresholdNs(80 * MS));
        assertEquals(16 * MS, HyStartPlusPlus.rttThresholdNs(200 * MS));
    }

    @Test
    void rfc9406_constantRttKeepsStandardSlowStart()
    {
        final Cubic cc = new Cubic();
        cc.init(MSS, 0);
        long now = 0;
        for (int r = 0; r < 10; r++)
        {
            final int before = cc.cwnd();
            now = round(cc, now, 20 * MS);
            assertEquals(2 * before, cc.cwnd(), "round " + r);
            assertFalse(cc.inConservativeSlowStart());
        }
    }

    @Test
    void rfc9406_4_2_delayIncreaseEntersCssThenCongestionAvoidanceAfterFiveRounds()
    {
        final Cubic cc = new Cubic();
        cc.init(MSS, 0);
        long now = round(cc, 0, 40 * MS);
        now = round(cc, now, 40 * MS);
        assertFalse(cc.inConservativeSlowStart());
        // The queue builds: the RTT grows by more than RttThresh = max(4 ms, min(40 / 8, 16)) = 5 ms. HyStart's
        // rounds end when the flight at their start is acknowledged, so the first one with only 46 ms samples
        // starts during the first 46 ms window; it has eight samples well before the second window ends.
        now = round(cc, now, 46 * MS);
        final int before = cc.cwnd();
        now = round(cc, now, 46 * MS);
        assertTrue(cc.inConservativeSlowStart());
        assertTrue(cc.inSlowStart());
        // After the exit, growth is a quarter of slow start's.
        assertTrue(cc.cwnd() < 2 * before - 4 * MSS, before + " -> " + cc.cwnd());
        // CSS grows by a quarter per round-trip's worth of ACKs: a quarter more per round, not double.
        int rounds = 0;
        while (cc.inSlowStart())
        {
            final int start = cc.cwnd();
            now = round(cc, now, 46 * MS);
            rounds++;
            assertTrue(cc.cwnd() <= start + start / 4 + MSS, start + " -> " + cc.cwnd());
            assertTrue(rounds <= HyStartPlusPlus.CSS_ROUNDS + 1, "CSS lasts CSS_ROUNDS rounds");
        }
        // RFC 9406 §4.2: ssthresh = cwnd, and RFC 9438 §4.10: CUBIC starts with W_max = cwnd, K = 0.
        assertFalse(cc.inConservativeSlowStart());
        assertTrue(cc.ssthresh() < Integer.MAX_VALUE);
        assertTrue(cc.ssthresh() <= cc.cwnd());
        assertEquals(0.0, cc.k(), 1e-12);
        assertEquals(cc.ssthresh(), cc.wMax(), MSS);
    }

    @Test
    void rfc9406_4_2_rttFallingBelowTheBaselineResumesSlowStart()
    {
        final Cubic cc = new Cubic();
        cc.init(MSS, 0);
        long now = round(cc, 0, 40 * MS);
        now = round(cc, now, 40 * MS);
        now = round(cc, now, 50 * MS);
        now = round(cc, now, 50 * MS);
        assertTrue(cc.inConservativeSlowStart());
        // Jitter, not a queue: the next round's minimum is below the CSS baseline (50 ms).
        now = round(cc, now, 41 * MS);
        assertFalse(cc.inConservativeSlowStart());
        final int before = cc.cwnd();
        round(cc, now, 41 * MS);
        assertTrue(cc.cwnd() > 2 * before - 2 * MSS, "standard slow start again: " + before + " -> " + cc.cwnd());
    }

    @Test
    void rfc9406_4_3_onlyTheInitialSlowStartUsesHyStart()
    {
        final Cubic cc = new Cubic();
        cc.init(MSS, 0);
        cc.onRetransmitTimeout(400 * MSS, 0); // ssthresh 280 segments: no longer the initial value
        long now = round(cc, 0, 40 * MS);
        now = round(cc, now, 40 * MS);
        now = round(cc, now, 40 * MS);
        now = round(cc, now, 40 * MS);
        now = round(cc, now, 80 * MS);
        final int before = cc.cwnd();
        round(cc, now, 80 * MS);
        assertFalse(cc.inConservativeSlowStart());
        assertEquals(2 * before, cc.cwnd());
    }

    @Test
    void hyStartCanBeTurnedOff()
    {
        final Cubic cc = new Cubic(true, false);
        cc.init(MSS, 0);
        long now = round(cc, 0, 40 * MS);
        now = round(cc, now, 40 * MS);
        now = round(cc, now, 80 * MS);
        final int before = cc.cwnd();
        round(cc, now, 80 * MS);
        assertFalse(cc.inConservativeSlowStart());
        assertEquals(2 * before, cc.cwnd());
        final NewReno reno = new NewReno(true);
        reno.init(MSS, 0);
        now = round(reno, 0, 40 * MS);
        now = round(reno, now, 40 * MS);
        now = round(reno, now, 80 * MS);
        round(reno, now, 80 * MS);
        assertTrue(reno.inConservativeSlowStart(), "NewReno can use it too");
    }
}
