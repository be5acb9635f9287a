package io.conntest.core.transport.stack;

import org.agrona.DirectBuffer;

import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.ReliableUdpDemux;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;

/**
 * A bound UDP socket on the stack serving many reliable-UDP peers: the stack's I/O for the one
 * {@link ReliableUdpDemux} (source address and port as the key; see there for what happens to each datagram).
 */
final class StackUdpListener implements Listener, UdpSocketListener, UdpDatagramHandler,
    ReliableUdpDemux.Io<StackUdpPeer>
{
    static final int MAX_PEERS = 1024;
    private static final int MAX_DATAGRAMS_PER_POLL = 512;

    private final StackTransport transport;
    private final UdpSocket socket;
    private final String host;
    private final int port;
    private final ReliableUdpDemux<StackUdpPeer> demux;
    private long nowNs;
    private long receivedAtNs;
    private int sourceAddr;
    private int sourcePort;
    private boolean closed;

    StackUdpListener(final StackTransport transport, final String host, final int port,
        final AcceptHandler acceptHandler)
    {
        this.transport = transport;
        // the socket tells this listener of datagrams in the stack's delivery phase (onReadable)
        this.socket = transport.host().stack().udp().open(this);
        try
        {
            this.port = socket.bind(port);
        }
        catch (final IllegalStateException ex)
        {
            socket.close();
            throw ex;
        }
        this.host = host;
        this.demux = new ReliableUdpDemux<>(MAX_PEERS, acceptHandler, this);
    }

    UdpSocket socket()
    {
        return socket;
    }

    static long key(final int addr, final int port)
    {
        return ((long)addr << 16) | (port & 0xFFFF);
    }

    /** The stack's delivery phase: takes in what the socket queued, at the time of the poll that received it. */
    @Override
    public void onReadable(final UdpSocket s, final long nowNs)
    {
        if (closed)
        {
            return;
        }
        // the receive's callbacks (onDatagram) carry no time: the time of this one delivery, for them
        this.nowNs = nowNs;
        this.receivedAtNs = transport.host().receivedAtNs();
        socket.receive(this, MAX_DATAGRAMS_PER_POLL);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        sourceAddr = srcAddr;
        sourcePort = srcPort;
        final long key = key(srcAddr, srcPort);
        final StackUdpPeer known = demux.peer(key);
        if (known != null)
        {
            known.noteArrival(socket.lastReceivedTtl(), socket.lastReceivedTos());
        }
        demux.onDatagram(key, buffer, offset, length, nowNs, receivedAtNs);
    }

    @Override
    public StackUdpPeer newPeer(final long key, final long nowNs)
    {
        return StackUdpPeer.accept(transport, this, sourceAddr, sourcePort, nowNs);
    }

    @Override
    public void register(final StackUdpPeer peer)
    {
        transport.add(peer);
    }

    @Override
    public void sendToSource(final DirectBuffer buffer, final int offset, final int length)
    {
        socket.sendTo(sourceAddr, sourcePort, buffer, offset, length);
    }

    void remove(final StackUdpPeer peer)
    {
        demux.remove(key(peer.remoteAddr(), peer.remotePort()), peer);
    }

    long junkDatagrams()
    {
        return demux.junkDatagrams();
    }

    @Override
    public TransportProtocol protocol()
    {
        return TransportProtocol.UDP;
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
        if (!closed)
        {
            closed = true;
            socket.close();
            transport.removeListener(this);
        }
    }
}
