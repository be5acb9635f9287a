package io.conntest.stack.tcp;

/**
 * Per-connection figures, filled in place by {@link TcpSocket#stats(TcpStats)} so a poller reads them without
 * allocating. Byte counts are payload bytes; times in nanoseconds.
 */
public final class TcpStats
{
    public TcpState state = TcpState.CLOSED;
    public long bytesIn;
    public long bytesOut;
    public long segmentsIn;
    public long segmentsOut;
    /** Segments sent again (RTO, fast retransmit, SACK recovery). */
    public long retransmissions;
    public long rtoExpirations;
    public long fastRetransmits;
    public long srttNs;
    public long rttvarNs;
    public long rtoNs;
    /** Congestion window and slow-start threshold in bytes. */
    public long cwnd;
    public long ssthresh;
    /** The receive window we announce and the send window the peer announced, in bytes. */
    public long receiveWindow;
    public long sendWindow;
    public int mss;
    public long duplicateSegmentsIn;
    public long outOfOrderSegmentsIn;
    /** Offloads: segments sent as one super-segment the device cut (each also counts in segmentsOut per piece). */
    public long superSegmentsOut;
    /** Offloads: segments received with more payload than the MSS (coalesced by the kernel or sent whole). */
    public long superSegmentsIn;

    @Override
    public String toString()
    {
        return "TcpStats{state=" + state + ", bytesIn=" + bytesIn + ", bytesOut=" + bytesOut +
            ", segmentsIn=" + segmentsIn + ", segmentsOut=" + segmentsOut + ", retransmissions=" + retransmissions +
            ", rtoExpirations=" + rtoExpirations + ", fastRetransmits=" + fastRetransmits +
            ", srttNs=" + srttNs + ", rttvarNs=" + rttvarNs + ", cwnd=" + cwnd + ", ssthresh=" + ssthresh +
            ", receiveWindow=" + receiveWindow + ", sendWindow=" + sendWindow + ", mss=" + mss +
            (superSegmentsOut + superSegmentsIn == 0 ? "" :
                ", superSegmentsOut=" + superSegmentsOut + ", superSegmentsIn=" + superSegmentsIn) + '}';
    }
}
