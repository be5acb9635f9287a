package io.conntest.cli;

import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smaller messages of issue 12: a write error on the log file is exit 1 with the errno's words (child JVMs, for
 * the real exit code), one hint per line, a packet size out of range says the range, {@code lab --pcap} without
 * {@code --stack-demo} is an error, an unwritable pcap path says why, and a {@code --connect} name is looked up at
 * every attempt and says so in words when it does not resolve.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MessagesTest
{
    /** Runs conntest in a child JVM; returns its exit code, stdout in out[0] and stderr in out[1]. */
    private static int child(final List<String> jvmOptions, final String[] out, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        final byte[][] streams = new byte[2][];
        final Thread errReader = new Thread(() ->
        {
            try
            {
                streams[1] = process.getErrorStream().readAllBytes();
            }
            catch (final IOException ex)
            {
                streams[1] = new byte[0];
            }
        });
        errReader.start();
        streams[0] = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child ends");
        errReader.join(5000);
        out[0] = new String(streams[0], StandardCharsets.UTF_8);
        out[1] = new String(streams[1], StandardCharsets.UTF_8);
        return process.exitValue();
    }

    private static long count(final String text, final String part)
    {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aLogFileThatCannotBeWrittenIsExitOneWithTheErrno() throws Exception
    {
        final String[] out = new String[2];
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final int free;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
            {
                free = s.getLocalPort();
            }
            final int code = child(List.of(), out, "--name", "r", "--listen", "tcp:127.0.0.1:" + free,
                "--duration", "1s", "--ui", "text", "--logfile", "/dev/full");
            assertEquals(1, code, out[1]);
            assertTrue(out[1].contains("cannot write log file /dev/full: no space left on device"), out[1]);
            final int probe = child(List.of(), out, "probe", "127.0.0.1", "-p", Integer.toString(open.getLocalPort()),
                "--logfile", "/dev/full");
            assertEquals(1, probe, "a port is open (0) but the report was lost: " + out[1]);
            assertTrue(out[1].contains("cannot write log file /dev/full: no space left on device"), out[1]);
        }
    }

    @Test
    void usageErrorsCarryOneHintAndAPacketSizeItsRange()
    {
        final CliRun noName = new CliRun("--listen", "tcp:1");
        assertEquals(2, noName.run());
        assertEquals(1, count(noName.err(), "(see "), noName.err());
        assertTrue(noName.err().contains("missing --name NAME"), noName.err());
        final CliRun size = new CliRun("--name", "a", "--connect", "tcp://127.0.0.1:1?packet-size=0");
        assertEquals(2, size.run());
        assertTrue(size.err().contains("bad packet size '0' (expected 1 to 67108864 over tcp)"), size.err());
        assertEquals(1, count(size.err(), "(see "), size.err());
        final CliRun udp = new CliRun("--name", "a", "--connect", "udp://127.0.0.1:1?packet-size=1mb");
        assertEquals(2, udp.run());
        assertTrue(udp.err().contains("(expected 1 to 65439 over udp)"), udp.err());
    }

    @Test
    void labPcapWithoutStackDemoIsAnError()
    {
        final CliRun lab = new CliRun("lab", "--pcap", "/tmp/conntest-lab.pcap");
        assertEquals(2, lab.run(), lab.out() + lab.err());
        assertTrue(lab.err().contains("--pcap needs --stack-demo"), lab.err());
        assertEquals("", lab.out());
    }

    @Test
    void anUnwritablePcapPathSaysWhy() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-msg");
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            final CliRun run = new CliRun("--name", "x", "--tap", "ct0", "--ipv4", "10.0.0.2/24", "--pcap",
                "/nonexistent-dir/x.pcap", "--listen", "tcp:7000", "--duration", "1s");
            assertEquals(1, (int)ns.call(run::run), run.err());
            assertTrue(run.err().contains("cannot write pcap file /nonexistent-dir/x.pcap: no such file or directory"),
                run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
        }
        finally
        {
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
    }

    @Test
    void aConnectNameIsLookedUpAtEveryAttemptAndANameThatDoesNotResolveSaysSo(@TempDir final Path dir)
        throws Exception
    {
        // The child JVM reads names from this file (jdk.net.hosts.file); it has no entry at first.
        final Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "# no peer.conntest.test yet\n");
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress()))
        {
            final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--name", "s", "--connect", "tcp://peer.conntest.test:" + server.getLocalPort(),
                "--duration", "6s", "--ui", "json").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final List<String> lines = new ArrayList<>();
            try (java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                boolean added = false;
                while ((line = reader.readLine()) != null)
                {
                    lines.add(line);
                    if (!added && line.contains("\"event\":\"connect_failed\""))
                    {
                        // the first attempt failed on the name: now it appears, and the next attempt must find it
                        added = true;
                        Files.writeString(hosts, "127.0.0.1 peer.conntest.test\n");
                    }
                }
            }
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            final String all = String.join("\n", lines);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"connect_failed\"")
                && l.contains("the name does not resolve")), all);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"connected\"")),
                "a later attempt looked the name up again: " + all);
            assertFalse(all.contains("UnresolvedAddressException"), all);
        }
    }
}
