package io.conntest.stack.tcp;

import java.util.ArrayDeque;

/**
 * A passive open on one port (RFC 9293 §3.10.1, LISTEN): SYNs create connections in SYN-RECEIVED; those that
 * complete the handshake wait in the accept queue. Half-open plus queued connections are bounded by the backlog;
 * SYNs beyond it are dropped (the peer retransmits), as Linux does.
 */
public final class TcpListener
{
    /** Told when {@link #accept()} has a connection to return. */
    public interface AcceptListener
    {
        void onAcceptable(TcpListener listener);
    }

    private final TcpProtocol protocol;
    private final int port;
    private final int backlog;
    private final ArrayDeque<TcpConnection> acceptQueue;
    private int halfOpen;
    private boolean closed;
    private AcceptListener acceptListener;
    boolean queuedForEvents;

    int receiveBufferBytes;
    int sendBufferBytes;
    boolean noDelay;

    TcpListener(final TcpProtocol protocol, final int port, final int backlog)
    {
        this.protocol = protocol;
        this.port = port;
        this.backlog = backlog;
        this.acceptQueue = new ArrayDeque<>(backlog);
        this.receiveBufferBytes = protocol.config().receiveBufferBytes;
        this.sendBufferBytes = protocol.config().sendBufferBytes;
        this.noDelay = protocol.config().noDelay;
    }

    public int port()
    {
        return port;
    }

    public int backlog()
    {
        return backlog;
    }

    public boolean isClosed()
    {
        return closed;
    }

    /** Connections waiting in {@link #accept()}. */
    public int pending()
    {
        return acceptQueue.size();
    }

    public TcpListener setAcceptListener(final AcceptListener acceptListener)
    {
        this.acceptListener = acceptListener;
        return this;
    }

    /** Buffer sizes and Nagle for accepted connections (set before they arrive). */
    public TcpListener setBufferSizes(final int sendBytes, final int receiveBytes)
    {
        this.sendBufferBytes = sendBytes;
        this.receiveBufferBytes = receiveBytes;
        return this;
    }

    public TcpListener setNoDelay(final boolean noDelay)
    {
        this.noDelay = noDelay;
        return this;
    }

    /** An established connection, or null when none is waiting. */
    public TcpSocket accept()
    {
        final TcpConnection c = acceptQueue.poll();
        if (c == null)
        {
            return null;
        }
        c.inAcceptQueue = false;
        c.accepted = true;
        c.listener = null;
        int events = TcpConnection.EV_CONNECTED;
        if (c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT)
        {
            events |= TcpConnection.EV_WRITABLE;
        }
        if (c.rcv.readable() > 0 || c.rcv.finReceived)
        {
            events |= TcpConnection.EV_READABLE;
        }
        c.raise(events);
        return c.socket;
    }

    /** Stops listening; connections not yet accepted are reset. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        protocol.removeListener(this);
        TcpConnection c;
        while ((c = acceptQueue.poll()) != null)
        {
            c.inAcceptQueue = false;
            c.listener = null;
            c.abort(0);
        }
    }

    boolean hasRoom()
    {
        return halfOpen + acceptQueue.size() < backlog;
    }

    void onChildCreated(final TcpConnection c)
    {
        halfOpen++;
    }

    void onChildEstablished(final TcpConnection c)
    {
        halfOpen--;
        if (closed)
        {
            c.listener = null;
            c.abort(0);
            return;
        }
        c.inAcceptQueue = true;
        acceptQueue.add(c);
        protocol.markListenerEvent(this);
    }

    void onChildClosed(final TcpConnection c)
    {
        if (c.inAcceptQueue)
        {
            c.inAcceptQueue = false;
            acceptQueue.remove(c);
        }
        else
        {
            halfOpen--;
        }
    }

    void fireAcceptable()
    {
        if (acceptListener != null && !acceptQueue.isEmpty())
        {
            acceptListener.onAcceptable(this);
        }
    }
}
