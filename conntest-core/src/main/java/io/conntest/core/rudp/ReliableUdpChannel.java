package io.conntest.core.rudp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
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
    private final Sender sender;
    private final SendBuffer send;
    private final Receiver receiver;
    private final ReceiveBuffer receive;

    private int state = CONNECTING;
    private CloseReason closeReason = CloseReason.NONE;
    /** Client: our nonce. Server: the nonce of the client's INIT. */
    private long nonce;
    /** Server: the token we issued. Client: the token the server gave us (0 until then). */
    private long token;
    private final AmplificationGuard amplification;
    private boolean peerRestarted;
    private long peerRecvPackets;
    private long peerRecvBytes;

    private long handshakeDueNs;
    private long handshakeRtoNs;
    private int handshakeAttempts;
    private boolean replyPending;

    private long lastReceiveNs;
    private long lastSendNs;
    private long lastNowNs;

    public ReliableUdpChannel(final ReliableUdpConfig config, final Role role, final long nowNs)
    {
        this.config = config;
        this.role = role;
        this.sender = new Sender(config);
        this.send = sender.buffer;
        this.receiver = new Receiver(config);
        this.receive = receiver.buffer;
        this.lastReceiveNs = nowNs;
        this.lastSendNs = nowNs;
        this.lastNowNs = nowNs;
        this.handshakeDueNs = role == Role.CLIENT ? nowNs : Long.MAX_VALUE;
        this.handshakeRtoNs = config.initialRtoNs();
        this.amplification = new AmplificationGuard(config.amplificationFactor(), role == Role.CLIENT);
        this.nonce = role == Role.CLIENT ? RANDOM.nextLong() : 0;
        this.token = role == Role.SERVER ? RANDOM.nextLong() | 1L : 0; // never 0: 0 means "no token" on the wire
        updateStats();
    }

    /**
     * Test hook: as the public constructor, with both directions' sequence numbers and stream offsets starting at the
     * given values instead of 0 (both peers must use the same), to exercise 32-bit wrap-around.
     */
    ReliableUdpChannel(final ReliableUdpConfig config, final Role role, final long nowNs, final long initialSeq,
        final long initialOffset)
    {
        this(config, role, nowNs);
        send.start(initialSeq, initialOffset);
        receive.start(initialSeq, initialOffset);
    }

    /** The bytes this layer adds to a message in a DATA datagram (its header). */
    public static int headerLength()
    {
        return RudpHeader.LENGTH;
    }

    /** Largest message that fits one datagram: 65,507 (UDP over IPv4) minus this layer's 36-byte header. */
    public static int maxMessageLength()
    {
        return RudpHeader.MAX_MESSAGE;
    }

    /**
     * Whether a datagram is a well-formed HANDSHAKE_INIT: the only datagram for which a server should create a channel
     * for an unknown peer address (anything else from an unknown address is junk, or a client of an earlier server
     * instance: see {@link #writeStatelessClose}).
     */
    public static boolean isHandshakeInit(final DirectBuffer buf, final int offset, final int length)
    {
        return RudpHeader.validate(buf, offset, length) == RudpHeader.OK &&
            RudpHeader.typeOf(buf, offset) == RudpHeader.TYPE_HANDSHAKE_INIT && RudpHeader.tokenOf(buf, offset) == 0 &&
            RudpHeader.payloadLengthOf(buf, offset) >= HandshakeBody.LENGTH;
    }

    /**
     * For a server that has no channel for the sender of {@code received}: if it is a well-formed DATA or ACK, writes a
     * 36-byte CLOSE echoing its token into {@code out}, so a client of an earlier server instance learns at once that
     * its connection is gone (it closes with {@link CloseReason#PEER_CLOSED}) instead of timing out. Only a party that
     * saw the token can forge this, as with QUIC's stateless reset (RFC 9000 &sect;10.3); the answer is never larger
     * than what it answers, and is never sent in reply to a CLOSE, so two such servers cannot loop.
     *
     * @return the length to send, or -1 when nothing should be sent.
     */
    public static int writeStatelessClose(
        final DirectBuffer received, final int offset, final int length, final MutableDirectBuffer out,
        final int outOffset)
    {
        if (RudpHeader.validate(received, offset, length) != RudpHeader.OK)
        {
            return -1;
        }
        final int type = RudpHeader.typeOf(received, offset);
        final long token = RudpHeader.tokenOf(received, offset);
        if ((type != RudpHeader.TYPE_DATA && type != RudpHeader.TYPE_ACK) || token == 0)
        {
            return -1;
        }
        RudpHeader.writeClose(out, outOffset, token);
        return RudpHeader.LENGTH;
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
            throw new IllegalArgumentException(
                "message length " + length + " not in [0, " + RudpHeader.MAX_MESSAGE + "]");
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
        receiver.updateTsRecent(rx.tsVal());
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
            sender.sampleRtt(rx, nowNs);
        }
        else if (rx.token() != token)
        {
            return malformed();
        }
        onValidDatagram(rx.payloadLength() + RudpHeader.LENGTH, nowNs);
        receiver.updateTsRecent(rx.tsVal());
        receiver.ackNow(nowNs); // echo the token at once: it lifts the server's amplification limit
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
        if (type == RudpHeader.TYPE_CLOSE)
        {
            // its other fields are not read: a stateless CLOSE from a restarted server carries only the token
            stats.datagramsReceived++;
            lastReceiveNs = nowNs;
            state = CLOSED;
            closeReason = CloseReason.PEER_CLOSED;
            return 0;
        }
        final long ack = sender.unwrapAck(rx.ack());
        if (ack > sender.buffer.nxt)
        {
            return malformed(); // acknowledges something never sent: not our peer's state machine
        }
        amplification.onValidated(); // the token came back: the address is proven (RFC 9000 §8.1)
        onValidDatagram(length, nowNs);
        sender.onAck(ack, rx, nowNs, stats);
        if (type == RudpHeader.TYPE_DATA)
        {
            return receiver.onData(rx, nowNs, handler, stats);
        }
        stats.acksReceived++;
        receiver.onPeerAck(rx);
        return 0;
    }

    private void onValidDatagram(final int length, final long nowNs)
    {
        stats.datagramsReceived++;
        lastReceiveNs = nowNs;
        amplification.onReceived(length);
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
        if (!sender.onTimer(nowNs, stats))
        {
            die();
            updateStats();
            return;
        }
        if (state == OPEN && pollData(nowNs, sink))
        {
            final boolean keepAliveDue = config.keepAliveNs() > 0 && nowNs - lastSendNs >= config.keepAliveNs();
            if (nowNs >= receiver.ackDueNs || keepAliveDue)
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
        while (sender.canRetransmit())
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
        while (sender.canSendNew(peerRecvPackets, peerRecvBytes))
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
        final boolean echo = type == RudpHeader.TYPE_HANDSHAKE_REPLY && receiver.tsRecentValid;
        tx.wrapForWrite(scratch, 0).header(type, echo ? RudpHeader.FLAG_TS_ECR : 0, 0, bodyLength,
            type == RudpHeader.TYPE_HANDSHAKE_INIT ? 0 : token, (int)send.nxt, (int)receive.next, micros(nowNs),
            echo ? receiver.tsRecent : 0, 0);
        HandshakeBody.write(scratch, RudpHeader.LENGTH, nonce, config.recvWindowPackets(), config.recvWindowBytes(),
            bodyLength);
        return transmit(RudpHeader.datagramLength(0, bodyLength), nowNs, sink);
    }

    private boolean emitData(final long seq, final long nowNs, final DatagramSink sink)
    {
        final int length = send.length(seq);
        final long streamOffset = send.streamOffset(seq);
        tx.wrapForWrite(scratch, 0).header(RudpHeader.TYPE_DATA, echoFlag(), 0, length, token, (int)seq,
            (int)receive.next, micros(nowNs), receiver.tsRecent, (int)streamOffset);
        scratch.putBytes(RudpHeader.LENGTH, send.storage, send.position(streamOffset), length);
        if (!transmit(RudpHeader.datagramLength(0, length), nowNs, sink))
        {
            return false;
        }
        sender.onDataSent(seq, nowNs);
        if (!receive.hasGap())
        {
            receiver.onAckSent(); // the cumulative ack rode along; SACK information still needs an ACK
        }
        return true;
    }

    /** ACK (with SACK blocks) or CLOSE. */
    private boolean emitControl(final int type, final long nowNs, final DatagramSink sink)
    {
        final int blocks = type == RudpHeader.TYPE_ACK ? receive.computeSackBlocks() : 0;
        tx.wrapForWrite(scratch, 0).header(type, echoFlag(), blocks, 0, token, (int)send.nxt, (int)receive.next,
            micros(nowNs), receiver.tsRecent, 0);
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
            receiver.onAckSent();
        }
        return true;
    }

    private int echoFlag()
    {
        return receiver.tsRecentValid ? RudpHeader.FLAG_TS_ECR : 0;
    }

    private boolean transmit(final int length, final long nowNs, final DatagramSink sink)
    {
        if (!amplification.allows(length, stats) || !sink.send(scratch, 0, length))
        {
            return false;
        }
        amplification.onSent(length);
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
        // once the idle deadline has passed it is the caller's to act on (isIdleTimedOut), not a reason to spin
        final long idleAt = lastReceiveNs + config.idleTimeoutNs() > lastNowNs ?
            lastReceiveNs + config.idleTimeoutNs() : Long.MAX_VALUE;
        if (state == CONNECTING)
        {
            return Math.min(handshakeDueNs, idleAt);
        }
        if (amplification.isBlocked())
        {
            return idleAt; // nothing can go out before the peer sends more
        }
        if (replyPending || sender.canRetransmit() || sender.canSendNew(peerRecvPackets, peerRecvBytes))
        {
            return lastNowNs;
        }
        long at = Math.min(idleAt, Math.min(sender.nextDeadlineNs(), receiver.ackDueNs));
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
        return amplification.isValidated();
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
        stats.srttNs = sender.rtt.srttNs();
        stats.rtoNs = sender.rtt.rtoNs();
        stats.cwndPackets = sender.cc.cwnd();
    }

    static int micros(final long nowNs)
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
