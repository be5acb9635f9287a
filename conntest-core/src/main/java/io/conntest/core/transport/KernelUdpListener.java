package io.conntest.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;

import io.conntest.core.rudp.ReliableUdpChannel;

/**
 * A bound UDP socket serving many peers: datagrams are demultiplexed by source address to one
 * {@link KernelUdpConnection} each. A datagram from an unknown address only creates a peer when the reliability
 * layer accepts it as a handshake, so junk from spoofed addresses leaves no state behind. A peer that restarted
 * (new handshake on a known address) replaces the old one.
 */
final class KernelUdpListener implements Listener, AutoCloseable
{
    private static final int MAX_DATAGRAMS_PER_READY = 256;

    private final KernelTransport transport;
    private final DatagramChannel channel;
    private final String host;
    private final int port;
    private final AcceptHandler acceptHandler;
    private final Map<SocketAddress, KernelUdpConnection> peers = new HashMap<>();
    private long junkDatagrams;
    /**
     * The JDK (17's DatagramChannelImpl) returns the same InetSocketAddress instance while the sender does not
     * change, so a burst from one peer is demultiplexed by identity, without hashing; a changed sender costs the
     * JDK one new address (its internals, not ours) and us one map lookup.
     */
    private SocketAddress lastSource;
    private KernelUdpConnection lastPeer;

    KernelUdpListener(final KernelTransport transport, final DatagramChannel channel, final String host,
        final AcceptHandler acceptHandler) throws IOException
    {
        this.transport = transport;
        this.channel = channel;
        this.host = host;
        this.port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
        this.acceptHandler = acceptHandler;
    }

    void onReadable(final long nowNs)
    {
        final ByteBuffer buffer = transport.readBuffer;
        for (int i = 0; i < MAX_DATAGRAMS_PER_READY; i++)
        {
            buffer.clear();
            final SocketAddress source;
            try
            {
                source = channel.receive(buffer);
            }
            catch (final IOException ex)
            {
                return;
            }
            if (source == null)
            {
                return;
            }
            final int length = buffer.position();
            KernelUdpConnection peer = source == lastSource ? lastPeer : peers.get(source);
            if (peer != null)
            {
                lastSource = source;
                lastPeer = peer;
                peer.onDatagram(transport.readView, 0, length, nowNs);
                if (peer.reliable().isPeerRestarted())
                {
                    peer.fail(FailureReason.RESET, "peer restarted", nowNs);
                    peers.remove(source);
                    forget();
                    peer = null;
                }
                else
                {
                    continue;
                }
            }
            if (peers.size() >= KernelTransport.MAX_CONNECTIONS_PER_LISTENER)
            {
                junkDatagrams++;
                continue;
            }
            if (!ReliableUdpChannel.isHandshakeInit(transport.readView, 0, length))
            {
                // Not a new peer: junk, or a client of an earlier instance of this listener. Tell the latter at once
                // (a stateless CLOSE echoing its token, never larger than what it answers) so it reconnects.
                junkDatagrams++;
                answerStateless(source, length);
                continue;
            }
            final KernelUdpConnection fresh = KernelUdpConnection.accept(transport, this, channel,
                (InetSocketAddress)source, nowNs);
            if (fresh.onDatagram(transport.readView, 0, length, nowNs) == ReliableUdpChannel.MALFORMED ||
                !fresh.reliable().isOpen())
            {
                junkDatagrams++;
                continue;
            }
            peers.put(source, fresh);
            transport.add(fresh);
            fresh.markAccepted(null);
            final ConnectionHandler handler = acceptHandler.onAccepted(fresh, nowNs);
            fresh.markAccepted(handler);
            handler.onConnected(fresh, nowNs);
        }
    }

    private void answerStateless(final SocketAddress source, final int length)
    {
        final int closeLength = ReliableUdpChannel.writeStatelessClose(transport.readView, 0, length,
            transport.writeView, 0);
        if (closeLength > 0)
        {
            final ByteBuffer out = transport.writeBuffer;
            out.clear().limit(closeLength);
            try
            {
                channel.send(out, source);
            }
            catch (final IOException ignored)
            {
                // best effort: the client times out instead
            }
        }
    }

    void remove(final KernelUdpConnection connection, final SocketAddress address)
    {
        peers.remove(address, connection);
        if (lastPeer == connection)
        {
            forget();
        }
    }

    private void forget()
    {
        lastSource = null;
        lastPeer = null;
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
        transport.removeListener(this);
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
