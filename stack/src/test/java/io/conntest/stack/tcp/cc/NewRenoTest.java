package io.conntest.stack.tcp.cc;

import org.junit.jupiter.api.Test;

import static io.conntest.stack.tcp.cc.CongestionControlTest.MSS;
import static io.conntest.stack.tcp.cc.CongestionControlTest.RTT;
import static io.conntest.stack.tcp.cc.CongestionControlTest.oneRound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class NewRenoTest
{
    /** A NewReno in congestion avoidance at {@code segments} * MSS (after a loss at twice that flight). */
    private static NewReno inCongestionAvoidance(final int segments)
    {
        final NewReno cc = new NewReno();
        cc.init(MSS, 0);
        cc.onEnterRecovery(2 * segments * MSS, 0);
        cc.onExitRecovery(0);
        assertEquals(segments * MSS, cc.cwnd());
        assertFalse(cc.inSlowStart());
        return cc;
    }

    @Test
    void rfc5681_3_1_lossHalvesTheFlight()
    {
        final NewReno cc = new NewReno();
        cc.init(MSS, 0);
        cc.onEnterRecovery(37 * MSS, 0);
        assertEquals(37 * MSS / 2, cc.ssthresh());
    }

    @Test
    void rfc5681_3_1_congestionAvoidanceAddsOneSegmentPerRtt()
    {
        final NewReno cc = inCongestionAvoidance(20);
        long now = 0;
        for (int round = 1; round <= 30; round++)
        {
            now = oneRound(cc, now, MSS);
            assertEquals((20 + round) * MSS, cc.cwnd(), "round " + round);
        }
    }

    @Test
    void rfc3465_2_1_byteCountingGrowsWhenACwndOfBytesIsAcknowledged()
    {
        final NewReno cc = inCongestionAvoidance(10);
        cc.onAck(10 * MSS - 1, 10 * MSS, RTT, 1);
        assertEquals(10 * MSS, cc.cwnd());
        cc.onAck(1, 10 * MSS, RTT, 2);
        assertEquals(11 * MSS, cc.cwnd());
        // Delayed ACKs (2 segments each) give the same one segment per RTT.
        for (int i = 0; i < 11 * MSS / (2 * MSS) + 1; i++)
        {
            cc.onAck(2 * MSS, 11 * MSS, RTT, 3 + i);
        }
        assertEquals(12 * MSS, cc.cwnd());
    }

    @Test
    void slowStartCrossingSsthreshCountsTheRestInCongestionAvoidance()
    {
        final NewReno cc = new NewReno();
        cc.init(MSS, 0);
        cc.onRetransmitTimeout(2 * 3 * MSS + MSS / 2 * 2, 0); // ssthresh 3.5 MSS
        assertEquals(3 * MSS + MSS / 2, cc.ssthresh());
        cc.onAck(2 * MSS, MSS, RTT, 1); // 1 -> 3 MSS
        assertEquals(3 * MSS, cc.cwnd());
        cc.onAck(2 * MSS, 3 * MSS, RTT, 2); // 0.5 MSS to ssthresh, 1.5 MSS counted in CA
        assertEquals(3 * MSS + MSS / 2, cc.cwnd());
        cc.onAck(2 * MSS, 3 * MSS, RTT, 3); // 3.5 MSS of CA bytes >= cwnd: one segment
        assertEquals(4 * MSS + MSS / 2, cc.cwnd());
    }
}
