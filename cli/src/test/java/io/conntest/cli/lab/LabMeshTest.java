package io.conntest.cli.lab;

import io.conntest.cli.CliRun;
import io.conntest.cli.ui.JsonParser;
import io.conntest.stack.testing.Privileges;
import io.conntest.tap.netns.NetworkNamespace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conntest lab}: the mesh connects every pair over TCP and UDP, then everything it made is gone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabMeshTest
{
    @ParameterizedTest
    @CsvSource({"tap,auto", "tap,none", "kernel,auto"})
    @SuppressWarnings("unchecked")
    void threeInstancesMeshThenNothingIsLeft(final String stack, final String offload)
    {
        if (stack.equals("tap"))
        {
            Privileges.assumeNetworkNamespaces();
        }
        final CliRun lab = new CliRun("lab", "--instances", "3", "--duration", "4s", "--ui", "json", "--stack", stack,
            "--offload", offload);
        assertEquals(0, lab.run(), lab.err());
        final List<Map<String, Object>> lines = new ArrayList<>();
        for (final String line : lab.lines())
        {
            lines.add(JsonParser.object(line));
        }
        final Set<String> started = new TreeSet<>();
        final Set<String> pairs = new TreeSet<>();
        final Set<String> protocols = new TreeSet<>();
        for (final Map<String, Object> l : lines)
        {
            final Map<String, Object> data = (Map<String, Object>)l.get("data");
            if ("start".equals(l.get("event")))
            {
                started.add((String)data.get("instance"));
            }
            if ("hello".equals(l.get("event")) && "out".equals(data.get("direction")))
            {
                pairs.add(data.get("instance") + "->" + data.get("peer_name"));
                protocols.add((String)data.get("protocol"));
            }
        }
        assertEquals(Set.of("alpha", "bravo", "charlie"), started);
        assertTrue(lines.stream().filter(l -> "start".equals(l.get("event")))
            .allMatch(l -> stack.equals(((Map<String, Object>)l.get("data")).get("stack"))), stack);
        if (stack.equals("tap"))
        {
            // Each start event names what its TAP negotiated: checksum and TSO with auto, nothing with none.
            for (final Map<String, Object> l : lines)
            {
                if ("start".equals(l.get("event")))
                {
                    final String addresses = String.valueOf(((Map<String, Object>)l.get("data")).get("addresses"));
                    assertTrue(offload.equals("auto") ? addresses.contains("offloads csum tso4")
                        : addresses.contains("offloads none"), addresses);
                }
            }
        }
        assertEquals(Set.of("bravo->alpha", "charlie->alpha", "charlie->bravo"), pairs);
        assertEquals(Set.of("tcp", "udp"), protocols);
        assertTrue(lines.stream().anyMatch(l -> "bandwidth_result".equals(l.get("event"))), "bandwidth on some pairs");
        assertTrue(lines.stream().anyMatch(l -> "interval".equals(l.get("event"))
            && ((Map<String, Object>)l.get("data")).get("latency_p50_ns") instanceof Long));
        assertEquals(3, lines.stream().filter(l -> "summary".equals(l.get("event"))).count());
        assertFalse(lines.stream().anyMatch(l -> "reconnecting".equals(l.get("event"))),
            "a clean stop: nobody reconnects");

        if (Privileges.missing() == null)
        {
            final Matcher ns = Pattern.compile("namespace (ct-lab-[0-9a-f]{8}) removed").matcher(lab.err());
            assertTrue(ns.find(), lab.err());
            assertFalse(NetworkNamespace.list().contains(ns.group(1)), "namespace removed");
            final String taps = tunDevices();
            assertFalse(taps.contains("ctlab"), taps);
        }
        // No engine thread outlives the lab.
        io.conntest.stack.testing.Await.until(() -> liveEngineThreads() == 0, 5000, () -> liveEngineThreads()
            + " engine threads alive");
    }

    private static String tunDevices()
    {
        try
        {
            final Process p = new ProcessBuilder(NetworkNamespace.ipCommand(), "-o", "link", "show", "type", "tun")
                .redirectErrorStream(true).start();
            final String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return text;
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long liveEngineThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("conntest-")).count();
    }
}
