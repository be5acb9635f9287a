package io.conntest.cli.run;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's two-instance run as a user would type it, over TCP and UDP at once, with JSON lines: in a private
 * namespace when root (loopback only), else on 127.0.0.1 with free ports. Checks latency and bandwidth figures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoInstanceRunTest
{
    @Test
    @SuppressWarnings("unchecked")
    void receiverAndSenderOverTcpAndUdpPrintJsonLinesWithFigures() throws Exception
    {
        final NetworkNamespace ns = Privileges.missing() == null ? NetworkNamespace.create("ct-cli") : null;
        try
        {
            final int port = ns != null ? 1234 : freePort();
            final CliRun receiver = new CliRun("--name", "receiver", "--listen", "tcp:127.0.0.1:" + port, "--listen",
                "udp:127.0.0.1:" + port, "--duration", "6s", "--ui", "json", "--interval", "500ms");
            final CliRun sender = new CliRun("--name", "sender",
                "--connect", "tcp://127.0.0.1:" + port + "?monitor-bandwidth&packet-size=64kb&bandwidth-bytes=4mb&verify",
                "--connect", "udp://127.0.0.1:" + port + "?monitor-bandwidth&packet-size=1400&bandwidth-bytes=1mb&verify",
                "--duration", "4s", "--ui", "json", "--interval", "500ms");
            final Thread r = thread(ns, "receiver", receiver);
            r.start();
            receiver.awaitLine(l -> l.contains("\"event\":\"listening\"") && l.contains("\"protocol\":\"udp\""), 5000);
            final Thread s = thread(ns, "sender", sender);
            s.start();
            s.join(20_000);
            r.join(20_000);
            assertEquals(0, sender.exitCode(), sender.err());
            assertEquals(0, receiver.exitCode(), receiver.err());
            assertEquals("", sender.err(), "nothing on stderr");
            assertEquals("", receiver.err(), "nothing on stderr");

            final List<Map<String, Object>> lines = new ArrayList<>();
            for (final String line : sender.lines())
            {
                lines.add(JsonParser.object(line));
            }
            assertEquals("start", lines.get(0).get("event"));
            assertEquals("summary", lines.get(lines.size() - 1).get("event"));
            final Map<String, Object> summary = (Map<String, Object>)lines.get(lines.size() - 1).get("data");
            final List<Object> connections = (List<Object>)summary.get("connections");
            assertEquals(2, connections.size());
            for (final Object o : connections)
            {
                final Map<String, Object> c = (Map<String, Object>)o;
                final String what = c.get("protocol") + ": " + c;
                assertEquals("receiver", c.get("peer_name"), what);
                assertEquals(0L, c.get("retries"), what);
                assertTrue((Long)c.get("latency_p50_ns") > 0 && (Long)c.get("latency_p50_ns") < 50_000_000L, what);
                assertTrue((Long)c.get("latency_samples") >= 5, what);
                assertTrue((Long)c.get("bandwidth_up_last_bps") > 0, what);
                assertTrue((Long)c.get("bandwidth_down_last_bps") > 0, what);
                assertEquals(0L, c.get("verification_errors"), what);
                assertEquals("udp".equals(c.get("protocol")), c.get("udp_lost") != null, what);
                System.out.printf("%s: latency p50 %d us, up %.0f Mbit/s, down %.0f Mbit/s%n", c.get("protocol"),
                    (Long)c.get("latency_p50_ns") / 1000, (Long)c.get("bandwidth_up_avg_bps") / 1e6,
                    (Long)c.get("bandwidth_down_avg_bps") / 1e6);
            }
            // the kernel's own view of a live TCP connection through TCP_INFO (loopback: 64 KiB MTU)
            final Map<String, Object> tcp = lines.stream().filter(l -> "interval".equals(l.get("event")))
                .map(l -> (Map<String, Object>)l.get("data")).filter(d -> "tcp".equals(d.get("protocol")) &&
                    d.get("tcp_srtt_ns") != null).findFirst().orElseThrow(() -> new AssertionError("no TCP_INFO"));
            assertTrue((Long)tcp.get("tcp_srtt_ns") > 0 && (Long)tcp.get("tcp_cwnd_bytes") > 0, tcp::toString);
            assertTrue((Long)tcp.get("tcp_rttvar_ns") >= 0 && (Long)tcp.get("tcp_retransmissions") >= 0, tcp::toString);
            assertTrue((Long)tcp.get("tcp_pmtu_bytes") >= 65_535L, tcp::toString);
            final long intervals = lines.stream().filter(l -> "interval".equals(l.get("event"))).count();
            assertTrue(intervals >= 8, "about two per second per connection: " + intervals);
            assertTrue(lines.stream().anyMatch(l -> "bandwidth_result".equals(l.get("event"))));
            final long hellos = receiver.lines().stream().filter(l -> l.contains("\"event\":\"hello\"")
                && l.contains("\"peer_name\":\"sender\"")).count();
            assertEquals(2, hellos, receiver.out());
            assertFalse(receiver.lines().stream().anyMatch(l -> l.contains("\"event\":\"error\"")), receiver.out());
        }
        finally
        {
            if (ns != null)
            {
                ns.close();
                assertFalse(NetworkNamespace.list().contains(ns.name()));
            }
        }
    }

    private static Thread thread(final NetworkNamespace ns, final String name, final CliRun run)
    {
        final Runnable body = run::run;
        return ns != null ? ns.newThread(name, body) : new Thread(body, name);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }
}
