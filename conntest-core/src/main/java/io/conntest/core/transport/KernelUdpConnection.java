package io.conntest.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

import org.agrona.DirectBuffer;

import io.conntest.core.rudp.CloseReason;
import io.conntest.core.rudp.DatagramSink;
import io.conntest.core.rudp.MessageHandler;
import io.conntest.core.rudp.ReliableUdpChannel;
import io.conntest.core.rudp.Role;

/**
 * One reliable-UDP peer on kernel sockets. A client owns a connected {@code DatagramChannel} (so ICMP port
 * unreachable surfaces as "refused"); a server-side peer shares its listener's channel and sends to the peer's
 * address. The {@link ReliableUdpChannel} does sequencing, retransmission and the handshake; this class only
 * moves its datagrams and maps its states to connection events.
 */
final class KernelUdpConnection extends KernelConnection implements MessageHandler, DatagramSink
{
    private final DatagramChannel channel;
    private final SocketAddress peerAddress;
    private final KernelUdpListener listener;
    private final ReliableUdpChannel reliable;
    private final ReliableUdpStatsView statsView;
    private SelectionKey key;
    private boolean blocked;
    private int blockedLength;
    private boolean closing;
    private long nowNs;

    private KernelUdpConnection(final KernelTransport transport, final DatagramChannel channel,
        final SocketAddress peerAddress, final String remoteHost, final int remotePort, final ConnectionHandler handler,
        final KernelUdpListener listener, final Role role, final long nowNs)
    {
        super(transport, remoteHost, remotePort, handler);
        this.channel = channel;
        this.peerAddress = peerAddress;
        this.listener = listener;
        this.reliable = new ReliableUdpChannel(transport.udpConfig(), role, nowNs);
        this.statsView = new ReliableUdpStatsView(reliable.stats());
        this.nowNs = nowNs;
    }

    static KernelConnection connect(final KernelTransport transport, final String host, final int port,
        final long timeoutNs, final ConnectionHandler handler)
    {
        final long nowNs = transport.nowNs();
        DatagramChannel channel = null;
        try
        {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            final InetSocketAddress remote = new InetSocketAddress(host, port);
            channel.connect(remote);
            final KernelUdpConnection connection = new KernelUdpConnection(transport, channel, remote, host, port,
                handler, null, Role.CLIENT, nowNs);
            connection.connectDeadlineNs = nowNs + timeoutNs;
            final InetSocketAddress local = (InetSocketAddress)channel.getLocalAddress();
            connection.localHostName = local.getAddress().getHostAddress();
            connection.localPortNumber = local.getPort();
            connection.key = channel.register(transport.selector(), SelectionKey.OP_READ, connection);
            return connection;
        }
        catch (final IOException | RuntimeException ex)
        {
            final KernelUdpConnection connection = new KernelUdpConnection(transport, channel, null, host, port,
                handler, null, Role.CLIENT, nowNs);
            connection.pendingReason = ErrorClassifier.classify(ex);
            connection.pendingDetail = "cannot connect to " + host + ":" + port + ": " + ErrorClassifier.describe(ex);
            return connection;
        }
    }

    /** A server-side peer for a new source address; the caller feeds it the first datagram. */
    static KernelUdpConnection accept(final KernelTransport transport, final KernelUdpListener listener,
        final DatagramChannel channel, final InetSocketAddress peer, final long nowNs)
    {
        final KernelUdpConnection connection = new KernelUdpConnection(transport, channel, peer,
            peer.getAddress().getHostAddress(), peer.getPort(), null, listener, Role.SERVER, nowNs);
        connection.localHostName = listener.host();
        connection.localPortNumber = listener.port();
        return connection;
    }

    ReliableUdpChannel reliable()
    {
        return reliable;
    }

    /** Hands one received datagram to the reliability layer (messages come back through {@link #onMessage}). */
    int onDatagram(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        this.nowNs = nowNs;
        return reliable.onDatagram(buffer, offset, length, nowNs, this);
    }

    void markAccepted(final ConnectionHandler handler)
    {
        this.handler = handler;
        this.open = true;
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (open && !finished && handler != null)
        {
            handler.onData(this, buffer, offset, length, nowNs);
        }
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuffer out = transport.writeBuffer;
        transport.writeView.putBytes(0, buffer, offset, length);
        out.clear().limit(length);
        try
        {
            final int n = listener == null ? channel.write(out) : channel.send(out, peerAddress);
            return n > 0;
        }
        catch (final IOException ex)
        {
            if (pendingReason == null)
            {
                pendingReason = ErrorClassifier.classify(ex);
                pendingDetail = ErrorClassifier.describe(ex);
            }
            return true;
        }
    }

    @Override
    void onReady(final int readyOps, final long nowNs)
    {
        this.nowNs = nowNs;
        final ByteBuffer buffer = transport.readBuffer;
        for (int i = 0; i < KernelTransport.MAX_READS_PER_READY * 8 && !finished; i++)
        {
            buffer.clear();
            final int n;
            try
            {
                n = channel.read(buffer);
            }
            catch (final IOException ex)
            {
                fail(ErrorClassifier.classify(ex), "udp " + remoteHostName + ":" + remotePortNumber + ": " +
                    ErrorClassifier.describe(ex), nowNs);
                return;
            }
            if (n <= 0)
            {
                return;
            }
            reliable.onDatagram(transport.readView, 0, n, nowNs, this);
        }
    }

    @Override
    int onPoll(final long nowNs)
    {
        this.nowNs = nowNs;
        if (finished)
        {
            if (closing)
            {
                reliable.poll(nowNs, this);
                if (reliable.isClosed() || reliable.pollAtNs() == Long.MAX_VALUE)
                {
                    closing = false;
                    release();
                }
            }
            return 0;
        }
        if (pendingReason != null)
        {
            fail(pendingReason, pendingDetail, nowNs);
            return 1;
        }
        int work = 0;
        reliable.poll(nowNs, this);
        if (!open && reliable.isOpen())
        {
            open = true;
            handler.onConnected(this, nowNs);
            work++;
        }
        if (reliable.isClosed())
        {
            final CloseReason reason = reliable.closeReason();
            fail(reason == CloseReason.PEER_CLOSED ? FailureReason.CLOSED : FailureReason.TIMEOUT,
                reason == CloseReason.PEER_CLOSED ? "peer closed the connection" :
                open ? "peer stopped answering (retransmissions exhausted)" : "no answer to the UDP handshake",
                nowNs);
            return 1;
        }
        if (!open && nowNs >= connectDeadlineNs)
        {
            fail(FailureReason.TIMEOUT, "udp handshake with " + remoteHostName + ":" + remotePortNumber +
                " timed out", nowNs);
            return 1;
        }
        if (open && reliable.isIdleTimedOut(nowNs))
        {
            fail(FailureReason.TIMEOUT, "udp peer idle", nowNs);
            return 1;
        }
        if (blocked && open && reliable.canOffer(blockedLength))
        {
            blocked = false;
            handler.onWritable(this, nowNs);
            reliable.poll(nowNs, this);
            work++;
        }
        return work;
    }

    @Override
    long pollAtNs()
    {
        if (finished && !closing)
        {
            return Long.MAX_VALUE;
        }
        if (pendingReason != null)
        {
            return transport.nowNs();
        }
        long at = reliable.pollAtNs();
        if (!open)
        {
            at = Math.min(at, connectDeadlineNs);
        }
        return at;
    }

    @Override
    public int write(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!open || finished)
        {
            return 0;
        }
        if (reliable.offer(buffer, offset, length, nowNs))
        {
            return length;
        }
        blocked = true;
        blockedLength = length;
        return 0;
    }

    @Override
    public void close()
    {
        if (!finished)
        {
            open = false;
            finished = true;
            // Send what the window allows first: the reliable channel's close drops unsent messages, and the last
            // one is usually the session's GOODBYE saying why.
            reliable.poll(nowNs, this);
            reliable.close(nowNs);
            closing = true;
            reliable.poll(nowNs, this);
            if (reliable.isClosed())
            {
                closing = false;
                release();
            }
        }
    }

    @Override
    boolean isFinished()
    {
        return finished && !closing;
    }

    @Override
    void closeNow()
    {
        closing = false;
        release();
    }

    private void release()
    {
        if (listener != null)
        {
            listener.remove(this, peerAddress);
            return;
        }
        if (key != null)
        {
            key.cancel();
        }
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }

    @Override
    public TransportProtocol protocol()
    {
        return TransportProtocol.UDP;
    }

    @Override
    public boolean isStream()
    {
        return false;
    }

    @Override
    public int maxMessageLength()
    {
        return ReliableUdpChannel.maxMessageLength();
    }

    @Override
    public TransportStats stats()
    {
        return statsView;
    }
}
