package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
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
 * stack fd00:c0:7::2, no route out): TCP and UDP, an open port (SYN,ACK; a reply), a closed one (RST; ICMPv6 port
 * unreachable), one nftables drops (no response) and one it rejects with ICMPv6 "communication with destination
 * administratively prohibited" (RFC 4443 §3.1 code 1), each classified as nmap would.
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
                    "    udp dport 7103 drop",
                    "    udp dport 7109 reject with icmpv6 type admin-prohibited",
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
            final DatagramSocket udpOpen = ns.call(() -> new DatagramSocket(7101, InetAddress.getByName(KERNEL)));
            final Thread echo = new Thread(() ->
            {
                final byte[] buf = new byte[2048];
                try
                {
                    final DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    udpOpen.receive(packet);
                    udpOpen.send(new DatagramPacket(buf, packet.getLength(), packet.getSocketAddress()));
                }
                catch (final java.io.IOException ignored)
                {
                    // closed at the end of the test
                }
            });
            echo.start();
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
                // UDP: an answer, a port unreachable, silence, and an administrative prohibition
                final ProbeResult udpAnswered = probe(prober, ProbeProtocol.UDP, 7101, 2);
                assertEquals(PortState.OPEN, udpAnswered.state(), String.valueOf(udpAnswered));
                final ProbeResult udpClosed = probe(prober, ProbeProtocol.UDP, 7102, 2);
                assertEquals(PortState.CLOSED, udpClosed.state());
                assertEquals(ProbeReason.PORT_UNREACH, udpClosed.reason());
                final ProbeResult udpDropped = probe(prober, ProbeProtocol.UDP, 7103, 2);
                assertEquals(PortState.OPEN_FILTERED, udpDropped.state());
                assertEquals(ProbeReason.NO_RESPONSE, udpDropped.reason());
                final ProbeResult udpProhibited = probe(prober, ProbeProtocol.UDP, 7109, 2);
                assertEquals(PortState.FILTERED, udpProhibited.state());
                assertEquals(ProbeReason.ADMIN_PROHIBITED, udpProhibited.reason(), String.valueOf(udpProhibited));
                prober.close();
            }
            finally
            {
                open.close();
                udpOpen.close();
                echo.join(5_000);
            }
            assertFalse(ns.exec("nft", "list", "ruleset").output().isEmpty());
        }
    }

    private static ProbeResult probe(final StackPortProber prober, final int port, final int attempts)
        throws Exception
    {
        return probe(prober, ProbeProtocol.TCP, port, attempts);
    }

    private static ProbeResult probe(final StackPortProber prober, final ProbeProtocol protocol, final int port,
        final int attempts) throws Exception
    {
        final List<ProbeResult> results = new ArrayList<>();
        prober.start(protocol, InetAddress.getByName(KERNEL), port, SEC, attempts, System.nanoTime(),
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
