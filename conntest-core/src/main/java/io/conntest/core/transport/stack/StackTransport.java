package io.conntest.core.transport.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;
import io.conntest.core.transport.FailureReason;
import io.conntest.core.transport.HostText;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.ReliableUdpConnection;
import io.conntest.core.transport.UdpSendBatch;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportException;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.phy.FrameDevice;
import io.conntest.stack.tcp.TcpError;
import io.conntest.stack.tcp.TcpSocket;
import io.conntest.stack.wire.Ipv4Address;

/**
 * The {@code tap} transport: the engine over the userspace stack, single-threaded. {@link #poll(long)} polls the
 * stack once per cycle (which polls the device); in the stack's delivery phase, after ingress and before egress,
 * TCP events come from the {@link TcpSocket}s' readiness callbacks and UDP ones from the stack's UDP sockets' (one
 * {@code ReliableUdpChannel} per peer: {@link StackUdpPeer}, a {@link ReliableUdpConnection}), so the engine's
 * answers leave in the same poll. TCP bytes are read in place from the socket's receive buffer (one copy in: the
 * frame into that buffer).
 * {@link #idle(long, long)} sleeps in the device ({@code ppoll(2)} on a TAP and its wake-up eventfd); {@link #wakeup()}
 * ends that sleep at once (see {@link StackHost}).
 *
 * <p>Usage: {@code new StackTransport(device, InterfaceConfig.builder("10.0.0.2/24").build())}, then hand it to
 * {@code Engine.start(config, transport, listener)}. Hosts are dotted IPv4 addresses or IPv6 literals (the stack has
 * no resolver; {@link StackPeerAddress}); a listener's host is informational: it binds the interface's addresses,
 * both families.
 */
public final class StackTransport implements Transport
{
    /**
     * How long {@link #close()} of a transport that owns its stack keeps the stack running so the FINs of the
     * connections closed on the way out are acknowledged (and the peers' FINs arrive) before it resets the rest.
     */
    public static final long DEFAULT_CLOSE_LINGER_NS = 1_000_000_000L;

    private final StackHost host;
    private final boolean ownsHost;
    private final ReliableUdpConfig udpConfig;
    private final List<StackTcpConnection> tcpConnections = new ArrayList<>();
    private final List<StackUdpPeer> udpPeers = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<StackDatagramPort> datagramPorts = new ArrayList<>();
    private final List<StackTcpConnection> readPending = new ArrayList<>();
    /** Reliable-UDP datagrams of one connection's turn, sent as one USO super-datagram where the device cuts UDP. */
    private final UdpSendBatch udpBatch = new UdpSendBatch(UdpSendBatch.MAX_SEGMENTS);
    private long nextId = 1;
    private boolean closed;
    private long closeLingerNs = DEFAULT_CLOSE_LINGER_NS;
    private LongSupplier lingerClock = System::nanoTime;
    private Runnable lingerWait;

    /** A transport on a new stack over {@code device} (closed with the transport). */
    public StackTransport(final FrameDevice device, final InterfaceConfig config)
    {
        this(new StackHost(device, config), true, ReliableUdpConfig.defaults());
    }

    /**
     * A transport on an existing stack (e.g. shared with a {@link StackPortProber}).
     *
     * @param ownsHost whether {@link #close()} closes the stack and its device
     */
    public StackTransport(final StackHost host, final boolean ownsHost, final ReliableUdpConfig udpConfig)
    {
        this.host = host;
        this.ownsHost = ownsHost;
        this.udpConfig = udpConfig;
    }

    @Override
    public String name()
    {
        return "tap";
    }

    public StackHost host()
    {
        return host;
    }

    ReliableUdpConfig udpConfig()
    {
        return udpConfig;
    }

    UdpSendBatch udpBatch()
    {
        return udpBatch;
    }

    /** Super-datagrams the reliable-UDP connections handed the device to cut (USO), and the datagrams in them. */
    public long segmentedSendCalls()
    {
        return udpBatch.sendCalls();
    }

    public long segmentedDatagramsSent()
    {
        return udpBatch.datagramsSent();
    }

    long nextId()
    {
        return nextId++;
    }

    void add(final StackTcpConnection connection)
    {
        tcpConnections.add(connection);
    }

    void add(final StackUdpPeer peer)
    {
        udpPeers.add(peer);
    }

    void markReadPending(final StackTcpConnection connection)
    {
        if (!readPending.contains(connection))
        {
            readPending.add(connection);
        }
    }

    void removeListener(final Listener listener)
    {
        listeners.remove(listener);
    }

    @Override
    public DatagramPort openDatagram(final String bindHost, final int port, final DatagramHandler handler)
    {
        return openDatagram(bindHost, port, handler, StackDatagramPort.QUEUE_BYTES);
    }

    @Override
    public DatagramPort openSmallDatagram(final String bindHost, final int port, final DatagramHandler handler)
    {
        return openDatagram(bindHost, port, handler, StackDatagramPort.SMALL_QUEUE_BYTES);
    }

    private DatagramPort openDatagram(final String bindHost, final int port, final DatagramHandler handler,
        final int queueBytes)
    {
        checkOpen();
        if (!isLocal(parseOrNull(bindHost)))
        {
            throw new TransportException(FailureReason.LOCAL, "cannot bind udp " + bindHost + ":" + port
                + ": not this interface's address " + Ipv4Address.toString(host.address()), null);
        }
        try
        {
            final StackDatagramPort datagrams = new StackDatagramPort(this, port, handler, queueBytes);
            datagramPorts.add(datagrams);
            return datagrams;
        }
        catch (final IllegalStateException ex)
        {
            throw new TransportException(FailureReason.IN_USE, "cannot bind udp " + bindHost + ":" + port + ": "
                + ex.getMessage(), ex);
        }
    }

    void forget(final StackDatagramPort datagrams)
    {
        datagramPorts.remove(datagrams);
    }

    @Override
    public Listener listen(
        final TransportProtocol protocol, final String bindHost, final int port, final AcceptHandler acceptHandler)
    {
        checkOpen();
        final String what = protocol.lowerName() + " " + bindHost + ":" + port;
        if (port < 1 || port > 0xFFFF)
        {
            throw new TransportException(FailureReason.LOCAL, "cannot listen on " + what +
                ": the tap stack needs an explicit port", null);
        }
        if (!isLocal(parseOrNull(bindHost)))
        {
            throw new TransportException(FailureReason.LOCAL, "cannot listen on " + what + ": not this interface's " +
                "address " + Ipv4Address.toString(host.address()), null);
        }
        try
        {
            if (protocol == TransportProtocol.TCP)
            {
                final StackTcpListener listener = new StackTcpListener(this, bindHost, port, acceptHandler);
                listeners.add(listener);
                return listener;
            }
            final StackUdpListener listener = new StackUdpListener(this, bindHost, port, acceptHandler);
            listeners.add(listener);
            return listener;
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            final String why = String.valueOf(ex.getMessage());
            final boolean inUse = why.contains("EADDRINUSE") || why.contains("already listening");
            throw new TransportException(inUse ? FailureReason.IN_USE : FailureReason.LOCAL,
                "cannot listen on " + what + ": " + (inUse ? "port in use (" + why + ")" : why), ex);
        }
    }

    /** Why a connection is refused before the stack has an address (see {@code --ipv4 dhcp}). */
    static final String NO_ADDRESS = "the stack has no IPv4 address yet (no DHCP lease bound)";
    /** Why a connection to an IPv6 address is refused before the stack has an address of that scope. */
    static final String NO_IPV6_ADDRESS = "the stack has no IPv6 address for that destination yet (give --ipv6 "
        + "ADDR/PREFIX or --ipv6 auto, and let DAD finish)";

    @Override
    public Connection connect(
        final TransportProtocol protocol,
        final String remoteHost,
        final int port,
        final long timeoutNs,
        final ConnectionHandler handler)
    {
        checkOpen();
        final long nowNs = host.nowNs();
        StackPeerAddress addr = StackPeerAddress.ANY;
        String error = null;
        try
        {
            addr = StackPeerAddress.parse(remoteHost);
        }
        catch (final RuntimeException ex)
        {
            error = "cannot resolve '" + remoteHost + "': the tap stack takes IPv4 and IPv6 addresses, not names ("
                + ex.getMessage() + ")";
        }
        if (protocol == TransportProtocol.TCP)
        {
            final TcpSocket socket = host.tcp().openSocket();
            socket.setNoDelay(true).setConnectTimeoutNs(timeoutNs);
            final StackTcpConnection connection = new StackTcpConnection(this, socket, remoteHost, port, handler);
            tcpConnections.add(connection);
            if (error != null)
            {
                connection.failLater(FailureReason.UNREACHABLE, error);
            }
            else if (addr.ipv6() ? !socket.connect6(addr.hi(), addr.lo(), port) : !socket.connect(addr.v4(), port))
            {
                connection.failLater(FailureReason.LOCAL, "tcp " + remoteHost + ":" + port + ": "
                    + (socket.error() == TcpError.NO_ADDRESS ? (addr.ipv6() ? NO_IPV6_ADDRESS : NO_ADDRESS)
                    : "no free local port or connection slot"));
            }
            return connection;
        }
        final StackUdpPeer peer = StackUdpPeer.connect(this, addr, remoteHost, port, timeoutNs, handler, nowNs);
        udpPeers.add(peer);
        if (error != null)
        {
            peer.failLater(FailureReason.UNREACHABLE, error);
        }
        else if (addr.ipv6() && !host.stack().iface().ipv6().selectSource(addr.hi()))
        {
            peer.failLater(FailureReason.LOCAL, "udp " + HostText.withPort(addr.toString(), port) + ": "
                + NO_IPV6_ADDRESS);
        }
        else if (!addr.ipv6() && host.address() == 0)
        {
            peer.failLater(FailureReason.LOCAL, NO_ADDRESS);
        }
        return peer;
    }

    @Override
    public void drainDhcpSteps(final java.util.function.Consumer<io.conntest.core.transport.DhcpStep> sink)
    {
        host.drainDhcpSteps(sink);
    }

    @Override
    public String ipv6AddressesIfChanged()
    {
        // only with --ipv6 auto or ADDR/PREFIX: a link-local that answers without DAD is no news worth an event
        return host.stack().iface().ipv6().addressesChange() ? host.ipv6AddressesIfChanged() : null;
    }

    @Override
    public int poll(final long nowNs)
    {
        if (closed)
        {
            return 0;
        }
        // One poll of the stack: ingress, then delivery (TCP and UDP readiness: the engine reads and answers here,
        // after ingress and not inside it), then egress of everything, then the stack's timers.
        int work = host.poll(nowNs) ? 1 : 0;
        work += pollConnections(nowNs);
        return work;
    }

    private int pollConnections(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < readPending.size(); i++)
        {
            final StackTcpConnection c = readPending.get(i);
            readPending.remove(i--);
            c.onReadable(null);
            work++;
        }
        for (int i = 0; i < tcpConnections.size(); i++)
        {
            work += tcpConnections.get(i).onPoll(nowNs);
        }
        for (int i = 0; i < udpPeers.size(); i++)
        {
            work += udpPeers.get(i).onPoll(nowNs);
        }
        for (int i = 0; i < listeners.size(); i++)
        {
            if (listeners.get(i) instanceof StackUdpListener)
            {
                work += ((StackUdpListener)listeners.get(i)).pollNat(nowNs); // delayed NAT probe answers
            }
        }
        udpBatch.flush(); // what a connection could not send when its socket was full
        tcpConnections.removeIf(StackTcpConnection::isFinished);
        udpPeers.removeIf(ReliableUdpConnection::isFinished);
        return work;
    }

    /** Sets how long {@link #close()} waits for closing connections (0: reset them at once). */
    public StackTransport closeLinger(final long lingerNs)
    {
        this.closeLingerNs = Math.max(0, lingerNs);
        return this;
    }

    /** For simulations: the clock the linger is measured on and what to do between polls instead of idling. */
    StackTransport closeLingerHooks(final LongSupplier clock, final Runnable waitBetweenPolls)
    {
        this.lingerClock = clock;
        this.lingerWait = waitBetweenPolls;
        return this;
    }

    /**
     * Keeps the stack polling until every connection has finished its close handshake (our FIN acknowledged and
     * the peer's received: TIME-WAIT or CLOSED) or the linger bound passes. The stack's clock keeps advancing from
     * its last poll by the time elapsed.
     */
    private void lingerForCloses()
    {
        final long startNs = lingerClock.getAsLong();
        final long baseNs = host.nowNs();
        while (host.tcp().closingConnections() > 0)
        {
            final long elapsedNs = lingerClock.getAsLong() - startNs;
            if (elapsedNs >= closeLingerNs)
            {
                return;
            }
            final long nowNs = baseNs + elapsedNs;
            if (!host.poll(nowNs))
            {
                if (lingerWait != null)
                {
                    lingerWait.run();
                }
                else
                {
                    host.idle(nowNs, Math.min(host.pollAtNs(nowNs), baseNs + closeLingerNs));
                }
            }
        }
    }

    @Override
    public long pollAtNs()
    {
        if (closed)
        {
            return Long.MAX_VALUE;
        }
        long at = host.pollAtNs(host.nowNs());
        if (!readPending.isEmpty())
        {
            return host.nowNs();
        }
        for (int i = 0; i < tcpConnections.size(); i++)
        {
            at = Math.min(at, tcpConnections.get(i).pollAtNs());
        }
        for (int i = 0; i < udpPeers.size(); i++)
        {
            at = Math.min(at, udpPeers.get(i).pollAtNs());
        }
        for (int i = 0; i < listeners.size(); i++)
        {
            if (listeners.get(i) instanceof StackUdpListener)
            {
                at = Math.min(at, ((StackUdpListener)listeners.get(i)).natPollAtNs());
            }
        }
        return at;
    }

    @Override
    public void idle(final long nowNs, final long deadlineNs)
    {
        if (!closed)
        {
            host.idle(nowNs, deadlineNs);
        }
    }

    @Override
    public void wakeup()
    {
        host.wakeup();
    }

    @Override
    public String linkWarning()
    {
        return host.isClosed() ? null : host.device().linkWarning();
    }

    /** Closes every listener and connection without callbacks (TCP connections are reset). */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final StackTcpConnection c : new ArrayList<>(tcpConnections))
        {
            c.closeNow();
        }
        for (final StackUdpPeer p : new ArrayList<>(udpPeers))
        {
            p.closeNow();
        }
        for (final Listener l : new ArrayList<>(listeners))
        {
            l.close();
        }
        for (final StackDatagramPort d : new ArrayList<>(datagramPorts))
        {
            d.close();
        }
        tcpConnections.clear();
        udpPeers.clear();
        listeners.clear();
        if (ownsHost)
        {
            lingerForCloses();
            // whatever has not finished its close handshake by now gets a RST, so no peer is left half-open
            host.tcp().abortAll();
            host.poll(host.nowNs()); // let the resets out before the device goes
            host.close();
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("transport closed");
        }
    }

    private static StackPeerAddress parseOrNull(final String text)
    {
        try
        {
            return StackPeerAddress.parse(text);
        }
        catch (final RuntimeException ex)
        {
            throw new TransportException(FailureReason.LOCAL, "cannot listen on '" + text +
                "': the tap stack takes IPv4 and IPv6 addresses, not names", ex);
        }
    }

    /**
     * Whether a bind address is this interface's: unspecified ({@code 0.0.0.0} or {@code ::}, either way both
     * families: one socket table serves IPv4 and IPv6, as a Linux socket on {@code ::} without IPV6_V6ONLY), its IPv4
     * address, or one of its IPv6 addresses in use.
     */
    private boolean isLocal(final StackPeerAddress bind)
    {
        if (bind.isAny())
        {
            return true;
        }
        return bind.ipv6() ? host.stack().iface().ipv6().isOwnAddress(bind.hi(), bind.lo())
            : bind.v4() == host.address();
    }
}
