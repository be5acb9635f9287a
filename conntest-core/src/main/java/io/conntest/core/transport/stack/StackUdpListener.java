package io.conntest.core.transport.stack;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.rudp.ReliableUdpChannel;
import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;

/**
 * A bound UDP socket on the stack serving many reliable-UDP peers, demultiplexed by source address and port. A
 * datagram from an unknown source creates a peer only when it is a well-formed handshake INIT, so junk leaves no
 * state; a DATA or ACK from an unknown source (a client of an earlier instance) gets a stateless CLOSE. A peer
 * that restarted (new handshake on a known address) replaces the old one.
 */
final class StackUdpListener implements Listener, UdpDatagramHandler
{
    static final int MAX_PEERS = 1024;
    private static final int MAX_DATAGRAMS_PER_POLL = 512;

    private final StackTransport transport;
    private final UdpSocket socket;
    private final String host;
    private final int port;
    private final AcceptHandler acceptHandler;
    private final Long2ObjectHashMap<StackUdpPeer> peers = new Long2ObjectHashMap<>();
    private final UnsafeBuffer closeBuffer = new UnsafeBuffer(new byte[64]);
    private long nowNs;
    private long junkDatagrams;
    private boolean closed;

    StackUdpListener(final StackTransport transport, final String host, final int port,
        final AcceptHandler acceptHandler)
    {
        this.transport = transport;
        this.socket = transport.host().stack().udp().open(new UdpSocketListener()
        {
        });
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
        this.acceptHandler = acceptHandler;
    }

    UdpSocket socket()
    {
        return socket;
    }

    static long key(final int addr, final int port)
    {
        return ((long)addr << 16) | (port & 0xFFFF);
    }

    int drain(final long nowNs)
    {
        if (closed)
        {
            return 0;
        }
        this.nowNs = nowNs;
        return socket.receive(this, MAX_DATAGRAMS_PER_POLL);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final long key = key(srcAddr, srcPort);
        final StackUdpPeer known = peers.get(key);
        if (known != null)
        {
            known.onDatagram(buffer, offset, length, nowNs);
            if (!known.reliable().isPeerRestarted())
            {
                return;
            }
            known.fail(FailureReason.RESET, "peer restarted", nowNs);
            peers.remove(key);
        }
        if (!ReliableUdpChannel.isHandshakeInit(buffer, offset, length))
        {
            junkDatagrams++;
            final int n = ReliableUdpChannel.writeStatelessClose(buffer, offset, length, closeBuffer, 0);
            if (n > 0)
            {
                socket.sendTo(srcAddr, srcPort, closeBuffer, 0, n);
            }
            return;
        }
        if (peers.size() >= MAX_PEERS)
        {
            junkDatagrams++;
            return;
        }
        final StackUdpPeer fresh = StackUdpPeer.accept(transport, this, srcAddr, srcPort, nowNs);
        if (fresh.onDatagram(buffer, offset, length, nowNs) == ReliableUdpChannel.MALFORMED ||
            !fresh.reliable().isOpen())
        {
            junkDatagrams++;
            return;
        }
        peers.put(key, fresh);
        transport.add(fresh);
        fresh.accepted(null);
        final ConnectionHandler handler = acceptHandler.onAccepted(fresh, nowNs);
        fresh.accepted(handler);
        handler.onConnected(fresh, nowNs);
    }

    void remove(final StackUdpPeer peer)
    {
        final long key = key(peer.remoteAddr(), peer.remotePort());
        if (peers.get(key) == peer)
        {
            peers.remove(key);
        }
    }

    long junkDatagrams()
    {
        return junkDatagrams;
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
