package io.conntest.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.agrona.DirectBuffer;

/** One kernel TCP connection. Writes go straight to the socket; what it does not take is the caller's. */
final class KernelTcpConnection extends KernelConnection
{
    private final SocketChannel channel;
    private final KernelTcpListener acceptedBy;
    SelectionKey key;
    private boolean connecting;

    KernelTcpConnection(final KernelTransport transport, final SocketChannel channel, final String remoteHost,
        final int remotePort, final ConnectionHandler handler, final KernelTcpListener acceptedBy)
    {
        super(transport, remoteHost, remotePort, handler);
        this.channel = channel;
        this.acceptedBy = acceptedBy;
    }

    static KernelConnection connect(final KernelTransport transport, final String host, final int port,
        final long timeoutNs, final ConnectionHandler handler)
    {
        SocketChannel channel = null;
        KernelTcpConnection connection = null;
        try
        {
            channel = SocketChannel.open();
            KernelTransport.configure(channel);
            connection = new KernelTcpConnection(transport, channel, host, port, handler, null);
            connection.connectDeadlineNs = transport.nowNs() + timeoutNs;
            connection.connecting = true;
            final boolean done = channel.connect(new InetSocketAddress(host, port));
            connection.key = channel.register(transport.selector(),
                done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, connection);
            if (done)
            {
                connection.connecting = false;
                connection.pendingConnected = true;
            }
            return connection;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (connection == null)
            {
                connection = new KernelTcpConnection(transport, channel, host, port, handler, null);
            }
            connection.pendingReason = ErrorClassifier.classify(ex);
            connection.pendingDetail = "cannot connect to " + HostText.withPort(host, port) + ": " + ErrorClassifier.describe(ex);
            return connection;
        }
    }

    private boolean pendingConnected;
    private boolean writeBlocked;
    private TransportStats kernelStats;

    void onEstablished() throws IOException
    {
        final InetSocketAddress local = (InetSocketAddress)channel.getLocalAddress();
        localHostName = HostText.of(local.getAddress());
        localPortNumber = local.getPort();
        final InetSocketAddress remote = (InetSocketAddress)channel.getRemoteAddress();
        if (remote != null)
        {
            remoteHostName = HostText.of(remote.getAddress());
        }
        open = true;
    }

    @Override
    public void onReady(final int readyOps, final long nowNs)
    {
        if (finished)
        {
            return;
        }
        if ((readyOps & SelectionKey.OP_CONNECT) != 0 && connecting)
        {
            try
            {
                if (!channel.finishConnect())
                {
                    return;
                }
                connecting = false;
                key.interestOps(SelectionKey.OP_READ);
                onEstablished();
                handler.onConnected(this, nowNs);
            }
            catch (final IOException ex)
            {
                fail(ErrorClassifier.classify(ex), "cannot connect to " + HostText.withPort(remoteHostName, remotePortNumber) +
                    ": " + ErrorClassifier.describe(ex), nowNs);
            }
            return;
        }
        if ((readyOps & SelectionKey.OP_READ) != 0)
        {
            read(nowNs);
        }
        if (!finished && (readyOps & SelectionKey.OP_WRITE) != 0 && writeBlocked && key.isValid())
        {
            writeBlocked = false;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            handler.onWritable(this, nowNs);
        }
    }

    private void read(final long nowNs)
    {
        final ByteBuffer buffer = transport.readBuffer;
        for (int i = 0; i < KernelTransport.MAX_READS_PER_READY && !finished; i++)
        {
            buffer.clear();
            final int n;
            try
            {
                n = channel.read(buffer);
            }
            catch (final IOException ex)
            {
                fail(ErrorClassifier.classify(ex), ErrorClassifier.describe(ex), nowNs);
                return;
            }
            if (n < 0)
            {
                fail(FailureReason.CLOSED, "peer closed the connection", nowNs);
                return;
            }
            if (n == 0)
            {
                return;
            }
            // the receive timestamp next to the read system call: latency probes are measured against it
            handler.onData(this, transport.readView, 0, n, nowNs, System.nanoTime());
            if (n < buffer.capacity())
            {
                return;
            }
        }
    }

    @Override
    public int onPoll(final long nowNs)
    {
        if (finished)
        {
            return 0;
        }
        if (pendingReason != null)
        {
            fail(pendingReason, pendingDetail, nowNs);
            return 1;
        }
        if (pendingConnected)
        {
            pendingConnected = false;
            try
            {
                onEstablished();
            }
            catch (final IOException ex)
            {
                fail(ErrorClassifier.classify(ex), ErrorClassifier.describe(ex), nowNs);
                return 1;
            }
            handler.onConnected(this, nowNs);
            return 1;
        }
        if (connecting && nowNs >= connectDeadlineNs)
        {
            fail(FailureReason.TIMEOUT, "connect to " + HostText.withPort(remoteHostName, remotePortNumber) + " timed out",
                nowNs);
            return 1;
        }
        return 0;
    }

    @Override
    public long pollAtNs()
    {
        if (finished)
        {
            return Long.MAX_VALUE;
        }
        if (pendingReason != null || pendingConnected)
        {
            return transport.nowNs();
        }
        return connecting ? connectDeadlineNs : Long.MAX_VALUE;
    }

    @Override
    public int write(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!open || finished || pendingReason != null)
        {
            return 0;
        }
        final ByteBuffer out = transport.writeBuffer;
        int written = 0;
        try
        {
            while (written < length)
            {
                final int chunk = Math.min(length - written, out.capacity());
                transport.writeView.putBytes(0, buffer, offset + written, chunk);
                out.clear().limit(chunk);
                final int n = channel.write(out);
                written += n;
                if (n < chunk)
                {
                    break;
                }
            }
        }
        catch (final IOException ex)
        {
            pendingReason = ErrorClassifier.classify(ex);
            pendingDetail = ErrorClassifier.describe(ex);
            return written;
        }
        if (written < length && !writeBlocked)
        {
            writeBlocked = true;
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        return written;
    }

    @Override
    public void close()
    {
        if (!finished)
        {
            open = false;
            finished = true;
            closeNow();
        }
    }

    @Override
    public void closeNow()
    {
        if (key != null)
        {
            key.cancel();
        }
        if (acceptedBy != null && channel != null && channel.isOpen())
        {
            acceptedBy.onConnectionEnded();
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
        return TransportProtocol.TCP;
    }

    @Override
    public boolean isStream()
    {
        return true;
    }

    @Override
    public int maxMessageLength()
    {
        return Integer.MAX_VALUE;
    }

    @Override
    public TransportStats stats()
    {
        if (transport.tcpInfoSource() == null || channel == null)
        {
            return TransportStats.NONE;
        }
        if (kernelStats == null)
        {
            kernelStats = new KernelTcpStats();
        }
        return kernelStats;
    }

    /** The kernel's TCP_INFO of this socket, read at most once per poll cycle (a snapshot asks for each field). */
    private final class KernelTcpStats implements TransportStats
    {
        private final TcpInfoSource.TcpInfo info = new TcpInfoSource.TcpInfo();
        private long readAtNs = Long.MIN_VALUE;

        private TcpInfoSource.TcpInfo info()
        {
            final long nowNs = transport.nowNs();
            if (nowNs != readAtNs && channel.isOpen())
            {
                readAtNs = nowNs;
                transport.tcpInfoSource().read(channel, info);
            }
            return info;
        }

        @Override
        public long tcpRetransmissions()
        {
            return info().retransmissions;
        }

        @Override
        public long tcpSrttNs()
        {
            return info().srttNs;
        }

        @Override
        public long tcpCwndBytes()
        {
            return info().cwndBytes;
        }

        @Override
        public long tcpRttVarNs()
        {
            return info().rttVarNs;
        }

        @Override
        public long tcpPmtuBytes()
        {
            return info().pmtuBytes;
        }
    }
}
