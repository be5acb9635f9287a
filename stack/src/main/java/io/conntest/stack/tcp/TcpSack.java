package io.conntest.stack.tcp;

import io.conntest.stack.wire.TcpRepr;

/**
 * The sender's view of the peer's SACK blocks (RFC 2018, RFC 6675) for one connection, over tcp.cc's scoreboard.
 * TEMPORARY: until the scoreboard is merged this keeps no blocks (recovery then behaves like NewReno).
 */
final class TcpSack
{
    int holeSeq;
    int holeLength;

    void onSack(final int una, final int max, final TcpRepr seg)
    {
    }

    void onCumulativeAck(final int una)
    {
    }

    boolean isLost(final int seq, final int mss)
    {
        return false;
    }

    void onEnterRecovery()
    {
    }

    void onRetransmitTimeout()
    {
    }

    int pipe(final int una, final int nxt, final int mss)
    {
        return nxt - una;
    }

    boolean nextHole(final int una, final int max, final int mss)
    {
        return false;
    }

    void onRetransmitted(final int seq, final int length)
    {
    }
}
