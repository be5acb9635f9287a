package io.conntest.core.transport;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.conntest.core.rudp.ReliableUdpConfig;

/**
 * A network of {@link InMemoryTransport}s, one per host address, for deterministic engine tests on a manual
 * clock. Connecting to a port nobody listens on is refused, to an unknown host unreachable, and to a
 * {@linkplain #addBlackHole black-hole} host times out. Not thread-safe: drive every transport from one thread.
 */
public final class InMemoryNetwork
{
    public static final int DEFAULT_STREAM_BUFFER = 64 * 1024;
    public static final int UDP_MAX_MESSAGE = 65_507;

    private final Map<String, InMemoryTransport> hosts = new HashMap<>();
    private final Map<String, InMemoryTransport.MemListener> listeners = new HashMap<>();
    private final Set<String> blackHoles = new HashSet<>();
    private final Set<String> blockedPairs = new HashSet<>();
    private final int streamBufferBytes;
    private long nextConnectionId = 1;
    private ReliableUdpConfig reliableUdp;
    private LinkFaults faults = LinkFaults.none();

    public InMemoryNetwork()
    {
        this(DEFAULT_STREAM_BUFFER);
    }

    /** @param streamBufferBytes receive buffer per connection end: what a writer may have in flight */
    public InMemoryNetwork(final int streamBufferBytes)
    {
        this.streamBufferBytes = streamBufferBytes;
    }

    /**
     * Runs UDP connections through a {@link io.conntest.core.rudp.ReliableUdpChannel} per end, over a link that
     * applies {@code faults} to every datagram (instead of the default loss-free message channel).
     */
    public InMemoryNetwork withReliableUdp(final ReliableUdpConfig config, final LinkFaults faults)
    {
        this.reliableUdp = config;
        this.faults = faults;
        return this;
    }

    ReliableUdpConfig reliableUdp()
    {
        return reliableUdp;
    }

    LinkFaults faults()
    {
        return faults;
    }

    /** A transport for {@code host}; a second call for the same host replaces a killed one. */
    public InMemoryTransport newTransport(final String host)
    {
        final InMemoryTransport transport = new InMemoryTransport(this, host);
        hosts.put(host, transport);
        return transport;
    }

    /** Connections to this host are never answered (they time out). */
    public void addBlackHole(final String host)
    {
        blackHoles.add(host);
    }

    /** Connections between these two hosts, either way, are never answered (a firewall dropping the pair). */
    public void blockPair(final String a, final String b)
    {
        blockedPairs.add(a + "|" + b);
        blockedPairs.add(b + "|" + a);
    }

    boolean isBlocked(final String from, final String to)
    {
        return blockedPairs.contains(from + "|" + to);
    }

    int streamBufferBytes()
    {
        return streamBufferBytes;
    }

    long nextConnectionId()
    {
        return nextConnectionId++;
    }

    boolean isBlackHole(final String host)
    {
        return blackHoles.contains(host);
    }

    boolean isKnownHost(final String host)
    {
        final InMemoryTransport transport = hosts.get(host);
        return transport != null && !transport.isClosed();
    }

    static String key(final TransportProtocol protocol, final String host, final int port)
    {
        return protocol.lowerName() + ":" + host + ":" + port;
    }

    InMemoryTransport.MemListener listener(final TransportProtocol protocol, final String host, final int port)
    {
        return listeners.get(key(protocol, host, port));
    }

    boolean register(final InMemoryTransport.MemListener listener)
    {
        return listeners.putIfAbsent(key(listener.protocol(), listener.host(), listener.port()), listener) == null;
    }

    void unregister(final InMemoryTransport.MemListener listener)
    {
        listeners.remove(key(listener.protocol(), listener.host(), listener.port()), listener);
    }
}
