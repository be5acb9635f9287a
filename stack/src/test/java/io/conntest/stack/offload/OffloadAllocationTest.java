package io.conntest.stack.offload;

import io.conntest.stack.iface.InterfaceCounter;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.phy.InMemoryDevicePair.LinkOffload;
import io.conntest.stack.tcp.TcpSocket;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offload path allocates nothing per frame (issue 9): two whole stacks echoing bulk data through super-frames
 * (carried whole, or cut in software), measured in thread-allocated bytes after a warm-up.
 */
class OffloadAllocationTest
{
    @ParameterizedTest
    @EnumSource(value = LinkOffload.class, names = {"SUPER_FRAMES", "SEGMENTED"})
    void bulkEchoOverOffloadsAllocatesNothingPerFrame(final LinkOffload offload)
    {
        final OffloadLink link = new OffloadLink(offload, FaultConfig.none(), 1);
        final TcpSocket client = link.tcpA.openSocket();
        client.connect(OffloadLink.B, 7);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[65536]);
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long allocatedBefore = 0;
        long framesBefore = 0;
        long received = 0;
        long receivedBefore = 0;
        for (int round = 0; round < 30_000; round++)
        {
            if (round == 10_000)
            {
                allocatedBefore = mx.getThreadAllocatedBytes(threadId);
                framesBefore = link.a.counters().get(InterfaceCounter.TX_SUPER_FRAMES) +
                    link.b.counters().get(InterfaceCounter.TX_SUPER_FRAMES);
                receivedBefore = received;
            }
            if (client.isEstablished())
            {
                client.write(out, 0, out.capacity());
            }
            int n;
            while ((n = client.read(in, 0, in.capacity())) > 0)
            {
                received += n;
            }
            link.step();
        }
        final long allocated = mx.getThreadAllocatedBytes(threadId) - allocatedBefore;
        final long superFrames = link.a.counters().get(InterfaceCounter.TX_SUPER_FRAMES) +
            link.b.counters().get(InterfaceCounter.TX_SUPER_FRAMES) - framesBefore;
        System.out.println("offload allocation " + offload + ": " + allocated + " B over " + superFrames +
            " super-frames, " + (received - receivedBefore) + " B echoed");
        assertTrue(superFrames > 1_000, "super-frames " + superFrames);
        assertTrue(received - receivedBefore > 50_000_000L, "echoed " + (received - receivedBefore));
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated over " + superFrames + " super-frames");
    }
}
