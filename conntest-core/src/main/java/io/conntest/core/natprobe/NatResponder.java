package io.conntest.core.natprobe;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The listener's side of the NAT probes (docs/protocol.md, "NAT probes"): answers each well-formed request with the
 * source address and port it came from and the number of the listener's alternate port, statelessly, except for
 * the requests that ask for an answer after a delay (a binding lifetime test, RFC 5780 &sect;4.6), which wait in a
 * table of {@link #MAX_PENDING} entries and are answered twice, {@link #COPY_GAP_NS} apart (so that one lost answer
 * does not pass for a lost binding; such a request is twice an answer's size); a copy of a waiting request (the
 * same token from the same source: the prober sends two) is not answered again; a request finding the table full
 * is answered "busy" at once.
 *
 * <p>Anti-amplification (RFC 5780 &sect;7's concern, as for STUN): an answer is never larger than its request (both are
 * {@link NatProbe#LENGTH} bytes, the minimum request), one answer per request, never an answer to an answer, and at
 * most {@link #ANSWERS_PER_SECOND} answers a second with bursts of {@link #BURST} (a token bucket per listener): a
 * flood of spoofed requests turns into a trickle. Malformed probes and those over the rate are counted and dropped.
 * Single-threaded (the transport's); allocates nothing per probe.
 */
public final class NatResponder
{
    /** What the responder needs of the listener: its two sockets. */
    public interface Io
    {
        /** Sends from the listener's port (best effort: false when it could not). */
        boolean sendFromMain(int dstAddr, int dstPort, DirectBuffer buffer, int offset, int length);

        /** Sends from the alternate port (best effort). */
        boolean sendFromAlternate(int dstAddr, int dstPort, DirectBuffer buffer, int offset, int length);

        /** The alternate port, 0 when the listener has none. */
        int alternatePort();

        /**
         * How often segments or datagrams from {@code srcAddr} for {@code protocol} port {@code port} found no socket
         * at this host lately; -1 when the host cannot tell (kernel sockets see no arrival for a closed port).
         */
        default int unclaimedArrivals(final int srcAddr, final int protocol, final int port, final long nowNs)
        {
            return -1;
        }
    }

    public static final int MAX_PENDING = 64;
    /** Between the two answers to a delayed request. */
    public static final long COPY_GAP_NS = 100_000_000L;
    public static final long ANSWERS_PER_SECOND = 100;
    public static final long BURST = 50;
    private static final long NS_PER_TOKEN = 1_000_000_000L / ANSWERS_PER_SECOND;

    private final Io io;
    private final UnsafeBuffer answer = new UnsafeBuffer(new byte[NatProbe.LENGTH]);
    private final UnsafeBuffer arrivalsAnswer =
        new UnsafeBuffer(new byte[NatProbe.LENGTH + NatProbe.bitmapBytes(NatProbe.MAX_ARRIVAL_PORTS)]);
    private final UnsafeBuffer pendingAnswers = new UnsafeBuffer(new byte[MAX_PENDING * NatProbe.LENGTH]);
    private final long[] pendingDueNs = new long[MAX_PENDING];
    private final int[] pendingAddr = new int[MAX_PENDING];
    private final int[] pendingPort = new int[MAX_PENDING];
    private final boolean[] pendingFromAlternate = new boolean[MAX_PENDING];
    private final boolean[] pendingUsed = new boolean[MAX_PENDING];
    private final long[] pendingToken = new long[MAX_PENDING];
    private final boolean[] pendingSecondCopy = new boolean[MAX_PENDING];
    private int pendingCount;
    private long tokens = BURST;
    private long refilledAtNs;
    private boolean started;
    private long answered;
    private long malformed;
    private long rateLimited;
    private long busy;

    public NatResponder(final Io io)
    {
        this.io = io;
    }

    /**
     * Handles a datagram that {@link NatProbe#isProbe is a probe}, from {@code srcAddr:srcPort}, that arrived on the
     * main port or on the alternate one.
     */
    public void onProbe(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length, final boolean onAlternate, final long nowNs)
    {
        if (NatProbe.check(buffer, offset, length) != NatProbe.REQUEST)
        {
            malformed++; // answers included: a responder never answers an answer (no loop between two of them)
            return;
        }
        if (!takeToken(nowNs))
        {
            rateLimited++;
            return;
        }
        final int kind = NatProbe.kind(buffer, offset);
        if (kind == NatProbe.KIND_ARRIVALS)
        {
            answerArrivals(srcAddr, srcPort, buffer, offset, onAlternate, nowNs);
            return;
        }
        final int alternatePort = io.alternatePort();
        if (kind == NatProbe.KIND_DELAYED)
        {
            if (isPending(srcAddr, srcPort, NatProbe.token(buffer, offset)))
            {
                return; // the prober's second copy of a request already waiting
            }
            final int slot = freeSlot();
            if (slot < 0)
            {
                busy++;
                NatProbe.writeAnswer(buffer, offset, answer, 0, true, srcAddr, srcPort, alternatePort, onAlternate);
                send(onAlternate, srcAddr, srcPort, answer, 0);
                return;
            }
            NatProbe.writeAnswer(buffer, offset, pendingAnswers, slot * NatProbe.LENGTH, false, srcAddr, srcPort,
                alternatePort, onAlternate);
            pendingUsed[slot] = true;
            pendingDueNs[slot] = nowNs + NatProbe.delayMs(buffer, offset) * 1_000_000L;
            pendingAddr[slot] = srcAddr;
            pendingPort[slot] = srcPort;
            pendingFromAlternate[slot] = onAlternate;
            pendingToken[slot] = NatProbe.token(buffer, offset);
            pendingSecondCopy[slot] = false;
            pendingCount++;
            return;
        }
        // "answer from the other port": the filtering test (RFC 5780 §4.4); without an alternate port, from this one,
        // and the answer says so (its flag), so the prober does not take the silence for filtering
        final boolean fromAlternate = kind == NatProbe.KIND_FROM_ALTERNATE && alternatePort != 0 ?
            !onAlternate : onAlternate;
        NatProbe.writeAnswer(buffer, offset, answer, 0, false, srcAddr, srcPort, alternatePort, fromAlternate);
        if (kind == NatProbe.KIND_SIZE)
        {
            // a path MTU probe: what arrived (whole, since UDP delivers whole datagrams) is the answer
            NatProbe.setReceivedLength(answer, 0, length);
        }
        send(fromAlternate, srcAddr, srcPort, answer, 0);
    }

    /**
     * Which of the requester's probes arrived: only about the address the request came from (nobody learns what
     * others sent), from the port asked; the answer is no larger than the request.
     */
    private void answerArrivals(final int srcAddr, final int srcPort, final DirectBuffer request, final int offset,
        final boolean onAlternate, final long nowNs)
    {
        final int protocol = NatProbe.arrivalsProtocol(request, offset);
        final int first = NatProbe.arrivalsFirstPort(request, offset);
        final int count = NatProbe.arrivalsPortCount(request, offset);
        final boolean cannotTell = io.unclaimedArrivals(srcAddr, protocol, first, nowNs) < 0;
        final int length = NatProbe.writeArrivalsAnswer(request, offset, arrivalsAnswer, 0, srcAddr, srcPort,
            cannotTell);
        for (int i = 0; i < count && !cannotTell; i++)
        {
            if (io.unclaimedArrivals(srcAddr, protocol, first + i, nowNs) > 0)
            {
                NatProbe.setArrived(arrivalsAnswer, 0, i);
            }
        }
        final boolean sent = onAlternate ? io.sendFromAlternate(srcAddr, srcPort, arrivalsAnswer, 0, length)
            : io.sendFromMain(srcAddr, srcPort, arrivalsAnswer, 0, length);
        if (sent)
        {
            answered++;
        }
    }

    private void send(final boolean fromAlternate, final int addr, final int port, final DirectBuffer buffer,
        final int offset)
    {
        final boolean sent = fromAlternate ? io.sendFromAlternate(addr, port, buffer, offset, NatProbe.LENGTH)
            : io.sendFromMain(addr, port, buffer, offset, NatProbe.LENGTH);
        if (sent)
        {
            answered++;
        }
    }

    /** Sends the delayed answers that are due; returns how many. */
    public int poll(final long nowNs)
    {
        if (pendingCount == 0)
        {
            return 0;
        }
        int work = 0;
        for (int i = 0; i < MAX_PENDING; i++)
        {
            if (pendingUsed[i] && nowNs - pendingDueNs[i] >= 0)
            {
                send(pendingFromAlternate[i], pendingAddr[i], pendingPort[i], pendingAnswers, i * NatProbe.LENGTH);
                if (pendingSecondCopy[i])
                {
                    pendingUsed[i] = false;
                    pendingCount--;
                }
                else
                {
                    pendingSecondCopy[i] = true;
                    pendingDueNs[i] = nowNs + COPY_GAP_NS;
                }
                work++;
            }
        }
        return work;
    }

    /** When the next delayed answer is due, or {@link Long#MAX_VALUE}. */
    public long pollAtNs()
    {
        if (pendingCount == 0)
        {
            return Long.MAX_VALUE;
        }
        long at = Long.MAX_VALUE;
        for (int i = 0; i < MAX_PENDING; i++)
        {
            if (pendingUsed[i])
            {
                at = Math.min(at, pendingDueNs[i]);
            }
        }
        return at;
    }

    private boolean isPending(final int addr, final int port, final long token)
    {
        for (int i = 0; i < MAX_PENDING && pendingCount > 0; i++)
        {
            if (pendingUsed[i] && pendingToken[i] == token && pendingAddr[i] == addr && pendingPort[i] == port)
            {
                return true;
            }
        }
        return false;
    }

    private int freeSlot()
    {
        if (pendingCount >= MAX_PENDING)
        {
            return -1;
        }
        for (int i = 0; i < MAX_PENDING; i++)
        {
            if (!pendingUsed[i])
            {
                return i;
            }
        }
        return -1;
    }

    /** The token bucket: {@link #ANSWERS_PER_SECOND} a second, at most {@link #BURST} saved up. */
    private boolean takeToken(final long nowNs)
    {
        if (!started)
        {
            started = true;
            refilledAtNs = nowNs;
        }
        final long earned = (nowNs - refilledAtNs) / NS_PER_TOKEN;
        if (earned > 0)
        {
            tokens = Math.min(BURST, tokens + earned);
            refilledAtNs = tokens == BURST ? nowNs : refilledAtNs + earned * NS_PER_TOKEN;
        }
        if (tokens == 0)
        {
            return false;
        }
        tokens--;
        return true;
    }

    /** Answers sent (immediate, delayed (two each) and busy ones). */
    public long answered()
    {
        return answered;
    }

    /** Probes dropped as malformed (answers that came to it included). */
    public long malformed()
    {
        return malformed;
    }

    /** Requests dropped over the rate bound. */
    public long rateLimited()
    {
        return rateLimited;
    }

    /** Delayed requests answered "busy" because the table was full. */
    public long busy()
    {
        return busy;
    }

    /** Delayed answers waiting. */
    public int pending()
    {
        return pendingCount;
    }
}
