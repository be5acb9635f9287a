package io.conntest.cli;

import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --ipv4 dhcp} end to end: in a private namespace ({@code ct-dhcpcli-XXXXXXXX}, bridge br0 with 10.78.0.1/24,
 * no route out) dnsmasq leases 10.78.0.100–110; conntest on a TAP on that bridge waits for the lease, prints the
 * steps as JSON {@code dhcp} events, shows the leased address in its {@code start} event, and connects from it to a
 * conntest listener on the kernel's sockets in the namespace.
 */
class DhcpCliTest
{
    @Test
    void stackWaitsForTheLeasePrintsItsStepsAndConnectsFromTheLeasedAddress(@TempDir final Path dir) throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("dnsmasq");
        final NetworkNamespace ns = NetworkNamespace.create("ct-dhcpcli");
        Process dnsmasq = null;
        try
        {
            ns.addBridge("br0");
            ns.addAddress("br0", "10.78.0.1/24");
            ns.addTap("ct0");
            ns.setMaster("ct0", "br0");
            ns.linkUp("ct0");
            dnsmasq = new ProcessBuilder(NetworkNamespace.ipCommand(), "netns", "exec", ns.name(), "dnsmasq",
                "--keep-in-foreground", "--conf-file=/dev/null", "--port=0", "--interface=br0", "--bind-interfaces",
                "--except-interface=lo", "--pid-file=" + dir.resolve("pid"),
                "--dhcp-leasefile=" + dir.resolve("leases"),
                "--dhcp-range=10.78.0.100,10.78.0.110,255.255.255.0,2m", "--dhcp-option=option:router,10.78.0.1",
                "--dhcp-option=option:dns-server,10.78.0.53")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();

            // long enough for the lease even when the first DISCOVER is lost (a bridge port may forward only a moment
            // after the TAP is opened: the retransmission comes 4 s later) plus the ARP probes (up to 7 s)
            final CliRun kernel = new CliRun("--name", "k", "--listen", "tcp:7000", "--duration", "30s", "--ui",
                "json");
            // its own thread in the namespace (the namespace's task thread runs the stack instance below)
            final Thread kernelRun = ns.newThread("kernel-listener", kernel::run);
            kernelRun.start();
            final CliRun stack = new CliRun("--name", "s", "--tap", "ct0", "--ipv4", "dhcp", "--mac",
                "02:00:00:00:00:2a", "--connect", "tcp://10.78.0.1:7000", "--duration", "4s", "--ui", "json");
            assertEquals(0, (int)ns.call(stack::run), stack.err() + stack.out() + log(dir));
            kernelRun.join(40_000);

            final List<String> lines = stack.out().lines().toList();
            final String all = String.join("\n", lines);
            assertTrue(stack.err().contains("waiting for a DHCP lease on ct0"), stack.err());
            final String start = lines.stream().filter(l -> l.contains("\"event\":\"start\"")).findFirst().orElse("");
            assertTrue(start.matches(
                ".*\"addresses\":\\[\"10\\.78\\.0\\.1(0[0-9]|10)/24 \\(dhcp\\)\",\"via 10\\.78\\.0\\.1\".*"), start);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"dhcp\"")
                && l.contains("\"step\":\"offer\"")), all);
            final String bound = lines.stream().filter(l -> l.contains("\"step\":\"bound\"")).findFirst().orElse("");
            assertTrue(bound.contains("\"router\":\"10.78.0.1\""), bound);
            assertTrue(bound.contains("\"dns\":[\"10.78.0.53\"]"), bound);
            assertTrue(bound.contains("\"prefix_length\":24"), bound);
            assertTrue(bound.contains("\"lease_s\":120"), bound);
            assertTrue(bound.contains("\"server\":\"10.78.0.1\""), bound);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"connected\"")), all);
            assertFalse(all.contains("connect_failed"), all);
        }
        finally
        {
            if (dnsmasq != null)
            {
                dnsmasq.destroy();
                if (!dnsmasq.waitFor(5, TimeUnit.SECONDS))
                {
                    dnsmasq.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
    }

    private static String log(final Path dir) throws Exception
    {
        final Path out = dir.resolve("dnsmasq.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }
}
