package io.conntest.stack.sim;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.Errno;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two stacks over an in-memory cable: ARP, ping, UDP, ICMP errors. */
class SimulationTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void arpResolvesAndPingIsAnswered()
    {
        final TwoStacks sim = new TwoStacks();
        final int[] replies = new int[1];
        final UnsafeBuffer data = new UnsafeBuffer(ByteBuffer.allocateDirect(56));
        for (int i = 0; i < 56; i++)
        {
            data.putByte(i, (byte)i);
        }
        sim.a.iface().echoListener((src, id, seq, buf, off, len, now) ->
        {
            assertEquals(TwoStacks.ADDR_B, src);
            assertEquals(0x1234, id);
            assertEquals(replies[0] + 1, seq);
            assertEquals(56, len);
            for (int i = 0; i < len; i++)
            {
                assertEquals((byte)i, buf.getByte(off + i));
            }
            replies[0]++;
        });
        sim.step();
        for (int seq = 1; seq <= 10; seq++)
        {
            assertTrue(sim.a.iface().sendEchoRequest(TwoStacks.ADDR_B, 0x1234, seq, data, 0, 56));
            final int expected = seq;
            assertTrue(sim.runUntil(() -> replies[0] == expected, SECOND));
        }
        assertEquals(1, sim.a.iface().counters().get(InterfaceCounter.ARP_REQUESTS_SENT));
        assertEquals(1, sim.b.iface().counters().get(InterfaceCounter.ARP_REPLIES_SENT));
        assertEquals(10, sim.b.iface().counters().get(InterfaceCounter.ICMP_ECHO_REPLIES_SENT));
        assertEquals(1, sim.a.iface().counters().get(InterfaceCounter.GRATUITOUS_ARP_SENT));
        assertTrue(sim.a.iface().hasNeighbour(TwoStacks.ADDR_B));
        // B learnt A from A's request (RFC 826), so it never had to ask.
        assertEquals(0, sim.b.iface().counters().get(InterfaceCounter.ARP_REQUESTS_SENT));
    }

    @Test
    void bigFragmentedPingIsAnswered()
    {
        final TwoStacks sim = new TwoStacks();
        final int size = 65_000;
        final UnsafeBuffer data = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        for (int i = 0; i < size; i++)
        {
            data.putByte(i, (byte)(i * 13));
        }
        final int[] replies = new int[1];
        sim.a.iface().echoListener((src, id, seq, buf, off, len, now) ->
        {
            assertEquals(size, len);
            for (int i = 0; i < len; i++)
            {
                assertEquals((byte)(i * 13), buf.getByte(off + i));
            }
            replies[0]++;
        });
        sim.step();
        assertTrue(sim.a.iface().sendEchoRequest(TwoStacks.ADDR_B, 1, 1, data, 0, size));
        assertTrue(sim.runUntil(() -> replies[0] == 1, SECOND), sim.b.iface().counters().toString());
        assertEquals(44, sim.b.iface().counters().get(InterfaceCounter.FRAGMENTS_SENT), "65,008 bytes of ICMP in 1,480-byte fragments");
        assertEquals(1, sim.a.iface().counters().get(InterfaceCounter.DATAGRAMS_REASSEMBLED));
    }

    @Test
    void unansweredArpGivesUpAfterThreeRequestsAndBoundsHeldDatagrams()
    {
        final TwoStacks sim = new TwoStacks();
        final int absent = io.conntest.stack.wire.Ipv4Address.parse("10.0.0.99");
        final int[] errors = new int[1];
        final long[] firstErrorNs = new long[1];
        final UdpSocket socket = sim.a.udp().open(new UdpSocketListener()
        {
            @Override
            public void onError(final UdpSocket s, final int errno, final int remoteAddr, final int remotePort)
            {
                assertEquals(Errno.EHOSTUNREACH, errno);
                assertEquals(absent, remoteAddr);
                errors[0]++;
                if (errors[0] == 1)
                {
                    firstErrorNs[0] = sim.clock.nowNs();
                }
            }
        });
        final UnsafeBuffer data = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(socket.sendTo(absent, 4000, data, 0, 100));
        }
        final long start = sim.clock.nowNs();
        sim.step();
        // Four datagrams are held for the pending neighbour; the socket keeps the other six.
        assertTrue(sim.a.iface().counters().get(InterfaceCounter.NEIGHBOUR_QUEUE_FULL) >= 1);
        assertTrue(sim.runUntil(() -> errors[0] > 0, 10 * SECOND));
        final long elapsed = firstErrorNs[0] - start;
        assertTrue(elapsed >= 3 * SECOND && elapsed < 3 * SECOND + SECOND / 10, "gave up after " + elapsed + " ns");
        assertEquals(3, sim.a.iface().counters().get(InterfaceCounter.ARP_REQUESTS_SENT));
        assertEquals(1, sim.a.iface().counters().get(InterfaceCounter.NEIGHBOUR_UNREACHABLE));
        assertEquals(4, sim.a.iface().counters().get(InterfaceCounter.NEIGHBOUR_HELD_DROPPED));
        sim.runFor(SECOND / 10);
        assertEquals(6, errors[0], "the six datagrams left in the socket fail with EHOSTUNREACH");
        assertEquals(Errno.EHOSTUNREACH, socket.takeError());
        assertEquals(0, socket.takeError());
        // B saw exactly three requests (plus A's announcement), one per second at most.
        assertEquals(4, sim.b.iface().counters().get(InterfaceCounter.ARP_REQUESTS_RECEIVED));
    }

    @Test
    void udpToClosedPortGetsPortUnreachableReportedAsConnectionRefused()
    {
        final TwoStacks sim = new TwoStacks();
        final int[] refused = new int[1];
        final UdpSocket socket = sim.a.udp().open(new UdpSocketListener()
        {
            @Override
            public void onError(final UdpSocket s, final int errno, final int remoteAddr, final int remotePort)
            {
                assertEquals(Errno.ECONNREFUSED, errno);
                assertEquals(TwoStacks.ADDR_B, remoteAddr);
                assertEquals(9999, remotePort);
                refused[0]++;
            }
        });
        socket.bind(0);
        assertTrue(socket.localPort() >= 49152);
        assertTrue(socket.sendTo(TwoStacks.ADDR_B, 9999, new UnsafeBuffer(new byte[3000]), 0, 3000));
        assertTrue(sim.runUntil(() -> refused[0] == 1, SECOND));
        assertEquals(1, sim.b.iface().counters().get(InterfaceCounter.ICMP_PORT_UNREACHABLE_SENT));
        assertEquals(1, sim.a.udp().icmpErrors());
    }

    @Test
    void echoServiceAnswersAndDiscardCounts()
    {
        final TwoStacks sim = new TwoStacks();
        final UdpEchoService echo = new UdpEchoService(sim.b.udp(), 7);
        final io.conntest.stack.service.UdpDiscardService discard =
            new io.conntest.stack.service.UdpDiscardService(sim.b.udp(), 9);
        final int[] got = new int[1];
        final UdpSocket client = sim.a.udp().open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s)
            {
                s.receive((src, port, buf, off, len) ->
                {
                    assertEquals(7, port);
                    assertEquals(5, len);
                    got[0]++;
                }, 10);
            }
        });
        final UnsafeBuffer hello = new UnsafeBuffer("hello".getBytes());
        assertTrue(client.sendTo(TwoStacks.ADDR_B, 7, hello, 0, 5));
        assertTrue(client.sendTo(TwoStacks.ADDR_B, 9, hello, 0, 5));
        assertTrue(sim.runUntil(() -> got[0] == 1 && discard.datagrams() == 1, SECOND));
        assertEquals(1, echo.echoed());
        assertEquals(5, discard.bytes());
    }
}
