package io.conntest.core.transport.stack;

import org.agrona.DirectBuffer;

import io.conntest.core.natprobe.NatProbe;
import io.conntest.core.natprobe.NatResponder;
import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.ReliableUdpDemux;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;

/**
 * A bound UDP socket on the stack serving many reliable-UDP peers of both families (the stack's sockets take IPv4
 * and IPv6 on one port): the stack's I/O for the one {@link ReliableUdpDemux} (source address and port as the key;
 * see there for what happens to each datagram). NAT probes ({@link NatProbe}) over IPv4 are told apart before the
 * demultiplexer and go to the listener's {@link NatResponder}, which also answers on a second socket on an ephemeral
 * port (the alternate port); the NAT test and the arrivals question are IPv4's, so a probe that comes over IPv6 is
 * dropped and counted ({@link #ipv6NatProbes()}).
 */
final class StackUdpListener implements Listener, UdpSocketListener, UdpDatagramHandler,
    ReliableUdpDemux.Io<StackUdpPeer>, NatResponder.Io
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
    /** The datagram being handled came over IPv6, from {@link #sourceHi}, {@link #sourceLo}. */
    private boolean sourceIpv6;
    private long sourceHi;
    private long sourceLo;
    private int sourcePort;
    private long ipv6NatProbes;
    private boolean closed;
    private final NatResponder nat = new NatResponder(this);
    /** The alternate port's socket (small queues: it carries only probes), null when none could be had. */
    private final UdpSocket alternate;
    private final AlternateSocket alternateReader = new AlternateSocket();

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
        this.alternate = openAlternate(transport);
    }

    private UdpSocket openAlternate(final StackTransport transport)
    {
        UdpSocket second = null;
        try
        {
            second = transport.host().stack().udp().open(alternateReader, ALTERNATE_QUEUE_BYTES,
                ALTERNATE_QUEUE_BYTES);
            second.bind(0);
            return second;
        }
        catch (final IllegalStateException ex)
        {
            if (second != null)
            {
                second.close();
            }
            return null; // no alternate port: the NAT tests that need one say so, the rest still work
        }
    }

    /** Queue bytes of the alternate socket: room for a few dozen probes between two polls. */
    private static final int ALTERNATE_QUEUE_BYTES = 8 * 1024;

    NatResponder natResponder()
    {
        return nat;
    }

    /** The responder's delayed answers that are due; called from the transport's poll. */
    int pollNat(final long nowNs)
    {
        return closed ? 0 : nat.poll(nowNs);
    }

    long natPollAtNs()
    {
        return closed ? Long.MAX_VALUE : nat.pollAtNs();
    }

    @Override
    public boolean sendFromMain(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return socket.isOpen() && socket.sendTo(dstAddr, dstPort, buffer, offset, length);
    }

    @Override
    public boolean sendFromAlternate(final int dstAddr, final int dstPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        return alternate != null && alternate.isOpen() && alternate.sendTo(dstAddr, dstPort, buffer, offset, length);
    }

    @Override
    public int alternatePort()
    {
        return alternate == null ? 0 : alternate.localPort();
    }

    /** The stack sees every frame for its address: what found no socket is in its log. */
    @Override
    public int unclaimedArrivals(final int srcAddr, final int protocol, final int port, final long nowNs)
    {
        return transport.host().stack().unclaimedArrivals().arrivals(srcAddr, protocol, port, nowNs);
    }

    /** What arrives on the alternate port: probes, anything else ignored. */
    private final class AlternateSocket implements UdpSocketListener, UdpDatagramHandler
    {
        @Override
        public void onReadable(final UdpSocket s, final long nowNs)
        {
            if (!closed)
            {
                StackUdpListener.this.nowNs = nowNs;
                s.receive(this, MAX_DATAGRAMS_PER_POLL);
            }
        }

        @Override
        public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
            final int length)
        {
            if (NatProbe.isProbe(buffer, offset, length))
            {
                nat.onProbe(srcAddr, srcPort, buffer, offset, length, true, nowNs);
            }
        }
    }

    UdpSocket socket()
    {
        return socket;
    }

    static long key(final int addr, final int port)
    {
        return ((long)addr << 16) | (port & 0xFFFF);
    }

    /**
     * An IPv6 source as one number, as the kernel listener makes it: bit 62, a 46-bit mix of its 16 bytes and the
     * port (far from every IPv4 key; two IPv6 peers of one listener share a key with odds of about n^2 / 2^47).
     */
    static long key6(final long hi, final long lo, final int port)
    {
        long h = 0x9E3779B97F4A7C15L;
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            h = (h ^ ((hi >>> shift) & 0xFF)) * 0x100000001B3L;
        }
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            h = (h ^ ((lo >>> shift) & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        return (1L << 62) | ((h & ((1L << 46) - 1)) << 16) | (port & 0xFFFF);
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
        if (NatProbe.isProbe(buffer, offset, length))
        {
            nat.onProbe(srcAddr, srcPort, buffer, offset, length, false, nowNs);
            return;
        }
        sourceIpv6 = false;
        sourceAddr = srcAddr;
        sourcePort = srcPort;
        toDemux(key(srcAddr, srcPort), buffer, offset, length);
    }

    @Override
    public void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (NatProbe.isProbe(buffer, offset, length))
        {
            ipv6NatProbes++;
            return;
        }
        sourceIpv6 = true;
        sourceHi = srcHi;
        sourceLo = srcLo;
        sourcePort = srcPort;
        toDemux(key6(srcHi, srcLo, srcPort), buffer, offset, length);
    }

    private void toDemux(final long key, final DirectBuffer buffer, final int offset, final int length)
    {
        final StackUdpPeer known = demux.peer(key);
        if (known != null)
        {
            known.noteArrival(socket.lastReceivedTtl(), socket.lastReceivedTos());
        }
        demux.onDatagram(key, buffer, offset, length, nowNs, receivedAtNs);
    }

    /** NAT probes that came over IPv6 and were dropped (the NAT test is IPv4's). */
    long ipv6NatProbes()
    {
        return ipv6NatProbes;
    }

    @Override
    public StackUdpPeer newPeer(final long key, final long nowNs)
    {
        final StackPeerAddress source = sourceIpv6 ? new StackPeerAddress(true, 0, sourceHi, sourceLo)
            : new StackPeerAddress(false, sourceAddr, 0, 0);
        return StackUdpPeer.accept(transport, this, source, key, sourcePort, nowNs);
    }

    @Override
    public void register(final StackUdpPeer peer)
    {
        transport.add(peer);
    }

    @Override
    public void sendToSource(final DirectBuffer buffer, final int offset, final int length)
    {
        if (sourceIpv6)
        {
            socket.sendTo6(sourceHi, sourceLo, sourcePort, buffer, offset, length);
        }
        else
        {
            socket.sendTo(sourceAddr, sourcePort, buffer, offset, length);
        }
    }

    void remove(final StackUdpPeer peer)
    {
        demux.remove(peer.key(), peer);
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
            if (alternate != null)
            {
                alternate.close();
            }
            transport.removeListener(this);
        }
    }
}
