package io.conntest.core.rudp;

import io.conntest.stack.tcp.rtt.RttEstimator;

/**
 * The sending half's control: the send buffer plus what decides when to (re)send: the RFC 6298 retransmission timer
 * and RTT estimator, loss detection by SACK (RFC 6675) and by time (RACK, RFC 8985), tail loss probes (RFC 8985
 * &sect;7) and AIMD congestion control. Emission itself is the channel's.
 */
final class Sender
{
    private static final long MAX_RTT_SAMPLE_NS = 60_000_000_000L;

    final SendBuffer buffer;
    final RttEstimator rtt;
    final CongestionControl cc;
    private final int maxRetransmissions;
    long rtoDeadlineNs = Long.MAX_VALUE;
    /** RACK reordering timer: when a message sent before a delivered one becomes lost. */
    long reorderDeadlineNs = Long.MAX_VALUE;
    /** Tail loss probe timer (RFC 8985 &sect;7): armed while data is in flight and nothing is acknowledged. */
    long probeDeadlineNs = Long.MAX_VALUE;
    private final long ackDelayNs;
    private final boolean tailLossProbes;
    private int consecutiveTimeouts;
    /** While &gt;= 0, a loss recovery episode lasts until this sequence number is acknowledged (RFC 6675 &sect;5). */
    private long recoveryPoint = -1;

    Sender(final ReliableUdpConfig config)
    {
        buffer = new SendBuffer(config.sendWindowPackets(), config.sendWindowBytes());
        // the stack's RFC 6298 estimator, with a 1 µs clock granularity: reliable-UDP timestamps are microseconds
        rtt = new RttEstimator(config.minRtoNs(), config.maxRtoNs(), config.initialRtoNs(), 1_000L);
        cc = new CongestionControl(config.initialCwndPackets(), config.sendWindowPackets());
        maxRetransmissions = config.maxRetransmissions();
        ackDelayNs = config.ackDelayNs();
        tailLossProbes = config.tailLossProbes();
    }

    /** The wire's 32-bit cumulative ack as a 64-bit sequence number; above {@code nxt} means an impossible ack. */
    long unwrapAck(final int wireAck)
    {
        return buffer.una + (wireAck - (int)buffer.una);
    }

    /** Applies a cumulative ack (already checked &lt;= nxt) and the datagram's SACK blocks. */
    void onAck(final long ack, final RudpHeader rx, final long nowNs, final ReliableUdpStats stats)
    {
        final SendBuffer send = buffer;
        int newly = 0;
        boolean advanced = false;
        if (ack > send.una)
        {
            newly += send.acknowledge(ack);
            advanced = true;
            consecutiveTimeouts = 0;
            // RFC 6298 §5.2/5.3: stop the timer when all is acknowledged, else restart it
            rtoDeadlineNs = send.una < send.nxt ? nowNs + rtt.rtoNs() : Long.MAX_VALUE;
            if (recoveryPoint >= 0 && send.una >= recoveryPoint)
            {
                recoveryPoint = -1;
            }
        }
        int sacked = 0;
        for (int b = 0, blocks = rx.sackCount(); b < blocks; b++)
        {
            final long start = send.una + (rx.sackStart(b) - (int)send.una);
            final long end = send.una + (rx.sackEnd(b) - (int)send.una);
            if (start < end)
            {
                sacked += send.selectiveAck(start, end);
            }
        }
        newly += sacked;
        if (sacked > 0)
        {
            onLosses(send.detectLosses(), stats);
        }
        if (newly > 0)
        {
            detectLossesByTime(nowNs, stats);
            armProbe(nowNs);
        }
        if (newly > 0)
        {
            cc.onAcked(newly);
        }
        if (advanced)
        {
            sampleRtt(rx, nowNs);
        }
    }

    private void detectLossesByTime(final long nowNs, final ReliableUdpStats stats)
    {
        if (!rtt.hasSample())
        {
            return;
        }
        // RFC 8985 §6.2: RTT plus a reordering window of a quarter of it
        final long srtt = rtt.srttNs();
        reorderDeadlineNs = buffer.detectLossesByTime(nowNs, srtt + Math.max(srtt / 4, 1_000L));
        onLosses(buffer.rackMarked, stats);
    }

    private void onLosses(final int lost, final ReliableUdpStats stats)
    {
        if (lost > 0)
        {
            stats.fastRetransmits += lost;
            if (recoveryPoint < 0)
            {
                recoveryPoint = buffer.nxt; // one window reduction per recovery episode (RFC 6675 §5)
                cc.onLoss();
            }
        }
    }

    /** RTT from the echoed timestamp (RFC 7323 &sect;4.1): valid for retransmissions too, no Karn ambiguity. */
    void sampleRtt(final RudpHeader rx, final long nowNs)
    {
        if ((rx.flags() & RudpHeader.FLAG_TS_ECR) != 0)
        {
            final long sampleNs = ((ReliableUdpChannel.micros(nowNs) - rx.tsEcr()) & 0xFFFF_FFFFL) * 1_000L;
            if (sampleNs < MAX_RTT_SAMPLE_NS)
            {
                rtt.sample(sampleNs);
            }
        }
    }

    /** @return false when the peer must be declared dead (too many timeouts in a row). */
    boolean onTimer(final long nowNs, final ReliableUdpStats stats)
    {
        if (nowNs >= reorderDeadlineNs)
        {
            reorderDeadlineNs = Long.MAX_VALUE;
            detectLossesByTime(nowNs, stats);
        }
        if (nowNs >= probeDeadlineNs)
        {
            // one probe per silence: the next arming needs an acknowledgement; then only the RTO is left
            probeDeadlineNs = Long.MAX_VALUE;
            if (nowNs < rtoDeadlineNs && buffer.markTailForProbe())
            {
                stats.tailLossProbes++;
            }
        }
        if (nowNs < rtoDeadlineNs)
        {
            return true;
        }
        rtoDeadlineNs = Long.MAX_VALUE;
        if (!buffer.hasUnsackedInFlight())
        {
            return true;
        }
        if (++consecutiveTimeouts > maxRetransmissions)
        {
            return false;
        }
        // RFC 6298 §5.4-5.7: back off, collapse the window, resend from the oldest unacknowledged message
        stats.timeouts++;
        rtt.backoff();
        final int flight = buffer.pipe;
        buffer.markAllLost();
        cc.onTimeout(flight);
        recoveryPoint = buffer.nxt;
        return true;
    }

    void onDataSent(final long seq, final long nowNs)
    {
        final boolean probeArmed = probeDeadlineNs != Long.MAX_VALUE;
        buffer.onSent(seq, nowNs);
        if (rtoDeadlineNs == Long.MAX_VALUE)
        {
            rtoDeadlineNs = nowNs + rtt.rtoNs(); // RFC 6298 §5.1
        }
        if (!probeArmed)
        {
            armProbe(nowNs);
        }
    }

    /**
     * PTO = 2 SRTT plus the peer's delayed-ack time (RFC 8985 &sect;7.2 adds it only for a single message in flight;
     * QUIC, RFC 9002 &sect;6.2.1, always does: a batch-reading peer may hold its ACK that long), at least 1 ms.
     */
    private void armProbe(final long nowNs)
    {
        if (!tailLossProbes || !rtt.hasSample() || buffer.pipe == 0)
        {
            probeDeadlineNs = Long.MAX_VALUE;
            return;
        }
        probeDeadlineNs = nowNs + Math.max(2 * rtt.srttNs() + ackDelayNs, 1_000_000L);
    }

    long nextDeadlineNs()
    {
        return Math.min(rtoDeadlineNs, Math.min(reorderDeadlineNs, probeDeadlineNs));
    }

    boolean canRetransmit()
    {
        return buffer.lostPending > 0 && buffer.pipe < cc.cwnd();
    }

    boolean canSendNew(final long peerPackets, final long peerBytes)
    {
        return buffer.pipe < cc.cwnd() && buffer.nextFits(peerPackets, peerBytes);
    }
}
