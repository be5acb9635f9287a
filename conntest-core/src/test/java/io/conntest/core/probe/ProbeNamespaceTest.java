package io.conntest.core.probe;

import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel prober against a firewall, from inside a private network namespace with only its loopback up (see
 * {@code NetworkNamespace}, the one namespace helper): a JVM started there with {@code ip netns exec} probes 127.0.0.1 behind nftables drop
 * and reject rules, and 192.0.2.1 (TEST-NET-1), for which the namespace has no route, so nothing is sent at all.
 * No packet leaves the namespace.
 */
class ProbeNamespaceTest
{
    private static final String RULES = String.join("\n",
        "table inet ctprobe {",
        "  chain input {",
        "    type filter hook input priority 0; policy accept;",
        "    tcp dport 7003 drop",
        "    udp dport 7005 drop",
        "    tcp dport 7009 reject with icmpx type admin-prohibited",
        "    udp dport 7010 reject with icmpx type admin-prohibited",
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
        final String name;
        final List<String> lines;
        try (NetworkNamespace ns = NetworkNamespace.create("ct-probe"))
        {
            name = ns.name();
            nft(ns, RULES);
            lines = runProbeMain(ns, 40, List.of(), "7001", "7004", "300",
                "127.0.0.1", "T:7001-7003,7007,7009,U:7004-7006,7008,7010",
                "192.0.2.1", "T:80,U:53");
        }
        final String diagnostics = String.join("\n", lines);
        final Map<String, String> results = new TreeMap<>();
        for (final String line : lines)
        {
            if (line.startsWith("RESULT "))
            {
                final String[] fields = line.split(" ", 4);
                results.put(fields[1] + " " + fields[2], fields[3]);
            }
        }
        assertEquals("open syn-ack 1 null", results.get("127.0.0.1 7001/tcp"), diagnostics);
        assertEquals("closed conn-refused 1 null", results.get("127.0.0.1 7002/tcp"), diagnostics);
        assertEquals("filtered no-response 1 null", results.get("127.0.0.1 7003/tcp"), diagnostics);
        // A SYN dropped on output looks like silence to a non-blocking connect...
        assertEquals("filtered no-response 1 null", results.get("127.0.0.1 7007/tcp"), diagnostics);
        // ICMP administratively prohibited is a hard error (RFC 1122 4.2.3.9): connect fails with EHOSTUNREACH.
        assertTrue(results.get("127.0.0.1 7009/tcp").startsWith("filtered host-unreach 1 no route to host ("),
            diagnostics);
        assertEquals("open udp-response 1 null", results.get("127.0.0.1 7004/udp"), diagnostics);
        assertEquals("open|filtered no-response 2 null", results.get("127.0.0.1 7005/udp"), diagnostics);
        assertEquals("closed port-unreach 1 null", results.get("127.0.0.1 7006/udp"), diagnostics);
        // ...but a datagram dropped on output fails its send with EPERM: the local firewall said no.
        assertTrue(results.get("127.0.0.1 7008/udp").startsWith("filtered admin-prohibited 1 operation not permitted"),
            diagnostics);
        assertTrue(results.get("127.0.0.1 7010/udp").startsWith("filtered host-unreach 1"), diagnostics);
        assertTrue(results.get("192.0.2.1 80/tcp").startsWith("filtered net-unreach 1"), diagnostics);
        assertTrue(results.get("192.0.2.1 53/udp").startsWith("filtered net-unreach 0"),
            "no route: the connect failed before anything was sent; " + diagnostics);
        assertEquals(12, results.size(), diagnostics);
        assertTrue(results.values().stream().noneMatch(r -> r.contains("Exception")),
            "errno words, never Java exception names: " + diagnostics);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("DONE 127.0.0.1 0 COMPLETE 10 2 ")), diagnostics);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("DONE 192.0.2.1 1 COMPLETE 2 0 ")), diagnostics);
        assertFalse(Files.exists(Path.of("/run/netns", name)), "namespace " + name + " removed");
    }

    /**
     * The kernel prober over IPv6 (issue 13), the same rules on {@code ::1}: ICMPv6 port unreachable closes a UDP
     * port, and ICMPv6 administratively prohibited (EACCES on a connected UDP socket) is nmap's admin-prohibited.
     */
    @Test
    void overIpv6TheSameStatesAndIcmpv6Reasons() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final List<String> lines;
        try (NetworkNamespace ns = NetworkNamespace.create("ct-probe6"))
        {
            nft(ns, RULES);
            lines = runProbeMain(ns, 40, List.of("-Dprobe.loopback=::1"), "7001", "7004", "300",
                "::1", "T:7001-7003,7009,U:7004-7006,7010");
        }
        final String diagnostics = String.join("\n", lines);
        final Map<String, String> results = new TreeMap<>();
        for (final String line : lines)
        {
            if (line.startsWith("RESULT "))
            {
                final String[] fields = line.split(" ", 4);
                results.put(fields[1] + " " + fields[2], fields[3]);
            }
        }
        assertEquals("open syn-ack 1 null", results.get("::1 7001/tcp"), diagnostics);
        assertEquals("closed conn-refused 1 null", results.get("::1 7002/tcp"), diagnostics);
        assertEquals("filtered no-response 1 null", results.get("::1 7003/tcp"), diagnostics);
        // Linux's connect over IPv6 does not surface this ICMPv6 error (the SYN is retried until the probe's timer):
        // a kernel-socket prober sees silence where nmap's raw socket would read the message
        assertEquals("filtered no-response 1 null", results.get("::1 7009/tcp"), diagnostics);
        assertEquals("open udp-response 1 null", results.get("::1 7004/udp"), diagnostics);
        assertEquals("open|filtered no-response 2 null", results.get("::1 7005/udp"), diagnostics);
        assertEquals("closed port-unreach 1 null", results.get("::1 7006/udp"), diagnostics);
        assertTrue(results.get("::1 7010/udp").startsWith("filtered admin-prohibited 1 permission denied"),
            diagnostics);
        assertEquals(8, results.size(), diagnostics);
    }

    @Test
    void aProbeThatMeetsItselfIsNotReportedOpen() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        final List<String> lines;
        try (NetworkNamespace ns = NetworkNamespace.create("ct-probe"))
        {
            // One ephemeral port, 40000: probing 127.0.0.1:40000 connects the socket to itself (TCP simultaneous
            // open; a UDP probe would read its own datagram). One probe at a time, so it always gets that port.
            ns.exec("sh", "-c", "echo 40000 40000 > /proc/sys/net/ipv4/ip_local_port_range").check();
            lines = runProbeMain(ns, 40, List.of("-Dprobe.inflight=1"), "7001", "7004", "300",
                "127.0.0.1", "T:7001,40000,U:7004,40000");
        }
        final String diagnostics = String.join("\n", lines);
        assertTrue(lines.contains("RESULT 127.0.0.1 7001/tcp open syn-ack 1 null"), diagnostics);
        assertTrue(lines.contains("RESULT 127.0.0.1 7004/udp open udp-response 1 null"), diagnostics);
        assertTrue(lines.contains("RESULT 127.0.0.1 40000/tcp unknown local-error 1 connected to itself"), diagnostics);
        assertTrue(lines.contains("RESULT 127.0.0.1 40000/udp unknown local-error 0 connected to itself"), diagnostics);
    }

    /** Loads an nftables ruleset into the namespace (from a file: the helper gives commands no standard input). */
    private static void nft(final NetworkNamespace ns, final String rules) throws IOException
    {
        final Path file = Files.createTempFile("ct-probe", ".nft");
        try
        {
            Files.writeString(file, rules);
            ns.exec("nft", "-f", file.toString()).check();
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Runs {@link NamespaceProbeMain} in the namespace with this JVM's class path and returns its output lines
     * (stdout and stderr merged; the test reads only its RESULT and DONE lines). Killed after {@code timeoutSeconds}.
     */
    private static List<String> runProbeMain(final NetworkNamespace ns, final int timeoutSeconds,
        final List<String> jvmOptions, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NamespaceProbeMain.class.getName()));
        command.addAll(List.of(args));
        final CommandResult result = ns.execWithTimeout(timeoutSeconds * 1000L, command.toArray(new String[0]));
        if (!result.ok())
        {
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode() + ":\n" +
                result.output());
        }
        return List.of(result.output().split("\n"));
    }
}
