package io.conntest.cli.run;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Await;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --metrics} scraped by a real Prometheus server (Debian's {@code prometheus}), all inside a private network
 * namespace on its loopback: three instances on kernel sockets, each with its own endpoint, {@code alpha} and
 * {@code gamma} connected to {@code beta} (alpha over TCP and UDP, gamma over TCP); Prometheus scrapes all three
 * every second as one job (a fleet), and the test asks Prometheus's HTTP API until the series of every instance are
 * there with the right labels and plausible values. {@code promtool check metrics} must pass
 * on a scrape of the endpoint. Only the Prometheus process started here is stopped, by its PID.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrometheusScrapeTest
{
    private static final int PORT = 1234;
    private static final int METRICS_PORT = 9464;
    private static final int PROMETHEUS_PORT = 9090;
    private static final String RUN_FOR = "14s";

    @Test
    void prometheusScrapesTheSeriesOfEveryPeerWithTheirLabels() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("prometheus");
        Privileges.assumeCommand("promtool");
        final Path dir = Files.createTempDirectory("conntest-prometheus");
        final NetworkNamespace ns = NetworkNamespace.create("ct-prom");
        Process prometheus = null;
        Thread beta = null;
        Thread alpha = null;
        Thread gamma = null;
        try
        {
            ns.linkUp("lo");
            final CliRun betaRun = new CliRun("--name", "beta", "--listen", "tcp:127.0.0.1:" + PORT, "--listen",
                "udp:127.0.0.1:" + PORT, "--metrics", "127.0.0.1:" + (METRICS_PORT + 1), "--duration", RUN_FOR,
                "--ui", "json");
            final CliRun gammaRun = new CliRun("--name", "gamma",
                "--connect", "tcp://127.0.0.1:" + PORT + "?latency-interval=100ms",
                "--metrics", "127.0.0.1:" + (METRICS_PORT + 2), "--duration", RUN_FOR, "--ui", "json");
            final CliRun alphaRun = new CliRun("--name", "alpha",
                "--connect", "tcp://127.0.0.1:" + PORT + "?monitor-bandwidth&bandwidth-bytes=1mb&latency-interval=100ms",
                "--connect", "udp://127.0.0.1:" + PORT + "?latency-interval=100ms",
                "--metrics", "127.0.0.1:" + METRICS_PORT, "--duration", RUN_FOR, "--ui", "json");
            beta = ns.newThread("beta", betaRun::run);
            beta.start();
            betaRun.awaitLine(l -> l.contains("\"event\":\"listening\"") && l.contains("\"protocol\":\"udp\""), 5_000);
            alpha = ns.newThread("alpha", alphaRun::run);
            alpha.start();
            gamma = ns.newThread("gamma", gammaRun::run);
            gamma.start();

            // The endpoint itself: promtool's lint of what it serves once both peers are connected.
            final String metricsUrl = "http://127.0.0.1:" + METRICS_PORT + "/metrics";
            Await.until(() -> get(ns, metricsUrl).contains("conntest_latency_seconds{"), 10_000,
                () -> "latency series at " + metricsUrl + ":\n" + alphaRun.err());
            final Path scrape = dir.resolve("scrape.txt");
            Files.writeString(scrape, get(ns, metricsUrl));
            final String lint = promtoolCheck(scrape);
            assertTrue(lint.startsWith("exit 0"), "promtool check metrics:\n" + lint + "\n" + Files.readString(scrape));

            prometheus = startPrometheus(ns, dir, "127.0.0.1:" + METRICS_PORT, "127.0.0.1:" + (METRICS_PORT + 1),
                "127.0.0.1:" + (METRICS_PORT + 2));
            final Process started = prometheus;
            final String query = "http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/query?query=";
            final String up = "conntest_connection_up{job=\"conntest\",instance_name=\"alpha\",peer_name=\"beta\"}";
            Await.until(() -> result(ns, query + enc(up)).size() == 2, 15_000,
                () -> "both of alpha's peers in Prometheus (" + up + "); prometheus alive " + started.isAlive()
                    + ", its log:\n" + log(dir));
            for (final Map<String, Object> series : result(ns, query + enc(up)))
            {
                final Map<?, ?> labels = (Map<?, ?>)series.get("metric");
                assertEquals("out", labels.get("direction"), series.toString());
                assertEquals("kernel", labels.get("stack"), series.toString());
                assertEquals("127.0.0.1:" + PORT, labels.get("peer_address"), series.toString());
                assertEquals("127.0.0.1:" + METRICS_PORT, labels.get("instance"), "Prometheus's own target label");
                assertTrue(labels.get("protocol").equals("tcp") || labels.get("protocol").equals("udp"), series.toString());
                assertEquals(1.0, value(series), series.toString());
            }
            final String p50 = "conntest_latency_seconds{instance_name=\"alpha\",load=\"idle\",quantile=\"0.5\"}";
            Await.until(() -> result(ns, query + enc(p50)).size() == 2, 5_000, () -> p50 + " for both peers");
            for (final Map<String, Object> series : result(ns, query + enc(p50)))
            {
                final double seconds = value(series);
                assertTrue(seconds > 0 && seconds < 0.05, "one-way latency on loopback: " + series);
            }
            final String sent = "conntest_sent_bytes_total{instance_name=\"alpha\",protocol=\"tcp\"}";
            assertTrue(value(result(ns, query + enc(sent)).get(0)) > 0, sent);
            final String bandwidth = "conntest_bandwidth_last_bits_per_second{instance_name=\"alpha\",way=\"up\"}";
            Await.until(() -> !result(ns, query + enc(bandwidth)).isEmpty(), 10_000, () -> bandwidth);
            assertTrue(value(result(ns, query + enc(bandwidth)).get(0)) > 1e6, "over 1 Mbit/s on loopback");

            // the fleet: beta sees both peers (incoming), gamma its one; every target is up for Prometheus
            final String betaUp = "conntest_connection_up{job=\"conntest\",instance_name=\"beta\",direction=\"in\"}";
            Await.until(() -> result(ns, query + enc(betaUp)).size() == 3, 10_000,
                () -> "beta's three incoming connections: " + result(ns, query + enc(betaUp)));
            final String gammaUp = "conntest_connection_up{job=\"conntest\",instance_name=\"gamma\",peer_name=\"beta\"}";
            Await.until(() -> result(ns, query + enc(gammaUp)).size() == 1, 10_000, () -> gammaUp);
            assertEquals(1.0, value(result(ns, query + enc(gammaUp)).get(0)));
            final String targets = "up{job=\"conntest\"}";
            Await.until(() -> result(ns, query + enc(targets)).stream().filter(t -> value(t) == 1.0).count() == 3,
                10_000, () -> "three targets up: " + result(ns, query + enc(targets)));

            alpha.join(30_000);
            beta.join(30_000);
            gamma.join(30_000);
            assertEquals(0, alphaRun.exitCode(), alphaRun.err());
            assertEquals(0, betaRun.exitCode(), betaRun.err());
            assertEquals(0, gammaRun.exitCode(), gammaRun.err());
        }
        finally
        {
            stop(prometheus);
            join(alpha);
            join(beta);
            join(gamma);
            ns.close();
            deleteTree(dir);
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    /**
     * With {@code --tap} the endpoint still runs on the kernel's sockets (the namespace's loopback here) and adds
     * the own stack's interface counters: every drop reason and every other count, which promtool accepts.
     */
    @Test
    void anInstanceOnTheOwnStackExposesItsInterfaceCounters() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("promtool");
        final Path dir = Files.createTempDirectory("conntest-metrics-tap");
        final NetworkNamespace ns = NetworkNamespace.create("ct-promtap");
        Thread tap = null;
        Thread kernel = null;
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.linkUp("lo");
            ns.addAddress("ct0", "10.0.0.1/24");
            final CliRun tapRun = new CliRun("--name", "ontap", "--tap", "ct0", "--ipv4", "10.0.0.2/24", "--listen",
                "tcp:" + PORT, "--metrics", "127.0.0.1:" + METRICS_PORT, "--duration", "6s", "--ui", "json");
            final CliRun kernelRun = new CliRun("--name", "onkernel", "--connect", "tcp://10.0.0.2:" + PORT
                + "?latency-interval=50ms", "--duration", "5s", "--ui", "json");
            tap = ns.newThread("ontap", tapRun::run);
            tap.start();
            tapRun.awaitLine(l -> l.contains("\"event\":\"listening\""), 10_000);
            kernel = ns.newThread("onkernel", kernelRun::run);
            kernel.start();
            final String url = "http://127.0.0.1:" + METRICS_PORT + "/metrics";
            final String[] text = new String[1];
            Await.until(() ->
            {
                text[0] = get(ns, url);
                return text[0].contains("conntest_latency_seconds{");
            }, 10_000, () -> "latency series at " + url + ":\n" + text[0] + tapRun.err());
            final io.conntest.stack.iface.InterfaceCounter[] all4 = io.conntest.stack.iface.InterfaceCounter.values();
            final io.conntest.stack.ipv6.Ipv6Counter[] all6 = io.conntest.stack.ipv6.Ipv6Counter.values();
            final long drops = java.util.Arrays.stream(all4).filter(io.conntest.stack.iface.InterfaceCounter::isDrop)
                .count() + java.util.Arrays.stream(all6).filter(io.conntest.stack.ipv6.Ipv6Counter::isDrop).count();
            final int allLength = all4.length + all6.length;
            final List<String> lines = text[0].lines().toList();
            assertEquals(drops, lines.stream().filter(l -> l.startsWith("conntest_interface_drops_total{")).count(),
                "one series per drop reason");
            assertEquals(allLength - drops,
                lines.stream().filter(l -> l.startsWith("conntest_interface_counted_total{")).count());
            final String rx = lines.stream().filter(l -> l.startsWith("conntest_interface_counted_total{")
                && l.contains("counter=\"rx_frames\"")).findFirst().orElseThrow();
            assertTrue(rx.contains("instance_name=\"ontap\"") && rx.contains("stack=\"tap\""), rx);
            assertTrue(Double.parseDouble(rx.substring(rx.lastIndexOf(' ') + 1)) > 0, rx);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("conntest_connection_up{")
                && l.contains("direction=\"in\"") && l.contains("peer_name=\"onkernel\"")
                && l.contains("stack=\"tap\"") && l.endsWith(" 1.0")), text[0]);
            final Path scrape = dir.resolve("scrape.txt");
            Files.writeString(scrape, text[0]);
            final String lint = promtoolCheck(scrape);
            assertTrue(lint.startsWith("exit 0"), "promtool check metrics:\n" + lint + "\n" + text[0]);
            kernel.join(30_000);
            tap.join(30_000);
            assertEquals(0, tapRun.exitCode(), tapRun.err());
        }
        finally
        {
            join(kernel);
            join(tap);
            ns.close();
            deleteTree(dir);
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    /**
     * {@code conntest probe --metrics}: an open and a closed port scanned every second, the last scan's results
     * served for Prometheus (promtool accepts them), three scans, then the command ends with the scan's verdict.
     */
    @Test
    void probeServesTheLastScansResults() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("promtool");
        final Path dir = Files.createTempDirectory("conntest-metrics-probe");
        final NetworkNamespace ns = NetworkNamespace.create("ct-promprb");
        java.net.ServerSocket open = null;
        Thread probe = null;
        try
        {
            ns.linkUp("lo");
            open = ns.call(() -> new java.net.ServerSocket(7001, 50, java.net.InetAddress.getByName("127.0.0.1")));
            final CliRun run = new CliRun("probe", "127.0.0.1", "T:7001-7002", "--timeout", "300ms", "--metrics",
                "127.0.0.1:" + METRICS_PORT, "--every", "1s", "--scans", "3", "--ui", "json");
            probe = ns.newThread("probe", run::run);
            probe.start();
            final String url = "http://127.0.0.1:" + METRICS_PORT + "/metrics";
            final String[] text = new String[1];
            Await.until(() ->
            {
                text[0] = get(ns, url);
                return text[0].contains("conntest_probe_port_state{");
            }, 10_000, () -> "probe series at " + url + ":\n" + text[0] + run.err());
            final List<String> lines = text[0].lines().toList();
            assertTrue(lines.contains("conntest_probe_port_state{address=\"127.0.0.1\",port=\"7001\",protocol=\"tcp\","
                + "target=\"127.0.0.1\",conntest_probe_port_state=\"open\"} 1"), text[0]);
            assertTrue(lines.contains("conntest_probe_port_state{address=\"127.0.0.1\",port=\"7002\",protocol=\"tcp\","
                + "target=\"127.0.0.1\",conntest_probe_port_state=\"closed\"} 1"), text[0]);
            assertTrue(lines.contains("conntest_probe_ports{address=\"127.0.0.1\",state=\"open\",target=\"127.0.0.1\"} 1.0"),
                text[0]);
            final Path scrape = dir.resolve("scrape.txt");
            Files.writeString(scrape, text[0]);
            final String lint = promtoolCheck(scrape);
            assertTrue(lint.startsWith("exit 0"), "promtool check metrics:\n" + lint + "\n" + text[0]);
            probe.join(20_000);
            assertEquals(0, run.exitCode(), "a port is open: " + run.err());
            assertEquals(3, run.lines().stream().filter(l -> l.contains("\"event\":\"probe_start\"")).count(),
                run.out());
        }
        finally
        {
            join(probe);
            if (open != null)
            {
                open.close();
            }
            ns.close();
            deleteTree(dir);
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    /** {@code prometheus} in the namespace ({@code ip netns exec} execs it: the process is Prometheus itself). */
    /** {@code prometheus} in the namespace scraping the {@code targets} (HOST:PORT) every second, as one job. */
    static Process startPrometheus(final NetworkNamespace ns, final Path dir, final String... targets)
        throws IOException
    {
        final String target = String.join("', '", targets);
        final Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "scrape_configs:",
            "  - job_name: conntest",
            "    static_configs:",
            "      - targets: ['" + target + "']",
            ""));
        return new ProcessBuilder(NetworkNamespace.ipCommand(), "netns", "exec", ns.name(), "prometheus",
            "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT)
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    /** SIGTERM to the Prometheus started here, then SIGKILL if it has not ended in 10 s. */
    static void stop(final Process process) throws InterruptedException
    {
        if (process == null)
        {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** {@code promtool check metrics < file}: "exit N" and what it said. */
    static String promtoolCheck(final Path file) throws Exception
    {
        final Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
            .redirectErrorStream(true).start();
        final boolean ended = p.waitFor(20, TimeUnit.SECONDS);
        if (!ended)
        {
            p.destroyForcibly();
            return "exit timeout";
        }
        return "exit " + p.exitValue() + "\n" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** GET {@code url} from inside the namespace; "" when nothing answers yet. */
    static String get(final NetworkNamespace ns, final String url)
    {
        return ns.call(() ->
        {
            try
            {
                final HttpURLConnection c = (HttpURLConnection)URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1_000);
                c.setReadTimeout(2_000);
                try (InputStream in = c.getInputStream())
                {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            catch (final IOException ex)
            {
                return "";
            }
        });
    }

    /** The {@code data.result} vector of an instant query (empty while Prometheus is not up or has no sample). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> result(final NetworkNamespace ns, final String url)
    {
        final String body = get(ns, url);
        if (body.isEmpty())
        {
            return List.of();
        }
        final Map<String, Object> json = JsonParser.object(body);
        assertEquals("success", json.get("status"), body);
        return (List<Map<String, Object>>)((Map<String, Object>)json.get("data")).get("result");
    }

    /** An instant vector sample's value: {@code "value": [time, "1.5"]}. */
    static double value(final Map<String, Object> series)
    {
        return Double.parseDouble((String)((List<?>)series.get("value")).get(1));
    }

    static String enc(final String query)
    {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    static String log(final Path dir)
    {
        try
        {
            return Files.readString(dir.resolve("prometheus.log"));
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    static void join(final Thread t) throws InterruptedException
    {
        if (t != null)
        {
            t.join(30_000);
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
