package io.conntest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.EngineCore;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * Reliable UDP on kernel sockets with {@code UDP_SEGMENT} and {@code UDP_GRO} (issue 9): two engines over
 * 127.0.0.1, both driven by this thread, run a verified bandwidth test up and down. Every byte arrives intact (the
 * receivers check the payload pattern), the senders hand the kernel many datagrams per system call, the kernel
 * hands the receivers coalesced datagrams, and in steady streaming the thread allocates nothing per packet. With
 * {@code --offload none} the same transport sends one datagram per call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelUdpSegmentationTest
{
    private static final int PACKET_SIZE = 1400;

    private static final class Pair implements AutoCloseable
    {
        final KernelTransport serverTransport;
        final KernelTransport clientTransport;
        final EngineCore server;
        final EngineCore client;

        Pair(final OffloadMode mode, final long bandwidthBytes)
        {
            this(mode, bandwidthBytes, PACKET_SIZE);
        }

        Pair(final OffloadMode mode, final long bandwidthBytes, final int packetSize)
        {
            serverTransport = KernelTransports.open(mode);
            clientTransport = KernelTransports.open(mode);
            server = new EngineCore(EngineConfig.builder("srv")
                .listen(new ListenSpec(TransportProtocol.UDP, "127.0.0.1", 0)).build(), serverTransport, e -> { });
            final long nowNs = System.nanoTime();
            server.start(nowNs);
            server.doWork(nowNs);
            final int port = server.snapshot(nowNs).listeners().get(0).port();
            client = new EngineCore(EngineConfig.builder("cli").latency(5_000_000L, 1)
                .connect(ConnectSpec.of(TransportProtocol.UDP, "127.0.0.1", port)
                    .withBandwidth(packetSize, bandwidthBytes, 0).withVerify(true)).build(), clientTransport, e -> { });
            client.start(nowNs);
        }

        void runFor(final long ns)
        {
            final long until = System.nanoTime() + ns;
            long nowNs;
            while ((nowNs = System.nanoTime()) < until)
            {
                client.doWork(nowNs);
                server.doWork(nowNs);
            }
        }

        ConnectionSnapshot clientRow()
        {
            return client.snapshot(System.nanoTime()).connections().stream().filter(c -> c.side() == Side.CLIENT)
                .findFirst().orElseThrow();
        }

        @Override
        public void close()
        {
            final long nowNs = System.nanoTime();
            client.stop(nowNs);
            server.stop(nowNs);
        }
    }

    @Test
    void everyByteArrivesWithManyDatagramsPerSystemCall()
    {
        try (Pair pair = new Pair(OffloadMode.AUTO, 20_000_000L))
        {
            Assumptions.assumeTrue(pair.clientTransport.segmentedSendCalls() >= 0);
            pair.runFor(3_000_000_000L);
            final ConnectionSnapshot row = pair.clientRow();
            System.out.printf("segmented: client sent %d B in %d datagrams with %d calls, server %d in %d calls; "
                + "coalesced receives: client %d (%d datagrams), server %d (%d); last test up %.0f down %.0f bit/s%n",
                row.bytesSent(), pair.clientTransport.segmentedDatagramsSent(),
                pair.clientTransport.segmentedSendCalls(), pair.serverTransport.segmentedDatagramsSent(),
                pair.serverTransport.segmentedSendCalls(), pair.clientTransport.coalescedReceives(),
                pair.clientTransport.coalescedDatagrams(), pair.serverTransport.coalescedReceives(),
                pair.serverTransport.coalescedDatagrams(), (double)row.bandwidthUpLastBps(), (double)row.bandwidthDownLastBps());
            assertTrue(pair.clientTransport.segmentedSendCalls() > 0,
                "the kernel took UDP_SEGMENT and UDP_GRO here (Linux 5.0+)");
            assertTrue(row.bytesSent() >= 20_000_000L && row.bytesReceived() >= 20_000_000L,
                "one test up and one down completed: " + row);
            assertEquals(0, row.verificationErrors(), "every byte intact");
            assertTrue(pair.clientTransport.segmentedDatagramsSent() >= 4 * pair.clientTransport.segmentedSendCalls(),
                "the client's data left several datagrams per call");
            assertTrue(pair.serverTransport.segmentedDatagramsSent()
                >= 4 * pair.serverTransport.segmentedSendCalls(), "the server's data too");
            assertTrue(pair.serverTransport.coalescedReceives() > 0 && pair.clientTransport.coalescedReceives() > 0,
                "both receivers got coalesced datagrams (UDP_GRO)");
        }
    }

    /**
     * 1,472 bytes of payload make 1,540-byte datagrams, longer than a 1,500-byte MTU: the kernel refuses to segment
     * them (EMSGSIZE) and fragments each one sent alone. The transport falls back to one datagram per call for that
     * size instead of failing the connection. Loopback with a 1,500-byte MTU, in a private namespace.
     */
    @Test
    void datagramsLongerThanTheMtuGoOnePerCallWithoutFailing() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-gso");
        try
        {
            ns.ip("link", "set", "lo", "mtu", "1500");
            ns.linkUp("lo");
            ns.call(() ->
            {
                try (Pair pair = new Pair(OffloadMode.AUTO, 5_000_000L, 1472))
                {
                    pair.runFor(2_000_000_000L);
                    final ConnectionSnapshot row = pair.clientRow();
                    System.out.printf("past the MTU: %d B up, %d down, %d segmented sends for %d datagrams, "
                        + "retries %d%n", row.bytesSent(), row.bytesReceived(),
                        pair.clientTransport.segmentedSendCalls(), pair.clientTransport.segmentedDatagramsSent(),
                        row.retries());
                    assertEquals(0, row.retries(), "the connection never failed and reconnected: " + row);
                    assertTrue(row.bytesSent() >= 5_000_000L && row.bytesReceived() >= 5_000_000L,
                        "a test up and down completed: " + row);
                    assertEquals(0, row.verificationErrors());
                }
                return null;
            });
        }
        finally
        {
            ns.close();
        }
    }

    @Test
    void offloadNoneSendsOneDatagramPerCall()
    {
        try (Pair pair = new Pair(OffloadMode.NONE, 2_000_000L))
        {
            pair.runFor(1_000_000_000L);
            final ConnectionSnapshot row = pair.clientRow();
            assertTrue(row.bytesSent() >= 2_000_000L, "data flowed: " + row);
            assertEquals(0, pair.clientTransport.segmentedSendCalls());
            assertEquals(0, pair.serverTransport.coalescedReceives());
        }
    }

    @Test
    void steadyStreamingAllocatesNothingPerPacket()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        try (Pair pair = new Pair(OffloadMode.AUTO, 1L << 40))
        {
            pair.runFor(1_500_000_000L);
            final ConnectionSnapshot before = pair.clientRow();
            final long threadId = Thread.currentThread().getId();
            final long allocatedBefore = threads.getThreadAllocatedBytes(threadId);
            final long calls = pair.clientTransport.segmentedSendCalls();
            pair.runFor(1_000_000_000L);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - allocatedBefore;
            final ConnectionSnapshot after = pair.clientRow();
            final long packets = after.packetsSent() - before.packetsSent();
            final double perPacket = allocated / (double)Math.max(1, packets);
            System.out.printf("segmented kernel UDP: allocated %d bytes for %d DATA frames (%.3f bytes/packet), "
                + "%d segmented sends%n", allocated, packets, perPacket,
                pair.clientTransport.segmentedSendCalls() - calls);
            assertTrue(packets > 1_000, "data flowed during the measurement: " + packets);
            assertTrue(pair.clientTransport.segmentedSendCalls() > calls, "through segmented sends");
            assertTrue(perPacket <= 0.25, "allocated " + allocated + " bytes for " + packets + " packets");
        }
    }
}
