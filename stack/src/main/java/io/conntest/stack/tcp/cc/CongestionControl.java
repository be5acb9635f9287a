package io.conntest.stack.tcp.cc;

import java.util.Locale;

/**
 * A sender's congestion controller: owns cwnd and ssthresh, in bytes, and changes them on the events the
 * sender reports. It never sees segments, sequence numbers or the clock; the sender decides what an event is
 * (new ACK, three duplicate ACKs, partial ACK, RTO expiry, idle) and calls the matching method.
 *
 * <p>How a sender drives it:
 * <ul>
 *   <li>{@link #init(int, long)} when the connection is established, with the effective send MSS;
 *       {@link #onSynLost()} after it if the SYN or SYN-ACK had to be retransmitted.</li>
 *   <li>{@link #onAck(int, int, long, long)} for every ACK that acknowledges new data outside recovery.</li>
 *   <li>{@link #onEnterRecovery(int, long)} on fast retransmit (RFC 5681 §3.2, RFC 6675 §5); then, until
 *       SND.UNA passes the recovery point, {@link #onPartialAck(int)} for ACKs of some but not all of it, and
 *       {@link #onExitRecovery(long)} for the ACK that covers it (RFC 6582 §3.2). A sender using SACK sends in
 *       recovery while {@code pipe < cwnd()} (RFC 6675 §5); a sender without SACK calls
 *       {@link #onDupAck()} for every duplicate ACK (including the three that triggered recovery), which
 *       gives the window inflation and deflation of RFC 6582.</li>
 *   <li>{@link #onRetransmitTimeout(int, long)} when the retransmission timer expires (RFC 5681 §3.1).</li>
 *   <li>{@link #onIdleRestart(long)} before sending after an idle period longer than the RTO (RFC 5681 §4.1).</li>
 * </ul>
 *
 * <p>Implementations are single-threaded, allocation free after construction, and reusable: {@code init}
 * resets everything.
 */
public interface CongestionControl
{
    /** The name {@link #create(String)} gives the default algorithm. */
    String DEFAULT = "cubic";

    /**
     * Creates a controller by name, case-insensitively: {@code "cubic"} (RFC 9438 with HyStart++, RFC 9406; the
     * default) or {@code "newreno"} (also {@code "reno"}; RFC 5681 + RFC 6582, classic slow start).
     *
     * @throws IllegalArgumentException for any other name
     */
    static CongestionControl create(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "cubic":
                return new Cubic();
            case "newreno":
            case "reno":
                return new NewReno();
            default:
                throw new IllegalArgumentException("unknown congestion control '" + name + "' (cubic, newreno)");
        }
    }

    /**
     * Starts (or restarts) with the initial window of RFC 6928 §2, min(10 * MSS, max(2 * MSS, 14600)), and an
     * "arbitrarily high" ssthresh (RFC 5681 §3.1).
     *
     * @param mss the sender maximum segment size (SMSS), bytes of payload per full segment
     */
    void init(int mss, long nowNs);

    /**
     * The SYN or SYN-ACK was lost: the first window is one segment (RFC 5681 §3.1, RFC 6928 §2). Call right
     * after {@link #init(int, long)}.
     */
    void onSynLost();

    /**
     * An ACK acknowledged {@code ackedBytes} of new data outside recovery: slow start or congestion avoidance.
     * Ignored during recovery.
     *
     * @param ackedBytes    bytes newly acknowledged by this ACK (SND.UNA advance; SYN/FIN not counted)
     * @param bytesInFlight bytes still outstanding after this ACK (SND.NXT - SND.UNA once it is processed);
     *                      the window only grows when the sender was using it (RFC 7661 §4.3 "validated")
     * @param rttNs         the RTT sample this ACK gave, else the smoothed RTT, else 0
     */
    void onAck(int ackedBytes, int bytesInFlight, long rttNs, long nowNs);

    /**
     * A duplicate ACK arrived and the sender does not use SACK. Outside recovery it is counted; in recovery
     * (and for the counted ones when recovery starts) cwnd grows by one MSS, since a segment has left the
     * network (RFC 5681 §3.2 steps 3-4, RFC 6582 §3.2 steps 2-3). A new ACK clears the count.
     */
    void onDupAck();

    /**
     * Fast retransmit: the multiplicative decrease. ssthresh = max(FlightSize * beta, 2 * MSS) (RFC 5681 §3.2
     * eq. 4 with beta 1/2, RFC 9438 §4.6 with beta 0.7) and cwnd = ssthresh (RFC 6675 §5 step 4.2), plus one
     * MSS per counted duplicate ACK. Ignored when already in recovery: one reduction per window of data.
     *
     * @param bytesInFlight FlightSize when the loss was detected (not cwnd: RFC 5681 §3.1 implementation note)
     */
    void onEnterRecovery(int bytesInFlight, long nowNs);

    /**
     * A partial ACK in recovery: without SACK, cwnd deflates by the newly acknowledged bytes and grows back by
     * one MSS if at least one MSS was acknowledged (RFC 6582 §3.2 step 5). With SACK (no duplicate ACK was
     * counted) nothing changes: RFC 6675's pipe does the accounting.
     */
    void onPartialAck(int ackedBytes);

    /**
     * The ACK covering the recovery point arrived: cwnd = ssthresh (RFC 6582 §3.2 step 6 option 2) and
     * congestion avoidance starts.
     */
    void onExitRecovery(long nowNs);

    /**
     * The retransmission timer expired: cwnd = loss window = 1 MSS (RFC 5681 §3.1) and ssthresh =
     * max(FlightSize * beta, 2 * MSS), except that a timeout during recovery or a repeated timeout before any
     * new ACK does not reduce ssthresh again (it already reflects this loss episode).
     *
     * @param bytesInFlight FlightSize when the timer expired, before anything is marked lost
     */
    void onRetransmitTimeout(int bytesInFlight, long nowNs);

    /**
     * The sender is about to send after having sent nothing for longer than the RTO: cwnd = min(IW, cwnd)
     * (RFC 5681 §4.1), remembering the old window in ssthresh = max(ssthresh, 3/4 cwnd) (RFC 2861 §3).
     */
    void onIdleRestart(long nowNs);

    /** The congestion window in bytes. */
    int cwnd();

    /** The slow start threshold in bytes ({@link Integer#MAX_VALUE} until the first loss). */
    int ssthresh();

    /** The MSS given to {@link #init(int, long)}. */
    int mss();

    /** Between {@link #onEnterRecovery(int, long)} and {@link #onExitRecovery(long)} or a timeout. */
    boolean inRecovery();

    /** cwnd < ssthresh (RFC 5681 §3.1). */
    boolean inSlowStart();

    /** {@code "cubic"} or {@code "newreno"}, as accepted by {@link #create(String)}. */
    String name();
}
