package io.conntest.stack.tcp;

import io.conntest.stack.tcp.sack.SackScoreboard;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.wire.TcpRepr;

/**
 * The sender's SACK state for one connection (RFC 2018, RFC 6675) over tcp.cc's {@link SackScoreboard}: records
 * the peer's blocks, tracks HighRxt (one past the highest byte retransmitted in this recovery) and answers
 * IsLost / pipe / NextSeg for {@link TcpSender} and {@link TcpOutput}.
 */
final class TcpSack
{
    private final SackScoreboard board = new SackScoreboard();
    private int highRxt;
    int holeSeq;
    int holeLength;

    void init(final int una)
    {
        board.reset(una);
        highRxt = una;
    }

    /** Records the segment's SACK blocks; returns how many bytes they newly SACKed (RFC 6675 §2 DupAcks). */
    int onSack(final int una, final int nxt, final TcpRepr seg)
    {
        board.onAck(una);
        int newly = 0;
        for (int i = 0; i < seg.sackBlockCount; i++)
        {
            newly += board.addSackBlock(seg.sackLeft[i], seg.sackRight[i], nxt);
        }
        return newly;
    }

    void onCumulativeAck(final int una)
    {
        board.onAck(una);
        if (SeqNum.lt(highRxt, una))
        {
            highRxt = una;
        }
    }

    boolean isLost(final int seq, final int mss)
    {
        return board.isLost(seq, mss);
    }

    void onEnterRecovery(final int una)
    {
        highRxt = una;
    }

    /** RFC 6675 §5.1: after a timeout the blocks are not trusted to skip data (the receiver may renege). */
    void onRetransmitTimeout(final int una)
    {
        board.clear();
        highRxt = una;
    }

    int pipe(final int una, final int nxt, final int mss)
    {
        return board.pipe(una, nxt, SeqNum.max(highRxt, una), mss);
    }

    /**
     * RFC 6675 NextSeg(): a hole to retransmit now. Returns false when there is none, or when new data should go
     * first (rule 2, {@code canSendNew}).
     */
    boolean nextHole(final int una, final int nxt, final int mss, final boolean canSendNew)
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

    void onRetransmitted(final int seq, final int length)
    {
        if (SeqNum.gt(seq + length, highRxt))
        {
            highRxt = seq + length;
        }
    }
}
