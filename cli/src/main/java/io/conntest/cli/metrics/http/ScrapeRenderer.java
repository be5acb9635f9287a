package io.conntest.cli.metrics.http;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Renders scrapes off the engine thread: the official client's {@link PrometheusScrapeHandler} (content
 * negotiation between the Prometheus text format 0.0.4 and OpenMetrics by the Accept field, gzip by
 * Accept-Encoding, {@code name[]} filters, HEAD) runs on the given executor against the registry, whose collectors
 * read the latest published snapshot; the whole response is collected into a byte array and handed back through a
 * queue the engine thread drains, with a wake-up of that thread. The engine thread only copies bytes out.
 */
final class ScrapeRenderer
{
    private final PrometheusScrapeHandler handler;
    private final Executor executor;
    private final Runnable wakeup;
    private final Queue<Scrape> done = new ConcurrentLinkedQueue<>();

    /**
     * @param executor where scrapes are rendered (one daemon thread in the command; the caller's thread in tests)
     * @param wakeup   makes the engine thread look at {@link #poll()} soon (the transport's wake-up)
     */
    ScrapeRenderer(final PrometheusRegistry registry, final Executor executor, final Runnable wakeup)
    {
        this.handler = new PrometheusScrapeHandler(registry);
        this.executor = executor;
        this.wakeup = wakeup;
    }

    /** Renders {@code scrape} off this thread; it comes back from {@link #poll()} with its response filled in. */
    void submit(final Scrape scrape)
    {
        try
        {
            executor.execute(() -> render(scrape));
        }
        catch (final RejectedExecutionException ex)
        {
            scrape.fail(503);
            done.add(scrape);
        }
    }

    /** A rendered scrape, or null (any thread; the engine thread in practice). */
    Scrape poll()
    {
        return done.poll();
    }

    private void render(final Scrape scrape)
    {
        try
        {
            handler.handleRequest(scrape);
            if (scrape.status == 0)
            {
                scrape.fail(500);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            scrape.fail(500);
        }
        scrape.build();
        done.add(scrape);
        wakeup.run();
    }

    /**
     * One scrape: the request as the head said it (read by the renderer) and the response the handler wrote
     * (read by the engine thread after {@link #poll()}: the queue orders the writes before the reads).
     */
    static final class Scrape implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse
    {
        /** The connection slot that asked and its generation then: a stale answer is dropped. */
        final int slot;
        final long generation;
        private final RequestHead head;
        private final Map<String, String> responseHeaders = new LinkedHashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status;
        private byte[] response;

        Scrape(final int slot, final long generation, final RequestHead head)
        {
            this.slot = slot;
            this.generation = generation;
            this.head = head;
        }

        void fail(final int code)
        {
            status = code;
            responseHeaders.clear();
            body.reset();
        }

        int status()
        {
            return status;
        }

        /**
         * The whole response from what the handler set: its status and header fields (Content-Type,
         * Content-Encoding; not its Content-Length, which is said from the body, or for HEAD taken as the handler
         * announced it), and the body. A 5xx closes the connection.
         */
        void build()
        {
            final Map<String, String> headers = new LinkedHashMap<>(responseHeaders);
            final String announced = headers.remove("Content-Length");
            headers.remove("Transfer-Encoding");
            final byte[] bytes = body.toByteArray();
            final boolean headOnly = head.method().equals("HEAD");
            final long length = headOnly && announced != null && announced.matches("[0-9]{1,12}")
                ? Long.parseLong(announced) : bytes.length;
            final boolean close = head.closeRequested() || status >= 500;
            response = status >= 500 ? Response.text(status, null, "the scrape could not be rendered", false, true)
                : Response.bytes(status, headers, headOnly ? new byte[0] : bytes, length, close);
        }

        /** The response bytes ({@link #build()} made them). */
        byte[] response()
        {
            return response;
        }

        /** Whether the connection ends after this response. */
        boolean closes()
        {
            return head.closeRequested() || status >= 500;
        }

        @Override
        public PrometheusHttpRequest getRequest()
        {
            return this;
        }

        @Override
        public PrometheusHttpResponse getResponse()
        {
            return this;
        }

        @Override
        public void handleException(final IOException e) throws IOException
        {
            throw e;
        }

        @Override
        public void handleException(final RuntimeException e)
        {
            throw e;
        }

        @Override
        public void close()
        {
        }

        @Override
        public String getQueryString()
        {
            return head.query();
        }

        @Override
        public Enumeration<String> getHeaders(final String name)
        {
            final String value = switch (name.toLowerCase(java.util.Locale.ROOT))
            {
                case "accept" -> head.accept();
                case "accept-encoding" -> head.acceptEncoding();
                default -> null;
            };
            return value == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(value));
        }

        @Override
        public String getMethod()
        {
            return head.method();
        }

        @Override
        public String getRequestPath()
        {
            return head.path();
        }

        @Override
        public void setHeader(final String name, final String value)
        {
            responseHeaders.put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(final int statusCode, final int contentLength)
        {
            status = statusCode;
            return body;
        }

        @Override
        public String toString()
        {
            return head.method() + " " + head.path() + " -> " + status + " ("
                + new String(body.toByteArray(), 0, Math.min(body.size(), 40), StandardCharsets.UTF_8) + ")";
        }
    }
}
