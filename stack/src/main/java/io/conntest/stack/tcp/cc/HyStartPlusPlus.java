package io.conntest.stack.tcp.cc;

/**
 * HyStart++ (RFC 9406): leaves the initial slow start when the round-trip time starts to grow, before the queue
 * overflows, through a short Conservative Slow Start (CSS) that guards against exits caused by jitter.
 *
 * <p>Rounds are counted in acknowledged bytes: a round ends when everything that was in flight when it began has
 * been acknowledged, which is RFC 9406's "windowEnd = SND.NXT" expressed without sequence numbers.
 * Used by {@link AbstractCongestionControl} only while ssthresh still has its initial value (RFC 9406 §4.3).
 */
final class HyStartPlusPlus
{
    /** RFC 9406 §4.3 constants. */
    static final long MIN_RTT_THRESH_NS = 4_000_000L;
    static final long MAX_RTT_THRESH_NS = 16_000_000L;
    static final int MIN_RTT_DIVISOR = 8;
    static final int N_RTT_SAMPLE = 8;
    static final int CSS_GROWTH_DIVISOR = 4;
    static final int CSS_ROUNDS = 5;

    private static final long NONE = Long.MAX_VALUE;

    private long ackedTotal;
    private long windowEnd;
    private long lastRoundMinRttNs;
    private long currentRoundMinRttNs;
    private int rttSampleCount;
    private long cssBaselineMinRttNs;
    private int cssRounds;
    private boolean inCss;

    HyStartPlusPlus()
    {
        reset();
    }

    void reset()
    {
        ackedTotal = 0;
        windowEnd = 0;
        lastRoundMinRttNs = NONE;
        currentRoundMinRttNs = NONE;
        rttSampleCount = 0;
        cssBaselineMinRttNs = NONE;
        cssRounds = 0;
        inCss = false;
    }

    /**
     * One ACK during the initial slow start.
     *
     * @return true when CSS has run its {@link #CSS_ROUNDS} rounds: slow start ends (ssthresh = cwnd)
     */
    boolean onAck(final int ackedBytes, final int bytesInFlight, final long rttNs)
    {
        ackedTotal += ackedBytes;
        if (ackedTotal >= windowEnd)
        {
            // RFC 9406 §4.2: a round ended; in CSS, "if CSS_ROUNDS rounds are complete, enter congestion avoidance".
            if (inCss && ++cssRounds >= CSS_ROUNDS)
            {
                return true;
            }
            // RFC 9406 §4.2: at the start of each round, lastRoundMinRTT = currentRoundMinRTT, and the current
            // round starts afresh; it ends when what is in flight now has been acknowledged.
            lastRoundMinRttNs = currentRoundMinRttNs;
            currentRoundMinRttNs = NONE;
            rttSampleCount = 0;
            windowEnd = ackedTotal + Math.max(0, bytesInFlight);
        }
        if (rttNs > 0)
        {
            currentRoundMinRttNs = Math.min(currentRoundMinRttNs, rttNs);
            rttSampleCount++;
        }
        if (rttSampleCount < N_RTT_SAMPLE || currentRoundMinRttNs == NONE)
        {
            return false;
        }
        if (!inCss)
        {
            if (lastRoundMinRttNs != NONE)
            {
                // RFC 9406 §4.2: RttThresh = clamp(MIN_RTT_THRESH, lastRoundMinRTT / MIN_RTT_DIVISOR, MAX_RTT_THRESH).
                final long threshNs = rttThresholdNs(lastRoundMinRttNs);
                if (currentRoundMinRttNs >= lastRoundMinRttNs + threshNs)
                {
                    cssBaselineMinRttNs = currentRoundMinRttNs;
                    inCss = true;
                    cssRounds = 0;
                }
            }
        }
        else if (currentRoundMinRttNs < cssBaselineMinRttNs)
        {
            // RFC 9406 §4.2: the RTT fell back below the baseline, the exit was spurious: resume slow start.
            cssBaselineMinRttNs = NONE;
            inCss = false;
        }
        return false;
    }

    static long rttThresholdNs(final long lastRoundMinRttNs)
    {
        return Math.max(MIN_RTT_THRESH_NS, Math.min(lastRoundMinRttNs / MIN_RTT_DIVISOR, MAX_RTT_THRESH_NS));
    }

    /** In Conservative Slow Start: growth is divided by {@link #CSS_GROWTH_DIVISOR} (RFC 9406 §4.2). */
    boolean inCss()
    {
        return inCss;
    }
}
