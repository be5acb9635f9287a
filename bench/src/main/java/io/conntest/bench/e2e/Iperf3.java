package io.conntest.bench.e2e;

import io.conntest.bench.report.Metric;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iperf3 ↔ iperf3, one TCP flow over the veth pair between the two namespaces: the reference for what the
 * kernel's own TCP does on this machine. The server runs in the peer namespace for one test ({@code -1}); the
 * client in the lab namespace reports JSON, from which the receiver's goodput, the retransmissions and both
 * sides' CPU use are taken.
 */
public final class Iperf3
{
    private static final int PORT = 5201;
    /** Servers running now, killed by a shutdown hook if the JVM ends while one runs (Ctrl-C). */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
            "iperf3-cleanup"));
    }

    private Iperf3()
    {
    }

    /** Whether iperf3 is installed. */
    public static boolean available()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, "iperf3")))
            {
                return true;
            }
        }
        return false;
    }

    /** One run of {@code seconds} (after 1 s omitted as warm-up); {@code reverse} has the server send. */
    public static Map<Metric, Double> run(final Lab lab, final int seconds, final boolean reverse)
        throws IOException, InterruptedException
    {
        final NetworkNamespace peer = lab.peer();
        final Process server = new ProcessBuilder(NetworkNamespace.ipCommand(), "netns", "exec", peer.name(),
            "iperf3", "-s", "-1", "--forceflush", "-B", Lab.VETH_PEER_ADDRESS, "-p", Integer.toString(PORT))
            .redirectErrorStream(true).start();
        LIVE.add(server);
        try
        {
            awaitListening(server);
            final String[] command = reverse
                ? new String[] {"iperf3", "-c", Lab.VETH_PEER_ADDRESS, "-p", Integer.toString(PORT), "-t",
                    Integer.toString(seconds), "-O", "1", "-J", "-R"}
                : new String[] {"iperf3", "-c", Lab.VETH_PEER_ADDRESS, "-p", Integer.toString(PORT), "-t",
                    Integer.toString(seconds), "-O", "1", "-J"};
            final CommandResult result = lab.lab().execWithTimeout((seconds + 20) * 1000L, command);
            if (!result.ok())
            {
                throw new IllegalStateException("iperf3 client failed: " + result.output().strip());
            }
            return parse(result.output(), reverse);
        }
        finally
        {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS))
            {
                server.destroyForcibly();
            }
            LIVE.remove(server);
        }
    }

    private static void awaitListening(final Process server) throws InterruptedException
    {
        final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)))
            {
                // "Server listening on 5201" once its socket is bound; then keep the pipe empty until it ends.
                String line;
                while ((line = in.readLine()) != null)
                {
                    if (line.contains("listening"))
                    {
                        listening.countDown();
                    }
                }
            }
            catch (final IOException ignored)
            {
                // The server ended.
            }
        }, "iperf3-server-output");
        reader.setDaemon(true);
        reader.start();
        if (!listening.await(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("iperf3 server not listening after 10 s");
        }
    }

    /** Reads the client's JSON: goodput as received, retransmissions, CPU seconds per GB of each side. */
    static Map<Metric, Double> parse(final String json, final boolean reverse)
    {
        final String received = section(json, "\"sum_received\"");
        final String sent = section(json, "\"sum_sent\"");
        final String cpu = section(json, "\"cpu_utilization_percent\"");
        final double bitsPerSecond = number(received, "bits_per_second");
        final double bytes = number(received, "bytes");
        final double seconds = number(received, "seconds");
        final double host = number(cpu, "host_total");
        final double remote = number(cpu, "remote_total");
        final Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        metrics.put(Metric.GOODPUT_BPS, bitsPerSecond);
        final double gigabytes = bytes / 1e9;
        // Without -R the client (lab side) sends and the server (peer side) receives; -R swaps them. "Ours"
        // is the sender, "peer" the receiver, as in the stack scenarios that send.
        final double senderCpu = (reverse ? remote : host) / 100 * seconds / gigabytes;
        final double receiverCpu = (reverse ? host : remote) / 100 * seconds / gigabytes;
        metrics.put(Metric.CPU_S_PER_GB_OURS, senderCpu);
        metrics.put(Metric.CPU_S_PER_GB_PEER, receiverCpu);
        metrics.put(Metric.RETRANSMISSIONS, number(sent, "retransmits"));
        return metrics;
    }

    private static String section(final String json, final String key)
    {
        final int at = json.lastIndexOf(key);
        if (at < 0)
        {
            throw new IllegalStateException("iperf3 JSON has no " + key);
        }
        final int end = json.indexOf('}', at);
        return json.substring(at, end < 0 ? json.length() : end);
    }

    private static double number(final String section, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(section);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
