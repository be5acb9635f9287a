package io.conntest.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Await;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;

/**
 * {@code lab --ipv6}: four instances on their own stacks on one bridge, dual-stack. Each instance's configured
 * address passes DAD (its {@code ipv6} event says preferred; all together before the first engine starts, so no IPv6
 * attempt fails) and the kernel on the bridge pings each one over IPv6,
 * 10 of 10; the pairs that dial over IPv6 (charlie→alpha UDP, charlie→bravo TCP, delta→charlie UDP with 4
 * instances) connect to the peer's IPv6 address, the others to its IPv4 one, and every pair of the mesh, either family, is up in every instance's matrix.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LabDualStackTest
{
    private static final List<String> NAMES = List.of("alpha", "bravo", "charlie", "delta");
    private static final Pattern NAMESPACE = Pattern.compile("namespace (ct-lab-[0-9a-f]{8})");

    @Test
    @SuppressWarnings("unchecked")
    void everyInstanceAnswersPingOverIpv6AndEveryPairIsUpOverItsFamily() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("ping");
        final CliRun lab = new CliRun("lab", "--instances", "4", "--ipv6", "--duration", "14s", "--ui", "json");
        final Thread run = new Thread(lab::run, "lab");
        run.start();
        Await.until(() -> lab.err().contains("pairs over IPv6"), 20_000, lab::err);
        assertTrue(lab.err().contains("pairs over IPv6: charlie->alpha udp, charlie->bravo tcp, delta->charlie udp"),
            lab.err());
        final Matcher m = NAMESPACE.matcher(lab.err());
        assertTrue(m.find(), lab.err());
        final String ns = m.group(1);
        for (int i = 0; i < NAMES.size(); i++)
        {
            final String address = "fd00:10::" + (11 + i);
            final String name = NAMES.get(i);
            lab.awaitLine(l -> l.contains("\"event\":\"ipv6\"") && l.contains("\"instance\":\"" + name + "\"")
                && l.contains(address + " preferred"), 20_000);
            final String ping = exec(ns, "ping", "-6", "-c", "10", "-i", "0.2", "-W", "2", address);
            assertTrue(ping.contains("10 received"), ping);
        }
        run.join(60_000);
        assertEquals(0, lab.exitCode(), lab.err());
        final Map<String, Map<String, Object>> lastMatrix = new HashMap<>();
        final java.util.Set<String> connected = new java.util.TreeSet<>();
        final List<String> ipv6Failures = new java.util.ArrayList<>();
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
            if ("connect_failed".equals(event.get("event")) && String.valueOf(data.get("host")).startsWith("fd00:"))
            {
                ipv6Failures.add(line);
            }
            if ("connected".equals(event.get("event")) && "out".equals(data.get("direction")))
            {
                connected.add(data.get("instance") + "->" + data.get("protocol") + ":" + data.get("host"));
            }
        }
        assertEquals(NAMES, lastMatrix.keySet().stream().sorted().toList(), "every instance emits matrix events");
        // the stacks passed DAD together before the first engine started: no IPv6 attempt lacked its source
        assertEquals(List.of(), ipv6Failures);
        for (final String instance : NAMES)
        {
            final List<Map<String, Object>> cells = (List<Map<String, Object>>)lastMatrix.get(instance).get("cells");
            for (int j = 0; j < NAMES.size(); j++)
            {
                for (int i = 0; i < j; i++)
                {
                    final String from = NAMES.get(j);
                    final String to = NAMES.get(i);
                    final Map<String, Object> cell = cells.stream().filter(c -> from.equals(c.get("from"))
                        && to.equals(c.get("to"))).findFirst()
                        .orElseThrow(() -> new AssertionError(from + "->" + to + " in " + cells));
                    assertEquals(true, cell.get("up"), instance + " sees " + from + "->" + to + ": " + cell);
                }
            }
        }
        // pairs k = 0..5 in dialling order: IPv6 when k is 1 or 2 modulo 4; TCP when k is even
        assertEquals(new java.util.TreeSet<>(List.of("bravo->tcp:10.0.0.11", "charlie->udp:fd00:10::11",
            "charlie->tcp:fd00:10::12", "delta->udp:10.0.0.11", "delta->tcp:10.0.0.12", "delta->udp:fd00:10::13")),
            connected);
        assertFalse(NetworkNamespace.list().contains(ns), "namespace removed");
    }

    private static String exec(final String ns, final String... command) throws Exception
    {
        final String[] full = new String[command.length + 4];
        full[0] = NetworkNamespace.ipCommand();
        full[1] = "netns";
        full[2] = "exec";
        full[3] = ns;
        System.arraycopy(command, 0, full, 4, command.length);
        final Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out.toString(StandardCharsets.UTF_8);
    }
}
