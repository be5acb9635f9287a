package io.conntest.tap;

import io.conntest.stack.iface.Interface;
import io.conntest.stack.iface.InterfaceConfig;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's ping against the stack's ICMP over a real TAP in a private namespace ({@code ct-icmp-XXXXXXXX},
 * kernel 10.0.0.1, stack 10.0.0.2, no route out): {@code ping -R} gets its Record Route back with the stack's
 * address in it (RFC 1122 §3.2.2.6).
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
}
