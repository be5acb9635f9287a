package io.conntest.cli.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * The path MTU test ({@code ?pmtu}, RFC 8899) across a real router whose outer link has MTU 1280 while the clients'
 * links have 1500: an instance on its own stack on a TAP (192.168.7.2) and one on kernel sockets in a namespace of
 * its own (192.168.8.2) behind the same router ({@link MasqueradingRouter} with its veth set to 1280), towards a
 * kernel-socket listener beyond it (10.9.0.2). With the router's ICMP let through, both find 1280 and hear it from
 * the router (10.9.0.1 towards the outside; the inner address towards each client); with the router's ICMP
 * "destination unreachable" dropped (nftables, its output hook), both still find 1280 by probing, and flag a black
 * hole: ICMP-based discovery would keep sending 1500.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PathMtuTest
{
    @Test
    void bothStacksFindTheRoutersSmallerLinkFromItsIcmp() throws Exception
    {
        final Map<String, Map<String, Object>> results = run(false);
        for (final String name : new String[] {"stack", "kernel"})
        {
            final Map<String, Object> r = results.get(name);
            assertEquals(1280L, r.get("path_mtu"), name + ": " + r);
            assertEquals(1500L, r.get("local_mtu"), name + ": " + r);
            assertEquals(1280L, r.get("icmp_based_mtu"), name + ": ICMP-based discovery agrees: " + r);
            assertEquals(Boolean.FALSE, r.get("black_hole"), name + ": " + r);
            assertEquals(Boolean.TRUE, r.get("local_above_path"), name + ": " + r);
            assertEquals(1280L, r.get("icmp_mtu"), name + ": the router's message was used as a hint: " + r);
        }
        // the stack reads each ICMP message itself, so it knows the router that sent it; the kernel keeps only the MTU
        assertEquals("192.168.7.1", results.get("stack").get("icmp_from"), results.get("stack").toString());
    }

    @Test
    void withTheRoutersIcmpDroppedProbingStillFindsItAndFlagsABlackHole() throws Exception
    {
        final Map<String, Map<String, Object>> results = run(true);
        for (final String name : new String[] {"stack", "kernel"})
        {
            final Map<String, Object> r = results.get(name);
            assertEquals(1280L, r.get("path_mtu"), name + ": " + r);
            assertEquals(1500L, r.get("icmp_based_mtu"), name + ": nothing told the host: " + r);
            assertEquals(Boolean.TRUE, r.get("black_hole"), name + ": " + r);
            assertEquals(null, r.get("icmp_mtu"), name + ": " + r);
        }
    }

    private static Map<String, Map<String, Object>> run(final boolean dropIcmp) throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        try (MasqueradingRouter router = new MasqueradingRouter("ct-pm");
             NetworkNamespace kernelSide = NetworkNamespace.create("ct-pm-k"))
        {
            final NetworkNamespace inside = router.inside;
            inside.ip("link", "set", "vin", "mtu", "1280");
            router.outside.ip("link", "set", "vout", "mtu", "1280");
            inside.addVethPair("vk1", "vk0");
            inside.ip("link", "set", "vk0", "netns", kernelSide.name());
            inside.addAddress("vk1", "192.168.8.1/24");
            inside.linkUp("vk1");
            kernelSide.addAddress("vk0", "192.168.8.2/24");
            kernelSide.linkUp("vk0");
            kernelSide.ip("route", "add", "default", "via", "192.168.8.1");
            if (dropIcmp)
            {
                inside.exec("nft", "add", "chain", "ip", "ctnat", "out", "{ type filter hook output priority 0 ; }")
                    .check();
                inside.exec("nft", "add", "rule", "ip", "ctnat", "out", "icmp", "type", "destination-unreachable",
                    "drop").check();
            }
            final CliRun server = new CliRun("--name", "server", "--listen", "udp:7000", "--duration", "12s",
                "--ui", "json");
            final CliRun stack = new CliRun("--name", "stack", "--tap", "ct0", "--ipv4", "192.168.7.2/24",
                "--ipv4-gateway", "192.168.7.1", "--connect", "udp://10.9.0.2:7000?pmtu", "--duration", "8s",
                "--ui", "json");
            final CliRun kernel = new CliRun("--name", "kernel", "--connect", "udp://10.9.0.2:7000?pmtu",
                "--duration", "8s", "--ui", "json");
            final Thread s = router.outside.newThread("server", server::run);
            s.start();
            server.awaitLine(l -> l.contains("\"event\":\"listening\""), 10_000);
            final Thread a = inside.newThread("stack", stack::run);
            final Thread b = kernelSide.newThread("kernel", kernel::run);
            a.start();
            b.start();
            a.join(60_000);
            b.join(60_000);
            s.join(60_000);
            assertEquals(0, stack.exitCode(), stack.err());
            assertEquals(0, kernel.exitCode(), kernel.err());
            return Map.of("stack", pathMtu(stack), "kernel", pathMtu(kernel));
        }
    }

    /** The path_mtu event's data; its message is the same figures in words. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> pathMtu(final CliRun run)
    {
        for (final String line : run.lines())
        {
            final Map<String, Object> event = JsonParser.object(line);
            if ("path_mtu".equals(event.get("event")))
            {
                final Map<String, Object> data = (Map<String, Object>)event.get("data");
                System.out.println(line); // the figures, for the record (docs quote them)
                assertTrue(String.valueOf(data.get("message")).startsWith("path mtu to 10.9.0.2:7000: "), data.toString());
                return data;
            }
        }
        assertNotNull(null, "no path_mtu event: " + run.out() + run.err());
        return null;
    }
}
