package io.conntest.stack.tcp.cc;

import io.conntest.stack.tcp.rtt.RttEstimator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour NewReno and CUBIC share: RFC 5681, RFC 6582, RFC 6675 §5, RFC 6928, RFC 3465, RFC 7661. */
class CongestionControlTest
{
    static final int MSS = 1000;
    static final long RTT = 10_000_000L;

    private static CongestionControl started(final String name)
    {
        final CongestionControl cc = CongestionControl.create(name);
        cc.init(MSS, 0);
        return cc;
    }

    /** A sender that keeps cwnd full: one ACK of {@code ackSize} bytes per segment pair, spread over one RTT. */
    static long oneRound(final CongestionControl cc, final long startNs, final int ackSize)
    {
        final int window = cc.cwnd();
        final int acks = Math.max(1, window / ackSize);
        long now = startNs;
        for (int i = 0; i < acks; i++)
        {
            now += RTT / acks;
            cc.onAck(ackSize, Math.max(0, cc.cwnd() - ackSize), RTT, now);
        }
        return now;
    }

    @Test
    void rfc6928_2_initialWindowIsMin10MssMax2Mss14600()
    {
        assertEquals(14_600, AbstractCongestionControl.initialWindow(1460));
        assertEquals(5_360, AbstractCongestionControl.initialWindow(536));
        assertEquals(14_600, AbstractCongestionControl.initialWindow(4000));
        assertEquals(18_000, AbstractCongestionControl.initialWindow(9000));
        assertEquals(10 * 1200, AbstractCongestionControl.initialWindow(1200));
        final CongestionControl cc = CongestionControl.create("cubic");
        cc.init(1460, 0);
        assertEquals(14_600, cc.cwnd());
        assertEquals(1460, cc.mss());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_initialSsthreshIsArbitrarilyHigh(final String name)
    {
        final CongestionControl cc = started(name);
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
        assertTrue(cc.inSlowStart());
        assertFalse(cc.inRecovery());
        assertEquals(name, cc.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_lostSynMeansAnInitialWindowOfOneSegment(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onSynLost();
        assertEquals(MSS, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc3465_2_2_slowStartGrowsByAtMostTwoSegmentsPerAck(final String name)
    {
        final CongestionControl cc = started(name);
        final int before = cc.cwnd();
        cc.onAck(10 * MSS, 0, RTT, 1);
        assertEquals(before + 2 * MSS, cc.cwnd(), "a stretch ACK of 10 segments counts as L = 2 SMSS");
        cc.onAck(MSS / 2, cc.cwnd(), RTT, 2);
        assertEquals(before + 2 * MSS + MSS / 2, cc.cwnd(), "bytes, not ACKs, are counted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_slowStartDoublesCwndEachRtt(final String name)
    {
        for (final int ackSize : new int[] {MSS, 2 * MSS})
        {
            final CongestionControl cc = started(name);
            long now = 0;
            int expected = cc.cwnd();
            for (int round = 0; round < 8; round++)
            {
                now = oneRound(cc, now, ackSize);
                expected *= 2;
                assertEquals(expected, cc.cwnd(), "round " + round + ", ACK every " + ackSize + " bytes");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc7661_4_3_applicationLimitedSenderDoesNotGrowCwnd(final String name)
    {
        final CongestionControl cc = started(name);
        final int iw = cc.cwnd();
        // One small request/response at a time: never more than a tenth of cwnd in flight.
        for (int i = 0; i < 1000; i++)
        {
            cc.onAck(MSS, 0, RTT, i * RTT);
        }
        assertEquals(iw, cc.cwnd());
        // Using half of the window validates it.
        cc.onAck(MSS, iw / 2 - MSS, RTT, 1001 * RTT);
        assertEquals(iw + MSS, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_slowStartStopsAtSsthresh(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onRetransmitTimeout(40 * MSS, 0);
        final int ssthresh = cc.ssthresh();
        assertEquals(MSS, cc.cwnd());
        long now = 0;
        while (cc.inSlowStart())
        {
            final int before = cc.cwnd();
            now = oneRound(cc, now, MSS);
            assertTrue(cc.cwnd() <= Math.max(2 * before, ssthresh + MSS), "no overshoot: " + cc);
        }
        assertTrue(cc.cwnd() >= ssthresh);
        assertTrue(cc.cwnd() < ssthresh + 2 * MSS, "ends near ssthresh: " + cc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_2_fastRetransmitReducesSsthreshFromFlightSize(final String name)
    {
        final CongestionControl cc = started(name);
        final double beta = "cubic".equals(name) ? 0.7 : 0.5;
        for (int i = 0; i < 20; i++)
        {
            cc.onAck(2 * MSS, cc.cwnd(), RTT, i);
        }
        final int cwnd = cc.cwnd();
        // RFC 5681 §3.1 implementation note: FlightSize, not cwnd.
        final int flight = 40 * MSS;
        assertTrue(cwnd > flight);
        cc.onEnterRecovery(flight, 100);
        assertTrue(cc.inRecovery());
        assertEquals((int) (flight * beta), cc.ssthresh());
        // RFC 6675 §5 step 4.2 (SACK): cwnd = ssthresh.
        assertEquals(cc.ssthresh(), cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_eq4_ssthreshIsAtLeastTwoSegments(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onEnterRecovery(MSS, 0);
        assertEquals(2 * MSS, cc.ssthresh());
        assertEquals(2 * MSS, cc.cwnd());
        final CongestionControl rto = started(name);
        rto.onRetransmitTimeout(0, 0);
        assertEquals(2 * MSS, rto.ssthresh());
        assertEquals(MSS, rto.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc6582_3_2_withoutSackCwndInflatesAndDeflates(final String name)
    {
        final CongestionControl cc = started(name);
        final int flight = cc.cwnd();
        // Three duplicate ACKs, then fast retransmit: step 2, cwnd = ssthresh + 3 * SMSS.
        cc.onDupAck();
        cc.onDupAck();
        cc.onDupAck();
        cc.onEnterRecovery(flight, 0);
        final int ssthresh = cc.ssthresh();
        assertEquals(ssthresh + 3 * MSS, cc.cwnd());
        // Step 3: each further duplicate inflates by SMSS.
        cc.onDupAck();
        cc.onDupAck();
        assertEquals(ssthresh + 5 * MSS, cc.cwnd());
        // Step 5: a partial ACK of 4 SMSS deflates by 4 SMSS and adds back one.
        cc.onPartialAck(4 * MSS);
        assertEquals(ssthresh + 2 * MSS, cc.cwnd());
        // Less than one SMSS acknowledged: no SMSS added back.
        cc.onPartialAck(MSS / 2);
        assertEquals(ssthresh + 2 * MSS - MSS / 2, cc.cwnd());
        // Deflation never takes cwnd below one segment.
        cc.onPartialAck(100 * MSS);
        assertEquals(MSS, cc.cwnd());
        // Step 6: the full ACK sets cwnd to ssthresh.
        cc.onExitRecovery(1);
        assertFalse(cc.inRecovery());
        assertEquals(ssthresh, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc6675_5_withSackPartialAcksLeaveCwndAlone(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onEnterRecovery(cc.cwnd(), 0);
        final int cwnd = cc.cwnd();
        cc.onPartialAck(3 * MSS);
        assertEquals(cwnd, cc.cwnd());
        cc.onExitRecovery(1);
        assertEquals(cc.ssthresh(), cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void newAckClearsCountedDuplicates(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onDupAck();
        cc.onDupAck();
        cc.onAck(MSS, cc.cwnd(), RTT, 1);
        cc.onEnterRecovery(cc.cwnd(), 2);
        assertEquals(cc.ssthresh(), cc.cwnd(), "the duplicates before a new ACK do not inflate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc6582_3_2_step1_oneReductionPerWindow(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onEnterRecovery(10 * MSS, 0);
        final int ssthresh = cc.ssthresh();
        final int cwnd = cc.cwnd();
        cc.onEnterRecovery(10 * MSS, 1);
        assertEquals(ssthresh, cc.ssthresh());
        assertEquals(cwnd, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc6675_5_noWindowGrowthDuringRecovery(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onEnterRecovery(10 * MSS, 0);
        final int cwnd = cc.cwnd();
        cc.onAck(5 * MSS, cwnd, RTT, 1);
        assertEquals(cwnd, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_timeoutSetsCwndToTheLossWindow(final String name)
    {
        final CongestionControl cc = started(name);
        final double beta = "cubic".equals(name) ? 0.7 : 0.5;
        cc.onRetransmitTimeout(30 * MSS, 0);
        assertEquals(MSS, cc.cwnd());
        assertEquals((int) (30 * MSS * beta), cc.ssthresh());
        assertTrue(cc.inSlowStart());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_repeatedTimeoutOfTheSameSegmentKeepsSsthresh(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onRetransmitTimeout(30 * MSS, 0);
        final int ssthresh = cc.ssthresh();
        // The retransmission is lost too: FlightSize is now one segment, but ssthresh must not collapse.
        cc.onRetransmitTimeout(MSS, 1);
        cc.onRetransmitTimeout(MSS, 2);
        assertEquals(ssthresh, cc.ssthresh());
        assertEquals(MSS, cc.cwnd());
        // After new data is acknowledged a later timeout is a new loss.
        cc.onAck(MSS, 0, RTT, 3);
        cc.onRetransmitTimeout(2 * MSS, 4);
        assertEquals(2 * MSS, cc.ssthresh());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_3_1_timeoutDuringRecoveryOnlyTightensSsthresh(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onEnterRecovery(100 * MSS, 0);
        final int ssthresh = cc.ssthresh();
        cc.onRetransmitTimeout(100 * MSS, 1);
        assertEquals(ssthresh, cc.ssthresh(), "not reduced twice for one loss episode");
        assertFalse(cc.inRecovery());
        assertEquals(MSS, cc.cwnd());
        final CongestionControl small = started(name);
        small.onEnterRecovery(100 * MSS, 0);
        small.onRetransmitTimeout(10 * MSS, 1);
        assertTrue(small.ssthresh() < ssthresh, "never above eq. (4) for the flight at the timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void rfc5681_4_1_restartAfterIdleUsesTheRestartWindow(final String name)
    {
        final CongestionControl cc = started(name);
        long now = 0;
        for (int i = 0; i < 5; i++)
        {
            now = oneRound(cc, now, MSS);
        }
        final int cwnd = cc.cwnd();
        assertTrue(cwnd > 10 * MSS);
        cc.onIdleRestart(now + 10 * RttEstimator.DEFAULT_MIN_RTO_NS);
        assertEquals(10 * MSS, cc.cwnd(), "RW = min(IW, cwnd)");
        assertEquals(Integer.MAX_VALUE, cc.ssthresh(), "no loss yet: ssthresh stays arbitrarily high");
        // With a lower ssthresh, RFC 2861 §3: ssthresh = max(ssthresh, 3/4 cwnd) remembers the old window.
        cc.onEnterRecovery(4 * MSS, now);
        cc.onExitRecovery(now);
        for (int i = 0; i < 5; i++)
        {
            now = oneRound(cc, now, MSS);
        }
        final int grown = cc.cwnd();
        assertTrue(3 * grown / 4 > cc.ssthresh(), cc.toString());
        cc.onIdleRestart(now + 10 * RttEstimator.DEFAULT_MIN_RTO_NS);
        assertEquals(3 * grown / 4, cc.ssthresh());
        assertEquals(Math.min(grown, 10 * MSS), cc.cwnd());
        // A window already below IW is kept.
        final CongestionControl small = started(name);
        small.onRetransmitTimeout(20 * MSS, 0);
        small.onIdleRestart(1);
        assertEquals(MSS, small.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void cwndNeverExceedsTheLargestScaledWindow(final String name)
    {
        final CongestionControl cc = CongestionControl.create(name);
        cc.init(65_535, 0);
        long now = 0;
        for (int i = 0; i < 200_000; i++)
        {
            now += 1_000_000;
            cc.onAck(131_070, Integer.MAX_VALUE - 131_070, 1_000_000, now);
            assertTrue(cc.cwnd() > 0 && cc.cwnd() <= AbstractCongestionControl.MAX_CWND);
        }
        assertEquals(AbstractCongestionControl.MAX_CWND, cc.cwnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void initResetsEverything(final String name)
    {
        final CongestionControl cc = started(name);
        cc.onEnterRecovery(50 * MSS, 0);
        cc.init(1460, 5);
        assertFalse(cc.inRecovery());
        assertEquals(14_600, cc.cwnd());
        assertEquals(Integer.MAX_VALUE, cc.ssthresh());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cubic", "newreno"})
    void randomEventSequencesKeepTheInvariants(final String name)
    {
        final Random random = new Random(5681 + name.hashCode());
        final CongestionControl cc = CongestionControl.create(name);
        for (int trial = 0; trial < 200; trial++)
        {
            final int mss = 536 + random.nextInt(9000 - 536);
            cc.init(mss, 0);
            long now = 0;
            boolean lossSeen = false;
            for (int step = 0; step < 500; step++)
            {
                now += random.nextInt(50_000_000);
                final int flight = random.nextInt(Math.max(1, 2 * cc.cwnd()));
                final int wasCwnd = cc.cwnd();
                final boolean wasInRecovery = cc.inRecovery();
                switch (random.nextInt(12))
                {
                    case 0:
                        cc.onEnterRecovery(flight, now);
                        lossSeen = true;
                        assertTrue(cc.inRecovery());
                        break;
                    case 1:
                        cc.onPartialAck(random.nextInt(4 * mss));
                        break;
                    case 2:
                        cc.onExitRecovery(now);
                        assertFalse(cc.inRecovery());
                        if (wasInRecovery)
                        {
                            assertEquals(cc.ssthresh(), cc.cwnd(), "RFC 6582 §3.2 step 6");
                        }
                        break;
                    case 3:
                        cc.onRetransmitTimeout(flight, now);
                        lossSeen = true;
                        assertEquals(mss, cc.cwnd(), "RFC 5681 §3.1 loss window");
                        break;
                    case 4:
                        cc.onIdleRestart(now);
                        assertEquals(Math.min(wasCwnd, AbstractCongestionControl.initialWindow(mss)), cc.cwnd());
                        break;
                    case 5:
                        cc.onDupAck();
                        break;
                    default:
                        cc.onAck(1 + random.nextInt(4 * mss), flight, random.nextInt(300_000_000), now);
                        if (wasInRecovery)
                        {
                            assertEquals(wasCwnd, cc.cwnd(), "no growth in recovery");
                        }
                        else
                        {
                            assertTrue(cc.cwnd() >= wasCwnd, "an ACK never shrinks cwnd");
                        }
                        break;
                }
                assertTrue(cc.cwnd() >= mss || cc.cwnd() == wasCwnd, "at least one segment: " + cc);
                assertTrue(cc.cwnd() <= AbstractCongestionControl.MAX_CWND);
                if (lossSeen)
                {
                    assertTrue(cc.ssthresh() >= 2 * mss, "RFC 5681 eq. (4) floor: " + cc);
                }
            }
        }
    }

    @Test
    void createKnowsCubicAndNewReno()
    {
        assertInstanceOf(Cubic.class, CongestionControl.create("cubic"));
        assertInstanceOf(Cubic.class, CongestionControl.create("CUBIC"));
        assertInstanceOf(Cubic.class, CongestionControl.create(CongestionControl.DEFAULT));
        assertInstanceOf(NewReno.class, CongestionControl.create("newreno"));
        assertInstanceOf(NewReno.class, CongestionControl.create("NewReno"));
        assertInstanceOf(NewReno.class, CongestionControl.create("reno"));
        assertThrows(IllegalArgumentException.class, () -> CongestionControl.create("bbr"));
    }

    @Test
    void badMssIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> new Cubic().init(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new NewReno().init(-1, 0));
    }
}
