package io.conntest.core.nat;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.natprobe.NatProbe;
import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;

/**
 * The path MTU test towards one conntest UDP listener (RFC 8899, datagram packetization-layer PMTU discovery, which
 * does not trust ICMP): size probes ({@link NatProbe#KIND_SIZE}) with DF set, each padded to the IPv4 packet size
 * tried, which the listener answers with a small datagram saying how many bytes arrived; a size is confirmed when
 * that answer comes, and lost after {@value #MAX_PROBES} probes without one (RFC 8899 &sect;5.1.2's MAX_PROBES).
 *
 * <p>The search: first {@value #BASE_PLPMTU} bytes (BASE_PLPMTU, RFC 8899 &sect;5.1.2; when it is lost, the IPv4
 * minimum of {@value #MIN_PLPMTU} bytes tells a small path MTU from a silent peer), then the local MTU (the common
 * case: the path carries what the link does), then halving the range between the largest size confirmed and the
 * smallest lost. An ICMP "fragmentation needed" heard on the way is a hint (RFC 8899 &sect;4.6.2): its next-hop
 * MTU is probed next when it lies in the open range, and only a confirmed probe makes it the result. Afterwards
 * the ICMP-based view (the kernel's route MTU, or the stack's interface MTU lowered by the messages heard) is read
 * and compared: larger than the probed size means a black hole (RFC 2923 &sect;2.1).
 *
 * <p>Bounded: one socket, one probe in flight, at most {@value #MAX_ROUNDS} sizes, {@value #DEADLINE_MS} ms in all.
 */
public final class PathMtuProber implements PeerProbe
{
    /** RFC 8899 &sect;5.1.2: BASE_PLPMTU for IPv4. */
    public static final int BASE_PLPMTU = 1200;
    /** RFC 791: every IPv4 link carries 68 bytes whole. */
    public static final int MIN_PLPMTU = 68;
    /** An IPv4 header without options and a UDP header. */
    static final int IP_UDP_HEADERS = 20 + 8;
    /** The largest size probed: the jumbo frames' MTU ({@link NatProbe#MAX_SIZE_REQUEST_LENGTH}). */
    public static final int MAX_PLPMTU = NatProbe.MAX_SIZE_REQUEST_LENGTH + IP_UDP_HEADERS;
    /** RFC 8899 &sect;5.1.2. */
    static final int MAX_PROBES = 3;
    static final int MAX_ROUNDS = 40;
    static final long DEADLINE_MS = 30_000;
    /** Before a round trip was measured; RFC 8899 leaves PROBE_TIMER to the PL (15 s is for the Internet). */
    static final long FIRST_TIMEOUT_NS = 1_000_000_000L;
    static final long MIN_TIMEOUT_NS = 200_000_000L;

    private final DatagramPort port;
    private final int peerAddr;
    private final int peerPort;
    private final String peer;
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[NatProbe.MAX_SIZE_REQUEST_LENGTH]);
    private final long tokenBase;
    private final boolean probing;

    private long startNs = Long.MIN_VALUE;
    private long deadlineNs;
    private int localMtu;
    /** Largest size confirmed, 0 none. */
    private int lo;
    /** Largest size still possible. */
    private int hi;
    private int size;
    private int tries;
    private long sentNs;
    private long timeoutNs = FIRST_TIMEOUT_NS;
    private long rttNs;
    private int rounds;
    private int probes;
    private int lost;
    private boolean baseLost;
    /** The probe in hand was refused by this host (larger than its interface's MTU): lost without waiting. */
    private boolean refused;
    private boolean triedLocal;
    /** The size an ICMP message suggested, probed last; 0 when none. */
    private int hinted;
    private boolean done;
    private PathMtuResult result;

    /**
     * @param sockets  opens the probe socket
     * @param peerAddr the listener's IPv4 address
     * @param peerPort its port
     * @param peer     {@code host:port} for the report
     * @param seed     of the probe tokens
     */
    public PathMtuProber(final NatProber.Sockets sockets, final int peerAddr, final int peerPort, final String peer,
        final long seed)
    {
        this.port = sockets.open(new Answers());
        this.peerAddr = peerAddr;
        this.peerPort = peerPort;
        this.peer = peer;
        this.tokenBase = seed & ~0xFFFF_FFFFL;
        this.probing = port.enablePathMtuProbing();
    }

    @Override
    public boolean isDone()
    {
        return done;
    }

    /** The verdict, once {@link #isDone()}. */
    public PathMtuResult result()
    {
        return result;
    }

    @Override
    public long pollAtNs()
    {
        if (done)
        {
            return Long.MAX_VALUE;
        }
        return startNs == Long.MIN_VALUE || refused ? Long.MIN_VALUE : sentNs + timeoutNs;
    }

    @Override
    public int poll(final long nowNs)
    {
        if (done)
        {
            return 0;
        }
        if (startNs == Long.MIN_VALUE)
        {
            return start(nowNs);
        }
        if (nowNs - deadlineNs >= 0)
        {
            finish(nowNs, "stopped after " + DEADLINE_MS + " ms");
            return 1;
        }
        if (refused)
        {
            refused = false;
            onSizeLost(nowNs);
            return 1;
        }
        if (nowNs - (sentNs + timeoutNs) < 0)
        {
            return 0;
        }
        lost++;
        if (tries < MAX_PROBES)
        {
            send(nowNs);
            return 1;
        }
        onSizeLost(nowNs);
        return 1;
    }

    private int start(final long nowNs)
    {
        startNs = nowNs;
        deadlineNs = nowNs + DEADLINE_MS * 1_000_000L;
        if (!probing)
        {
            finish(nowNs, "this transport cannot set DF on its datagrams");
            return 1;
        }
        localMtu = port.routeMtu(peerAddr, peerPort);
        // not capped by the local MTU: the kernel's route MTU may hold an old ICMP's figure, which probing ignores;
        // a size larger than the interface's MTU is refused here at once
        hi = MAX_PLPMTU;
        begin(BASE_PLPMTU, nowNs);
        return 1;
    }

    private void begin(final int newSize, final long nowNs)
    {
        if (++rounds > MAX_ROUNDS)
        {
            finish(nowNs, "stopped after " + MAX_ROUNDS + " sizes");
            return;
        }
        size = newSize;
        tries = 0;
        send(nowNs);
    }

    private void send(final long nowNs)
    {
        tries++;
        probes++;
        sentNs = nowNs;
        final int payload = size - IP_UDP_HEADERS;
        NatProbe.writeSizeRequest(request, 0, tokenBase | ((long)tries << 16) | size, payload);
        boolean sent;
        try
        {
            sent = port.send(peerAddr, peerPort, request, 0, payload);
        }
        catch (final IllegalArgumentException ex)
        {
            sent = false;
        }
        if (!sent)
        {
            // refused here (EMSGSIZE: larger than the interface's MTU): no need to wait for it
            probes--;
            refused = true;
        }
    }

    private void onSizeLost(final long nowNs)
    {
        if (lo == 0)
        {
            if (!baseLost && size > MIN_PLPMTU)
            {
                // a path below BASE_PLPMTU, or a silent peer: the smallest packet tells them apart
                baseLost = true;
                hi = size - 1;
                begin(MIN_PLPMTU, nowNs);
                return;
            }
            finish(nowNs, "no answer to " + MAX_PROBES + " probes of " + size
                + " bytes: is the peer a conntest UDP listener, is UDP to it let through?");
            return;
        }
        hi = size - 1;
        next(nowNs);
    }

    private void onConfirmed(final int confirmed, final long nowNs)
    {
        if (confirmed == size && tries == 1 || rttNs == 0)
        {
            rttNs = Math.max(1, nowNs - sentNs);
            timeoutNs = Math.max(MIN_TIMEOUT_NS, 4 * rttNs);
        }
        lo = Math.max(lo, confirmed);
        hi = Math.max(hi, lo);
        if (confirmed == size)
        {
            next(nowNs);
        }
    }

    private void next(final long nowNs)
    {
        if (lo >= hi)
        {
            finish(nowNs, null);
            return;
        }
        if (!triedLocal && localMtu > lo && localMtu <= hi)
        {
            // the common case first: the path carries what the link does
            triedLocal = true;
            begin(localMtu, nowNs);
            return;
        }
        // RFC 8899 §4.6.2: a PTB's MTU is only a hint, used when it lies between what is confirmed and what is lost
        final int hint = port.icmpNextHopMtu();
        if (hint > lo && hint <= hi && hint != size)
        {
            hinted = hint;
            begin(hint, nowNs);
            return;
        }
        if (hinted == lo && lo < hi)
        {
            // the hint confirmed: one byte more tells whether it was exact, instead of bisecting up to the lost size
            hinted = 0;
            begin(lo + 1, nowNs);
            return;
        }
        begin(lo + (hi - lo + 1) / 2, nowNs);
    }

    private void finish(final long nowNs, final String error)
    {
        done = true;
        final long durationMs = startNs == Long.MIN_VALUE ? 0 : (nowNs - startNs) / 1_000_000L;
        final int icmpMtu = port.icmpNextHopMtu();
        final int icmpFrom = port.icmpNextHopMtuFrom();
        final int icmpBased = probing && lo > 0 ? port.routeMtu(peerAddr, peerPort) : 0;
        final boolean atLeast = lo == MAX_PLPMTU;
        result = new PathMtuResult(peer, lo > 0 ? error : (error == null ? "no size confirmed" : error), lo,
            atLeast, localMtu, icmpMtu, icmpFrom == 0 ? null : NatProber.ipv4(icmpFrom), icmpBased, probes, lost,
            durationMs);
        port.close();
    }

    @Override
    public void close()
    {
        if (!done)
        {
            done = true;
            port.close();
        }
    }

    /** Answers to the size probes: a size is confirmed by an answer of its token carrying its whole length. */
    private final class Answers implements DatagramHandler
    {
        @Override
        public void onDatagram(final DatagramPort p, final int srcAddr, final int srcPort, final DirectBuffer buffer,
            final int offset, final int length, final long nowNs)
        {
            if (done || srcAddr != peerAddr || srcPort != peerPort
                || NatProbe.check(buffer, offset, length) != NatProbe.ANSWER
                || NatProbe.kind(buffer, offset) != (NatProbe.KIND_SIZE | NatProbe.ANSWER_BIT))
            {
                return;
            }
            final long token = NatProbe.token(buffer, offset);
            final int answeredSize = (int)(token & 0xFFFF);
            if ((token & ~0xFFFF_FFFFL) != tokenBase || answeredSize < MIN_PLPMTU || answeredSize > MAX_PLPMTU
                || NatProbe.receivedLength(buffer, offset) != answeredSize - IP_UDP_HEADERS)
            {
                return; // not ours, or it did not arrive whole
            }
            if (answeredSize > lo)
            {
                onConfirmed(answeredSize, nowNs);
            }
        }
    }
}
