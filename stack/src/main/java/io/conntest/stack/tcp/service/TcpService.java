package io.conntest.stack.tcp.service;

import io.conntest.stack.tcp.TcpListener;
import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.tcp.TcpSocketListener;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Locale;

/**
 * A built-in TCP service on a listening port, for testing the stack with nothing of ours on the other side:
 * {@code echo} (RFC 862), {@code discard} (RFC 863) or {@code source} (endless bytes). Accepts every connection and
 * serves it from the socket callbacks; one shared scratch buffer, no allocation per segment.
 */
public abstract class TcpService implements TcpListener.AcceptListener, TcpSocketListener
{
    protected final TcpListener listener;
    protected final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
    private long connections;
    private TcpSocket lastAccepted;
    private long bytesIn;
    private long bytesOut;

    protected TcpService(final TcpProtocol tcp, final int port, final int backlog)
    {
        this.listener = tcp.listen(port, backlog);
        listener.setAcceptListener(this);
    }

    /** Creates a service by name: {@code echo}, {@code discard} or {@code source}. */
    public static TcpService create(final String name, final TcpProtocol tcp, final int port, final int backlog)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "echo":
                return new EchoService(tcp, port, backlog);
            case "discard":
                return new DiscardService(tcp, port, backlog);
            case "source":
                return new SourceService(tcp, port, backlog);
            default:
                throw new IllegalArgumentException("unknown TCP service '" + name + "' (echo, discard, source)");
        }
    }

    public TcpListener listener()
    {
        return listener;
    }

    /** The most recently accepted connection (for its figures), or null. */
    public TcpSocket lastAccepted()
    {
        return lastAccepted;
    }

    public long connections()
    {
        return connections;
    }

    public long bytesIn()
    {
        return bytesIn;
    }

    public long bytesOut()
    {
        return bytesOut;
    }

    protected void countIn(final int n)
    {
        bytesIn += n;
    }

    protected void countOut(final int n)
    {
        bytesOut += n;
    }

    @Override
    public void onAcceptable(final TcpListener l)
    {
        TcpSocket socket;
        while ((socket = l.accept()) != null)
        {
            connections++;
            lastAccepted = socket;
            socket.setListener(this);
        }
    }

    @Override
    public void onClosed(final TcpSocket socket)
    {
        socket.setListener(null);
    }

    /** Stops listening; open connections go on until they close. */
    public void close()
    {
        listener.close();
    }
}
