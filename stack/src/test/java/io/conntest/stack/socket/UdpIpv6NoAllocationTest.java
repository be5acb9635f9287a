package io.conntest.stack.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.conntest.stack.service.UdpEchoService;

/**
 * UDP over IPv6 allocates nothing per datagram: a socket on one stack sends to the echo service of another over
 * their static IPv6 addresses and takes the echoes, both ways through the send queue and the direct path, the
 * checksum over the IPv6 pseudo-header computed and verified for each; with 1,000-byte datagrams and with 4,000-byte
 * ones (fragmented, reassembled, echoed in fragments). Measured with the thread's allocated-bytes counter after a
 * warm-up, as the IPv4 path's NoAllocationTest.
 */
class UdpIpv6NoAllocationTest
{
    @Test
    void echoedDatagramsOverIpv6AllocateNothing()
    {
        measure(1000, 20_000);
    }

    @Test
    void fragmentedDatagramsOverIpv6AllocateNothing()
    {
        measure(4000, 5_000);
    }

    private static void measure(final int size, final int rounds)
    {
        final UdpIpv6Test.Pair pair = new UdpIpv6Test.Pair();
        new UdpEchoService(pair.b.udp(), 7);
        final long[] received = {0};
        final UdpDatagramHandler handler = new UdpDatagramHandler()
        {
            @Override
            public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer,
                final int offset, final int length)
            {
            }

            @Override
            public void onDatagram6(final long srcHi, final long srcLo, final int srcPort,
                final DirectBuffer buffer, final int offset, final int length)
            {
                received[0] += length == size && buffer.getByte(offset + length - 1) == 42 ? 1 : 0;
            }
        };
        final UdpSocket socket = pair.a.udp().open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s)
            {
                s.receive(handler, Integer.MAX_VALUE);
            }
        });
        socket.bind(40_000);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[size]);
        data.putByte(size - 1, (byte)42);
        final Runnable round = () ->
        {
            socket.sendTo6(UdpIpv6Test.B[0], UdpIpv6Test.B[1], 7, data, 0, size);
            socket.sendTo6(UdpIpv6Test.B[0], UdpIpv6Test.B[1], 7, data, 0, size);
            pair.steps(3);
        };
        for (int i = 0; i < 5_000; i++)
        {
            round.run();
        }
        final long before = received[0];
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long allocatedBefore = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < rounds; i++)
        {
            round.run();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - allocatedBefore;
        final long echoes = received[0] - before;
        System.out.println("UdpIpv6NoAllocationTest: " + allocated + " bytes allocated over " + echoes
            + " echoed datagrams of " + size + " bytes");
        assertEquals(2L * rounds, echoes, "every datagram echoed");
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + echoes + " datagrams");
    }
}
