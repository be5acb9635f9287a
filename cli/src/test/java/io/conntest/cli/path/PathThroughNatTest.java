package io.conntest.cli.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
 * What each end sees of the other's packets (PEER_SEEN), through a real NAT: an instance on its own stack on a TAP
 * (192.168.7.2) behind the kernel of its namespace, which routes and masquerades (nftables) onto a veth towards a
 * second namespace where an instance on kernel sockets listens (10.9.0.2), and rewrites the DSCP of what comes back
 * to CS1. The client learns it is seen as the router's address (translated); the server learns its packets cross
 * one router (TTL 64 sent, 63 seen by the stack) and arrive with DSCP 8 where it sent 0 (rewritten); over UDP the
 * client learns its hop count too (the kernel's UDP socket reads each datagram's TTL).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PathThroughNatTest
{
    @Test
    @SuppressWarnings("unchecked")
    void theClientIsSeenTranslatedAndTheServerLearnsHopsAndTheDscpRewrite() throws Exception
    {
        Privileges.assumeNetworkNamespaces();
        Privileges.assumeCommand("nft");
        try (MasqueradingRouter router = new MasqueradingRouter("ct-nat"))
        {
            final NetworkNamespace inside = router.inside;
            inside.exec("nft", "add", "chain", "ip", "ctnat", "forw", "{ type filter hook forward priority 0 ; }")
                .check();
            inside.exec("nft", "add", "rule", "ip", "ctnat", "forw", "iifname", "vin", "ip", "dscp", "set", "cs1")
                .check();

            final CliRun server = new CliRun("--name", "server", "--listen", "tcp:7000", "--listen", "udp:7000",
                "--duration", "9s", "--ui", "json", "--interval", "500ms");
            final CliRun client = new CliRun("--name", "client", "--tap", "ct0", "--ipv4", "192.168.7.2/24",
                "--ipv4-gateway", "192.168.7.1", "--connect", "tcp://10.9.0.2:7000", "--connect", "udp://10.9.0.2:7000",
                "--duration", "7s", "--ui", "json", "--interval", "500ms");
            router.run(server, client);

            for (final String protocol : List.of("tcp", "udp"))
            {
                final Map<String, Object> out = lastRow(client.lines(), "out", protocol);
                assertTrue(String.valueOf(out.get("seen_as")).startsWith("10.9.0.1:"), protocol + ": " + out);
                assertEquals(Boolean.TRUE, out.get("translated"), protocol + ": the router's masquerade");
                // the kernel tells a UDP socket each datagram's TTL and TOS (IP_RECVTTL/IP_RECVTOS, with the
                // default --offload auto); a TCP socket neither
                assertEquals(protocol.equals("udp") ? 1L : null, out.get("hops"), protocol + ": " + out);
                assertEquals(protocol.equals("udp") ? 0L : null, out.get("dscp_seen"), protocol + ": " + out);
                final Map<String, Object> in = lastRow(server.lines(), "in", protocol);
                assertEquals("10.9.0.2:7000", in.get("seen_as"), protocol + ": " + in);
                assertEquals(1L, in.get("hops"), protocol + ": one router, TTL 64 sent, 63 seen: " + in);
                assertEquals(0L, in.get("dscp_sent"), protocol);
                assertEquals(8L, in.get("dscp_seen"), protocol + ": CS1 set on the way");
                assertEquals(0L, in.get("ecn_seen"), protocol);
            }
            final List<String> paths = events(server.lines(), "path");
            assertTrue(paths.stream().anyMatch(m -> m.contains("1 hop, dscp 0 -> 8 (rewritten)")), paths.toString());
            assertTrue(events(client.lines(), "path").stream().anyMatch(m -> m.contains("(translated)")),
                events(client.lines(), "path").toString());
            assertTrue(client.lines().stream().noneMatch(l -> l.contains("\"event\":\"error\"")));
        }
    }

    /** The last interval line of the row with this direction and protocol. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastRow(final List<String> lines, final String direction, final String protocol)
    {
        Map<String, Object> last = new HashMap<>();
        for (final String line : lines)
        {
            final Map<String, Object> event = JsonParser.object(line);
            final Map<String, Object> data = (Map<String, Object>)event.get("data");
            if ("interval".equals(event.get("event")) && direction.equals(data.get("direction"))
                && protocol.equals(data.get("protocol")))
            {
                last = data;
            }
        }
        return last;
    }

    @SuppressWarnings("unchecked")
    private static List<String> events(final List<String> lines, final String type)
    {
        final List<String> messages = new ArrayList<>();
        for (final String line : lines)
        {
            final Map<String, Object> event = JsonParser.object(line);
            if (type.equals(event.get("event")))
            {
                messages.add(String.valueOf(((Map<String, Object>)event.get("data")).get("message")));
            }
        }
        return messages;
    }
}
