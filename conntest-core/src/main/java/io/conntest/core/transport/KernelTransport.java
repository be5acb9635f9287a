package io.conntest.core.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;

import io.conntest.core.rudp.ReliableUdpConfig;

/**
 * The kernel's sockets behind the {@link Transport} interface: one NIO selector, driven by {@link #poll(long)} on
 * the engine's thread. TCP through {@code SocketChannel}s with TCP_NODELAY (latency probes must not wait for
 * Nagle); UDP through {@code DatagramChannel}s carrying one {@code ReliableUdpChannel} per peer, a listener
 * demultiplexing peers by source address. The steady state allocates nothing per packet on JDK 17 (proved by
 * {@code KernelSteadyStateAllocationTest}): ready keys go to a reused {@code Consumer}, reads and writes use direct
 * buffers, a client's UDP socket is connected (read/write, no addresses), and a listener's {@code receive} returns
 * the JDK's cached address while the sender does not change.
 */
public final class KernelTransport implements Transport
{
    /** Connections a single listener keeps at most; more are refused by closing them at once. */
    static final int MAX_CONNECTIONS_PER_LISTENER = 1024;
    static final int READ_BUFFER_BYTES = 128 * 1024;
    static final int WRITE_BUFFER_BYTES = 256 * 1024;
    static final int MAX_READS_PER_READY = 8;

    private final Selector selector;
    private final ReliableUdpConfig udpConfig;
    private final List<KernelChannel> connections = new ArrayList<>();
    private final List<AutoCloseable> listeners = new ArrayList<>();
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    final UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    final UnsafeBuffer writeView = new UnsafeBuffer(writeBuffer);
    /** Ready keys {@link #idle} keeps for the next {@link #poll}; past this many, the poll selects afresh. */
    static final int MAX_STASHED_KEYS = 64;

    private final ReadyKeyHandler readyKeys = new ReadyKeyHandler();
    private final SelectionKey[] stashedKeys = new SelectionKey[MAX_STASHED_KEYS];
    private final Consumer<SelectionKey> stashReady = this::stash;
    private int stashedCount;
    private TcpInfoSource tcpInfoSource;
    private UdpSegmentation udpSegmentation;
    private PathMtuControl pathMtuControl;
    private UdpSendBatch udpBatch;
    private boolean stashOverflowed;
    private long nextId = 1;
    private long nowNs;
    private boolean closed;
    private final int defaultTtl;

    public KernelTransport()
    {
        this(ReliableUdpConfig.defaults());
    }

    public KernelTransport(final ReliableUdpConfig udpConfig)
    {
        this.udpConfig = udpConfig;
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector", ex);
        }
        nowNs = System.nanoTime();
        defaultTtl = readDefaultTtl();
    }

    /** The TTL the kernel gives this namespace's packets (its sysctl, read by the thread that makes the transport). */
    private static int readDefaultTtl()
    {
        // read as a line: /proc files report size 0, and Files.readString then returns only the first byte
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(
            java.nio.file.Path.of("/proc/sys/net/ipv4/ip_default_ttl")))
        {
            final String line = in.readLine();
            return line == null ? -1 : Integer.parseInt(line.trim());
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /** The TTL this transport's packets leave with (conntest never sets IP_TTL), -1 when unknown. */
    int defaultTtl()
    {
        return defaultTtl;
    }

    @Override
    public String name()
    {
        return "kernel";
    }

    /** Where TCP connections read their kernel figures ({@code TCP_INFO}); null (the default): unknown. */
    public KernelTransport tcpInfo(final TcpInfoSource source)
    {
        this.tcpInfoSource = source;
        return this;
    }

    TcpInfoSource tcpInfoSource()
    {
        return tcpInfoSource;
    }

    /**
     * Reliable UDP sends and receives through {@code segmentation} (many datagrams per system call) on the sockets
     * opened from now on; null (the default): one datagram per call.
     */
    public KernelTransport udpSegmentation(final UdpSegmentation segmentation)
    {
        this.udpSegmentation = segmentation;
        this.udpBatch = segmentation == null ? null : new UdpSendBatch(segmentation.maxSegments());
        return this;
    }

    /** Path MTU probing on the plain datagram sockets opened from now on; null (the default): none. */
    public KernelTransport pathMtuControl(final PathMtuControl control)
    {
        this.pathMtuControl = control;
        return this;
    }

    PathMtuControl pathMtuControl()
    {
        return pathMtuControl;
    }

    UdpSegmentation udpSegmentation()
    {
        return udpSegmentation;
    }

    UdpSendBatch udpBatch()
    {
        return udpBatch;
    }

    /** The channel's descriptor with the offloads on, or -1 when it works plainly. */
    int attachSegmentation(final DatagramChannel channel)
    {
        // the segmentation calls read and write IPv4 socket addresses (sockaddr_in): IPv6 channels go plainly
        return udpSegmentation == null || !isIpv4(channel) ? -1 : udpSegmentation.attach(channel);
    }

    private static boolean isIpv4(final DatagramChannel channel)
    {
        try
        {
            return channel.getLocalAddress() instanceof java.net.InetSocketAddress local
                && local.getAddress() instanceof java.net.Inet4Address;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Receive calls that returned several datagrams coalesced ({@code UDP_GRO}), and how many they held. */
    long coalescedReceives;
    long coalescedDatagrams;

    /** Receive calls that returned coalesced datagrams ({@code UDP_GRO}; 0 without segmentation). */
    public long coalescedReceives()
    {
        return coalescedReceives;
    }

    /** The datagrams those calls held. */
    public long coalescedDatagrams()
    {
        return coalescedDatagrams;
    }

    /** System calls that sent reliable-UDP datagrams through segmentation (0 without it). */
    public long segmentedSendCalls()
    {
        return udpBatch == null ? 0 : udpBatch.sendCalls();
    }

    /** The datagrams those calls carried. */
    public long segmentedDatagramsSent()
    {
        return udpBatch == null ? 0 : udpBatch.datagramsSent();
    }

    long nowNs()
    {
        return nowNs;
    }

    long nextId()
    {
        return nextId++;
    }

    Selector selector()
    {
        return selector;
    }

    ReliableUdpConfig udpConfig()
    {
        return udpConfig;
    }

    void add(final KernelChannel connection)
    {
        connections.add(connection);
    }

    @Override
    public Listener listen(
        final TransportProtocol protocol, final String host, final int port, final AcceptHandler acceptHandler)
    {
        try
        {
            final InetSocketAddress address = new InetSocketAddress(host, port);
            if (protocol == TransportProtocol.TCP)
            {
                final ServerSocketChannel server = ServerSocketChannel.open();
                try
                {
                    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    server.bind(address, 128);
                    server.configureBlocking(false);
                }
                catch (final IOException ex)
                {
                    server.close();
                    throw ex;
                }
                final KernelTcpListener listener = new KernelTcpListener(this, server, host, acceptHandler);
                server.register(selector, SelectionKey.OP_ACCEPT, listener);
                listeners.add(listener);
                return listener;
            }
            // an IPv6 literal ("::" too) takes an IPv6 socket (dual-stack for "::"); anything else IPv4
            final DatagramChannel channel = DatagramChannel.open(HostText.isIpv6Literal(host)
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try
            {
                // No SO_REUSEADDR for UDP: on Linux it lets a second socket bind the same address and port and
                // take the traffic (UDP has no TIME_WAIT to get past), so a port in use must fail the bind.
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
                channel.bind(address);
                channel.configureBlocking(false);
            }
            catch (final IOException ex)
            {
                channel.close();
                throw ex;
            }
            final KernelUdpListener listener = new KernelUdpListener(this, channel, host, acceptHandler);
            channel.register(selector, SelectionKey.OP_READ, listener);
            listeners.add(listener);
            return listener;
        }
        catch (final java.net.BindException ex)
        {
            throw new TransportException(FailureReason.IN_USE, "cannot listen on " + protocol.lowerName() + " " +
                HostText.withPort(host, port) + ": port in use (" + ErrorClassifier.describe(ex) + ")", ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new TransportException(ex instanceof IOException ? FailureReason.LOCAL : ErrorClassifier.classify(ex),
                "cannot listen on " + protocol.lowerName() + " " + HostText.withPort(host, port) + ": " +
                ErrorClassifier.describe(ex), ex);
        }
    }

    @Override
    public DatagramPort openDatagram(final String host, final int port, final DatagramHandler handler)
    {
        try
        {
            final KernelDatagramPort datagrams = new KernelDatagramPort(this, selector, host, port, handler);
            connections.add(datagrams);
            return datagrams;
        }
        catch (final java.net.BindException ex)
        {
            throw new TransportException(FailureReason.IN_USE, "cannot bind udp " + HostText.withPort(host, port) + ": "
                + ex.getMessage(), ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new TransportException(FailureReason.LOCAL, "cannot bind udp " + HostText.withPort(host, port) + ": "
                + ex.getMessage(), ex);
        }
    }

    void removeListener(final AutoCloseable listener)
    {
        listeners.remove(listener);
    }

    @Override
    public Connection connect(
        final TransportProtocol protocol,
        final String host,
        final int port,
        final long timeoutNs,
        final ConnectionHandler handler)
    {
        if (protocol == TransportProtocol.TCP)
        {
            final KernelConnection connection = KernelTcpConnection.connect(this, host, port, timeoutNs, handler);
            connections.add(connection);
            return connection;
        }
        final KernelUdpConnection connection = KernelUdpConnection.connect(this, host, port, timeoutNs, handler);
        connections.add(connection);
        return connection;
    }

    @Override
    public int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        int work = 0;
        try
        {
            // The Consumer form of select hands each ready key to a pre-built handler: no selected-key set, so no
            // iterator per poll (the only per-cycle allocation this transport had).
            readyKeys.work = 0;
            if (stashedCount > 0 && !stashOverflowed)
            {
                // the keys idle() woke up for: delivered without a second select, so a probe that woke an idle
                // instance is read one system call sooner (others that became ready since wait for the next poll)
                for (int i = 0; i < stashedCount; i++)
                {
                    readyKeys.accept(stashedKeys[i]);
                    stashedKeys[i] = null;
                }
                stashedCount = 0;
            }
            else
            {
                clearStash();
                selector.selectNow(readyKeys);
            }
            work += readyKeys.work;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selector failed", ex);
        }
        for (int i = 0; i < connections.size(); i++)
        {
            work += connections.get(i).onPoll(nowNs);
        }
        if (udpBatch != null)
        {
            udpBatch.flush(); // what a connection could not send when its socket was full
        }
        connections.removeIf(KernelChannel::isFinished);
        return work;
    }

    @Override
    public long pollAtNs()
    {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < connections.size(); i++)
        {
            at = Math.min(at, connections.get(i).pollAtNs());
        }
        return at;
    }

    @Override
    public void idle(final long nowNs, final long deadlineNs)
    {
        if (deadlineNs <= nowNs || closed)
        {
            return;
        }
        final long timeoutMs = Math.max(1, (deadlineNs - nowNs + 999_999) / 1_000_000);
        try
        {
            // Only waits and keeps the keys found ready: the next poll delivers them (every callback still runs
            // inside poll) without selecting again. Had more been ready than the stash holds, the next poll selects
            // afresh (level-triggered: they are ready again).
            clearStash();
            selector.select(stashReady, timeoutMs);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selector failed", ex);
        }
    }

    @Override
    public void wakeup()
    {
        selector.wakeup();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final KernelChannel c : new ArrayList<>(connections))
        {
            c.closeNow();
        }
        connections.clear();
        for (final AutoCloseable l : new ArrayList<>(listeners))
        {
            try
            {
                l.close();
            }
            catch (final Exception ignored)
            {
                // closing anyway
            }
        }
        listeners.clear();
        try
        {
            selector.close();
        }
        catch (final IOException ignored)
        {
            // nothing left to do
        }
    }

    /** Dispatches one ready key; a reused instance (no capturing lambda) whose work count poll() reads. */
    private final class ReadyKeyHandler implements Consumer<SelectionKey>
    {
        int work;

        @Override
        public void accept(final SelectionKey key)
        {
            if (!key.isValid())
            {
                return;
            }
            final Object attachment = key.attachment();
            final int ready = key.readyOps();
            if (attachment instanceof KernelChannel)
            {
                ((KernelChannel)attachment).onReady(ready, nowNs);
            }
            else if (attachment instanceof KernelTcpListener)
            {
                ((KernelTcpListener)attachment).onAcceptable(nowNs);
            }
            else if (attachment instanceof KernelUdpListener)
            {
                ((KernelUdpListener)attachment).onReadable(nowNs);
            }
            work++;
        }
    }

    private void stash(final SelectionKey key)
    {
        if (stashedCount < MAX_STASHED_KEYS)
        {
            stashedKeys[stashedCount++] = key;
        }
        else
        {
            stashOverflowed = true;
        }
    }

    private void clearStash()
    {
        for (int i = 0; i < stashedCount; i++)
        {
            stashedKeys[i] = null;
        }
        stashedCount = 0;
        stashOverflowed = false;
    }

    static void configure(final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
}
