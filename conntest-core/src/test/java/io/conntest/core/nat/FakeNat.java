package io.conntest.core.nat;

import io.conntest.core.natprobe.NatResponder;
import io.conntest.core.natprobe.NatProbe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;

/**
 * A NAT and a listener with a {@link NatResponder} on a manual clock, for the prober's state machine: the client's
 * sockets get ephemeral ports, the NAT maps them (endpoint-independently, or per destination) and filters what comes
 * back (endpoint-independently, or only from where the binding went), and forgets a binding idle for
 * {@code lifetimeMs}. Every datagram takes one millisecond.
 */
final class FakeNat implements NatProber.Sockets, NatResponder.Io
{
    static final int CLIENT = 0xC0A80702; // 192.168.7.2
    static final int PUBLIC = 0x0A090001; // 10.9.0.1
    static final int SERVER = 0x0A090002; // 10.9.0.2
    static final int MAIN_PORT = 7000;
    static final int ALT_PORT = 41000;
    static final long LATENCY_NS = 1_000_000;

    final boolean endpointIndependentMapping;
    final boolean endpointIndependentFiltering;
    final long lifetimeMs;
    final boolean translate;
    final NatResponder responder = new NatResponder(this);
    boolean answerNothing;
    /** Sends what an inside socket sends to the public address back inside, from the sender's mapping (REQ-9). */
    boolean hairpinning;
    /** Loses the first copy of every delayed request and the first answer to every one. */
    boolean loseFirstCopies;
    private final java.util.Set<Long> seenDelayedRequests = new java.util.HashSet<>();
    private final java.util.Set<Long> seenDelayedAnswers = new java.util.HashSet<>();
    int alternatePort = ALT_PORT;
    long nowNs;
    private int nextLocalPort = 50_000;
    private int nextPublicPort = 60_000;
    private final Map<Integer, Socket> sockets = new HashMap<>();
    /** Bindings: key local port + remote (addr, port) or local port alone (endpoint-independent mapping). */
    private final Map<String, Binding> bindings = new HashMap<>();
    private final List<Delivery> inFlight = new ArrayList<>();
    int openSockets;
    int maxOpenSockets;

    FakeNat(final boolean eim, final boolean eif, final long lifetimeMs, final boolean translate)
    {
        this.endpointIndependentMapping = eim;
        this.endpointIndependentFiltering = eif;
        this.lifetimeMs = lifetimeMs;
        this.translate = translate;
    }

    private static final class Binding
    {
        int localPort;
        int publicPort;
        int remotePort;
        long lastNs;
    }

    private record Delivery(long atNs, boolean toServer, int srcAddr, int srcPort, int dstPort, byte[] bytes)
    {
    }

    final class Socket implements DatagramPort
    {
        final int port = nextLocalPort++;
        final DatagramHandler handler;
        boolean closed;

        Socket(final DatagramHandler handler)
        {
            this.handler = handler;
        }

        @Override
        public int localPort()
        {
            return port;
        }

        @Override
        public boolean send(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            if (dstAddr == (translate ? PUBLIC : CLIENT))
            {
                hairpin(dstPort, bytes);
                return true;
            }
            if (dstAddr != SERVER || loseFirstCopies && NatProbe.kind(buffer, offset) == NatProbe.KIND_DELAYED
                && seenDelayedRequests.add(NatProbe.token(buffer, offset)))
            {
                return true;
            }
            int srcAddr = CLIENT;
            int srcPort = port;
            if (translate)
            {
                final String key = endpointIndependentMapping ? port + "" : port + "/" + dstPort;
                Binding b = bindings.get(key);
                if (b == null || expired(b))
                {
                    b = new Binding();
                    b.localPort = port;
                    // Linux keeps the local port when it can; a per-destination mapping takes a new one
                    b.publicPort = endpointIndependentMapping ? port : nextPublicPort++;
                    bindings.put(key, b);
                }
                b.remotePort = dstPort;
                b.lastNs = nowNs;
                srcAddr = PUBLIC;
                srcPort = b.publicPort;
            }
            inFlight.add(new Delivery(nowNs + LATENCY_NS, true, srcAddr, srcPort, dstPort, bytes));
            return true;
        }

        /** A datagram to the NAT's own public address (or, without a NAT, to the client's): hairpinned or lost. */
        private void hairpin(final int dstPort, final byte[] bytes)
        {
            if (!translate)
            {
                inFlight.add(new Delivery(nowNs + LATENCY_NS, false, CLIENT, port, dstPort, bytes));
                return;
            }
            if (!hairpinning)
            {
                return;
            }
            Binding own = bindings.get(endpointIndependentMapping ? port + "" : port + "/" + dstPort);
            if (own == null || expired(own))
            {
                own = new Binding();
                own.localPort = port;
                own.publicPort = endpointIndependentMapping ? port : nextPublicPort++;
                bindings.put(endpointIndependentMapping ? port + "" : port + "/" + dstPort, own);
            }
            own.lastNs = nowNs;
            for (final Binding b : bindings.values())
            {
                if (b.publicPort == dstPort && !expired(b))
                {
                    final Socket s = sockets.get(b.localPort);
                    if (s != null && !s.closed)
                    {
                        s.handler.onDatagram(s, PUBLIC, own.publicPort, new UnsafeBuffer(bytes), 0, bytes.length,
                            nowNs);
                    }
                    return;
                }
            }
        }

        @Override
        public long receiveDrops()
        {
            return 0;
        }

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                openSockets--;
            }
        }
    }

    private boolean expired(final Binding b)
    {
        return nowNs - b.lastNs >= lifetimeMs * 1_000_000L;
    }

    @Override
    public DatagramPort open(final DatagramHandler handler)
    {
        final Socket s = new Socket(handler);
        sockets.put(s.port, s);
        openSockets++;
        maxOpenSockets = Math.max(maxOpenSockets, openSockets);
        return s;
    }

    @Override
    public boolean sendFromMain(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return toClient(MAIN_PORT, dstAddr, dstPort, buffer, offset, length);
    }

    @Override
    public boolean sendFromAlternate(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return toClient(alternatePort, dstAddr, dstPort, buffer, offset, length);
    }

    @Override
    public int alternatePort()
    {
        return alternatePort;
    }

    private boolean toClient(final int srcPort, final int dstAddr, final int dstPort, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        if (loseFirstCopies && NatProbe.kind(buffer, offset) == (NatProbe.KIND_DELAYED | NatProbe.ANSWER_BIT)
            && seenDelayedAnswers.add(NatProbe.token(buffer, offset)))
        {
            return true;
        }
        inFlight.add(new Delivery(nowNs + LATENCY_NS, false, SERVER, srcPort, dstPort, bytes));
        return true;
    }

    /** Delivers what is due now; the NAT's inbound rules apply on arrival. */
    void deliver()
    {
        for (int i = 0; i < inFlight.size(); i++)
        {
            final Delivery d = inFlight.get(i);
            if (d.atNs > nowNs)
            {
                continue;
            }
            inFlight.remove(i--);
            final UnsafeBuffer buffer = new UnsafeBuffer(d.bytes);
            if (d.toServer)
            {
                if (!answerNothing && NatProbe.isProbe(buffer, 0, d.bytes.length))
                {
                    responder.onProbe(d.srcAddr, d.srcPort, buffer, 0, d.bytes.length, d.dstPort != MAIN_PORT,
                        nowNs);
                }
                continue;
            }
            int localPort = d.dstPort;
            if (translate)
            {
                localPort = -1;
                for (final Binding b : bindings.values())
                {
                    if (b.publicPort == d.dstPort && !expired(b)
                        && (endpointIndependentFiltering || b.remotePort == d.srcPort))
                    {
                        b.lastNs = nowNs;
                        localPort = b.localPort;
                        break;
                    }
                }
            }
            final Socket s = sockets.get(localPort);
            if (s != null && !s.closed)
            {
                s.handler.onDatagram(s, d.srcAddr, d.srcPort, buffer, 0, d.bytes.length, nowNs);
            }
        }
    }

    long nextDeliveryNs()
    {
        long at = Long.MAX_VALUE;
        for (final Delivery d : inFlight)
        {
            at = Math.min(at, d.atNs);
        }
        return at;
    }

    /** Runs the prober to its end on the manual clock (at most {@code limitNs}); returns its result. */
    NatTestResult run(final NatProber prober, final long limitNs)
    {
        while (!prober.isDone() && nowNs < limitNs)
        {
            prober.poll(nowNs);
            responder.poll(nowNs);
            deliver();
            if (prober.isDone())
            {
                break;
            }
            final long next = Math.min(Math.min(prober.pollAtNs(), responder.pollAtNs()), nextDeliveryNs());
            nowNs = Math.max(nowNs + 1, next == Long.MIN_VALUE ? nowNs : next);
        }
        return prober.result();
    }
}
