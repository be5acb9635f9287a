package io.conntest.core.iperf3;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportProtocol;

/**
 * An iperf3 server on a {@link Transport} ({@code --listen 'tcp:5201?service=iperf3'}): one TCP listener for the
 * control and data connections, one test at a time as iperf3 does (another client gets ACCESS_DENIED, which its
 * iperf3 prints as "the server is busy running a test"), and every test reported to an {@link Iperf3Log}. Runs on
 * the transport's thread: the owner calls {@link #doWork} each cycle and idles no later than
 * {@link #nextDeadlineNs}. Bounded: at most {@link #MAX_PENDING} connections waiting for their cookie, one test of
 * at most {@link Iperf3Protocol#MAX_STREAMS} streams per direction, a fixed outbox and JSON buffer.
 */
public final class Iperf3Server implements AcceptHandler, AutoCloseable
{
    /** Connections accepted and not yet identified by their cookie; more are closed at once. */
    static final int MAX_PENDING = 16;

    private final Transport transport;
    private final String host;
    private final int port;
    private final Iperf3Log log;
    private final List<Iperf3Connection> pending = new ArrayList<>();
    private final UnsafeBuffer oneByte = new UnsafeBuffer(new byte[1]);
    private UnsafeBuffer block = new UnsafeBuffer(new byte[0]);
    private Listener listener;
    private Iperf3Test test;
    private int tests;
    private long refused;

    public Iperf3Server(final Transport transport, final String host, final int port, final Iperf3Log log)
    {
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.log = log;
    }

    /** Binds the listener; a {@link io.conntest.core.transport.TransportException} says why it could not. */
    public void start()
    {
        listener = transport.listen(TransportProtocol.TCP, host, port, this);
    }

    public boolean isBound()
    {
        return listener != null;
    }

    /** The bound port. */
    public int port()
    {
        return listener == null ? port : listener.port();
    }

    /** Tests begun so far. */
    public int tests()
    {
        return tests;
    }

    /** Connections refused (busy server, bad or unknown cookie). */
    public long refused()
    {
        return refused;
    }

    /** Whether a test is in progress. */
    public boolean busy()
    {
        return test != null && !test.isEnded();
    }

    @Override
    public ConnectionHandler onAccepted(final Connection connection, final long nowNs)
    {
        final Iperf3Connection c = new Iperf3Connection(this, connection, nowNs);
        if (pending.size() >= MAX_PENDING)
        {
            refused++;
            log(nowNs, connection.remoteHost(), connection.remotePort(), true,
                "refused: " + MAX_PENDING + " connections already wait to send their cookie", -1, -1);
            connection.close();
            c.role = Iperf3Connection.Role.REFUSED;
            return c;
        }
        pending.add(c);
        return c;
    }

    /** The connection's cookie is complete: decide what the connection is. */
    void classify(final Iperf3Connection c, final byte[] cookie, final long nowNs)
    {
        pending.remove(c);
        final Connection connection = c.connection;
        if (!Iperf3Connection.wellFormed(cookie))
        {
            refused++;
            log(nowNs, connection.remoteHost(), connection.remotePort(), true,
                "cut off: the client sent a malformed cookie (not 36 printable characters and a NUL)", -1, -1);
            c.role = Iperf3Connection.Role.REFUSED;
            connection.close();
            return;
        }
        if (test == null || test.isEnded())
        {
            c.role = Iperf3Connection.Role.CONTROL;
            test = new Iperf3Test(this, connection, cookie, ++tests, nowNs);
            c.test = test;
            return;
        }
        if (test.matches(cookie) && test.wantsStream())
        {
            c.role = Iperf3Connection.Role.STREAM;
            c.test = test;
            test.addStream(connection, nowNs);
            c.stream = test.stream(connection);
            return;
        }
        refused++;
        log(nowNs, connection.remoteHost(), connection.remotePort(), true, test.matches(cookie)
            ? "refused: a stream the test did not ask for" : "refused: the server is busy with test from "
            + test.clientHost() + ":" + test.clientPort(), -1, -1);
        c.refuse(oneByte);
    }

    /** The UDP socket of a {@code -u} test, on the listener's port. */
    DatagramPort openDatagram(final DatagramHandler handler)
    {
        return transport.openDatagram(host, port(), handler);
    }

    void onClosed(final Iperf3Connection c)
    {
        pending.remove(c);
    }

    /** A block of {@code length} bytes to send from, allocated once per size. */
    DirectBuffer block(final int length)
    {
        if (block.capacity() != length)
        {
            final byte[] bytes = new byte[length];
            // Not all zeros: a link that compresses would otherwise flatter the figure. A fixed pattern, seeded.
            long x = 0x9E3779B97F4A7C15L;
            for (int i = 0; i < length; i++)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                bytes[i] = (byte)x;
            }
            block = new UnsafeBuffer(bytes);
        }
        return block;
    }

    /** Timers: connections that never send their cookie, and the test's own. */
    public int doWork(final long nowNs)
    {
        int work = 0;
        for (int i = pending.size() - 1; i >= 0; i--)
        {
            final Iperf3Connection c = pending.get(i);
            if (nowNs - c.acceptedNs >= Iperf3Connection.COOKIE_TIMEOUT_NS)
            {
                pending.remove(i);
                refused++;
                log(nowNs, c.connection.remoteHost(), c.connection.remotePort(), true,
                    "cut off: no cookie within " + Iperf3Connection.COOKIE_TIMEOUT_NS / 1_000_000_000L + " s", -1, -1);
                c.role = Iperf3Connection.Role.REFUSED;
                c.connection.close();
                work++;
            }
        }
        if (test != null)
        {
            work += test.doWork(nowNs);
        }
        return work;
    }

    public long nextDeadlineNs()
    {
        long at = test == null ? Long.MAX_VALUE : test.nextDeadlineNs();
        for (int i = 0; i < pending.size(); i++)
        {
            at = Math.min(at, pending.get(i).acceptedNs + Iperf3Connection.COOKIE_TIMEOUT_NS);
        }
        return at;
    }

    void log(final long nowNs, final Iperf3Test t, final boolean problem, final String message, final long bytes,
        final long durationNs)
    {
        log(nowNs, t.clientHost(), t.clientPort(), problem, message, bytes, durationNs);
    }

    private void log(final long nowNs, final String clientHost, final int clientPort, final boolean problem,
        final String message, final long bytes, final long durationNs)
    {
        log.onIperf3(nowNs, clientHost, clientPort, problem, message,
            bytes, durationNs);
    }

    /** Ends a running test and closes the listener and every connection. */
    @Override
    public void close()
    {
        if (test != null && !test.isEnded())
        {
            test.end();
            test.control.close();
        }
        for (final Iperf3Connection c : pending)
        {
            c.connection.close();
        }
        pending.clear();
        if (listener != null)
        {
            listener.close();
            listener = null;
        }
    }
}
