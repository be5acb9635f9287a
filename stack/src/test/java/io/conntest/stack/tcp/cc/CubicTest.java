package io.conntest.stack.tcp.cc;

import org.junit.jupiter.api.Test;

import static io.conntest.stack.tcp.cc.CongestionControlTest.MSS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CubicTest
{
    private static final long MS = 1_000_000L;
    private static final double EPS = 1e-9;

    /** A cwnd-limited sender with one ACK per segment, spread evenly over one RTT. */
    private static long round(final Cubic cc, final long startNs, final long rttNs)
    {
        // Exactly the window at the start of the round is acknowledged, one segment per ACK plus the remainder.
        final int window = cc.cwnd();
        final int acks = (window + MSS - 1) / MSS;
        long now = startNs;
        for (int i = 0; i < acks; i++)
        {
            now += rttNs / acks;
            final int acked = Math.min(MSS, window - i * MSS);
            cc.onAck(acked, cc.cwnd() - acked, rttNs, now);
        }
        return now;
    }

    /** Grows a fresh CUBIC to {@code segments} in slow start, then has it detect a loss with a full flight. */
    private static Cubic lossAt(final int segments, final boolean fastConvergence)
    {
        final Cubic cc = new Cubic(fastConvergence, false);
        cc.init(MSS, 0);
        while (cc.cwnd() < segments * MSS)
        {
            cc.onAck(Math.min(MSS, segments * MSS - cc.cwnd()), cc.cwnd(), 0, 0);
        }
        assertEquals(segments * MSS, cc.cwnd());
        cc.onEnterRecovery(segments * MSS, 0);
        return cc;
    }

    @Test
    void rfc9438_4_3_alphaMakesTheAverageWindowEqualToReno()
    {
        assertEquals(3 * 0.3 / 1.7, Cubic.ALPHA_RENO_FRIENDLY, EPS);
        assertEquals(0.5294, Cubic.ALPHA_RENO_FRIENDLY, 1e-4);
    }

    @Test
    void rfc9438_4_6_multiplicativeDecreaseIsBetaPointSeven()
    {
        final Cubic cc = lossAt(100, true);
        assertEquals(70 * MSS, cc.ssthresh());
        assertEquals(70 * MSS, cc.cwnd());
        assertEquals(100 * MSS, cc.wMax(), EPS);
    }

    @Test
    void rfc9438_4_2_kIsTheTimeToReachWmax()
    {
        final Cubic cc = lossAt(100, true);
        cc.onExitRecovery(0);
        cc.onAck(MSS, cc.cwnd(), 100 * MS, 1);
        // K = cubic_root((W_max - cwnd_epoch) / C) = cubic_root(30 / 0.4) = cubic_root(75) seconds.
        assertEquals(Math.cbrt(75), cc.k(), 1e-12);
        assertEquals(4.2172, cc.k(), 1e-4);
        // Equivalently K = cubic_root(W_max * (1 - beta) / C) when cwnd_epoch = beta * W_max.
        assertEquals(Math.cbrt(100 * (1 - Cubic.BETA) / Cubic.C), cc.k(), 1e-9);
        // W_cubic(0) = cwnd_epoch and W_cubic(K) = W_max.
        assertEquals(70 * MSS, cc.wCubic(0), 1e-6);
        assertEquals(100 * MSS, cc.wCubic(cc.k()), 1e-6);
    }

    @Test
    void rfc9438_4_4_windowFollowsTheCubicCurveThroughConcaveAndConvexRegions()
    {
        final long rtt = 100 * MS;
        final Cubic cc = lossAt(100, true);
        cc.onExitRecovery(0);
        long now = 0;
        final long epochNs = rtt / 70; // the first CA ACK starts the epoch
        boolean sawConvex = false;
        for (int r = 0; r < 70; r++)
        {
            now = round(cc, now, rtt);
            final double t = (now - epochNs) / 1e9;
            final double curve = Cubic.C * MSS * Math.pow(t - cc.k(), 3) + 100 * MSS;
            final double ahead = Cubic.C * MSS * Math.pow(t + rtt / 1e9 - cc.k(), 3) + 100 * MSS;
            // cwnd tracks W_cubic: never far below W_cubic(t), never beyond W_cubic(t + RTT) unless Reno would be
            // faster (W_est, the Reno-friendly region of §4.3, which a 100 ms RTT reaches after about 60 RTTs).
            assertTrue(cc.cwnd() >= curve - 2 * MSS, "round " + r + ": " + cc.cwnd() + " vs W_cubic " + curve);
            assertTrue(cc.cwnd() <= Math.max(ahead, cc.wEst()) + MSS,
                "round " + r + ": " + cc.cwnd() + " vs W_cubic(t+RTT) " + ahead);
            if (t < cc.k())
            {
                assertTrue(cc.cwnd() <= 100 * MSS + MSS, "concave region stays below W_max");
            }
            else if (t > cc.k() + 1)
            {
                sawConvex = true;
                assertTrue(cc.cwnd() > 100 * MSS, "convex region probes beyond W_max");
            }
        }
        assertTrue(sawConvex);
    }

    @Test
    void rfc9438_4_4_growthPerRttIsBoundedByHalfTheWindow()
    {
        final long rtt = 100 * MS;
        final Cubic cc = lossAt(20, true);
        cc.onExitRecovery(0);
        long now = round(cc, 0, rtt);
        // Far in the convex region W_cubic is huge; the target is capped at 1.5 * cwnd per RTT.
        now += 60_000 * MS;
        for (int r = 0; r < 5; r++)
        {
            final int before = cc.cwnd();
            now = round(cc, now, rtt);
            assertTrue(cc.cwnd() <= before * 3 / 2 + MSS, before + " -> " + cc.cwnd());
            assertTrue(cc.cwnd() > before * 5 / 4, "still grows fast: " + before + " -> " + cc.cwnd());
        }
    }

    @Test
    void rfc9438_4_3_renoFriendlyRegionOnShortRtts()
    {
        // With 1 ms RTT, W_cubic barely moves per RTT while Reno would add alpha_cubic segments per RTT.
        final long rtt = MS;
        final Cubic cc = lossAt(10, true);
        cc.onExitRecovery(0);
        assertEquals(7 * MSS, cc.cwnd());
        // Each ACK adds alpha_cubic * segments_acked / cwnd to W_est, and cwnd follows W_est.
        final double wEst = 7 * MSS;
        cc.onAck(MSS, 6 * MSS, rtt, rtt / 7);
        assertEquals(wEst + Cubic.ALPHA_RENO_FRIENDLY * MSS * MSS / (7.0 * MSS), cc.wEst(), 1e-9);
        assertEquals((int) cc.wEst(), cc.cwnd());
        long now = rtt / 7;
        for (int r = 0; r < 4; r++)
        {
            now = round(cc, now, rtt);
        }
        // W_est grows by about alpha_cubic * MSS per RTT: 4 more RTTs give about 7 + 4.14 * 0.53 segments.
        final double expected = 7 * MSS + (4 + 1 / 7.0) * Cubic.ALPHA_RENO_FRIENDLY * MSS;
        assertEquals(expected, cc.cwnd(), 0.15 * MSS, cc.toString());
        assertTrue(cc.wCubic((now - rtt / 7) / 1e9) < cc.wEst(), "still in the Reno-friendly region");
        // Once W_est reaches cwnd_prior (10 segments), alpha_cubic becomes 1: one segment per RTT, like Reno.
        while (cc.wEst() < 10 * MSS)
        {
            now += rtt / 10;
            cc.onAck(MSS, cc.cwnd() - MSS, rtt, now);
        }
        final double before = cc.wEst();
        final int cwnd = cc.cwnd();
        now += rtt / 10;
        cc.onAck(MSS, cc.cwnd() - MSS, rtt, now);
        assertEquals(before + 1.0 * MSS * MSS / cwnd, cc.wEst(), 1e-9);
        assertEquals((int) cc.wEst(), cc.cwnd(), "cwnd = W_est in the Reno-friendly region");
    }

    @Test
    void rfc9438_4_7_fastConvergenceLowersWmaxWhenItShrinks()
    {
        final Cubic cc = lossAt(100, true);
        assertEquals(100 * MSS, cc.wMax(), EPS);
        cc.onExitRecovery(0);
        // A second loss below W_max: W_max = cwnd * (1 + beta) / 2.
        final int cwnd = cc.cwnd(); // 70 segments
        cc.onEnterRecovery(cwnd, 1);
        assertEquals(cwnd * (1 + Cubic.BETA) / 2, cc.wMax(), EPS);
        assertEquals((int) (cwnd * Cubic.BETA), cc.ssthresh());
    }

    @Test
    void rfc9438_4_7_withoutFastConvergenceWmaxIsTheWindowAtLoss()
    {
        final Cubic cc = lossAt(100, false);
        cc.onExitRecovery(0);
        final int cwnd = cc.cwnd();
        cc.onEnterRecovery(cwnd, 1);
        assertEquals(cwnd, cc.wMax(), EPS);
    }

    @Test
    void rfc9438_4_8_firstCongestionAvoidanceAfterTimeoutHasKZero()
    {
        final Cubic cc = lossAt(100, true);
        cc.onExitRecovery(0);
        cc.onRetransmitTimeout(cc.cwnd(), 1);
        assertEquals(MSS, cc.cwnd());
        assertEquals(49 * MSS, cc.ssthresh());
        long now = 1;
        while (cc.inSlowStart())
        {
            now = round(cc, now, 10 * MS);
        }
        // The ACK that crossed ssthresh started the epoch: W_max = cwnd at its start, K = 0.
        assertEquals(0.0, cc.k(), EPS);
        assertTrue(Math.abs(cc.wMax() - cc.ssthresh()) <= 2 * MSS, cc.wMax() + " vs " + cc.ssthresh());
        final int start = cc.cwnd();
        now = round(cc, now, 10 * MS);
        assertTrue(cc.cwnd() >= start, "convex growth from the start");
    }

    @Test
    void rfc9438_5_8_idleTimeDoesNotCountInT()
    {
        final long rtt = 10 * MS;
        final Cubic cc = lossAt(100, true);
        cc.onExitRecovery(0);
        long now = round(cc, 0, rtt);
        final int before = cc.cwnd();
        // An hour of silence, then the sender restarts: no leap from W_cubic(3600 s).
        now += 3_600_000 * MS;
        cc.onIdleRestart(now);
        assertEquals(10 * MSS, cc.cwnd());
        while (cc.inSlowStart())
        {
            now = round(cc, now, rtt);
        }
        final int atSsthresh = cc.cwnd();
        now = round(cc, now, rtt);
        assertTrue(cc.cwnd() < atSsthresh * 3 / 2, "no leap: " + atSsthresh + " -> " + cc.cwnd());
        assertTrue(before > 0);
    }

    @Test
    void cwndIsDeterministicForTheSameEvents()
    {
        final Cubic a = lossAt(64, true);
        final Cubic b = lossAt(64, true);
        a.onExitRecovery(0);
        b.onExitRecovery(0);
        long na = 0;
        long nb = 0;
        for (int r = 0; r < 50; r++)
        {
            na = round(a, na, 20 * MS);
            nb = round(b, nb, 20 * MS);
        }
        assertEquals(a.cwnd(), b.cwnd());
        assertEquals(a.wEst(), b.wEst(), 0);
    }
}
