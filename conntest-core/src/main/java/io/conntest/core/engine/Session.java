package io.conntest.core.engine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.conntest.core.protocol.BandwidthResultBody;
import io.conntest.core.protocol.CloseBody;
import io.conntest.core.protocol.DatagramFrameDecoder;
import io.conntest.core.protocol.FrameHandler;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.HelloBody;
import io.conntest.core.protocol.LatencyPongBody;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.protocol.PeerText;
import io.conntest.core.protocol.PeerSeenBody;
import io.conntest.core.protocol.PeerViewBody;
import io.conntest.core.protocol.ProtocolError;
import io.conntest.core.protocol.ProtocolLimits;
import io.conntest.core.protocol.StreamFrameDecoder;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.ConnectionStats;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;

/**
 * The conntest protocol on one connection, what both roles share: framing in and out, HELLO checks, answering
 * pings, measuring latency, both sides of a bandwidth test, timeouts and closing. {@link ClientSession} drives the
 * cycle (HELLO, then rounds of latency probes and, when bandwidth monitoring is on, a test up and a test down);
 * {@link ServerSession} answers. Both sides measure latency (the server through the echo-request flag on its pong)
 * and both learn both bandwidth figures from the BANDWIDTH_RESULT the receiving side sends. Any protocol violation
 * closes the connection with an ERROR frame.
 */
abstract class Session implements ConnectionHandler, FrameHandler
{
    static final int PHASE_CONNECTING = 0;
    static final int PHASE_HELLO = 1;
    static final int PHASE_LATENCY = 2;
    static final int PHASE_BANDWIDTH_UP = 3;
    static final int PHASE_BANDWIDTH_DOWN = 4;
    static final int PHASE_BANDWIDTH_DUPLEX = 5;
    static final int PHASE_CLOSED = 6;
    private static final int MAX_FRAMES_PER_PUMP = 256;
    /** GOODBYE code: this connection duplicates another one between the same pair (docs/protocol.md). */
    static final int CLOSE_CODE_DUPLICATE = 256;

    final EngineCore core;
    final ConnectionStats stats;
    private final FrameOutput output;
    private final StreamFrameDecoder streamDecoder = new StreamFrameDecoder();
    private final DatagramFrameDecoder datagramDecoder = new DatagramFrameDecoder();
    private final HelloBody helloBody = new HelloBody();
    private final LatencyPongBody pongBody = new LatencyPongBody();
    private final BandwidthResultBody resultBody = new BandwidthResultBody();
    private final CloseBody closeBody = new CloseBody();
    private final PeerViewBody viewBody = new PeerViewBody();
    private final PeerSeenBody seenBody = new PeerSeenBody();
    /** How often the peer is told how it is seen, at least; a change is told within {@link #SEEN_MIN_GAP_NS}. */
    static final long SEEN_INTERVAL_NS = 5_000_000_000L;
    static final long SEEN_MIN_GAP_NS = 1_000_000_000L;
    private long seenSentAtNs = Long.MIN_VALUE / 2;
    private int seenSentTtl = -2;
    private int seenSentTos = -2;
    final SendTest send = new SendTest();
    final ReceiveTest receive = new ReceiveTest();
    Connection connection;
    int phase = PHASE_CONNECTING;
    boolean helloDone;
    int sessionId;
    long txSequence = 1;
    long nowNs;
    /** Sequence of our last ping or echo-requesting pong, whose echo gives a latency sample. */
    long echoAwaitedSequence = -1;
    /** The bytes being handled came with the transport's receive timestamp {@link #receivedAtNs}. */
    private boolean hasReceiveTimestamp;
    private long receivedAtNs;
    /** A bandwidth test ran when the awaited probe was sent: its sample is a loaded one. */
    boolean echoAwaitedLoaded;
    private long lastProgressNs;
    /** The capability bits of the peer's HELLO (0 before it). */
    int peerCapabilities;
    private long helloDeadlineNs = Long.MAX_VALUE;

    Session(final EngineCore core, final ConnectionStats stats, final int maxMessageLength, final boolean stream,
        final int sessionId)
    {
        this.core = core;
        this.stats = stats;
        this.output = new FrameOutput(stream, maxMessageLength, core.pattern(), stats);
        this.sessionId = sessionId;
    }

    // ---------------------------------------------------------------- role hooks

    abstract boolean isClient();

    /** The connection is up: the client says HELLO. */
    abstract void onEstablished(long nowNs);

    /** The role the peer's HELLO must carry. */
    abstract int peerRole();

    /** Whether the peer's HELLO may carry this session id (the server adopts the client's). */
    abstract boolean acceptsSessionId(int peerSessionId);

    /** The peer's HELLO was accepted (the server answers with its own). */
    abstract void onHelloAccepted(FrameHeader header, long nowNs);

    abstract void onBandwidthRequest(FrameHeader header, DirectBuffer buffer, int bodyOffset, int length);

    /** The client's schedule; nothing for a server. */
    void advance(final long nowNs)
    {
    }

    /** When the client's schedule needs {@link #advance} next. */
    long scheduleDeadlineNs()
    {
        return Long.MAX_VALUE;
    }

    /** Our ping was answered; {@code loaded}: a bandwidth test ran while it was out. */
    void onProbeAnswered(final long nowNs, final boolean loaded)
    {
    }

    /**
     * A bandwidth test runs on this connection (either side of it, until its result is known): probes sent or
     * answered now measure loaded latency.
     */
    boolean isTestRunning()
    {
        return send.active || receive.active;
    }

    /**
     * The largest DATA frame payload this side sends in a test at {@code rateBps}: 64 KiB, and on a stream at most
     * 10 ms of a paced rate (at least 1 KiB), so a slow paced test goes out smoothly instead of in 64 KiB steps.
     * Over UDP a frame is the datagram the packet size asked for.
     */
    int dataFrameLimit(final long rateBps)
    {
        if (!connection.isStream() || rateBps <= 0)
        {
            return ProtocolLimits.MAX_DATA_FRAME_PAYLOAD;
        }
        return (int)Math.max(1024, Math.min(ProtocolLimits.MAX_DATA_FRAME_PAYLOAD, rateBps / 8 / 100));
    }

    /** Marks {@code sequence} as the probe whose echo gives our next latency sample. */
    void awaitEcho(final long sequence)
    {
        echoAwaitedSequence = sequence;
        echoAwaitedLoaded = isTestRunning();
    }

    /** The peer reported the result of a test we sent. */
    void onSendTestDone(final long nowNs)
    {
    }

    /** A test we received ended and its result was sent. */
    void onReceiveTestDone(final long nowNs)
    {
    }

    ConnectionStats stats()
    {
        return stats;
    }

    Connection connection()
    {
        return connection;
    }

    boolean isClosed()
    {
        return phase == PHASE_CLOSED;
    }

    void attach(final Connection connection)
    {
        this.connection = connection;
        output.attach(connection);
    }

    // ---------------------------------------------------------------- transport callbacks

    @Override
    public void onConnected(final Connection connection, final long nowNs)
    {
        this.nowNs = nowNs;
        attach(connection);
        phase = PHASE_HELLO;
        lastProgressNs = nowNs;
        helloDeadlineNs = nowNs + core.config().timeoutNs();
        stats.state = ConnectionState.CONNECTED;
        stats.connectedAtNs = nowNs;
        stats.localHost = connection.localHost();
        stats.localPort = connection.localPort();
        stats.peerHost = connection.remoteHost();
        stats.peerPort = connection.remotePort();
        stats.transportStats = connection.stats();
        stats.sentTtl = connection.sentTtl();
        stats.sentTos = connection.sentTos();
        core.onSessionConnected(this, nowNs);
        onEstablished(nowNs);
    }

    @Override
    public void onConnectFailed(final Connection connection, final FailureReason reason, final String detail,
        final long nowNs)
    {
        phase = PHASE_CLOSED;
        core.onConnectFailed(this, reason, detail, nowNs);
    }

    @Override
    public void onData(final Connection connection, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        if (phase == PHASE_CLOSED)
        {
            return;
        }
        this.nowNs = nowNs;
        lastProgressNs = nowNs;
        stats.bytesReceived += length;
        if (connection.isStream())
        {
            streamDecoder.onBytes(buffer, offset, length, this);
        }
        else
        {
            datagramDecoder.onDatagram(buffer, offset, length, this);
        }
        if (phase != PHASE_CLOSED)
        {
            advance(nowNs);
        }
    }

    @Override
    public void onData(final Connection connection, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs, final long receivedAtNs)
    {
        this.hasReceiveTimestamp = true;
        this.receivedAtNs = receivedAtNs;
        try
        {
            onData(connection, buffer, offset, length, nowNs);
        }
        finally
        {
            this.hasReceiveTimestamp = false;
        }
    }

    @Override
    public void onWritable(final Connection connection, final long nowNs)
    {
        if (phase != PHASE_CLOSED)
        {
            doWork(nowNs);
        }
    }

    @Override
    public void onClosed(final Connection connection, final FailureReason reason, final String detail,
        final long nowNs)
    {
        if (phase == PHASE_CLOSED)
        {
            return;
        }
        phase = PHASE_CLOSED;
        core.onSessionEnded(this, reason, detail, nowNs);
    }

    // ---------------------------------------------------------------- duty cycle

    /** Flushes, pumps a bandwidth test, schedules probes, enforces timeouts; returns work done. */
    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        if (phase == PHASE_CLOSED || phase == PHASE_CONNECTING || connection == null)
        {
            return 0;
        }
        stats.rollThroughputWindow(nowNs);
        int work = 0;
        if (flush() > 0)
        {
            work++;
        }
        if (send.isSending())
        {
            work += pumpSend(nowNs);
        }
        advance(nowNs);
        tellHowPeerIsSeen(nowNs);
        if (phase != PHASE_CLOSED && !helloDone && nowNs >= helloDeadlineNs)
        {
            close(FailureReason.TIMEOUT, "no HELLO within " + core.config().timeoutNs() / 1_000_000 + " ms", true);
        }
        else if (phase != PHASE_CLOSED && nowNs - lastProgressNs >= core.config().timeoutNs())
        {
            close(FailureReason.TIMEOUT, "no progress for " + core.config().timeoutNs() / 1_000_000 + " ms", true);
        }
        return work;
    }

    /** The next time {@link #doWork} has something to do without I/O. */
    long nextDeadlineNs()
    {
        if (phase == PHASE_CLOSED || phase == PHASE_CONNECTING)
        {
            return Long.MAX_VALUE;
        }
        if (send.isSending() && output.canStartData())
        {
            return send.nextFrameAtNs(nowNs);
        }
        long at = Math.min(lastProgressNs + core.config().timeoutNs(), helloDone ? Long.MAX_VALUE : helloDeadlineNs);
        at = Math.min(at, scheduleDeadlineNs());
        if (helloDone && (peerCapabilities & HelloBody.CAPABILITY_PEER_SEEN) != 0)
        {
            at = Math.min(at, seenSentAtNs + SEEN_INTERVAL_NS);
        }
        if (send.isSending() && send.deadlineNs > 0)
        {
            at = Math.min(at, send.deadlineNs);
        }
        return at;
    }

    long flush()
    {
        final long written = output.flush();
        if (written > 0)
        {
            lastProgressNs = nowNs;
        }
        return written;
    }

    private int pumpSend(final long nowNs)
    {
        int frames = 0;
        while (send.isSending() && frames < MAX_FRAMES_PER_PUMP && phase != PHASE_CLOSED)
        {
            if (!output.canStartData())
            {
                flush();
                if (!output.canStartData())
                {
                    break;
                }
            }
            if (send.nextFrameAtNs(nowNs) > nowNs)
            {
                break;
            }
            final int payload = send.nextPayload(nowNs);
            final int flags = send.nextFlags();
            if (core.tracing() && (send.bytes == 0 || (flags & FrameHeader.FLAG_END) != 0))
            {
                core.tracePacket(this, true, MessageType.DATA, txSequence, FrameHeader.LENGTH + payload,
                    send.bytes == 0 ? "(first of test)" : "(last of test)");
            }
            // each frame is stamped with a fresh clock reading (not the cycle's), so the receiver's RFC 3550 jitter
            // sees the real spacing of the frames of one burst
            output.startData(flags, sessionId, txSequence++, core.latencyNowNs(), payload, send.bytes, send.seed);
            send.onFrameStarted(payload);
            frames++;
            flush();
        }
        return frames;
    }

    // ---------------------------------------------------------------- frames in

    @Override
    public void onFrame(final FrameHeader header, final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        if (phase == PHASE_CLOSED)
        {
            return;
        }
        stats.packetsReceived++;
        final int type = header.type();
        if (core.tracing())
        {
            core.tracePacket(this, false, type, header.sequence(), FrameHeader.LENGTH + bodyLength, null);
        }
        if (!helloDone && type != MessageType.HELLO && type != MessageType.ERROR && type != MessageType.GOODBYE)
        {
            protocolError(ProtocolError.UNEXPECTED, MessageType.name(type) + " before HELLO");
            return;
        }
        if (helloDone && header.sessionId() != sessionId)
        {
            protocolError(ProtocolError.UNEXPECTED, "session id " + header.sessionId() + ", expected " + sessionId);
            return;
        }
        switch (type)
        {
            case MessageType.HELLO:
                onHello(header, buffer, bodyOffset, bodyLength);
                break;
            case MessageType.LATENCY_PING:
                stats.probesAnswered++;
                reply(header, FrameHeader.FLAG_ECHO_REQUEST);
                break;
            case MessageType.LATENCY_PONG:
                onPong(header, buffer, bodyOffset, bodyLength);
                break;
            case MessageType.BANDWIDTH_REQUEST:
                onBandwidthRequest(header, buffer, bodyOffset, bodyLength);
                break;
            case MessageType.BANDWIDTH_RESULT:
                onBandwidthResult(buffer, bodyOffset, bodyLength);
                break;
            case MessageType.GOODBYE:
            case MessageType.ERROR:
                onPeerClose(type, buffer, bodyOffset, bodyLength);
                break;
            case MessageType.PEER_VIEW:
                onPeerView(buffer, bodyOffset, bodyLength);
                break;
            case MessageType.PEER_SEEN:
                onPeerSeen(buffer, bodyOffset, bodyLength);
                break;
            default:
                protocolError(ProtocolError.UNEXPECTED, MessageType.name(type));
        }
    }

    private void onHello(final FrameHeader header, final DirectBuffer buffer, final int bodyOffset, final int length)
    {
        if (helloDone)
        {
            protocolError(ProtocolError.UNEXPECTED, "second HELLO");
            return;
        }
        if (!helloBody.wrap(buffer, bodyOffset, length))
        {
            protocolError(ProtocolError.BAD_BODY, "malformed HELLO");
            return;
        }
        if (helloBody.role() != peerRole() || !acceptsSessionId(header.sessionId()))
        {
            protocolError(ProtocolError.UNEXPECTED, "HELLO with wrong role or session");
            return;
        }
        // what a peer sends reaches screens and logs: escaped and bounded once, here
        stats.peerName = PeerText.sanitize(helloBody.name(), PeerText.MAX_NAME);
        stats.peerNameBytes = stats.peerName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        peerCapabilities = helloBody.capabilities();
        helloDone = true;
        phase = PHASE_LATENCY;
        onHelloAccepted(header, nowNs);
        core.onHello(this, nowNs);
        tellHowPeerIsSeen(nowNs);
    }

    private void onPong(final FrameHeader header, final DirectBuffer buffer, final int bodyOffset, final int length)
    {
        if (!pongBody.wrap(buffer, bodyOffset, length))
        {
            protocolError(ProtocolError.BAD_BODY, "malformed LATENCY_PONG");
            return;
        }
        if (pongBody.senderLost() >= 0)
        {
            stats.peerUdpLost = pongBody.senderLost();
        }
        if (pongBody.echoSequence() == echoAwaitedSequence)
        {
            // measured against the time the pong was read (next to the system call) when the transport says
            final long rttNs = core.receiveTimeNs(hasReceiveTimestamp, receivedAtNs) - pongBody.echoTimestampNs();
            final boolean loaded = echoAwaitedLoaded || isTestRunning();
            if (rttNs >= 0)
            {
                stats.recordLatency(rttNs / 2, loaded);
            }
            echoAwaitedSequence = -1;
            onProbeAnswered(nowNs, loaded);
        }
        if ((header.flags() & FrameHeader.FLAG_ECHO_REQUEST) != 0)
        {
            reply(header, 0);
        }
    }

    /** Answers a ping (or an echo-requesting pong) with a pong echoing its timestamp and sequence. */
    private void reply(final FrameHeader header, final int flags)
    {
        final long echoTs = header.timestampNs();
        final long echoSeq = header.sequence();
        final MutableDirectBuffer b = core.scratch();
        // over UDP the pong tells the peer how many of our messages were lost on their way to it
        final long lost = connection.isStream() ? -1 : Math.max(0, stats.transportStats.udpLost());
        final int body = LatencyPongBody.write(b, FrameHeader.LENGTH, echoTs, echoSeq, lost);
        final long sequence = txSequence;
        if (sendControl(MessageType.LATENCY_PONG, flags, body, core.latencyNowNs()) && flags != 0)
        {
            awaitEcho(sequence);
        }
    }

    private void onBandwidthResult(final DirectBuffer buffer, final int bodyOffset, final int length)
    {
        if (!resultBody.wrap(buffer, bodyOffset, length))
        {
            protocolError(ProtocolError.BAD_BODY, "malformed BANDWIDTH_RESULT");
            return;
        }
        if (!send.active || !send.endSent || resultBody.direction() != send.direction)
        {
            protocolError(ProtocolError.UNEXPECTED, "BANDWIDTH_RESULT without a finished test");
            return;
        }
        send.active = false;
        stats.recordBandwidthUp(resultBody.bytes(), resultBody.durationNs());
        stats.verificationErrors += resultBody.verificationErrors();
        core.onBandwidthResult(this, true, resultBody.bytes(), resultBody.durationNs(),
            resultBody.verificationErrors(), nowNs);
        onSendTestDone(nowNs);
    }

    private void onPeerView(final DirectBuffer buffer, final int bodyOffset, final int length)
    {
        if (!viewBody.wrap(buffer, bodyOffset, length))
        {
            protocolError(ProtocolError.BAD_BODY, "malformed PEER_VIEW");
            return;
        }
        core.meshViews().onView(stats.peerNameBytes, viewBody, nowNs);
    }

    /** The peer told how it sees this end's packets: kept, and news when any of it changed. */
    private void onPeerSeen(final DirectBuffer buffer, final int bodyOffset, final int length)
    {
        if (!seenBody.wrap(buffer, bodyOffset, length))
        {
            protocolError(ProtocolError.BAD_BODY, "malformed PEER_SEEN");
            return;
        }
        if (seenBody.version() != PeerSeenBody.VERSION)
        {
            return;
        }
        final int hostLength = seenBody.hostLength();
        boolean changed = false;
        if (!sameAscii(stats.seenAsHost, buffer, seenBody.hostOffset(), hostLength))
        {
            final byte[] host = new byte[hostLength]; // only when it changed: a NAT rebinding is rare news
            buffer.getBytes(seenBody.hostOffset(), host);
            stats.seenAsHost = new String(host, java.nio.charset.StandardCharsets.US_ASCII);
            changed = true;
        }
        changed |= stats.seenAsPort != seenBody.port() || stats.seenTtl != seenBody.ttl() ||
            stats.seenTos != seenBody.tos();
        stats.seenAsPort = seenBody.port();
        stats.seenTtl = seenBody.ttl();
        stats.seenTos = seenBody.tos();
        if (changed)
        {
            core.onPathChanged(this, nowNs);
        }
    }

    private static boolean sameAscii(final String text, final DirectBuffer buffer, final int offset, final int length)
    {
        if (text == null || text.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (text.charAt(i) != (buffer.getByte(offset + i) & 0xFF))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells the peer how its packets arrive here (PEER_SEEN): after the HELLOs, then every {@link #SEEN_INTERVAL_NS},
     * and within {@link #SEEN_MIN_GAP_NS} of a change of the TTL or TOS they arrive with. Only to a peer that
     * announced the capability; only when the outbox keeps half its room, as views.
     */
    private void tellHowPeerIsSeen(final long nowNs)
    {
        if (!helloDone || phase == PHASE_CLOSED || (peerCapabilities & HelloBody.CAPABILITY_PEER_SEEN) == 0)
        {
            return;
        }
        final int ttl = connection.lastReceivedTtl();
        final int tos = connection.lastReceivedTos();
        final boolean changed = ttl != seenSentTtl || tos != seenSentTos;
        if (nowNs - seenSentAtNs < SEEN_INTERVAL_NS && !(changed && nowNs - seenSentAtNs >= SEEN_MIN_GAP_NS))
        {
            return;
        }
        final int body = PeerSeenBody.write(core.scratch(), FrameHeader.LENGTH, connection.remoteHost(),
            connection.remotePort(), ttl, tos);
        if (!output.hasRoomFor(FrameHeader.LENGTH + body, FrameOutput.OUTBOX_CAPACITY / 2))
        {
            return;
        }
        if (sendControl(MessageType.PEER_SEEN, 0, body, nowNs))
        {
            seenSentAtNs = nowNs;
            seenSentTtl = ttl;
            seenSentTos = tos;
        }
    }

    /** Whether the peer's HELLO said it understands PEER_VIEW, and the hello is done. */
    boolean acceptsPeerView()
    {
        return helloDone && phase != PHASE_CLOSED && (peerCapabilities & HelloBody.CAPABILITY_PEER_VIEW) != 0;
    }

    /**
     * Sends one page of this instance's view when the outbox has room for it with half its capacity to spare, so a
     * view never crowds out probes or pongs (a skipped page is sent again with the next view); true when queued.
     */
    boolean sendPeerView(final DirectBuffer page, final int offset, final int bodyLength)
    {
        if (!output.hasRoomFor(FrameHeader.LENGTH + bodyLength, FrameOutput.OUTBOX_CAPACITY / 2))
        {
            return false;
        }
        core.scratch().putBytes(FrameHeader.LENGTH, page, offset, bodyLength);
        return sendControl(MessageType.PEER_VIEW, 0, bodyLength, nowNs);
    }

    private void onPeerClose(final int type, final DirectBuffer buffer, final int bodyOffset, final int length)
    {
        final boolean wellFormed = closeBody.wrap(buffer, bodyOffset, length);
        final String text = wellFormed ? PeerText.sanitize(closeBody.text(), PeerText.MAX_REASON) : "(malformed)";
        if (type == MessageType.GOODBYE && wellFormed && closeBody.code() == CLOSE_CODE_DUPLICATE)
        {
            close(FailureReason.CLOSED, "peer closed its duplicate connection (" + text + ")", false);
        }
        else if (type == MessageType.GOODBYE)
        {
            close(FailureReason.CLOSED, "peer said goodbye: " + text, false);
        }
        else
        {
            close(FailureReason.PROTOCOL, "peer reported error: " + text, false);
        }
    }

    @Override
    public void onDataStart(final FrameHeader header)
    {
        if (phase == PHASE_CLOSED)
        {
            return;
        }
        stats.packetsReceived++;
        final String problem = receive.admit(header, sessionId);
        if (problem != null)
        {
            protocolError(header.bodyLength() > receive.packetSize ? ProtocolError.LENGTH_TOO_LARGE :
                ProtocolError.UNEXPECTED, problem);
            return;
        }
        if (!connection.isStream())
        {
            if (receive.frames == 1)
            {
                stats.jitter.restartStream();
            }
            stats.jitter.onPacket(header.timestampNs(), core.latencyNowNs());
        }
        if (core.tracing() && (receive.frames == 1 || receive.isCurrentLast()))
        {
            core.tracePacket(this, false, MessageType.DATA, header.sequence(), FrameHeader.LENGTH + header.bodyLength(),
                receive.frames == 1 ? "(first of test)" : "(last of test)");
        }
    }

    @Override
    public void onDataPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (phase == PHASE_CLOSED || !receive.active)
        {
            return;
        }
        receive.onPayload(core.pattern(), buffer, offset, length);
    }

    @Override
    public void onDataEnd()
    {
        if (phase == PHASE_CLOSED || !receive.active || !receive.isCurrentLast())
        {
            return;
        }
        receive.active = false;
        final long durationNs = Math.max(1, nowNs - receive.startNs);
        final MutableDirectBuffer b = core.scratch();
        final int body = BandwidthResultBody.write(b, FrameHeader.LENGTH, receive.direction, receive.errors,
            receive.bytes, receive.packets, durationNs);
        sendControl(MessageType.BANDWIDTH_RESULT, 0, body, nowNs);
        stats.recordBandwidthDown(receive.bytes, durationNs);
        stats.verificationErrors += receive.errors;
        core.onBandwidthResult(this, false, receive.bytes, durationNs, receive.errors, nowNs);
        if (phase != PHASE_CLOSED)
        {
            onReceiveTestDone(nowNs);
        }
    }

    @Override
    public void onProtocolError(final ProtocolError error, final long detail)
    {
        protocolError(error, "(" + detail + ")");
    }

    // ---------------------------------------------------------------- frames out, closing

    /** Frames and queues a control message whose body is already at {@code scratch[HEADER..]}. */
    boolean sendControl(final int type, final int flags, final int bodyLength, final long nowNs)
    {
        final MutableDirectBuffer b = core.scratch();
        if (core.tracing())
        {
            core.tracePacket(this, true, type, txSequence, FrameHeader.LENGTH + bodyLength, null);
        }
        FrameHeader.write(b, 0, type, flags, bodyLength, sessionId, txSequence++, nowNs);
        if (!output.enqueue(b, 0, FrameHeader.LENGTH + bodyLength))
        {
            close(FailureReason.TIMEOUT, "peer does not read (send queue full)", false);
            return false;
        }
        flush();
        return true;
    }

    void protocolError(final ProtocolError error, final String detail)
    {
        close(FailureReason.PROTOCOL, error.description() + ": " + detail, true);
    }

    /** Ends the session: optionally tells the peer why, closes the connection, reports. */
    void close(final FailureReason reason, final String detail, final boolean sendError)
    {
        if (phase == PHASE_CLOSED)
        {
            return;
        }
        if (sendError && connection != null && connection.isOpen())
        {
            sendClose(MessageType.ERROR, reason == FailureReason.PROTOCOL ? 1 : 2, detail);
        }
        phase = PHASE_CLOSED;
        if (connection != null)
        {
            connection.close();
        }
        core.onSessionEnded(this, reason, detail, nowNs);
    }

    /**
     * Closes this connection as the duplicate of another between the same pair: GOODBYE with
     * {@link #CLOSE_CODE_DUPLICATE} and {@code detail}, then reported as an orderly close.
     */
    void closeAsDuplicate(final String detail, final long nowNs)
    {
        this.nowNs = nowNs;
        if (phase == PHASE_CLOSED)
        {
            return;
        }
        if (connection != null && connection.isOpen())
        {
            sendClose(MessageType.GOODBYE, CLOSE_CODE_DUPLICATE, detail);
        }
        phase = PHASE_CLOSED;
        connection.close();
        core.onSessionEnded(this, FailureReason.CLOSED, detail, nowNs);
    }

    /** Says goodbye (best effort) and closes, for a clean stop. */
    void closeGracefully(final long nowNs)
    {
        this.nowNs = nowNs;
        if (phase == PHASE_CLOSED)
        {
            return;
        }
        if (connection != null && connection.isOpen() && phase != PHASE_CONNECTING)
        {
            sendClose(MessageType.GOODBYE, CloseBody.CODE_NORMAL, "stopping");
        }
        phase = PHASE_CLOSED;
        if (connection != null)
        {
            connection.close();
        }
    }

    private void sendClose(final int type, final int code, final String text)
    {
        final MutableDirectBuffer b = core.scratch();
        final int body = CloseBody.write(b, FrameHeader.LENGTH, code, text);
        FrameHeader.write(b, 0, type, 0, body, sessionId, txSequence++, nowNs);
        if (output.enqueue(b, 0, FrameHeader.LENGTH + body))
        {
            output.flush();
        }
    }

    static int capabilities()
    {
        return HelloBody.CAPABILITY_BANDWIDTH | HelloBody.CAPABILITY_VERIFY | HelloBody.CAPABILITY_PEER_VIEW |
            HelloBody.CAPABILITY_PEER_SEEN;
    }
}
