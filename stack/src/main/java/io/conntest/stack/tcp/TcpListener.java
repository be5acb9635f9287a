package io.conntest.stack.tcp;

import java.util.ArrayDeque;

/**
 * A passive open on one port (RFC 9293 §3.10.1, LISTEN): SYNs create connections in SYN-RECEIVED (the SYN
 * queue); those that complete the handshake wait in the accept queue. The two have separate bounds, as in Linux:
 * the accept queue holds at most the backlog, and a SYN that finds it full is dropped (the peer retransmits); the
 * SYN queue holds at most {@link TcpConfig#synBacklog}, and a SYN that finds it full is answered with a SYN cookie
 * (RFC 4987 §3.6) so a flood of half-open connections never locks legitimate clients out.
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
    private final int synBacklog;
    private final ArrayDeque<TcpConnection> acceptQueue;
    private int halfOpen;
    /** When this listener last answered a SYN with a cookie: returning ACKs are checked only for a while after. */
    private long lastCookieNs;
    private boolean cookieSent;
    private boolean closed;
    private AcceptListener acceptListener;
    boolean queuedForEvents;

    int receiveBufferBytes;
    int sendBufferBytes;
    boolean noDelay;

    TcpListener(final TcpProtocol protocol, final int port, final int backlog, final int synBacklog)
    {
        this.protocol = protocol;
        this.port = port;
        this.backlog = backlog;
        this.synBacklog = synBacklog;
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

    /** The bound of the SYN queue (half-open connections); beyond it SYNs get cookies. */
    public int synBacklog()
    {
        return synBacklog;
    }

    /** Connections in SYN-RECEIVED (the SYN queue). */
    public int halfOpen()
    {
        return halfOpen;
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
        if (c.rcv.readable() > 0 || c.rcv.finReceived())
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

    boolean acceptQueueFull()
    {
        return acceptQueue.size() >= backlog;
    }

    boolean synQueueFull()
    {
        return halfOpen >= synBacklog;
    }

    void onCookieSent(final long nowNs)
    {
        cookieSent = true;
        lastCookieNs = nowNs;
    }

    /** Whether an ACK for no connection may carry a cookie of ours (Linux: a recent SYN queue overflow). */
    boolean cookiesRecentlySent(final long nowNs)
    {
        return cookieSent && nowNs - lastCookieNs < (TcpSynCookies.MAX_AGE + 1) * TcpSynCookies.PERIOD_NS;
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
