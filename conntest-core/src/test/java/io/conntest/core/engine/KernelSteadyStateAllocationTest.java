package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;

/**
 * The kernel transport's hot path: two engines on kernel sockets over 127.0.0.1, both driven by this thread (so it
 * is the engine thread of both), stream one long bandwidth test; the thread's allocated-bytes counter
 * (com.sun.management.ThreadMXBean) over a second of steady streaming, divided by the DATA frames sent, stays under
 * a small bound. Snapshots are taken only outside the measured window (publishing allocates by design, a few times a
 * second, not per packet).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KernelSteadyStateAllocationTest
{
    private static final long WARM_UP_NS = 1_500_000_000L;
    private static final long MEASURE_NS = 1_000_000_000L;
    /**
     * Bytes per DATA frame allowed on average: far below one object per packet. (Before the selector's ready keys
     * were handed to a Consumer, iterating the selected-key set cost 72 bytes per select: about 1.1 bytes/packet
     * over TCP, 0.56 over UDP; now 0.)
     */
    private static final double MAX_BYTES_PER_PACKET = 0.25;
    /** Bytes per duty cycle of both engines allowed on average (it was 72 over TCP, 144 over UDP). */
    private static final double MAX_BYTES_PER_CYCLE = 16.0;

    @ParameterizedTest
    @EnumSource(TransportProtocol.class)
    void steadyBandwidthTestAllocatesAlmostNothingPerPacket(final TransportProtocol protocol)
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;

        final EngineCore server = new EngineCore(EngineConfig.builder("srv")
            .listen(new ListenSpec(protocol, "127.0.0.1", 0)).build(), new KernelTransport(), event -> { });
        final EngineCore[] client = new EngineCore[1];
        try
        {
            long nowNs = System.nanoTime();
            server.start(nowNs);
            server.doWork(nowNs);
            final int port = server.snapshot(nowNs).listeners().get(0).port();
            final int packetSize = protocol == TransportProtocol.TCP ? 16 * 1024 : 1400;
            client[0] = new EngineCore(EngineConfig.builder("cli").latency(1_000_000L, 1)
                .connect(ConnectSpec.of(protocol, "127.0.0.1", port).withBandwidth(packetSize, 1L << 40, 0)
                .withVerify(true)).build(), new KernelTransport(), event -> { });
            client[0].start(nowNs);

            final long warmUntil = System.nanoTime() + WARM_UP_NS;
            while ((nowNs = System.nanoTime()) < warmUntil)
            {
                client[0].doWork(nowNs);
                server.doWork(nowNs);
            }
            final ConnectionSnapshot before = clientRow(client[0], nowNs);
            assertTrue(before.bytesSent() > 1_000_000, "streaming after the warm-up: " + before);

            final long threadId = Thread.currentThread().getId();
            final long allocatedBefore = threads.getThreadAllocatedBytes(threadId);
            final long measureUntil = System.nanoTime() + MEASURE_NS;
            long cycles = 0;
            while ((nowNs = System.nanoTime()) < measureUntil)
            {
                client[0].doWork(nowNs);
                server.doWork(nowNs);
                cycles++;
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - allocatedBefore;

            final ConnectionSnapshot after = clientRow(client[0], nowNs);
            final long packets = after.packetsSent() - before.packetsSent();
            final long bytes = after.bytesSent() - before.bytesSent();
            final double perPacket = allocated / (double)Math.max(1, packets);
            System.out.printf("kernel %s: allocated %d bytes in %d duty cycles, %d DATA frames (%.1f MB): " +
                "%.3f bytes/packet%n", protocol, allocated, cycles, packets, bytes / 1e6, perPacket);
            assertTrue(packets > 1_000, "data flowed during the measurement: " + packets);
            assertTrue(perPacket <= MAX_BYTES_PER_PACKET, "allocated " + allocated + " bytes for " + packets +
                " packets (" + perPacket + " bytes/packet) in " + cycles + " duty cycles");
            assertTrue(allocated <= MAX_BYTES_PER_CYCLE * cycles, "allocated " + allocated + " bytes in " + cycles +
                " duty cycles");
        }
        finally
        {
            final long nowNs = System.nanoTime();
            if (client[0] != null)
            {
                client[0].stop(nowNs);
            }
            server.stop(nowNs);
        }
    }

    private static ConnectionSnapshot clientRow(final EngineCore core, final long nowNs)
    {
        return core.snapshot(nowNs).connections().stream().filter(c -> c.side() == Side.CLIENT).findFirst()
            .orElseThrow();
    }
}
