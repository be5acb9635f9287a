package io.conntest.stack.tcp.service;

import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpReadHandler;
import io.conntest.stack.tcp.TcpSocket;

/**
 * RFC 863 discard: drops every byte where it lies in the receive buffer ({@link TcpSocket#readInPlace}: nothing is
 * copied out, as nothing looks at the bytes); closes when the peer does.
 */
public final class DiscardService extends TcpService
{
    /** Takes the bytes and does nothing with them: consuming them is what opens the window again. */
    private static final TcpReadHandler DROP = (buffer, offset, length) ->
    {
    };

    public DiscardService(final TcpProtocol tcp, final int port, final int backlog)
    {
        super(tcp, port, backlog);
    }

    @Override
    public void onReadable(final TcpSocket socket)
    {
        int n;
        while ((n = socket.readInPlace(DROP, Integer.MAX_VALUE)) > 0)
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
