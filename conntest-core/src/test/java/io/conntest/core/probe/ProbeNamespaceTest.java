package io.conntest.core.probe;

import io.conntest.stack.testing.Privileges;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel prober against a firewall: inside a private network namespace {@code ct-probe-<random>} with only its
 * loopback up and nftables rules that drop TCP 7003 and UDP 7005 on input and TCP 7007 and UDP 7008 on
 * output, a JVM started
 * with {@code ip netns exec} probes 127.0.0.1 (see {@link NamespaceProbeMain}). No packet leaves the namespace; the
 * namespace is removed afterwards, also on failure or when the JVM is stopped.
 */
class ProbeNamespaceTest
{
    private static final String RULES = String.join("\n",
        "table inet ctprobe {",
        "  chain input {",
        "    type filter hook input priority 0; policy accept;",
        "    tcp dport 7003 drop",
        "    udp dport 7005 drop",
        "  }",
        "  chain output {",
        "    type filter hook output priority 0; policy accept;",
        "    tcp dport 7007 drop",
        "    udp dport 7008 drop",
        "  }",
        "}",
        "");

    @Test
    void openClosedAndFilteredPortsBehindNftables() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        // A unique name, not a test input: helpers running at once must not collide.
        final String ns = "ct-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        final Thread cleanup = new Thread(() -> deleteNamespace(ns), "ct-probe-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        final Path out = Files.createTempFile("ct-probe", ".out");
        final Path err = Files.createTempFile("ct-probe", ".err");
        try
        {
            run(null, "ip", "netns", "add", ns);
            run(null, "ip", "-n", ns, "link", "set", "lo", "up");
            run(RULES, "ip", "netns", "exec", ns, "nft", "-f", "-");

            final String java = ProcessHandle.current().info().command().orElse("java");
            final Process probe = new ProcessBuilder("ip", "netns", "exec", ns, java, "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                NamespaceProbeMain.class.getName(), "7001", "7004", "T:7001-7003,7007,U:7004-7006,7008", "300")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!probe.waitFor(40, TimeUnit.SECONDS))
            {
                probe.destroyForcibly();
                probe.waitFor(5, TimeUnit.SECONDS);
            }
            final List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            final String diagnostics = "stdout " + lines + " stderr " + Files.readString(err);
            assertEquals(0, probe.exitValue(), diagnostics);

            final Map<String, String> results = new TreeMap<>();
            String done = null;
            for (final String line : lines)
            {
                if (line.startsWith("RESULT "))
                {
                    final String[] fields = line.split(" ", 3);
                    results.put(fields[1], fields[2]);
                }
                else if (line.startsWith("DONE "))
                {
                    done = line;
                }
            }
            assertEquals("open syn-ack 1 null", results.get("7001/tcp"), diagnostics);
            assertEquals("closed conn-refused 1 null", results.get("7002/tcp"), diagnostics);
            assertEquals("filtered no-response 1 null", results.get("7003/tcp"), diagnostics);
            // A SYN dropped on output still looks like silence to a non-blocking connect...
            assertEquals("filtered no-response 1 null", results.get("7007/tcp"), diagnostics);
            assertEquals("open udp-response 1 null", results.get("7004/udp"), diagnostics);
            assertEquals("open|filtered no-response 2 null", results.get("7005/udp"), diagnostics);
            assertEquals("closed port-unreach 1 null", results.get("7006/udp"), diagnostics);
            // ...but a datagram dropped on output fails its send with EPERM: the local firewall said no.
            final String dropped = String.valueOf(results.get("7008/udp"));
            assertTrue(dropped.startsWith("filtered admin-prohibited 1 local firewall:"), diagnostics);
            assertEquals(8, results.size(), diagnostics);
            assertEquals("DONE 0 COMPLETE 8", done, diagnostics);
        }
        finally
        {
            deleteNamespace(ns);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
        assertTrue(!namespaceExists(ns), "namespace " + ns + " removed");
    }

    private static void run(final String stdin, final String... command) throws IOException, InterruptedException
    {
        final File log = File.createTempFile("ct-probe-cmd", ".log");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log).start();
            if (stdin != null)
            {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0)
            {
                throw new AssertionError(String.join(" ", command) + " failed with " + process.exitValue() + ": "
                    + Files.readString(log.toPath()));
            }
        }
        finally
        {
            Files.deleteIfExists(log.toPath());
        }
    }

    private static boolean namespaceExists(final String ns)
    {
        return Files.exists(Path.of("/run/netns", ns));
    }

    private static void deleteNamespace(final String ns)
    {
        if (namespaceExists(ns))
        {
            try
            {
                new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
            }
            catch (final IOException | InterruptedException ex)
            {
                System.err.println("could not delete namespace " + ns + ": " + ex);
            }
        }
    }
}
