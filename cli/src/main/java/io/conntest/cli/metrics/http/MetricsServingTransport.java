package io.conntest.cli.metrics.http;

import io.conntest.core.transport.AcceptHandler;
import io.conntest.core.transport.Connection;
import io.conntest.core.transport.ConnectionHandler;
import io.conntest.core.transport.DatagramHandler;
import io.conntest.core.transport.DatagramPort;
import io.conntest.core.transport.Listener;
import io.conntest.core.transport.Transport;
import io.conntest.core.transport.TransportProtocol;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A transport that also serves {@code /metrics} on itself ({@code --metrics-on-stack PORT}): every call goes to the
 * wrapped transport (the own stack), and each {@link #poll} also runs the {@link MetricsHttpServer} bound on it, on
 * the same thread, so the engine drives the endpoint without knowing of it; {@link #pollAtNs} includes the
 * server's deadlines. Scrapes are rendered on one daemon thread of its own ({@code conntest-metrics-render}) with a
 * queue no longer than the server's connection table.
 */
public final class MetricsServingTransport implements Transport
{
    private final Transport delegate;
    private final MetricsHttpServer server;
    private final ThreadPoolExecutor renderThread;

    /**
     * Wraps {@code delegate} and binds {@code host:port} on it at once (before the engine's thread starts).
     *
     * @throws io.conntest.core.transport.TransportException when the port cannot be bound
     */
    public MetricsServingTransport(final Transport delegate, final String host, final int port,
        final PrometheusRegistry registry)
    {
        this.delegate = delegate;
        final HttpLimits limits = HttpLimits.defaults();
        this.renderThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(limits.maxConnections()), r ->
            {
                final Thread t = new Thread(r, "conntest-metrics-render");
                t.setDaemon(true);
                return t;
            });
        this.server = new MetricsHttpServer(delegate, host, port, registry, renderThread, limits);
        try
        {
            server.start();
        }
        catch (final RuntimeException ex)
        {
            renderThread.shutdownNow();
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return delegate.name();
    }

    @Override
    public Listener listen(final TransportProtocol protocol, final String host, final int port,
        final AcceptHandler acceptHandler)
    {
        return delegate.listen(protocol, host, port, acceptHandler);
    }

    @Override
    public Connection connect(final TransportProtocol protocol, final String host, final int port,
        final long timeoutNs, final ConnectionHandler handler)
    {
        return delegate.connect(protocol, host, port, timeoutNs, handler);
    }

    @Override
    public DatagramPort openDatagram(final String host, final int port, final DatagramHandler handler)
    {
        return delegate.openDatagram(host, port, handler);
    }

    @Override
    public DatagramPort openSmallDatagram(final String host, final int port, final DatagramHandler handler)
    {
        return delegate.openSmallDatagram(host, port, handler);
    }

    @Override
    public int poll(final long nowNs)
    {
        final int work = delegate.poll(nowNs);
        return work + server.doWork(nowNs);
    }

    @Override
    public long pollAtNs()
    {
        return Math.min(delegate.pollAtNs(), server.nextDeadlineNs());
    }

    @Override
    public void idle(final long nowNs, final long deadlineNs)
    {
        delegate.idle(nowNs, deadlineNs);
    }

    @Override
    public void wakeup()
    {
        delegate.wakeup();
    }

    @Override
    public String linkWarning()
    {
        return delegate.linkWarning();
    }

    @Override
    public void drainDhcpSteps(final java.util.function.Consumer<io.conntest.core.transport.DhcpStep> sink)
    {
        delegate.drainDhcpSteps(sink);
    }

    @Override
    public String ipv6AddressesIfChanged()
    {
        return delegate.ipv6AddressesIfChanged();
    }

    /** Closes the server's connections and listener, stops the render thread, then closes the wrapped transport. */
    @Override
    public void close()
    {
        server.close();
        renderThread.shutdownNow();
        delegate.close();
    }
}
