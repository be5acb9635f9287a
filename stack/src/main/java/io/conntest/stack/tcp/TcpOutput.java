package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.tcp.cc.SeqNum;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.MutableDirectBuffer;

/**
 * Segment emission for one connection on each dispatch: SYN / SYN,ACK (re)transmission, retransmissions of fast
 * and SACK recovery, new data as the peer's window and the congestion window allow with Nagle (RFC 896,
 * RFC 9293 §3.7.4) and sender-side SWS avoidance (RFC 9293 §3.8.6.2.1), FIN, zero-window and keepalive probes,
 * and pure ACKs. Drains everything it may send; stops only when the sender refuses.
 */
final class TcpOutput
{
    /** Bound on segments one connection sends per dispatch, so one flow cannot starve the others forever. */
    private static final int MAX_SEGMENTS_PER_DISPATCH = 4096;

    private final TcpProtocol protocol;
    private final TcpRepr repr = new TcpRepr();
    private final TcpPacket view = new TcpPacket();

    TcpOutput(final TcpProtocol protocol)
    {
        this.protocol = protocol;
    }

    /** @return false when the sender refused a datagram (the connection keeps its work for the next poll). */
    boolean dispatch(final TcpConnection c, final Ipv4Sender sender, final long nowNs)
    {
        if (c.state == TcpState.CLOSED)
        {
            return true;
        }
        if (c.synToSend)
        {
            final int flags = TcpPacketFlags.SYN | (c.state == TcpState.SYN_RECEIVED ? TcpPacketFlags.ACK : 0);
            final boolean again = c.snd.max != c.iss;
            if (!emit(c, sender, c.iss, 0, flags, nowNs))
            {
                return false;
            }
            c.synToSend = false;
            if (!again && c.state == TcpState.SYN_SENT)
            {
                c.startConnectTimer(nowNs);
            }
            c.snd.nxt = c.iss + 1;
            c.snd.onSent(c.iss, 1, again, nowNs);
            if (again)
            {
                c.counters.retransmissions--; // counted in onRetransmitTimeout already
            }
        }
        if (c.state.isSynchronized() && c.state != TcpState.TIME_WAIT)
        {
            if (!sendData(c, sender, nowNs))
            {
                return false;
            }
        }
        if (c.probeToSend)
        {
            // Zero-window and keepalive probe: an old sequence number that makes the peer answer with its
            // current ACK and window (RFC 9293 §3.8.6.1, RFC 1122 §4.2.3.6).
            if (!emit(c, sender, c.snd.una - 1, 0, TcpPacketFlags.ACK, nowNs))
            {
                return false;
            }
            c.probeToSend = false;
        }
        if (c.rcv.ackNow && c.state != TcpState.SYN_SENT)
        {
            if (!emit(c, sender, c.snd.nxt, 0, TcpPacketFlags.ACK, nowNs))
            {
                return false;
            }
        }
        return true;
    }

    private boolean sendData(final TcpConnection c, final Ipv4Sender sender, final long nowNs)
    {
        final TcpSender snd = c.snd;
        int budget = MAX_SEGMENTS_PER_DISPATCH;
        if (snd.retransmitHead)
        {
            final int len = Math.min(snd.mss, Math.max(0, snd.dataEnd() - snd.una));
            if (!sendSegment(c, sender, snd.una, len, nowNs))
            {
                return false;
            }
            snd.retransmitHead = false;
            if (snd.sack != null)
            {
                snd.sack.onRetransmitted(snd.una, Math.max(len, 1));
            }
        }
        // RFC 6675 §5 (4): while pipe < cwnd, retransmit what the scoreboard says is lost.
        if (snd.inRecovery && snd.sack != null)
        {
            while (budget-- > 0 && snd.pipe() < snd.cwnd())
            {
                final boolean canSendNew = snd.dataEnd() - snd.nxt > 0 && snd.una + snd.wnd - snd.nxt > 0;
                if (!snd.sack.nextHole(snd.una, snd.nxt, snd.mss, canSendNew))
                {
                    break;
                }
                final int seq = snd.sack.holeSeq;
                final int len = Math.min(snd.sack.holeLength, Math.max(0, snd.dataEnd() - seq));
                if (len <= 0)
                {
                    break;
                }
                if (!sendSegment(c, sender, seq, len, nowNs))
                {
                    return false;
                }
                snd.sack.onRetransmitted(seq, len);
            }
        }
        if (snd.tlpDue)
        {
            // RFC 8985 §7.3: the probe is new data if the windows allow, otherwise the last segment sent again.
            snd.tlpDue = false;
            final int avail = snd.dataEnd() - snd.nxt;
            if (avail > 0 && snd.una + snd.wnd - snd.nxt > 0)
            {
                if (!sendSegment(c, sender, snd.nxt, Math.min(snd.mss, Math.min(avail, snd.una + snd.wnd - snd.nxt)),
                    nowNs))
                {
                    return false;
                }
            }
            else
            {
                final int dataMax = SeqNum.min(snd.max, snd.dataEnd());
                final int len = Math.min(snd.mss, dataMax - snd.una);
                if (len > 0 && !sendSegment(c, sender, dataMax - len, len, nowNs))
                {
                    return false;
                }
            }
        }
        while (budget-- > 0)
        {
            final int end = snd.dataEnd();
            final int avail = end - snd.nxt;
            // RFC 3042 limited transmit: one new segment for each of the first two duplicate ACKs.
            final int limited = !snd.inRecovery && snd.dupAcks > 0 && snd.dupAcks < TcpSender.DUPACK_THRESHOLD ?
                snd.dupAcks * snd.mss : 0;
            final int cwndRoom = snd.cwnd() + limited - snd.pipe();
            if (avail > 0)
            {
                final int wndRoom = snd.una + snd.wnd - snd.nxt;
                final int len = Math.min(Math.min(snd.mss, avail), Math.min(wndRoom, cwndRoom));
                if (len <= 0)
                {
                    break;
                }
                if (len < snd.mss)
                {
                    final boolean allQueued = len == avail;
                    // Urgent data is sent at once: Nagle does not hold it back (RFC 9293 §3.8.5, §3.7.4).
                    final boolean nagleAllows = snd.noDelay || snd.nxt == snd.una || snd.finQueued ||
                        SeqNum.lt(snd.nxt, snd.max) || snd.urgentUnsent();
                    // RFC 9293 §3.8.6.2.1: send a short segment only if it holds everything queued and Nagle
                    // allows, or if it is at least half the largest window the peer has offered, or if the peer's
                    // window has held it back for the override timeout.
                    final boolean windowLimited = len == wndRoom && len < avail;
                    if (!(allQueued && nagleAllows) && len < (snd.maxWnd >>> 1) && !(windowLimited && snd.swsOverride))
                    {
                        if (windowLimited)
                        {
                            snd.armSwsOverride(nowNs);
                        }
                        break;
                    }
                }
                if (!sendSegment(c, sender, snd.nxt, len, nowNs))
                {
                    return false;
                }
                snd.clearSwsOverride();
            }
            else if (snd.finQueued && snd.nxt == end && (!snd.finSent || snd.nxt == snd.finSeq))
            {
                if (!sendSegment(c, sender, snd.nxt, 0, nowNs))
                {
                    return false;
                }
                break;
            }
            else
            {
                break;
            }
        }
        snd.checkPersist(nowNs);
        return true;
    }

    /** Sends payload {@code [seq, seq + len)} from the send buffer, with FIN when it reaches a queued FIN. */
    private boolean sendSegment(
        final TcpConnection c, final Ipv4Sender sender, final int seq, final int len, final long nowNs)
    {
        final TcpSender snd = c.snd;
        final int end = snd.dataEnd();
        int flags = TcpPacketFlags.ACK;
        final boolean fin = snd.finQueued && seq + len == end;
        if (fin)
        {
            flags |= TcpPacketFlags.FIN;
        }
        if (len > 0 && seq + len == end)
        {
            flags |= TcpPacketFlags.PSH;
        }
        if (!emit(c, sender, seq, len, flags, nowNs))
        {
            return false;
        }
        final boolean retransmission = SeqNum.lt(seq, snd.max);
        final int seqLen = len + (fin ? 1 : 0);
        if (fin)
        {
            snd.finSent = true;
            snd.finSeq = end;
        }
        if (!retransmission)
        {
            c.counters.bytesOut += len;
        }
        snd.onSent(seq, seqLen, retransmission, nowNs);
        if (SeqNum.gt(seq + seqLen, snd.nxt))
        {
            snd.nxt = seq + seqLen;
        }
        return true;
    }

    /** Builds and sends one segment; ACK number, window, timestamps and SACK blocks come from the connection. */
    boolean emit(
        final TcpConnection c, final Ipv4Sender sender, final int seq, final int len, final int flags,
        final long nowNs)
    {
        final TcpRepr r = repr.clear();
        r.srcPort = c.localPort;
        r.dstPort = c.remotePort;
        r.seq = seq;
        r.flags = flags;
        final boolean syn = (flags & TcpPacketFlags.SYN) != 0;
        if ((flags & TcpPacketFlags.ACK) != 0)
        {
            r.ack = c.rcv.nxt;
        }
        if (syn)
        {
            TcpOptionsNegotiation.fillSynOptions(c, r, sender.mtu(), nowNs);
        }
        else
        {
            if (c.tsEnabled)
            {
                r.hasTimestamps = true;
                r.tsVal = c.tsNow(nowNs);
                r.tsEcr = c.tsRecent;
            }
            c.rcv.fillSackBlocks(r);
        }
        r.window = c.rcv.windowField(syn);
        if (!syn)
        {
            // RFC 9293 §3.8.5: every segment while SND.UP is ahead of SEG.SEQ carries URG, SEG.UP = SND.UP - SEG.SEQ.
            final int urgent = c.snd.urgentField(seq);
            if (urgent >= 0)
            {
                r.flags |= TcpPacketFlags.URG;
                r.urgentPointer = urgent;
            }
        }
        // The MSS already leaves room for timestamps; SACK blocks on a full data segment would exceed the MTU,
        // so they give way (pure ACKs carry them in full).
        final int maxSegment = sender.mtu() - 20;
        while (r.sackBlockCount > 0 && r.headerLength() + len > maxSegment)
        {
            r.sackBlockCount--;
        }
        final int headerLength = r.headerLength();
        final int total = headerLength + len;
        final MutableDirectBuffer buffer = sender.claim(c.remoteAddr, TcpProtocol.PROTOCOL, total, true);
        if (buffer == null)
        {
            protocol.onRefusal(c, sender.lastRefusal());
            return false;
        }
        final int offset = sender.payloadOffset();
        if (len > 0)
        {
            c.snd.ring.copyOut(seq - c.snd.headSeq, buffer, offset + headerLength, len);
        }
        r.emit(view, buffer, offset, total, sender.sourceAddress(), c.remoteAddr);
        sender.commit();
        c.counters.segmentsOut++;
        if ((flags & TcpPacketFlags.ACK) != 0)
        {
            c.rcv.onAckSent();
        }
        return true;
    }

    /** A segment outside any connection (RST replies): no options, window 0. */
    boolean emitBare(
        final Ipv4Sender sender, final int remoteAddr, final int localPort, final int remotePort, final int seq,
        final int ack, final int flags)
    {
        final TcpRepr r = repr.clear();
        r.srcPort = localPort;
        r.dstPort = remotePort;
        r.seq = seq;
        r.ack = ack;
        r.flags = flags;
        final int total = r.headerLength();
        final MutableDirectBuffer buffer = sender.claim(remoteAddr, TcpProtocol.PROTOCOL, total, true);
        if (buffer == null)
        {
            return false;
        }
        r.emit(view, buffer, sender.payloadOffset(), total, sender.sourceAddress(), remoteAddr);
        sender.commit();
        return true;
    }
}
