package io.conntest.cli.run;

import io.conntest.cli.Main;
import io.conntest.cli.ui.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM (what Ctrl-C does too) stops a run cleanly: exit 0, the summary written, stdout pure JSON lines. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalStopTest
{
    @Test
    void sigtermIsACleanStopWithExitZero() throws Exception
    {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "--name", "r", "--listen", "tcp:127.0.0.1:" + port, "--ui", "json")
            .redirectError(ProcessBuilder.Redirect.PIPE).start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            final List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null)
            {
                lines.add(line);
                if (line.contains("\"event\":\"listening\""))
                {
                    // SIGTERM by pid (Process.destroy would also close our end of its pipes).
                    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
                }
            }
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), err);
            assertEquals("", err);
            for (final String l : lines)
            {
                JsonParser.object(l);
            }
            assertEquals("summary", JsonParser.object(lines.get(lines.size() - 1)).get("event"), lines.toString());
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    @Test
    void labStopsOnSigtermAndRemovesEverything() throws Exception
    {
        io.conntest.stack.testing.Privileges.assumeNetworkNamespaces();
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "lab", "--duration", "0", "--ui", "json").start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            int hellos = 0;
            String line;
            while ((line = out.readLine()) != null)
            {
                JsonParser.object(line);
                if (line.contains("\"event\":\"hello\"") && ++hellos == 6)
                {
                    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
                }
            }
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), err);
            assertEquals(6, hellos, "every pair said hello both ways before the stop");
            final Matcher ns = Pattern.compile("namespace (ct-lab-[0-9a-f]{8}) removed")
                .matcher(err);
            assertTrue(ns.find(), err);
            assertTrue(!io.conntest.tap.netns.NetworkNamespace.list().contains(ns.group(1)), "namespace gone");
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    @Test
    void aMissingLogDirectoryIsARuntimeFailure() throws IOException
    {
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        final int code = Main.run(new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8), false, "--name", "r", "--listen", "tcp:1",
            "--logfile", "/nonexistent-dir/conntest.log", "--ui", "text");
        final String message = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, code, message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("/nonexistent-dir/conntest.log"), message);
    }
}
