package io.conntest.core.iperf3;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.InMemoryNetwork;
import io.conntest.core.transport.InMemoryTransport;
import io.conntest.core.transport.TransportProtocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The iperf3 server's state machine on the in-memory transport, against a client scripted byte by byte as
 * iperf3 3.x speaks: a whole test, a busy server, and clients that lie, stall or leave, after each of which the
 * server serves the next test.
 */
class Iperf3ServerTest
{
    private static final int PORT = 5201;
    private static final String PARAMS = "{\"tcp\":true,\"omit\":0,\"time\":1,\"num\":0,\"blockcount\":0,"
        + "\"parallel\":%d,%s\"len\":1000,\"client_version\":\"3.12\"}";

    private final InMemoryNetwork network = new InMemoryNetwork();
    private final InMemoryTransport serverSide = network.newTransport("server");
    private final InMemoryTransport clientSide = network.newTransport("client");
    private final List<String> log = new ArrayList<>();
    private final List<Long> loggedBytes = new ArrayList<>();
    private Iperf3Server server;
    private long nowNs = 1_000_000_000L;

    @BeforeEach
    void start()
    {
        server = new Iperf3Server(serverSide, "server", PORT, (now, host, port, problem, message, bytes, duration) ->
        {
            log.add((problem ? "PROBLEM " : "") + message);
            loggedBytes.add(bytes);
        });
        server.start();
    }

    @Test
    void aWholeTestThenTheNext()
    {
        runTest(cookie('a'), 1, "", 5_000);
        runTest(cookie('b'), 2, "", 7_000);
        assertEquals(2, server.tests());
        assertTrue(log.get(1).contains("server received 5000 bytes"), log.toString());
        assertEquals(5_000L, loggedBytes.get(1));
        assertEquals(14_000L, loggedBytes.get(3), "two streams of 7000");
    }

    @Test
    void reverseSendsOnTheStreamsAndStopsAtTheByteCount()
    {
        final Client control = connect();
        control.send(cookie('r'));
        step();
        assertArrayEquals(new byte[] {Iperf3Protocol.PARAM_EXCHANGE}, control.take(1));
        control.sendJson(String.format(PARAMS, 1, "\"reverse\":true,").replace("\"num\":0", "\"num\":30000"));
        step();
        assertArrayEquals(new byte[] {Iperf3Protocol.CREATE_STREAMS}, control.take(1));
        final Client stream = connect();
        stream.send(cookie('r'));
        for (int i = 0; i < 50; i++)
        {
            step();
        }
        assertArrayEquals(new byte[] {Iperf3Protocol.TEST_START, Iperf3Protocol.TEST_RUNNING}, control.take(2));
        assertEquals(30_000, stream.received.size(), "exactly -n bytes");
        control.send(new byte[] {Iperf3Protocol.TEST_END});
        step();
        assertArrayEquals(new byte[] {Iperf3Protocol.EXCHANGE_RESULTS}, control.take(1));
        control.sendJson("{\"cpu_util_total\":0,\"cpu_util_user\":0,\"cpu_util_system\":0,"
            + "\"sender_has_retransmits\":-1,\"streams\":[{\"id\":1,\"bytes\":30000}]}");
        step();
        final Map<String, Object> results = control.takeJson();
        assertEquals(0.0, results.get("sender_has_retransmits"));
        assertEquals(30_000.0, ((Map<?, ?>)((List<?>)results.get("streams")).get(0)).get("bytes"));
    }

    @Test
    void aSecondClientIsToldTheServerIsBusy()
    {
        final Client first = connect();
        first.send(cookie('a'));
        step();
        final Client second = connect();
        second.send(cookie('b'));
        step();
        assertArrayEquals(new byte[] {Iperf3Protocol.ACCESS_DENIED}, second.take(1));
        assertTrue(second.closed);
        assertTrue(log.get(0).contains("the server is busy"), log.toString());
        assertFalse(first.closed);
    }

    @Test
    void unsupportedOptionsGetIperf3sErrorAnswer()
    {
        final Client control = connect();
        control.send(cookie('m'));
        step();
        control.take(1);
        control.sendJson(String.format(PARAMS, 1, "\"MSS\":1000,"));
        step();
        final ByteBuffer answer = ByteBuffer.wrap(control.take(9));
        assertEquals(Iperf3Protocol.SERVER_ERROR, answer.get());
        assertEquals(Iperf3Protocol.IEUNIMP, answer.getInt());
        assertEquals(0, answer.getInt());
        assertTrue(control.closed);
        assertTrue(log.get(0).contains("MSS is not supported"), log.toString());
        runTest(cookie('n'), 1, "", 100);
    }

    @Test
    void liarsAndStallersAreCutOffAndTheServerServesOn()
    {
        // A garbage cookie.
        final Client garbage = connect();
        garbage.send(new byte[Iperf3Protocol.COOKIE_SIZE]);
        step();
        assertTrue(garbage.closed);
        // A huge JSON length.
        final Client huge = connect();
        huge.send(cookie('h'));
        step();
        huge.take(1);
        huge.send(new byte[] {0x7f, (byte)0xff, (byte)0xff, (byte)0xff});
        step();
        assertTrue(huge.closed);
        // Broken JSON.
        final Client broken = connect();
        broken.send(cookie('j'));
        step();
        broken.take(1);
        broken.sendJson("{\"tcp\":tru");
        step();
        assertTrue(broken.closed);
        // An early close in the middle of the parameters.
        final Client early = connect();
        early.send(cookie('e'));
        step();
        early.take(1);
        early.send(new byte[] {0, 0, 1});
        step();
        early.connection.close();
        step();
        // A client that never sends its cookie, and one that stops after the parameters.
        final Client silent = connect();
        silent.send(new byte[] {'x'});
        final Client staller = connect();
        staller.send(cookie('s'));
        step();
        staller.take(1);
        staller.sendJson(String.format(PARAMS, 1, ""));
        step();
        nowNs += Iperf3Test.STALL_NS;
        step();
        assertTrue(silent.closed);
        assertTrue(staller.closed);
        assertEquals(6, log.stream().filter(l -> l.startsWith("PROBLEM")).count(), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("malformed cookie")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("announced a JSON of 2147483647 bytes")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("bad JSON")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("middle of a message")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("no cookie within")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("stalled")), log.toString());
        runTest(cookie('z'), 1, "", 1_000);
    }

    /** One whole normal-direction test: every stream sends {@code bytesPerStream}. */
    private void runTest(final byte[] cookie, final int parallel, final String extra, final int bytesPerStream)
    {
        final Client control = connect();
        control.send(cookie);
        step();
        assertArrayEquals(new byte[] {Iperf3Protocol.PARAM_EXCHANGE}, control.take(1));
        control.sendJson(String.format(PARAMS, parallel, extra));
        step();
        assertArrayEquals(new byte[] {Iperf3Protocol.CREATE_STREAMS}, control.take(1));
        final List<Client> streams = new ArrayList<>();
        for (int i = 0; i < parallel; i++)
        {
            final Client s = connect();
            s.send(cookie);
            streams.add(s);
            step();
        }
        assertArrayEquals(new byte[] {Iperf3Protocol.TEST_START, Iperf3Protocol.TEST_RUNNING}, control.take(2));
        for (final Client s : streams)
        {
            s.send(new byte[bytesPerStream]);
        }
        step();
        nowNs += 1_000_000_000L;
        control.send(new byte[] {Iperf3Protocol.TEST_END});
        step();
        assertArrayEquals(new byte[] {Iperf3Protocol.EXCHANGE_RESULTS}, control.take(1));
        control.sendJson("{\"cpu_util_total\":0,\"cpu_util_user\":0,\"cpu_util_system\":0,"
            + "\"sender_has_retransmits\":0,\"streams\":[{\"id\":1,\"bytes\":" + bytesPerStream + "}]}");
        step();
        final Map<String, Object> results = control.takeJson();
        final List<?> list = (List<?>)results.get("streams");
        assertEquals(parallel, list.size());
        for (int i = 0; i < parallel; i++)
        {
            final Map<?, ?> s = (Map<?, ?>)list.get(i);
            assertEquals((double)(i == 0 ? 1 : i + 2), s.get("id"), "iperf3's stream ids: 1, 3, 4, ...");
            assertEquals((double)bytesPerStream, s.get("bytes"));
            assertEquals(1.0, (Double)s.get("end_time"), 1e-9);
        }
        assertEquals(-1.0, results.get("sender_has_retransmits"));
        assertArrayEquals(new byte[] {Iperf3Protocol.DISPLAY_RESULTS}, control.take(1));
        control.send(new byte[] {Iperf3Protocol.IPERF_DONE});
        step();
        assertTrue(control.closed, "the server closes after IPERF_DONE");
        assertFalse(server.busy());
    }

    private static byte[] cookie(final char c)
    {
        final byte[] cookie = new byte[Iperf3Protocol.COOKIE_SIZE];
        java.util.Arrays.fill(cookie, (byte)c);
        cookie[Iperf3Protocol.COOKIE_SIZE - 1] = 0;
        return cookie;
    }

    private Client connect()
    {
        final Client c = new Client();
        c.connection = clientSide.connect(TransportProtocol.TCP, "server", PORT, 1_000_000_000L, c);
        step();
        return c;
    }

    private void step()
    {
        for (int i = 0; i < 4; i++)
        {
            clientSide.poll(nowNs);
            serverSide.poll(nowNs);
            server.doWork(nowNs);
        }
    }

    /** A client end that records what it receives. */
    private static final class Client implements ConnectionHandler
    {
        Connection connection;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int read;
        boolean closed;

        void send(final byte[] bytes)
        {
            final int n = connection.write(new UnsafeBuffer(bytes), 0, bytes.length);
            assertEquals(bytes.length, n, "the in-memory buffer takes small writes whole");
        }

        void sendJson(final String json)
        {
            final byte[] text = json.getBytes(StandardCharsets.UTF_8);
            send(ByteBuffer.allocate(4).putInt(text.length).array());
            send(text);
        }

        byte[] take(final int n)
        {
            final byte[] all = received.toByteArray();
            assertTrue(all.length - read >= n, "expected " + n + " bytes, have " + (all.length - read));
            final byte[] out = java.util.Arrays.copyOfRange(all, read, read + n);
            read += n;
            return out;
        }

        Map<String, Object> takeJson()
        {
            final int length = ByteBuffer.wrap(take(4)).getInt();
            return Iperf3Json.parseObject(new String(take(length), StandardCharsets.UTF_8));
        }

        @Override
        public void onConnected(final Connection c, final long nowNs)
        {
        }

        @Override
        public void onConnectFailed(final Connection c, final FailureReason reason, final String detail,
            final long nowNs)
        {
            closed = true;
        }

        @Override
        public void onData(final Connection c, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            received.writeBytes(bytes);
        }

        @Override
        public void onWritable(final Connection c, final long nowNs)
        {
        }

        @Override
        public void onClosed(final Connection c, final FailureReason reason, final String detail, final long nowNs)
        {
            closed = true;
        }
    }
}
