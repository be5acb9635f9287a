package io.conntest.stack.tcp;

import io.conntest.stack.tcp.cc.CongestionControl;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.wire.TcpRepr;

/**
 * Loss recovery without SACK (RFC 6582 NewReno, RFC 5681 §3.2): duplicate ACKs inflate cwnd through the congestion
 * controller, every partial ACK retransmits the next unacknowledged segment at once, and recovery does not start
 * again for losses of a window already recovered. No state of its own.
 */
final class NewRenoRecovery implements LossRecovery
{
    @Override
    public void init(final int una)
    {
    }

    @Override
    public int onAck(final TcpRepr seg, final int una, final int nxt)
    {
        return 0;
    }

    @Override
    public void onCumulativeAck(final int una)
    {
    }

    @Override
    public void onDuplicateAck(final CongestionControl cc)
    {
        cc.onDupAck(); // RFC 5681 §3.2 step 4: counted, or inflates cwnd during recovery
    }

    @Override
    public boolean isLost(final int una, final int mss)
    {
        return false;
    }

    @Override
    public boolean mayEnterRecovery(final int una, final boolean recoverValid, final int recoverSeq)
    {
        // RFC 6582 §3.2 step 2: only when the cumulative ACK passed the last recovery point.
        return !recoverValid || SeqNum.gt(una, recoverSeq);
    }

    @Override
    public void onEnterRecovery(final int una)
    {
    }

    @Override
    public boolean retransmitsHeadOnPartialAck()
    {
        return true;
    }

    @Override
    public boolean detectsLostRetransmission()
    {
        return false;
    }

    @Override
    public int pipe(final int una, final int nxt, final int mss)
    {
        return nxt - una; // cwnd was inflated per duplicate ACK instead (RFC 5681 §3.2)
    }

    @Override
    public void onRetransmitTimeout(final int una)
    {
    }

    @Override
    public boolean nextHole(final int una, final int nxt, final int mss, final boolean canSendNew)
    {
        return false;
    }

    @Override
    public int holeSeq()
    {
        return 0;
    }

    @Override
    public int holeLength()
    {
        return 0;
    }

    @Override
    public void onRetransmitted(final int seq, final int length)
    {
    }
}
