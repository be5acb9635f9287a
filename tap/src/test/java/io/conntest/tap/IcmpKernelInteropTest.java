package io.conntest.tap;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.conntest.stack.ipv6.Ipv6Counter;
import io.conntest.stack.ipv6.Ipv6Counters;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's ping against the stack's ICMP over a real TAP in a private namespace ({@code ct-icmp-XXXXXXXX},
 * kernel 10.0.0.1, stack 10.0.0.2, no route out): {@code ping -R} gets its Record Route back with the stack's
 * address in it (RFC 1122 §3.2.2.6); and the stack's first IPv6 (issue 13): the kernel finds its link-local address
 * by Neighbor Discovery ({@code fe80::ff:fe00:2}, the modified EUI-64 of {@code 02:00:00:00:00:02}) and
 * {@code ping -6} gets every echo back, small and near the MTU, beside {@code ping -4} in the same run.
 */
class IcmpKernelInteropTest
{
    private NetworkNamespace ns;
    private TapDevice tap;
    private Interface iface;

    @BeforeEach
    void setUp()
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("ping");
        ns = NetworkNamespace.create("ct-icmp");
        tap = ns.call(() -> TapDevice.open("ct0", TapDevice.Mode.CREATE));
        // the kernel's own link-local address is usable at once (no 1 s of duplicate address detection)
        ns.exec("sysctl", "-qw", "net.ipv6.conf.ct0.accept_dad=0").check();
        ns.linkUp("ct0");
        ns.addAddress("ct0", "10.0.0.1/24");
        iface = new Interface(tap, InterfaceConfig.builder("10.0.0.2/24").mac(0x02_00_00_00_00_02L).build());
    }

    @AfterEach
    void tearDown()
    {
        try
        {
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

    @Test
    void rfc1122_3_2_2_6_pingWithRecordRouteGetsTheRouteBackWithTheStackInIt() throws Exception
    {
        final CompletableFuture<CommandResult> ping = CompletableFuture.supplyAsync(
            () -> ns.execWithTimeout(10_000, "ping", "-n", "-R", "-c", "1", "-W", "5", "10.0.0.2"));
        final long deadline = System.nanoTime() + 15_000_000_000L;
        while (!ping.isDone() && System.nanoTime() < deadline)
        {
            final long now = System.nanoTime();
            if (!iface.poll(now))
            {
                tap.awaitReceive(1_000_000L);
            }
        }
        final CommandResult result = ping.get();
        System.out.println("ping -R: " + result.output().replace('\n', '|'));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().matches("(?s).*RR:\\s+10\\.0\\.0\\.1\\s+10\\.0\\.0\\.2.*"), result.output());
    }

    private static final String STACK6 = "fe80::ff:fe00:2";

    /** Runs the stack until {@code command} ends. */
    private CommandResult whileStackRuns(final Supplier<CommandResult> command) throws Exception
    {
        final CompletableFuture<CommandResult> done = CompletableFuture.supplyAsync(command);
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.isDone() && System.nanoTime() < deadline)
        {
            if (!iface.poll(System.nanoTime()))
            {
                tap.awaitReceive(1_000_000L);
            }
        }
        return done.get();
    }

    @Test
    void theKernelFindsTheStackByNdpAndEveryPing6Comes()
        throws Exception
    {
        assertEquals(STACK6, iface.ipv6LinkLocal());
        final CommandResult ping = whileStackRuns(() -> ns.execWithTimeout(25_000, "ping", "-6", "-n", "-c", "100",
            "-i", "0.01", "-W", "2", STACK6 + "%ct0"));
        System.out.println("ping -6: " + ping.output().lines().filter(l -> l.contains("transmitted") || l.contains("rtt"))
            .reduce("", (a, b) -> a + b + " | "));
        assertEquals(0, ping.exitCode(), ping.output());
        assertTrue(ping.output().contains("100 packets transmitted, 100 received"), ping.output());
        // the same, over IPv4 in the same run, for comparison
        final CommandResult ping4 = whileStackRuns(() -> ns.execWithTimeout(25_000, "ping", "-n", "-c", "100",
            "-i", "0.01", "-W", "2", "10.0.0.2"));
        System.out.println("ping -4: " + ping4.output().lines().filter(l -> l.contains("transmitted") || l.contains("rtt"))
            .reduce("", (a, b) -> a + b + " | "));
        assertTrue(ping4.output().contains("100 packets transmitted, 100 received"), ping4.output());
        final CommandResult big = whileStackRuns(() -> ns.execWithTimeout(10_000, "ping", "-6", "-n", "-c", "5",
            "-i", "0.05", "-s", "1400", "-W", "2", STACK6 + "%ct0"));
        assertTrue(big.output().contains("5 packets transmitted, 5 received"), big.output());
        final CommandResult neighbour = ns.exec("ip", "-6", "neigh", "show", "dev", "ct0");
        assertTrue(neighbour.output().contains(STACK6 + " lladdr 02:00:00:00:00:02"),
            "the kernel learnt the stack's address by NDP: " + neighbour.output());
        final Ipv6Counters v6 = iface.ipv6().counters();
        assertTrue(v6.get(Ipv6Counter.NDP_NEIGHBOR_ADVERTISEMENTS_SENT) >= 1);
        assertEquals(105, v6.get(Ipv6Counter.ICMPV6_ECHO_REPLIES_SENT));
        assertEquals(0, v6.get(Ipv6Counter.ICMPV6_BAD_CHECKSUM));
        assertEquals(0, v6.get(Ipv6Counter.NDP_INVALID));
    }
}
