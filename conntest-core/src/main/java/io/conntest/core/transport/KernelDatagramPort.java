package io.conntest.core.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

import org.agrona.DirectBuffer;

/**
 * A {@link DatagramPort} on a kernel {@link DatagramChannel} (IPv4), driven by the kernel transport's selector. The
 * last destination's address object is kept, so a stream of sends to one peer allocates none.
 */
final class KernelDatagramPort implements DatagramPort, KernelChannel
{
    private static final int MAX_DATAGRAMS_PER_READY = 256;
    /** A receive buffer large enough for a burst of datagrams at a few hundred Mbit/s between polls. */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final KernelTransport transport;
    private final DatagramChannel channel;
    private final DatagramHandler handler;
    private final int port;
    private SocketAddress lastSource;
    private int lastSourceAddr;
    private int lastSourcePort;
    private InetSocketAddress lastDestination;
    private int lastDestinationAddr;
    private boolean closed;
    /** The kernel's route MTU when a path MTU prober first asked, 0 before. */
    private int firstRouteMtu;

    KernelDatagramPort(final KernelTransport transport, final Selector selector, final String host, final int port,
        final DatagramHandler handler) throws IOException
    {
        this.transport = transport;
        this.handler = handler;
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.bind(new InetSocketAddress(host, port));
            channel.register(selector, SelectionKey.OP_READ, this);
            this.port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    @Override
    public int localPort()
    {
        return port;
    }

    @Override
    public void onReady(final int readyOps, final long nowNs)
    {
        final ByteBuffer buffer = transport.readBuffer;
        for (int i = 0; i < MAX_DATAGRAMS_PER_READY && !closed; i++)
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
            if (from != lastSource)
            {
                // the JDK hands back the same address object while the sender stays the same
                final InetSocketAddress source = (InetSocketAddress)from;
                if (!(source.getAddress() instanceof Inet4Address))
                {
                    continue;
                }
                lastSource = from;
                lastSourceAddr = source.getAddress().hashCode();
                lastSourcePort = source.getPort();
            }
            handler.onDatagram(this, lastSourceAddr, lastSourcePort, transport.readView, 0, buffer.position(), nowNs);
        }
    }

    @Override
    public boolean send(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (closed)
        {
            return false;
        }
        if (lastDestination == null || lastDestinationAddr != dstAddr || lastDestination.getPort() != dstPort)
        {
            try
            {
                lastDestination = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte)(dstAddr >>> 24),
                    (byte)(dstAddr >>> 16), (byte)(dstAddr >>> 8), (byte)dstAddr}), dstPort);
            }
            catch (final IOException ex)
            {
                return false;
            }
            lastDestinationAddr = dstAddr;
        }
        final ByteBuffer out = transport.writeBuffer;
        out.clear();
        buffer.getBytes(offset, out, length);
        out.flip();
        try
        {
            return channel.send(out, lastDestination) == length;
        }
        catch (final IOException ex)
        {
            // ECONNREFUSED from an earlier ICMP, EMSGSIZE: the datagram is lost, as UDP loses it
            return false;
        }
    }

    @Override
    public boolean enablePathMtuProbing()
    {
        final PathMtuControl control = transport.pathMtuControl();
        return control != null && !closed && control.probeMode(channel);
    }

    @Override
    public int routeMtu(final int dstAddr, final int dstPort)
    {
        final PathMtuControl control = transport.pathMtuControl();
        final int mtu = control == null ? 0 : control.routeMtu(dstAddr, dstPort);
        if (firstRouteMtu == 0)
        {
            firstRouteMtu = mtu;
        }
        return mtu;
    }

    /**
     * The kernel keeps what ICMP "fragmentation needed" said in its route MTU (RFC 1191) rather than telling the
     * socket: a route MTU towards the last destination below the first one read is that message's next-hop MTU.
     */
    @Override
    public int icmpNextHopMtu()
    {
        final PathMtuControl control = transport.pathMtuControl();
        if (control == null || lastDestination == null || firstRouteMtu == 0)
        {
            return 0;
        }
        final int now = control.routeMtu(lastDestinationAddr, lastDestination.getPort());
        return now > 0 && now < firstRouteMtu ? now : 0;
    }

    @Override
    public long receiveDrops()
    {
        return 0;
    }

    @Override
    public int onPoll(final long nowNs)
    {
        return 0;
    }

    @Override
    public long pollAtNs()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public void close()
    {
        closeNow();
    }

    @Override
    public void closeNow()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }

    @Override
    public boolean isFinished()
    {
        return closed;
    }
}
