package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.ConnectionState;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;

/**
 * Real sockets on 127.0.0.1 speaking nonsense to a kernel-transport engine (issue 14: garbage, giant lengths, a
 * stall, a slowloris with many connections, a UDP peer spoofing sources): each is closed with a clear reason and
 * the good client's session goes on undisturbed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelHostilePeerTest
{
    private static final long TIMEOUT_NS = 3_000_000_000L; // short, yet long enough for a loaded CI machine

    private Engine server;
    private Engine client;
    private int tcpPort;
    private int udpPort;
    private final KernelLoopbackTest.Events clientEvents = new KernelLoopbackTest.Events();

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.stop();
        }
        if (server != null)
        {
            server.stop();
        }
    }

    @Test
    void httpRequestToAListenerGetsAnErrorFrameAndIsClosedOthersGoOn() throws IOException
    {
        final KernelLoopbackTest.Events events = new KernelLoopbackTest.Events();
        server = Engine.start(EngineConfig.builder("srv").latency(20_000_000L, 3).publishIntervalNs(20_000_000L)
            .listen(new ListenSpec(TransportProtocol.TCP, "127.0.0.1", 0))
            .listen(new ListenSpec(TransportProtocol.UDP, "127.0.0.1", 0)).build(), new KernelTransport(), events);
        final int tcpPort = waitFor(() -> server.snapshot().listeners().stream()
            .filter(l -> l.listening() && l.protocol() == TransportProtocol.TCP).map(l -> l.port()).findFirst());
        final int udpPort = waitFor(() -> server.snapshot().listeners().stream()
            .filter(l -> l.listening() && l.protocol() == TransportProtocol.UDP).map(l -> l.port()).findFirst());
        client = Engine.start(EngineConfig.builder("good").latency(20_000_000L, 3).publishIntervalNs(20_000_000L)
            .connect(ConnectSpec.of(TransportProtocol.TCP, "127.0.0.1", tcpPort)).build(), new KernelTransport(),
            new KernelLoopbackTest.Events());
        final long samplesBefore = waitFor(() -> client.snapshot().connections().stream()
            .filter(c -> c.latencySamples() >= 2).map(ConnectionSnapshot::latencySamples).findFirst());

        // Junk datagrams to the UDP listener create no state at all.
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            final byte[] junk = new byte[512];
            new Random(3).nextBytes(junk);
            for (int i = 0; i < 50; i++)
            {
                udp.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), udpPort));
            }
        }

        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", tcpPort), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final byte[] reply = readAll(socket.getInputStream());
            assertTrue(reply.length > FrameHeader.LENGTH, "an ERROR frame came back");
            final ByteBuffer frame = ByteBuffer.wrap(reply);
            assertEquals(FrameHeader.MAGIC, frame.getInt(0));
            assertEquals(MessageType.ERROR, frame.get(5));
            final String text = new String(reply, FrameHeader.LENGTH + 4, reply.length - FrameHeader.LENGTH - 4,
                StandardCharsets.UTF_8);
            assertTrue(text.contains("bad magic"), text);
        }
        final EngineEvent closed = waitFor(() -> events.events.stream()
            .filter(e -> e.type() == EventType.CLOSED).findFirst());
        assertEquals(FailureReason.PROTOCOL, closed.reason());

        waitFor(() -> client.snapshot().connections().stream()
            .filter(c -> c.latencySamples() > samplesBefore + 5).findFirst());
        final ConnectionSnapshot good = client.snapshot().connections().get(0);
        assertEquals(0, good.retries());
        final long serverRows = waitFor(() -> Optional.of(server.snapshot().connections().stream()
            .filter(c -> c.side() == Side.SERVER).count()).filter(n -> n == 1));
        assertEquals(1, serverRows, "only the good client's session remains; junk datagrams made none");
    }

    /** A server on both protocols with a 3 s timeout, and a good client of {@code protocol} probing it. */
    private KernelLoopbackTest.Events startServerAndGoodClient(final TransportProtocol protocol)
    {
        final KernelLoopbackTest.Events events = new KernelLoopbackTest.Events();
        server = Engine.start(EngineConfig.builder("srv").latency(20_000_000L, 3).publishIntervalNs(20_000_000L)
            .timeoutNs(TIMEOUT_NS)
            .listen(new ListenSpec(TransportProtocol.TCP, "127.0.0.1", 0))
            .listen(new ListenSpec(TransportProtocol.UDP, "127.0.0.1", 0)).build(), new KernelTransport(), events);
        tcpPort = waitFor(() -> server.snapshot().listeners().stream()
            .filter(l -> l.listening() && l.protocol() == TransportProtocol.TCP).map(l -> l.port()).findFirst());
        udpPort = waitFor(() -> server.snapshot().listeners().stream()
            .filter(l -> l.listening() && l.protocol() == TransportProtocol.UDP).map(l -> l.port()).findFirst());
        client = Engine.start(EngineConfig.builder("good").latency(20_000_000L, 3).publishIntervalNs(20_000_000L)
            .connect(ConnectSpec.of(protocol, "127.0.0.1",
                protocol == TransportProtocol.TCP ? tcpPort : udpPort)).build(), new KernelTransport(),
            clientEvents);
        waitFor(() -> client.snapshot().connections().stream().filter(c -> c.latencySamples() >= 2).findFirst());
        return events;
    }

    /** The good client went on probing, never reconnected, and is the server's only session again. */
    private void assertGoodClientUnaffected(final long samplesBefore)
    {
        waitFor(() -> client.snapshot().connections().stream()
            .filter(c -> c.latencySamples() > samplesBefore + 5).findFirst());
        final ConnectionSnapshot good = client.snapshot().connections().get(0);
        assertEquals(0, good.retries(), () -> "the good client never reconnected: " + clientEvents.events.stream()
            .filter(e -> e.type() == EventType.CLOSED).toList());
        final long serverRows = waitFor(() -> Optional.of(server.snapshot().connections().stream()
            .filter(c -> c.side() == Side.SERVER && c.state() == ConnectionState.CONNECTED).count())
            .filter(n -> n == 1));
        assertEquals(1, serverRows, "only the good client's session remains");
        assertEquals(1, server.snapshot().listeners().stream().mapToInt(l -> l.sessions()).sum());
    }

    private long goodSamples()
    {
        return client.snapshot().connections().get(0).latencySamples();
    }

    /** Closed events for connections from {@code host}, once there are {@code count} of them. */
    private static List<EngineEvent> closedFrom(final KernelLoopbackTest.Events events, final String host,
        final int count)
    {
        return waitFor(() -> Optional.of(events.events.stream()
            .filter(e -> e.type() == EventType.CLOSED && host.equals(e.host())).toList())
            .filter(l -> l.size() >= count));
    }

    /**
     * Garbage, a giant length and a stall over real TCP sockets, each on its own connection from its own loopback
     * address: each is closed with its own reason (the first two with an ERROR frame back), the good one goes on.
     */
    @Test
    void garbageGiantLengthAndStallAreEachClosedWithTheirReason() throws IOException
    {
        final KernelLoopbackTest.Events events = startServerAndGoodClient(TransportProtocol.TCP);
        final long samplesBefore = goodSamples();
        final byte[] garbage = new byte[600];
        new Random(7).nextBytes(garbage);
        final byte[] giant = new byte[FrameHeader.LENGTH + 8];
        FrameHeader.write(new UnsafeBuffer(giant), 0, MessageType.HELLO, 0, 0x7FFF_FFFF, 1, 1, 1); // past the limits
        try (Socket g = connect("127.0.0.11"); Socket l = connect("127.0.0.12"); Socket st = connect("127.0.0.13"))
        {
            g.getOutputStream().write(garbage);
            l.getOutputStream().write(giant);
            assertTrue(new String(readAll(g.getInputStream()), StandardCharsets.UTF_8).contains("bad magic"));
            assertTrue(new String(readAll(l.getInputStream()), StandardCharsets.UTF_8)
                .contains("frame length exceeds limit"));
            assertTrue(new String(readAll(st.getInputStream()), StandardCharsets.UTF_8)
                .contains("no HELLO within 3000 ms"), "the staller is told why and closed");
        }
        assertClosed(closedFrom(events, "127.0.0.11", 1).get(0), FailureReason.PROTOCOL, "bad magic");
        assertClosed(closedFrom(events, "127.0.0.12", 1).get(0), FailureReason.PROTOCOL, "frame length exceeds limit");
        assertClosed(closedFrom(events, "127.0.0.13", 1).get(0), FailureReason.TIMEOUT, "no HELLO within 3000 ms");
        assertGoodClientUnaffected(samplesBefore);
    }

    /**
     * A slowloris: 200 TCP connections at once, each dribbling the start of a frame header a byte at a time and
     * never finishing it. Dribbling does not buy time: each is closed when its HELLO deadline passes, with that
     * reason; the good client goes on; the server ends with its one good session.
     */
    @Test
    void slowlorisWithManyConnectionsIsClosedConnectionByConnection() throws IOException
    {
        final KernelLoopbackTest.Events events = startServerAndGoodClient(TransportProtocol.TCP);
        final long samplesBefore = goodSamples();
        final int n = 200;
        final List<Socket> sockets = new ArrayList<>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                sockets.add(connect("127.0.0.21"));
            }
            final byte[] header = new byte[FrameHeader.LENGTH];
            FrameHeader.write(new UnsafeBuffer(header), 0, MessageType.HELLO, 0, 20, 1, 1, 1);
            int stillOpen = n;
            for (int b = 0; b < FrameHeader.LENGTH - 1 && stillOpen > 0; b++)
            {
                stillOpen = 0;
                for (final Socket s : sockets)
                {
                    try
                    {
                        s.getOutputStream().write(header[b]);
                        stillOpen++;
                    }
                    catch (final IOException closedByTheServer)
                    {
                        // expected once its deadline passed
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // the dribble's pace, not a wait
            }
            final List<EngineEvent> closed = closedFrom(events, "127.0.0.21", n);
            for (final EngineEvent e : closed)
            {
                assertClosed(e, FailureReason.TIMEOUT, "no HELLO within 3000 ms");
            }
            assertGoodClientUnaffected(samplesBefore);
        }
        finally
        {
            for (final Socket s : sockets)
            {
                s.close();
            }
        }
    }

    /**
     * A UDP peer that spoofs its sources: well-formed reliable-UDP handshakes (INIT) from 64 loopback addresses
     * whose sockets are gone at once (nobody answers the server's reply), and junk from as many. Each handshake is a
     * session that is closed when its HELLO deadline passes; junk leaves no state; the good UDP client goes on.
     */
    @Test
    void udpPeerSpoofingSourcesLeavesNothingBehind() throws IOException
    {
        final KernelLoopbackTest.Events events = startServerAndGoodClient(TransportProtocol.UDP);
        final long samplesBefore = goodSamples();
        final int sources = 64;
        final byte[] junk = new byte[300];
        new Random(5).nextBytes(junk);
        for (int i = 0; i < sources; i++)
        {
            final InetAddress spoofed = InetAddress.getByAddress(new byte[] { 127, 0, 1, (byte)(i + 1) });
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(spoofed, 0)))
            {
                final byte[] init = handshakeInit(i + 1);
                udp.send(new DatagramPacket(init, init.length, InetAddress.getLoopbackAddress(), udpPort));
            }
            final InetAddress other = InetAddress.getByAddress(new byte[] { 127, 0, 2, (byte)(i + 1) });
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(other, 0)))
            {
                udp.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), udpPort));
            }
        }
        final List<EngineEvent> closed = waitFor(() -> Optional.of(events.events.stream()
            .filter(e -> e.type() == EventType.CLOSED && e.host() != null && e.host().startsWith("127.0.1."))
            .toList()).filter(l -> l.size() >= sources));
        for (final EngineEvent e : closed)
        {
            // The reliable-UDP session times out first (its reply was never acknowledged), or the HELLO deadline.
            assertEquals(FailureReason.TIMEOUT, e.reason(), e.toString());
            assertTrue(e.message().contains("udp peer idle") || e.message().contains("no HELLO within 3000 ms"),
                e.toString());
        }
        assertTrue(events.events.stream().noneMatch(e -> e.host() != null && e.host().startsWith("127.0.2.")),
            "junk from spoofed sources made no session");
        assertGoodClientUnaffected(samplesBefore);
    }

    /** A reliable-UDP HANDSHAKE_INIT as a client sends it (docs/reliable-udp.md), padded to 1,200 bytes. */
    private static byte[] handshakeInit(final long nonce)
    {
        final ByteBuffer b = ByteBuffer.allocate(1200);
        b.putShort(0, (short)0x5255).put(2, (byte)1).put(3, (byte)1) // magic "RU", version 1, HANDSHAKE_INIT
            .putShort(6, (short)(1200 - 36))                          // payload length; token 0, numbers 0
            .putLong(36, nonce).putInt(44, 1024).putInt(48, 1 << 20); // nonce, receive window packets, bytes
        return b.array();
    }

    private static void assertClosed(final EngineEvent e, final FailureReason reason, final String message)
    {
        assertEquals(reason, e.reason(), e.toString());
        assertTrue(e.message().contains(message), e.toString());
    }

    private Socket connect(final String fromHost) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(fromHost, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", tcpPort), 2_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] readAll(final InputStream in) throws IOException
    {
        return in.readAllBytes();
    }

    private static <T> T waitFor(final java.util.function.Supplier<Optional<T>> probe)
    {
        return io.conntest.stack.testing.Await.value(probe, 10_000, "the condition");
    }
}
