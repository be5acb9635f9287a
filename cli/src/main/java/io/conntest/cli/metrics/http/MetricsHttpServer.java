package io.conntest.cli.metrics.http;

import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportProtocol;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.Executor;

/**
 * {@code GET /metrics} over HTTP/1.1 on a {@link Transport}, on the transport's thread beside whatever else runs
 * there (the engine's listeners and peers): a TCP listener, a fixed table of {@link HttpConnection} slots, and a
 * {@link ScrapeRenderer} that renders each scrape on another thread. The owner calls {@link #doWork} every cycle
 * and idles no later than {@link #nextDeadlineNs}, as for the iperf3 server. What the engine thread does per
 * request is bounded: at most {@link HttpLimits#MAX_HEAD_BYTES} parsed, then a copy of the rendered bytes.
 */
public final class MetricsHttpServer implements AcceptHandler, AutoCloseable
{
    /** What the server counts (for the tests; a place to hang metrics of the endpoint itself later). */
    enum Count
    {
        /** Responses of status below 400. */
        SCRAPES,
        /** Error responses (4xx, 5xx). */
        ERRORS,
        /** Requests that were malformed or asked for what is not supported (a subset of ERRORS). */
        BAD_REQUESTS,
        /** Connections cut off by a deadline: a stalled head (408) or a response not taken. */
        TIMED_OUT,
        /** Connections closed at once because every slot was busy. */
        REFUSED,
        /** Keep-alive or half-sent connections closed to make room for a new one. */
        EVICTED,
        /** Connections that sent more than a head's worth while their response was pending. */
        OVERFLOWED
    }

    private final Transport transport;
    private final String host;
    private final int port;
    private final ScrapeRenderer renderer;
    private final HttpConnection[] slots;
    /**
     * The handler of a connection refused at accept: a slot that never holds a connection. No callback follows
     * the close of a refused connection, and one that did would not be its connection's, so it would be ignored.
     */
    private final HttpConnection refused;
    private final long[] counts = new long[Count.values().length];
    private Listener listener;
    private int open;

    /**
     * A server for {@code host:port} on {@code transport} (bound by {@link #start()}).
     *
     * @param executor where scrapes are rendered: not the transport's thread (see {@link ScrapeRenderer})
     */
    public MetricsHttpServer(final Transport transport, final String host, final int port,
        final PrometheusRegistry registry, final Executor executor)
    {
        this(transport, host, port, registry, executor, HttpLimits.defaults());
    }

    MetricsHttpServer(final Transport transport, final String host, final int port,
        final PrometheusRegistry registry, final Executor executor, final HttpLimits limits)
    {
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.renderer = new ScrapeRenderer(registry, executor, transport::wakeup);
        this.slots = new HttpConnection[limits.maxConnections()];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new HttpConnection(i, this, limits);
        }
        refused = new HttpConnection(-1, this, limits);
    }

    /** Binds the listener; a {@link io.conntest.core.transport.TransportException} says why it could not. */
    public void start()
    {
        listener = transport.listen(TransportProtocol.TCP, host, port, this);
    }

    @Override
    public ConnectionHandler onAccepted(final Connection connection, final long nowNs)
    {
        HttpConnection slot = freeSlot();
        if (slot == null)
        {
            slot = oldestWaiting();
            if (slot == null)
            {
                count(Count.REFUSED);
                connection.close();
                return refused;
            }
            count(Count.EVICTED);
            slot.closeGracefully();
        }
        slot.open(connection, nowNs);
        open++;
        return slot;
    }

    private HttpConnection freeSlot()
    {
        for (final HttpConnection slot : slots)
        {
            if (slot.phase() == HttpConnection.Phase.FREE)
            {
                return slot;
            }
        }
        return null;
    }

    /**
     * The slot that has waited longest for a request (idle keep-alive, or a head trickling in): the one to give up
     * for a new connection, so that stalled clients cannot hold every slot. Null when all are busy answering.
     */
    private HttpConnection oldestWaiting()
    {
        HttpConnection oldest = null;
        for (final HttpConnection slot : slots)
        {
            if (slot.phase() == HttpConnection.Phase.READING
                && (oldest == null || slot.waitingSinceNs() - oldest.waitingSinceNs() < 0))
            {
                oldest = slot;
            }
        }
        return oldest;
    }

    void render(final HttpConnection slot, final RequestHead head)
    {
        renderer.submit(new ScrapeRenderer.Scrape(slot.index, slot.generation(), head));
    }

    void freed(final HttpConnection slot)
    {
        open--;
    }

    void count(final Count what)
    {
        counts[what.ordinal()]++;
    }

    /** How many of {@code what} so far. */
    long counted(final Count what)
    {
        return counts[what.ordinal()];
    }

    /** Rendered scrapes go out; deadlines that passed are acted on. Returns work done. */
    public int doWork(final long nowNs)
    {
        int work = 0;
        ScrapeRenderer.Scrape scrape;
        while ((scrape = renderer.poll()) != null)
        {
            final HttpConnection slot = slots[scrape.slot];
            // a scrape whose connection closed (or timed out) meanwhile has nobody to go to
            if (slot.generation() == scrape.generation && slot.phase() == HttpConnection.Phase.RENDERING)
            {
                slot.rendered(scrape, nowNs);
                work++;
            }
        }
        if (open > 0)
        {
            for (final HttpConnection slot : slots)
            {
                if (slot.phase() != HttpConnection.Phase.FREE && nowNs - slot.deadlineNs() >= 0)
                {
                    slot.expire(nowNs);
                    work++;
                }
            }
        }
        return work;
    }

    /** The earliest deadline of a connection, or {@link Long#MAX_VALUE}. */
    public long nextDeadlineNs()
    {
        long at = Long.MAX_VALUE;
        if (open > 0)
        {
            for (final HttpConnection slot : slots)
            {
                if (slot.phase() != HttpConnection.Phase.FREE)
                {
                    at = Math.min(at, slot.deadlineNs());
                }
            }
        }
        return at;
    }

    /** Closes the listener and every connection (the transport's thread, or after it stopped). */
    @Override
    public void close()
    {
        for (final HttpConnection slot : slots)
        {
            slot.closeGracefully();
        }
        if (listener != null)
        {
            listener.close();
            listener = null;
        }
    }
}
