package io.conntest.cli.run;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --tap}: an instance on the own stack on a TAP in a private namespace (10.0.0.2/24, the kernel 10.0.0.1/24
 * on the TAP), and a kernel-socket instance connecting to it over TCP and UDP, both as command lines with JSON
 * lines. Checks latency and bandwidth figures both ways.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TapRunTest
{
    /** Both offload modes (issue 9): auto negotiates checksum and segmentation offload, none is the plain TAP. */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "none"})
    @SuppressWarnings("unchecked")
    void receiverAndSenderOverTcpAndUdpPrintJsonLinesWithFigures(final String offload) throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-cli");
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            final int port = 1234;
            final CliRun receiver = new CliRun("--name", "receiver", "--tap", "ct0", "--ipv4", "10.0.0.2/24",
                "--listen", "tcp:" + port, "--listen", "udp:" + port, "--duration", "6s", "--ui", "json",
                "--interval", "500ms", "--offload", offload);
            final CliRun sender = new CliRun("--name", "sender",
                "--connect", "tcp://10.0.0.2:" + port + "?monitor-bandwidth&packet-size=64kb&bandwidth-bytes=4mb&verify",
                "--connect", "udp://10.0.0.2:" + port + "?monitor-bandwidth&packet-size=1400&bandwidth-bytes=1mb&verify",
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
            assertTrue(receiver.lines().get(0).contains("\"stack\":\"tap\""), receiver.lines().get(0));
            assertTrue(receiver.lines().get(0).contains("auto".equals(offload) ? "offloads csum tso4" : "offloads none"),
                "the start event names the negotiated offloads: " + receiver.lines().get(0));
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
                System.out.printf("kernel -> tap %s: latency p50 %d us, up %.0f Mbit/s, down %.0f Mbit/s%n", c.get("protocol"),
                    (Long)c.get("latency_p50_ns") / 1000, (Long)c.get("bandwidth_up_avg_bps") / 1e6,
                    (Long)c.get("bandwidth_down_avg_bps") / 1e6);
            }
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

    /**
     * Plain services beside conntest on one own-stack instance (issue 12 item 4): a kernel UDP socket gets its
     * datagram echoed on udp:7 while a conntest peer connects to tcp:1234 of the same stack.
     */
    @Test
    void plainServicesRunBesideConntestListeners() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-cli");
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            final CliRun receiver = new CliRun("--name", "receiver", "--tap", "ct0", "--ipv4", "10.0.0.2/24",
                "--listen", "tcp:1234", "--listen", "udp:7?service=echo", "--listen", "tcp:9?service=discard",
                "--duration", "5s", "--ui", "json");
            final CliRun sender = new CliRun("--name", "sender", "--connect", "tcp://10.0.0.2:1234", "--duration",
                "2s", "--ui", "json");
            final Thread r = thread(ns, "receiver", receiver);
            r.start();
            receiver.awaitLine(l -> l.contains("\"event\":\"listening\""), 5000);
            final byte[] echoed = ns.call(() ->
            {
                try (java.net.DatagramSocket socket = new java.net.DatagramSocket())
                {
                    socket.setSoTimeout(500);
                    final byte[] hello = "beside conntest".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    final java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[100], 100);
                    for (int attempt = 0; attempt < 10; attempt++)
                    {
                        socket.send(new java.net.DatagramPacket(hello, hello.length,
                            new java.net.InetSocketAddress("10.0.0.2", 7)));
                        try
                        {
                            socket.receive(in);
                            return java.util.Arrays.copyOf(in.getData(), in.getLength());
                        }
                        catch (final java.net.SocketTimeoutException ex)
                        {
                            // the first datagram may wait for ARP: try again
                        }
                    }
                    return new byte[0];
                }
            });
            assertEquals("beside conntest", new String(echoed, java.nio.charset.StandardCharsets.US_ASCII));
            final Thread s = thread(ns, "sender", sender);
            s.start();
            s.join(20_000);
            r.join(20_000);
            assertEquals(0, sender.exitCode(), sender.err());
            assertEquals(0, receiver.exitCode(), receiver.err());
            assertTrue(sender.lines().stream().anyMatch(l -> l.contains("\"event\":\"hello\"")
                && l.contains("\"peer_name\":\"receiver\"")), sender.out());
        }
        finally
        {
            ns.close();
            assertFalse(NetworkNamespace.list().contains(ns.name()));
        }
    }

    private static Thread thread(final NetworkNamespace ns, final String name, final CliRun run)
    {
        final Runnable body = run::run;
        return ns != null ? ns.newThread(name, body) : new Thread(body, name);
    }
}
