package io.conntest.stack.dhcp;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.FrameHandler;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.wire.EthernetFrame;
import io.conntest.stack.wire.Ipv4Address;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stack whose address came from DHCP (the client bound, polled on every turn by {@code NetworkStack.poll}) echoes
 * UDP without allocating: the {@code Ipv4Assignment} the ingress, the egress and UDP read per datagram, and the
 * client's idle poll, cost nothing per frame. Measured with the thread's allocated-bytes counter after a warm-up;
 * the test's side replays one pre-built frame and drains the replies without allocating either.
 */
class DhcpBoundNoAllocationTest
{
    private static final int ROUNDS = 20_000;

    private long replies;
    private final FrameHandler drain = new FrameHandler()
    {
        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            replies++;
        }
    };

    @Test
    void udpEchoOnALeasedAddressAllocatesNothingPerFrame()
    {
        final DhcpLink link = new DhcpLink();
        assertTrue(link.runUntil(() -> link.client.state() == DhcpState.BOUND, 60 * DhcpLink.SECOND));
        link.runTo(link.clock.nowNs() + DhcpLink.SECOND / 10);
        new UdpEchoService(link.stack.udp(), 7);
        final int leased = link.stack.iface().ipv4().address();
        assertEquals(Ipv4Address.parse("10.0.0.50"), leased);

        // one echo request frame from the server to the leased address, captured once and replayed
        final byte[] payload = new byte[100];
        link.server.sendUdp(leased, DhcpLink.CLIENT_MAC, 4000, 7, new UnsafeBuffer(payload), payload.length);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final int[] frameLength = new int[1];
        link.pair.b().receive((buffer, offset, length) ->
        {
            frame.putBytes(0, buffer, offset, length);
            frameLength[0] = length;
        }, 1);
        // the first echo, answered by the scripted server's side: the stack resolves the server's MAC by ARP
        final MutableDirectBuffer first = link.pair.a().claim(frameLength[0]);
        first.putBytes(0, frame, 0, frameLength[0]);
        link.pair.a().commit(frameLength[0]);
        link.runTo(link.clock.nowNs() + DhcpLink.SECOND / 100);
        assertTrue(link.stack.iface().hasNeighbour(ScriptedDhcpServer.SERVER));
        run(link, frame, frameLength[0], ROUNDS);

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long repliesBefore = replies;
        run(link, frame, frameLength[0], ROUNDS);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(ROUNDS, replies - repliesBefore, link.stack.iface().counters().toString());
        assertEquals(DhcpState.BOUND, link.client.state());
        assertEquals(0, link.stack.iface().counters().get(InterfaceCounter.IPV4_NOT_FOR_US));
        System.out.println("DhcpBoundNoAllocationTest: " + allocated + " bytes allocated over " + ROUNDS + " echoes");
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + ROUNDS + " echoes");
    }

    private void run(final DhcpLink link, final DirectBuffer frame, final int length, final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            final MutableDirectBuffer slot = link.pair.a().claim(length);
            slot.putBytes(0, frame, 0, length);
            link.pair.a().commit(length);
            link.clock.advanceNs(1_000);
            link.stack.poll(link.clock.nowNs());
            link.pair.a().receive(drain, 16);
        }
        assertTrue(length > EthernetFrame.HEADER_LENGTH);
    }
}
