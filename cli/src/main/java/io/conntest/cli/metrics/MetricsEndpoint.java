package io.conntest.cli.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The HTTP endpoint of {@code --metrics}: the Prometheus client's exporter (the JDK's HTTP server on the host's
 * kernel sockets) serving {@code /metrics} in the Prometheus text format, or OpenMetrics when the scraper asks
 * for it, from its own registry with the given collectors only (no JVM metrics). Scrapes run on the exporter's
 * threads; the collectors read published snapshots and never wait for the engine.
 */
public final class MetricsEndpoint implements AutoCloseable
{
    private final HTTPServer server;

    private MetricsEndpoint(final HTTPServer server)
    {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (0: any free port) and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound (in use, not local)
     */
    public static MetricsEndpoint start(final String host, final int port, final List<MultiCollector> collectors)
    {
        return start(host, port, registry(collectors));
    }

    /** A registry of the given collectors only (no JVM metrics), for this endpoint or the one on the own stack. */
    public static PrometheusRegistry registry(final List<MultiCollector> collectors)
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        collectors.forEach(registry::register);
        return registry;
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves {@code registry}.
     *
     * @throws UncheckedIOException when the address cannot be bound (in use, not local)
     */
    public static MetricsEndpoint start(final String host, final int port, final PrometheusRegistry registry)
    {
        try
        {
            return new MetricsEndpoint(HTTPServer.builder().hostname(host).port(port).registry(registry)
                .buildAndStart());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The bound port. */
    public int port()
    {
        return server.getPort();
    }

    /** Stops serving (scrapes under way are given a moment to finish). */
    @Override
    public void close()
    {
        server.close();
    }
}
