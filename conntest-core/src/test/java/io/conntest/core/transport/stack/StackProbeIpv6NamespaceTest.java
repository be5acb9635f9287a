package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.conntest.core.probe.PortState;
import io.conntest.core.probe.ProbeOptions;
import io.conntest.core.probe.ProbeProtocol;
import io.conntest.core.probe.ProbeReason;
import io.conntest.core.probe.ProbeResult;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.testing.Privileges;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.tap.OffloadMode;
import io.conntest.tap.TapDevice;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * The stack's prober over IPv6 against the kernel across a real TAP in a private namespace (kernel fd00:c0:7::1, the
 * stack fd00:c0:7::2, no route out): an open port (SYN,ACK), a closed one (RST), one nftables drops (no response)
 * and one it rejects with ICMPv6 "communication with destination administratively prohibited" (RFC 4443 §3.1 code
 * 1), each classified as nmap would.
 */
class StackProbeIpv6NamespaceTest
{
    private static final String KERNEL = "fd00:c0:7::1";
    private static final String STACK = "fd00:c0:7::2";
    private static final long SEC = 1_000_000_000L;

    @Test
    void tcpProbesOverIpv6WithIcmpv6Reasons() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        try (NetworkNamespace ns = NetworkNamespace.create("ct-probe6"))
        {
            final TapDevice tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE, OffloadMode.NONE));
            ns.linkUp("ct0");
            assertTrue(ns.exec("ip", "-6", "addr", "add", KERNEL + "/64", "dev", "ct0", "nodad").ok());
            final Path rules = Files.createTempFile("ct-probe6", ".nft");
            try
            {
                Files.writeString(rules, String.join("\n",
                    "table ip6 ctprobe6 {",
                    "  chain input {",
                    "    type filter hook input priority 0; policy accept;",
                    "    tcp dport 7003 drop",
                    "    tcp dport 7009 reject with icmpv6 type admin-prohibited",
                    "  }",
                    "}", ""));
                final CommandResult loaded = ns.exec("nft", "-f", rules.toString());
                assertTrue(loaded.ok(), loaded.output());
            }
            finally
            {
                Files.deleteIfExists(rules);
            }
            final ServerSocket open = ns.call(() -> new ServerSocket(7001, 4, InetAddress.getByName(KERNEL)));
            try (StackHost host = StackHost.builder(tap, InterfaceConfig.builder("10.0.0.2/24")
                .mac(0x02_00_00_00_00_02L).build()).build())
            {
                final long[] address = Ipv6Address.parse(STACK);
                host.stack().iface().ipv6().addStaticAddress(address[0], address[1], 64);
                final long deadline = System.nanoTime() + 5 * SEC;
                while (host.stack().iface().ipv6().globalAddress() == null && System.nanoTime() < deadline)
                {
                    host.poll(System.nanoTime());
                    host.idle(System.nanoTime(), System.nanoTime() + 1_000_000L);
                }
                assertTrue(host.stack().iface().ipv6().globalAddress() != null, "DAD passed");
                final StackPortProber prober = new StackPortProber(host, false, ProbeOptions.DEFAULTS);
                final ProbeResult opened = probe(prober, 7001, 2);
                assertEquals(PortState.OPEN, opened.state());
                assertEquals(ProbeReason.SYN_ACK, opened.reason());
                final ProbeResult closed = probe(prober, 7002, 2);
                assertEquals(PortState.CLOSED, closed.state());
                assertEquals(ProbeReason.CONN_REFUSED, closed.reason());
                final ProbeResult dropped = probe(prober, 7003, 2);
                assertEquals(PortState.FILTERED, dropped.state());
                assertEquals(ProbeReason.NO_RESPONSE, dropped.reason());
                final ProbeResult prohibited = probe(prober, 7009, 2);
                assertEquals(PortState.FILTERED, prohibited.state());
                assertEquals(ProbeReason.ADMIN_PROHIBITED, prohibited.reason(), String.valueOf(prohibited));
                prober.close();
            }
            finally
            {
                open.close();
            }
            assertFalse(ns.exec("nft", "list", "ruleset").output().isEmpty());
        }
    }

    private static ProbeResult probe(final StackPortProber prober, final int port, final int attempts)
        throws Exception
    {
        final List<ProbeResult> results = new ArrayList<>();
        prober.start(ProbeProtocol.TCP, InetAddress.getByName(KERNEL), port, SEC, attempts, System.nanoTime(),
            results::add);
        final long deadline = System.nanoTime() + 10 * SEC;
        while (results.isEmpty() && System.nanoTime() < deadline)
        {
            prober.poll(System.nanoTime());
            Thread.onSpinWait();
        }
        assertEquals(1, results.size(), "a result for port " + port);
        return results.get(0);
    }
}
