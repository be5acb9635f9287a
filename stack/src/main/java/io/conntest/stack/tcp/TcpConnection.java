package io.conntest.stack.tcp;

import io.conntest.stack.wire.Checksum;

import io.conntest.stack.tcp.rtt.RttEstimator;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.time.Deadline;

import static io.conntest.stack.time.Deadline.NEVER;

/**
 * One transmission control block (RFC 9293 §3.3.1): the 4-tuple, the state, the negotiated options, the timers
 * and the user-level operations (open, close, abort). Sending lives in {@link TcpSender}, receiving in
 * {@link TcpReceiver}, segment arrival in {@link TcpInput}, segment emission in {@link TcpOutput}.
 */
final class TcpConnection
{
    static final int EV_CONNECTED = 1;
    static final int EV_READABLE = 2;
    static final int EV_WRITABLE = 4;
    static final int EV_CLOSED = 8;
    static final int EV_ERROR = 16;
    static final int EV_URGENT = 32;

    final TcpProtocol protocol;
    final TcpConfig config;
    final TcpSocket socket;
    final TcpSender snd;
    final TcpReceiver rcv;

    /**
     * IPv4: the addresses. IPv6 ({@link #ipv6}): 32-bit keyed digests of the addresses in {@link #localHi} ..
     * {@link #remoteLo}, so the keyed hashes (ephemeral port, ISN, timestamp offset) and the table key are computed
     * the same way for both families; the table lookup then checks the full addresses.
     */
    int localAddr;
    int localPort;
    int remoteAddr;
    int remotePort;
    long key;
    /** Whether the connection runs over IPv6 (RFC 8200), its addresses in the four longs below. */
    boolean ipv6;
    long localHi;
    long localLo;
    long remoteHi;
    long remoteLo;
    /** IPv6: the pseudo-header's address sum (RFC 8200 §8.1), computed once at {@link #setTuple6}. */
    long addressSum;
    /** IPv6: who sent the last ICMPv6 error taken for this connection (both 0: none). */
    long icmpv6ErrorFromHi;
    long icmpv6ErrorFromLo;
    /** Listed in the protocol's connection table. */
    boolean registered;

    TcpState state = TcpState.CLOSED;
    /** The listener this connection came from while it waits in SYN-RECEIVED or the accept queue. */
    TcpListener listener;
    boolean accepted;
    boolean inAcceptQueue;
    /** The user called close(): no more reads, arriving data is discarded. */
    boolean userClosed;
    TcpError error = TcpError.NONE;
    /** Last soft error (ICMP unreachable) reported as the reason when the connect times out (RFC 1122 §4.2.3.9). */
    TcpError softError = TcpError.NONE;
    /** Who sent the last ICMP error taken for this connection (0: none), so its failure can say where. */
    int icmpErrorFrom;
    /** TTL and TOS byte of the last segment received on this connection, -1 before one. */
    int lastTtl = -1;
    int lastTos = -1;
    int events;
    boolean queuedForEvents;

    int iss;
    int irs;

    // Options negotiated on the SYN exchange (RFC 7323, RFC 2018, RFC 6691).
    boolean tsEnabled;
    boolean sackEnabled;
    int tsRecent;
    long tsRecentNs;
    int tsOffset;
    boolean wantTimestamps;
    boolean wantSack;
    boolean wantWindowScale;
    boolean peerOfferedWindowScale;

    // Control output waiting for the next dispatch.
    boolean synToSend;
    boolean probeToSend;
    /** Something changed that may let the output path send (a write, an ACK, a timer): dispatch it. */
    boolean needsDispatch;

    long connectDeadlineNs = NEVER;
    long connectTimeoutOverrideNs = -1;
    int keepAliveOverride = -1;
    long timeWaitDeadlineNs = NEVER;
    /** For a connection closed by the user, how long FIN-WAIT-2 may last (an orphan must not stay forever). */
    long finWait2DeadlineNs = NEVER;
    long keepAliveDeadlineNs = NEVER;
    int keepAliveProbesSent;
    int synRetransmits;
    long lastSegmentInNs;
    /** RFC 5961 §7 per-connection challenge-ACK budget: the current window, its number and what is left of it. */
    boolean challengeWindowOpen;
    long challengeWindowStartNs;
    int challengeWindows;
    int challengeAcksLeft;

    final TcpStats counters = new TcpStats();

    TcpConnection(final TcpProtocol protocol, final TcpConfig config)
    {
        this.protocol = protocol;
        this.config = config;
        this.rcv = new TcpReceiver(this);
        this.snd = new TcpSender(this, new RttEstimator(
            config.minRtoNs, config.maxRtoNs, config.initialRtoNs, RttEstimator.DEFAULT_GRANULARITY_NS));
        this.socket = new TcpSocket(this);
        this.wantTimestamps = config.timestamps;
        this.wantSack = config.sack;
        this.wantWindowScale = config.windowScaling;
        this.snd.setNoDelay(config.noDelay);
    }

    void setTuple(final int localAddr, final int localPort, final int remoteAddr, final int remotePort)
    {
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.remoteAddr = remoteAddr;
        this.remotePort = remotePort;
        this.key = TcpProtocol.key(remoteAddr, remotePort, localPort);
    }

    /** As {@link #setTuple} for IPv6: {@code localDigest} and {@code remoteDigest} from the protocol's keyed hash. */
    void setTuple6(final long localHi, final long localLo, final int localDigest, final int localPort,
        final long remoteHi, final long remoteLo, final int remoteDigest, final int remotePort)
    {
        setTuple(localDigest, localPort, remoteDigest, remotePort);
        this.ipv6 = true;
        this.localHi = localHi;
        this.localLo = localLo;
        this.remoteHi = remoteHi;
        this.remoteLo = remoteLo;
        this.addressSum = Checksum.ipv6AddressSum(localHi, localLo, remoteHi, remoteLo);
    }

    /** IP and TCP headers without options: 40 bytes over IPv4, 60 over IPv6 (RFC 6691 §2, RFC 8200 §3). */
    int ipAndTcpHeaders()
    {
        return ipv6 ? TcpOptionsNegotiation.IPV6_TCP_HEADERS : TcpOptionsNegotiation.IPV4_TCP_HEADERS;
    }

    /** Our TSval: a millisecond clock plus a per-connection offset (RFC 7323 §5.4). */
    int tsNow(final long nowNs)
    {
        return (int)(nowNs / 1_000_000L) + tsOffset;
    }

    /** The connect timeout runs from the first SYN on the wire. */
    void startConnectTimer(final long nowNs)
    {
        connectDeadlineNs = nowNs + (connectTimeoutOverrideNs >= 0 ? connectTimeoutOverrideNs : config.connectTimeoutNs);
    }

    void setState(final TcpState newState)
    {
        state = newState;
    }

    void raise(final int event)
    {
        events |= event;
        protocol.markEvents(this);
    }

    // ---- user calls (RFC 9293 §3.10.1 - §3.10.6) -------------------------------------------------------

    /** RFC 9293 §3.10.1 OPEN, active: SYN-SENT; the SYN leaves on the next dispatch. */
    void openActive(final long nowNs)
    {
        iss = protocol.initialSequenceNumber(this, nowNs);
        tsOffset = protocol.timestampOffset(this);
        snd.init(iss);
        synToSend = true;
        setState(TcpState.SYN_SENT);
    }

    /** RFC 9293 §3.10.4 CLOSE (and shutdown of the sending side when {@code fullClose} is false). */
    void close(final boolean fullClose, final long nowNs)
    {
        if (fullClose)
        {
            userClosed = true;
            // RFC 2525 §2.17: closing with unread data resets instead of pretending an orderly close.
            if (rcv.readable() > 0 && state.isSynchronized())
            {
                abort(nowNs);
                return;
            }
        }
        switch (state)
        {
            case SYN_SENT:
            case CLOSED:
            case LISTEN:
                terminate(TcpError.NONE);
                break;
            case SYN_RECEIVED:
            case ESTABLISHED:
                snd.queueFin();
                setState(TcpState.FIN_WAIT_1);
                break;
            case CLOSE_WAIT:
                snd.queueFin();
                setState(TcpState.LAST_ACK);
                break;
            default:
                // FIN already queued (RFC 9293 §3.10.4: "error: connection closing").
                break;
        }
    }

    /** RFC 9293 §3.10.5 ABORT: a RST in synchronized states, then CLOSED. */
    void abort(final long nowNs)
    {
        if (state == TcpState.SYN_RECEIVED || state.isSynchronized() && state != TcpState.TIME_WAIT)
        {
            protocol.queueReset(this, snd.nxt(), 0, TcpPacketFlags.RST);
        }
        terminate(TcpError.NONE);
    }

    /** Enters CLOSED: reports the error if any, wakes the user, and leaves the table on the next sweep. */
    void terminate(final TcpError reason)
    {
        if (state == TcpState.CLOSED && !registered)
        {
            return;
        }
        final boolean wasOpenToUser = state != TcpState.CLOSED;
        setState(TcpState.CLOSED);
        if (reason != TcpError.NONE && error == TcpError.NONE)
        {
            error = reason;
            raise(EV_ERROR);
        }
        if (wasOpenToUser)
        {
            raise(EV_CLOSED | EV_READABLE);
        }
        snd.stopTimers();
        rcv.stopDelayedAck();
        connectDeadlineNs = NEVER;
        keepAliveDeadlineNs = NEVER;
        timeWaitDeadlineNs = NEVER;
        finWait2DeadlineNs = NEVER;
        if (listener != null && !accepted)
        {
            listener.onChildClosed(this);
        }
        protocol.markClosed(this);
    }

    /** RFC 9293 §3.10.7.4: TIME-WAIT for 2 MSL, restarted by a retransmitted FIN. */
    void enterTimeWait(final long nowNs)
    {
        setState(TcpState.TIME_WAIT);
        snd.stopTimers();
        keepAliveDeadlineNs = NEVER;
        timeWaitDeadlineNs = nowNs + 2 * config.mslNs;
        finWait2DeadlineNs = NEVER;
        raise(EV_CLOSED | EV_READABLE);
    }

    /** Moves to ESTABLISHED after the handshake (RFC 9293 §3.10.7.3 / §3.10.7.4 SYN-RECEIVED). */
    void onEstablished(final long nowNs)
    {
        setState(TcpState.ESTABLISHED);
        connectDeadlineNs = NEVER;
        snd.onEstablished(nowNs);
        rcv.onEstablished();
        scheduleKeepAlive(nowNs);
        if (listener != null)
        {
            listener.onChildEstablished(this);
        }
        else
        {
            raise(EV_CONNECTED | EV_WRITABLE);
        }
    }

    void scheduleKeepAlive(final long nowNs)
    {
        keepAliveProbesSent = 0;
        keepAliveDeadlineNs = (keepAliveOverride >= 0 ? keepAliveOverride == 1 : config.keepAlive) && state == TcpState.ESTABLISHED ? nowNs + config.keepAliveIdleNs : NEVER;
    }

    // ---- timers ---------------------------------------------------------------------------------------

    long nextDeadlineNs()
    {
        long d = Deadline.earliest(snd.nextDeadlineNs(), rcv.delayedAckDeadlineNs());
        d = Deadline.earliest(d, connectDeadlineNs);
        d = Deadline.earliest(d, Deadline.earliest(timeWaitDeadlineNs, finWait2DeadlineNs));
        return Deadline.earliest(d, keepAliveDeadlineNs);
    }

    boolean hasOutput()
    {
        return needsDispatch || synToSend || rcv.ackNow() || probeToSend;
    }

    /** Runs the timers that are due (RFC 9293 §3.8; RFC 6298 §5; RFC 1122 §4.2.3.6). */
    void onTimers(final long nowNs)
    {
        needsDispatch = true;
        if (Deadline.isDue(finWait2DeadlineNs, nowNs))
        {
            finWait2DeadlineNs = NEVER;
            terminate(TcpError.NONE);
            return;
        }
        if (Deadline.isDue(timeWaitDeadlineNs, nowNs))
        {
            timeWaitDeadlineNs = NEVER;
            terminate(TcpError.NONE);
            return;
        }
        if (Deadline.isDue(connectDeadlineNs, nowNs))
        {
            connectDeadlineNs = NEVER;
            fail(softError != TcpError.NONE ? softError : TcpError.TIMEOUT);
            return;
        }
        snd.onTimers(nowNs);
        if (state == TcpState.CLOSED)
        {
            return;
        }
        rcv.onTimers(nowNs);
        if (Deadline.isDue(keepAliveDeadlineNs, nowNs))
        {
            if (keepAliveProbesSent >= config.keepAliveProbes)
            {
                fail(TcpError.TIMEOUT);
                return;
            }
            keepAliveProbesSent++;
            probeToSend = true;
            keepAliveDeadlineNs = nowNs + config.keepAliveIntervalNs;
        }
    }

    /** A fatal error: RST to the peer when synchronized, then CLOSED with the error. */
    void fail(final TcpError reason)
    {
        if (state.isSynchronized() && state != TcpState.TIME_WAIT || state == TcpState.SYN_RECEIVED)
        {
            protocol.queueReset(this, snd.nxt(), 0, TcpPacketFlags.RST);
        }
        terminate(reason);
    }

    boolean isSeqAcceptable(final int seq)
    {
        return SeqNum.inRange(seq, rcv.nxt(), rcv.nxt() + Math.max(1, rcv.window()));
    }

    void fillStats(final TcpStats into)
    {
        into.state = state;
        into.bytesIn = counters.bytesIn;
        into.bytesOut = counters.bytesOut;
        into.segmentsIn = counters.segmentsIn;
        into.segmentsOut = counters.segmentsOut;
        into.superSegmentsOut = counters.superSegmentsOut;
        into.superSegmentsIn = counters.superSegmentsIn;
        into.retransmissions = counters.retransmissions;
        into.rtoExpirations = counters.rtoExpirations;
        into.fastRetransmits = counters.fastRetransmits;
        into.duplicateSegmentsIn = counters.duplicateSegmentsIn;
        into.outOfOrderSegmentsIn = counters.outOfOrderSegmentsIn;
        into.srttNs = snd.rtt().srttNs();
        into.rttvarNs = snd.rtt().rttvarNs();
        into.rtoNs = snd.rtt().rtoNs();
        into.cwnd = snd.cwnd();
        into.ssthresh = snd.ssthresh();
        into.receiveWindow = rcv.window();
        into.sendWindow = snd.wnd() & 0xFFFF_FFFFL;
        into.mss = snd.mss();
    }
}
