package io.conntest.cli.probe;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conntest probe} in a private namespace (loopback only) against an open, a closed and an nftables-dropped
 * TCP port and a silent and a closed UDP port, in the text and JSON outputs, with the exit codes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProbeCommandTest
{
    /** Over IPv6 (issue 13): the namespace's ::1, an open and a closed TCP port and a closed UDP port (ICMPv6). */
    @Test
    @SuppressWarnings("unchecked")
    void probesAnIpv6Address() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final NetworkNamespace ns = NetworkNamespace.create("ct-cli6");
        ServerSocket open = null;
        try
        {
            open = ns.call(() -> new ServerSocket(7001, 50, InetAddress.getByName("::1")));
            final CliRun json = new CliRun("probe", "::1", "T:7001-7002,U:7006", "--timeout", "300ms", "--ui", "json");
            assertEquals(0, ns.call(json::run), "a port is open: " + json.err());
            final Map<String, String> found = new HashMap<>();
            final List<String> lines = json.lines();
            for (final String line : lines.subList(1, lines.size() - 1))
            {
                final Map<String, Object> d = (Map<String, Object>)JsonParser.object(line).get("data");
                assertEquals("::1", d.get("host"), "RFC 5952 form: " + line);
                found.put(d.get("port") + "/" + d.get("protocol"), d.get("state") + " " + d.get("reason"));
            }
            assertEquals(Map.of("7001/tcp", "open syn-ack", "7002/tcp", "closed conn-refused",
                "7006/udp", "closed port-unreach"), found);
        }
        finally
        {
            if (open != null)
            {
                open.close();
            }
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
    }

    /** The arrivals question is IPv4's: asked of an IPv6 peer, the command refuses at once, saying so. */
    @Test
    void confirmWithAnIpv6PeerIsRefusedSayingItIsIpv4Only()
    {
        final CliRun run = new CliRun("probe", "::1", "T:7001", "--confirm-with", "7000");
        assertTrue(run.run() != 0);
        assertTrue(run.err().contains("--confirm-with asks over IPv4 only: ::1 is an IPv6 address"), run.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void openClosedAndFilteredPortsInEveryOutput() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final NetworkNamespace ns = NetworkNamespace.create("ct-cli");
        ServerSocket open = null;
        DatagramSocket silent = null;
        try
        {
            ns.exec("nft", "add", "table", "inet", "conntest_cli").check();
            ns.exec("nft", "add", "chain", "inet", "conntest_cli", "in", "{ type filter hook input priority 0 ; }").check();
            ns.exec("nft", "add", "rule", "inet", "conntest_cli", "in", "tcp", "dport", "7003", "drop").check();
            open = ns.call(() -> new ServerSocket(7001, 50, InetAddress.getByName("127.0.0.1")));
            silent = ns.call(() -> new DatagramSocket(new InetSocketAddress("127.0.0.1", 7004)));

            final CliRun json = new CliRun("probe", "127.0.0.1", "T:7001-7003,U:7004,7006", "--timeout", "300ms",
                "--ui", "json");
            assertEquals(0, ns.call(json::run), "a port is open: " + json.err());
            final Map<String, String> found = new HashMap<>();
            final List<String> lines = json.lines();
            assertEquals("probe_start", JsonParser.object(lines.get(0)).get("event"));
            for (final String line : lines.subList(1, lines.size() - 1))
            {
                final Map<String, Object> o = JsonParser.object(line);
                assertEquals("port", o.get("event"), line);
                final Map<String, Object> d = (Map<String, Object>)o.get("data");
                found.put(d.get("port") + "/" + d.get("protocol"), d.get("state") + " " + d.get("reason"));
                assertTrue(d.get("rtt_ns") == null || (Long)d.get("rtt_ns") >= 0, line);
                assertTrue(d.get("attempts") instanceof Long, line);
            }
            assertEquals(Map.of("7001/tcp", "open syn-ack", "7002/tcp", "closed conn-refused",
                "7003/tcp", "filtered no-response", "7004/udp", "open|filtered no-response",
                "7006/udp", "closed port-unreach"), found);
            final Map<String, Object> summary = (Map<String, Object>)JsonParser.object(lines.get(lines.size() - 1))
                .get("data");
            assertEquals(5L, summary.get("probed"));
            assertEquals(1L, summary.get("open"));
            assertEquals(2L, summary.get("closed"));
            assertEquals(1L, summary.get("filtered"));
            assertEquals(1L, summary.get("open_filtered"));
            assertEquals(0L, summary.get("exit_code"));
            assertEquals("", json.err());

            final CliRun text = new CliRun("probe", "127.0.0.1", "-p", "7003,7001-7002", "--timeout", "300ms",
                "--rate", "100", "--max-in-flight", "2", "--reason");
            assertEquals(0, ns.call(text::run), text.err());
            final String table = text.out();
            assertTrue(table.contains("PORT        STATE          REASON"), table);
            assertTrue(table.indexOf("7001/tcp") < table.indexOf("7002/tcp")
                && table.indexOf("7002/tcp") < table.indexOf("7003/tcp"), "sorted by port: " + table);
            assertTrue(table.matches("(?s).*7001/tcp +open +syn-ack +[0-9.]+ms +1.*"), table);
            assertTrue(table.matches("(?s).*7002/tcp +closed +conn-refused.*"), table);
            assertTrue(table.matches("(?s).*7003/tcp +filtered +no-response +- +1.*"), table);
            assertTrue(table.contains("3 ports probed in"), table);
            assertFalse(table.contains("\u001b"));

            final CliRun open1 = new CliRun("probe", "127.0.0.1", "-p", "T:7001-7002,U:7006", "--open");
            assertEquals(0, ns.call(open1::run), open1.err());
            assertTrue(open1.out().contains("Not shown: 1 closed tcp port (conn-refused), 1 closed udp port "
                + "(port-unreach)"), open1.out());
            assertTrue(open1.out().matches("(?s).*PORT +STATE +RTT\n7001/tcp +open +[0-9.]+ms\n.*"), open1.out());

            final CliRun none = new CliRun("probe", "127.0.0.1", "7002,7003", "--timeout", "200ms", "--ui", "log");
            assertEquals(1, ns.call(none::run), "nothing open: exit 1");
        }
        finally
        {
            if (open != null)
            {
                open.close();
            }
            if (silent != null)
            {
                silent.close();
            }
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
    }

    @Test
    void aConntestUdpListenerIsOpenConntestHello() throws Exception
    {
        final int port;
        try (DatagramSocket free = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            port = free.getLocalPort();
        }
        final CliRun listener = new CliRun("--name", "rx", "--listen", "udp:127.0.0.1:" + port, "--ui", "log",
            "--duration", "6s");
        final Thread instance = new Thread(listener::run, "probe-test-listener");
        instance.setDaemon(true);
        instance.start();
        io.conntest.stack.testing.Await.until(() -> listener.out().contains("listening on udp"), 20_000,
            () -> "the listener up: " + listener.out() + listener.err());
        final CliRun probe = new CliRun("probe", "127.0.0.1", "-p", "U:" + port, "--reason");
        assertEquals(0, probe.run(), probe.out() + probe.err());
        assertTrue(probe.out().matches("(?s).*" + port + "/udp +open +conntest-hello .*"), probe.out());
        // the probe closed the session its handshake opened: the listener logs it closed by the peer
        io.conntest.stack.testing.Await.until(() -> listener.out().contains("peer closed the connection"), 10_000,
            listener::out);
        instance.join(TimeUnit.SECONDS.toMillis(15));
        assertEquals(0, listener.exitCode(), listener.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void fromTheOwnStackOnATap() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final NetworkNamespace ns = NetworkNamespace.create("ct-cli");
        ServerSocket open = null;
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            ns.exec("nft", "add", "table", "inet", "conntest_cli").check();
            ns.exec("nft", "add", "chain", "inet", "conntest_cli", "in", "{ type filter hook input priority 0 ; }")
                .check();
            ns.exec("nft", "add", "rule", "inet", "conntest_cli", "in", "tcp", "dport", "7003", "drop").check();
            // what nmap reports as admin-prohibited: ICMP type 3 code 13 (icmpx admin-prohibited for IPv4)
            ns.exec("nft", "add", "rule", "inet", "conntest_cli", "in", "tcp", "dport", "7005", "reject", "with",
                "icmpx", "type", "admin-prohibited").check();
            ns.exec("nft", "add", "rule", "inet", "conntest_cli", "in", "udp", "dport", "7007", "reject", "with",
                "icmpx", "type", "admin-prohibited").check();
            open = ns.call(() -> new ServerSocket(7001, 50, InetAddress.getByName("10.0.0.1")));
            final CliRun json = new CliRun("probe", "--tap", "ct0", "--ipv4", "10.0.0.2/24", "10.0.0.1",
                "-p", "T:7001-7003,7005,U:7006,7007", "--timeout", "500ms", "--ui", "json");
            assertEquals(0, ns.call(json::run), json.out() + json.err());
            final Map<String, String> found = new HashMap<>();
            final List<String> lines = json.lines();
            assertTrue(lines.get(0).contains("\"stack\":\"tap\",\"addresses\":[\"10.0.0.2/24"), lines.get(0));
            // host discovery first, as nmap's ping on the link: the kernel side answers the echo
            final Map<String, Object> ping = JsonParser.object(lines.get(1));
            assertEquals("probe_ping", ping.get("event"), lines.get(1));
            assertTrue((Long)((Map<String, Object>)ping.get("data")).get("rtt_ns") > 0, lines.get(1));
            for (final String line : lines.subList(2, lines.size() - 1))
            {
                final Map<String, Object> d = (Map<String, Object>)JsonParser.object(line).get("data");
                found.put(d.get("port") + "/" + d.get("protocol"), d.get("state") + " " + d.get("reason"));
            }
            assertEquals(Map.of("7001/tcp", "open syn-ack", "7002/tcp", "closed conn-refused",
                "7003/tcp", "filtered no-response", "7005/tcp", "filtered admin-prohibited",
                "7006/udp", "closed port-unreach", "7007/udp", "filtered admin-prohibited"), found, json.out());
            assertFalse(json.out().contains("Exception"), json.out());
            System.out.println(json.out());
        }
        finally
        {
            if (open != null)
            {
                open.close();
            }
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
    }

    /** The same from the stack's IPv6 (issue 13): a configured address, DAD, then the kernel's IPv6 ports. */
    @Test
    @SuppressWarnings("unchecked")
    void fromTheOwnStacksIpv6OnATap() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final NetworkNamespace ns = NetworkNamespace.create("ct-cli6");
        ServerSocket open = null;
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.exec("ip", "-6", "addr", "add", "fd00:c0:9::1/64", "dev", "ct0", "nodad").check();
            ns.exec("nft", "add", "table", "ip6", "conntest_cli6").check();
            ns.exec("nft", "add", "chain", "ip6", "conntest_cli6", "in", "{ type filter hook input priority 0 ; }")
                .check();
            ns.exec("nft", "add", "rule", "ip6", "conntest_cli6", "in", "tcp", "dport", "7003", "drop").check();
            ns.exec("nft", "add", "rule", "ip6", "conntest_cli6", "in", "tcp", "dport", "7005", "reject", "with",
                "icmpv6", "type", "admin-prohibited").check();
            open = ns.call(() -> new ServerSocket(7001, 50, InetAddress.getByName("fd00:c0:9::1")));
            final CliRun json = new CliRun("probe", "--tap", "ct0", "--ipv4", "10.0.0.2/24", "--ipv6",
                "fd00:c0:9::2/64", "fd00:c0:9::1", "-p", "T:7001-7003,7005,U:7006", "--timeout", "500ms", "--ui",
                "json");
            assertEquals(0, ns.call(json::run), json.out() + json.err());
            final Map<String, String> found = new HashMap<>();
            for (final String line : json.lines())
            {
                final Map<String, Object> event = JsonParser.object(line);
                if ("port".equals(event.get("event")))
                {
                    final Map<String, Object> d = (Map<String, Object>)event.get("data");
                    found.put(d.get("port") + "/" + d.get("protocol"), d.get("state") + " " + d.get("reason"));
                }
            }
            assertEquals(Map.of("7001/tcp", "open syn-ack", "7002/tcp", "closed conn-refused",
                "7003/tcp", "filtered no-response", "7005/tcp", "filtered admin-prohibited",
                "7006/udp", "closed port-unreach"), found, json.out());
            assertFalse(json.out().contains("Exception"), json.out());
            System.out.println(json.out());
        }
        finally
        {
            if (open != null)
            {
                open.close();
            }
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
    }
}
