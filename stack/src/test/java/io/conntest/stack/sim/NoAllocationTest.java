package io.conntest.stack.sim;

import io.conntest.stack.iface.IcmpEchoListener;
import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.service.UdpEchoService;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady state allocates nothing per frame: a loop of pings, small UDP echoes and fragmented UDP echoes
 * between two stacks, measured with the thread's allocated-bytes counter after a warm-up.
 */
class NoAllocationTest
{
    private static final int SMALL = 100;
    private static final int FRAGMENTED = 3000;

    private final TwoStacks sim = new TwoStacks();
    private final UnsafeBuffer data = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAGMENTED));
    private final Client client = new Client();
    private UdpSocket socket;

    @Test
    void steadyPingAndUdpEchoLoopAllocatesNothingPerFrame()
    {
        new UdpEchoService(sim.b.udp(), 7);
        socket = sim.a.udp().open(client);
        socket.bind(0);
        sim.a.iface().echoListener(client);

        runRounds(20_000);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long framesBefore = sim.a.iface().counters().get(InterfaceCounter.RX_FRAMES)
            + sim.b.iface().counters().get(InterfaceCounter.RX_FRAMES);
        final long before = threads.getThreadAllocatedBytes(threadId);
        runRounds(20_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        final long frames = sim.a.iface().counters().get(InterfaceCounter.RX_FRAMES)
            + sim.b.iface().counters().get(InterfaceCounter.RX_FRAMES) - framesBefore;

        assertTrue(frames >= 100_000, "frames measured: " + frames);
        assertEquals(0, sim.a.iface().counters().totalDrops(), sim.a.iface().counters().toString());
        System.out.println("NoAllocationTest: " + allocated + " bytes allocated over " + frames + " frames");
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + frames + " frames");
    }

    /** Each round: a ping, a 100-byte echo and, every fourth round, a 3000-byte (fragmented) echo. */
    private void runRounds(final int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            final int size = (round & 3) == 0 ? FRAGMENTED : SMALL;
            client.expectedEchoes++;
            client.expectedPings++;
            assertTrue(socket.sendTo(TwoStacks.ADDR_B, 7, data, 0, size));
            assertTrue(sim.a.iface().sendEchoRequest(TwoStacks.ADDR_B, 1, round & 0xFFFF, data, 0, 56));
            int steps = 0;
            while (client.echoes < client.expectedEchoes || client.pings < client.expectedPings)
            {
                sim.step();
                if (++steps > 100)
                {
                    throw new AssertionError("round " + round + " stuck");
                }
            }
        }
    }

    /** Counts echoes and ping replies; a named class, so no lambda is created per call. */
    private static final class Client implements UdpSocketListener, UdpDatagramHandler, IcmpEchoListener
    {
        long echoes;
        long expectedEchoes;
        long pings;
        long expectedPings;

        @Override
        public void onReadable(final UdpSocket socket)
        {
            socket.receive(this, 16);
        }

        @Override
        public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            echoes++;
        }

        @Override
        public void onEchoReply(final int srcAddr, final int identifier, final int sequence, final DirectBuffer data,
            final int offset, final int length, final long nowNs)
        {
            pings++;
        }
    }
}
