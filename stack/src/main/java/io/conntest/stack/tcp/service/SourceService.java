package io.conntest.stack.tcp.service;

import io.conntest.stack.tcp.TcpProtocol;
import io.conntest.stack.tcp.TcpSocket;

/**
 * A source: writes endless bytes (a repeating printable pattern, like the chargen of RFC 864 without lines) as
 * fast as the connection takes them; input is read and dropped; closes when the peer closes.
 */
public final class SourceService extends TcpService
{
    public SourceService(final TcpProtocol tcp, final int port, final int backlog)
    {
        super(tcp, port, backlog);
        for (int i = 0; i < scratch.capacity(); i++)
        {
            scratch.putByte(i, (byte)(' ' + (i % 95)));
        }
    }

    @Override
    public void onConnected(final TcpSocket socket)
    {
        onWritable(socket);
    }

    @Override
    public void onWritable(final TcpSocket socket)
    {
        int n;
        do
        {
            n = socket.write(scratch, 0, scratch.capacity());
            if (n > 0)
            {
                countOut(n);
            }
        }
        while (n == scratch.capacity());
    }

    @Override
    public void onReadable(final TcpSocket socket)
    {
        // Drain into a separate region so the pattern stays intact: read and drop in small steps.
        final org.agrona.concurrent.UnsafeBuffer sink = this.sink;
        int n;
        while ((n = socket.read(sink, 0, sink.capacity())) > 0)
        {
            countIn(n);
        }
        if (n < 0)
        {
            socket.close();
        }
    }

    private final org.agrona.concurrent.UnsafeBuffer sink = new org.agrona.concurrent.UnsafeBuffer(new byte[4096]);
}
