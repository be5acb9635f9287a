package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;

/**
 * One reliable-UDP peer: TCP-like delivery of messages over datagrams (see {@code docs/reliable-udp.md}).
 * Single-threaded and clock-driven; it does no I/O: feed it received datagrams with {@link #onDatagram}, call
 * {@link #poll} when {@link #pollAtNs()} is due (and after {@link #offer}), and send what it hands the sink.
 * Nothing is allocated per datagram after construction.
 *
 * <p>A client channel starts the handshake on its first poll; {@link #offer} queues messages until it completes. A
 * server channel is created by the caller for a new peer address and given that peer's first datagram (a
 * HANDSHAKE_INIT). Until the client echoes the server's token, the server sends at most
 * {@code amplificationFactor} times the bytes it received from it (RFC 9000 &sect;8.1).
 */
public final class ReliableUdpChannel
{
    /** {@link #onDatagram} result: the datagram was malformed (counted in {@link ReliableUdpStats#malformed()}). */
    public static final int MALFORMED = -1;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MAX_RTT_SAMPLE_NS = 60_000_000_000L;
    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;
    private static final int CLOSED = 3;

    private final ReliableUdpConfig config;
    private final Role role;
    private final ReliableUdpStats stats = new ReliableUdpStats();
    private final RudpHeader rx = new RudpHeader();
    private final RudpHeader tx = new RudpHeader();
    private final HandshakeBody handshake = new HandshakeBody();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[RudpHeader.MAX_DATAGRAM]);
    private final SendBuffer send;
    private final ReceiveBuffer receive;
    private final RttEstimator rtt;
    private final CongestionControl cc;

    private int state = CONNECTING;
    private CloseReason closeReason = CloseReason.NONE;
    /** Client: our nonce. Server: the nonce of the client's INIT. */
    private long nonce;
    /** Server: the token we issued. Client: the token the server gave us (0 until then). */
    private long token;
    private boolean peerValidated;
    private boolean peerRestarted;
    private long peerRecvPackets;
    private long peerRecvBytes;

    private long handshakeDueNs;
    private long handshakeRtoNs;
    private int handshakeAttempts;
    private boolean replyPending;

    private long ackDueNs = Long.MAX_VALUE;
    private int ackPendingCount;
    private int tsRecent;
    private boolean tsRecentValid;

    private long rtoDeadlineNs = Long.MAX_VALUE;
    private int consecutiveTimeouts;
    private long recoveryPoint = -1;

    private long lastReceiveNs;
    private long lastSendNs;
    private long lastNowNs;

    private long ampReceivedBytes;
    private long ampSentBytes;
    private boolean ampBlocked;

    public ReliableUdpChannel(final ReliableUdpConfig config, final Role role, final long nowNs)
    {
        this.config = config;
        this.role = role;
        this.send = new SendBuffer(config.sendWindowPackets(), config.sendWindowBytes());
        this.receive = new ReceiveBuffer(config.recvWindowPackets(), config.recvWindowBytes());
        this.rtt = new RttEstimator(config.initialRtoNs(), config.minRtoNs(), config.maxRtoNs());
        this.cc = new CongestionControl(config.initialCwndPackets(), config.sendWindowPackets());
        this.lastReceiveNs = nowNs;
        this.lastSendNs = nowNs;
        this.lastNowNs = nowNs;
        this.handshakeDueNs = role == Role.CLIENT ? nowNs : Long.MAX_VALUE;
        this.handshakeRtoNs = config.initialRtoNs();
        this.peerValidated = role == Role.CLIENT;
        this.nonce = role == Role.CLIENT ? RANDOM.nextLong() : 0;
        this.token = role == Role.SERVER ? RANDOM.nextLong() | 1L : 0; // never 0: 0 means "no token" on the wire
        updateStats();
    }

    /** Largest message that fits one datagram: 65,507 (UDP over IPv4) minus this layer's 36-byte header. */
    public static int maxMessageLength()
    {
        return RudpHeader.MAX_MESSAGE;
    }

    /**
     * Queues one message (copied into the send buffer). Allowed before the handshake completes.
     *
     * @return false when the send window (messages or bytes) is full or the channel is closing/closed: offer it
     *         again after acknowledgements arrive (backpressure).
     * @throws IllegalArgumentException when {@code length} is negative or exceeds {@link #maxMessageLength()}.
     */
    public boolean offer(final DirectBuffer src, final int offset, final int length, final long nowNs)
    {
        if (length < 0 || length > RudpHeader.MAX_MESSAGE)
        {
            throw new IllegalArgumentException("message length " + length + " not in [0, " + RudpHeader.MAX_MESSAGE + "]");
        }
        return state < CLOSING && send.offer(src, offset, length);
    }

    /** Whether {@link #offer} would accept a message of this length now. */
    public boolean canOffer(final int length)
    {
        return state < CLOSING && send.end - send.una < send.windowPackets &&
            send.endOffset + length - send.unaOffset() <= send.windowBytes;
    }

    /**
     * Processes one received datagram, delivering every message it completes, in order, to {@code handler}.
     *
     * @return the number of messages delivered (0 for ACKs, duplicates, handshakes...), or {@link #MALFORMED}
     *         (counted and dropped; nothing else changes).
     */
    public int onDatagram(
        final DirectBuffer buf, final int offset, final int length, final long nowNs, final MessageHandler handler)
    {
        lastNowNs = nowNs;
        if (rx.wrap(buf, offset, length).validate() != RudpHeader.OK)
        {
            stats.malformed++;
            return MALFORMED;
        }
        final int type = rx.type();
        final int result;
        if (state == CLOSED)
        {
            stats.dropped++;
            result = 0;
        }
        else if (type == RudpHeader.TYPE_HANDSHAKE_INIT)
        {
            result = onHandshakeInit(length, nowNs);
        }
        else if (type == RudpHeader.TYPE_HANDSHAKE_REPLY)
        {
            result = onHandshakeReply(nowNs);
        }
        else
        {
            result = onEstablished(type, length, nowNs, handler);
        }
        updateStats();
        return result;
    }

    private int onHandshakeInit(final int length, final long nowNs)
    {
        handshake.wrap(rx.buffer(), rx.payloadOffset(), rx.payloadLength());
        if (role != Role.SERVER || rx.token() != 0 || !handshake.isValid())
        {
            return malformed();
        }
        if (state == CONNECTING)
        {
            if (!acceptPeerWindow())
            {
                return malformed();
            }
            nonce = handshake.nonce();
            state = OPEN;
        }
        else if (handshake.nonce() != nonce)
        {
            // RFC 9000 would treat this as a new connection: a restarted client on the same address. The caller
            // sees peerRestarted() and replaces this channel.
            peerRestarted = true;
            stats.dropped++;
            return 0;
        }
        onValidDatagram(length, nowNs);
        tsRecent = rx.tsVal();
        tsRecentValid = true;
        replyPending = true; // also re-sent for a retried INIT: our reply was lost
        return 0;
    }

    private int onHandshakeReply(final long nowNs)
    {
        handshake.wrap(rx.buffer(), rx.payloadOffset(), rx.payloadLength());
        if (role != Role.CLIENT || rx.token() == 0 || !handshake.isValid())
        {
            return malformed();
        }
        if (handshake.nonce() != nonce)
        {
            stats.dropped++; // not the answer to our INIT (stale, or meant for an earlier instance)
            return 0;
        }
        if (state == CONNECTING)
        {
            if (!acceptPeerWindow())
            {
                return malformed();
            }
            token = rx.token();
            state = OPEN;
            handshakeDueNs = Long.MAX_VALUE;
            consecutiveTimeouts = 0;
            sampleRtt(nowNs);
        }
        else if (rx.token() != token)
        {
            return malformed();
        }
        onValidDatagram(rx.payloadLength() + RudpHeader.LENGTH, nowNs);
        tsRecent = rx.tsVal();
        tsRecentValid = true;
        ackDueNs = nowNs; // echo the token at once: it lifts the server's amplification limit
        return 0;
    }

    private int onEstablished(final int type, final int length, final long nowNs, final MessageHandler handler)
    {
        if (state == CONNECTING)
        {
            stats.dropped++; // client: the server's reply was lost, its data will be retransmitted; server: no INIT yet
            return 0;
        }
        if (rx.token() != token)
        {
            return malformed();
        }
        // RFC 5961-like sanity: an acknowledgement of something never sent is not from our peer's state machine.
        final long ack = send.una + ((int)rx.ack() - (int)send.una);
        if (ack > send.nxt)
        {
            return malformed();
        }
        peerValidated = true; // the token came back: the address is proven (RFC 9000 §8.1)
        onValidDatagram(length, nowNs);
        processAck(ack, nowNs);
        if (type == RudpHeader.TYPE_DATA)
        {
            return processData(nowNs, handler);
        }
        if (type == RudpHeader.TYPE_ACK)
        {
            stats.acksReceived++;
            if (ackPendingCount == 0)
            {
                updateTsRecent(rx.tsVal());
            }
        }
        else
        {
            state = CLOSED;
            closeReason = CloseReason.PEER_CLOSED;
        }
        return 0;
    }

    private void onValidDatagram(final int length, final long nowNs)
    {
        stats.datagramsReceived++;
        lastReceiveNs = nowNs;
        if (!peerValidated)
        {
            ampReceivedBytes += length;
            ampBlocked = false;
        }
    }

    private boolean acceptPeerWindow()
    {
        final long packets = handshake.recvWindowPackets();
        final long bytes = handshake.recvWindowBytes();
        if (packets < 1 || bytes < RudpHeader.MAX_MESSAGE)
        {
            return false;
        }
        peerRecvPackets = Math.min(packets, 1 << 20);
        peerRecvBytes = Math.min(bytes, 1 << 30);
        return true;
    }

    private int malformed()
    {
        stats.malformed++;
        return MALFORMED;
    }

    private void processAck(final long ack, final long nowNs)
    {
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
        final int blocks = rx.sackCount();
        int sacked = 0;
        for (int b = 0; b < blocks; b++)
        {
            final long start = send.una + ((int)rx.sackStart(b) - (int)send.una);
            final long end = send.una + ((int)rx.sackEnd(b) - (int)send.una);
            if (start < end)
            {
                sacked += send.selectiveAck(start, end);
            }
        }
        newly += sacked;
        if (sacked > 0 && send.detectLosses() > 0)
        {
            stats.fastRetransmits++;
            if (recoveryPoint < 0)
            {
                recoveryPoint = send.nxt; // one window reduction per recovery episode (RFC 6675 §5)
                cc.onLoss();
            }
        }
        if (newly > 0)
        {
            cc.onAcked(newly);
        }
        if (advanced)
        {
            sampleRtt(nowNs);
        }
    }

    /** RTT from the echoed timestamp (RFC 7323 &sect;4.1), valid for retransmissions too (no Karn ambiguity). */
    private void sampleRtt(final long nowNs)
    {
        if ((rx.flags() & RudpHeader.FLAG_TS_ECR) != 0)
        {
            final long sampleNs = ((micros(nowNs) - rx.tsEcr()) & 0xFFFF_FFFFL) * 1_000L;
            if (sampleNs < MAX_RTT_SAMPLE_NS)
            {
                rtt.onSample(sampleNs);
            }
        }
    }

    private int processData(final long nowNs, final MessageHandler handler)
    {
        final long seq = receive.next + ((int)rx.seq() - (int)receive.next);
        final long offset = receive.deliveredOffset + ((int)rx.streamOffset() - (int)receive.deliveredOffset);
        final int length = rx.payloadLength();
        final int verdict = receive.classify(seq, offset, length);
        if (verdict == ReceiveBuffer.DUPLICATE || verdict == ReceiveBuffer.OUT_OF_WINDOW)
        {
            if (verdict == ReceiveBuffer.DUPLICATE)
            {
                stats.duplicate++;
                updateTsRecent(rx.tsVal()); // a retransmission: its timestamp is the one the sender can use
            }
            else
            {
                stats.dropped++;
            }
            ackDueNs = nowNs; // our earlier ack may have been lost: re-acknowledge at once
            return 0;
        }
        if (seq < receive.highest)
        {
            stats.outOfOrder++;
        }
        final boolean hadGap = receive.hasGap();
        if (verdict == ReceiveBuffer.BUFFERED)
        {
            receive.store(seq, offset, rx.buffer(), rx.payloadOffset(), length);
            ackDueNs = nowNs; // a gap: tell the sender at once (RFC 5681 §4.2)
            return 0;
        }
        if (ackPendingCount == 0 || hadGap)
        {
            updateTsRecent(rx.tsVal()); // RFC 7323 §4.3: echo the oldest unacknowledged in-order timestamp
        }
        receive.onDeliveredInOrder(offset, length);
        stats.messagesReceived++;
        stats.bytesReceived += length;
        handler.onMessage(rx.buffer(), rx.payloadOffset(), length);
        final int delivered = 1 + receive.drain(handler, stats);
        if (hadGap)
        {
            ackDueNs = nowNs; // a gap filled: acknowledge at once
        }
        else if (++ackPendingCount >= config.ackEveryPackets())
        {
            ackDueNs = nowNs;
        }
        else if (ackDueNs == Long.MAX_VALUE)
        {
            ackDueNs = nowNs + config.ackDelayNs();
        }
        return delivered;
    }

    /**
     * Sends what is due: the handshake, a CLOSE, retransmissions, new messages within the windows, an ACK. Stops at
     * the first datagram the sink refuses (it is rebuilt on the next poll) or that the amplification limit holds
     * back.
     */
    public void poll(final long nowNs, final DatagramSink sink)
    {
        lastNowNs = nowNs;
        if (state == CLOSED)
        {
            return;
        }
        if (state == CONNECTING)
        {
            if (role == Role.CLIENT && nowNs >= handshakeDueNs)
            {
                pollHandshake(nowNs, sink);
            }
            updateStats();
            return;
        }
        if (state == CLOSING)
        {
            if (emitControl(RudpHeader.TYPE_CLOSE, nowNs, sink))
            {
                state = CLOSED;
            }
            updateStats();
            return;
        }
        checkRetransmissionTimer(nowNs);
        if (state == OPEN && pollData(nowNs, sink))
        {
            final boolean keepAliveDue = config.keepAliveNs() > 0 && nowNs - lastSendNs >= config.keepAliveNs();
            if (nowNs >= ackDueNs || keepAliveDue)
            {
                emitControl(RudpHeader.TYPE_ACK, nowNs, sink);
            }
        }
        updateStats();
    }

    private void pollHandshake(final long nowNs, final DatagramSink sink)
    {
        if (handshakeAttempts > config.maxRetransmissions())
        {
            die();
            return;
        }
        if (emitHandshake(RudpHeader.TYPE_HANDSHAKE_INIT, nowNs, sink))
        {
            if (handshakeAttempts > 0)
            {
                stats.timeouts++;
            }
            handshakeAttempts++;
            handshakeDueNs = nowNs + handshakeRtoNs;
            handshakeRtoNs = Math.min(config.maxRtoNs(), handshakeRtoNs * 2);
        }
    }

    private void checkRetransmissionTimer(final long nowNs)
    {
        if (nowNs < rtoDeadlineNs)
        {
            return;
        }
        rtoDeadlineNs = Long.MAX_VALUE;
        if (!send.hasUnsackedInFlight())
        {
            return;
        }
        // RFC 6298 §5.4-5.7: back off, retransmit from the oldest unacknowledged message, collapse the window
        if (++consecutiveTimeouts > config.maxRetransmissions())
        {
            die();
            return;
        }
        stats.timeouts++;
        rtt.backoff();
        final int flight = send.pipe;
        send.markAllLost();
        cc.onTimeout(flight);
        recoveryPoint = send.nxt;
    }

    /** @return false when the sink or the amplification limit stopped it. */
    private boolean pollData(final long nowNs, final DatagramSink sink)
    {
        if (replyPending)
        {
            if (!emitHandshake(RudpHeader.TYPE_HANDSHAKE_REPLY, nowNs, sink))
            {
                return false;
            }
            replyPending = false;
        }
        while (send.lostPending > 0 && send.pipe < cc.cwnd())
        {
            final long seq = send.nextLost();
            if (!emitData(seq, nowNs, sink))
            {
                return false;
            }
            stats.retransmitted++;
            if (send.txCount(seq) == 2)
            {
                stats.lost++;
            }
        }
        while (send.pipe < cc.cwnd() && send.nextFits(peerRecvPackets, peerRecvBytes))
        {
            final long seq = send.nxt;
            if (!emitData(seq, nowNs, sink))
            {
                return false;
            }
            stats.messagesSent++;
            stats.bytesSent += send.length(seq);
        }
        return true;
    }

    private boolean emitHandshake(final int type, final long nowNs, final DatagramSink sink)
    {
        final int bodyLength = type == RudpHeader.TYPE_HANDSHAKE_INIT ?
            Math.max(HandshakeBody.LENGTH, config.handshakePaddingBytes() - RudpHeader.LENGTH) : HandshakeBody.LENGTH;
        final boolean echo = type == RudpHeader.TYPE_HANDSHAKE_REPLY && tsRecentValid;
        tx.wrapForWrite(scratch, 0).header(type, echo ? RudpHeader.FLAG_TS_ECR : 0, 0, bodyLength,
            type == RudpHeader.TYPE_HANDSHAKE_INIT ? 0 : token, (int)send.nxt, (int)receive.next, micros(nowNs),
            echo ? tsRecent : 0, 0);
        HandshakeBody.write(scratch, RudpHeader.LENGTH, nonce, config.recvWindowPackets(), config.recvWindowBytes(),
            bodyLength);
        return transmit(RudpHeader.datagramLength(0, bodyLength), nowNs, sink);
    }

    private boolean emitData(final long seq, final long nowNs, final DatagramSink sink)
    {
        final int length = send.length(seq);
        final long streamOffset = send.streamOffset(seq);
        tx.wrapForWrite(scratch, 0).header(RudpHeader.TYPE_DATA, tsRecentValid ? RudpHeader.FLAG_TS_ECR : 0, 0,
            length, token, (int)seq, (int)receive.next, micros(nowNs), tsRecent, (int)streamOffset);
        scratch.putBytes(RudpHeader.LENGTH, send.storage, send.position(streamOffset), length);
        if (!transmit(RudpHeader.datagramLength(0, length), nowNs, sink))
        {
            return false;
        }
        send.onSent(seq, nowNs);
        if (rtoDeadlineNs == Long.MAX_VALUE)
        {
            rtoDeadlineNs = nowNs + rtt.rtoNs(); // RFC 6298 §5.1
        }
        if (!receive.hasGap())
        {
            clearAckPending(); // the cumulative ack rode along; SACK information still needs an ACK
        }
        return true;
    }

    /** ACK (with SACK blocks) or CLOSE. */
    private boolean emitControl(final int type, final long nowNs, final DatagramSink sink)
    {
        final int blocks = type == RudpHeader.TYPE_ACK ? receive.computeSackBlocks() : 0;
        tx.wrapForWrite(scratch, 0).header(type, tsRecentValid ? RudpHeader.FLAG_TS_ECR : 0, blocks, 0, token,
            (int)send.nxt, (int)receive.next, micros(nowNs), tsRecent, 0);
        for (int b = 0; b < blocks; b++)
        {
            tx.sackBlock(b, (int)receive.sackStart[b], (int)receive.sackEnd[b]);
        }
        if (!transmit(RudpHeader.datagramLength(blocks, 0), nowNs, sink))
        {
            return false;
        }
        if (type == RudpHeader.TYPE_ACK)
        {
            stats.acksSent++;
            clearAckPending();
        }
        return true;
    }

    /** RFC 7323 &sect;4.3: remember the peer's timestamp to echo, never moving it backwards. */
    private void updateTsRecent(final int tsVal)
    {
        if (!tsRecentValid || tsVal - tsRecent > 0)
        {
            tsRecent = tsVal;
            tsRecentValid = true;
        }
    }

    private void clearAckPending()
    {
        ackPendingCount = 0;
        ackDueNs = Long.MAX_VALUE;
    }

    private boolean transmit(final int length, final long nowNs, final DatagramSink sink)
    {
        if (!peerValidated)
        {
            // RFC 9000 §8.1: before the address is validated, send at most 3x what was received from it
            if (ampSentBytes + length > (long)config.amplificationFactor() * ampReceivedBytes)
            {
                if (!ampBlocked)
                {
                    ampBlocked = true;
                    stats.amplificationBlockedBytes += length;
                }
                return false;
            }
        }
        if (!sink.send(scratch, 0, length))
        {
            return false;
        }
        if (!peerValidated)
        {
            ampSentBytes += length;
        }
        stats.datagramsSent++;
        lastSendNs = nowNs;
        return true;
    }

    /** Next time {@link #poll} has something to do (possibly already past), or {@link Long#MAX_VALUE}. */
    public long pollAtNs()
    {
        if (state == CLOSED)
        {
            return Long.MAX_VALUE;
        }
        if (state == CLOSING)
        {
            return lastNowNs;
        }
        final long idleAt = lastReceiveNs + config.idleTimeoutNs();
        if (state == CONNECTING)
        {
            return Math.min(handshakeDueNs, idleAt > lastNowNs ? idleAt : Long.MAX_VALUE);
        }
        if (!ampBlocked && (replyPending || (send.lostPending > 0 && send.pipe < cc.cwnd()) ||
            (send.pipe < cc.cwnd() && send.nextFits(peerRecvPackets, peerRecvBytes))))
        {
            return lastNowNs;
        }
        // once the idle deadline has passed it is the caller's to act on (isIdleTimedOut), not a reason to spin
        long at = Math.min(idleAt > lastNowNs ? idleAt : Long.MAX_VALUE, Math.min(rtoDeadlineNs, ackDueNs));
        if (config.keepAliveNs() > 0)
        {
            at = Math.min(at, lastSendNs + config.keepAliveNs());
        }
        return at;
    }

    /** Starts a graceful close: one CLOSE datagram on the next poll, then closed. Unacknowledged data is dropped. */
    public void close(final long nowNs)
    {
        lastNowNs = nowNs;
        if (state == OPEN)
        {
            state = CLOSING;
        }
        else if (state == CONNECTING)
        {
            state = CLOSED;
        }
        if (closeReason == CloseReason.NONE)
        {
            closeReason = CloseReason.LOCAL;
        }
    }

    private void die()
    {
        state = CLOSED;
        closeReason = CloseReason.PEER_DEAD;
    }

    /** Handshake complete (client) or INIT received (server), and not closed. */
    public boolean isOpen()
    {
        return state == OPEN;
    }

    public boolean isClosed()
    {
        return state == CLOSED;
    }

    public CloseReason closeReason()
    {
        return closeReason;
    }

    /** Nothing valid received for {@code idleTimeoutNs} (since creation, before the first datagram). */
    public boolean isIdleTimedOut(final long nowNs)
    {
        return nowNs - lastReceiveNs >= config.idleTimeoutNs();
    }

    /** Server: the client echoed our token, so the amplification limit no longer applies. Client: always true. */
    public boolean isPeerValidated()
    {
        return peerValidated;
    }

    /**
     * Server: a HANDSHAKE_INIT with another nonce arrived after the handshake, i.e. the client restarted on the same
     * address. Its sequence numbers start again, so the caller should drop this channel and hand that datagram to a
     * new one.
     */
    public boolean isPeerRestarted()
    {
        return peerRestarted;
    }

    /** Every offered message has been acknowledged by the peer. */
    public boolean isSendIdle()
    {
        return send.allAcknowledged();
    }

    /** Messages offered and not yet acknowledged (queued plus in flight). */
    public int unacknowledgedMessages()
    {
        return (int)(send.end - send.una);
    }

    public ReliableUdpStats stats()
    {
        return stats;
    }

    public Role role()
    {
        return role;
    }

    public ReliableUdpConfig config()
    {
        return config;
    }

    private void updateStats()
    {
        stats.srttNs = rtt.srttNs();
        stats.rtoNs = rtt.rtoNs();
        stats.cwndPackets = cc.cwnd();
    }

    private static int micros(final long nowNs)
    {
        return (int)(nowNs / 1_000L);
    }

    @Override
    public String toString()
    {
        return "ReliableUdpChannel{" + role + ", state=" + state + ", una=" + send.una + ", nxt=" + send.nxt +
            ", end=" + send.end + ", rcvNext=" + receive.next + ", " + stats + "}";
    }
}
