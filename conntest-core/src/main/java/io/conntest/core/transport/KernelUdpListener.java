package io.conntest.core.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.agrona.DirectBuffer;

import io.conntest.core.natprobe.NatProbe;
import io.conntest.core.natprobe.NatResponder;

/**
 * A bound UDP socket serving many peers: the kernel's I/O for the one {@link ReliableUdpDemux} (see there for what
 * happens to each datagram). The key of a source is its IPv4 address and port; the channel is opened for IPv4 only.
 * NAT probes ({@link NatProbe}) are told apart before the demultiplexer and go to the listener's
 * {@link NatResponder}, which also answers on a second socket on an ephemeral port (the alternate port).
 */
final class KernelUdpListener implements Listener, AutoCloseable, ReliableUdpDemux.Io<KernelUdpConnection>,
    NatResponder.Io
{
    private static final int MAX_DATAGRAMS_PER_READY = 256;

    private final KernelTransport transport;
    private final DatagramChannel channel;
    private final String host;
    private final int port;
    private final ReliableUdpDemux<KernelUdpConnection> demux;
    /**
     * The JDK (17's DatagramChannelImpl) returns the same InetSocketAddress instance while the sender does not
     * change, so a burst from one peer reuses its key without looking at the address again; a changed sender costs
     * the JDK one new address (its internals, not ours).
     */
    private SocketAddress lastSource;
    private long lastKey;
    private InetSocketAddress source;
    /** The socket's descriptor when it goes through {@link UdpSegmentation}; -1: plainly. */
    private final int fd;
    /** With {@link UdpSegmentation}: the last source, made an address only when a new peer or a reply needs it. */
    private int segmentedSourceAddress;
    private int segmentedSourcePort;
    private final NatResponder nat = new NatResponder(this);
    /** The alternate port's socket, null when it could not be bound (the responder then says it has none). */
    private final DatagramPort alternate;
    private final NatTimer natTimer = new NatTimer();

    KernelUdpListener(final KernelTransport transport, final DatagramChannel channel, final String host,
        final AcceptHandler acceptHandler) throws IOException
    {
        this.transport = transport;
        this.channel = channel;
        this.host = host;
        this.port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
        this.demux = new ReliableUdpDemux<>(KernelTransport.MAX_CONNECTIONS_PER_LISTENER, acceptHandler, this);
        this.fd = transport.attachSegmentation(channel);
        DatagramPort second = null;
        try
        {
            second = transport.openDatagram(host, 0,
                (p, addr, port, buffer, offset, length, nowNs) -> onAlternateDatagram(addr, port, buffer, offset,
                    length, nowNs));
        }
        catch (final RuntimeException ex)
        {
            // no alternate port: the NAT tests that need one say so, the rest still work
        }
        this.alternate = second;
        transport.add(natTimer);
    }

    private void onAlternateDatagram(final int addr, final int port, final DirectBuffer buffer, final int offset,
        final int length, final long nowNs)
    {
        if (NatProbe.isProbe(buffer, offset, length))
        {
            nat.onProbe(addr, port, buffer, offset, length, true, nowNs);
        }
    }

    NatResponder natResponder()
    {
        return nat;
    }

    /** The descriptor its peers send through with {@link UdpSegmentation}, or -1. */
    int segmentationFd()
    {
        return fd;
    }

    /** The bit that marks an IPv6 source's key. */
    static final long IPV6_KEY = 1L << 62;
    private long ipv6NatProbes;

    /** NAT probes (and arrivals questions) that came from IPv6 sources and were dropped: the NAT test is IPv4's. */
    long ipv6NatProbes()
    {
        return ipv6NatProbes;
    }

    /**
     * A source as one number: an IPv4 address (Inet4Address's hash code is the address) and port, exactly; an IPv6
     * one as bit 62, a 46-bit mix of its 16 bytes and the port (far from every IPv4 key; two IPv6 peers of one
     * listener share a key with odds of about n^2 / 2^47, a billionth for hundreds of peers).
     */
    static long key(final InetSocketAddress address)
    {
        final java.net.InetAddress ip = address.getAddress();
        if (ip instanceof java.net.Inet6Address)
        {
            final byte[] bytes = ip.getAddress();
            long h = 0x9E3779B97F4A7C15L;
            for (final byte b : bytes)
            {
                h = (h ^ (b & 0xFF)) * 0x100000001B3L;
            }
            h ^= h >>> 29;
            return IPV6_KEY | ((h & ((1L << 46) - 1)) << 16) | (address.getPort() & 0xFFFF);
        }
        return ((long)ip.hashCode() << 16) | (address.getPort() & 0xFFFF);
    }

    void onReadable(final long nowNs)
    {
        if (fd >= 0)
        {
            readSegmented(nowNs);
            return;
        }
        final ByteBuffer buffer = transport.readBuffer;
        for (int i = 0; i < MAX_DATAGRAMS_PER_READY; i++)
        {
            buffer.clear();
            final SocketAddress from;
            try
            {
                from = channel.receive(buffer);
            }
            catch (final IOException ex)
            {
                return;
            }
            if (from == null)
            {
                return;
            }
            // the receive timestamp next to the read system call: latency probes are measured against it
            final long receivedAtNs = System.nanoTime();
            if (from != lastSource)
            {
                lastSource = from;
                lastKey = key((InetSocketAddress)from);
            }
            source = (InetSocketAddress)from;
            if (NatProbe.isProbe(transport.readView, 0, buffer.position()))
            {
                // the key holds an IPv4 address in its bits 16 to 47 and the port below; an IPv6 source's key is a
                // hash (bit 62), no address to answer: the NAT test and the arrivals question are IPv4's, dropped
                if ((lastKey & IPV6_KEY) == 0)
                {
                    nat.onProbe((int)(lastKey >>> 16), (int)(lastKey & 0xFFFF), transport.readView, 0,
                        buffer.position(), false, nowNs);
                }
                else
                {
                    ipv6NatProbes++;
                }
                continue;
            }
            demux.onDatagram(lastKey, transport.readView, 0, buffer.position(), nowNs, receivedAtNs);
        }
    }

    /** The same with {@link UdpSegmentation}: one system call may bring many datagrams of one size from one source. */
    private void readSegmented(final long nowNs)
    {
        final UdpSegmentation segmentation = transport.udpSegmentation();
        for (int i = 0; i < MAX_DATAGRAMS_PER_READY; i++)
        {
            final long n = segmentation.receive(fd, transport.readView.addressOffset(), transport.readView.capacity());
            if (n <= 0)
            {
                return; // nothing waits, or an error of an unconnected socket: nothing to tell a peer
            }
            final long receivedAtNs = System.nanoTime();
            final int address = segmentation.sourceAddress();
            final int port = segmentation.sourcePort();
            if (address != segmentedSourceAddress || port != segmentedSourcePort)
            {
                segmentedSourceAddress = address;
                segmentedSourcePort = port;
                source = null; // made on demand (newPeer, sendToSource)
            }
            // the same key as key(InetSocketAddress): an Inet4Address's hash code is its address
            final long key = ((long)address << 16) | (port & 0xFFFF);
            final int length = (int)n;
            final int size = segmentation.segmentSize() > 0 ? segmentation.segmentSize() : length;
            if (size < length)
            {
                transport.coalescedReceives++;
                transport.coalescedDatagrams += (length + size - 1) / size;
            }
            final KernelUdpConnection known = demux.peer(key);
            if (known != null)
            {
                known.noteArrival(segmentation.ttl(), segmentation.tos());
            }
            for (int at = 0; at < length; at += size)
            {
                final int one = Math.min(size, length - at);
                if (NatProbe.isProbe(transport.readView, at, one))
                {
                    nat.onProbe(address, port, transport.readView, at, one, false, nowNs);
                    continue;
                }
                demux.onDatagram(key, transport.readView, at, one, nowNs, receivedAtNs);
            }
        }
    }

    /** The source of the datagram being handled as an address (made once per change of source). */
    private InetSocketAddress source()
    {
        if (source == null && fd >= 0)
        {
            final byte[] bytes = {(byte)(segmentedSourceAddress >>> 24), (byte)(segmentedSourceAddress >>> 16),
                (byte)(segmentedSourceAddress >>> 8), (byte)segmentedSourceAddress};
            try
            {
                source = new InetSocketAddress(InetAddress.getByAddress(bytes), segmentedSourcePort);
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalStateException("four bytes are an IPv4 address", ex);
            }
        }
        return source;
    }

    @Override
    public KernelUdpConnection newPeer(final long key, final long nowNs)
    {
        return KernelUdpConnection.accept(transport, this, channel, source(), nowNs);
    }

    @Override
    public void register(final KernelUdpConnection peer)
    {
        transport.add(peer);
    }

    @Override
    public void sendToSource(final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuffer out = transport.writeBuffer;
        transport.writeView.putBytes(0, buffer, offset, length);
        out.clear().limit(length);
        try
        {
            channel.send(out, source());
        }
        catch (final IOException ignored)
        {
            // best effort: the client times out instead
        }
    }

    @Override
    public boolean sendFromMain(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final ByteBuffer out = transport.writeBuffer;
        transport.writeView.putBytes(0, buffer, offset, length);
        out.clear().limit(length);
        try
        {
            // an address per answer: NAT probes are few (rate-bound), not the data path
            final byte[] bytes = {(byte)(dstAddr >>> 24), (byte)(dstAddr >>> 16), (byte)(dstAddr >>> 8),
                (byte)dstAddr};
            return channel.send(out, new InetSocketAddress(InetAddress.getByAddress(bytes), dstPort)) == length;
        }
        catch (final IOException ex)
        {
            return false; // best effort, as UDP
        }
    }

    @Override
    public boolean sendFromAlternate(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return alternate != null && alternate.send(dstAddr, dstPort, buffer, offset, length);
    }

    @Override
    public int alternatePort()
    {
        return alternate == null ? 0 : alternate.localPort();
    }

    /** Drives the responder's delayed answers from the transport's poll (the listener itself has no timers). */
    private final class NatTimer implements KernelChannel
    {
        private boolean closed;

        @Override
        public void onReady(final int readyOps, final long nowNs)
        {
            // no socket of its own
        }

        @Override
        public int onPoll(final long nowNs)
        {
            return closed ? 0 : nat.poll(nowNs);
        }

        @Override
        public long pollAtNs()
        {
            return closed ? Long.MAX_VALUE : nat.pollAtNs();
        }

        @Override
        public void closeNow()
        {
            closed = true;
        }

        @Override
        public boolean isFinished()
        {
            return closed;
        }
    }

    void remove(final KernelUdpConnection connection, final SocketAddress address)
    {
        demux.remove(key((InetSocketAddress)address), connection);
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
        transport.removeListener(this);
        natTimer.closeNow();
        if (alternate != null)
        {
            alternate.close();
        }
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
