package io.conntest.cli.metrics.http;

import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.TransportStats;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A transport for the responder's tests: one listener whose accept handler the test calls with
 * {@link #accept}, connections that record what is written (up to a window the test sets) and are driven by the
 * test ({@link FakeConnection#send}). Test code: it copies and allocates.
 */
final class FakeTransport implements Transport
{
    AcceptHandler acceptHandler;
    int listenedPort = -1;
    int wakeups;
    private long nextId = 1;

    @Override
    public String name()
    {
        return "fake";
    }

    @Override
    public Listener listen(final TransportProtocol protocol, final String host, final int port,
        final AcceptHandler handler)
    {
        acceptHandler = handler;
        listenedPort = port;
        return new Listener()
        {
            @Override
            public TransportProtocol protocol()
            {
                return protocol;
            }

            @Override
            public String host()
            {
                return host;
            }

            @Override
            public int port()
            {
                return port;
            }

            @Override
            public void close()
            {
                acceptHandler = null;
            }
        };
    }

    /** A client connects: the server's handler for it, established. */
    FakeConnection accept(final long nowNs)
    {
        final FakeConnection c = new FakeConnection(nextId++);
        c.handler = acceptHandler.onAccepted(c, nowNs);
        c.handler.onConnected(c, nowNs);
        return c;
    }

    @Override
    public Connection connect(final TransportProtocol protocol, final String host, final int port,
        final long timeoutNs, final ConnectionHandler handler)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public int poll(final long nowNs)
    {
        return 0;
    }

    @Override
    public long pollAtNs()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public void idle(final long nowNs, final long deadlineNs)
    {
    }

    @Override
    public void wakeup()
    {
        wakeups++;
    }

    @Override
    public void close()
    {
    }

    /** One client connection: what the server wrote, and whether it closed. */
    static final class FakeConnection implements Connection
    {
        final long id;
        ConnectionHandler handler;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        /** Bytes the next writes may take in all (a client that reads slowly or not at all). */
        long window = Long.MAX_VALUE;
        /** Whether writes are kept in {@link #written} (else only counted: no allocation of the test's own). */
        boolean record = true;
        long writtenBytes;
        boolean closed;

        FakeConnection(final long id)
        {
            this.id = id;
        }

        /** The client sends {@code text} (ISO-8859-1 bytes). */
        void send(final String text, final long nowNs)
        {
            final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            handler.onData(this, new UnsafeBuffer(bytes), 0, bytes.length, nowNs);
        }

        /** The client reads more: room for {@code bytes} more, and the writable callback. */
        void drain(final long bytes, final long nowNs)
        {
            window += bytes;
            handler.onWritable(this, nowNs);
        }

        /** The client closes its end. */
        void closeByClient(final long nowNs)
        {
            handler.onClosed(this, io.conntest.core.transport.FailureReason.CLOSED, "closed", nowNs);
        }

        String output()
        {
            return written.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public long id()
        {
            return id;
        }

        @Override
        public TransportProtocol protocol()
        {
            return TransportProtocol.TCP;
        }

        @Override
        public boolean isStream()
        {
            return true;
        }

        @Override
        public int maxMessageLength()
        {
            return Integer.MAX_VALUE;
        }

        @Override
        public String localHost()
        {
            return "10.0.0.2";
        }

        @Override
        public int localPort()
        {
            return 9464;
        }

        @Override
        public String remoteHost()
        {
            return "10.0.0.1";
        }

        @Override
        public int remotePort()
        {
            return 40000 + (int)id;
        }

        @Override
        public int write(final DirectBuffer buffer, final int offset, final int length)
        {
            if (closed)
            {
                return 0;
            }
            final int n = (int)Math.min(length, window);
            if (record)
            {
                final byte[] copy = new byte[n];
                buffer.getBytes(offset, copy);
                written.write(copy, 0, n);
            }
            writtenBytes += n;
            window -= n;
            return n;
        }

        @Override
        public void close()
        {
            closed = true;
        }

        @Override
        public boolean isOpen()
        {
            return !closed;
        }

        @Override
        public TransportStats stats()
        {
            return TransportStats.NONE;
        }
    }
}
