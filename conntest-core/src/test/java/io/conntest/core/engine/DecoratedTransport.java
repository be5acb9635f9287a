package io.conntest.core.engine;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.core.transport.TransportStats;

/**
 * A test decorator of a transport: delays every delivery of received bytes by a fixed time (a link with a fixed
 * one-way delay on the receiving side, delivered when the manual clock reaches it), records what each connection
 * writes, and calls a hook just before received bytes reach the engine. Test code: it copies and allocates.
 */
final class DecoratedTransport implements Transport
{
    /** Called before received bytes reach the engine, with the receiving connection. */
    interface DataHook
    {
        void beforeData(RecordingConnection connection, DirectBuffer buffer, int offset, int length);
    }

    private final Transport inner;
    private final long delayNs;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    final List<RecordingConnection> connections = new ArrayList<>();
    DataHook hook;
    boolean record;
    /** Delayed bytes are handed on with the time they arrived as their receive timestamp. */
    boolean stampAtArrival;
    private long nowNs;

    DecoratedTransport(final Transport inner, final long delayNs)
    {
        this.inner = inner;
        this.delayNs = delayNs;
    }

    private record Pending(Relay relay, byte[] bytes, long arrivedNs, long atNs)
    {
    }

    /** A connection that records the bytes written through it. */
    final class RecordingConnection implements Connection
    {
        Connection inner;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        long writtenBytes;

        @Override
        public long id()
        {
            return inner.id();
        }

        @Override
        public TransportProtocol protocol()
        {
            return inner.protocol();
        }

        @Override
        public boolean isStream()
        {
            return inner.isStream();
        }

        @Override
        public int maxMessageLength()
        {
            return inner.maxMessageLength();
        }

        @Override
        public String localHost()
        {
            return inner.localHost();
        }

        @Override
        public int localPort()
        {
            return inner.localPort();
        }

        @Override
        public String remoteHost()
        {
            return inner.remoteHost();
        }

        @Override
        public int remotePort()
        {
            return inner.remotePort();
        }

        @Override
        public int write(final DirectBuffer buffer, final int offset, final int length)
        {
            final int n = inner.write(buffer, offset, length);
            if (n > 0 && record)
            {
                final byte[] copy = new byte[n];
                buffer.getBytes(offset, copy);
                written.write(copy, 0, n);
            }
            writtenBytes += Math.max(0, n);
            return n;
        }

        @Override
        public void close()
        {
            inner.close();
        }

        @Override
        public boolean isOpen()
        {
            return inner.isOpen();
        }

        @Override
        public TransportStats stats()
        {
            return inner.stats();
        }
    }

    /** Passes the inner transport's callbacks on with the decorated connection, delaying data. */
    private final class Relay implements ConnectionHandler
    {
        final RecordingConnection connection;
        ConnectionHandler handler;

        Relay(final RecordingConnection connection, final ConnectionHandler handler)
        {
            this.connection = connection;
            this.handler = handler;
        }

        private void adopt(final Connection c)
        {
            if (connection.inner == null)
            {
                connection.inner = c;
            }
        }

        @Override
        public void onConnected(final Connection c, final long nowNs)
        {
            adopt(c);
            handler.onConnected(connection, nowNs);
        }

        @Override
        public void onConnectFailed(final Connection c, final FailureReason reason, final String detail,
            final long nowNs)
        {
            adopt(c);
            handler.onConnectFailed(connection, reason, detail, nowNs);
        }

        @Override
        public void onData(final Connection c, final DirectBuffer buffer, final int offset, final int length,
            final long nowNs)
        {
            adopt(c);
            if (delayNs == 0)
            {
                deliver(buffer, offset, length, nowNs, nowNs);
                return;
            }
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            pending.add(new Pending(this, copy, nowNs, nowNs + delayNs));
        }

        void deliver(final DirectBuffer buffer, final int offset, final int length, final long nowNs,
            final long arrivedNs)
        {
            if (hook != null)
            {
                hook.beforeData(connection, buffer, offset, length);
            }
            if (stampAtArrival)
            {
                handler.onData(connection, buffer, offset, length, nowNs, arrivedNs);
            }
            else
            {
                handler.onData(connection, buffer, offset, length, nowNs);
            }
        }

        @Override
        public void onWritable(final Connection c, final long nowNs)
        {
            handler.onWritable(connection, nowNs);
        }

        @Override
        public void onClosed(final Connection c, final FailureReason reason, final String detail, final long nowNs)
        {
            handler.onClosed(connection, reason, detail, nowNs);
        }
    }

    @Override
    public String name()
    {
        return inner.name();
    }

    @Override
    public Listener listen(final TransportProtocol protocol, final String host, final int port,
        final AcceptHandler acceptHandler)
    {
        return inner.listen(protocol, host, port, (c, now) ->
        {
            final RecordingConnection rc = new RecordingConnection();
            rc.inner = c;
            connections.add(rc);
            final ConnectionHandler handler = acceptHandler.onAccepted(rc, now);
            return handler == null ? null : new Relay(rc, handler);
        });
    }

    @Override
    public Connection connect(final TransportProtocol protocol, final String host, final int port,
        final long timeoutNs, final ConnectionHandler handler)
    {
        final RecordingConnection rc = new RecordingConnection();
        connections.add(rc);
        final Connection c = inner.connect(protocol, host, port, timeoutNs, new Relay(rc, handler));
        if (rc.inner == null)
        {
            rc.inner = c;
        }
        return rc;
    }

    @Override
    public int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        int work = inner.poll(nowNs);
        while (!pending.isEmpty() && pending.peekFirst().atNs() <= nowNs)
        {
            final Pending p = pending.pollFirst();
            p.relay().deliver(new UnsafeBuffer(p.bytes()), 0, p.bytes().length, nowNs, p.arrivedNs());
            work++;
        }
        return work;
    }

    @Override
    public long pollAtNs()
    {
        return pending.isEmpty() ? inner.pollAtNs() : Math.min(inner.pollAtNs(), pending.peekFirst().atNs());
    }

    @Override
    public void idle(final long nowNs, final long deadlineNs)
    {
        inner.idle(nowNs, deadlineNs);
    }

    @Override
    public void wakeup()
    {
        inner.wakeup();
    }

    @Override
    public String linkWarning()
    {
        return inner.linkWarning();
    }

    @Override
    public void close()
    {
        inner.close();
    }
}
