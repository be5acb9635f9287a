package io.conntest.core.transport;

import java.util.ArrayList;
import java.util.List;



/**
 * One host on an {@link InMemoryNetwork}. Writes land in the peer end's bounded receive buffer (so backpressure
 * is real), and every event is delivered from the receiving transport's next {@link #poll}. UDP connections are
 * loss-free message channels here; loss and reordering are the reliability layer's own tests.
 */
public final class InMemoryTransport implements Transport
{
    private final InMemoryNetwork network;
    private final String host;
    private final List<InMemoryConnection> connections = new ArrayList<>();
    private final List<MemListener> listeners = new ArrayList<>();
    private int nextEphemeralPort = 40_000;
    private long lastPollNs;
    private boolean closed;

    InMemoryTransport(final InMemoryNetwork network, final String host)
    {
        this.network = network;
        this.host = host;
    }

    private String linkWarning;

    /** Simulates a link that goes down ({@code warning} says why) or comes back up ({@code null}). */
    public void linkWarning(final String warning)
    {
        this.linkWarning = warning;
    }

    @Override
    public String linkWarning()
    {
        return linkWarning;
    }

    @Override
    public String name()
    {
        return "memory";
    }

    public String host()
    {
        return host;
    }

    boolean isClosed()
    {
        return closed;
    }

    InMemoryNetwork network()
    {
        return network;
    }

    long lastPollNs()
    {
        return lastPollNs;
    }

    void addConnection(final InMemoryConnection connection)
    {
        connections.add(connection);
    }

    @Override
    public Listener listen(
        final TransportProtocol protocol, final String bindHost, final int port, final AcceptHandler acceptHandler)
    {
        final int actualPort = port == 0 ? nextEphemeralPort++ : port;
        final MemListener listener = new MemListener(protocol, actualPort, acceptHandler);
        if (!network.register(listener))
        {
            throw new TransportException(FailureReason.LOCAL, "address in use: " + host + ":" + actualPort, null);
        }
        listeners.add(listener);
        return listener;
    }

    @Override
    public Connection connect(
        final TransportProtocol protocol,
        final String remoteHost,
        final int remotePort,
        final long timeoutNs,
        final ConnectionHandler handler)
    {
        final InMemoryConnection client = new InMemoryConnection(
            this, protocol, nextEphemeralPort++, remoteHost, remotePort, handler, false);
        connections.add(client);
        if (client.reliable != null)
        {
            client.connectDeadlineNs = lastPollNs + timeoutNs;
        }
        if (network.isBlackHole(remoteHost) || network.isBlocked(host, remoteHost))
        {
            client.connectDeadlineNs = lastPollNs + timeoutNs;
            return client;
        }
        if (!network.isKnownHost(remoteHost))
        {
            client.fail(FailureReason.UNREACHABLE, "no route to host " + remoteHost);
            return client;
        }
        final MemListener listener = network.listener(protocol, remoteHost, remotePort);
        if (listener == null)
        {
            client.fail(FailureReason.REFUSED, "connection refused by " + remoteHost + ":" + remotePort);
            return client;
        }
        final InMemoryTransport server = listener.owner();
        final InMemoryConnection serverEnd =
            new InMemoryConnection(server, protocol, remotePort, host, client.localPort, null, true);
        serverEnd.acceptedBy = listener;
        client.peer = serverEnd;
        serverEnd.peer = client;
        client.connectedPending = client.reliable == null;
        server.addConnection(serverEnd);
        return client;
    }

    @Override
    public int poll(final long nowNs)
    {
        lastPollNs = nowNs;
        int work = 0;
        for (int i = 0; i < connections.size(); i++)
        {
            final InMemoryConnection c = connections.get(i);
            work += c.poll(nowNs);
        }
        connections.removeIf(c -> c.finished);
        return work;
    }

    @Override
    public long pollAtNs()
    {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < connections.size(); i++)
        {
            final InMemoryConnection c = connections.get(i);
            if (c.hasPendingWork())
            {
                return lastPollNs;
            }
            at = Math.min(at, c.connectDeadlineNs);
            if (c.reliable != null && !c.finished)
            {
                at = Math.min(at, Math.min(c.reliable.pollAtNs(), c.faultsDueNs(lastPollNs)));
            }
        }
        return at;
    }

    @Override
    public void idle(final long nowNs, final long deadlineNs)
    {
    }

    @Override
    public void wakeup()
    {
    }

    /** Simulates the process dying: every peer sees a reset, listeners vanish. */
    public void kill()
    {
        shutdown(FailureReason.RESET, "connection reset by peer");
    }

    @Override
    public void close()
    {
        shutdown(FailureReason.CLOSED, "peer closed");
    }

    private void shutdown(final FailureReason reason, final String detail)
    {
        closed = true;
        for (final MemListener listener : new ArrayList<>(listeners))
        {
            listener.close();
        }
        for (final InMemoryConnection c : connections)
        {
            c.abort(reason, detail);
        }
        connections.clear();
    }

    /** A listener of this transport. */
    final class MemListener implements Listener
    {
        private final TransportProtocol protocol;
        private final int port;
        private final AcceptHandler acceptHandler;

        MemListener(final TransportProtocol protocol, final int port, final AcceptHandler acceptHandler)
        {
            this.protocol = protocol;
            this.port = port;
            this.acceptHandler = acceptHandler;
        }

        AcceptHandler acceptHandler()
        {
            return acceptHandler;
        }

        InMemoryTransport owner()
        {
            return InMemoryTransport.this;
        }

        @Override
        public TransportProtocol protocol()
        {
            return protocol;
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
            network.unregister(this);
            listeners.remove(this);
        }
    }
}
