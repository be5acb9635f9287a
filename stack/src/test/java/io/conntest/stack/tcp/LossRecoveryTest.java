package io.conntest.stack.tcp;

import io.conntest.stack.tcp.cc.CongestionControl;
import io.conntest.stack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the two loss recoveries differ: RFC 6582 NewReno and RFC 6675 SACK-based recovery, side by side. */
class LossRecoveryTest
{
    private static final int MSS = 1000;
    /** Close to the 2^32 wrap, so every comparison crosses it. */
    private static final int UNA = -2_500;

    @Test
    void rfc6582_3_2_newRenoDoesNotEnterRecoveryAgainForTheSameWindow()
    {
        final LossRecovery reno = new NewRenoRecovery();
        reno.init(UNA);
        assertTrue(reno.mayEnterRecovery(UNA, false, 0));
        assertFalse(reno.mayEnterRecovery(UNA, true, UNA + 10 * MSS));
        assertTrue(reno.mayEnterRecovery(UNA + 10 * MSS + 1, true, UNA + 10 * MSS));
        assertTrue(reno.retransmitsHeadOnPartialAck());
        assertFalse(reno.detectsLostRetransmission());
    }

    @Test
    void rfc6582_newRenoIgnoresSackBlocksAndHasNoHoles()
    {
        final LossRecovery reno = new NewRenoRecovery();
        reno.init(UNA);
        final TcpRepr seg = sack(UNA + MSS, UNA + 4 * MSS);
        assertEquals(0, reno.onAck(seg, UNA, UNA + 10 * MSS));
        assertFalse(reno.isLost(UNA, MSS));
        assertEquals(10 * MSS, reno.pipe(UNA, UNA + 10 * MSS, MSS));
        assertFalse(reno.nextHole(UNA, UNA + 10 * MSS, MSS, false));
    }

    @Test
    void rfc5681_3_2_newRenoCountsDuplicateAcksInTheCongestionController()
    {
        final CongestionControl cc = CongestionControl.create("newreno");
        cc.init(MSS, 0);
        final LossRecovery reno = new NewRenoRecovery();
        reno.onDuplicateAck(cc);
        reno.onDuplicateAck(cc);
        reno.onDuplicateAck(cc);
        cc.onEnterRecovery(10 * MSS, 1);
        // ssthresh = FlightSize / 2, plus one MSS per counted duplicate ACK (RFC 5681 §3.2 step 4).
        assertEquals(5 * MSS + 3 * MSS, cc.cwnd());

        final CongestionControl withSack = CongestionControl.create("newreno");
        withSack.init(MSS, 0);
        final LossRecovery sack = new SackRecovery();
        sack.onDuplicateAck(withSack);
        withSack.onEnterRecovery(10 * MSS, 1);
        assertEquals(5 * MSS, withSack.cwnd()); // RFC 6675 §5: no inflation, the pipe does the accounting
    }

    @Test
    void rfc6675_sackRecoveryFindsTheHoleBelowSackedData()
    {
        final LossRecovery sack = new SackRecovery();
        sack.init(UNA);
        final int nxt = UNA + 10 * MSS;
        // Segments 1..3 SACKed: segment 0 has DupThresh segments SACKed above it (RFC 6675 §4 IsLost).
        assertEquals(3 * MSS, sack.onAck(sack(UNA + MSS, UNA + 4 * MSS), UNA, nxt));
        assertTrue(sack.isLost(UNA, MSS));
        assertTrue(sack.mayEnterRecovery(UNA, true, nxt));
        assertFalse(sack.retransmitsHeadOnPartialAck());
        assertTrue(sack.detectsLostRetransmission());
        sack.onEnterRecovery(UNA);
        assertTrue(sack.nextHole(UNA, nxt, MSS, false));
        assertEquals(UNA, sack.holeSeq());
        assertEquals(MSS, sack.holeLength());
        // pipe: the lost segment 0 does not count, the 3 SACKed ones neither, the 6 above them do.
        assertEquals(6 * MSS, sack.pipe(UNA, nxt, MSS));
        sack.onRetransmitted(UNA, MSS);
        assertEquals(7 * MSS, sack.pipe(UNA, nxt, MSS));
    }

    @Test
    void rfc6675_5_1_afterATimeoutSackBlocksAreForgotten()
    {
        final LossRecovery sack = new SackRecovery();
        sack.init(UNA);
        sack.onAck(sack(UNA + MSS, UNA + 4 * MSS), UNA, UNA + 10 * MSS);
        sack.onRetransmitTimeout(UNA);
        assertFalse(sack.isLost(UNA, MSS));
    }

    private static TcpRepr sack(final int left, final int right)
    {
        final TcpRepr seg = new TcpRepr().clear();
        seg.sackBlockCount = 1;
        seg.sackLeft[0] = left;
        seg.sackRight[0] = right;
        return seg;
    }
}
