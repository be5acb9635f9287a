package io.conntest.cli.report;

import io.conntest.cli.CliRun;
import io.conntest.stack.testing.Await;
import io.conntest.stack.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: two instances on kernel sockets over 127.0.0.1 (in this JVM) record a 6-second run with
 * {@code --ui json --logfile}; {@code conntest report} makes the page; headless Chromium loads it from the file
 * (network features off, a fresh profile), takes a screenshot (kept as cli/target/report-chromium.png) and dumps
 * the DOM: the page loaded without a console error, its SVGs are in the DOM, and the screenshot is not blank.
 * Skipped when chromium is missing (failing under CI=true).
 */
class ReportChromiumTest
{
    private static final long CHROMIUM_TIMEOUT_S = 60;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void chromiumRendersTheReportOfARecordedRun() throws Exception
    {
        Privileges.assumeCommand("chromium");
        final Path run = record();
        final Path html = dir.resolve("report.html");
        final CliRun report = new CliRun("report", run.toString(), "-o", html.toString());
        assertEquals(0, report.run(), report::err);
        assertEquals("", report.err(), "a clean recording: nothing skipped");
        final String page = Files.readString(html, StandardCharsets.UTF_8);
        // two rows each side (TCP and UDP): latency and throughput each, UDP loss for the UDP rows
        final int plots = ReportPageAssertions.selfContainedWithPlots(page);
        assertTrue(plots >= 10, "plots: " + plots);

        final Path png = Path.of("target", "report-chromium.png").toAbsolutePath();
        Files.deleteIfExists(png);
        final String log = chromium(html, "--screenshot=" + png, "--window-size=1280,2000", "--enable-logging=stderr",
            "--v=0");
        assertFalse(log.contains("Uncaught") || log.contains(":CONSOLE("), "no console error:\n" + log);
        assertTrue(Files.size(png) > 20_000, "a screenshot of some size: " + Files.size(png));
        assertTrue(colours(png) > 16, "not blank: more than a few colours");

        final String dom = chromium(html, "--dump-dom");
        assertEquals(plots, ReportPageAssertions.svgs(dom).size(), "every SVG in the DOM Chromium built");
        assertTrue(dom.contains("<table class=\"summary\">"));
    }

    /** Records a receiver and a sender (TCP and UDP, bandwidth tests) into one JSON-lines file. */
    private Path record() throws Exception
    {
        final int port = freePort();
        final Path receiverLog = dir.resolve("receiver.jsonl");
        final Path senderLog = dir.resolve("sender.jsonl");
        final CliRun receiver = new CliRun("--name", "receiver", "--listen", "tcp:127.0.0.1:" + port, "--listen",
            "udp:127.0.0.1:" + port, "--duration", "7s", "--ui", "json", "--interval", "500ms", "--logfile",
            receiverLog.toString());
        final CliRun sender = new CliRun("--name", "sender",
            "--connect", "tcp://127.0.0.1:" + port + "?monitor-bandwidth&packet-size=64kb&bandwidth-bytes=4mb",
            "--connect", "udp://127.0.0.1:" + port + "?monitor-bandwidth&packet-size=1400&bandwidth-bytes=1mb",
            "--duration", "6s", "--ui", "json", "--interval", "500ms", "--logfile", senderLog.toString());
        final Thread r = new Thread(receiver::run, "receiver");
        r.start();
        // with --logfile the lines go to the file, not stdout
        Await.until(() -> logged(receiverLog).lines().anyMatch(l -> l.contains("\"event\":\"listening\"")
            && l.contains("\"protocol\":\"udp\"")), 5000, () -> "the receiver listening: " + receiver.err());
        final Thread s = new Thread(sender::run, "sender");
        s.start();
        s.join(30_000);
        r.join(30_000);
        assertFalse(s.isAlive() || r.isAlive(), "both instances stopped");
        assertEquals(0, sender.exitCode(), sender::err);
        final Path run = dir.resolve("run.jsonl");
        Files.write(run, Files.readAllBytes(senderLog));
        Files.write(run, Files.readAllBytes(receiverLog), java.nio.file.StandardOpenOption.APPEND);
        return run;
    }

    /** Runs headless Chromium on the page (bounded in time, killed by PID with its children) and returns its output. */
    private String chromium(final Path html, final String... extra) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir,
                "profile")));
        command.addAll(List.of(extra));
        command.add(html.toUri().toString());
        final Path output = Files.createTempFile(dir, "chromium", ".out");
        final Path errors = Files.createTempFile(dir, "chromium", ".err");
        final Process chromium = new ProcessBuilder(command).redirectOutput(output.toFile())
            .redirectError(errors.toFile()).start();
        if (!chromium.waitFor(CHROMIUM_TIMEOUT_S, TimeUnit.SECONDS))
        {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + CHROMIUM_TIMEOUT_S + " s: "
                + Files.readString(errors));
        }
        final String err = Files.readString(errors);
        assertEquals(0, chromium.exitValue(), err);
        return Files.readString(output) + err;
    }

    private static int colours(final Path png) throws IOException
    {
        final BufferedImage image = ImageIO.read(new File(png.toString()));
        final Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3)
        {
            for (int x = 0; x < image.getWidth(); x += 3)
            {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static String logged(final Path log)
    {
        try
        {
            return Files.exists(log) ? Files.readString(log) : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
