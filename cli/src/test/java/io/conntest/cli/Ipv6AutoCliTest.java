package io.conntest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.CommandResult;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * {@code --ipv6 auto} end to end: in a private namespace, dnsmasq ({@code --enable-ra}, {@code ra-only}) advertises
 * fd00:c0:1::/64 on the TAP's kernel side; conntest on its own stack solicits a router, forms its stable SLAAC
 * address, passes DAD, says so in an {@code ipv6} event, and the kernel's {@code ping -6} to that address is
 * answered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Ipv6AutoCliTest
{
    private static final Pattern GLOBAL = Pattern.compile("(fd00:c0:1:[0-9a-f:]+) preferred");

    @Test
    void theStackFormsItsSlaacAddressFromTheAdvertisementAndTheKernelPingsIt(@TempDir final Path dir)
        throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("dnsmasq");
        Privileges.assumeCommand("ping");
        final NetworkNamespace ns = NetworkNamespace.create("ct-v6cli");
        Process dnsmasq = null;
        try
        {
            ns.addTap("ct0");
            ns.exec("sysctl", "-qw", "net.ipv6.conf.ct0.accept_dad=0").check();
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            ns.addAddress("ct0", "fd00:c0:1::1/64");
            final CliRun stack = new CliRun("--name", "s", "--tap", "ct0", "--ipv4", "10.0.0.2/24", "--ipv6", "auto",
                "--listen", "udp:7000", "--duration", "15s", "--ui", "json");
            final Thread run = ns.newThread("stack", stack::run);
            run.start();
            stack.awaitLine(l -> l.contains("\"event\":\"start\""), 15_000);
            // the TAP is attached now (its link up): the router starts advertising, and answers the stack's
            // solicitations
            dnsmasq = new ProcessBuilder(NetworkNamespace.ipCommand(), "netns", "exec", ns.name(), "dnsmasq",
                "--keep-in-foreground", "--conf-file=/dev/null", "--port=0", "--interface=ct0", "--bind-interfaces",
                "--enable-ra", "--dhcp-range=fd00:c0:1::,ra-only,64,1h", "--pid-file=" + dir.resolve("pid"),
                "--dhcp-leasefile=" + dir.resolve("leases"), "--log-facility=-", "--user=root", "--group=root")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
            stack.awaitLine(l -> l.contains("\"event\":\"ipv6\"") && GLOBAL.matcher(l).find(), 20_000);
            final String event = stack.lines().stream()
                .filter(l -> l.contains("\"event\":\"ipv6\"") && GLOBAL.matcher(l).find()).findFirst().orElseThrow();
            final Matcher m = GLOBAL.matcher(event);
            assertTrue(m.find(), event);
            final String address = m.group(1);
            final CommandResult ping = ns.exec("ping", "-6", "-c", "5", "-i", "0.2", "-W", "2", address);
            assertTrue(ping.output().contains("5 received"), ping.output());
            run.join(30_000);
            assertEquals(0, stack.exitCode(), stack.err());
            final String start = stack.lines().stream().filter(l -> l.contains("\"event\":\"start\"")).findFirst()
                .orElse("");
            assertTrue(start.contains("ipv6 auto (slaac)"), start);
            assertTrue(stack.lines().stream().anyMatch(l -> l.contains("\"event\":\"ipv6\"")
                && l.contains("fe80::") && l.contains("preferred")), String.join("\n", stack.lines()));
            System.out.println(event);
            System.out.println(ping.output());
        }
        finally
        {
            if (dnsmasq != null)
            {
                dnsmasq.destroy(); // SIGTERM to the PID this test started
                if (!dnsmasq.waitFor(5, TimeUnit.SECONDS))
                {
                    dnsmasq.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
        assertFalse(Files.exists(dir.resolve("nothing")));
    }
}
