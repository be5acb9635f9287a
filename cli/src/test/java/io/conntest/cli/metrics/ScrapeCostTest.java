package io.conntest.cli.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one scrape costs with 10 peers: the collector over the published snapshot plus the client's text writer,
 * as the endpoint does it (without HTTP). Prints time and bytes allocated per scrape; no timed assertion (the
 * machine is shared), only that the exposition is whole.
 */
class ScrapeCostTest
{
    private static final int PEERS = 10;
    private static final int WARMUP = 2_000;
    private static final int MEASURED = 2_000;

    @Test
    void printsTimeAndAllocationPerScrapeWithTenPeers() throws IOException
    {
        final MetricsFeed feed = new MetricsFeed("alpha", "kernel");
        feed.onSnapshot(Rows.mesh(PEERS));
        final PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ConnectionCollector(feed::latest));
        final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
        for (int i = 0; i < WARMUP; i++)
        {
            out.reset();
            writer.write(out, registry.scrape());
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long bytesBefore = threads.getThreadAllocatedBytes(thread);
        final long startNs = System.nanoTime();
        for (int i = 0; i < MEASURED; i++)
        {
            out.reset();
            writer.write(out, registry.scrape());
        }
        final long ns = System.nanoTime() - startNs;
        final long bytes = threads.getThreadAllocatedBytes(thread) - bytesBefore;
        // the collector alone (what runs over the published snapshot), without the client's text writer
        final long collectBytesBefore = threads.getThreadAllocatedBytes(thread);
        final long collectStartNs = System.nanoTime();
        int points = 0;
        for (int i = 0; i < MEASURED; i++)
        {
            points += registry.scrape().size();
        }
        final long collectNs = System.nanoTime() - collectStartNs;
        final long collectBytes = threads.getThreadAllocatedBytes(thread) - collectBytesBefore;
        final int size = out.size();
        final int series = (int)out.toString().lines().filter(l -> !l.startsWith("#")).count();
        System.out.printf("scrape with %d peers: %d series, %d bytes of text, %.1f us and %d KB allocated per scrape"
            + " (of which the collector: %.1f us, %d KB; %d families)%n", PEERS, series, size, ns / 1e3 / MEASURED,
            bytes / MEASURED / 1024, collectNs / 1e3 / MEASURED, collectBytes / MEASURED / 1024, points / MEASURED);
        assertTrue(series > 30 * PEERS, "every peer's series: " + series);
    }
}
