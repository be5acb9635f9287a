package io.conntest.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.conntest.core.rudp.ReliableUdpChannel;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.rudp.Role;

/**
 * The kernel prober against UDP responders this test runs on 127.0.0.1: each probe's RTT runs from its own send to
 * its own answer, a DNS-like server answers the DNS payload (and only it), and a reliable-UDP server (what a conntest
 * listener runs) is recognised as {@code conntest-hello} and closed again by the probe.
 */
class KernelProbeAnswersTest
{
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long MS = 1_000_000L;
    private static final ProbeOptions OPTIONS = ProbeOptions.DEFAULTS.withTimeout(300, TimeUnit.MILLISECONDS)
        .withRatePerSecond(0);

    private final List<Responder> responders = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException
    {
        for (final Responder responder : responders)
        {
            responder.close();
        }
    }

    private Responder responder(final long delayNs, final Function<byte[], byte[]> answer) throws IOException
    {
        final Responder responder = new Responder(delayNs, answer);
        responders.add(responder);
        return responder;
    }

    /** Runs a scan over {@code prober}, noting when each result was delivered. */
    private static Map<Integer, ProbeResult> scan(final PortProber prober, final String spec,
        final Map<Integer, Long> deliveredAfterNs)
    {
        final Map<Integer, ProbeResult> results = Collections.synchronizedMap(new HashMap<>());
        final long startNs = System.nanoTime();
        new ProbeRunner(prober, LOOPBACK, PortSpec.parse(spec), OPTIONS, result ->
        {
            results.put(result.port(), result);
            deliveredAfterNs.put(result.port(), System.nanoTime() - startNs);
        }).run();
        return results;
    }

    @Test
    void eachProbesRttRunsFromItsOwnSendToItsOwnAnswer() throws IOException
    {
        final long delayNs = 200 * MS;
        final Responder slow = responder(delayNs, request -> new byte[] {1});
        final Responder fast = responder(0, request -> new byte[] {1});
        final Map<Integer, Long> delivered = new HashMap<>();
        final Map<Integer, ProbeResult> results;
        try (KernelPortProber prober = KernelPortProber.create(OPTIONS))
        {
            results = scan(prober, "U:" + slow.port() + "," + fast.port(), delivered);
        }
        final ProbeResult slowResult = results.get(slow.port());
        final ProbeResult fastResult = results.get(fast.port());
        assertEquals(PortState.OPEN, slowResult.state());
        assertEquals(PortState.OPEN, fastResult.state());
        assertTrue(slowResult.rttNs() >= delayNs, "the slow answer took the responder's delay: " + slowResult);
        assertTrue(fastResult.rttNs() < delayNs, "the fast one is not batched with the slow one: " + fastResult);
        for (final ProbeResult result : results.values())
        {
            assertTrue(result.rttNs() <= delivered.get(result.port()),
                "an RTT never exceeds the time from the scan's start to its delivery: " + result);
        }
    }

    @Test
    void aDnsServerAnswersTheDnsPayloadSoItIsOpenUdpResponse() throws IOException
    {
        final Responder dns = responder(0, KernelProbeAnswersTest::dnsAnswer);
        final Responder dnsToo = responder(0, KernelProbeAnswersTest::dnsAnswer);
        // The prober's well-known payload for 53 is sent to the test's port (a test may not bind port 53 here).
        final byte[] query = UdpPayloads.forPort(53);
        final Map<Integer, ProbeResult> results;
        try (KernelPortProber prober = new KernelPortProber(8, OPTIONS.udpPayload(),
            port -> port == dns.port() ? ByteBuffer.wrap(query) : null, OPTIONS.udpReplyClassifier()))
        {
            results = scan(prober, "U:" + dns.port() + "," + dnsToo.port(), new HashMap<>());
        }
        assertEquals(PortState.OPEN, results.get(dns.port()).state());
        assertEquals(ProbeReason.UDP_RESPONSE, results.get(dns.port()).reason());
        assertEquals(PortState.OPEN_FILTERED, results.get(dnsToo.port()).state(),
            "without the DNS payload the server stays silent, as a real one does for a stray byte");
        assertEquals(17, dns.lastRequest.length);
    }

    @Test
    void aReliableUdpServerIsOpenConntestHelloAndTheProbeClosesItsSession() throws IOException, InterruptedException
    {
        final RudpServer server = new RudpServer();
        final Responder responder = responder(0, server::answer);
        final ConntestUdpHello hello = new ConntestUdpHello(0x1234_5678_9ABCL);
        final ProbeOptions options = OPTIONS.withUdpProbe(hello.payload(), hello);
        final Responder plain = responder(0, request -> new byte[] {9});
        final List<ProbeResult> results = new ArrayList<>();
        ProbeRunner.probe(LOOPBACK, PortSpec.parse("U:" + responder.port() + "," + plain.port()), options,
            results::add);
        final Map<Integer, ProbeResult> byPort = new HashMap<>();
        results.forEach(r -> byPort.put(r.port(), r));
        assertEquals(PortState.OPEN, byPort.get(responder.port()).state());
        assertEquals(ProbeReason.CONNTEST_HELLO, byPort.get(responder.port()).reason());
        assertEquals(ProbeReason.UDP_RESPONSE, byPort.get(plain.port()).reason(), "any other reply");
        assertTrue(server.closed.await(5, TimeUnit.SECONDS), "the probe's CLOSE ended the server's channel");
    }

    /** RFC 1035 4.1.1: the query's ID, QR 1, RCODE 5 (refused), the question echoed; silence for a non-query. */
    private static byte[] dnsAnswer(final byte[] request)
    {
        if (request.length < 12 || (request[2] & 0x80) != 0 || request[5] != 1)
        {
            return null;
        }
        final byte[] answer = request.clone();
        answer[2] = (byte)0x80;
        answer[3] = 5;
        return answer;
    }

    /** A server-role reliable-UDP channel, as a conntest UDP listener keeps per peer. */
    private static final class RudpServer
    {
        final CountDownLatch closed = new CountDownLatch(1);
        private ReliableUdpChannel channel;

        synchronized byte[] answer(final byte[] request)
        {
            final UnsafeBuffer in = new UnsafeBuffer(request);
            final long nowNs = System.nanoTime();
            if (channel == null)
            {
                if (!ReliableUdpChannel.isHandshakeInit(in, 0, request.length))
                {
                    return null;
                }
                channel = new ReliableUdpChannel(ReliableUdpConfig.defaults(), Role.SERVER, nowNs);
            }
            channel.onDatagram(in, 0, request.length, nowNs, (b, o, l) -> { });
            if (channel.isClosed())
            {
                closed.countDown();
                return null;
            }
            final byte[][] out = new byte[1][];
            channel.poll(nowNs, (b, o, l) ->
            {
                if (out[0] == null)
                {
                    out[0] = new byte[l];
                    b.getBytes(o, out[0]);
                }
                return true;
            });
            assertNotNull(out[0], "a server answers an INIT");
            return out[0];
        }
    }

    /** Answers each datagram with {@code answer(request)} (null: silence) after a delay, on a daemon thread. */
    private static final class Responder
    {
        final DatagramSocket socket;
        final long delayNs;
        final Function<byte[], byte[]> answer;
        volatile byte[] lastRequest;
        private final Thread thread;

        Responder(final long delayNs, final Function<byte[], byte[]> answer) throws IOException
        {
            this.socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            this.delayNs = delayNs;
            this.answer = answer;
            this.thread = new Thread(this::serve, "probe-test-responder");
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
                    final long receivedNs = System.nanoTime();
                    final byte[] request = java.util.Arrays.copyOf(buffer, packet.getLength());
                    lastRequest = request;
                    final byte[] reply = answer.apply(request);
                    if (reply != null)
                    {
                        // the scenario's answer delay (not a wait for a condition): the reply leaves this late
                        while (System.nanoTime() - receivedNs < delayNs)
                        {
                            Thread.sleep(Math.max(1, (delayNs - (System.nanoTime() - receivedNs)) / MS));
                        }
                        final SocketAddress from = packet.getSocketAddress();
                        socket.send(new DatagramPacket(reply, reply.length, from));
                    }
                }
            }
            catch (final IOException | InterruptedException closedOrStopped)
            {
                // close() ends the loop.
            }
        }

        void close() throws InterruptedException
        {
            socket.close();
            thread.join(5000);
        }
    }
}
