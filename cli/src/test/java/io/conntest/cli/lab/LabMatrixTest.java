package io.conntest.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
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
 * The mesh as a matrix on a four-instance lab, each instance on its own stack on a TAP, where the pair alpha–charlie
 * is blocked by an nftables rule on the bridge: every instance's {@code matrix} event (and its summary) shows
 * charlie's cell for alpha failing with the reason (timeout: the rule drops, nothing answers) and every other pair
 * up, including the pairs that instance is not part of, which it knows only from its peers' PEER_VIEW frames.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabMatrixTest
{
    private static final List<String> NAMES = List.of("alpha", "bravo", "charlie", "delta");

    @Test
    @SuppressWarnings("unchecked")
    void everyInstanceShowsTheBlockedPairFailingAndTheRestUp()
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final CliRun lab = new CliRun("lab", "--instances", "4", "--duration", "14s", "--ui", "json",
            "--block", "alpha:charlie");
        assertEquals(0, lab.run(), lab.err());
        assertTrue(lab.err().contains("traffic between alpha and charlie is dropped on the bridge"), lab.err());
        // the last matrix of each instance while the lab ran (once the instances stop, their pairs close one by one)
        final Map<String, Map<String, Object>> lastMatrix = new HashMap<>();
        final Map<String, Map<String, Object>> summaryMesh = new HashMap<>();
        boolean stopping = false;
        for (final String line : lab.lines())
        {
            final Map<String, Object> event = JsonParser.object(line);
            final Map<String, Object> data = (Map<String, Object>)event.get("data");
            stopping |= "closed".equals(event.get("event")) || "stopped".equals(event.get("event"));
            if ("matrix".equals(event.get("event")) && !stopping)
            {
                lastMatrix.put((String)data.get("instance"), data);
            }
            if ("summary".equals(event.get("event")))
            {
                summaryMesh.put((String)data.get("instance"), (Map<String, Object>)data.get("mesh"));
            }
        }
        assertEquals(NAMES, lastMatrix.keySet().stream().sorted().toList(), "every instance emits matrix events");
        assertEquals(NAMES, summaryMesh.keySet().stream().sorted().toList(), "every summary has the mesh");
        for (final String instance : NAMES)
        {
            for (final Map<String, Object> m : List.of(lastMatrix.get(instance)))
            {
                assertEquals(NAMES, m.get("nodes"), instance);
                final List<Map<String, Object>> cells = (List<Map<String, Object>>)m.get("cells");
                for (int j = 0; j < NAMES.size(); j++)
                {
                    for (int i = 0; i < j; i++)
                    {
                        final Map<String, Object> dial = cell(cells, NAMES.get(j), NAMES.get(i));
                        final String where = instance + " sees " + NAMES.get(j) + " -> " + NAMES.get(i) + ": " + dial;
                        final String protocol = LabMesh.protocolOfPair(j * (j - 1) / 2 + i).lowerName();
                        assertEquals(protocol, dial.get("protocol"), where);
                        if (i == 0 && j == 2)
                        {
                            assertEquals(false, dial.get("up"), where);
                            assertEquals("timeout", dial.get("reason"), where);
                            assertTrue(String.valueOf(dial.get("detail")).contains("10.0.0.11"), where);
                            assertTrue(cells.stream().noneMatch(c -> "alpha".equals(c.get("from"))
                                && "charlie".equals(c.get("to"))), "alpha never heard from charlie: " + instance);
                            continue;
                        }
                        assertEquals(true, dial.get("up"), where);
                        assertTrue(dial.get("latency_p50_ns") instanceof Long, where);
                        assertEquals(true, cell(cells, NAMES.get(i), NAMES.get(j)).get("up"), where + " (accepted)");
                    }
                }
            }
        }
        final String ns = lab.err().replaceAll("(?s).*namespace (ct-lab-[0-9a-f]{8}) removed.*", "$1");
        assertFalse(NetworkNamespace.list().contains(ns), "namespace removed");
    }

    /**
     * {@code --topology nat}: alpha and bravo outside, charlie and delta inside behind the masquerading router that
     * drops UDP to alpha. Every instance's matrix: the pairs through the NAT up and translated, the pairs on one side
     * up and not translated, the UDP pairs to alpha failing (timeout: dropped).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theNatTopologyShowsTranslatedPairsAndTheBlockedPort()
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        final CliRun lab = new CliRun("lab", "--instances", "4", "--duration", "14s", "--ui", "json",
            "--topology", "nat", "--router-mtu", "1280");
        assertEquals(0, lab.run(), lab.err());
        assertTrue(lab.err().contains("topology nat: router 10.0.0.1 / 10.1.0.1"), lab.err());
        assertTrue(lab.err().contains("outside link mtu 1280"), lab.err());
        final Map<String, Map<String, Object>> lastMatrix = new HashMap<>();
        boolean stopping = false;
        for (final String line : lab.lines())
        {
            final Map<String, Object> event = JsonParser.object(line);
            stopping |= "closed".equals(event.get("event")) || "stopped".equals(event.get("event"));
            if ("matrix".equals(event.get("event")) && !stopping)
            {
                final Map<String, Object> data = (Map<String, Object>)event.get("data");
                lastMatrix.put((String)data.get("instance"), data);
            }
        }
        assertEquals(NAMES, lastMatrix.keySet().stream().sorted().toList());
        for (final String instance : NAMES)
        {
            final List<Map<String, Object>> cells = (List<Map<String, Object>>)lastMatrix.get(instance).get("cells");
            for (final String[] through : new String[][] {{"charlie", "bravo"}, {"delta", "bravo"}})
            {
                final Map<String, Object> c = cell(cells, through[0], through[1]);
                assertEquals(true, c.get("up"), instance + ": " + c);
                assertEquals(true, c.get("translated"), instance + ": through the NAT: " + c);
            }
            for (final String[] oneSide : new String[][] {{"bravo", "alpha"}, {"delta", "charlie"}})
            {
                final Map<String, Object> c = cell(cells, oneSide[0], oneSide[1]);
                assertEquals(true, c.get("up"), instance + ": " + c);
                assertEquals(false, c.get("translated"), instance + ": one side of the NAT: " + c);
            }
            for (final String inside : List.of("charlie", "delta"))
            {
                final Map<String, Object> c = cell(cells, inside, "alpha");
                assertEquals("udp", c.get("protocol"));
                assertEquals(false, c.get("up"), instance + ": udp to alpha is dropped by the router: " + c);
                assertEquals("timeout", c.get("reason"), instance + ": " + c);
            }
        }
        assertTrue(lab.lines().stream().anyMatch(l -> l.contains("\"event\":\"path\"")
            && l.contains("\"instance\":\"charlie\"") && l.contains("(translated), 1 hop")), "charlie learns it");
        // the NAT's type, measured by the inside instances towards bravo (UDP across the NAT): Linux's masquerade
        // keeps the mapping per local socket and lets in only what answers a flow, and the lab runs its binding
        // test only up to 3 s (conntrack keeps a UDP binding 30 s)
        final Map<String, Map<String, Object>> natTests = new HashMap<>();
        for (final String line : lab.lines())
        {
            final Map<String, Object> event = JsonParser.object(line);
            if ("nat_test".equals(event.get("event")))
            {
                final Map<String, Object> data = (Map<String, Object>)event.get("data");
                natTests.put((String)data.get("instance"), data);
            }
        }
        assertEquals(List.of("charlie", "delta"), natTests.keySet().stream().sorted().toList(), natTests.toString());
        for (final Map<String, Object> t : natTests.values())
        {
            assertEquals("10.1.0.12:7000", t.get("peer"), t.toString());
            assertTrue(String.valueOf(t.get("seen_as")).startsWith("10.1.0.1:"), t.toString());
            assertEquals("endpoint-independent", t.get("mapping"), t.toString());
            assertEquals("address-and-port-dependent", t.get("filtering"), t.toString());
            assertEquals(3.0, ((Number)t.get("binding_lifetime_min_s")).doubleValue(), 0.01, t.toString());
        }
        // and the path's MTU: the router's outside link is narrower than the TAPs, and its ICMP says so
        final Map<String, Map<String, Object>> pathMtus = new HashMap<>();
        for (final String line : lab.lines())
        {
            final Map<String, Object> event = JsonParser.object(line);
            if ("path_mtu".equals(event.get("event")))
            {
                final Map<String, Object> data = (Map<String, Object>)event.get("data");
                pathMtus.put((String)data.get("instance"), data);
            }
        }
        assertEquals(List.of("charlie", "delta"), pathMtus.keySet().stream().sorted().toList(), pathMtus.toString());
        for (final Map<String, Object> t : pathMtus.values())
        {
            assertEquals(1280L, t.get("path_mtu"), t.toString());
            assertEquals(1500L, t.get("local_mtu"), t.toString());
            assertEquals(1280L, t.get("icmp_mtu"), t.toString());
            assertEquals("10.0.0.1", t.get("icmp_from"), t.toString());
            assertEquals(false, t.get("black_hole"), t.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cell(final List<Map<String, Object>> cells, final String from, final String to)
    {
        return cells.stream().filter(c -> from.equals(c.get("from")) && to.equals(c.get("to"))).findFirst()
            .orElseThrow(() -> new AssertionError("no cell " + from + " -> " + to + " in " + cells));
    }
}
