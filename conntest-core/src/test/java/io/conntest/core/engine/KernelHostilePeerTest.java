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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.core.event.EngineEvent;
import io.conntest.core.event.EventType;
import io.conntest.core.protocol.FrameHeader;
import io.conntest.core.protocol.MessageType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.stats.Side;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.KernelTransport;
import io.conntest.core.transport.TransportProtocol;

/** Real sockets on 127.0.0.1 speaking nonsense to a kernel-transport engine. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KernelHostilePeerTest
{
    private Engine server;
    private Engine client;

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

    private static byte[] readAll(final InputStream in) throws IOException
    {
        return in.readAllBytes();
    }

    private static <T> T waitFor(final java.util.function.Supplier<Optional<T>> probe)
    {
        return io.conntest.stack.testing.Await.value(probe, 10_000, "the condition");
    }
}
