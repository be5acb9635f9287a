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

import io.conntest.core.rudp.Role;

/**
 * A {@link ReliableUdpConnection} on kernel sockets: only the I/O. A client owns a connected {@code DatagramChannel}
 * (so ICMP port unreachable surfaces as "refused"); a server-side peer shares its listener's channel and sends to the
 * peer's address.
 */
final class KernelUdpConnection extends ReliableUdpConnection implements KernelChannel
{
    private final KernelTransport transport;
    private final DatagramChannel channel;
    private final SocketAddress peerAddress;
    private final KernelUdpListener listener;
    private final String remoteHost;
    private final int remotePort;
    private String localHost;
    private int localPort;
    private SelectionKey key;
    /** The socket's descriptor when it sends and receives through {@link UdpSegmentation}; -1: plainly. */
    private int fd = -1;
    /** The peer for a segmented send on the listener's unconnected socket; -1: the connected peer. */
    private final int dstAddress;
    private final int dstPort;

    private KernelUdpConnection(final KernelTransport transport, final DatagramChannel channel,
        final SocketAddress peerAddress, final String remoteHost, final int remotePort, final ConnectionHandler handler,
        final KernelUdpListener listener, final Role role, final long nowNs)
    {
        super(transport.nextId(), transport.udpConfig(), role, handler, nowNs);
        this.transport = transport;
        this.channel = channel;
        this.peerAddress = peerAddress;
        this.listener = listener;
        this.remoteHost = remoteHost;
        this.remotePort = remotePort;
        final boolean shared = listener != null && peerAddress instanceof InetSocketAddress;
        this.dstAddress = shared ? ((InetSocketAddress)peerAddress).getAddress().hashCode() : 0;
        this.dstPort = shared ? ((InetSocketAddress)peerAddress).getPort() : -1;
    }

    static KernelUdpConnection connect(final KernelTransport transport, final String host, final int port,
        final long timeoutNs, final ConnectionHandler handler)
    {
        final long nowNs = transport.nowNs();
        DatagramChannel channel = null;
        try
        {
            // resolved at every attempt; the socket's family follows the address (an IPv6 peer, an IPv6 socket)
            final InetSocketAddress remote = new InetSocketAddress(host, port);
            channel = DatagramChannel.open(remote.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            channel.connect(remote);
            final KernelUdpConnection connection = new KernelUdpConnection(transport, channel, remote, host, port,
                handler, null, Role.CLIENT, nowNs);
            connection.connectDeadlineNs(nowNs + timeoutNs);
            final InetSocketAddress local = (InetSocketAddress)channel.getLocalAddress();
            connection.localHost = HostText.of(local.getAddress());
            connection.localPort = local.getPort();
            connection.key = channel.register(transport.selector(), SelectionKey.OP_READ, connection);
            connection.fd = transport.attachSegmentation(channel);
            return connection;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // failing anyway
                }
            }
            final KernelUdpConnection connection = new KernelUdpConnection(transport, null, null, host, port,
                handler, null, Role.CLIENT, nowNs);
            connection.failLater(ErrorClassifier.classify(ex),
                "cannot connect to " + HostText.withPort(host, port) + ": " + ErrorClassifier.describe(ex));
            return connection;
        }
    }

    /** A server-side peer for a new source address; the caller feeds it the first datagram. */
    static KernelUdpConnection accept(final KernelTransport transport, final KernelUdpListener listener,
        final DatagramChannel channel, final InetSocketAddress peer, final long nowNs)
    {
        final KernelUdpConnection connection = new KernelUdpConnection(transport, channel, peer,
            HostText.of(peer.getAddress()), peer.getPort(), null, listener, Role.SERVER, nowNs);
        connection.localHost = listener.host();
        connection.localPort = listener.port();
        connection.fd = listener.segmentationFd();
        return connection;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (channel == null)
        {
            return true;
        }
        if (fd >= 0)
        {
            return transport.udpBatch().add(this, buffer, offset, length);
        }
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
            failLater(ErrorClassifier.classify(ex), ErrorClassifier.describe(ex));
            return true;
        }
    }

    @Override
    protected long sendGathered(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        return transport.udpSegmentation().send(fd, buffer.addressOffset() + offset, length, segmentSize, dstAddress,
            dstPort);
    }

    @Override
    protected String describeErrno(final int errno)
    {
        return transport.udpSegmentation().describe(errno);
    }

    @Override
    protected void flushSends()
    {
        if (fd >= 0)
        {
            transport.udpBatch().flush(this);
        }
    }

    /** A client's own channel is readable: every waiting datagram goes to the channel, bounded per turn. */
    @Override
    public void onReady(final int readyOps, final long nowNs)
    {
        if (fd >= 0)
        {
            readSegmented(nowNs);
            return;
        }
        final ByteBuffer buffer = transport.readBuffer;
        for (int i = 0; i < KernelTransport.MAX_READS_PER_READY * 8 && !isFinished(); i++)
        {
            buffer.clear();
            final int n;
            try
            {
                n = channel.read(buffer);
            }
            catch (final IOException ex)
            {
                fail(ErrorClassifier.classify(ex), "udp " + HostText.withPort(remoteHost, remotePort) + ": " +
                    ErrorClassifier.describe(ex), nowNs);
                return;
            }
            if (n <= 0)
            {
                return;
            }
            // the receive timestamp next to the read system call: latency probes are measured against it
            onDatagram(transport.readView, 0, n, nowNs, System.nanoTime());
        }
    }

    /** The same with {@link UdpSegmentation}: one system call may bring many datagrams of one size. */
    private void readSegmented(final long nowNs)
    {
        final UdpSegmentation segmentation = transport.udpSegmentation();
        for (int i = 0; i < KernelTransport.MAX_READS_PER_READY * 8 && !isFinished(); i++)
        {
            final long n = segmentation.receive(fd, transport.readView.addressOffset(), transport.readView.capacity());
            if (n < 0)
            {
                final IOException ex = new IOException(segmentation.describe((int)-n));
                fail(ErrorClassifier.classify(ex), "udp " + HostText.withPort(remoteHost, remotePort) + ": " +
                    ErrorClassifier.describe(ex), nowNs);
                return;
            }
            if (n == 0)
            {
                return;
            }
            // the receive timestamp next to the read system call: latency probes are measured against it
            final long receivedAtNs = System.nanoTime();
            noteArrival(segmentation.ttl(), segmentation.tos());
            final int length = (int)n;
            final int size = segmentation.segmentSize() > 0 ? segmentation.segmentSize() : length;
            if (size < length)
            {
                transport.coalescedReceives++;
                transport.coalescedDatagrams += (length + size - 1) / size;
            }
            for (int at = 0; at < length && !isFinished(); at += size)
            {
                onDatagram(transport.readView, at, Math.min(size, length - at), nowNs, receivedAtNs);
            }
        }
    }

    @Override
    protected void release()
    {
        if (fd >= 0)
        {
            transport.udpBatch().discard(this);
        }
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
    public String localHost()
    {
        return localHost;
    }

    @Override
    public int localPort()
    {
        return localPort;
    }

    @Override
    public String remoteHost()
    {
        return remoteHost;
    }

    @Override
    public int remotePort()
    {
        return remotePort;
    }

    /** The kernel's default TTL; conntest sets no IP_TTL. */
    @Override
    public int sentTtl()
    {
        return transport.defaultTtl();
    }

    /** conntest sets no IP_TOS: its packets leave with DSCP 0, Not-ECT (the kernel's TCP may mark ECT). */
    @Override
    public int sentTos()
    {
        return 0;
    }
}
