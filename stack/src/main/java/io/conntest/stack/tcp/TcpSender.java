package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.tcp.cc.CongestionControl;
import io.conntest.stack.tcp.rtt.RttEstimator;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.conntest.stack.time.Deadline.NEVER;

/**
 * The sending half of a connection (RFC 9293 §3.8, §3.10.7.4 "fifth, check the ACK field"): the send buffer from
 * SND.UNA onwards, the send sequence variables, the peer's window, RTT measurement (RFC 6298, Karn), the
 * retransmission and persist timers, fast retransmit and recovery (RFC 5681; RFC 6582 or RFC 6675 behind
 * {@link LossRecovery}) with the congestion controller of {@code tcp.cc}. What goes on the wire, when, is decided
 * in {@link TcpOutput}.
 *
 * <p>It owns SND.* and everything it keeps: its fields are private, other classes read them through accessors and
 * tell it what happened ({@link #onSynAcked}, {@link #onAck}, {@link #onSegmentSent}, {@link #onTimers}, ...), so
 * every change of SND.UNA, SND.NXT, SND.WND and the timers is made here.
 */
final class TcpSender
{
    static final int DUPACK_THRESHOLD = 3;

    private final TcpConnection c;
    private final RttEstimator rtt;
    private CongestionControl cc;
    /** NewReno until the handshake shows both sides SACK-permitted (then SACK-based, RFC 6675). */
    private LossRecovery recovery = new NewRenoRecovery();
    private ByteRing ring;

    /** SND.UNA, SND.NXT, and the highest sequence number sent so far plus one (SND.MAX). */
    private int una;
    private int nxt;
    private int max;
    /** Sequence number of the first byte in the ring. */
    private int headSeq;
    /** SND.WND in bytes (already scaled), SND.WL1, SND.WL2, and the largest window seen (RFC 9293 §3.8.6.2.1). */
    private int wnd;
    private int wl1;
    private int wl2;
    private int maxWnd;
    /** The peer's window shift (RFC 7323 §2.3); 0 without window scaling. */
    private int scale;
    /** Effective send MSS: payload bytes per segment after options (RFC 6691, RFC 9293 §3.7.1). */
    private int mss = 536;
    private boolean noDelay;

    /**
     * SND.UP (RFC 9293 §3.8.5): the sequence number of the octet after the urgent data (MUST-62), valid while
     * {@code upValid}; cleared once SND.UNA reaches it, so the wrap-safe comparison never spans a stale pointer.
     */
    private int up;
    private boolean upValid;

    private boolean finQueued;
    private boolean finSent;
    private int finSeq;

    private boolean inRecovery;
    private int recoverSeq;
    private boolean recoverValid;
    private int dupAcks;
    /** A fast retransmit or NewReno partial-ACK retransmit of the segment at SND.UNA is due. */
    private boolean retransmitHead;
    /** When SND.UNA last advanced or its segment was last sent again: the lost-retransmission check below. */
    private long headProgressNs;

    /** RTT timing of one segment at a time (RFC 6298 §3, Karn: never a retransmitted one). */
    private boolean timing;
    private int timedSeq;
    private long timedStartNs;

    private int rtoRetries;
    private long rtoDeadlineNs = NEVER;
    /** RFC 8985 §7 tail loss probe: when it fires, and whether a probe is due or already sent for this tail. */
    private long tlpDeadlineNs = NEVER;
    private boolean tlpDue;
    private boolean tlpSent;
    private long persistDeadlineNs = NEVER;
    private int persistBackoff;
    /**
     * RFC 9293 §3.8.6.2.1 / RFC 1122 §4.2.3.4: the SWS override timer, armed when sender-side SWS avoidance holds
     * back a short segment the peer's usable window would take; when it fires the segment goes anyway, so a peer
     * that keeps offering a small non-zero window cannot stall the sender forever.
     */
    private long swsDeadlineNs = NEVER;
    private boolean swsOverride;
    /** Set after the first RTO of a SYN: RFC 6298 §5.7. */
    private boolean synLost;

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

    /**
     * A SYN,ACK of a stateless SYN cookie (RFC 4987 §3.6) already left with ISS: SND.NXT = SND.MAX = ISS + 1, and the
     * peer's SYN was at {@code peerIsn}.
     */
    void initFromCookie(final int iss, final int peerIsn)
    {
        init(iss);
        nxt = iss + 1;
        max = iss + 1;
        wl1 = peerIsn;
    }

    /**
     * The peer's SYN (passive or simultaneous open, RFC 9293 §3.10.7.2 / §3.10.7.3): its window, never scaled in a
     * SYN (RFC 7323 §2.2), until the handshake's ACK sets the real one.
     */
    void onPeerSyn(final int segSeq, final int window)
    {
        wnd = window;
        wl1 = segSeq;
    }

    /**
     * The peer acknowledged our SYN (RFC 9293 §3.10.7.3 SYN-SENT, §3.10.7.4 SYN-RECEIVED): SND.UNA = SEG.ACK, the
     * peer's window ({@code window} already scaled as the segment demands), the SYN's RTT sample unless the SYN was
     * sent twice (Karn: timing stops on a retransmission, RFC 6298 §3), and the retransmission timer stops.
     */
    void onSynAcked(final int segSeq, final int segAck, final int window, final long nowNs)
    {
        una = segAck;
        nxt = SeqNum.max(nxt, segAck);
        rtoDeadlineNs = NEVER;
        rtoRetries = 0;
        if (timing)
        {
            rtt.sample(nowNs - timedStartNs);
        }
        timing = false;
        wnd = window;
        maxWnd = window;
        wl1 = segSeq;
        wl2 = segAck;
    }

    /** The peer's window shift from its SYN (RFC 7323 §2.3), 0 when window scaling is not in use. */
    void setWindowScale(final int shift)
    {
        scale = shift;
    }

    /** The effective send MSS negotiated on the SYN exchange (RFC 6691, RFC 9293 §3.7.1). */
    void setMss(final int bytes)
    {
        mss = bytes;
    }

    /** RFC 1191: an ICMP "fragmentation needed" lowers the MSS, never raises it. */
    void onPathMtu(final int bytes)
    {
        if (bytes > 0 && bytes < mss)
        {
            mss = bytes;
        }
    }

    void setNoDelay(final boolean on)
    {
        noDelay = on;
    }

    // ---- read-only views of SND.* ----------------------------------------------------------------------

    int una()
    {
        return una;
    }

    int nxt()
    {
        return nxt;
    }

    /** SND.MAX: one past the highest sequence number sent so far. */
    int max()
    {
        return max;
    }

    /** SND.WND, scaled. */
    int wnd()
    {
        return wnd;
    }

    /** The largest window the peer has offered (RFC 9293 §3.8.6.2.1). */
    int maxWnd()
    {
        return maxWnd;
    }

    int scale()
    {
        return scale;
    }

    int mss()
    {
        return mss;
    }

    boolean noDelay()
    {
        return noDelay;
    }

    boolean finQueued()
    {
        return finQueued;
    }

    /** Our FIN was sent and SND.UNA passed it. */
    boolean finAcked()
    {
        return finSent && SeqNum.gt(una, finSeq);
    }

    /** The FIN may go (again) at SND.NXT: queued, and not yet sent or sent again from here. */
    boolean finSendableAt(final int seq)
    {
        return finQueued && seq == dataEnd() && (!finSent || seq == finSeq);
    }

    /** Urgent data is queued or in flight (SND.UP valid). */
    boolean urgentMode()
    {
        return upValid;
    }

    boolean inRecovery()
    {
        return inRecovery;
    }

    int dupAcks()
    {
        return dupAcks;
    }

    boolean swsOverride()
    {
        return swsOverride;
    }

    RttEstimator rtt()
    {
        return rtt;
    }

    /** Bytes the user wrote that are not yet acknowledged. */
    int bufferedBytes()
    {
        return ring == null ? 0 : ring.size();
    }

    /** Bytes written and not yet sent: from SND.NXT to the end of the data. */
    int unsentBytes()
    {
        return dataEnd() - nxt;
    }

    /** The peer's usable window at SND.NXT: SND.UNA + SND.WND - SND.NXT (RFC 9293 §3.8.6.2.1). */
    int usableWindow()
    {
        return una + wnd - nxt;
    }

    /** Copies {@code [seq, seq + length)} of the send buffer into a frame. */
    void copyOut(final int seq, final MutableDirectBuffer dst, final int offset, final int length)
    {
        ring.copyOut(seq - headSeq, dst, offset, length);
    }

    /** Whether {@link #gatherOut} works: the send buffer is native memory. */
    boolean canGather()
    {
        return ring != null && ring.isDirect();
    }

    /**
     * Sends payload {@code [seq, seq + length)} from the send buffer as the tail of the datagram claimed from
     * {@code sender}, after its {@code headLength}-byte TCP header: no copy, the device reads the buffer.
     */
    void gatherOut(final int seq, final int length, final Ipv4Sender sender, final int headLength)
    {
        ring.gather(seq - headSeq, length, sender, headLength);
    }

    void onEstablished(final long nowNs)
    {
        if (ring == null)
        {
            // native memory: a device that gathers sends segments straight from it (TcpOutput, writev on a TAP)
            ring = new ByteRing(c.socket.sendBufferBytes, true);
        }
        cc = CongestionControl.create(c.config.congestionControl);
        cc.init(mss, nowNs);
        if (synLost)
        {
            cc.onSynLost(); // RFC 5681 §3.1 / RFC 6928 §2: one segment after a lost SYN
        }
        if (c.sackEnabled)
        {
            recovery = new SackRecovery();
        }
        recovery.init(una);
        if (synLost)
        {
            rtt.onSynLost();
        }
        if (una == max)
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

    private void onSwsOverrideTimeout()
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
    private void armRto(final long nowNs)
    {
        if (rtoDeadlineNs == NEVER)
        {
            rtoDeadlineNs = nowNs + rtt.rtoNs();
        }
    }

    /** Our SYN (or SYN,ACK) at ISS went out; {@code again} when it was sent before. */
    void onSynSent(final int iss, final boolean again, final long nowNs)
    {
        nxt = iss + 1;
        onSent(iss, 1, again, nowNs);
    }

    /**
     * A segment of {@code payload} bytes at {@code seq} went out, with our FIN when {@code fin}: SND.NXT and SND.MAX
     * move past it, the FIN's place is remembered, the timers and the RTT measurement follow.
     *
     * @return whether it was a retransmission (it started below SND.MAX)
     */
    boolean onSegmentSent(final int seq, final int payload, final boolean fin, final long nowNs)
    {
        final boolean retransmission = SeqNum.lt(seq, max);
        final int seqLen = payload + (fin ? 1 : 0);
        if (fin)
        {
            finSent = true;
            finSeq = seq + payload;
        }
        onSent(seq, seqLen, retransmission, nowNs);
        if (SeqNum.gt(seq + seqLen, nxt))
        {
            nxt = seq + seqLen;
        }
        return retransmission;
    }

    /** Records that {@code [seq, seq + len)} (len counts SYN/FIN) just went out. */
    private void onSent(final int seq, final int len, final boolean retransmission, final long nowNs)
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
    private void armTlp(final long nowNs)
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
        tlpDeadlineNs = Deadline.earliest(nowNs + pto, rtoDeadlineNs);
    }

    /**
     * Whether the segment at SND.UNA is due to be sent again now (fast retransmit, partial ACK, lost retransmission).
     */
    boolean headRetransmitDue()
    {
        return retransmitHead;
    }

    /** The payload of the head retransmission: one MSS from SND.UNA at most. */
    int headRetransmitLength()
    {
        return Math.min(mss, Math.max(0, dataEnd() - una));
    }

    /** The segment at SND.UNA of {@code length} bytes went out again. */
    void onHeadRetransmitted(final int length)
    {
        retransmitHead = false;
        recovery.onRetransmitted(una, Math.max(length, 1));
    }

    /** In recovery (RFC 6675 §5 (4)): whether the loss recovery names a hole to send again; see {@link #holeSeq()}. */
    boolean nextHole()
    {
        if (!inRecovery)
        {
            return false;
        }
        final boolean canSendNew = unsentBytes() > 0 && usableWindow() > 0;
        return recovery.nextHole(una, nxt, mss, canSendNew);
    }

    int holeSeq()
    {
        return recovery.holeSeq();
    }

    /** The length of the hole {@link #nextHole()} found, not beyond the data written. */
    int holeLength()
    {
        return Math.min(recovery.holeLength(), Math.max(0, dataEnd() - recovery.holeSeq()));
    }

    void onHoleRetransmitted(final int seq, final int length)
    {
        recovery.onRetransmitted(seq, length);
    }

    /** Takes the tail loss probe that is due (RFC 8985 §7.3), if any. */
    boolean takeTlpProbe()
    {
        final boolean due = tlpDue;
        tlpDue = false;
        return due;
    }

    /** The earliest of the sender's timers, {@link Deadline#NEVER} when none runs. */
    long nextDeadlineNs()
    {
        return Deadline.earliest(Deadline.earliest(rtoDeadlineNs, tlpDeadlineNs),
            Deadline.earliest(persistDeadlineNs, swsDeadlineNs));
    }

    /** Runs the sender's timers that are due: retransmission, tail loss probe, persist, SWS override. */
    void onTimers(final long nowNs)
    {
        if (Deadline.isDue(rtoDeadlineNs, nowNs))
        {
            onRetransmitTimeout(nowNs);
            if (c.state == TcpState.CLOSED)
            {
                return;
            }
        }
        if (Deadline.isDue(tlpDeadlineNs, nowNs))
        {
            onTlpTimeout(nowNs);
        }
        if (Deadline.isDue(persistDeadlineNs, nowNs))
        {
            onPersistTimeout(nowNs);
        }
        if (Deadline.isDue(swsDeadlineNs, nowNs))
        {
            onSwsOverrideTimeout();
        }
    }

    private void onTlpTimeout(final long nowNs)
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
        final int newlySacked = recovery.onAck(seg, una, nxt);
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
        recovery.onCumulativeAck(una);
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
                    if (recovery.retransmitsHeadOnPartialAck())
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
        recovery.onDuplicateAck(cc);
        if (inRecovery)
        {
            // A lost retransmission (RFC 6675 cannot see one; RFC 8985 RACK's idea in its simplest form): ACKs keep
            // arriving with SACK information for a whole RTT, yet SND.UNA does not move, so the retransmission of
            // the head was lost too. Send it again rather than wait for the RTO.
            if (recovery.detectsLostRetransmission() && !retransmitHead && rtt.hasSample() &&
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
        final boolean lost = dupAcks >= DUPACK_THRESHOLD || early || recovery.isLost(una, mss);
        // RFC 6582 §3.2 step 2 / RFC 6675 §5: whether these losses may start a new recovery.
        if (lost && recovery.mayEnterRecovery(una, recoverValid, recoverSeq))
        {
            inRecovery = true;
            tlpDeadlineNs = NEVER;
            recoverValid = true;
            recoverSeq = max;
            cc.onEnterRecovery(bytesInFlight(), nowNs);
            retransmitHead = true;
            headProgressNs = nowNs;
            c.counters.fastRetransmits++;
            recovery.onEnterRecovery(una);
        }
    }

    /**
     * The number of bytes still in the network for the congestion window check: in recovery what the loss recovery
     * counts (RFC 6675 pipe with SACK); otherwise SND.NXT - SND.UNA.
     */
    int pipe()
    {
        return inRecovery ? recovery.pipe(una, nxt, mss) : bytesInFlight();
    }

    // ---- timers ---------------------------------------------------------------------------------------

    /** RFC 6298 §5.4 - §5.7: retransmit the earliest unacknowledged segment, back off, collapse the window. */
    private void onRetransmitTimeout(final long nowNs)
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
        recovery.onRetransmitTimeout(una);
        // Go back: everything from SND.UNA is sent again as the window allows (RFC 5681 §3.1, RFC 6298 §5.4).
        nxt = una;
        if (finSent && SeqNum.le(nxt, finSeq))
        {
            finSent = false;
        }
    }

    /** RFC 9293 §3.8.6.1: probe a zero window; the interval backs off like the RTO but never gives up. */
    private void onPersistTimeout(final long nowNs)
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
