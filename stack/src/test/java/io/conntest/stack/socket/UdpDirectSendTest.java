package io.conntest.stack.socket;

import io.conntest.stack.sim.TwoStacks;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A datagram sent when nothing waits before it and the next hop is known goes straight into a frame of the device
 * (one copy out, no send queue, no wait for the sender's next poll); before the neighbour is known it is queued and
 * sent by the poll that learns it, in order.
 */
class UdpDirectSendTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aDatagramToAKnownNeighbourLeavesAtOnceAndOneToAnUnknownOneWaitsInOrder()
    {
        final TwoStacks sim = new TwoStacks();
        final StringBuilder received = new StringBuilder();
        final UdpSocket server = sim.b.udp().open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket socket)
            {
                socket.receive((srcAddr, srcPort, buffer, offset, length) ->
                    received.append(text(buffer, offset, length)).append(';'), Integer.MAX_VALUE);
            }
        });
        server.bind(7000);
        final UdpSocket client = sim.a.udp().open(new UdpSocketListener()
        {
        });
        client.bind(0);

        // before A's first poll nothing is known: both datagrams are queued (in order) and leave with the polls
        assertTrue(client.sendTo(TwoStacks.ADDR_B, 7000, bytes("one"), 0, 3));
        assertTrue(client.sendTo(TwoStacks.ADDR_B, 7000, bytes("two"), 0, 3));
        assertTrue(client.sendQueueBytes() > 0, "queued before the interface could take them");
        assertTrue(sim.runUntil(() -> received.length() == "one;two;".length(), SECOND));
        assertEquals("one;two;", received.toString());
        assertEquals(0, client.sendQueueBytes());

        // the neighbour is known: the datagram is in B's device before A polls again
        final long sentBefore = client.datagramsSent();
        assertTrue(client.sendTo(TwoStacks.ADDR_B, 7000, bytes("three"), 0, 5));
        assertEquals(0, client.sendQueueBytes(), "not queued");
        assertEquals(sentBefore + 1, client.datagramsSent(), "sent by sendTo itself");
        final long now = sim.clock.nowNs();
        sim.b.poll(now);
        assertEquals("one;two;three;", received.toString(), "B got it with no poll of A in between");
        assertFalse(client.receiveQueueDatagrams() > 0);
    }

    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] b = new byte[length];
        buffer.getBytes(offset, b);
        return new String(b, StandardCharsets.US_ASCII);
    }
}
