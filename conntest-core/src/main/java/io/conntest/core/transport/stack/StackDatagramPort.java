package io.conntest.core.transport.stack;

import org.agrona.DirectBuffer;

import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;

/**
 * A {@link DatagramPort} on a stack {@link UdpSocket}: datagrams are taken in place from the socket's queue in the
 * stack's delivery phase and handed on with that poll's time. The port is IPv4's, as {@link DatagramPort} is (its
 * users, iperf3's UDP streams, the NAT test and the path MTU probe, are): a datagram that comes over IPv6 is dropped
 * and counted ({@link #ipv6Dropped()}), as the kernel transport's port drops it.
 */
final class StackDatagramPort implements DatagramPort, UdpSocketListener, UdpDatagramHandler
{
    private static final int MAX_DATAGRAMS_PER_POLL = 1024;
    /** An IPv4 header without options and a UDP header. */
    private static final int IP_UDP_HEADERS = 28;
    /** Queues large enough for a burst at a few hundred Mbit/s between the engine's cycles. */
    static final int QUEUE_BYTES = 4 << 20;

    private final StackTransport transport;
    private final UdpSocket socket;
    private final DatagramHandler handler;
    private final int port;
    private long nowNs;
    private long ipv6Dropped;

    /** Queues of a socket for a few small datagrams (NAT probes). */
    static final int SMALL_QUEUE_BYTES = 24 * 1024; // room for one 9,000-byte path MTU probe and its answers

    StackDatagramPort(final StackTransport transport, final int port, final DatagramHandler handler)
    {
        this(transport, port, handler, QUEUE_BYTES);
    }

    StackDatagramPort(final StackTransport transport, final int port, final DatagramHandler handler,
        final int queueBytes)
    {
        this.transport = transport;
        this.handler = handler;
        this.socket = transport.host().stack().udp().open(this, queueBytes, queueBytes);
        try
        {
            this.port = socket.bind(port);
        }
        catch (final IllegalStateException ex)
        {
            socket.close();
            throw ex;
        }
    }

    @Override
    public int localPort()
    {
        return port;
    }

    @Override
    public void onReadable(final UdpSocket s, final long nowNs)
    {
        this.nowNs = nowNs;
        socket.receive(this, MAX_DATAGRAMS_PER_POLL);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        handler.onDatagram(this, srcAddr, srcPort, buffer, offset, length, nowNs);
    }

    @Override
    public void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
        final int offset, final int length)
    {
        ipv6Dropped++;
    }

    /** Datagrams that came over IPv6 and were dropped (this port speaks IPv4). */
    long ipv6Dropped()
    {
        return ipv6Dropped;
    }

    @Override
    public boolean send(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (socket.dontFragment() && length + IP_UDP_HEADERS > transport.host().stack().iface().mtu())
        {
            return false; // EMSGSIZE, as the kernel says it at once: DF set and larger than the interface's MTU
        }
        return socket.isOpen() && socket.sendTo(dstAddr, dstPort, buffer, offset, length);
    }

    @Override
    public boolean enablePathMtuProbing()
    {
        socket.dontFragment(true);
        return true;
    }

    @Override
    public int routeMtu(final int dstAddr, final int dstPort)
    {
        // one interface, no per-destination path MTU kept for UDP: the ICMP messages are the socket's
        final int mtu = transport.host().stack().iface().mtu();
        final int icmp = socket.smallestNextHopMtu();
        return icmp > 0 ? Math.min(mtu, icmp) : mtu;
    }

    @Override
    public int icmpNextHopMtu()
    {
        return socket.smallestNextHopMtu();
    }

    @Override
    public int icmpNextHopMtuFrom()
    {
        return socket.nextHopMtuFrom();
    }

    @Override
    public long receiveDrops()
    {
        return socket.receiveDrops();
    }

    @Override
    public void close()
    {
        socket.close();
        transport.forget(this);
    }
}
