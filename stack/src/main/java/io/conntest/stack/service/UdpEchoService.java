package io.conntest.stack.service;

import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.socket.UdpSockets;
import org.agrona.DirectBuffer;

/**
 * The UDP echo service (RFC 862): every datagram received on the port is sent back to its source, unchanged, over
 * the family it came by (IPv4 or IPv6).
 * A datagram that finds the send queue full is dropped and counted (UDP promises nothing; the client retries).
 */
public final class UdpEchoService implements UdpSocketListener, UdpDatagramHandler, AutoCloseable
{
    /** The well-known port of RFC 862. */
    public static final int PORT = 7;

    private final UdpSocket socket;
    private long echoed;
    private long echoedBytes;
    private long dropped;

    /** Opens a socket on {@code udp} bound to {@code port}. */
    public UdpEchoService(final UdpSockets udp, final int port)
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
        if (srcPort == 0)
        {
            // RFC 768: source port 0 means the sender expects no reply; there is nowhere to echo to.
            dropped++;
            return;
        }
        if (socket.sendTo(srcAddr, srcPort, buffer, offset, length))
        {
            echoed++;
            echoedBytes += length;
        }
        else
        {
            dropped++;
        }
    }

    @Override
    public void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (srcPort == 0)
        {
            dropped++; // RFC 768, as over IPv4: no reply port
            return;
        }
        if (socket.sendTo6(srcHi, srcLo, srcPort, buffer, offset, length))
        {
            echoed++;
            echoedBytes += length;
        }
        else
        {
            dropped++;
        }
    }

    public int port()
    {
        return socket.localPort();
    }

    public UdpSocket socket()
    {
        return socket;
    }

    public long echoed()
    {
        return echoed;
    }

    public long echoedBytes()
    {
        return echoedBytes;
    }

    /** Datagrams not echoed: the send queue was full, or the source port was 0 (no reply port). */
    public long dropped()
    {
        return dropped;
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
