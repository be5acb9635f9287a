package io.conntest.stack.tcp.service;

import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;

/** RFC 863 discard: reads and drops every byte; closes when the peer does. */
public final class DiscardService extends TcpService
{
    public DiscardService(final TcpProtocol tcp, final int port, final int backlog)
    {
        super(tcp, port, backlog);
    }

    @Override
    public void onReadable(final TcpSocket socket)
    {
        int n;
        while ((n = socket.read(scratch, 0, scratch.capacity())) > 0)
        {
            countIn(n);
        }
        if (n < 0)
        {
            socket.close();
        }
    }

    @Override
    public void onConnected(final TcpSocket socket)
    {
        onReadable(socket);
    }
}
