package io.conntest.core.stats;

/**
 * RFC 3550 §6.4.1 interarrival jitter of a packet stream: the mean deviation of the difference D in packet
 * spacing at the receiver compared with the sender, smoothed with gain 1/16:
 * {@code J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16}, where {@code D(i,j) = (Rj - Ri) - (Sj - Si)} for send
 * timestamps S and arrival times R. Kept as 16 × J in a long, as the RFC's appendix A.8 does, so the division
 * loses no precision; both clocks are in nanoseconds (their offset cancels out in D). Allocation-free.
 */
public final class InterarrivalJitter
{
    private long scaledJitter;
    private long previousTransitNs;
    private boolean hasPrevious;
    private long samples;

    /** One packet sent at {@code sendNs} (sender's clock) arrived at {@code arrivalNs} (receiver's clock). */
    public void onPacket(final long sendNs, final long arrivalNs)
    {
        final long transit = arrivalNs - sendNs;
        if (hasPrevious)
        {
            final long d = Math.abs(transit - previousTransitNs);
            // RFC 3550 A.8: jitter += d - ((jitter + 8) >> 4), with jitter scaled by 16
            scaledJitter += d - ((scaledJitter + 8) >> 4);
            samples++;
        }
        previousTransitNs = transit;
        hasPrevious = true;
    }

    /**
     * A new stream starts (a new test, possibly from a restarted peer with another clock): the next packet only
     * sets the reference transit time; the estimate so far is kept.
     */
    public void restartStream()
    {
        hasPrevious = false;
    }

    /** The current estimate J in ns, or -1 before the second packet. */
    public long jitterNs()
    {
        return samples == 0 ? -1 : scaledJitter >> 4;
    }

    /** Packet pairs that went into the estimate. */
    public long samples()
    {
        return samples;
    }
}
