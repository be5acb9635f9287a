package io.conntest.stack.tcp;

import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.DirectBuffer;

/**
 * Segment arrival for an existing connection: RFC 9293 §3.10.7.3 (SYN-SENT) and §3.10.7.4 (every other state),
 * with RFC 5961 (challenge ACKs against blind RST, SYN and data), RFC 7323 (PAWS, TS.Recent) and RFC 1337
 * (TIME-WAIT ignores RST). Stateless: every method works on the connection it is given.
 */
final class TcpInput
{
    /** RFC 7323 §5.5: PAWS is not applied after 24 days of idleness. */
    private static final long PAWS_IDLE_NS = 24L * 24 * 3600 * 1_000_000_000L;

    private TcpInput()
    {
    }

    static void process(final TcpConnection c, final TcpRepr seg, final DirectBuffer buffer, final long nowNs)
    {
        c.counters.segmentsIn++;
        c.lastSegmentInNs = nowNs;
        switch (c.state)
        {
            case SYN_SENT:
                processSynSent(c, seg, nowNs);
                return;
            case CLOSED:
            case LISTEN:
                return;
            default:
                processSynchronized(c, seg, buffer, nowNs);
        }
    }

    /** RFC 9293 §3.10.7.3. */
    private static void processSynSent(final TcpConnection c, final TcpRepr seg, final long nowNs)
    {
        final TcpSender snd = c.snd;
        final boolean hasAck = seg.hasFlag(TcpPacketFlags.ACK);
        // First: an ACK outside ISS < SEG.ACK =< SND.NXT is unacceptable (MUST-?? §3.10.7.3): RST unless a RST.
        if (hasAck && (SeqNum.le(seg.ack, c.iss) || SeqNum.gt(seg.ack, snd.max())))
        {
            if (!seg.hasFlag(TcpPacketFlags.RST))
            {
                c.protocol.queueReset(c, seg.ack, 0, TcpPacketFlags.RST);
            }
            return;
        }
        // Second: a RST is acceptable only with an acceptable ACK (RFC 5961 §3.2, RFC 9293 §3.10.7.3).
        if (seg.hasFlag(TcpPacketFlags.RST))
        {
            if (hasAck)
            {
                c.terminate(TcpError.REFUSED);
            }
            return;
        }
        if (!seg.hasFlag(TcpPacketFlags.SYN))
        {
            return;
        }
        // Fourth: the SYN.
        c.rcv.onSyn(seg.seq);
        TcpOptionsNegotiation.onPeerSyn(c, seg);
        if (hasAck)
        {
            snd.onSynAcked(seg.seq, seg.ack, seg.window, nowNs); // RFC 7323 §2.2: never scaled in a SYN
            c.onEstablished(nowNs);
            c.rcv.requestAck();
        }
        else
        {
            // Simultaneous open (RFC 9293 §3.5 figure 7): SYN-RECEIVED, send SYN,ACK with the same ISS.
            c.setState(TcpState.SYN_RECEIVED);
            snd.onPeerSyn(seg.seq, seg.window);
            c.synToSend = true;
        }
    }

    /** RFC 9293 §3.10.7.4 for SYN-RECEIVED and the synchronized states. */
    private static void processSynchronized(
        final TcpConnection c, final TcpRepr seg, final DirectBuffer buffer, final long nowNs)
    {
        final TcpReceiver rcv = c.rcv;
        final boolean rst = seg.hasFlag(TcpPacketFlags.RST);

        // RFC 7323 §5.3 R1: PAWS rejects an old timestamp (not for RST), answering with an ACK.
        if (c.tsEnabled && seg.hasTimestamps && !rst && SeqNum.lt(seg.tsVal, c.tsRecent) &&
            nowNs - c.tsRecentNs < PAWS_IDLE_NS)
        {
            c.counters.duplicateSegmentsIn++;
            rcv.requestAck();
            return;
        }

        // First: sequence number acceptability (RFC 9293 §3.10.7.4, the four cases).
        final int segLen = seg.segmentLength();
        final int rcvWnd = rcv.window();
        boolean acceptable;
        if (segLen == 0)
        {
            acceptable = rcvWnd == 0 ? seg.seq == rcv.nxt() : SeqNum.inRange(seg.seq, rcv.nxt(), rcv.nxt() + rcvWnd);
        }
        else
        {
            acceptable = rcvWnd != 0 && (SeqNum.inRange(seg.seq, rcv.nxt(), rcv.nxt() + rcvWnd) ||
                SeqNum.inRange(seg.seq + segLen - 1, rcv.nxt(), rcv.nxt() + rcvWnd));
        }
        boolean zeroWindowData = false;
        if (!acceptable && rcvWnd == 0 && seg.seq == rcv.nxt() && segLen > 0)
        {
            // RFC 9293 §3.10.7.4 (MUST-66? "special allowance ... to accept valid ACKs, URGs, and RSTs"):
            // with a zero window the text is dropped but the ACK still counts.
            acceptable = true;
            zeroWindowData = true;
        }
        if (!acceptable)
        {
            if (!rst)
            {
                c.counters.duplicateSegmentsIn++;
                rcv.requestAck(); // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
                if (c.state == TcpState.TIME_WAIT && seg.hasFlag(TcpPacketFlags.FIN))
                {
                    c.timeWaitDeadlineNs = nowNs + 2 * c.config.mslNs;
                }
            }
            return;
        }

        // Second: RST (RFC 5961 §3.2: only an exact RCV.NXT resets; otherwise a challenge ACK).
        if (rst)
        {
            if (c.state == TcpState.TIME_WAIT)
            {
                return; // RFC 1337 §3 (TIME-WAIT assassination): ignore RST in TIME-WAIT.
            }
            if (seg.seq != rcv.nxt())
            {
                c.protocol.challengeAck(c, nowNs);
                return;
            }
            if (c.state == TcpState.SYN_RECEIVED && c.listener != null)
            {
                c.terminate(TcpError.NONE); // passive open: back to LISTEN (the listener stays)
            }
            else if (c.state == TcpState.SYN_RECEIVED)
            {
                c.terminate(TcpError.REFUSED);
            }
            else if (c.state == TcpState.CLOSING || c.state == TcpState.LAST_ACK)
            {
                c.terminate(TcpError.NONE);
            }
            else
            {
                c.terminate(TcpError.RESET);
            }
            return;
        }

        // Fourth: SYN in a synchronized state (RFC 5961 §4, RFC 9293 §3.10.7.4): challenge ACK.
        if (seg.hasFlag(TcpPacketFlags.SYN))
        {
            if (c.state == TcpState.SYN_RECEIVED && c.listener != null && seg.seq == c.irs)
            {
                c.synToSend = true; // a retransmitted SYN: send the SYN,ACK again
                return;
            }
            c.protocol.challengeAck(c, nowNs);
            return;
        }

        // Fifth: the ACK field.
        if (!seg.hasFlag(TcpPacketFlags.ACK))
        {
            return;
        }
        final TcpSender snd = c.snd;
        if (c.state == TcpState.SYN_RECEIVED)
        {
            if (SeqNum.gt(seg.ack, snd.una()) && SeqNum.le(seg.ack, snd.max()))
            {
                snd.onSynAcked(seg.seq, seg.ack, seg.window << snd.scale(), nowNs);
                c.onEstablished(nowNs);
            }
            else
            {
                c.protocol.queueReset(c, seg.ack, 0, TcpPacketFlags.RST);
                return;
            }
        }
        // RFC 5961 §5.2: an ACK outside [SND.UNA - MAX.SND.WND, SND.MAX] is answered by an ACK and dropped.
        if (SeqNum.lt(seg.ack, snd.una() - Math.max(snd.maxWnd(), 1)) || SeqNum.gt(seg.ack, snd.max()))
        {
            c.protocol.challengeAck(c, nowNs);
            return;
        }
        updateTsRecent(c, seg, nowNs);
        snd.onAck(seg, nowNs);

        switch (c.state)
        {
            case FIN_WAIT_1:
                if (finAcked(c))
                {
                    c.setState(TcpState.FIN_WAIT_2);
                    if (c.userClosed)
                    {
                        c.finWait2DeadlineNs = nowNs + c.config.finWait2TimeoutNs;
                    }
                }
                break;
            case CLOSING:
                if (finAcked(c))
                {
                    c.enterTimeWait(nowNs);
                    return;
                }
                break;
            case LAST_ACK:
                if (finAcked(c))
                {
                    c.terminate(TcpError.NONE);
                    return;
                }
                break;
            case TIME_WAIT:
                break;
            default:
                break;
        }
        if (Deadline.isSet(c.keepAliveDeadlineNs))
        {
            c.scheduleKeepAlive(nowNs);
        }

        // Sixth: the URG bit (RFC 9293 §3.10.7.4), only in the states that still receive text; the special
        // allowance above lets it through a zero window too.
        if (seg.hasFlag(TcpPacketFlags.URG))
        {
            switch (c.state)
            {
                case ESTABLISHED:
                case FIN_WAIT_1:
                case FIN_WAIT_2:
                    rcv.processUrgent(seg.seq, seg.urgentPointer);
                    break;
                default:
                    break; // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: "ignore the URG" (RFC 9293 §3.10.7.4)
            }
        }

        // Seventh: the segment text (after trimming to the window, RFC 9293 §3.10.7.4 first).
        int payloadOffset = seg.payloadOffset;
        int payloadLength = zeroWindowData ? 0 : seg.payloadLength;
        int seq = seg.seq;
        boolean fin = !zeroWindowData && seg.hasFlag(TcpPacketFlags.FIN);
        if (SeqNum.lt(seq, rcv.nxt()))
        {
            final int skip = Math.min(rcv.nxt() - seq, payloadLength);
            payloadOffset += skip;
            payloadLength -= skip;
            seq += skip;
            if (payloadLength > 0 || !fin)
            {
                c.counters.duplicateSegmentsIn++;
            }
        }
        final int room = rcv.nxt() + rcvWnd - seq;
        if (payloadLength > room)
        {
            payloadLength = Math.max(0, room);
            fin = false;
        }
        if (payloadLength > 0)
        {
            switch (c.state)
            {
                case ESTABLISHED:
                case FIN_WAIT_1:
                case FIN_WAIT_2:
                    if (c.userClosed)
                    {
                        // RFC 1122 §4.2.2.13: new data after the application closed cannot be delivered; a RST
                        // tells the peer it was lost rather than ACKing it into a void (Linux: TCPAbortOnData).
                        c.protocol.counters().abortsOnDataAfterClose++;
                        c.abort(nowNs);
                        return;
                    }
                    rcv.processData(buffer, payloadOffset, payloadLength, seq, nowNs);
                    break;
                default:
                    // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: the peer already sent its FIN; ignore the text.
                    break;
            }
        }
        else if (seg.payloadLength > 0)
        {
            rcv.requestAck(); // a duplicate or zero-window segment: tell the peer where we are
        }

        // Eighth: FIN.
        if (fin && c.state != TcpState.CLOSED)
        {
            if (c.state == TcpState.TIME_WAIT)
            {
                rcv.requestAck();
                c.timeWaitDeadlineNs = nowNs + 2 * c.config.mslNs;
            }
            else if (c.state != TcpState.CLOSE_WAIT && c.state != TcpState.CLOSING && c.state != TcpState.LAST_ACK)
            {
                if (rcv.onFin(seq + payloadLength, nowNs))
                {
                    onFinConsumed(c, nowNs);
                }
            }
            else
            {
                rcv.requestAck();
            }
        }
    }

    /** RFC 9293 §3.10.7.4 eighth: the state changes a FIN causes. */
    static void onFinConsumed(final TcpConnection c, final long nowNs)
    {
        switch (c.state)
        {
            case SYN_RECEIVED:
            case ESTABLISHED:
                c.setState(TcpState.CLOSE_WAIT);
                break;
            case FIN_WAIT_1:
                if (finAcked(c))
                {
                    c.enterTimeWait(nowNs);
                }
                else
                {
                    c.setState(TcpState.CLOSING);
                }
                break;
            case FIN_WAIT_2:
                c.enterTimeWait(nowNs);
                break;
            default:
                break;
        }
    }

    static boolean finAcked(final TcpConnection c)
    {
        return c.snd.finAcked();
    }

    /** RFC 7323 §4.3 (3): TS.Recent takes SEG.TSval when SEG.SEQ =< Last.ACK.sent. */
    private static void updateTsRecent(final TcpConnection c, final TcpRepr seg, final long nowNs)
    {
        if (c.tsEnabled && seg.hasTimestamps && SeqNum.le(seg.seq, c.rcv.lastAckSent()) &&
            SeqNum.ge(seg.tsVal, c.tsRecent))
        {
            c.tsRecent = seg.tsVal;
            c.tsRecentNs = nowNs;
        }
    }
}
