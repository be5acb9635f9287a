package io.conntest.stack.tcp;

import io.conntest.stack.tcp.cc.CongestionControl;
import io.conntest.stack.tcp.rtt.RttEstimator;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.DirectBuffer;

/**
 * The sending half of a connection (RFC 9293 §3.8, §3.10.7.4 "fifth, check the ACK field"): the send buffer from
 * SND.UNA onwards, the send sequence variables, the peer's window, RTT measurement (RFC 6298, Karn), the
 * retransmission and persist timers, fast retransmit and recovery (RFC 5681, RFC 6582, RFC 6675) with the
 * congestion controller of {@code tcp.cc}. What goes on the wire, when, is decided in {@link TcpOutput}.
 */
final class TcpSender
{
    static final long NEVER = Long.MAX_VALUE;
    static final int DUPACK_THRESHOLD = 3;

    final TcpConnection c;
    final RttEstimator rtt;
    CongestionControl cc;
    TcpSack sack;
    ByteRing ring;

    /** SND.UNA, SND.NXT, and the highest sequence number sent so far plus one (SND.MAX). */
    int una;
    int nxt;
    int max;
    /** Sequence number of the first byte in the ring. */
    int headSeq;
    /** SND.WND in bytes (already scaled), SND.WL1, SND.WL2, and the largest window seen (RFC 9293 §3.8.6.2.1). */
    int wnd;
    int wl1;
    int wl2;
    int maxWnd;
    /** The peer's window shift (RFC 7323 §2.3); 0 without window scaling. */
    int scale;
    /** Effective send MSS: payload bytes per segment after options (RFC 6691, RFC 9293 §3.7.1). */
    int mss = 536;
    boolean noDelay;

    /**
     * SND.UP (RFC 9293 §3.8.5): the sequence number of the octet after the urgent data (MUST-62), valid while
     * {@code upValid}; cleared once SND.UNA reaches it, so the wrap-safe comparison never spans a stale pointer.
     */
    int up;
    boolean upValid;

    boolean finQueued;
    boolean finSent;
    int finSeq;

    boolean inRecovery;
    int recoverSeq;
    boolean recoverValid;
    int dupAcks;
    /** A fast retransmit or NewReno partial-ACK retransmit of the segment at SND.UNA is due. */
    boolean retransmitHead;
    /** When SND.UNA last advanced or its segment was last sent again: the lost-retransmission check below. */
    long headProgressNs;

    /** RTT timing of one segment at a time (RFC 6298 §3, Karn: never a retransmitted one). */
    boolean timing;
    int timedSeq;
    long timedStartNs;

    int rtoRetries;
    long rtoDeadlineNs = NEVER;
    /** RFC 8985 §7 tail loss probe: when it fires, and whether a probe is due or already sent for this tail. */
    long tlpDeadlineNs = NEVER;
    boolean tlpDue;
    boolean tlpSent;
    long persistDeadlineNs = NEVER;
    int persistBackoff;
    /**
     * RFC 9293 §3.8.6.2.1 / RFC 1122 §4.2.3.4: the SWS override timer, armed when sender-side SWS avoidance holds
     * back a short segment the peer's usable window would take; when it fires the segment goes anyway, so a peer
     * that keeps offering a small non-zero window cannot stall the sender forever.
     */
    long swsDeadlineNs = NEVER;
    boolean swsOverride;
    /** Set after the first RTO of a SYN: RFC 6298 §5.7. */
    boolean synLost;

    TcpSender(final TcpConnection c, final RttEstimator rtt)
    {
        this.c = c;
        this.rtt = rtt;
    }

    void init(final int iss)
    {
        una = iss;
        nxt = iss;
        max = iss;
        headSeq = iss + 1;
    }

    void onEstablished(final long nowNs)
    {
        if (ring == null)
        {
            ring = new ByteRing(c.socket.sendBufferBytes);
        }
        cc = CongestionControl.create(c.config.congestionControl);
        cc.init(mss, nowNs);
        if (synLost)
        {
            cc.onSynLost(); // RFC 5681 §3.1 / RFC 6928 §2: one segment after a lost SYN
        }
        if (c.sackEnabled)
        {
            sack = new TcpSack();
            sack.init(una);
        }
        if (synLost)
        {
            rtt.onSynLost();
        }
        if (c.snd.una == c.snd.max)
        {
            rtoDeadlineNs = NEVER;
        }
    }

    int cwnd()
    {
        return cc == null ? 0 : cc.cwnd();
    }

    int ssthresh()
    {
        return cc == null ? 0 : cc.ssthresh();
    }

    /** Sequence number just after the last byte the user has written. */
    int dataEnd()
    {
        return headSeq + (ring == null ? 0 : ring.size());
    }

    int bytesInFlight()
    {
        return nxt - una;
    }

    /** RFC 9293 §3.10.2 SEND: bytes accepted into the send buffer, 0 when it is full. */
    int write(final DirectBuffer src, final int offset, final int length)
    {
        if (ring == null || finQueued)
        {
            return 0;
        }
        return ring.write(src, offset, length);
    }

    /** RFC 9293 §3.10.2 SEND with the URGENT flag: SND.UP moves to the end of the data written so far. */
    void markUrgent()
    {
        up = dataEnd();
        upValid = true;
    }

    /**
     * The urgent pointer field for a segment starting at {@code seq}, or -1 when it carries no URG: SND.UP - SEG.SEQ
     * while SND.UP is ahead. A pointer more than 65535 ahead cannot be expressed in 16 bits; the field is then
     * 65535 (as Linux does), which still points into the urgent data, so the receiver's RCV.UP keeps advancing
     * segment by segment until the real end fits (MUST-31: urgent data of any length).
     */
    int urgentField(final int seq)
    {
        if (!upValid || !SeqNum.gt(up, seq))
        {
            return -1;
        }
        return Math.min(up - seq, 0xFFFF);
    }

    /** Whether urgent data remains unsent: Nagle must not hold it back. */
    boolean urgentUnsent()
    {
        return upValid && SeqNum.gt(up, nxt);
    }

    int writableBytes()
    {
        return ring == null || finQueued ? 0 : ring.free();
    }

    void queueFin()
    {
        finQueued = true;
    }

    /** Whether the output path may have something to send now. */
    boolean hasSendableWork()
    {
        if (c.state == TcpState.CLOSED || c.state == TcpState.TIME_WAIT || !c.state.isSynchronized())
        {
            return false;
        }
        return retransmitHead || SeqNum.lt(nxt, dataEnd()) || finQueued && !(finSent && SeqNum.gt(nxt, finSeq));
    }

    void stopTimers()
    {
        rtoDeadlineNs = NEVER;
        tlpDeadlineNs = NEVER;
        persistDeadlineNs = NEVER;
        swsDeadlineNs = NEVER;
        swsOverride = false;
    }

    /** SWS avoidance held back a window-limited short segment: start the override timeout if not running. */
    void armSwsOverride(final long nowNs)
    {
        if (swsDeadlineNs == NEVER && !swsOverride)
        {
            swsDeadlineNs = nowNs + c.config.swsOverrideNs;
        }
    }

    void onSwsOverrideTimeout()
    {
        swsDeadlineNs = NEVER;
        swsOverride = true;
    }

    /** New data went out: whatever SWS avoidance was waiting for is settled. */
    void clearSwsOverride()
    {
        swsDeadlineNs = NEVER;
        swsOverride = false;
    }

    /** Arms the retransmission timer if it is not running (RFC 6298 §5.1). */
    void armRto(final long nowNs)
    {
        if (rtoDeadlineNs == NEVER)
        {
            rtoDeadlineNs = nowNs + rtt.rtoNs();
        }
    }

    /** Records that {@code [seq, seq + len)} (len counts SYN/FIN) just went out. */
    void onSent(final int seq, final int len, final boolean retransmission, final long nowNs)
    {
        final int end = seq + len;
        if (retransmission)
        {
            c.counters.retransmissions++;
            if (timing && SeqNum.lt(seq, timedSeq + 1))
            {
                timing = false; // Karn: the timed segment was sent again
            }
        }
        else if (!timing && len > 0)
        {
            timing = true;
            timedSeq = seq;
            timedStartNs = nowNs;
        }
        if (SeqNum.gt(end, max))
        {
            max = end;
        }
        if (len > 0)
        {
            armRto(nowNs);
            persistDeadlineNs = NEVER;
            if (!retransmission)
            {
                armTlp(nowNs);
            }
        }
    }

    /**
     * RFC 8985 §7.2: PTO = 2 * SRTT (plus a delayed-ACK allowance when one segment is in flight), not beyond the
     * RTO. One probe per tail; none during recovery or before an RTT sample.
     */
    void armTlp(final long nowNs)
    {
        if (!c.config.tailLossProbe || inRecovery || tlpSent || !rtt.hasSample() || c.state != TcpState.ESTABLISHED &&
            c.state != TcpState.CLOSE_WAIT && c.state != TcpState.FIN_WAIT_1 && c.state != TcpState.LAST_ACK)
        {
            tlpDeadlineNs = NEVER;
            return;
        }
        long pto = 2 * rtt.srttNs();
        if (bytesInFlight() <= mss)
        {
            pto += 200_000_000L; // RFC 8985 §7.2 WCDelAckT
        }
        pto = Math.max(pto, 10_000_000L);
        tlpDeadlineNs = Math.min(nowNs + pto, rtoDeadlineNs);
    }

    void onTlpTimeout(final long nowNs)
    {
        tlpDeadlineNs = NEVER;
        if (una != max && !inRecovery)
        {
            tlpDue = true;
            tlpSent = true;
            rtoDeadlineNs = nowNs + rtt.rtoNs(); // RFC 8985 §7.3: the RTO is re-armed after the probe
        }
    }

    // ---- ACK processing (RFC 9293 §3.10.7.4 fifth) ----------------------------------------------------

    /**
     * Processes an acceptable ACK in a synchronized state: new data acknowledged, duplicate ACKs, window update.
     *
     * @return false when the ACK acknowledges something not yet sent (the caller ACKs and drops).
     */
    boolean onAck(final TcpRepr seg, final long nowNs)
    {
        final int ack = seg.ack;
        if (SeqNum.gt(ack, max))
        {
            return false;
        }
        final int segWnd = (seg.hasFlag(TcpPacketFlags.SYN) ? seg.window : seg.window << scale);
        final boolean windowChanged = segWnd != wnd;
        final int newlySacked = sack != null && seg.sackBlockCount > 0 ? sack.onSack(una, nxt, seg) : 0;
        if (SeqNum.gt(ack, una))
        {
            onNewAck(seg, ack, nowNs);
        }
        else if (ack == una && una != max && !seg.hasFlag(TcpPacketFlags.SYN | TcpPacketFlags.FIN) &&
            (newlySacked > 0 || seg.payloadLength == 0 && !windowChanged))
        {
            // RFC 5681 §2: a duplicate ACK carries no data and leaves the window unchanged; RFC 6675 §2 also counts
            // every ACK that SACKs new data, whatever the window (Linux's receive window moves all the time).
            onDuplicateAck(nowNs);
        }
        // RFC 9293 §3.10.7.4: update the window if the segment is newer than the last update.
        if (SeqNum.lt(wl1, seg.seq) || wl1 == seg.seq && SeqNum.le(wl2, ack))
        {
            wnd = segWnd;
            wl1 = seg.seq;
            wl2 = ack;
            maxWnd = Math.max(maxWnd, wnd);
            if (wnd > 0)
            {
                persistDeadlineNs = NEVER;
                persistBackoff = 0;
            }
        }
        return true;
    }

    private void onNewAck(final TcpRepr seg, final int ack, final long nowNs)
    {
        final int acked = ack - una;
        boolean sampled = false;
        if (timing && SeqNum.gt(ack, timedSeq))
        {
            timing = false;
            sampled = rtt.sample(nowNs - timedStartNs);
        }
        final int dataAcked = ring == null ? 0 : Math.max(0, Math.min(ack - headSeq, ring.size()));
        if (dataAcked > 0)
        {
            ring.discard(dataAcked);
            headSeq += dataAcked;
            if (c.socket.writeBlocked)
            {
                c.raise(TcpConnection.EV_WRITABLE);
            }
        }
        una = ack;
        if (upValid && SeqNum.ge(una, up))
        {
            upValid = false; // all urgent data acknowledged: leave urgent mode
        }
        if (SeqNum.lt(nxt, una))
        {
            nxt = una;
        }
        rtoRetries = 0;
        rtt.resetBackoff();
        if (sack != null)
        {
            sack.onCumulativeAck(una);
        }
        if (cc != null)
        {
            if (inRecovery)
            {
                if (SeqNum.ge(ack, recoverSeq))
                {
                    // RFC 6582 §3.2 step 3: full acknowledgment ends recovery.
                    inRecovery = false;
                    cc.onExitRecovery(nowNs);
                }
                else
                {
                    cc.onPartialAck(acked);
                    if (sack == null)
                    {
                        // RFC 6582 §3.2 step 5: a partial ACK retransmits the next unacknowledged segment at once.
                        retransmitHead = true;
                    }
                }
            }
            else
            {
                cc.onAck(acked, bytesInFlight(), sampled ? rtt.latestRttNs() : rtt.srttNs(), nowNs);
            }
        }
        dupAcks = 0;
        tlpSent = false;
        headProgressNs = nowNs;
        // RFC 6298 §5.2/§5.3: stop the timer when all is acknowledged, otherwise restart it.
        rtoDeadlineNs = una == max ? NEVER : nowNs + rtt.rtoNs();
        if (una == max)
        {
            tlpDeadlineNs = NEVER;
        }
        else
        {
            armTlp(nowNs);
        }
    }

    private void onDuplicateAck(final long nowNs)
    {
        dupAcks++;
        if (cc == null)
        {
            return;
        }
        if (sack == null)
        {
            cc.onDupAck(); // RFC 5681 §3.2 step 4: counted, or inflates cwnd during recovery
        }
        if (inRecovery)
        {
            // A lost retransmission (RFC 6675 cannot see one; RFC 8985 RACK's idea in its simplest form): ACKs keep
            // arriving with SACK information for a whole RTT, yet SND.UNA does not move, so the retransmission of
            // the head was lost too. Send it again rather than wait for the RTO.
            if (sack != null && !retransmitHead && rtt.hasSample() &&
                nowNs - headProgressNs > rtt.srttNs() + (rtt.srttNs() >> 2) + 2_000_000L)
            {
                retransmitHead = true;
                headProgressNs = nowNs;
            }
            return;
        }
        // RFC 5827 early retransmit: with fewer than four segments in flight and nothing new to send, three
        // duplicate ACKs can never come; the threshold is the flight less one segment.
        final int flightSegments = (bytesInFlight() + mss - 1) / mss;
        final boolean early = flightSegments < 4 && nxt == dataEnd() && dupAcks >= Math.max(1, flightSegments - 1);
        final boolean lost = dupAcks >= DUPACK_THRESHOLD || early || sack != null && sack.isLost(una, mss);
        // RFC 6582 §3.2 step 2: without SACK, do not enter recovery again for losses of the same window (the
        // duplicate ACKs may come from data sent twice). With SACK (RFC 6675 §5) the scoreboard tells real losses
        // apart, so only being in recovery already prevents a new one.
        if (lost && (sack != null || !recoverValid || SeqNum.gt(una, recoverSeq)))
        {
            inRecovery = true;
            tlpDeadlineNs = NEVER;
            recoverValid = true;
            recoverSeq = max;
            cc.onEnterRecovery(bytesInFlight(), nowNs);
            retransmitHead = true;
            headProgressNs = nowNs;
            c.counters.fastRetransmits++;
            if (sack != null)
            {
                sack.onEnterRecovery(una);
            }
        }
    }

    /**
     * The number of bytes still in the network for the congestion window check: during SACK recovery the
     * RFC 6675 pipe; otherwise SND.NXT - SND.UNA.
     */
    int pipe()
    {
        if (inRecovery)
        {
            if (sack != null)
            {
                return sack.pipe(una, nxt, mss);
            }
        }
        return bytesInFlight(); // without SACK, cc inflates cwnd per duplicate ACK instead (RFC 5681 §3.2)
    }

    // ---- timers ---------------------------------------------------------------------------------------

    /** RFC 6298 §5.4 - §5.7: retransmit the earliest unacknowledged segment, back off, collapse the window. */
    void onRetransmitTimeout(final long nowNs)
    {
        rtoDeadlineNs = NEVER;
        tlpDeadlineNs = NEVER;
        tlpDue = false;
        c.counters.rtoExpirations++;
        final boolean syn = c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED;
        rtoRetries++;
        if (rtoRetries > (syn ? c.config.maxSynRetransmissions : c.config.maxRetransmissions))
        {
            // RFC 9293 §3.8.3 (MUST-20, MUST-21): give up after R2.
            c.fail(c.softError != TcpError.NONE ? c.softError : TcpError.TIMEOUT);
            return;
        }
        rtt.backoff();
        timing = false;
        if (syn)
        {
            synLost = true;
            c.synToSend = true;
            c.counters.retransmissions++;
            return;
        }
        if (cc != null)
        {
            cc.onRetransmitTimeout(bytesInFlight(), nowNs);
        }
        inRecovery = false;
        recoverValid = true;
        recoverSeq = max;
        dupAcks = 0;
        retransmitHead = false;
        if (sack != null)
        {
            sack.onRetransmitTimeout(una);
        }
        // Go back: everything from SND.UNA is sent again as the window allows (RFC 5681 §3.1, RFC 6298 §5.4).
        nxt = una;
        if (finSent && SeqNum.le(nxt, finSeq))
        {
            finSent = false;
        }
    }

    /** RFC 9293 §3.8.6.1: probe a zero window; the interval backs off like the RTO but never gives up. */
    void onPersistTimeout(final long nowNs)
    {
        c.probeToSend = true;
        persistBackoff = Math.min(persistBackoff + 1, 10);
        persistDeadlineNs = nowNs + Math.min(c.config.maxRtoNs, rtt.rtoNs() << persistBackoff);
    }

    /** Arms the persist timer when the peer's window is closed with data waiting and nothing in flight. */
    void checkPersist(final long nowNs)
    {
        if (wnd == 0 && una == nxt && SeqNum.lt(nxt, dataEnd()) && persistDeadlineNs == NEVER &&
            rtoDeadlineNs == NEVER)
        {
            persistDeadlineNs = nowNs + rtt.rtoNs();
        }
    }
}
