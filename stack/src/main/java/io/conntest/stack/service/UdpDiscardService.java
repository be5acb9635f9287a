package io.conntest.stack.service;

import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.socket.UdpSockets;
import org.agrona.DirectBuffer;

/**
 * The UDP discard service (RFC 863): every datagram received on the port, over IPv4 or IPv6, is counted and thrown
 * away.
 */
public final class UdpDiscardService implements UdpSocketListener, UdpDatagramHandler, AutoCloseable
{
    /** The well-known port of RFC 863. */
    public static final int PORT = 9;

    private final UdpSocket socket;
    private long datagrams;
    private long bytes;

    public UdpDiscardService(final UdpSockets udp, final int port)
    {
        this.socket = udp.open(this);
        this.socket.bind(port);
    }

    @Override
    public void onReadable(final UdpSocket socket)
    {
        socket.receive(this, Integer.MAX_VALUE);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        datagrams++;
        bytes += length;
    }

    /** Over IPv6 the same: counted and thrown away. */
    @Override
    public void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
        final int offset, final int length)
    {
        datagrams++;
        bytes += length;
    }

    public int port()
    {
        return socket.localPort();
    }

    public long datagrams()
    {
        return datagrams;
    }

    public long bytes()
    {
        return bytes;
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
