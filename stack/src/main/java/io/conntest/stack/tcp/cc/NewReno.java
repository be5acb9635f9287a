package io.conntest.stack.tcp.cc;

/**
 * Reno congestion avoidance with NewReno recovery: RFC 5681 (slow start, congestion avoidance, fast
 * retransmit / fast recovery), RFC 6582 (partial ACKs), RFC 3465 (byte counting), RFC 6928 (IW 10).
 *
 * <p>Congestion avoidance adds one SMSS per cwnd of acknowledged bytes (RFC 5681 §3.1 "one SMSS per RTT",
 * counted as in RFC 3465 §2.1) and a loss halves the flight (beta = 1/2, RFC 5681 eq. (4)).
 */
public final class NewReno extends AbstractCongestionControl
{
    /** RFC 3465 §2.1 bytes_acked: bytes acknowledged in congestion avoidance since cwnd last grew. */
    private long bytesAcked;

    /** NewReno with the plain RFC 5681 slow start. */
    public NewReno()
    {
        this(false);
    }

    /** @param hyStart whether the initial slow start uses HyStart++ (RFC 9406) */
    public NewReno(final boolean hyStart)
    {
        super(hyStart);
    }

    @Override
    public String name()
    {
        return "newreno";
    }

    @Override
    protected double beta()
    {
        return 0.5;
    }

    @Override
    protected void onInit(final long nowNs)
    {
        bytesAcked = 0;
    }

    @Override
    protected void congestionAvoidance(final int ackedBytes, final long rttNs, final long nowNs)
    {
        // RFC 3465 §2.1: "When bytes_acked becomes greater than or equal to the value of the congestion window,
        // bytes_acked is reduced by the value of cwnd. Next, cwnd is incremented by a full-sized segment".
        bytesAcked += ackedBytes;
        while (bytesAcked >= cwnd && cwnd < MAX_CWND)
        {
            bytesAcked -= cwnd;
            cwnd = Math.min(MAX_CWND, cwnd + mss);
        }
        if (cwnd >= MAX_CWND)
        {
            bytesAcked = 0;
        }
    }

    @Override
    protected void onLoss(final long nowNs)
    {
        bytesAcked = 0;
    }

    @Override
    protected void onTimeout(final long nowNs)
    {
        // RFC 3465 §2.1: bytes_acked restarts with the window after a retransmission timeout.
        bytesAcked = 0;
    }

    @Override
    protected void onIdle(final long nowNs)
    {
        bytesAcked = 0;
    }
}
