package io.conntest.core.probe;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel prober against sockets this test opens on 127.0.0.1 (loopback only, nothing else is touched). */
class KernelPortProberTest
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final ProbeOptions FAST = ProbeOptions.DEFAULTS.withTimeout(300, TimeUnit.MILLISECONDS);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void checkLoopback()
    {
        assertTrue(LOOPBACK.isLoopbackAddress());
    }

    @AfterEach
    void closeResources() throws Exception
    {
        for (final AutoCloseable resource : resources)
        {
            resource.close();
        }
    }

    private int openTcpPort() throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open();
        resources.add(server);
        server.bind(new InetSocketAddress(LOOPBACK, 0), 16);
        return server.socket().getLocalPort();
    }

    private static int closedTcpPort() throws IOException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            return server.socket().getLocalPort();
        }
    }

    private static int closedUdpPort() throws IOException
    {
        try (DatagramChannel channel = DatagramChannel.open())
        {
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            return channel.socket().getLocalPort();
        }
    }

    /** A UDP port that answers every datagram with "CT" + what it got, on a thread of its own. */
    private UdpResponder openUdpPort() throws SocketException
    {
        final UdpResponder responder = new UdpResponder();
        resources.add(responder);
        return responder;
    }

    private static Map<String, ProbeResult> byTarget(final List<ProbeResult> results)
    {
        final Map<String, ProbeResult> map = new TreeMap<>();
        for (final ProbeResult result : results)
        {
            map.put(result.port() + "/" + result.protocol(), result);
        }
        return map;
    }

    @Test
    void tcpOpenAndClosed() throws IOException
    {
        final int open = openTcpPort();
        final int closed = closedTcpPort();
        final List<ProbeResult> results = new ArrayList<>();
        final ProbeReport report = ProbeRunner.probe(LOOPBACK, PortSpec.parse(open + "," + closed), FAST,
            results::add);
        final Map<String, ProbeResult> found = byTarget(results);
        final ProbeResult openResult = found.get(open + "/tcp");
        assertEquals(PortState.OPEN, openResult.state());
        assertEquals(ProbeReason.SYN_ACK, openResult.reason());
        assertEquals(1, openResult.attempts());
        assertTrue(openResult.rttNs() >= 0 && openResult.rttNs() < TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(LOOPBACK, openResult.host());
        final ProbeResult closedResult = found.get(closed + "/tcp");
        assertEquals(PortState.CLOSED, closedResult.state());
        assertEquals(ProbeReason.CONN_REFUSED, closedResult.reason());
        assertEquals(closed + "/tcp closed conn-refused", closedResult.toString().replaceAll(" [0-9.]+ms.*", ""));
        assertEquals(2, report.probed());
        assertEquals(1, report.count(PortState.OPEN));
        assertEquals(1, report.count(PortState.CLOSED));
        assertEquals(ProbeReport.Completion.COMPLETE, report.completion());
        assertEquals(0, report.exitCode());
    }

    @Test
    void udpAnsweredAndUnreachable() throws IOException
    {
        final UdpResponder responder = openUdpPort();
        final int closed = closedUdpPort();
        final List<ProbeResult> results = new ArrayList<>();
        final ProbeReport report = ProbeRunner.probe(LOOPBACK, PortSpec.parse(responder.port() + "," + closed,
            ProbeProtocol.UDP), FAST, results::add);
        final Map<String, ProbeResult> found = byTarget(results);
        final ProbeResult open = found.get(responder.port() + "/udp");
        assertEquals(PortState.OPEN, open.state());
        assertEquals(ProbeReason.UDP_RESPONSE, open.reason());
        assertTrue(open.hasRtt());
        assertEquals(1, responder.lastLength.get(), "the default probe is one byte");
        final ProbeResult unreachable = found.get(closed + "/udp");
        assertEquals(PortState.CLOSED, unreachable.state());
        assertEquals(ProbeReason.PORT_UNREACH, unreachable.reason());
        assertEquals(1, unreachable.attempts());
        assertEquals(0, report.exitCode());
    }

    @Test
    void udpReplyClassifierSeesThePayloadEcho() throws IOException
    {
        final UdpResponder responder = openUdpPort();
        final byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        final ProbeOptions options = FAST.withUdpProbe(hello, reply ->
            reply.remaining() == 7 && reply.get(reply.position()) == 'C' ? ProbeReason.CONNTEST_HELLO :
                ProbeReason.UDP_RESPONSE);
        final List<ProbeResult> results = new ArrayList<>();
        ProbeRunner.probe(LOOPBACK, PortSpec.parse("U:" + responder.port()), options, results::add);
        assertEquals(1, results.size());
        assertEquals(PortState.OPEN, results.get(0).state());
        assertEquals(ProbeReason.CONNTEST_HELLO, results.get(0).reason());
        assertEquals(5, responder.lastLength.get());
    }

    @Test
    void nothingOpenMeansExitCodeOne() throws IOException
    {
        final ProbeReport report = ProbeRunner.probe(LOOPBACK, PortSpec.parse("T:" + closedTcpPort() + ",U:"
            + closedUdpPort()), FAST, result -> { });
        assertEquals(2, report.probed());
        assertEquals(2, report.count(PortState.CLOSED));
        assertEquals(1, report.exitCode());
    }

    @Test
    void manyPortsWithFewInFlight() throws IOException
    {
        // Only ports this test owns: other programs' loopback listeners are none of its business.
        final StringBuilder spec = new StringBuilder();
        for (int i = 0; i < 30; i++)
        {
            spec.append(spec.length() == 0 ? "" : ",").append(openTcpPort());
        }
        final int closed = closedTcpPort();
        spec.append(',').append(closed);
        final ProbeOptions options = FAST.withMaxInFlight(4).withRatePerSecond(0);
        final List<ProbeResult> results = new ArrayList<>();
        final ProbeReport report = ProbeRunner.probe(LOOPBACK, PortSpec.parse(spec.toString()), options,
            results::add);
        assertEquals(31, results.size());
        assertEquals(30, report.count(PortState.OPEN));
        assertEquals(1, report.count(PortState.CLOSED));
        assertEquals(PortState.CLOSED, byTarget(results).get(closed + "/tcp").state());
    }

    @Test
    void proberRejectsMoreThanItsCapacityAndDeliversOnlyInPoll() throws IOException
    {
        final int closed = closedTcpPort();
        try (KernelPortProber prober = new KernelPortProber(1, ByteBuffer.allocate(1), UdpReplyClassifier.ANY_REPLY))
        {
            final List<ProbeResult> results = new ArrayList<>();
            final long nowNs = System.nanoTime();
            prober.start(ProbeProtocol.TCP, LOOPBACK, closed, TimeUnit.SECONDS.toNanos(1), 1, nowNs, results::add);
            assertEquals(1, prober.inFlight());
            assertThrows(IllegalStateException.class, () -> prober.start(ProbeProtocol.TCP, LOOPBACK, closed,
                TimeUnit.SECONDS.toNanos(1), 1, nowNs, results::add));
            assertTrue(results.isEmpty(), "no callback from inside start");
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (results.isEmpty() && System.nanoTime() < deadlineNs)
            {
                prober.awaitWork(Math.min(prober.nextDeadlineNs(), deadlineNs) - System.nanoTime());
                prober.poll(System.nanoTime());
            }
            assertEquals(1, results.size());
            assertEquals(PortState.CLOSED, results.get(0).state());
            assertEquals(0, prober.inFlight());
        }
    }

    @Test
    void cancelAllAbandonsInFlightProbes() throws IOException
    {
        final UdpResponder silent = openUdpPort();
        silent.mute = true;
        try (KernelPortProber prober = new KernelPortProber(4, ByteBuffer.allocate(1), UdpReplyClassifier.ANY_REPLY))
        {
            final List<ProbeResult> results = new ArrayList<>();
            prober.start(ProbeProtocol.UDP, LOOPBACK, silent.port(), TimeUnit.SECONDS.toNanos(10), 2,
                System.nanoTime(), results::add);
            assertTrue(prober.nextDeadlineNs() < Long.MAX_VALUE);
            assertEquals(1, prober.cancelAll());
            assertEquals(0, prober.inFlight());
            assertEquals(Long.MAX_VALUE, prober.nextDeadlineNs());
            assertEquals(0, prober.poll(System.nanoTime()));
            assertTrue(results.isEmpty());
        }
    }

    @Test
    void silentUdpPortIsOpenFilteredAfterOneRetransmission() throws IOException
    {
        final UdpResponder silent = openUdpPort();
        silent.mute = true;
        final List<ProbeResult> results = new ArrayList<>();
        final ProbeOptions options = ProbeOptions.DEFAULTS.withTimeout(100, TimeUnit.MILLISECONDS);
        ProbeRunner.probe(LOOPBACK, PortSpec.parse("U:" + silent.port()), options, results::add);
        assertEquals(1, results.size());
        assertEquals(PortState.OPEN_FILTERED, results.get(0).state());
        assertEquals(ProbeReason.NO_RESPONSE, results.get(0).reason());
        assertEquals(2, results.get(0).attempts());
        assertEquals(-1, results.get(0).rttNs());
        assertNull(results.get(0).detail());
        assertTrue(silent.received.get() >= 2, "probe plus one retransmission arrived: " + silent.received.get());
    }

    @Test
    void kernelRunnerOnItsOwnThreadCanBeCancelled() throws Exception
    {
        final UdpResponder silent = openUdpPort();
        silent.mute = true;
        final AtomicReference<ProbeReport> done = new AtomicReference<>();
        final ProbeOptions slow = ProbeOptions.DEFAULTS.withTimeout(30, TimeUnit.SECONDS);
        final ProbeRunner runner = ProbeRunner.kernel(LOOPBACK, PortSpec.parse("U:" + silent.port()), slow,
            new ProbeListener()
            {
                @Override
                public void onResult(final ProbeResult result)
                {
                    throw new AssertionError("no result expected: " + result);
                }

                @Override
                public void onDone(final ProbeReport report)
                {
                    done.set(report);
                }
            });
        final Thread thread = runner.start();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (silent.received.get() == 0 && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        assertEquals(1, silent.received.get());
        runner.cancel();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(thread.isAlive());
        assertEquals(ProbeReport.Completion.CANCELLED, done.get().completion());
        assertEquals(1, done.get().notProbed());
        assertEquals(1, done.get().exitCode());
    }

    /** Answers datagrams on 127.0.0.1 from a daemon thread until closed. */
    private static final class UdpResponder implements AutoCloseable
    {
        final DatagramSocket socket;
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger lastLength = new AtomicInteger(-1);
        volatile boolean mute;
        private final Thread thread;

        UdpResponder() throws SocketException
        {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            thread = new Thread(this::serve, "udp-responder");
            thread.setDaemon(true);
            thread.start();
        }

        int port()
        {
            return socket.getLocalPort();
        }

        private void serve()
        {
            final byte[] buffer = new byte[2048];
            try
            {
                while (!socket.isClosed())
                {
                    final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    lastLength.set(packet.getLength());
                    received.incrementAndGet();
                    if (!mute)
                    {
                        final byte[] reply = new byte[packet.getLength() + 2];
                        reply[0] = 'C';
                        reply[1] = 'T';
                        System.arraycopy(buffer, 0, reply, 2, packet.getLength());
                        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                    }
                }
            }
            catch (final IOException closed)
            {
                // close() ends the loop.
            }
        }

        @Override
        public void close() throws InterruptedException
        {
            socket.close();
            thread.join(5000);
        }
    }
}
