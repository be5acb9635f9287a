package io.conntest.stack.tcp;

import io.conntest.stack.iface.IpProtocolHandler;
import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.tcp.cc.SeqNum;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.security.SecureRandom;
import java.util.ArrayList;

/**
 * TCP (IPv4 protocol 6) for one interface address: demultiplexes segments by 4-tuple to connections and by port
 * to listeners, answers segments for no connection with RST (RFC 9293 §3.10.7.1), picks initial sequence numbers
 * (RFC 6528) and ephemeral ports (RFC 6056 Algorithm 3), and on each dispatch drains every connection with work.
 *
 * <p>Create one per interface address, register it with the interface as its protocol-6 handler, then open
 * sockets with {@link #openSocket()} / {@link #listen(int, int)}. Single-threaded: every call on the interface
 * thread.
 */
public final class TcpProtocol implements IpProtocolHandler
{
    public static final int PROTOCOL = 6;

    private final TcpConfig config;
    private final int localAddr;
    private final TcpKeyedHash hash;
    private final TcpOutput output;
    private final Long2ObjectHashMap<TcpConnection> table = new Long2ObjectHashMap<>();
    private final ArrayList<TcpConnection> connections = new ArrayList<>();
    private final Int2ObjectHashMap<TcpListener> listeners = new Int2ObjectHashMap<>();
    private final ArrayList<TcpConnection> eventQueue = new ArrayList<>();
    private final ArrayList<TcpListener> listenerEvents = new ArrayList<>();
    private final TcpPacket rxView = new TcpPacket();
    private final TcpRepr rxRepr = new TcpRepr();
    private final TcpResetQueue resets;
    private final TcpCounters counters = new TcpCounters();

    private int mtu = 1500;
    private int nextEphemeral;
    private long lastNowNs;
    private boolean dirty;
    private long challengeWindowStartNs;
    private int challengeAcksInWindow;

    /** A protocol with a random secret key (RFC 6528 §3). */
    public TcpProtocol(final TcpConfig config, final int localAddr)
    {
        this(config, localAddr, new SecureRandom().nextLong(), new SecureRandom().nextLong());
    }

    /** A protocol with a given key: deterministic ISNs and ports for tests and simulations. */
    public TcpProtocol(final TcpConfig config, final int localAddr, final long key0, final long key1)
    {
        this.config = config.validate();
        this.localAddr = localAddr;
        this.hash = new TcpKeyedHash(key0, key1);
        this.output = new TcpOutput(this);
        this.resets = new TcpResetQueue(config.resetQueueSize);
    }

    @Override
    public int protocol()
    {
        return PROTOCOL;
    }

    public TcpConfig config()
    {
        return config;
    }

    /** Drop and event counters of the whole protocol. */
    public TcpCounters counters()
    {
        return counters;
    }

    int mtu()
    {
        return mtu;
    }

    /** Sets the MTU used for the MSS before the first dispatch tells it (the sender reports it afterwards). */
    public void mtu(final int mtu)
    {
        // RFC 791: every IPv4 link carries 68 bytes; below that the MSS would be nonsense (0 once gave MSS 64).
        if (mtu < 68 || mtu > 65535)
        {
            throw new IllegalArgumentException("MTU " + mtu + " is not in 68..65535");
        }
        this.mtu = mtu;
    }

    /** Not 0.0.0.0, not limited broadcast, not multicast or class E (RFC 1122 §3.2.1.3). */
    static boolean isUnicast(final int addr)
    {
        final int first = addr >>> 24;
        return first != 0 && first < 224;
    }

    static long key(final int remoteAddr, final int remotePort, final int localPort)
    {
        return ((long)remoteAddr << 32) | ((long)(remotePort & 0xFFFF) << 16) | (localPort & 0xFFFF);
    }

    // ---- user API ---------------------------------------------------------------------------------------

    /** A new socket in CLOSED, to be configured and then {@link TcpSocket#connect connected}. */
    public TcpSocket openSocket()
    {
        return new TcpConnection(this, config).socket;
    }

    /** RFC 9293 §3.10.1 passive OPEN: a listener on {@code port} with at most {@code backlog} pending connections. */
    public TcpListener listen(final int port, final int backlog)
    {
        if (port <= 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port " + port);
        }
        if (listeners.containsKey(port))
        {
            throw new IllegalStateException("port " + port + " is already listening");
        }
        final TcpListener listener = new TcpListener(this, port, Math.max(1, backlog));
        listeners.put(port, listener);
        return listener;
    }

    void removeListener(final TcpListener listener)
    {
        listeners.remove(listener.port());
    }

    /** The connections in the table (including TIME-WAIT), for status displays. */
    public int connectionCount()
    {
        return connections.size();
    }

    boolean connect(final TcpConnection c, final int remoteAddr, final int remotePort)
    {
        if (!isUnicast(remoteAddr) || remotePort <= 0 || remotePort > 0xFFFF)
        {
            // RFC 9293 §3.9.1.1 (MUST-46): no OPEN to a broadcast, multicast or invalid address.
            throw new IllegalArgumentException("not a unicast destination");
        }
        if (connections.size() >= config.maxConnections)
        {
            return false;
        }
        final int port = pickEphemeralPort(remoteAddr, remotePort);
        if (port < 0)
        {
            return false;
        }
        c.setTuple(localAddr, port, remoteAddr, remotePort);
        register(c);
        c.openActive(lastNowNs);
        markOutput(c);
        return true;
    }

    /** RFC 6056 §3.3.3 Algorithm 3: offset by a keyed hash of the destination, then a shared counter. */
    private int pickEphemeralPort(final int remoteAddr, final int remotePort)
    {
        final int min = config.ephemeralPortMin;
        final int num = config.ephemeralPortMax - min + 1;
        final long offset = hash.hash(((long)localAddr << 32) | (remoteAddr & 0xFFFF_FFFFL), remotePort) & 0x7FFF_FFFF;
        for (int i = 0; i < num; i++)
        {
            final int port = min + (int)((offset + nextEphemeral + i) % num);
            if (!table.containsKey(key(remoteAddr, remotePort, port)) && !listeners.containsKey(port))
            {
                nextEphemeral += i + 1;
                return port;
            }
        }
        return -1;
    }

    /** RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4 µs timer. */
    int initialSequenceNumber(final TcpConnection c, final long nowNs)
    {
        final long f = hash.hash(((long)c.localAddr << 32) | (c.remoteAddr & 0xFFFF_FFFFL),
            ((long)c.localPort << 16) | c.remotePort);
        return (int)(nowNs / 4000L) + (int)f;
    }

    /** RFC 7323 §5.4: a per-connection random offset for TSval. */
    int timestampOffset(final TcpConnection c)
    {
        return (int)(hash.hash(((long)c.remoteAddr << 32) | (c.localAddr & 0xFFFF_FFFFL),
            0x5453L << 32 | ((long)c.localPort << 16) | c.remotePort) >>> 32);
    }

    private void register(final TcpConnection c)
    {
        table.put(c.key, c);
        connections.add(c);
        c.registered = true;
    }

    // ---- ingress ----------------------------------------------------------------------------------------

    @Override
    public boolean processDatagram(
        final int srcAddr, final int dstAddr, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        lastNowNs = nowNs;
        if (!rxView.wrap(buffer, offset, length))
        {
            counters.malformed++;
            return true;
        }
        final TcpRepr.ParseResult result = rxRepr.parse(rxView, srcAddr, dstAddr, config.verifyChecksum);
        if (result != TcpRepr.ParseResult.OK)
        {
            if (result == TcpRepr.ParseResult.BAD_CHECKSUM)
            {
                counters.badChecksum++;
            }
            else
            {
                counters.malformed++;
            }
            return true;
        }
        final TcpRepr seg = rxRepr;
        counters.segmentsIn++;
        if (dstAddr != localAddr || !isUnicast(srcAddr))
        {
            // RFC 9293 §3.9.2.2 / RFC 1122 §4.2.3.10 (MUST-57, MUST-63): segments to a broadcast or multicast
            // address, and SYNs from one, are dropped silently.
            counters.notUnicast++;
            return true;
        }
        if (seg.srcPort == 0 || seg.dstPort == 0)
        {
            counters.malformed++;
            return true;
        }
        final TcpConnection c = table.get(key(srcAddr, seg.srcPort, seg.dstPort));
        if (c != null && c.state != TcpState.CLOSED)
        {
            TcpInput.process(c, seg, buffer, nowNs);
            c.needsDispatch = true;
            dirty = true;
        }
        else
        {
            processNoConnection(srcAddr, seg, nowNs);
        }
        fireEvents();
        return true;
    }

    /** RFC 9293 §3.10.7.1 (CLOSED) and §3.10.7.2 (LISTEN). */
    private void processNoConnection(final int srcAddr, final TcpRepr seg, final long nowNs)
    {
        if (seg.hasFlag(TcpPacketFlags.RST))
        {
            return; // an incoming RST is discarded
        }
        final TcpListener listener = listeners.get(seg.dstPort);
        if (listener == null || listener.isClosed())
        {
            counters.resetsForClosedPort++;
            replyReset(srcAddr, seg);
            return;
        }
        if (seg.hasFlag(TcpPacketFlags.ACK))
        {
            // LISTEN, second: any acknowledgment is bad: <SEQ=SEG.ACK><CTL=RST>.
            queueReset(srcAddr, seg.dstPort, seg.srcPort, seg.ack, 0, TcpPacketFlags.RST);
            return;
        }
        if (!seg.hasFlag(TcpPacketFlags.SYN))
        {
            return;
        }
        if (seg.hasFlag(TcpPacketFlags.FIN))
        {
            // SYN+FIN opens nothing any real client sends; scanners use the answer to fingerprint. Linux drops it.
            counters.synFinDropped++;
            return;
        }
        if (!listener.hasRoom() || connections.size() >= config.maxConnections)
        {
            counters.synDroppedBacklogFull++;
            return; // as Linux: drop, the peer retransmits the SYN
        }
        final TcpConnection c = new TcpConnection(this, config);
        c.socket.receiveBufferBytes = listener.receiveBufferBytes;
        c.socket.sendBufferBytes = listener.sendBufferBytes;
        c.snd.noDelay = listener.noDelay;
        c.setTuple(localAddr, seg.dstPort, srcAddr, seg.srcPort);
        c.listener = listener;
        c.setState(TcpState.SYN_RECEIVED);
        c.iss = initialSequenceNumber(c, nowNs);
        c.tsOffset = timestampOffset(c);
        c.snd.init(c.iss);
        c.rcv.onSyn(seg.seq);
        TcpOptionsNegotiation.onPeerSyn(c, seg);
        c.snd.wnd = seg.window;
        c.snd.wl1 = seg.seq;
        c.synToSend = true;
        c.lastSegmentInNs = nowNs;
        c.counters.segmentsIn++;
        listener.onChildCreated(c);
        register(c);
        dirty = true;
    }

    /** RFC 9293 §3.10.7.1: the RST that answers a segment for no connection. */
    private void replyReset(final int srcAddr, final TcpRepr seg)
    {
        if (seg.hasFlag(TcpPacketFlags.ACK))
        {
            queueReset(srcAddr, seg.dstPort, seg.srcPort, seg.ack, 0, TcpPacketFlags.RST);
        }
        else
        {
            queueReset(srcAddr, seg.dstPort, seg.srcPort, 0, seg.seq + seg.segmentLength(),
                TcpPacketFlags.RST | TcpPacketFlags.ACK);
        }
    }

    void queueReset(final int remoteAddr, final int localPort, final int remotePort, final int seq, final int ack,
        final int flags)
    {
        if (!resets.offer(remoteAddr, localPort, remotePort, seq, ack, flags))
        {
            counters.resetsDropped++;
        }
        dirty = true;
    }

    /** RFC 5961 §3.2, §4.2, §5.2 with the rate limit of §7. */
    void challengeAck(final TcpConnection c, final long nowNs)
    {
        if (nowNs - challengeWindowStartNs >= 1_000_000_000L)
        {
            challengeWindowStartNs = nowNs;
            challengeAcksInWindow = 0;
        }
        if (challengeAcksInWindow < config.challengeAckLimitPerSecond)
        {
            challengeAcksInWindow++;
            counters.challengeAcks++;
            c.rcv.ackNow = true;
        }
        else
        {
            counters.challengeAcksSuppressed++;
        }
    }

    @Override
    public void onIcmpError(
        final int icmpType, final int icmpCode, final int srcAddr, final int dstAddr, final DirectBuffer quoted,
        final int offset, final int length, final int nextHopMtu, final long nowNs)
    {
        lastNowNs = nowNs;
        if (length < 8)
        {
            return;
        }
        final int localPort = quoted.getShort(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int remotePort = quoted.getShort(offset + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int seq = quoted.getInt(offset + 4, java.nio.ByteOrder.BIG_ENDIAN);
        final TcpConnection c = table.get(key(dstAddr, remotePort, localPort));
        if (c == null || c.state == TcpState.CLOSED)
        {
            return;
        }
        // RFC 5927 §4.1: the quoted sequence number must be one we have sent and not yet had acknowledged.
        if (!SeqNum.inRangeInclusive(seq, c.snd.una, c.snd.max))
        {
            counters.icmpIgnored++;
            return;
        }
        counters.icmpErrors++;
        if (icmpType == 3 && icmpCode == 4 && nextHopMtu >= 68)
        {
            final int mss = nextHopMtu - TcpOptionsNegotiation.IPV4_TCP_HEADERS -
                (c.tsEnabled ? TcpOptionsNegotiation.TIMESTAMP_OPTION_BYTES : 0);
            if (mss > 0 && mss < c.snd.mss)
            {
                c.snd.mss = mss; // RFC 1191 path MTU discovery
            }
            return;
        }
        if (icmpType != 3)
        {
            return; // time exceeded, parameter problem: soft errors, not reported
        }
        final boolean hard = icmpCode == 2 || icmpCode == 3 || icmpCode == 4;
        // Codes 9, 10 (RFC 1122 §3.2.2.1) and 13 (RFC 1812 §5.2.7.1): communication administratively prohibited.
        // RFC 1122 §4.2.3.9 names them neither soft nor hard; Linux (icmp_err_convert) treats them as fatal, so a
        // connect to a port a firewall rejects fails at once instead of timing out.
        final boolean prohibited = icmpCode == 9 || icmpCode == 10 || icmpCode == 13;
        if (c.state == TcpState.SYN_SENT && prohibited)
        {
            c.terminate(TcpError.PROHIBITED);
        }
        else if (c.state == TcpState.SYN_SENT && hard)
        {
            // RFC 1122 §4.2.3.9 and RFC 5461: port (or protocol) unreachable in SYN-SENT means refused.
            c.terminate(TcpError.REFUSED);
        }
        else
        {
            c.softError = TcpError.UNREACHABLE;
        }
        fireEvents();
    }

    void onRefusal(final TcpConnection c, final Ipv4Sender.Refusal refusal)
    {
        counters.sendRefused++;
        if (refusal == Ipv4Sender.Refusal.NEIGHBOUR_UNREACHABLE || refusal == Ipv4Sender.Refusal.NO_ROUTE)
        {
            if (c.state == TcpState.SYN_SENT)
            {
                c.terminate(TcpError.UNREACHABLE);
            }
            else
            {
                c.softError = TcpError.UNREACHABLE;
            }
        }
    }

    // ---- egress and timers ------------------------------------------------------------------------------

    @Override
    public void dispatch(final Ipv4Sender sender, final long nowNs)
    {
        lastNowNs = nowNs;
        mtu = sender.mtu();
        dirty = false;
        boolean deviceBusy = false;
        for (int i = 0; i < connections.size(); i++)
        {
            final TcpConnection c = connections.get(i);
            if (c.state == TcpState.CLOSED)
            {
                continue;
            }
            if (nowNs >= c.nextDeadlineNs())
            {
                c.onTimers(nowNs);
            }
            if (deviceBusy || !c.hasOutput())
            {
                continue;
            }
            if (output.dispatch(c, sender, nowNs))
            {
                c.needsDispatch = false;
            }
            else
            {
                final Ipv4Sender.Refusal refusal = sender.lastRefusal();
                deviceBusy = refusal == Ipv4Sender.Refusal.DEVICE_BUSY;
                dirty = true;
            }
        }
        while (!deviceBusy && !resets.isEmpty())
        {
            if (!resets.sendHead(sender, output))
            {
                dirty = true;
                break;
            }
            counters.resetsSent++;
        }
        fireEvents();
        sweep();
    }

    @Override
    public long pollAtNs(final long nowNs)
    {
        if (dirty || !resets.isEmpty())
        {
            return nowNs;
        }
        long at = Long.MAX_VALUE;
        for (int i = 0; i < connections.size(); i++)
        {
            final TcpConnection c = connections.get(i);
            if (c.state == TcpState.CLOSED)
            {
                continue;
            }
            if (c.hasOutput())
            {
                return nowNs;
            }
            at = Math.min(at, c.nextDeadlineNs());
        }
        return at;
    }

    void markOutput(final TcpConnection c)
    {
        c.needsDispatch = true;
        dirty = true;
    }

    void markEvents(final TcpConnection c)
    {
        if (!c.queuedForEvents)
        {
            c.queuedForEvents = true;
            eventQueue.add(c);
        }
    }

    void markListenerEvent(final TcpListener listener)
    {
        if (!listener.queuedForEvents)
        {
            listener.queuedForEvents = true;
            listenerEvents.add(listener);
        }
    }

    void markClosed(final TcpConnection c)
    {
        dirty = true;
    }

    /** Calls the user's callbacks after processing, so they may act on the socket freely. */
    private void fireEvents()
    {
        for (int i = 0; i < listenerEvents.size(); i++)
        {
            final TcpListener l = listenerEvents.get(i);
            l.queuedForEvents = false;
            l.fireAcceptable();
        }
        listenerEvents.clear();
        for (int i = 0; i < eventQueue.size(); i++)
        {
            final TcpConnection c = eventQueue.get(i);
            c.queuedForEvents = false;
            final int events = c.events;
            c.events = 0;
            c.socket.fire(events);
        }
        eventQueue.clear();
    }

    /** Removes CLOSED connections from the table (swap-remove; allocation-free). */
    private void sweep()
    {
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final TcpConnection c = connections.get(i);
            if (c.state == TcpState.CLOSED)
            {
                final int last = connections.size() - 1;
                connections.set(i, connections.get(last));
                connections.remove(last);
                if (table.get(c.key) == c)
                {
                    table.remove(c.key);
                }
                c.registered = false;
            }
        }
    }
}
