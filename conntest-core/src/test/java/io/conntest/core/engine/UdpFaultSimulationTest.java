package io.conntest.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.conntest.core.event.EventType;
import io.conntest.core.rudp.ReliableUdpConfig;
import io.conntest.core.stats.ConnectionSnapshot;
import io.conntest.core.transport.LinkFaults;
import io.conntest.core.transport.TransportProtocol;

/** The engine over reliable UDP on an in-memory link that drops, duplicates and reorders datagrams. */
class UdpFaultSimulationTest
{
    private static EngineConfig server()
    {
        return EngineConfig.builder("srv").listen(new ListenSpec(TransportProtocol.UDP, 1234)).build();
    }

    private static EngineConfig client(final ConnectSpec spec)
    {
        return EngineConfig.builder("cli").connect(spec).build();
    }

    @Test
    void lossyDuplicatingReorderingLinkStillDeliversVerifiedData()
    {
        final SimHarness sim = new SimHarness();
        final LinkFaults faults = LinkFaults.random(42, 5, 3, 5);
        sim.network.withReliableUdp(ReliableUdpConfig.defaults(), faults);
        final SimHarness.Node srv = sim.start("10.0.0.2", server());
        final SimHarness.Node cli = sim.start("10.0.0.1", client(ConnectSpec.of(TransportProtocol.UDP, "10.0.0.2", 1234)
            .withBandwidth(1200, 300_000, 0).withVerify(true)));

        sim.runUntil(() -> cli.client(sim.clock.nowNs()).bandwidthTests() >= 4, 60_000, "two rounds over a bad link");
        final long now = sim.clock.nowNs();
        final ConnectionSnapshot c = cli.client(now);
        final ConnectionSnapshot s = srv.servers(now).get(0);
        assertEquals(0, c.verificationErrors());
        assertEquals(0, s.verificationErrors());
        assertEquals(0, c.retries(), "the connection survived the faults");
        assertTrue(faults.dropped() > 0 && faults.duplicated() > 0 && faults.reordered() > 0);
        assertTrue(c.udpRetransmitted() > 0 && s.udpRetransmitted() > 0, "both sides retransmitted");
        assertTrue(c.udpLost() > 0 && c.udpLost() <= c.udpRetransmitted());
        assertTrue(c.udpDuplicate() + s.udpDuplicate() > 0, "duplicates counted");
        assertTrue(c.udpOutOfOrder() + s.udpOutOfOrder() > 0, "reordering counted");
        assertTrue(cli.events(EventType.ERROR).isEmpty());
    }

    /**
     * Scripted single drops of the client's n-th datagram, with the exact counters each must produce. The indexes
     * follow the deterministic datagram sequence of this exchange (0 handshake INIT, 1 handshake completion,
     * 2 HELLO, then pings and acknowledgements).
     */
    @ParameterizedTest(name = "drop client datagram {0}")
    @CsvSource({
        // index, client retransmitted, client lost, client duplicate, server retransmitted
        "1, 0, 0, 0, 0",   // a handshake datagram: recovered by the handshake itself, no DATA resent
        "2, 1, 1, 0, 0",   // the HELLO: resent once after the RTO
        "4, 1, 1, 1, 1",   // a ping that also carried the ack of the server's pong: both sides resend once,
                           // and the client sees the server's pong twice (a lost ack)
    })
    void oneDroppedDatagramGivesExactCounters(final int index, final long clientRetransmitted, final long clientLost,
        final long clientDuplicate, final long serverRetransmitted)
    {
        final SimHarness sim = new SimHarness();
        final LinkFaults faults = LinkFaults.none().dropping("10.0.0.1", index);
        sim.network.withReliableUdp(ReliableUdpConfig.defaults(), faults);
        final SimHarness.Node srv = sim.start("10.0.0.2", server());
        final SimHarness.Node cli = sim.start("10.0.0.1",
            client(ConnectSpec.of(TransportProtocol.UDP, "10.0.0.2", 1234)));

        sim.runFor(5_000);
        final ConnectionSnapshot c = cli.client(sim.clock.nowNs());
        final ConnectionSnapshot s = srv.servers(sim.clock.nowNs()).get(0);
        assertEquals(1, faults.dropped());
        assertEquals("srv", c.peerName());
        assertTrue(c.latencySamples() >= 20, "probes went on: " + c.latencySamples());
        assertEquals(0, c.retries());
        assertEquals(clientRetransmitted, c.udpRetransmitted());
        assertEquals(clientLost, c.udpLost());
        assertEquals(clientDuplicate, c.udpDuplicate());
        assertEquals(serverRetransmitted, s.udpRetransmitted());
        assertEquals(0, s.udpDuplicate());
        assertEquals(0, c.udpOutOfOrder() + s.udpOutOfOrder());
    }
}
