package io.conntest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.cli.CliRun;

/**
 * A listener on a port another socket holds is an error, for TCP and UDP alike: one line naming the port, exit 1,
 * at once (it used to retry every second and exit 0; a second UDP listener even started and took the traffic).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PortInUseRunTest
{
    @Test
    void tcpPortInUseExitsOneWithOneLine() throws Exception
    {
        try (ServerSocket holder = new ServerSocket())
        {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertFailsFast("tcp:127.0.0.1:" + holder.getLocalPort(), "tcp 127.0.0.1:" + holder.getLocalPort());
        }
    }

    @Test
    void udpPortInUseExitsOneWithOneLine() throws Exception
    {
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            assertFailsFast("udp:127.0.0.1:" + holder.getLocalPort(), "udp 127.0.0.1:" + holder.getLocalPort());
        }
    }

    private static void assertFailsFast(final String listen, final String named)
    {
        final CliRun run = new CliRun("--name", "second", "--listen", listen, "--duration", "30s", "--ui", "log");
        final long start = System.nanoTime();
        assertEquals(1, run.run(), run.out() + run.err());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "stopped at once, not after --duration");
        final String err = run.err();
        assertTrue(err.contains(named) && err.contains("port in use"), err);
        assertEquals(1, err.lines().filter(l -> l.contains("port in use")).count(), "one line: " + err);
        assertEquals(1, err.split("cannot listen", -1).length - 1, "named once: " + err);
    }
}
