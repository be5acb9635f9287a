package io.conntest.core.rudp;

/**
 * AIMD on a window counted in messages, after RFC 5681: slow start below ssthresh, +1 message per window of acked
 * messages above it; halve on loss detected by selective acks (once per recovery episode, which the channel tracks),
 * back to one message on a retransmission timeout.
 */
final class CongestionControl
{
    private final int maxCwnd;
    private int cwnd;
    private int ssthresh;
    private int acked;

    CongestionControl(final int initialCwnd, final int maxCwnd)
    {
        this.maxCwnd = maxCwnd;
        this.cwnd = Math.min(initialCwnd, maxCwnd);
        this.ssthresh = maxCwnd;
    }

    int cwnd()
    {
        return cwnd;
    }

    void onAcked(final int messages)
    {
        for (int i = 0; i < messages && cwnd < maxCwnd; i++)
        {
            if (cwnd < ssthresh)
            {
                cwnd++; // RFC 5681 §3.1 slow start
            }
            else if (++acked >= cwnd)
            {
                acked = 0;
                cwnd++; // congestion avoidance: one message per window
            }
        }
    }

    /** RFC 5681 §3.2 (multiplicative decrease on fast retransmit). */
    void onLoss()
    {
        ssthresh = Math.max(cwnd / 2, 2);
        cwnd = ssthresh;
        acked = 0;
    }

    /** RFC 5681 §3.1, equation 4 and the loss window of one segment. */
    void onTimeout(final int flight)
    {
        ssthresh = Math.max(flight / 2, 2);
        cwnd = 1;
        acked = 0;
    }
}
