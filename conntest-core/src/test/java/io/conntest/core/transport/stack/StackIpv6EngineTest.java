package io.conntest.core.transport.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.conntest.core.engine.ConnectSpec;
import io.conntest.core.engine.EngineConfig;
import io.conntest.core.engine.ListenSpec;
import io.conntest.core.event.EventType;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.TransportProtocol;
import io.conntest.stack.phy.FaultConfig;
import io.conntest.stack.wire.Ipv6Address;

/**
 * Two engines over two userspace stacks that reach each other by IPv6 (issue 13): configured addresses, DAD, then
 * conntest's TCP protocol to {@code [fd00:c0:6::2]}: hello, latency probes and a verified bandwidth test each way,
 * the peers named by their IPv6 addresses; clean, and under seeded loss, duplication and reordering.
 */
class StackIpv6EngineTest
{
    private static final String SERVER6 = "fd00:c0:6::2";
    private static final String CLIENT6 = "fd00:c0:6::1";

    private static StackSim dualStack(final FaultConfig faults, final long seed)
    {
        final StackSim sim = new StackSim(faults, seed);
        final long[] server = Ipv6Address.parse(SERVER6);
        final long[] client = Ipv6Address.parse(CLIENT6);
        sim.serverHost.stack().iface().ipv6().addStaticAddress(server[0], server[1], 64);
        sim.clientHost.stack().iface().ipv6().addStaticAddress(client[0], client[1], 64);
        return sim;
    }

    private static void run(final StackSim sim, final long maxMs)
    {
        final StackSim.Node srv = sim.start(sim.serverHost, EngineConfig.builder("srv")
            .listen(new ListenSpec(TransportProtocol.TCP, 5000)).build());
        // the client's first attempt may find no IPv6 source yet (DAD): it is retried like any failed connect
        final StackSim.Node cli = sim.start(sim.clientHost, EngineConfig.builder("cli")
            .connect(ConnectSpec.of(TransportProtocol.TCP, SERVER6, 5000).withBandwidth(16 * 1024, 2_000_000, 0)
                .withVerify(true)).build());
        sim.runUntil(() -> cli.client(sim.clock.nowNs()) != null
            && cli.client(sim.clock.nowNs()).bandwidthTests() >= 2, maxMs, "one round up and down over IPv6");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        assertEquals("srv", c.peerName());
        assertEquals("cli", s.peerName());
        assertTrue(c.latencySamples() > 0, "latency probes answered");
        assertTrue(c.bandwidthUpLastBps() > 0 && c.bandwidthDownLastBps() > 0, "both directions measured");
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertTrue(srv.events(EventType.ERROR).isEmpty());
        assertTrue(srv.events(EventType.CONNECTED).stream().anyMatch(e -> String.valueOf(e).contains(CLIENT6)),
            "the server names its peer by its IPv6 address: " + srv.events(EventType.CONNECTED));
    }

    @Test
    void conntestTcpOverTheStacksIpv6()
    {
        run(dualStack(FaultConfig.none(), 7), 30_000);
    }

    @Test
    void conntestTcpOverTheStacksIpv6UnderLossDuplicationAndReordering()
    {
        run(dualStack(FaultConfig.none().drop(0.01).duplicate(0.005).reorder(0.01, 3), 8), 120_000);
    }
}
