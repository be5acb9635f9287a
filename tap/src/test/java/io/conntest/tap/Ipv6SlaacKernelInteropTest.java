package io.conntest.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.ipv6.Ipv6Counter;
import io.conntest.stack.ipv6.Ipv6Counters;
import io.conntest.stack.ipv6.Ipv6Host;
import io.conntest.stack.phy.PcapWriterDevice;
import io.conntest.stack.testing.Privileges;
import io.conntest.stack.wire.Ipv6Address;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * The stack's IPv6 autoconfiguration against a router we did not write (issue 13): in a private namespace
 * ({@code ct-nd-XXXXXXXX}, no route out) the kernel holds {@code fd00:c0:1::1/64} on the TAP and Debian's
 * {@code dnsmasq --enable-ra} advertises the prefix ({@code ra-only}: no DHCPv6, no DNS). The stack, with
 * {@code autoconfigure()}, passes DAD for its link-local address, solicits a router, forms a stable SLAAC address
 * (RFC 4862, RFC 7217) from the advertisement and passes DAD for it; it pings the kernel first (resolving the kernel's
 * address by its own solicitation), then the kernel pings the SLAAC address 100 times in a row and gets every echo
 * back, having learnt the stack's MAC by NDP; and {@code ping -6 -s 4000} and {@code -s 65000} (requests fragmented by
 * the kernel, reassembled by the stack, replies fragmented by the stack, RFC 8200 §4.5) get theirs too. The run is recorded and tshark finds no malformed packet and no bad
 * ICMPv6 checksum in it. dnsmasq is started by this test and killed by its PID; the namespace goes in the end.
 */
class Ipv6SlaacKernelInteropTest
{
    private static final String KERNEL = "fd00:c0:1::1";
    private static final long MAC = 0x02_00_00_00_00_06L;

    private NetworkNamespace ns;
    private TapDevice tap;
    private Process dnsmasq;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("ping");
        Privileges.assumeCommand("dnsmasq");
        ns = NetworkNamespace.create("ct-nd");
        tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE));
        // the kernel's own addresses are usable at once (no second of DAD before dnsmasq can advertise)
        ns.exec("sysctl", "-qw", "net.ipv6.conf.ct0.accept_dad=0").check();
        ns.linkUp("ct0");
        ns.addAddress("ct0", KERNEL + "/64");
        dir = Files.createTempDirectory("ct-nd");
    }

    @AfterEach
    void tearDown() throws Exception
    {
        try
        {
            if (dnsmasq != null)
            {
                dnsmasq.destroy(); // SIGTERM to the PID this test started
                if (!dnsmasq.waitFor(5, TimeUnit.SECONDS))
                {
                    dnsmasq.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            if (tap != null)
            {
                tap.close();
            }
        }
        finally
        {
            if (ns != null)
            {
                ns.close();
                assertFalse(ns.exists());
            }
        }
    }

    private Process startDnsmasq() throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(NetworkNamespace.ipCommand(), "netns", "exec", ns.name(),
            "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0", "--interface=ct0", "--bind-interfaces",
            "--enable-ra", "--dhcp-range=fd00:c0:1::,ra-only,64,1h", "--pid-file=" + dir.resolve("dnsmasq.pid"),
            "--dhcp-leasefile=" + dir.resolve("leases"), "--log-facility=-", "--user=root", "--group=root");
        builder.redirectErrorStream(true);
        builder.redirectOutput(dir.resolve("dnsmasq.log").toFile());
        return builder.start();
    }

    /** Polls the stack until {@code done} or the deadline. */
    private static void pollUntil(final Interface iface, final TapDevice tap, final BooleanSupplier done,
        final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0)
        {
            final long now = System.nanoTime();
            if (!iface.poll(now))
            {
                tap.awaitReceive(Math.max(1_000L, Math.min(1_000_000L, iface.pollAtNs(now) - now)));
            }
        }
    }

    private static CommandResult whileStackRuns(final Interface iface, final TapDevice tap,
        final Supplier<CommandResult> command) throws Exception
    {
        final CompletableFuture<CommandResult> result = CompletableFuture.supplyAsync(command);
        pollUntil(iface, tap, result::isDone, 40_000_000_000L);
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void rfc4862_theStackFormsASlaacAddressFromDnsmasqsAdvertisementAndAnswersEveryPing6OnIt() throws Exception
    {
        final Path pcap = dir.resolve("nd.pcap");
        final PcapWriterDevice recorded = new PcapWriterDevice(tap, pcap);
        final Interface iface = new Interface(recorded,
            InterfaceConfig.builder("10.0.0.2/24").mac(MAC).seed(13).build());
        final Ipv6Host v6 = iface.ipv6();
        v6.autoconfigure();
        dnsmasq = startDnsmasq();
        pollUntil(iface, tap, () -> v6.globalAddress() != null, 30_000_000_000L);
        final String log = Files.readString(dir.resolve("dnsmasq.log"));
        assertNotNull(v6.globalAddress(), "a SLAAC address from dnsmasq's advertisement: " + v6.addresses() + " "
            + v6.counters() + " dnsmasq: " + log);
        final String address = v6.globalAddress();
        System.out.println("slaac: " + address + " (" + v6.addresses() + "), router " + v6.defaultRouter()
            + ", MTU " + v6.linkMtu());
        assertTrue(address.startsWith("fd00:c0:1:0:"), address);
        assertTrue(v6.counters().get(Ipv6Counter.DAD_SUCCEEDED) >= 2, "link-local and global passed DAD");

        // the stack pings the kernel first: it resolves the kernel's address by its own solicitation
        final long[] kernel = Ipv6Address.parse(KERNEL);
        assertTrue(v6.sendEchoRequest(kernel[0], kernel[1], 0x77, 1, new UnsafeBuffer(new byte[8]), 0, 8,
            System.nanoTime()));
        pollUntil(iface, tap, () -> v6.counters().get(Ipv6Counter.ICMPV6_ECHO_REPLIES_RECEIVED) == 1,
            10_000_000_000L);
        assertEquals(1, v6.counters().get(Ipv6Counter.ICMPV6_ECHO_REPLIES_RECEIVED), v6.counters().toString());
        assertTrue(v6.counters().get(Ipv6Counter.NDP_NEIGHBOR_SOLICITATIONS_SENT) >= 3,
            "two DAD probes and the resolution of the kernel's address: " + v6.counters());
        assertNotNull(v6.neighbourState(KERNEL));

        final CommandResult ping = whileStackRuns(iface, tap, () -> ns.execWithTimeout(30_000, "ping", "-6", "-n",
            "-c", "100", "-i", "0.01", "-W", "2", address));
        System.out.println("ping -6 (SLAAC): " + ping.output().lines()
            .filter(l -> l.contains("transmitted") || l.contains("rtt")).reduce("", (a, b) -> a + b + " | "));
        assertTrue(ping.output().contains("100 packets transmitted, 100 received"), ping.output());
        // big pings: the kernel fragments its requests, the stack reassembles them and fragments its replies
        for (final String size : new String[] {"4000", "65000"})
        {
            final CommandResult big = whileStackRuns(iface, tap, () -> ns.execWithTimeout(20_000, "ping", "-6", "-n",
                "-c", "3", "-i", "0.2", "-s", size, "-W", "3", address));
            System.out.println("ping -6 -s " + size + ": " + big.output().lines()
                .filter(l -> l.contains("transmitted") || l.contains("rtt")).reduce("", (a, b) -> a + b + " | "));
            assertTrue(big.output().contains("3 packets transmitted, 3 received"), big.output() + v6.counters());
        }
        final CommandResult neighbour = ns.exec("ip", "-6", "neigh", "show", "dev", "ct0");
        assertTrue(neighbour.output().contains(address + " lladdr 02:00:00:00:00:06"),
            "the kernel learnt the stack's MAC by NDP: " + neighbour.output());
        final Ipv6Counters counters = v6.counters();
        assertEquals(106, counters.get(Ipv6Counter.ICMPV6_ECHO_REPLIES_SENT));
        assertEquals(6, counters.get(Ipv6Counter.IPV6_REASSEMBLED));
        assertEquals(0, counters.get(Ipv6Counter.ICMPV6_BAD_CHECKSUM));
        assertEquals(0, counters.get(Ipv6Counter.NDP_INVALID));
        assertEquals(0, counters.get(Ipv6Counter.DAD_DUPLICATES));
        assertTrue(counters.get(Ipv6Counter.MLD_REPORTS_SENT) >= 2, counters.toString());

        recorded.flush();
        Privileges.assumeCommand("tshark");
        final CommandResult bad = ns.exec("tshark", "-r", pcap.toString(), "-Y",
            "_ws.malformed || icmpv6.checksum.status == 0 || _ws.expert.severity >= 6291456");
        // (tshark's own warnings, such as running as root, are not packets)
        assertTrue(bad.output().lines().noneMatch(l -> l.contains("ICMPv6") || l.contains("IPv6")
            || l.contains("Malformed")), "tshark finds nothing malformed: " + bad.output());
        final CommandResult kinds = ns.exec("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "icmpv6.type");
        final String types = kinds.output();
        for (final String type : new String[] {"133", "134", "135", "136", "143", "128", "129"})
        {
            assertTrue(types.lines().anyMatch(l -> l.trim().equals(type)),
                "the capture holds ICMPv6 type " + type + ": " + types);
        }
        final CommandResult all = ns.exec("tshark", "-r", pcap.toString());
        System.out.println("tshark: " + all.output().lines().filter(l -> l.contains("ICMPv6")).count()
            + " ICMPv6 packets, none malformed; the first ones:");
        all.output().lines().filter(l -> l.contains("ICMPv6")).limit(12).forEach(l -> System.out.println("  " + l));
    }
}
