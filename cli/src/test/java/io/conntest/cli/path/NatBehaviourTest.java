package io.conntest.cli.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * The NAT test ({@code ?nat-test}) through real Linux NATs built with nftables: a client on its own stack on a TAP
 * (192.168.7.2) behind the kernel of its namespace, which routes and translates onto a veth towards a second
 * namespace (10.9.0.0/24) where the server listens, on kernel sockets (10.9.0.2) or on its own stack behind that
 * namespace's kernel (10.10.0.2).
 *
 * <p>What Linux does (nf_nat, verified here): {@code masquerade} keeps the source port when the translated tuple is
 * free and reuses it towards every destination, so the mapping is endpoint-independent with the port preserved
 * (RFC 4787 &sect;4.1); an answer from a port the client never sent to matches no conntrack entry, is not
 * translated back and ends at the router (address-and-port-dependent filtering, &sect;5); a binding lives as long as
 * {@code nf_conntrack_udp_timeout} ({@code _stream} once the flow is assured), refreshed by each packet (&sect;4.3).
 * A {@code dnat} of everything arriving from outside to the client's address (the port kept) turns it
 * "full-cone-like": the answer from the other port reaches the client (endpoint-independent filtering).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatBehaviourTest
{
    /** The router: the inside namespace's kernel, masquerading out of {@code vin} (and optionally the dnat back). */
    private static final class Topology implements AutoCloseable
    {
        final MasqueradingRouter router;
        final NetworkNamespace inside;
        final NetworkNamespace outside;

        Topology(final boolean fullCone, final boolean serverOnStack)
        {
            router = new MasqueradingRouter("ct-natb");
            inside = router.inside;
            outside = router.outside;
            try
            {
                if (fullCone)
                {
                    // whatever arrives from outside for a high port goes to the client, at that port: with the
                    // masquerade keeping ports, a full-cone-like NAT for one inside host
                    inside.exec("nft", "add", "chain", "ip", "ctnat", "pre",
                        "{ type nat hook prerouting priority -100 ; }").check();
                    inside.exec("nft", "add", "rule", "ip", "ctnat", "pre", "iifname", "vin", "udp", "dport",
                        "1024-65535", "dnat", "to", "192.168.7.2").check();
                    // and hairpinning (RFC 4787 §6): what the inside sends to the public address comes back inside,
                    // from the public address (REQ-9b: the sender's mapping, its port kept)
                    inside.exec("nft", "add", "rule", "ip", "ctnat", "pre", "iifname", "ct0", "ip", "daddr",
                        "10.9.0.1", "udp", "dport", "1024-65535", "dnat", "to", "192.168.7.2").check();
                    inside.exec("nft", "add", "rule", "ip", "ctnat", "post", "oifname", "ct0", "ip", "saddr",
                        "192.168.7.0/24", "snat", "to", "10.9.0.1").check();
                    inside.exec("sysctl", "-qw", "net.ipv4.conf.all.send_redirects=0").check();
                    inside.exec("sysctl", "-qw", "net.ipv4.conf.ct0.send_redirects=0").check();
                }
                if (serverOnStack)
                {
                    outside.addTap("ct1");
                    outside.linkUp("ct1");
                    outside.addAddress("ct1", "10.10.0.1/24");
                    outside.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
                    inside.ip("route", "add", "10.10.0.0/24", "via", "10.9.0.2");
                }
            }
            catch (final RuntimeException ex)
            {
                close();
                throw ex;
            }
        }

        /** UDP bindings of the router forgotten after {@code seconds} idle, replied to or not. */
        void udpTimeout(final int seconds)
        {
            inside.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=" + seconds).check();
            inside.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout_stream=" + seconds).check();
        }

        /** Runs the server and the client to their ends; returns the client's run. */
        CliRun run(final CliRun server, final CliRun client) throws InterruptedException
        {
            return router.run(server, client);
        }

        @Override
        public void close()
        {
            router.close();
        }
    }

    private static void assumeRights()
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
    }

    private static CliRun client(final String peer, final String options, final String duration)
    {
        return new CliRun("--name", "client", "--tap", "ct0", "--ipv4", "192.168.7.2/24", "--ipv4-gateway",
            "192.168.7.1", "--connect", "udp://" + peer + "?" + options, "--duration", duration, "--ui", "json",
            "--interval", "1s");
    }

    private static CliRun kernelServer(final String duration)
    {
        return new CliRun("--name", "server", "--listen", "udp:7000", "--duration", duration, "--ui", "json",
            "--interval", "1s");
    }

    @Test
    void masqueradeMapsEndpointIndependentlyKeepsThePortAndFiltersByAddressAndPort() throws Exception
    {
        assumeRights();
        try (Topology t = new Topology(false, false))
        {
            final CliRun client = t.run(kernelServer("11s"), client("10.9.0.2:7000", "nat-test-max=1s", "8s"));
            final Map<String, Object> nat = natTestEvent(client);
            assertEquals("endpoint-independent", nat.get("mapping"), nat.toString());
            assertEquals(Boolean.TRUE, nat.get("port_preserved"), nat.toString());
            assertEquals("address-and-port-dependent", nat.get("filtering"), nat.toString());
            assertTrue(String.valueOf(nat.get("seen_as")).startsWith("10.9.0.1:"), nat.toString());
            // a plain masquerade does not hairpin: the request to the public address ends at the router
            assertEquals(Boolean.FALSE, nat.get("hairpinning"), nat.toString());
            assertEquals(1.0, ((Number)nat.get("binding_lifetime_min_s")).doubleValue(), 1e-9, nat.toString());
            assertNull(nat.get("binding_lifetime_max_s"), "no gap up to the maximum lost the binding");
            assertNull(nat.get("error"), nat.toString());
            // the verdicts are in the summary too
            final Map<String, Object> summary = summary(client);
            assertEquals(nat.get("mapping"), ((Map<?, ?>)((List<?>)summary.get("nat_tests")).get(0)).get("mapping"));
        }
    }

    @Test
    void aFullConeLikeRuleSetFiltersEndpointIndependentlyAndAStackListenerAnswers() throws Exception
    {
        assumeRights();
        try (Topology t = new Topology(true, true))
        {
            final CliRun server = new CliRun("--name", "server", "--tap", "ct1", "--ipv4", "10.10.0.2/24",
                "--ipv4-gateway", "10.10.0.1", "--listen", "udp:7000", "--duration", "11s", "--ui", "json",
                "--interval", "1s");
            final CliRun client = t.run(server, client("10.10.0.2:7000", "nat-test-max=1s", "8s"));
            final Map<String, Object> nat = natTestEvent(client);
            assertEquals("endpoint-independent", nat.get("mapping"), nat.toString());
            assertEquals("endpoint-independent or address-dependent", nat.get("filtering"), nat.toString());
            assertTrue(String.valueOf(nat.get("seen_as")).startsWith("10.9.0.1:"), nat.toString());
            assertEquals(Boolean.TRUE, nat.get("hairpinning"), nat.toString());
            assertTrue(String.valueOf(nat.get("hairpin_source")).startsWith("10.9.0.1:"), nat.toString());
        }
    }

    /**
     * The router forgets idle UDP bindings after 5 s ({@code nf_conntrack_udp_timeout} and {@code _stream} in its
     * namespace): the test finds the lifetime within 20%, and a keep-alive under it.
     */
    @Test
    void theBindingLifetimeOfTheRouterIsMeasured() throws Exception
    {
        assumeRights();
        try (Topology t = new Topology(false, false))
        {
            t.udpTimeout(5);
            final CliRun client = t.run(kernelServer("40s"), client("10.9.0.2:7000", "nat-test-max=10s", "36s"));
            final Map<String, Object> nat = natTestEvent(client);
            final double min = ((Number)nat.get("binding_lifetime_min_s")).doubleValue();
            final double max = ((Number)nat.get("binding_lifetime_max_s")).doubleValue();
            System.out.println("router udp timeout 5 s: measured binding lifetime " + min + " to " + max
                + " s, keep-alive " + nat.get("keepalive_s") + " s");
            assertTrue(min >= 4.0 && max <= 6.0 && min < max, nat.toString());
            assertTrue(((Number)nat.get("keepalive_s")).doubleValue() < min, nat.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> natTestEvent(final CliRun client)
    {
        for (final String line : client.lines())
        {
            final Map<String, Object> event = JsonParser.object(line);
            if ("nat_test".equals(event.get("event")))
            {
                System.out.println(line);
                return (Map<String, Object>)event.get("data");
            }
        }
        throw new AssertionError("no nat_test event in:\n" + client.out() + client.err());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(final CliRun client)
    {
        for (final String line : client.lines())
        {
            final Map<String, Object> event = JsonParser.object(line);
            if ("summary".equals(event.get("event")))
            {
                return (Map<String, Object>)event.get("data");
            }
        }
        throw new AssertionError("no summary");
    }
}
