package io.conntest.stack.tcp.rtt;

/**
 * The retransmission timeout of RFC 6298: smoothed RTT, RTT variation, exponential backoff.
 *
 * <p>Everything is kept in nanoseconds in {@code long}s. The gains alpha = 1/8 and beta = 1/4 of RFC 6298 §2.3 are
 * applied as {@code (7 * SRTT + R') / 8} and {@code (3 * RTTVAR + |SRTT - R'|) / 4}: integer arithmetic on
 * nanoseconds, so the rounding error is below one nanosecond and the gains can never collapse to zero the way a
 * literal {@code 1 / 8} does in Java.
 *
 * <p>The caller owns Karn's algorithm (RFC 6298 §3): it must not pass samples measured on retransmitted segments
 * unless they come from RFC 7323 timestamps. It calls {@link #backoff()} when the retransmission timer expires
 * (§5.5) and {@link #resetBackoff()} or {@link #sample(long)} when an ACK for new data arrives.
 *
 * <p>Not thread-safe; one instance per connection, no allocation after construction.
 */
public final class RttEstimator
{
    /** RFC 6298 §2.1: "Until a round-trip time (RTT) measurement has been made ... RTO <- 1 second". */
    public static final long DEFAULT_INITIAL_RTO_NS = 1_000_000_000L;
    /** RFC 6298 §2.4: "if it is less than 1 second, then the RTO SHOULD be rounded up to 1 second". */
    public static final long DEFAULT_MIN_RTO_NS = 1_000_000_000L;
    /** The floor Linux uses ({@code TCP_RTO_MIN}, 200 ms), reasonable on LANs where 1 s makes a loss cost dearly. */
    public static final long LINUX_MIN_RTO_NS = 200_000_000L;
    /** RFC 6298 §2.5: "A maximum value MAY be placed on RTO provided it is at least 60 seconds". */
    public static final long DEFAULT_MAX_RTO_NS = 60_000_000_000L;
    /** Clock granularity G of RFC 6298 §2: the poll loop's timers are not finer than about a millisecond. */
    public static final long DEFAULT_GRANULARITY_NS = 1_000_000L;
    /** RFC 6298 §5.7: the RTO once data transmission begins after a SYN or SYN-ACK was lost. */
    public static final long SYN_LOSS_RTO_NS = 3_000_000_000L;

    /** RFC 6298 §2.2: K = 4. */
    private static final int K = 4;

    private final long minRtoNs;
    private final long maxRtoNs;
    private final long initialRtoNs;
    private final long granularityNs;

    private boolean hasSample;
    private long srttNs;
    private long rttvarNs;
    private long latestRttNs;
    private long minRttNs = Long.MAX_VALUE;
    /** The RTO from the estimate (or the initial value), before any backoff. */
    private long baseRtoNs;
    /** The RTO now in force: {@link #baseRtoNs} doubled once per backoff, capped at {@link #maxRtoNs}. */
    private long rtoNs;
    private int backoffCount;

    /** RFC 6298 defaults: initial RTO 1 s, floor 1 s, maximum 60 s, granularity 1 ms. */
    public RttEstimator()
    {
        this(DEFAULT_MIN_RTO_NS);
    }

    /** RFC 6298 defaults with another floor, e.g. {@link #LINUX_MIN_RTO_NS}. */
    public RttEstimator(final long minRtoNs)
    {
        this(minRtoNs, DEFAULT_MAX_RTO_NS, DEFAULT_INITIAL_RTO_NS, DEFAULT_GRANULARITY_NS);
    }

    /**
     * @param minRtoNs      floor applied to every computed RTO (RFC 6298 §2.4), at least 1 ns
     * @param maxRtoNs      cap, also of backoff (RFC 6298 §2.5), at least {@code minRtoNs}
     * @param initialRtoNs  RTO before the first sample (RFC 6298 §2.1); the floor and cap still apply
     * @param granularityNs clock granularity G (RFC 6298 §2), at least 1 ns
     */
    public RttEstimator(final long minRtoNs, final long maxRtoNs, final long initialRtoNs, final long granularityNs)
    {
        if (minRtoNs < 1 || maxRtoNs < minRtoNs || maxRtoNs > Long.MAX_VALUE / 4 || initialRtoNs < 1 ||
            granularityNs < 1)
        {
            throw new IllegalArgumentException("bad RTO bounds: min=" + minRtoNs + " max=" + maxRtoNs +
                " initial=" + initialRtoNs + " granularity=" + granularityNs);
        }
        this.minRtoNs = minRtoNs;
        this.maxRtoNs = maxRtoNs;
        this.initialRtoNs = initialRtoNs;
        this.granularityNs = granularityNs;
        reset();
    }

    /**
     * Forgets every sample and the backoff, back to the initial RTO (RFC 6298 §2.1). RFC 6298 §5 allows this
     * after the timer was backed off several times, "as it is likely that the current SRTT and RTTVAR are bogus";
     * the next sample then initialises the estimate by §2.2.
     */
    public void reset()
    {
        hasSample = false;
        srttNs = 0;
        rttvarNs = 0;
        latestRttNs = 0;
        minRttNs = Long.MAX_VALUE;
        baseRtoNs = bound(initialRtoNs);
        rtoNs = baseRtoNs;
        backoffCount = 0;
    }

    /**
     * Takes one RTT measurement R and recomputes the RTO, which also ends any backoff (RFC 6298 §5.7 note: "when
     * a new RTT measurement is obtained ... the RTO is recomputed"). A negative sample (a clock or echoed
     * timestamp that went backwards) is ignored.
     *
     * @return whether the sample was used
     */
    public boolean sample(final long rttNs)
    {
        if (rttNs < 0)
        {
            return false;
        }
        if (!hasSample)
        {
            // RFC 6298 §2.2: SRTT <- R, RTTVAR <- R/2.
            srttNs = rttNs;
            rttvarNs = rttNs / 2;
            hasSample = true;
        }
        else
        {
            // RFC 6298 §2.3, in this order (RTTVAR uses the SRTT from before this sample):
            // RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|, beta = 1/4
            // SRTT   <- (1 - alpha) * SRTT + alpha * R',           alpha = 1/8
            rttvarNs = (3 * rttvarNs + Math.abs(srttNs - rttNs)) / 4;
            srttNs = (7 * srttNs + rttNs) / 8;
        }
        latestRttNs = rttNs;
        minRttNs = Math.min(minRttNs, rttNs);
        // RFC 6298 §2.2/§2.3: RTO <- SRTT + max(G, K * RTTVAR), then §2.4 floor and §2.5 cap.
        baseRtoNs = bound(srttNs + Math.max(granularityNs, K * rttvarNs));
        rtoNs = baseRtoNs;
        backoffCount = 0;
        return true;
    }

    /**
     * The retransmission timer expired: RFC 6298 §5.5 "RTO <- RTO * 2 ("back off the timer")", capped by the
     * maximum of §2.5.
     */
    public void backoff()
    {
        rtoNs = Math.min(maxRtoNs, rtoNs * 2);
        backoffCount++;
    }

    /** New data was acknowledged: the RTO returns to the estimate without backoff. */
    public void resetBackoff()
    {
        rtoNs = baseRtoNs;
        backoffCount = 0;
    }

    /**
     * A SYN or SYN-ACK had to be retransmitted: RFC 6298 §5.7 says that, with an RTO below 3 s, "the RTO MUST be
     * re-initialized to 3 seconds when data transmission begins". Until a sample arrives the base RTO becomes
     * 3 s (the backoff now in force is kept); the caller calls {@link #resetBackoff()} when the handshake
     * completes. No effect once a sample exists (timestamps may give one on a retransmitted SYN).
     */
    public void onSynLost()
    {
        if (!hasSample)
        {
            baseRtoNs = Math.max(baseRtoNs, Math.min(maxRtoNs, SYN_LOSS_RTO_NS));
        }
    }

    /** The retransmission timeout now in force, backoff included, in nanoseconds. */
    public long rtoNs()
    {
        return rtoNs;
    }

    /** Smoothed RTT (RFC 6298 SRTT), 0 before the first sample. */
    public long srttNs()
    {
        return srttNs;
    }

    /** RTT variation (RFC 6298 RTTVAR), 0 before the first sample. */
    public long rttvarNs()
    {
        return rttvarNs;
    }

    /** The last sample taken, 0 before the first one. */
    public long latestRttNs()
    {
        return latestRttNs;
    }

    /** The smallest sample since construction or {@link #reset()}, {@link Long#MAX_VALUE} before the first. */
    public long minRttNs()
    {
        return minRttNs;
    }

    /** Whether any sample has been taken, i.e. SRTT and RTTVAR are meaningful. */
    public boolean hasSample()
    {
        return hasSample;
    }

    /** How many times the timer was backed off since the last new ACK or sample (for RFC 9293 §3.8.3 R1/R2). */
    public int backoffCount()
    {
        return backoffCount;
    }

    public long minRtoNs()
    {
        return minRtoNs;
    }

    public long maxRtoNs()
    {
        return maxRtoNs;
    }

    private long bound(final long rto)
    {
        return Math.min(maxRtoNs, Math.max(minRtoNs, rto));
    }

    @Override
    public String toString()
    {
        return "RttEstimator{srttNs=" + srttNs + ", rttvarNs=" + rttvarNs + ", rtoNs=" + rtoNs +
            ", backoff=" + backoffCount + '}';
    }
}
