package io.conntest.cli.run;

import io.conntest.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exit status tells a script whether the peers were reached (issue 12 item 8): 3 with a line per peer when one
 * was never reached, 0 with {@code --ignore-unreached}, 0 when every peer was connected at the end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExitStatusRunTest
{
    /** A loopback port nothing listens on (bound, read, closed). */
    private static int closedPort() throws Exception
    {
        try (ServerSocket s = new ServerSocket())
        {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    @Test
    void aPeerNeverReachedExitsThreeWithALineNamingIt() throws Exception
    {
        final int port = closedPort();
        final CliRun run = new CliRun("--name", "lonely", "--connect", "tcp://127.0.0.1:" + port, "--duration", "2s",
            "--ui", "text");
        assertEquals(3, run.run(), run.out() + run.err());
        final String line = run.err().lines().filter(l -> l.contains("not reached")).findFirst().orElse("");
        assertTrue(line.startsWith("conntest: ") && line.contains("tcp://127.0.0.1:" + port), run.err());
    }

    @Test
    void ignoreUnreachedKeepsExitZero() throws Exception
    {
        final int port = closedPort();
        final CliRun run = new CliRun("--name", "monitor", "--connect", "udp://127.0.0.1:" + port, "--duration",
            "2s", "--ui", "text", "--ignore-unreached");
        assertEquals(0, run.run(), run.out() + run.err());
        assertTrue(run.err().lines().noneMatch(l -> l.contains("not reached")), run.err());
    }

    @Test
    void everyPeerConnectedExitsZero() throws Exception
    {
        final int port = closedPort();
        final CliRun server = new CliRun("--name", "receiver", "--listen", "tcp:127.0.0.1:" + port, "--duration",
            "6s", "--ui", "log");
        final Thread serverThread = new Thread(server::run, "receiver");
        serverThread.start();
        final CliRun sender = new CliRun("--name", "sender", "--connect", "tcp://127.0.0.1:" + port, "--duration",
            "3s", "--ui", "text");
        assertEquals(0, sender.run(), sender.out() + sender.err());
        serverThread.join(20_000);
        assertEquals(0, server.exitCode(), server.out() + server.err());
    }
}
