package io.conntest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.conntest.stack.testing.Await;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * {@code --ipv6 ADDR/PREFIX} and {@code --ipv6-gateway} end to end against the Linux kernel on the TAP's other side,
 * in private namespaces (no route out). Duplicate Address Detection (RFC 4862 §5.4) is a MUST for a configured
 * address too: when the kernel already holds the address on the link, the stack's probe is answered, the address is
 * DUPLICATE (the {@code ipv6} event says so, {@code dad_duplicates} counts it) and the stack never uses it (the capture
 * holds no packet from it and no advertisement of it), while a second configured address passes DAD and answers. A
 * configured address that passes DAD answers the kernel's {@code ping -6} 10 of 10, and a host in a second namespace
 * behind the kernel as a router reaches it too: the stack's replies to that off-link host leave towards the gateway's
 * MAC (RFC 4861 §5.2: next hop the default router); and the stack's own TCP connection to a conntest on that host's
 * kernel sockets goes through the gateway, at the first attempt (the engine starts once DAD passed).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Ipv6StaticCliTest
{
    private static final String KERNEL = "fd00:c0::1";
    private static final String STACK = "fd00:c0::2";
    private static final String SECOND = "fd00:c0::3";
    private static final String FAR = "fd00:c1::2";
    private static final String STACK_MAC = "02:00:00:00:c0:02";

    @Test
    void anAddressTheKernelAlreadyHasIsDuplicateCountedAndNeverUsed(@TempDir final Path dir) throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("ping");
        Privileges.assumeCommand("tshark");
        final NetworkNamespace ns = NetworkNamespace.create("ct-v6s");
        try
        {
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            // the kernel holds the stack's address already, in use at once (nodad): it defends it (RFC 4862 §5.4.3)
            ns.ip("-6", "addr", "add", KERNEL + "/64", "dev", "ct0", "nodad").check();
            ns.ip("-6", "addr", "add", STACK + "/64", "dev", "ct0", "nodad").check();
            final Path pcap = dir.resolve("dup.pcap");
            final CliRun stack = new CliRun("--name", "s", "--tap", "ct0", "--ipv4", "10.0.0.2/24", "--mac",
                STACK_MAC, "--ipv6", STACK + "/64", "--ipv6", SECOND + "/64", "--listen", "tcp:7000", "--metrics",
                "127.0.0.1:9464", "--pcap", pcap.toString(), "--duration", "12s", "--ui", "json");
            final Thread run = ns.newThread("stack", stack::run);
            run.start();
            stack.awaitLine(l -> l.contains("\"event\":\"ipv6\"") && l.contains(STACK + " duplicate")
                && l.contains(SECOND + " preferred"), 20_000);
            final String metrics = awaitMetric(ns, "counter=\"dad_duplicates\"");
            assertEquals(1, metric(metrics, "dad_duplicates"), metrics);
            assertTrue(metric(metrics, "dad_succeeded") >= 1, metrics);
            // the address that passed is in use: the kernel's pings to it are answered
            final CommandResult ping = ns.exec("ping", "-6", "-c", "10", "-i", "0.2", "-W", "2", SECOND);
            assertTrue(ping.output().contains("10 received"), ping.output());
            run.join(30_000);
            assertEquals(0, stack.exitCode(), stack.err());
            final String start = stack.lines().stream().filter(l -> l.contains("\"event\":\"start\"")).findFirst()
                .orElse("");
            assertTrue(start.contains("ipv6 " + STACK + "/64") && start.contains("ipv6 " + SECOND + "/64"), start);
            // never used: no packet from the duplicate and no advertisement of it leave the stack (its DAD probe is
            // from ::), and its probe did go out
            final String fromStack = "eth.src == " + STACK_MAC;
            assertEquals(0, count(pcap, fromStack + " && (ipv6.src == " + STACK + " || icmpv6.nd.na.target_address == "
                + STACK + ")"));
            assertEquals(1, count(pcap, fromStack + " && ipv6.src == :: && icmpv6.nd.ns.target_address == " + STACK));
            assertTrue(count(pcap, fromStack + " && icmpv6.type == 129 && ipv6.src == " + SECOND) >= 10);
            System.out.println(stack.lines().stream().filter(l -> l.contains("\"event\":\"ipv6\"")).toList());
        }
        finally
        {
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
    }

    @Test
    void aConfiguredAddressAnswersTheKernelAndAnOffLinkHostThroughTheGateway(@TempDir final Path dir)
        throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("ping");
        Privileges.assumeCommand("tshark");
        final NetworkNamespace router = NetworkNamespace.create("ct-v6r");
        NetworkNamespace far = null;
        try
        {
            far = NetworkNamespace.create("ct-v6f");
            router.addTap("ct0");
            router.linkUp("ct0");
            router.addAddress("ct0", "10.0.0.1/24");
            router.ip("-6", "addr", "add", KERNEL + "/64", "dev", "ct0", "nodad").check();
            // a second namespace behind the router's kernel: fd00:c1::/64 on a veth pair, forwarding on
            router.addVethPair("r0", "f0");
            router.ip("link", "set", "f0", "netns", far.name()).check();
            router.ip("-6", "addr", "add", "fd00:c1::1/64", "dev", "r0", "nodad").check();
            router.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").check();
            far.linkUp("f0");
            far.ip("-6", "addr", "add", FAR + "/64", "dev", "f0", "nodad").check();
            far.ip("-6", "route", "add", "default", "via", "fd00:c1::1").check();
            final String routerMac = router.ip("-br", "link", "show", "ct0").output().trim().split("\\s+")[2];
            final Path pcap = dir.resolve("gw.pcap");
            // a conntest on the far host's kernel sockets, for the stack to dial off-link
            final CliRun kernel = new CliRun("--name", "far", "--listen", "tcp:[" + FAR + "]:7001", "--duration",
                "16s", "--ui", "json");
            final Thread farRun = far.newThread("far", kernel::run);
            farRun.start();
            kernel.awaitLine(l -> l.contains("\"event\":\"listening\""), 10_000);
            // with offloads (the default): the router's forwarded segments reach the TAP with a partial checksum
            // (virtio NEEDS_CSUM), which the IPv6 receive path must trust as the IPv4 one does
            final CliRun stack = new CliRun("--name", "s", "--tap", "ct0", "--ipv4", "10.0.0.2/24", "--mac",
                STACK_MAC, "--ipv6", STACK + "/64", "--ipv6-gateway", KERNEL, "--listen", "tcp:7000", "--connect",
                "tcp://[" + FAR + "]:7001", "--pcap", pcap.toString(), "--duration", "12s", "--ui", "json");
            final Thread run = router.newThread("stack", stack::run);
            run.start();
            stack.awaitLine(l -> l.contains("\"event\":\"ipv6\"") && l.contains(STACK + " preferred"), 20_000);
            final CommandResult near = router.exec("ping", "-6", "-c", "10", "-i", "0.2", "-W", "2", STACK);
            assertTrue(near.output().contains("10 received"), near.output());
            final CommandResult offLink = far.exec("ping", "-6", "-c", "10", "-i", "0.2", "-W", "2", STACK);
            assertTrue(offLink.output().contains("10 received"), offLink.output());
            run.join(30_000);
            assertEquals(0, stack.exitCode(), stack.err());
            final String start = stack.lines().stream().filter(l -> l.contains("\"event\":\"start\"")).findFirst()
                .orElse("");
            assertTrue(start.contains("ipv6 via " + KERNEL), start);
            // TCP to the off-link host: up at the first attempt, its peer named
            assertTrue(stack.lines().stream().noneMatch(l -> l.contains("\"event\":\"connect_failed\"")),
                String.join("\n", stack.lines()));
            assertTrue(stack.lines().stream().anyMatch(l -> l.contains("\"event\":\"hello\"")
                && l.contains("\"peer_name\":\"far\"")), String.join("\n", stack.lines()));
            assertTrue(count(pcap, "eth.src == " + STACK_MAC + " && eth.dst == " + routerMac
                + " && tcp.flags.syn == 1 && ipv6.dst == " + FAR) >= 1);
            farRun.join(30_000);
            assertEquals(0, kernel.exitCode(), kernel.err());
            // the replies to the off-link host went to the gateway's MAC (the only MAC on the link but ours; the
            // count proves each left the stack addressed to it)
            assertEquals(10, count(pcap, "eth.src == " + STACK_MAC + " && eth.dst == " + routerMac
                + " && icmpv6.type == 129 && ipv6.dst == " + FAR));
            assertEquals(0, count(pcap, "eth.src == " + STACK_MAC + " && eth.dst != " + routerMac
                + " && ipv6.dst == " + FAR));
            System.out.println(offLink.output());
        }
        finally
        {
            router.close();
            if (far != null)
            {
                far.close();
            }
        }
        assertFalse(NetworkNamespace.list().contains(router.name()));
        assertFalse(NetworkNamespace.list().contains(far.name()));
    }

    /** Frames of {@code pcap} that match a tshark display filter. */
    private static long count(final Path pcap, final String filter) throws Exception
    {
        final Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields", "-e",
            "frame.number").redirectErrorStream(false).start();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream()); // "Running as user root"
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "tshark -Y " + filter);
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
    }

    /** The scrape of the instance's /metrics, once it holds {@code needle}. */
    private static String awaitMetric(final NetworkNamespace ns, final String needle)
    {
        final String[] last = {""};
        Await.until(() -> (last[0] = get(ns)).contains(needle), 10_000, () -> "metrics with " + needle + ":\n"
            + last[0]);
        return last[0];
    }

    private static long metric(final String scrape, final String counter)
    {
        final Matcher m = Pattern.compile("(?m)^conntest_interface_counted_total\\{[^}]*counter=\"" + counter
            + "\"[^}]*\\} ([0-9.eE+]+)$").matcher(scrape);
        assertTrue(m.find(), counter + " in " + scrape);
        return (long)Double.parseDouble(m.group(1));
    }

    private static String get(final NetworkNamespace ns)
    {
        return ns.call(() ->
        {
            try
            {
                final HttpURLConnection c = (HttpURLConnection)URI.create("http://127.0.0.1:9464/metrics").toURL()
                    .openConnection();
                c.setConnectTimeout(1_000);
                c.setReadTimeout(2_000);
                try (InputStream in = c.getInputStream())
                {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            catch (final IOException ex)
            {
                return "";
            }
        });
    }
}
