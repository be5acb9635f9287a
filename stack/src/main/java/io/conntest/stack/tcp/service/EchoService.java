package io.conntest.stack.tcp.service;

import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;

/**
 * RFC 862 echo: every byte received is sent back. Reads only as much as the send buffer can take, so a slow
 * reader on the other side slows the sender through TCP's own flow control; the peer's FIN is answered with ours
 * once everything is echoed.
 */
public final class EchoService extends TcpService
{
    public EchoService(final TcpProtocol tcp, final int port, final int backlog)
    {
        super(tcp, port, backlog);
    }

    @Override
    public void onConnected(final TcpSocket socket)
    {
        pump(socket);
    }

    @Override
    public void onReadable(final TcpSocket socket)
    {
        pump(socket);
    }

    @Override
    public void onWritable(final TcpSocket socket)
    {
        pump(socket);
    }

    private void pump(final TcpSocket socket)
    {
        while (true)
        {
            final int room = Math.min(socket.writableBytes(), scratch.capacity());
            if (room <= 0)
            {
                if (socket.readableBytes() > 0)
                {
                    socket.write(scratch, 0, 0); // marks the socket as waiting for room
                }
                return;
            }
            final int n = socket.read(scratch, 0, room);
            if (n < 0)
            {
                socket.close(); // the peer finished and everything was echoed
                return;
            }
            if (n == 0)
            {
                return;
            }
            countIn(n);
            final int w = socket.write(scratch, 0, n);
            if (w != n)
            {
                throw new IllegalStateException("send buffer lost room between check and write");
            }
            countOut(w);
        }
    }
}
