package io.conntest.stack.tcp;

import io.conntest.stack.iface.Ipv4Sender;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steady-state bulk transfer between two stacks allocates nothing per segment. */
class TcpAllocationTest
{
    /** Hands each datagram straight to the other protocol from the claim buffer: no copy, no allocation. */
    private static final class DirectLink implements Ipv4Sender
    {
        private final int source;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        private TcpProtocol peer;
        private int dst;
        private int length;
        long nowNs;
        long datagrams;

        DirectLink(final int source)
        {
            this.source = source;
        }

        @Override
        public MutableDirectBuffer claim(final int dstAddr, final int protocol, final int payloadLength,
            final boolean dontFragment)
        {
            dst = dstAddr;
            length = payloadLength;
            return buffer;
        }

        @Override
        public int payloadOffset()
        {
            return 0;
        }

        @Override
        public void commit()
        {
            datagrams++;
            peer.processDatagram(source, dst, buffer, 0, length, nowNs);
        }

        @Override
        public void abort()
        {
        }

        @Override
        public Refusal lastRefusal()
        {
            return Refusal.NONE;
        }

        @Override
        public int sourceAddress()
        {
            return source;
        }

        @Override
        public int mtu()
        {
            return 1500;
        }
    }

    @Test
    void bulkTransferAllocatesNothingPerSegment()
    {
        final TcpConfig config = new TcpConfig().sendBufferBytes(256 * 1024).receiveBufferBytes(256 * 1024);
        final TcpProtocol a = new TcpProtocol(config, TcpSimulation.A, 1, 2);
        final TcpProtocol b = new TcpProtocol(config, TcpSimulation.B, 3, 4);
        final DirectLink ab = new DirectLink(TcpSimulation.A);
        final DirectLink ba = new DirectLink(TcpSimulation.B);
        ab.peer = b;
        ba.peer = a;
        final TcpListener listener = b.listen(5001, 4);
        final TcpSocket client = a.openSocket();
        client.connect(TcpSimulation.B, 5001);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[65536]);
        final TcpStats stats = new TcpStats();
        final TcpSocket[] server = new TcpSocket[1];
        long now = 1_000_000_000L;
        long received = 0;
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long allocatedBefore = 0;
        long datagramsBefore = 0;
        for (int round = 0; round < 30_000; round++)
        {
            if (round == 10_000)
            {
                allocatedBefore = mx.getThreadAllocatedBytes(threadId);
                datagramsBefore = ab.datagrams + ba.datagrams;
            }
            if (server[0] == null)
            {
                server[0] = listener.accept();
            }
            if (client.isEstablished())
            {
                client.write(out, 0, out.capacity());
            }
            if (server[0] != null)
            {
                int n;
                while ((n = server[0].read(in, 0, in.capacity())) > 0)
                {
                    received += n;
                }
            }
            now += 20_000;
            ab.nowNs = now;
            ba.nowNs = now;
            a.dispatch(ab, now);
            b.dispatch(ba, now);
            client.stats(stats);
        }
        final long allocated = mx.getThreadAllocatedBytes(threadId) - allocatedBefore;
        final long datagrams = ab.datagrams + ba.datagrams - datagramsBefore;
        assertTrue(datagrams > 50_000, "datagrams " + datagrams);
        assertTrue(received > 50_000_000L, "received " + received);
        assertEquals(0, stats.retransmissions);
        // A few hundred bytes of JIT/bookkeeping noise are tolerated; one object per segment would be megabytes.
        System.out.println("allocation: " + allocated + " B over " + datagrams + " datagrams, " + received + " B received");
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + datagrams + " datagrams");
    }

    /** A SYN flood beyond the SYN queue is answered with cookies from primitive queues: nothing per SYN. */
    @Test
    void synCookieFloodAllocatesNothingPerSyn()
    {
        final TcpProtocol tcp = new TcpProtocol(new TcpConfig().synBacklog(4), TcpSimulation.B, 3, 4);
        tcp.listen(5001, 4);
        final DirectLink sink = new DirectLink(TcpSimulation.B);
        sink.peer = new TcpProtocol(new TcpConfig(), TcpSimulation.A, 1, 2); // answers each SYN,ACK with a RST
        final io.conntest.stack.wire.TcpRepr syn = new io.conntest.stack.wire.TcpRepr();
        syn.dstPort = 5001;
        syn.flags = TcpPacketFlags.SYN;
        syn.window = 65535;
        syn.mss = 1460;
        syn.windowScale = 7;
        syn.sackPermitted = true;
        syn.hasTimestamps = true;
        final io.conntest.stack.wire.TcpPacket view = new io.conntest.stack.wire.TcpPacket();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long now = 1_000_000_000L;
        long allocatedBefore = 0;
        for (int i = 0; i < 60_000; i++)
        {
            if (i == 20_000)
            {
                allocatedBefore = mx.getThreadAllocatedBytes(threadId);
            }
            syn.srcPort = 1024 + (i % 60000);
            syn.seq = i * 7919;
            syn.tsVal = i;
            final int length = syn.headerLength();
            syn.emit(view, frame, 0, length, TcpSimulation.A, TcpSimulation.B);
            now += 1_000;
            tcp.processDatagram(TcpSimulation.A, TcpSimulation.B, frame, 0, length, now);
            if (i % 32 == 31)
            {
                tcp.dispatch(sink, now);
            }
        }
        final long allocated = mx.getThreadAllocatedBytes(threadId) - allocatedBefore;
        assertTrue(tcp.counters().synCookiesSent > 39_000, tcp.counters().toString());
        System.out.println("allocation: " + allocated + " B over 40000 flood SYNs");
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over 40000 SYNs");
    }
}
