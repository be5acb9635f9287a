package io.conntest.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * {@code probe --confirm-with}: a conntest instance on its own stack on a TAP (10.0.0.2, UDP listener 7000) tells
 * the prober (the kernel of a second namespace, 10.9.0.2, one router away) which of its unanswered probes arrived.
 * nftables on the router drops some probes on their way there (TCP 7001, UDP 7003) and some answers on their way
 * back (the reset from TCP 7002, the ICMP port unreachable for UDP 7004): nmap's words stay (filtered,
 * open|filtered, no-response), and the peer's word tells the two cases apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeConfirmTest
{
    @Test
    @SuppressWarnings("unchecked")
    void thePeerTellsAProbeDroppedOnTheWayThereFromAnAnswerDroppedOnTheWayBack() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final NetworkNamespace ns = NetworkNamespace.create("ct-pconf");
        final NetworkNamespace prober = NetworkNamespace.create("ct-pconf-p");
        try
        {
            // the router: the TAP side 10.0.0.1 (the peer on its own stack at 10.0.0.2), a veth to the prober's
            // namespace (10.9.0.1 / 10.9.0.2); nftables in its forward hook is the firewall on the way
            ns.addTap("ct0");
            ns.linkUp("ct0");
            ns.addAddress("ct0", "10.0.0.1/24");
            ns.addVethPair("vr", "vp");
            ns.ip("link", "set", "vp", "netns", prober.name());
            ns.addAddress("vr", "10.9.0.1/24");
            ns.linkUp("vr");
            prober.addAddress("vp", "10.9.0.2/24");
            prober.linkUp("vp");
            prober.ip("route", "add", "10.0.0.0/24", "via", "10.9.0.1");
            ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
            ns.exec("nft", "add", "table", "inet", "ctconf").check();
            ns.exec("nft", "add", "chain", "inet", "ctconf", "forw", "{ type filter hook forward priority 0 ; }")
                .check();
            // on the way there: TCP 7001 and UDP 7003; on the way back: the reset from TCP 7002, the ICMP errors
            ns.exec("nft", "add", "rule", "inet", "ctconf", "forw", "iifname", "vr", "tcp", "dport", "7001", "drop")
                .check();
            ns.exec("nft", "add", "rule", "inet", "ctconf", "forw", "iifname", "vr", "udp", "dport", "7003", "drop")
                .check();
            ns.exec("nft", "add", "rule", "inet", "ctconf", "forw", "iifname", "ct0", "tcp", "sport", "7002", "tcp",
                "flags", "&", "rst", "==", "rst", "drop").check();
            ns.exec("nft", "add", "rule", "inet", "ctconf", "forw", "iifname", "ct0", "icmp", "type",
                "destination-unreachable", "drop").check();
            final CliRun peer = new CliRun("--name", "peer", "--tap", "ct0", "--ipv4", "10.0.0.2/24",
                "--ipv4-gateway", "10.0.0.1", "--listen",
                "udp:7000", "--listen", "tcp:7000", "--duration", "10s", "--ui", "json");
            final Thread p = ns.newThread("peer", peer::run);
            p.start();
            peer.awaitLine(l -> l.contains("\"event\":\"listening\"") && l.contains("\"protocol\":\"udp\""), 15_000);
            final CliRun probe = new CliRun("probe", "10.0.0.2", "-p", "T:7000-7002,U:7003,7004", "--timeout",
                "300ms", "--confirm-with", "7000", "--ui", "json");
            assertEquals(0, prober.call(probe::run), probe.out() + probe.err());
            final Map<String, String> found = new HashMap<>();
            for (final String line : probe.lines())
            {
                final Map<String, Object> event = JsonParser.object(line);
                if ("port".equals(event.get("event")))
                {
                    final Map<String, Object> d = (Map<String, Object>)event.get("data");
                    found.put(d.get("port") + "/" + d.get("protocol"), d.get("state") + " " + d.get("reason")
                        + " " + d.get("peer_saw"));
                }
            }
            assertEquals(Map.of("7000/tcp", "open syn-ack null",
                "7001/tcp", "filtered no-response not-seen",
                "7002/tcp", "filtered no-response arrived",
                "7003/udp", "open|filtered no-response not-seen",
                "7004/udp", "open|filtered no-response arrived"), found, probe.out());
            // the text table says it in words
            final CliRun text = new CliRun("probe", "10.0.0.2", "-p", "T:7001,7002", "--timeout", "300ms",
                "--confirm-with", "7000");
            prober.call(text::run);
            assertTrue(text.out().contains("peer: arrived at a closed port and was answered: the answer was lost on "
                + "the way back"), text.out());
            assertTrue(text.out().contains("peer: never seen at a closed port: dropped on the way there"), text.out());
            System.out.println(text.out());
            p.join(30_000);
        }
        finally
        {
            prober.close();
            ns.close();
        }
        assertFalse(NetworkNamespace.list().contains(ns.name()));
        assertFalse(NetworkNamespace.list().contains(prober.name()));
    }
}
