package io.conntest.stack.tcp;

import io.conntest.stack.tcp.cc.CongestionControl;
import io.conntest.stack.tcp.sack.SackScoreboard;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.wire.TcpRepr;

/**
 * Conservative SACK-based loss recovery (RFC 6675, RFC 2018) over {@code tcp.sack}'s {@link SackScoreboard}: records
 * the peer's blocks, tracks HighRxt (one past the highest byte retransmitted in this recovery) and answers IsLost,
 * pipe and NextSeg. Used when both SYNs carried SACK-permitted.
 */
final class SackRecovery implements LossRecovery
{
    private final SackScoreboard board = new SackScoreboard();
    private int highRxt;
    private int holeSeq;
    private int holeLength;

    @Override
    public void init(final int una)
    {
        board.reset(una);
        highRxt = una;
    }

    @Override
    public int onAck(final TcpRepr seg, final int una, final int nxt)
    {
        if (seg.sackBlockCount == 0)
        {
            return 0;
        }
        board.onAck(una);
        int newly = 0;
        for (int i = 0; i < seg.sackBlockCount; i++)
        {
            newly += board.addSackBlock(seg.sackLeft[i], seg.sackRight[i], nxt);
        }
        return newly;
    }

    @Override
    public void onCumulativeAck(final int una)
    {
        board.onAck(una);
        if (SeqNum.lt(highRxt, una))
        {
            highRxt = una;
        }
    }

    @Override
    public void onDuplicateAck(final CongestionControl cc)
    {
        // RFC 6675 §5: no window inflation, the pipe counts what left the network.
    }

    @Override
    public boolean isLost(final int una, final int mss)
    {
        return board.isLost(una, mss);
    }

    @Override
    public boolean mayEnterRecovery(final int una, final boolean recoverValid, final int recoverSeq)
    {
        return true; // RFC 6675 §5: the scoreboard tells real losses apart; only being in recovery prevents a new one
    }

    @Override
    public void onEnterRecovery(final int una)
    {
        highRxt = una;
    }

    @Override
    public boolean retransmitsHeadOnPartialAck()
    {
        return false;
    }

    @Override
    public boolean detectsLostRetransmission()
    {
        return true;
    }

    @Override
    public int pipe(final int una, final int nxt, final int mss)
    {
        return board.pipe(una, nxt, SeqNum.max(highRxt, una), mss);
    }

    /** RFC 6675 §5.1: after a timeout the blocks are not trusted to skip data (the receiver may renege). */
    @Override
    public void onRetransmitTimeout(final int una)
    {
        board.clear();
        highRxt = una;
    }

    @Override
    public boolean nextHole(final int una, final int nxt, final int mss, final boolean canSendNew)
    {
        final long seg = board.nextSeg(una, nxt, SeqNum.max(highRxt, una), mss, canSendNew);
        if (seg == SackScoreboard.NO_SEGMENT || (int)seg == nxt)
        {
            return false;
        }
        holeSeq = (int)seg;
        holeLength = board.nextSegLength();
        return holeLength > 0;
    }

    @Override
    public int holeSeq()
    {
        return holeSeq;
    }

    @Override
    public int holeLength()
    {
        return holeLength;
    }

    @Override
    public void onRetransmitted(final int seq, final int length)
    {
        if (SeqNum.gt(seq + length, highRxt))
        {
            highRxt = seq + length;
        }
    }
}
