package io.conntest.core.rudp;

/** Retransmission timeout per RFC 6298 &sect;2 (alpha 1/8, beta 1/4, K 4) with exponential backoff (&sect;5.5). */
final class RttEstimator
{
    /** Clock granularity G: timestamps on the wire are microseconds. */
    private static final long GRANULARITY_NS = 1_000L;

    private final long minRtoNs;
    private final long maxRtoNs;
    private long srttNs;
    private long rttvarNs;
    private long rtoNs;
    private boolean hasSample;

    RttEstimator(final long initialRtoNs, final long minRtoNs, final long maxRtoNs)
    {
        this.minRtoNs = minRtoNs;
        this.maxRtoNs = maxRtoNs;
        this.rtoNs = initialRtoNs;
    }

    void onSample(final long rttNs)
    {
        if (!hasSample)
        {
            // RFC 6298 §2.2
            srttNs = rttNs;
            rttvarNs = rttNs / 2;
            hasSample = true;
        }
        else
        {
            // RFC 6298 §2.3: RTTVAR first, with the old SRTT
            rttvarNs = (3 * rttvarNs + Math.abs(srttNs - rttNs)) / 4;
            srttNs = (7 * srttNs + rttNs) / 8;
        }
        rtoNs = clamp(srttNs + Math.max(GRANULARITY_NS, 4 * rttvarNs));
    }

    /** RFC 6298 §5.5: double the RTO after a timeout, up to the maximum. */
    void backoff()
    {
        rtoNs = Math.min(maxRtoNs, rtoNs * 2);
    }

    long rtoNs()
    {
        return rtoNs;
    }

    long srttNs()
    {
        return srttNs;
    }

    boolean hasSample()
    {
        return hasSample;
    }

    private long clamp(final long rto)
    {
        return Math.max(minRtoNs, Math.min(maxRtoNs, rto));
    }
}
