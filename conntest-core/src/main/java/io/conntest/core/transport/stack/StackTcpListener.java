package io.conntest.core.transport.stack;

import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.tcp.TcpListener;
import io.conntest.stack.tcp.TcpSocket;

/** A TCP listener on the stack: every accepted socket becomes a {@link StackTcpConnection}. */
final class StackTcpListener implements Listener, TcpListener.AcceptListener
{
    static final int BACKLOG = 128;

    private final StackTransport transport;
    private final TcpListener listener;
    private final String host;
    private final AcceptHandler acceptHandler;

    StackTcpListener(final StackTransport transport, final String host, final int port,
        final AcceptHandler acceptHandler)
    {
        this.transport = transport;
        this.host = host;
        this.acceptHandler = acceptHandler;
        this.listener = transport.host().tcp().listen(port, BACKLOG);
        listener.setNoDelay(true);
        listener.setAcceptListener(this);
    }

    @Override
    public void onAcceptable(final TcpListener l)
    {
        TcpSocket socket;
        while ((socket = listener.accept()) != null)
        {
            final StackTcpConnection connection = new StackTcpConnection(transport, socket,
                socket.remoteAddressText(), socket.remotePort(), null);
            transport.add(connection);
            // onConnected follows from the socket's own event, which accept() raised.
            connection.handler(acceptHandler.onAccepted(connection, transport.host().nowNs()));
        }
    }

    @Override
    public TransportProtocol protocol()
    {
        return TransportProtocol.TCP;
    }

    @Override
    public String host()
    {
        return host;
    }

    @Override
    public int port()
    {
        return listener.port();
    }

    @Override
    public void close()
    {
        listener.close();
        transport.removeListener(this);
    }
}
