package io.conntest.core.nat;

import io.conntest.core.natprobe.NatResponder;
import io.conntest.core.natprobe.NatProbe;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;

/**
 * The client's side of the NAT test towards one conntest UDP listener, driven by {@link #poll(long)} from the
 * engine's thread; every socket is a plain datagram socket of the transport (kernel or stack). The tests, after
 * RFC 5780 &sect;4 between two cooperating peers (the listener answers {@link NatProbe} requests):
 * <ol>
 * <li><b>mapping</b> (RFC 4787 &sect;4.1): from one socket, ask the listener's port and then its alternate port what
 * they see. The same address and port: endpoint-independent (or address-dependent: the peer has one address, so
 * the two cannot be told apart); different: address-and-port-dependent. Also whether the local port was kept.</li>
 * <li><b>hairpinning</b> (RFC 4787 &sect;6, RFC 5780 &sect;4.5): from a second socket, a request to the first
 * socket's mapped address ({@value #HAIRPIN_TRIES} tries); its arrival at the first socket, and the source it came
 * with, say whether the NAT hairpins and how.</li>
 * <li><b>filtering</b> (RFC 4787 &sect;5): from a fresh socket, ask the listener's port to answer from its alternate
 * port, which this socket never sent to ({@value #FILTER_TRIES} tries, {@value #FILTER_WAIT_MS} ms each). An answer:
 * endpoint-independent or address-dependent filtering (one peer address); none: address-and-port-dependent.</li>
 * <li><b>binding lifetime</b> (RFC 4787 &sect;4.3, RFC 5780 &sect;4.6): fresh sockets each make a mapping, then ask
 * for an answer after an idle gap; the gaps grow (1, 2, 3, 5, 8, ... s, up to the test's maximum, {@value #LANES}
 * at once, larger ones abandoned once a smaller one failed), then the range between the longest gap that was
 * answered and the shortest that was not is cut in four until it is within 10%. The request goes twice and the
 * listener answers twice, {@link NatResponder#COPY_GAP_NS} apart, so one lost datagram does not pass for a lost
 * binding.</li>
 * </ol>
 * Bounded: at most {@value #LANES} sockets at once, a fixed number of rounds, every wait has a deadline.
 */
public final class NatProber implements PeerProbe
{
    /** Opens a plain UDP socket on an ephemeral port (the transport's {@code openDatagram}). */
    @FunctionalInterface
    public interface Sockets
    {
        DatagramPort open(DatagramHandler handler);
    }

    static final long RETRY_NS = 500_000_000L;
    static final int MAPPING_TRIES = 10;
    static final int ALTERNATE_TRIES = 4;
    static final int FILTER_TRIES = 3;
    static final int HAIRPIN_TRIES = 3;
    static final long FILTER_WAIT_MS = 1_000;
    static final int LANES = 4;
    static final int MAX_BISECT_ROUNDS = 6;
    static final int MAX_BUSY = 5;
    static final long BUSY_WAIT_NS = 1_000_000_000L;
    /** How long after its due time a delayed answer is waited for: this plus four round trips. */
    static final long ANSWER_MARGIN_NS = 500_000_000L;
    static final long[] GROWTH_MS = {1_000, 2_000, 3_000, 5_000, 8_000, 13_000, 21_000, 34_000, 55_000, 89_000,
        144_000};
    /** The smallest gap tried when even one second is too long. */
    static final long MIN_GAP_MS = 100;

    private enum Phase
    {
        START, MAPPING, MAPPING_ALTERNATE, HAIRPIN, FILTERING, LIFETIME, DONE
    }

    private final Sockets sockets;
    private final int peerAddr;
    private final int peerPort;
    private final String peer;
    private final long maxGapMs;
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[NatProbe.DELAYED_REQUEST_LENGTH]);
    private long nextToken;
    private Phase phase = Phase.START;
    private NatTestResult result;

    private ProbeSocket first;
    private ProbeSocket filter;
    private ProbeSocket hairpin;
    private Boolean hairpinning;
    private String hairpinSource;
    private int alternatePort;
    private int seenAddr;
    private int seenPort;
    private int localPort;
    private long rttNs = 0;
    private String mapping;
    private Boolean portPreserved;
    private String filtering;
    private final List<String> notes = new ArrayList<>();

    private final List<Lane> lanes = new ArrayList<>();
    private boolean bisecting;
    private int growthIndex;
    private int bisectRounds;
    private long loMs;
    private long hiMs = -1;

    /**
     * @param peerAddr the listener's IPv4 address
     * @param peerPort its port
     * @param peer     {@code host:port} for the report
     * @param maxGapMs the longest idle gap to try (1 s to {@link NatProbe#MAX_DELAY_MS})
     * @param seed     of the request tokens
     */
    public NatProber(final Sockets sockets, final int peerAddr, final int peerPort, final String peer,
        final long maxGapMs, final long seed)
    {
        this.sockets = sockets;
        this.peerAddr = peerAddr;
        this.peerPort = peerPort;
        this.peer = peer;
        this.maxGapMs = Math.max(MIN_GAP_MS, Math.min(NatProbe.MAX_DELAY_MS, maxGapMs));
        this.nextToken = seed;
    }

    public boolean isDone()
    {
        return phase == Phase.DONE;
    }

    /** The verdicts, once {@link #isDone()}. */
    public NatTestResult result()
    {
        return result;
    }

    /** Does what is due; returns work done. */
    public int poll(final long nowNs)
    {
        try
        {
            return step(nowNs);
        }
        catch (final RuntimeException ex)
        {
            // a socket that cannot be opened (the transport has none, or no free port): a verdict of no verdict
            finish("cannot run: " + ex.getMessage());
            return 1;
        }
    }

    private int step(final long nowNs)
    {
        switch (phase)
        {
            case START:
                first = new ProbeSocket();
                first.begin(NatProbe.KIND_MAPPING, peerPort, 0, MAPPING_TRIES, RETRY_NS, nowNs);
                phase = Phase.MAPPING;
                return 1 + first.poll(nowNs);
            case MAPPING:
                return mapping(nowNs);
            case MAPPING_ALTERNATE:
                return mappingAlternate(nowNs);
            case HAIRPIN:
                return hairpin(nowNs);
            case FILTERING:
                return filtering(nowNs);
            case LIFETIME:
                return lifetime(nowNs);
            default:
                return 0;
        }
    }

    private int mapping(final long nowNs)
    {
        final int work = first.poll(nowNs);
        if (first.failed)
        {
            finish("no answer from " + peer + " to " + MAPPING_TRIES + " probes: not a conntest UDP listener, or UDP" +
                " is blocked on the way");
            return work + 1;
        }
        if (!first.answered)
        {
            return work;
        }
        seenAddr = first.seenAddr;
        seenPort = first.seenPort;
        localPort = first.port.localPort();
        portPreserved = seenPort == localPort;
        alternatePort = first.alternatePort;
        if (first.tries == 1)
        {
            rttNs = first.answeredNs - first.sentNs;
        }
        if (alternatePort == 0)
        {
            notes.add("the peer has no alternate port");
            startHairpin(nowNs);
            return work + 1;
        }
        first.begin(NatProbe.KIND_MAPPING, alternatePort, 0, ALTERNATE_TRIES, RETRY_NS, nowNs);
        phase = Phase.MAPPING_ALTERNATE;
        return work + 1 + first.poll(nowNs);
    }

    private int mappingAlternate(final long nowNs)
    {
        final int work = first.poll(nowNs);
        if (first.failed)
        {
            notes.add("the alternate port did not answer");
        }
        else if (first.answered)
        {
            mapping = first.seenAddr == seenAddr && first.seenPort == seenPort ?
                NatTestResult.ENDPOINT_INDEPENDENT : NatTestResult.ADDRESS_AND_PORT_DEPENDENT;
        }
        else
        {
            return work;
        }
        startHairpin(nowNs);
        return work + 1;
    }

    /**
     * Hairpinning (RFC 4787 &sect;6, RFC 5780 &sect;4.5): from a second socket, a request to the first socket's mapped
     * address; a NAT that hairpins sends it back inside, to the first socket, which notes its arrival and source.
     */
    private void startHairpin(final long nowNs)
    {
        hairpin = new ProbeSocket();
        hairpin.dstAddr = seenAddr;
        hairpin.begin(NatProbe.KIND_MAPPING, seenPort, 0, HAIRPIN_TRIES, RETRY_NS, nowNs);
        first.expectHairpin(hairpin.token);
        phase = Phase.HAIRPIN;
        hairpin.poll(nowNs);
    }

    private int hairpin(final long nowNs)
    {
        final int work = hairpin.poll(nowNs);
        if (first.hairpinArrived)
        {
            hairpinning = Boolean.TRUE;
            hairpinSource = ipv4(first.hairpinAddr) + ":" + first.hairpinPort;
        }
        else if (hairpin.failed)
        {
            hairpinning = Boolean.FALSE;
        }
        else
        {
            return work;
        }
        hairpin.close();
        first.close();
        startFiltering(nowNs);
        return work + 1;
    }

    private void startFiltering(final long nowNs)
    {
        filter = new ProbeSocket();
        filter.begin(NatProbe.KIND_FROM_ALTERNATE, peerPort, 0, FILTER_TRIES, FILTER_WAIT_MS * 1_000_000L, nowNs);
        phase = Phase.FILTERING;
        filter.poll(nowNs);
    }

    private int filtering(final long nowNs)
    {
        final int work = filter.poll(nowNs);
        if (filter.answered)
        {
            if (filter.fromAlternate && filter.sourcePort == alternatePort)
            {
                filtering = NatTestResult.EIF_OR_ADF;
            }
        }
        else if (filter.failed)
        {
            // silence from the port this socket never sent to, though that port answered the mapping test: filtered
            if (mapping != null)
            {
                filtering = NatTestResult.ADDRESS_AND_PORT_DEPENDENT;
            }
        }
        else
        {
            return work;
        }
        filter.close();
        phase = Phase.LIFETIME;
        nextGrowthRound(nowNs);
        return work + 1;
    }

    // ------------------------------------------------------------------------------------------ binding lifetime

    private int lifetime(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < lanes.size(); i++)
        {
            final Lane lane = lanes.get(i);
            if (lane.done)
            {
                continue;
            }
            final ProbeSocket s = lane.socket;
            work += s.poll(nowNs);
            if (!lane.delayed)
            {
                if (s.failed)
                {
                    notes.add("no answer to a lifetime probe's mapping");
                    finishLifetime();
                    return work + 1;
                }
                if (s.answered)
                {
                    lane.delayed = true;
                    s.begin(NatProbe.KIND_DELAYED, peerPort, (int)lane.gapMs, 1, RETRY_NS, nowNs);
                    work += 1 + s.poll(nowNs);
                }
                continue;
            }
            if (s.answered)
            {
                lane.resolve(true);
            }
            else if (s.failed)
            {
                if (s.busyCount > MAX_BUSY)
                {
                    notes.add("the peer was too busy to hold delayed answers");
                    finishLifetime();
                    return work + 1;
                }
                lane.resolve(false);
                // a binding that did not survive this gap will not survive a longer one: stop waiting for those
                for (int j = 0; j < lanes.size(); j++)
                {
                    final Lane other = lanes.get(j);
                    if (!other.done && other.gapMs > lane.gapMs)
                    {
                        other.cancel();
                    }
                }
            }
        }
        for (int i = 0; i < lanes.size(); i++)
        {
            if (!lanes.get(i).done)
            {
                return work;
            }
        }
        endRound(nowNs);
        return work + 1;
    }

    private void endRound(final long nowNs)
    {
        long okMax = -1;
        long failMin = Long.MAX_VALUE;
        for (final Lane lane : lanes)
        {
            if (lane.cancelled)
            {
                continue;
            }
            if (lane.ok)
            {
                okMax = Math.max(okMax, lane.gapMs);
            }
            else
            {
                failMin = Math.min(failMin, lane.gapMs);
            }
        }
        lanes.clear();
        if (failMin != Long.MAX_VALUE)
        {
            hiMs = hiMs < 0 ? failMin : Math.min(hiMs, failMin);
        }
        if (okMax >= 0 && (hiMs < 0 || okMax < hiMs))
        {
            loMs = Math.max(loMs, okMax);
        }
        if (hiMs < 0)
        {
            nextGrowthRound(nowNs);
            return;
        }
        if (bisecting)
        {
            bisectRounds++;
        }
        bisecting = true;
        final long span = hiMs - loMs;
        if (span * 10 <= hiMs || span < 4 || bisectRounds >= MAX_BISECT_ROUNDS || (hiMs <= MIN_GAP_MS))
        {
            finishLifetime();
            return;
        }
        for (int i = 1; i <= 3; i++)
        {
            final long gap = loMs + span * i / 4;
            if (gap >= 1)
            {
                lanes.add(new Lane(gap, nowNs));
            }
        }
    }

    /** The next up to {@value #LANES} gaps of the growing sequence, or the end: every gap up to the maximum held. */
    private void nextGrowthRound(final long nowNs)
    {
        long last = loMs;
        while (lanes.size() < LANES && last < maxGapMs)
        {
            final long gap = growthIndex < GROWTH_MS.length ? Math.min(GROWTH_MS[growthIndex], maxGapMs) : maxGapMs;
            growthIndex++;
            if (gap > last)
            {
                lanes.add(new Lane(gap, nowNs));
                last = gap;
            }
        }
        if (lanes.isEmpty())
        {
            finishLifetime();
        }
    }

    private void finishLifetime()
    {
        for (final Lane lane : lanes)
        {
            lane.socket.close();
        }
        lanes.clear();
        double min = Double.NaN;
        double max = Double.NaN;
        double keepalive = Double.NaN;
        if (hiMs >= 0 || loMs > 0)
        {
            min = loMs / 1_000.0;
            max = hiMs < 0 ? Double.NaN : hiMs / 1_000.0;
            if (loMs > 0)
            {
                // a keep-alive a fifth under the longest gap that held: margin for the NAT's timer granularity
                keepalive = loMs >= 2_000 ? Math.floor(loMs * 0.8 / 1_000.0) : Math.floor(loMs * 0.8 / 100.0) / 10.0;
            }
        }
        result = new NatTestResult(peer, notes.isEmpty() ? null : String.join("; ", notes),
            ipv4(seenAddr) + ":" + seenPort, localPort, mapping, portPreserved, filtering, min, max, keepalive,
            maxGapMs / 1_000.0, hairpinning, hairpinSource);
        phase = Phase.DONE;
    }

    private void finish(final String error)
    {
        closeAll();
        result = NatTestResult.failed(peer, error);
        phase = Phase.DONE;
    }

    /** Closes every socket it has open (the engine stops, or the test ended). */
    public void close()
    {
        closeAll();
        if (phase != Phase.DONE)
        {
            phase = Phase.DONE;
            result = NatTestResult.failed(peer, "stopped before the end");
        }
    }

    private void closeAll()
    {
        if (first != null)
        {
            first.close();
        }
        if (filter != null)
        {
            filter.close();
        }
        if (hairpin != null)
        {
            hairpin.close();
        }
        for (final Lane lane : lanes)
        {
            lane.socket.close();
        }
        lanes.clear();
    }

    /** The earliest time {@link #poll} has something to do. */
    public long pollAtNs()
    {
        switch (phase)
        {
            case START:
                return Long.MIN_VALUE;
            case MAPPING:
            case MAPPING_ALTERNATE:
                return first.pollAtNs();
            case HAIRPIN:
                return first.hairpinArrived ? Long.MIN_VALUE : hairpin.pollAtNs();
            case FILTERING:
                return filter.pollAtNs();
            case LIFETIME:
                long at = Long.MAX_VALUE;
                for (final Lane lane : lanes)
                {
                    if (!lane.done)
                    {
                        at = Math.min(at, lane.socket.pollAtNs());
                    }
                }
                return at;
            default:
                return Long.MAX_VALUE;
        }
    }

    static String ipv4(final int addr)
    {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xFF) + "." + ((addr >>> 8) & 0xFF) + "." + (addr & 0xFF);
    }

    /** One gap of the lifetime test on its own socket: a mapping, then an answer asked for after the gap. */
    private final class Lane
    {
        final long gapMs;
        final ProbeSocket socket;
        boolean delayed;
        boolean done;
        boolean ok;
        boolean cancelled;

        Lane(final long gapMs, final long nowNs)
        {
            this.gapMs = gapMs;
            this.socket = new ProbeSocket();
            socket.begin(NatProbe.KIND_MAPPING, peerPort, 0, ALTERNATE_TRIES, RETRY_NS, nowNs);
        }

        void resolve(final boolean ok)
        {
            this.ok = ok;
            done = true;
            socket.close();
        }

        void cancel()
        {
            cancelled = true;
            done = true;
            socket.close();
        }
    }

    /** One socket and the one request it has outstanding, with its retries and deadline. */
    private final class ProbeSocket implements DatagramHandler
    {
        final DatagramPort port;
        int kind;
        int dstPort;
        int delayMs;
        long token;
        int tries;
        int maxTries;
        long retryNs;
        long nextSendNs;
        long giveUpNs;
        long sentNs;
        long answeredNs;
        int busyCount;
        boolean answered;
        boolean failed;
        boolean closed;
        int seenAddr;
        int seenPort;
        int alternatePort;
        int sourcePort;
        boolean fromAlternate;
        /** Where its requests go: the peer, or for the hairpinning test the first socket's mapped address. */
        int dstAddr = peerAddr;
        long hairpinToken;
        boolean expectingHairpin;
        boolean hairpinArrived;
        int hairpinAddr;
        int hairpinPort;

        ProbeSocket()
        {
            this.port = sockets.open(this);
        }

        /** From now on, a request with this token arriving here is the hairpinning test's. */
        void expectHairpin(final long token)
        {
            hairpinToken = token;
            expectingHairpin = true;
        }

        void begin(final int kind, final int dstPort, final int delayMs, final int maxTries, final long retryNs,
            final long nowNs)
        {
            this.kind = kind;
            this.dstPort = dstPort;
            this.delayMs = delayMs;
            this.maxTries = maxTries;
            this.retryNs = retryNs;
            this.token = nextToken++;
            tries = 0;
            busyCount = 0;
            nextSendNs = nowNs;
            giveUpNs = Long.MAX_VALUE;
            answered = false;
            failed = false;
        }

        int poll(final long nowNs)
        {
            if (answered || failed || closed)
            {
                return 0;
            }
            if (tries < maxTries && nowNs - nextSendNs >= 0)
            {
                final int length = NatProbe.writeRequest(request, 0, kind, token, delayMs);
                port.send(dstAddr, dstPort, request, 0, length); // a refused send is a lost try
                if (kind == NatProbe.KIND_DELAYED)
                {
                    // one try only (a later one would refresh the binding inside the gap): two copies at once, so
                    // that one lost request does not pass for a lost binding; the listener answers one
                    port.send(dstAddr, dstPort, request, 0, length);
                }
                tries++;
                sentNs = nowNs;
                nextSendNs = nowNs + retryNs;
                giveUpNs = kind == NatProbe.KIND_DELAYED ?
                    nowNs + delayMs * 1_000_000L + ANSWER_MARGIN_NS + 4 * rttNs : nowNs + retryNs;
                return 1;
            }
            if (tries >= maxTries && nowNs - giveUpNs >= 0)
            {
                failed = true;
                return 1;
            }
            return 0;
        }

        long pollAtNs()
        {
            if (closed)
            {
                return Long.MAX_VALUE;
            }
            if (answered || failed)
            {
                return Long.MIN_VALUE; // the prober has yet to act on it
            }
            return tries < maxTries ? nextSendNs : giveUpNs;
        }

        @Override
        public void onDatagram(final DatagramPort p, final int srcAddr, final int srcPort, final DirectBuffer buffer,
            final int offset, final int length, final long nowNs)
        {
            if (expectingHairpin && !hairpinArrived && !closed
                && NatProbe.check(buffer, offset, length) == NatProbe.REQUEST
                && NatProbe.token(buffer, offset) == hairpinToken)
            {
                // the second socket's request, sent to this one's mapped address, came back inside: hairpinning
                hairpinArrived = true;
                hairpinAddr = srcAddr;
                hairpinPort = srcPort;
                return;
            }
            // any source address: a peer with several may answer from another than the one asked (the kernel picks
            // a wildcard socket's source by route); the 64-bit token is what tells an answer to this request
            if (answered || failed || closed
                || NatProbe.check(buffer, offset, length) != NatProbe.ANSWER
                || NatProbe.token(buffer, offset) != token)
            {
                return; // strays, and late answers to an earlier request of this socket
            }
            if (NatProbe.kind(buffer, offset) == NatProbe.KIND_BUSY)
            {
                // the listener's table of delayed answers is full: ask again a little later, a bounded number of times
                if (++busyCount > MAX_BUSY)
                {
                    failed = true;
                    return;
                }
                tries = 0;
                nextSendNs = nowNs + BUSY_WAIT_NS;
                token = nextToken++;
                return;
            }
            answered = true;
            answeredNs = nowNs;
            seenAddr = NatProbe.seenAddr(buffer, offset);
            seenPort = NatProbe.seenPort(buffer, offset);
            alternatePort = NatProbe.alternatePort(buffer, offset);
            fromAlternate = NatProbe.fromAlternate(buffer, offset);
            sourcePort = srcPort;
        }

        void close()
        {
            if (!closed)
            {
                closed = true;
                port.close();
            }
        }
    }
}
