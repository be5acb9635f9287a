package io.conntest.cli.metrics.http;

import io.conntest.cli.metrics.http.FakeTransport.FakeConnection;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The responder of {@code --metrics-on-stack} on a fake transport and a manual clock: scrapes in both formats,
 * keep-alive, pipelining, partial writes, and every bound against a hostile client (huge head, slowloris stall,
 * garbage, a client that never reads, a connection flood). Scrapes render on the test's thread (a direct executor)
 * or are held back (a queue the test runs) to show the engine thread never waits for them.
 */
class MetricsHttpServerTest
{
    private static final long S = 1_000_000_000L;
    private static final String SCRAPE = "GET /metrics HTTP/1.1\r\nHost: 10.0.0.2:9464\r\n\r\n";

    private final FakeTransport transport = new FakeTransport();
    private final List<Runnable> heldRenders = new ArrayList<>();
    private long now = 1_000 * S;

    private static PrometheusRegistry registry()
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("conntest_test_scrapes").help("a counter for the test").register(registry).inc(7);
        return registry;
    }

    private MetricsHttpServer server(final Executor executor)
    {
        final MetricsHttpServer server = new MetricsHttpServer(transport, "0.0.0.0", 9464, registry(), executor,
            new HttpLimits(4, 5 * S, 30 * S, 5 * S, 30 * S));
        server.start();
        assertEquals(9464, transport.listenedPort);
        return server;
    }

    private MetricsHttpServer direct()
    {
        return server(Runnable::run);
    }

    private MetricsHttpServer held()
    {
        return server(heldRenders::add);
    }

    /** The status lines of the responses the connection got, in order. */
    private static List<String> statusLines(final FakeConnection c)
    {
        return c.output().lines().filter(l -> l.startsWith("HTTP/1.1 ")).toList();
    }

    private static String body(final String response)
    {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static String header(final String response, final String name)
    {
        for (final String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n"))
        {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
            {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    @Test
    void aScrapeGetsThePrometheusTextFormatAndTheConnectionStaysOpen()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        c.send(SCRAPE, now);
        assertEquals("", c.output(), "nothing is written from inside the delivery: the render comes back via doWork");
        assertTrue(transport.wakeups > 0, "the renderer wakes the engine thread");
        assertTrue(server.doWork(now) > 0);
        final String response = c.output();
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", header(response, "Content-Type"));
        assertEquals(body(response).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1).length,
            Integer.parseInt(header(response, "Content-Length")));
        assertTrue(body(response).contains("conntest_test_scrapes_total 7.0"), response);
        assertTrue(header(response, "Date").endsWith(" GMT"), response);
        assertEquals(null, header(response, "Connection"), "HTTP/1.1 keep-alive");
        assertFalse(c.closed);

        c.send(SCRAPE, now + S);
        server.doWork(now + S);
        assertEquals(2, statusLines(c).size(), "a second scrape on the same connection");
        assertEquals(2, server.counted(MetricsHttpServer.Count.SCRAPES));
    }

    @Test
    void openMetricsWhenTheAcceptFieldAsksForIt()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        c.send("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text; version=1.0.0; "
            + "charset=utf-8,text/plain;version=0.0.4;q=0.5\r\n\r\n", now);
        server.doWork(now);
        final String response = c.output();
        assertTrue(header(response, "Content-Type").startsWith("application/openmetrics-text"), response);
        assertTrue(body(response).endsWith("# EOF\n"), response);
    }

    @Test
    void otherPathsAre404AndOtherMethods405WithoutClosing()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n", now);
        c.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", now);
        server.doWork(now);
        assertEquals(List.of("HTTP/1.1 404 Not Found", "HTTP/1.1 405 Method Not Allowed"), statusLines(c));
        assertTrue(c.output().contains("Allow: GET, HEAD\r\n"), c.output());
        assertFalse(c.closed);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        c.send(SCRAPE + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n" + SCRAPE, now);
        for (int i = 0; i < 3; i++)
        {
            server.doWork(now);
        }
        assertEquals(List.of("HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"), statusLines(c));
    }

    @Test
    void aBufferFullOfTinyPipelinedRequestsIsAnsweredOneAfterTheOther()
    {
        direct();
        final FakeConnection c = transport.accept(now);
        final String tiny = "GET /x HTTP/1.1\nHost:x\n\n";
        final int count = HttpLimits.MAX_HEAD_BYTES / tiny.length();
        c.send(tiny.repeat(count), now);
        assertEquals(count, statusLines(c).size(), "a 404 each, in a loop rather than nested calls");
        assertFalse(c.closed);
    }

    @Test
    void http10AndConnectionCloseEndTheConnectionAfterTheResponse()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection old = transport.accept(now);
        old.send("GET /metrics HTTP/1.0\r\n\r\n", now);
        server.doWork(now);
        assertTrue(old.output().startsWith("HTTP/1.1 200 OK"), old.output());
        assertEquals("close", header(old.output(), "Connection"));
        assertTrue(old.closed);
        final FakeConnection asked = transport.accept(now);
        asked.send("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", now);
        server.doWork(now);
        assertTrue(asked.closed);
    }

    @Test
    void headAnnouncesTheLengthWithoutTheBody()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection get = transport.accept(now);
        get.send(SCRAPE, now);
        server.doWork(now);
        final FakeConnection head = transport.accept(now);
        head.send("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n", now);
        server.doWork(now);
        assertEquals("", body(head.output()));
        assertEquals(header(get.output(), "Content-Length"), header(head.output(), "Content-Length"));
    }

    /** Whether {@code response} holds its whole head and as much body as it announced. */
    private static boolean complete(final String response)
    {
        final int end = response.indexOf("\r\n\r\n");
        return end >= 0 && body(response).length() >= Integer.parseInt(header(response, "Content-Length"));
    }

    @Test
    void aSlowReaderGetsTheResponseAsItMakesRoom()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        c.window = 10;
        c.send(SCRAPE, now);
        server.doWork(now);
        assertEquals(10, c.output().length());
        for (int i = 0; i < 1000 && !complete(c.output()); i++)
        {
            c.drain(25, now);
        }
        final String response = c.output();
        assertEquals(Integer.parseInt(header(response, "Content-Length")), body(response).length());
        assertFalse(c.closed);
    }

    @Test
    void aHeadLongerThan8KiBGets431AndTheClose()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        c.send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(HttpLimits.MAX_HEAD_BYTES), now);
        server.doWork(now);
        assertTrue(c.output().startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), c.output());
        assertEquals("close", header(c.output(), "Connection"));
        assertTrue(c.closed);
        // the same, a little at a time
        final FakeConnection slow = transport.accept(now);
        slow.send("GET /metrics HTTP/1.1\r\n", now);
        for (int i = 0; i < 1000 && !slow.closed; i++)
        {
            slow.send("X-" + i + ": " + "b".repeat(60) + "\r\n", now);
        }
        assertTrue(slow.output().startsWith("HTTP/1.1 431 "), slow.output());
        assertTrue(slow.closed);
    }

    @Test
    void garbageGets400AndTheClose()
    {
        final MetricsHttpServer server = direct();
        for (final String garbage : new String[] {"\u0000\u0001\u0002\r\n\r\n", "GET\r\n\r\n",
            "GET /metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET metrics HTTP/1.1\r\nHost: x\r\n\r\n", "GET /metrics HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "\r\n\r\n"})
        {
            final FakeConnection c = transport.accept(now);
            c.send(garbage, now);
            server.doWork(now);
            assertTrue(c.output().startsWith("HTTP/1.1 400 Bad Request\r\n"), garbage + " -> " + c.output());
            assertTrue(c.closed, garbage);
        }
        final FakeConnection version = transport.accept(now);
        version.send("GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n", now);
        assertTrue(version.output().startsWith("HTTP/1.1 505 "), version.output());
        final FakeConnection chunked = transport.accept(now);
        chunked.send("GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", now);
        assertTrue(chunked.output().startsWith("HTTP/1.1 501 "), chunked.output());
        final FakeConnection body = transport.accept(now);
        body.send("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", now);
        assertTrue(body.output().startsWith("HTTP/1.1 413 "), body.output());
        assertEquals(11, server.counted(MetricsHttpServer.Count.BAD_REQUESTS));
    }

    @Test
    void aStalledHeadGets408AtItsDeadlineAndAnIdleConnectionIsClosedQuietly()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection slowloris = transport.accept(now);
        slowloris.send("GET /metrics HTTP/1.1\r\nHo", now);
        final FakeConnection idle = transport.accept(now);
        idle.send(SCRAPE, now);
        server.doWork(now);
        assertEquals(now + 5 * S, server.nextDeadlineNs(), "the stalled head's deadline comes first");
        slowloris.send("s", now + 4 * S);
        server.doWork(now + 5 * S - 1);
        assertFalse(slowloris.closed, "a byte now and then does not extend the head's deadline, which has not come");
        server.doWork(now + 5 * S);
        assertTrue(slowloris.output().startsWith("HTTP/1.1 408 Request Timeout\r\n"), slowloris.output());
        assertTrue(slowloris.closed);
        assertFalse(idle.closed, "the keep-alive connection waits up to its idle timeout");
        server.doWork(now + 30 * S);
        assertTrue(idle.closed);
        assertEquals(1, statusLines(idle).size(), "closed without a word");
        assertEquals(Long.MAX_VALUE, server.nextDeadlineNs());
    }

    @Test
    void aClientThatNeverReadsIsCutOffAtTheSendDeadline()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        c.window = 0;
        c.send(SCRAPE, now);
        server.doWork(now);
        assertFalse(c.closed);
        server.doWork(now + 30 * S);
        assertTrue(c.closed);
        assertEquals(1, server.counted(MetricsHttpServer.Count.TIMED_OUT));
    }

    @Test
    void theEngineThreadNeverWaitsForARenderAndAStuckOneGets503()
    {
        final MetricsHttpServer server = held();
        final FakeConnection c = transport.accept(now);
        c.send(SCRAPE, now);
        assertEquals(0, server.doWork(now), "nothing to send until the render comes back");
        assertEquals(1, heldRenders.size());
        server.doWork(now + 5 * S);
        assertTrue(c.output().startsWith("HTTP/1.1 503 Service Unavailable\r\n"), c.output());
        assertTrue(c.closed);
        heldRenders.remove(0).run();
        server.doWork(now + 6 * S);
        assertEquals(1, statusLines(c).size(), "the late render has nobody to go to and is dropped");
    }

    @Test
    void aRenderForAConnectionClosedMeanwhileIsDropped()
    {
        final MetricsHttpServer server = held();
        final FakeConnection gone = transport.accept(now);
        gone.send(SCRAPE, now);
        gone.closeByClient(now);
        final FakeConnection next = transport.accept(now);
        next.send(SCRAPE, now);
        for (final Runnable render : heldRenders)
        {
            render.run();
        }
        server.doWork(now);
        assertEquals("", gone.output());
        assertEquals(1, statusLines(next).size());
    }

    @Test
    void aFloodOfConnectionsEvictsTheLongestWaitingAndNeverTheAnswered()
    {
        final MetricsHttpServer server = held();
        final List<FakeConnection> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            stalled.add(transport.accept(now + i));
        }
        // a fifth takes the slot of the one that waited longest for a request
        final FakeConnection fifth = transport.accept(now + 10);
        assertTrue(stalled.get(0).closed);
        assertFalse(stalled.get(1).closed);
        assertEquals(1, server.counted(MetricsHttpServer.Count.EVICTED));
        // once every slot is answering a scrape, a new connection is refused at once
        fifth.send(SCRAPE, now + 11);
        for (int i = 1; i < 4; i++)
        {
            stalled.get(i).send(SCRAPE, now + 11);
        }
        final FakeConnection refused = transport.accept(now + 12);
        assertTrue(refused.closed);
        refused.send(SCRAPE, now + 12);
        assertEquals("", refused.output());
        assertEquals(1, server.counted(MetricsHttpServer.Count.REFUSED));
        heldRenders.forEach(Runnable::run);
        server.doWork(now + 13);
        assertEquals(1, statusLines(fifth).size());
    }

    @Test
    void closingTheServerClosesItsConnections()
    {
        final MetricsHttpServer server = direct();
        final FakeConnection c = transport.accept(now);
        server.close();
        assertTrue(c.closed);
        assertEquals(null, transport.acceptHandler);
    }

    /**
     * What a scrape costs the engine thread: parsing the head and copying out the response the render thread made
     * (here 400 series, about 30 KB). Printed, not asserted (no timed assertions); the render itself is on its
     * own thread and is {@code ScrapeCostTest}'s figure.
     */
    @Test
    void theEngineThreadsShareOfAScrapeIsTheHeadAndTheCopy()
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        final Counter counter = Counter.builder().name("conntest_test_bytes").help("bytes").labelNames("peer", "way")
            .register(registry);
        for (int i = 0; i < 200; i++)
        {
            counter.labelValues("peer-" + i, "up").inc(i);
            counter.labelValues("peer-" + i, "down").inc(i);
        }
        final MetricsHttpServer server = new MetricsHttpServer(transport, "0.0.0.0", 9464, registry,
            heldRenders::add, HttpLimits.defaults());
        server.start();
        final FakeConnection c = transport.accept(now);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final int scrapes = 2_000;
        long engineNs = 0;
        long engineBytes = 0;
        c.send(SCRAPE, now);
        heldRenders.remove(0).run();
        server.doWork(now);
        final String first = c.output();
        assertTrue(first.startsWith("HTTP/1.1 200 OK") && first.length() > 20_000, first.substring(0, 200));
        c.record = false;
        for (int i = 0; i < scrapes; i++)
        {
            final long t0 = System.nanoTime();
            final long b0 = threads.getThreadAllocatedBytes(thread);
            c.send(SCRAPE, now);
            final long t1 = System.nanoTime();
            final long b1 = threads.getThreadAllocatedBytes(thread);
            heldRenders.remove(0).run();
            final long t2 = System.nanoTime();
            final long b2 = threads.getThreadAllocatedBytes(thread);
            server.doWork(now);
            if (i >= scrapes / 2)
            {
                engineNs += t1 - t0 + System.nanoTime() - t2;
                engineBytes += b1 - b0 + threads.getThreadAllocatedBytes(thread) - b2;
            }
        }
        assertEquals((scrapes + 1L) * first.length(), c.writtenBytes, "every scrape answered whole");
        System.out.printf("metrics on the stack: engine thread per scrape of %d B: %.1f us, %d B allocated%n",
            first.length(), engineNs / 1e3 / (scrapes / 2), engineBytes / (scrapes / 2));
    }

    @Test
    void aCycleWithOpenIdleConnectionsAllocatesNothing()
    {
        final MetricsHttpServer server = direct();
        for (int i = 0; i < 4; i++)
        {
            transport.accept(now).send(SCRAPE, now);
            server.doWork(now);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sink += server.doWork(now + i) + server.nextDeadlineNs();
        }
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++)
        {
            sink += server.doWork(now + i) + server.nextDeadlineNs();
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(sink != 0);
        // a few hundred bytes of JIT and bookkeeping noise are tolerated (as in the stack's allocation tests);
        // one object per cycle would be over a megabyte
        assertTrue(allocated < 4096, allocated + " bytes allocated by 100,000 idle cycles");
    }
}
