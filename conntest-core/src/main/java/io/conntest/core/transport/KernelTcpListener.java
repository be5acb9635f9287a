package io.conntest.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening TCP socket; accepts a bounded batch per readiness. */
final class KernelTcpListener implements Listener, AutoCloseable
{
    private static final int MAX_ACCEPTS_PER_READY = 16;

    private final KernelTransport transport;
    private final ServerSocketChannel server;
    private final String host;
    private final int port;
    private final AcceptHandler acceptHandler;
    private int live;

    KernelTcpListener(final KernelTransport transport, final ServerSocketChannel server, final String host,
        final AcceptHandler acceptHandler) throws IOException
    {
        this.transport = transport;
        this.server = server;
        this.host = host;
        this.port = ((InetSocketAddress)server.getLocalAddress()).getPort();
        this.acceptHandler = acceptHandler;
    }

    void onAcceptable(final long nowNs)
    {
        for (int i = 0; i < MAX_ACCEPTS_PER_READY; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = server.accept();
            }
            catch (final IOException ex)
            {
                return;
            }
            if (channel == null)
            {
                return;
            }
            if (live >= KernelTransport.MAX_CONNECTIONS_PER_LISTENER)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // refused anyway
                }
                continue;
            }
            try
            {
                KernelTransport.configure(channel);
                final InetSocketAddress remote = (InetSocketAddress)channel.getRemoteAddress();
                final KernelTcpConnection connection = new KernelTcpConnection(transport, channel,
                    HostText.of(remote.getAddress()), remote.getPort(), null, this);
                connection.key = channel.register(transport.selector(), SelectionKey.OP_READ, connection);
                connection.onEstablished();
                transport.add(connection);
                live++;
                connection.handler = acceptHandler.onAccepted(connection, nowNs);
                connection.handler.onConnected(connection, nowNs);
            }
            catch (final IOException ex)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // gone
                }
            }
        }
    }

    void onConnectionEnded()
    {
        live--;
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
        return port;
    }

    @Override
    public void close()
    {
        transport.removeListener(this);
        try
        {
            server.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
