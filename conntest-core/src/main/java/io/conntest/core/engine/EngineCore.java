package io.conntest.core.engine;

import io.conntest.core.transport.HostText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EngineListener;
import io.conntest.core.event.EventType;
import io.conntest.core.iperf3.Iperf3Server;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.ProtocolLimits;
import io.conntest.core.protocol.VerificationPattern;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.ConnectionStats;
import io.conntest.core.stats.EngineSnapshot;
import io.conntest.core.stats.ListenerSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportException;
import io.conntest.core.transport.UdpLimits;

/**
 * The engine on one thread, without a thread of its own: listeners, outgoing peers with their reconnect schedule,
 * and every session, driven by {@link #doWork(long)} with the time passed in. Tests drive it on a manual clock;
 * {@link Engine} drives it from an agent. Events go to the listener synchronously on the calling thread. Two
 * instances that dial each other keep one connection (see {@link PairRule} and docs/protocol.md).
 */
public final class EngineCore
{
    private final EngineConfig config;
    private final Transport transport;
    private final EngineListener listener;
    private final VerificationPattern pattern = new VerificationPattern();
    private final UnsafeBuffer scratch =
        new UnsafeBuffer(new byte[FrameHeader.LENGTH + ProtocolLimits.MAX_CONTROL_BODY]);
    private final byte[] instanceNameBytes;
    private final List<PeerConnector> peers = new ArrayList<>();
    private final List<ListenerState> listeners = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    /** The {@code ?service=iperf3} listeners: run beside the conntest ones on the same transport and thread. */
    private final List<Iperf3Server> iperf3 = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(System.nanoTime());
    private long nextKey = 1;
    private long nowNs;
    private NanoClock latencyClock;
    private long droppedEvents;
    private boolean started;
    /** How often the transport's link is looked at: a TAP brought down or up is news within a second. */
    static final long LINK_CHECK_INTERVAL_NS = 1_000_000_000L;
    private long nextLinkCheckNs;
    private String linkWarning;
    /** Accepted sessions that were live when the engine stopped: the final snapshot still shows their figures. */
    private final List<ConnectionStats> liveAtStop = new ArrayList<>();
    private boolean stopped;
    /** How often every peer that understands it is told this instance's view of its peers (PEER_VIEW). */
    static final long PEER_VIEW_INTERVAL_NS = 1_000_000_000L;
    private final PeerViewWriter viewWriter = new PeerViewWriter();
    private final MeshViews meshViews;
    private long nextViewNs;
    /** The {@code ?nat-test} peers' NAT tests, each once, beside their connections. */
    private final PeerTests peerTests;

    public EngineCore(final EngineConfig config, final Transport transport, final EngineListener listener)
    {
        this.config = config;
        this.transport = transport;
        this.listener = listener;
        this.instanceNameBytes = config.instanceName().getBytes(StandardCharsets.UTF_8);
        this.meshViews = new MeshViews(instanceNameBytes);
        for (final ListenSpec spec : config.listens())
        {
            if (spec.service() == ListenSpec.Service.IPERF3)
            {
                iperf3.add(new Iperf3Server(transport, spec.host(), spec.port(), this::emitIperf3));
                continue;
            }
            listeners.add(new ListenerState(spec));
        }
        for (final ConnectSpec spec : config.connects())
        {
            peers.add(new PeerConnector(spec, new ConnectionStats(nextKey++, Side.CLIENT, spec.protocol())));
        }
        this.peerTests = new PeerTests(config.connects(), this::onNatTest, this::onPathMtu);
    }

    public EngineConfig config()
    {
        return config;
    }

    public Transport transport()
    {
        return transport;
    }

    /** Binds the listeners and starts the first connection attempts. */
    public void start(final long nowNs)
    {
        this.nowNs = nowNs;
        started = true;
        nextLinkCheckNs = nowNs + LINK_CHECK_INTERVAL_NS;
        nextViewNs = nowNs + PEER_VIEW_INTERVAL_NS;
        checkLink();
        for (final ListenerState l : listeners)
        {
            l.tryBind(nowNs);
        }
        for (final PeerConnector peer : peers)
        {
            peer.scheduleNow(nowNs);
        }
        for (final Iperf3Server server : iperf3)
        {
            startIperf3(server);
        }
        peerTests.start(transport, random.nextLong());
    }

    /** A NAT test finished: one event with its verdicts. */
    private void onNatTest(final ConnectSpec spec, final io.conntest.core.nat.NatTestResult result)
    {
        listener.onEvent(new EngineEvent(nowNs, System.currentTimeMillis(), EventType.NAT_TEST, 0, Side.CLIENT,
            spec.protocol(), spec.host(), spec.port(), null, null, result.describe(), null, -1, -1, -1, result));
    }

    /** A path MTU test finished: one event with its result. */
    private void onPathMtu(final ConnectSpec spec, final io.conntest.core.nat.PathMtuResult result)
    {
        listener.onEvent(EngineEvent.pathMtu(nowNs, System.currentTimeMillis(), Side.CLIENT, spec.protocol(),
            spec.host(), spec.port(), result));
    }

    private void startIperf3(final Iperf3Server server)
    {
        try
        {
            server.start();
            listener.onEvent(new EngineEvent(nowNs, System.currentTimeMillis(), EventType.LISTENING, 0, null,
                io.conntest.core.transport.TransportProtocol.TCP, null, server.port(), null, null,
                "iperf3 server listening on tcp port " + server.port()));
        }
        catch (final TransportException ex)
        {
            listener.onEvent(new EngineEvent(nowNs, System.currentTimeMillis(), EventType.LISTEN_FAILED, 0, null,
                io.conntest.core.transport.TransportProtocol.TCP, null, server.port(), null, ex.reason(),
                "iperf3 server: " + ex.getMessage()));
        }
    }

    /** An iperf3 test began or ended, or a client was refused or cut off: one event in every output mode. */
    private void emitIperf3(final long eventNs, final String host, final int port, final boolean problem,
        final String message, final long bytes, final long durationNs)
    {
        listener.onEvent(new EngineEvent(eventNs, System.currentTimeMillis(), EventType.IPERF3, 0, Side.SERVER,
            io.conntest.core.transport.TransportProtocol.TCP, host, port, null,
            problem ? FailureReason.PROTOCOL : null, message, null, bytes, durationNs,
            bytes >= 0 && durationNs > 0 ? (long)(bytes * 8e9 / durationNs) : -1));
    }

    /**
     * Reads the clock afresh for latency probes. The duty cycle reads the time once, before the transport poll; on
     * the userspace stack a whole round trip can complete inside one of the peer's cycles, so stamping probes and
     * measuring their echoes with the cycle's time gave RTTs of zero or less. Without a clock (tests on a manual
     * clock) the cycle's time is used.
     */
    public void useLatencyClock(final NanoClock clock)
    {
        this.latencyClock = clock;
    }

    /** The time to stamp a latency probe with or to measure its echo against: now, never before the cycle's time. */
    long latencyNowNs()
    {
        final NanoClock clock = latencyClock;
        return clock == null ? nowNs : Math.max(nowNs, clock.nanoTime());
    }

    /**
     * The time a frame was received at: the transport's receive timestamp when it gave one and the engine runs on
     * the real clock (it is on {@link System#nanoTime()}, the latency clock's), else {@link #latencyNowNs()}.
     */
    long receiveTimeNs(final boolean hasReceiveTimestamp, final long receivedAtNs)
    {
        return hasReceiveTimestamp && latencyClock != null ? receivedAtNs : latencyNowNs();
    }

    /** One duty cycle; returns work done (0 = idle until {@link #nextDeadlineNs()} or I/O). */
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        if (!started || stopped)
        {
            return 0;
        }
        int work = transport.poll(nowNs);
        if (nowNs - nextLinkCheckNs >= 0)
        {
            nextLinkCheckNs = nowNs + LINK_CHECK_INTERVAL_NS;
            checkLink();
        }
        for (int i = 0; i < listeners.size(); i++)
        {
            final ListenerState l = listeners.get(i);
            if (l.bound == null && nowNs >= l.nextAttemptNs)
            {
                l.tryBind(nowNs);
                work++;
            }
        }
        for (int i = 0; i < peers.size(); i++)
        {
            final PeerConnector peer = peers.get(i);
            if (peer.isDue(nowNs))
            {
                attempt(peer, nowNs);
                work++;
            }
        }
        for (int i = 0; i < sessions.size(); i++)
        {
            work += sessions.get(i).doWork(nowNs);
        }
        sessions.removeIf(Session::isClosed);
        for (int i = 0; i < iperf3.size(); i++)
        {
            work += iperf3.get(i).doWork(nowNs);
        }
        work += peerTests.doWork(nowNs);
        if (nowNs - nextViewNs >= 0)
        {
            nextViewNs = nowNs + PEER_VIEW_INTERVAL_NS;
            work += sendPeerViews();
        }
        return work;
    }

    /** Tells every peer that understands PEER_VIEW what this instance sees of its peers; returns frames queued. */
    private int sendPeerViews()
    {
        int pages = -1;
        int frames = 0;
        for (int i = 0; i < sessions.size(); i++)
        {
            final Session session = sessions.get(i);
            if (!session.acceptsPeerView())
            {
                continue;
            }
            if (pages < 0)
            {
                pages = viewWriter.write(peers, sessions, meshViews, nowNs);
            }
            for (int p = 0; p < pages && session.acceptsPeerView(); p++)
            {
                if (!session.sendPeerView(viewWriter.pages(), viewWriter.pageOffset(p), viewWriter.pageLength(p)))
                {
                    break;
                }
                frames++;
            }
        }
        return frames;
    }

    MeshViews meshViews()
    {
        return meshViews;
    }

    public long nextDeadlineNs()
    {
        long at = Math.min(Math.min(transport.pollAtNs(), nextLinkCheckNs), nextViewNs);
        for (int i = 0; i < listeners.size(); i++)
        {
            final ListenerState l = listeners.get(i);
            if (l.bound == null)
            {
                at = Math.min(at, l.nextAttemptNs);
            }
        }
        for (int i = 0; i < peers.size(); i++)
        {
            at = Math.min(at, peers.get(i).nextAttemptNs());
        }
        for (int i = 0; i < sessions.size(); i++)
        {
            at = Math.min(at, sessions.get(i).nextDeadlineNs());
        }
        for (int i = 0; i < iperf3.size(); i++)
        {
            at = Math.min(at, iperf3.get(i).nextDeadlineNs());
        }
        return Math.min(at, peerTests.nextDeadlineNs());
    }

    /** Says goodbye on every connection, closes listeners and the transport. */
    public void stop(final long nowNs)
    {
        if (stopped)
        {
            return;
        }
        this.nowNs = nowNs;
        for (final Session session : sessions)
        {
            if (!session.isClient() && !session.isClosed())
            {
                liveAtStop.add(session.stats());
            }
            session.closeGracefully(nowNs);
        }
        sessions.clear();
        for (final Iperf3Server server : iperf3)
        {
            server.close();
        }
        peerTests.close();
        for (final ListenerState l : listeners)
        {
            if (l.bound != null)
            {
                l.bound.close();
                l.bound = null;
            }
        }
        stopped = true;
        transport.close();
        emit(EventType.STOPPED, null, null, "engine stopped");
    }

    /** Drops everything without a goodbye, as a crashed process would (for tests of the peers' recovery). */
    void abort(final long nowNs)
    {
        if (stopped)
        {
            return;
        }
        this.nowNs = nowNs;
        stopped = true;
        sessions.clear();
        transport.close();
        emit(EventType.STOPPED, null, null, "engine aborted");
    }

    public EngineSnapshot snapshot(final long nowNs)
    {
        final List<ListenerSnapshot> ls = new ArrayList<>(listeners.size());
        for (final ListenerState l : listeners)
        {
            ls.add(new ListenerSnapshot(l.spec.protocol(), l.spec.host(), l.bound != null ? l.bound.port() :
                l.spec.port(), l.bound != null, l.sessions, l.error));
        }
        final List<ConnectionSnapshot> cs = new ArrayList<>(peers.size() + sessions.size());
        for (final PeerConnector peer : peers)
        {
            // a covered peer shows the figures of the connection that carries its pair, not its parked zeros
            final Session carrier = peer.coveredBy();
            cs.add(carrier == null ? peer.stats().snapshot(nowNs)
                : peer.stats().snapshot(nowNs).withFiguresOf(carrier.stats().snapshot(nowNs)));
        }
        for (final Session session : sessions)
        {
            if (!session.isClient() && !session.isClosed())
            {
                cs.add(session.stats().snapshot(nowNs));
            }
        }
        for (final ConnectionStats s : liveAtStop)
        {
            cs.add(s.snapshot(nowNs));
        }
        return new EngineSnapshot(nowNs, config.instanceName(), transport.name(), List.copyOf(ls), List.copyOf(cs),
            droppedEvents, MeshMatrixBuilder.build(config.instanceName(), cs, meshViews.links(nowNs),
                meshViews.droppedEntries() + viewWriter.rowsLeftOut()), peerTests.natResults(), peerTests.pathMtuResults());
    }

    void setDroppedEvents(final long droppedEvents)
    {
        this.droppedEvents = droppedEvents;
    }

    // ---------------------------------------------------------------- for sessions

    MutableDirectBuffer scratch()
    {
        return scratch;
    }

    VerificationPattern pattern()
    {
        return pattern;
    }

    byte[] instanceNameBytes()
    {
        return instanceNameBytes;
    }

    int nextSessionId()
    {
        int id;
        do
        {
            id = random.nextInt();
        }
        while (id == 0);
        return id;
    }

    boolean tracing()
    {
        return config.tracePackets();
    }

    /** Only called when {@link #tracing()}: builds a string per frame. */
    void tracePacket(final Session session, final boolean sent, final int type, final long sequence,
        final long frameLength, final String note)
    {
        emit(EventType.PACKET, session.stats(), null, (sent ? "sent " : "received ") +
            io.conntest.core.protocol.MessageType.name(type) + " seq=" + sequence + " bytes=" + frameLength +
            (note == null ? "" : " " + note));
    }

    void onSessionConnected(final Session session, final long nowNs)
    {
        final ConnectionStats s = session.stats();
        emit(EventType.CONNECTED, s, null, (session.isClient() ? "connected to " : "accepted ") +
            HostText.withPort(s.peerHost, s.peerPort) + " over " + s.protocol().lowerName());
    }

    void onHello(final Session session, final long nowNs)
    {
        final ConnectionStats s = session.stats();
        if (session.isClient())
        {
            for (final PeerConnector peer : peers)
            {
                if (peer.session() == session)
                {
                    peer.onHello();
                }
            }
        }
        emit(EventType.HELLO, s, null, "peer is '" + s.peerName + "'");
        deduplicate(session, nowNs);
    }

    /**
     * Each pair of instances shares one connection: when {@code fresh} (just past its HELLO) and an established
     * session in the other direction, over the same protocol, lead to the same peer name, {@link PairRule} picks
     * the survivor. Only the instance whose own outgoing connection loses acts (it closes it with a GOODBYE saying
     * why, and its connector becomes covered), so an instance never tears down a connection on a guess about the
     * other side's configuration; the peer sees an orderly close of the connection it accepted.
     */
    private void deduplicate(final Session fresh, final long nowNs)
    {
        final ConnectionStats s = fresh.stats();
        if (s.peerName == null || stopped)
        {
            return;
        }
        byte[] peerName = null;
        for (int i = 0; i < sessions.size(); i++)
        {
            final Session other = sessions.get(i);
            if (other == fresh || other.isClosed() || !other.helloDone || other.isClient() == fresh.isClient() ||
                other.stats().protocol() != s.protocol() || !s.peerName.equals(other.stats().peerName) ||
                other.sessionId == fresh.sessionId)
            {
                continue;
            }
            final Session outgoing = fresh.isClient() ? fresh : other;
            final Session incoming = fresh.isClient() ? other : fresh;
            if (peerName == null)
            {
                peerName = s.peerName.getBytes(StandardCharsets.UTF_8);
            }
            if (!PairRule.outgoingSurvives(instanceNameBytes, peerName, outgoing.sessionId, incoming.sessionId))
            {
                closeDuplicate(outgoing, incoming, nowNs);
                if (outgoing == fresh)
                {
                    return;
                }
            }
        }
    }

    private void closeDuplicate(final Session outgoing, final Session survivor, final long nowNs)
    {
        final ConnectionStats s = survivor.stats();
        final String detail = "duplicate connection: sharing the one from " + s.peerName + " (" +
            s.protocol().lowerName() + " " + HostText.withPort(s.peerHost, s.peerPort) + ")";
        for (final PeerConnector peer : peers)
        {
            if (peer.session() == outgoing)
            {
                peer.coverWith(survivor);
            }
        }
        outgoing.closeAsDuplicate(detail, nowNs);
    }

    /** The peer told something new of how this end's packets reach it: one PATH event saying what. */
    void onPathChanged(final Session session, final long nowNs)
    {
        final ConnectionStats s = session.stats();
        emit(EventType.PATH, s, null, s.path().describe());
    }

    void onBandwidthResult(final Session session, final boolean up, final long bytes, final long durationNs,
        final long errors, final long nowNs)
    {
        final ConnectionStats s = session.stats();
        final long bps = ConnectionStats.bitsPerSecond(bytes, durationNs);
        listener.onEvent(new EngineEvent(nowNs, System.currentTimeMillis(), EventType.BANDWIDTH_RESULT, s.key(),
            s.side(), s.protocol(), s.peerHost, s.peerPort, s.peerName, null, (up ? "up " : "down ") + bytes +
            " bytes in " + durationNs / 1_000 + " us = " + bps + " bit/s" +
            (errors > 0 ? ", " + errors + " corrupted bytes" : ""), up ? "up" : "down", bytes, durationNs, bps));
        if (errors > 0)
        {
            emit(EventType.ERROR, s, FailureReason.PROTOCOL, "payload verification found " + errors +
                " corrupted bytes (" + (up ? "reported by the peer" : "received") + ")");
        }
    }

    void onConnectFailed(final Session session, final FailureReason reason, final String detail, final long nowNs)
    {
        final ConnectionStats s = session.stats();
        s.lastFailure = reason;
        s.lastError = detail;
        emit(EventType.CONNECT_FAILED, s, reason, detail);
        scheduleRetry(session, nowNs);
    }

    void onSessionEnded(final Session session, final FailureReason reason, final String detail, final long nowNs)
    {
        final ConnectionStats s = session.stats();
        s.lastFailure = reason;
        s.lastError = detail;
        s.onConnectionEnded();
        if (reason == FailureReason.PROTOCOL)
        {
            emit(EventType.ERROR, s, reason, detail);
        }
        emit(EventType.CLOSED, s, reason, detail);
        uncover(session, reason, nowNs);
        if (session.isClient())
        {
            scheduleRetry(session, nowNs);
        }
        else
        {
            s.state = ConnectionState.CLOSED;
            for (final ListenerState l : listeners)
            {
                if (l.accepted.remove(session))
                {
                    l.sessions--;
                }
            }
        }
    }

    private void scheduleRetry(final Session session, final long nowNs)
    {
        if (stopped)
        {
            return;
        }
        for (final PeerConnector peer : peers)
        {
            if (peer.session() == session && peer.isCoverPending())
            {
                peer.onCovered(peer.stats().lastError);
                emit(EventType.COVERED, peer.stats(), null, peer.stats().lastError +
                    "; dialling again only if it is lost");
            }
            else if (peer.session() == session)
            {
                final long delayNs = peer.onEnded(nowNs, config);
                emit(EventType.RECONNECTING, peer.stats(), null, "retrying in " + delayNs / 1_000_000 + " ms");
            }
        }
    }

    /** The connection that covered some outgoing peers ended: they dial again at once. */
    private void uncover(final Session ended, final FailureReason reason, final long nowNs)
    {
        if (stopped)
        {
            return;
        }
        for (final PeerConnector peer : peers)
        {
            if (peer.coveredBy() == ended)
            {
                final String detail = "the shared connection from " + ended.stats().peerName + " ended (" +
                    (reason == null ? "closed" : reason.name().toLowerCase(java.util.Locale.ROOT)) + ")";
                peer.onUncovered(nowNs, detail);
                emit(EventType.RECONNECTING, peer.stats(), null, detail + ": dialling again now");
            }
        }
    }

    private void attempt(final PeerConnector peer, final long nowNs)
    {
        final ConnectSpec spec = peer.spec();
        final Session session = new ClientSession(this, spec, peer.stats(), UdpLimits.maxMessageLength(),
            spec.protocol() == io.conntest.core.transport.TransportProtocol.TCP);
        final boolean retry = peer.onAttempt(session);
        emit(EventType.CONNECTING, peer.stats(), null, (retry ? "retry " + peer.stats().retries + ": " : "") +
            "connecting to " + HostText.withPort(spec.host(), spec.port()) + " over " + spec.protocol().lowerName());
        sessions.add(session);
        try
        {
            final Connection connection = transport.connect(spec.protocol(), spec.host(), spec.port(),
                config.connectTimeoutNs(), session);
            session.attach(connection);
        }
        catch (final RuntimeException ex)
        {
            final FailureReason reason = ex instanceof TransportException ?
                ((TransportException)ex).reason() : FailureReason.LOCAL;
            session.onConnectFailed(null, reason, String.valueOf(ex.getMessage()), nowNs);
        }
    }

    /** A link that went down or came back up is an event (once per change), in every output mode. */
    private void checkLink()
    {
        // the stack's DHCP steps (--ipv4 dhcp) are events too, checked on the same beat
        transport.drainDhcpSteps(step -> listener.onEvent(EngineEvent.dhcp(nowNs, System.currentTimeMillis(), step)));
        final String ipv6 = transport.ipv6AddressesIfChanged();
        if (ipv6 != null)
        {
            emit(EventType.IPV6, null, null, "ipv6 addresses: " + (ipv6.isEmpty() ? "none" : ipv6));
        }
        final String warning = transport.linkWarning();
        if (warning != null && !warning.equals(linkWarning))
        {
            emit(EventType.LINK_DOWN, null, FailureReason.UNREACHABLE, warning);
        }
        else if (warning == null && linkWarning != null)
        {
            emit(EventType.LINK_UP, null, null, "link is up");
        }
        linkWarning = warning;
    }

    private void emit(final EventType type, final ConnectionStats s, final FailureReason reason, final String message)
    {
        final EngineEvent event = s == null ?
            new EngineEvent(nowNs, System.currentTimeMillis(), type, 0, null, null, null, 0, null, reason, message) :
            new EngineEvent(nowNs, System.currentTimeMillis(), type, s.key(), s.side(), s.protocol(), s.peerHost,
                s.peerPort, s.peerName, reason, message);
        listener.onEvent(event);
    }

    private void emitListener(final EventType type, final ListenerState l, final int port, final String message)
    {
        listener.onEvent(new EngineEvent(nowNs, System.currentTimeMillis(), type, 0, null, l.spec.protocol(),
            l.spec.host(), port, null, type == EventType.LISTEN_FAILED ? l.failure : null, message));
    }

    /** A configured listener: bound, or waiting to retry the bind. */
    private final class ListenerState implements AcceptHandler
    {
        private final ListenSpec spec;
        private final List<Session> accepted = new ArrayList<>();
        private Listener bound;
        private String error;
        private FailureReason failure = FailureReason.LOCAL;
        private long nextAttemptNs;
        private int sessions;

        ListenerState(final ListenSpec spec)
        {
            this.spec = spec;
        }

        void tryBind(final long nowNs)
        {
            try
            {
                bound = transport.listen(spec.protocol(), spec.host(), spec.port(), this);
                error = null;
                emitListener(EventType.LISTENING, this, bound.port(), "listening on " + spec.protocol().lowerName() +
                    " " + HostText.withPort(spec.host(), bound.port()));
            }
            catch (final RuntimeException ex)
            {
                error = String.valueOf(ex.getMessage());
                nextAttemptNs = nowNs + config.retryInitialNs();
                // A transport's exception already names the listener ("cannot listen on tcp host:port: ..."):
                // print it once, not wrapped in the same words again.
                failure = ex instanceof TransportException ? ((TransportException)ex).reason() : FailureReason.LOCAL;
                emitListener(EventType.LISTEN_FAILED, this, spec.port(), ex instanceof TransportException ? error :
                    "cannot listen on " + spec.protocol().lowerName() + " " + HostText.withPort(spec.host(), spec.port()) + ": " +
                    error);
            }
        }

        @Override
        public ConnectionHandler onAccepted(final Connection connection, final long nowNs)
        {
            final ConnectionStats stats = new ConnectionStats(nextKey++, Side.SERVER, spec.protocol());
            stats.peerHost = connection.remoteHost();
            stats.peerPort = connection.remotePort();
            final Session session = new ServerSession(EngineCore.this, stats, connection.maxMessageLength(),
                connection.isStream());
            session.attach(connection);
            EngineCore.this.sessions.add(session);
            accepted.add(session);
            sessions++;
            return session;
        }
    }
}
