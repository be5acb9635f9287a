package io.conntest.stack.tcp;

import io.conntest.stack.tcp.cc.CongestionControl;
import io.conntest.stack.wire.TcpRepr;

/**
 * How a sender detects and repairs losses with duplicate ACKs, one implementation per standard, chosen once when the
 * connection is established: {@link SackRecovery} (RFC 6675 conservative SACK-based recovery, over the scoreboard of
 * {@code tcp.sack}) when both SYNs carried SACK-permitted, {@link NewRenoRecovery} (RFC 6582) otherwise.
 *
 * <p>{@link TcpSender} keeps SND.*, the duplicate-ACK count, the recovery point ("recover") and the congestion
 * controller, and asks its recovery wherever the two standards differ: what an ACK's SACK blocks say, whether the
 * head is lost, whether a new recovery may start, what a partial ACK does, the pipe, and which holes to send again.
 * An implementation owns only what its standard adds (the scoreboard and HighRxt); it never writes SND.*.
 */
interface LossRecovery
{
    /** Starts at SND.UNA = {@code una} when the connection is established. */
    void init(int una);

    /**
     * Every acceptable ACK: records its SACK blocks (RFC 2018) against {@code [una, nxt)}.
     *
     * @return bytes the ACK newly SACKed (RFC 6675 §2 counts such an ACK as a duplicate), 0 without SACK
     */
    int onAck(TcpRepr seg, int una, int nxt);

    /** SND.UNA advanced to {@code una}. */
    void onCumulativeAck(int una);

    /**
     * A duplicate ACK arrived: without SACK the congestion controller counts it and inflates cwnd in recovery
     * (RFC 5681 §3.2 steps 3-4, RFC 6582 §3.2 steps 2-3); with SACK the pipe does that accounting (RFC 6675 §5).
     */
    void onDuplicateAck(CongestionControl cc);

    /** Besides the duplicate-ACK threshold: whether the scoreboard deems the segment at {@code una} lost (IsLost). */
    boolean isLost(int una, int mss);

    /**
     * Whether a loss at SND.UNA may start recovery, given the last recovery point: RFC 6582 §3.2 step 2 (not again
     * for the same window, the duplicates may come from data sent twice) or RFC 6675 §5 (the scoreboard tells real
     * losses apart).
     */
    boolean mayEnterRecovery(int una, boolean recoverValid, int recoverSeq);

    /** Recovery starts at SND.UNA = {@code una}. */
    void onEnterRecovery(int una);

    /** A partial ACK in recovery retransmits the new head at once (RFC 6582 §3.2 step 5); SACK's NextSeg decides. */
    boolean retransmitsHeadOnPartialAck();

    /**
     * Whether ACKs that keep arriving for a whole RTT in recovery while SND.UNA stays put mean the head's
     * retransmission was lost too (only SACK information tells such ACKs apart).
     */
    boolean detectsLostRetransmission();

    /** In recovery: the bytes still in the network for the cwnd check (RFC 6675 pipe, or SND.NXT - SND.UNA). */
    int pipe(int una, int nxt, int mss);

    /** The retransmission timer expired at SND.UNA = {@code una} (RFC 6675 §5.1: SACK blocks no longer trusted). */
    void onRetransmitTimeout(int una);

    /**
     * RFC 6675 NextSeg(): whether a hole is to be sent again now ({@link #holeSeq()}, {@link #holeLength()}); false
     * when there is none, when new data should go first ({@code canSendNew}, rule 2), or without SACK.
     */
    boolean nextHole(int una, int nxt, int mss, boolean canSendNew);

    /** The start of the hole {@link #nextHole} found. */
    int holeSeq();

    /** The length of the hole {@link #nextHole} found. */
    int holeLength();

    /** {@code [seq, seq + length)} was sent again (RFC 6675 HighRxt). */
    void onRetransmitted(int seq, int length);
}
