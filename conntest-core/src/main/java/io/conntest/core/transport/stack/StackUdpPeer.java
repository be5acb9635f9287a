package io.conntest.core.transport.stack;

import org.agrona.DirectBuffer;

import io.conntest.core.rudp.Role;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.HostText;
import io.conntest.core.transport.ReliableUdpConnection;
import io.conntest.stack.ipv6.Ipv6Host;
import io.conntest.stack.socket.Errno;
import io.conntest.stack.socket.UdpDatagramHandler;
import io.conntest.stack.socket.UdpSocket;
import io.conntest.stack.socket.UdpSocketListener;
import io.conntest.stack.wire.Ipv4Address;
import io.conntest.stack.wire.Ipv6Address;

/**
 * A reliable-UDP connection on the userspace stack, to an IPv4 or an IPv6 peer (the stack's sockets take both). A
 * client owns a {@link UdpSocket} on an ephemeral port and accepts datagrams only from its peer; a server-side peer
 * shares its {@link StackUdpListener}'s socket, which demultiplexes by source address and port. Over IPv6 the
 * datagrams go one by one (the USO batch is IPv4's: the stack cuts no IPv6 super-datagrams).
 */
final class StackUdpPeer extends ReliableUdpConnection implements UdpSocketListener, UdpDatagramHandler
{
    private static final int MAX_DATAGRAMS_PER_POLL = 256;

    private final StackTransport transport;
    private final UdpSocket socket;
    private final StackUdpListener listener;
    private final int remoteAddr;
    /** An IPv6 peer: {@link #remoteHi}, {@link #remoteLo} (then {@link #remoteAddr} is 0). */
    private final boolean ipv6;
    private final long remoteHi;
    private final long remoteLo;
    /** The listener's demultiplexing key of a server-side peer. */
    private final long key;
    private final int remotePort;
    private final String remoteHost;
    private final String localHost;
    private final int localPort;
    private long deliveryNowNs;
    private long deliveryReceivedAtNs;

    private StackUdpPeer(final StackTransport transport, final UdpSocket socket, final StackUdpListener listener,
        final StackPeerAddress remote, final long key, final int remotePort, final String remoteHost,
        final Role role, final ConnectionHandler handler, final long nowNs)
    {
        super(transport.nextId(), transport.udpConfig(), role, handler, nowNs);
        this.transport = transport;
        this.socket = socket;
        this.listener = listener;
        this.ipv6 = remote.ipv6();
        this.remoteAddr = remote.v4();
        this.remoteHi = remote.hi();
        this.remoteLo = remote.lo();
        this.key = key;
        this.remotePort = remotePort;
        this.remoteHost = remoteHost;
        this.localHost = ipv6 ? localIpv6(transport.host().stack().iface().ipv6(), remoteHi)
            : Ipv4Address.toString(transport.host().address());
        this.localPort = listener != null ? listener.port() : socket == null ? 0 : socket.localPort();
    }

    /** The source address the stack chooses towards {@code remoteHi} (RFC 6724), {@code ::} while it has none. */
    private static String localIpv6(final Ipv6Host host, final long remoteHi)
    {
        return host.selectSource(remoteHi) ? Ipv6Address.format(host.sourceHi(), host.sourceLo()) : "::";
    }

    /**
     * A client: a socket on an ephemeral port; the handshake starts on the first poll. An IPv6 peer's host is
     * printed in its RFC 5952 form.
     */
    static StackUdpPeer connect(final StackTransport transport, final StackPeerAddress remote,
        final String remoteHost, final int remotePort, final long timeoutNs, final ConnectionHandler handler,
        final long nowNs)
    {
        final StackUdpPeer[] self = new StackUdpPeer[1];
        final UdpSocket socket = transport.host().stack().udp().open(new UdpSocketListener()
        {
            @Override
            public void onReadable(final UdpSocket s, final long nowNs)
            {
                self[0].onReadable(s, nowNs);
            }

            @Override
            public void onError(final UdpSocket s, final int errno, final int addr, final int port)
            {
                self[0].onError(s, errno, addr, port);
            }

            @Override
            public void onError6(final UdpSocket s, final int errno, final long hi, final long lo, final int port)
            {
                self[0].onError6(s, errno, hi, lo, port);
            }
        });
        socket.bind(0);
        final StackUdpPeer peer = new StackUdpPeer(transport, socket, null, remote, 0, remotePort,
            remote.ipv6() ? remote.toString() : remoteHost, Role.CLIENT, handler, nowNs);
        self[0] = peer;
        peer.connectDeadlineNs(nowNs + timeoutNs);
        return peer;
    }

    /**
     * A server-side peer for a new source address, known to the listener by {@code key}; the caller feeds it the
     * first datagram.
     */
    static StackUdpPeer accept(final StackTransport transport, final StackUdpListener listener,
        final StackPeerAddress remote, final long key, final int remotePort, final long nowNs)
    {
        return new StackUdpPeer(transport, listener.socket(), listener, remote, key, remotePort, remote.toString(),
            Role.SERVER, null, nowNs);
    }

    /**
     * Client, in the stack's delivery phase: takes in what the socket queued (datagrams from anyone but the peer
     * are dropped), at the time of the poll that received them.
     */
    @Override
    public void onReadable(final UdpSocket s, final long nowNs)
    {
        if (listener != null || !socket.isOpen())
        {
            return;
        }
        // the receive's callbacks (onDatagram) carry no time: the time of this one delivery, for them
        deliveryNowNs = nowNs;
        deliveryReceivedAtNs = transport.host().receivedAtNs();
        socket.receive(this, MAX_DATAGRAMS_PER_POLL);
    }

    @Override
    public void onDatagram(final int srcAddr, final int srcPort, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (!ipv6 && srcAddr == remoteAddr && srcPort == remotePort)
        {
            noteArrival(socket.lastReceivedTtl(), socket.lastReceivedTos());
            onDatagram(buffer, offset, length, deliveryNowNs, deliveryReceivedAtNs);
        }
    }

    @Override
    public void onDatagram6(final long srcHi, final long srcLo, final int srcPort, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (ipv6 && srcHi == remoteHi && srcLo == remoteLo && srcPort == remotePort)
        {
            noteArrival(socket.lastReceivedTtl(), socket.lastReceivedTos());
            onDatagram(buffer, offset, length, deliveryNowNs, deliveryReceivedAtNs);
        }
    }

    @Override
    public void onError(final UdpSocket s, final int errno, final int addr, final int port)
    {
        if (!ipv6 && addr == remoteAddr && port == remotePort)
        {
            fail(s, errno);
        }
    }

    /** An ICMPv6 error (by default {@link #onIcmpv6Error} comes here) or an unsendable datagram to an IPv6 peer. */
    @Override
    public void onError6(final UdpSocket s, final int errno, final long hi, final long lo, final int port)
    {
        if (ipv6 && hi == remoteHi && lo == remoteLo && port == remotePort)
        {
            fail(s, errno);
        }
    }

    private void fail(final UdpSocket s, final int errno)
    {
        final String where = "udp " + HostText.withPort(remoteHost, remotePort) + ": ";
        switch (errno)
        {
            case Errno.ECONNREFUSED:
                failLater(FailureReason.REFUSED, where + "port unreachable" + IcmpSource.describe(s));
                break;
            case Errno.EHOSTUNREACH:
            case Errno.ENETUNREACH:
                failLater(FailureReason.UNREACHABLE, where + Errno.name(errno) + IcmpSource.describe(s));
                break;
            case Errno.EACCES:
                failLater(FailureReason.UNREACHABLE, where + "administratively prohibited (EACCES)"
                    + IcmpSource.describe(s));
                break;
            case Errno.EADDRNOTAVAIL:
                failLater(FailureReason.LOCAL, where + StackTransport.NO_IPV6_ADDRESS);
                break;
            default:
                break; // EMSGSIZE and the like: the reliability layer resends or times out
        }
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!socket.isOpen())
        {
            return true;
        }
        if (ipv6)
        {
            return socket.sendTo6(remoteHi, remoteLo, remotePort, buffer, offset, length);
        }
        if (socket.canSendSegmented())
        {
            return transport.udpBatch().add(this, buffer, offset, length);
        }
        return socket.sendTo(remoteAddr, remotePort, buffer, offset, length);
    }

    /**
     * One USO super-datagram the device cuts; where it cannot go straight to the device now (next hop resolving,
     * datagrams queued before it), the datagrams one by one into the socket's queue, in order. A queue that fills on
     * the way drops the rest (the reliable layer retransmits them as lost).
     */
    @Override
    protected long sendGathered(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        if (!socket.isOpen())
        {
            return length;
        }
        if (!ipv6 && length > segmentSize
            && socket.sendSegmented(remoteAddr, remotePort, buffer, offset, length, segmentSize))
        {
            return length;
        }
        for (int at = 0; at < length; at += segmentSize)
        {
            final int one = Math.min(segmentSize, length - at);
            if (ipv6 ? !socket.sendTo6(remoteHi, remoteLo, remotePort, buffer, offset + at, one)
                : !socket.sendTo(remoteAddr, remotePort, buffer, offset + at, one))
            {
                return at == 0 ? 0 : length;
            }
        }
        return length;
    }

    @Override
    protected void flushSends()
    {
        transport.udpBatch().flush(this);
    }

    @Override
    protected void release()
    {
        transport.udpBatch().discard(this);
        if (listener != null)
        {
            listener.remove(this);
        }
        else
        {
            socket.close();
        }
    }

    /** The listener's key of a server-side peer. */
    long key()
    {
        return key;
    }

    @Override
    public String localHost()
    {
        return localHost;
    }

    /**
     * The stack sends every packet with TTL 64 and TOS 0 (conntest sets neither); over IPv6 with the link's hop limit
     * (64, or a Router Advertisement's) and traffic class 0.
     */
    @Override
    public int sentTtl()
    {
        return ipv6 ? transport.host().stack().iface().ipv6().hopLimit() : io.conntest.stack.wire.Ipv4Repr.DEFAULT_TTL;
    }

    @Override
    public int sentTos()
    {
        return 0;
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
}
