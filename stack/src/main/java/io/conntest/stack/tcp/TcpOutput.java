package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.iface.Ipv6Sender;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.MutableDirectBuffer;

/**
 * Segment emission for one connection on each dispatch: SYN / SYN,ACK (re)transmission, retransmissions of fast
 * and SACK recovery, new data as the peer's window and the congestion window allow with Nagle (RFC 896,
 * RFC 9293 §3.7.4) and sender-side SWS avoidance (RFC 9293 §3.8.6.2.1), FIN, zero-window and keepalive probes,
 * and pure ACKs. Drains everything it may send; stops only when the sender refuses.
 *
 * <p>Offloads: on a device with checksum offload every segment goes out with only the pseudo-header sum in its
 * checksum field (the payload is never summed in Java); on one with TCP segmentation offload new data (and data sent
 * again after an RTO) leaves as super-segments of whole MSS pieces, up to {@link #MAX_SUPER_SEGMENT_PAYLOAD} bytes,
 * bounded like any segment by the peer's window and the congestion window, which the device cuts into MSS-sized
 * segments ({@code gso_size} = the effective MSS). Fast, SACK and tail-loss-probe retransmissions stay one MSS;
 * congestion control, the SACK scoreboard and RACK keep counting in MSS units, as a super-segment is only a burst of
 * segments sent at once.
 */
final class TcpOutput
{
    /** Bound on segments one connection sends per dispatch, so one flow cannot starve the others forever. */
    private static final int MAX_SEGMENTS_PER_DISPATCH = 4096;
    /** Payload of a super-segment: an IPv4 datagram of at most 65,535 bytes with a TCP header of up to 60. */
    static final int MAX_SUPER_SEGMENT_PAYLOAD = 65_535 - 20 - 60;
    /** RFC 9293 §3.1: where the checksum is in the TCP header. */
    private static final int TCP_CHECKSUM_OFFSET = 16;

    private final TcpProtocol protocol;
    private final TcpRepr repr = new TcpRepr();
    private final TcpPacket view = new TcpPacket();
    /** What the last successful {@link #emit} sent: payload bytes and flags (less than asked when a super-segment
     *  had to go out as one plain MSS segment). */
    private int emittedLength;
    private int emittedFlags;

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
            final boolean again = c.snd.max() != c.iss;
            if (!emit(c, sender, c.iss, 0, flags, nowNs))
            {
                return false;
            }
            c.synToSend = false;
            if (!again && c.state == TcpState.SYN_SENT)
            {
                c.startConnectTimer(nowNs);
            }
            c.snd.onSynSent(c.iss, again, nowNs);
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
            if (!emit(c, sender, c.snd.una() - 1, 0, TcpPacketFlags.ACK, nowNs))
            {
                return false;
            }
            c.probeToSend = false;
        }
        if (c.rcv.ackNow() && c.state != TcpState.SYN_SENT)
        {
            if (!emit(c, sender, c.snd.nxt(), 0, TcpPacketFlags.ACK, nowNs))
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
        if (snd.headRetransmitDue())
        {
            final int len = snd.headRetransmitLength();
            if (!sendSegment(c, sender, snd.una(), len, nowNs))
            {
                return false;
            }
            snd.onHeadRetransmitted(len);
        }
        // RFC 6675 §5 (4): while pipe < cwnd, retransmit what the scoreboard says is lost.
        if (snd.inRecovery())
        {
            while (budget-- > 0 && snd.pipe() < snd.cwnd() && snd.nextHole())
            {
                final int seq = snd.holeSeq();
                final int len = snd.holeLength();
                if (len <= 0)
                {
                    break;
                }
                if (!sendSegment(c, sender, seq, len, nowNs))
                {
                    return false;
                }
                snd.onHoleRetransmitted(seq, len);
            }
        }
        if (snd.takeTlpProbe())
        {
            // RFC 8985 §7.3: the probe is new data if the windows allow, otherwise the last segment sent again.
            final int avail = snd.unsentBytes();
            if (avail > 0 && snd.usableWindow() > 0)
            {
                if (!sendSegment(c, sender, snd.nxt(), Math.min(snd.mss(), Math.min(avail, snd.usableWindow())), nowNs))
                {
                    return false;
                }
            }
            else
            {
                final int dataMax = SeqNum.min(snd.max(), snd.dataEnd());
                final int len = Math.min(snd.mss(), dataMax - snd.una());
                if (len > 0 && !sendSegment(c, sender, dataMax - len, len, nowNs))
                {
                    return false;
                }
            }
        }
        // TSO: whole MSS pieces up to 64 KB per segment; never with urgent data, whose pointer the device would copy
        // into every piece unchanged.
        final int mss = snd.mss();
        final int maxPayload = sender.offloadsTcpSegmentation() && !snd.urgentMode() && !c.ipv6 ?
            Math.max(mss, MAX_SUPER_SEGMENT_PAYLOAD - MAX_SUPER_SEGMENT_PAYLOAD % mss) : mss;
        while (budget-- > 0)
        {
            final int avail = snd.unsentBytes();
            // RFC 3042 limited transmit: one new segment for each of the first two duplicate ACKs.
            final int dupAcks = snd.dupAcks();
            final int limited = !snd.inRecovery() && dupAcks > 0 && dupAcks < TcpSender.DUPACK_THRESHOLD ?
                dupAcks * mss : 0;
            final int cwndRoom = snd.cwnd() + limited - snd.pipe();
            if (avail > 0)
            {
                final int wndRoom = snd.usableWindow();
                int len = Math.min(Math.min(maxPayload, avail), Math.min(wndRoom, cwndRoom));
                if (len <= 0)
                {
                    break;
                }
                if (len > mss)
                {
                    len = superSegmentLength(snd, len, avail);
                }
                if (len < mss)
                {
                    final boolean allQueued = len == avail;
                    // Urgent data is sent at once: Nagle does not hold it back (RFC 9293 §3.8.5, §3.7.4).
                    final boolean nagleAllows = snd.noDelay() || snd.nxt() == snd.una() || snd.finQueued() ||
                        SeqNum.lt(snd.nxt(), snd.max()) || snd.urgentUnsent();
                    // RFC 9293 §3.8.6.2.1: send a short segment only if it holds everything queued and Nagle
                    // allows, or if it is at least half the largest window the peer has offered, or if the peer's
                    // window has held it back for the override timeout.
                    final boolean windowLimited = len == wndRoom && len < avail;
                    if (!(allQueued && nagleAllows) && len < (snd.maxWnd() >>> 1) &&
                        !(windowLimited && snd.swsOverride()))
                    {
                        if (windowLimited)
                        {
                            snd.armSwsOverride(nowNs);
                        }
                        break;
                    }
                }
                if (!sendSegment(c, sender, snd.nxt(), len, nowNs))
                {
                    return false;
                }
                snd.clearSwsOverride();
            }
            else if (snd.finSendableAt(snd.nxt()))
            {
                if (!sendSegment(c, sender, snd.nxt(), 0, nowNs))
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

    /**
     * The length of a super-segment the windows allow {@code len} bytes for: data sent again is not mixed with new
     * data (so Karn's rule and the retransmission count stay exact), and a short tail goes with it only when it ends
     * the queued data and Nagle would send it as a segment of its own (RFC 9293 §3.7.4); otherwise the segment is
     * whole MSS pieces and the tail waits, as it would without offload.
     */
    private static int superSegmentLength(final TcpSender snd, final int len, final int avail)
    {
        int n = len;
        final boolean again = SeqNum.lt(snd.nxt(), snd.max());
        if (again)
        {
            n = Math.min(n, snd.max() - snd.nxt());
        }
        final int tail = n % snd.mss();
        if (tail != 0 && n > snd.mss() && !again &&
            !(n == avail && (snd.noDelay() || snd.finQueued() || snd.urgentUnsent())))
        {
            n -= tail;
        }
        return n;
    }

    /** Sends payload {@code [seq, seq + len)} from the send buffer, with FIN when it reaches a queued FIN. */
    private boolean sendSegment(
        final TcpConnection c, final Ipv4Sender sender, final int seq, final int len, final long nowNs)
    {
        final TcpSender snd = c.snd;
        final int end = snd.dataEnd();
        int flags = TcpPacketFlags.ACK;
        final boolean fin = snd.finQueued() && seq + len == end;
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
        final int sent = emittedLength;
        final boolean finSent = (emittedFlags & TcpPacketFlags.FIN) != 0;
        if (!snd.onSegmentSent(seq, sent, finSent, nowNs))
        {
            c.counters.bytesOut += sent;
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
            r.ack = c.rcv.nxt();
        }
        if (syn)
        {
            TcpOptionsNegotiation.fillSynOptions(c, r, protocol.mtu(c), nowNs);
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
        // A super-segment (TSO) is cut into MSS pieces that each carry these headers.
        final int mss = c.snd.mss();
        final boolean superSegment = len > mss;
        final int pieceLength = superSegment ? mss : len;
        // The MSS already leaves room for timestamps; SACK blocks on a full data segment would exceed the MTU,
        // so they give way (pure ACKs carry them in full).
        final int maxSegment = protocol.mtu(c) - c.ipAndTcpHeaders() + TcpPacket.HEADER_LENGTH;
        while (r.sackBlockCount > 0 && r.headerLength() + pieceLength > maxSegment)
        {
            r.sackBlockCount--;
        }
        int headerLength = r.headerLength();
        if (c.ipv6)
        {
            return emit6(c, r, seq, len, headerLength, flags);
        }
        int sendLength = len;
        MutableDirectBuffer buffer = null;
        boolean partialChecksum = false;
        if (sender.offloadsChecksum())
        {
            buffer = sender.claimOffloaded(c.remoteAddr, TcpProtocol.PROTOCOL, headerLength + len, headerLength,
                superSegment ? mss : 0, TCP_CHECKSUM_OFFSET);
            if (buffer != null)
            {
                partialChecksum = true;
            }
            else if (sender.lastRefusal() != Ipv4Sender.Refusal.OFFLOAD_UNAVAILABLE)
            {
                protocol.onRefusal(c, sender.lastRefusal());
                return false;
            }
            else if (superSegment)
            {
                // Not straight to the device now (next hop resolving): one plain MSS segment instead.
                sendLength = mss;
                r.flags &= ~(TcpPacketFlags.FIN | TcpPacketFlags.PSH);
                headerLength = r.headerLength();
            }
        }
        final int total = headerLength + sendLength;
        if (buffer == null)
        {
            buffer = sender.claim(c.remoteAddr, TcpProtocol.PROTOCOL, total, true);
            if (buffer == null)
            {
                protocol.onRefusal(c, sender.lastRefusal());
                return false;
            }
        }
        final int offset = sender.payloadOffset();
        // With checksum offload Java never reads the payload: a device that gathers takes it from the send buffer
        // (one writev on a TAP) instead of a copy into the frame first.
        final boolean gather = partialChecksum && sendLength > 0 && sender.gathers() && c.snd.canGather();
        if (sendLength > 0 && !gather)
        {
            c.snd.copyOut(seq, buffer, offset + headerLength, sendLength);
        }
        r.emit(view, buffer, offset, total, sender.sourceAddress(), c.remoteAddr, partialChecksum);
        if (gather)
        {
            c.snd.gatherOut(seq, sendLength, sender, headerLength);
        }
        else
        {
            sender.commit();
        }
        emittedLength = sendLength;
        emittedFlags = r.flags;
        if (sendLength > mss)
        {
            c.counters.segmentsOut += (sendLength + mss - 1) / mss;
            c.counters.superSegmentsOut++;
        }
        else
        {
            c.counters.segmentsOut++;
        }
        if ((flags & TcpPacketFlags.ACK) != 0)
        {
            c.rcv.onAckSent();
        }
        return true;
    }

    /**
     * The IPv6 end of {@link #emit}: the segment as one plain packet (no offloads over IPv6 yet: TSO6 is not
     * negotiated), its checksum over the IPv6 pseudo-header (RFC 8200 §8.1).
     */
    private boolean emit6(final TcpConnection c, final TcpRepr r, final int seq, final int len,
        final int headerLength, final int flags)
    {
        final Ipv6Sender sender = protocol.ipv6Sender();
        final int total = headerLength + len;
        final MutableDirectBuffer buffer = sender == null ? null
            : sender.claim(c.localHi, c.localLo, c.remoteHi, c.remoteLo, TcpProtocol.PROTOCOL, total);
        if (buffer == null)
        {
            protocol.onRefusal(c, sender == null ? Ipv4Sender.Refusal.NO_ROUTE : sender.lastRefusal());
            return false;
        }
        final int offset = sender.payloadOffset();
        if (len > 0)
        {
            c.snd.copyOut(seq, buffer, offset + headerLength, len);
        }
        r.emit(view, buffer, offset, total, c.addressSum, false);
        sender.commit();
        emittedLength = len;
        emittedFlags = r.flags;
        c.counters.segmentsOut++;
        if ((flags & TcpPacketFlags.ACK) != 0)
        {
            c.rcv.onAckSent();
        }
        return true;
    }

    /** As {@link #emitBare} over IPv6, from {@code localHi, localLo}. */
    boolean emitBare6(
        final Ipv6Sender sender, final long localHi, final long localLo, final long remoteHi, final long remoteLo,
        final int localPort, final int remotePort, final int seq, final int ack, final int flags)
    {
        final TcpRepr r = bare(localPort, remotePort, seq, ack, flags);
        final int total = r.headerLength();
        final MutableDirectBuffer buffer = sender == null ? null
            : sender.claim(localHi, localLo, remoteHi, remoteLo, TcpProtocol.PROTOCOL, total);
        if (buffer == null)
        {
            return false;
        }
        r.emit(view, buffer, sender.payloadOffset(), total,
            Checksum.ipv6AddressSum(localHi, localLo, remoteHi, remoteLo), false);
        sender.commit();
        return true;
    }

    /** A segment outside any connection (RST replies): no options, window 0. */
    boolean emitBare(
        final Ipv4Sender sender, final int remoteAddr, final int localPort, final int remotePort, final int seq,
        final int ack, final int flags)
    {
        final TcpRepr r = bare(localPort, remotePort, seq, ack, flags);
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

    /** The header of a segment outside any connection: no options, window 0. */
    private TcpRepr bare(final int localPort, final int remotePort, final int seq, final int ack, final int flags)
    {
        final TcpRepr r = repr.clear();
        r.srcPort = localPort;
        r.dstPort = remotePort;
        r.seq = seq;
        r.ack = ack;
        r.flags = flags;
        return r;
    }
}
