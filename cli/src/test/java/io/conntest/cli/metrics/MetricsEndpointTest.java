package io.conntest.cli.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint over HTTP on 127.0.0.1 (a free port): the Prometheus text format, and OpenMetrics when asked. */
class MetricsEndpointTest
{
    @Test
    void servesThePublishedSnapshotAsPrometheusTextAndOpenMetrics() throws IOException
    {
        final MetricsFeed feed = new MetricsFeed("alpha", "kernel");
        feed.onSnapshot(Rows.mesh(3));
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0,
            List.of(new ConnectionCollector(feed::latest))))
        {
            final String url = "http://127.0.0.1:" + endpoint.port() + "/metrics";
            final HttpURLConnection text = (HttpURLConnection)URI.create(url).toURL().openConnection();
            assertEquals(200, text.getResponseCode());
            assertTrue(text.getContentType().startsWith("text/plain; version=0.0.4"), text.getContentType());
            final Exposition e = Exposition.parse(body(text));
            assertEquals(3, e.find("conntest_connection_up", "instance_name", "alpha").size());
            assertEquals(1, e.value("conntest_connection_up", "peer_name", "peer-2", "peer_address", "10.0.0.12:1234"));

            final HttpURLConnection open = (HttpURLConnection)URI.create(url).toURL().openConnection();
            open.setRequestProperty("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertTrue(open.getContentType().startsWith("application/openmetrics-text"), open.getContentType());
            assertTrue(body(open).endsWith("# EOF\n"), "an OpenMetrics exposition ends with # EOF");
        }
    }

    @Test
    void anAddressInUseIsAnErrorThatSaysSo() throws IOException
    {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
            java.net.InetAddress.getByName("127.0.0.1")))
        {
            final UncheckedIOException ex = assertThrows(UncheckedIOException.class,
                () -> MetricsEndpoint.start("127.0.0.1", taken.getLocalPort(), List.of()));
            assertTrue(ex.getCause().getMessage().contains("in use"), ex.getCause().getMessage());
        }
    }

    private static String body(final HttpURLConnection connection) throws IOException
    {
        try (InputStream in = connection.getInputStream())
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
