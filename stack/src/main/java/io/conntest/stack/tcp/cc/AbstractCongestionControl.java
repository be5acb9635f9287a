package io.conntest.stack.tcp.cc;

/**
 * What NewReno and CUBIC share (RFC 5681, RFC 6582, RFC 6675 §5, RFC 6928, RFC 3465): the initial window, slow
 * start with appropriate byte counting, the recovery and timeout bookkeeping, restart after idle. A subclass
 * supplies congestion avoidance and the multiplicative decrease factor, and may observe the events.
 *
 * <p>cwnd and ssthresh are {@code int} bytes; cwnd never exceeds {@link #MAX_CWND}, the largest window
 * RFC 7323 window scaling can advertise, so nothing overflows.
 */
public abstract class AbstractCongestionControl implements CongestionControl
{
    /** 2^30 bytes: the largest window a peer can offer (RFC 7323 §2.3, shift 14), so a larger cwnd is useless. */
    public static final int MAX_CWND = 1 << 30;

    /** RFC 6928 §2: the byte bound in min(10*MSS, max(2*MSS, 14600)). */
    private static final int IW_BYTES = 14_600;
    /** RFC 3465 §2.2: slow start grows by at most L = 2*SMSS per ACK. */
    private static final int ABC_L_SEGMENTS = 2;
    private static final int MAX_COUNTED_DUP_ACKS = 1 << 16;

    protected int mss;
    protected int cwnd;
    protected int ssthresh;

    /** RFC 9406 HyStart++ for the initial slow start, or null for plain RFC 5681 slow start. */
    private final HyStartPlusPlus hyStart;

    private boolean inRecovery;
    /** Recovery without SACK: cwnd was inflated by duplicate ACKs and deflates on partial ACKs (RFC 6582). */
    private boolean inflated;
    /** Duplicate ACKs counted outside recovery (non-SACK senders only). */
    private int dupAcks;
    /** An RTO fired and no new data has been acknowledged since: a repeated timeout keeps ssthresh. */
    private boolean timedOut;

    AbstractCongestionControl(final boolean hyStart)
    {
        this.hyStart = hyStart ? new HyStartPlusPlus() : null;
    }

    /** RFC 6928 §2: IW = min(10 * MSS, max(2 * MSS, 14600)) bytes. */
    public static int initialWindow(final int mss)
    {
        return (int) Math.min(10L * mss, Math.max(2L * mss, IW_BYTES));
    }

    @Override
    public final void init(final int mss, final long nowNs)
    {
        if (mss <= 0 || mss > 65_535)
        {
            throw new IllegalArgumentException("mss " + mss);
        }
        this.mss = mss;
        cwnd = initialWindow(mss);
        // RFC 5681 §3.1: "The initial value of ssthresh SHOULD be set arbitrarily high".
        ssthresh = Integer.MAX_VALUE;
        inRecovery = false;
        inflated = false;
        dupAcks = 0;
        timedOut = false;
        if (hyStart != null)
        {
            hyStart.reset();
        }
        onInit(nowNs);
    }

    @Override
    public final void onSynLost()
    {
        // RFC 5681 §3.1 / RFC 6928 §2: "the initial window used by a sender after a correctly transmitted SYN
        // MUST be one segment".
        cwnd = Math.min(cwnd, mss);
    }

    @Override
    public final void onAck(final int ackedBytes, final int bytesInFlight, final long rttNs, final long nowNs)
    {
        if (ackedBytes <= 0)
        {
            return;
        }
        dupAcks = 0;
        timedOut = false;
        if (inRecovery)
        {
            return; // RFC 6675 §5 / RFC 6582 §3.2: no window growth until recovery ends.
        }
        // RFC 7661 §4.3: cwnd is "validated" only when at least half of it was in use (pipeACK >= cwnd / 2),
        // here the data outstanding just before this ACK. An application-limited sender must not grow a window
        // it never tested (RFC 9438 §5.8 says the same for CUBIC).
        if ((long) bytesInFlight + ackedBytes < ((long) cwnd + 1) / 2)
        {
            return;
        }
        int remaining = ackedBytes;
        if (cwnd < ssthresh)
        {
            // RFC 5681 §3.1 slow start with RFC 3465 §2.2 byte counting: cwnd += min(N, L), L = 2 * SMSS.
            int increase = Math.min(ackedBytes, ABC_L_SEGMENTS * mss);
            // RFC 9406 §4.3: HyStart++ only in the initial slow start, while ssthresh is still arbitrarily high.
            if (hyStart != null && ssthresh == Integer.MAX_VALUE)
            {
                if (hyStart.onAck(ackedBytes, bytesInFlight, rttNs))
                {
                    // RFC 9406 §4.2: CSS_ROUNDS of CSS are done: ssthresh = cwnd, congestion avoidance.
                    ssthresh = cwnd;
                    congestionAvoidance(ackedBytes, rttNs, nowNs);
                    cwnd = Math.min(cwnd, MAX_CWND);
                    return;
                }
                if (hyStart.inCss())
                {
                    // RFC 9406 §4.2: in CSS, cwnd grows by min(N, L * SMSS) / CSS_GROWTH_DIVISOR.
                    increase /= HyStartPlusPlus.CSS_GROWTH_DIVISOR;
                }
            }
            if ((long) cwnd + increase < ssthresh)
            {
                cwnd = Math.min(MAX_CWND, cwnd + increase);
                onSlowStartAck(ackedBytes, rttNs, nowNs);
                return;
            }
            // Crossing ssthresh: stop there and let the rest of this ACK count in congestion avoidance.
            remaining = ackedBytes - (ssthresh - cwnd);
            cwnd = Math.min(MAX_CWND, ssthresh);
            if (remaining <= 0)
            {
                return;
            }
        }
        congestionAvoidance(remaining, rttNs, nowNs);
        if (cwnd > MAX_CWND)
        {
            cwnd = MAX_CWND;
        }
    }

    @Override
    public final void onDupAck()
    {
        if (inRecovery)
        {
            // RFC 5681 §3.2 step 4 / RFC 6582 §3.2 step 3: each further duplicate means a segment left the
            // network, so inflate cwnd by SMSS.
            cwnd = Math.min(MAX_CWND, cwnd + mss);
            inflated = true;
        }
        else if (dupAcks < MAX_COUNTED_DUP_ACKS)
        {
            dupAcks++;
        }
    }

    @Override
    public final void onEnterRecovery(final int bytesInFlight, final long nowNs)
    {
        if (inRecovery)
        {
            return; // RFC 6582 §3.2 step 1: only one reduction per window of data (the caller's "recover").
        }
        inRecovery = true;
        onLoss(nowNs);
        ssthresh = lossSsthreshold(bytesInFlight);
        // RFC 6675 §5 step 4.2: cwnd = ssthresh. Without SACK, RFC 5681 §3.2 step 3 / RFC 6582 §3.2 step 2:
        // cwnd = ssthresh + 3 * SMSS, one SMSS for each duplicate ACK that signalled the loss.
        cwnd = ssthresh;
        if (dupAcks > 0)
        {
            cwnd = (int) Math.min(MAX_CWND, (long) cwnd + (long) dupAcks * mss);
            inflated = true;
            dupAcks = 0;
        }
    }

    @Override
    public final void onPartialAck(final int ackedBytes)
    {
        if (!inRecovery || ackedBytes <= 0)
        {
            return;
        }
        timedOut = false;
        if (inflated)
        {
            // RFC 6582 §3.2 step 5: "deflate the congestion window by the amount of new data acknowledged ...
            // If the partial ACK acknowledges at least one SMSS of new data, then add back SMSS bytes".
            long next = (long) cwnd - ackedBytes;
            if (ackedBytes >= mss)
            {
                next += mss;
            }
            cwnd = (int) Math.max(mss, next);
        }
    }

    @Override
    public final void onExitRecovery(final long nowNs)
    {
        if (!inRecovery)
        {
            return;
        }
        inRecovery = false;
        inflated = false;
        dupAcks = 0;
        timedOut = false;
        // RFC 6582 §3.2 step 6 option 2 ("Set cwnd to ssthresh"); also where RFC 6675 recovery leaves it.
        cwnd = ssthresh;
        onRecoveryEnd(nowNs);
    }

    @Override
    public final void onRetransmitTimeout(final int bytesInFlight, final long nowNs)
    {
        // RFC 5681 §3.1: ssthresh MUST be no more than eq. (4) when the timer detects a loss "and the given
        // segment has not yet been resent by way of the retransmission timer": a repeated timeout keeps it.
        if (!timedOut)
        {
            if (inRecovery)
            {
                // The multiplicative decrease already happened for this loss episode; only tighten it.
                ssthresh = Math.min(ssthresh, lossSsthreshold(bytesInFlight));
            }
            else
            {
                onLoss(nowNs);
                ssthresh = lossSsthreshold(bytesInFlight);
            }
        }
        timedOut = true;
        inRecovery = false;
        inflated = false;
        dupAcks = 0;
        // RFC 5681 §3.1: "cwnd MUST be set to no more than the loss window, LW, which equals 1 full-sized segment".
        cwnd = mss;
        onTimeout(nowNs);
    }

    @Override
    public final void onIdleRestart(final long nowNs)
    {
        // RFC 2861 §3: remember the window in ssthresh before decaying it, so slow start climbs back quickly.
        ssthresh = Math.max(ssthresh, (int) (3L * cwnd / 4));
        // RFC 5681 §4.1: cwnd is reduced to no more than RW = min(IW, cwnd).
        cwnd = Math.min(cwnd, initialWindow(mss));
        if (hyStart != null)
        {
            hyStart.reset(); // the rounds and RTTs before the pause say nothing about the path now
        }
        onIdle(nowNs);
    }

    @Override
    public final int cwnd()
    {
        return cwnd;
    }

    @Override
    public final int ssthresh()
    {
        return ssthresh;
    }

    @Override
    public final int mss()
    {
        return mss;
    }

    @Override
    public final boolean inRecovery()
    {
        return inRecovery;
    }

    @Override
    public final boolean inSlowStart()
    {
        return cwnd < ssthresh;
    }

    /** In HyStart++'s Conservative Slow Start (RFC 9406 §4.2): slow start at a quarter of the usual growth. */
    public final boolean inConservativeSlowStart()
    {
        return hyStart != null && ssthresh == Integer.MAX_VALUE && hyStart.inCss();
    }

    /** max(FlightSize * beta, 2 * SMSS): RFC 5681 §3.1 eq. (4), RFC 9438 §4.6. */
    final int lossSsthreshold(final int bytesInFlight)
    {
        final long reduced = (long) (Math.max(0, bytesInFlight) * beta());
        return (int) Math.min(MAX_CWND, Math.max(reduced, 2L * mss));
    }

    /** The multiplicative decrease factor: 1/2 for Reno (RFC 5681), 0.7 for CUBIC (RFC 9438 §4.6). */
    protected abstract double beta();

    /** Grows cwnd in congestion avoidance (cwnd >= ssthresh) for {@code ackedBytes} newly acknowledged bytes. */
    protected abstract void congestionAvoidance(int ackedBytes, long rttNs, long nowNs);

    /** After {@link #init(int, long)} has reset the shared state. */
    protected void onInit(final long nowNs)
    {
    }

    /** A slow-start ACK grew cwnd (below ssthresh); a subclass may end slow start by lowering ssthresh. */
    protected void onSlowStartAck(final int ackedBytes, final long rttNs, final long nowNs)
    {
    }

    /** A new loss episode, called before ssthresh and cwnd are reduced (cwnd still holds the old window). */
    protected void onLoss(final long nowNs)
    {
    }

    /** Fast recovery ended; cwnd = ssthresh and congestion avoidance follows. */
    protected void onRecoveryEnd(final long nowNs)
    {
    }

    /** The retransmission timer expired; cwnd is now one MSS. */
    protected void onTimeout(final long nowNs)
    {
    }

    /** The sender restarts after idle; cwnd has been reduced. */
    protected void onIdle(final long nowNs)
    {
    }

    @Override
    public String toString()
    {
        return name() + "{cwnd=" + cwnd + ", ssthresh=" + ssthresh + ", mss=" + mss +
            (inRecovery ? ", recovery" : "") + '}';
    }
}
