package io.conntest.stack.tcp;

import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.iface.IpProtocolHandler;
import io.conntest.stack.iface.Ipv4Assignment;
import io.conntest.stack.iface.Ipv4Sender;
import io.conntest.stack.iface.Ipv6Sender;
import io.conntest.stack.iface.UnclaimedArrivals;
import io.conntest.stack.tcp.seq.SeqNum;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.Checksum;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.stack.wire.Ipv4Packet;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.security.SecureRandom;
import java.util.ArrayList;

/**
 * TCP (IPv4 protocol 6, IPv6 next header 6) for one interface: demultiplexes segments by 4-tuple to connections and
 * by port to listeners (a listener takes both families, as a Linux socket on {@code ::} without IPV6_V6ONLY), answers segments for no connection with RST (RFC 9293 §3.10.7.1), picks initial sequence numbers
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
    /** Our address: fixed, or the interface's {@link Ipv4Assignment} that DHCP binds (0 while unassigned). */
    private final Ipv4Assignment local;
    private final TcpKeyedHash hash;
    private final TcpOutput output;
    private final Long2ObjectHashMap<TcpConnection> table = new Long2ObjectHashMap<>();
    /**
     * IPv6 connections, keyed as IPv4's with a keyed 32-bit digest of the peer's address in place of the address
     * ({@link #digest}); a lookup checks the full addresses, and a key already taken is never shared (connect picks
     * another port, a SYN is dropped and counted), so a digest collision can only refuse, never mix connections.
     */
    private final Long2ObjectHashMap<TcpConnection> table6 = new Long2ObjectHashMap<>();
    private Ipv6Sender ipv6;
    /** The IPv6 segment being processed for no connection: whom a reply or a new connection is for. */
    private boolean rx6;
    private long rxSrcHi;
    private long rxSrcLo;
    private long rxDstHi;
    private long rxDstLo;
    private final ArrayList<TcpConnection> connections = new ArrayList<>();
    private final Int2ObjectHashMap<TcpListener> listeners = new Int2ObjectHashMap<>();
    private final ArrayList<TcpConnection> eventQueue = new ArrayList<>();
    private final ArrayList<TcpListener> listenerEvents = new ArrayList<>();
    private final TcpPacket rxView = new TcpPacket();
    private final TcpRepr rxRepr = new TcpRepr();
    private final TcpResetQueue resets;
    private final TcpSynAckQueue cookieSynAcks;
    private final TcpSynCookies cookies;
    private final TcpCounters counters = new TcpCounters();
    private UnclaimedArrivals unclaimed;

    private int mtu = 1500;
    private int nextEphemeral;
    private long lastNowNs;
    private boolean dirty;

    /** A protocol with a random secret key (RFC 6528 §3). */
    /** Where segments for a closed port are noted (for a prober's question, which probes arrived); null: nowhere. */
    public void unclaimedArrivals(final UnclaimedArrivals log)
    {
        this.unclaimed = log;
    }

    public TcpProtocol(final TcpConfig config, final int localAddr)
    {
        this(config, localAddr, new SecureRandom().nextLong(), new SecureRandom().nextLong());
    }

    /** A protocol with a given key: deterministic ISNs and ports for tests and simulations. */
    public TcpProtocol(final TcpConfig config, final int localAddr, final long key0, final long key1)
    {
        this(config, Ipv4Assignment.of(localAddr, 32), key0, key1);
    }

    /**
     * A protocol on the interface's current address ({@code Interface#ipv4()}), which DHCP may assign or change at
     * run time: connections opened before an address is assigned fail with {@link TcpError#NO_ADDRESS}; open ones
     * keep the address they started with.
     */
    public TcpProtocol(final TcpConfig config, final Ipv4Assignment local, final long key0, final long key1)
    {
        this.config = config.validate();
        this.local = local;
        this.hash = new TcpKeyedHash(key0, key1);
        this.output = new TcpOutput(this);
        this.resets = new TcpResetQueue(config.resetQueueSize);
        this.cookieSynAcks = new TcpSynAckQueue(config.synAckQueueSize);
        this.cookies = new TcpSynCookies(hash);
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

    /** The MTU of {@code c}'s family: the interface's IPv4 MTU, or the IPv6 link MTU. */
    int mtu(final TcpConnection c)
    {
        return c.ipv6 && ipv6 != null ? ipv6.mtu() : mtu;
    }

    Ipv6Sender ipv6Sender()
    {
        return ipv6;
    }

    @Override
    public void attachIpv6(final Ipv6Sender sender)
    {
        this.ipv6 = sender;
    }

    /** A keyed 32-bit digest of an IPv6 address: what the IPv4 code's hashes and keys take in its place. */
    int digest(final long hi, final long lo)
    {
        return (int)hash.hash(hi ^ 0x3644_6967_6573_7400L, lo);
    }

    /** Sets the MTU used for the MSS before the first dispatch tells it (the sender reports it afterwards). */
    public void mtu(final int mtu)
    {
        // RFC 791: every IPv4 link carries 68 bytes; below that the MSS would be nonsense (0 once gave MSS 64).
        InterfaceConfig.checkMtu(mtu);
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

    /**
     * RFC 9293 §3.10.1 passive OPEN: a listener on {@code port} with at most {@code backlog} established connections
     * waiting for {@link TcpListener#accept()}, and at most {@link TcpConfig#synBacklog} half-open ones.
     */
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
        final TcpListener listener = new TcpListener(this, port, Math.max(1, backlog), config.synBacklog);
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

    /**
     * Connections whose close handshake is still under way (FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK): an owner that
     * is shutting down waits for this to reach 0, within a bound, before {@link #abortAll()}.
     */
    public int closingConnections()
    {
        int n = 0;
        for (int i = 0; i < connections.size(); i++)
        {
            switch (connections.get(i).state)
            {
                case FIN_WAIT_1:
                case FIN_WAIT_2:
                case CLOSING:
                case LAST_ACK:
                    n++;
                    break;
                default:
                    break;
            }
        }
        return n;
    }

    /**
     * RFC 9293 §3.10.5 ABORT of every connection not CLOSED or in TIME-WAIT, for a stack that is going away: each
     * synchronized peer gets a RST (sent on the next dispatch) instead of being left half-open.
     */
    public void abortAll()
    {
        for (int i = 0; i < connections.size(); i++)
        {
            final TcpConnection c = connections.get(i);
            if (c.state != TcpState.CLOSED && c.state != TcpState.TIME_WAIT)
            {
                c.abort(lastNowNs);
            }
        }
        fireEvents();
    }

    boolean connect(final TcpConnection c, final int remoteAddr, final int remotePort)
    {
        if (!isUnicast(remoteAddr) || remotePort <= 0 || remotePort > 0xFFFF)
        {
            // RFC 9293 §3.9.1.1 (MUST-46): no OPEN to a broadcast, multicast or invalid address.
            throw new IllegalArgumentException("not a unicast destination");
        }
        final int localAddr = local.address();
        if (localAddr == 0)
        {
            c.error = TcpError.NO_ADDRESS;
            return false;
        }
        if (connections.size() >= config.maxConnections)
        {
            return false;
        }
        final int port = pickEphemeralPort(table, localAddr, remoteAddr, remotePort);
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

    boolean connect6(final TcpConnection c, final long remoteHi, final long remoteLo, final int remotePort)
    {
        if (Ipv6Address.isMulticast(remoteHi) || Ipv6Address.isUnspecified(remoteHi, remoteLo)
            || remotePort <= 0 || remotePort > 0xFFFF)
        {
            // RFC 9293 §3.9.1.1 (MUST-46): no OPEN to a multicast or invalid address.
            throw new IllegalArgumentException("not a unicast destination");
        }
        if (ipv6 == null || !ipv6.selectSource(remoteHi, remoteLo))
        {
            c.error = TcpError.NO_ADDRESS;
            return false;
        }
        if (connections.size() >= config.maxConnections)
        {
            return false;
        }
        final long localHi = ipv6.sourceHi();
        final long localLo = ipv6.sourceLo();
        final int localDigest = digest(localHi, localLo);
        final int remoteDigest = digest(remoteHi, remoteLo);
        final int port = pickEphemeralPort(table6, localDigest, remoteDigest, remotePort);
        if (port < 0)
        {
            return false;
        }
        c.setTuple6(localHi, localLo, localDigest, port, remoteHi, remoteLo, remoteDigest, remotePort);
        register(c);
        c.openActive(lastNowNs);
        markOutput(c);
        return true;
    }

    /** RFC 6056 §3.3.3 Algorithm 3: offset by a keyed hash of the destination, then a shared counter. */
    private int pickEphemeralPort(final Long2ObjectHashMap<TcpConnection> table, final int localAddr,
        final int remoteAddr, final int remotePort)
    {
        final int min = config.ephemeralPortMin;
        final int num = config.ephemeralPortMax - min + 1;
        final long offset =
            hash.hash(((long)localAddr << 32) | (remoteAddr & 0xFFFF_FFFFL), remotePort) & 0x7FFF_FFFF;
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
        return timestampOffset(c.remoteAddr, c.ipv6 ? c.localAddr : local.address(), c.localPort, c.remotePort);
    }

    private int timestampOffset(final int remoteAddr, final int localAddr, final int localPort, final int remotePort)
    {
        return (int)(hash.hash(((long)remoteAddr << 32) | (localAddr & 0xFFFF_FFFFL),
            0x5453L << 32 | ((long)localPort << 16) | remotePort) >>> 32);
    }

    private void register(final TcpConnection c)
    {
        (c.ipv6 ? table6 : table).put(c.key, c);
        connections.add(c);
        c.registered = true;
    }

    // ---- ingress ----------------------------------------------------------------------------------------

    /** TTL and TOS of the datagram being processed (from {@link #onIpHeader}), -1 when none was given. */
    private int rxTtl = -1;
    private int rxTos = -1;

    @Override
    public void onIpHeader(final int ttl, final int tos)
    {
        rxTtl = ttl;
        rxTos = tos;
    }

    @Override
    public boolean processDatagram(
        final int srcAddr, final int dstAddr, final DirectBuffer buffer, final int offset, final int length,
        final long nowNs)
    {
        return processDatagram(srcAddr, dstAddr, buffer, offset, length, false, nowNs);
    }

    /**
     * A segment of any size up to 64 KB (a super-segment the kernel coalesced or an offloading peer sent whole is
     * processed as one); with {@code checksumTrusted} (offloads) its checksum is not verified again.
     */
    @Override
    public boolean processDatagram(
        final int srcAddr, final int dstAddr, final DirectBuffer buffer, final int offset, final int length,
        final boolean checksumTrusted, final long nowNs)
    {
        lastNowNs = nowNs;
        if (!parse(buffer, offset, length, Checksum.ipv4AddressSum(srcAddr, dstAddr), checksumTrusted))
        {
            return true;
        }
        final TcpRepr seg = rxRepr;
        counters.segmentsIn++;
        if (dstAddr != local.address() || dstAddr == 0 || !isUnicast(srcAddr))
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
            processForConnection(c, seg, buffer, nowNs);
        }
        else
        {
            processNoConnection(srcAddr, seg, buffer, nowNs);
        }
        return true;
    }

    /**
     * Parses a segment of either family into {@link #rxRepr}, its checksum over the pseudo-header whose addresses sum
     * to {@code addressSum} unless trusted; false (counted: malformed or bad checksum) when it is to be dropped.
     */
    private boolean parse(final DirectBuffer buffer, final int offset, final int length, final long addressSum,
        final boolean checksumTrusted)
    {
        if (!rxView.wrap(buffer, offset, length))
        {
            counters.malformed++;
            return false;
        }
        final TcpRepr.ParseResult result = rxRepr.parse(rxView, addressSum, config.verifyChecksum && !checksumTrusted);
        if (result == TcpRepr.ParseResult.OK)
        {
            return true;
        }
        if (result == TcpRepr.ParseResult.BAD_CHECKSUM)
        {
            counters.badChecksum++;
        }
        else
        {
            counters.malformed++;
        }
        return false;
    }

    private void processForConnection(final TcpConnection c, final TcpRepr seg, final DirectBuffer buffer,
        final long nowNs)
    {
        if (seg.payloadLength > mtu(c) - c.ipAndTcpHeaders())
        {
            c.counters.superSegmentsIn++; // larger than our MSS: coalesced by the kernel or sent whole (TSO)
        }
        c.lastTtl = rxTtl;
        c.lastTos = rxTos;
        TcpInput.process(c, seg, buffer, nowNs);
        c.needsDispatch = true;
        dirty = true;
    }

    /**
     * A segment over IPv6 (RFC 8200 §8.1: the checksum covers the IPv6 pseudo-header). The IPv6 host delivers only
     * packets to one of our unicast addresses from a source that is not multicast; the unspecified source is dropped
     * here as a non-unicast one. Then as IPv4: a connection, else a listener (the same listeners), else RST.
     */
    @Override
    public boolean processIpv6Datagram(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        return processIpv6Datagram(srcHi, srcLo, dstHi, dstLo, buffer, offset, length, false, nowNs);
    }

    /** As IPv4's: with {@code checksumTrusted} (offloads) the checksum is not verified again. */
    @Override
    public boolean processIpv6Datagram(final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final DirectBuffer buffer, final int offset, final int length, final boolean checksumTrusted,
        final long nowNs)
    {
        lastNowNs = nowNs;
        if (!parse(buffer, offset, length, Checksum.ipv6AddressSum(srcHi, srcLo, dstHi, dstLo), checksumTrusted))
        {
            return true;
        }
        final TcpRepr seg = rxRepr;
        counters.segmentsIn++;
        if (Ipv6Address.isUnspecified(srcHi, srcLo) || Ipv6Address.isMulticast(srcHi))
        {
            counters.notUnicast++;
            return true;
        }
        if (seg.srcPort == 0 || seg.dstPort == 0)
        {
            counters.malformed++;
            return true;
        }
        final int remoteDigest = digest(srcHi, srcLo);
        final TcpConnection c = table6.get(key(remoteDigest, seg.srcPort, seg.dstPort));
        if (c != null && c.state != TcpState.CLOSED && c.remoteHi == srcHi && c.remoteLo == srcLo
            && c.localHi == dstHi && c.localLo == dstLo)
        {
            processForConnection(c, seg, buffer, nowNs);
            return true;
        }
        rx6 = true;
        rxSrcHi = srcHi;
        rxSrcLo = srcLo;
        rxDstHi = dstHi;
        rxDstLo = dstLo;
        try
        {
            processNoConnection(remoteDigest, seg, buffer, nowNs);
        }
        finally
        {
            rx6 = false;
        }
        return true;
    }

    /** RFC 9293 §3.10.7.1 (CLOSED) and §3.10.7.2 (LISTEN). */
    private void processNoConnection(final int srcAddr, final TcpRepr seg, final DirectBuffer buffer, final long nowNs)
    {
        if (seg.hasFlag(TcpPacketFlags.RST))
        {
            return; // an incoming RST is discarded
        }
        final TcpListener listener = listeners.get(seg.dstPort);
        if (listener == null || listener.isClosed())
        {
            counters.resetsForClosedPort++;
            if (unclaimed != null && !rx6)
            {
                unclaimed.record(srcAddr, Ipv4Packet.PROTOCOL_TCP, seg.dstPort, nowNs);
            }
            replyReset(srcAddr, seg);
            return;
        }
        if (seg.hasFlag(TcpPacketFlags.ACK))
        {
            // RFC 4987 §3.6: the ACK of a handshake answered with a SYN cookie finds no connection; it makes one.
            if (!seg.hasFlag(TcpPacketFlags.SYN) && !rx6 && listener.cookiesRecentlySent(nowNs) &&
                acceptCookie(srcAddr, seg, listener, buffer, nowNs))
            {
                return;
            }
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
        if (listener.acceptQueueFull())
        {
            counters.synDroppedAcceptQueueFull++;
            return; // as Linux: drop, the peer retransmits the SYN
        }
        if (listener.synQueueFull() || connections.size() >= config.maxConnections)
        {
            if (config.synCookies && !rx6)
            {
                // SYN cookies are IPv4's only: an IPv6 SYN beyond the queue is dropped, the peer retransmits
                sendCookie(srcAddr, seg, listener, nowNs);
            }
            else
            {
                counters.synDroppedSynQueueFull++;
            }
            return;
        }
        if (rx6 && table6.containsKey(key(srcAddr, seg.srcPort, seg.dstPort)))
        {
            counters.synDroppedSynQueueFull++; // the key is another peer's (a digest collision): never shared
            return;
        }
        final TcpConnection c = newChild(listener, seg, local.address(), srcAddr);
        c.iss = initialSequenceNumber(c, nowNs);
        c.tsOffset = timestampOffset(c);
        c.snd.init(c.iss);
        c.rcv.onSyn(seg.seq);
        TcpOptionsNegotiation.onPeerSyn(c, seg);
        c.snd.onPeerSyn(seg.seq, seg.window);
        c.synToSend = true;
        c.lastSegmentInNs = nowNs;
        c.counters.segmentsIn++;
        listener.onChildCreated(c);
        register(c);
        dirty = true;
    }

    /**
     * RFC 4987 §3.6: answers a SYN with a SYN,ACK whose sequence number is a cookie and keeps nothing. Options as
     * Linux: our MSS always (the peer's, rounded down to the cookie table, travels in the cookie); window scale and
     * SACK-permitted only with timestamps, whose TSval carries the peer's back (see {@link TcpSynCookies}).
     */
    private void sendCookie(final int srcAddr, final TcpRepr seg, final TcpListener listener, final long nowNs)
    {
        final int mssIndex = TcpSynCookies.mssIndex(seg.mss);
        final int iss = cookies.encode(srcAddr, seg.srcPort, seg.dstPort, seg.seq, mssIndex, nowNs);
        final boolean ts = config.timestamps && seg.hasTimestamps;
        final int peerScale = ts && config.windowScaling ? seg.windowScale : -1;
        final boolean sack = ts && config.sack && seg.sackPermitted;
        final int tsVal = ts ? TcpSynCookies.encodeTimestamp(
            (int)(nowNs / 1_000_000L) + timestampOffset(srcAddr, local.address(), seg.dstPort, seg.srcPort),
            peerScale, sack) : 0;
        // Our MSS option says what we can receive (RFC 6691); the cookie keeps what the peer can (for sending).
        final int mss = Math.min(0xFFFF, mtu - TcpOptionsNegotiation.IPV4_TCP_HEADERS);
        if (cookieSynAcks.offer(srcAddr, seg.dstPort, seg.srcPort, iss, seg.seq + 1,
            Math.min(listener.receiveBufferBytes, 0xFFFF), mss,
            peerScale >= 0 ? TcpReceiver.scaleFor(listener.receiveBufferBytes) : -1, sack, ts, tsVal, seg.tsVal))
        {
            counters.synCookiesSent++;
            listener.onCookieSent(nowNs);
            dirty = true;
        }
        else
        {
            counters.synDroppedSynQueueFull++;
        }
    }

    /**
     * RFC 4987 §3.6: an ACK for no connection that returns a valid cookie creates the connection the cookie
     * describes (MSS from the index; window scale and SACK from the echoed timestamp) and runs the ACK through it,
     * which completes the handshake and queues it for accept.
     *
     * @return false when the cookie is not valid (the caller answers with RST, as for any bad ACK in LISTEN).
     */
    private boolean acceptCookie(
        final int srcAddr, final TcpRepr seg, final TcpListener listener, final DirectBuffer buffer, final long nowNs)
    {
        final int peerIsn = seg.seq - 1;
        final int iss = seg.ack - 1;
        final int mssIndex = cookies.decode(srcAddr, seg.srcPort, seg.dstPort, peerIsn, iss, nowNs);
        if (mssIndex < 0)
        {
            counters.synCookiesRejected++;
            return false;
        }
        if (listener.acceptQueueFull() || connections.size() >= config.maxConnections)
        {
            counters.synDroppedAcceptQueueFull++;
            return true; // no room: drop; the peer's retransmission brings the cookie back while it is valid
        }
        counters.synCookiesAccepted++;
        final TcpConnection c = newChild(listener, seg, local.address(), srcAddr);
        c.iss = iss;
        c.tsOffset = timestampOffset(c);
        c.snd.initFromCookie(iss, peerIsn);
        c.rcv.onSyn(peerIsn);
        final boolean ts = config.timestamps && seg.hasTimestamps;
        c.tsEnabled = ts;
        final int peerScale = ts ? TcpSynCookies.windowScaleOf(seg.tsEcr) : -1;
        c.peerOfferedWindowScale = peerScale >= 0;
        if (peerScale >= 0 && config.windowScaling)
        {
            c.snd.setWindowScale(peerScale);
            c.rcv.setWindowScale(c.rcv.chooseScale());
        }
        c.sackEnabled = ts && config.sack && TcpSynCookies.sackPermittedOf(seg.tsEcr);
        if (ts)
        {
            c.tsRecent = seg.tsVal;
            c.tsRecentNs = nowNs;
        }
        final int mss = Math.min(TcpSynCookies.MSS_TABLE[mssIndex], mtu - TcpOptionsNegotiation.IPV4_TCP_HEADERS);
        c.snd.setMss(Math.max(64, mss - (ts ? TcpOptionsNegotiation.TIMESTAMP_OPTION_BYTES : 0)));
        c.rcv.windowField(true); // the right edge the cookie SYN,ACK offered
        listener.onChildCreated(c);
        register(c);
        TcpInput.process(c, seg, buffer, nowNs);
        c.needsDispatch = true;
        dirty = true;
        return true;
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

    /** An RST for a segment that matched no connection: to its source (the IPv6 one while {@link #rx6}). */
    void queueReset(final int remoteAddr, final int localPort, final int remotePort, final int seq, final int ack,
        final int flags)
    {
        final boolean queued = rx6
            ? resets.offer6(rxDstHi, rxDstLo, rxSrcHi, rxSrcLo, localPort, remotePort, seq, ack, flags)
            : resets.offer(remoteAddr, localPort, remotePort, seq, ack, flags);
        if (!queued)
        {
            counters.resetsDropped++;
        }
        dirty = true;
    }

    /** An RST to {@code c}'s peer, from its address, either family (an abort, or a reply RFC 9293 asks for). */
    void queueReset(final TcpConnection c, final int seq, final int ack, final int flags)
    {
        final boolean queued = c.ipv6
            ? resets.offer6(c.localHi, c.localLo, c.remoteHi, c.remoteLo, c.localPort, c.remotePort, seq, ack, flags)
            : resets.offer(c.remoteAddr, c.localPort, c.remotePort, seq, ack, flags);
        if (!queued)
        {
            counters.resetsDropped++;
        }
        dirty = true;
    }

    /**
     * RFC 5961 §3.2, §4.2, §5.2 with the rate limit of §7, per connection: each connection has its own budget per
     * window, drawn at random (keyed hash of the 4-tuple and the window number) between half the configured count
     * and the count. No counter is shared between connections, so in-window RSTs on one connection tell an attacker
     * nothing about another (the CVE-2016-5696 side channel), and a flood on one connection is throttled.
     */
    void challengeAck(final TcpConnection c, final long nowNs)
    {
        if (!c.challengeWindowOpen || nowNs - c.challengeWindowStartNs >= config.challengeAckWindowNs)
        {
            c.challengeWindowOpen = true;
            c.challengeWindowStartNs = nowNs;
            c.challengeWindows++;
            final int max = config.challengeAcksPerWindow;
            final int min = Math.max(1, max / 2);
            final long r = hash.hash(c.key, 0x4341L << 48 | (c.challengeWindows & 0xFFFF_FFFFL)) & 0x7FFF_FFFF;
            c.challengeAcksLeft = min + (int)(r % (max - min + 1));
        }
        if (c.challengeAcksLeft > 0)
        {
            c.challengeAcksLeft--;
            counters.challengeAcks++;
            c.rcv.requestAck();
        }
        else
        {
            counters.challengeAcksSuppressed++;
        }
    }

    @Override
    public void onIcmpError(
        final int icmpType, final int icmpCode, final int reporter, final int srcAddr, final int dstAddr,
        final DirectBuffer quoted, final int offset, final int length, final int nextHopMtu, final long nowNs)
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
        if (!SeqNum.inRangeInclusive(seq, c.snd.una(), c.snd.max()))
        {
            counters.icmpIgnored++;
            return;
        }
        counters.icmpErrors++;
        if (icmpType == 3 && icmpCode == 4 && nextHopMtu >= 68)
        {
            final int mss = nextHopMtu - TcpOptionsNegotiation.IPV4_TCP_HEADERS -
                (c.tsEnabled ? TcpOptionsNegotiation.TIMESTAMP_OPTION_BYTES : 0);
            c.snd.onPathMtu(mss); // RFC 1191 path MTU discovery
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
        c.icmpErrorFrom = reporter;
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
    }

    /**
     * RFC 4443 §3 errors about a segment we sent over IPv6, handled as ICMPv4's are ({@link #onIcmpError}): the quoted
     * sequence number must be in flight (RFC 5927 §4.1); Packet Too Big lowers the connection's MSS (RFC 8201 §4:
     * never below the IPv6 minimum link MTU, 1280); in SYN-SENT a port unreachable (code 4) refuses the connect and an
     * administrative prohibition (1), a source address policy failure (5) or a reject route (6) fails it as
     * prohibited, as Linux's icmpv6_err_convert does; the others are soft errors, the connect timing out with them.
     */
    @Override
    public void onIcmpv6Error(final int icmpType, final int icmpCode, final long reporterHi, final long reporterLo,
        final long dstHi, final long dstLo, final DirectBuffer quoted, final int offset, final int length,
        final int mtu, final long nowNs)
    {
        lastNowNs = nowNs;
        if (length < 8)
        {
            return;
        }
        final int localPort = quoted.getShort(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int remotePort = quoted.getShort(offset + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int seq = quoted.getInt(offset + 4, java.nio.ByteOrder.BIG_ENDIAN);
        final TcpConnection c = table6.get(key(digest(dstHi, dstLo), remotePort, localPort));
        if (c == null || c.state == TcpState.CLOSED || c.remoteHi != dstHi || c.remoteLo != dstLo)
        {
            return;
        }
        if (!SeqNum.inRangeInclusive(seq, c.snd.una(), c.snd.max()))
        {
            counters.icmpIgnored++;
            return;
        }
        counters.icmpErrors++;
        if (icmpType == 2)
        {
            if (mtu >= 1280)
            {
                c.snd.onPathMtu(Math.min(mtu, mtu(c)) - TcpOptionsNegotiation.IPV6_TCP_HEADERS
                    - (c.tsEnabled ? TcpOptionsNegotiation.TIMESTAMP_OPTION_BYTES : 0));
            }
            return;
        }
        if (icmpType != 1)
        {
            return; // time exceeded, parameter problem: soft errors, not reported
        }
        c.icmpv6ErrorFromHi = reporterHi;
        c.icmpv6ErrorFromLo = reporterLo;
        final boolean prohibited = icmpCode == 1 || icmpCode == 5 || icmpCode == 6;
        if (c.state == TcpState.SYN_SENT && prohibited)
        {
            c.terminate(TcpError.PROHIBITED);
        }
        else if (c.state == TcpState.SYN_SENT && icmpCode == 4)
        {
            c.terminate(TcpError.REFUSED);
        }
        else
        {
            c.softError = TcpError.UNREACHABLE;
        }
    }

    void onRefusal(final TcpConnection c, final Ipv4Sender.Refusal refusal)
    {
        counters.sendRefused++;
        if (refusal == Ipv4Sender.Refusal.NEIGHBOUR_UNREACHABLE || refusal == Ipv4Sender.Refusal.NO_ROUTE)
        {
            if (c.state == TcpState.SYN_RECEIVED && c.listener != null)
            {
                // A SYN from an address we cannot reach (a spoofed flood): give its SYN queue slot back at once
                // instead of retrying the SYN,ACK for minutes (Linux drops the request when the route fails).
                c.terminate(TcpError.NONE);
            }
            else if (c.state == TcpState.SYN_SENT)
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
            if (Deadline.isDue(c.nextDeadlineNs(), nowNs))
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
                final Ipv4Sender.Refusal refusal = c.ipv6 && ipv6 != null ? ipv6.lastRefusal() : sender.lastRefusal();
                deviceBusy = refusal == Ipv4Sender.Refusal.DEVICE_BUSY;
                dirty = true;
            }
        }
        // Stateless replies wait only for a busy device: one to an unroutable or unresolvable address is dropped
        // (the peer, if real, retransmits), so it cannot hold up the replies behind it.
        while (!deviceBusy && !cookieSynAcks.isEmpty())
        {
            if (!cookieSynAcks.sendHead(sender))
            {
                deviceBusy = sender.lastRefusal() == Ipv4Sender.Refusal.DEVICE_BUSY;
                if (!deviceBusy)
                {
                    cookieSynAcks.dropHead();
                    counters.repliesUnsendable++;
                }
            }
        }
        while (!deviceBusy && !resets.isEmpty())
        {
            if (resets.sendHead(sender, ipv6, output))
            {
                counters.resetsSent++;
                continue;
            }
            deviceBusy = (resets.headIsIpv6() && ipv6 != null ? ipv6.lastRefusal() : sender.lastRefusal())
                == Ipv4Sender.Refusal.DEVICE_BUSY;
            if (!deviceBusy)
            {
                resets.dropHead();
                counters.repliesUnsendable++;
            }
        }
        if (deviceBusy)
        {
            dirty = true;
        }
        fireEvents();
        sweep();
    }

    /** A connection for a SYN to {@code listener} (kept state or a returning cookie): SYN-RECEIVED, its options. */
    private TcpConnection newChild(
        final TcpListener listener, final TcpRepr seg, final int localAddr, final int srcAddr)
    {
        final TcpConnection c = new TcpConnection(this, config);
        c.socket.receiveBufferBytes = listener.receiveBufferBytes;
        c.socket.sendBufferBytes = listener.sendBufferBytes;
        c.snd.setNoDelay(listener.noDelay);
        if (rx6)
        {
            c.setTuple6(rxDstHi, rxDstLo, digest(rxDstHi, rxDstLo), seg.dstPort, rxSrcHi, rxSrcLo, srcAddr,
                seg.srcPort);
        }
        else
        {
            c.setTuple(localAddr, seg.dstPort, srcAddr, seg.srcPort);
        }
        c.listener = listener;
        c.setState(TcpState.SYN_RECEIVED);
        return c;
    }

    @Override
    public long pollAtNs(final long nowNs)
    {
        if (dirty || !resets.isEmpty() || !cookieSynAcks.isEmpty())
        {
            return nowNs;
        }
        long at = Deadline.NEVER;
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
            at = Deadline.earliest(at, c.nextDeadlineNs());
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

    /** The poll's delivery phase: the readiness callbacks of what ingress changed. */
    @Override
    public void deliver(final long nowNs)
    {
        fireEvents();
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
                final Long2ObjectHashMap<TcpConnection> keyed = c.ipv6 ? table6 : table;
                if (keyed.get(c.key) == c)
                {
                    keyed.remove(c.key);
                }
                c.registered = false;
            }
        }
    }
}
