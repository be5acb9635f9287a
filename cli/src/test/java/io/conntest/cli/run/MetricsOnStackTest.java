package io.conntest.cli.run;

import io.conntest.cli.CliRun;
import io.conntest.stack.testing.Await;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --metrics-on-stack}: an instance on its own stack on a TAP in a private namespace serves {@code /metrics}
 * on the stack's address, and the namespace's kernel scrapes it over the TAP: with plain HTTP from Java (both
 * formats, 404), {@code promtool check metrics} on what came back, a real Prometheus server scraping it, and hostile
 * clients (a head over 8 KiB, garbage, a slowloris stall, a flood of idle connections) that get their error and
 * the close while the instance's conntest session with a kernel peer carries on undisturbed. Uses the helpers of
 * {@link PrometheusScrapeTest}; only the Prometheus process started here is stopped, by its PID.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MetricsOnStackTest
{
    private static final int PORT = 1234;
    private static final int METRICS_PORT = 9464;
    private static final String STACK = "10.0.0.2";
    private static final int PROMETHEUS_PORT = 9090;

    @Test
    void theKernelScrapesTheStackOverTheTapAndHostileClientsDisturbNothing() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("promtool");
        Privileges.assumeCommand("prometheus");
        final Path dir = Files.createTempDirectory("conntest-metrics-on-stack");
        final NetworkNamespace ns = NetworkNamespace.create("ct-promstk");
        Process prometheus = null;
        Thread tap = null;
        Thread kernel = null;
        final List<Socket> idle = new ArrayList<>();
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.linkUp("lo");
            ns.addAddress("ct0", "10.0.0.1/24");
            final CliRun tapRun = new CliRun("--name", "ontap", "--tap", "ct0", "--ipv4", STACK + "/24", "--listen",
                "tcp:" + PORT, "--metrics-on-stack", Integer.toString(METRICS_PORT), "--duration", "24s", "--ui",
                "json");
            final CliRun kernelRun = new CliRun("--name", "onkernel", "--connect", "tcp://" + STACK + ":" + PORT
                + "?latency-interval=50ms", "--duration", "20s", "--ui", "json");
            tap = ns.newThread("ontap", tapRun::run);
            tap.start();
            tapRun.awaitLine(l -> l.contains("\"event\":\"listening\""), 10_000);
            kernel = ns.newThread("onkernel", kernelRun::run);
            kernel.start();

            // the kernel of the namespace scrapes the stack over the TAP
            final String url = "http://" + STACK + ":" + METRICS_PORT + "/metrics";
            final String[] text = new String[1];
            Await.until(() ->
            {
                text[0] = PrometheusScrapeTest.get(ns, url);
                return text[0].contains("conntest_latency_seconds{");
            }, 10_000, () -> "latency series at " + url + ":\n" + text[0] + tapRun.err());
            assertTrue(text[0].lines().anyMatch(l -> l.startsWith("conntest_connection_up{")
                && l.contains("peer_name=\"onkernel\"") && l.contains("stack=\"tap\"") && l.endsWith(" 1.0")), text[0]);
            assertTrue(text[0].contains("conntest_interface_counted_total{"), "the stack's own counters too");
            final Path scrape = dir.resolve("scrape.txt");
            Files.writeString(scrape, text[0]);
            final String lint = PrometheusScrapeTest.promtoolCheck(scrape);
            assertTrue(lint.startsWith("exit 0"), "promtool check metrics:\n" + lint + "\n" + text[0]);

            final String openMetrics = exchange(ns, "GET /metrics HTTP/1.1\r\nHost: " + STACK + "\r\nAccept: "
                + "application/openmetrics-text; version=1.0.0\r\nConnection: close\r\n\r\n", 5_000);
            assertTrue(openMetrics.startsWith("HTTP/1.1 200 OK\r\n"), openMetrics);
            assertTrue(openMetrics.contains("\r\nContent-Type: application/openmetrics-text"), openMetrics);
            assertTrue(openMetrics.endsWith("# EOF\n<EOF>"), "the whole body, then the close: " + tail(openMetrics));
            final String notFound = exchange(ns, "GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5_000);
            assertTrue(notFound.startsWith("HTTP/1.1 404 Not Found\r\n") && notFound.endsWith("<EOF>"), notFound);

            // hostile clients: each gets its error and the close
            final String huge = exchange(ns, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(9_000),
                5_000);
            assertTrue(huge.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), huge);
            assertTrue(huge.endsWith("<EOF>") || huge.endsWith("<RESET>"), huge);
            final String garbage = exchange(ns, "\u0000\u0001\u0002garbage\r\n\r\n", 5_000);
            assertTrue(garbage.startsWith("HTTP/1.1 400 Bad Request\r\n") && garbage.endsWith("<EOF>"), garbage);
            // twenty connections that send nothing (the last ones evict the first), then a stalled head
            for (int i = 0; i < 20; i++)
            {
                idle.add(ns.call(() -> open("")));
            }
            final Socket slowloris = ns.call(() -> open("GET /metrics HTTP/1.1\r\nHo"));
            // with them all open, a scrape is still answered (it takes the slot of the longest idle)
            Await.until(() -> PrometheusScrapeTest.get(ns, url).contains("conntest_latency_seconds{"), 10_000,
                () -> "a scrape beside the stalled and idle connections");
            final long stalledNs = System.nanoTime();
            final String timedOut = read(slowloris, 10_000);
            final long waitedMs = (System.nanoTime() - stalledNs) / 1_000_000;
            assertTrue(timedOut.startsWith("HTTP/1.1 408 Request Timeout\r\n") && timedOut.endsWith("<EOF>"),
                timedOut + " after " + waitedMs + " ms");

            // a real Prometheus scrapes the stack over the TAP
            prometheus = PrometheusScrapeTest.startPrometheus(ns, dir, STACK + ":" + METRICS_PORT);
            final Process started = prometheus;
            final String query = "http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/query?query=";
            final String up = "conntest_connection_up{job=\"conntest\",instance_name=\"ontap\",peer_name=\"onkernel\"}";
            Await.until(() -> PrometheusScrapeTest.result(ns, query + PrometheusScrapeTest.enc(up)).size() == 1,
                15_000, () -> up + " in Prometheus; prometheus alive " + started.isAlive() + ", its log:\n"
                    + PrometheusScrapeTest.log(dir));
            final Map<String, Object> series = PrometheusScrapeTest.result(ns, query + PrometheusScrapeTest.enc(up))
                .get(0);
            assertEquals(STACK + ":" + METRICS_PORT, ((Map<?, ?>)series.get("metric")).get("instance"));
            assertEquals(1.0, PrometheusScrapeTest.value(series), series.toString());

            // the conntest session went on through all of it: no reconnect, both ends stop cleanly
            kernel.join(30_000);
            tap.join(30_000);
            assertEquals(0, kernelRun.exitCode(), kernelRun.err());
            assertEquals(0, tapRun.exitCode(), tapRun.err());
            assertEquals(1, kernelRun.lines().stream().filter(l -> l.contains("\"event\":\"connected\"")).count(),
                kernelRun.out());
            assertFalse(kernelRun.out().contains("\"event\":\"reconnecting\""), kernelRun.out());
        }
        finally
        {
            for (final Socket s : idle)
            {
                s.close();
            }
            PrometheusScrapeTest.stop(prometheus);
            PrometheusScrapeTest.join(kernel);
            PrometheusScrapeTest.join(tap);
            ns.close();
            PrometheusScrapeTest.deleteTree(dir);
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    /** A connection to the endpoint (from the calling thread's namespace) that has sent {@code request}. */
    private static Socket open(final String request) throws IOException
    {
        final Socket s = new Socket();
        s.connect(new InetSocketAddress(STACK, METRICS_PORT), 2_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Sends {@code request} raw and reads what comes back until the close (see {@link #read}). */
    private static String exchange(final NetworkNamespace ns, final String request, final int timeoutMs)
    {
        return ns.call(() -> read(open(request), timeoutMs));
    }

    /**
     * What the socket receives until the server closes ({@code <EOF>} appended), resets ({@code <RESET>}) or
     * {@code timeoutMs} passes ({@code <TIMEOUT>}); the socket is closed after.
     */
    private static String read(final Socket s, final int timeoutMs) throws IOException
    {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        String end;
        try (s)
        {
            s.setSoTimeout(timeoutMs);
            final InputStream in = s.getInputStream();
            final byte[] buf = new byte[8192];
            while (true)
            {
                final int n = in.read(buf);
                if (n < 0)
                {
                    end = "<EOF>";
                    break;
                }
                got.write(buf, 0, n);
            }
        }
        catch (final SocketTimeoutException ex)
        {
            end = "<TIMEOUT>";
        }
        catch (final IOException ex)
        {
            end = "<RESET>";
        }
        return got.toString(StandardCharsets.ISO_8859_1) + end;
    }

    private static String tail(final String text)
    {
        return text.substring(Math.max(0, text.length() - 200));
    }
}
