package io.conntest.core.transport;

/**
 * A network stack as the engine sees it: non-blocking and single-threaded. The owner calls {@link #poll(long)}
 * from its duty cycle; every callback runs inside that call on the same thread. The shape fits both an NIO
 * selector and a userspace stack driven by {@code poll(nowNs)} with readiness callbacks.
 */
public interface Transport extends AutoCloseable
{
    /** Short name for displays: {@code kernel}, {@code tap}, {@code memory}. */
    String name();

    /**
     * Binds a listener. Fails synchronously (e.g. the port is in use) with a {@link TransportException}.
     *
     * @param host address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
     * @param port port, 0 for any
     */
    Listener listen(TransportProtocol protocol, String host, int port, AcceptHandler acceptHandler);

    /**
     * Starts a connection attempt. The result arrives as {@link ConnectionHandler#onConnected} or
     * {@link ConnectionHandler#onConnectFailed} (also for an unresolvable host) from a later {@link #poll}.
     */
    Connection connect(TransportProtocol protocol, String host, int port, long timeoutNs, ConnectionHandler handler);

    /**
     * Binds a plain UDP socket (no reliability layer) on {@code port} for a foreign protocol on UDP (iperf3's UDP
     * streams). Fails synchronously with a {@link TransportException}; a transport without plain datagrams (the
     * in-memory one) throws {@link UnsupportedOperationException}.
     */
    default DatagramPort openDatagram(final String host, final int port, final DatagramHandler handler)
    {
        throw new UnsupportedOperationException(name() + " transport has no plain datagram sockets");
    }

    /**
     * The same for a socket that carries a few small datagrams (NAT probes): a transport whose sockets own their
     * queues (the stack) gives it small ones instead of queues sized for a bulk stream.
     */
    default DatagramPort openSmallDatagram(final String host, final int port, final DatagramHandler handler)
    {
        return openDatagram(host, port, handler);
    }

    /** Does pending I/O and timers and delivers callbacks; returns a count of work done (0 = idle). */
    int poll(long nowNs);

    /** The earliest time the transport needs {@link #poll} again without I/O, or {@link Long#MAX_VALUE}. */
    long pollAtNs();

    /** Waits for I/O readiness until {@code deadlineNs} at most (an in-memory transport returns at once). */
    void idle(long nowNs, long deadlineNs);

    /** Wakes a thread blocked in {@link #idle}; the only method safe to call from another thread. */
    void wakeup();

    /**
     * Why the network below cannot carry traffic now (a TAP whose link is down), as a line for a person, or null
     * when it can or the transport cannot tell (kernel sockets). Asked about once a second from the owner thread.
     */
    default String linkWarning()
    {
        return null;
    }

    /**
     * Hands {@code sink} the steps the stack's DHCP client took since the last call (none on kernel sockets or a
     * static address). Asked about once a second from the owner thread, with {@link #linkWarning()}.
     */
    default void drainDhcpSteps(final java.util.function.Consumer<io.conntest.core.transport.DhcpStep> sink)
    {
    }

    /**
     * The stack's IPv6 addresses and their states as one line when they changed since the last call (an address
     * formed by SLAAC, one that passed or failed DAD), else null; null always on kernel sockets. Asked about once a
     * second from the owner thread, with {@link #linkWarning()}.
     */
    default String ipv6AddressesIfChanged()
    {
        return null;
    }

    /** Closes every listener and connection without callbacks. */
    @Override
    void close();
}
