package io.conntest.stack.tcp;

import io.conntest.stack.testing.ManualClock;
import io.conntest.stack.time.Deadline;
import io.conntest.stack.wire.TcpPacket;
import io.conntest.stack.wire.TcpRepr;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives one {@link TcpProtocol} segment by segment on a manual clock: {@link #send} hands it a segment from the
 * remote peer, {@link #poll} runs a dispatch and returns what it emitted.
 */
final class TcpHarness
{
    static final int LOCAL = 0x0A000001;
    static final int REMOTE = 0x0A000002;
    /** A router on the path: the source of ICMP errors about our segments. */
    static final int ROUTER = 0x0A0000FE;
    static final int REMOTE_PORT = 40000;

    final ManualClock clock;
    final TcpConfig config;
    final TcpProtocol tcp;
    final RecordingSender sender = new RecordingSender(LOCAL, 1500);
    private final UnsafeBuffer tx = new UnsafeBuffer(new byte[70_000]);
    private final TcpPacket view = new TcpPacket();

    /** A parsed segment the stack sent. */
    static final class Seg
    {
        final TcpRepr repr = new TcpRepr();
        byte[] payload;
        /** Offloads: sent with only the pseudo-header sum for the device to complete; the device's segment size. */
        boolean partialChecksum;
        int segmentSize;

        boolean is(final int flags)
        {
            return repr.flags == flags;
        }

        @Override
        public String toString()
        {
            return "Seg{flags=0x" + Integer.toHexString(repr.flags) + " seq=" + (repr.seq & 0xFFFFFFFFL) + " ack=" +
                (repr.ack & 0xFFFFFFFFL) + " win=" + repr.window + " len=" + payload.length + " sack=" +
                repr.sackBlockCount + "}";
        }
    }

    TcpHarness()
    {
        this(new TcpConfig());
    }

    TcpHarness(final TcpConfig config)
    {
        this(config, 1_000_000_000L);
    }

    /** A harness whose clock starts at {@code startNs}: any value, as {@code System.nanoTime()} may return. */
    TcpHarness(final TcpConfig config, final long startNs)
    {
        this.clock = new ManualClock(startNs);
        this.config = config;
        this.tcp = new TcpProtocol(config, LOCAL, 11, 22);
    }

    static TcpRepr seg(final int flags, final int seq, final int ack, final int window)
    {
        final TcpRepr r = new TcpRepr();
        r.srcPort = REMOTE_PORT;
        r.dstPort = 80;
        r.flags = flags;
        r.seq = seq;
        r.ack = ack;
        r.window = window;
        return r;
    }

    void send(final TcpRepr r)
    {
        send(r, new byte[0]);
    }

    void send(final TcpRepr r, final byte[] payload)
    {
        sendFromTo(r, payload, REMOTE, LOCAL);
    }

    void sendFromTo(final TcpRepr r, final byte[] payload, final int src, final int dst)
    {
        final int hl = r.headerLength();
        tx.putBytes(hl, payload);
        r.emit(view, tx, 0, hl + payload.length, src, dst);
        tcp.processDatagram(src, dst, tx, 0, hl + payload.length, clock.nowNs());
        // as Interface.poll: the readiness callbacks in the delivery phase after ingress
        tcp.deliver(clock.nowNs());
    }

    /**
     * Hands the segment over as a device with offloads would: {@code checksumTrusted} (DATA_VALID or a local partial
     * checksum); with {@code breakChecksum} its checksum field is wrong, which only a trusted frame gets away with.
     */
    void sendOffloaded(final TcpRepr r, final byte[] payload, final boolean checksumTrusted,
        final boolean breakChecksum)
    {
        final int hl = r.headerLength();
        tx.putBytes(hl, payload);
        r.emit(view, tx, 0, hl + payload.length, REMOTE, LOCAL);
        if (breakChecksum)
        {
            view.checksum(view.checksum() ^ 0x5A5A);
        }
        tcp.processDatagram(REMOTE, LOCAL, tx, 0, hl + payload.length, checksumTrusted, clock.nowNs());
    }

    /** Runs one dispatch and returns what went out. */
    List<Seg> poll()
    {
        tcp.dispatch(sender, clock.nowNs());
        final List<Seg> out = new ArrayList<>();
        RecordingSender.Datagram d;
        while ((d = sender.sent.poll()) != null)
        {
            assertEquals(REMOTE, d.dstAddr);
            final UnsafeBuffer b = new UnsafeBuffer(d.bytes);
            final TcpPacket p = new TcpPacket();
            assertTrue(p.wrap(b, 0, d.bytes.length));
            final Seg s = new Seg();
            s.partialChecksum = d.partialChecksum;
            s.segmentSize = d.segmentSize;
            if (d.partialChecksum)
            {
                // What the device completes: the field must hold the pseudo-header sum over the whole length.
                final long sum = io.conntest.stack.wire.Checksum.addPseudoHeader(0, LOCAL, REMOTE, 6, d.bytes.length);
                assertEquals(~io.conntest.stack.wire.Checksum.finish(sum) & 0xFFFF, p.checksum(),
                    "pseudo-header checksum of an offloaded segment");
            }
            assertEquals(TcpRepr.ParseResult.OK, s.repr.parse(p, LOCAL, REMOTE, !d.partialChecksum),
                "checksum/options of emitted segment");
            s.payload = new byte[s.repr.payloadLength];
            b.getBytes(s.repr.payloadOffset, s.payload);
            out.add(s);
        }
        return out;
    }

    /** Polls and expects exactly one segment. */
    Seg expectOne()
    {
        final List<Seg> out = poll();
        if (out.size() != 1)
        {
            fail("expected one segment, got " + out);
        }
        return out.get(0);
    }

    void expectNothing()
    {
        final List<Seg> out = poll();
        if (!out.isEmpty())
        {
            fail("expected nothing, got " + out);
        }
    }

    /** Advances the clock to the protocol's next deadline (which must exist) and polls. */
    List<Seg> advanceToDeadline()
    {
        final List<Seg> out = new ArrayList<>();
        if (Deadline.isDue(tcp.pollAtNs(clock.nowNs()), clock.nowNs()))
        {
            out.addAll(poll()); // work that is due now first
        }
        final long at = tcp.pollAtNs(clock.nowNs());
        assertTrue(Deadline.isSet(at), "no deadline");
        if (Deadline.isBefore(clock.nowNs(), at))
        {
            clock.setNs(at);
        }
        out.addAll(poll());
        return out;
    }

    /** A listener on port 80 and an established passive connection; returns the accepted socket. */
    Established establishPassive(final boolean options)
    {
        final TcpListener listener = tcp.listen(80, 8);
        final TcpRepr syn = seg(TcpPacketFlags.SYN, 1000, 0, 65535);
        syn.mss = 1460;
        if (options)
        {
            syn.mss = 1460;
            syn.windowScale = 7;
            syn.sackPermitted = true;
            syn.hasTimestamps = true;
            syn.tsVal = 5000;
        }
        send(syn);
        final Seg synAck = expectOne();
        assertEquals(TcpPacketFlags.SYN | TcpPacketFlags.ACK, synAck.repr.flags);
        assertEquals(1001, synAck.repr.ack);
        final TcpRepr ack = seg(TcpPacketFlags.ACK, 1001, synAck.repr.seq + 1, options ? 512 : 65535);
        if (options)
        {
            ack.hasTimestamps = true;
            ack.tsVal = 5001;
            ack.tsEcr = synAck.repr.tsVal;
        }
        send(ack);
        final TcpSocket socket = listener.accept();
        assertNotNull(socket);
        assertEquals(TcpState.ESTABLISHED, socket.state());
        return new Established(listener, socket, synAck.repr.seq + 1, 1001, options);
    }

    /** An established connection: our next sequence number and the peer's. */
    final class Established
    {
        final TcpListener listener;
        final TcpSocket socket;
        int ourNxt;
        int peerNxt;
        final boolean timestamps;
        int peerTs = 6000;

        Established(final TcpListener listener, final TcpSocket socket, final int ourNxt, final int peerNxt,
            final boolean timestamps)
        {
            this.listener = listener;
            this.socket = socket;
            this.ourNxt = ourNxt;
            this.peerNxt = peerNxt;
            this.timestamps = timestamps;
        }

        /** A segment from the peer at its next sequence number, acking everything we sent. */
        TcpRepr peer(final int flags)
        {
            final TcpRepr r = seg(flags, peerNxt, ourNxt, timestamps ? 512 : 65535);
            if (timestamps)
            {
                r.hasTimestamps = true;
                r.tsVal = ++peerTs;
            }
            return r;
        }

        void peerSends(final byte[] data, final int flags)
        {
            send(peer(flags | TcpPacketFlags.ACK), data);
            peerNxt += data.length + ((flags & TcpPacketFlags.FIN) != 0 ? 1 : 0);
        }
    }

    static byte[] bytes(final int n, final int seed)
    {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = (byte)(i * 31 + seed);
        }
        return b;
    }
}
